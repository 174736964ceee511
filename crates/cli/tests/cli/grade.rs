//! `refurbdesk grade` and `refurbdesk policy check`, run as the real binary
//! on a real SQLite file whose intake was recorded through the store's API.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use refurbdesk_store::{NewIntake, Role, Store};

use crate::support::{json_of, test, Phone};

pub(crate) const IMEI: &str = "356728114587211";

/// Every manual item of the phone checklist, answered pass.
pub(crate) const ALL_PASS: &str =
    "powers_on_off=pass,charges=pass,touch=pass,screen_dead_pixels=pass,\
screen_burn_in=pass,biometrics=pass,all_features=pass,liquid_indicators=pass,\
housing_complete=pass,genuine_parts=pass";

pub(crate) struct Station {
    home: tempfile::TempDir,
    db: PathBuf,
}

impl Station {
    /// A station whose database holds one phone intake: battery at `soh`
    /// percent, the rear camera failed on the bench, Wi-Fi passed.
    pub(crate) fn with_phone(soh: u32) -> Station {
        let home = tempfile::tempdir().expect("temporary home");
        let db = home.path().join("station.sqlite");
        let mut store = Store::open(&db).expect("store opens");
        store
            .record_intake(&phone_intake(soh))
            .expect("intake recorded");
        Station { home, db }
    }

    pub(crate) fn cli(&self) -> Command {
        let mut cmd = Command::cargo_bin("refurbdesk").expect("binary built");
        cmd.env("XDG_DATA_HOME", self.home.path().join("share"))
            .env("HOME", self.home.path())
            .env("REFURBDESK_DB", &self.db)
            .env("REFURBDESK_LOG", "off")
            .env("REFURBDESK_OPERATOR", "ana")
            .env("USER", "ana")
            // Reasons print in the environment's language unless --lang says.
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C");
        cmd
    }

    pub(crate) fn store(&self) -> Store {
        Store::open(&self.db).expect("store opens")
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).expect("file written");
        path
    }
}

/// An iPhone 15 whose battery is at `soh` percent, the rear camera failed on the bench.
fn phone_intake(soh: u32) -> NewIntake {
    Phone {
        model: "iPhone 15",
        design_mah: 10_000,
        full_mah: soh * 100,
        cycles: 200,
        tests: vec![
            test("wifi", "pass", None),
            test("camera_rear", "fail", Some("no focus")),
        ],
        seconds: 90,
        ..Phone::default()
    }
    .intake()
}

fn device_grades(station: &Station) -> usize {
    let store = station.store();
    let device = store.find_device(IMEI).expect("finds").expect("device");
    store.grades_for_device(device.id).expect("reads").len()
}

#[test]
fn a_complete_grade_is_recorded_and_printed_as_one_json_object() {
    let station = Station::with_phone(90);
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--json", "--check", ALL_PASS])
        .args([
            "--cosmetic",
            "screen=micro,back=light",
            "--cosmetic",
            "frame=flawless",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["outcome"], "repair", "{json}");
    assert_eq!(json["grade"], "FAIR");
    assert_eq!(json["buyback_grade"], "NOT_FUNCTIONAL_USED");
    assert_eq!(json["ctia"]["functional"], 2);
    assert_eq!(json["ctia"]["cosmetic"], "B");
    assert_eq!(json["policy"]["name"], "backmarket-default");
    assert_eq!(json["policy"]["version"], "1.1.0");
    assert_eq!(json["partial"], false);
    let rules: Vec<&str> = json["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason["rule"].as_str().expect("rule id"))
        .collect();
    assert_eq!(
        rules,
        [
            "functional.failed",
            "cosmetic.not_flawless",
            "screen.micro",
            "body.light",
            "screen_and_body.worn",
            "grade.fair"
        ]
    );
    assert!(json["reasons"][0]["text"]
        .as_str()
        .expect("text")
        .contains("rear camera"));

    let store = station.store();
    let device = store.find_device(IMEI).expect("finds").expect("device");
    let grade = store
        .latest_grade(device.id)
        .expect("reads")
        .expect("recorded");
    assert_eq!(grade.id.to_string(), json["grade_id"]);
    assert_eq!(grade.outcome.as_str(), "repair");
    assert_eq!(grade.listing_grade.as_str(), "FAIR");
    assert_eq!(grade.ctia_code.to_string(), "2/B");
    assert_eq!(grade.policy_name, "backmarket-default");
    assert_eq!(grade.operator, "ana");
    assert_eq!(grade.answers.len(), 10);
    assert_eq!(grade.zones.len(), 3);
    // The store keeps each reason's sentences as graded; the JSON tells them
    // in --lang (`text`) and by language (`texts`).
    let stored = serde_json::to_value(&grade.reasons).expect("stored reasons");
    let stored = stored.as_array().expect("stored reasons");
    let printed = json["reasons"].as_array().expect("reasons");
    assert_eq!(stored.len(), printed.len());
    for (stored, printed) in stored.iter().zip(printed) {
        assert_eq!(stored["rule"], printed["rule"]);
        assert_eq!(stored["inputs"], printed["inputs"]);
        assert_eq!(
            stored["texts"]["en"], printed["text"],
            "English unless --lang says"
        );
        assert_eq!(stored["texts"], printed["texts"]);
        assert!(printed.get("text_fr").is_none(), "{printed}");
    }
    assert_eq!(grade.inputs["identity"]["imei"], IMEI);
    assert!(store.check().expect("checks").is_ok());
}

#[test]
fn missing_manual_items_exit_5_naming_them_and_record_nothing() {
    let station = Station::with_phone(90);
    station
        .cli()
        .args([
            "grade",
            "--device",
            IMEI,
            "--cosmetic",
            "screen=flawless,back=flawless",
        ])
        .args([
            "--check",
            "powers_on_off=pass,charges=pass,touch=pass,biometrics=na",
        ])
        .assert()
        .code(5)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "checklist items not answered: screen_dead_pixels, screen_burn_in, all_features, \
             liquid_indicators, housing_complete, genuine_parts",
        ))
        .stderr(predicate::str::contains("zones not inspected: frame"))
        .stderr(predicate::str::contains("--partial"));
    assert_eq!(device_grades(&station), 0);
}

#[test]
fn partial_grades_what_is_known_and_says_so() {
    let station = Station::with_phone(90);
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--partial", "--json"])
        .args(["--cosmetic", "screen=flawless"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["partial"], true);
    assert_eq!(json["outcome"], "hold");
    assert_eq!(
        json["uninspected_zones"],
        serde_json::json!(["back", "frame"])
    );
    assert!(json["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .any(|reason| reason["rule"] == "input.partial"));

    let partial_grade = |extra: &[&str]| {
        let mut command = station.cli();
        command
            .args(["grade", "--device", IMEI, "--partial"])
            .args(["--cosmetic", "screen=flawless"])
            .args(extra);
        command
    };
    partial_grade(&[])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "partial:   not yet checked: powers_on_off",
        ))
        .stdout(predicate::str::contains("zone back, zone frame"))
        // An upper bound, marked as such, and no sentence that asserts an unchecked fact.
        .stdout(predicate::str::contains("grade:     at best "))
        .stdout(predicate::str::contains("original parts and a battery").not());

    // With --lang fr, the JSON's `text` is French; `texts` has both.
    let output = partial_grade(&["--json", "--lang", "fr"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    let partial = json["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|reason| reason["rule"] == "input.partial")
        .expect("the partial reason");
    assert!(
        partial["text"]
            .as_str()
            .expect("text")
            .starts_with("Cette note est partielle"),
        "{partial}"
    );
    assert_eq!(partial["text"], partial["texts"]["fr"]);
    assert!(partial["texts"]["en"].is_string(), "{partial}");

    // The reasons in French when asked, or when the environment is French.
    for french in [["--lang", "fr"], ["--explain", "--lang=fr"]] {
        partial_grade(&french)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "[input.partial] Cette note est partielle : tout n'a pas encore été vérifié \
                 (allumage et extinction,",
            ))
            .stdout(predicate::str::contains(
                "inspection du dos et inspection du contour)",
            ));
    }
    partial_grade(&[])
        .env("LANG", "fr_FR.UTF-8")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[input.partial] Cette note est partielle",
        ));
    // Every run recorded its grade, in whichever language it printed.
    assert_eq!(device_grades(&station), 6);
}

#[test]
fn ask_puts_every_unanswered_question_in_french_and_records_the_answers() {
    let station = Station::with_phone(90);
    // The phone's ten manual items in checklist order (one answered on the
    // line is not asked), then its three zones. "peut-être" is asked again.
    let typed = "peut-être\no\no\no\no\nso\no\no\no\nnon\naucune\nmicro\nlégère\n";
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--ask", "--lang", "fr", "--json"])
        .args(["--check", "touch=pass"])
        .write_stdin(typed)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "[1/12] Le téléphone s'allume-t-il, démarre-t-il jusqu'à l'écran d'accueil",
        ))
        .stderr(predicate::str::contains("Répondez o (fonctionne)").count(1))
        .stderr(predicate::str::contains("[12/12] Contour"))
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    let rules: Vec<&str> = json["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason["rule"].as_str().expect("rule"))
        .collect();
    assert!(rules.contains(&"parts.not_genuine"), "{rules:?}");
    assert!(rules.contains(&"body.light"), "{rules:?}");
    let grade = station
        .store()
        .latest_grade(station.store().find_device(IMEI).unwrap().unwrap().id)
        .unwrap()
        .expect("recorded");
    let answer = |item: &str| {
        grade
            .answers
            .iter()
            .find(|answer| answer.item == item)
            .map(|answer| answer.answer.as_str())
    };
    assert_eq!(answer("biometrics"), Some("na"));
    assert_eq!(answer("genuine_parts"), Some("fail"));
    assert_eq!(answer("touch"), Some("pass"));
    assert_eq!(grade.zones.len(), 3);

    // Regrading the same intake carries those answers over: nothing to ask.
    station
        .cli()
        .args(["grade", "--device", IMEI, "--ask", "--lang", "en"])
        .write_stdin("")
        .assert()
        .success()
        .stderr(predicate::str::contains("[1/").not());

    // On a new intake, input that ends before the last question records nothing.
    let fresh = Station::with_phone(90);
    fresh
        .cli()
        .args(["grade", "--device", IMEI, "--ask", "--lang", "en"])
        .args(["--cosmetic", "screen=flawless,back=flawless"])
        .write_stdin("y\n")
        .assert()
        .code(130)
        .stderr(predicate::str::contains("[1/11] Does the phone power on"))
        .stderr(predicate::str::contains("nothing was recorded"));
    assert_eq!(device_grades(&fresh), 0);
}

#[test]
fn explain_prints_the_rule_trace() {
    let station = Station::with_phone(80);
    station
        .cli()
        .args(["grade", "--device", IMEI, "--explain", "--check", ALL_PASS])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .assert()
        .success()
        .stdout(predicate::str::contains("outcome:   repair"))
        .stdout(predicate::str::contains(
            "rule trace (backmarket-default 1.1.0)",
        ))
        .stdout(predicate::str::contains(
            "[fired] battery.below_threshold (line",
        ))
        .stdout(predicate::str::contains(
            "yes soh_below = 85   [soh_pct = 80]",
        ))
        .stdout(predicate::str::contains("[-----] lock.blocked (line"))
        .stdout(predicate::str::contains(
            "no  lock = blocked   [lock = clear]",
        ));
}

#[test]
fn regrading_carries_over_the_answers_of_the_same_intake() {
    let station = Station::with_phone(90);
    station
        .cli()
        .args(["grade", "--device", IMEI, "--check", ALL_PASS])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .assert()
        .success();
    // A re-test finds the camera working: only that answer is given now.
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
        .stderr(predicate::str::contains(
            "carrying over the answers of grade",
        ))
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["outcome"], "sellable");
    assert_eq!(json["grade"], "PREMIUM");
    assert!(json["carried_over_from"].is_string());
    assert_eq!(device_grades(&station), 2);
}

#[test]
fn a_policy_file_changes_the_grade_and_is_recorded_by_name_and_version() {
    let station = Station::with_phone(88);
    let strict = refurbdesk_grading::DEFAULT_POLICY_TOML
        .replacen("name = \"backmarket-default\"", "name = \"strict-shop\"", 1)
        .replacen("version = \"1.1.0\"", "version = \"2.1\"", 1)
        .replacen(
            "when = { soh_below = 85.0 }",
            "when = { soh_below = 90.0 }",
            1,
        );
    let policy = station.write("strict.toml", &strict);
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--json", "--check", ALL_PASS])
        .args(["--check", "camera_rear=pass"])
        .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
        .arg("--policy")
        .arg(&policy)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(
        json["outcome"], "repair",
        "88 % is below this policy's 90 %"
    );
    assert_eq!(json["policy"]["name"], "strict-shop");
    let store = station.store();
    let device = store.find_device(IMEI).expect("finds").expect("device");
    let grade = store
        .latest_grade(device.id)
        .expect("reads")
        .expect("grade");
    assert_eq!(
        (grade.policy_name.as_str(), grade.policy_version.as_str()),
        ("strict-shop", "2.1")
    );

    // With the shipped policy the same answers make it sellable.
    station
        .cli()
        .args(["grade", "--device", IMEI, "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"outcome\":\"sellable\""));
}

#[test]
fn a_broken_policy_file_is_refused_with_its_lines() {
    let station = Station::with_phone(90);
    let broken = refurbdesk_grading::DEFAULT_POLICY_TOML.replacen(
        "outcome = \"blocked\"",
        "outcome = \"stopped\"",
        1,
    );
    let line = broken
        .lines()
        .position(|line| line.contains("\"stopped\""))
        .expect("edited line")
        + 1;
    let policy = station.write("broken.toml", &broken);
    station
        .cli()
        .args(["grade", "--device", IMEI, "--partial", "--policy"])
        .arg(&policy)
        .assert()
        .code(8)
        .stderr(predicate::str::contains(format!(
            "broken.toml:{line}: `outcome`: \"stopped\""
        )));
    assert_eq!(device_grades(&station), 0);
}

#[test]
fn unknown_devices_bad_words_and_roles_get_their_exit_codes() {
    let station = Station::with_phone(90);
    station
        .cli()
        .args(["grade", "--device", "490154203237518", "--partial"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "no device matches \"490154203237518\"",
        ));
    station
        .cli()
        .args(["grade", "--device", IMEI, "--cosmetic", "screen=shiny"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "\"shiny\" is not a known cosmetic level",
        ));
    station
        .cli()
        .args([
            "grade",
            "--device",
            IMEI,
            "--partial",
            "--cosmetic",
            "lid=micro",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("phones have no lid zone"));
    station
        .cli()
        .args([
            "grade",
            "--device",
            IMEI,
            "--partial",
            "--check",
            "keyboard_complete=pass",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not on the phone checklist"));

    let mut store = station.store();
    let bootstrap = store.resolve_actor(None, "root").expect("bootstrap");
    store
        .add_operator("root", Role::Admin, &bootstrap)
        .expect("admin");
    let admin = store.resolve_actor(Some("root"), "x").expect("admin");
    store
        .add_operator("otto", Role::Auditor, &admin)
        .expect("auditor");
    drop(store);
    station
        .cli()
        .env("REFURBDESK_OPERATOR", "otto")
        .args(["grade", "--device", IMEI, "--partial"])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("may not grade devices"));
    assert_eq!(device_grades(&station), 0);
}

#[test]
fn photos_are_kept_with_their_sha256() {
    let station = Station::with_phone(90);
    let photo = station.write("screen.jpg", "abc");
    let output = station
        .cli()
        .args(["grade", "--device", IMEI, "--partial", "--json"])
        .args(["--cosmetic", "screen=micro", "--photo"])
        .arg(format!("screen={}", photo.display()))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    let store = station.store();
    let grade = store
        .grade_record(
            json["grade_id"]
                .as_str()
                .expect("id")
                .parse()
                .expect("uuid"),
        )
        .expect("reads")
        .expect("grade");
    assert_eq!(grade.zones.len(), 1);
    let kept = &grade.zones[0].photos[0];
    assert_eq!(
        kept.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert!(Path::new(&kept.path).is_absolute());

    station
        .cli()
        .args(["grade", "--device", IMEI, "--partial", "--photo"])
        .arg(format!("back={}", photo.display()))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --cosmetic back=LEVEL"));
    station
        .cli()
        .args([
            "grade",
            "--device",
            IMEI,
            "--partial",
            "--cosmetic",
            "back=micro",
        ])
        .args(["--photo", "back=/no/such/photo.jpg"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains("/no/such/photo.jpg"));
}

#[test]
fn policy_check_says_valid_or_lists_every_problem_by_line() {
    let station = Station::with_phone(90);
    let default = station.write("default.toml", refurbdesk_grading::DEFAULT_POLICY_TOML);
    station
        .cli()
        .args(["policy", "check"])
        .arg(&default)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "valid (backmarket-default 1.1.0, 24 rules)",
        ));

    let broken = format!(
        "{}\n[[rule]]\nid = \"desk.screen\"\nwhen = {{ category = \"desktop\", screen_at_least = \"micro\" }}\ngrade_at_most = \"GOOD\"\nreason = \"x\"\n",
        refurbdesk_grading::DEFAULT_POLICY_TOML.replacen("soh_below = 85.0", "soh_bellow = 85.0", 1)
    );
    let bad_line = broken
        .lines()
        .position(|line| line.contains("soh_bellow"))
        .expect("line")
        + 1;
    let rule_line = broken
        .lines()
        .position(|line| line.contains("desk.screen"))
        .expect("line");
    let file = station.write("broken.toml", &broken);
    station
        .cli()
        .args(["policy", "check"])
        .arg(&file)
        .assert()
        .code(8)
        .stdout(predicate::str::contains(format!(
            "broken.toml:{bad_line}:10: unknown key `soh_bellow` in a rule's `when`; did you mean `soh_below`?"
        )))
        .stdout(predicate::str::contains(format!(
            "broken.toml:{rule_line}:1: rule `desk.screen` can never fire"
        )))
        .stderr(predicate::str::contains("has 2 problems"));

    let output = station
        .cli()
        .args(["policy", "check", "--json"])
        .arg(&file)
        .assert()
        .code(8)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&output);
    assert_eq!(json["valid"], false);
    assert_eq!(json["problems"].as_array().expect("problems").len(), 2);
    assert_eq!(json["problems"][0]["line"], bad_line);

    station
        .cli()
        .args(["policy", "check", "/no/such/policy.toml"])
        .assert()
        .code(8)
        .stderr(predicate::str::contains(
            "cannot read the policy /no/such/policy.toml",
        ));
    station
        .cli()
        .args(["policy", "default"])
        .assert()
        .success()
        .stdout(predicate::str::contains("name = \"backmarket-default\""));
}
