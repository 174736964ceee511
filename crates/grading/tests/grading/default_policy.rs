//! The shipped policy, rule by rule: a table of devices and the grade each
//! must get, with exactly the rules that must fire. A final check proves the
//! table makes every rule of the policy fire at least once.

use std::collections::BTreeSet;

use crate::common::{device, Device};
use refurbdesk_domain::{
    AccountLock, ActivationLock, BatteryReading, CarrierLock, DeviceCategory, Lang, MdmState,
};
use refurbdesk_grading::{
    Answer, BuybackGrade, CosmeticLevel, GradeError, Grader, ListingGrade, Outcome, Policy,
    TestOutcome, Zone,
};

use BuybackGrade::*;
use CosmeticLevel::*;
use DeviceCategory::*;
use ListingGrade::*;
use Outcome::*;

struct Case {
    name: &'static str,
    device: Device,
    outcome: Outcome,
    grade: ListingGrade,
    buyback: BuybackGrade,
    ctia: &'static str,
    /// Every policy rule that must fire, and no other.
    rules: &'static [&'static str],
}

fn case(
    name: &'static str,
    device: Device,
    (outcome, grade, buyback, ctia): (Outcome, ListingGrade, BuybackGrade, &'static str),
    rules: &'static [&'static str],
) -> Case {
    Case {
        name,
        device,
        outcome,
        grade,
        buyback,
        ctia,
        rules,
    }
}

const SCREEN_CRACKED_RULES: &[&str] = &[
    "cosmetic.not_flawless",
    "screen.micro",
    "screen.light",
    "screen.visible",
    "screen.cracked",
];

fn cases() -> Vec<Case> {
    let phone = || device(Phone);
    vec![
        // --- Cosmetic ladder on a phone ---
        case(
            "pristine phone",
            phone(),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "micro-scratches on the back",
            phone().zone(Zone::Back, Micro),
            (Sellable, Excellent, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless"],
        ),
        case(
            "micro-scratches on back and frame",
            phone().zone(Zone::Back, Micro).zone(Zone::Frame, Micro),
            (Sellable, Excellent, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless"],
        ),
        case(
            "micro-scratches on the screen",
            phone().zone(Zone::Screen, Micro),
            (Sellable, VeryGood, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless", "screen.micro"],
        ),
        case(
            "micro-scratches on screen and back",
            phone().zone(Zone::Screen, Micro).zone(Zone::Back, Micro),
            (Sellable, VeryGood, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless", "screen.micro"],
        ),
        case(
            "light marks on the back",
            phone().zone(Zone::Back, Light),
            (Sellable, Good, FunctionalGood, "0/B"),
            &["cosmetic.not_flawless", "body.light"],
        ),
        case(
            "light back and micro screen",
            phone().zone(Zone::Back, Light).zone(Zone::Screen, Micro),
            (Sellable, Fair, FunctionalGood, "0/B"),
            &[
                "cosmetic.not_flawless",
                "screen.micro",
                "body.light",
                "screen_and_body.worn",
            ],
        ),
        case(
            "light screen scratches",
            phone().zone(Zone::Screen, Light),
            (Sellable, Fair, FunctionalGood, "0/B"),
            &["cosmetic.not_flawless", "screen.micro", "screen.light"],
        ),
        case(
            "visible dents on the frame",
            phone().zone(Zone::Frame, Visible),
            (Sellable, Fair, FunctionalUsed, "0/C"),
            &["cosmetic.not_flawless", "body.light", "body.visible"],
        ),
        case(
            "visible back and light screen",
            phone().zone(Zone::Back, Visible).zone(Zone::Screen, Light),
            (Sellable, Fair, FunctionalUsed, "0/C"),
            &[
                "cosmetic.not_flawless",
                "screen.micro",
                "body.light",
                "screen_and_body.worn",
                "screen.light",
                "body.visible",
            ],
        ),
        case(
            "visible screen scratches",
            phone().zone(Zone::Screen, Visible),
            (Sellable, Stallone, FunctionalUsed, "0/C"),
            &[
                "cosmetic.not_flawless",
                "screen.micro",
                "screen.light",
                "screen.visible",
            ],
        ),
        case(
            "cracked screen",
            phone().zone(Zone::Screen, Cracked),
            (Repair, Stallone, FunctionalCracked, "0/D"),
            SCREEN_CRACKED_RULES,
        ),
        case(
            "cracked back glass",
            phone().zone(Zone::Back, Cracked),
            (Repair, Stallone, FunctionalCracked, "0/D"),
            &[
                "cosmetic.not_flawless",
                "body.light",
                "body.visible",
                "body.cracked",
            ],
        ),
        // --- Battery ---
        case(
            "battery just under the threshold",
            phone().soh(84.9),
            (Repair, Excellent, FunctionalFlawless, "1/A"),
            &["battery.below_threshold"],
        ),
        case(
            "battery exactly at the threshold",
            phone().soh(85.0),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "worn-out battery",
            phone().soh(70.0),
            (Repair, Excellent, FunctionalFlawless, "1/A"),
            &["battery.below_threshold"],
        ),
        case(
            "low battery and micro screen",
            phone().soh(84.9).zone(Zone::Screen, Micro),
            (Repair, VeryGood, FunctionalFlawless, "1/A"),
            &[
                "battery.below_threshold",
                "cosmetic.not_flawless",
                "screen.micro",
            ],
        ),
        case(
            "battery health unreadable",
            phone().battery(BatteryReading {
                present: Some(true),
                cycles: Some(300),
                ..BatteryReading::default()
            }),
            (Hold, Premium, FunctionalFlawless, "0/A"),
            &["battery.unknown"],
        ),
        case(
            "phone without a battery",
            phone().battery(BatteryReading {
                present: Some(false),
                ..BatteryReading::default()
            }),
            (Repair, Excellent, FunctionalFlawless, "1/A"),
            &["battery.missing"],
        ),
        case(
            "many cycles on an older iPhone",
            phone().model("iPhone 12").battery(BatteryReading {
                cycles: Some(611),
                ..crate::common::reading_at(90.0)
            }),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &["battery.cycles_above_mark"],
        ),
        // --- Locks and identity ---
        case(
            "activation lock on",
            phone().lock(|l| l.activation = ActivationLock::Locked),
            (Blocked, Premium, NotFunctionalUsed, "4/A"),
            &["lock.blocked"],
        ),
        case(
            "signed in to iCloud",
            phone().lock(|l| l.account = AccountLock::Icloud),
            (Blocked, Premium, NotFunctionalUsed, "4/A"),
            &["lock.blocked"],
        ),
        case(
            "enrolled in MDM",
            phone().lock(|l| l.mdm = MdmState::Enrolled),
            (Blocked, Premium, NotFunctionalUsed, "4/A"),
            &["lock.blocked"],
        ),
        case(
            "blocked beats cracked, worn and liquid-damaged",
            phone()
                .lock(|l| l.account = AccountLock::Google)
                .zone(Zone::Screen, Cracked)
                .soh(70.0)
                .answer("liquid_indicators", Answer::Fail),
            (Blocked, Stallone, NotFunctionalCracked, "4/D"),
            &[
                "lock.blocked",
                "battery.below_threshold",
                "liquid.damage",
                "cosmetic.not_flawless",
                "screen.micro",
                "screen.light",
                "screen.visible",
                "screen.cracked",
            ],
        ),
        case(
            "MDM state unreadable",
            phone().lock(|l| l.mdm = MdmState::Unknown),
            (Hold, Premium, FunctionalFlawless, "0/A"),
            &["lock.unknown"],
        ),
        case(
            "unknown lock holds even a liquid-damaged phone",
            phone()
                .lock(|l| l.activation = ActivationLock::Unknown)
                .answer("liquid_indicators", Answer::Fail),
            (Hold, Premium, NotFunctionalUsed, "3/A"),
            &["lock.unknown", "liquid.damage"],
        ),
        case(
            "IMEI fails its check digit",
            phone().imei_valid(false),
            (Hold, Premium, FunctionalFlawless, "0/A"),
            &["imei.invalid"],
        ),
        case(
            "carrier-locked phone",
            phone().lock(|l| l.carrier = CarrierLock::Locked),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &["carrier.locked"],
        ),
        // --- Checklist ---
        case(
            "liquid damage",
            phone().answer("liquid_indicators", Answer::Fail),
            (Recycle, Premium, NotFunctionalUsed, "3/A"),
            &["liquid.damage"],
        ),
        case(
            "rear camera failed on the bench",
            phone().test("camera_rear", TestOutcome::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        case(
            "technician re-test overrides the bench",
            phone()
                .test("camera_rear", TestOutcome::Fail)
                .answer("camera_rear", Answer::Pass),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "touchscreen fails",
            phone().answer("touch", Answer::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        case(
            "does not power on (bench)",
            phone()
                .unanswered("powers_on_off")
                .test("power", TestOutcome::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        case(
            "missing SIM tray",
            phone().answer("housing_complete", Answer::Fail),
            (Repair, Premium, FunctionalFlawless, "0/A"),
            &["integrity.incomplete"],
        ),
        case(
            "third-party screen",
            phone().answer("genuine_parts", Answer::Fail),
            (Sellable, Excellent, FunctionalFlawless, "0/A"),
            &["parts.not_genuine"],
        ),
        case(
            "parts origin cannot be told",
            phone().answer("genuine_parts", Answer::Na),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "phone sold without a charger",
            phone().answer("charger_present", Answer::Fail),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "bench skipped biometrics",
            phone()
                .unanswered("biometrics")
                .test("biometrics", TestOutcome::Skip),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        // --- Economics ---
        case(
            "two repairs stay a repair",
            phone().soh(80.0).test("camera_rear", TestOutcome::Fail),
            (Repair, Excellent, NotFunctionalUsed, "2/A"),
            &["battery.below_threshold", "functional.failed"],
        ),
        case(
            "three repairs are beyond economic repair",
            phone()
                .soh(80.0)
                .test("camera_rear", TestOutcome::Fail)
                .zone(Zone::Screen, Cracked),
            (Recycle, Stallone, NotFunctionalCracked, "2/D"),
            &[
                "battery.below_threshold",
                "functional.failed",
                "cosmetic.not_flawless",
                "screen.micro",
                "screen.light",
                "screen.visible",
                "screen.cracked",
                "repairs.too_many",
            ],
        ),
        // --- Partial grading ---
        case(
            "partial: burn-in unchecked, frame not inspected",
            phone()
                .unanswered("screen_burn_in")
                .uninspected(Zone::Frame)
                .partial(),
            (Hold, Premium, FunctionalFlawless, "0/A"),
            &["checklist.incomplete"],
        ),
        case(
            "partial with nothing missing is a full grade",
            phone().partial(),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        // --- Tablets ---
        case(
            "pristine tablet",
            device(Tablet),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "Wi-Fi-only tablet skips cellular",
            device(Tablet).test("cellular", TestOutcome::Skip),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "tablet with light marks on the back",
            device(Tablet).zone(Zone::Back, Light),
            (Sellable, Good, FunctionalGood, "0/B"),
            &["cosmetic.not_flawless", "body.light"],
        ),
        case(
            "tablet without liquid indicators",
            device(Tablet).answer("liquid_indicators", Answer::Na),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        // --- Laptops ---
        case(
            "pristine laptop",
            device(Laptop),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "shiny keyboard",
            device(Laptop).zone(Zone::Keyboard, Light),
            (Sellable, Good, FunctionalGood, "0/B"),
            &["cosmetic.not_flawless", "body.light"],
        ),
        case(
            "dented lid and micro screen",
            device(Laptop)
                .zone(Zone::Lid, Visible)
                .zone(Zone::Screen, Micro),
            (Sellable, Fair, FunctionalUsed, "0/C"),
            &[
                "cosmetic.not_flawless",
                "screen.micro",
                "body.light",
                "screen_and_body.worn",
                "body.visible",
            ],
        ),
        case(
            "laptop without its charger",
            device(Laptop).answer("charger_present", Answer::Fail),
            (Repair, Premium, FunctionalFlawless, "1/A"),
            &["accessories.charger_missing"],
        ),
        case(
            "missing keycaps",
            device(Laptop).answer("keyboard_complete", Answer::Fail),
            (Repair, Premium, FunctionalFlawless, "0/A"),
            &["integrity.incomplete"],
        ),
        case(
            "laptop without a battery",
            device(Laptop).battery(BatteryReading {
                present: Some(false),
                ..BatteryReading::default()
            }),
            (Repair, Excellent, FunctionalFlawless, "1/A"),
            &["battery.missing"],
        ),
        case(
            "laptop battery at 80 % from its mWh pair",
            device(Laptop).battery(BatteryReading {
                present: Some(true),
                design_mwh: Some(57_000),
                full_mwh: Some(45_600),
                cycles: Some(300),
                ..BatteryReading::default()
            }),
            (Repair, Excellent, FunctionalFlawless, "1/A"),
            &["battery.below_threshold"],
        ),
        case(
            "trackpad fails on the bench",
            device(Laptop).test("trackpad", TestOutcome::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        case(
            "cracked palm rest",
            device(Laptop).zone(Zone::Deck, Cracked),
            (Repair, Stallone, FunctionalCracked, "0/D"),
            &[
                "cosmetic.not_flawless",
                "body.light",
                "body.visible",
                "body.cracked",
            ],
        ),
        // --- Desktops: no battery, one zone ---
        case(
            "pristine desktop",
            device(Desktop),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "desktop with micro-scratches",
            device(Desktop).zone(Zone::Housing, Micro),
            (Sellable, Excellent, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless"],
        ),
        case(
            "dented desktop case",
            device(Desktop).zone(Zone::Housing, Visible),
            (Sellable, Fair, FunctionalUsed, "0/C"),
            &["cosmetic.not_flawless", "body.light", "body.visible"],
        ),
        case(
            "cracked desktop case",
            device(Desktop).zone(Zone::Housing, Cracked),
            (Repair, Stallone, FunctionalCracked, "0/D"),
            &[
                "cosmetic.not_flawless",
                "body.light",
                "body.visible",
                "body.cracked",
            ],
        ),
        case(
            "desktop without its power cable",
            device(Desktop).answer("charger_present", Answer::Fail),
            (Repair, Premium, FunctionalFlawless, "1/A"),
            &["accessories.charger_missing"],
        ),
        case(
            "desktop port fails",
            device(Desktop).test("ports", TestOutcome::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        // --- Monitors ---
        case(
            "pristine monitor",
            device(Monitor),
            (Sellable, Premium, FunctionalFlawless, "0/A"),
            &[],
        ),
        case(
            "monitor with micro screen scratches",
            device(Monitor).zone(Zone::Screen, Micro),
            (Sellable, VeryGood, FunctionalFlawless, "0/A"),
            &["cosmetic.not_flawless", "screen.micro"],
        ),
        case(
            "scuffed monitor stand",
            device(Monitor).zone(Zone::Stand, Light),
            (Sellable, Good, FunctionalGood, "0/B"),
            &["cosmetic.not_flawless", "body.light"],
        ),
        case(
            "dead pixels",
            device(Monitor).answer("screen_dead_pixels", Answer::Fail),
            (Repair, Premium, NotFunctionalUsed, "2/A"),
            &["functional.failed"],
        ),
        case(
            "cracked monitor panel",
            device(Monitor).zone(Zone::Screen, Cracked),
            (Repair, Stallone, FunctionalCracked, "0/D"),
            SCREEN_CRACKED_RULES,
        ),
    ]
}

#[test]
fn every_case_gets_its_grade_from_exactly_its_rules() {
    let policy = Policy::embedded_default();
    let grader = Grader::new(policy);
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let grade = match grader.grade(&case.device.input()) {
            Ok(grade) => grade,
            Err(error) => {
                failures.push(format!("{}: refused: {error}", case.name));
                continue;
            }
        };
        let fired: Vec<&str> = grade
            .reasons
            .iter()
            .map(|reason| reason.rule.as_str())
            .filter(|rule| policy.rule(rule).is_some())
            .collect();
        let got = (
            grade.outcome,
            grade.grade,
            grade.buyback_grade,
            grade.ctia.to_string(),
        );
        let want = (case.outcome, case.grade, case.buyback, case.ctia.to_owned());
        if got != want || fired != case.rules {
            failures.push(format!(
                "{}:\n    want {want:?} from {:?}\n    got  {got:?} from {fired:?}",
                case.name, case.rules
            ));
        }
        // The grade's own sentence always comes last.
        let last = grade.reasons.last().expect("a reason");
        assert_eq!(
            last.rule,
            format!("grade.{}", grade.grade.as_str().to_ascii_lowercase()),
            "{}",
            case.name
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_makes_every_rule_of_the_policy_fire() {
    let policy = Policy::embedded_default();
    let fired: BTreeSet<&str> = cases()
        .iter()
        .flat_map(|case| case.rules.iter().copied())
        .collect();
    let never: Vec<&str> = policy
        .rules
        .iter()
        .map(|rule| rule.id.as_str())
        .filter(|id| !fired.contains(id))
        .collect();
    assert!(never.is_empty(), "no case fires {never:?}");
}

#[test]
fn reasons_name_their_inputs_in_customer_words() {
    let grader = Grader::new(Policy::embedded_default());
    let grade = grader
        .grade(
            &device(Phone)
                .soh(84.96)
                .test("camera_rear", TestOutcome::Fail)
                .test("wifi", TestOutcome::Fail)
                .zone(Zone::Back, Light)
                .zone(Zone::Frame, Light)
                .input(),
        )
        .expect("grades");
    let reason = |id: &str| {
        grade
            .reasons
            .iter()
            .find(|reason| reason.rule == id)
            .unwrap_or_else(|| panic!("{id} did not fire: {:?}", grade.reasons))
    };
    let battery = reason("battery.below_threshold");
    assert_eq!(
        battery.text(),
        "Battery health is 84.96%, below the 85% this channel requires: the battery will be \
         replaced before sale, so the device cannot be Premium."
    );
    assert_eq!(battery.inputs["soh_pct"], "84.96");
    let failed = reason("functional.failed");
    assert_eq!(
        failed.text(),
        "These checks did not pass: Wi-Fi and rear camera. They will be repaired before sale."
    );
    assert_eq!(failed.inputs["failed"], "wifi,camera_rear");
    let body = reason("body.light");
    assert_eq!(
        body.text(),
        "Marks on the back and frame (light marks invisible at 50 cm): Excellent and Very good \
         allow micro-scratches at most."
    );
    assert_eq!(body.inputs["zone.back"], "light");
    assert_eq!(
        grade.reasons.last().expect("grade reason").text(),
        "Good: light marks at most, invisible at 50 cm, and no scratches on the screen."
    );
    assert_eq!(grade.policy.name, "backmarket-default");

    // The same reasons in French, from the same facts.
    let french = |id: &str| reason(id).text_in(Lang::Fr).to_owned();
    assert_eq!(
        french("battery.below_threshold"),
        "L'état de santé de la batterie est de 84,96\u{202f}%, sous les 85\u{202f}% qu'exige ce \
         canal : la batterie sera remplacée avant la vente, l'appareil ne peut donc pas être Premium."
    );
    assert_eq!(
        french("functional.failed"),
        "Ces contrôles ont échoué : Wi-Fi et appareil photo arrière. Ces défauts seront réparés \
         avant la vente."
    );
    assert_eq!(
        french("body.light"),
        "Marques sur le dos et le contour (de légères marques invisibles à 50 cm) : Excellent et \
         Très bon état admettent au plus des micro-rayures."
    );
    assert_eq!(
        grade
            .reasons
            .last()
            .expect("grade reason")
            .text_in(Lang::Fr),
        "Bon état : de légères marques au plus, invisibles à 50 cm, et aucune rayure sur l'écran."
    );
    assert_eq!(battery.text_in(Lang::En), battery.texts["en"]);
}

#[test]
fn every_reason_of_the_shipped_policy_is_told_in_french() {
    let grader = Grader::new(Policy::embedded_default());
    let mut told = BTreeSet::new();
    for case in cases() {
        let Ok(grade) = grader.grade(&case.device.input()) else {
            continue;
        };
        for reason in &grade.reasons {
            let french = reason
                .texts
                .get("fr")
                .unwrap_or_else(|| panic!("{}: {} has no French", case.name, reason.rule));
            assert_ne!(french, reason.text(), "{}", case.name);
            assert!(!french.contains(['{', '}']), "{}: {french}", case.name);
            // Numbers the French way: no decimal point between digits, and
            // a space before every percent sign.
            let chars: Vec<char> = french.chars().collect();
            for window in chars.windows(3) {
                assert!(
                    !(window[0].is_ascii_digit() && window[1] == '.' && window[2].is_ascii_digit()),
                    "{}: {french}",
                    case.name
                );
                assert!(
                    !(window[1].is_ascii_digit() && window[2] == '%'),
                    "{}: {french}",
                    case.name
                );
            }
            for english in [" the ", " and ", " is ", " zone"] {
                assert!(
                    !french.contains(english),
                    "{}: {english:?} in {french}",
                    case.name
                );
            }
            told.insert(reason.rule.clone());
        }
    }
    // Every rule was told at least once (the table fires them all).
    for rule in &Policy::embedded_default().rules {
        assert!(told.contains(&rule.id), "{} never told", rule.id);
    }
}

#[test]
fn partial_grades_say_what_is_missing() {
    let grader = Grader::new(Policy::embedded_default());
    let input = device(Laptop)
        .unanswered("charger_present")
        .uninspected(Zone::Bottom)
        .partial()
        .input();
    let grade = grader.grade(&input).expect("grades partially");
    assert!(grade.partial);
    assert_eq!(grade.unanswered_items, ["charger_present"]);
    assert_eq!(grade.uninspected_zones, [Zone::Bottom]);
    let partial = grade
        .reasons
        .iter()
        .find(|reason| reason.rule == "input.partial")
        .expect("partial reason");
    assert_eq!(
        partial.text(),
        "This is a partial grade: charger and the bottom zone were not checked yet, so the grade \
         covers only what is known."
    );
    let held = grade
        .reasons
        .iter()
        .find(|reason| reason.rule == "checklist.incomplete")
        .expect("hold reason");
    assert!(
        held.text().contains("(charger and the bottom zone)"),
        "{}",
        held.text()
    );
    assert_eq!(
        partial.text_in(Lang::Fr),
        "Cette note est partielle : tout n'a pas encore été vérifié (chargeur et inspection du \
         dessous), elle ne couvre donc que ce qui est connu."
    );
    assert!(
        held.text_in(Lang::Fr)
            .starts_with("Tout n'a pas encore été vérifié (chargeur et inspection du dessous) :"),
        "{}",
        held.text_in(Lang::Fr)
    );
}

#[test]
fn missing_answers_stop_grading_unless_partial() {
    let grader = Grader::new(Policy::embedded_default());
    let input = device(Phone)
        .unanswered("liquid_indicators")
        .unanswered("all_features")
        .uninspected(Zone::Back)
        .input();
    let error = grader.grade(&input).expect_err("incomplete");
    assert_eq!(
        error,
        GradeError::Incomplete {
            items: vec!["all_features".into(), "liquid_indicators".into()],
            zones: vec![Zone::Back],
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("not answered: all_features, liquid_indicators"),
        "{message}"
    );
    assert!(message.contains("not inspected: back"), "{message}");

    // A manual item the bench answered needs no technician.
    let input = device(Phone)
        .unanswered("touch")
        .test("touch", TestOutcome::Pass)
        .input();
    assert!(grader.grade(&input).is_ok());
}

#[test]
fn answers_and_zones_that_do_not_fit_the_device_are_refused() {
    let grader = Grader::new(Policy::embedded_default());
    let error = grader
        .grade(&device(Desktop).zone(Zone::Screen, Micro).input())
        .expect_err("desktops have no screen zone");
    assert_eq!(
        error.to_string(),
        "desktops have no screen zone to inspect; inspect housing"
    );
    let error = grader
        .grade(
            &device(Phone)
                .answer("keyboard_complete", Answer::Pass)
                .input(),
        )
        .expect_err("not a phone item");
    assert!(
        error
            .to_string()
            .contains("\"keyboard_complete\" is not on the phone checklist"),
        "{error}"
    );
    let error = grader
        .grade(
            &device(Monitor)
                .answer("charger_present", Answer::Na)
                .input(),
        )
        .expect_err("na not allowed");
    assert!(
        error.to_string().contains("cannot be answered na"),
        "{error}"
    );
}

#[test]
fn the_same_inputs_and_policy_always_give_the_same_grade() {
    let grader = Grader::new(Policy::embedded_default());
    let input = device(Phone)
        .soh(82.0)
        .zone(Zone::Screen, Light)
        .test("wifi", TestOutcome::Fail)
        .input();
    let first = grader.grade(&input).expect("grades");
    for _ in 0..20 {
        let again = grader.grade(&input.clone()).expect("grades");
        assert_eq!(again, first);
        assert_eq!(
            serde_json::to_string(&again).expect("json"),
            serde_json::to_string(&first).expect("json")
        );
    }
    // A second copy of the policy, parsed again, is the same policy.
    let reparsed = Policy::from_toml(refurbdesk_grading::DEFAULT_POLICY_TOML).expect("parses");
    assert_eq!(Grader::new(&reparsed).grade(&input).expect("grades"), first);
}

#[test]
fn explain_traces_every_rule_and_agrees_with_the_grade() {
    let policy = Policy::embedded_default();
    let grader = Grader::new(policy);
    let input = device(Phone)
        .soh(80.0)
        .zone(Zone::Back, Visible)
        .lock(|l| l.carrier = CarrierLock::Locked)
        .input();
    let (grade, trace) = grader.explain(&input).expect("explains");
    assert_eq!(grade, grader.grade(&input).expect("grades"));
    assert_eq!(trace.len(), policy.rules.len());
    for (step, rule) in trace.iter().zip(&policy.rules) {
        assert_eq!(step.rule, rule.id, "trace is in policy order");
        let fired = grade.reasons.iter().any(|reason| reason.rule == rule.id);
        assert_eq!(step.fired, fired, "{}", rule.id);
        assert_eq!(
            step.fired,
            step.conditions.iter().all(|c| c.held),
            "{}",
            rule.id
        );
        assert_eq!(step.effects.is_some(), fired, "{}", rule.id);
    }
    let battery = trace
        .iter()
        .find(|step| step.rule == "battery.below_threshold")
        .expect("traced");
    assert_eq!(battery.conditions[0].condition, "soh_below = 85");
    assert_eq!(battery.conditions[0].input, "soh_pct = 80");
    assert_eq!(
        battery.effects.as_deref(),
        Some("outcome = repair, grade_at_most = EXCELLENT, functional = serviceable")
    );
    let lock = trace
        .iter()
        .find(|step| step.rule == "lock.blocked")
        .expect("traced");
    assert!(!lock.fired);
    assert_eq!(lock.conditions[0].input, "lock = clear");
    let carrier = trace
        .iter()
        .find(|step| step.rule == "carrier.locked")
        .expect("traced");
    assert_eq!(carrier.effects.as_deref(), Some("note only"));
}

/// The shipped policy as written before the message catalogue, with every
/// sentence inline (`reason`, `reason_fr`, [grades], [grades_fr]).
const LEGACY: &str = include_str!("fixtures/legacy-reason-fr.toml");

#[test]
fn the_catalogue_tells_every_reason_word_for_word_as_the_inline_sentences_did() {
    let legacy = Policy::from_toml(LEGACY).expect("the legacy policy loads");
    let shipped = Grader::new(Policy::embedded_default());
    let inline = Grader::new(&legacy);
    let mut compared = 0;
    for case in cases() {
        let input = case.device.input();
        let (Ok(by_id), Ok(by_text)) = (shipped.grade(&input), inline.grade(&input)) else {
            continue;
        };
        assert_eq!(by_id.reasons, by_text.reasons, "{}", case.name);
        assert_eq!(by_id.grade, by_text.grade, "{}", case.name);
        assert_eq!(by_id.outcome, by_text.outcome, "{}", case.name);
        compared += by_id.reasons.len();
    }
    assert!(compared > 50, "only {compared} reasons compared");
    // A partial grade, whose missing items and zones are told in each language.
    for partial in [
        device(Laptop)
            .unanswered("charger_present")
            .uninspected(Zone::Bottom)
            .partial()
            .input(),
        device(Phone).uninspected(Zone::Back).partial().input(),
    ] {
        let by_id = shipped.grade(&partial).expect("grades");
        assert!(by_id.partial);
        assert_eq!(
            by_id.reasons,
            inline.grade(&partial).expect("grades").reasons
        );
    }
}

#[test]
fn a_grade_records_the_catalogue_version_beside_the_policy_digest() {
    let grade = Grader::new(Policy::embedded_default())
        .grade(&device(Phone).input())
        .expect("grades");
    assert_eq!(grade.catalogue.as_deref(), Some(refurbdesk_i18n::version()));
    assert_eq!(grade.policy.sha256.len(), 64);
    let json = serde_json::to_value(&grade).expect("json");
    assert_eq!(json["catalogue"], refurbdesk_i18n::version());
    // A grade recorded before the catalogue existed still reads.
    let mut old = json.clone();
    old.as_object_mut().expect("object").remove("catalogue");
    let read: refurbdesk_grading::Grade = serde_json::from_value(old).expect("reads");
    assert_eq!(read.catalogue, None);
}

#[test]
fn a_partial_grade_states_an_upper_bound_and_no_unchecked_fact() {
    let grader = Grader::new(Policy::embedded_default());
    let input = device(Phone)
        .unanswered("genuine_parts")
        .uninspected(Zone::Back)
        .uninspected(Zone::Frame)
        .partial()
        .input();
    let grade = grader.grade(&input).expect("grades partially");
    assert!(grade.partial);
    assert_eq!(grade.grade, Premium);
    let last = grade.reasons.last().expect("the grade's reason");
    assert_eq!(last.rule, "grade.premium");
    assert!(
        last.text_in(Lang::En)
            .starts_with("At best PREMIUM, an upper bound"),
        "{}",
        last.text_in(Lang::En)
    );
    assert!(
        last.text_in(Lang::En)
            .contains("original parts, the back zone and the frame zone"),
        "{}",
        last.text_in(Lang::En)
    );
    assert!(
        last.text_in(Lang::Fr)
            .starts_with("Au mieux PREMIUM, une borne haute"),
        "{}",
        last.text_in(Lang::Fr)
    );
    // Nothing told asserts what was not checked: not the Premium sentence, in either language.
    for reason in &grade.reasons {
        for (lang, asserted) in [
            (Lang::En, "no marks at all, original parts"),
            (Lang::Fr, "aucune marque, des pièces d'origine"),
        ] {
            let told = reason.text_in(lang);
            assert!(!told.contains(asserted), "{}: {told}", reason.rule);
        }
    }
    // Once everything is checked, the grade's sentence is told.
    let full = grader
        .grade(&device(Phone).answer("genuine_parts", Answer::Pass).input())
        .expect("grades");
    assert!(!full.partial);
    assert!(
        full.reasons
            .last()
            .unwrap()
            .text_in(Lang::En)
            .contains("no marks at all, original parts"),
        "{:?}",
        full.reasons.last()
    );
}
