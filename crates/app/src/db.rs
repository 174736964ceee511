//! The station's database file: backups, restores and the health check.

use std::path::PathBuf;

use refurbdesk_store::{Role, Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Hint, Result};
use crate::paths::DataPaths;
use crate::workstation::{os_user, Workstation};

/// What `check` found: SQLite's integrity check, broken references, the audit chain and the
/// records that differ from it.
pub use refurbdesk_store::CheckReport;

/// Where a backup goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupParams {
    #[ts(type = "string")]
    pub file: PathBuf,
    /// Replace `file` if it exists.
    pub force: bool,
}

/// A backup made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupDone {
    #[ts(type = "string")]
    pub database: PathBuf,
    #[ts(type = "string")]
    pub backup: PathBuf,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The backup to restore over the station's database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreParams {
    #[ts(type = "string")]
    pub file: PathBuf,
    /// The acting admin's PIN, when they have one (the restore works on a closed file, so it
    /// is given here rather than by logging in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pin: Option<String>,
}

/// A restore done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreDone {
    #[ts(type = "string")]
    pub database: PathBuf,
    #[ts(type = "string")]
    pub backup: PathBuf,
    /// Audit entries in the restored database, all verified.
    #[ts(type = "number")]
    pub audit_entries: u64,
    /// Where the database that was replaced is kept, if there was one.
    #[ts(type = "string | null")]
    pub replaced_copy: Option<PathBuf>,
}

/// The health of the station's database.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DbCheck {
    #[ts(type = "string")]
    pub database: PathBuf,
    pub ok: bool,
    #[ts(type = "unknown")]
    pub report: CheckReport,
}

impl DbCheck {
    /// The check's verdict as an error when it found a problem (the report says which).
    pub fn failure(&self) -> Option<Error> {
        (!self.ok).then(|| {
            Error::new(
                ErrorCode::CheckFailed,
                format!(
                    "{} has problems (listed above); keep it as evidence and restore the last \
                     backup that checks clean",
                    self.database.display()
                ),
            )
            .with_hint(Hint::RestoreBackup)
        })
    }
}

/// Copies the station's database to `file` while it stays in use (one consistent moment, one
/// self-contained file). An existing `file` is replaced only when `force` is set.
pub fn backup(paths: &DataPaths, params: BackupParams) -> Result<BackupDone> {
    if params.file.exists() && !params.force {
        return Err(Error::refused(format!(
            "{} already exists; choose another file name, or replace it on purpose",
            params.file.display()
        ))
        .with_hint(Hint::ReplaceFile));
    }
    let ws = Workstation::open_existing(paths.clone(), None)?;
    ws.store
        .backup_to(&params.file)
        .map_err(maintenance_error)?;
    let bytes = std::fs::metadata(&params.file)
        .map(|meta| meta.len())
        .map_err(|error| {
            Error::data(format!(
                "the backup was written to {} but cannot be read back: {error}; check the folder",
                params.file.display()
            ))
        })?;
    Ok(BackupDone {
        database: paths.database.clone(),
        backup: params.file,
        bytes,
    })
}

/// Replaces the station's database with the backup in `file`, after checking the backup. Only
/// an admin (`operator`, else the operating-system user) may; no program may hold the database
/// open meanwhile, so this takes paths rather than an open workstation.
pub fn restore(
    paths: &DataPaths,
    operator: Option<&str>,
    params: RestoreParams,
) -> Result<RestoreDone> {
    let target = &paths.database;
    require_admin(paths, operator, params.pin.as_deref())?;
    let report = Store::restore_from(&params.file, target).map_err(maintenance_error)?;
    Ok(RestoreDone {
        database: target.clone(),
        backup: params.file,
        audit_entries: report.audit_entries,
        replaced_copy: report.replaced_copy,
    })
}

/// Checks the file (SQLite integrity, references), the audit chain and every record against it.
pub fn check(ws: &Workstation) -> Result<DbCheck> {
    let report = ws.store.check()?;
    Ok(DbCheck {
        database: ws.paths.database.clone(),
        ok: report.is_ok(),
        report,
    })
}

/// Replacing the station's history is an admin's decision. A database that no longer opens
/// cannot say who its admins are, and restoring it is the point, so only a readable one is asked.
/// An admin who has a PIN gives it: it is checked, and the attempt recorded, in the database
/// about to be replaced.
fn require_admin(paths: &DataPaths, operator: Option<&str>, pin: Option<&str>) -> Result<()> {
    let target = &paths.database;
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
    let actor = store.resolve_actor(operator, &os_user())?;
    crate::workstation::check_named_bootstrap(&actor, operator)?;
    if actor.role != Role::Admin {
        return Err(Error::refused(format!(
            "operator {:?} is {} and may not restore the database; only an admin may",
            actor.name,
            actor.role.with_article()
        ))
        .with_hint(Hint::ActAs {
            role: Role::Admin.with_article(),
        }));
    }
    let mut ws = Workstation {
        paths: paths.clone(),
        store,
        operator: Some(actor.name.clone()),
        verified: None,
        locked: false,
    };
    if crate::session::pin_needed(&ws)?.is_some() {
        let Some(pin) = pin else {
            return Err(Error::refused(format!(
                "operator {:?} has a PIN, and it was not given; restoring the database needs it",
                actor.name
            ))
            .with_hint(Hint::GivePin {
                operator: actor.name,
            }));
        };
        crate::session::login(
            &mut ws,
            crate::session::LoginParams {
                name: actor.name,
                pin: Some(pin.to_owned()),
                lang: None,
            },
        )?;
    }
    Ok(())
}

/// Backup and restore errors: a bad backup (damaged, not a database, not Refurbdesk's, failing
/// its integrity or audit check) is a failed check, exit 1 as docs/cli.md says; a missing one is
/// not found, a busy or same-file target is refused.
fn maintenance_error(error: StoreError) -> Error {
    let code = match &error {
        StoreError::AuditBroken { .. }
        | StoreError::Corrupt { .. }
        | StoreError::Damaged { .. }
        | StoreError::NotADatabase { .. }
        | StoreError::ForeignDatabase { .. } => ErrorCode::CheckFailed,
        StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            ErrorCode::NotFound
        }
        StoreError::TargetInUse { .. } | StoreError::SameFile { .. } => ErrorCode::Refused,
        _ => return error.into(),
    };
    Error::from_error(code, &error)
}
