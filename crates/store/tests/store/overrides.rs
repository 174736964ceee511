//! Schema version 12 on a real database file: a technician's answer over a failed bench test is
//! kept beside the bench's result with its grade, and a reissued certificate names the one it
//! replaces; both are history, audited, and covered by the database check.

use crate::certificates::{certificate, erasure, staffed};
use crate::common::TestDb;
use crate::grades::{new_grade, recorded_intake};
use refurbdesk_domain::Answer;
use refurbdesk_store::{ErasureStatus, NewChecklistOverride, RecordMismatch, StoreError};

#[test]
fn an_override_is_kept_with_its_grade_and_audited() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    let mut grade = new_grade(intake_id, "ana");
    grade.overrides = vec![NewChecklistOverride {
        item: "liquid_indicators".into(),
        answer: Answer::Pass,
    }];
    let summary = store.record_grade(&grade).expect("records");

    let overrides = store.checklist_overrides(summary.device_id).expect("reads");
    assert_eq!(overrides.len(), 1);
    let first = &overrides[0];
    assert_eq!(first.grade_id, summary.grade_id);
    assert_eq!(first.intake_id, intake_id);
    assert_eq!(first.item, "liquid_indicators");
    assert_eq!(first.bench, "fail");
    assert_eq!(first.answer, Answer::Pass);
    assert_eq!(first.operator, "ana");
    assert_eq!(
        store.grade_overrides(summary.grade_id).expect("reads"),
        overrides
    );
    let actions: Vec<String> = store
        .audit_entries(0, 100)
        .expect("entries")
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(actions.contains(&"checklist.override_recorded".to_owned()));
    assert!(store.check().expect("checks").is_ok());

    // History: the triggers refuse; with them dropped, the check finds the edit.
    let raw = db.raw();
    let error = raw
        .execute("UPDATE checklist_overrides SET answer = 'na'", [])
        .expect_err("append-only");
    assert!(error
        .to_string()
        .contains("checklist overrides are history"));
    raw.execute_batch(
        "DROP TRIGGER checklist_overrides_append_only_update;
         UPDATE checklist_overrides SET answer = 'na';",
    )
    .expect("tampers");
    let report = store.check().expect("checks");
    assert!(
        report.records.iter().any(|mismatch| matches!(
            mismatch,
            RecordMismatch::Changed { entity, .. } if entity == "checklist_override"
        )),
        "{:?}",
        report.records
    );
}

#[test]
fn an_override_must_match_an_answer_and_differ_from_the_bench() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    for (item, answer) in [("liquid_indicators", Answer::Fail), ("wifi", Answer::Pass)] {
        let mut grade = new_grade(intake_id, "ana");
        grade.overrides = vec![NewChecklistOverride {
            item: item.into(),
            answer,
        }];
        let error = store.record_grade(&grade).expect_err(item);
        assert!(
            matches!(&error, StoreError::InvalidGrade { field, .. } if field == "overrides[0]"),
            "{error}"
        );
    }
}

#[test]
fn a_replacement_certificate_names_the_one_it_replaces_once() {
    let db = TestDb::new();
    let mut store = staffed(&db);
    let verified = erasure(&mut store, ErasureStatus::Verified);
    let first = store
        .record_certificate(&certificate(verified, "tim"))
        .expect("first");
    let error = store
        .record_replacement_certificate(&certificate(verified, "tim"), first.id, "  ")
        .expect_err("a reason is needed");
    assert!(error.to_string().contains("reason"), "{error}");

    let second = store
        .record_replacement_certificate(&certificate(verified, "tim"), first.id, "wrong serial")
        .expect("replacement");
    let replaces = store
        .certificate_replaces(second.id)
        .expect("reads")
        .expect("names the first");
    assert_eq!(replaces.replaces_id, first.id);
    assert_eq!(replaces.reason, "wrong serial");
    assert_eq!(replaces.operator, "tim");
    assert_eq!(
        store.certificate_replaced_by(first.id).expect("reads"),
        Some(replaces)
    );
    assert!(store
        .certificate_replaces(first.id)
        .expect("reads")
        .is_none());
    assert!(store
        .certificate(first.id)
        .expect("reads")
        .expect("first")
        .void
        .is_none());

    // The first is replaced once; the replacement is refused whole (no certificate recorded).
    let third = certificate(verified, "tim");
    store
        .record_replacement_certificate(&third, first.id, "again")
        .expect_err("replaced once");
    assert!(store.certificate(third.id).expect("reads").is_none());
    // A certificate of another erasure cannot be replaced by this one.
    let other = erasure(&mut store, ErasureStatus::Verified);
    store
        .record_replacement_certificate(&certificate(other, "tim"), second.id, "mix-up")
        .expect_err("same erasure only");
    assert!(store.check().expect("checks").is_ok());
}
