//! The conventions every subcommand shares, checked on the real binary.

use assert_cmd::Command;
use predicates::prelude::*;

fn refurbdesk(home: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env_remove("REFURBDESK_DB")
        .env_remove("REFURBDESK_OPERATOR");
    cmd
}

#[test]
fn version_prints_the_package_version() {
    let home = tempfile::tempdir().unwrap();
    refurbdesk(home.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("refurbdesk {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn help_lists_the_global_options() {
    let home = tempfile::tempdir().unwrap();
    refurbdesk(home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--db <FILE>"))
        .stdout(predicate::str::contains("--operator <NAME>"))
        .stdout(predicate::str::contains("--json"));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    refurbdesk(home.path()).assert().code(2);
}

#[test]
fn unknown_option_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    refurbdesk(home.path())
        .args(["paths", "--no-such-option"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-option"));
}

#[test]
fn database_defaults_to_the_xdg_data_directory() {
    let home = tempfile::tempdir().unwrap();
    let out = refurbdesk(home.path())
        .args(["paths", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let paths: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let expected = home.path().join("share/refurbdesk/refurbdesk.sqlite");
    assert_eq!(paths["database"], expected.to_str().unwrap());
    assert!(home.path().join("share/refurbdesk/logs").is_dir());
}

#[test]
fn global_options_are_accepted_before_and_after_the_subcommand_and_from_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("x.sqlite");
    for args in [
        vec!["--json", "--db", db.to_str().unwrap(), "paths"],
        vec!["paths", "--db", db.to_str().unwrap(), "--json"],
    ] {
        let out = refurbdesk(home.path()).args(&args).assert().success();
        let paths: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(paths["database"], db.to_str().unwrap(), "args {args:?}");
    }
    let out = refurbdesk(home.path())
        .env("REFURBDESK_DB", &db)
        .args(["paths", "--json"])
        .assert()
        .success();
    let paths: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(paths["database"], db.to_str().unwrap());
}
