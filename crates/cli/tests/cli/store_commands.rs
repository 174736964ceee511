//! `operator`, `audit verify`, `db backup|restore|check` and `devices`, run as the real binary on
//! real SQLite files whose records were made through the store's API (and, where the point is
//! tampering, changed behind its back with plain SQL).

use std::path::PathBuf;

use predicates::prelude::*;
use refurbdesk_domain::ActivationLock;
use refurbdesk_store::{Direction, EvidenceLine, NewIntake, Role, Store};
use serde_json::Value;

use crate::support::{at, json_of, Phone, Station};

const IMEI_A: &str = "356728114587211";
const IMEI_B: &str = "490154203237518";
const IMEI_C: &str = "353918056287214";

impl Station {
    /// A station with an admin "boss" and technicians "ana" and "ben", and intakes of three
    /// phones: A twice (passed, then worn out by ben), B (needs a battery, activation locked),
    /// C (passed).
    fn with_history() -> Station {
        let station = Station::new();
        let mut store = station.store();
        let boss = store.resolve_actor(None, "boss").expect("bootstrap actor");
        store
            .add_operator("boss", Role::Admin, &boss)
            .expect("boss");
        let boss = store.resolve_actor(Some("boss"), "x").expect("boss acts");
        for name in ["ana", "ben"] {
            store
                .add_operator(name, Role::Technician, &boss)
                .expect("technician added");
        }
        store
            .record_intake(&intake(IMEI_A, 2421, 0, "ana", false))
            .expect("A1");
        store
            .record_intake(&intake(IMEI_B, 2300, 10, "ana", true))
            .expect("B");
        store
            .record_intake(&intake(IMEI_C, 2600, 20, "ana", false))
            .expect("C");
        store
            .record_intake(&intake(IMEI_A, 1000, 30, "ben", false))
            .expect("A2");
        station
    }
}

/// A complete phone intake with battery health `full_mah`/2815.
fn intake(
    imei: &'static str,
    full_mah: u32,
    minute: i64,
    operator: &'static str,
    locked: bool,
) -> NewIntake {
    Phone {
        imei,
        serial: Some(format!("SN-{imei}")),
        full_mah,
        cycles: 400,
        activation: if locked {
            ActivationLock::Locked
        } else {
            ActivationLock::Unlocked
        },
        slot: 2,
        evidence: vec![EvidenceLine {
            at: at(minute),
            direction: Direction::Bench,
            line: "3 OK present=yes*00".to_owned(),
        }],
        minute,
        seconds: 90,
        operator,
        ..Phone::default()
    }
    .intake()
}

/// Lets the tests edit history directly, as someone with the file and an SQLite shell could.
fn drop_protective_triggers(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP TRIGGER audit_log_append_only_update;
         DROP TRIGGER audit_log_append_only_delete;
         DROP TRIGGER intakes_append_only_update;
         DROP TRIGGER intakes_append_only_delete;",
    )
    .expect("triggers dropped");
}

fn audit_id(conn: &rusqlite::Connection, seq: i64) -> String {
    conn.query_row("SELECT id FROM audit_log WHERE seq = ?1", [seq], |row| {
        row.get(0)
    })
    .expect("entry exists")
}

// ---------------------------------------------------------------------------------------------
// operator

#[test]
fn the_first_operator_is_added_by_the_os_user_and_must_be_an_admin() {
    let station = Station::new();
    station
        .cli()
        .args(["operator", "add", "ana", "--role", "technician"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains(
            "the first operator must be an admin",
        ));

    station
        .cli()
        .args(["operator", "add", "boss", "--role", "admin", "--json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("os-user acts as admin"));
    let out = station
        .cli()
        .args(["operator", "list", "--json"])
        .assert()
        .success();
    let list = json_of(&out.get_output().stdout);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["name"], "boss");
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[0]["disabled"], false);

    // From now on the OS user is nobody: an operator must be named.
    station
        .cli()
        .args(["operator", "add", "ana", "--role", "technician"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("\"os-user\" is not registered"));
}

#[test]
fn operators_are_managed_by_admins_only_and_the_last_admin_stays() {
    let station = Station::with_history();
    let add = station
        .cli()
        .args(["--operator", "boss", "operator", "add", "qm", "--role"])
        .arg("quality_manager")
        .arg("--json")
        .assert()
        .success();
    let added = json_of(&add.get_output().stdout);
    assert_eq!(added["name"], "qm");
    assert_eq!(added["role"], "quality_manager");

    station
        .cli()
        .env("REFURBDESK_OPERATOR", "ana")
        .args(["operator", "add", "eve", "--role", "admin"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains(
            "operator \"ana\" is a technician and may not manage operators",
        ));
    station
        .cli()
        .args([
            "--operator",
            "boss",
            "operator",
            "add",
            "ANA",
            "--role",
            "auditor",
        ])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("already exists"));
    station
        .cli()
        .args([
            "--operator",
            "boss",
            "operator",
            "add",
            "x",
            "--role",
            "boss",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a role"));

    station
        .cli()
        .args(["--operator", "boss", "operator", "disable", "ana"])
        .assert()
        .success()
        .stdout("disabled operator ana (technician)\n");
    station
        .cli()
        .args(["--operator", "ana", "operator", "list"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^ana +technician +disabled ").expect("regex"));
    // A disabled operator can no longer act.
    station
        .cli()
        .args(["--operator", "ana", "operator", "enable", "ana"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("\"ana\" is disabled"));
    station
        .cli()
        .args(["--operator", "boss", "operator", "enable", "ana", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"disabled\":false"));

    station
        .cli()
        .args(["--operator", "boss", "operator", "disable", "boss"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("last enabled admin"));
    station
        .cli()
        .args(["--operator", "boss", "operator", "disable", "zed"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("\"zed\" is not registered"));

    // Every change went through the audit log, and the chain holds.
    let actions: Vec<String> = station
        .store()
        .audit_entries(0, 1_000)
        .expect("entries")
        .into_iter()
        .map(|entry| entry.action)
        .filter(|action| action.starts_with("operator."))
        .collect();
    assert_eq!(
        actions,
        [
            "operator.added",
            "operator.added",
            "operator.added",
            "operator.added",
            "operator.disabled",
            "operator.enabled"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// audit verify

#[test]
fn audit_verify_counts_the_entries_of_an_intact_chain() {
    let station = Station::with_history();
    let entries = station
        .store()
        .audit_entries(0, 1_000)
        .expect("entries")
        .len();
    station
        .cli()
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(format!("audit log intact: {entries} entries verified\n"));
    let out = station
        .cli()
        .args(["audit", "verify", "--json"])
        .assert()
        .success();
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["status"], "intact");
    assert_eq!(report["entries"], entries);
    assert_eq!(report["database"], station.db.to_str().expect("utf-8 path"));
}

#[test]
fn audit_verify_names_an_altered_entry() {
    let station = Station::with_history();
    let raw = station.raw();
    drop_protective_triggers(&raw);
    let id = audit_id(&raw, 6);
    raw.execute(
        "UPDATE audit_log SET operator = 'mallory' WHERE seq = 6",
        [],
    )
    .expect("tampered");

    station
        .cli()
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "audit entry 6 (id {id}) was altered"
        )))
        .stderr(predicate::str::contains("does not verify"));
    let out = station
        .cli()
        .args(["audit", "verify", "--json"])
        .assert()
        .code(1);
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["status"], "broken");
    assert_eq!(report["entries_verified"], 5);
    assert_eq!(report["problem"]["kind"], "altered");
    assert_eq!(report["problem"]["seq"], 6);
    assert_eq!(report["problem"]["id"], id.as_str());
}

#[test]
fn audit_verify_names_a_removed_entry() {
    let station = Station::with_history();
    let raw = station.raw();
    drop_protective_triggers(&raw);
    let next = audit_id(&raw, 5);
    raw.execute("DELETE FROM audit_log WHERE seq = 4", [])
        .expect("tampered");

    let out = station
        .cli()
        .args(["audit", "verify", "--json"])
        .assert()
        .code(1);
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["problem"]["kind"], "removed");
    assert_eq!(report["problem"]["seq"], 4);
    assert_eq!(report["problem"]["next_id"], next.as_str());
    station
        .cli()
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "audit entry 4 was removed: the log goes on at entry 5 (id {next})"
        )));
}

#[test]
fn audit_verify_names_reordered_entries() {
    let station = Station::with_history();
    let raw = station.raw();
    drop_protective_triggers(&raw);
    let moved = audit_id(&raw, 3);
    raw.execute_batch(
        "UPDATE audit_log SET seq = -1 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = 4;
         UPDATE audit_log SET seq = 4 WHERE seq = -1;",
    )
    .expect("swapped");

    let out = station
        .cli()
        .args(["audit", "verify", "--json"])
        .assert()
        .code(1);
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["problem"]["kind"], "reordered", "{report}");
    assert_eq!(report["problem"]["seq"], 3);
    assert_eq!(report["problem"]["belongs_at"], 4);
    assert_ne!(report["problem"]["id"], moved.as_str());
}

#[test]
fn read_commands_do_not_create_a_missing_database() {
    let station = Station::new();
    for args in [
        vec!["audit", "verify"],
        vec!["db", "check"],
        vec!["devices"],
        vec!["operator", "list"],
        vec!["db", "backup", "copy.sqlite"],
    ] {
        station
            .cli()
            .args(&args)
            .assert()
            .code(4)
            .stderr(predicate::str::contains("there is no database at"));
    }
    assert!(!station.db.exists());
}

#[test]
fn a_file_that_is_not_a_database_is_a_data_error() {
    let station = Station::new();
    std::fs::write(
        &station.db,
        b"certainly not SQLite, but long enough to be read as a header",
    )
    .expect("written");
    station
        .cli()
        .args(["audit", "verify"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains(
            "is not a readable SQLite database",
        ));
}

// ---------------------------------------------------------------------------------------------
// db backup / restore / check

#[test]
fn db_check_passes_a_sound_file_and_lists_a_record_changed_behind_the_store() {
    let station = Station::with_history();
    station
        .cli()
        .args(["db", "check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("file integrity: ok"))
        .stdout(predicate::str::contains("records: all match the audit log"));

    let raw = station.raw();
    drop_protective_triggers(&raw);
    let intake: String = raw
        .query_row("SELECT id FROM intakes WHERE operator = 'ben'", [], |row| {
            row.get(0)
        })
        .expect("ben's intake");
    raw.execute(
        "UPDATE intakes SET battery_verdict = 'pass' WHERE operator = 'ben'",
        [],
    )
    .expect("tampered");

    // The chain itself still holds; only the full check sees the changed record.
    station.cli().args(["audit", "verify"]).assert().success();
    station
        .cli()
        .args(["db", "check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "intake {intake} differs from what audit entry"
        )));
    let out = station
        .cli()
        .args(["db", "check", "--json"])
        .assert()
        .code(1);
    let report = json_of(&out.get_output().stdout);
    assert_eq!(report["ok"], false);
    assert_eq!(report["integrity"], serde_json::json!(["ok"]));
    assert_eq!(report["audit"]["status"], "intact");
    assert_eq!(report["records"][0]["kind"], "changed");
    assert_eq!(report["records"][0]["entity_id"], intake.as_str());
}

#[test]
fn a_backup_restores_the_history_it_was_taken_from() {
    let station = Station::with_history();
    let backup = station.home.path().join("monday.sqlite");
    let out = station
        .cli()
        .arg("db")
        .arg("backup")
        .arg(&backup)
        .arg("--json")
        .assert()
        .success();
    let made = json_of(&out.get_output().stdout);
    assert_eq!(made["backup"], backup.to_str().expect("utf-8"));
    assert_eq!(
        made["bytes"],
        std::fs::metadata(&backup).expect("backup exists").len()
    );
    // The copy stands alone: a different Store opens it and finds the same history.
    let copy = Store::open(&backup).expect("backup opens");
    assert_eq!(copy.station_id(), station.store().station_id());
    assert!(copy.verify_audit().expect("verify").is_intact());
    drop(copy);

    station
        .cli()
        .arg("db")
        .arg("backup")
        .arg(&backup)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("already exists"));
    station
        .cli()
        .arg("db")
        .arg("backup")
        .arg(&backup)
        .arg("--force")
        .assert()
        .success();

    // Later the live file is damaged behind the store's back...
    let raw = station.raw();
    drop_protective_triggers(&raw);
    raw.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .expect("tampered");
    drop(raw);
    station.cli().args(["db", "check"]).assert().code(1);

    // ...a technician may not restore, an admin may.
    station
        .cli()
        .args(["--operator", "ana", "db", "restore"])
        .arg(&backup)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("only an admin may"));
    let out = station
        .cli()
        .args(["--operator", "boss", "db", "restore"])
        .arg(&backup)
        .arg("--json")
        .assert()
        .success();
    let restored = json_of(&out.get_output().stdout);
    let kept = PathBuf::from(
        restored["replaced_copy"]
            .as_str()
            .expect("the replaced database is kept"),
    );
    assert!(kept.exists());
    assert_eq!(
        restored["audit_entries"],
        station
            .store()
            .audit_entries(0, 1_000)
            .expect("entries")
            .len()
    );
    station.cli().args(["db", "check"]).assert().success();
    assert_eq!(
        station
            .store()
            .list_devices(&Default::default())
            .expect("list")
            .len(),
        3
    );
}

#[test]
fn a_backup_with_a_broken_chain_is_not_restored() {
    let station = Station::with_history();
    let backup = station.home.path().join("bad.sqlite");
    station
        .cli()
        .arg("db")
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    let raw = rusqlite::Connection::open(&backup).expect("backup opens");
    drop_protective_triggers(&raw);
    raw.execute("UPDATE audit_log SET action = 'nothing' WHERE seq = 3", [])
        .expect("tampered");
    drop(raw);
    let before = std::fs::read(&station.db).expect("live file");

    station
        .cli()
        .args(["--operator", "boss", "db", "restore"])
        .arg(&backup)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("audit entry 3"))
        .stderr(predicate::str::contains("does not verify"));
    assert_eq!(
        std::fs::read(&station.db).expect("live file"),
        before,
        "the live database is untouched"
    );
    station
        .cli()
        .args(["--operator", "boss", "db", "restore"])
        .arg(station.home.path().join("absent.sqlite"))
        .assert()
        .code(4);
}

// ---------------------------------------------------------------------------------------------
// devices

fn device_imeis(station: &Station, args: &[&str]) -> Vec<String> {
    let out = station
        .cli()
        .arg("devices")
        .args(args)
        .arg("--json")
        .assert()
        .success();
    let rows = json_of(&out.get_output().stdout);
    rows.as_array()
        .expect("one JSON array")
        .iter()
        .map(|row| row["imei"].as_str().expect("imei").to_owned())
        .collect()
}

#[test]
fn devices_lists_each_device_as_its_latest_intake_left_it() {
    let station = Station::with_history();
    assert_eq!(device_imeis(&station, &[]), [IMEI_A, IMEI_C, IMEI_B]);

    let out = station.cli().args(["devices", "--json"]).assert().success();
    let rows = json_of(&out.get_output().stdout);
    let a = &rows[0];
    assert_eq!(a["intake_count"], 2);
    assert_eq!(a["last_operator"], "ben");
    assert_eq!(a["battery_verdict"], "consumed");
    assert_eq!(a["lock_verdict"], "clear");
    assert_eq!(a["serial"], format!("SN-{IMEI_A}"));

    // A passed once, but its latest intake did not.
    assert_eq!(device_imeis(&station, &["--battery", "pass"]), [IMEI_C]);
    assert_eq!(device_imeis(&station, &["--battery", "replace"]), [IMEI_B]);
    assert_eq!(device_imeis(&station, &["--lock", "blocked"]), [IMEI_B]);
    assert_eq!(device_imeis(&station, &["--by", "ben"]), [IMEI_A]);
    assert_eq!(device_imeis(&station, &["--imei", IMEI_C]), [IMEI_C]);
    let serial = format!("SN-{IMEI_B}");
    assert_eq!(device_imeis(&station, &["--serial", &serial]), [IMEI_B]);
    assert_eq!(
        device_imeis(&station, &["--since", "2025-03-14T09:15:00Z"]),
        [IMEI_A, IMEI_C]
    );
    assert!(device_imeis(&station, &["--since", "2025-03-15"]).is_empty());
    assert_eq!(
        device_imeis(&station, &["--limit", "1", "--offset", "1"]),
        [IMEI_C]
    );
    assert_eq!(device_imeis(&station, &["--limit", "0"]).len(), 3);
    assert_eq!(
        device_imeis(&station, &["--battery", "consumed", "--by", "ana"]),
        Vec::<String>::new()
    );
    // Nothing is graded yet: the grade filters match nothing, and the rows say so.
    assert!(device_imeis(&station, &["--outcome", "sellable"]).is_empty());
    assert!(device_imeis(&station, &["--grade", "PREMIUM"]).is_empty());
    assert_eq!(rows[0]["outcome"], Value::Null);
    assert_eq!(rows[0]["listing_grade"], Value::Null);
}

#[test]
fn devices_prints_a_table_and_rejects_unknown_words() {
    let station = Station::with_history();
    station
        .cli()
        .args(["devices", "--lock", "blocked"])
        .assert()
        .success()
        .stdout(predicate::str::contains("LAST INTAKE"))
        .stdout(
            predicate::str::is_match(format!(
                r"(?m)^2025-03-14 09:10  {IMEI_B}  Apple iPhone 12  replace \(81\.7%\) +blocked +ana +- +1$"
            ))
            .expect("regex"),
        );
    station
        .cli()
        .args(["devices", "--since", "2099-01-01"])
        .assert()
        .success()
        .stdout("no devices match\n");
    station
        .cli()
        .args(["devices", "--battery", "great"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pass, replace, consumed, unknown, absent",
        ));
    station
        .cli()
        .args(["devices", "--since", "last tuesday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a date"));
    station
        .cli()
        .args(["devices", "--outcome", "great"])
        .assert()
        .code(2);
}
