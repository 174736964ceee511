//! A trade-in batch's audit report is an issued document (migration 0016): recorded by a batch
//! auditor, listed and voided like a certificate; making the certificates table again keeps
//! every certificate, its replacement and the audit chain.

use refurbdesk_store::{CertificateFilter, ErasureStatus, StoreError, SCHEMA_VERSION};
use uuid::Uuid;

use crate::certificates::{certificate, erasure, staffed};
use crate::common::TestDb;

fn batch_report(issued_by: &str) -> refurbdesk_store::NewCertificate {
    let mut report = certificate(Uuid::nil(), issued_by);
    report.kind = "batch_report".to_owned();
    report.erasure_id = None;
    report
}

#[test]
fn a_batch_report_is_recorded_by_a_batch_auditor_listed_and_voided() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    // Technicians issue certificates, not batch reports; auditors run batches.
    let refused = store
        .record_certificate(&batch_report("tim"))
        .expect_err("technician");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    let recorded = store.record_certificate(&batch_report("olga")).unwrap();
    assert_eq!(recorded.kind, "batch_report");
    let listed = store
        .list_certificates(&CertificateFilter {
            kind: Some("batch_report".to_owned()),
            ..CertificateFilter::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1);
    let voided = store
        .void_certificate(recorded.id, "wrong customer", "quinn")
        .unwrap();
    assert!(voided.void.is_some());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn making_the_certificates_table_again_keeps_every_row_replacement_and_the_audit_chain() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    let verified = erasure(&mut store, ErasureStatus::Verified);
    let first = store
        .record_certificate(&certificate(verified, "tim"))
        .unwrap();
    let second = store
        .record_replacement_certificate(&certificate(verified, "tim"), first.id, "typo")
        .unwrap();
    store
        .void_certificate(first.id, "superseded", "quinn")
        .unwrap();
    let before = store
        .list_certificates(&CertificateFilter::default())
        .unwrap();
    drop(store);
    // The file as it was before batch reports: migration 0016 runs again over these rows. The
    // migrations after it are undone first (they run again too), each named here.
    const UNDO_AFTER_0016: &[&str] = &[
        "DROP TABLE marketplace_stock", // 0017
        "DROP TABLE site_attachment",   // 0018
        "DROP TABLE shipments",         // 0019
    ];
    assert_eq!(
        SCHEMA_VERSION as usize,
        16 + UNDO_AFTER_0016.len(),
        "a migration was added after 0019: undo it here too"
    );
    let raw = db.raw();
    for sql in UNDO_AFTER_0016 {
        raw.execute_batch(sql).unwrap();
    }
    raw.pragma_update(None, "user_version", 15).unwrap();
    drop(raw);
    let mut store = db.open();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let after = store
        .list_certificates(&CertificateFilter::default())
        .unwrap();
    assert_eq!(after, before);
    assert_eq!(
        store
            .certificate_replaced_by(first.id)
            .unwrap()
            .map(|replacement| replacement.certificate_id),
        Some(second.id)
    );
    assert!(store.certificate_pdf(second.id).unwrap().is_some());
    // Every record still matches its latest audit entry's digest, foreign keys hold.
    let check = store.check().unwrap();
    assert!(check.is_ok(), "{check:?}");
    // The triggers are back: a signed document still cannot be edited or deleted.
    let raw = db.raw();
    assert!(raw
        .execute(
            "DELETE FROM certificates WHERE id = ?1",
            [second.id.to_string()]
        )
        .is_err());
    assert!(raw
        .execute(
            "UPDATE certificates SET issued_by = 'mallory' WHERE id = ?1",
            [second.id.to_string()]
        )
        .is_err());
    // And the new kind is accepted.
    store.record_certificate(&batch_report("olga")).unwrap();
}
