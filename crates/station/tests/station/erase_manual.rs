//! Manual factory resets guided from the shipped checklists and recorded in a real SQLite file,
//! for devices a simulated bench took in: verified only when every required step was confirmed.

use std::collections::BTreeMap;
use std::time::Duration;

use refurbdesk_bench::{BenchLink, LinkConfig};
use refurbdesk_bench_sim::{Scenario, SimBench, SimOptions};
use refurbdesk_station::erase::DeviceFinding;
use refurbdesk_station::{
    plan_manual_reset, record_reading, run_intake, Answers, IntakeOptions, Lang, ManualResetEnd,
    ManualResetError, ManualResetPlan, ResetChecklist,
};
use refurbdesk_store::{ErasureDetails, ErasureStatus, StepAnswer, Store};
use uuid::Uuid;

const BENCH: &str = r#"
[bench]
vendor = "Acme"
model = "PB-5"
serial = "PB5-0001"
fw = "2.0.1"
slots = 5

[timing]
test_ms = 5

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12", imei = "356728114587211" }
tests = { wifi = "PASS" }

[[device]]
slot = 2
ident = { category = "tablet", make = "Samsung", model = "Galaxy Tab S6 Lite", serial = "R52N70ABCDE" }
tests = { wifi = "PASS" }

[[device]]
slot = 3
ident = { category = "phone", make = "Redmi", model = "Note 12", imei = "864035061234563" }
tests = { wifi = "PASS" }

[[device]]
slot = 4
ident = { category = "phone", make = "Google", model = "Pixel 7", imei = "358240051111110" }
tests = { wifi = "PASS" }

[[device]]
slot = 5
ident = { category = "laptop", make = "Lenovo", model = "ThinkPad T480", serial = "PF1ABCDE" }
tests = { wifi = "PASS" }
"#;

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    /// Device id by slot.
    devices: BTreeMap<u16, Uuid>,
}

/// Every device of the bench taken in by a real intake and recorded.
async fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("station.sqlite")).expect("store opens");
    let scenario = Scenario::from_toml(BENCH, "manual").expect("valid");
    let bench = SimBench::start(scenario, &dir.path().join("bench"), SimOptions::default())
        .expect("bench starts");
    let config = LinkConfig {
        request_timeout: Duration::from_millis(500),
        ..LinkConfig::default()
    };
    let (link, _) = BenchLink::connect(bench.link(), config)
        .await
        .expect("link");
    let mut devices = BTreeMap::new();
    for slot in 1..=5 {
        let reading = run_intake(&link, slot, &IntakeOptions::default())
            .await
            .expect("intake");
        let summary = record_reading(&mut store, &reading, "ana").expect("recorded");
        devices.insert(slot, summary.device_id);
    }
    link.close().await;
    Rig {
        _dir: dir,
        store,
        devices,
    }
}

/// Answers each step from `answer(step id)`, keeping what was asked.
fn interactive<'a>(
    asked: &'a mut Vec<(usize, usize, String, String, bool)>,
    answer: impl Fn(&str) -> Option<StepAnswer> + 'a,
) -> impl FnMut(&refurbdesk_station::StepPrompt<'_>) -> Option<StepAnswer> + 'a {
    move |prompt| {
        asked.push((
            prompt.number,
            prompt.count,
            prompt.step.id.clone(),
            prompt.step.text.clone(),
            prompt.step.required,
        ));
        answer(&prompt.step.id)
    }
}

fn plan(rig: &Rig, slot: u16, lang: Lang) -> ManualResetPlan {
    plan_manual_reset(&rig.store, rig.devices[&slot], None, lang).expect("planned")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_confirmed_verifies_the_reset_and_records_each_answer() {
    let mut rig = rig().await;
    let plan = plan(&rig, 1, Lang::Fr);
    assert_eq!(plan.platform, "ios");
    assert_eq!(plan.platform_name, "iPhone et iPad (iOS, iPadOS)");
    let shipped = ResetChecklist::shipped().expect("valid");
    let ios = shipped.platform("ios").expect("ios");
    assert_eq!(plan.steps.len(), ios.steps.len());
    assert_eq!(plan.steps[0].text, ios.steps[0].fr, "shown in French");

    let mut asked = Vec::new();
    let mut ask = interactive(&mut asked, |_| Some(StepAnswer::Yes));
    let outcome = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Interactive(&mut ask),
        "ana",
    )
    .expect("recorded");
    drop(ask);
    assert_eq!(outcome.end, ManualResetEnd::Verified);
    let count = ios.steps.len();
    let numbers: Vec<(usize, usize)> = asked.iter().map(|a| (a.0, a.1)).collect();
    assert_eq!(numbers, (1..=count).map(|n| (n, count)).collect::<Vec<_>>());

    let record = &outcome.record;
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(record.target, "manual/ios");
    assert_eq!(record.method, "manual_factory_reset");
    assert_eq!(record.device_id, Some(rig.devices[&1]));
    assert_eq!(record.drive["imei"], "356728114587211");
    let Some(ErasureDetails::Manual(details)) = &record.details else {
        panic!("manual details expected");
    };
    assert_eq!(details.lang, "fr");
    assert_eq!(details.answered_by, "interactive");
    assert_eq!(details.checklist_version, shipped.version);
    let mut previous = record.started_at;
    for (step, spec) in details.steps.iter().zip(&ios.steps) {
        assert_eq!(step.id, spec.id);
        assert_eq!(step.text, spec.fr);
        assert_eq!(step.answer, Some(StepAnswer::Yes));
        assert_eq!(step.operator.as_deref(), Some("ana"));
        let at = step.answered_at.expect("answered at");
        assert!(at >= previous, "answers are timed in order");
        previous = at;
    }
    assert!(rig.store.check().expect("check").is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_step_answered_no_fails_the_reset_and_stops_there() {
    let mut rig = rig().await;
    let plan = plan(&rig, 2, Lang::En);
    assert_eq!(plan.platform, "samsung");
    let mut asked = Vec::new();
    let mut ask = interactive(&mut asked, |id| {
        Some(if id == "remove_samsung_account" {
            StepAnswer::No
        } else {
            StepAnswer::Yes
        })
    });
    let outcome = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Interactive(&mut ask),
        "ana",
    )
    .expect("recorded");
    drop(ask);
    assert_eq!(
        outcome.end,
        ManualResetEnd::Failed {
            step: "remove_samsung_account".to_owned(),
            answer: StepAnswer::No
        }
    );
    assert_eq!(
        asked.last().map(|a| a.2.as_str()),
        Some("remove_samsung_account"),
        "nothing is asked after a required no"
    );
    let record = &outcome.record;
    assert_eq!(record.status, ErasureStatus::Failed);
    let Some(DeviceFinding::ManualStepFailed {
        number,
        count,
        step,
        answer,
        text,
    }) = &outcome.finding
    else {
        panic!("a failed step expected: {:?}", outcome.finding);
    };
    assert_eq!(
        (step.as_str(), *answer, *count),
        ("remove_samsung_account", StepAnswer::No, plan.steps.len())
    );
    assert_eq!(plan.steps[number - 1].id, "remove_samsung_account");
    assert!(text.contains("Samsung account"), "{text}");
    assert_eq!(
        DeviceFinding::from_note(record.note.as_deref().unwrap_or_default()).as_ref(),
        outcome.finding.as_ref(),
        "the note holds the finding"
    );
    let Some(ErasureDetails::Manual(details)) = &record.details else {
        panic!("manual details expected");
    };
    let answered = details
        .steps
        .iter()
        .filter(|step| step.answer.is_some())
        .count();
    assert_eq!(answered, asked.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_optional_step_may_be_skipped_but_a_required_one_may_not() {
    let mut rig = rig().await;
    let plan = plan(&rig, 1, Lang::En);
    let optional = plan
        .steps
        .iter()
        .find(|step| !step.required)
        .expect("the iOS checklist has an optional step")
        .id
        .clone();
    let mut asked = Vec::new();
    let mut ask = interactive(&mut asked, |id| {
        Some(if id == optional {
            StepAnswer::Skipped
        } else {
            StepAnswer::Yes
        })
    });
    let outcome = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Interactive(&mut ask),
        "ana",
    )
    .expect("recorded");
    drop(ask);
    assert_eq!(outcome.end, ManualResetEnd::Verified);

    let mut asked = Vec::new();
    let mut ask = interactive(&mut asked, |id| {
        Some(if id == "erase_all" {
            StepAnswer::Skipped
        } else {
            StepAnswer::Yes
        })
    });
    let outcome = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Interactive(&mut ask),
        "ana",
    )
    .expect("recorded");
    drop(ask);
    assert_eq!(outcome.record.status, ErasureStatus::Failed);
    assert!(matches!(
        outcome.end,
        ManualResetEnd::Failed {
            answer: StepAnswer::Skipped,
            ..
        }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_who_stops_part_way_leaves_the_reset_interrupted() {
    let mut rig = rig().await;
    let plan = plan(&rig, 4, Lang::En);
    assert_eq!(plan.platform, "android");
    let stop_at = plan.steps[2].id.clone();
    let mut asked = Vec::new();
    let mut ask = interactive(&mut asked, |id| (id != stop_at).then_some(StepAnswer::Yes));
    let outcome = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Interactive(&mut ask),
        "ana",
    )
    .expect("recorded");
    drop(ask);
    assert_eq!(
        outcome.end,
        ManualResetEnd::Interrupted {
            step: stop_at.clone()
        }
    );
    assert_eq!(outcome.record.status, ErasureStatus::Interrupted);
    let expected = DeviceFinding::ManualStopped {
        number: 3,
        count: plan.steps.len(),
        step: stop_at.clone(),
    };
    assert_eq!(outcome.finding.as_ref(), Some(&expected));
    assert_eq!(
        DeviceFinding::from_note(outcome.record.note.as_deref().unwrap_or_default()),
        Some(expected)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_given_in_advance_must_answer_every_step_and_nothing_else() {
    let mut rig = rig().await;
    let plan = plan(&rig, 3, Lang::En);
    assert_eq!(plan.platform, "xiaomi", "Redmi is a Xiaomi brand");
    let given: BTreeMap<String, StepAnswer> = plan
        .steps
        .iter()
        .map(|step| (step.id.clone(), StepAnswer::Yes))
        .collect();

    let missing_id = plan.steps[1].id.clone();
    let mut incomplete = given.clone();
    incomplete.remove(&missing_id);
    let error = refurbdesk_station::run_manual_reset(
        &mut rig.store,
        &plan,
        Answers::Given(&incomplete),
        "ana",
    )
    .expect_err("a step is unanswered");
    assert!(
        matches!(error, ManualResetError::Incomplete { .. }),
        "{error}"
    );
    assert!(error.to_string().contains(&missing_id), "{error}");

    let mut extra = given.clone();
    extra.insert("wipe_cache_partition".to_owned(), StepAnswer::Yes);
    let error =
        refurbdesk_station::run_manual_reset(&mut rig.store, &plan, Answers::Given(&extra), "ana")
            .expect_err("an unknown step");
    assert!(
        error.to_string().contains("wipe_cache_partition"),
        "{error}"
    );
    assert!(
        rig.store
            .erasures_for_device(rig.devices[&3])
            .expect("reads")
            .is_empty(),
        "nothing is recorded for answers that do not fit"
    );

    let outcome =
        refurbdesk_station::run_manual_reset(&mut rig.store, &plan, Answers::Given(&given), "ana")
            .expect("recorded");
    assert_eq!(outcome.end, ManualResetEnd::Verified);
    let Some(ErasureDetails::Manual(details)) = &outcome.record.details else {
        panic!("manual details expected");
    };
    assert_eq!(details.answered_by, "answers_file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_phones_and_tablets_are_reset_by_hand_and_platforms_can_be_named() {
    let rig = rig().await;
    let error =
        plan_manual_reset(&rig.store, rig.devices[&5], None, Lang::En).expect_err("a laptop");
    assert!(
        matches!(error, ManualResetError::NotAPhone { .. }),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("erase a computer's drive"), "{message}");
    assert!(
        !message.contains("refurbdesk") && !message.contains("--"),
        "the engine names no command: {message}"
    );
    let named = plan_manual_reset(&rig.store, rig.devices[&4], Some("samsung"), Lang::En)
        .expect("a named platform wins over the make");
    assert_eq!(named.platform, "samsung");
    let error = plan_manual_reset(&rig.store, rig.devices[&4], Some("blackberry"), Lang::En)
        .expect_err("unknown platform");
    assert!(error.to_string().contains("ios, samsung"), "{error}");
    let error =
        plan_manual_reset(&rig.store, Uuid::now_v7(), None, Lang::En).expect_err("no such device");
    assert!(
        matches!(error, ManualResetError::NoIntake { .. }),
        "{error}"
    );
}
