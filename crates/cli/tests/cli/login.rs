//! PINs on the command line: `operator pin`, the PIN every recording command needs from an
//! operator who has one (REFURBDESK_PIN or standard input being a terminal), the lock-out, and
//! `lock confirm` with its re-grade. The real binary on real SQLite files.

use predicates::prelude::*;
use refurbdesk_domain::MdmState;
use refurbdesk_store::{NewIntake, Store};
use serde_json::Value;

use crate::support::{Phone, Station};

const IMEI: &str = "356728114587211";

impl Station {
    /// An admin "boss" with PIN 2468 and a technician "ana" without one.
    fn with_boss() -> Station {
        let station = Station::new();
        station
            .run(&["operator", "add", "boss", "--role", "admin"])
            .assert()
            .success();
        station
            .run(&[
                "--operator",
                "boss",
                "operator",
                "add",
                "ana",
                "--role",
                "technician",
            ])
            .assert()
            .success();
        station
            .run(&["--operator", "boss", "operator", "pin", "boss"])
            .write_stdin("2468\n2468\n")
            .assert()
            .success()
            .stdout("set the PIN of boss (admin)\n");
        station
    }
}

#[test]
fn operator_pin_reads_the_pin_twice_from_standard_input() {
    let station = Station::with_boss();
    // Too short: says what is allowed.
    station
        .run(&["--operator", "ana", "operator", "pin", "ana"])
        .write_stdin("12\n12\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("4 to 64 characters"));
    // Typed differently.
    station
        .run(&["--operator", "ana", "operator", "pin", "ana"])
        .write_stdin("1357\n1358\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("differ"));
    // Only once.
    station
        .run(&["--operator", "ana", "operator", "pin", "ana"])
        .write_stdin("1357\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two lines"));
    // Not someone else's.
    station
        .run(&["--operator", "ana", "operator", "pin", "boss"])
        .write_stdin("1357\n1357\n")
        .assert()
        .code(7)
        .stderr(predicate::str::contains("may not set the PIN"));
    let out = station
        .run(&["--operator", "ana", "--json", "operator", "pin", "ana"])
        .write_stdin("1357\r\n1357\r\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let set: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(set["operator"]["name"], "ana");
    assert_eq!(set["changed"], false);
    // Changing it needs the old one.
    station
        .run(&["--operator", "ana", "operator", "pin", "ana"])
        .write_stdin("8642\n8642\n")
        .assert()
        .code(7);
    station
        .run(&["--operator", "ana", "operator", "pin", "ana"])
        .env("REFURBDESK_PIN", "1357")
        .write_stdin("8642\n8642\n")
        .assert()
        .success()
        .stdout("changed the PIN of ana (technician)\n");
}

#[test]
fn recording_as_an_operator_with_a_pin_needs_it_and_reading_does_not() {
    let station = Station::with_boss();
    let set = [
        "--operator",
        "boss",
        "settings",
        "set",
        "organisation.name",
        "Atelier",
    ];
    // Standard input is not a terminal and REFURBDESK_PIN is unset: refused, nothing recorded.
    station
        .run(&set)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("has a PIN"))
        .stderr(predicate::str::contains("REFURBDESK_PIN is not set"));
    station
        .run(&["--operator", "boss", "settings", "get", "organisation.name"])
        .assert()
        .code(4);
    // A wrong PIN is refused and says how many tries are left before the lock.
    station
        .run(&set)
        .env("REFURBDESK_PIN", "1111")
        .assert()
        .code(7)
        .stderr(predicate::str::contains("wrong PIN for \"boss\" (1 of 5"));
    station
        .run(&set)
        .env("REFURBDESK_PIN", "2468")
        .assert()
        .success();
    // Reading needs no PIN.
    station
        .run(&["--operator", "boss", "settings", "get", "organisation.name"])
        .assert()
        .success()
        .stdout("Atelier\n");
    station
        .run(&["--operator", "boss", "operator", "list"])
        .assert()
        .success();
    // An operator without a PIN records by name, as before.
    station
        .run(&[
            "--operator",
            "ana",
            "lock",
            "confirm",
            "--device",
            IMEI,
            "--clear",
            "--note",
            "x",
        ])
        .assert()
        .code(4);
    // The attempts are in the audit log, whose chain holds.
    let store = Store::open(&station.db).unwrap();
    let actions: Vec<String> = store
        .audit_entries(0, 100)
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(actions.contains(&"session.pin_refused".to_owned()));
    assert!(actions.contains(&"session.pin_accepted".to_owned()));
    station.run(&["audit", "verify"]).assert().success();
}

#[test]
fn five_wrong_pins_lock_the_operator_and_the_error_says_for_how_long() {
    let station = Station::with_boss();
    let add = [
        "--operator",
        "boss",
        "operator",
        "add",
        "ben",
        "--role",
        "technician",
    ];
    for _ in 0..4 {
        station
            .run(&add)
            .env("REFURBDESK_PIN", "0000")
            .assert()
            .code(7);
    }
    station
        .run(&add)
        .env("REFURBDESK_PIN", "0000")
        .assert()
        .code(7)
        .stderr(predicate::str::contains("locked for 15 minutes, until"));
    station
        .run(&add)
        .env("REFURBDESK_PIN", "2468")
        .assert()
        .code(7)
        .stderr(predicate::str::contains("is locked for 15 minutes"));
    station
        .run(&["operator", "list", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"ben\"").not());
}

/// A phone whose MDM state the bench could not read (lock verdict unknown), or read as none.
fn phone(mdm: MdmState) -> NewIntake {
    Phone {
        imei: IMEI,
        mdm,
        ..Phone::default()
    }
    .intake()
}

const CHECKS: &str = "powers_on_off=pass,charges=pass,touch=pass,screen_dead_pixels=pass,\
screen_burn_in=pass,biometrics=pass,all_features=pass,liquid_indicators=pass,\
housing_complete=pass,genuine_parts=pass";

fn grade_json(station: &Station) -> Value {
    let out = station
        .run(&[
            "--json",
            "grade",
            "--device",
            IMEI,
            "--check",
            CHECKS,
            "--cosmetic",
            "screen=flawless,back=flawless,frame=flawless",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn lock_confirm_records_the_confirmation_and_grades_again() {
    let station = Station::new();
    Store::open(&station.db)
        .unwrap()
        .record_intake(&phone(MdmState::Unknown))
        .unwrap();
    assert_eq!(grade_json(&station)["outcome"], "hold");

    // Exactly one of --clear and --blocked, and a note.
    station
        .run(&["lock", "confirm", "--device", IMEI, "--note", "x"])
        .assert()
        .code(2);
    station
        .run(&[
            "lock",
            "confirm",
            "--device",
            IMEI,
            "--clear",
            "--blocked",
            "--note",
            "x",
        ])
        .assert()
        .code(2);
    station
        .run(&[
            "lock", "confirm", "--device", IMEI, "--clear", "--note", " ",
        ])
        .assert()
        .code(2);
    station
        .run(&[
            "lock",
            "confirm",
            "--device",
            "490154203237518",
            "--clear",
            "--note",
            "x",
        ])
        .assert()
        .code(4);

    let out = station
        .run(&[
            "--json",
            "lock",
            "confirm",
            "--device",
            IMEI,
            "--blocked",
            "--note",
            "company phone, MDM console shows it enrolled",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let confirmed: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(confirmed["confirmation"]["verdict"], "blocked");
    assert_eq!(confirmed["confirmation"]["operator"], "os-user");
    assert_eq!(confirmed["regrade"]["status"], "graded");
    assert_eq!(
        confirmed["regrade"]["grade"]["report"]["outcome"],
        "blocked"
    );

    station
        .run(&[
            "lock",
            "confirm",
            "--device",
            IMEI,
            "--clear",
            "--note",
            "profile removed",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("lock confirmed clear by os-user"))
        .stdout(predicate::str::contains("graded again: outcome sellable"));
    station.run(&["audit", "verify"]).assert().success();
}

#[test]
fn lock_confirm_refuses_a_verdict_the_bench_read() {
    let station = Station::new();
    Store::open(&station.db)
        .unwrap()
        .record_intake(&phone(MdmState::None))
        .unwrap();
    station
        .run(&[
            "lock",
            "confirm",
            "--device",
            IMEI,
            "--blocked",
            "--note",
            "x",
        ])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("only an unknown verdict"));
}
