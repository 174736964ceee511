//! What the CLI tests share: a station (a temporary home and its SQLite file) with the real
//! binary run on it in a clean environment, phone intakes recorded through the store's API as a
//! bench would have left them, and `--json` output read back.

use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{DateTime, Duration, TimeZone, Utc};
use refurbdesk_domain::{
    assess_battery, assess_lock, luhn_valid, AccountLock, ActivationLock, BatteryPolicy,
    BatteryReading, CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading,
    MdmState,
};
use refurbdesk_store::{BenchInfo, NewIntake, Store, TestRecord};
use serde_json::Value;

/// A temporary home and the database the binary is pointed at.
pub struct Station {
    pub home: tempfile::TempDir,
    pub db: PathBuf,
}

impl Station {
    pub fn new() -> Station {
        let home = tempfile::tempdir().expect("temporary home");
        let db = home.path().join("station.sqlite");
        Station { home, db }
    }

    /// The binary on this station's database in a clean environment: `os-user` is the
    /// logged-in user; no operator, PIN, colour choice or locale comes from the environment
    /// the tests run in; standard input is an empty pipe. Tests add what they are about.
    pub fn cli(&self) -> Command {
        let mut cmd = Command::cargo_bin("refurbdesk").expect("binary built");
        cmd.env("XDG_DATA_HOME", self.home.path().join("share"))
            .env("HOME", self.home.path())
            .env("USER", "os-user")
            .env_remove("LOGNAME")
            .env_remove("USERNAME")
            .env_remove("REFURBDESK_OPERATOR")
            .env_remove("REFURBDESK_PIN")
            .env_remove("NO_COLOR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .env("REFURBDESK_DB", &self.db)
            .write_stdin("");
        cmd
    }

    /// `cli()` with these arguments.
    pub fn run(&self, args: &[&str]) -> Command {
        let mut cmd = self.cli();
        cmd.args(args);
        cmd
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db).expect("store opens")
    }

    /// A plain SQLite connection, for looking (or tampering) behind the store's back.
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).expect("raw connection")
    }
}

/// Standard output as the one JSON document `--json` promises.
pub fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap_or_else(|error| {
        panic!(
            "stdout is not one JSON document ({error}): {}",
            String::from_utf8_lossy(output)
        )
    })
}

/// `minutes` after 2025-03-14 09:00 UTC, the tests' fixed morning.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
        .single()
        .expect("valid date")
        + Duration::minutes(minutes)
}

/// A phone read on bench PB8-0042, built through the domain's own verdicts. The defaults: an
/// unlocked iPhone 12 (IMEI 356728114587211) whose battery holds 2700 of 2815 mAh after 100
/// cycles, Wi-Fi passed, read by ana in slot 1 at 09:00.
pub struct Phone {
    pub imei: &'static str,
    pub serial: Option<String>,
    pub model: &'static str,
    pub design_mah: u32,
    pub full_mah: u32,
    pub cycles: u32,
    pub activation: ActivationLock,
    pub mdm: MdmState,
    pub slot: u16,
    pub tests: Vec<TestRecord>,
    pub evidence: Vec<refurbdesk_store::EvidenceLine>,
    pub minute: i64,
    pub seconds: i64,
    pub operator: &'static str,
}

impl Default for Phone {
    fn default() -> Phone {
        Phone {
            imei: "356728114587211",
            serial: None,
            model: "iPhone 12",
            design_mah: 2815,
            full_mah: 2700,
            cycles: 100,
            activation: ActivationLock::Unlocked,
            mdm: MdmState::None,
            slot: 1,
            tests: vec![test("wifi", "pass", None)],
            evidence: Vec::new(),
            minute: 0,
            seconds: 60,
            operator: "ana",
        }
    }
}

impl Phone {
    pub fn intake(self) -> NewIntake {
        let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", self.model);
        identity.imei = Some(self.imei.to_owned());
        identity.imei_valid = Some(luhn_valid(self.imei));
        identity.serial = self.serial;
        let battery = assess_battery(
            &BatteryReading {
                present: Some(true),
                design_mah: Some(self.design_mah),
                full_mah: Some(self.full_mah),
                cycles: Some(self.cycles),
                ..BatteryReading::default()
            },
            &identity,
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        let lock = assess_lock(&LockReading {
            activation: self.activation,
            account: AccountLock::None,
            mdm: self.mdm,
            carrier: CarrierLock::Unlocked,
        });
        NewIntake {
            bench: BenchInfo {
                serial: "PB8-0042".to_owned(),
                vendor: "Acme".to_owned(),
                model: "PB-8".to_owned(),
                fw: "1.4.2".to_owned(),
                port: "/dev/ttyACM0".to_owned(),
            },
            slot: self.slot,
            identity,
            battery,
            lock,
            tests: self.tests,
            evidence: self.evidence,
            started_at: at(self.minute),
            finished_at: at(self.minute) + Duration::seconds(self.seconds),
            operator: self.operator.to_owned(),
        }
    }
}

/// A bench test result.
pub fn test(name: &str, outcome: &str, detail: Option<&str>) -> TestRecord {
    TestRecord {
        name: name.to_owned(),
        outcome: outcome.to_owned(),
        detail: detail.map(str::to_owned),
    }
}
