//! `refurbdesk grade --check ITEM=pass` over a bench test that failed: allowed, said in words
//! (English and French), and recorded beside the bench's result.

use predicates::prelude::*;

use crate::grade::{Station, ALL_PASS, IMEI};
use crate::support::json_of;

#[test]
fn a_pass_over_a_failed_bench_test_is_said_and_both_are_kept() {
    let station = Station::with_phone(95);
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--check", ALL_PASS])
        .args(["--check", "camera_rear=pass"])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).expect("utf-8");
    assert!(
        text.lines().next().is_some_and(|line| line
            == "checklist item camera_rear: the bench said fail, you answered pass; both are kept"),
        "{text}"
    );
    assert!(
        !text.contains("wifi: the bench"),
        "only a failed test is an override"
    );

    // The record keeps both: the bench's fail on the intake, the answer and the override.
    let store = station.store();
    let device = store.find_device(IMEI).expect("finds").expect("device");
    let intake = store
        .latest_intake(device.id)
        .expect("reads")
        .expect("intake");
    assert!(intake
        .tests
        .iter()
        .any(|test| test.name == "camera_rear" && test.outcome == "fail"));
    let grade = store
        .latest_grade(device.id)
        .expect("reads")
        .expect("grade");
    assert!(grade
        .answers
        .iter()
        .any(|answer| answer.item == "camera_rear" && answer.answer.as_str() == "pass"));
    let overrides = store.checklist_overrides(device.id).expect("reads");
    assert_eq!(overrides.len(), 1);
    assert_eq!(overrides[0].grade_id, grade.id);
    assert_eq!(
        (overrides[0].item.as_str(), overrides[0].bench.as_str()),
        ("camera_rear", "fail")
    );
    assert_eq!(overrides[0].operator, "ana");

    // Both checks still pass over the new table.
    station.cli().args(["audit", "verify"]).assert().success();
    station.cli().args(["db", "check"]).assert().success();
}

#[test]
fn the_override_is_told_in_french_and_in_the_json() {
    let station = Station::with_phone(95);
    station
        .cli()
        .args([
            "grade", "--device", IMEI, "--lang", "fr", "--check", ALL_PASS,
        ])
        .args(["--check", "camera_rear=pass"])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "point de contrôle camera_rear : le banc a dit échec, vous avez répondu pass ; \
             les deux sont conservés",
        ));
    let output = station
        .cli()
        .args([
            "grade",
            "--device",
            IMEI,
            "--json",
            "--check",
            "camera_rear=pass",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    let overrides = json["overrides"].as_array().expect("an array");
    assert_eq!(overrides.len(), 1, "{json}");
    assert_eq!(overrides[0]["item"], "camera_rear");
    assert_eq!(overrides[0]["bench"], "fail");
    assert_eq!(overrides[0]["answer"], "pass");
    assert!(overrides[0]["text"]
        .as_str()
        .is_some_and(|text| text.contains("you answered pass")));
}

#[test]
fn a_fail_that_agrees_with_the_bench_is_no_override() {
    let station = Station::with_phone(95);
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--json", "--check", ALL_PASS])
        .args(["--check", "camera_rear=fail"])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&output)["overrides"], serde_json::json!([]));
    let store = station.store();
    let device = store.find_device(IMEI).expect("finds").expect("device");
    assert!(store
        .checklist_overrides(device.id)
        .expect("reads")
        .is_empty());
}
