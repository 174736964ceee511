//! Erasure: overwrite and verify a drive or an image file ([`drive`]), erase a phone or tablet
//! through its bench slot ([`bench`]), or guide its factory reset by hand ([`manual_plan`] then
//! [`manual_answer`]). Each is recorded: `running` before anything is erased, then finished with
//! its outcome; only a `verified` record can ever back a certificate.
//!
//! A finished erasure that did not verify is not an error of the call: its record is returned
//! (the door shows it), with the [`Error`] the door reports after it in `failure`.

mod bench;
mod drive;
pub mod finding;
mod list;
mod manual;

use refurbdesk_bench::LinkError;
use refurbdesk_erasure::EraseError;
use refurbdesk_station::{BenchEraseError, ManualResetError};
use refurbdesk_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Hint, RecordKind};

pub use bench::{bench, bench_async, BenchErasure, BenchParams};
pub use drive::{drive, DriveConfirmation, DriveErasure, DriveParams, StoreJournal};
pub use finding::{tell_note, Finding};
pub use list::{
    list, parse_erasure_id, status_words, ErasureListing, ListErasuresParams, DEFAULT_LIMIT,
};
pub use manual::{
    manual_answer, manual_plan, parse_answer, words, ManualAnswerParams, ManualAnswers, ManualPlan,
    ManualPlanParams, ManualReset, PlanStep, Words,
};
/// The erasure words and records a door parses and prints.
pub use refurbdesk_erasure::{Method, Verify};
pub use refurbdesk_station::{BenchEraseEnd, BenchEraseMethod, ManualResetEnd, StepPrompt};
pub use refurbdesk_store::{ErasureDetails, ErasureFault, ErasureRecord, StepAnswer};

/// An erasure has been recorded `running`; nothing is erased yet. Sent once, before the work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum EraseStarted {
    /// A drive or an image file.
    Drive {
        erasure_id: Uuid,
        /// The target as it was named.
        target: String,
        /// `image file` or `block device`.
        target_kind: String,
        method: String,
        verify: String,
    },
    /// A phone or tablet in a bench slot.
    Bench {
        erasure_id: Uuid,
        device_id: Uuid,
        make: String,
        model: String,
        port: String,
        slot: u16,
        method: String,
    },
}

/// The recorded device `reference` names (IMEI, serial, device or intake id), if one is named.
fn named_device(store: &Store, reference: Option<&str>) -> Result<Option<Uuid>, Error> {
    let Some(reference) = reference else {
        return Ok(None);
    };
    match store.find_device(reference)? {
        Some(device) => Ok(Some(device.id)),
        None => Err(Error::not_found(format!(
            "no recorded device matches {:?}; check the IMEI, serial or id",
            crate::error::shorten(reference)
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Devices,
        })),
    }
}

impl From<EraseError> for Error {
    fn from(error: EraseError) -> Self {
        let code = match &error {
            EraseError::NotFound { .. } => ErrorCode::NotFound,
            error if error.is_refusal() => ErrorCode::Refused,
            _ => ErrorCode::Data,
        };
        let confirm = match &error {
            EraseError::NotConfirmed { expected, path, .. } => Some((
                match expected {
                    refurbdesk_erasure::Expected::Serial => crate::ConfirmWith::Serial,
                    refurbdesk_erasure::Expected::KernelName { name } => {
                        crate::ConfirmWith::KernelName { name: name.clone() }
                    }
                    refurbdesk_erasure::Expected::Image => crate::ConfirmWith::Image,
                },
                path.display().to_string(),
            )),
            _ => None,
        };
        let error = Error::from_error(code, &error);
        match confirm {
            // The window asks for the confirmation from these details, the terminal from the hint.
            Some((with, target)) => error
                .with_details(serde_json::json!({ "confirm_with": &with, "target": target }))
                .with_hint(Hint::ConfirmErase { with }),
            None => error,
        }
    }
}

/// A bench that could not be reached or answered no, with the code its kind of failure has
/// (the same as for an intake).
pub(crate) fn link_error(error: LinkError) -> Error {
    error.into()
}

impl From<BenchEraseError> for Error {
    fn from(error: BenchEraseError) -> Self {
        let code = match &error {
            BenchEraseError::NoSuchSlot { .. } => ErrorCode::Usage,
            BenchEraseError::SlotEmpty { .. } | BenchEraseError::NotRecorded { .. } => {
                ErrorCode::NotFound
            }
            BenchEraseError::SlotBusy { .. } | BenchEraseError::WrongDevice { .. } => {
                ErrorCode::Refused
            }
            BenchEraseError::Malformed { .. } => ErrorCode::Data,
            BenchEraseError::Link(_) | BenchEraseError::Store(_) => {
                return match error {
                    BenchEraseError::Link(link) => link_error(link),
                    BenchEraseError::Store(store) => store.into(),
                    _ => unreachable!("matched above"),
                };
            }
        };
        let hint =
            matches!(error, BenchEraseError::NotRecorded { .. }).then_some(Hint::IntakeAgain);
        let error = Error::from_error(code, &error);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

impl From<ManualResetError> for Error {
    fn from(error: ManualResetError) -> Self {
        let code = match &error {
            ManualResetError::NoIntake { .. } => ErrorCode::NotFound,
            ManualResetError::NotAPhone { .. } => ErrorCode::Refused,
            ManualResetError::UnknownPlatform { .. } | ManualResetError::NoPlatform { .. } => {
                ErrorCode::Usage
            }
            ManualResetError::Incomplete { .. } => ErrorCode::Incomplete,
            ManualResetError::Checklist(_) | ManualResetError::UnknownSteps { .. } => {
                ErrorCode::Data
            }
            ManualResetError::Store(_) => {
                return match error {
                    ManualResetError::Store(store) => store.into(),
                    _ => unreachable!("matched above"),
                };
            }
        };
        let hint = matches!(error, ManualResetError::NoIntake { .. }).then_some(Hint::IntakeAgain);
        let error = Error::from_error(code, &error);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}
