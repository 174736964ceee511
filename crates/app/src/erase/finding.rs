//! What an erasure record's note says, told in a language when it is shown.
//!
//! New records keep a finding in their note: a code and its facts, as JSON
//! ([`DriveFinding`], [`DeviceFinding`]). Records written before that keep the English sentence
//! they were written with; they are shown as they are, since the hash chain covers them.

use refurbdesk_bench::ErrorCode as BenchCode;
use refurbdesk_domain::Lang;
use refurbdesk_erasure::{DriveFinding, FaultKind};
use refurbdesk_station::erase::DeviceFinding;
use refurbdesk_station::Interruption;
use refurbdesk_store::{OutcomeSource, StepAnswer};
use serde::{Deserialize, Serialize};

/// A finding of any kind of erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Finding {
    Drive(DriveFinding),
    Device(DeviceFinding),
}

impl Finding {
    /// The finding a note holds, if it holds one.
    pub fn from_note(note: &str) -> Option<Finding> {
        serde_json::from_str(note).ok()
    }

    /// The finding as a record's note keeps it.
    pub fn to_note(&self) -> String {
        // Enums of strings and numbers always serialise.
        serde_json::to_string(self).unwrap_or_else(|_| format!("{self:?}"))
    }

    /// The finding in words.
    pub fn tell(&self, lang: Lang) -> String {
        match self {
            Finding::Drive(finding) => tell_drive(finding, lang),
            Finding::Device(finding) => tell_device(finding, lang),
        }
    }
}

/// A record's note as a person reads it in `lang`: its finding told, or the sentence an older
/// record was written with.
pub fn tell_note(note: Option<&str>, lang: Lang) -> Option<String> {
    let note = note?;
    Some(match Finding::from_note(note) {
        Some(finding) => finding.tell(lang),
        None => note.to_owned(),
    })
}

fn tell_drive(finding: &DriveFinding, lang: Lang) -> String {
    let catalogue = lang.catalogue();
    match finding {
        DriveFinding::DriveInterrupted { .. } => {
            catalogue.tell("erase-finding-drive-interrupted", &[])
        }
        DriveFinding::DriveFailed {
            fault_count,
            first: Some(first),
        } => catalogue.tell(
            "erase-finding-drive-failed",
            &[
                ("count", &fault_count.to_string()),
                ("fault", catalogue.word(fault_id(first.kind))),
                ("detail", &first.detail),
            ],
        ),
        DriveFinding::DriveFailed { first: None, .. } => {
            catalogue.tell("erase-finding-drive-failed-bare", &[])
        }
    }
}

/// The catalogue message naming a fault's kind.
fn fault_id(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::Write => "erase-fault-write",
        FaultKind::Flush => "erase-fault-flush",
        FaultKind::Read => "erase-fault-read",
        FaultKind::Mismatch => "erase-fault-mismatch",
    }
}

fn tell_device(finding: &DeviceFinding, lang: Lang) -> String {
    let catalogue = lang.catalogue();
    let quoted = |text: &str| catalogue.tell("erase-quoted", &[("text", text)]);
    match finding {
        DeviceFinding::BenchFailed {
            method,
            from: OutcomeSource::Event,
            detail,
        } => {
            let method = method.to_string();
            match detail {
                Some(detail) => catalogue.tell(
                    "erase-finding-bench-failed-said",
                    &[("method", &method), ("detail", &quoted(detail))],
                ),
                None => catalogue.tell("erase-finding-bench-failed", &[("method", &method)]),
            }
        }
        DeviceFinding::BenchFailed {
            method,
            from: OutcomeSource::Status,
            ..
        } => catalogue.tell(
            "erase-finding-bench-failed-status",
            &[("method", &method.to_string())],
        ),
        DeviceFinding::BenchRefused {
            slot,
            method,
            code,
            message,
        } => {
            let said = message
                .as_deref()
                .map(|message| format!(" ({})", quoted(message)))
                .unwrap_or_default();
            let advice = match code {
                BenchCode::Unsupported => "unsupported",
                BenchCode::Busy => "busy",
                _ => "none",
            };
            catalogue.tell(
                "erase-finding-bench-refused",
                &[
                    ("slot", &slot.to_string()),
                    ("method", &method.to_string()),
                    ("code", &code.to_string()),
                    ("said", &said),
                    ("advice", advice),
                ],
            )
        }
        DeviceFinding::BenchInterrupted { why } => catalogue.tell(
            "erase-finding-bench-interrupted",
            &[("why", catalogue.word(interruption_id(*why)))],
        ),
        DeviceFinding::ManualStopped {
            number,
            count,
            step,
        } => catalogue.tell(
            "erase-finding-manual-stopped",
            &[
                ("number", &number.to_string()),
                ("count", &count.to_string()),
                ("step", &step.to_string()),
            ],
        ),
        DeviceFinding::ManualStepFailed {
            number,
            count,
            step,
            answer,
            text,
        } => catalogue.tell(
            "erase-finding-manual-step-failed",
            &[
                ("number", &number.to_string()),
                ("count", &count.to_string()),
                ("step", &step.to_string()),
                ("answer", catalogue.word(answer_id(*answer))),
                ("text", text),
            ],
        ),
    }
}

/// The catalogue message saying why a bench erasure was interrupted.
fn interruption_id(why: Interruption) -> &'static str {
    match why {
        Interruption::DeviceRemoved => "erase-interruption-device-removed",
        Interruption::BenchReset => "erase-interruption-bench-reset",
        Interruption::BenchGone => "erase-interruption-bench-gone",
        Interruption::BenchSilent => "erase-interruption-bench-silent",
        Interruption::Forgotten => "erase-interruption-forgotten",
        Interruption::NoOutcome => "erase-interruption-no-outcome",
        Interruption::Cancelled => "erase-interruption-cancelled",
    }
}

/// The catalogue message of a manual step's answer.
fn answer_id(answer: StepAnswer) -> &'static str {
    match answer {
        StepAnswer::Yes => "erase-step-answer-yes",
        StepAnswer::No => "erase-step-answer-no",
        StepAnswer::Skipped => "erase-step-answer-skipped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_a_finding_uses_is_in_every_language() {
        let ids = [
            "erase-finding-drive-interrupted",
            "erase-finding-drive-failed",
            "erase-finding-drive-failed-bare",
            "erase-quoted",
            "erase-finding-bench-failed",
            "erase-finding-bench-failed-said",
            "erase-finding-bench-failed-status",
            "erase-finding-bench-refused",
            "erase-finding-bench-interrupted",
            "erase-finding-manual-stopped",
            "erase-finding-manual-step-failed",
        ]
        .into_iter()
        .chain(
            [
                FaultKind::Write,
                FaultKind::Flush,
                FaultKind::Read,
                FaultKind::Mismatch,
            ]
            .map(fault_id),
        )
        .chain(
            [
                Interruption::DeviceRemoved,
                Interruption::BenchReset,
                Interruption::BenchGone,
                Interruption::BenchSilent,
                Interruption::Forgotten,
                Interruption::NoOutcome,
                Interruption::Cancelled,
            ]
            .map(interruption_id),
        )
        .chain([StepAnswer::Yes, StepAnswer::No, StepAnswer::Skipped].map(answer_id));
        for id in ids {
            for lang in Lang::ALL {
                assert!(lang.catalogue().has(id), "{lang}: {id}");
            }
        }
    }
}
