//! `refurbdesk intake` against a simulated bench on a real pseudo-terminal, into a real SQLite file.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};

fn scenario(name: &str) -> Scenario {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == name)
        .expect("fixture exists");
    Scenario::from_toml(text, name).unwrap()
}

fn refurbdesk(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", dir.join("share"))
        .env("HOME", dir)
        .env("REFURBDESK_DB", dir.join("station.sqlite"))
        .env_remove("REFURBDESK_OPERATOR");
    cmd
}

#[test]
fn intake_prints_one_json_object_with_the_bench_values() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    let bench = SimBench::start(scenario("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    let out = refurbdesk(dir.path())
        .args([
            "intake",
            "--port",
            link.to_str().unwrap(),
            "--slot",
            "1",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "exactly one JSON object: {text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["bench"]["serial"], "PB8-0042");
    assert_eq!(v["bench"]["port"], link.to_str().unwrap());
    assert_eq!(v["slot"], 1);
    assert_eq!(v["device"]["category"], "phone");
    assert_eq!(v["device"]["make"], "Apple");
    assert_eq!(v["device"]["model"], "iPhone 12");
    assert_eq!(v["device"]["imei"], "356728114587211");
    assert_eq!(v["device"]["imei_valid"], true);
    assert_eq!(v["battery"]["design_mah"], 2815);
    assert_eq!(v["battery"]["full_mah"], 2421);
    assert_eq!(
        v["battery"]["design_mwh"],
        serde_json::Value::Null,
        "not sent → null"
    );
    assert_eq!(v["battery"]["soh_pct"], 86.0);
    assert_eq!(v["battery"]["soh_source"], "computed");
    assert_eq!(v["battery"]["verdict"], "pass");
    assert_eq!(v["lock"]["verdict"], "clear");
    let profile = scenario("phones-pb8.toml").device(1).unwrap().clone();
    let tests = v["tests"].as_object().unwrap();
    assert_eq!(tests.len(), profile.tests.len());
    for spec in &profile.tests {
        assert_eq!(
            tests[&spec.name],
            spec.outcome.as_str().to_ascii_lowercase(),
            "test {}",
            spec.name
        );
    }
    assert!(v["intake_id"].is_string());
    drop(bench);

    // Recorded: the database holds it with its raw lines.
    let db = rusqlite::Connection::open(dir.path().join("station.sqlite")).unwrap();
    let (intakes, evidence): (i64, i64) = db
        .query_row(
            "SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM intake_evidence)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(intakes, 1);
    assert!(evidence >= 10, "raw lines kept as evidence ({evidence})");
}

#[test]
fn non_ascii_model_names_come_back_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    let edge = scenario("edge-cases.toml");
    let (slot, model) = edge
        .devices()
        .iter()
        .find_map(|d| {
            let model = d.ident.model.clone()?;
            (!model.is_ascii() && d.present).then_some((d.slot, model))
        })
        .expect("a non-ASCII model in the edge cases");
    let _bench = SimBench::start(edge, &link, SimOptions::default()).unwrap();
    let out = refurbdesk(dir.path())
        .args(["--json", "intake", "--port", link.to_str().unwrap()])
        .args(["--slot", &slot.to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["device"]["model"], model);
}

#[test]
fn an_empty_slot_exits_4_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    let pb8 = scenario("phones-pb8.toml");
    let empty = (1..=pb8.bench().slots)
        .find(|slot| pb8.device(*slot).is_none_or(|d| !d.present))
        .expect("an empty slot at start");
    let _bench = SimBench::start(pb8, &link, SimOptions::default()).unwrap();
    refurbdesk(dir.path())
        .args([
            "intake",
            "--port",
            link.to_str().unwrap(),
            "--slot",
            &empty.to_string(),
        ])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("empty"));
    let db = rusqlite::Connection::open(dir.path().join("station.sqlite")).unwrap();
    let intakes: i64 = db
        .query_row("SELECT count(*) FROM intakes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(intakes, 0);
}

#[test]
fn a_slot_the_bench_does_not_have_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    let _bench =
        SimBench::start(scenario("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    refurbdesk(dir.path())
        .args(["intake", "--port", link.to_str().unwrap(), "--slot", "9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("slot 9"));
}

#[test]
fn a_missing_port_exits_3_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = dir.path().join("no-such-bench");
    refurbdesk(dir.path())
        .args(["intake", "--port", port.to_str().unwrap(), "--slot", "1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(port.to_str().unwrap()));
}

#[test]
fn a_device_removed_during_intake_exits_4_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    // Slow tests leave time to take the device out mid-intake.
    let options = SimOptions {
        speed: 0.2,
        ..SimOptions::default()
    };
    let bench = SimBench::start(scenario("phones-pb8.toml"), &link, options).unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .args(["intake", "--port", link.to_str().unwrap(), "--slot", "1"])
        .env("XDG_DATA_HOME", dir.path().join("share"))
        .env("REFURBDESK_DB", dir.path().join("station.sqlite"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    bench.remove(1).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("removed"));
    let db = rusqlite::Connection::open(dir.path().join("station.sqlite")).unwrap();
    let intakes: i64 = db
        .query_row("SELECT count(*) FROM intakes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(intakes, 0);
}

#[test]
fn station_simulate_until_idle_records_the_fixture_benches() {
    let dir = tempfile::tempdir().unwrap();
    let out = refurbdesk(dir.path())
        .args(["station", "--simulate", "--until-idle"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("bench PB8-0042 ready"), "{text}");
    assert!(
        text.contains("recorded — Apple iPhone 12 (IMEI 356728114587211)"),
        "{text}"
    );
    assert!(text.contains("0 failed"), "{text}");
    let db = rusqlite::Connection::open(dir.path().join("station.sqlite")).unwrap();
    let devices: i64 = db
        .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
        .unwrap();
    assert!(devices >= 12, "{devices} devices recorded");
}

#[test]
fn the_sales_channel_sets_the_battery_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("bench");
    let _bench =
        SimBench::start(scenario("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    let verdict = |extra: &[&str]| -> serde_json::Value {
        let out = refurbdesk(dir.path())
            .args([
                "intake",
                "--port",
                link.to_str().unwrap(),
                "--slot",
                "1",
                "--json",
            ])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()["battery"].clone()
    };
    // 86.0 % passes Back Market's 85 %.
    assert_eq!(verdict(&[])["verdict"], "pass");
    // A channel that sells only at 90 % or more wants a new battery for the same phone.
    refurbdesk(dir.path())
        .args(["settings", "set", "channel.premium.soh_threshold_pct", "90"])
        .assert()
        .success();
    let premium = verdict(&["--channel", "premium"]);
    assert_eq!(premium["verdict"], "replace");
    assert!(premium["reasons"].to_string().contains("90%"), "{premium}");
    // ... and so does every intake once it is the station's channel.
    refurbdesk(dir.path())
        .args(["settings", "set", "station.channel", "premium"])
        .assert()
        .success();
    assert_eq!(verdict(&[])["verdict"], "replace");
    assert_eq!(verdict(&["--channel", "backmarket"])["verdict"], "pass");
    // The printed reasons in the language asked for, with French numbers.
    for (lang, told) in [
        (
            "fr",
            "L'état de santé de la batterie est de 86,0\u{202f}%, sous les 90\u{202f}%",
        ),
        ("en", "Battery health is 86.0%, below the 90%"),
    ] {
        refurbdesk(dir.path())
            .args(["intake", "--port", link.to_str().unwrap(), "--slot", "1"])
            .args(["--lang", lang])
            .assert()
            .success()
            .stdout(predicate::str::contains(told));
    }
    // A channel nobody configured is refused before the bench is touched.
    refurbdesk(dir.path())
        .args([
            "intake",
            "--port",
            link.to_str().unwrap(),
            "--slot",
            "1",
            "--channel",
            "ebay",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("channel.ebay.soh_threshold_pct"));
}

#[test]
fn station_without_a_bench_named_runs_on_the_ports_of_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing named and nothing set: refused before any database is made.
    refurbdesk(dir.path())
        .args(["station", "--until-idle"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("set station.ports"));
    assert!(!dir.path().join("station.sqlite").exists());

    let link = dir.path().join("bench");
    let _bench =
        SimBench::start(scenario("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    refurbdesk(dir.path())
        .args(["settings", "set", "station.ports"])
        .arg(&link)
        .assert()
        .success();
    let out = refurbdesk(dir.path())
        .args(["station", "--until-idle"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("station: 1 bench(es)"), "{text}");
    assert!(text.contains("bench PB8-0042 ready"), "{text}");
}
