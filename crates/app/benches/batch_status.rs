//! `batch status` and `batch audit` on a large batch (issue 17): a manifest of N device lines
//! (10,000 by default) imported on a fresh station, 90 % of its devices received (each through
//! intake first, as at the bench), two thirds of those graded after their receipt, and a few
//! extra devices; then it times, over several runs:
//!
//! - `status`: `batches::status`, what `refurbdesk batch status` and the Batches screen show;
//! - `audit`: `batches::audit`, declared vs found and the revision of every audited line.
//!
//! Both read the batch's records with a handful of queries whatever its size (not a few per
//! line). The target is ≤ 1 s for either at 10,000 lines (docs/performance.md, "Batch status").
//! The set-up (intakes, scans, grades) is not timed. Not run in CI:
//!
//! ```sh
//! cargo bench -p refurbdesk-app --bench batch_status            # 10,000 lines, 3 runs
//! cargo bench -p refurbdesk-app --bench batch_status -- 2000 5  # lines, runs
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use refurbdesk_app::batches::{self, AuditParams, BatchRef, ImportBatchParams, ManifestInput};
use refurbdesk_app::customers::{self, AddCustomerParams};
use refurbdesk_app::grade::{self, GradeParams};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::{
    assess_battery, assess_lock, luhn_valid, AccountLock, ActivationLock, BatteryPolicy,
    BatteryReading, CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, Lang, LockReading,
    MdmState,
};
use refurbdesk_store::{BenchInfo, NewIntake, TestRecord};

fn imei(body: u64) -> String {
    let body = format!("{body:014}");
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit passes")
}

fn device_imei(n: u64) -> String {
    imei(35_000_000_000_000 + n)
}

fn manifest(lines: u64) -> String {
    let mut text = String::with_capacity(lines as usize * 100);
    text.push_str(
        "imei;serial;category;make;model;storage_gb;declared_grade;quoted_price;accessories\n",
    );
    let grades = ["FUNCTIONAL_GOOD", "FUNCTIONAL_USED", "FUNCTIONAL_FLAWLESS"];
    for n in 0..lines {
        let _ = writeln!(
            text,
            "{};SN{n:010};phone;Apple;iPhone 12;128;{};{},{:02};charger",
            device_imei(n),
            grades[(n % 3) as usize],
            100 + n % 400,
            n % 100
        );
    }
    text
}

/// The intake of phone `n`, as a bench reads it (every few phones with less storage than
/// declared or a worn battery, so revisions have adjustments to compute).
fn intake(n: u64) -> NewIntake {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    identity.imei = Some(device_imei(n));
    identity.imei_valid = Some(true);
    identity.storage_gb = Some(if n.is_multiple_of(7) { 64 } else { 128 });
    let battery = assess_battery(
        &BatteryReading {
            present: Some(true),
            design_mah: Some(10_000),
            full_mah: Some(if n.is_multiple_of(5) { 7_000 } else { 9_200 }),
            cycles: Some(300),
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
    let started = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
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
        tests: vec![TestRecord {
            name: "wifi".into(),
            outcome: "pass".into(),
            detail: None,
        }],
        evidence: Vec::new(),
        started_at: started,
        finished_at: started + chrono::Duration::seconds(90),
        operator: "bench".into(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let lines: u64 = args.first().map_or(Ok(10_000), |n| n.parse())?;
    let runs: usize = args.get(1).map_or(Ok(3), |n| n.parse())?;
    let received = lines * 9 / 10;
    let graded = received * 2 / 3;
    let extra = 20.min(lines);

    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("manifest.csv");
    std::fs::write(&file, manifest(lines))?;
    let paths = DataPaths::under(
        dir.path().join("data"),
        Some(&dir.path().join("station.sqlite")),
    );
    paths.create_dirs()?;
    let mut ws = Workstation::open(paths, None)?;
    customers::add(
        &mut ws,
        AddCustomerParams {
            name: "Bench Leasing".into(),
            ..Default::default()
        },
    )?;
    let batch = batches::import(
        &mut ws,
        ImportBatchParams {
            manifest: ManifestInput::File { path: file },
            customer: "Bench Leasing".into(),
            quote_date: None,
            lang: Lang::En,
        },
    )?;
    let intakes: Vec<NewIntake> = (0..received)
        .chain(lines..lines + extra)
        .map(intake)
        .collect();
    ws.store.record_intakes(&intakes)?;
    let actor = ws.actor()?;
    for n in (0..received).chain(lines..lines + extra) {
        ws.store.receive(batch.id, &device_imei(n), &actor)?;
    }
    for n in 0..graded {
        grade::record(
            &mut ws,
            GradeParams {
                device: device_imei(n),
                checks: BTreeMap::new(),
                cosmetic: BTreeMap::new(),
                photos: Vec::new(),
                policy: None,
                partial: true,
                explain: false,
                lang: Lang::En,
            },
        )?;
    }
    println!(
        "batch status: {lines} lines, {received} received, {graded} graded, {extra} extra; \
         set up in {:.1} s; {runs} runs",
        started.elapsed().as_secs_f64()
    );

    let reference = BatchRef {
        batch: batch.id.to_string(),
    };
    let audit_params = AuditParams {
        batch: batch.id.to_string(),
        lang: Lang::En,
    };
    let (mut status, mut audit) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let found = batches::status(&ws, &reference)?;
        status.push(started.elapsed());
        assert_eq!(u64::from(found.received), received);
        assert_eq!(u64::from(found.audited), graded);
        assert_eq!(u64::from(found.extra), extra);

        let started = Instant::now();
        let found = batches::audit(&ws, &audit_params)?;
        audit.push(started.elapsed());
        assert_eq!(found.lines.len() as u64, lines);
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    println!(
        "status  {:>8.3} s (median; target ≤ 1 s at 10,000 lines)",
        median(&mut status).as_secs_f64()
    );
    println!(
        "audit   {:>8.3} s (median; target ≤ 1 s at 10,000 lines)",
        median(&mut audit).as_secs_f64()
    );
    Ok(())
}
