//! Erasure records in a real database file: written once as running,
//! finished once, never changed afterwards, every write audited.

use crate::common::TestDb;
use chrono::{Duration, Utc};
use refurbdesk_store::{
    Durability, ErasureFault, ErasureResult, ErasureStatus, NewErasure, Role, StoreError,
};

fn new_erasure(operator: &str) -> NewErasure {
    NewErasure {
        target: "/dev/sdb".to_owned(),
        target_kind: "block".to_owned(),
        method: "dod3".to_owned(),
        passes: 3,
        seed: Some("ab".repeat(32)),
        verify: "sample:10".to_owned(),
        verify_seed: Some("cd".repeat(32)),
        tool_version: "refurbdesk-erasure 0.1.0".to_owned(),
        operator: operator.to_owned(),
        drive: serde_json::json!({"model": "CT500MX500SSD1", "serial": "2231E6A1B2C3", "transport": "sata"}),
        drive_model: Some("CT500MX500SSD1".to_owned()),
        drive_serial: Some("2231E6A1B2C3".to_owned()),
        size_bytes: 500_107_862_016,
        device_id: None,
        started_at: Utc::now(),
    }
}

fn failed() -> ErasureResult {
    ErasureResult {
        status: ErasureStatus::Failed,
        passes_completed: 3,
        bytes_written: 3 * 500_107_862_016,
        bytes_verified: 50_010_786_201,
        errors: vec![ErasureFault {
            kind: "mismatch".to_owned(),
            pass: 3,
            offset: 1_048_576,
            length: 4096,
            detail: "read back 0xaa at byte 1048593".to_owned(),
        }],
        fault_count: 1,
        note: Some("1 fault(s)".to_owned()),
        finished_at: Utc::now() + Duration::seconds(3600),
        duration_s: 3600.0,
        throughput_mib_s: 411.0,
    }
}

#[test]
fn an_erasure_is_started_then_finished_once_and_audited() {
    let db = TestDb::new();
    let mut store = db.open();
    let id = store.start_erasure(&new_erasure("ana")).expect("starts");
    assert_eq!(
        store.durability().expect("reads"),
        Durability::Normal,
        "back to normal after the write"
    );
    let running = store.erasure(id).expect("reads").expect("exists");
    assert_eq!(running.status, ErasureStatus::Running);
    assert_eq!(running.pid, std::process::id());
    assert!(running.finished_at.is_none());
    assert_eq!(store.running_erasures().expect("reads").len(), 1);
    // This very process is alive, so its erasure is left alone.
    assert!(store.interrupt_stale_erasures().expect("runs").is_empty());

    let record = store
        .finish_erasure(id, &failed(), "ana")
        .expect("finishes");
    assert_eq!(record.status, ErasureStatus::Failed);
    assert_eq!(record.errors, failed().errors);
    assert_eq!(record.drive["transport"], "sata");
    assert_eq!(record.seed, Some("ab".repeat(32)));
    assert!(store.running_erasures().expect("reads").is_empty());

    let again = store
        .finish_erasure(id, &failed(), "ana")
        .expect_err("only once");
    assert!(
        matches!(again, StoreError::ErasureFinished { .. }),
        "{again}"
    );
    let unknown = store
        .finish_erasure(uuid::Uuid::now_v7(), &failed(), "ana")
        .expect_err("no such erasure");
    assert!(
        matches!(unknown, StoreError::UnknownErasure { .. }),
        "{unknown}"
    );

    let entries = store.audit_entries(0, 100).expect("audit");
    let actions: Vec<&str> = entries
        .iter()
        .filter(|e| e.entity == "erasure")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["erasure.started", "erasure.failed"]);
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn a_finished_erasure_cannot_be_changed_or_deleted_even_behind_the_store() {
    let db = TestDb::new();
    let mut store = db.open();
    let id = store.start_erasure(&new_erasure("ana")).expect("starts");
    store
        .finish_erasure(id, &failed(), "ana")
        .expect("finishes");
    let raw = db.raw();
    let update = raw
        .execute(
            "UPDATE erasures SET status = 'verified' WHERE id = ?1",
            [id.to_string()],
        )
        .expect_err("a trigger refuses");
    assert!(update.to_string().contains("history"), "{update}");
    let delete = raw
        .execute("DELETE FROM erasures WHERE id = ?1", [id.to_string()])
        .expect_err("a trigger refuses");
    assert!(delete.to_string().contains("cannot be deleted"), "{delete}");

    // A running one can be finished, but not given another target.
    let running = store.start_erasure(&new_erasure("ana")).expect("starts");
    let moved = raw
        .execute(
            "UPDATE erasures SET target = '/dev/sdz' WHERE id = ?1",
            [running.to_string()],
        )
        .expect_err("identity is fixed");
    assert!(moved.to_string().contains("only the outcome"), "{moved}");
}

#[test]
fn bad_erasures_are_refused_naming_the_field() {
    let db = TestDb::new();
    let mut store = db.open();
    let mut bad = new_erasure("ana");
    bad.method = "gutmann".to_owned();
    let error = store.start_erasure(&bad).expect_err("unknown method");
    assert!(
        error.to_string().contains("method") && error.to_string().contains("gutmann"),
        "{error}"
    );
    let mut bad = new_erasure("ana");
    bad.verify = "sample:0".to_owned();
    assert!(store
        .start_erasure(&bad)
        .expect_err("bad verify")
        .to_string()
        .contains("verify"));
    let mut bad = new_erasure("ana");
    bad.device_id = Some(uuid::Uuid::now_v7());
    let error = store.start_erasure(&bad).expect_err("unknown device");
    assert!(
        error.to_string().contains("not a recorded device"),
        "{error}"
    );
    let id = store.start_erasure(&new_erasure("ana")).expect("starts");
    let mut running = failed();
    running.status = ErasureStatus::Running;
    assert!(matches!(
        store.finish_erasure(id, &running, "ana"),
        Err(StoreError::InvalidErasure { .. })
    ));
}

#[test]
fn only_operators_with_the_erase_right_may_record_erasures() {
    let db = TestDb::new();
    let mut store = db.open();
    let admin = store
        .resolve_actor(Some("root"), "root")
        .expect("bootstrap");
    store
        .add_operator("boss", Role::Admin, &admin)
        .expect("admin");
    let boss = store.resolve_actor(Some("boss"), "boss").expect("boss");
    store
        .add_operator("olga", Role::Auditor, &boss)
        .expect("auditor");
    store
        .add_operator("tim", Role::Technician, &boss)
        .expect("technician");
    let refused = store
        .start_erasure(&new_erasure("olga"))
        .expect_err("auditor");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    let id = store
        .start_erasure(&new_erasure("tim"))
        .expect("technician may");
    let refused = store
        .finish_erasure(id, &failed(), "olga")
        .expect_err("auditor");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
}
