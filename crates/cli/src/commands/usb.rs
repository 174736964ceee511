//! `refurbdesk usb list`: the devices on the USB ports, each classified.

use clap::Subcommand;
use refurbdesk_app::direct_usb;

use super::lang_from_environment;
use crate::exit::Failure;

#[derive(Debug, Subcommand)]
pub enum UsbCommand {
    /// List the USB devices: Android phones with USB debugging on, Apple devices, benches on a
    /// USB serial link, phones without debugging, others
    List,
}

pub fn run(command: &UsbCommand, json: bool) -> Result<(), Failure> {
    let UsbCommand::List = command;
    let list = direct_usb::list(lang_from_environment());
    if json {
        println!("{}", serde_json::to_string(&list)?);
        return Ok(());
    }
    if list.devices.is_empty() && list.unavailable.is_none() {
        println!("no USB devices");
    }
    for device in &list.devices {
        println!(
            "{:03}:{:03} {}:{} {:<24} {:<12} {}{}",
            device.bus,
            device.address,
            device.vendor_id,
            device.product_id,
            device.kind,
            device.vendor.as_deref().unwrap_or("-"),
            device.product.as_deref().unwrap_or(""),
            device
                .serial
                .as_deref()
                .map(|s| format!(" (serial {s})"))
                .unwrap_or_default()
        );
    }
    for problem in list.unavailable.iter().chain(&list.permission_fix) {
        eprintln!("refurbdesk: {problem}");
    }
    Ok(())
}
