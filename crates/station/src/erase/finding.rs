//! Why a phone or tablet erasure proves nothing, as data: a code and its facts. The record's
//! note keeps this (as JSON); whoever shows it tells it in the reader's language.

use refurbdesk_bench_protocol::ErrorCode;
use refurbdesk_store::{OutcomeSource, StepAnswer};
use serde::{Deserialize, Serialize};

use super::{BenchEraseMethod, Interruption};

/// What a phone or tablet erasure that did not verify found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum DeviceFinding {
    /// The bench reported `done=failed`, by its event or through `STATUS` (then without the
    /// bench's detail, which only the event carries).
    BenchFailed {
        method: BenchEraseMethod,
        from: OutcomeSource,
        detail: Option<String>,
    },
    /// The bench refused `ERASE`: nothing was erased.
    BenchRefused {
        slot: u16,
        method: BenchEraseMethod,
        code: ErrorCode,
        message: Option<String>,
    },
    /// The erase was cut short before the bench told its outcome.
    BenchInterrupted { why: Interruption },
    /// The operator stopped a manual reset before step `number` of `count`.
    ManualStopped {
        number: usize,
        count: usize,
        step: String,
    },
    /// A required step of a manual reset was answered no or skipped; `text` is the step as the
    /// operator was shown it.
    ManualStepFailed {
        number: usize,
        count: usize,
        step: String,
        answer: StepAnswer,
        text: String,
    },
}

impl DeviceFinding {
    /// The finding as the record's note keeps it.
    pub fn to_note(&self) -> String {
        // A plain enum of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"))
    }

    /// The finding a note holds, if it holds one (older records hold prose).
    pub fn from_note(note: &str) -> Option<DeviceFinding> {
        serde_json::from_str(note).ok()
    }
}
