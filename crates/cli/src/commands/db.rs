//! `refurbdesk db`: backups, restores and the health check of the station's
//! database file.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use refurbdesk_app::db::{self, BackupParams, CheckReport, RestoreParams};
use refurbdesk_app::{DataPaths, Workstation};
use serde::Serialize;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy the database to FILE while it stays in use (one consistent moment, one self-contained file)
    Backup(BackupArgs),
    /// Replace the --db database with the backup in FILE, after checking the backup (admins only)
    Restore(RestoreArgs),
    /// Check the file (SQLite integrity, references), the audit chain and every record against it;
    /// with --site, every station's chain and record on the site; exit 1 on a problem
    Check,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the copy goes
    file: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore, made by `refurbdesk db backup`
    file: PathBuf,
}

#[derive(Serialize)]
struct CheckOutput<'a> {
    database: &'a Path,
    ok: bool,
    #[serde(flatten)]
    report: &'a CheckReport,
}

pub fn run(command: &DbCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        DbCommand::Backup(args) => {
            let done = db::backup(
                paths,
                BackupParams {
                    file: args.file.clone(),
                    force: args.force,
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&done)?);
            } else {
                println!(
                    "backed up {} to {} ({} bytes)",
                    done.database.display(),
                    done.backup.display(),
                    done.bytes
                );
            }
            Ok(())
        }
        DbCommand::Restore(args) => {
            let done = db::restore(
                paths,
                global.operator.as_deref(),
                RestoreParams {
                    file: args.file.clone(),
                    pin: restore_pin(paths, global)?,
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&done)?);
            } else {
                println!(
                    "restored {} from {}: {} audit entries verified",
                    done.database.display(),
                    done.backup.display(),
                    done.audit_entries
                );
                if let Some(copy) = &done.replaced_copy {
                    println!("the database it replaced is kept at {}", copy.display());
                }
            }
            Ok(())
        }
        // With --site, the site's check: every station's chain and every replicated record.
        DbCommand::Check if global.site.is_some() => super::site::db_check(global),
        DbCommand::Check => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let checked = db::check(&ws)?;
            if global.json {
                let output = CheckOutput {
                    database: &checked.database,
                    ok: checked.ok,
                    report: &checked.report,
                };
                println!("{}", serde_json::to_string(&output)?);
            } else {
                print_check(&checked.report);
            }
            match checked.failure() {
                Some(error) => Err(error.into()),
                None => Ok(()),
            }
        }
    }
}

fn print_check(report: &CheckReport) {
    if report.integrity == ["ok"] {
        println!("file integrity: ok");
    } else {
        println!("file integrity: {} problems", report.integrity.len());
        for line in &report.integrity {
            println!("  - {line}");
        }
    }
    if report.foreign_keys.is_empty() {
        println!("references: ok");
    } else {
        println!("references: {} broken", report.foreign_keys.len());
        for line in &report.foreign_keys {
            println!("  - {line}");
        }
    }
    println!("audit chain: {}", report.audit);
    if report.records.is_empty() {
        println!("records: all match the audit log");
    } else {
        println!(
            "records: {} differ from the audit log",
            report.records.len()
        );
        for mismatch in &report.records {
            println!("  - {mismatch}");
        }
    }
}

/// The acting admin's PIN for a restore, when they have one: the restore replaces the file, so
/// the PIN is asked (or read from REFURBDESK_PIN) before, on a workstation closed again at once.
fn restore_pin(paths: &DataPaths, global: &GlobalArgs) -> Result<Option<String>, Failure> {
    if !paths.database.exists() {
        return Ok(None);
    }
    let needed = match Workstation::open(paths.clone(), global.operator.clone()) {
        Ok(ws) => refurbdesk_app::session::pin_needed(&ws)?,
        // A database that does not open cannot say who has a PIN; the restore decides.
        Err(_) => None,
    };
    match needed {
        Some(name) => super::read_pin(&name).map(Some),
        None => Ok(None),
    }
}
