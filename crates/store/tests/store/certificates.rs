//! Signed documents in a real database file: issued only for verified erasures, never edited,
//! voided once by a quality manager, every write audited; destructions and settings likewise.

use crate::common::TestDb;
use chrono::Utc;
use refurbdesk_domain::{DestroyedMedia, DestructionMethod, EvidenceFile, Witness};
use refurbdesk_store::{
    CertificateFilter, ErasureResult, ErasureStatus, NewCertificate, NewDestruction, NewErasure,
    Role, SigningKeyRecord, Store, StoreError,
};
use uuid::Uuid;

pub(crate) fn erasure(store: &mut Store, status: ErasureStatus) -> Uuid {
    let id = store
        .start_erasure(&NewErasure {
            target: "/tmp/disk.img".to_owned(),
            target_kind: "image".to_owned(),
            method: "zero".to_owned(),
            passes: 1,
            seed: None,
            verify: "full".to_owned(),
            verify_seed: None,
            tool_version: "refurbdesk-erasure 0.1.0".to_owned(),
            operator: "tim".to_owned(),
            drive: serde_json::json!({}),
            drive_model: None,
            drive_serial: None,
            size_bytes: 1 << 20,
            device_id: None,
            started_at: Utc::now(),
        })
        .expect("starts");
    if status != ErasureStatus::Running {
        store
            .finish_erasure(
                id,
                &ErasureResult {
                    status,
                    passes_completed: 1,
                    bytes_written: 1 << 20,
                    bytes_verified: if status == ErasureStatus::Verified {
                        1 << 20
                    } else {
                        0
                    },
                    errors: Vec::new(),
                    fault_count: 0,
                    note: None,
                    finished_at: Utc::now(),
                    duration_s: 0.1,
                    throughput_mib_s: 10.0,
                },
                "tim",
            )
            .expect("finishes");
    }
    id
}

fn key(n: u8) -> SigningKeyRecord {
    SigningKeyRecord {
        key_id: format!("{n:02x}").repeat(8),
        algorithm: "Ed25519".to_owned(),
        public_key: format!("{n:02x}").repeat(32),
        fingerprint: format!("{n:02x}").repeat(32),
        created_at: Utc::now(),
    }
}

pub(crate) fn certificate(erasure_id: Uuid, issued_by: &str) -> NewCertificate {
    NewCertificate {
        id: Uuid::now_v7(),
        kind: "erasure_certificate".to_owned(),
        erasure_id: Some(erasure_id),
        destruction_id: None,
        device_id: None,
        lang: "fr".to_owned(),
        key: key(1),
        signed_json: r#"{"document":{},"signature":{}}"#.to_owned(),
        pdf: b"%PDF-1.7 test".to_vec(),
        pdf_sha256: "00".repeat(32),
        issued_at: Utc::now(),
        issued_by: issued_by.to_owned(),
    }
}

/// A store with an admin, a technician (tim), a quality manager (quinn) and an auditor (olga).
pub(crate) fn staffed(db: &TestDb) -> Store {
    let mut store = db.open();
    let root = store
        .resolve_actor(Some("root"), "root")
        .expect("bootstrap");
    store
        .add_operator("root", Role::Admin, &root)
        .expect("admin");
    let root = store.resolve_actor(Some("root"), "root").expect("admin");
    store
        .add_operator("tim", Role::Technician, &root)
        .expect("technician");
    store
        .add_operator("quinn", Role::QualityManager, &root)
        .expect("quality manager");
    store
        .add_operator("olga", Role::Auditor, &root)
        .expect("auditor");
    store
}

#[test]
fn only_a_verified_erasure_gets_a_certificate() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    for status in [
        ErasureStatus::Failed,
        ErasureStatus::Interrupted,
        ErasureStatus::Running,
    ] {
        let id = erasure(&mut store, status);
        let refused = store
            .record_certificate(&certificate(id, "tim"))
            .expect_err("not certifiable");
        assert!(
            matches!(&refused, StoreError::NotCertifiable { status: s, .. } if s == status.as_str()),
            "{refused}"
        );
        assert!(store.check_certifiable_erasure(id).is_err());
    }
    let unknown = store
        .record_certificate(&certificate(Uuid::now_v7(), "tim"))
        .expect_err("unknown erasure");
    assert!(
        matches!(unknown, StoreError::UnknownErasure { .. }),
        "{unknown}"
    );

    let verified = erasure(&mut store, ErasureStatus::Verified);
    store
        .check_certifiable_erasure(verified)
        .expect("certifiable");
    let issued = certificate(verified, "tim");
    let record = store.record_certificate(&issued).expect("issued");
    assert_eq!(record.id, issued.id);
    assert_eq!(record.key_id, issued.key.key_id);
    assert!(record.void.is_none());
    assert_eq!(
        store.certificate_pdf(issued.id).unwrap().unwrap(),
        issued.pdf
    );
    assert_eq!(store.signing_keys().unwrap(), vec![issued.key.clone()]);
    let listed = store
        .list_certificates(&CertificateFilter {
            erasure_id: Some(verified),
            ..CertificateFilter::default()
        })
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn auditors_cannot_issue_and_only_quality_managers_void_once() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    let verified = erasure(&mut store, ErasureStatus::Verified);
    let refused = store
        .record_certificate(&certificate(verified, "olga"))
        .expect_err("auditor");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    let id = store
        .record_certificate(&certificate(verified, "tim"))
        .unwrap()
        .id;

    let refused = store
        .void_certificate(id, "typo in the serial", "tim")
        .expect_err("technician");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("void certificates"));
    let empty = store
        .void_certificate(id, "  ", "quinn")
        .expect_err("no reason");
    assert!(matches!(empty, StoreError::InvalidCertificate { .. }));

    let voided = store
        .void_certificate(id, "typo in the serial", "quinn")
        .unwrap();
    let void = voided.void.expect("voided");
    assert_eq!(void.by, "quinn");
    assert_eq!(void.reason, "typo in the serial");
    let again = store
        .void_certificate(id, "twice", "quinn")
        .expect_err("final");
    assert!(matches!(again, StoreError::AlreadyVoided { .. }), "{again}");
    // Still listed, still exportable.
    assert_eq!(
        store
            .list_certificates(&CertificateFilter::default())
            .unwrap()
            .len(),
        1
    );
    assert!(store.certificate_pdf(id).unwrap().is_some());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_signed_certificate_cannot_be_edited_or_deleted_behind_the_store() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    let verified = erasure(&mut store, ErasureStatus::Verified);
    let id = store
        .record_certificate(&certificate(verified, "tim"))
        .unwrap()
        .id;
    drop(store);
    let raw = db.raw();
    let edit = raw.execute(
        "UPDATE certificates SET signed_json = '{}' WHERE id = ?1",
        [id.to_string()],
    );
    assert!(edit
        .unwrap_err()
        .to_string()
        .contains("certificates are signed"));
    let delete = raw.execute("DELETE FROM certificates WHERE id = ?1", [id.to_string()]);
    assert!(delete
        .unwrap_err()
        .to_string()
        .contains("certificates are history"));
    let key = raw.execute("UPDATE signing_keys SET public_key = 'x'", []);
    assert!(key.is_err());

    // With the triggers dropped, the audit check still finds the change.
    raw.execute_batch("DROP TRIGGER certificates_void_only;")
        .unwrap();
    raw.execute(
        "UPDATE certificates SET pdf = X'25504446' WHERE id = ?1",
        [id.to_string()],
    )
    .unwrap();
    let report = db.open().check().unwrap();
    assert!(!report.is_ok());
    assert!(
        report
            .records
            .iter()
            .any(|m| format!("{m:?}").contains(&id.to_string())),
        "{:?}",
        report.records
    );
}

#[test]
fn a_key_id_published_with_another_public_key_is_refused() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    store.publish_signing_key(&key(1), "tim").unwrap();
    store
        .publish_signing_key(&key(1), "tim")
        .expect("same key again is fine");
    let mut swapped = key(1);
    swapped.public_key = "ff".repeat(32);
    let refused = store
        .publish_signing_key(&swapped, "tim")
        .expect_err("swapped");
    assert!(
        matches!(refused, StoreError::KeyConflict { .. }),
        "{refused}"
    );
}

#[test]
fn destructions_and_settings_are_recorded_and_audited() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    let destruction = NewDestruction {
        device_id: None,
        media: DestroyedMedia {
            make: Some("Seagate".to_owned()),
            model: Some("ST500LM030".to_owned()),
            serial: Some("WCJ0001".to_owned()),
            ..DestroyedMedia::default()
        },
        media_serial: Some("WCJ0001".to_owned()),
        method: DestructionMethod::Shred,
        method_details: Some("HSM Powerline, 20 mm".to_owned()),
        destroyed_at: Utc::now(),
        operator: "tim".to_owned(),
        witness: Witness {
            name: "Claire Martin".to_owned(),
            ..Witness::default()
        },
        evidence: vec![EvidenceFile {
            file_name: "a.jpg".to_owned(),
            sha256: "00".to_owned(),
            size_bytes: 1,
        }],
        destination: "WEEE recycling".to_owned(),
    };
    let mut bad = destruction.clone();
    bad.destination = " ".to_owned();
    assert!(matches!(
        store.record_destruction(&bad),
        Err(StoreError::InvalidCertificate { .. })
    ));
    let id = store.record_destruction(&destruction).unwrap();
    let record = store.destruction(id).unwrap().unwrap();
    assert_eq!(record.media, destruction.media);
    assert_eq!(record.method, DestructionMethod::Shred);
    assert_eq!(record.witness.name, "Claire Martin");
    assert_eq!(record.evidence, destruction.evidence);

    let refused = store
        .set_setting("organisation.name", "Atelier", "tim")
        .expect_err("technician");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    store
        .set_setting("organisation.name", "Atelier", "quinn")
        .unwrap();
    store
        .set_setting("organisation.name", "Atelier Reconditionné SAS", "quinn")
        .unwrap();
    assert_eq!(
        store.setting("organisation.name").unwrap().as_deref(),
        Some("Atelier Reconditionné SAS")
    );
    assert!(store.setting("organisation.phone").unwrap().is_none());
    assert!(matches!(
        store.set_setting("two words", "x", "quinn"),
        Err(StoreError::InvalidSetting { .. })
    ));
    assert!(store.check().unwrap().is_ok());
}
