//! Refurbdesk's shared vocabulary: the plain domain types every room uses, and the intake verdicts on battery, locks and IMEI.
//!
//! Everything here is plain `serde` data (snake_case words) so the store, the
//! grading engine, the CLI's `--json` output and the UI all agree on one
//! shape. The verdict functions are pure: they take readings from the bench
//! (see `bench-protocol-v1.md` §4) and explain every outcome in sentences a
//! customer could read.
//!
//! - [`identity_from_fields`], [`battery_from_fields`], [`lock_from_fields`]
//!   turn protocol fields into readings, rejecting a reading whole when any
//!   value is malformed.
//! - [`assess_battery`] judges state of health against a [`BatteryPolicy`]
//!   and notes charge cycles against the [`CycleLimits`] table.
//! - [`assess_lock`] decides whether locks let a device be valued and sold.
//! - [`luhn_valid`] and [`check_imei`] check IMEIs.
//!
//! ```
//! use refurbdesk_domain::*;
//!
//! let identity = identity_from_fields([
//!     ("category", "phone"), ("make", "Apple"), ("model", "iPhone 12"),
//!     ("imei", "356728114587211"),
//! ])?;
//! let reading = battery_from_fields([
//!     ("present", "yes"), ("design_mah", "2815"), ("full_mah", "2421"), ("cycles", "611"),
//! ])?;
//! let battery = assess_battery(&reading, &identity, &BatteryPolicy::default(), CycleLimits::embedded());
//! assert_eq!(identity.imei_valid, Some(true));
//! assert_eq!(battery.verdict, BatteryVerdictKind::Pass);
//! assert_eq!(battery.soh_pct_display(), Some(86.0));
//! # Ok::<(), ReadingError>(())
//! ```

mod words;

mod battery;
mod calendar;
mod cycle_limits;
mod destruction;
mod device;
mod evidence;
mod fields;
mod grade;
mod imei;
mod lang;
mod lock;
mod tradein;

pub use battery::{
    assess_battery, soh_pct_shown, BatteryAssessment, BatteryFinding, BatteryPolicy,
    BatteryReading, BatteryVerdictKind, CapacityUnit, SohSource,
};
pub use calendar::{
    easter_sunday, parse_closed_days, public_holidays, BusinessCalendar, Country, Holiday,
};
pub use cycle_limits::{CycleLimits, CycleMark, TableError};
pub use destruction::{DestroyedMedia, DestructionMethod, EvidenceFile, Witness};
pub use device::{DeviceCategory, DeviceIdentity};
pub use evidence::{Direction, EvidenceLine};
pub use fields::{
    battery_from_fields, identity_from_fields, lock_from_fields, ReadingError, ReadingKind,
};
pub use grade::{
    Answer, BuybackGrade, CosmeticLevel, CtiaCode, CtiaCodeError, CtiaCosmetic, Functional, Inputs,
    ListingGrade, Outcome, Reason, Texts, Zone,
};
pub use imei::{check_imei, check_imei_in, luhn_valid};
pub use lang::{bare_number, number_below, tell_reasons, Lang};
pub use lock::{
    assess_lock, AccountLock, ActivationLock, CarrierLock, LockAssessment, LockFinding,
    LockReading, LockVerdictKind, MdmState,
};
pub use tradein::Accessory;
pub use words::UnknownWordError;
