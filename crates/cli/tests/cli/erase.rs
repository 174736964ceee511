//! `refurbdesk erase` on the real binary: image files, refusals, and what
//! Ctrl-C and a kill leave in the database.

use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

const MIB: u64 = 1 << 20;

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env_remove("REFURBDESK_OPERATOR");
    cmd
}

fn image(dir: &Path, name: &str, size: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, vec![0x5a_u8; size as usize]).unwrap();
    path
}

fn statuses(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut statement = conn
        .prepare("SELECT id, status FROM erasures ORDER BY started_at")
        .unwrap();
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn an_image_is_erased_verified_and_recorded() {
    let home = tempfile::tempdir().unwrap();
    let target = image(home.path(), "laptop.img", 4 * MIB + 512);
    let output = refurbdesk(home.path())
        .args([
            "erase",
            "--method",
            "zero",
            "--verify",
            "full",
            "--yes-erase-image",
            "--json",
            "--target",
        ])
        .arg(&target)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output).unwrap();
    for key in [
        "id",
        "status",
        "method",
        "passes",
        "bytes_written",
        "bytes_verified",
        "verify",
        "errors",
        "started_at",
        "finished_at",
        "throughput_mib_s",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["status"], "verified");
    assert_eq!(json["method"], "zero");
    assert_eq!(json["passes"], 1);
    assert_eq!(json["bytes_written"], 4 * MIB + 512);
    assert_eq!(json["bytes_verified"], 4 * MIB + 512);
    assert_eq!(json["verify"], "full");
    assert_eq!(json["errors"], serde_json::json!([]));
    assert!(std::fs::read(&target).unwrap().iter().all(|&b| b == 0));
    let recorded = statuses(&home.path().join("station.db"));
    assert_eq!(
        recorded,
        vec![(
            json["id"].as_str().unwrap().to_owned(),
            "verified".to_owned()
        )]
    );
}

#[test]
fn refusals_and_missing_targets_have_their_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let target = image(home.path(), "kept.img", MIB);
    refurbdesk(home.path())
        .args(["erase", "--method", "zero", "--target"])
        .arg(&target)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("--yes-erase-image"));
    refurbdesk(home.path())
        .args([
            "erase",
            "--method",
            "zero",
            "--yes-erase",
            "ABC123",
            "--target",
        ])
        .arg(&target)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("image file, not a drive"));
    assert!(
        std::fs::read(&target).unwrap().iter().all(|&b| b == 0x5a),
        "nothing was written"
    );
    refurbdesk(home.path())
        .args(["erase", "--method", "zero", "--yes-erase-image", "--target"])
        .arg(home.path().join("nowhere.img"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("does not exist"));
    refurbdesk(home.path())
        .args([
            "erase",
            "--method",
            "gutmann",
            "--yes-erase-image",
            "--target",
        ])
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use zero, random or dod3"));
    refurbdesk(home.path())
        .args([
            "erase",
            "--method",
            "zero",
            "--verify",
            "sample:0",
            "--yes-erase-image",
            "--target",
        ])
        .arg(&target)
        .assert()
        .code(2);
    refurbdesk(home.path())
        .args([
            "erase",
            "--method",
            "zero",
            "--yes-erase-image",
            "--device",
            "356728114587211",
            "--target",
        ])
        .arg(&target)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no recorded device"));
}

/// Starts a long random erasure and waits until its record is running.
// The child is returned to the caller, which waits on it.
#[allow(clippy::zombie_processes)]
fn start_long_erasure(home: &Path) -> (Child, String) {
    // Sparse: the erasure writes every byte of it all the same.
    let target = home.join("long.img");
    std::fs::File::create(&target)
        .unwrap()
        .set_len(256 * MIB)
        .unwrap();
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .args([
            "erase",
            "--method",
            "random",
            "--yes-erase-image",
            "--json",
            "--target",
        ])
        .arg(&target)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let db = home.join("station.db");
        if db.exists() {
            if let Ok(conn) = rusqlite::Connection::open(&db) {
                let running: Option<String> = conn
                    .query_row(
                        "SELECT id FROM erasures WHERE status = 'running'",
                        [],
                        |row| row.get(0),
                    )
                    .ok();
                if let Some(id) = running {
                    return (child, id);
                }
            }
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the erasure never started: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, name: &str) {
    let status = StdCommand::new("kill")
        .args([name, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn ctrl_c_exits_130_and_records_the_erasure_interrupted() {
    let home = tempfile::tempdir().unwrap();
    let (child, id) = start_long_erasure(home.path());
    signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["status"], "interrupted");
    assert_eq!(json["id"], id.as_str());
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(
        statuses(&home.path().join("station.db")),
        vec![(id, "interrupted".to_owned())]
    );
}

#[test]
fn a_killed_erasure_is_interrupted_once_the_store_is_opened_again() {
    let home = tempfile::tempdir().unwrap();
    let (mut child, id) = start_long_erasure(home.path());
    signal(&child, "-KILL");
    child.wait().unwrap();
    let db = home.path().join("station.db");
    assert_eq!(
        statuses(&db),
        vec![(id.clone(), "running".to_owned())],
        "nobody has looked yet"
    );
    // Any command that opens the store tidies up.
    let small = image(home.path(), "small.img", MIB);
    refurbdesk(home.path())
        .args(["erase", "--method", "zero", "--yes-erase-image", "--target"])
        .arg(&small)
        .assert()
        .success();
    let after = statuses(&db);
    assert_eq!(after[0], (id, "interrupted".to_owned()));
    assert_eq!(after[1].1, "verified");
}
