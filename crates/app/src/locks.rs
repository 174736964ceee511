//! An operator's confirmation of a lock verdict the bench could not settle.
//!
//! When the bench reads a device's locks as `unknown` (something could not be read), an
//! operator who checked with the owner, the vendor's portal or the MDM console confirms it as
//! clear or blocked, with a note saying how. The confirmation belongs to the device's latest
//! intake, is recorded with who and when (audited), and the device is graded again at once with
//! the confirmed verdict: `blocked` makes the outcome `blocked`, `clear` lets the grade go on.
//!
//! Only an `unknown` verdict can be confirmed: a verdict the bench read (clear or blocked) is
//! evidence, and a changed state is read again with a new intake. An unknown verdict may be
//! confirmed again (a mistake, or a lock removed meanwhile); the latest confirmation counts,
//! and every one stays in the history.

use std::path::PathBuf;

use refurbdesk_domain::{Lang, LockVerdictKind};
use refurbdesk_store::{IntakeRecord, NewLockConfirmation, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Hint, Result};
use crate::grade::{self, GradeOutcome, GradeParams};
use crate::Workstation;

/// A recorded confirmation: who said the lock is clear or blocked, when, and why.
pub use refurbdesk_store::LockConfirmationRecord;

/// What an operator found the lock state to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConfirmedLock {
    /// Nothing stops the sale.
    Clear,
    /// A lock stops the sale until the owner removes it.
    Blocked,
}

impl From<ConfirmedLock> for LockVerdictKind {
    fn from(lock: ConfirmedLock) -> Self {
        match lock {
            ConfirmedLock::Clear => LockVerdictKind::Clear,
            ConfirmedLock::Blocked => LockVerdictKind::Blocked,
        }
    }
}

/// The device whose unknown lock verdict is confirmed, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockConfirmParams {
    /// An IMEI, a serial, an intake id or a device id; its latest intake is confirmed.
    pub device: String,
    pub lock: ConfirmedLock,
    /// How it was checked (who was asked, which portal): required.
    pub note: String,
    /// The grading policy of the re-grade; the shipped one when absent.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub policy: Option<PathBuf>,
    /// The language of the re-grade's reasons.
    #[serde(default)]
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// The confirmation recorded, and the grade that followed.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LockConfirmed {
    pub confirmation: LockConfirmationRecord,
    pub regrade: Regrade,
}

/// What grading the device again gave.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum Regrade {
    /// Graded and recorded, with the answers of the intake's earlier grade carried over.
    Graded { grade: Box<GradeOutcome> },
    /// Not graded yet: manual checklist items or zones are still unanswered (the next grade
    /// uses the confirmation).
    Incomplete {
        items: Vec<String>,
        zones: Vec<String>,
    },
}

/// Records an operator's confirmation of the unknown lock verdict of a device's latest intake
/// (someone who may grade), then grades the device again with it.
pub fn confirm(ws: &mut Workstation, params: LockConfirmParams) -> Result<LockConfirmed> {
    let note = params.note.trim();
    if note.is_empty() {
        return Err(Error::usage(
            "say in the note how the lock state was checked (the owner, the vendor's portal, \
             the MDM console)",
        ));
    }
    let actor = ws.actor()?;
    let device = grade::find_device(&ws.store, &params.device)?;
    let intake = ws.store.latest_intake(device.id)?.ok_or_else(|| {
        Error::not_found(format!(
            "device {} ({} {}) has no intake, so no lock verdict to confirm",
            device.id, device.make, device.model
        ))
        .with_hint(Hint::IntakeAgain)
    })?;
    if intake.lock.verdict != LockVerdictKind::Unknown {
        return Err(Error::refused(format!(
            "the bench read the locks of {} {} as {} at its latest intake; only an unknown \
             verdict is confirmed by hand, and a changed lock state is read again on a bench",
            device.make, device.model, intake.lock.verdict
        ))
        .with_hint(Hint::IntakeAgain));
    }
    let previous_partial = ws
        .store
        .latest_grade(device.id)?
        .filter(|grade| grade.intake_id == intake.id)
        .map(|grade| grade.partial);
    let confirmation = ws.store.record_lock_confirmation(
        &NewLockConfirmation {
            device_id: device.id,
            intake_id: intake.id,
            verdict: params.lock.into(),
            note: note.to_owned(),
        },
        &actor,
    )?;

    let regrade = match grade::record(
        ws,
        GradeParams {
            device: device.id.to_string(),
            checks: Default::default(),
            cosmetic: Default::default(),
            photos: Vec::new(),
            policy: params.policy,
            partial: previous_partial.unwrap_or(false),
            explain: false,
            lang: params.lang,
        },
    ) {
        Ok(grade) => Regrade::Graded {
            grade: Box::new(grade),
        },
        Err(error) if error.code == ErrorCode::Incomplete => {
            let list = |key: &str| -> Vec<String> {
                error
                    .details
                    .as_ref()
                    .and_then(|details| details.get(key))
                    .and_then(|value| serde_json::from_value(value.clone()).ok())
                    .unwrap_or_default()
            };
            Regrade::Incomplete {
                items: list("items"),
                zones: list("zones"),
            }
        }
        Err(error) => {
            return Err(error.context("the confirmation is recorded, but re-grading failed"))
        }
    };
    Ok(LockConfirmed {
        confirmation,
        regrade,
    })
}

/// Every confirmation of a device's locks, newest first.
pub fn history(ws: &Workstation, device: &str) -> Result<Vec<LockConfirmationRecord>> {
    let device = grade::find_device(&ws.store, device)?;
    Ok(ws.store.lock_confirmations(device.id)?)
}

/// The lock state grading uses for an intake: as the bench read it, or, when it read `unknown`
/// and an operator confirmed it since, as confirmed.
pub(crate) fn effective_lock(
    store: &Store,
    intake: &IntakeRecord,
) -> Result<refurbdesk_domain::LockAssessment> {
    let mut lock = intake.lock.clone();
    if lock.verdict == LockVerdictKind::Unknown {
        if let Some(confirmation) = store.lock_confirmation(intake.id)? {
            lock.verdict = confirmation.verdict;
        }
    }
    Ok(lock)
}
