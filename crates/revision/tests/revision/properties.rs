//! Properties of any revision, for any device, any quote and any valid policy: the revised
//! price is never above the quote nor negative, the adjustments add up to what came off, the
//! floor holds unless the device is locked, and a returned or held device is priced 0.

use proptest::prelude::*;
use refurbdesk_domain::{
    Accessory, BatteryVerdictKind, BuybackGrade, DeviceCategory, LockVerdictKind,
};
use refurbdesk_revision::{revise, Amount, Declared, Disposition, Found, TradeinPolicy};

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (0u64..=100_000_000).prop_map(Amount::Cents),
        (0u32..=100).prop_map(Amount::Percent),
    ]
}

fn amount_toml(amount: Amount) -> String {
    amount.to_string()
}

fn mismatch_toml(requote: bool, amount: Amount) -> String {
    if requote {
        "\"requote\"".to_owned()
    } else {
        amount_toml(amount)
    }
}

/// A policy text with random amounts, written as a person would write it.
fn policy() -> impl Strategy<Value = TradeinPolicy> {
    (
        prop_oneof![
            (0u64..=100_000_000).prop_map(Amount::Cents),
            (0u32..=99).prop_map(Amount::Percent),
        ],
        proptest::collection::vec(amount(), 12),
        any::<bool>(),
        prop_oneof![Just("ignore"), Just("hold"), Just("return")],
        any::<(bool, bool)>(),
    )
        .prop_map(|(floor, amounts, hold, unknown, (model, storage))| {
            let a = |index: usize| amount_toml(amounts[index]);
            let text = format!(
                "[policy]\nkind = \"tradein\"\nname = \"random\"\nversion = \"0\"\ncurrency = \"EUR\"\n\
                 [price]\nfloor = {floor}\n\
                 [grade]\nper_step = {}\n\
                 [accessories]\nmandatory_missing = {}\n\
                 [accessories.optional]\ncharger = {}\ncable = {}\nbox = {}\nstylus = {}\n\
                 [battery]\nreplace = {}\nconsumed = {}\n\
                 [functions]\nper_failed = {}\n\
                 [lock]\nblocked = \"{}\"\nunknown = \"{unknown}\"\n\
                 [mismatch]\nmodel = {}\nstorage = {}\n",
                a(0),
                a(1),
                a(2),
                a(3),
                a(4),
                a(5),
                a(6),
                a(7),
                a(8),
                if hold { "hold" } else { "return" },
                mismatch_toml(model, amounts[9]),
                mismatch_toml(storage, amounts[10]),
                floor = amount_toml(floor),
            );
            TradeinPolicy::from_toml(&text).unwrap_or_else(|error| panic!("{error}\n{text}"))
        })
}

fn category() -> impl Strategy<Value = DeviceCategory> {
    proptest::sample::select(DeviceCategory::ALL)
}

fn grade() -> impl Strategy<Value = Option<BuybackGrade>> {
    proptest::option::of(proptest::sample::select(BuybackGrade::ALL))
}

fn accessories() -> impl Strategy<Value = Vec<Accessory>> {
    proptest::sample::subsequence(Accessory::ALL, 0..=Accessory::ALL.len())
}

fn declared() -> impl Strategy<Value = Declared> {
    (
        category(),
        proptest::option::of(prop_oneof![Just("Apple"), Just("Dell")]),
        prop_oneof![Just("iPhone 12"), Just("Latitude 7490")],
        proptest::option::of(prop_oneof![Just(64u32), Just(128), Just(256)]),
        grade(),
        accessories(),
    )
        .prop_map(
            |(category, make, model, storage_gb, grade, accessories)| Declared {
                category,
                make: make.map(str::to_owned),
                model: model.to_owned(),
                storage_gb,
                grade,
                accessories,
            },
        )
}

fn found() -> impl Strategy<Value = Found> {
    (
        (
            category(),
            prop_oneof![Just("Apple"), Just("Dell")],
            prop_oneof![Just("iPhone 12"), Just("Latitude 7490")],
            proptest::option::of(prop_oneof![Just(64u32), Just(128), Just(256)]),
        ),
        grade(),
        proptest::sample::select(LockVerdictKind::ALL),
        proptest::option::of(proptest::sample::select(BatteryVerdictKind::ALL)),
        proptest::collection::vec(
            prop_oneof![Just("touch"), Just("webcam"), Just("keyboard")],
            0..4,
        ),
        accessories(),
    )
        .prop_map(
            |((category, make, model, storage_gb), grade, lock, battery, failed, accessories)| {
                Found {
                    category,
                    make: make.to_owned(),
                    model: model.to_owned(),
                    storage_gb,
                    grade,
                    lock,
                    battery,
                    failed: failed.into_iter().map(str::to_owned).collect(),
                    accessories,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn revisions_keep_their_books(
        policy in policy(),
        declared in declared(),
        found in found(),
        quoted in prop_oneof![0u64..=1_000, 0u64..=10_000_000, Just(u64::MAX / 2)],
    ) {
        let revision = revise(&declared, &found, quoted, &policy);
        prop_assert_eq!(revision.quoted_cents, quoted);
        prop_assert!(revision.revised_cents <= quoted);
        let total: u64 = revision.adjustments.iter().map(|a| a.amount_cents).sum();
        prop_assert_eq!(total, quoted - revision.revised_cents);
        for adjustment in &revision.adjustments {
            prop_assert!(adjustment.amount_cents <= adjustment.asked_cents);
        }
        match revision.disposition {
            Disposition::Return | Disposition::Hold => {
                prop_assert_eq!(revision.revised_cents, 0);
                prop_assert!(found.lock != LockVerdictKind::Clear);
            }
            Disposition::Accept => {
                prop_assert_eq!(revision.revised_cents, quoted);
                prop_assert!(!revision.requote);
            }
            Disposition::Readjusted => {
                prop_assert!(revision.revised_cents < quoted || revision.requote);
                // The floor holds for a device that is not returned or held.
                prop_assert!(revision.revised_cents >= policy.floor.of(quoted).min(quoted));
            }
        }
        // Every adjustment is told in every language without a missing word.
        for lang in refurbdesk_domain::Lang::ALL {
            for sentence in revision.tell(lang) {
                prop_assert!(!sentence.contains('{'), "{}", sentence);
                prop_assert!(!sentence.contains("revision-"), "{}", sentence);
            }
        }
    }

    #[test]
    fn found_as_declared_is_accepted(declared in declared(), quoted in 0u64..=10_000_000) {
        let found = Found {
            category: declared.category,
            make: declared.make.clone().unwrap_or_else(|| "Any".into()),
            model: declared.model.clone(),
            storage_gb: declared.storage_gb,
            grade: declared.grade,
            lock: LockVerdictKind::Clear,
            battery: Some(BatteryVerdictKind::Pass),
            failed: Vec::new(),
            accessories: Accessory::ALL.to_vec(),
        };
        let revision = revise(&declared, &found, quoted, TradeinPolicy::embedded_default());
        prop_assert!(revision.adjustments.is_empty(), "{:?}", revision.adjustments);
        prop_assert_eq!(revision.revised_cents, quoted);
        prop_assert_eq!(revision.disposition, Disposition::Accept);
    }
}
