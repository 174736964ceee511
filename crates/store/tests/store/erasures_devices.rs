//! Phone and tablet erasures in a real database file: bench erasures verified
//! only by the bench's own `done=ok`, manual resets verified only when every
//! required step was confirmed, both history once finished and audited.

use crate::common::{phone, phone_intake, TestDb, IMEI};
use chrono::{Duration, Utc};
use refurbdesk_store::{
    BenchErasureResult, BenchSlot, Direction, ErasureDetails, ErasureStatus, EvidenceLine,
    ManualResetResult, NewBenchErasure, NewManualReset, OutcomeSource, PlannedStep, Role,
    StepAnswer, StepConfirmation, Store, StoreError,
};
use uuid::Uuid;

fn recorded_phone(store: &mut Store) -> Uuid {
    store
        .record_intake(&phone_intake(Some(IMEI), Some("F17XK2ABCDEF"), 0))
        .expect("intake recorded")
        .device_id
}

fn bench_erasure(device_id: Uuid, operator: &str) -> NewBenchErasure {
    NewBenchErasure {
        device_id,
        bench: BenchSlot {
            serial: "PB8-0042".to_owned(),
            vendor: "Acme".to_owned(),
            model: "PB-8".to_owned(),
            fw: "1.4.2".to_owned(),
            port: "/dev/ttyACM0".to_owned(),
            slot: 3,
        },
        method: "factory_reset".to_owned(),
        identity: phone(Some(IMEI), Some("F17XK2ABCDEF")),
        tool_version: "refurbdesk-station 0.1.0".to_owned(),
        operator: operator.to_owned(),
        started_at: Utc::now(),
    }
}

fn line(direction: &str, text: &str) -> EvidenceLine {
    EvidenceLine {
        at: Utc::now(),
        direction: Direction::from_word(direction).expect("host or bench"),
        line: text.to_owned(),
    }
}

fn bench_done(status: ErasureStatus, detail: Option<&str>) -> BenchErasureResult {
    BenchErasureResult {
        status,
        progress: Some(if status == ErasureStatus::Verified {
            100
        } else {
            75
        }),
        detail: detail.map(str::to_owned),
        outcome_from: Some(OutcomeSource::Event),
        note: detail.map(|detail| format!("the bench reported the erase failed: {detail}")),
        evidence: vec![
            line("host", "7 ERASE 3 factory_reset*1C"),
            line("bench", "7 OK*5A"),
            line("bench", "! ERASE 3 progress=25*3D"),
            line("bench", "! ERASE 3 done=ok*B2"),
        ],
        finished_at: Utc::now() + Duration::seconds(90),
    }
}

fn manual_reset(device_id: Uuid, operator: &str) -> NewManualReset {
    let step = |id: &str, required: bool| PlannedStep {
        id: id.to_owned(),
        text: format!("Do {id}."),
        required,
    };
    NewManualReset {
        device_id,
        identity: phone(Some(IMEI), Some("F17XK2ABCDEF")),
        checklist_version: "1".to_owned(),
        platform: "ios".to_owned(),
        lang: "fr".to_owned(),
        answered_by: "interactive".to_owned(),
        steps: vec![
            step("sign_out", true),
            step("unpair_watch", false),
            step("erase", true),
        ],
        tool_version: "refurbdesk-station 0.1.0".to_owned(),
        operator: operator.to_owned(),
        started_at: Utc::now(),
    }
}

fn answer(step: &str, answer: StepAnswer, operator: &str) -> StepConfirmation {
    StepConfirmation {
        step: step.to_owned(),
        answer,
        answered_at: Utc::now(),
        operator: operator.to_owned(),
    }
}

fn finished(status: ErasureStatus, note: Option<&str>) -> ManualResetResult {
    ManualResetResult {
        status,
        note: note.map(str::to_owned),
        finished_at: Utc::now(),
    }
}

fn erasure_actions(store: &Store) -> Vec<String> {
    store
        .audit_entries(0, 1000)
        .expect("audit")
        .into_iter()
        .filter(|entry| entry.entity == "erasure")
        .map(|entry| entry.action)
        .collect()
}

#[test]
fn a_bench_erasure_is_verified_by_the_bench_and_recorded_with_its_evidence() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_bench_erasure(&bench_erasure(device_id, "ana"))
        .expect("starts");
    let running = store.erasure(id).expect("reads").expect("exists");
    assert_eq!(running.status, ErasureStatus::Running);
    assert_eq!(running.target, "PB8-0042/slot 3");
    assert_eq!(running.target_kind, "bench");
    assert_eq!(running.verify, "bench");
    assert_eq!(running.device_id, Some(device_id));
    assert_eq!(running.drive["imei"], IMEI);
    assert_eq!(running.drive_serial.as_deref(), Some("F17XK2ABCDEF"));
    assert_eq!(running.size_bytes, 128_000_000_000);

    let record = store
        .finish_bench_erasure(id, &bench_done(ErasureStatus::Verified, None), "ana")
        .expect("finishes");
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(record.passes_completed, 1);
    assert!(record.duration_s.is_some_and(|d| d >= 89.0), "{record:?}");
    let Some(ErasureDetails::Bench(details)) = &record.details else {
        panic!("bench details expected: {record:?}");
    };
    assert_eq!(details.bench.slot, 3);
    assert_eq!(details.progress, Some(100));
    assert_eq!(details.outcome_from, Some(OutcomeSource::Event));
    assert_eq!(details.evidence.len(), 4);
    assert_eq!(details.evidence[3].line, "! ERASE 3 done=ok*B2");
    assert_eq!(
        store.erasures_for_device(device_id).expect("reads"),
        vec![record.clone()]
    );
    assert_eq!(
        erasure_actions(&store),
        ["erasure.started", "erasure.verified"]
    );
    assert!(store.check().expect("check").is_ok());

    let again = store
        .finish_bench_erasure(id, &bench_done(ErasureStatus::Failed, Some("x")), "ana")
        .expect_err("only once");
    assert!(
        matches!(again, StoreError::ErasureFinished { .. }),
        "{again}"
    );
}

#[test]
fn a_bench_erasure_is_never_verified_without_the_bench_saying_so() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_bench_erasure(&bench_erasure(device_id, "ana"))
        .expect("starts");
    let mut unproven = bench_done(ErasureStatus::Verified, None);
    unproven.outcome_from = None;
    let error = store
        .finish_bench_erasure(id, &unproven, "ana")
        .expect_err("no outcome, no verification");
    assert!(error.to_string().contains("done=ok"), "{error}");

    let record = store
        .finish_bench_erasure(
            id,
            &bench_done(ErasureStatus::Failed, Some("key store locked")),
            "ana",
        )
        .expect("a failure is recorded");
    assert_eq!(record.status, ErasureStatus::Failed);
    assert!(record.note.as_deref().unwrap().contains("key store locked"));
    let Some(ErasureDetails::Bench(details)) = record.details else {
        panic!("bench details expected");
    };
    assert_eq!(details.detail.as_deref(), Some("key store locked"));
    assert_eq!(details.progress, Some(75));
}

#[test]
fn bad_bench_erasures_are_refused_naming_the_field() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let mut bad = bench_erasure(device_id, "ana");
    bad.method = "zero".to_owned();
    let error = store.start_bench_erasure(&bad).expect_err("a drive method");
    assert!(error.to_string().contains("factory_reset"), "{error}");
    let mut bad = bench_erasure(device_id, "ana");
    bad.bench.slot = 0;
    assert!(store
        .start_bench_erasure(&bad)
        .expect_err("slot 0")
        .to_string()
        .contains("slot"));
    let unknown = store
        .start_bench_erasure(&bench_erasure(Uuid::now_v7(), "ana"))
        .expect_err("unknown device");
    assert!(
        unknown.to_string().contains("not a recorded device"),
        "{unknown}"
    );

    // One erasure of a device at a time, while its process lives.
    let first = store
        .start_bench_erasure(&bench_erasure(device_id, "ana"))
        .expect("starts");
    let busy = store
        .start_manual_reset(&manual_reset(device_id, "ana"))
        .expect_err("already being erased");
    assert!(busy.to_string().contains(&first.to_string()), "{busy}");
    let wrong_kind = store
        .finish_manual_reset(first, &finished(ErasureStatus::Failed, None), "ana")
        .expect_err("not a manual reset");
    assert!(
        wrong_kind.to_string().contains("a bench erasure"),
        "{wrong_kind}"
    );
    assert_eq!(
        store.erasure(first).expect("reads").expect("exists").status,
        ErasureStatus::Running,
        "a refused finish changes nothing"
    );
}

#[test]
fn a_manual_reset_is_verified_only_when_every_required_step_was_confirmed() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_manual_reset(&manual_reset(device_id, "ana"))
        .expect("starts");
    let running = store.erasure(id).expect("reads").expect("exists");
    assert_eq!(running.target, "manual/ios");
    assert_eq!(running.method, "manual_factory_reset");
    assert_eq!(running.verify, "operator");

    let out_of_order = store
        .confirm_reset_step(id, &answer("erase", StepAnswer::Yes, "ana"))
        .expect_err("steps in order");
    assert!(
        out_of_order.to_string().contains("sign_out"),
        "{out_of_order}"
    );
    store
        .confirm_reset_step(id, &answer("sign_out", StepAnswer::Yes, "ana"))
        .expect("answered");
    let too_early = store
        .finish_manual_reset(id, &finished(ErasureStatus::Verified, None), "ana")
        .expect_err("a required step is unanswered");
    assert!(
        too_early.to_string().contains("\"erase\" is unanswered"),
        "{too_early}"
    );
    // An optional step may be skipped; another operator may answer.
    store
        .confirm_reset_step(id, &answer("unpair_watch", StepAnswer::Skipped, "ana"))
        .expect("answered");
    let record = store
        .confirm_reset_step(id, &answer("erase", StepAnswer::Yes, "ana"))
        .expect("answered");
    let Some(ErasureDetails::Manual(details)) = &record.details else {
        panic!("manual details expected");
    };
    assert_eq!(details.lang, "fr");
    let answers: Vec<_> = details.steps.iter().map(|step| step.answer).collect();
    assert_eq!(
        answers,
        [
            Some(StepAnswer::Yes),
            Some(StepAnswer::Skipped),
            Some(StepAnswer::Yes)
        ]
    );
    assert!(details
        .steps
        .iter()
        .all(|step| step.answered_at.is_some() && step.operator.as_deref() == Some("ana")));
    let done = store
        .confirm_reset_step(id, &answer("erase", StepAnswer::Yes, "ana"))
        .expect_err("every step answered");
    assert!(done.to_string().contains("answered already"), "{done}");

    let record = store
        .finish_manual_reset(id, &finished(ErasureStatus::Verified, None), "ana")
        .expect("verified");
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(
        erasure_actions(&store),
        [
            "erasure.started",
            "erasure.step_answered",
            "erasure.step_answered",
            "erasure.step_answered",
            "erasure.verified"
        ]
    );
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn a_required_step_answered_no_fails_the_reset() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_manual_reset(&manual_reset(device_id, "ana"))
        .expect("starts");
    store
        .confirm_reset_step(id, &answer("sign_out", StepAnswer::No, "ana"))
        .expect("answered");
    let refused = store
        .finish_manual_reset(id, &finished(ErasureStatus::Verified, None), "ana")
        .expect_err("a required no");
    assert!(
        refused.to_string().contains("\"sign_out\" is no"),
        "{refused}"
    );
    let record = store
        .finish_manual_reset(
            id,
            &finished(ErasureStatus::Failed, Some("step sign_out was answered no")),
            "ana",
        )
        .expect("failed");
    assert_eq!(record.status, ErasureStatus::Failed);
    assert_eq!(record.passes_completed, 0);
}

#[test]
fn a_manual_reset_without_a_required_step_or_with_a_bad_word_is_refused() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let mut optional_only = manual_reset(device_id, "ana");
    for step in &mut optional_only.steps {
        step.required = false;
    }
    assert!(store
        .start_manual_reset(&optional_only)
        .expect_err("nothing to confirm")
        .to_string()
        .contains("no required step"));
    let mut bad = manual_reset(device_id, "ana");
    bad.lang = "de".to_owned();
    assert!(store
        .start_manual_reset(&bad)
        .expect_err("unknown language")
        .to_string()
        .contains("en or fr"));
    let mut bad = manual_reset(device_id, "ana");
    bad.answered_by = "confirm_all".to_owned();
    assert!(store
        .start_manual_reset(&bad)
        .expect_err("unknown way of answering")
        .to_string()
        .contains("answered_by"));
    let mut twice = manual_reset(device_id, "ana");
    twice.steps[1].id = "sign_out".to_owned();
    assert!(store
        .start_manual_reset(&twice)
        .expect_err("duplicate ids")
        .to_string()
        .contains("twice"));
}

#[test]
fn the_schema_holds_each_kind_to_its_own_rules_behind_the_store() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_manual_reset(&manual_reset(device_id, "ana"))
        .expect("starts");
    let raw = db.raw();
    // Inserts a copy of the running reset with some columns replaced.
    let copy = |columns: &str| -> rusqlite::Result<usize> {
        raw.execute(
            &format!(
                "INSERT INTO erasures SELECT '{}', station_id, {columns} FROM erasures WHERE id = ?1",
                Uuid::now_v7()
            ),
            [id.to_string()],
        )
    };
    const REST: &str = "target, target_kind, method, passes, seed, verify, verify_seed, status,
        passes_completed, bytes_written, bytes_verified, errors_json, fault_count, note,
        started_at, finished_at, duration_s, throughput_mib_s, tool_version, operator,
        drive_json, drive_model, drive_serial, size_bytes, pid, process_tag, details_json";
    // A copy as it is goes in (so the statement itself is sound)…
    copy(&format!("device_id, {REST}")).expect("a faithful copy is accepted");
    // …but not without its device, with a drive method, or without details.
    for (what, columns) in [
        ("no device", format!("NULL, {REST}")),
        (
            "drive method",
            format!("device_id, {}", REST.replace("method,", "'zero',")),
        ),
        (
            "no details",
            format!("device_id, {}", REST.replace("details_json", "NULL")),
        ),
        (
            "drive with details",
            format!(
                "device_id, {}",
                REST.replace("target_kind, method", "'image', 'zero'")
            ),
        ),
    ] {
        let error = copy(&columns).expect_err(what);
        assert!(error.to_string().contains("CHECK"), "{what}: {error}");
    }

    // While running only the outcome and the details may change, never the kind.
    let flipped = raw
        .execute(
            "UPDATE erasures SET details_json = json_set(details_json, '$.kind', 'bench') WHERE id = ?1",
            [id.to_string()],
        )
        .expect_err("the details keep their kind");
    assert!(
        flipped.to_string().contains("only the outcome"),
        "{flipped}"
    );
    let moved = raw
        .execute(
            "UPDATE erasures SET device_id = NULL WHERE id = ?1",
            [id.to_string()],
        )
        .expect_err("the device is fixed");
    assert!(moved.to_string().contains("only the outcome"), "{moved}");
}

#[test]
fn an_answer_changed_behind_the_store_is_found_by_the_check() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_manual_reset(&manual_reset(device_id, "ana"))
        .expect("starts");
    store
        .confirm_reset_step(id, &answer("sign_out", StepAnswer::No, "ana"))
        .expect("answered");
    assert!(store.check().expect("check").is_ok());
    // Someone with an SQLite shell turns the "no" into a "yes" while it runs.
    db.raw()
        .execute(
            "UPDATE erasures SET details_json = json_set(details_json, '$.steps[0].answer', 'yes')
             WHERE id = ?1",
            [id.to_string()],
        )
        .expect("the trigger allows details to change while running");
    let report = store.check().expect("check");
    assert!(!report.is_ok());
    assert!(
        report
            .records
            .iter()
            .any(|problem| problem.to_string().contains(&id.to_string())),
        "{report:?}"
    );
}

#[test]
fn only_operators_with_the_erase_right_may_erase_or_answer() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
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
        .start_bench_erasure(&bench_erasure(device_id, "olga"))
        .expect_err("auditor");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    let id = store
        .start_manual_reset(&manual_reset(device_id, "tim"))
        .expect("a technician may");
    let refused = store
        .confirm_reset_step(id, &answer("sign_out", StepAnswer::Yes, "olga"))
        .expect_err("auditor");
    assert!(
        matches!(refused, StoreError::NotAllowed { .. }),
        "{refused}"
    );
    store
        .confirm_reset_step(id, &answer("sign_out", StepAnswer::Yes, "tim"))
        .expect("a technician may");
}

#[test]
fn a_device_erasure_left_running_by_a_dead_process_is_interrupted_on_open() {
    let db = TestDb::new();
    let mut store = db.open();
    let device_id = recorded_phone(&mut store);
    let id = store
        .start_bench_erasure(&bench_erasure(device_id, "ana"))
        .expect("starts");
    drop(store);
    // Make the record belong to a process that has ended.
    let mut child = std::process::Command::new("true")
        .spawn()
        .expect("true runs");
    let pid = child.id();
    child.wait().expect("true ends");
    let raw = db.raw();
    raw.execute(
        "UPDATE erasures SET pid = ?2 WHERE id = ?1",
        rusqlite::params![id.to_string(), pid],
    )
    .expect("pid changed");
    drop(raw);

    let store = db.open();
    let record = store.erasure(id).expect("reads").expect("exists");
    assert_eq!(record.status, ErasureStatus::Interrupted);
    let note = record.note.unwrap_or_default();
    assert!(
        note.contains("bench erase") && note.contains("nothing is proven"),
        "{note}"
    );
}
