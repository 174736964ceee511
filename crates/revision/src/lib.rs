//! Trade-in audit: what a customer declared against what the auditor found, and the quote
//! revised under a versioned policy, each adjustment naming its rule, its amount and its
//! inputs.
//!
//! - [`TradeinPolicy`] is a TOML file (`assets/policies/tradein-default.toml` ships, see
//!   docs/tradein-policy.md); [`check_tradein_policy`] reports every problem in one with its
//!   line, and [`is_tradein_policy`] tells a trade-in policy from a grading one.
//! - [`revise`] compares a [`Declared`] manifest line with what was [`Found`] and returns a
//!   [`Revision`]: the revised price, the [`Adjustment`]s and a [`Disposition`].
//! - Money is integer cents ([`Amount`], [`money`]); nothing here uses floats for it.
//!
//! No database and no I/O: this crate only reads policy text it is given.
//!
//! ```
//! use refurbdesk_domain::*;
//! use refurbdesk_revision::*;
//!
//! let policy = TradeinPolicy::from_toml(DEFAULT_TRADEIN_POLICY_TOML)?;
//! let declared = Declared {
//!     category: DeviceCategory::Phone,
//!     make: Some("Apple".into()),
//!     model: "iPhone 12".into(),
//!     storage_gb: Some(128),
//!     grade: Some(BuybackGrade::FunctionalFlawless),
//!     accessories: vec![],
//! };
//! let mut found = Found::from_identity(&DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12"));
//! found.storage_gb = Some(128);
//! found.grade = Some(BuybackGrade::FunctionalFlawless);
//! found.lock = LockVerdictKind::Blocked;
//!
//! let revision = revise(&declared, &found, 25_000, &policy);
//! assert_eq!(revision.revised_cents, 0);
//! assert_eq!(revision.disposition, Disposition::Return);
//! assert_eq!(revision.adjustments[0].rule, RevisionRule::LockBlocked);
//! assert_eq!(revision.tell(Lang::Fr)[0], "Verrouillé : renvoyé au client, rien n'est payé pour un appareil verrouillé : −250,00\u{a0}EUR");
//! # Ok::<(), PolicyError>(())
//! ```

mod money;
mod policy;
mod revise;

pub use money::{money, Amount};
pub use policy::{
    check_tradein_policy, is_tradein_policy, LockAction, Mismatch, PolicyCheck, PolicyError,
    PolicyId, Problem, TradeinPolicy, DEFAULT_TRADEIN_POLICY_TOML, KIND,
};
pub use revise::{revise, Adjustment, Declared, Disposition, Found, Revision, RevisionRule};
