//! Everything that can go wrong in the store, each phrased so the person
//! reading it knows what happened and what to do next.

use std::path::PathBuf;

use rusqlite::ErrorCode;
use thiserror::Error;

use crate::audit::AuditProblem;
use crate::roles::{Action, Role};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "could not open the database at {}: {source}; check that the folder exists and that you may write to it",
        path.display()
    )]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error(
        "{} is not a readable SQLite database (it may be damaged, or another kind of file); \
         restore it from a backup or choose another file",
        path.display()
    )]
    NotADatabase { path: PathBuf },

    #[error(
        "{} is a damaged Refurbdesk database (SQLite: {detail}); keep it as evidence and restore \
         the last backup that checks clean",
        path.display()
    )]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "cannot {operation}: the database {} is read-only for this user (the file, or the folder \
         that holds it and its journal); make both writable, or name a database you may write",
        path.display()
    )]
    ReadOnly {
        operation: &'static str,
        path: PathBuf,
    },

    #[error(
        "{} is an SQLite database that Refurbdesk did not create (it has tables but no Refurbdesk \
         schema version); choose another file so that it is not changed",
        path.display()
    )]
    ForeignDatabase { path: PathBuf },

    #[error(
        "the database at {} has schema version {found}, but this build of Refurbdesk knows only \
         versions up to {known}; upgrade Refurbdesk to open it (the database was left untouched)",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },

    #[error(
        "could not upgrade the database at {} from schema version {from} to {to}: {detail}; \
         the upgrade was rolled back, so the database is unchanged{}; report this to the \
         Refurbdesk developers",
        path.display(),
        backup.as_ref().map_or_else(String::new, |b| format!(" (a copy from before the upgrade is at {})", b.display()))
    )]
    Migration {
        path: PathBuf,
        from: u32,
        to: u32,
        backup: Option<PathBuf>,
        detail: String,
    },

    #[error(
        "the database holds damaged data in {location}: {detail}; check the whole database, and \
         restore it from a backup if the check fails"
    )]
    Corrupt { location: String, detail: String },

    #[error(
        "the audit log of {} does not verify: {problem}; do not use this copy — choose an older backup",
        path.display()
    )]
    AuditBroken {
        path: PathBuf,
        problem: AuditProblem,
    },

    #[error(
        "operator {operator:?} is {} and may not {action}; {} may — ask an admin to change \
         the role or let such an operator do it",
        role.with_article(),
        Role::allowed_for(*action)
    )]
    NotAllowed {
        operator: String,
        role: Role,
        action: Action,
    },

    #[error("operator {name:?} is not registered on this station")]
    UnknownOperator { name: String },

    #[error("operator {name:?} is disabled; ask an admin to enable it again")]
    DisabledOperator { name: String },

    #[error(
        "operator {name:?} already exists; choose another name, or enable the existing operator"
    )]
    OperatorExists { name: String },

    #[error("{name:?} cannot be an operator name: {reason}")]
    InvalidOperatorName { name: String, reason: String },

    #[error(
        "operator {name:?} is the last enabled admin; add or enable another admin first, so that \
         someone can still manage operators"
    )]
    LastAdmin { name: String },

    #[error(
        "the first operator must be an admin, so that someone can manage operators; add \
         {name:?} with role admin, or add an admin first and then {name:?} as {role}"
    )]
    FirstOperatorMustBeAdmin { name: String, role: Role },

    #[error(
        "cannot tell who is acting: no operator was given and the OS user name is empty; pass an \
         operator name"
    )]
    NoOperatorName,

    #[error("the intake cannot be recorded: {field} {reason}")]
    InvalidIntake { field: String, reason: String },

    #[error(
        "the device reports IMEI {imei} and {make} serial {serial}, but that serial is already \
         recorded for device {existing_device} with IMEI {existing_imei}; re-read both numbers \
         from the device (dial *#06# for the IMEI) — if they are right, the device has parts from \
         another one and a quality manager must decide how to record it"
    )]
    IdentityConflict {
        imei: String,
        make: String,
        serial: String,
        existing_device: uuid::Uuid,
        existing_imei: String,
    },

    #[error(
        "{reference:?} matches {count} devices (the same serial under different makes); search \
         by IMEI or by an intake id instead"
    )]
    AmbiguousReference { reference: String, count: usize },

    #[error(
        "the database stayed busy through {attempts} attempts to {operation}; another Refurbdesk \
         program is holding it — wait for it to finish and try again"
    )]
    Busy {
        operation: &'static str,
        attempts: u32,
    },

    #[error(
        "{} is in use by another program; close the Refurbdesk app and any command-line runs \
         before restoring",
        path.display()
    )]
    TargetInUse { path: PathBuf },

    #[error(
        "{} would be copied onto itself; choose a different file for the copy",
        path.display()
    )]
    SameFile { path: PathBuf },

    #[error(
        "{action} {}: {source}; check that the file or folder exists, that you may write there \
         and that the disk is not full",
        path.display()
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the erasure cannot be recorded: {field} {reason}")]
    InvalidErasure { field: String, reason: String },

    #[error("the verification sample cannot be recorded: {field} {reason}")]
    InvalidQa { field: String, reason: String },

    #[error(
        "{operator} erased {erasure} and may not verify it: the re-check must be independent; \
         another operator checks it"
    )]
    SelfVerification {
        erasure: uuid::Uuid,
        operator: String,
    },

    #[error("there is no erasure {id} in this database; check the id (it is printed when the erasure starts)")]
    UnknownErasure { id: uuid::Uuid },

    #[error(
        "erasure {id} already ended as {status} and cannot be changed; start a new erasure instead"
    )]
    ErasureFinished { id: uuid::Uuid, status: String },

    #[error("the certificate cannot be recorded: {field} {reason}")]
    InvalidCertificate { field: String, reason: String },

    #[error("there is no certificate {id} in this database")]
    UnknownCertificate { id: uuid::Uuid },

    #[error("certificate {id} was already voided on {at} by {by}; a void is final")]
    AlreadyVoided {
        id: uuid::Uuid,
        at: chrono::DateTime<chrono::Utc>,
        by: String,
    },

    #[error("erasure {erasure_id} ended as {status}: only an erasure that finished and verified can be certified; erase the media again")]
    NotCertifiable {
        erasure_id: uuid::Uuid,
        status: String,
    },

    #[error("signing key {key_id} is already published with a different public key: the key was swapped; restore the organisation's keys folder")]
    KeyConflict { key_id: String },

    #[error("the setting {key:?} cannot be set: {reason}")]
    InvalidSetting { key: String, reason: String },

    #[error("the grade cannot be recorded: {field} {reason}")]
    InvalidGrade { field: String, reason: String },

    #[error(
        "batch {id} was closed on {closed_at}: it is evidence as closed and takes no more changes"
    )]
    BatchClosed { id: uuid::Uuid, closed_at: String },

    #[error("database error: {0}; if it repeats, check the database")]
    Sqlite(#[from] rusqlite::Error),

    #[error("outbox entry {id} is {state}: only a pending or failed entry can be {done}")]
    OutboxEntryClosed {
        id: uuid::Uuid,
        state: String,
        done: &'static str,
    },

    #[error("the shipment cannot be recorded: {field} {reason}")]
    InvalidShipment { field: String, reason: String },

    #[error("{0}")]
    ShipmentRefused(crate::shipments::ShipRefusal),
}

impl StoreError {
    /// Whether the error only means another connection held the write lock,
    /// so that the same work may succeed if tried again.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(error) | StoreError::Open { source: error, .. } => {
                is_busy_sqlite(error)
            }
            StoreError::Busy { .. } => true,
            _ => false,
        }
    }
}

pub(crate) fn is_busy_sqlite(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(crate) fn corrupt(location: impl Into<String>, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        location: location.into(),
        detail: detail.to_string(),
    }
}
