//! `refurbdesk erase` for phones and tablets, on the real binary: through a simulated bench on a
//! pseudo-terminal, and by hand from an answers file or on a real terminal (a PTY from
//! `script`), each recorded in a real SQLite file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};

const IPHONE_12: &str = "356728114587211";

fn fixture(name: &str) -> Scenario {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == name)
        .expect("fixture exists");
    // Without the timeline, devices stay where the test expects them.
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    Scenario::from_toml(&text[..cut], name).unwrap()
}

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.sqlite"))
        .env_remove("REFURBDESK_OPERATOR")
        .env("LANG", "C");
    cmd
}

/// Takes in the device of `slot` with `refurbdesk intake`, so it is a recorded device.
fn intake(home: &Path, link: &Path, slot: u16) {
    refurbdesk(home)
        .args(["intake", "--port", link.to_str().unwrap()])
        .args(["--slot", &slot.to_string()])
        .assert()
        .success();
}

fn erasures(home: &Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(home.join("station.sqlite")).unwrap();
    let mut statement = conn
        .prepare("SELECT id, target_kind, status FROM erasures ORDER BY started_at")
        .unwrap();
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn bench_erase(home: &Path, link: &Path, slot: u16, method: &str) -> Command {
    let mut cmd = refurbdesk(home);
    cmd.args(["erase", "--json", "--port", link.to_str().unwrap()])
        .args(["--slot", &slot.to_string(), "--method", method]);
    cmd
}

fn json_of(output: &[u8]) -> serde_json::Value {
    let text = String::from_utf8_lossy(output);
    assert_eq!(text.lines().count(), 1, "exactly one JSON object: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_bench_erase_prints_one_json_object_and_exits_0_when_the_bench_reports_ok() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    intake(home.path(), &link, 1);
    let output = bench_erase(home.path(), &link, 1, "factory_reset")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    for key in ["id", "status", "method", "detail", "progress", "device_id"] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["status"], "verified");
    assert_eq!(json["method"], "factory_reset");
    assert_eq!(json["kind"], "bench");
    assert_eq!(json["end"], "verified");
    assert_eq!(json["outcome_from"], "event");
    assert_eq!(json["progress"], 100);
    assert_eq!(json["detail"], serde_json::Value::Null);
    assert_eq!(json["target"], "PB8-0042/slot 1");
    assert_eq!(json["device"]["imei"], IPHONE_12);
    assert_eq!(json["bench"]["slot"], 1);
    assert_eq!(
        erasures(home.path()),
        vec![(
            json["id"].as_str().unwrap().to_owned(),
            "bench".to_owned(),
            "verified".to_owned()
        )]
    );
}

#[test]
fn a_failed_bench_erase_exits_6_with_the_bench_detail() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    intake(home.path(), &link, 2);
    let assert = bench_erase(home.path(), &link, 2, "factory_reset")
        .assert()
        .code(6)
        .stderr(predicate::str::contains("Activation Lock"));
    let json = json_of(&assert.get_output().stdout);
    assert_eq!(json["status"], "failed");
    assert_eq!(json["progress"], 75);
    assert_eq!(
        json["detail"],
        "Activation Lock: the owner must remove the device from their account"
    );
}

#[test]
fn a_method_the_bench_cannot_do_exits_7_and_offers_the_manual_reset() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    intake(home.path(), &link, 1);
    let assert = bench_erase(home.path(), &link, 1, "crypto_erase")
        .assert()
        .code(7)
        .stderr(predicate::str::contains(format!(
            "refurbdesk erase --manual --device {IPHONE_12}"
        )));
    let json = json_of(&assert.get_output().stdout);
    assert_eq!(json["status"], "failed");
    assert_eq!(json["end"], "refused");
    assert_eq!(json["code"], "unsupported");
    assert!(json["note"]
        .as_str()
        .unwrap()
        .contains("nothing was erased"));
}

#[test]
fn a_done_event_lost_on_the_wire_is_recovered_and_verified() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let text = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == "phones-pb8.toml")
        .unwrap()
        .1;
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    // The first erase table (slot 1) loses its done event to a wrong CRC.
    let lossy = text[..cut].replacen(
        "[device.erase]\n",
        "[device.erase]\nfaults = [\"corrupt_done\"]\n",
        1,
    );
    let scenario = Scenario::from_toml(&lossy, "lossy").unwrap();
    let bench = SimBench::start(scenario, &link, SimOptions::default()).unwrap();
    intake(home.path(), &link, 1);
    let output = bench_erase(home.path(), &link, 1, "factory_reset")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["status"], "verified");
    assert_eq!(json["outcome_from"], "status");
    assert_eq!(
        bench
            .stats()
            .faults_of(refurbdesk_bench_sim::FaultKind::Crc),
        1
    );
}

/// Starts a slow bench erase of slot 1 and waits until its record is running.
// The child is returned to the caller, which waits on it.
#[allow(clippy::zombie_processes)]
fn start_slow_erase(home: &Path, link: &Path) -> Child {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.sqlite"))
        .args(["erase", "--json", "--port", link.to_str().unwrap()])
        .args(["--slot", "1", "--method", "factory_reset"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !erasures(home)
        .iter()
        .any(|(_, _, status)| status == "running")
    {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the erase never started: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_device_taken_out_mid_erase_exits_4_and_is_recorded_interrupted() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let slow = SimOptions {
        speed: 0.05,
        ..SimOptions::default()
    };
    let bench = SimBench::start(fixture("phones-pb8.toml"), &link, slow).unwrap();
    intake(home.path(), &link, 1);
    let child = start_slow_erase(home.path(), &link);
    bench.remove(1).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("taken out"));
    let json = json_of(&output.stdout);
    assert_eq!(json["status"], "interrupted");
    assert_eq!(json["why"], "device_removed");
    assert_eq!(erasures(home.path())[0].2, "interrupted");
}

#[test]
fn ctrl_c_mid_bench_erase_exits_130_and_is_recorded_interrupted() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let slow = SimOptions {
        speed: 0.05,
        ..SimOptions::default()
    };
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, slow).unwrap();
    intake(home.path(), &link, 1);
    let child = start_slow_erase(home.path(), &link);
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json_of(&output.stdout)["why"], "cancelled");
    assert_eq!(erasures(home.path())[0].2, "interrupted");
}

#[test]
fn bench_erases_that_cannot_start_have_their_exit_codes_and_record_nothing() {
    let home = tempfile::tempdir().unwrap();
    let link = home.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    intake(home.path(), &link, 1);
    // Never taken in: not a recorded device.
    bench_erase(home.path(), &link, 3, "factory_reset")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("refurbdesk intake"));
    // Slot 7 is empty without the timeline.
    bench_erase(home.path(), &link, 7, "factory_reset")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("empty"));
    bench_erase(home.path(), &link, 1, "zero")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("factory_reset or crypto_erase"));
    let missing = home.path().join("no-such-bench");
    bench_erase(home.path(), &missing, 1, "factory_reset")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(missing.to_str().unwrap()));
    refurbdesk(home.path())
        .args([
            "erase",
            "--port",
            link.to_str().unwrap(),
            "--method",
            "factory_reset",
        ])
        .assert()
        .code(2);
    assert!(erasures(home.path()).is_empty());
}

/// A recorded phone: the fixture's slot `slot` taken in through a bench that is then gone.
fn recorded_phone(home: &Path, slot: u16) {
    let link = home.join("intake-bench");
    let bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    intake(home, &link, slot);
    drop(bench);
}

fn answers_file(home: &Path, answers: &[(&str, &str)]) -> PathBuf {
    let mut text = String::from("platform = \"ios\"\n[answers]\n");
    for (step, answer) in answers {
        text.push_str(&format!("{step} = \"{answer}\"\n"));
    }
    let path = home.join("answers.toml");
    std::fs::write(&path, text).unwrap();
    path
}

const IOS_STEPS: [&str; 8] = [
    "remove_sim",
    "unpair_watch",
    "no_mdm_profile",
    "sign_out_apple_account",
    "find_my_off",
    "erase_all",
    "hello_screen",
    "no_activation_lock",
];

fn manual(home: &Path) -> Command {
    let mut cmd = refurbdesk(home);
    cmd.args(["erase", "--manual", "--device", IPHONE_12]);
    cmd
}

#[test]
fn a_manual_reset_from_an_answers_file_is_verified_when_every_required_step_is_yes() {
    let home = tempfile::tempdir().unwrap();
    recorded_phone(home.path(), 1);
    let all_yes: Vec<(&str, &str)> = IOS_STEPS.iter().map(|step| (*step, "yes")).collect();
    let file = answers_file(home.path(), &all_yes);
    let output = manual(home.path())
        .args(["--json", "--lang", "fr", "--answers"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["status"], "verified");
    assert_eq!(json["method"], "manual_factory_reset");
    assert_eq!(json["kind"], "manual");
    assert_eq!(json["platform"], "ios");
    assert_eq!(json["lang"], "fr");
    assert_eq!(json["answered_by"], "answers_file");
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), IOS_STEPS.len());
    assert!(steps[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Retirez la carte SIM"));
    assert!(steps
        .iter()
        .all(|step| step["answer"] == "yes" && step["answered_at"].is_string()));
}

#[test]
fn manual_answers_that_fail_or_fall_short_have_their_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    recorded_phone(home.path(), 1);
    // A required step answered no: recorded failed, exit 6.
    let mut answers: Vec<(&str, &str)> = IOS_STEPS.iter().map(|step| (*step, "yes")).collect();
    answers[3].1 = "no";
    let file = answers_file(home.path(), &answers);
    manual(home.path())
        .arg("--answers")
        .arg(&file)
        .assert()
        .code(6)
        .stderr(predicate::str::contains("sign_out_apple_account"));
    // A step left out: nothing recorded, exit 5.
    let file = answers_file(home.path(), &answers[..7]);
    manual(home.path())
        .arg("--answers")
        .arg(&file)
        .assert()
        .code(5)
        .stderr(predicate::str::contains("no_activation_lock"));
    // No terminal and no answers: usage.
    manual(home.path())
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--answers FILE"));
    // Not a recorded device.
    refurbdesk(home.path())
        .args([
            "erase",
            "--manual",
            "--device",
            "490154203237518",
            "--answers",
        ])
        .arg(&file)
        .assert()
        .code(4);
    let recorded = erasures(home.path());
    assert_eq!(recorded.len(), 1, "only the failed reset is recorded");
    assert_eq!(recorded[0].2, "failed");
}

/// Runs `refurbdesk` with `args` on a real terminal (a PTY made by `script`), typing `input`.
/// Returns the exit code and what the terminal showed; `None` where `script` is missing.
fn on_a_terminal(home: &Path, args: &[&str], input: &str) -> Option<(Option<i32>, String)> {
    if StdCommand::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no terminal can be made");
        return None;
    }
    let binary = assert_cmd::cargo::cargo_bin("refurbdesk");
    let line: Vec<String> = std::iter::once(binary.to_str().unwrap())
        .chain(args.iter().copied())
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect();
    let mut child = StdCommand::new("script")
        .args(["-q", "-e", "-c", &line.join(" "), "/dev/null"])
        .env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.sqlite"))
        .env_remove("REFURBDESK_OPERATOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut shown = String::new();
        let _ = stdout.read_to_string(&mut shown);
        shown
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the manual reset did not end");
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    Some((status.code(), reader.join().unwrap()))
}

#[test]
fn a_manual_reset_on_a_terminal_asks_each_step_in_french_and_records_the_answers() {
    let home = tempfile::tempdir().unwrap();
    recorded_phone(home.path(), 1);
    // "peut-être" is not an answer: the step is asked again.
    let input = "o\npeut-être\np\no\no\no\no\no\no\n";
    let Some((code, shown)) = on_a_terminal(
        home.path(),
        &["erase", "--manual", "--device", IPHONE_12, "--lang", "fr"],
        input,
    ) else {
        return;
    };
    assert_eq!(code, Some(0), "{shown}");
    assert!(
        shown.contains("[1/8] (obligatoire) Retirez la carte SIM"),
        "{shown}"
    );
    assert!(shown.contains("[2/8] (facultative)"), "{shown}");
    assert!(shown.contains("Répondez o (fait)"), "{shown}");
    assert!(shown.contains("verified"), "{shown}");
    let conn = rusqlite::Connection::open(home.path().join("station.sqlite")).unwrap();
    let (answered_by, second): (String, String) = conn
        .query_row(
            "SELECT json_extract(details_json, '$.answered_by'),
                    json_extract(details_json, '$.steps[1].answer') FROM erasures",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (answered_by.as_str(), second.as_str()),
        ("interactive", "skipped")
    );
}

#[test]
fn quitting_a_manual_reset_on_a_terminal_exits_130_and_records_it_interrupted() {
    let home = tempfile::tempdir().unwrap();
    recorded_phone(home.path(), 1);
    let Some((code, shown)) = on_a_terminal(
        home.path(),
        &["erase", "--manual", "--device", IPHONE_12, "--lang", "en"],
        "y\nq\n",
    ) else {
        return;
    };
    assert_eq!(code, Some(130), "{shown}");
    assert!(shown.contains("[2/8] (optional)"), "{shown}");
    assert!(shown.contains("interrupted"), "{shown}");
    assert_eq!(erasures(home.path())[0].2, "interrupted");
}
