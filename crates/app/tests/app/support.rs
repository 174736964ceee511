//! What every use-case test needs: a fresh workstation on a real SQLite file in a temp folder.

#![allow(dead_code)]

use refurbdesk_app::{DataPaths, Workstation};

/// A workstation in its own temporary folder; the folder goes when this is dropped.
pub struct TestStation {
    pub dir: tempfile::TempDir,
    pub paths: DataPaths,
}

impl TestStation {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temp folder");
        let paths = DataPaths::under(
            dir.path().join("data"),
            Some(&dir.path().join("station.sqlite")),
        );
        paths.create_dirs().expect("the station's folders");
        Self { dir, paths }
    }

    /// The workstation open as `operator` (None: the operating-system user).
    pub fn open(&self, operator: Option<&str>) -> Workstation {
        Workstation::open(self.paths.clone(), operator.map(str::to_owned))
            .expect("open the station")
    }
}

use chrono::{DateTime, Duration, TimeZone, Utc};
use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
    CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
};
use refurbdesk_store::{BenchInfo, NewIntake, TestRecord};

/// A phone as the PB-8 bench reads it in slot 1: a valid IMEI, a 10,000 mAh design capacity, no
/// account lock, read by ana on 2025-03-14 at 09:00 UTC. Each test sets what it is about.
pub struct Phone {
    pub model: &'static str,
    pub imei: String,
    pub serial: Option<String>,
    pub storage_gb: Option<u32>,
    pub full_mah: u32,
    pub cycles: u32,
    pub mdm: MdmState,
    /// Bench tests: name, `pass`/`fail`/`skip`, the bench's own words.
    pub tests: Vec<(&'static str, &'static str, Option<&'static str>)>,
    pub operator: String,
    pub started: DateTime<Utc>,
}

impl Phone {
    /// An iPhone 15 with `imei`, its battery at 91.5 %, Wi-Fi passed.
    pub fn new(imei: &str) -> Phone {
        Phone {
            model: "iPhone 15",
            imei: imei.to_owned(),
            serial: None,
            storage_gb: None,
            full_mah: 9_150,
            cycles: 200,
            mdm: MdmState::None,
            tests: vec![("wifi", "pass", None)],
            operator: "ana".to_owned(),
            started: Utc.with_ymd_and_hms(2025, 3, 14, 9, 0, 0).unwrap(),
        }
    }

    /// The intake to record, judged as the station would judge it.
    pub fn intake(&self) -> NewIntake {
        let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", self.model);
        identity.imei = Some(self.imei.clone());
        identity.imei_valid = Some(true);
        identity.serial = self.serial.clone();
        identity.storage_gb = self.storage_gb;
        let battery = assess_battery(
            &BatteryReading {
                present: Some(true),
                design_mah: Some(10_000),
                full_mah: Some(self.full_mah),
                cycles: Some(self.cycles),
                ..BatteryReading::default()
            },
            &identity,
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        let lock = assess_lock(&LockReading {
            activation: ActivationLock::Unlocked,
            account: AccountLock::None,
            mdm: self.mdm,
            carrier: CarrierLock::Unlocked,
        });
        NewIntake {
            bench: BenchInfo {
                serial: "PB8-0042".into(),
                vendor: "Acme".into(),
                model: "PB-8".into(),
                fw: "1.4.2".into(),
                port: "/dev/ttyACM0".into(),
            },
            slot: 1,
            identity,
            battery,
            lock,
            tests: self
                .tests
                .iter()
                .map(|(name, outcome, detail)| TestRecord {
                    name: (*name).into(),
                    outcome: (*outcome).into(),
                    detail: detail.map(str::to_owned),
                })
                .collect(),
            evidence: Vec::new(),
            started_at: self.started,
            finished_at: self.started + Duration::seconds(90),
            operator: self.operator.clone(),
        }
    }
}
