//! Each rule of the shipped policy (tradein-default 1.0.0) on a 200.00 EUR quote, with the
//! sums worked out by hand from the policy text: 15 % per grade step, 25.00 per missing
//! mandatory accessory, the optional accessories' own amounts, 30.00 for a battery to replace
//! or worn out, 10 % per failed function, locked devices returned, unknown locks held, another
//! model re-quoted, less storage 20 %.

use refurbdesk_domain::{
    Accessory, BatteryVerdictKind, BuybackGrade, DeviceCategory, DeviceIdentity, Lang,
    LockVerdictKind,
};
use refurbdesk_revision::{revise, Amount, Declared, Disposition, Found, Revision, RevisionRule};

use crate::common::{laptop_declared, laptop_found, policy_with, shipped, QUOTE};

fn rules(revision: &Revision) -> Vec<&'static str> {
    revision
        .adjustments
        .iter()
        .map(|adjustment| adjustment.rule.as_str())
        .collect()
}

fn amounts(revision: &Revision) -> Vec<u64> {
    revision
        .adjustments
        .iter()
        .map(|adjustment| adjustment.amount_cents)
        .collect()
}

/// Every revision keeps its books: the adjustments add up to what came off.
fn checked(revision: Revision) -> Revision {
    let total: u64 = amounts(&revision).iter().sum();
    assert_eq!(total, revision.quoted_cents - revision.revised_cents);
    revision
}

fn revised(declared: &Declared, found: &Found) -> Revision {
    checked(revise(declared, found, QUOTE, shipped()))
}

#[test]
fn a_device_found_as_declared_keeps_its_quote() {
    let revision = revised(&laptop_declared(), &laptop_found());
    assert_eq!(revision.revised_cents, QUOTE);
    assert!(revision.adjustments.is_empty());
    assert_eq!(revision.disposition, Disposition::Accept);
    assert!(!revision.requote);
    assert_eq!(revision.policy.name, "tradein-default");
    assert_eq!(revision.policy.version, "1.0.0");
    assert_eq!(revision.currency, "EUR");
    assert_eq!(revision.disposition.tell(Lang::En), "Accepted as quoted");
    assert_eq!(
        revision.disposition.tell(Lang::Fr),
        "Accepté au prix du devis"
    );
}

#[test]
fn one_grade_step_down_takes_fifteen_percent() {
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalUsed);
    let revision = revised(&laptop_declared(), &found);
    // 15 % of 200.00 = 30.00.
    assert_eq!(rules(&revision), ["grade.step"]);
    assert_eq!(revision.revised_cents, 17_000);
    assert_eq!(revision.disposition, Disposition::Readjusted);
    let step = &revision.adjustments[0];
    assert_eq!(step.basis, Some(Amount::Percent(15)));
    assert_eq!(step.inputs["declared"], "FUNCTIONAL_GOOD");
    assert_eq!(step.inputs["found"], "FUNCTIONAL_USED");
    assert_eq!(step.inputs["steps"], "1");
    assert_eq!(
        revision.tell(Lang::En),
        ["Declared FUNCTIONAL_GOOD, found FUNCTIONAL_USED: one grade step at 15% each: −30.00 EUR"]
    );
    assert_eq!(
        revision.tell(Lang::Fr),
        ["Déclaré FUNCTIONAL_GOOD, trouvé FUNCTIONAL_USED : un cran de grade à 15\u{202f}% chacun : −30,00\u{a0}EUR"]
    );
}

#[test]
fn each_grade_step_counts() {
    let mut declared = laptop_declared();
    declared.grade = Some(BuybackGrade::FunctionalFlawless);
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalCracked);
    let revision = revised(&declared, &found);
    // Flawless → good → used → cracked: 3 steps × 30.00.
    assert_eq!(amounts(&revision), [9_000]);
    assert_eq!(revision.revised_cents, 11_000);
    assert_eq!(
        revision.tell(Lang::En),
        ["Declared FUNCTIONAL_FLAWLESS, found FUNCTIONAL_CRACKED: 3 grade steps at 15% each: −90.00 EUR"]
    );
    assert!(revision.tell(Lang::Fr)[0].contains("3 crans de grade"));
}

#[test]
fn a_better_grade_than_declared_is_not_paid_for_and_an_unknown_one_is_not_compared() {
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalFlawless);
    assert_eq!(revised(&laptop_declared(), &found).revised_cents, QUOTE);

    found.grade = None;
    assert!(revised(&laptop_declared(), &found).adjustments.is_empty());
    let mut declared = laptop_declared();
    declared.grade = None;
    found.grade = Some(BuybackGrade::NotFunctionalCracked);
    assert!(revised(&declared, &found).adjustments.is_empty());
}

#[test]
fn a_laptop_without_its_charger_loses_the_mandatory_amount_whether_declared_or_not() {
    let mut found = laptop_found();
    found.accessories.clear();
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["accessory.mandatory"]);
    assert_eq!(revision.revised_cents, 17_500);
    let adjustment = &revision.adjustments[0];
    assert_eq!(adjustment.inputs["accessory"], "charger");
    assert_eq!(adjustment.inputs["category"], "laptop");
    assert_eq!(
        revision.tell(Lang::Fr),
        ["Il manque le chargeur, obligatoire pour un ordinateur portable : −25,00\u{a0}EUR"]
    );

    // Not declared: still mandatory for a laptop, and counted once.
    let mut declared = laptop_declared();
    declared.accessories.clear();
    assert_eq!(amounts(&revised(&declared, &found)), [2_500]);
}

#[test]
fn desktops_and_monitors_need_their_cable() {
    for category in [DeviceCategory::Desktop, DeviceCategory::Monitor] {
        let declared = Declared {
            category,
            make: Some("Dell".into()),
            model: "P2419H".into(),
            storage_gb: None,
            grade: None,
            accessories: vec![],
        };
        let mut found = Found::from_identity(&DeviceIdentity::new(category, "Dell", "P2419H"));
        found.lock = LockVerdictKind::Clear;
        let revision = revised(&declared, &found);
        assert_eq!(rules(&revision), ["accessory.mandatory"], "{category}");
        assert_eq!(revision.adjustments[0].inputs["accessory"], "cable");
        assert_eq!(revision.revised_cents, 17_500);
        found.accessories = vec![Accessory::Cable];
        assert_eq!(revised(&declared, &found).revised_cents, QUOTE);
    }
}

fn phone(accessories: Vec<Accessory>) -> (Declared, Found) {
    let declared = Declared {
        category: DeviceCategory::Phone,
        make: Some("Apple".into()),
        model: "iPhone 12".into(),
        storage_gb: Some(128),
        grade: Some(BuybackGrade::FunctionalGood),
        accessories,
    };
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    identity.storage_gb = Some(128);
    let mut found = Found::from_identity(&identity);
    found.grade = Some(BuybackGrade::FunctionalGood);
    found.lock = LockVerdictKind::Clear;
    found.battery = Some(BatteryVerdictKind::Pass);
    (declared, found)
}

#[test]
fn a_phone_needs_nothing_but_what_was_declared_costs_its_own_amount() {
    let (declared, found) = phone(vec![]);
    assert!(revised(&declared, &found).adjustments.is_empty());

    let (declared, found) = phone(vec![Accessory::Charger, Accessory::Stylus]);
    let revision = revised(&declared, &found);
    // Charger 10.00, stylus 15.00, in the accessories' order.
    assert_eq!(
        rules(&revision),
        ["accessory.optional", "accessory.optional"]
    );
    assert_eq!(amounts(&revision), [1_000, 1_500]);
    assert_eq!(revision.revised_cents, 17_500);
    assert_eq!(
        revision.tell(Lang::En),
        [
            "Declared but missing: the charger: −10.00 EUR",
            "Declared but missing: the stylus: −15.00 EUR"
        ]
    );
}

#[test]
fn a_missing_box_is_listed_at_no_cost_and_the_quote_stands() {
    let (declared, found) = phone(vec![Accessory::Box]);
    let revision = revised(&declared, &found);
    assert_eq!(rules(&revision), ["accessory.optional"]);
    assert_eq!(amounts(&revision), [0]);
    assert_eq!(revision.revised_cents, QUOTE);
    assert_eq!(revision.disposition, Disposition::Accept);
}

#[test]
fn an_accessory_the_policy_does_not_list_costs_nothing() {
    let policy = policy_with("mouse = { cents = 500 }\n", "");
    let mut declared = laptop_declared();
    declared.accessories.push(Accessory::Mouse);
    let revision = checked(revise(&declared, &laptop_found(), QUOTE, &policy));
    assert_eq!(amounts(&revision), [0]);
    assert_eq!(revision.adjustments[0].basis, Some(Amount::ZERO));
}

#[test]
fn a_battery_to_replace_or_worn_out_costs_thirty_euros() {
    for (verdict, rule, english) in [
        (
            BatteryVerdictKind::Replace,
            RevisionRule::BatteryReplace,
            "Battery to replace: −30.00 EUR",
        ),
        (
            BatteryVerdictKind::Consumed,
            RevisionRule::BatteryConsumed,
            "Battery worn out: −30.00 EUR",
        ),
    ] {
        let mut found = laptop_found();
        found.battery = Some(verdict);
        let revision = revised(&laptop_declared(), &found);
        assert_eq!(revision.adjustments.len(), 1);
        assert_eq!(revision.adjustments[0].rule, rule);
        assert_eq!(revision.revised_cents, 17_000);
        assert_eq!(revision.tell(Lang::En), [english]);
    }
    for verdict in [
        Some(BatteryVerdictKind::Pass),
        Some(BatteryVerdictKind::Unknown),
        Some(BatteryVerdictKind::Absent),
        None,
    ] {
        let mut found = laptop_found();
        found.battery = verdict;
        assert_eq!(revised(&laptop_declared(), &found).revised_cents, QUOTE);
    }
}

#[test]
fn each_failed_function_takes_ten_percent_once() {
    let mut found = laptop_found();
    found.failed = vec!["webcam".into(), "keyboard".into(), "webcam".into()];
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["function.failed", "function.failed"]);
    assert_eq!(amounts(&revision), [2_000, 2_000]);
    assert_eq!(revision.revised_cents, 16_000);
    // Told with the checklist's label when the catalogue has one, else by its id.
    let told = revision.tell(Lang::En);
    assert!(told[0].starts_with("Failed check: "), "{told:?}");
    assert!(told[0].ends_with(": −20.00 EUR"), "{told:?}");
}

#[test]
fn a_failed_phone_check_is_told_by_its_checklist_label() {
    let (declared, mut found) = phone(vec![]);
    found.failed = vec!["touch".into()];
    let revision = revised(&declared, &found);
    assert_eq!(
        revision.tell(Lang::En),
        ["Failed check: touchscreen: −20.00 EUR"]
    );
    assert_eq!(
        revision.tell(Lang::Fr)[0],
        "Contrôle échoué : écran tactile : −20,00\u{a0}EUR"
    );
}

#[test]
fn a_locked_device_is_returned_and_priced_zero() {
    let mut found = laptop_found();
    found.lock = LockVerdictKind::Blocked;
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["lock.blocked"]);
    assert_eq!(amounts(&revision), [QUOTE]);
    assert_eq!(revision.revised_cents, 0);
    assert_eq!(revision.disposition, Disposition::Return);
    assert_eq!(revision.adjustments[0].basis, None);
    assert_eq!(
        revision.tell(Lang::En),
        ["Locked: returned to the customer, nothing is paid for a locked device: −200.00 EUR"]
    );
}

#[test]
fn a_policy_may_hold_locked_devices_instead() {
    let policy = policy_with("blocked = \"return\"", "blocked = \"hold\"");
    let mut found = laptop_found();
    found.lock = LockVerdictKind::Blocked;
    let revision = checked(revise(&laptop_declared(), &found, QUOTE, &policy));
    assert_eq!(revision.disposition, Disposition::Hold);
    assert_eq!(revision.revised_cents, 0);
    assert!(
        revision.tell(Lang::En)[0].starts_with("Locked: held until the customer removes the lock")
    );
}

#[test]
fn a_lock_that_could_not_be_read_is_held_or_ignored_as_the_policy_says() {
    let mut found = laptop_found();
    found.lock = LockVerdictKind::Unknown;
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["lock.unknown"]);
    assert_eq!(revision.disposition, Disposition::Hold);
    assert_eq!(revision.revised_cents, 0);

    let policy = policy_with("unknown = \"hold\"", "unknown = \"ignore\"");
    let revision = checked(revise(&laptop_declared(), &found, QUOTE, &policy));
    assert!(revision.adjustments.is_empty());
    assert_eq!(revision.disposition, Disposition::Accept);
    // Left out, an unknown lock is ignored too.
    let policy = policy_with("unknown = \"hold\"\n", "");
    assert!(revise(&laptop_declared(), &found, QUOTE, &policy)
        .adjustments
        .is_empty());
}

#[test]
fn another_model_is_flagged_for_a_new_quote_and_takes_nothing_by_itself() {
    let mut found = laptop_found();
    found.model = "Latitude 5490".into();
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["mismatch.model"]);
    assert_eq!(amounts(&revision), [0]);
    assert!(revision.requote);
    assert!(revision.adjustments[0].requote);
    assert_eq!(revision.revised_cents, QUOTE);
    assert_eq!(revision.disposition, Disposition::Readjusted);
    assert_eq!(
        revision.tell(Lang::En),
        ["Declared Dell Latitude 7490, found Dell Latitude 5490: the device must be quoted again"]
    );
}

#[test]
fn another_make_or_category_is_another_model_too() {
    let mut found = laptop_found();
    found.make = "HP".into();
    assert_eq!(
        rules(&revised(&laptop_declared(), &found)),
        ["mismatch.model"]
    );
    let mut found = laptop_found();
    found.category = DeviceCategory::Desktop;
    found.accessories = vec![Accessory::Charger, Accessory::Cable];
    assert_eq!(
        rules(&revised(&laptop_declared(), &found)),
        ["mismatch.model"]
    );
}

#[test]
fn models_compare_without_case_spaces_or_punctuation_and_with_or_without_the_make() {
    for written in [
        "latitude 7490",
        "LATITUDE-7490",
        "Dell Latitude 7490",
        "Latitude7490",
    ] {
        let mut declared = laptop_declared();
        declared.model = written.into();
        assert!(
            revised(&declared, &laptop_found()).adjustments.is_empty(),
            "{written}"
        );
    }
    // Without a declared make, the model alone decides.
    let mut declared = laptop_declared();
    declared.make = None;
    assert!(revised(&declared, &laptop_found()).adjustments.is_empty());
}

#[test]
fn a_policy_may_deduct_a_fixed_sum_for_another_model() {
    let policy = policy_with("model = \"requote\"", "model = { cents = 5000 }");
    let mut found = laptop_found();
    found.model = "Latitude 5490".into();
    let revision = checked(revise(&laptop_declared(), &found, QUOTE, &policy));
    assert_eq!(amounts(&revision), [5_000]);
    assert!(!revision.requote);
    assert_eq!(revision.revised_cents, 15_000);
    assert_eq!(
        revision.tell(Lang::Fr),
        ["Déclaré Dell Latitude 7490, trouvé Dell Latitude 5490 : −50,00\u{a0}EUR"]
    );
}

#[test]
fn less_storage_than_declared_takes_twenty_percent_and_more_or_unknown_nothing() {
    let mut found = laptop_found();
    found.storage_gb = Some(128);
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["mismatch.storage"]);
    assert_eq!(amounts(&revision), [4_000]);
    assert_eq!(revision.revised_cents, 16_000);
    assert_eq!(
        revision.tell(Lang::En),
        ["Declared 256 GB, found 128 GB: −40.00 EUR"]
    );

    found.storage_gb = Some(512);
    assert!(revised(&laptop_declared(), &found).adjustments.is_empty());
    found.storage_gb = None;
    assert!(revised(&laptop_declared(), &found).adjustments.is_empty());

    let policy = policy_with("storage = { percent = 20 }", "storage = \"requote\"");
    found.storage_gb = Some(128);
    let revision = checked(revise(&laptop_declared(), &found, QUOTE, &policy));
    assert!(revision.requote);
    assert_eq!(revision.revised_cents, QUOTE);
    assert_eq!(
        revision.tell(Lang::Fr),
        ["Déclaré 256 Go, trouvé 128 Go : l'appareil doit être à nouveau chiffré"]
    );
}

#[test]
fn rules_combine_in_their_order_each_on_the_quote() {
    let mut declared = laptop_declared();
    declared.grade = Some(BuybackGrade::FunctionalFlawless);
    let mut found = laptop_found();
    found.storage_gb = Some(128); // 20 %: 40.00
    found.grade = Some(BuybackGrade::FunctionalUsed); // 2 steps × 15 %: 60.00
    found.accessories.clear(); // charger: 25.00
    found.battery = Some(BatteryVerdictKind::Replace); // 30.00
    found.failed = vec!["webcam".into()]; // 10 %: 20.00
    let revision = revised(&declared, &found);
    assert_eq!(
        rules(&revision),
        [
            "mismatch.storage",
            "grade.step",
            "accessory.mandatory",
            "battery.replace",
            "function.failed"
        ]
    );
    assert_eq!(amounts(&revision), [4_000, 6_000, 2_500, 3_000, 2_000]);
    // 200.00 − 175.00.
    assert_eq!(revision.revised_cents, 2_500);
    assert_eq!(revision.disposition, Disposition::Readjusted);
}

#[test]
fn deductions_stop_at_zero_the_last_rule_taking_only_what_is_left() {
    let mut declared = laptop_declared();
    declared.grade = Some(BuybackGrade::FunctionalFlawless);
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::NotFunctionalCracked); // 5 steps × 15 %: 150.00
    found.failed = vec!["keyboard".into(), "touchpad".into(), "webcam".into()]; // 3 × 20.00
    let revision = revised(&declared, &found);
    assert_eq!(amounts(&revision), [15_000, 2_000, 2_000, 1_000]);
    let last = revision.adjustments.last().expect("an adjustment");
    assert_eq!(last.asked_cents, 2_000);
    assert_eq!(revision.revised_cents, 0);
    assert_eq!(revision.disposition, Disposition::Readjusted);
    assert!(revision.tell(Lang::En)[3]
        .ends_with("−10.00 EUR (the rule asked 20.00 EUR; the price floor stops it there)"));
}

#[test]
fn the_floor_keeps_part_of_the_quote_unless_the_device_is_locked() {
    let policy = policy_with("floor = { cents = 0 }", "floor = { percent = 50 }");
    let mut declared = laptop_declared();
    declared.grade = Some(BuybackGrade::FunctionalFlawless);
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalCracked); // 3 steps: 90.00
    found.battery = Some(BatteryVerdictKind::Consumed); // 30.00, of which 10.00 fit
    let revision = checked(revise(&declared, &found, QUOTE, &policy));
    assert_eq!(amounts(&revision), [9_000, 1_000]);
    assert_eq!(revision.revised_cents, 10_000);
    assert_eq!(
        revision.tell(Lang::Fr)[1],
        "Batterie usée : −10,00\u{a0}EUR (la règle demandait 30,00\u{a0}EUR ; le prix plancher l'arrête là)"
    );

    found.lock = LockVerdictKind::Blocked;
    let revision = checked(revise(&declared, &found, QUOTE, &policy));
    assert_eq!(amounts(&revision), [9_000, 1_000, 10_000]);
    assert_eq!(revision.revised_cents, 0);
    assert_eq!(revision.disposition, Disposition::Return);

    // A fixed floor above the quote keeps the quote whole.
    let policy = policy_with("floor = { cents = 0 }", "floor = { cents = 50000 }");
    found.lock = LockVerdictKind::Clear;
    let revision = checked(revise(&declared, &found, QUOTE, &policy));
    assert_eq!(amounts(&revision), [0, 0]);
    assert_eq!(revision.revised_cents, QUOTE);
}

#[test]
fn a_locked_device_keeps_its_other_findings_for_when_it_comes_back() {
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalUsed);
    found.lock = LockVerdictKind::Blocked;
    let revision = revised(&laptop_declared(), &found);
    assert_eq!(rules(&revision), ["grade.step", "lock.blocked"]);
    assert_eq!(amounts(&revision), [3_000, 17_000]);
    assert_eq!(revision.revised_cents, 0);
}

#[test]
fn percentages_round_down_to_the_cent() {
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalUsed);
    let revision = checked(revise(&laptop_declared(), &found, 999, shipped()));
    // 15 % of 9.99 = 1.4985 → 1.49.
    assert_eq!(amounts(&revision), [149]);
    assert_eq!(revision.revised_cents, 850);
}

#[test]
fn a_revision_is_plain_json_with_rule_names_and_amounts() {
    let mut found = laptop_found();
    found.grade = Some(BuybackGrade::FunctionalUsed);
    let revision = revised(&laptop_declared(), &found);
    let json = serde_json::to_value(&revision).expect("serializes");
    assert_eq!(json["revised_cents"], 17_000);
    assert_eq!(json["disposition"], "readjusted");
    assert_eq!(json["adjustments"][0]["rule"], "grade.step");
    assert_eq!(json["adjustments"][0]["basis"]["percent"], 15);
    assert_eq!(json["adjustments"][0]["message_id"], "revision-grade-step");
    assert_eq!(json["adjustments"][0]["inputs"]["steps"], "1");
    let back: Revision = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, revision);
}
