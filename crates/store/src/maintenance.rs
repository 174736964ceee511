//! Backups, restores and health checks of the database file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditEntry, AuditReport, RecordMismatch};
use crate::error::StoreError;
use crate::store::{user_version, Store, SCHEMA_VERSION};

/// How often a backup step that found the destination locked is retried,
/// and how long it waits in between.
const BACKUP_STEP_ATTEMPTS: u32 = 50;
const BACKUP_STEP_PAUSE: Duration = Duration::from_millis(100);

/// The state of the database file as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// What `PRAGMA integrity_check` said; `["ok"]` when the file is sound.
    pub integrity: Vec<String>,
    /// Rows that point at records that do not exist.
    pub foreign_keys: Vec<String>,
    pub audit: AuditReport,
    /// Records that differ from what the audit log says was written.
    pub records: Vec<RecordMismatch>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"]
            && self.foreign_keys.is_empty()
            && self.audit.is_intact()
            && self.records.is_empty()
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreReport {
    /// Audit entries in the restored database, all verified.
    pub audit_entries: u64,
    /// Where the database that was replaced was kept, if there was one.
    pub replaced_copy: Option<PathBuf>,
}

impl Store {
    /// Walks the whole audit chain.
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        audit::verify_chain(&self.conn)
    }

    /// Audit entries after `after_seq`, oldest first, at most `limit`.
    pub fn audit_entries(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        audit::entries_after(&self.conn, after_seq, limit)
    }

    /// Checks the file's structure, its foreign keys, the audit chain and
    /// every record against its latest audit entry.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        Ok(CheckReport {
            integrity: integrity_check(&self.conn)?,
            foreign_keys: foreign_key_check(&self.conn)?,
            audit: audit::verify_chain(&self.conn)?,
            records: audit::check_records(&self.conn)?,
        })
    }

    /// Copies the database to `target` while it stays in use: the copy is
    /// one consistent moment, even if other programs write meanwhile. The
    /// copy appears at `target` only once complete.
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if same_file(&self.path, target) {
            return Err(StoreError::SameFile {
                path: target.to_owned(),
            });
        }
        backup_connection(&self.conn, target)
    }

    /// Replaces `target` with the database in `backup`, after checking that
    /// the backup opens, passes SQLite's integrity check and has an intact
    /// audit chain. The replaced database is kept as
    /// `<target>.before-restore.bak`. No program may have `target` open.
    pub fn restore_from(backup: &Path, target: &Path) -> Result<RestoreReport, StoreError> {
        if same_file(backup, target) {
            return Err(StoreError::SameFile {
                path: target.to_owned(),
            });
        }
        let source = open_backup(backup)?;
        let chain = audit::verify_chain(&source)
            .map_err(|error| crate::store::name_file(backup, "restore from", error))?;
        let audit_entries = match chain {
            AuditReport::Intact { entries } => entries,
            AuditReport::Broken { problem, .. } => {
                return Err(StoreError::AuditBroken {
                    path: backup.to_owned(),
                    problem,
                })
            }
        };

        let replaced_copy = if target.exists() {
            settle_target(target)?;
            let copy = sibling(target, ".before-restore.bak");
            std::fs::copy(target, &copy).map_err(|source| StoreError::Io {
                action: "could not keep a copy of the database being replaced at",
                path: copy.clone(),
                source,
            })?;
            Some(copy)
        } else {
            None
        };

        backup_connection(&source, target)?;
        tracing::info!(backup = %backup.display(), target = %target.display(), "database restored");
        Ok(RestoreReport {
            audit_entries,
            replaced_copy,
        })
    }
}

/// Opens a backup read-only and refuses it unless it is a sound Refurbdesk
/// database this build can read.
fn open_backup(path: &Path) -> Result<Connection, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Io {
            action: "cannot restore from",
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such backup file"),
        });
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    let version = user_version(&conn).map_err(|error| match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            crate::store::classify_open_error(path, error)
        }
        _ => StoreError::from(error),
    })?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }
    let integrity = integrity_check(&conn)
        .map_err(|error| crate::store::name_file(path, "restore from", error))?;
    if integrity != ["ok"] {
        return Err(StoreError::Corrupt {
            location: path.display().to_string(),
            detail: integrity.join("; "),
        });
    }
    Ok(conn)
}

/// Makes sure nobody else has `target` open and folds its write-ahead log
/// into the main file, so renaming a new file over it cannot leave a stale
/// log behind to be replayed onto the restored data.
fn settle_target(target: &Path) -> Result<(), StoreError> {
    let in_use = || StoreError::TargetInUse {
        path: target.to_owned(),
    };
    let conn = Connection::open(target).map_err(|source| StoreError::Open {
        path: target.to_owned(),
        source,
    })?;
    // Leaving WAL mode needs every other connection closed, so with no
    // waiting allowed, success proves nobody else has the file open.
    let settled = conn.busy_timeout(Duration::ZERO).and_then(|()| {
        conn.query_row("PRAGMA journal_mode=DELETE", [], |row| {
            row.get::<_, String>(0)
        })
    });
    drop(conn);
    match settled {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") && !sibling(target, "-wal").exists() => {
            Ok(())
        }
        Ok(_) => Err(in_use()),
        Err(error) if crate::error::is_busy_sqlite(&error) => Err(in_use()),
        Err(error) => {
            // The target is too damaged to open, which is why it is being
            // restored; its leftover log belongs to the damaged data.
            tracing::warn!(%error, target = %target.display(), "replacing a database that does not open");
            for suffix in ["-wal", "-shm"] {
                let leftover = sibling(target, suffix);
                if leftover.exists() {
                    let kept = sibling(target, &format!(".before-restore.bak{suffix}"));
                    std::fs::rename(&leftover, &kept).map_err(|source| StoreError::Io {
                        action: "could not move aside the damaged database's log file",
                        path: leftover.clone(),
                        source,
                    })?;
                }
            }
            Ok(())
        }
    }
}

/// Copies the database behind `source` to `target` with SQLite's online
/// backup, through a temporary file that is renamed into place, so `target`
/// is never seen half-written.
pub(crate) fn backup_connection(source: &Connection, target: &Path) -> Result<(), StoreError> {
    let partial = sibling(target, &format!(".partial-{}", Uuid::now_v7().simple()));
    let outcome = copy_database(source, &partial).and_then(|()| {
        sync_file(&partial)?;
        std::fs::rename(&partial, target).map_err(|source| StoreError::Io {
            action: "could not move the finished copy into place at",
            path: target.to_owned(),
            source,
        })?;
        sync_parent(target);
        Ok(())
    });
    if outcome.is_err() {
        // The partial copy is worthless; failing to delete it changes nothing.
        let _ = std::fs::remove_file(&partial);
    }
    outcome
}

fn copy_database(source: &Connection, destination: &Path) -> Result<(), StoreError> {
    let mut copy = Connection::open(destination).map_err(|source| StoreError::Open {
        path: destination.to_owned(),
        source,
    })?;
    {
        let backup = Backup::new(source, &mut copy)?;
        let mut attempts = 0;
        loop {
            // All pages in one step: the source is read in a single read
            // transaction, so writers elsewhere cannot force a restart and
            // the copy is one consistent moment.
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                // Busy or Locked: the destination is briefly locked.
                _ if attempts < BACKUP_STEP_ATTEMPTS => {
                    attempts += 1;
                    thread::sleep(BACKUP_STEP_PAUSE);
                }
                _ => {
                    return Err(StoreError::Busy {
                        operation: "copy the database",
                        attempts: BACKUP_STEP_ATTEMPTS,
                    })
                }
            }
        }
    }
    // A copy must be a single self-contained file, not one that needs a
    // write-ahead log beside it.
    copy.execute_batch("PRAGMA journal_mode=DELETE;")?;
    copy.close().map_err(|(_, error)| StoreError::from(error))?;
    Ok(())
}

pub(crate) fn integrity_check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare("PRAGMA integrity_check")?;
    let lines = statement.query_map([], |row| row.get::<_, String>(0))?;
    Ok(lines.collect::<Result<_, _>>()?)
}

fn foreign_key_check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
    let problems = statement.query_map([], |row| {
        let table: String = row.get(0)?;
        let rowid: Option<i64> = row.get(1)?;
        let parent: String = row.get(2)?;
        Ok(format!(
            "{table} row {} refers to a missing {parent} record",
            rowid.map_or_else(|| "?".to_owned(), |id| id.to_string())
        ))
    })?;
    Ok(problems.collect::<Result<_, _>>()?)
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|source| StoreError::Io {
            action: "could not flush the copy to disk at",
            path: path.to_owned(),
            source,
        })
}

/// Makes the rename itself durable. Only possible on Unix; elsewhere the
/// file system orders it for us.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Err(error) = File::open(parent).and_then(|dir| dir.sync_all()) {
            tracing::warn!(%error, dir = %parent.display(), "could not flush the folder after renaming a copy into it");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
