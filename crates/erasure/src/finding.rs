//! What an erasure that did not verify found, as data: a code and its facts, never prose. The
//! record keeps this; whoever shows it tells it in the reader's language.

use serde::{Deserialize, Serialize};

use crate::engine::{Fault, Outcome, Report};

/// Why a drive or image erasure proves nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum DriveFinding {
    /// Stopped on request before the end.
    DriveInterrupted {
        /// Passes written over the whole target and flushed before it stopped.
        passes_completed: u32,
        passes: u32,
    },
    /// A write, flush or read failed, or the read-back differed.
    DriveFailed {
        /// Every fault found.
        fault_count: u64,
        /// The first of them, if any was kept.
        first: Option<Fault>,
    },
}

impl Report {
    /// What the record must say about this erasure; `None` when it is verified.
    pub fn finding(&self) -> Option<DriveFinding> {
        match self.outcome {
            Outcome::Verified => None,
            Outcome::Interrupted => Some(DriveFinding::DriveInterrupted {
                passes_completed: self.passes_completed,
                passes: self.passes,
            }),
            Outcome::Failed => Some(DriveFinding::DriveFailed {
                fault_count: self.fault_count,
                first: self.faults.first().cloned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::FaultKind;

    #[test]
    fn a_finding_is_a_code_with_its_facts() {
        let finding = DriveFinding::DriveFailed {
            fault_count: 2,
            first: Some(Fault {
                kind: FaultKind::Mismatch,
                pass: 1,
                offset: 4096,
                length: 4096,
                detail: "block at byte 4096 read back different".into(),
            }),
        };
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["finding"], "drive_failed");
        assert_eq!(json["fault_count"], 2);
        assert_eq!(json["first"]["kind"], "mismatch");
        assert_eq!(json["first"]["offset"], 4096);
        let back: DriveFinding = serde_json::from_value(json).unwrap();
        assert_eq!(back, finding);
    }
}
