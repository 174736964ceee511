//! Grades on a real database file: recorded with their checklist and
//! inspection in one audited transaction, read back whole, appended on
//! re-grading, refused for the wrong role or bad input, and caught when
//! changed behind the store's back.

use crate::common::{drop_append_only_triggers, phone_intake, TestDb, IMEI};
use refurbdesk_domain::{
    Answer, BuybackGrade, CosmeticLevel, CtiaCode, Functional, ListingGrade, Outcome, Reason, Zone,
};
use refurbdesk_store::{
    ChecklistAnswer, NewGrade, RecordMismatch, Role, Store, StoreError, ZonePhoto, ZoneRecord,
};
use serde_json::json;
use uuid::Uuid;

const SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

pub(crate) fn new_grade(intake_id: Uuid, operator: &str) -> NewGrade {
    NewGrade {
        intake_id,
        operator: operator.to_owned(),
        answers: vec![
            ChecklistAnswer {
                item: "liquid_indicators".into(),
                answer: Answer::Pass,
            },
            ChecklistAnswer {
                item: "genuine_parts".into(),
                answer: Answer::Na,
            },
        ],
        zones: vec![
            ZoneRecord {
                zone: Zone::Screen,
                level: CosmeticLevel::Micro,
                photos: vec![
                    ZonePhoto {
                        path: "/photos/screen-1.jpg".into(),
                        sha256: SHA.into(),
                    },
                    ZonePhoto {
                        path: "/photos/screen-2.jpg".into(),
                        sha256: SHA.into(),
                    },
                ],
            },
            ZoneRecord {
                zone: Zone::Back,
                level: CosmeticLevel::Light,
                photos: Vec::new(),
            },
            ZoneRecord {
                zone: Zone::Frame,
                level: CosmeticLevel::Flawless,
                photos: Vec::new(),
            },
        ],
        policy_name: "backmarket-default".into(),
        policy_version: "1.0.0".into(),
        policy_sha256: SHA.into(),
        outcome: Outcome::Repair,
        listing_grade: ListingGrade::Fair,
        buyback_grade: BuybackGrade::NotFunctionalUsed,
        ctia_code: CtiaCode::new(Functional::Defective, CosmeticLevel::Light),
        partial: false,
        reasons: vec![Reason {
            rule: "functional.failed".into(),
            inputs: [("failed".into(), "camera_rear".into())].into(),
            texts: [("en".into(), "…".into())].into(),
        }],
        inputs: json!({"cosmetic": {"screen": "micro"}}),
        overrides: Vec::new(),
    }
}

pub(crate) fn recorded_intake(store: &mut Store) -> Uuid {
    store
        .record_intake(&phone_intake(Some(IMEI), Some("F2LXK0ABC"), 0))
        .expect("intake records")
        .intake_id
}

#[test]
fn a_grade_is_recorded_with_its_checklist_and_inspection_and_reads_back_whole() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    let grade = new_grade(intake_id, "ana");
    let summary = store.record_grade(&grade).expect("records");
    assert_eq!(summary.intake_id, intake_id);

    let device = store.find_device(IMEI).expect("finds").expect("device");
    assert_eq!(summary.device_id, device.id);
    let record = store
        .grade_record(summary.grade_id)
        .expect("reads")
        .expect("grade");
    assert_eq!(record.id, summary.grade_id);
    assert_eq!(record.checklist_id, summary.checklist_id);
    assert_eq!(record.inspection_id, summary.inspection_id);
    assert_eq!(record.station_id, store.station_id());
    assert_eq!(record.operator, "ana");
    assert_eq!(record.answers, grade.answers);
    assert_eq!(
        record.zones, grade.zones,
        "zones in inspection order, photos kept"
    );
    assert_eq!(record.policy_name, "backmarket-default");
    assert_eq!(record.policy_version, "1.0.0");
    assert_eq!(record.outcome, Outcome::Repair);
    assert_eq!(record.listing_grade, ListingGrade::Fair);
    assert_eq!(record.buyback_grade, BuybackGrade::NotFunctionalUsed);
    assert_eq!(record.ctia_code.to_string(), "2/B");
    assert!(!record.partial);
    assert_eq!(record.reasons, grade.reasons);
    assert_eq!(record.inputs, grade.inputs);
    assert_eq!(
        store.latest_grade(device.id).expect("reads"),
        Some(record.clone())
    );

    // Survives closing and reopening the file.
    drop(store);
    let store = db.open();
    assert_eq!(
        store.grade_record(summary.grade_id).expect("reads"),
        Some(record)
    );
    let actions: Vec<String> = store
        .audit_entries(0, 100)
        .expect("entries")
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    let tail = &actions[actions.len() - 3..];
    assert_eq!(
        tail,
        ["checklist.recorded", "cosmetic.recorded", "grade.recorded"]
    );
    let report = store.check().expect("checks");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn regrading_appends_and_the_latest_wins() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    let first = store
        .record_grade(&new_grade(intake_id, "ana"))
        .expect("first");
    let mut second_grade = new_grade(intake_id, "ana");
    second_grade.outcome = Outcome::Sellable;
    second_grade.listing_grade = ListingGrade::Good;
    second_grade.policy_version = "1.1.0".into();
    let second = store.record_grade(&second_grade).expect("second");
    assert_ne!(first.grade_id, second.grade_id);
    assert_ne!(first.checklist_id, second.checklist_id);

    let grades = store.grades_for_device(first.device_id).expect("reads");
    assert_eq!(
        grades.iter().map(|g| g.id).collect::<Vec<_>>(),
        [first.grade_id, second.grade_id]
    );
    assert_eq!(
        grades[0].outcome,
        Outcome::Repair,
        "the first grade is kept as it was"
    );
    let latest = store
        .latest_grade(first.device_id)
        .expect("reads")
        .expect("grade");
    assert_eq!(latest.id, second.grade_id);
    assert_eq!(latest.policy_version, "1.1.0");
}

#[test]
fn only_operators_allowed_to_grade_may_record_a_grade() {
    let db = TestDb::new();
    let mut store = db.open();
    let bootstrap = store.resolve_actor(None, "root").expect("bootstrap");
    store
        .add_operator("root", Role::Admin, &bootstrap)
        .expect("admin");
    let admin = store.resolve_actor(Some("root"), "x").expect("admin actor");
    store
        .add_operator("ana", Role::Technician, &admin)
        .expect("technician");
    store
        .add_operator("otto", Role::Auditor, &admin)
        .expect("auditor");
    let intake_id = recorded_intake(&mut store);

    let error = store
        .record_grade(&new_grade(intake_id, "otto"))
        .expect_err("auditors do not grade");
    assert!(
        matches!(&error, StoreError::NotAllowed { operator, role: Role::Auditor, .. } if operator == "otto"),
        "{error}"
    );
    assert!(
        error.to_string().contains("may not grade devices"),
        "{error}"
    );
    assert!(matches!(
        store.record_grade(&new_grade(intake_id, "nobody")),
        Err(StoreError::UnknownOperator { .. })
    ));
    let device = store.find_device(IMEI).expect("finds").expect("device");
    assert!(store
        .grades_for_device(device.id)
        .expect("reads")
        .is_empty());

    store
        .record_grade(&new_grade(intake_id, "ana"))
        .expect("technicians grade");
}

#[test]
fn bad_input_and_unknown_intakes_are_refused_naming_the_field() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    type Edit = fn(&mut NewGrade);
    let cases: Vec<(Edit, &str)> = vec![
        (
            |g| g.zones[2].zone = Zone::Screen,
            "zones[2] inspects the screen zone a second time",
        ),
        (
            |g| g.zones[0].photos[1].sha256 = "abc".into(),
            "zones[0].photos[1] has sha256 \"abc\"",
        ),
        (
            |g| g.answers[1].item = "liquid_indicators".into(),
            "answers[1] answers \"liquid_indicators\" a second time",
        ),
        (
            |g| g.policy_sha256 = "x".into(),
            "policy_sha256 is \"x\", not 64 lowercase hex digits",
        ),
        (|g| g.inputs = json!([]), "inputs must be a JSON object"),
        (|g| g.operator = " ".into(), "operator is empty"),
        (|g| g.intake_id = Uuid::nil(), "names no recorded intake"),
    ];
    for (edit, needle) in cases {
        let mut grade = new_grade(intake_id, "ana");
        edit(&mut grade);
        let error = store.record_grade(&grade).expect_err(needle);
        assert!(
            matches!(error, StoreError::InvalidGrade { .. }),
            "{needle}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(needle), "{needle}: {message}");
    }
    let device = store.find_device(IMEI).expect("finds").expect("device");
    assert!(store
        .grades_for_device(device.id)
        .expect("reads")
        .is_empty());
    assert!(store.check().expect("checks").is_ok());
}

#[test]
fn grades_are_history_and_edits_behind_the_store_are_found() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake_id = recorded_intake(&mut store);
    let summary = store
        .record_grade(&new_grade(intake_id, "ana"))
        .expect("records");
    let raw = db.raw();
    for (sql, message) in [
        (
            "UPDATE grades SET outcome = 'sellable'",
            "grades are history",
        ),
        (
            "DELETE FROM checklist_answers",
            "checklist answers are history",
        ),
        (
            "UPDATE cosmetic_zones SET level = 'flawless'",
            "cosmetic zone levels are history",
        ),
        ("DELETE FROM cosmetic_photos", "cosmetic photos are history"),
    ] {
        let error = raw.execute(sql, []).expect_err(sql);
        assert!(error.to_string().contains(message), "{sql}: {error}");
    }

    // Someone with an SQLite shell drops the triggers and improves a zone.
    drop_append_only_triggers(&raw);
    raw.execute_batch(
        "DROP TRIGGER cosmetic_zones_append_only_update;
         UPDATE cosmetic_zones SET level = 'flawless' WHERE zone = 'back';",
    )
    .expect("tampers");
    let report = store.check().expect("checks");
    assert!(report.audit.is_intact(), "the chain itself is untouched");
    assert_eq!(report.records.len(), 1, "{:?}", report.records);
    assert!(
        matches!(
            &report.records[0],
            RecordMismatch::Changed { entity, entity_id, .. }
                if entity == "cosmetic_inspection" && *entity_id == summary.inspection_id.to_string()
        ),
        "{:?}",
        report.records
    );
}
