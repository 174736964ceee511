//! The window and the terminal start the same station: on a channel with a 90 % threshold, the
//! station the desktop starts (`refurbdesk_app::station::start` with the desktop's parameters) and
//! `refurbdesk station` judge every device's battery identically — and by the channel, not by the
//! marketplace's default 85 %.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use refurbdesk_app::session::WindowSession;
use refurbdesk_app::station::{self, StationEvent, StationParams};
use refurbdesk_app::DataPaths;

fn refurbdesk(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", dir.join("share"))
        .env("HOME", dir)
        .env("REFURBDESK_DB", dir.join("station.sqlite"))
        .env_remove("REFURBDESK_OPERATOR");
    cmd
}

/// A station database whose own channel sells only at 90 % or more.
fn ninety_percent_station(dir: &Path) {
    for (key, value) in [
        ("channel.strict.soh_threshold_pct", "90"),
        ("station.channel", "strict"),
    ] {
        refurbdesk(dir)
            .args(["settings", "set", key, value])
            .assert()
            .success();
    }
}

type Verdicts = BTreeMap<String, (String, Option<f64>)>;

fn device_key(report: &serde_json::Value) -> String {
    let device = &report["device"];
    device["imei"]
        .as_str()
        .or(device["serial"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// What the terminal's station judged: IMEI (or serial) → (battery verdict, SOH).
fn terminal_verdicts(dir: &Path) -> Verdicts {
    let out = refurbdesk(dir)
        .args(["station", "--simulate", "--until-idle", "--json"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["event"] == "intake_recorded")
        .map(|event| {
            let report = &event["report"];
            (
                device_key(report),
                (
                    report["battery"]["verdict"].as_str().unwrap().to_owned(),
                    report["battery"]["soh_pct"].as_f64(),
                ),
            )
        })
        .collect()
}

/// What the window's station judged, started exactly as the desktop shell starts it.
fn window_verdicts(dir: &Path) -> Verdicts {
    let paths = DataPaths::under(
        dir.join("share/refurbdesk"),
        Some(&dir.join("station.sqlite")),
    );
    let window = WindowSession::default();
    let workstation = window.open(&paths, None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let params = StationParams {
            until_idle: true,
            ..StationParams::simulated()
        };
        let mut running = station::start_for_window(&window, workstation, params).unwrap();
        assert_eq!(running.started.channel, "strict");
        assert_eq!(running.started.soh_threshold_pct, 90.0);
        let mut verdicts = Verdicts::new();
        while let Some(event) = running.events.recv().await {
            if let StationEvent::IntakeRecorded { report, .. } = event {
                let report = serde_json::to_value(&report).unwrap();
                verdicts.insert(
                    device_key(&report),
                    (
                        report["battery"]["verdict"].as_str().unwrap().to_owned(),
                        report["battery"]["soh_pct"].as_f64(),
                    ),
                );
            }
        }
        let summary = running.control.finish().await.unwrap();
        assert_eq!(summary.failed, 0);
        verdicts
    })
}

#[test]
fn the_window_and_the_terminal_judge_batteries_by_the_stations_channel_alike() {
    let terminal_dir = tempfile::tempdir().unwrap();
    let window_dir = tempfile::tempdir().unwrap();
    ninety_percent_station(terminal_dir.path());
    ninety_percent_station(window_dir.path());

    let terminal = terminal_verdicts(terminal_dir.path());
    let window = window_verdicts(window_dir.path());
    assert!(terminal.len() >= 12, "{terminal:?}");
    assert_eq!(terminal, window);

    // The iPhone 12 of the fixtures holds 86 %: sellable at Back Market's 85 %, not on this channel.
    let (verdict, soh) = &window["356728114587211"];
    assert_eq!(*soh, Some(86.0));
    assert_eq!(verdict, "replace");
    // Every device with a figure is judged against 90 %.
    for (device, (verdict, soh)) in &window {
        // A figure shown as 90.0 may be 89.96 underneath; the verdict was taken on that.
        if let Some(soh) = soh.filter(|soh| (soh - 90.0).abs() > 0.05) {
            if soh > 90.0 {
                assert_eq!(verdict, "pass", "{device} at {soh} %");
            } else {
                assert_ne!(verdict, "pass", "{device} at {soh} %");
            }
        }
    }
}
