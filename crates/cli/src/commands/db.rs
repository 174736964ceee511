//! `refurbdesk db`: backups, restores and the health check of the station's
//! database file.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, Subcommand};
use refurbdesk_app::DataPaths;
use refurbdesk_store::{CheckReport, Role, Store, StoreError};
use serde::Serialize;

use super::{open_existing, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy the database to FILE while it stays in use (one consistent moment, one self-contained file)
    Backup(BackupArgs),
    /// Replace the --db database with the backup in FILE, after checking the backup (admins only)
    Restore(RestoreArgs),
    /// Check the file (SQLite integrity, references), the audit chain and every record against it;
    /// exit 1 on a problem
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
struct BackupOutput<'a> {
    database: &'a Path,
    backup: &'a Path,
    bytes: u64,
}

#[derive(Serialize)]
struct RestoreOutput<'a> {
    database: &'a Path,
    backup: &'a Path,
    audit_entries: u64,
    replaced_copy: Option<&'a Path>,
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
        DbCommand::Backup(args) => backup(args, global, paths),
        DbCommand::Restore(args) => restore(args, global, paths),
        DbCommand::Check => check(global, paths),
    }
}

fn backup(args: &BackupArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    if args.file.exists() && !args.force {
        return Err(Failure::new(
            Exit::Refused,
            anyhow!(
                "{} already exists; choose another file name, or pass --force to replace it",
                args.file.display()
            ),
        ));
    }
    let store = open_existing(paths)?;
    store.backup_to(&args.file).map_err(maintenance_failure)?;
    let bytes = std::fs::metadata(&args.file)
        .map(|meta| meta.len())
        .map_err(|error| {
            anyhow!(
                "the backup was written to {} but cannot be read back: {error}; check the folder",
                args.file.display()
            )
        })?;
    if global.json {
        let output = BackupOutput {
            database: &paths.database,
            backup: &args.file,
            bytes,
        };
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "backed up {} to {} ({bytes} bytes)",
            paths.database.display(),
            args.file.display()
        );
    }
    Ok(())
}

fn restore(args: &RestoreArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let target = &paths.database;
    require_admin(global, target)?;
    let report = Store::restore_from(&args.file, target).map_err(maintenance_failure)?;
    if global.json {
        let output = RestoreOutput {
            database: target,
            backup: &args.file,
            audit_entries: report.audit_entries,
            replaced_copy: report.replaced_copy.as_deref(),
        };
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "restored {} from {}: {} audit entries verified",
            target.display(),
            args.file.display(),
            report.audit_entries
        );
        if let Some(copy) = &report.replaced_copy {
            println!("the database it replaced is kept at {}", copy.display());
        }
    }
    Ok(())
}

/// Replacing the station's history is an admin's decision. A database that
/// no longer opens cannot say who its admins are, and restoring it is the
/// point, so only a readable one is asked.
fn require_admin(global: &GlobalArgs, target: &Path) -> Result<(), Failure> {
    if !target.exists() {
        return Ok(());
    }
    let store = match Store::open(target) {
        Ok(store) => store,
        Err(error) => {
            tracing::warn!(%error, target = %target.display(), "restoring over a database that does not open");
            return Ok(());
        }
    };
    let actor = store
        .resolve_actor(global.operator.as_deref(), &refurbdesk_app::os_user())
        .map_err(store_failure)?;
    if actor.role != Role::Admin {
        return Err(Failure::new(
            Exit::Refused,
            anyhow!(
                "operator {:?} is {} and may not restore the database; only an admin may — \
                 pass --operator NAME of an admin",
                actor.name,
                actor.role.with_article()
            ),
        ));
    }
    Ok(())
}

fn check(global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let store = open_existing(paths)?;
    let report = store.check().map_err(store_failure)?;
    let ok = report.is_ok();
    if global.json {
        let output = CheckOutput {
            database: &paths.database,
            ok,
            report: &report,
        };
        println!("{}", serde_json::to_string(&output)?);
    } else {
        print_check(&report);
    }
    if ok {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::CheckFailed,
            anyhow!(
                "{} has problems (listed above); keep it as evidence and restore the last backup \
                 that checks clean with `refurbdesk db restore FILE`",
                paths.database.display()
            ),
        ))
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

/// Backup and restore errors: a bad backup is a failed check (1), a missing
/// one is not found (4), a busy or same-file target is refused (7).
fn maintenance_failure(error: StoreError) -> Failure {
    let exit = match &error {
        StoreError::AuditBroken { .. } | StoreError::Corrupt { .. } => Exit::CheckFailed,
        StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Exit::NotFound
        }
        StoreError::TargetInUse { .. } | StoreError::SameFile { .. } => Exit::Refused,
        _ => return store_failure(error),
    };
    Failure::new(exit, anyhow!(error))
}
