//! iPhones and iPads, read through libimobiledevice's tools: `ideviceinfo -u UDID -x` for the
//! identity and activation state, `idevicediagnostics -u UDID ioregentry AppleSmartBattery` for
//! the battery, both printing XML property lists, parsed here.
//!
//! The battery's health is `AppleRawMaxCapacity ÷ DesignCapacity` (both mAh), else
//! `NominalChargeCapacity ÷ DesignCapacity`. `MaxCapacity` is mAh on older firmware but a
//! percentage on newer (iOS 17: `100`), so it is taken as mAh only when it is larger than 100,
//! else as the health the device reports. Find My (activation lock) cannot be read reliably over
//! USB: it stays unknown, as do accounts and MDM, until an operator confirms.

use refurbdesk_domain::{
    check_imei, AccountLock, ActivationLock, BatteryReading, CarrierLock, DeviceCategory,
    DeviceIdentity, LockReading, MdmState,
};

/// Why a tool's output cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum IosParseError {
    #[error("the output is not a property list: {0}")]
    NotPlist(String),
    #[error("the property list is not a dictionary")]
    NotDictionary,
    #[error("the device gave no {0}")]
    Missing(&'static str),
}

/// What `ideviceinfo -x` says of the device.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IosInfo {
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub imei2: Option<String>,
    /// `iPhone12,1`.
    pub product_type: Option<String>,
    /// `MWLT2`.
    pub model_number: Option<String>,
    /// `iPhone` or `iPad`.
    pub device_class: Option<String>,
    pub product_version: Option<String>,
    /// `Activated`, `Unactivated`, `FactoryActivated`…: whether the device is set up, which is
    /// not whether Find My locks it.
    pub activation_state: Option<String>,
    pub udid: Option<String>,
}

/// What `ioregentry AppleSmartBattery` says of the battery (mAh, mV, hundredths of °C).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IosBattery {
    pub installed: Option<bool>,
    pub design_capacity: Option<u32>,
    pub apple_raw_max_capacity: Option<u32>,
    pub nominal_charge_capacity: Option<u32>,
    pub max_capacity: Option<u32>,
    pub cycle_count: Option<u32>,
    pub voltage: Option<u32>,
    pub temperature: Option<i64>,
}

fn dictionary(output: &[u8]) -> Result<plist::Dictionary, IosParseError> {
    let value = plist::Value::from_reader(std::io::Cursor::new(output))
        .map_err(|error| IosParseError::NotPlist(error.to_string()))?;
    value.into_dictionary().ok_or(IosParseError::NotDictionary)
}

fn text(dict: &plist::Dictionary, key: &str) -> Option<String> {
    dict.get(key)
        .and_then(|v| v.as_string())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn whole(dict: &plist::Dictionary, key: &str) -> Option<u32> {
    let value = dict.get(key)?;
    value
        .as_unsigned_integer()
        .and_then(|v| u32::try_from(v).ok())
        .or_else(|| {
            value
                .as_signed_integer()
                .and_then(|v| u32::try_from(v).ok())
        })
}

/// Parses `ideviceinfo -x`.
pub fn parse_info(output: &[u8]) -> Result<IosInfo, IosParseError> {
    let dict = dictionary(output)?;
    Ok(IosInfo {
        serial: text(&dict, "SerialNumber"),
        imei: text(&dict, "InternationalMobileEquipmentIdentity"),
        imei2: text(&dict, "InternationalMobileEquipmentIdentity2"),
        product_type: text(&dict, "ProductType"),
        model_number: text(&dict, "ModelNumber"),
        device_class: text(&dict, "DeviceClass"),
        product_version: text(&dict, "ProductVersion"),
        activation_state: text(&dict, "ActivationState"),
        udid: text(&dict, "UniqueDeviceID"),
    })
}

/// Parses `idevicediagnostics ioregentry AppleSmartBattery` (its entry under `IORegistry`).
pub fn parse_battery(output: &[u8]) -> Result<IosBattery, IosParseError> {
    let outer = dictionary(output)?;
    let dict = match outer.get("IORegistry").and_then(|v| v.as_dictionary()) {
        Some(inner) => inner.clone(),
        None => outer,
    };
    Ok(IosBattery {
        installed: dict.get("BatteryInstalled").and_then(|v| v.as_boolean()),
        design_capacity: whole(&dict, "DesignCapacity"),
        apple_raw_max_capacity: whole(&dict, "AppleRawMaxCapacity"),
        nominal_charge_capacity: whole(&dict, "NominalChargeCapacity"),
        max_capacity: whole(&dict, "MaxCapacity"),
        cycle_count: whole(&dict, "CycleCount"),
        voltage: whole(&dict, "Voltage"),
        temperature: dict.get("Temperature").and_then(|v| v.as_signed_integer()),
    })
}

impl IosInfo {
    /// The identity: Apple, the model as the product type, its model number as the code.
    pub fn identity(&self) -> Result<DeviceIdentity, IosParseError> {
        let model = self
            .product_type
            .clone()
            .ok_or(IosParseError::Missing("ProductType"))?;
        let category = match self.device_class.as_deref() {
            Some("iPad") => DeviceCategory::Tablet,
            _ => DeviceCategory::Phone,
        };
        let mut identity = DeviceIdentity::new(category, "Apple", model);
        identity.model_code = self.model_number.clone();
        identity.serial = self.serial.clone();
        identity.imei = self.imei.clone();
        identity.imei2 = self.imei2.clone();
        identity.os = Some("iOS".to_owned());
        identity.os_version = self.product_version.clone();
        if let Some(imei) = &identity.imei {
            let (valid, reason) = check_imei(imei);
            identity.imei_valid = Some(valid);
            identity.reasons.extend(reason);
        }
        Ok(identity)
    }

    /// The locks: none can be read reliably over USB, so all are unknown.
    pub fn lock(&self) -> LockReading {
        LockReading {
            activation: ActivationLock::Unknown,
            account: AccountLock::Unknown,
            mdm: MdmState::Unknown,
            carrier: CarrierLock::Unknown,
        }
    }
}

impl IosBattery {
    /// The battery as the domain judges it: the full capacity is `AppleRawMaxCapacity`, else
    /// `NominalChargeCapacity`, else `MaxCapacity` when it is mAh (over 100); a percentage
    /// `MaxCapacity` is only the health the device reports.
    pub fn reading(&self) -> BatteryReading {
        let max_mah = self.max_capacity.filter(|&v| v > 100);
        let max_pct = self.max_capacity.filter(|&v| v <= 100);
        let (full, source) = match (
            self.apple_raw_max_capacity,
            self.nominal_charge_capacity,
            max_mah,
        ) {
            (Some(raw), _, _) => (Some(raw), "AppleRawMaxCapacity"),
            (None, Some(nominal), _) => (Some(nominal), "NominalChargeCapacity"),
            (None, None, Some(max)) => (Some(max), "MaxCapacity"),
            (None, None, None) => (None, "MaxCapacity"),
        };
        BatteryReading {
            present: self.installed,
            design_mah: self.design_capacity,
            full_mah: full,
            design_mwh: None,
            full_mwh: None,
            cycles: self.cycle_count,
            soh_pct: if full.is_none() {
                max_pct.map(f64::from)
            } else {
                None
            },
            temp_c: self.temperature.map(|t| t as f64 / 100.0),
            voltage_mv: self.voltage,
            source: Some(format!("AppleSmartBattery:{source}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/ios")
                .join(name),
        )
        .expect("fixture")
    }

    #[test]
    fn older_firmware_gives_the_raw_maximum_in_milliamp_hours() {
        let info = parse_info(&fixture("iphone11-ios15-info.plist")).unwrap();
        let identity = info.identity().unwrap();
        assert_eq!(identity.make, "Apple");
        assert_eq!(identity.model, "iPhone12,1");
        assert_eq!(identity.model_code.as_deref(), Some("MWLT2"));
        assert_eq!(identity.serial.as_deref(), Some("F2LZK0ABN72J"));
        assert_eq!(identity.imei.as_deref(), Some("353912108765438"));
        assert_eq!(identity.imei_valid, Some(true));
        assert_eq!(identity.os_version.as_deref(), Some("15.7.2"));
        assert_eq!(info.activation_state.as_deref(), Some("Activated"));
        assert_eq!(info.lock().activation, ActivationLock::Unknown);
        let battery = parse_battery(&fixture("iphone11-ios15-battery.plist"))
            .unwrap()
            .reading();
        assert_eq!(battery.design_mah, Some(3110));
        assert_eq!(battery.full_mah, Some(2552));
        assert_eq!(battery.cycles, Some(611));
        assert_eq!(battery.soh_pct, None);
        assert_eq!(battery.temp_c, Some(29.6));
        assert_eq!(
            battery.source.as_deref(),
            Some("AppleSmartBattery:AppleRawMaxCapacity")
        );
    }

    #[test]
    fn newer_firmware_gives_a_percentage_so_the_nominal_capacity_counts() {
        let info = parse_info(&fixture("iphone15-ios17-info.plist")).unwrap();
        assert_eq!(info.activation_state.as_deref(), Some("Unactivated"));
        assert_eq!(
            info.identity().unwrap().imei2.as_deref(),
            Some("356605221298769")
        );
        let parsed = parse_battery(&fixture("iphone15-ios17-battery.plist")).unwrap();
        assert_eq!(parsed.max_capacity, Some(100));
        let battery = parsed.reading();
        assert_eq!(battery.design_mah, Some(3349));
        assert_eq!(battery.full_mah, Some(3298), "not MaxCapacity's 100");
        assert_eq!(battery.cycles, Some(94));
        // With only a percentage left, it is the health the device reports.
        let only_percent = IosBattery {
            nominal_charge_capacity: None,
            ..parsed
        };
        let battery = only_percent.reading();
        assert_eq!(battery.full_mah, None);
        assert_eq!(battery.soh_pct, Some(100.0));
    }

    #[test]
    fn what_is_not_a_property_list_says_so() {
        assert!(matches!(
            parse_info(b"ERROR: No device found with udid X."),
            Err(IosParseError::NotPlist(_))
        ));
        let empty = b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict/></plist>";
        let info = parse_info(empty).unwrap();
        assert!(matches!(
            info.identity(),
            Err(IosParseError::Missing("ProductType"))
        ));
    }
}
