//! Use-case tests: grade. Grading and policies called directly on a real SQLite station whose
//! phone intake was recorded through the store's API.

use std::collections::BTreeMap;
use std::path::PathBuf;

use refurbdesk_app::grade::{
    self, GivenAnswer, GradeParams, OpenQuestionsParams, QuestionKind, ZonePhotoParam,
};
use refurbdesk_app::policy::{self, PolicyCheckParams};
use refurbdesk_app::{Door, ErrorCode, Hint, RecordKind, Workstation};
use refurbdesk_domain::Lang;
use refurbdesk_grading::{Answer, CosmeticLevel, Outcome, Zone, DEFAULT_POLICY_TOML};
use refurbdesk_store::{NewIntake, Role};

use crate::support::{Phone, TestStation};

const IMEI: &str = "356728114587211";

/// The phone checklist's manual items, in template order.
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

/// A station whose database holds one phone intake: battery at `soh` percent, the rear camera
/// failed on the bench, Wi-Fi passed.
fn station_with_phone(soh: u32) -> TestStation {
    let station = TestStation::new();
    let mut ws = station.open(None);
    ws.store
        .record_intake(&phone_intake(soh))
        .expect("intake recorded");
    station
}

fn phone_intake(soh: u32) -> NewIntake {
    Phone {
        full_mah: soh * 100,
        tests: vec![
            ("wifi", "pass", None),
            ("camera_rear", "fail", Some("no focus")),
        ],
        ..Phone::new(IMEI)
    }
    .intake()
}

fn params(lang: Lang) -> GradeParams {
    GradeParams {
        device: IMEI.to_owned(),
        checks: BTreeMap::new(),
        cosmetic: BTreeMap::new(),
        photos: Vec::new(),
        policy: None,
        partial: false,
        explain: false,
        lang,
    }
}

/// Every manual item passed, every zone at `level`.
fn complete(lang: Lang, level: CosmeticLevel) -> GradeParams {
    let mut params = params(lang);
    params.checks = MANUAL_ITEMS
        .iter()
        .map(|item| (item.to_string(), Answer::Pass))
        .collect();
    params.cosmetic = [Zone::Screen, Zone::Back, Zone::Frame]
        .into_iter()
        .map(|zone| (zone, level))
        .collect();
    params
}

fn grades(ws: &Workstation) -> usize {
    let device = ws.store.find_device(IMEI).expect("finds").expect("device");
    ws.store.grades_for_device(device.id).expect("reads").len()
}

fn write(station: &TestStation, name: &str, text: &str) -> PathBuf {
    let path = station.dir.path().join(name);
    std::fs::write(&path, text).expect("file written");
    path
}

#[test]
fn open_questions_are_the_unanswered_items_then_zones_in_the_language_asked() {
    let station = station_with_phone(90);
    let ws = station.open(None);
    let open = grade::open_questions(
        &ws,
        OpenQuestionsParams {
            device: IMEI.to_owned(),
            checks: BTreeMap::from([("touch".to_owned(), Answer::Pass)]),
            cosmetic: BTreeMap::from([(Zone::Screen, CosmeticLevel::Micro)]),
            lang: Lang::Fr,
        },
    )
    .expect("questions");
    assert!(open.carried_over.is_none());
    let ids: Vec<&str> = open.questions.iter().map(|q| q.id.as_str()).collect();
    let mut expected: Vec<&str> = MANUAL_ITEMS
        .iter()
        .copied()
        .filter(|item| *item != "touch")
        .collect();
    expected.extend(["back", "frame"]);
    assert_eq!(ids, expected, "the bench answered camera_rear and wifi");
    let first = &open.questions[0];
    assert_eq!(first.kind, QuestionKind::Item);
    assert!(
        first.text.starts_with("Le téléphone s'allume-t-il"),
        "{}",
        first.text
    );
    assert_eq!(first.answers, ["pass", "fail", "na"]);
    let liquid = open
        .questions
        .iter()
        .find(|q| q.id == "liquid_indicators")
        .expect("asked");
    assert_eq!(liquid.answers, ["pass", "fail"], "it always applies");
    let back = open
        .questions
        .iter()
        .find(|q| q.id == "back")
        .expect("asked");
    assert_eq!(back.kind, QuestionKind::Zone);
    assert_eq!(back.text, "Dos");
    assert_eq!(back.answers.len(), 5);
    assert!(open.words.item_prompt.contains("[o]ui"));

    // The same questions in English.
    let open = grade::open_questions(
        &ws,
        OpenQuestionsParams {
            device: IMEI.to_owned(),
            checks: BTreeMap::new(),
            cosmetic: BTreeMap::new(),
            lang: Lang::En,
        },
    )
    .expect("questions");
    assert_eq!(open.questions.len(), 13);
    assert!(
        open.questions[0]
            .text
            .starts_with("Does the phone power on"),
        "{}",
        open.questions[0].text
    );
    assert_eq!(open.questions[12].text, "Frame");
}

#[test]
fn typed_words_of_either_language_answer_a_question_and_na_is_refused_where_it_always_applies() {
    let station = station_with_phone(90);
    let ws = station.open(None);
    let open = grade::open_questions(
        &ws,
        OpenQuestionsParams {
            device: IMEI.to_owned(),
            checks: BTreeMap::new(),
            cosmetic: BTreeMap::new(),
            lang: Lang::En,
        },
    )
    .expect("questions");
    let words = &open.words;
    let powers = &open.questions[0];
    assert_eq!(
        powers.understand("Oui", words),
        Ok(GivenAnswer::Check {
            item: "powers_on_off",
            answer: Answer::Pass
        })
    );
    assert_eq!(
        powers.understand("n", words),
        Ok(GivenAnswer::Check {
            item: "powers_on_off",
            answer: Answer::Fail
        })
    );
    assert_eq!(
        powers.understand("so", words),
        Ok(GivenAnswer::Check {
            item: "powers_on_off",
            answer: Answer::Na
        })
    );
    let liquid = open
        .questions
        .iter()
        .find(|q| q.id == "liquid_indicators")
        .expect("asked");
    assert_eq!(
        liquid.understand("na", words),
        Err(words.na_refused.as_str())
    );
    assert_eq!(
        powers.understand("maybe", words),
        Err(words.item_again.as_str())
    );
    let frame = open.questions.last().expect("a zone");
    assert_eq!(
        frame.understand("légère", words),
        Ok(GivenAnswer::Cosmetic {
            zone: Zone::Frame,
            level: CosmeticLevel::Light
        })
    );
    assert_eq!(
        frame.understand("4", words),
        Ok(GivenAnswer::Cosmetic {
            zone: Zone::Frame,
            level: CosmeticLevel::Cracked
        })
    );
    assert_eq!(frame.understand("5", words), Err(words.zone_again.as_str()));

    // Answering every question leaves nothing to ask and the grade complete.
    let mut params = params(Lang::En);
    for question in &open.questions {
        let word = match question.kind {
            QuestionKind::Item => "y",
            QuestionKind::Zone => "0",
        };
        params.give(question.understand(word, words).expect("understood"));
    }
    let mut ws = ws;
    let outcome = grade::record(&mut ws, params).expect("graded");
    assert!(!outcome.report.partial);
    assert_eq!(outcome.report.outcome, Outcome::Repair, "the camera failed");
}

#[test]
fn a_complete_grade_is_recorded_with_reasons_told_in_the_language_asked() {
    let station = station_with_phone(90);
    let mut ws = station.open(None);
    let mut params = complete(Lang::Fr, CosmeticLevel::Flawless);
    params.cosmetic.insert(Zone::Back, CosmeticLevel::Light);
    let outcome = grade::record(&mut ws, params).expect("graded");
    let report = &outcome.report;
    assert_eq!(report.outcome, Outcome::Repair);
    assert_eq!(report.policy.name, "backmarket-default");
    assert_eq!(report.carried_over_from, None);
    assert!(report.trace.is_none());
    assert_eq!(outcome.device.make, "Apple");
    assert_eq!(outcome.device.imei.as_deref(), Some(IMEI));
    let failed = report
        .reasons
        .iter()
        .find(|reason| reason.rule == "functional.failed")
        .expect("the camera's reason");
    assert_eq!(failed.text, failed.texts["fr"]);
    assert!(failed.texts["en"].contains("rear camera"), "{failed:?}");
    assert!(failed.text.contains("appareil photo arrière"), "{failed:?}");

    // Recorded as graded, reasons kept as the engine wrote them.
    let stored = ws
        .store
        .grade_record(report.grade_id)
        .expect("reads")
        .expect("recorded");
    assert_eq!(stored.intake_id, report.intake_id);
    assert_eq!(stored.outcome, Outcome::Repair);
    assert_eq!(stored.answers.len(), 10);
    assert_eq!(stored.zones.len(), 3);
    assert_eq!(stored.reasons.len(), report.reasons.len());
    assert_eq!(stored.reasons[0].texts, report.reasons[0].texts);

    // The report serialises as `grade --json` prints it.
    let json = serde_json::to_value(report).expect("json");
    assert_eq!(json["grade"], report.grade.as_str());
    assert_eq!(json["ctia"]["cosmetic"], "B");
    assert!(json.get("trace").is_none());
    assert!(json["reasons"][0].get("text_fr").is_none());
    assert!(ws.store.check().expect("checks").is_ok());
}

#[test]
fn explain_traces_every_rule_and_regrading_carries_over_the_answers_of_the_same_intake() {
    let station = station_with_phone(90);
    let mut ws = station.open(None);
    let mut explained = complete(Lang::En, CosmeticLevel::Flawless);
    explained.explain = true;
    let first = grade::record(&mut ws, explained).expect("first grade");
    assert_eq!(first.report.outcome, Outcome::Repair);
    let trace = first.report.trace.as_ref().expect("trace");
    assert!(trace
        .iter()
        .any(|step| step.rule == "functional.failed" && step.fired));
    assert!(trace
        .iter()
        .any(|step| step.rule == "lock.blocked" && !step.fired));

    // A re-test finds the camera working: only that answer is given now.
    let mut again = params(Lang::En);
    again.checks.insert("camera_rear".into(), Answer::Pass);
    let second = grade::record(&mut ws, again).expect("regraded");
    assert_eq!(second.report.outcome, Outcome::Sellable);
    assert_eq!(second.report.carried_over_from, Some(first.report.grade_id));
    assert_eq!(
        second.carried_over.as_ref().map(|c| c.grade_id),
        Some(first.report.grade_id)
    );
    assert!(second.report.trace.is_none(), "no trace unless asked");
    assert_eq!(grades(&ws), 2);

    // Nothing is left to ask on the same intake.
    let open = grade::open_questions(
        &ws,
        OpenQuestionsParams {
            device: IMEI.to_owned(),
            checks: BTreeMap::new(),
            cosmetic: BTreeMap::new(),
            lang: Lang::En,
        },
    )
    .expect("questions");
    assert!(open.questions.is_empty(), "{:?}", open.questions);
    assert_eq!(
        open.carried_over.map(|c| c.grade_id),
        Some(second.report.grade_id)
    );
}

#[test]
fn unanswered_items_are_incomplete_naming_them_and_nothing_is_recorded() {
    let station = station_with_phone(90);
    let mut ws = station.open(None);
    let mut params = params(Lang::En);
    params.checks.insert("powers_on_off".into(), Answer::Pass);
    params
        .cosmetic
        .insert(Zone::Screen, CosmeticLevel::Flawless);
    params.cosmetic.insert(Zone::Back, CosmeticLevel::Flawless);
    let error = grade::record(&mut ws, params.clone()).expect_err("incomplete");
    assert_eq!(error.code, ErrorCode::Incomplete);
    assert!(
        error
            .message
            .contains("checklist items not answered: charges, touch"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("zones not inspected: frame"),
        "{}",
        error.message
    );
    assert_eq!(
        error.hint,
        Some(Hint::AnswerGrading {
            items: true,
            zones: true
        })
    );
    assert!(error.tell(Door::Terminal).contains("--partial"));
    assert!(!error.tell(Door::Window).contains("--"));
    assert_eq!(
        error.details.as_ref().expect("details")["zones"],
        serde_json::json!(["frame"])
    );
    assert_eq!(grades(&ws), 0);

    // Partial grades what is known and says so.
    params.partial = true;
    let outcome = grade::record(&mut ws, params).expect("partial grade");
    assert!(outcome.report.partial);
    assert_eq!(outcome.report.outcome, Outcome::Hold);
    assert_eq!(outcome.report.uninspected_zones, [Zone::Frame]);
    assert_eq!(grades(&ws), 1);
}

#[test]
fn wrong_devices_items_and_zones_get_their_codes() {
    let station = station_with_phone(90);
    let mut ws = station.open(None);

    let mut unknown = params(Lang::En);
    unknown.device = "490154203237518".into();
    unknown.partial = true;
    let error = grade::record(&mut ws, unknown).expect_err("unknown device");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        error
            .message
            .contains("no device matches \"490154203237518\""),
        "{}",
        error.message
    );
    assert_eq!(
        error.hint,
        Some(Hint::ListRecords {
            what: RecordKind::Devices
        })
    );

    let mut item = params(Lang::En);
    item.partial = true;
    item.checks.insert("keyboard_complete".into(), Answer::Pass);
    let error = grade::record(&mut ws, item).expect_err("not a phone item");
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error.message.contains("is not on the phone checklist"),
        "{}",
        error.message
    );

    let mut zone = params(Lang::En);
    zone.partial = true;
    zone.cosmetic.insert(Zone::Lid, CosmeticLevel::Micro);
    let error = grade::record(&mut ws, zone).expect_err("not a phone zone");
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error.message.contains("phones have no lid zone"),
        "{}",
        error.message
    );
    assert_eq!(grades(&ws), 0);
}

#[test]
fn a_role_that_may_not_grade_is_refused() {
    let station = station_with_phone(90);
    let mut ws = station.open(Some("root"));
    let bootstrap = ws.store.resolve_actor(None, "root").expect("bootstrap");
    ws.store
        .add_operator("root", Role::Admin, &bootstrap)
        .expect("admin");
    let admin = ws.store.resolve_actor(Some("root"), "x").expect("admin");
    ws.store
        .add_operator("otto", Role::Auditor, &admin)
        .expect("auditor");
    drop(ws);

    let mut ws = station.open(Some("otto"));
    let mut params = params(Lang::En);
    params.partial = true;
    let error = grade::record(&mut ws, params).expect_err("refused");
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(
        error.message.contains("may not grade devices"),
        "{}",
        error.message
    );

    let mut ws = station.open(Some("nobody"));
    let error = grade::open_questions(
        &ws,
        OpenQuestionsParams {
            device: IMEI.to_owned(),
            checks: BTreeMap::new(),
            cosmetic: BTreeMap::new(),
            lang: Lang::En,
        },
    )
    .expect_err("an unknown operator");
    assert_eq!(error.code, ErrorCode::Refused);
    let error = grade::record(&mut ws, complete(Lang::En, CosmeticLevel::Micro))
        .expect_err("an unknown operator");
    assert_eq!(error.code, ErrorCode::Refused);
    assert_eq!(grades(&ws), 0);
}

#[test]
fn photos_are_kept_with_their_sha256_and_need_their_zone_levelled() {
    let station = station_with_phone(90);
    let mut ws = station.open(None);
    let photo = write(&station, "screen.jpg", "abc");
    let mut params = params(Lang::En);
    params.partial = true;
    params.cosmetic.insert(Zone::Screen, CosmeticLevel::Micro);
    params.photos.push(ZonePhotoParam {
        zone: Zone::Screen,
        path: photo.clone(),
    });
    let outcome = grade::record(&mut ws, params).expect("graded");
    let stored = ws
        .store
        .grade_record(outcome.report.grade_id)
        .expect("reads")
        .expect("recorded");
    let kept = &stored.zones[0].photos[0];
    assert_eq!(
        kept.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );

    let mut unlevelled = self::params(Lang::En);
    unlevelled.partial = true;
    unlevelled.photos.push(ZonePhotoParam {
        zone: Zone::Back,
        path: photo,
    });
    let error = grade::record(&mut ws, unlevelled).expect_err("no level");
    assert_eq!(error.code, ErrorCode::Usage);
    assert_eq!(
        error.hint,
        Some(Hint::GiveZoneLevel {
            zone: "back".into()
        })
    );
    assert!(error
        .tell(Door::Terminal)
        .contains("add --cosmetic back=LEVEL"));

    let mut missing = self::params(Lang::En);
    missing.partial = true;
    missing.cosmetic.insert(Zone::Back, CosmeticLevel::Micro);
    missing.photos.push(ZonePhotoParam {
        zone: Zone::Back,
        path: "/no/such/photo.jpg".into(),
    });
    let error = grade::record(&mut ws, missing).expect_err("unreadable photo");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(
        error.message.contains("/no/such/photo.jpg"),
        "{}",
        error.message
    );
    assert_eq!(grades(&ws), 1);
}

#[test]
fn a_policy_file_decides_the_grade_and_a_broken_one_is_refused_with_its_lines() {
    let station = station_with_phone(88);
    let mut ws = station.open(None);
    let strict = DEFAULT_POLICY_TOML
        .replacen("name = \"backmarket-default\"", "name = \"strict-shop\"", 1)
        .replacen("version = \"1.1.0\"", "version = \"2.1\"", 1)
        .replacen(
            "when = { soh_below = 85.0 }",
            "when = { soh_below = 90.0 }",
            1,
        );
    let strict = write(&station, "strict.toml", &strict);
    let mut params = complete(Lang::En, CosmeticLevel::Flawless);
    params.checks.insert("camera_rear".into(), Answer::Pass);
    let shipped = grade::record(&mut ws, params.clone()).expect("graded");
    assert_eq!(shipped.report.outcome, Outcome::Sellable);
    params.policy = Some(strict);
    let graded = grade::record(&mut ws, params.clone()).expect("graded");
    assert_eq!(graded.report.outcome, Outcome::Repair, "88 % is below 90 %");
    assert_eq!(graded.report.policy.name, "strict-shop");
    assert_eq!(graded.report.policy.version, "2.1");

    let broken = DEFAULT_POLICY_TOML.replacen("outcome = \"blocked\"", "outcome = \"stopped\"", 1);
    let line = broken
        .lines()
        .position(|line| line.contains("\"stopped\""))
        .expect("edited line")
        + 1;
    let broken = write(&station, "broken.toml", &broken);
    params.policy = Some(broken.clone());
    let error = grade::record(&mut ws, params).expect_err("refused");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(
        error
            .message
            .contains(&format!("broken.toml:{line}: `outcome`: \"stopped\"")),
        "{}",
        error.message
    );
    assert_eq!(
        error.hint,
        Some(Hint::CheckPolicy {
            file: broken.display().to_string()
        })
    );
    assert!(error
        .tell(Door::Terminal)
        .contains("refurbdesk policy check"));
    assert_eq!(grades(&ws), 2);

    // The same file checked: every problem with its line and column, not valid.
    let report = policy::check(PolicyCheckParams { file: broken }).expect("checked");
    assert!(!report.valid);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].line, line);
    let refusal = report.refusal().expect("an invalid policy is refused");
    assert_eq!(refusal.code, ErrorCode::Data);
    assert!(
        refusal
            .message
            .ends_with("has 1 problem; fix it and check again"),
        "{}",
        refusal.message
    );
}

#[test]
fn policy_check_says_valid_and_an_unreadable_file_is_a_data_error() {
    let station = TestStation::new();
    let default = write(&station, "default.toml", policy::default_text());
    let report = policy::check(PolicyCheckParams { file: default }).expect("checked");
    assert!(report.valid, "{report:?}");
    assert!(report.refusal().is_none());
    assert_eq!(report.rules, 24);
    let id = report.policy.expect("named");
    assert_eq!(id.to_string(), "backmarket-default 1.1.0");
    let json = serde_json::to_value(
        policy::check(PolicyCheckParams {
            file: write(&station, "again.toml", DEFAULT_POLICY_TOML),
        })
        .expect("checked"),
    )
    .expect("json");
    assert_eq!(json["valid"], true);
    assert_eq!(json["policy"]["name"], "backmarket-default");
    assert_eq!(json["problems"], serde_json::json!([]));

    let error = policy::check(PolicyCheckParams {
        file: "/no/such/policy.toml".into(),
    })
    .expect_err("unreadable");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(
        error
            .message
            .contains("cannot read the policy /no/such/policy.toml"),
        "{}",
        error.message
    );
    let error = policy::load(std::path::Path::new("/no/such/policy.toml")).expect_err("unreadable");
    assert_eq!(error.code, ErrorCode::Data);
}

#[test]
fn a_policy_with_french_written_in_it_is_valid_and_each_sentence_to_move_is_a_warning() {
    let legacy = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../grading/tests/grading/fixtures/legacy-reason-fr.toml");
    let report =
        refurbdesk_app::policy::check(refurbdesk_app::policy::PolicyCheckParams { file: legacy })
            .unwrap();
    assert!(report.valid, "{:?}", report.problems);
    assert!(report.refusal().is_none());
    assert!(!report.warnings.is_empty());
    assert!(
        report.warnings.iter().all(|warning| warning.line > 0
            && warning.message.contains("reason_id")
            || warning.message.contains("grade_ids")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn the_device_screen_shows_identity_battery_grade_and_history_in_the_language_asked() {
    use refurbdesk_app::devices::{self, DeviceShowParams};
    let station = station_with_phone(90);
    let mut ws = station.open(None);
    let shown = |ws: &Workstation, lang| {
        devices::show(
            ws,
            DeviceShowParams {
                device: IMEI.to_owned(),
                lang,
            },
        )
        .expect("shown")
    };
    let before = shown(&ws, Lang::En);
    assert_eq!(before.identity.imei.as_deref(), Some(IMEI));
    assert_eq!(before.identity.imei_valid, Some(true));
    let intake = before.intake.as_ref().expect("an intake");
    assert_eq!(intake.battery.soh_pct, Some(90.0));
    assert_eq!(intake.battery.verdict, "pass");
    assert_eq!(intake.battery.design_mah, Some(10_000));
    assert!(intake
        .tests
        .iter()
        .any(|test| test.name == "camera_rear" && test.outcome == "fail"));
    assert!(before.grade.is_none(), "not graded yet");
    assert_eq!(before.history.len(), 1);
    assert_eq!(before.history[0].kind, "intake");

    let outcome = grade::record(&mut ws, complete(Lang::En, CosmeticLevel::Flawless)).unwrap();
    let after = shown(&ws, Lang::Fr);
    let grade = after.grade.expect("graded");
    assert_eq!(grade.grade_id, outcome.report.grade_id);
    assert_eq!(grade.outcome, outcome.report.outcome.as_str());
    assert_eq!(grade.answers["charges"], "pass");
    assert_eq!(grade.zones["screen"], "flawless");
    assert!(
        grade
            .reasons
            .iter()
            .any(|reason| reason.contains("appareil photo arrière")),
        "told in French: {:?}",
        grade.reasons
    );
    assert_eq!(
        after
            .history
            .iter()
            .map(|entry| entry.kind.as_str())
            .collect::<Vec<_>>(),
        ["intake", "grade"]
    );

    let missing = devices::show(
        &ws,
        DeviceShowParams {
            device: "000000000000000".into(),
            lang: Lang::En,
        },
    )
    .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[test]
fn a_pass_over_a_failed_bench_test_is_returned_recorded_and_shown_in_the_history() {
    use refurbdesk_app::devices::{self, DeviceShowParams};
    let station = station_with_phone(95);
    let mut ws = station.open(None);
    let mut given = complete(Lang::Fr, CosmeticLevel::Flawless);
    given.checks.insert("camera_rear".into(), Answer::Pass);
    let outcome = grade::record(&mut ws, given).expect("graded");
    assert_eq!(
        outcome.report.outcome,
        Outcome::Sellable,
        "the answer decides"
    );
    let overrides = &outcome.report.overrides;
    assert_eq!(overrides.len(), 1, "only the failed test: {overrides:?}");
    assert_eq!(overrides[0].item, "camera_rear");
    assert_eq!(overrides[0].bench, "fail");
    assert_eq!(overrides[0].answer, Answer::Pass);
    assert_eq!(
        overrides[0].text,
        "point de contrôle camera_rear : le banc a dit échec, vous avez répondu pass ; \
         les deux sont conservés"
    );

    let shown = devices::show(
        &ws,
        DeviceShowParams {
            device: IMEI.to_owned(),
            lang: Lang::En,
        },
    )
    .expect("shown");
    let entry = shown
        .history
        .iter()
        .find(|entry| entry.kind == "override")
        .expect("the override is in the history");
    assert_eq!(entry.operator, ws.actor().expect("actor").name);
    assert!(
        entry
            .summary
            .starts_with("camera_rear: bench fail, answered pass by "),
        "{entry:?}"
    );
    let graded = shown
        .history
        .iter()
        .find(|entry| entry.kind == "grade")
        .expect("graded");
    assert_eq!(entry.at, graded.at, "recorded with its grade");
}

#[test]
fn the_device_screen_tells_its_errors_in_french() {
    use refurbdesk_app::devices::{self, DeviceShowParams};
    let station = station_with_phone(95);
    let mut ws = station.open(None);
    let missing = devices::show(
        &ws,
        DeviceShowParams {
            device: "000000000000000".into(),
            lang: Lang::Fr,
        },
    )
    .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(
        missing
            .message
            .starts_with("aucun appareil ne correspond à \"000000000000000\""),
        "{}",
        missing.message
    );
    let incomplete = grade::record(&mut ws, params(Lang::Fr)).unwrap_err();
    assert_eq!(incomplete.code, ErrorCode::Incomplete);
    assert!(
        incomplete
            .message
            .starts_with("évaluation impossible pour l'instant : points de contrôle sans réponse"),
        "{}",
        incomplete.message
    );
    assert!(incomplete.message.contains("zones non inspectées"));
    let english = grade::record(&mut ws, params(Lang::En)).unwrap_err();
    assert!(english
        .message
        .starts_with("cannot grade yet: checklist items not answered"));
}
