//! Builders shared by the integration tests: real domain assessments, real
//! database files in temporary folders.

#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
    CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
};
use refurbdesk_store::{BenchInfo, Direction, EvidenceLine, NewIntake, Store, TestRecord};
use tempfile::TempDir;

/// A spec-example IMEI that passes the Luhn check.
pub const IMEI: &str = "356728114587211";
pub const OTHER_IMEI: &str = "490154203237518";

pub struct TestDb {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("station.db");
        TestDb { dir, path }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.path).expect("store opens")
    }

    /// A plain connection that goes around the store, as a tamperer would.
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).expect("raw connection opens")
    }
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
        .single()
        .expect("valid date")
        + Duration::minutes(minutes)
}

pub fn bench() -> BenchInfo {
    BenchInfo {
        serial: "PB8-0042".to_owned(),
        vendor: "Acme".to_owned(),
        model: "PB-8".to_owned(),
        fw: "1.4.2".to_owned(),
        port: "/dev/ttyACM0".to_owned(),
    }
}

pub fn phone(imei: Option<&str>, serial: Option<&str>) -> DeviceIdentity {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    identity.model_code = Some("iPhone13,2".to_owned());
    identity.imei = imei.map(str::to_owned);
    identity.imei_valid = imei.map(refurbdesk_domain::luhn_valid);
    identity.serial = serial.map(str::to_owned);
    identity.storage_gb = Some(128);
    identity
}

/// A complete intake of `identity`, battery health `full_mah`/2815, started
/// `minute` minutes into the test day.
pub fn intake_of(
    identity: DeviceIdentity,
    full_mah: u32,
    minute: i64,
    operator: &str,
) -> NewIntake {
    let reading = BatteryReading {
        present: Some(true),
        design_mah: Some(2815),
        full_mah: Some(full_mah),
        cycles: Some(611),
        source: Some("gasgauge".to_owned()),
        ..BatteryReading::default()
    };
    let battery = assess_battery(
        &reading,
        &identity,
        &BatteryPolicy::default(),
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&LockReading {
        activation: ActivationLock::Unlocked,
        account: AccountLock::None,
        mdm: MdmState::None,
        carrier: CarrierLock::Unlocked,
    });
    NewIntake {
        bench: bench(),
        slot: 3,
        identity,
        battery,
        lock,
        tests: vec![
            TestRecord {
                name: "wifi".to_owned(),
                outcome: "pass".to_owned(),
                detail: None,
            },
            TestRecord {
                name: "camera_rear".to_owned(),
                outcome: "fail".to_owned(),
                detail: Some("no focus".to_owned()),
            },
        ],
        evidence: vec![
            EvidenceLine {
                at: at(minute),
                direction: Direction::Host,
                line: "2 IDENT 3*74".to_owned(),
            },
            EvidenceLine {
                at: at(minute),
                direction: Direction::Bench,
                line:
                    "3 OK present=yes design_mah=2815 full_mah=2421 cycles=611 source=gasgauge*00"
                        .to_owned(),
            },
        ],
        started_at: at(minute),
        finished_at: at(minute) + Duration::seconds(95),
        operator: operator.to_owned(),
    }
}

pub fn phone_intake(imei: Option<&str>, serial: Option<&str>, minute: i64) -> NewIntake {
    intake_of(phone(imei, serial), 2421, minute, "ana")
}

/// Lets a test edit the audit log directly, as someone with the file and
/// an SQLite shell could.
pub fn drop_append_only_triggers(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP TRIGGER audit_log_append_only_update;
         DROP TRIGGER audit_log_append_only_delete;
         DROP TRIGGER intakes_append_only_update;
         DROP TRIGGER intakes_append_only_delete;",
    )
    .expect("triggers dropped");
}
