//! Use-case tests: confirming an unknown lock verdict, and the re-grade that follows.

use refurbdesk_app::grade::{self, Answer, CosmeticLevel, GradeParams, Outcome, Zone};
use refurbdesk_app::locks::{self, ConfirmedLock, LockConfirmParams, Regrade};
use refurbdesk_app::operators::{self, AddOperatorParams, Role};
use refurbdesk_app::ErrorCode;
use refurbdesk_domain::{Lang, LockVerdictKind, MdmState};
use refurbdesk_store::NewIntake;

use crate::support::{Phone, TestStation};

const IMEI: &str = "356728114587211";

const MANUAL_ITEMS: [&str; 10] = [
    "powers_on_off",
    "charges",
    "touch",
    "screen_dead_pixels",
    "screen_burn_in",
    "biometrics",
    "all_features",
    "liquid_indicators",
    "housing_complete",
    "genuine_parts",
];

/// A phone in good health whose MDM state the bench could not read (`mdm`), so its lock
/// verdict is unknown when `mdm` is `Unknown`.
fn intake(mdm: MdmState) -> NewIntake {
    Phone {
        full_mah: 9_500,
        cycles: 100,
        mdm,
        ..Phone::new(IMEI)
    }
    .intake()
}

fn station(mdm: MdmState) -> TestStation {
    let station = TestStation::new();
    let mut ws = station.open(None);
    ws.store.record_intake(&intake(mdm)).unwrap();
    station
}

fn complete() -> GradeParams {
    GradeParams {
        device: IMEI.into(),
        checks: MANUAL_ITEMS
            .iter()
            .map(|item| (item.to_string(), Answer::Pass))
            .collect(),
        cosmetic: [Zone::Screen, Zone::Back, Zone::Frame]
            .into_iter()
            .map(|zone| (zone, CosmeticLevel::Flawless))
            .collect(),
        photos: Vec::new(),
        policy: None,
        partial: false,
        explain: false,
        lang: Lang::En,
    }
}

fn confirm(lock: ConfirmedLock, note: &str) -> LockConfirmParams {
    LockConfirmParams {
        device: IMEI.into(),
        lock,
        note: note.into(),
        policy: None,
        lang: Lang::En,
    }
}

fn outcome(regrade: &Regrade) -> Outcome {
    match regrade {
        Regrade::Graded { grade } => grade.report.outcome,
        Regrade::Incomplete { .. } => panic!("not graded: {regrade:?}"),
    }
}

#[test]
fn confirming_an_unknown_lock_clear_lets_the_grade_proceed() {
    let station = station(MdmState::Unknown);
    let mut ws = station.open(None);
    let held = grade::record(&mut ws, complete()).unwrap();
    assert_eq!(held.report.outcome, Outcome::Hold, "an unknown lock holds");

    let confirmed = locks::confirm(
        &mut ws,
        confirm(ConfirmedLock::Clear, "MDM console: not enrolled"),
    )
    .unwrap();
    assert_eq!(confirmed.confirmation.verdict, LockVerdictKind::Clear);
    assert_eq!(confirmed.confirmation.note, "MDM console: not enrolled");
    assert_eq!(confirmed.confirmation.operator, refurbdesk_app::os_user());
    assert_eq!(outcome(&confirmed.regrade), Outcome::Sellable);
    let Regrade::Graded { grade } = &confirmed.regrade else {
        unreachable!()
    };
    assert_eq!(
        grade.report.carried_over_from,
        Some(held.report.grade_id),
        "the answers of the earlier grade are carried over"
    );
    assert!(!grade
        .report
        .reasons
        .iter()
        .any(|reason| reason.rule == "lock.unknown"));

    // The history keeps it; the audit log has it.
    let history = locks::history(&ws, IMEI).unwrap();
    assert_eq!(history, vec![confirmed.confirmation.clone()]);
    let actions: Vec<String> = ws
        .store
        .audit_entries(0, 100)
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(
        actions.contains(&"lock.confirmed".to_owned()),
        "{actions:?}"
    );
    assert!(ws.store.check().unwrap().is_ok());
}

#[test]
fn confirming_an_unknown_lock_blocked_blocks_the_device() {
    let station = station(MdmState::Unknown);
    let mut ws = station.open(None);
    grade::record(&mut ws, complete()).unwrap();
    let confirmed = locks::confirm(
        &mut ws,
        confirm(ConfirmedLock::Blocked, "owner says it is a company phone"),
    )
    .unwrap();
    assert_eq!(outcome(&confirmed.regrade), Outcome::Blocked);
    // A later grade of the same intake keeps using the confirmation.
    let again = grade::record(&mut ws, complete()).unwrap();
    assert_eq!(again.report.outcome, Outcome::Blocked);
    // A second confirmation replaces it for grading; both stay in the history.
    let cleared = locks::confirm(
        &mut ws,
        confirm(ConfirmedLock::Clear, "owner removed the profile"),
    )
    .unwrap();
    assert_eq!(outcome(&cleared.regrade), Outcome::Sellable);
    assert_eq!(locks::history(&ws, IMEI).unwrap().len(), 2);
    // The device screen shows both, newest first, and its history names who and when.
    let shown = refurbdesk_app::devices::show(
        &ws,
        refurbdesk_app::devices::DeviceShowParams {
            device: IMEI.into(),
            lang: Lang::En,
        },
    )
    .unwrap();
    assert_eq!(
        shown
            .lock_confirmations
            .iter()
            .map(|confirmation| confirmation.verdict)
            .collect::<Vec<_>>(),
        vec![LockVerdictKind::Clear, LockVerdictKind::Blocked]
    );
    let locks_seen: Vec<(&str, &str)> = shown
        .history
        .iter()
        .filter(|entry| entry.kind == "lock")
        .map(|entry| (entry.summary.as_str(), entry.operator.as_str()))
        .collect();
    let me = refurbdesk_app::os_user();
    assert_eq!(
        locks_seen,
        vec![
            ("blocked: owner says it is a company phone", me.as_str()),
            ("clear: owner removed the profile", me.as_str()),
        ]
    );
}

#[test]
fn a_device_never_graded_is_confirmed_and_graded_once_its_answers_are_given() {
    let station = station(MdmState::Unknown);
    let mut ws = station.open(None);
    let confirmed = locks::confirm(&mut ws, confirm(ConfirmedLock::Blocked, "portal")).unwrap();
    match &confirmed.regrade {
        Regrade::Incomplete { items, zones } => {
            assert_eq!(items.len(), MANUAL_ITEMS.len());
            assert_eq!(zones.len(), 3);
        }
        other => panic!("graded without answers: {other:?}"),
    }
    assert_eq!(
        grade::record(&mut ws, complete()).unwrap().report.outcome,
        Outcome::Blocked
    );
}

#[test]
fn only_an_unknown_verdict_is_confirmed_with_a_note_by_someone_who_grades() {
    let read = station(MdmState::None);
    let mut ws = read.open(None);
    let error = locks::confirm(&mut ws, confirm(ConfirmedLock::Blocked, "x")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("only an unknown verdict"), "{error}");

    let station = station(MdmState::Unknown);
    let mut ws = station.open(None);
    let error = locks::confirm(&mut ws, confirm(ConfirmedLock::Clear, "  ")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    let error = locks::confirm(
        &mut ws,
        LockConfirmParams {
            device: "000000000000000".into(),
            ..confirm(ConfirmedLock::Clear, "x")
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);

    operators::add(
        &mut ws,
        AddOperatorParams {
            name: "boss".into(),
            role: Role::Admin,
        },
    )
    .unwrap();
    operators::add(
        &mut station.open(Some("boss")),
        AddOperatorParams {
            name: "audrey".into(),
            role: Role::Auditor,
        },
    )
    .unwrap();
    let error = locks::confirm(
        &mut station.open(Some("audrey")),
        confirm(ConfirmedLock::Clear, "x"),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(locks::history(&ws, IMEI).unwrap().is_empty());
}
