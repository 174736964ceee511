//! Use-case tests: intake, against a simulated bench on a real pseudo-terminal.

use std::path::{Path, PathBuf};

use refurbdesk_app::intake::{self, IntakeDone, IntakeParams};
use refurbdesk_app::settings::{self, SetSettingParams};
use refurbdesk_app::{ErrorCode, Hint, Workstation};
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};
use refurbdesk_domain::Lang;

use crate::support::TestStation;

pub const PB8_SLOT1_IMEI: &str = "356728114587211";

/// The 8-slot phone bench of the fixtures, linked in the station's folder.
pub fn pb8(station: &TestStation) -> (SimBench, PathBuf) {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == "phones-pb8.toml")
        .expect("fixture exists");
    let scenario = Scenario::from_toml(text, "phones-pb8.toml").unwrap();
    let link = station.dir.path().join("bench");
    let bench = SimBench::start(scenario, &link, SimOptions::default()).unwrap();
    (bench, link)
}

pub fn params(port: &Path, slot: u16) -> IntakeParams {
    IntakeParams {
        port: port.to_owned(),
        slot,
        channel: None,
        timeout_ms: 2000,
        lang: Lang::En,
    }
}

pub fn run(ws: &mut Workstation, params: IntakeParams) -> refurbdesk_app::Result<IntakeDone> {
    intake::run(ws, params)
}

fn set(ws: &mut Workstation, key: &str, value: &str) {
    settings::set(
        ws,
        SetSettingParams {
            key: key.into(),
            value: value.into(),
        },
    )
    .unwrap();
}

fn intakes(ws: &Workstation) -> usize {
    refurbdesk_app::devices::list(ws, refurbdesk_app::devices::DevicesParams::default())
        .unwrap()
        .rows
        .iter()
        .map(|row| row.intake_count as usize)
        .sum()
}

#[test]
fn an_intake_reads_the_slot_and_records_it() {
    let station = TestStation::new();
    let (_bench, link) = pb8(&station);
    let mut ws = station.open(None);
    let done = run(&mut ws, params(&link, 1)).unwrap();
    assert_eq!(done.report.intake_id, Some(done.intake_id));
    assert_eq!(done.report.device_id, Some(done.device_id));
    assert_eq!(done.report.slot, 1);
    assert_eq!(done.report.device.imei.as_deref(), Some(PB8_SLOT1_IMEI));
    assert!(done.summary.contains(PB8_SLOT1_IMEI), "{}", done.summary);
    // 86 % passes Back Market's 85 %.
    assert_eq!(done.report.battery.verdict.to_string(), "pass");
    let recorded = ws.store.intake(done.intake_id).unwrap().expect("recorded");
    assert_eq!(recorded.id, done.intake_id);
    assert_eq!(intakes(&ws), 1);
}

#[test]
fn the_station_channel_decides_the_battery_and_reasons_come_in_the_language_asked() {
    let station = TestStation::new();
    let (_bench, link) = pb8(&station);
    let mut ws = station.open(None);
    set(&mut ws, "channel.premium.soh_threshold_pct", "90");
    let premium = run(
        &mut ws,
        IntakeParams {
            channel: Some("premium".into()),
            ..params(&link, 1)
        },
    )
    .unwrap();
    assert_eq!(premium.report.battery.verdict.to_string(), "replace");
    assert!(
        premium
            .reasons
            .iter()
            .any(|r| r.contains("Battery health is 86.0%, below the 90%")),
        "{:?}",
        premium.reasons
    );

    set(&mut ws, "station.channel", "premium");
    let french = run(
        &mut ws,
        IntakeParams {
            lang: Lang::Fr,
            ..params(&link, 1)
        },
    )
    .unwrap();
    assert!(
        french.reasons.iter().any(|r| r
            .contains("L'état de santé de la batterie est de 86,0\u{202f}%, sous les 90\u{202f}%")),
        "{:?}",
        french.reasons
    );
    let backmarket = run(
        &mut ws,
        IntakeParams {
            channel: Some("backmarket".into()),
            ..params(&link, 1)
        },
    )
    .unwrap();
    assert_eq!(backmarket.report.battery.verdict.to_string(), "pass");
}

#[test]
fn a_channel_without_a_threshold_is_refused_before_the_bench_is_asked() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let nowhere = station.dir.path().join("no-such-bench");
    let error = run(
        &mut ws,
        IntakeParams {
            channel: Some("ebay".into()),
            ..params(&nowhere, 1)
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert_eq!(
        error.hint,
        Some(Hint::SetSetting {
            key: "channel.ebay.soh_threshold_pct".into(),
            example: "85".into()
        })
    );
}

#[test]
fn bench_failures_have_their_codes_and_record_nothing() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let nowhere = station.dir.path().join("no-such-bench");
    let error = run(&mut ws, params(&nowhere, 1)).unwrap_err();
    assert_eq!(error.code, ErrorCode::BenchUnreachable);
    assert!(error.message.contains(nowhere.to_str().unwrap()), "{error}");

    let (_bench, link) = pb8(&station);
    let error = run(&mut ws, params(&link, 9)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("slot 9"), "{error}");
    // Slot 7 starts empty.
    let error = run(&mut ws, params(&link, 7)).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("empty"), "{error}");
    assert_eq!(intakes(&ws), 0);
}
