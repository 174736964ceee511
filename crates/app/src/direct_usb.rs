//! What is on the workstation's USB ports, each device classified: an Android phone with USB
//! debugging on (read it with an ADB intake), an Apple device, a bench on a USB serial link, or
//! a phone without debugging. Says how to fix a missing permission on `/dev/bus/usb`.

use refurbdesk_adb::usb::{self, UsbDevice};
use refurbdesk_domain::Lang;
use serde::Serialize;
use ts_rs::TS;

use crate::error::tell;

/// One USB device, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UsbDeviceRow {
    pub bus: u8,
    pub address: u8,
    /// Four lowercase hex digits, as lsusb shows them.
    pub vendor_id: String,
    pub product_id: String,
    /// The maker, for the phone makers Refurbdesk knows.
    pub vendor: Option<String>,
    /// `android_adb`, `apple_usbmux`, `cdc_acm_bench`, `phone_without_debugging` or `other`.
    pub kind: String,
    /// Each interface as `class/subclass/protocol` in hex, e.g. `ff/42/01` for ADB.
    pub interfaces: Vec<String>,
    pub serial: Option<String>,
    pub product: Option<String>,
    /// The device could not be opened for want of permission on `/dev/bus/usb`.
    pub permission_denied: bool,
}

/// The USB listing, with what stands in the way of reading it whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct UsbList {
    pub devices: Vec<UsbDeviceRow>,
    /// Why the buses could not be listed at all (no `/dev/bus/usb`, as in a container).
    pub unavailable: Option<String>,
    /// How to give the operator access to devices it could not open (the udev rule).
    pub permission_fix: Option<String>,
}

/// Lists the USB devices, classified; `lang` is the language of the problems said.
pub fn list(lang: Lang) -> UsbList {
    listing(usb::list(), lang)
}

fn listing(found: usb::UsbListing, lang: Lang) -> UsbList {
    let denied = found.devices.iter().filter(|d| d.permission_denied).count();
    let permission_fix = (denied > 0).then(|| {
        tell(
            lang,
            "usb-permission",
            &[("count", &denied.to_string()), ("rule", UDEV_RULE)],
        )
    });
    let unavailable = found
        .unavailable
        .map(|reason| tell(lang, "usb-unavailable", &[("reason", &reason)]));
    UsbList {
        devices: found.devices.iter().map(row).collect(),
        unavailable,
        permission_fix,
    }
}

/// The udev rule in the repository that gives the operator access.
pub const UDEV_RULE: &str = "assets/udev/70-refurbdesk-usb.rules";

fn row(device: &UsbDevice) -> UsbDeviceRow {
    UsbDeviceRow {
        bus: device.bus,
        address: device.address,
        vendor_id: format!("{:04x}", device.vendor_id),
        product_id: format!("{:04x}", device.product_id),
        vendor: device.vendor.map(str::to_string),
        kind: device.kind.as_str().to_string(),
        interfaces: device
            .interfaces
            .iter()
            .map(|i| format!("{:02x}/{:02x}/{:02x}", i.class, i.subclass, i.protocol))
            .collect(),
        serial: device.serial.clone(),
        product: device.product.clone(),
        permission_denied: device.permission_denied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_adb::usb::{classify, InterfaceClass};

    fn device(vendor_id: u16, interfaces: Vec<InterfaceClass>, denied: bool) -> UsbDevice {
        UsbDevice {
            bus: 1,
            address: 7,
            vendor_id,
            product_id: 0x6860,
            vendor: usb::vendor_name(vendor_id),
            kind: classify(vendor_id, &interfaces),
            interfaces,
            serial: None,
            product: None,
            permission_denied: denied,
        }
    }

    #[test]
    fn devices_that_cannot_be_opened_bring_the_udev_rule_in_both_languages() {
        let found = usb::UsbListing {
            devices: vec![
                device(0x04e8, vec![InterfaceClass::ADB], true),
                device(0x046d, vec![], false),
            ],
            unavailable: None,
        };
        let en = listing(found.clone(), Lang::En);
        assert_eq!(en.devices[0].kind, "android_adb");
        assert_eq!(en.devices[0].vendor.as_deref(), Some("Samsung"));
        assert_eq!(en.devices[0].vendor_id, "04e8");
        assert_eq!(en.devices[0].interfaces, vec!["ff/42/01"]);
        let fix = en.permission_fix.expect("a fix");
        assert!(
            fix.contains(UDEV_RULE) && fix.contains("/dev/bus/usb"),
            "{fix}"
        );
        let fr = listing(found, Lang::Fr).permission_fix.expect("a fix");
        assert!(fr.contains(UDEV_RULE) && fr != fix, "{fr}");
    }

    #[test]
    fn a_bus_that_cannot_be_listed_says_why_and_lists_nothing() {
        let found = usb::UsbListing {
            devices: vec![],
            unavailable: Some("no such device".to_string()),
        };
        let list = listing(found, Lang::En);
        assert!(list.devices.is_empty());
        assert!(list.unavailable.expect("why").contains("no such device"));
        assert_eq!(list.permission_fix, None);
    }
}
