//! Battery intake: what a `BATT` reading says, and the verdict on it.

use serde::{Deserialize, Serialize};

use crate::cycle_limits::{CycleLimits, CycleMark};
use crate::device::{DeviceCategory, DeviceIdentity};
use crate::lang::{bare_number, number_below, tell_reasons, Lang};
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
    /// The reasons in English, as recorded.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The same reasons as facts, one per sentence of `reasons`, so they can
    /// be told in any language. Empty in assessments recorded before
    /// findings existed; their `reasons` are then all there is.
    #[serde(default)]
    pub findings: Vec<BatteryFinding>,
}

impl BatteryAssessment {
    /// State of health to one decimal, rounded down, for showing to people: a figure shown never
    /// reads as better than the one the verdict was taken on (84.96 shows as 84.9 beside
    /// `replace`, never 85.0, which passes on another device).
    pub fn soh_pct_display(&self) -> Option<f64> {
        self.soh_pct.map(soh_pct_shown)
    }

    /// The reasons in `lang`: told from the findings, or as recorded (in
    /// English) for an assessment that has none.
    pub fn reasons_in(&self, lang: Lang) -> Vec<String> {
        tell_reasons(&self.reasons, &self.findings, |finding| finding.text(lang))
    }
}

/// A state of health as people see it: the largest tenth (as the nearest `f64`) that is not
/// above `value`, so it never reads as better than its verdict. That is the nearest tenth, or one
/// tenth lower when the nearest is above `value`; taking the nearest first keeps a value that is
/// a tenth in all but its last bit (85.1 computed as 85.09999…) at that tenth.
pub fn soh_pct_shown(value: f64) -> f64 {
    let nearest = (value * 10.0).round();
    if nearest / 10.0 <= value {
        nearest / 10.0
    } else {
        (nearest - 1.0) / 10.0
    }
}

word_enum! {
    /// The unit of a capacity pair.
    CapacityUnit, "capacity unit" {
        Mah => "mAh",
        Mwh => "mWh",
    }
}

/// One thing the battery assessment found, with the numbers behind it: a
/// reason as data, told in a language by [`BatteryFinding::text`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum BatteryFinding {
    /// No battery; whether that fails depends on the kind of device.
    Missing {
        category: DeviceCategory,
        counts_as_failure: bool,
    },
    /// A capacity pair unusable because its design capacity is 0.
    ZeroDesignCapacity {
        unit: CapacityUnit,
    },
    /// The bench's own figure strays from the computed one, which is used.
    FiguresDisagree {
        reported_pct: f64,
        computed_pct: f64,
        full: u32,
        design: u32,
        unit: CapacityUnit,
    },
    /// Only the device's own figure was available.
    DeviceFigureOnly {
        reported_pct: f64,
    },
    /// Health at or above the channel's threshold.
    Healthy {
        soh_pct: f64,
        threshold_pct: f64,
    },
    /// Health below the threshold: replace the battery before sale.
    BelowThreshold {
        soh_pct: f64,
        threshold_pct: f64,
    },
    /// Health below the consumed mark: worn out.
    WornOut {
        soh_pct: f64,
        consumed_below_pct: f64,
    },
    /// Present, but neither capacities nor a health figure: check by hand.
    NoHealthFigures,
    /// More charge cycles than the family's mark (noted; not a verdict).
    CyclesAboveMark {
        cycles: u32,
        mark: CycleMark,
    },
    CyclesNotReported,
}

impl BatteryFinding {
    /// The finding as a sentence a customer could read, told from the
    /// catalogue (`battery-*`) with its figures written the way `lang` writes them.
    pub fn text(&self, lang: Lang) -> String {
        let pct = |value: f64| lang.percent(&one_decimal(value));
        let bare = |value: f64| lang.percent(&bare_number(value));
        let tell = |id: &str, args: &[(&str, &str)]| lang.catalogue().tell(id, args);
        match self {
            BatteryFinding::Missing {
                category,
                counts_as_failure: true,
            } => {
                let needing = capitalized(category.with_article_in(lang));
                tell("battery-missing-failure", &[("needing", &needing)])
            }
            BatteryFinding::Missing { category, .. } => tell(
                "battery-missing-normal",
                &[("category", category.with_article_in(lang))],
            ),
            BatteryFinding::ZeroDesignCapacity { unit } => tell(
                "battery-zero-design-capacity",
                &[("unit", &unit.to_string())],
            ),
            BatteryFinding::FiguresDisagree {
                reported_pct,
                computed_pct,
                full,
                design,
                unit,
            } => tell(
                "battery-figures-disagree",
                &[
                    ("reported", &pct(*reported_pct)),
                    ("computed", &pct(*computed_pct)),
                    ("full", &full.to_string()),
                    ("design", &design.to_string()),
                    ("unit", &unit.to_string()),
                    (
                        "difference",
                        &lang.decimal((computed_pct - reported_pct).abs(), 1),
                    ),
                ],
            ),
            BatteryFinding::DeviceFigureOnly { reported_pct } => tell(
                "battery-device-figure-only",
                &[("reported", &pct(*reported_pct))],
            ),
            BatteryFinding::Healthy {
                soh_pct,
                threshold_pct,
            } => tell(
                "battery-healthy",
                &[
                    ("health", &pct(*soh_pct)),
                    ("threshold", &bare(*threshold_pct)),
                ],
            ),
            BatteryFinding::BelowThreshold {
                soh_pct,
                threshold_pct,
            } => tell(
                "battery-below-threshold",
                &[
                    ("health", &shown_below(*soh_pct, *threshold_pct, lang)),
                    ("threshold", &bare(*threshold_pct)),
                ],
            ),
            BatteryFinding::WornOut {
                soh_pct,
                consumed_below_pct,
            } => tell(
                "battery-worn-out",
                &[
                    ("health", &shown_below(*soh_pct, *consumed_below_pct, lang)),
                    ("consumed", &bare(*consumed_below_pct)),
                ],
            ),
            BatteryFinding::NoHealthFigures => tell("battery-no-health-figures", &[]),
            BatteryFinding::CyclesAboveMark { cycles, mark } => tell(
                "battery-cycles-above-mark",
                &[
                    ("cycles", &cycles.to_string()),
                    ("limit", &mark.cycles.to_string()),
                    ("family", mark.label_in(lang)),
                ],
            ),
            BatteryFinding::CyclesNotReported => tell("battery-cycles-not-reported", &[]),
        }
    }
}

/// A state of health worked out from one capacity pair.
struct ComputedSoh {
    pct: f64,
    full: u32,
    design: u32,
    unit: CapacityUnit,
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
    let mut findings = Vec::new();

    if reading.present == Some(false) {
        findings.push(BatteryFinding::Missing {
            category: identity.category,
            counts_as_failure: absent_is_failure,
        });
        return BatteryAssessment {
            reading: reading.clone(),
            soh_pct: None,
            soh_source: None,
            reported_soh_pct: reading.soh_pct,
            verdict: BatteryVerdictKind::Absent,
            absent_is_failure,
            cycle_limit: None,
            reasons: english(&findings),
            findings,
        };
    }

    let computed = computed_soh(reading, &mut findings);
    let reported = reading.soh_pct.filter(|pct| pct.is_finite());

    let (soh_pct, soh_source) = match (&computed, reported) {
        (Some(computed), Some(reported)) => {
            if (computed.pct - reported).abs() > policy.disagreement_points {
                findings.push(BatteryFinding::FiguresDisagree {
                    reported_pct: reported,
                    computed_pct: computed.pct,
                    full: computed.full,
                    design: computed.design,
                    unit: computed.unit,
                });
            }
            (Some(computed.pct), Some(SohSource::Computed))
        }
        (Some(computed), None) => (Some(computed.pct), Some(SohSource::Computed)),
        (None, Some(reported)) => {
            findings.push(BatteryFinding::DeviceFigureOnly {
                reported_pct: reported,
            });
            (Some(reported), Some(SohSource::Device))
        }
        (None, None) => (None, None),
    };

    let verdict = match soh_pct {
        Some(pct) => {
            let verdict = verdict_for(pct, policy);
            findings.push(verdict_finding(pct, verdict, policy));
            verdict
        }
        None => {
            findings.push(BatteryFinding::NoHealthFigures);
            BatteryVerdictKind::Unknown
        }
    };

    let mark = limits.mark_for(identity);
    match reading.cycles {
        Some(cycles) if cycles > mark.cycles => findings.push(BatteryFinding::CyclesAboveMark {
            cycles,
            mark: mark.clone(),
        }),
        Some(_) => {}
        None => findings.push(BatteryFinding::CyclesNotReported),
    }

    BatteryAssessment {
        reading: reading.clone(),
        soh_pct,
        soh_source,
        reported_soh_pct: reading.soh_pct,
        verdict,
        absent_is_failure,
        cycle_limit: Some(mark.cycles),
        reasons: english(&findings),
        findings,
    }
}

fn english(findings: &[BatteryFinding]) -> Vec<String> {
    findings
        .iter()
        .map(|finding| finding.text(Lang::En))
        .collect()
}

/// Health from the mAh pair, else the mWh pair. A design capacity of zero
/// makes a pair unusable and is noted, since it means a misreading gauge.
fn computed_soh(
    reading: &BatteryReading,
    findings: &mut Vec<BatteryFinding>,
) -> Option<ComputedSoh> {
    let pairs = [
        (reading.full_mah, reading.design_mah, CapacityUnit::Mah),
        (reading.full_mwh, reading.design_mwh, CapacityUnit::Mwh),
    ];
    for (full, design, unit) in pairs {
        match (full, design) {
            (Some(_), Some(0)) => findings.push(BatteryFinding::ZeroDesignCapacity { unit }),
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

fn verdict_finding(
    soh_pct: f64,
    verdict: BatteryVerdictKind,
    policy: &BatteryPolicy,
) -> BatteryFinding {
    match verdict {
        BatteryVerdictKind::Pass => BatteryFinding::Healthy {
            soh_pct,
            threshold_pct: policy.soh_threshold_pct,
        },
        BatteryVerdictKind::Replace => BatteryFinding::BelowThreshold {
            soh_pct,
            threshold_pct: policy.soh_threshold_pct,
        },
        _ => BatteryFinding::WornOut {
            soh_pct,
            consumed_below_pct: policy.consumed_below_pct,
        },
    }
}

fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A value that is below `limit`, written with just enough decimals that it
/// also reads as below it: 84.96 must not be shown as "85.0% is below 85%".
fn shown_below(value: f64, limit: f64, lang: Lang) -> String {
    if let Some(shown) = number_below(value, limit) {
        return lang.percent(&shown);
    }
    let limit = lang.percent(&bare_number(limit));
    lang.catalogue()
        .tell("battery-just-under", &[("limit", &limit)])
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
            (8497, 10000, Replace, 84.9), // 84.97 is below: never shown as 85.0
            (2548, 2999, Replace, 84.9), // 84.9616…
            (8500, 10000, Pass, 85.0),
            (851, 1000, Pass, 85.1),
            (2400, 3000, Replace, 80.0), // exactly the consumed mark is still replaceable
            (7999, 10000, Consumed, 79.9), // 79.99 is consumed: never shown as 80.0
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

    /// Readings that between them make every kind of finding.
    fn readings_for_every_finding() -> Vec<(DeviceIdentity, BatteryReading)> {
        let laptop = DeviceIdentity::new(DeviceCategory::Laptop, "Acme", "Book 14");
        let desktop = DeviceIdentity::new(DeviceCategory::Desktop, "Acme", "Tower");
        let absent = BatteryReading {
            present: Some(false),
            ..BatteryReading::default()
        };
        vec![
            (laptop, absent.clone()),
            (desktop, absent),
            (
                phone("iPhone 12"),
                BatteryReading {
                    full_mwh: Some(8496),
                    design_mwh: Some(10000),
                    soh_pct: Some(91.0),
                    cycles: None,
                    ..mah(2549, 0)
                },
            ),
            (phone("iPhone 12"), mah(2000, 3000)),
            (
                phone("iPhone 12"),
                BatteryReading {
                    cycles: Some(612),
                    ..mah(2700, 3000)
                },
            ),
            (
                phone("iPhone 12"),
                BatteryReading {
                    present: Some(true),
                    soh_pct: Some(88.0),
                    ..BatteryReading::default()
                },
            ),
            (
                phone("iPhone 12"),
                BatteryReading {
                    present: Some(true),
                    ..BatteryReading::default()
                },
            ),
        ]
    }

    #[test]
    fn every_finding_is_told_in_french_and_in_english() {
        let mut kinds = std::collections::BTreeSet::new();
        for (identity, reading) in readings_for_every_finding() {
            let assessment = assess_battery(
                &reading,
                &identity,
                &BatteryPolicy::default(),
                CycleLimits::embedded(),
            );
            assert_eq!(assessment.findings.len(), assessment.reasons.len());
            assert_eq!(assessment.reasons_in(Lang::En), assessment.reasons);
            for (finding, english) in assessment.findings.iter().zip(&assessment.reasons) {
                let french = finding.text(Lang::Fr);
                assert_ne!(&french, english);
                // No number written the English way in the French sentence:
                // a decimal point, or a percent sign right after a digit.
                let pairs: Vec<(char, char)> = french.chars().zip(french.chars().skip(1)).collect();
                assert!(
                    !pairs.iter().any(|&(a, b)| (a == '.' && b.is_ascii_digit())
                        || (a.is_ascii_digit() && b == '%')),
                    "{french}"
                );
                let json = serde_json::to_value(finding).expect("serializes");
                kinds.insert(json["finding"].as_str().expect("tagged").to_owned());
            }
        }
        assert_eq!(
            kinds.len(),
            10,
            "every kind of finding is covered: {kinds:?}"
        );
    }

    #[test]
    fn french_reasons_write_numbers_the_french_way() {
        let assessment = assess(&mah(8496, 10000));
        let french = assessment.reasons_in(Lang::Fr);
        assert!(
            french.iter().any(|reason| reason
                .contains("84,96\u{202f}%, sous les 85\u{202f}% qu'exige ce canal de vente")),
            "{french:?}"
        );
        let cycles = assess_battery(
            &BatteryReading {
                cycles: Some(1200),
                ..mah(2700, 3000)
            },
            &phone("iPhone 16"),
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        assert!(
            cycles.reasons_in(Lang::Fr).iter().any(|reason| reason
                == "1200 cycles de charge, c'est au-delà du repère de 1000 cycles pour les iPhone 15 et suivants."),
            "{:?}",
            cycles.reasons_in(Lang::Fr)
        );
    }

    #[test]
    fn an_assessment_recorded_before_findings_keeps_its_english_reasons() {
        let mut recorded = serde_json::to_value(assess(&mah(2000, 3000))).expect("serializes");
        recorded
            .as_object_mut()
            .expect("an object")
            .remove("findings");
        let read: BatteryAssessment = serde_json::from_value(recorded).expect("still reads");
        assert!(read.findings.is_empty());
        assert_eq!(read.reasons_in(Lang::Fr), read.reasons);
        assert!(read.reasons[0].starts_with("Battery health is 66.7%"));
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
