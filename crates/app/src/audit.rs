//! Proving that the history in a database is the one that was written.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Hint, Result};
use crate::workstation::Workstation;

/// The audit chain's state: intact with its entry count, or broken at its first problem.
pub use refurbdesk_store::AuditReport;

/// The audit log of the station's database, walked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditVerification {
    #[ts(type = "string")]
    pub database: PathBuf,
    pub ok: bool,
    #[ts(type = "unknown")]
    pub report: AuditReport,
}

impl AuditVerification {
    /// The verdict as an error when the chain does not hold (naming the first entry that was
    /// altered, removed or reordered).
    pub fn failure(&self) -> Option<Error> {
        self.report.problem().map(|problem| {
            Error::new(
                ErrorCode::CheckFailed,
                format!(
                    "the audit log of {} does not verify: {problem}; keep this file as evidence \
                     and go back to the last backup that verifies",
                    self.database.display()
                ),
            )
            .with_hint(Hint::RestoreBackup)
        })
    }
}

/// Walks the audit log's hash chain.
pub fn verify(ws: &Workstation) -> Result<AuditVerification> {
    let report = ws.store.verify_audit()?;
    Ok(AuditVerification {
        database: ws.paths.database.clone(),
        ok: report.problem().is_none(),
        report,
    })
}
