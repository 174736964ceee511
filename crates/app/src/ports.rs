//! The serial ports this machine has, where test benches are plugged in.

use serde::{Deserialize, Serialize};
use serialport::SerialPortType;
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

/// One serial port found on the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SerialPortView {
    /// Its path, e.g. `/dev/ttyACM0`.
    pub name: String,
    /// `usb`, `pci`, `bluetooth` or `unknown`.
    pub kind: String,
    /// For a USB port: the maker and product it says it is, when it says.
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub serial_number: Option<String>,
    /// For a USB port: `vvvv:pppp` in hexadecimal.
    pub usb_id: Option<String>,
}

/// Every serial port the operating system lists, by name.
pub fn list() -> Result<Vec<SerialPortView>> {
    let ports = serialport::available_ports().map_err(|error| {
        Error::new(
            ErrorCode::BenchUnreachable,
            format!("the serial ports of this machine cannot be listed: {error}"),
        )
    })?;
    let mut views: Vec<SerialPortView> = ports
        .into_iter()
        .map(|port| {
            let (kind, usb) = match port.port_type {
                SerialPortType::UsbPort(usb) => ("usb", Some(usb)),
                SerialPortType::PciPort => ("pci", None),
                SerialPortType::BluetoothPort => ("bluetooth", None),
                SerialPortType::Unknown => ("unknown", None),
            };
            SerialPortView {
                name: port.port_name,
                kind: kind.to_owned(),
                manufacturer: usb.as_ref().and_then(|usb| usb.manufacturer.clone()),
                product: usb.as_ref().and_then(|usb| usb.product.clone()),
                serial_number: usb.as_ref().and_then(|usb| usb.serial_number.clone()),
                usb_id: usb.map(|usb| format!("{:04x}:{:04x}", usb.vid, usb.pid)),
            }
        })
        .collect();
    views.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(views)
}
