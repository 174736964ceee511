//! The scenario fixtures: they load, they are the ones embedded, they cover the edge cases the
//! host must handle, and their `expect` tables agree with the spec's rules.

use std::path::PathBuf;

use refurbdesk_bench_sim::{
    embedded_scenarios, BatteryFields, DeviceProfile, ExpectedBatteryVerdict, ExpectedLockVerdict,
    LockFields, Scenario, ScenarioError, TimelineAction,
};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/benches")
}

fn all_scenarios() -> Vec<Scenario> {
    embedded_scenarios()
        .iter()
        .map(|(name, text)| {
            Scenario::from_toml(text, name).unwrap_or_else(|error| panic!("{name}: {error}"))
        })
        .collect()
}

fn all_devices() -> Vec<DeviceProfile> {
    all_scenarios()
        .iter()
        .flat_map(|scenario| scenario.devices().to_vec())
        .collect()
}

#[test]
fn every_fixture_file_is_embedded_verbatim_and_loads() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures/benches exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = embedded_scenarios()
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
    for (name, text) in embedded_scenarios() {
        let path = fixtures_dir().join(name);
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some(*text));
        let loaded = Scenario::load(&path).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(loaded.origin(), path.display().to_string());
        assert!(!loaded.devices().is_empty(), "{name}");
    }
}

#[test]
fn fixtures_hold_at_least_twelve_devices_of_every_category() {
    let devices = all_devices();
    assert!(devices.len() >= 12, "{} devices", devices.len());
    for category in ["phone", "tablet", "laptop", "desktop", "monitor"] {
        assert!(
            devices
                .iter()
                .any(|device| device.ident.category.as_deref() == Some(category)),
            "no {category}"
        );
    }
    for device in &devices {
        assert!(
            device.expect.is_some(),
            "slot {} has no expect",
            device.slot
        );
        assert!(
            !device.tests.is_empty(),
            "slot {} has no tests",
            device.slot
        );
    }
}

fn pair(full: &Option<String>, design: &Option<String>) -> Option<f64> {
    let full: u64 = full.as_deref()?.parse().ok()?;
    let design: u64 = design.as_deref()?.parse().ok()?;
    (design > 0).then(|| (full * 100) as f64 / design as f64)
}

/// Spec §4: mAh pair first, else mWh pair, else the bench's figure.
fn soh(battery: &BatteryFields) -> Option<f64> {
    pair(&battery.full_mah, &battery.design_mah)
        .or_else(|| pair(&battery.full_mwh, &battery.design_mwh))
        .or_else(|| battery.soh_pct.as_deref()?.parse().ok())
}

fn disagreement(battery: &BatteryFields) -> bool {
    let computed = pair(&battery.full_mah, &battery.design_mah)
        .or_else(|| pair(&battery.full_mwh, &battery.design_mwh));
    let reported: Option<f64> = battery.soh_pct.as_deref().and_then(|pct| pct.parse().ok());
    matches!((computed, reported), (Some(computed), Some(reported)) if (computed - reported).abs() > 3.0)
}

fn battery_verdict(battery: Option<&BatteryFields>) -> ExpectedBatteryVerdict {
    let Some(battery) = battery else {
        return ExpectedBatteryVerdict::Unknown;
    };
    if battery.present.as_deref() == Some("no") {
        return ExpectedBatteryVerdict::Absent;
    }
    match soh(battery) {
        None => ExpectedBatteryVerdict::Unknown,
        Some(pct) if pct >= 85.0 => ExpectedBatteryVerdict::Pass,
        Some(pct) if pct >= 80.0 => ExpectedBatteryVerdict::Replace,
        Some(_) => ExpectedBatteryVerdict::Consumed,
    }
}

fn lock_verdict(lock: Option<&LockFields>) -> ExpectedLockVerdict {
    let Some(lock) = lock else {
        return ExpectedLockVerdict::Unknown;
    };
    let activation = lock.activation.as_deref().unwrap_or("unknown");
    let account = lock.account.as_deref().unwrap_or("unknown");
    let mdm = lock.mdm.as_deref().unwrap_or("unknown");
    if activation == "locked" || !matches!(account, "none" | "unknown") || mdm == "enrolled" {
        ExpectedLockVerdict::Blocked
    } else if [activation, account, mdm].contains(&"unknown") {
        ExpectedLockVerdict::Unknown
    } else {
        ExpectedLockVerdict::Clear
    }
}

#[test]
fn expect_tables_agree_with_the_spec_rules() {
    for device in all_devices() {
        let name = format!(
            "{} {} (slot {})",
            device.ident.make.as_deref().unwrap_or("?"),
            device.ident.model.as_deref().unwrap_or("?"),
            device.slot
        );
        let expect = device.expect.clone().unwrap_or_default();
        assert_eq!(
            expect.imei_valid,
            device
                .ident
                .imei
                .as_deref()
                .map(refurbdesk_domain::luhn_valid),
            "{name}: imei_valid"
        );
        let computed = device.battery.as_ref().and_then(soh);
        // Shown rounded down to a tenth, never better than the verdict (84.96 → 84.9).
        let rounded = computed.map(|pct| {
            let nearest = (pct * 10.0).round();
            if nearest / 10.0 <= pct {
                nearest / 10.0
            } else {
                (nearest - 1.0) / 10.0
            }
        });
        assert_eq!(expect.soh_pct, rounded, "{name}: soh_pct");
        assert_eq!(
            expect.battery_verdict,
            Some(battery_verdict(device.battery.as_ref())),
            "{name}: battery_verdict"
        );
        assert_eq!(
            expect.lock_verdict,
            Some(lock_verdict(device.lock.as_ref())),
            "{name}: lock_verdict"
        );
        assert_eq!(
            expect.soh_disagreement.unwrap_or(false),
            device.battery.as_ref().is_some_and(disagreement),
            "{name}: soh_disagreement"
        );
    }
}

#[test]
fn fixtures_cover_the_edge_cases() {
    let devices = all_devices();
    let any = |check: &dyn Fn(&DeviceProfile) -> bool| devices.iter().any(check);
    let lock = |device: &DeviceProfile, pick: fn(&LockFields) -> &Option<String>, value: &str| {
        device
            .lock
            .as_ref()
            .is_some_and(|lock| pick(lock).as_deref() == Some(value))
    };
    for account in [
        "icloud", "google", "samsung", "xiaomi", "other", "none", "unknown",
    ] {
        assert!(
            any(&|device| lock(device, |l| &l.account, account)),
            "account={account}"
        );
    }
    assert!(any(&|device| lock(device, |l| &l.activation, "locked")));
    assert!(any(&|device| lock(device, |l| &l.mdm, "enrolled")));
    assert!(any(&|device| lock(device, |l| &l.mdm, "unknown")));
    assert!(any(&|device| lock(device, |l| &l.carrier, "locked")));
    assert!(
        any(&|device| device.lock.is_none()),
        "a device whose locks the bench cannot read"
    );

    let imeis: Vec<bool> = devices
        .iter()
        .filter_map(|device| {
            device
                .ident
                .imei
                .as_deref()
                .map(refurbdesk_domain::luhn_valid)
        })
        .collect();
    assert!(imeis.iter().filter(|&&valid| valid).count() >= 5);
    assert!(imeis.contains(&false), "an IMEI failing Luhn");

    let battery = |device: &DeviceProfile| device.battery.clone().unwrap_or_default();
    let exact_pair = |full: &str, design: &str| {
        any(&|device| {
            battery(device).full_mah.as_deref() == Some(full)
                && battery(device).design_mah.as_deref() == Some(design)
        })
    };
    assert!(exact_pair("2550", "3000"), "SOH exactly at 85 %");
    assert!(exact_pair("2548", "2999"), "SOH at 84.96 %");
    assert!(any(&|device| {
        let battery = battery(device);
        battery.soh_pct.is_some() && battery.design_mah.is_none() && battery.design_mwh.is_none()
    }));
    assert!(any(&|device| device
        .battery
        .as_ref()
        .is_some_and(disagreement)));
    assert!(any(&|device| {
        battery(device).present.as_deref() == Some("yes") && battery(device).cycles.is_none()
    }));
    assert!(any(
        &|device| battery(device).design_mwh.is_some() && battery(device).design_mah.is_none()
    ));
    assert!(any(&|device| !device
        .ident
        .model
        .as_deref()
        .unwrap_or("")
        .is_ascii()));
    assert!(any(&|device| device.ident.imei2.is_some()));

    let steps: Vec<TimelineAction> = all_scenarios()
        .iter()
        .flat_map(|scenario| {
            scenario
                .timeline()
                .iter()
                .map(|step| step.action)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(steps.contains(&TimelineAction::Insert));
    assert!(steps.contains(&TimelineAction::Remove));
}

#[test]
fn test_durations_stay_short() {
    for scenario in all_scenarios() {
        assert!(scenario.timing().test_ms <= 100, "{}", scenario.origin());
        for device in scenario.devices() {
            for test in &device.tests {
                assert!(
                    test.ms.unwrap_or(0) <= 100,
                    "{} {}",
                    scenario.origin(),
                    test.name
                );
            }
        }
    }
}

#[test]
fn a_broken_scenario_file_names_its_path_line_and_field() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("broken.toml");
    let (_, text) = embedded_scenarios()[0];
    let broken = text.replacen("design_mah = \"2815\"", "design_mah = 2815", 1);
    assert_ne!(broken, text);
    std::fs::write(&path, &broken).expect("write");
    let expected_line = broken
        .lines()
        .position(|line| line == "design_mah = 2815")
        .map(|index| index + 1);

    let error = Scenario::load(&path).expect_err("an integer where a string belongs");
    let ScenarioError::Invalid {
        origin,
        line,
        column,
        field,
        problem,
    } = &error
    else {
        panic!("expected Invalid, got {error:?}");
    };
    assert_eq!(origin, &path.display().to_string());
    assert_eq!(Some(*line), expected_line);
    assert_eq!(*column, 14);
    assert_eq!(field, "device.battery.design_mah");
    assert!(problem.contains("integer"), "{problem}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "{}:{line}:14: `device.battery.design_mah`",
            path.display()
        )),
        "{message}"
    );
}

#[test]
fn a_missing_file_error_names_the_path() {
    let path = PathBuf::from("/nonexistent/bench.toml");
    let error = Scenario::load(&path).expect_err("no such file");
    assert!(matches!(&error, ScenarioError::Read { path: named, .. } if *named == path));
    assert!(error.to_string().contains("/nonexistent/bench.toml"));
}
