//! Classifying USB devices by vendor and interfaces, as real phones and benches present them.

use refurbdesk_adb::usb::{classify, vendor_name, DirectKind, InterfaceClass, KNOWN_VENDORS};

const fn class(class: u8, subclass: u8, protocol: u8) -> InterfaceClass {
    InterfaceClass {
        class,
        subclass,
        protocol,
    }
}

const MTP: InterfaceClass = class(0x06, 0x01, 0x01);
const CDC_COMM: InterfaceClass = class(0x02, 0x02, 0x01);
const CDC_DATA: InterfaceClass = class(0x0a, 0x00, 0x00);
const HID: InterfaceClass = class(0x03, 0x01, 0x01);

#[test]
fn every_issue_vendor_is_known() {
    for (id, name) in [
        (0x05ac, "Apple"),
        (0x04e8, "Samsung"),
        (0x18d1, "Google"),
        (0x2717, "Xiaomi"),
        (0x12d1, "Huawei"),
        (0x22b8, "Motorola"),
        (0x2a70, "OnePlus"),
        (0x1004, "LG"),
        (0x0fce, "Sony"),
    ] {
        assert_eq!(vendor_name(id), Some(name));
    }
    assert_eq!(vendor_name(0x046d), None);
    let mut ids: Vec<u16> = KNOWN_VENDORS.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), KNOWN_VENDORS.len(), "each vendor id once");
}

#[test]
fn an_adb_interface_makes_an_android_phone_whoever_made_it() {
    // A Samsung in MTP + ADB mode, a Pixel in ADB only, an unknown maker's tablet.
    assert_eq!(
        classify(0x04e8, &[MTP, InterfaceClass::ADB]),
        DirectKind::AndroidAdb
    );
    assert_eq!(
        classify(0x18d1, &[InterfaceClass::ADB]),
        DirectKind::AndroidAdb
    );
    assert_eq!(
        classify(0x1234, &[MTP, InterfaceClass::ADB]),
        DirectKind::AndroidAdb
    );
    // A Samsung modem (CDC-ACM) beside ADB is still the phone.
    assert_eq!(
        classify(0x04e8, &[CDC_COMM, CDC_DATA, InterfaceClass::ADB]),
        DirectKind::AndroidAdb
    );
}

#[test]
fn apple_devices_offer_usbmux() {
    let ptp = class(0x06, 0x01, 0x01);
    assert_eq!(
        classify(0x05ac, &[ptp, InterfaceClass::APPLE_USBMUX]),
        DirectKind::AppleUsbmux
    );
    // A locked iPhone that only charges still shows its maker.
    assert_eq!(classify(0x05ac, &[]), DirectKind::PhoneWithoutDebugging);
}

#[test]
fn phones_without_debugging_are_told_apart_from_other_devices() {
    assert_eq!(classify(0x2717, &[MTP]), DirectKind::PhoneWithoutDebugging);
    assert_eq!(
        classify(0x04e8, &[CDC_COMM, CDC_DATA, MTP]),
        DirectKind::PhoneWithoutDebugging
    );
    assert_eq!(classify(0x046d, &[HID]), DirectKind::Other);
    assert_eq!(
        classify(0x0bda, &[class(0x08, 0x06, 0x50)]),
        DirectKind::Other
    );
}

#[test]
fn cdc_acm_devices_of_other_makers_are_benches() {
    assert_eq!(
        classify(0x2e8a, &[CDC_COMM, CDC_DATA]),
        DirectKind::CdcAcmBench
    );
    assert_eq!(classify(0x16c0, &[CDC_COMM]), DirectKind::CdcAcmBench);
    for kind in [
        DirectKind::AndroidAdb,
        DirectKind::AppleUsbmux,
        DirectKind::CdcAcmBench,
        DirectKind::PhoneWithoutDebugging,
        DirectKind::Other,
    ] {
        assert!(!kind.as_str().is_empty());
    }
}
