//! The grade engine: a pure function of a policy and a device's inputs.
//!
//! Every rule whose conditions all hold fires; the most severe outcome, the
//! lowest grade cap and the worst functional level among the fired rules
//! win, starting from sellable, PREMIUM and fully functional. Rules counting
//! repairs (`repairs_at_least`) are evaluated after the others, since they
//! count them. Nothing here reads a clock, a file or a random number, so the
//! same inputs and the same policy always give the same grade.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write;

use refurbdesk_domain::{
    bare_number, number_below, BatteryAssessment, DeviceCategory, DeviceIdentity, Lang,
    LockAssessment, Texts,
};
use refurbdesk_i18n::{FluentArgs, FluentValue};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::checklist::{
    Answer, BenchTest, ChecklistError, ChecklistItem, ChecklistTemplate, Checklists,
    FilledChecklist, ItemState,
};
use crate::cosmetic::{zones_for, CosmeticLevel, Zone};
use crate::policy::{Conditions, Placeholder, Policy, Rule, Segment};
use crate::result::{
    BuybackGrade, CtiaCode, Functional, Grade, Inputs, ListingGrade, Outcome, Reason,
};

/// Everything a grade is decided from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeInput {
    pub identity: DeviceIdentity,
    pub battery: BatteryAssessment,
    pub lock: LockAssessment,
    /// The bench's test results from the intake.
    pub tests: Vec<BenchTest>,
    /// The technician's checklist answers, by item id.
    pub answers: BTreeMap<String, Answer>,
    /// The cosmetic level of each inspected zone.
    pub cosmetic: BTreeMap<Zone, CosmeticLevel>,
    /// Grade what is known even if manual items or zones are unanswered.
    pub partial: bool,
}

/// Inputs that cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GradeError {
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    #[error("{category}s have no {zone} zone to inspect; inspect {}", Lang::En.join(&.zones.iter().map(|z| z.as_str()).collect::<Vec<_>>()))]
    ZoneNotOnCategory {
        zone: Zone,
        category: DeviceCategory,
        zones: Vec<Zone>,
    },
    #[error("{}", incomplete_message(.items, .zones))]
    Incomplete {
        items: Vec<String>,
        zones: Vec<Zone>,
    },
}

fn incomplete_message(items: &[String], zones: &[Zone]) -> String {
    let mut parts = Vec::new();
    if !items.is_empty() {
        parts.push(format!(
            "these checklist items are not answered: {} (answer each pass, fail or na)",
            items.join(", ")
        ));
    }
    if !zones.is_empty() {
        parts.push(format!(
            "these zones are not inspected: {} (give each a level: flawless, micro, light, visible or cracked)",
            zones
                .iter()
                .map(|zone| zone.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    format!(
        "cannot grade yet: {}; answer them, or grade a partial result on purpose",
        parts.join("; ")
    )
}

/// One condition of one rule as evaluated, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionTrace {
    /// The condition as written: `soh_below = 85`.
    pub condition: String,
    /// The input it looked at: `soh_pct = 82.3`.
    pub input: String,
    pub held: bool,
}

/// One rule as evaluated, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTrace {
    pub rule: String,
    pub line: usize,
    pub fired: bool,
    pub conditions: Vec<ConditionTrace>,
    /// What it did, when it fired: `outcome = repair, grade_at_most = EXCELLENT`.
    pub effects: Option<String>,
}

/// Grades devices with one policy and one set of checklists, loaded once.
#[derive(Debug, Clone, Copy)]
pub struct Grader<'a> {
    policy: &'a Policy,
    checklists: &'a Checklists,
}

impl<'a> Grader<'a> {
    /// A grader with the shipped checklists.
    pub fn new(policy: &'a Policy) -> Grader<'a> {
        Grader {
            policy,
            checklists: Checklists::embedded(),
        }
    }

    pub fn with_checklists(policy: &'a Policy, checklists: &'a Checklists) -> Grader<'a> {
        Grader { policy, checklists }
    }

    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    /// The checklist template for a device category.
    pub fn template(&self, category: DeviceCategory) -> &'a ChecklistTemplate {
        self.checklists.for_category(category)
    }

    /// Grades one device.
    pub fn grade(&self, input: &GradeInput) -> Result<Grade, GradeError> {
        Ok(self.run(input, false)?.0)
    }

    /// Grades one device and traces every rule, fired or not.
    pub fn explain(&self, input: &GradeInput) -> Result<(Grade, Vec<RuleTrace>), GradeError> {
        self.run(input, true)
    }

    fn run(&self, input: &GradeInput, trace: bool) -> Result<(Grade, Vec<RuleTrace>), GradeError> {
        let category = input.identity.category;
        let template = self.checklists.for_category(category);
        let zones = zones_for(category);
        if let Some(zone) = input.cosmetic.keys().find(|zone| !zones.contains(zone)) {
            return Err(GradeError::ZoneNotOnCategory {
                zone: *zone,
                category,
                zones: zones.to_vec(),
            });
        }
        let checklist = template.fill(&input.tests, &input.answers)?;
        let unanswered_items: Vec<String> =
            checklist.unanswered(template).map(str::to_owned).collect();
        let uninspected_zones: Vec<Zone> = zones
            .iter()
            .copied()
            .filter(|zone| !input.cosmetic.contains_key(zone))
            .collect();
        let missing = !unanswered_items.is_empty() || !uninspected_zones.is_empty();
        if missing && !input.partial {
            return Err(GradeError::Incomplete {
                items: unanswered_items,
                zones: uninspected_zones,
            });
        }

        let mut facts = Facts::new(input, template, &checklist, missing);
        let mut fired: Vec<(usize, Reason)> = Vec::new();
        let mut traces: Vec<Option<RuleTrace>> =
            vec![None; if trace { self.policy.rules.len() } else { 0 }];
        let mut outcome = Outcome::Sellable;
        let mut grade = ListingGrade::Premium;
        let mut functional = Functional::Full;

        // Rules that count repairs go last, once the repairs are known.
        for counting in [false, true] {
            for (index, rule) in self.policy.rules.iter().enumerate() {
                if rule.when.repairs_at_least.is_some() != counting {
                    continue;
                }
                let holds = facts.holds(&rule.when);
                if trace {
                    traces[index] = Some(facts.trace(rule, holds));
                }
                if !holds {
                    continue;
                }
                if let Some(rule_outcome) = rule.outcome {
                    outcome = outcome.max(rule_outcome);
                    if rule_outcome == Outcome::Repair {
                        facts.repairs += 1;
                    }
                }
                if let Some(cap) = rule.grade_at_most {
                    grade = grade.max(cap);
                }
                if let Some(level) = rule.functional {
                    functional = functional.max(level);
                }
                fired.push((index, facts.reason(rule)));
            }
        }
        fired.sort_by_key(|(index, _)| *index);
        let mut reasons: Vec<Reason> = fired.into_iter().map(|(_, reason)| reason).collect();

        if missing {
            reasons.push(partial_reason(
                &unanswered_items,
                &uninspected_zones,
                template,
            ));
        }
        // A partial grade is an upper bound: it names the grade it cannot exceed and what is
        // still unchecked, never the grade's sentence (which asserts facts such as "original
        // parts" that nobody checked yet).
        reasons.push(Reason {
            rule: format!("grade.{}", grade.as_str().to_ascii_lowercase()),
            inputs: Inputs::from([(Cow::Borrowed("grade"), Cow::Borrowed(grade.as_str()))]),
            texts: if missing {
                at_best_texts(grade, &unanswered_items, &uninspected_zones, template)
            } else {
                self.policy.grade_reason(grade).clone()
            },
        });

        let worst = facts.worst.unwrap_or(CosmeticLevel::Flawless);
        let grade = Grade {
            outcome,
            grade,
            buyback_grade: buyback(functional, worst, self.policy),
            ctia: CtiaCode::new(functional, worst),
            functional,
            reasons,
            policy: self.policy.id.clone(),
            catalogue: Some(refurbdesk_i18n::version().to_owned()),
            partial: missing,
            unanswered_items,
            uninspected_zones,
            checklist: checklist.items,
        };
        Ok((grade, traces.into_iter().flatten().collect()))
    }
}

fn buyback(functional: Functional, worst: CosmeticLevel, policy: &Policy) -> BuybackGrade {
    let cracked = worst == CosmeticLevel::Cracked;
    if !functional.counts_as_functional() {
        return if cracked {
            BuybackGrade::NotFunctionalCracked
        } else {
            BuybackGrade::NotFunctionalUsed
        };
    }
    if cracked {
        BuybackGrade::FunctionalCracked
    } else if worst <= policy.buyback.flawless_at_most {
        BuybackGrade::FunctionalFlawless
    } else if worst <= policy.buyback.good_at_most {
        BuybackGrade::FunctionalGood
    } else {
        BuybackGrade::FunctionalUsed
    }
}

/// "At best PREMIUM (an upper bound): not yet checked: …", in every language.
fn at_best_texts(
    grade: ListingGrade,
    items: &[String],
    zones: &[Zone],
    template: &ChecklistTemplate,
) -> Texts {
    Lang::ALL
        .iter()
        .map(|&lang| {
            let missing = lang.join(&still_to_check(
                items.iter().map(String::as_str),
                zones.iter().copied(),
                template,
                lang,
            ));
            let told = lang.catalogue().tell(
                "grade-at-best",
                &[("grade", grade.as_str()), ("missing", &missing)],
            );
            (lang.as_str().to_owned(), told)
        })
        .collect()
}

fn partial_reason(items: &[String], zones: &[Zone], template: &ChecklistTemplate) -> Reason {
    let mut inputs = Inputs::new();
    if !items.is_empty() {
        inputs.insert(Cow::Borrowed("unanswered_items"), items.join(",").into());
    }
    if !zones.is_empty() {
        inputs.insert(
            Cow::Borrowed("uninspected_zones"),
            zones
                .iter()
                .map(|z| z.as_str())
                .collect::<Vec<_>>()
                .join(",")
                .into(),
        );
    }
    let missing = |lang: Lang| {
        lang.join(&still_to_check(
            items.iter().map(String::as_str),
            zones.iter().copied(),
            template,
            lang,
        ))
    };
    let count = items.len() + zones.len();
    let tell = |lang: Lang| {
        let mut args = FluentArgs::new();
        args.set("missing", missing(lang));
        args.set("count", FluentValue::from(count));
        lang.catalogue().tell_args("grade-partial", &args)
    };
    Reason {
        rule: "input.partial".to_owned(),
        inputs,
        texts: Lang::ALL
            .iter()
            .map(|lang| (lang.as_str().to_owned(), tell(*lang)))
            .collect(),
    }
}

/// The unanswered items (by label) and the zones not inspected, as a
/// sentence names them.
fn still_to_check<'t>(
    items: impl Iterator<Item = &'t str>,
    zones: impl Iterator<Item = Zone>,
    template: &ChecklistTemplate,
    lang: Lang,
) -> Vec<String> {
    let mut missing: Vec<String> = items
        .map(|id| {
            template
                .item(id)
                .map_or(id.to_owned(), |item| item.label_in(lang).to_owned())
        })
        .collect();
    missing.extend(zones.map(|zone| zone.to_inspect_in(lang)));
    missing
}

/// The inputs reduced to what conditions look at, computed once per grade.
struct Facts<'i> {
    input: &'i GradeInput,
    template: &'i ChecklistTemplate,
    checklist: &'i FilledChecklist,
    soh: Option<f64>,
    cycles_above_mark: bool,
    screen: Option<CosmeticLevel>,
    body: Option<CosmeticLevel>,
    worst: Option<CosmeticLevel>,
    /// The template items that failed (usually none or a few), by index.
    failed: Vec<&'i ChecklistItem>,
    unanswered: bool,
    repairs: u32,
}

impl<'i> Facts<'i> {
    fn new(
        input: &'i GradeInput,
        template: &'i ChecklistTemplate,
        checklist: &'i FilledChecklist,
        unanswered: bool,
    ) -> Facts<'i> {
        let screen = input.cosmetic.get(&Zone::Screen).copied();
        let body = input
            .cosmetic
            .iter()
            .filter(|(zone, _)| **zone != Zone::Screen)
            .map(|(_, level)| *level)
            .max();
        let battery = &input.battery;
        Facts {
            input,
            template,
            checklist,
            // SQLite and JSON have no NaN: a non-finite figure is no figure.
            soh: battery.soh_pct.filter(|soh| soh.is_finite()),
            cycles_above_mark: match (battery.reading.cycles, battery.cycle_limit) {
                (Some(cycles), Some(limit)) => cycles > limit,
                _ => false,
            },
            screen,
            body,
            worst: screen.max(body),
            failed: checklist
                .items
                .iter()
                .zip(template.items())
                .filter(|(result, _)| result.state == ItemState::Fail)
                .map(|(_, item)| item)
                .collect(),
            unanswered,
            repairs: 0,
        }
    }

    /// Whether a failed item matches a rule's item or group conditions.
    fn matches_failure(when: &Conditions, item: &ChecklistItem) -> bool {
        when.item_failed
            .as_ref()
            .is_some_and(|ids| ids.iter().any(|id| **id == *item.id))
            || when
                .group_failed
                .as_ref()
                .is_some_and(|groups| groups.contains(&item.group))
    }

    /// The failed items a rule's item conditions match, in template order.
    fn matched_failures(&self, when: &Conditions) -> Vec<&'i ChecklistItem> {
        self.failed
            .iter()
            .copied()
            .filter(|item| Self::matches_failure(when, item))
            .collect()
    }

    /// The zones whose level meets the rule's cosmetic conditions.
    fn matched_zones(&self, when: &Conditions) -> Vec<(Zone, CosmeticLevel)> {
        self.input
            .cosmetic
            .iter()
            .filter(|(zone, level)| {
                let screen = **zone == Zone::Screen;
                when.any_zone_at_least.is_some_and(|min| **level >= min)
                    || (screen && when.screen_at_least.is_some_and(|min| **level >= min))
                    || (!screen && when.body_at_least.is_some_and(|min| **level >= min))
            })
            .map(|(zone, level)| (*zone, *level))
            .collect()
    }

    fn holds(&self, when: &Conditions) -> bool {
        let input = self.input;
        let at_least = |level: Option<CosmeticLevel>, min: Option<CosmeticLevel>| match min {
            None => true,
            Some(min) => level.is_some_and(|level| level >= min),
        };
        when.category
            .as_ref()
            .is_none_or(|list| list.contains(&input.identity.category))
            && when
                .lock
                .as_ref()
                .is_none_or(|list| list.contains(&input.lock.verdict))
            && when
                .carrier
                .as_ref()
                .is_none_or(|list| list.contains(&input.lock.reading.carrier))
            && when
                .battery
                .as_ref()
                .is_none_or(|list| list.contains(&input.battery.verdict))
            && when
                .battery_required
                .is_none_or(|required| required == input.identity.category.needs_battery())
            && when
                .soh_below
                .is_none_or(|limit| self.soh.is_some_and(|soh| soh < limit))
            && when
                .imei_valid
                .is_none_or(|valid| input.identity.imei_valid == Some(valid))
            && when
                .cycles_above_mark
                .is_none_or(|above| above == self.cycles_above_mark)
            && at_least(self.screen, when.screen_at_least)
            && at_least(self.body, when.body_at_least)
            && at_least(self.worst, when.any_zone_at_least)
            && self.items_hold(when)
            && when
                .unanswered
                .is_none_or(|unanswered| unanswered == self.unanswered)
            && when
                .repairs_at_least
                .is_none_or(|needed| self.repairs >= needed)
    }

    /// Item and group conditions: each one set must match a failed item.
    fn items_hold(&self, when: &Conditions) -> bool {
        let ids_ok = when.item_failed.as_ref().is_none_or(|ids| {
            self.failed
                .iter()
                .any(|item| ids.iter().any(|id| **id == *item.id))
        });
        let groups_ok = when
            .group_failed
            .as_ref()
            .is_none_or(|groups| self.failed.iter().any(|item| groups.contains(&item.group)));
        ids_ok && groups_ok
    }

    /// The inputs a rule looked at and its sentence, for a rule that fired.
    /// Names and words are borrowed, not copied: a fired rule costs only
    /// its sentence and the few numbers it quotes.
    fn reason(&self, rule: &Rule) -> Reason {
        let when = &rule.when;
        let input = self.input;
        let mut inputs = Inputs::new();
        let mut put = |name: &'static str, value: Cow<'static, str>| {
            inputs.insert(Cow::Borrowed(name), value);
        };
        if when.category.is_some() {
            put("category", input.identity.category.as_str().into());
        }
        if when.lock.is_some() {
            put("lock", input.lock.verdict.as_str().into());
        }
        if when.carrier.is_some() {
            put("carrier", input.lock.reading.carrier.as_str().into());
        }
        if when.battery.is_some() || when.battery_required.is_some() {
            put("battery", input.battery.verdict.as_str().into());
        }
        if when.battery_required.is_some() {
            put(
                "battery_required",
                word_of(input.identity.category.needs_battery()),
            );
        }
        if when.soh_below.is_some() {
            put(
                "soh_pct",
                self.soh
                    .map_or(Cow::Borrowed("unknown"), |soh| soh.to_string().into()),
            );
        }
        if when.imei_valid.is_some() {
            put(
                "imei_valid",
                input
                    .identity
                    .imei_valid
                    .map_or(Cow::Borrowed("unknown"), word_of),
            );
        }
        if when.cycles_above_mark.is_some() {
            put(
                "cycles",
                optional_number(input.battery.reading.cycles, Lang::En).into(),
            );
            put(
                "cycle_limit",
                optional_number(input.battery.cycle_limit, Lang::En).into(),
            );
        }
        let zones = if when.screen_at_least.is_some()
            || when.body_at_least.is_some()
            || when.any_zone_at_least.is_some()
        {
            self.matched_zones(when)
        } else {
            Vec::new()
        };
        for (zone, level) in &zones {
            put(zone_key(*zone), level.as_str().into());
        }
        let failures = if when.item_failed.is_some() || when.group_failed.is_some() {
            let matched = self.matched_failures(when);
            let mut ids = String::new();
            for (index, item) in matched.iter().enumerate() {
                if index > 0 {
                    ids.push(',');
                }
                ids.push_str(&item.id);
            }
            put("failed", ids.into());
            matched
        } else {
            Vec::new()
        };
        if when.unanswered.is_some() {
            put("unanswered", word_of(self.unanswered));
        }
        if when.repairs_at_least.is_some() {
            put("repairs", self.repairs.to_string().into());
        }

        let mut texts = Texts::new();
        let mut put_text = |lang: Lang, text: String| {
            texts.insert(lang.as_str().to_owned(), text);
        };
        match (&rule.message_segments, &rule.reason_id) {
            (Some(compiled), _) => {
                for (lang, segments) in compiled {
                    put_text(*lang, self.tell(segments, rule, &zones, &failures, *lang));
                }
            }
            (None, Some(id)) => {
                for lang in Lang::ALL {
                    put_text(lang, self.tell_message(id, rule, &zones, &failures, lang));
                }
            }
            (None, None) => {
                put_text(
                    Lang::En,
                    self.tell(&rule.segments, rule, &zones, &failures, Lang::En),
                );
                for lang in Lang::ALL {
                    if let Some(segments) = rule.written_segments.get(lang.as_str()) {
                        put_text(lang, self.tell(segments, rule, &zones, &failures, lang));
                    }
                }
            }
        }
        Reason {
            rule: rule.id.clone(),
            inputs,
            texts,
        }
    }

    /// A reason's catalogue message told in `lang`, each placeholder it uses
    /// given as an argument.
    fn tell_message(
        &self,
        id: &str,
        rule: &Rule,
        zones: &[(Zone, CosmeticLevel)],
        failures: &[&ChecklistItem],
        lang: Lang,
    ) -> String {
        let values: Vec<(&str, String)> = rule
            .message_slots
            .iter()
            .map(|slot| {
                let mut value = String::new();
                self.fill(&mut value, *slot, rule, zones, failures, lang);
                (slot.as_str(), value)
            })
            .collect();
        let args: Vec<(&str, &str)> = values
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        lang.catalogue().tell(id, &args)
    }

    /// A reason's sentence with its placeholders filled in `lang`.
    fn tell(
        &self,
        segments: &[Segment],
        rule: &Rule,
        zones: &[(Zone, CosmeticLevel)],
        failures: &[&ChecklistItem],
        lang: Lang,
    ) -> String {
        let written: usize = segments
            .iter()
            .map(|segment| match segment {
                Segment::Text(piece) => piece.len(),
                Segment::Slot(_) => 24,
            })
            .sum();
        let mut text = String::with_capacity(written);
        for segment in segments {
            match segment {
                Segment::Text(piece) => text.push_str(piece),
                Segment::Slot(slot) => self.fill(&mut text, *slot, rule, zones, failures, lang),
            }
        }
        text
    }

    /// Writes what a placeholder stands for, in `lang`, at the end of `out`.
    fn fill(
        &self,
        out: &mut String,
        slot: Placeholder,
        rule: &Rule,
        zones: &[(Zone, CosmeticLevel)],
        failures: &[&ChecklistItem],
        lang: Lang,
    ) {
        let input = self.input;
        match slot {
            Placeholder::Soh => match (self.soh, rule.when.soh_below) {
                (Some(soh), Some(limit)) if soh < limit => match number_below(soh, limit) {
                    Some(shown) => out.push_str(&lang.number_text(&shown)),
                    None => {
                        let limit = lang.number_text(&bare_number(limit));
                        out.push_str(
                            &lang
                                .catalogue()
                                .tell("battery-just-under", &[("limit", &limit)]),
                        );
                    }
                },
                (Some(soh), _) => out.push_str(&lang.decimal(soh, 1)),
                (None, _) => out.push_str(lang.unknown()),
            },
            Placeholder::Threshold => {
                if let Some(limit) = rule.when.soh_below {
                    out.push_str(&lang.number_text(&bare_number(limit)));
                }
            }
            Placeholder::Failed => {
                lang.push_list(out, failures.iter().map(|item| item.label_in(lang)));
            }
            Placeholder::Zones => {
                lang.push_list(out, zones.iter().map(|(zone, _)| zone.name_in(lang)))
            }
            Placeholder::Level => {
                if let Some(level) = zones.iter().map(|(_, level)| *level).max() {
                    out.push_str(level.describe_in(lang));
                }
            }
            Placeholder::Unanswered => {
                let zones = zones_for(input.identity.category)
                    .iter()
                    .copied()
                    .filter(|zone| !input.cosmetic.contains_key(zone));
                let missing = still_to_check(
                    self.checklist.unanswered(self.template),
                    zones,
                    self.template,
                    lang,
                );
                out.push_str(&lang.join(&missing));
            }
            Placeholder::Repairs => {
                let _ = write!(out, "{}", self.repairs);
            }
            Placeholder::Cycles => {
                out.push_str(&optional_number(input.battery.reading.cycles, lang))
            }
            Placeholder::CycleLimit => {
                out.push_str(&optional_number(input.battery.cycle_limit, lang))
            }
            Placeholder::Category => out.push_str(input.identity.category.noun_in(lang)),
            Placeholder::Device => {
                let _ = write!(out, "{} {}", input.identity.make, input.identity.model);
            }
        }
    }

    /// Every condition of a rule with the input it saw, for `--explain`.
    fn trace(&self, rule: &Rule, fired: bool) -> RuleTrace {
        let when = &rule.when;
        let input = self.input;
        let mut conditions = Vec::new();
        let mut add = |condition: String, seen: String, held: bool| {
            conditions.push(ConditionTrace {
                condition,
                input: seen,
                held,
            });
        };
        let list = |values: Vec<String>| {
            if values.len() == 1 {
                values[0].clone()
            } else {
                format!("[{}]", values.join(", "))
            }
        };
        let level = |level: Option<CosmeticLevel>| {
            level.map_or("not inspected".to_owned(), |l| l.to_string())
        };
        if let Some(categories) = &when.category {
            add(
                format!(
                    "category = {}",
                    list(categories.iter().map(|c| c.to_string()).collect())
                ),
                format!("category = {}", input.identity.category),
                categories.contains(&input.identity.category),
            );
        }
        if let Some(verdicts) = &when.lock {
            add(
                format!(
                    "lock = {}",
                    list(verdicts.iter().map(|v| v.to_string()).collect())
                ),
                format!("lock = {}", input.lock.verdict),
                verdicts.contains(&input.lock.verdict),
            );
        }
        if let Some(states) = &when.carrier {
            add(
                format!(
                    "carrier = {}",
                    list(states.iter().map(|v| v.to_string()).collect())
                ),
                format!("carrier = {}", input.lock.reading.carrier),
                states.contains(&input.lock.reading.carrier),
            );
        }
        if let Some(verdicts) = &when.battery {
            add(
                format!(
                    "battery = {}",
                    list(verdicts.iter().map(|v| v.to_string()).collect())
                ),
                format!("battery = {}", input.battery.verdict),
                verdicts.contains(&input.battery.verdict),
            );
        }
        if let Some(required) = when.battery_required {
            let needs = input.identity.category.needs_battery();
            add(
                format!("battery_required = {required}"),
                format!(
                    "a {} {} a battery",
                    input.identity.category,
                    if needs { "needs" } else { "does not need" }
                ),
                required == needs,
            );
        }
        if let Some(limit) = when.soh_below {
            add(
                format!("soh_below = {}", bare_number(limit)),
                format!(
                    "soh_pct = {}",
                    self.soh.map_or("unknown".to_owned(), |soh| soh.to_string())
                ),
                self.soh.is_some_and(|soh| soh < limit),
            );
        }
        if let Some(valid) = when.imei_valid {
            add(
                format!("imei_valid = {valid}"),
                format!(
                    "imei_valid = {}",
                    input
                        .identity
                        .imei_valid
                        .map_or("unknown".to_owned(), |v| v.to_string())
                ),
                input.identity.imei_valid == Some(valid),
            );
        }
        if let Some(above) = when.cycles_above_mark {
            add(
                format!("cycles_above_mark = {above}"),
                format!(
                    "cycles = {}, mark = {}",
                    optional_number(input.battery.reading.cycles, Lang::En),
                    optional_number(input.battery.cycle_limit, Lang::En)
                ),
                above == self.cycles_above_mark,
            );
        }
        for (name, min, seen) in [
            ("screen_at_least", when.screen_at_least, self.screen),
            ("body_at_least", when.body_at_least, self.body),
            ("any_zone_at_least", when.any_zone_at_least, self.worst),
        ] {
            if let Some(min) = min {
                let label = match name {
                    "screen_at_least" => "screen",
                    "body_at_least" => "worst body zone",
                    _ => "worst zone",
                };
                add(
                    format!("{name} = {min}"),
                    format!("{label} = {}", level(seen)),
                    seen.is_some_and(|seen| seen >= min),
                );
            }
        }
        if when.item_failed.is_some() || when.group_failed.is_some() {
            let mut condition = Vec::new();
            if let Some(ids) = &when.item_failed {
                condition.push(format!("item_failed = {}", list(ids.clone())));
            }
            if let Some(groups) = &when.group_failed {
                condition.push(format!(
                    "group_failed = {}",
                    list(groups.iter().map(|g| g.to_string()).collect())
                ));
            }
            let failed: Vec<&str> = self
                .checklist
                .items
                .iter()
                .filter(|item| item.state == ItemState::Fail)
                .map(|item| &*item.id)
                .collect();
            add(
                condition.join(", "),
                if failed.is_empty() {
                    "no item failed".to_owned()
                } else {
                    format!("failed: {}", failed.join(", "))
                },
                self.items_hold(when),
            );
        }
        if let Some(unanswered) = when.unanswered {
            add(
                format!("unanswered = {unanswered}"),
                format!("unanswered = {}", self.unanswered),
                unanswered == self.unanswered,
            );
        }
        if let Some(needed) = when.repairs_at_least {
            add(
                format!("repairs_at_least = {needed}"),
                format!("repairs = {}", self.repairs),
                self.repairs >= needed,
            );
        }
        let effects = fired.then(|| {
            let mut effects = Vec::new();
            if let Some(outcome) = rule.outcome {
                effects.push(format!("outcome = {outcome}"));
            }
            if let Some(cap) = rule.grade_at_most {
                effects.push(format!("grade_at_most = {cap}"));
            }
            if let Some(functional) = rule.functional {
                effects.push(format!("functional = {functional}"));
            }
            if effects.is_empty() {
                "note only".to_owned()
            } else {
                effects.join(", ")
            }
        });
        RuleTrace {
            rule: rule.id.clone(),
            line: rule.line,
            fired,
            conditions,
            effects,
        }
    }
}

fn word_of(value: bool) -> Cow<'static, str> {
    Cow::Borrowed(if value { "true" } else { "false" })
}

/// The input name a zone's level is reported under.
fn zone_key(zone: Zone) -> &'static str {
    match zone {
        Zone::Screen => "zone.screen",
        Zone::Back => "zone.back",
        Zone::Frame => "zone.frame",
        Zone::Lid => "zone.lid",
        Zone::Deck => "zone.deck",
        Zone::Keyboard => "zone.keyboard",
        Zone::Bottom => "zone.bottom",
        Zone::Housing => "zone.housing",
        Zone::Stand => "zone.stand",
    }
}

fn optional_number(value: Option<u32>, lang: Lang) -> String {
    value.map_or(lang.unknown().to_owned(), |value| value.to_string())
}
