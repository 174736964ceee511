//! Properties of the shipped policy over random devices: a worse cosmetic
//! level or a lower battery health never gives a better result, a blocked
//! lock always wins, and grading is a pure function of its inputs.

use crate::common::{device, Device};
use proptest::prelude::*;
use refurbdesk_domain::{AccountLock, ActivationLock, CarrierLock, DeviceCategory, MdmState};
use refurbdesk_grading::{
    zones_for, Answer, Checklists, CosmeticLevel, Grade, Grader, ItemKind, Outcome, Policy,
    TestOutcome,
};

fn category() -> impl Strategy<Value = DeviceCategory> {
    prop::sample::select(DeviceCategory::ALL.to_vec())
}

fn level() -> impl Strategy<Value = CosmeticLevel> {
    prop::sample::select(CosmeticLevel::ALL.to_vec())
}

fn lock() -> impl Strategy<Value = (ActivationLock, AccountLock, MdmState, CarrierLock)> {
    (
        prop::sample::select(ActivationLock::ALL.to_vec()),
        prop::sample::select(AccountLock::ALL.to_vec()),
        prop::sample::select(MdmState::ALL.to_vec()),
        prop::sample::select(CarrierLock::ALL.to_vec()),
    )
}

/// A random device: random lock, battery health, zone levels, answers
/// (some left out: graded partially) and bench results.
fn any_device() -> impl Strategy<Value = Device> {
    (
        category(),
        lock(),
        50.0f64..110.0,
        prop::collection::vec(level(), 5),
        prop::collection::vec(0u8..8, 16),
        prop::collection::vec(0u8..6, 16),
    )
        .prop_map(|(category, lock, soh, levels, answer_rolls, test_rolls)| {
            let mut device = device(category).partial();
            if category.needs_battery() {
                device = device.soh(soh);
            }
            device.lock.activation = lock.0;
            device.lock.account = lock.1;
            device.lock.mdm = lock.2;
            device.lock.carrier = lock.3;
            for (zone, level) in zones_for(category).iter().zip(levels) {
                device.cosmetic.insert(*zone, level);
            }
            let template = Checklists::embedded().for_category(category);
            let manual = template
                .items()
                .iter()
                .filter(|i| i.kind == ItemKind::Manual);
            for (item, roll) in manual.zip(answer_rolls) {
                let answer = match roll {
                    0 => None,
                    1 => Some(Answer::Fail),
                    2 if item.na_allowed => Some(Answer::Na),
                    _ => Some(Answer::Pass),
                };
                match answer {
                    Some(answer) => device.answers.insert(item.id.to_string(), answer),
                    None => device.answers.remove(&*item.id),
                };
            }
            let with_tests = template.items().iter().filter(|i| !i.tests.is_empty());
            for (item, roll) in with_tests.zip(test_rolls) {
                let outcome = match roll {
                    0 => continue,
                    1 => TestOutcome::Fail,
                    2 => TestOutcome::Skip,
                    _ => TestOutcome::Pass,
                };
                device = device.test(&item.tests[0], outcome);
            }
            device
        })
}

fn grade(device: &Device) -> Grade {
    Grader::new(Policy::embedded_default())
        .grade(&device.input())
        .expect("a partial grade always grades")
}

/// `worse` is no better than `better` on every scale, each read "worse is
/// greater": outcome, listing grade, trade-in grade and function.
fn no_better(worse: &Grade, better: &Grade) -> Result<(), TestCaseError> {
    prop_assert!(
        worse.outcome >= better.outcome,
        "outcome {} < {}",
        worse.outcome,
        better.outcome
    );
    prop_assert!(
        worse.grade >= better.grade,
        "grade {} < {}",
        worse.grade,
        better.grade
    );
    prop_assert!(
        worse.buyback_grade >= better.buyback_grade,
        "trade-in {} < {}",
        worse.buyback_grade,
        better.buyback_grade
    );
    prop_assert!(worse.functional >= better.functional);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_worse_cosmetic_level_never_gives_a_better_grade(
        device in any_device(),
        zone_index in 0usize..5,
        steps in 1usize..5,
    ) {
        let zones = zones_for(device.identity.category);
        let zone = zones[zone_index % zones.len()];
        let level = device.cosmetic[&zone];
        let worse_level = CosmeticLevel::ALL[(level as usize + steps).min(CosmeticLevel::ALL.len() - 1)];
        let worse = device.clone().zone(zone, worse_level);
        no_better(&grade(&worse), &grade(&device))?;
    }

    #[test]
    fn a_lower_battery_health_never_gives_a_better_grade(
        device in any_device(),
        higher in 50.0f64..110.0,
        drop in 0.0f64..40.0,
    ) {
        prop_assume!(device.identity.category.needs_battery());
        let high = device.clone().soh(higher);
        let low = device.soh(higher - drop);
        no_better(&grade(&low), &grade(&high))?;
    }

    #[test]
    fn a_blocked_lock_always_wins(device in any_device(), which in 0u8..7) {
        let blocked = match which {
            0 => device.lock(|l| l.activation = ActivationLock::Locked),
            1 => device.lock(|l| l.account = AccountLock::Icloud),
            2 => device.lock(|l| l.account = AccountLock::Google),
            3 => device.lock(|l| l.account = AccountLock::Samsung),
            4 => device.lock(|l| l.account = AccountLock::Xiaomi),
            5 => device.lock(|l| l.account = AccountLock::Other),
            _ => device.lock(|l| l.mdm = MdmState::Enrolled),
        };
        let graded = grade(&blocked);
        prop_assert_eq!(graded.outcome, Outcome::Blocked);
        prop_assert!(graded.reasons.iter().any(|r| r.rule == "lock.blocked"));
        prop_assert!(!graded.buyback_grade.as_str().starts_with("FUNCTIONAL_"));
    }

    #[test]
    fn grading_is_a_pure_function_of_its_inputs(device in any_device()) {
        let input = device.input();
        let grader = Grader::new(Policy::embedded_default());
        let first = grader.grade(&input).expect("grades");
        let (explained, trace) = grader.explain(&input).expect("explains");
        prop_assert_eq!(&first, &explained);
        prop_assert_eq!(&first, &grader.grade(&input).expect("grades"));
        prop_assert_eq!(trace.iter().filter(|step| step.fired).count(),
            first.reasons.iter().filter(|r| Policy::embedded_default().rule(&r.rule).is_some()).count());
    }
}
