//! `refurbdesk qa`: the real binary on a real SQLite file and real image files erased by it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

use crate::support::Station;

impl Station {
    /// The binary acting as `operator` on this station's database.
    fn as_(&self, operator: &str) -> Command {
        let mut cmd = self.cli();
        cmd.env("REFURBDESK_OPERATOR", operator);
        cmd
    }

    fn image(&self, name: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, vec![0x5a_u8; 1 << 20]).expect("image written");
        path
    }

    fn json(&self, operator: &str, args: &[&str]) -> Value {
        let output = self
            .as_(operator)
            .args(args)
            .arg("--json")
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("one JSON document")
    }
}

fn erase(station: &Station, operator: &str, image: &Path) -> String {
    let erased = station.json(
        operator,
        &[
            "erase",
            "--target",
            image.to_str().unwrap(),
            "--method",
            "zero",
            "--yes-erase-image",
        ],
    );
    erased["id"].as_str().expect("erasure id").to_owned()
}

#[test]
fn draw_list_and_verify_with_their_exit_codes() {
    let station = Station::new();
    for (name, role) in [
        ("ada", "admin"),
        ("tom", "technician"),
        ("quinn", "quality_manager"),
    ] {
        station
            .as_("ada")
            .args(["operator", "add", name, "--role", role])
            .assert()
            .success();
    }
    let image = station.image("disk.img");
    let erasure = erase(&station, "tom", &image);

    // A technician may not draw; a bad seed is a usage error.
    station.as_("tom").args(["qa", "draw"]).assert().code(7);
    station
        .as_("quinn")
        .args(["qa", "draw", "--seed", "nope"])
        .assert()
        .code(2);

    let drawn = station.json("quinn", &["qa", "draw"]);
    assert_eq!(drawn["considered"], 1);
    assert_eq!(drawn["samples"][0]["erasure_id"], erasure.as_str());
    assert_eq!(drawn["seed"].as_str().unwrap().len(), 64);

    let list = station.json("quinn", &["qa", "list"]);
    assert_eq!(list["queue"][0]["needs"], "readback");
    assert_eq!(list["technicians"][0]["technician"], "tom");

    // Neither --target nor --result: clap's usage error; both: too.
    station
        .as_("quinn")
        .args(["qa", "verify", &erasure])
        .assert()
        .code(2);
    // The one who erased may not verify.
    station
        .as_("tom")
        .args([
            "qa",
            "verify",
            &erasure,
            "--target",
            image.to_str().unwrap(),
        ])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("independent"));
    // A manual result for a drive erasure is refused as usage.
    station
        .as_("quinn")
        .args(["qa", "verify", &erasure, "--result", "pass"])
        .assert()
        .code(2);

    station
        .as_("quinn")
        .args([
            "qa",
            "verify",
            &erasure,
            "--target",
            image.to_str().unwrap(),
            "--note",
            "shelf 4",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("pass (checked by quinn)"));
    // Checked once: it no longer waits.
    station
        .as_("quinn")
        .args([
            "qa",
            "verify",
            &erasure,
            "--target",
            image.to_str().unwrap(),
        ])
        .assert()
        .code(4);
    let list = station.json("quinn", &["qa", "list"]);
    assert_eq!(list["checked"][0]["note"], "shelf 4");
    assert_eq!(list["technicians"][0]["pass_rate_pct"], 100.0);
    station
        .as_("quinn")
        .args(["db", "check"])
        .assert()
        .success();
}
