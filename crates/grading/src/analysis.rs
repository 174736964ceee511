//! What `policy check` finds beyond bad keys and values: rules that can
//! never fire, and rules that contradict each other.
//!
//! Two rules contradict each other when one always fires whenever the other
//! does (its conditions are implied) yet says something milder: a looser
//! grade cap, a less severe outcome or a better functional level. Since the
//! strictest word wins, the milder rule can never take effect, which is
//! almost always a mistake in the file. The implication test is sound but
//! not complete: it only says "implies" when it is sure.

use refurbdesk_domain::{BatteryVerdictKind, DeviceCategory};

use crate::checklist::{Checklists, ItemGroup};
use crate::cosmetic::{zones_for, Zone};
use crate::policy::{Conditions, Placeholder, Policy, Rule, Segment};
use crate::result::Outcome;

/// Every finding, as (index of the rule it is about, message).
pub(crate) fn analyse(policy: &Policy, checklists: &Checklists) -> Vec<(usize, String)> {
    let mut findings = Vec::new();
    for (index, rule) in policy.rules.iter().enumerate() {
        for message in never_fires(rule, policy, checklists) {
            findings.push((index, message));
        }
        for message in placeholder_problems(rule) {
            findings.push((index, message));
        }
        if rule.when.repairs_at_least.is_some() && rule.outcome == Some(Outcome::Repair) {
            findings.push((
                index,
                format!(
                    "rule `{}` counts repairs and also asks for one, so it would count itself; give it another outcome (recycle)",
                    rule.id
                ),
            ));
        }
    }
    for (b_index, b) in policy.rules.iter().enumerate() {
        for (a_index, a) in policy.rules.iter().enumerate() {
            if a_index == b_index || !implies(&b.when, &a.when, checklists) {
                continue;
            }
            let equivalent = implies(&a.when, &b.when, checklists);
            if equivalent && a_index < b_index && same_effects(a, b) {
                findings.push((
                    b_index,
                    format!(
                        "rule `{}` has the same conditions and effects as rule `{}` (line {}); remove one of them",
                        b.id, a.id, a.line
                    ),
                ));
                continue;
            }
            for message in milder_effects(b, a) {
                findings.push((b_index, message));
            }
        }
    }
    findings
}

fn same_effects(a: &Rule, b: &Rule) -> bool {
    a.outcome == b.outcome && a.grade_at_most == b.grade_at_most && a.functional == b.functional
}

/// Where `b` (which implies `a`) says something milder than `a`.
fn milder_effects(b: &Rule, a: &Rule) -> Vec<String> {
    let mut messages = Vec::new();
    let intro = |what: String, stricter: String| {
        format!(
            "rule `{}` {what}, but whenever it fires rule `{}` (line {}) fires too and {stricter}; \
             the two contradict each other and `{}` can never take effect",
            b.id, a.id, a.line, b.id
        )
    };
    if let (Some(mild), Some(strict)) = (b.grade_at_most, a.grade_at_most) {
        if mild < strict {
            messages.push(intro(
                format!("caps the grade at {mild}"),
                format!("caps it lower, at {strict}"),
            ));
        }
    }
    if let (Some(mild), Some(strict)) = (b.outcome, a.outcome) {
        if mild < strict {
            messages.push(intro(
                format!("sets the outcome {mild}"),
                format!("sets the more severe {strict}"),
            ));
        }
    }
    if let (Some(mild), Some(strict)) = (b.functional, a.functional) {
        if mild < strict {
            messages.push(intro(
                format!("sets functional = {mild}"),
                format!("sets the worse {strict}"),
            ));
        }
    }
    messages
}

/// The categories a rule can apply to.
fn categories(when: &Conditions) -> Vec<DeviceCategory> {
    match &when.category {
        Some(list) => list.clone(),
        None => DeviceCategory::ALL.to_vec(),
    }
}

fn never_fires(rule: &Rule, policy: &Policy, checklists: &Checklists) -> Vec<String> {
    let when = &rule.when;
    let cats = categories(when);
    let cat_words = || {
        cats.iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut messages = Vec::new();
    let mut never = |why: String| {
        messages.push(format!("rule `{}` can never fire: {why}", rule.id));
    };

    if when.screen_at_least.is_some() && !cats.iter().any(|c| zones_for(*c).contains(&Zone::Screen))
    {
        never(format!(
            "it needs a screen zone, and none of its categories ({}) has one",
            cat_words()
        ));
    }
    if let Some(required) = when.battery_required {
        if !cats.iter().any(|c| c.needs_battery() == required) {
            never(format!(
                "battery_required = {required}, but {} every one of its categories ({})",
                if required {
                    "no battery is required for"
                } else {
                    "a battery is required for"
                },
                cat_words()
            ));
        }
    }
    if when.soh_below.is_some() {
        if let Some(verdicts) = &when.battery {
            let measured = [
                BatteryVerdictKind::Pass,
                BatteryVerdictKind::Replace,
                BatteryVerdictKind::Consumed,
            ];
            if !verdicts.iter().any(|v| measured.contains(v)) {
                never(
                    "soh_below needs a measured battery health, and the battery verdicts it allows (absent, unknown) have none"
                        .to_owned(),
                );
            }
        }
    }
    if let Some(items) = &when.item_failed {
        let on_its_checklists = items.iter().any(|id| {
            cats.iter()
                .any(|c| checklists.for_category(*c).item(id).is_some())
        });
        if !on_its_checklists {
            never(format!(
                "none of the items it names ({}) is on the checklist of its categories ({})",
                items.join(", "),
                cat_words()
            ));
        }
    }
    if let Some(groups) = &when.group_failed {
        let has_items = groups.iter().any(|group| {
            cats.iter().any(|c| {
                checklists
                    .for_category(*c)
                    .items()
                    .iter()
                    .any(|item| item.group == *group)
            })
        });
        if !has_items {
            never(format!(
                "no checklist of its categories ({}) has items in the groups it names ({})",
                cat_words(),
                groups
                    .iter()
                    .map(|g| g.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if let Some(needed) = when.repairs_at_least {
        let available = policy
            .rules
            .iter()
            .filter(|other| other.id != rule.id && other.outcome == Some(Outcome::Repair))
            .count();
        if available < needed as usize {
            never(format!(
                "it needs {needed} repairs, but the policy has only {available} rule{} that ask{} for one",
                if available == 1 { "" } else { "s" },
                if available == 1 { "s" } else { "" }
            ));
        }
    }
    messages
}

/// Placeholders that would have nothing to say for this rule.
fn placeholder_problems(rule: &Rule) -> Vec<String> {
    let when = &rule.when;
    let mut messages = Vec::new();
    let slots = |segments: &'_ [Segment]| {
        segments
            .iter()
            .filter_map(|segment| match segment {
                Segment::Slot(slot) => Some(*slot),
                Segment::Text(_) => None,
            })
            .collect::<Vec<_>>()
    };
    let english = slots(&rule.segments)
        .into_iter()
        .map(|slot| ("reason", slot));
    // Sentences written in the policy in other languages (an older policy's `reason_fr`).
    let written = rule
        .written_segments
        .values()
        .flat_map(|segments| slots(segments))
        .map(|slot| ("reason_fr", slot));
    let message = rule
        .message_slots
        .iter()
        .map(|slot| ("reason_id message", *slot));
    for (key, slot) in english.chain(written).chain(message) {
        let (supported, needs) = match slot {
            Placeholder::Threshold => (when.soh_below.is_some(), "a soh_below condition"),
            Placeholder::Failed => (
                when.item_failed.is_some() || when.group_failed.is_some(),
                "an item_failed or group_failed condition",
            ),
            Placeholder::Zones | Placeholder::Level => (
                when.screen_at_least.is_some()
                    || when.body_at_least.is_some()
                    || when.any_zone_at_least.is_some(),
                "a screen_at_least, body_at_least or any_zone_at_least condition",
            ),
            Placeholder::Unanswered => (when.unanswered == Some(true), "unanswered = true"),
            Placeholder::Repairs => (
                when.repairs_at_least.is_some(),
                "a repairs_at_least condition",
            ),
            Placeholder::Soh
            | Placeholder::Cycles
            | Placeholder::CycleLimit
            | Placeholder::Category
            | Placeholder::Device => (true, ""),
        };
        if !supported {
            messages.push(format!(
                "rule `{}` uses {{{slot}}} in its {key}, which needs {needs} to have something to say; add the condition or remove the placeholder",
                rule.id
            ));
        }
    }
    messages
}

/// Whether every input that satisfies `b` also satisfies `a`.
pub(crate) fn implies(b: &Conditions, a: &Conditions, checklists: &Checklists) -> bool {
    fn subset<T: PartialEq + Clone>(b: &Option<Vec<T>>, a: &Option<Vec<T>>, all: &[T]) -> bool {
        match a {
            None => true,
            Some(a_list) => {
                let b_list = b.clone().unwrap_or_else(|| all.to_vec());
                b_list.iter().all(|value| a_list.contains(value))
            }
        }
    }
    fn same<T: PartialEq>(b: &Option<T>, a: &Option<T>) -> bool {
        a.is_none() || a == b
    }
    fn at_least<T: PartialOrd>(b: &Option<T>, a: &Option<T>) -> bool {
        match (a, b) {
            (None, _) => true,
            (Some(a), Some(b)) => b >= a,
            (Some(_), None) => false,
        }
    }

    let categories_ok = subset(&b.category, &a.category, DeviceCategory::ALL);
    let lock_ok = subset(&b.lock, &a.lock, refurbdesk_domain::LockVerdictKind::ALL);
    let carrier_ok = subset(&b.carrier, &a.carrier, refurbdesk_domain::CarrierLock::ALL);
    let battery_ok = subset(&b.battery, &a.battery, BatteryVerdictKind::ALL);
    let soh_ok = match (a.soh_below, b.soh_below) {
        (None, _) => true,
        (Some(a), Some(b)) => b <= a,
        (Some(_), None) => false,
    };
    let any_zone_ok = match a.any_zone_at_least {
        None => true,
        Some(level) => [b.any_zone_at_least, b.screen_at_least, b.body_at_least]
            .into_iter()
            .flatten()
            .any(|b_level| b_level >= level),
    };
    let items_ok = match (&a.item_failed, &a.group_failed) {
        (None, None) => true,
        (a_items, a_groups) => {
            let by_items = b.item_failed.as_ref().is_some_and(|b_items| {
                b_items.iter().all(|id| {
                    a_items.as_ref().is_some_and(|list| list.contains(id))
                        || a_groups.as_ref().is_some_and(|groups| {
                            checklists
                                .group_of(id)
                                .is_some_and(|group| groups.contains(&group))
                        })
                })
            });
            let by_groups = b.group_failed.as_ref().is_some_and(|b_groups| {
                a_groups
                    .as_ref()
                    .is_some_and(|groups| b_groups.iter().all(|g: &ItemGroup| groups.contains(g)))
            });
            // Both set on `a` means both must hold; only sure when `b` pins each.
            match (a_items, a_groups) {
                (Some(_), Some(_)) => false,
                _ => by_items || by_groups,
            }
        }
    };
    categories_ok
        && lock_ok
        && carrier_ok
        && battery_ok
        && same(&b.battery_required, &a.battery_required)
        && soh_ok
        && same(&b.imei_valid, &a.imei_valid)
        && same(&b.cycles_above_mark, &a.cycles_above_mark)
        && at_least(&b.screen_at_least, &a.screen_at_least)
        && at_least(&b.body_at_least, &a.body_at_least)
        && any_zone_ok
        && items_ok
        && same(&b.unanswered, &a.unanswered)
        && at_least(&b.repairs_at_least, &a.repairs_at_least)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cosmetic::CosmeticLevel;

    fn implies_default(b: &Conditions, a: &Conditions) -> bool {
        implies(b, a, Checklists::embedded())
    }

    #[test]
    fn a_worse_zone_implies_a_milder_condition_on_it() {
        let screen_light = Conditions {
            screen_at_least: Some(CosmeticLevel::Light),
            ..Conditions::default()
        };
        let screen_micro = Conditions {
            screen_at_least: Some(CosmeticLevel::Micro),
            ..Conditions::default()
        };
        let any_micro = Conditions {
            any_zone_at_least: Some(CosmeticLevel::Micro),
            ..Conditions::default()
        };
        assert!(implies_default(&screen_light, &screen_micro));
        assert!(!implies_default(&screen_micro, &screen_light));
        assert!(implies_default(&screen_light, &any_micro));
        assert!(!implies_default(&any_micro, &screen_light));
    }

    #[test]
    fn narrower_lists_and_lower_thresholds_imply_broader_ones() {
        let phones_below_80 = Conditions {
            category: Some(vec![DeviceCategory::Phone]),
            soh_below: Some(80.0),
            ..Conditions::default()
        };
        let below_85 = Conditions {
            soh_below: Some(85.0),
            ..Conditions::default()
        };
        assert!(implies_default(&phones_below_80, &below_85));
        assert!(!implies_default(&below_85, &phones_below_80));
        assert!(implies_default(&below_85, &Conditions::default()));
    }

    #[test]
    fn an_item_implies_its_group() {
        let camera = Conditions {
            item_failed: Some(vec!["camera_rear".into()]),
            ..Conditions::default()
        };
        let functional = Conditions {
            group_failed: Some(vec![ItemGroup::Functional]),
            ..Conditions::default()
        };
        let parts = Conditions {
            group_failed: Some(vec![ItemGroup::Parts]),
            ..Conditions::default()
        };
        assert!(implies_default(&camera, &functional));
        assert!(!implies_default(&camera, &parts));
        assert!(!implies_default(&functional, &camera));
    }
}
