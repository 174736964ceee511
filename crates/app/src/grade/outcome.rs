//! What grading returns: the grade as `refurbdesk grade --json` prints it, the device it is
//! about, and the earlier grade whose answers were carried over.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{DeviceCategory, Lang};
use refurbdesk_grading::{
    Answer, BuybackGrade, CtiaCode, Functional, Grade, ItemResult, ListingGrade, Outcome, Reason,
    RuleTrace, Zone,
};
use refurbdesk_store::{DeviceRecord, GradeRecord, IntakeRecord};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::policy::PolicyRef;

/// A recorded grade: what `refurbdesk grade` prints, and more for the window.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GradeOutcome {
    /// The grade, where it was recorded and what it was graded from (`grade --json`).
    pub report: GradeReport,
    /// The device graded and when its graded intake started.
    pub device: GradedDevice,
    /// The earlier grade of the same intake whose answers were carried over.
    pub carried_over: Option<CarriedOver>,
}

/// The grade, where it was recorded, and what it was graded from.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GradeReport {
    pub grade_id: Uuid,
    pub device_id: Uuid,
    pub intake_id: Uuid,
    /// What happens to the device next.
    #[ts(type = "\"sellable\" | \"repair\" | \"recycle\" | \"hold\" | \"blocked\"")]
    pub outcome: Outcome,
    /// The marketplace listing grade (for `repair`, once repaired).
    #[ts(
        type = "\"PREMIUM\" | \"EXCELLENT\" | \"VERY_GOOD\" | \"GOOD\" | \"FAIR\" | \"STALLONE\""
    )]
    pub grade: ListingGrade,
    /// The trade-in grade.
    #[ts(
        type = "\"FUNCTIONAL_FLAWLESS\" | \"FUNCTIONAL_GOOD\" | \"FUNCTIONAL_USED\" | \"FUNCTIONAL_CRACKED\" | \"NOT_FUNCTIONAL_USED\" | \"NOT_FUNCTIONAL_CRACKED\""
    )]
    pub buyback_grade: BuybackGrade,
    /// The CTIA-style pair: a function digit and a looks letter.
    #[ts(type = "{ functional: number, cosmetic: \"A\" | \"B\" | \"C\" | \"D\" }")]
    pub ctia: CtiaCode,
    #[ts(type = "\"full\" | \"serviceable\" | \"defective\" | \"not_working\" | \"locked\"")]
    pub functional: Functional,
    /// Fired rules in policy order, then the grade's description.
    pub reasons: Vec<GradeReason>,
    pub policy: PolicyRef,
    /// Whether items or zones were left unanswered on purpose.
    pub partial: bool,
    /// The manual items still unanswered (only when partial).
    pub unanswered_items: Vec<String>,
    /// The zones not inspected (only when partial).
    #[ts(type = "Array<string>")]
    pub uninspected_zones: Vec<Zone>,
    /// The checklist as filled in, in template order.
    #[ts(
        type = "Array<{ id: string, state: \"pass\" | \"fail\" | \"na\" | \"untested\" | \"unanswered\", source: \"bench\" | \"technician\" | null, bench: \"pass\" | \"fail\" | \"skip\" | null }>"
    )]
    pub checklist: Vec<ItemResult>,
    /// The earlier grade of the same intake whose answers were carried over.
    pub carried_over_from: Option<Uuid>,
    /// Checklist items the bench failed and the technician answered otherwise; both are kept.
    pub overrides: Vec<BenchOverride>,
    /// Every rule as evaluated, in policy order (when the trace was asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trace: Option<Vec<GradeTrace>>,
}

/// A checklist item the bench failed and the technician answered `pass` or `na`: the answer
/// decided, and the record keeps both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BenchOverride {
    pub item: String,
    /// What the bench said: `fail`.
    pub bench: String,
    #[ts(type = "\"pass\" | \"na\"")]
    pub answer: Answer,
    /// The sentence that says so, in the language asked.
    pub text: String,
}

impl BenchOverride {
    pub(crate) fn new(item: &str, answer: Answer, lang: Lang) -> Self {
        let text = refurbdesk_i18n::Catalogue::for_lang(lang).tell(
            "grade-override",
            &[("item", item), ("answer", answer.as_str())],
        );
        Self {
            item: item.to_owned(),
            bench: "fail".to_owned(),
            answer,
            text,
        }
    }
}

/// One reason behind a grade: the rule that fired, the inputs it looked at, and its sentence in
/// the language asked (`text`) and in every language the policy words it in (`texts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GradeReason {
    pub rule: String,
    pub inputs: BTreeMap<String, String>,
    /// The sentence in the language asked, or in English when the policy has no other.
    pub text: String,
    /// The sentence by language: `en` always, `fr` when the policy has it.
    pub texts: BTreeMap<String, String>,
}

impl GradeReason {
    pub fn new(reason: &Reason, lang: Lang) -> Self {
        Self {
            rule: reason.rule.clone(),
            inputs: reason
                .inputs
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            text: reason.text_in(lang).to_owned(),
            texts: reason.texts.clone(),
        }
    }
}

/// One rule as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GradeTrace {
    pub rule: String,
    /// The rule's line in the policy file.
    #[ts(type = "number")]
    pub line: usize,
    pub fired: bool,
    pub conditions: Vec<TracedCondition>,
    /// What it did, when it fired: `outcome = repair, grade_at_most = EXCELLENT`.
    pub effects: Option<String>,
}

/// One condition of one rule as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TracedCondition {
    /// The condition as written: `soh_below = 85`.
    pub condition: String,
    /// The input it looked at: `soh_pct = 82.3`.
    pub input: String,
    pub held: bool,
}

impl From<&RuleTrace> for GradeTrace {
    fn from(step: &RuleTrace) -> Self {
        Self {
            rule: step.rule.clone(),
            line: step.line,
            fired: step.fired,
            conditions: step
                .conditions
                .iter()
                .map(|condition| TracedCondition {
                    condition: condition.condition.clone(),
                    input: condition.input.clone(),
                    held: condition.held,
                })
                .collect(),
            effects: step.effects.clone(),
        }
    }
}

impl GradeReport {
    pub(crate) fn new(
        grade_id: Uuid,
        device_id: Uuid,
        intake_id: Uuid,
        grade: &Grade,
        carried_over_from: Option<Uuid>,
        trace: Option<&[RuleTrace]>,
        lang: Lang,
    ) -> Self {
        Self {
            grade_id,
            device_id,
            intake_id,
            outcome: grade.outcome,
            grade: grade.grade,
            buyback_grade: grade.buyback_grade,
            ctia: grade.ctia,
            functional: grade.functional,
            reasons: grade
                .reasons
                .iter()
                .map(|reason| GradeReason::new(reason, lang))
                .collect(),
            policy: PolicyRef::from(&grade.policy),
            partial: grade.partial,
            unanswered_items: grade.unanswered_items.clone(),
            uninspected_zones: grade.uninspected_zones.clone(),
            checklist: grade.checklist.clone(),
            carried_over_from,
            overrides: Vec::new(),
            trace: trace.map(|steps| steps.iter().map(GradeTrace::from).collect()),
        }
    }
}

/// The device a grade is about, as the grade's heading names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GradedDevice {
    pub id: Uuid,
    #[ts(type = "string")]
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// When the graded intake started.
    pub intake_started_at: DateTime<Utc>,
}

impl GradedDevice {
    pub(crate) fn new(device: &DeviceRecord, intake: &IntakeRecord) -> Self {
        Self {
            id: device.id,
            category: device.category,
            make: device.make.clone(),
            model: device.model.clone(),
            imei: device.imei.clone(),
            serial: device.serial.clone(),
            intake_started_at: intake.started_at,
        }
    }
}

/// An earlier grade of the same intake, whose answers were carried over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CarriedOver {
    pub grade_id: Uuid,
    pub graded_at: DateTime<Utc>,
    pub operator: String,
}

impl From<&GradeRecord> for CarriedOver {
    fn from(grade: &GradeRecord) -> Self {
        Self {
            grade_id: grade.id,
            graded_at: grade.graded_at,
            operator: grade.operator.clone(),
        }
    }
}
