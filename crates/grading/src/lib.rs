//! Grading turns a device's intake, functional checklist and cosmetic inspection into an explained, reproducible grade under a versioned policy file.
//!
//! - [`Checklists`] holds one [`ChecklistTemplate`] per device category, read
//!   from `assets/checklists/*.toml`: automatic items filled from the bench's
//!   test results, manual items answered by the technician.
//! - [`CosmeticLevel`] and [`Zone`] describe the cosmetic inspection;
//!   [`zones_for`] lists the zones of each category and [`Photo`] keeps a
//!   photo's path with its SHA-256.
//! - [`Policy`] is a TOML file of rules (`assets/policies/backmarket-default.toml`
//!   ships); [`check_policy`] reports every problem in one with its line.
//! - [`Grader`] applies a policy: outcome, listing grade, trade-in grade,
//!   CTIA-style code and the reasons behind them, each naming its rule.
//!
//! ```
//! use std::collections::BTreeMap;
//! use refurbdesk_domain::*;
//! use refurbdesk_grading::*;
//!
//! let identity = DeviceIdentity::new(DeviceCategory::Desktop, "Dell", "OptiPlex 7070");
//! let battery = assess_battery(
//!     &BatteryReading { present: Some(false), ..BatteryReading::default() },
//!     &identity, &BatteryPolicy::default(), CycleLimits::embedded(),
//! );
//! let lock = assess_lock(&LockReading {
//!     activation: ActivationLock::Unlocked, account: AccountLock::None,
//!     mdm: MdmState::None, carrier: CarrierLock::Unlocked,
//! });
//! let mut input = GradeInput {
//!     identity, battery, lock,
//!     tests: vec![BenchTest { name: "power".into(), outcome: TestOutcome::Pass }],
//!     answers: BTreeMap::new(),
//!     cosmetic: BTreeMap::from([(Zone::Housing, CosmeticLevel::Light)]),
//!     partial: false,
//! };
//! parse_checks(
//!     "all_features=pass,housing_complete=pass,genuine_parts=pass,charger_present=pass",
//!     &mut input.answers,
//! )?;
//!
//! let grade = Grader::new(Policy::embedded_default()).grade(&input)?;
//! assert_eq!(grade.outcome, Outcome::Sellable);
//! assert_eq!(grade.grade, ListingGrade::Good);
//! assert_eq!(grade.buyback_grade, BuybackGrade::FunctionalGood);
//! assert!(grade.reasons.iter().any(|r| r.rule == "body.light"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod analysis;
mod checklist;
mod cosmetic;
mod engine;
mod input;
mod policy;
mod result;
mod words;

pub use checklist::{
    Answer, AnswerSource, BenchTest, ChecklistError, ChecklistItem, ChecklistTemplate, Checklists,
    FilledChecklist, ItemGroup, ItemKind, ItemResult, ItemState, TemplateError, TestOutcome,
};
pub use cosmetic::{zones_for, CosmeticLevel, Photo, PhotoError, Zone};
pub use engine::{ConditionTrace, GradeError, GradeInput, Grader, RuleTrace};
pub use input::{parse_checks, parse_cosmetic, InputError};
pub use policy::{
    check_policy, BuybackBands, Conditions, Placeholder, Policy, PolicyCheck, PolicyError, Problem,
    Rule, DEFAULT_POLICY_TOML,
};
pub use refurbdesk_domain::UnknownWordError;
pub use result::{
    BuybackGrade, CtiaCode, CtiaCosmetic, Functional, Grade, Inputs, ListingGrade, Outcome,
    PolicyId, Reason, Texts,
};
