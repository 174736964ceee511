//! Direct USB devices: what is on the workstation's USB ports, and what each can be read as.
//!
//! [`classify`] is pure: a vendor id and the interfaces a device offers say whether it is an
//! Android phone with USB debugging on (an ADB interface: class 0xff, subclass 0x42, protocol
//! 0x01), an Apple device (usbmux: 0xff / 0xfe / 0x02), a test bench on a USB serial link
//! (CDC-ACM: communications class 0x02, subclass 0x02), or a phone of a known maker that offers
//! none of these (USB debugging off, or a charge-only cable). [`list`] enumerates with libusb
//! (through `rusb`); descriptors are read without opening a device, serial numbers need the
//! permission the udev rule gives (`packaging/udev/70-refurbdesk.rules`).

use std::time::Duration;

/// Phone and tablet makers, by USB vendor id.
pub const KNOWN_VENDORS: &[(u16, &str)] = &[
    (0x05ac, "Apple"),
    (0x04e8, "Samsung"),
    (0x18d1, "Google"),
    (0x2717, "Xiaomi"),
    (0x12d1, "Huawei"),
    (0x22b8, "Motorola"),
    (0x2a70, "OnePlus"),
    (0x1004, "LG"),
    (0x0fce, "Sony"),
    (0x0bb4, "HTC"),
    (0x19d2, "ZTE"),
    (0x2d95, "Vivo"),
    (0x22d9, "Oppo"),
    (0x1ebf, "Fairphone"),
    (0x17ef, "Lenovo"),
    (0x0b05, "Asus"),
    (0x2916, "Nokia (HMD)"),
];

/// One interface (alternate setting) of a device: its class triple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterfaceClass {
    pub class: u8,
    pub subclass: u8,
    pub protocol: u8,
}

impl InterfaceClass {
    pub const ADB: InterfaceClass = InterfaceClass {
        class: 0xff,
        subclass: 0x42,
        protocol: 0x01,
    };
    pub const APPLE_USBMUX: InterfaceClass = InterfaceClass {
        class: 0xff,
        subclass: 0xfe,
        protocol: 0x02,
    };
}

/// What a USB device can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectKind {
    /// An Android device with USB debugging on: read it over ADB.
    AndroidAdb,
    /// An iPhone or iPad: read it over usbmux.
    AppleUsbmux,
    /// A test bench (or a laptop agent) on a USB serial link: open it as a bench.
    CdcAcmBench,
    /// A phone of a known maker with no debugging interface: USB debugging is off, the phone
    /// is locked, or the cable only charges.
    PhoneWithoutDebugging,
    /// Anything else (keyboards, hubs, drives…).
    Other,
}

impl DirectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectKind::AndroidAdb => "android_adb",
            DirectKind::AppleUsbmux => "apple_usbmux",
            DirectKind::CdcAcmBench => "cdc_acm_bench",
            DirectKind::PhoneWithoutDebugging => "phone_without_debugging",
            DirectKind::Other => "other",
        }
    }
}

/// The maker of a known vendor id.
pub fn vendor_name(vendor_id: u16) -> Option<&'static str> {
    KNOWN_VENDORS
        .iter()
        .find(|(id, _)| *id == vendor_id)
        .map(|(_, name)| *name)
}

/// What a device with this vendor and these interfaces is, for a refurbishing station.
///
/// ```
/// use refurbdesk_adb::usb::{classify, DirectKind, InterfaceClass};
///
/// let mtp = InterfaceClass { class: 0x06, subclass: 0x01, protocol: 0x01 };
/// assert_eq!(classify(0x04e8, &[mtp, InterfaceClass::ADB]), DirectKind::AndroidAdb);
/// assert_eq!(classify(0x04e8, &[mtp]), DirectKind::PhoneWithoutDebugging);
/// assert_eq!(classify(0x05ac, &[InterfaceClass::APPLE_USBMUX]), DirectKind::AppleUsbmux);
/// let acm = InterfaceClass { class: 0x02, subclass: 0x02, protocol: 0x01 };
/// assert_eq!(classify(0x2e8a, &[acm]), DirectKind::CdcAcmBench);
/// assert_eq!(classify(0x046d, &[InterfaceClass { class: 0x03, subclass: 1, protocol: 1 }]), DirectKind::Other);
/// ```
pub fn classify(vendor_id: u16, interfaces: &[InterfaceClass]) -> DirectKind {
    if interfaces.contains(&InterfaceClass::ADB) {
        return DirectKind::AndroidAdb;
    }
    if interfaces.contains(&InterfaceClass::APPLE_USBMUX) {
        return DirectKind::AppleUsbmux;
    }
    // A phone offering a modem as CDC-ACM is still a phone; benches are not phone makers.
    let known_phone = vendor_name(vendor_id).is_some();
    if !known_phone
        && interfaces
            .iter()
            .any(|i| i.class == 0x02 && i.subclass == 0x02)
    {
        return DirectKind::CdcAcmBench;
    }
    if known_phone
        && interfaces
            .iter()
            .any(|i| matches!(i.class, 0x06 | 0xff | 0x08))
    {
        // MTP/PTP (0x06), vendor-specific (0xff) or a storage gadget: a phone without debugging.
        return DirectKind::PhoneWithoutDebugging;
    }
    if known_phone && vendor_id == 0x05ac {
        return DirectKind::PhoneWithoutDebugging;
    }
    DirectKind::Other
}

/// One device on the USB bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbDevice {
    pub bus: u8,
    pub address: u8,
    pub vendor_id: u16,
    pub product_id: u16,
    pub vendor: Option<&'static str>,
    pub kind: DirectKind,
    pub interfaces: Vec<InterfaceClass>,
    /// The device's serial number, when it could be opened to read it.
    pub serial: Option<String>,
    pub product: Option<String>,
    /// The device node could not be opened: no permission on `/dev/bus/usb`.
    pub permission_denied: bool,
}

/// What enumerating the bus found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbListing {
    pub devices: Vec<UsbDevice>,
    /// libusb could not enumerate at all (no `/dev/bus/usb` in a container, no libusb backend).
    pub unavailable: Option<String>,
}

/// Follows libusb's hotplug events while it lives: `wake` is called on its own thread whenever
/// a device arrives on or leaves the buses, so a listing can follow at once instead of at the
/// next timed poll. Dropping it stops the thread.
pub struct HotplugWatch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for HotplugWatch {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Wake<F>(F);

impl<F: Fn() + Send, C: rusb::UsbContext> rusb::Hotplug<C> for Wake<F> {
    fn device_arrived(&mut self, _device: rusb::Device<C>) {
        (self.0)();
    }

    fn device_left(&mut self, _device: rusb::Device<C>) {
        (self.0)();
    }
}

/// Starts following hotplug events where libusb supports them (Linux, macOS); `None` elsewhere,
/// or when libusb cannot start (no `/dev/bus/usb` in a container): then timed listing is all
/// there is.
pub fn watch(wake: impl Fn() + Send + 'static) -> Option<HotplugWatch> {
    use rusb::UsbContext;
    if !rusb::has_hotplug()
        || (cfg!(target_os = "linux") && !std::path::Path::new("/dev/bus/usb").exists())
    {
        return None;
    }
    let context = rusb::Context::new().ok()?;
    let registration: rusb::Registration<rusb::Context> = rusb::HotplugBuilder::new()
        .enumerate(false)
        .register(&context, Box::new(Wake(wake)))
        .ok()?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::Builder::new()
        .name("usb-hotplug".to_owned())
        .spawn(move || {
            // The registration lives as long as the thread that delivers its events.
            let _registration = registration;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                if context
                    .handle_events(Some(Duration::from_millis(250)))
                    .is_err()
                {
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
        })
        .ok()?;
    Some(HotplugWatch {
        stop,
        thread: Some(thread),
    })
}

/// Every device on the workstation's USB buses, classified.
pub fn list() -> UsbListing {
    // libusb finds no device without the device nodes, and says nothing of it.
    if cfg!(target_os = "linux") && !std::path::Path::new("/dev/bus/usb").exists() {
        return UsbListing {
            devices: Vec::new(),
            unavailable: Some("/dev/bus/usb does not exist".to_string()),
        };
    }
    let devices = match rusb::devices() {
        Ok(devices) => devices,
        Err(error) => {
            return UsbListing {
                devices: Vec::new(),
                unavailable: Some(error.to_string()),
            }
        }
    };
    let mut found = Vec::new();
    for device in devices.iter() {
        let Ok(descriptor) = device.device_descriptor() else {
            continue;
        };
        let mut interfaces = Vec::new();
        for index in 0..descriptor.num_configurations() {
            let Ok(config) = device.config_descriptor(index) else {
                continue;
            };
            for interface in config.interfaces() {
                for setting in interface.descriptors() {
                    let class = InterfaceClass {
                        class: setting.class_code(),
                        subclass: setting.sub_class_code(),
                        protocol: setting.protocol_code(),
                    };
                    if !interfaces.contains(&class) {
                        interfaces.push(class);
                    }
                }
            }
        }
        let vendor_id = descriptor.vendor_id();
        let (serial, product, permission_denied) = match device.open() {
            Ok(handle) => {
                let timeout = Duration::from_millis(200);
                let language = handle
                    .read_languages(timeout)
                    .ok()
                    .and_then(|l| l.first().copied());
                let serial = match (language, descriptor.serial_number_string_index()) {
                    (Some(language), Some(_)) => handle
                        .read_serial_number_string(language, &descriptor, timeout)
                        .ok(),
                    _ => None,
                };
                let product = match (language, descriptor.product_string_index()) {
                    (Some(language), Some(_)) => handle
                        .read_product_string(language, &descriptor, timeout)
                        .ok(),
                    _ => None,
                };
                (serial, product, false)
            }
            Err(rusb::Error::Access) => (None, None, true),
            Err(_) => (None, None, false),
        };
        found.push(UsbDevice {
            bus: device.bus_number(),
            address: device.address(),
            vendor_id,
            product_id: descriptor.product_id(),
            vendor: vendor_name(vendor_id),
            kind: classify(vendor_id, &interfaces),
            interfaces,
            serial,
            product,
            permission_denied,
        });
    }
    UsbListing {
        devices: found,
        unavailable: None,
    }
}
