//! Turning the `key=value` fields of `IDENT`, `BATT` and `LOCK` responses
//! into readings. A reading is taken whole or not at all: one bad value
//! rejects it, so nothing from a malformed reading is ever recorded.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::battery::BatteryReading;
use crate::device::{DeviceCategory, DeviceIdentity};
use crate::imei::check_imei;
use crate::lock::{AccountLock, ActivationLock, CarrierLock, LockReading, MdmState};
use crate::words::UnknownWordError;

/// Which bench response a reading came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadingKind {
    Ident,
    Batt,
    Lock,
}

impl ReadingKind {
    /// The protocol verb that produces this reading.
    pub fn as_str(self) -> &'static str {
        match self {
            ReadingKind::Ident => "IDENT",
            ReadingKind::Batt => "BATT",
            ReadingKind::Lock => "LOCK",
        }
    }
}

impl fmt::Display for ReadingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a reading was rejected. Nothing from a rejected reading is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadingError {
    #[error(
        "the {reading} reading has no `{field}` field, which protocol v1 requires; nothing from it \
         was recorded — read the slot again, and if it keeps happening report it to the bench vendor"
    )]
    MissingField {
        reading: ReadingKind,
        field: &'static str,
    },
    #[error(
        "the {reading} reading has {field}={value:?}, which is not {expected}; nothing from it was \
         recorded — read the slot again, and if it keeps happening report it to the bench vendor"
    )]
    InvalidValue {
        reading: ReadingKind,
        field: &'static str,
        value: String,
        expected: String,
    },
    #[error(
        "the {reading} reading has the field `{field}` twice ({first:?} and {second:?}), so it is \
         ambiguous; nothing from it was recorded — read the slot again"
    )]
    DuplicateField {
        reading: ReadingKind,
        field: &'static str,
        first: String,
        second: String,
    },
}

const IDENT_FIELDS: &[&str] = &[
    "category",
    "make",
    "model",
    "model_code",
    "serial",
    "imei",
    "imei2",
    "storage_gb",
    "ram_gb",
    "color",
    "os",
    "os_version",
];

const BATT_FIELDS: &[&str] = &[
    "present",
    "design_mah",
    "full_mah",
    "design_mwh",
    "full_mwh",
    "cycles",
    "soh_pct",
    "temp_c",
    "voltage_mv",
    "source",
];

const LOCK_FIELDS: &[&str] = &["activation", "account", "mdm", "carrier"];

/// Builds a device identity from `IDENT` fields. Unknown keys are ignored;
/// `category`, `make` and `model` are required. IMEIs are kept as sent and
/// checked, with any failure added to `reasons` (a bad IMEI is a finding
/// about the device, not a broken reading).
pub fn identity_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<DeviceIdentity, ReadingError> {
    let fields = KnownFields::collect(ReadingKind::Ident, IDENT_FIELDS, fields)?;
    let category: DeviceCategory = fields.required_word("category")?;
    let make = fields.required_text("make")?;
    let model = fields.required_text("model")?;

    let mut identity = DeviceIdentity::new(category, make, model);
    identity.model_code = fields.text("model_code");
    identity.serial = fields.text("serial");
    identity.imei = fields.text("imei");
    identity.imei2 = fields.text("imei2");
    identity.storage_gb = fields.whole_number("storage_gb")?;
    identity.ram_gb = fields.whole_number("ram_gb")?;
    identity.color = fields.text("color");
    identity.os = fields.text("os");
    identity.os_version = fields.text("os_version");

    if let Some(imei) = &identity.imei {
        let (valid, reason) = check_imei(imei);
        identity.imei_valid = Some(valid);
        identity.reasons.extend(reason);
    }
    if let Some(imei2) = &identity.imei2 {
        let (_, reason) = check_imei(imei2);
        identity
            .reasons
            .extend(reason.map(|reason| format!("Second SIM slot: {reason}")));
    }
    Ok(identity)
}

/// Builds a battery reading from `BATT` fields. Unknown keys are ignored;
/// `present` is required.
pub fn battery_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<BatteryReading, ReadingError> {
    let fields = KnownFields::collect(ReadingKind::Batt, BATT_FIELDS, fields)?;
    let present = match fields.required("present")? {
        "yes" => true,
        "no" => false,
        other => return Err(fields.invalid("present", other, "yes or no")),
    };
    Ok(BatteryReading {
        present: Some(present),
        design_mah: fields.whole_number("design_mah")?,
        full_mah: fields.whole_number("full_mah")?,
        design_mwh: fields.whole_number("design_mwh")?,
        full_mwh: fields.whole_number("full_mwh")?,
        cycles: fields.whole_number("cycles")?,
        soh_pct: fields.decimal("soh_pct", Sign::NonNegative)?,
        temp_c: fields.decimal("temp_c", Sign::Any)?,
        voltage_mv: fields.whole_number("voltage_mv")?,
        source: fields.text("source"),
    })
}

/// Builds a lock reading from `LOCK` fields. Unknown keys are ignored; all
/// four states are required, since a missing one would otherwise read as
/// "no lock".
pub fn lock_from_fields<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<LockReading, ReadingError> {
    let fields = KnownFields::collect(ReadingKind::Lock, LOCK_FIELDS, fields)?;
    Ok(LockReading {
        activation: fields.required_word::<ActivationLock>("activation")?,
        account: fields.required_word::<AccountLock>("account")?,
        mdm: fields.required_word::<MdmState>("mdm")?,
        carrier: fields.required_word::<CarrierLock>("carrier")?,
    })
}

#[derive(Clone, Copy)]
enum Sign {
    NonNegative,
    Any,
}

/// The fields of one reading that this crate understands, each at most once.
struct KnownFields<'a> {
    reading: ReadingKind,
    values: Vec<(&'static str, &'a str)>,
}

impl<'a> KnownFields<'a> {
    fn collect(
        reading: ReadingKind,
        known: &'static [&'static str],
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ReadingError> {
        let mut values: Vec<(&'static str, &'a str)> = Vec::new();
        for (key, value) in fields {
            // Unknown keys are skipped: newer benches may send more.
            let Some(field) = known.iter().copied().find(|field| *field == key) else {
                continue;
            };
            if let Some((_, first)) = values.iter().find(|(seen, _)| *seen == field) {
                return Err(ReadingError::DuplicateField {
                    reading,
                    field,
                    first: (*first).to_owned(),
                    second: value.to_owned(),
                });
            }
            values.push((field, value));
        }
        Ok(KnownFields { reading, values })
    }

    fn get(&self, field: &str) -> Option<&'a str> {
        self.values
            .iter()
            .find(|(key, _)| *key == field)
            .map(|(_, value)| *value)
    }

    fn required(&self, field: &'static str) -> Result<&'a str, ReadingError> {
        self.get(field).ok_or(ReadingError::MissingField {
            reading: self.reading,
            field,
        })
    }

    fn invalid(&self, field: &'static str, value: &str, expected: &str) -> ReadingError {
        ReadingError::InvalidValue {
            reading: self.reading,
            field,
            value: value.to_owned(),
            expected: expected.to_owned(),
        }
    }

    fn required_text(&self, field: &'static str) -> Result<String, ReadingError> {
        let value = self.required(field)?;
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(self.invalid(field, value, "a non-empty name"));
        }
        Ok(trimmed.to_owned())
    }

    /// An empty optional text says nothing, so it is kept as "not known".
    fn text(&self, field: &'static str) -> Option<String> {
        self.get(field)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    }

    fn required_word<T>(&self, field: &'static str) -> Result<T, ReadingError>
    where
        T: FromStr<Err = UnknownWordError>,
    {
        let value = self.required(field)?;
        value.parse::<T>().map_err(|error| {
            self.invalid(
                field,
                value,
                &format!("one of {}", error.expected.join(", ")),
            )
        })
    }

    /// Digits only: no sign, no decimals, no spaces, and at most u32::MAX.
    fn whole_number(&self, field: &'static str) -> Result<Option<u32>, ReadingError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        let expected = "a whole number (digits only)";
        if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(self.invalid(field, value, expected));
        }
        value.parse::<u32>().map(Some).map_err(|_| {
            self.invalid(
                field,
                value,
                &format!("a whole number no larger than {}", u32::MAX),
            )
        })
    }

    /// Plain decimal notation with a `.` as the protocol requires: no
    /// exponents, no commas, no "inf" or "NaN", which `f64::from_str` would
    /// otherwise accept.
    fn decimal(&self, field: &'static str, sign: Sign) -> Result<Option<f64>, ReadingError> {
        let Some(value) = self.get(field) else {
            return Ok(None);
        };
        let expected = match sign {
            Sign::NonNegative => "a decimal number of 0 or more written with a `.` (like 86.5)",
            Sign::Any => "a decimal number written with a `.` (like -4.5 or 31.2)",
        };
        let unsigned = match (sign, value.strip_prefix('-')) {
            (Sign::Any, Some(rest)) => rest,
            _ => value,
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !fraction.is_none_or(all_digits) {
            return Err(self.invalid(field, value, expected));
        }
        value
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .map(Some)
            .ok_or_else(|| self.invalid(field, value, expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(&str, &str)> {
        line.split_whitespace()
            .filter_map(|token| token.split_once('='))
            .collect()
    }

    #[test]
    fn spec_example_ident_is_read_with_a_valid_imei() {
        let mut fields = pairs(
            "category=phone make=Apple model_code=iPhone13,2 serial=F17XK2ABCDEF imei=356728114587211 storage_gb=128",
        );
        fields.push(("model", "iPhone 12"));
        let identity = identity_from_fields(fields).expect("valid IDENT");
        assert_eq!(identity.category, DeviceCategory::Phone);
        assert_eq!(identity.make, "Apple");
        assert_eq!(identity.model, "iPhone 12");
        assert_eq!(identity.model_code.as_deref(), Some("iPhone13,2"));
        assert_eq!(identity.serial.as_deref(), Some("F17XK2ABCDEF"));
        assert_eq!(identity.imei.as_deref(), Some("356728114587211"));
        assert_eq!(identity.imei_valid, Some(true));
        assert_eq!(identity.storage_gb, Some(128));
        assert_eq!(identity.ram_gb, None);
        assert!(identity.reasons.is_empty(), "{:?}", identity.reasons);
    }

    #[test]
    fn imei_findings_land_in_reasons_not_errors() {
        let identity = identity_from_fields(pairs(
            "category=phone make=Apple model=X imei=356728114587212 imei2=123",
        ))
        .expect("an IMEI finding does not reject the reading");
        assert_eq!(identity.imei_valid, Some(false));
        assert_eq!(identity.reasons.len(), 2, "{:?}", identity.reasons);
        assert!(identity.reasons[0].contains("fails its Luhn check digit (expected 1)"));
        assert!(identity.reasons[1].starts_with("Second SIM slot"));

        let no_imei = identity_from_fields(pairs("category=laptop make=Dell model=XPS"))
            .expect("valid IDENT");
        assert_eq!(no_imei.imei_valid, None);
    }

    #[test]
    fn spec_example_batt_is_read() {
        let reading = battery_from_fields(pairs(
            "present=yes design_mah=2815 full_mah=2421 cycles=611 source=gasgauge",
        ))
        .expect("valid BATT");
        assert_eq!(
            reading,
            BatteryReading {
                present: Some(true),
                design_mah: Some(2815),
                full_mah: Some(2421),
                cycles: Some(611),
                source: Some("gasgauge".to_owned()),
                ..BatteryReading::default()
            }
        );
        let full = battery_from_fields(pairs(
            "present=no design_mwh=57000 full_mwh=45600 soh_pct=80 temp_c=-4.5 voltage_mv=11400",
        ))
        .expect("valid BATT");
        assert_eq!(full.present, Some(false));
        assert_eq!(full.design_mwh, Some(57000));
        assert_eq!(full.full_mwh, Some(45600));
        assert_eq!(full.soh_pct, Some(80.0));
        assert_eq!(full.temp_c, Some(-4.5));
        assert_eq!(full.voltage_mv, Some(11400));
    }

    #[test]
    fn spec_lock_reading_is_read() {
        let reading = lock_from_fields(pairs(
            "activation=locked account=google mdm=none carrier=unknown extra=1",
        ))
        .expect("valid LOCK");
        assert_eq!(
            reading,
            LockReading {
                activation: ActivationLock::Locked,
                account: AccountLock::Google,
                mdm: MdmState::None,
                carrier: CarrierLock::Unknown,
            }
        );
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let reading = battery_from_fields(pairs("present=yes future_field=whatever cycles=3"))
            .expect("unknown keys are fine");
        assert_eq!(reading.cycles, Some(3));
    }

    #[test]
    fn malformed_values_are_rejected_naming_field_and_value() {
        let batt = |line: &str| battery_from_fields(pairs(line));
        let cases: Vec<(Result<(), ReadingError>, &str, &str)> = vec![
            (
                batt("present=yes design_mah=abc").map(drop),
                "design_mah",
                "abc",
            ),
            (batt("present=yes cycles=-3").map(drop), "cycles", "-3"),
            (batt("present=yes cycles=+3").map(drop), "cycles", "+3"),
            (batt("present=yes cycles=3.0").map(drop), "cycles", "3.0"),
            (
                batt("present=yes full_mah=99999999999").map(drop),
                "full_mah",
                "99999999999",
            ),
            (batt("present=yes soh_pct=8,5").map(drop), "soh_pct", "8,5"),
            (batt("present=yes soh_pct=-5").map(drop), "soh_pct", "-5"),
            (batt("present=yes soh_pct=NaN").map(drop), "soh_pct", "NaN"),
            (batt("present=yes soh_pct=inf").map(drop), "soh_pct", "inf"),
            (batt("present=yes soh_pct=1e2").map(drop), "soh_pct", "1e2"),
            (batt("present=yes soh_pct=86.").map(drop), "soh_pct", "86."),
            (batt("present=yes soh_pct=.5").map(drop), "soh_pct", ".5"),
            (batt("present=yes temp_c=warm").map(drop), "temp_c", "warm"),
            (batt("present=yes temp_c=--4").map(drop), "temp_c", "--4"),
            (batt("present=maybe").map(drop), "present", "maybe"),
            (batt("present=yes design_mah=").map(drop), "design_mah", ""),
            (
                identity_from_fields(pairs("category=watch make=A model=B")).map(drop),
                "category",
                "watch",
            ),
            (
                identity_from_fields(pairs("category=phone make=A model=B storage_gb=64GB"))
                    .map(drop),
                "storage_gb",
                "64GB",
            ),
            (
                identity_from_fields([("category", "phone"), ("make", " "), ("model", "B")])
                    .map(drop),
                "make",
                " ",
            ),
            (
                lock_from_fields(pairs(
                    "activation=on account=none mdm=none carrier=unlocked",
                ))
                .map(drop),
                "activation",
                "on",
            ),
            (
                lock_from_fields(pairs(
                    "activation=locked account=iCloud mdm=none carrier=unlocked",
                ))
                .map(drop),
                "account",
                "iCloud",
            ),
        ];
        for (result, field, value) in cases {
            match result {
                Err(ReadingError::InvalidValue {
                    field: got_field,
                    value: got_value,
                    ..
                }) => {
                    assert_eq!(got_field, field);
                    assert_eq!(got_value, value);
                }
                other => panic!("{field}={value:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn error_messages_name_reading_field_value_and_next_step() {
        let error = battery_from_fields(pairs("present=yes design_mah=abc"))
            .expect_err("abc is not a number");
        let message = error.to_string();
        for needle in [
            "BATT",
            "design_mah=\"abc\"",
            "whole number",
            "read the slot again",
        ] {
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        let error = lock_from_fields(pairs(
            "activation=on account=none mdm=none carrier=unlocked",
        ))
        .expect_err("on is not a state");
        assert!(
            error.to_string().contains("locked, unlocked, unknown"),
            "{error}"
        );
    }

    #[test]
    fn missing_required_fields_are_named() {
        let cases: Vec<(Result<(), ReadingError>, ReadingKind, &str)> = vec![
            (
                identity_from_fields(pairs("make=A model=B")).map(drop),
                ReadingKind::Ident,
                "category",
            ),
            (
                identity_from_fields(pairs("category=phone model=B")).map(drop),
                ReadingKind::Ident,
                "make",
            ),
            (
                identity_from_fields(pairs("category=phone make=A")).map(drop),
                ReadingKind::Ident,
                "model",
            ),
            (
                battery_from_fields(pairs("design_mah=3000 full_mah=2900")).map(drop),
                ReadingKind::Batt,
                "present",
            ),
            (
                lock_from_fields(pairs("account=none mdm=none carrier=unlocked")).map(drop),
                ReadingKind::Lock,
                "activation",
            ),
            (
                lock_from_fields(pairs("activation=unlocked mdm=none carrier=unlocked")).map(drop),
                ReadingKind::Lock,
                "account",
            ),
            (
                lock_from_fields(pairs("activation=unlocked account=none carrier=unlocked"))
                    .map(drop),
                ReadingKind::Lock,
                "mdm",
            ),
            (
                lock_from_fields(pairs("activation=unlocked account=none mdm=none")).map(drop),
                ReadingKind::Lock,
                "carrier",
            ),
        ];
        for (result, reading, field) in cases {
            assert_eq!(result, Err(ReadingError::MissingField { reading, field }));
            let message = ReadingError::MissingField { reading, field }.to_string();
            assert!(message.contains(&format!("`{field}`")) && message.contains(reading.as_str()));
        }
    }

    #[test]
    fn a_known_field_sent_twice_is_rejected() {
        let result = battery_from_fields(pairs("present=yes cycles=10 cycles=900"));
        assert_eq!(
            result,
            Err(ReadingError::DuplicateField {
                reading: ReadingKind::Batt,
                field: "cycles",
                first: "10".to_owned(),
                second: "900".to_owned(),
            })
        );
        // Unknown keys are not inspected at all, duplicates included.
        assert!(battery_from_fields(pairs("present=yes x=1 x=2")).is_ok());
    }

    #[test]
    fn empty_optional_text_means_not_known() {
        let identity = identity_from_fields([
            ("category", "tablet"),
            ("make", "Samsung"),
            ("model", "Galaxy Tab S8"),
            ("color", ""),
            ("os", " Android "),
        ])
        .expect("valid IDENT");
        assert_eq!(identity.color, None);
        assert_eq!(identity.os.as_deref(), Some("Android"));
    }
}
