//! What grading produces: the outcome, the marketplace and trade-in grades,
//! the CTIA-style code pair, and the reasons behind them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::checklist::ItemResult;
use crate::cosmetic::Zone;

pub use refurbdesk_domain::{
    BuybackGrade, CtiaCode, CtiaCosmetic, Functional, Inputs, ListingGrade, Outcome, Reason, Texts,
};

/// Which policy decided.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyId {
    pub name: String,
    pub version: String,
    /// SHA-256 of the policy file's text, to tell an edited copy from the
    /// original even when someone forgot to change the version.
    pub sha256: String,
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// A grade with everything it was decided from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub outcome: Outcome,
    /// The listing grade.
    pub grade: ListingGrade,
    pub buyback_grade: BuybackGrade,
    pub ctia: CtiaCode,
    pub functional: Functional,
    /// Fired rules in policy order, then the grade's description.
    pub reasons: Vec<Reason>,
    pub policy: PolicyId,
    /// The version of the message catalogue the reasons were told with
    /// (`refurbdesk_i18n::version()`); absent from grades made before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// Whether items or zones were left unanswered on purpose.
    pub partial: bool,
    /// The manual items still unanswered (only when partial).
    pub unanswered_items: Vec<String>,
    /// The zones not inspected (only when partial).
    pub uninspected_zones: Vec<Zone>,
    /// The checklist as filled in, in template order.
    pub checklist: Vec<ItemResult>,
}
