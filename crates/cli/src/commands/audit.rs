//! `refurbdesk audit`: proving that the history in a database is the one
//! that was written.

use std::path::Path;

use clap::Subcommand;
use refurbdesk_app::audit::{self, AuditReport};
use refurbdesk_app::{DataPaths, Workstation};
use serde::Serialize;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain: exit 0 if it holds, 1 naming the first entry
    /// that was altered, removed or reordered; with --site, every station's chain on the site
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
        // With --site, every station's chain as the site holds it.
        AuditCommand::Verify if global.site.is_some() => super::site::audit_verify(global),
        AuditCommand::Verify => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let verified = audit::verify(&ws)?;
            if global.json {
                let output = VerifyOutput {
                    database: &verified.database,
                    report: &verified.report,
                };
                println!("{}", serde_json::to_string(&output)?);
            } else {
                println!("{}", verified.report);
            }
            match verified.failure() {
                Some(error) => Err(error.into()),
                None => Ok(()),
            }
        }
    }
}
