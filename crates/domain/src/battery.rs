//! Battery intake: what a `BATT` reading says, and the verdict on it.

use serde::{Deserialize, Serialize};

use crate::cycle_limits::CycleLimits;
use crate::device::DeviceIdentity;
use crate::word_enum;

/// What the bench reported in a `BATT` reading; `None` means "not reported",
/// never zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatteryReading {
    pub present: Option<bool>,
    pub design_mah: Option<u32>,
    pub full_mah: Option<u32>,
    pub design_mwh: Option<u32>,
    pub full_mwh: Option<u32>,
    pub cycles: Option<u32>,
    /// As the bench reported it; only used when no capacity pair exists.
    pub soh_pct: Option<f64>,
    pub temp_c: Option<f64>,
    pub voltage_mv: Option<u32>,
    /// Where the bench got its numbers, e.g. "gasgauge".
    pub source: Option<String>,
}

word_enum! {
    /// The battery outcome, best first: Pass, Replace, Consumed.
    BatteryVerdictKind, "battery verdict" {
        /// Health at or above the sales channel's threshold.
        Pass => "pass",
        /// Below the threshold but still serviceable: fit a new battery.
        Replace => "replace",
        /// Worn out: below the consumed mark.
        Consumed => "consumed",
        /// Present, but no health figure could be had.
        Unknown => "unknown",
        /// No battery in the device.
        Absent => "absent",
    }
}

word_enum! {
    /// Where the state-of-health figure came from.
    SohSource, "state-of-health source" {
        /// Worked out from a full/design capacity pair.
        Computed => "computed",
        /// Reported by the bench or the device itself.
        Device => "device",
    }
}

/// The thresholds of one sales channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatteryPolicy {
    /// Health at or above this passes.
    pub soh_threshold_pct: f64,
    /// Health below this is consumed; between the two it needs a new battery.
    pub consumed_below_pct: f64,
    /// How far a bench's own figure may stray from the computed one, in
    /// percentage points, before the disagreement is recorded.
    pub disagreement_points: f64,
}

impl Default for BatteryPolicy {
    fn default() -> Self {
        BatteryPolicy {
            soh_threshold_pct: 85.0,
            consumed_below_pct: 80.0,
            disagreement_points: 3.0,
        }
    }
}

/// The verdict on a battery, with the numbers and reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatteryAssessment {
    pub reading: BatteryReading,
    /// Unrounded: the verdict is taken on this exact value, so 84.96 % is
    /// below an 85 % threshold even though it displays as 85.0.
    pub soh_pct: Option<f64>,
    pub soh_source: Option<SohSource>,
    /// The bench's own figure, kept even when a computed one is used.
    pub reported_soh_pct: Option<f64>,
    pub verdict: BatteryVerdictKind,
    /// Whether an `Absent` verdict counts against the device (it does for
    /// phones, tablets and laptops).
    pub absent_is_failure: bool,
    /// The cycle mark for this device's family; `None` when there is no battery.
    pub cycle_limit: Option<u32>,
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl BatteryAssessment {
    /// State of health rounded to one decimal, for showing to people.
    pub fn soh_pct_display(&self) -> Option<f64> {
        self.soh_pct.map(round_to_tenth)
    }
}

fn round_to_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// A state of health worked out from one capacity pair.
struct ComputedSoh {
    pct: f64,
    full: u32,
    design: u32,
    unit: &'static str,
}

/// Judges a battery reading against a sales channel's policy.
///
/// State of health comes from the mAh pair, else the mWh pair, else the
/// bench's own figure; the verdict is taken on the unrounded value.
pub fn assess_battery(
    reading: &BatteryReading,
    identity: &DeviceIdentity,
    policy: &BatteryPolicy,
    limits: &CycleLimits,
) -> BatteryAssessment {
    let absent_is_failure = identity.category.needs_battery();
    let mut reasons = Vec::new();

    if reading.present == Some(false) {
        reasons.push(if absent_is_failure {
            format!(
                "No battery was found. {} needs one, so this counts as a failure: fit a battery before sale.",
                capitalized(identity.category.with_article())
            )
        } else {
            format!(
                "No battery was found, which is normal for {}; this is not a failure.",
                identity.category.with_article()
            )
        });
        return BatteryAssessment {
            reading: reading.clone(),
            soh_pct: None,
            soh_source: None,
            reported_soh_pct: reading.soh_pct,
            verdict: BatteryVerdictKind::Absent,
            absent_is_failure,
            cycle_limit: None,
            reasons,
        };
    }

    let computed = computed_soh(reading, &mut reasons);
    let reported = reading.soh_pct.filter(|pct| pct.is_finite());

    let (soh_pct, soh_source) = match (&computed, reported) {
        (Some(computed), Some(reported)) => {
            if (computed.pct - reported).abs() > policy.disagreement_points {
                reasons.push(format!(
                    "The bench reported {}% battery health, but the capacities give {}% ({} of {} {}), \
                     a difference of {:.1} points; the computed value is used.",
                    one_decimal(reported),
                    one_decimal(computed.pct),
                    computed.full,
                    computed.design,
                    computed.unit,
                    (computed.pct - reported).abs()
                ));
            }
            (Some(computed.pct), Some(SohSource::Computed))
        }
        (Some(computed), None) => (Some(computed.pct), Some(SohSource::Computed)),
        (None, Some(reported)) => {
            reasons.push(format!(
                "Battery health {}% is the device's own figure: the bench sent no capacities to check it against.",
                one_decimal(reported)
            ));
            (Some(reported), Some(SohSource::Device))
        }
        (None, None) => (None, None),
    };

    let verdict = match soh_pct {
        Some(pct) => {
            let verdict = verdict_for(pct, policy);
            reasons.push(verdict_reason(pct, verdict, policy));
            verdict
        }
        None => {
            reasons.push(
                "The battery is present, but neither its capacities nor a health figure were reported; \
                 an operator must check its health."
                    .to_owned(),
            );
            BatteryVerdictKind::Unknown
        }
    };

    let mark = limits.mark_for(identity);
    match reading.cycles {
        Some(cycles) if cycles > mark.cycles => reasons.push(format!(
            "{cycles} charge cycles is above the {}-cycle mark for {}.",
            mark.cycles, mark.label
        )),
        Some(_) => {}
        None => reasons.push("The charge cycle count was not reported.".to_owned()),
    }

    BatteryAssessment {
        reading: reading.clone(),
        soh_pct,
        soh_source,
        reported_soh_pct: reading.soh_pct,
        verdict,
        absent_is_failure,
        cycle_limit: Some(mark.cycles),
        reasons,
    }
}

/// Health from the mAh pair, else the mWh pair. A design capacity of zero
/// makes a pair unusable and is noted, since it means a misreading gauge.
fn computed_soh(reading: &BatteryReading, reasons: &mut Vec<String>) -> Option<ComputedSoh> {
    let pairs = [
        (reading.full_mah, reading.design_mah, "mAh"),
        (reading.full_mwh, reading.design_mwh, "mWh"),
    ];
    for (full, design, unit) in pairs {
        match (full, design) {
            (Some(_), Some(0)) => reasons.push(format!(
                "The design capacity was reported as 0 {unit}, so health cannot be computed from the {unit} capacities."
            )),
            (Some(full), Some(design)) => {
                // Multiplying first keeps exact ratios exact: 2550 of 3000 is 85.0, not 84.99999.
                let pct = f64::from(full) * 100.0 / f64::from(design);
                return Some(ComputedSoh {
                    pct,
                    full,
                    design,
                    unit,
                });
            }
            _ => {}
        }
    }
    None
}

fn verdict_for(soh_pct: f64, policy: &BatteryPolicy) -> BatteryVerdictKind {
    if soh_pct >= policy.soh_threshold_pct {
        BatteryVerdictKind::Pass
    } else if soh_pct >= policy.consumed_below_pct {
        BatteryVerdictKind::Replace
    } else {
        BatteryVerdictKind::Consumed
    }
}

fn verdict_reason(soh_pct: f64, verdict: BatteryVerdictKind, policy: &BatteryPolicy) -> String {
    let threshold = bare_number(policy.soh_threshold_pct);
    let consumed_below = bare_number(policy.consumed_below_pct);
    match verdict {
        BatteryVerdictKind::Pass => format!(
            "Battery health is {}%, at or above the {threshold}% this sales channel needs.",
            one_decimal(soh_pct)
        ),
        BatteryVerdictKind::Replace => format!(
            "Battery health is {}%, below the {threshold}% this sales channel needs: \
             replace the battery before sale.",
            shown_below(soh_pct, policy.soh_threshold_pct)
        ),
        _ => format!(
            "Battery health is {}%, below {consumed_below}%: the battery is worn out and must be replaced.",
            shown_below(soh_pct, policy.consumed_below_pct)
        ),
    }
}

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A value that is below `limit`, written with just enough decimals that it
/// also reads as below it: 84.96 must not be shown as "85.0% is below 85%".
fn shown_below(value: f64, limit: f64) -> String {
    for decimals in 1..=4 {
        let shown = format!("{value:.decimals$}");
        if shown.parse::<f64>().is_ok_and(|shown| shown < limit) {
            return shown;
        }
    }
    format!("just under {}", bare_number(limit))
}

/// 85.0 as "85", 82.5 as "82.5".
fn bare_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceCategory;
    use proptest::prelude::*;

    fn phone(model: &str) -> DeviceIdentity {
        DeviceIdentity::new(DeviceCategory::Phone, "Apple", model)
    }

    fn mah(full: u32, design: u32) -> BatteryReading {
        BatteryReading {
            present: Some(true),
            full_mah: Some(full),
            design_mah: Some(design),
            cycles: Some(100),
            ..BatteryReading::default()
        }
    }

    fn assess(reading: &BatteryReading) -> BatteryAssessment {
        assess_battery(
            reading,
            &phone("iPhone 12"),
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        )
    }

    fn has_reason(assessment: &BatteryAssessment, needle: &str) -> bool {
        assessment
            .reasons
            .iter()
            .any(|reason| reason.contains(needle))
    }

    #[test]
    fn verdict_follows_thresholds_on_the_unrounded_value() {
        use BatteryVerdictKind::*;
        let cases = [
            (2550, 3000, Pass, 85.0), // exactly the threshold passes
            (2421, 2815, Pass, 86.0), // the spec's example
            (3000, 3000, Pass, 100.0),
            (3300, 3000, Pass, 110.0), // a new, over-capacity battery keeps its real value
            (8497, 10000, Replace, 85.0), // 84.97 displays as 85.0 yet is below
            (2548, 2999, Replace, 85.0), // 84.9616…
            (2400, 3000, Replace, 80.0), // exactly the consumed mark is still replaceable
            (7999, 10000, Consumed, 80.0),
            (1000, 3000, Consumed, 33.3),
            (0, 3000, Consumed, 0.0),
        ];
        for (full, design, verdict, display) in cases {
            let assessment = assess(&mah(full, design));
            assert_eq!(assessment.verdict, verdict, "{full}/{design}");
            assert_eq!(assessment.soh_source, Some(SohSource::Computed));
            assert_eq!(
                assessment.soh_pct_display(),
                Some(display),
                "{full}/{design}"
            );
            let exact = f64::from(full) * 100.0 / f64::from(design);
            assert_eq!(assessment.soh_pct, Some(exact));
        }
    }

    #[test]
    fn replace_reason_never_shows_a_value_that_reads_as_passing() {
        let assessment = assess(&mah(2548, 2999));
        assert!(
            has_reason(&assessment, "84.96%, below the 85%"),
            "{:?}",
            assessment.reasons
        );
        let consumed = assess(&mah(7999, 10000));
        assert!(
            has_reason(&consumed, "79.99%, below 80%"),
            "{:?}",
            consumed.reasons
        );
    }

    #[test]
    fn policy_thresholds_come_from_the_sales_channel() {
        let strict = BatteryPolicy {
            soh_threshold_pct: 90.0,
            ..BatteryPolicy::default()
        };
        let reading = mah(2640, 3000); // 88 %
        let assessment = assess_battery(
            &reading,
            &phone("iPhone 12"),
            &strict,
            CycleLimits::embedded(),
        );
        assert_eq!(assessment.verdict, BatteryVerdictKind::Replace);
        assert!(
            has_reason(&assessment, "below the 90%"),
            "{:?}",
            assessment.reasons
        );
        assert_eq!(assess(&reading).verdict, BatteryVerdictKind::Pass);
    }

    #[test]
    fn mah_pair_is_preferred_over_mwh_pair() {
        let reading = BatteryReading {
            design_mwh: Some(10000),
            full_mwh: Some(9900),
            ..mah(2400, 3000)
        };
        let assessment = assess(&reading);
        assert_eq!(assessment.soh_pct, Some(80.0));
        assert_eq!(assessment.verdict, BatteryVerdictKind::Replace);
    }

    #[test]
    fn laptop_with_only_an_mwh_pair_is_computed_from_it() {
        // Smart Battery System packs report energy, not charge.
        let reading = BatteryReading {
            present: Some(true),
            design_mwh: Some(57000),
            full_mwh: Some(45600),
            cycles: Some(300),
            source: Some("sbs".to_owned()),
            ..BatteryReading::default()
        };
        let laptop = DeviceIdentity::new(DeviceCategory::Laptop, "Lenovo", "ThinkPad T14");
        let assessment = assess_battery(
            &reading,
            &laptop,
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        assert_eq!(assessment.soh_pct, Some(80.0));
        assert_eq!(assessment.soh_source, Some(SohSource::Computed));
        assert_eq!(assessment.verdict, BatteryVerdictKind::Replace);
    }

    #[test]
    fn device_figure_is_used_only_without_a_capacity_pair() {
        let only_reported = BatteryReading {
            present: Some(true),
            soh_pct: Some(91.5),
            cycles: Some(10),
            ..BatteryReading::default()
        };
        let assessment = assess(&only_reported);
        assert_eq!(assessment.soh_pct, Some(91.5));
        assert_eq!(assessment.soh_source, Some(SohSource::Device));
        assert_eq!(assessment.reported_soh_pct, Some(91.5));
        assert_eq!(assessment.verdict, BatteryVerdictKind::Pass);

        let low_reported = BatteryReading {
            soh_pct: Some(82.0),
            ..only_reported.clone()
        };
        assert_eq!(assess(&low_reported).verdict, BatteryVerdictKind::Replace);

        // A half pair is not a pair: the device figure still decides.
        let half_pair = BatteryReading {
            design_mah: Some(3000),
            soh_pct: Some(70.0),
            ..only_reported
        };
        let assessment = assess(&half_pair);
        assert_eq!(assessment.soh_source, Some(SohSource::Device));
        assert_eq!(assessment.verdict, BatteryVerdictKind::Consumed);
    }

    #[test]
    fn disagreement_above_the_allowed_points_is_recorded_with_both_values() {
        let cases = [
            (Some(89.0), false), // 3.0 points exactly is within tolerance
            (Some(83.0), false),
            (Some(89.5), true),
            (Some(82.5), true),
            (None, false),
        ];
        for (reported, recorded) in cases {
            let reading = BatteryReading {
                soh_pct: reported,
                ..mah(2580, 3000) // 86 %
            };
            let assessment = assess(&reading);
            assert_eq!(assessment.soh_pct, Some(86.0), "computed value wins");
            assert_eq!(assessment.soh_source, Some(SohSource::Computed));
            assert_eq!(assessment.reported_soh_pct, reported);
            let disagreement = assessment
                .reasons
                .iter()
                .find(|reason| reason.contains("difference of"));
            assert_eq!(
                disagreement.is_some(),
                recorded,
                "{reported:?}: {:?}",
                assessment.reasons
            );
            if let (Some(reason), Some(reported)) = (disagreement, reported) {
                assert!(reason.contains(&format!("{reported:.1}%")), "{reason}");
                assert!(reason.contains("86.0%"), "{reason}");
                assert!(reason.contains("2580 of 3000 mAh"), "{reason}");
            }
        }
    }

    #[test]
    fn zero_design_capacity_is_not_a_usable_pair() {
        let zero_mah = BatteryReading {
            design_mah: Some(0),
            full_mah: Some(2500),
            ..BatteryReading::default()
        };
        let cases = [
            // (reading, expected soh, expected source, expected verdict)
            (
                BatteryReading {
                    present: Some(true),
                    ..zero_mah.clone()
                },
                None,
                None,
                BatteryVerdictKind::Unknown,
            ),
            (
                BatteryReading {
                    present: Some(true),
                    design_mwh: Some(10000),
                    full_mwh: Some(9000),
                    ..zero_mah.clone()
                },
                Some(90.0),
                Some(SohSource::Computed),
                BatteryVerdictKind::Pass,
            ),
            (
                BatteryReading {
                    present: Some(true),
                    soh_pct: Some(81.0),
                    ..zero_mah
                },
                Some(81.0),
                Some(SohSource::Device),
                BatteryVerdictKind::Replace,
            ),
        ];
        for (reading, soh, source, verdict) in cases {
            let assessment = assess(&reading);
            assert_eq!(assessment.soh_pct, soh);
            assert_eq!(assessment.soh_source, source);
            assert_eq!(assessment.verdict, verdict);
            assert!(has_reason(
                &assessment,
                "design capacity was reported as 0 mAh"
            ));
        }
    }

    #[test]
    fn present_without_any_health_figure_is_unknown() {
        let reading = BatteryReading {
            present: Some(true),
            cycles: Some(50),
            ..BatteryReading::default()
        };
        let assessment = assess(&reading);
        assert_eq!(assessment.verdict, BatteryVerdictKind::Unknown);
        assert_eq!(assessment.soh_pct, None);
        assert_eq!(assessment.soh_pct_display(), None);
        assert!(has_reason(&assessment, "operator must check"));
    }

    #[test]
    fn absent_battery_is_a_failure_only_where_one_is_needed() {
        use DeviceCategory::*;
        let cases = [
            (Phone, true),
            (Tablet, true),
            (Laptop, true),
            (Desktop, false),
            (Monitor, false),
        ];
        let reading = BatteryReading {
            present: Some(false),
            ..BatteryReading::default()
        };
        for (category, failure) in cases {
            let identity = DeviceIdentity::new(category, "Any", "Model");
            let assessment = assess_battery(
                &reading,
                &identity,
                &BatteryPolicy::default(),
                CycleLimits::embedded(),
            );
            assert_eq!(assessment.verdict, BatteryVerdictKind::Absent, "{category}");
            assert_eq!(assessment.absent_is_failure, failure, "{category}");
            assert_eq!(assessment.cycle_limit, None);
            assert_eq!(assessment.reasons.len(), 1, "{:?}", assessment.reasons);
            let reason = &assessment.reasons[0];
            assert!(
                reason.to_lowercase().contains(category.with_article()),
                "{reason}"
            );
            assert_eq!(reason.contains("counts as a failure"), failure, "{reason}");
            assert_eq!(reason.contains("not a failure"), !failure, "{reason}");
        }
    }

    #[test]
    fn cycles_above_the_family_mark_add_a_reason_without_changing_the_verdict() {
        let cases = [
            ("iPhone 14", 500, None),
            (
                "iPhone 14",
                501,
                Some("501 charge cycles is above the 500-cycle mark for iPhone 14 and older"),
            ),
            (
                "iPhone 14",
                612,
                Some("612 charge cycles is above the 500-cycle mark for iPhone 14 and older"),
            ),
            ("iPhone 15", 612, None),
            ("iPhone 15", 1000, None),
            (
                "iPhone 15",
                1001,
                Some("1001 charge cycles is above the 1000-cycle mark for iPhone 15 and later"),
            ),
        ];
        for (model, cycles, expected) in cases {
            let reading = BatteryReading {
                cycles: Some(cycles),
                ..mah(2700, 3000)
            };
            let assessment = assess_battery(
                &reading,
                &phone(model),
                &BatteryPolicy::default(),
                CycleLimits::embedded(),
            );
            assert_eq!(
                assessment.verdict,
                BatteryVerdictKind::Pass,
                "{model} {cycles}"
            );
            let cycle_reason = assessment
                .reasons
                .iter()
                .find(|reason| reason.contains("charge cycles"));
            match expected {
                Some(text) => {
                    let reason = cycle_reason.expect("a cycle reason");
                    assert!(reason.contains(text), "{reason}");
                }
                None => assert!(cycle_reason.is_none(), "{:?}", assessment.reasons),
            }
            let limit = if model == "iPhone 15" { 1000 } else { 500 };
            assert_eq!(assessment.cycle_limit, Some(limit));
        }
    }

    #[test]
    fn unreported_cycles_are_said_so() {
        let reading = BatteryReading {
            cycles: None,
            ..mah(2700, 3000)
        };
        let assessment = assess(&reading);
        assert!(has_reason(&assessment, "cycle count was not reported"));
        assert!(!has_reason(&assessment, "-cycle mark"));
        assert!(!has_reason(&assess(&mah(2700, 3000)), "not reported"));
    }

    #[test]
    fn assessment_serializes_as_snake_case_words() {
        let assessment = assess(&mah(2548, 2999));
        let json = serde_json::to_value(&assessment).expect("assessment serializes");
        assert_eq!(json["verdict"], "replace");
        assert_eq!(json["soh_source"], "computed");
        assert_eq!(json["reading"]["design_mah"], 2999);
        let back: BatteryAssessment = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, assessment);
    }

    #[test]
    fn non_finite_device_figure_is_ignored_rather_than_trusted() {
        let reading = BatteryReading {
            present: Some(true),
            soh_pct: Some(f64::NAN),
            ..BatteryReading::default()
        };
        assert_eq!(assess(&reading).verdict, BatteryVerdictKind::Unknown);
    }

    fn rank(verdict: BatteryVerdictKind) -> u8 {
        match verdict {
            BatteryVerdictKind::Pass => 3,
            BatteryVerdictKind::Replace => 2,
            BatteryVerdictKind::Consumed => 1,
            other => panic!("a reading with a capacity pair gave {other}"),
        }
    }

    proptest! {
        #[test]
        fn lower_health_never_gives_a_better_verdict(
            design in 1u32..20_000,
            full_a in 0u32..40_000,
            full_b in 0u32..40_000,
            threshold in 50.0f64..100.0,
            gap in 0.0f64..30.0,
        ) {
            let policy = BatteryPolicy {
                soh_threshold_pct: threshold,
                consumed_below_pct: threshold - gap,
                ..BatteryPolicy::default()
            };
            let (lower, higher) = if full_a <= full_b { (full_a, full_b) } else { (full_b, full_a) };
            let verdict = |full| {
                assess_battery(&mah(full, design), &phone("iPhone 12"), &policy, CycleLimits::embedded()).verdict
            };
            prop_assert!(rank(verdict(lower)) <= rank(verdict(higher)));
        }
    }
}
