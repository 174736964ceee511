//! `record_intakes`: many intakes in one transaction, with the same result
//! as recording them one by one, and all or nothing.

use crate::common::{intake_of, phone, phone_intake, TestDb, IMEI, OTHER_IMEI};
use refurbdesk_store::{AuditReport, Role, Store, StoreError};

/// Five intakes on one bench: two devices seen twice, one once.
fn five() -> Vec<refurbdesk_store::NewIntake> {
    let mut intakes = vec![
        phone_intake(Some(IMEI), Some("SA"), 0),
        phone_intake(Some(OTHER_IMEI), None, 1),
        phone_intake(Some(IMEI), None, 2),
        intake_of(phone(Some("353918056287214"), Some("SC")), 1200, 3, "ana"),
        phone_intake(Some(OTHER_IMEI), Some("SB"), 4),
    ];
    intakes[3].bench.port = "/dev/ttyACM7".to_owned();
    intakes[4].bench.port = "/dev/ttyACM3".to_owned();
    intakes
}

fn actions(store: &Store) -> Vec<String> {
    store
        .audit_entries(0, 10_000)
        .expect("entries")
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

fn count(db: &TestDb, table: &str) -> i64 {
    db.raw()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("count")
}

#[test]
fn a_batch_records_what_one_by_one_would() {
    let batch_db = TestDb::new();
    let single_db = TestDb::new();
    let mut batch = batch_db.open();
    let mut single = single_db.open();

    let summaries = batch.record_intakes(&five()).expect("batch recorded");
    let singles: Vec<_> = five()
        .iter()
        .map(|intake| single.record_intake(intake).expect("recorded"))
        .collect();

    assert_eq!(summaries.len(), 5);
    let news = |list: &[refurbdesk_store::IntakeSummary]| -> Vec<bool> {
        list.iter().map(|summary| summary.new_device).collect()
    };
    assert_eq!(news(&summaries), [true, true, false, true, false]);
    assert_eq!(news(&summaries), news(&singles));
    assert_eq!(summaries[0].device_id, summaries[2].device_id);
    assert_eq!(summaries[1].device_id, summaries[4].device_id);

    for (from_batch, one_by_one) in summaries.iter().zip(&singles) {
        let a = batch
            .intake(from_batch.intake_id)
            .expect("read")
            .expect("there");
        let b = single
            .intake(one_by_one.intake_id)
            .expect("read")
            .expect("there");
        assert_eq!(
            (
                &a.identity,
                &a.battery,
                &a.lock,
                &a.tests,
                &a.evidence,
                a.slot,
                &a.bench
            ),
            (
                &b.identity,
                &b.battery,
                &b.lock,
                &b.tests,
                &b.evidence,
                b.slot,
                &b.bench
            )
        );
    }
    let serial_filled = batch
        .find_device("SB")
        .expect("find")
        .expect("the serial learnt later was filled in");
    assert_eq!(serial_filled.imei.as_deref(), Some(OTHER_IMEI));

    // The bench ends as the last intake left it, with one update for the
    // whole batch instead of one per intake.
    let bench = |db: &TestDb| -> (String, String) {
        db.raw()
            .query_row("SELECT last_port, last_seen FROM benches", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .expect("bench")
    };
    assert_eq!(bench(&batch_db), bench(&single_db));
    assert_eq!(bench(&batch_db).0, "/dev/ttyACM3");
    let batch_actions = actions(&batch);
    let updates = |list: &[String]| list.iter().filter(|a| *a == "bench.updated").count();
    assert_eq!(updates(&batch_actions), 1);
    assert_eq!(updates(&actions(&single)), 4);
    for action in ["intake.recorded", "device.registered", "device.identified"] {
        assert_eq!(
            batch_actions.iter().filter(|a| *a == action).count(),
            actions(&single).iter().filter(|a| *a == action).count(),
            "{action}"
        );
    }
    assert!(batch.verify_audit().expect("verify").is_intact());
    let report = batch.check().expect("check");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn an_invalid_intake_refuses_the_batch_naming_its_position() {
    let db = TestDb::new();
    let mut store = db.open();
    let mut intakes = five();
    intakes[2].slot = 0;
    let error = store.record_intakes(&intakes).expect_err("refused");
    assert!(
        matches!(&error, StoreError::InvalidIntake { field, .. } if field == "intakes[2].slot"),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("intakes[2].slot is 0"),
        "{error}"
    );
    assert_eq!(count(&db, "intakes"), 0);
}

#[test]
fn in_a_large_batch_the_first_invalid_intake_is_the_one_named() {
    // Large batches are serialized on two threads; the error still names
    // the first refused intake in batch order, whichever half it is in.
    let db = TestDb::new();
    let mut store = db.open();
    let mut intakes: Vec<_> = (0..100)
        .map(|minute| phone_intake(Some(IMEI), None, minute))
        .collect();
    intakes[80].slot = 0;
    let error = store.record_intakes(&intakes).expect_err("refused");
    assert!(
        error.to_string().contains("intakes[80].slot is 0"),
        "{error}"
    );
    intakes[30].slot = 0;
    let error = store.record_intakes(&intakes).expect_err("refused");
    assert!(
        error.to_string().contains("intakes[30].slot is 0"),
        "{error}"
    );
    assert_eq!(count(&db, "intakes"), 0);

    intakes[30].slot = 1;
    intakes[80].slot = 1;
    let summaries = store.record_intakes(&intakes).expect("recorded");
    assert_eq!(summaries.len(), 100);
    assert_eq!(count(&db, "intakes"), 100);
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn a_refusal_inside_the_transaction_leaves_nothing_behind() {
    let db = TestDb::new();
    let mut store = db.open();
    let boss = store.resolve_actor(None, "boss").expect("bootstrap");
    store
        .add_operator("boss", Role::Admin, &boss)
        .expect("boss");
    let boss = store.resolve_actor(Some("boss"), "boss").expect("boss");
    store
        .add_operator("ana", Role::Technician, &boss)
        .expect("ana");
    store
        .add_operator("otto", Role::Auditor, &boss)
        .expect("otto");
    let entries_before = actions(&store).len();

    // The fourth intake is by an auditor, who may not record intakes.
    let mut intakes = five();
    intakes[3].operator = "otto".to_owned();
    let error = store.record_intakes(&intakes).expect_err("refused");
    assert!(matches!(error, StoreError::NotAllowed { .. }), "{error:?}");

    // The fifth claims a serial another IMEI already owns.
    let mut intakes = five();
    intakes[4] = intake_of(phone(Some("359876543210987"), Some("SA")), 2400, 9, "ana");
    let error = store.record_intakes(&intakes).expect_err("refused");
    assert!(
        matches!(error, StoreError::IdentityConflict { .. }),
        "{error:?}"
    );

    for table in [
        "intakes",
        "devices",
        "benches",
        "intake_evidence",
        "intake_tests",
    ] {
        assert_eq!(count(&db, table), 0, "{table}");
    }
    assert_eq!(actions(&store).len(), entries_before);
    assert_eq!(
        store.verify_audit().expect("verify"),
        AuditReport::Intact {
            entries: entries_before as u64
        }
    );
}

#[test]
fn an_empty_batch_writes_nothing() {
    let db = TestDb::new();
    let mut store = db.open();
    let before = actions(&store).len();
    assert!(store.record_intakes(&[]).expect("empty").is_empty());
    assert_eq!(actions(&store).len(), before);
}

/// The planner's statistics, per table, as SQLite keeps them.
fn analysed(db: &TestDb, table: &str) -> i64 {
    let raw = db.raw();
    let has_statistics: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'",
            [],
            |row| row.get(0),
        )
        .expect("schema");
    if has_statistics == 0 {
        return 0;
    }
    raw.query_row(
        "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = ?1",
        [table],
        |row| row.get(0),
    )
    .expect("statistics")
}

#[test]
fn a_big_batch_leaves_the_planner_statistics_up_to_date() {
    let db = TestDb::new();
    let mut store = db.open();
    store
        .record_intakes(&[phone_intake(Some(IMEI), None, 0)])
        .expect("one intake");
    assert_eq!(analysed(&db, "intakes"), 0, "one intake is not worth it");

    // A thousand more, on the same connection, as an import would.
    let batch: Vec<_> = (1..=1_000)
        .map(|n| phone_intake(Some(&format!("35{n:013}")), None, n))
        .collect();
    store.record_intakes(&batch).expect("recorded");
    assert!(
        analysed(&db, "intakes") >= 6,
        "every index of intakes has statistics"
    );
    assert!(analysed(&db, "devices") >= 1);
}
