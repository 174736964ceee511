//! The station on simulated benches (real pseudo-terminals, real SQLite): every recorded intake holds
//! exactly the values the bench holds, with and without faults.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_bench_protocol::TestOutcome;
use refurbdesk_bench_sim::{
    embedded_scenarios, DeviceProfile, ExpectedBatteryVerdict, ExpectedLockVerdict, FaultKind,
    FaultSpec, Scenario, SimBench, SimOptions, TimelineAction,
};
use refurbdesk_domain::{
    battery_from_fields, identity_from_fields, lock_from_fields, BatteryVerdictKind,
    LockVerdictKind,
};
use refurbdesk_station::{run_station, StationConfig, StationHandle, StationSummary};
use refurbdesk_store::{DeviceFilter, IntakeRecord, Store};

fn scenarios() -> Vec<Scenario> {
    embedded_scenarios()
        .iter()
        .map(|(name, text)| Scenario::from_toml(text, name).expect("fixture scenario loads"))
        .collect()
}

struct Run {
    summary: StationSummary,
    intakes: Vec<IntakeRecord>,
    _dir: tempfile::TempDir,
}

async fn run_station_on(faults: FaultSpec, seed: u64) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut benches = Vec::new();
    for (index, scenario) in scenarios().into_iter().enumerate() {
        let options = SimOptions {
            faults: faults.clone(),
            seed: seed + index as u64,
            speed: 2.0,
        };
        let link = dir.path().join(format!("bench{index}"));
        benches.push(SimBench::start(scenario, &link, options).expect("simulator starts"));
    }
    let db = dir.path().join("station.sqlite");
    let store = Store::open(&db).expect("store opens");
    let mut config = StationConfig::new(
        benches.iter().map(|b| b.link().to_path_buf()).collect(),
        "tester",
    );
    config.until_idle = true;
    config.idle_after = Duration::from_millis(1500);
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
    let (handle, stop) = StationHandle::new();
    let drain = tokio::spawn(async move { while events_rx.recv().await.is_some() {} });
    let summary = tokio::time::timeout(
        Duration::from_secs(120),
        run_station(config, Arc::new(Mutex::new(store)), events_tx, stop),
    )
    .await
    .expect("the station goes idle within two minutes");
    handle.stop();
    drain.await.unwrap();
    drop(benches);

    let store = Store::open(&db).unwrap();
    let mut intakes = Vec::new();
    for device in store.list_devices(&DeviceFilter::default()).unwrap() {
        intakes.extend(store.intakes_for_device(device.id).unwrap());
    }
    Run {
        summary,
        intakes,
        _dir: dir,
    }
}

fn profiles() -> HashMap<(String, u16), DeviceProfile> {
    scenarios()
        .into_iter()
        .flat_map(|s| {
            let serial = s.bench().serial.clone();
            s.devices()
                .iter()
                .map(|d| ((serial.clone(), d.slot), d.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every value of the intake is the one the bench holds for the device in that slot.
fn assert_exact(intake: &IntakeRecord, profiles: &HashMap<(String, u16), DeviceProfile>) {
    let where_ = format!("bench {} slot {}", intake.bench.serial, intake.slot);
    let profile = profiles
        .get(&(intake.bench.serial.clone(), intake.slot))
        .unwrap_or_else(|| panic!("{where_}: no device is defined there"));
    let identity = identity_from_fields(profile.ident.to_fields().iter()).unwrap();
    assert_eq!(intake.identity, identity, "{where_}: identity");
    match &profile.battery {
        Some(fields) => assert_eq!(
            intake.battery.reading,
            battery_from_fields(fields.to_fields().iter()).unwrap(),
            "{where_}: battery reading"
        ),
        None => assert_eq!(intake.battery.verdict, BatteryVerdictKind::Unknown),
    }
    match &profile.lock {
        Some(fields) => assert_eq!(
            intake.lock.reading,
            lock_from_fields(fields.to_fields().iter()).unwrap(),
            "{where_}: lock reading"
        ),
        None => assert_eq!(intake.lock.verdict, LockVerdictKind::Unknown),
    }
    let names: Vec<&str> = intake.tests.iter().map(|t| t.name.as_str()).collect();
    let expected: Vec<&str> = profile.tests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, expected, "{where_}: tests run");
    for test in &intake.tests {
        let spec = profile.test(&test.name).unwrap();
        let outcome = match spec.outcome {
            TestOutcome::Pass => "pass",
            TestOutcome::Fail => "fail",
            TestOutcome::Skip => "skip",
        };
        assert_eq!(test.outcome, outcome, "{where_}: test {}", test.name);
    }
    if let Some(expect) = &profile.expect {
        if let Some(valid) = expect.imei_valid {
            assert_eq!(
                intake.identity.imei_valid,
                Some(valid),
                "{where_}: imei_valid"
            );
        }
        if let Some(soh) = expect.soh_pct {
            assert_eq!(intake.battery.soh_pct_display(), Some(soh), "{where_}: SOH");
        }
        if let Some(verdict) = expect.battery_verdict {
            let expected = match verdict {
                ExpectedBatteryVerdict::Pass => BatteryVerdictKind::Pass,
                ExpectedBatteryVerdict::Replace => BatteryVerdictKind::Replace,
                ExpectedBatteryVerdict::Consumed => BatteryVerdictKind::Consumed,
                ExpectedBatteryVerdict::Unknown => BatteryVerdictKind::Unknown,
                ExpectedBatteryVerdict::Absent => BatteryVerdictKind::Absent,
            };
            assert_eq!(
                intake.battery.verdict, expected,
                "{where_}: battery verdict"
            );
        }
        if let Some(verdict) = expect.lock_verdict {
            let expected = match verdict {
                ExpectedLockVerdict::Clear => LockVerdictKind::Clear,
                ExpectedLockVerdict::Blocked => LockVerdictKind::Blocked,
                ExpectedLockVerdict::Unknown => LockVerdictKind::Unknown,
            };
            assert_eq!(intake.lock.verdict, expected, "{where_}: lock verdict");
        }
    }
    assert!(
        intake.evidence.iter().any(|l| l.line.contains(" IDENT ")),
        "{where_}: the raw IDENT exchange is kept as evidence"
    );
}

/// Devices that are in their slot once the timeline has played out.
fn devices_in_place_at_the_end() -> Vec<(String, u16)> {
    let mut in_place = Vec::new();
    for scenario in scenarios() {
        for device in scenario.devices() {
            let mut present = device.present;
            for step in scenario.timeline().iter().filter(|s| s.slot == device.slot) {
                present = step.action == TimelineAction::Insert;
            }
            if present {
                in_place.push((scenario.bench().serial.clone(), device.slot));
            }
        }
    }
    in_place
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_device_is_recorded_with_the_values_the_bench_holds() {
    let run = run_station_on(FaultSpec::none(), 1).await;
    let profiles = profiles();
    for intake in &run.intakes {
        assert_exact(intake, &profiles);
    }
    for (bench, slot) in devices_in_place_at_the_end() {
        assert!(
            run.intakes
                .iter()
                .any(|i| i.bench.serial == bench && i.slot == slot),
            "bench {bench} slot {slot} was never recorded"
        );
    }
    assert_eq!(run.summary.failed, 0, "no intake fails without faults");
    assert!(run.intakes.len() >= 12, "{} intakes", run.intakes.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_fault_ever_records_a_wrong_value() {
    let profiles = profiles();
    let mut specs: Vec<(String, FaultSpec)> = FaultKind::ALL
        .iter()
        .map(|kind| {
            // A bench that restarts or is unplugged every few lines never finishes an intake;
            // those two stay rare, the line faults are frequent.
            let rate = match kind {
                FaultKind::Reset | FaultKind::Unplug => 0.01,
                _ => 0.08,
            };
            (kind.as_str().to_string(), FaultSpec::only(*kind, rate))
        })
        .collect();
    specs.push(("all".into(), FaultSpec::all()));
    // Each run is its own station on its own simulated benches and database; they run side by
    // side because a run is mostly the scenario's timeline playing out, not work.
    let mut runs = tokio::task::JoinSet::new();
    for (name, spec) in specs {
        runs.spawn(async move {
            let started = std::time::Instant::now();
            let run = run_station_on(spec, 11).await;
            (name, run, started.elapsed())
        });
    }
    while let Some(finished) = runs.join_next().await {
        let (name, run, took) = finished.expect("a fault run panicked");
        eprintln!(
            "faults {name}: {} intakes, {} failed, {took:?}",
            run.intakes.len(),
            run.summary.failed,
        );
        assert!(
            !run.intakes.is_empty(),
            "faults {name}: the station recorded nothing"
        );
        for intake in &run.intakes {
            assert_exact(intake, &profiles);
        }
    }
}
