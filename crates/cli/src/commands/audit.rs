//! `refurbdesk audit`: proving that the history in a database is the one
//! that was written.

use std::path::Path;

use anyhow::anyhow;
use clap::Subcommand;
use refurbdesk_app::DataPaths;
use refurbdesk_store::AuditReport;
use serde::Serialize;

use super::{open_existing, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain: exit 0 if it holds, 1 naming the first entry
    /// that was altered, removed or reordered
    Verify,
}

#[derive(Serialize)]
struct VerifyOutput<'a> {
    database: &'a Path,
    #[serde(flatten)]
    report: &'a AuditReport,
}

pub fn run(command: &AuditCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        AuditCommand::Verify => {
            let store = open_existing(paths)?;
            let report = store.verify_audit().map_err(store_failure)?;
            if global.json {
                let output = VerifyOutput {
                    database: &paths.database,
                    report: &report,
                };
                println!("{}", serde_json::to_string(&output)?);
            } else {
                println!("{report}");
            }
            match report.problem() {
                None => Ok(()),
                Some(problem) => Err(Failure::new(
                    Exit::CheckFailed,
                    anyhow!(
                        "the audit log of {} does not verify: {problem}; keep this file as \
                         evidence and go back to the last backup that verifies \
                         (`refurbdesk db restore FILE`)",
                        paths.database.display()
                    ),
                )),
            }
        }
    }
}
