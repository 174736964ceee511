use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use crate::common::{drop_append_only_triggers, phone_intake, TestDb, IMEI, OTHER_IMEI};
use refurbdesk_store::{DeviceFilter, Store, StoreError};

fn intake_count(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .expect("opens")
        .query_row("SELECT COUNT(*) FROM intakes", [], |row| row.get(0))
        .expect("count")
}

#[test]
fn a_fresh_database_checks_ok() {
    let db = TestDb::new();
    let report = db.open().check().expect("check");
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.integrity, ["ok"]);
}

#[test]
fn a_backup_is_a_complete_self_contained_copy() {
    let db = TestDb::new();
    let mut store = db.open();
    store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("recorded");
    let backup = db.dir.path().join("copy.db");
    store.backup_to(&backup).expect("backup");

    assert!(!db.dir.path().join("copy.db-wal").exists());
    let copy = Store::open(&backup).expect("backup opens as a store");
    assert_eq!(copy.station_id(), store.station_id());
    assert!(copy.check().expect("check").is_ok());
    assert_eq!(
        copy.list_devices(&DeviceFilter::default())
            .expect("list")
            .len(),
        1
    );
    let leftovers = std::fs::read_dir(db.dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().contains(".partial"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_backup_onto_the_live_database_is_refused() {
    let db = TestDb::new();
    let store = db.open();
    let error = store.backup_to(&db.path).expect_err("same file");
    assert!(matches!(error, StoreError::SameFile { .. }), "{error:?}");
}

#[test]
fn a_backup_taken_while_another_program_writes_is_consistent() {
    let db = TestDb::new();
    let store = db.open();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let path = db.path.clone();
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let mut other = Store::open(&path).expect("second store");
            let mut written = 0_i64;
            while !stop.load(Ordering::Relaxed) || written < 20 {
                let imei = if written % 2 == 0 { IMEI } else { OTHER_IMEI };
                other
                    .record_intake(&phone_intake(Some(imei), None, written))
                    .expect("writer records");
                written += 1;
            }
            written
        })
    };

    let mut copies = Vec::new();
    for index in 0..5 {
        let target = db.dir.path().join(format!("backup-{index}.db"));
        store.backup_to(&target).expect("backup during writes");
        copies.push(target);
        thread::sleep(std::time::Duration::from_millis(5));
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().expect("writer thread");

    for copy in &copies {
        let restored = Store::open(copy).expect("copy opens");
        let report = restored.check().expect("check");
        assert!(report.is_ok(), "{}: {report:?}", copy.display());
        assert!(intake_count(copy) <= written);
    }
    assert_eq!(intake_count(&db.path), written);
}

#[test]
fn restore_replaces_the_target_and_keeps_what_it_replaced() {
    let db = TestDb::new();
    let backup = db.dir.path().join("monday.db");
    {
        let mut store = db.open();
        store
            .record_intake(&phone_intake(Some(IMEI), None, 0))
            .expect("monday's intake");
        store.backup_to(&backup).expect("backup");
        store
            .record_intake(&phone_intake(Some(OTHER_IMEI), None, 1))
            .expect("tuesday's intake");
    }
    assert_eq!(intake_count(&db.path), 2);

    let report = Store::restore_from(&backup, &db.path).expect("restored");
    assert!(report.audit_entries > 0);
    let kept = report.replaced_copy.expect("the replaced database is kept");
    assert_eq!(intake_count(&db.path), 1);
    assert_eq!(intake_count(&kept), 2);

    let store = db.open();
    assert!(store.check().expect("check").is_ok());
    assert!(store.find_device(OTHER_IMEI).expect("find").is_none());
    assert!(store.find_device(IMEI).expect("find").is_some());
}

#[test]
fn restore_into_a_new_place_needs_no_existing_target() {
    let db = TestDb::new();
    let backup = db.dir.path().join("copy.db");
    db.open().backup_to(&backup).expect("backup");
    let target = db.dir.path().join("elsewhere.db");
    let report = Store::restore_from(&backup, &target).expect("restored");
    assert_eq!(report.replaced_copy, None);
    assert!(Store::open(&target)
        .expect("opens")
        .check()
        .expect("check")
        .is_ok());
}

#[test]
fn a_backup_with_a_broken_audit_chain_is_not_restored() {
    let db = TestDb::new();
    let backup = db.dir.path().join("copy.db");
    {
        let mut store = db.open();
        store
            .record_intake(&phone_intake(Some(IMEI), None, 0))
            .expect("recorded");
        store.backup_to(&backup).expect("backup");
    }
    let tampered = rusqlite::Connection::open(&backup).expect("opens");
    drop_append_only_triggers(&tampered);
    tampered
        .execute(
            "UPDATE audit_log SET operator = 'mallory' WHERE seq = 2",
            [],
        )
        .expect("tampered");
    drop(tampered);
    let before = std::fs::read(&db.path).expect("reads");

    let error = Store::restore_from(&backup, &db.path).expect_err("refused");
    match &error {
        StoreError::AuditBroken { problem, .. } => assert_eq!(problem.seq(), 2),
        other => panic!("expected AuditBroken, got {other:?}"),
    }
    assert!(error.to_string().contains("entry 2"), "{error}");
    assert_eq!(
        std::fs::read(&db.path).expect("reads"),
        before,
        "target untouched"
    );
}

#[test]
fn a_damaged_or_foreign_backup_is_not_restored() {
    let db = TestDb::new();
    drop(db.open());

    let garbage = db.dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a; 8192]).expect("written");
    assert!(matches!(
        Store::restore_from(&garbage, &db.path),
        Err(StoreError::NotADatabase { .. })
    ));

    let foreign = db.dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .expect("opens")
        .execute_batch("CREATE TABLE t (x);")
        .expect("made");
    assert!(matches!(
        Store::restore_from(&foreign, &db.path),
        Err(StoreError::ForeignDatabase { .. })
    ));

    let missing = db.dir.path().join("missing.db");
    let error = Store::restore_from(&missing, &db.path).expect_err("missing");
    assert!(error.to_string().contains("missing.db"), "{error}");
    assert!(!missing.exists(), "looking at a backup must not create it");
}

#[test]
fn a_corrupted_backup_fails_the_integrity_check() {
    let db = TestDb::new();
    let backup = db.dir.path().join("copy.db");
    {
        let mut store = db.open();
        for minute in 0..30 {
            store
                .record_intake(&phone_intake(Some(IMEI), None, minute))
                .expect("recorded");
        }
        store.backup_to(&backup).expect("backup");
    }
    // Scribble over the middle of the file, past the header page.
    let mut bytes = std::fs::read(&backup).expect("reads");
    assert!(bytes.len() > 16_384, "the backup should span several pages");
    for byte in &mut bytes[8192..12288] {
        *byte = 0xff;
    }
    std::fs::write(&backup, bytes).expect("written");

    let error = Store::restore_from(&backup, &db.path).expect_err("refused");
    assert!(
        matches!(
            error,
            StoreError::Corrupt { .. } | StoreError::Damaged { .. }
        ),
        "{error:?}"
    );
    assert_eq!(intake_count(&db.path), 30, "target untouched");
}

#[test]
fn restore_refuses_a_target_that_is_still_open() {
    let db = TestDb::new();
    let backup = db.dir.path().join("copy.db");
    let store = db.open();
    store.backup_to(&backup).expect("backup");

    let error = Store::restore_from(&backup, &db.path).expect_err("target open");
    assert!(matches!(error, StoreError::TargetInUse { .. }), "{error:?}");
    assert!(
        error.to_string().contains("close the Refurbdesk app"),
        "{error}"
    );
    drop(store);
    Store::restore_from(&backup, &db.path).expect("restores once closed");
}
