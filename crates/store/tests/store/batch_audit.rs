//! The audit records of a trade-in batch (migration 0014) on a real SQLite file: what came in
//! the box, append-only with the newest record winning; closing, once, with the reason it was
//! forced; a closed batch refusing receipts and accessories, through the store and in the
//! database itself; every write refused to a technician; the audit log and the record check
//! still clean.

use chrono::NaiveDate;
use refurbdesk_store::{
    Actor, BatchLine, NewBatch, NewCustomer, Received, Role, Store, StoreError,
};

use crate::common::{TestDb, IMEI, OTHER_IMEI};

struct Batch {
    store: Store,
    auditor: Actor,
    technician: Actor,
    id: uuid::Uuid,
}

fn batch(db: &TestDb) -> Batch {
    let mut store = db.open();
    let bootstrap = store.resolve_actor(None, "root").expect("bootstrap actor");
    store
        .add_operator("root", Role::Admin, &bootstrap)
        .expect("first admin");
    let admin = store.resolve_actor(Some("root"), "os").expect("admin");
    store
        .add_operator("aude", Role::Auditor, &admin)
        .expect("auditor");
    store
        .add_operator("tom", Role::Technician, &admin)
        .expect("technician");
    let auditor = store.resolve_actor(Some("aude"), "os").expect("auditor");
    let technician = store.resolve_actor(Some("tom"), "os").expect("technician");
    let customer = store
        .add_customer(
            &NewCustomer {
                name: "Acme Leasing".into(),
                email: None,
                phone: None,
                address: None,
                vat: None,
            },
            &auditor,
        )
        .expect("customer");
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let line = |line: u32, imei: &str| BatchLine {
        line,
        imei: Some(imei.to_owned()),
        category: Some("laptop".into()),
        quoted_cents: Some(40_000),
        accessories: vec!["charger".into()],
        ..BatchLine::default()
    };
    let id = store
        .import_batch(
            &NewBatch {
                customer_id: customer.id,
                quote_date: day,
                quote_expiry: day,
                source_name: "lot.csv".into(),
                source_sha256: "00".repeat(32),
                currency: "EUR".into(),
                lines: vec![line(2, IMEI), line(3, OTHER_IMEI)],
            },
            &auditor,
        )
        .expect("imported")
        .id;
    Batch {
        store,
        auditor,
        technician,
        id,
    }
}

fn receipt_id(received: Option<Received>) -> uuid::Uuid {
    match received.expect("the batch exists") {
        Received::New(receipt) | Received::Already(receipt) => receipt.id,
    }
}

#[test]
fn the_newest_accessories_record_counts_and_each_is_kept() {
    let db = TestDb::new();
    let Batch {
        mut store,
        auditor,
        technician,
        id,
    } = batch(&db);
    let receipt = receipt_id(store.receive(id, IMEI, &auditor).expect("received"));
    store
        .record_accessories(id, receipt, &["cable".into()], &auditor)
        .expect("recorded")
        .expect("the receipt exists");
    store
        .record_accessories(id, receipt, &["charger".into(), "cable".into()], &auditor)
        .expect("recorded again")
        .expect("the receipt exists");
    let newest = store.batch_accessories(id).expect("read");
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[&receipt].accessories, ["charger", "cable"]);
    let kept: i64 = db
        .raw()
        .query_row("SELECT count(*) FROM batch_accessories", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(kept, 2, "append-only: the older record stays");
    assert!(db
        .raw()
        .execute("DELETE FROM batch_accessories", [])
        .is_err());

    let refused = store
        .record_accessories(id, receipt, &[], &technician)
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused:?}"
    );
    // A receipt of another batch is not this batch's.
    assert_eq!(
        store
            .record_accessories(uuid::Uuid::now_v7(), receipt, &[], &auditor)
            .expect("no error"),
        None
    );

    let report = store.check().expect("check");
    assert!(report.records.is_empty(), "{:?}", report.records);
}

#[test]
fn a_closed_batch_receives_nothing_more_and_closes_once() {
    let db = TestDb::new();
    let Batch {
        mut store,
        auditor,
        technician,
        id,
    } = batch(&db);
    let receipt = receipt_id(store.receive(id, IMEI, &auditor).expect("received"));
    assert!(matches!(
        store.close_batch(id, 1, Some("customer asked"), &technician),
        Err(StoreError::NotAllowed { .. })
    ));
    // The database itself refuses to record unaudited lines without a reason.
    assert!(store.close_batch(id, 1, None, &auditor).is_err());
    assert!(store.batch(id).unwrap().unwrap().closed_at.is_none());

    let closed = store
        .close_batch(id, 1, Some("customer asked"), &auditor)
        .expect("closed")
        .expect("the batch exists");
    assert!(closed.closed_at.is_some());
    let closure = store.batch_closure(id).expect("read").expect("closed");
    assert_eq!(closure.operator, "aude");
    assert_eq!(closure.unaudited, 1);
    assert_eq!(closure.force_reason.as_deref(), Some("customer asked"));

    assert!(matches!(
        store.receive(id, OTHER_IMEI, &auditor),
        Err(StoreError::BatchClosed { .. })
    ));
    assert!(matches!(
        store.record_accessories(id, receipt, &[], &auditor),
        Err(StoreError::BatchClosed { .. })
    ));
    assert!(matches!(
        store.close_batch(id, 0, None, &auditor),
        Err(StoreError::BatchClosed { .. })
    ));
    // Behind the store's back too.
    let raw = db.raw();
    let sneaked = raw.execute(
        "INSERT INTO batch_receipts (id, batch_id, line, code, received_at, operator, station_id)
         SELECT 'x', ?1, 3, ?2, '2026-11-03T10:00:00Z', 'aude', id FROM station",
        [id.to_string(), OTHER_IMEI.to_owned()],
    );
    assert!(sneaked.unwrap_err().to_string().contains("closed"));
    // Its identifiers no longer count as declared in an open batch.
    assert_eq!(store.open_batch_declaring(Some(IMEI), None).unwrap(), None);

    store.verify_audit().expect("the chain verifies");
    let report = store.check().expect("check");
    assert!(report.records.is_empty(), "{:?}", report.records);
}
