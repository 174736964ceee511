use crate::common::{drop_append_only_triggers, phone_intake, TestDb, IMEI, OTHER_IMEI};
use proptest::prelude::*;
use refurbdesk_store::{AuditProblem, AuditReport, RecordMismatch, Store, GENESIS_HASH};
use sha2::{Digest, Sha256};

/// A store with a few writes behind it; returns how many audit entries.
fn busy_store(db: &TestDb, intakes: i64) -> (Store, i64) {
    let mut store = db.open();
    for minute in 0..intakes {
        let imei = if minute % 2 == 0 { IMEI } else { OTHER_IMEI };
        store
            .record_intake(&phone_intake(Some(imei), None, minute))
            .expect("recorded");
    }
    let entries = store.audit_entries(0, 10_000).expect("entries").len() as i64;
    (store, entries)
}

fn id_at(conn: &rusqlite::Connection, seq: i64) -> String {
    conn.query_row("SELECT id FROM audit_log WHERE seq = ?1", [seq], |row| {
        row.get(0)
    })
    .expect("entry exists")
}

/// The documented hash, computed independently of the store's code.
fn documented_hash(conn: &rusqlite::Connection, seq: i64) -> (String, String) {
    conn.query_row(
        "SELECT seq, id, at, station_id, operator, action, entity, entity_id,
                before_digest, after_digest, prev_hash
         FROM audit_log WHERE seq = ?1",
        [seq],
        |row| {
            let canonical = serde_json::json!([
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, Option<String>>(8)?,
                row.get::<_, Option<String>>(9)?,
            ]);
            let prev: String = row.get(10)?;
            let mut hasher = Sha256::new();
            hasher.update(prev.as_bytes());
            hasher.update(canonical.to_string().as_bytes());
            Ok((prev, hex::encode(hasher.finalize())))
        },
    )
    .expect("entry exists")
}

#[test]
fn every_write_is_logged_and_the_chain_verifies() {
    let db = TestDb::new();
    let (store, entries) = busy_store(&db, 3);
    // station, then per intake: bench (first only), device (first two), intake.
    let actions: Vec<String> = store
        .audit_entries(0, 100)
        .expect("entries")
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions,
        [
            "station.created",
            "bench.registered",
            "device.registered",
            "intake.recorded",
            "bench.updated",
            "device.registered",
            "intake.recorded",
            "bench.updated",
            "intake.recorded",
        ]
    );
    assert_eq!(
        store.verify_audit().expect("verify"),
        AuditReport::Intact {
            entries: entries as u64
        }
    );
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn the_chain_follows_the_documented_formula() {
    let db = TestDb::new();
    let (store, entries) = busy_store(&db, 2);
    let raw = db.raw();
    let mut expected_prev = GENESIS_HASH.to_owned();
    for seq in 1..=entries {
        let (prev, hash) = documented_hash(&raw, seq);
        assert_eq!(prev, expected_prev, "entry {seq} links to the one before");
        let stored: String = raw
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |row| {
                row.get(0)
            })
            .expect("hash");
        assert_eq!(stored, hash, "entry {seq}");
        expected_prev = stored;
    }
    let entry = &store.audit_entries(3, 1).expect("entries")[0];
    assert_eq!(entry.seq, 4);
    assert_eq!(entry.action, "intake.recorded");
    assert_eq!(entry.operator, "ana");
    assert_eq!(entry.station_id, store.station_id());
    assert!(entry.before_digest.is_none(), "an insert has no before");
    assert_eq!(entry.after_digest.as_ref().map(String::len), Some(64));
}

#[test]
fn an_edited_field_is_named_by_its_seq() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 3);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    raw.execute(
        "UPDATE audit_log SET operator = 'mallory' WHERE seq = 4",
        [],
    )
    .expect("tampered");
    let report = store.verify_audit().expect("verify");
    assert_eq!(
        report,
        AuditReport::Broken {
            entries_verified: 3,
            problem: AuditProblem::Altered {
                seq: 4,
                id: id_at(&raw, 4)
            }
        }
    );
    assert!(report.to_string().contains("entry 4"), "{report}");
}

#[test]
fn a_deleted_entry_is_named_by_the_gap() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 3);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    let next_id = id_at(&raw, 6);
    raw.execute("DELETE FROM audit_log WHERE seq = 5", [])
        .expect("tampered");
    assert_eq!(
        store.verify_audit().expect("verify").problem(),
        Some(&AuditProblem::Removed {
            seq: 5,
            next_seq: 6,
            next_id
        })
    );
}

#[test]
fn deleting_the_first_entry_is_a_gap_too() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 1);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    raw.execute("DELETE FROM audit_log WHERE seq = 1", [])
        .expect("tampered");
    assert_eq!(
        store
            .verify_audit()
            .expect("verify")
            .problem()
            .map(AuditProblem::seq),
        Some(1)
    );
}

#[test]
fn swapped_entries_are_named_as_reordered() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 3);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    let moved_id = id_at(&raw, 7);
    raw.execute_batch(
        "UPDATE audit_log SET seq = -1 WHERE seq = 6;
         UPDATE audit_log SET seq = 6 WHERE seq = 7;
         UPDATE audit_log SET seq = 7 WHERE seq = -1;",
    )
    .expect("tampered");
    assert_eq!(
        store.verify_audit().expect("verify").problem(),
        Some(&AuditProblem::Reordered {
            seq: 6,
            id: moved_id,
            belongs_at: 7
        })
    );
}

#[test]
fn a_rewritten_entry_with_a_recomputed_hash_is_still_found() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 3);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    raw.execute(
        "UPDATE audit_log SET operator = 'mallory' WHERE seq = 4",
        [],
    )
    .expect("tampered");
    let (_, forged) = documented_hash(&raw, 4);
    raw.execute("UPDATE audit_log SET hash = ?1 WHERE seq = 4", [forged])
        .expect("hash forged");
    assert_eq!(
        store.verify_audit().expect("verify").problem(),
        Some(&AuditProblem::Altered {
            seq: 4,
            id: id_at(&raw, 4)
        })
    );
}

#[test]
fn check_finds_records_changed_behind_the_stores_back() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 2);
    let device = store.find_device(IMEI).expect("find").expect("device");
    let raw = db.raw();
    raw.execute(
        "UPDATE devices SET model = 'iPhone 15 Pro' WHERE id = ?1",
        [device.id.to_string()],
    )
    .expect("tampered");
    let report = store.check().expect("check");
    assert!(report.audit.is_intact(), "the log itself was not touched");
    assert_eq!(report.integrity, ["ok"]);
    assert!(!report.is_ok());
    assert!(
        matches!(
            report.records.as_slice(),
            [RecordMismatch::Changed { entity, entity_id, seq: 3 }]
                if entity == "device" && *entity_id == device.id.to_string()
        ),
        "{:?}",
        report.records
    );
}

#[test]
fn check_finds_a_truncated_log_through_the_records_it_left_unaudited() {
    let db = TestDb::new();
    let (store, entries) = busy_store(&db, 2);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    raw.execute("DELETE FROM audit_log WHERE seq = ?1", [entries])
        .expect("last entry removed");
    // A shorter chain still links up...
    assert!(store.verify_audit().expect("verify").is_intact());
    // ...but the intake it described now has no entry.
    let report = store.check().expect("check");
    assert!(
        matches!(report.records.as_slice(), [RecordMismatch::Unaudited { entity, .. }] if entity == "intake"),
        "{:?}",
        report.records
    );
}

#[test]
fn check_finds_deleted_and_inserted_records() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 1);
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    raw.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM intakes;
         INSERT INTO benches (id, serial, vendor, model, fw, last_port, first_seen, last_seen, station_id)
         SELECT 'ghost', 'GHOST', 'x', 'x', 'x', 'x', first_seen, last_seen, station_id FROM benches;",
    )
    .expect("tampered");
    let report = store.check().expect("check");
    let missing_intake = report
        .records
        .iter()
        .any(|m| matches!(m, RecordMismatch::Missing { entity, .. } if entity == "intake"));
    let ghost_bench = report.records.iter().any(
        |m| matches!(m, RecordMismatch::Unaudited { entity, entity_id } if entity == "bench" && entity_id == "ghost"),
    );
    assert!(missing_intake && ghost_bench, "{:?}", report.records);
    assert!(
        report.foreign_keys.is_empty(),
        "an intake's tests and evidence are in its row: deleting it orphans nothing: {:?}",
        report.foreign_keys
    );
}

/// The intake's entry seq and id, and a connection that can edit intakes.
fn tamperable_intake(db: &TestDb, store: &Store) -> (rusqlite::Connection, String, i64) {
    let raw = db.raw();
    drop_append_only_triggers(&raw);
    let id: String = raw
        .query_row("SELECT id FROM intakes ORDER BY id LIMIT 1", [], |row| {
            row.get(0)
        })
        .expect("an intake");
    let seq = store
        .audit_entries(0, 1_000)
        .expect("entries")
        .into_iter()
        .find(|entry| entry.entity_id == id)
        .expect("its entry")
        .seq;
    (raw, id, seq)
}

#[test]
fn check_finds_evidence_changed_inside_an_intake() {
    for (what, change) in [
        (
            "one character of a line",
            "replace(evidence_json, 'IDENT', 'IDENX')",
        ),
        (
            "a line's direction",
            "json_replace(evidence_json, '$[0][1]', 'bench')",
        ),
        (
            "the lines' order",
            "json_array(evidence_json -> 1, evidence_json -> 0)",
        ),
        ("a line removed", "json_remove(evidence_json, '$[1]')"),
        // Same lines, written with a space: the bytes are the evidence.
        ("the bytes only", "replace(evidence_json, '],[', '], [')"),
    ] {
        let db = TestDb::new();
        let (store, _) = busy_store(&db, 2);
        let (raw, id, seq) = tamperable_intake(&db, &store);
        let changed = raw
            .execute(
                &format!("UPDATE intakes SET evidence_json = {change} WHERE id = ?1"),
                [&id],
            )
            .expect("tampered");
        assert_eq!(changed, 1);
        let report = store.check().expect("check");
        assert!(report.audit.is_intact(), "the log itself was not touched");
        assert_eq!(
            report.records,
            [RecordMismatch::Changed {
                entity: "intake".to_owned(),
                entity_id: id,
                seq
            }],
            "{what}"
        );
    }
}

#[test]
fn check_finds_test_results_changed_inside_an_intake() {
    let db = TestDb::new();
    let (store, _) = busy_store(&db, 2);
    let (raw, id, seq) = tamperable_intake(&db, &store);
    raw.execute(
        "UPDATE intakes SET tests_json = replace(tests_json, '\"fail\"', '\"pass\"')
         WHERE id = ?1",
        [&id],
    )
    .expect("tampered");
    assert_eq!(
        store.check().expect("check").records,
        [RecordMismatch::Changed {
            entity: "intake".to_owned(),
            entity_id: id,
            seq
        }]
    );
}

#[derive(Debug, Clone, Copy)]
enum Tamper {
    Edit,
    Delete,
    Swap,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_tampering_is_named_at_the_first_touched_entry(
        intakes in 1_i64..5,
        pick in 0.0_f64..1.0,
        tamper in prop_oneof![Just(Tamper::Edit), Just(Tamper::Delete), Just(Tamper::Swap)],
    ) {
        let db = TestDb::new();
        let (store, entries) = busy_store(&db, intakes);
        // Deleting or swapping needs an entry after the one touched.
        let last_choice = if matches!(tamper, Tamper::Edit) { entries } else { entries - 1 };
        let seq = 1 + ((last_choice - 1) as f64 * pick) as i64;
        let raw = db.raw();
        drop_append_only_triggers(&raw);
        match tamper {
            Tamper::Edit => raw.execute("UPDATE audit_log SET at = '1999-01-01T00:00:00.000000000Z' WHERE seq = ?1", [seq]),
            Tamper::Delete => raw.execute("DELETE FROM audit_log WHERE seq = ?1", [seq]),
            Tamper::Swap => raw.execute_batch(&format!(
                "UPDATE audit_log SET seq = -1 WHERE seq = {seq};
                 UPDATE audit_log SET seq = {seq} WHERE seq = {next};
                 UPDATE audit_log SET seq = {next} WHERE seq = -1;",
                next = seq + 1
            )).map(|()| 0),
        }.expect("tampered");

        let report = store.verify_audit().expect("verify");
        let problem = report.problem().cloned();
        prop_assert_eq!(problem.as_ref().map(AuditProblem::seq), Some(seq), "{:?}", problem);
        let kind_matches = matches!(
            (tamper, &problem),
            (Tamper::Edit, Some(AuditProblem::Altered { .. }))
                | (Tamper::Delete, Some(AuditProblem::Removed { .. }))
                | (Tamper::Swap, Some(AuditProblem::Reordered { .. }))
        );
        prop_assert!(kind_matches, "{:?} reported as {:?}", tamper, problem);
    }
}
