//! The laptop agent: run on a laptop under test (booted into a live system), it reads the laptop's
//! own battery (`class/power_supply/BAT*/`), its DMI identity (`class/dmi/id/`) and its drives
//! (`block/`) from sysfs, into a [`LaptopReading`] the workstation records as an intake.
//!
//! Anything that cannot be read is `None` (unknown), never guessed: a file missing or not
//! readable (DMI serials are root's only), a value that does not parse, or one of the
//! placeholders firmware leaves in DMI fields ("To Be Filled By O.E.M."). Every file read is
//! kept as evidence, with what it held, and every one that could not be read is named.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use refurbdesk_domain::BatteryReading;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod serve;

/// The `format` of an intake file the agent writes.
pub const FORMAT: &str = "refurbdesk-laptop-intake/1";

/// Where sysfs is on a running system.
pub const SYSFS: &str = "/sys";

/// What the agent read of one laptop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaptopReading {
    /// Always [`FORMAT`].
    pub format: String,
    /// This reading's own id (UUID v7), written by the agent: the workstation records a file
    /// once. Files of agents older than the id have none and are recorded as they come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading_id: Option<Uuid>,
    pub read_at: DateTime<Utc>,
    /// The sysfs tree read (`/sys` on a laptop).
    pub sysfs_root: String,
    pub dmi: Dmi,
    /// The first battery (`BAT0`, else the first `BAT*`); `None`: the laptop has none.
    pub battery: Option<Battery>,
    /// The drives, removable ones included (a USB stick holding the live system is one).
    pub drives: Vec<Drive>,
    /// Each file read and what it held (trimmed).
    pub evidence: Vec<Evidence>,
    /// The files looked for that could not be read.
    pub unreadable: Vec<String>,
}

/// The machine's identity as DMI gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dmi {
    pub sys_vendor: Option<String>,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub product_sku: Option<String>,
    pub product_serial: Option<String>,
    pub board_vendor: Option<String>,
    pub board_name: Option<String>,
    pub bios_version: Option<String>,
}

/// One battery, in the units sysfs gives: µWh for `energy_*`, µAh for `charge_*`, µV.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Battery {
    /// `BAT0`.
    pub name: String,
    pub present: Option<bool>,
    pub energy_full_design_uwh: Option<u64>,
    pub energy_full_uwh: Option<u64>,
    pub charge_full_design_uah: Option<u64>,
    pub charge_full_uah: Option<u64>,
    pub voltage_min_design_uv: Option<u64>,
    pub voltage_now_uv: Option<u64>,
    pub cycle_count: Option<u32>,
    pub technology: Option<String>,
    pub manufacturer: Option<String>,
    pub model_name: Option<String>,
    pub serial_number: Option<String>,
}

/// One block device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drive {
    /// `nvme0n1`, `sda`.
    pub name: String,
    pub size_bytes: Option<u64>,
    pub removable: Option<bool>,
    pub rotational: Option<bool>,
    pub model: Option<String>,
    pub serial: Option<String>,
}

/// One file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Relative to the sysfs root, e.g. `class/power_supply/BAT0/energy_full`.
    pub file: String,
    pub value: String,
}

/// Why an intake file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a laptop intake file: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} is a {found:?} file; this workstation reads {FORMAT:?}")]
    Format { path: PathBuf, found: String },
}

impl LaptopReading {
    /// Reads an intake file the agent wrote.
    pub fn load(path: &Path) -> Result<Self, FileError> {
        let text = std::fs::read_to_string(path).map_err(|source| FileError::Io {
            path: path.to_owned(),
            source,
        })?;
        let reading: LaptopReading =
            serde_json::from_str(&text).map_err(|source| FileError::Json {
                path: path.to_owned(),
                source,
            })?;
        if reading.format != FORMAT {
            return Err(FileError::Format {
                path: path.to_owned(),
                found: reading.format,
            });
        }
        Ok(reading)
    }

    /// The battery as the domain judges it: energies in mWh when sysfs gives `energy_*`, else
    /// charges in mAh; a laptop with no battery reads as absent.
    pub fn battery_reading(&self) -> BatteryReading {
        let Some(battery) = &self.battery else {
            return BatteryReading {
                present: Some(false),
                source: Some("sysfs".to_owned()),
                ..BatteryReading::default()
            };
        };
        let milli = |micro: Option<u64>| micro.and_then(|v| u32::try_from(v / 1000).ok());
        BatteryReading {
            present: battery.present.or(Some(true)),
            design_mwh: milli(battery.energy_full_design_uwh),
            full_mwh: milli(battery.energy_full_uwh),
            design_mah: milli(battery.charge_full_design_uah),
            full_mah: milli(battery.charge_full_uah),
            cycles: battery.cycle_count,
            soh_pct: None,
            temp_c: None,
            voltage_mv: milli(battery.voltage_now_uv),
            source: Some(format!("sysfs:{}", battery.name)),
        }
    }

    /// What the drives hold in all, in whole gigabytes (10⁹ bytes, as drives are sold), counting
    /// the fixed drives only; `None` when no fixed drive's size is known.
    pub fn storage_gb(&self) -> Option<u32> {
        let fixed: Vec<u64> = self
            .drives
            .iter()
            .filter(|d| d.removable == Some(false))
            .filter_map(|d| d.size_bytes)
            .collect();
        if fixed.is_empty() {
            return None;
        }
        let total: u64 = fixed.iter().sum();
        u32::try_from((total + 500_000_000) / 1_000_000_000).ok()
    }

    /// The make, model and model code: Lenovo puts the marketing name in `product_version` and
    /// the machine type in `product_name`; everyone else the name in `product_name`.
    pub fn make_model(&self) -> (Option<String>, Option<String>, Option<String>) {
        let dmi = &self.dmi;
        let make = dmi.sys_vendor.clone();
        let lenovo = make
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("lenovo"));
        if lenovo && dmi.product_version.is_some() {
            (make, dmi.product_version.clone(), dmi.product_name.clone())
        } else {
            (make, dmi.product_name.clone(), dmi.product_sku.clone())
        }
    }
}

/// Values firmware leaves in DMI fields it was never given: read, but saying nothing.
const PLACEHOLDERS: &[&str] = &[
    "to be filled by o.e.m.",
    "to be filled by oem",
    "default string",
    "system serial number",
    "system product name",
    "system manufacturer",
    "system version",
    "not specified",
    "not applicable",
    "none",
    "n/a",
    "0123456789",
    "123456789",
    "0",
];

fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    lower.is_empty() || PLACEHOLDERS.contains(&lower.as_str()) || lower.chars().all(|c| c == 'x')
}

/// Reads files under one sysfs root, keeping what was read and what was not.
struct Reader<'a> {
    root: &'a Path,
    evidence: Vec<Evidence>,
    unreadable: Vec<String>,
}

impl Reader<'_> {
    /// The file's text, trimmed; `None` (and noted) when it cannot be read or is empty.
    fn text(&mut self, file: &str) -> Option<String> {
        match std::fs::read(self.root.join(file)) {
            Ok(bytes) => {
                let value = String::from_utf8_lossy(&bytes)
                    .trim_matches(|c: char| c.is_whitespace() || c == '\0')
                    .to_owned();
                self.evidence.push(Evidence {
                    file: file.to_owned(),
                    value: value.clone(),
                });
                (!value.is_empty()).then_some(value)
            }
            Err(_) => {
                self.unreadable.push(file.to_owned());
                None
            }
        }
    }

    fn dmi(&mut self, field: &str) -> Option<String> {
        self.text(&format!("class/dmi/id/{field}"))
            .filter(|v| !is_placeholder(v))
    }

    fn number<T: std::str::FromStr>(&mut self, file: &str) -> Option<T> {
        self.text(file)?.parse().ok()
    }

    fn flag(&mut self, file: &str) -> Option<bool> {
        match self.text(file)?.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        }
    }

    /// The names in a directory, sorted; empty when it cannot be listed.
    fn names(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join(dir))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// Reads the laptop whose sysfs is at `root` (`/sys` on the laptop itself).
pub fn read(root: &Path) -> LaptopReading {
    let mut reader = Reader {
        root,
        evidence: Vec::new(),
        unreadable: Vec::new(),
    };
    let dmi = Dmi {
        sys_vendor: reader.dmi("sys_vendor"),
        product_name: reader.dmi("product_name"),
        product_version: reader.dmi("product_version"),
        product_sku: reader.dmi("product_sku"),
        product_serial: reader.dmi("product_serial"),
        board_vendor: reader.dmi("board_vendor"),
        board_name: reader.dmi("board_name"),
        bios_version: reader.dmi("bios_version"),
    };
    let supplies = reader.names("class/power_supply");
    let battery_name = supplies
        .iter()
        .find(|n| n.as_str() == "BAT0")
        .or_else(|| supplies.iter().find(|n| n.starts_with("BAT")))
        .cloned();
    let battery = battery_name.map(|name| {
        let dir = format!("class/power_supply/{name}");
        Battery {
            present: reader.flag(&format!("{dir}/present")),
            energy_full_design_uwh: reader.number(&format!("{dir}/energy_full_design")),
            energy_full_uwh: reader.number(&format!("{dir}/energy_full")),
            charge_full_design_uah: reader.number(&format!("{dir}/charge_full_design")),
            charge_full_uah: reader.number(&format!("{dir}/charge_full")),
            voltage_min_design_uv: reader.number(&format!("{dir}/voltage_min_design")),
            voltage_now_uv: reader.number(&format!("{dir}/voltage_now")),
            cycle_count: reader.number(&format!("{dir}/cycle_count")),
            technology: reader.text(&format!("{dir}/technology")),
            manufacturer: reader.text(&format!("{dir}/manufacturer")),
            model_name: reader.text(&format!("{dir}/model_name")),
            serial_number: reader
                .text(&format!("{dir}/serial_number"))
                .filter(|v| !is_placeholder(v)),
            name,
        }
    });
    let mut drives = Vec::new();
    for name in reader.names("block") {
        // Not drives: loop devices, RAM disks, device-mapper and RAID volumes, optical drives.
        if ["loop", "ram", "zram", "dm-", "md", "sr", "fd"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            continue;
        }
        let dir = format!("block/{name}");
        let sectors: Option<u64> = reader.number(&format!("{dir}/size"));
        drives.push(Drive {
            size_bytes: sectors.map(|s| s * 512),
            removable: reader.flag(&format!("{dir}/removable")),
            rotational: reader.flag(&format!("{dir}/queue/rotational")),
            model: reader.text(&format!("{dir}/device/model")),
            serial: reader
                .text(&format!("{dir}/device/serial"))
                .filter(|v| !is_placeholder(v)),
            name,
        });
    }
    LaptopReading {
        format: FORMAT.to_owned(),
        reading_id: Some(Uuid::now_v7()),
        read_at: Utc::now(),
        sysfs_root: root.display().to_string(),
        dmi,
        battery,
        drives,
        evidence: reader.evidence,
        unreadable: reader.unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/sysfs")
            .join(name)
    }

    #[test]
    fn a_laptop_reporting_energy_reads_in_milliwatt_hours_with_its_lenovo_name() {
        let reading = read(&fixture("laptop-energy"));
        let (make, model, code) = reading.make_model();
        assert_eq!(make.as_deref(), Some("LENOVO"));
        assert_eq!(model.as_deref(), Some("ThinkPad T14 Gen 1"));
        assert_eq!(code.as_deref(), Some("20S0000AUS"));
        assert_eq!(reading.dmi.product_serial.as_deref(), Some("PF2ABCDE"));
        let battery = reading.battery_reading();
        assert_eq!(battery.design_mwh, Some(50_500));
        assert_eq!(battery.full_mwh, Some(41_210));
        assert_eq!(battery.design_mah, None);
        assert_eq!(battery.cycles, Some(318));
        assert_eq!(battery.source.as_deref(), Some("sysfs:BAT0"));
        let bat = reading.battery.as_ref().unwrap();
        assert_eq!(bat.manufacturer.as_deref(), Some("SMP"));
        assert_eq!(bat.serial_number.as_deref(), Some("1234"));
        // The NVMe SSD is fixed, the live system's USB stick is not; loop devices are no drives.
        assert_eq!(reading.drives.len(), 2, "{:?}", reading.drives);
        assert_eq!(reading.storage_gb(), Some(512));
        assert!(reading
            .evidence
            .iter()
            .any(|e| e.file == "class/power_supply/BAT0/energy_full" && e.value == "41210000"));
    }

    #[test]
    fn a_laptop_reporting_charge_reads_in_milliamp_hours_and_placeholders_are_unknown() {
        let reading = read(&fixture("laptop-charge"));
        let (make, model, _) = reading.make_model();
        assert_eq!(make.as_deref(), Some("Dell Inc."));
        assert_eq!(model.as_deref(), Some("Latitude 5490"));
        // "To Be Filled By O.E.M." is no serial.
        assert_eq!(reading.dmi.product_serial, None);
        let battery = reading.battery_reading();
        assert_eq!(battery.design_mah, Some(4_000));
        assert_eq!(battery.full_mah, Some(3_100));
        assert_eq!(battery.design_mwh, None);
        // No cycle_count file: unknown, not zero.
        assert_eq!(battery.cycles, None);
        assert!(reading
            .unreadable
            .contains(&"class/power_supply/BAT0/cycle_count".to_owned()));
        assert_eq!(reading.storage_gb(), Some(256));
    }

    #[test]
    fn a_laptop_without_a_battery_reads_as_absent() {
        let reading = read(&fixture("laptop-no-battery"));
        assert_eq!(reading.battery, None);
        assert_eq!(reading.battery_reading().present, Some(false));
        assert_eq!(
            reading.make_model().1.as_deref(),
            Some("HP EliteBook 840 G5")
        );
    }

    #[test]
    fn an_intake_file_round_trips_and_another_format_is_refused() {
        let dir = std::env::temp_dir().join(format!("agent-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let reading = read(&fixture("laptop-energy"));
        let file = dir.join("laptop.json");
        std::fs::write(&file, serde_json::to_string(&reading).unwrap()).unwrap();
        assert_eq!(LaptopReading::load(&file).unwrap(), reading);
        let mut other = serde_json::to_value(&reading).unwrap();
        other["format"] = "something-else/2".into();
        std::fs::write(&file, other.to_string()).unwrap();
        assert!(matches!(
            LaptopReading::load(&file),
            Err(FileError::Format { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
