//! Stations with real SQLite stores, intakes built from the domain's own verdicts, and a fresh
//! site database on the shared test server.

#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use refurbdesk_domain::{
    assess_battery, assess_lock, luhn_valid, AccountLock, ActivationLock, BatteryPolicy,
    BatteryReading, CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading,
    MdmState,
};
use refurbdesk_pg_test::PgServer;
use refurbdesk_site::{PushOptions, PushReport, Site};
use refurbdesk_store::{BenchInfo, Direction, EvidenceLine, NewIntake, Store, TestRecord};

/// One station: its folder and its store.
pub struct Station {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl Station {
    pub fn new() -> Station {
        let dir = tempfile::tempdir().expect("temporary folder");
        let store = Store::open(&dir.path().join("station.sqlite")).expect("store opens");
        Station { dir, store }
    }

    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("station.sqlite")).expect("raw")
    }

    /// Records `count` phone intakes, the `n`-th with IMEI number `first + n`.
    pub fn intakes(&mut self, first: u64, count: u64) {
        let intakes: Vec<NewIntake> = (first..first + count).map(phone_intake).collect();
        self.store
            .record_intakes(&intakes)
            .expect("intakes recorded");
    }

    pub fn push(&self, site: &mut Site) -> PushReport {
        site.push(&self.store, PushOptions::default(), &mut |_| true)
            .expect("push")
    }
}

/// A site database of its own on the shared server, with its schema.
pub fn site() -> (String, Site) {
    let url = PgServer::shared().fresh_database();
    let mut site = Site::connect(&url).expect("connects");
    site.init().expect("init");
    (url, site)
}

/// A plain client, to look (or tamper) behind the site's back.
pub fn raw(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("raw client")
}

pub fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).expect("count").get(0)
}

/// A Luhn-valid IMEI made from a number.
pub fn imei(number: u64) -> String {
    let body = format!("35{:012}", number % 1_000_000_000_000);
    let check = (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("a check digit");
    check
}

pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
        .single()
        .expect("valid date")
        + Duration::minutes(minutes)
}

/// A phone intake with evidence lines, read by ana.
pub fn phone_intake(number: u64) -> NewIntake {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    let imei = imei(number);
    identity.imei_valid = Some(luhn_valid(&imei));
    identity.imei = Some(imei);
    let battery = assess_battery(
        &BatteryReading {
            present: Some(true),
            design_mah: Some(2815),
            full_mah: Some(2400 + (number % 400) as u32),
            cycles: Some(100 + (number % 700) as u32),
            ..BatteryReading::default()
        },
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
    let minute = number as i64;
    NewIntake {
        bench: BenchInfo {
            serial: "PB8-0042".to_owned(),
            vendor: "Acme".to_owned(),
            model: "PB-8".to_owned(),
            fw: "1.4.2".to_owned(),
            port: "/dev/ttyACM0".to_owned(),
        },
        slot: 1 + (number % 8) as u16,
        identity,
        battery,
        lock,
        tests: vec![TestRecord {
            name: "wifi".to_owned(),
            outcome: "pass".to_owned(),
            detail: None,
        }],
        evidence: vec![
            EvidenceLine {
                at: at(minute),
                direction: Direction::Host,
                line: "2 IDENT 3*74".to_owned(),
            },
            EvidenceLine {
                at: at(minute),
                direction: Direction::Bench,
                line: "3 OK present=yes design_mah=2815 \"quoted\" \\ é*00".to_owned(),
            },
        ],
        started_at: at(minute),
        finished_at: at(minute) + Duration::seconds(80),
        operator: "ana".to_owned(),
    }
}
