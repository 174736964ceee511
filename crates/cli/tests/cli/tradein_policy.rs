//! `refurbdesk policy check` and `policy default --tradein` on trade-in revision policies, run as
//! the real binary on real files.

use assert_cmd::Command;
use predicates::prelude::*;

fn refurbdesk(dir: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("refurbdesk").expect("the binary is built");
    command
        .current_dir(dir)
        .env("XDG_DATA_HOME", dir.join("share"))
        .env("HOME", dir)
        .env_remove("REFURBDESK_DB")
        .env_remove("REFURBDESK_OPERATOR");
    command
}

#[test]
fn the_shipped_trade_in_policy_prints_and_checks_valid() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = refurbdesk(dir.path())
        .args(["policy", "default", "--tradein"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).expect("utf-8");
    assert!(text.contains("kind = \"tradein\""));
    let file = dir.path().join("tradein.toml");
    std::fs::write(&file, &text).expect("written");

    refurbdesk(dir.path())
        .args(["policy", "check"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "tradein.toml: valid (tradein-default 1.0.0, 10 rules)",
        ));
    let output = refurbdesk(dir.path())
        .args(["policy", "check", "--json"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output).expect("json");
    assert_eq!(json["kind"], "tradein");
    assert_eq!(json["valid"], true);
}

#[test]
fn a_broken_trade_in_policy_is_listed_by_line_and_exits_8() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shipped = refurbdesk(dir.path())
        .args(["policy", "default", "--tradein"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(shipped).expect("utf-8").replacen(
        "per_step = { percent = 15 }",
        "per_stpe = { percent = 15 }",
        1,
    );
    let line = text
        .lines()
        .position(|line| line.starts_with("per_stpe"))
        .expect("present")
        + 1;
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, &text).expect("written");
    refurbdesk(dir.path())
        .args(["policy", "check"])
        .arg(&file)
        .assert()
        .code(8)
        .stdout(predicate::str::contains(format!(
            "broken.toml:{line}:1: unknown key `per_stpe` in [grade]; did you mean `per_step`?"
        )))
        .stderr(predicate::str::contains("has 2 problems"));
}
