//! Erasure records: what was overwritten, how, by whom, and whether the
//! read-back proved it. Written under full durability, since a certificate
//! rests on them.
//!
//! An erasure is recorded `running` before its first write and finished once.
//! A `running` record whose process has gone (a crash, a power cut, a kill)
//! is marked `interrupted` the next time the store is opened, so no record
//! can stay "in progress" forever or be mistaken for a finished one.

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, text_column, timestamp,
};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::{Store, SYSTEM_OPERATOR};

/// Where an erasure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureStatus {
    /// Started and not finished; its process should be alive.
    Running,
    /// Every pass written and the read-back matched.
    Verified,
    /// A write or read failed, or the read-back differed.
    Failed,
    /// Stopped before the end (Ctrl-C, crash, power cut): proves nothing.
    Interrupted,
}

impl ErasureStatus {
    pub const ALL: [ErasureStatus; 4] = [
        ErasureStatus::Running,
        ErasureStatus::Verified,
        ErasureStatus::Failed,
        ErasureStatus::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErasureStatus::Running => "running",
            ErasureStatus::Verified => "verified",
            ErasureStatus::Failed => "failed",
            ErasureStatus::Interrupted => "interrupted",
        }
    }

    fn from_word(word: &str) -> Option<ErasureStatus> {
        ErasureStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == word)
    }
}

impl fmt::Display for ErasureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fault of an erasure: a refused write or read, or a mismatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureFault {
    /// `write`, `flush`, `read` or `mismatch`.
    pub kind: String,
    pub pass: u32,
    pub offset: u64,
    pub length: u64,
    pub detail: String,
}

/// An erasure about to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewErasure {
    /// The device path or image file path.
    pub target: String,
    /// `image` or `block`.
    pub target_kind: String,
    /// `zero`, `random` or `dod3`.
    pub method: String,
    pub passes: u32,
    pub seed: Option<String>,
    /// `full` or `sample:PCT`.
    pub verify: String,
    pub verify_seed: Option<String>,
    pub tool_version: String,
    pub operator: String,
    /// The drive's identity as the erasure engine read it.
    pub drive: serde_json::Value,
    pub drive_model: Option<String>,
    pub drive_serial: Option<String>,
    pub size_bytes: u64,
    pub device_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
}

/// How an erasure ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureResult {
    /// Anything but `running`.
    pub status: ErasureStatus,
    pub passes_completed: u32,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub errors: Vec<ErasureFault>,
    pub fault_count: u64,
    pub note: Option<String>,
    pub finished_at: DateTime<Utc>,
    pub duration_s: f64,
    pub throughput_mib_s: f64,
}

/// An erasure as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureRecord {
    pub id: Uuid,
    pub station_id: Uuid,
    pub device_id: Option<Uuid>,
    pub target: String,
    pub target_kind: String,
    pub method: String,
    pub passes: u32,
    pub seed: Option<String>,
    pub verify: String,
    pub verify_seed: Option<String>,
    pub status: ErasureStatus,
    pub passes_completed: u32,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub errors: Vec<ErasureFault>,
    pub fault_count: u64,
    pub note: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_s: Option<f64>,
    pub throughput_mib_s: Option<f64>,
    pub tool_version: String,
    pub operator: String,
    pub drive: serde_json::Value,
    pub drive_model: Option<String>,
    pub drive_serial: Option<String>,
    pub size_bytes: u64,
    pub pid: u32,
    pub process_tag: String,
}

const TARGET_KINDS: [&str; 2] = ["image", "block"];
const METHODS: [&str; 3] = ["zero", "random", "dod3"];
const FAULT_KINDS: [&str; 4] = ["write", "flush", "read", "mismatch"];

impl Store {
    /// Records that an erasure is starting, durably, before anything is
    /// overwritten. The record names this process, so a later open can tell
    /// if it died.
    pub fn start_erasure(&mut self, erasure: &NewErasure) -> Result<Uuid, StoreError> {
        validate_new(erasure)?;
        let drive = serde_json::to_string(&erasure.drive)
            .map_err(|error| invalid("drive", format!("cannot be stored as JSON: {error}")))?;
        let station_id = self.station_id;
        let tag = ProcessTag::current();
        self.with_full_durability(|store| {
            store.write("record the start of an erasure", |tx| {
                authorize(tx, &erasure.operator, Action::Erase)?;
                if let Some(device_id) = erasure.device_id {
                    let known: Option<i64> = tx
                        .query_row("SELECT 1 FROM devices WHERE id = ?1", [id_text(device_id)], |row| row.get(0))
                        .optional()?;
                    if known.is_none() {
                        return Err(invalid(
                            "device_id",
                            format!("{device_id} is not a recorded device; record an intake for it first or leave it out"),
                        ));
                    }
                }
                let id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO erasures (id, station_id, device_id, target, target_kind, method, passes,
                         seed, verify, verify_seed, status, started_at, tool_version, operator,
                         drive_json, drive_model, drive_serial, size_bytes, pid, process_tag)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'running', ?11, ?12, ?13,
                         ?14, ?15, ?16, ?17, ?18, ?19)",
                    rusqlite::params![
                        id_text(id),
                        id_text(station_id),
                        erasure.device_id.map(id_text),
                        erasure.target,
                        erasure.target_kind,
                        erasure.method,
                        erasure.passes,
                        erasure.seed,
                        erasure.verify,
                        erasure.verify_seed,
                        timestamp(erasure.started_at),
                        erasure.tool_version,
                        erasure.operator,
                        drive,
                        erasure.drive_model,
                        erasure.drive_serial,
                        erasure.size_bytes as i64,
                        tag.pid,
                        tag.to_string(),
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: &erasure.operator,
                        action: "erasure.started",
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                Ok(id)
            })
        })
    }

    /// Writes how a running erasure ended. A finished erasure cannot be
    /// finished again (nor changed in any other way).
    pub fn finish_erasure(
        &mut self,
        id: Uuid,
        result: &ErasureResult,
        operator: &str,
    ) -> Result<ErasureRecord, StoreError> {
        if result.status == ErasureStatus::Running {
            return Err(invalid(
                "status",
                "of a finished erasure cannot be running; use verified, failed or interrupted"
                    .to_owned(),
            ));
        }
        for (index, fault) in result.errors.iter().enumerate() {
            if !FAULT_KINDS.contains(&fault.kind.as_str()) {
                return Err(invalid(
                    &format!("errors[{index}].kind"),
                    format!("is {:?}; use write, flush, read or mismatch", fault.kind),
                ));
            }
        }
        let errors = serde_json::to_string(&result.errors)
            .map_err(|error| invalid("errors", format!("cannot be stored as JSON: {error}")))?;
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("record the end of an erasure", |tx| {
                authorize(tx, operator, Action::Erase)?;
                let before = running_digest(tx, id)?;
                tx.execute(
                    "UPDATE erasures SET status = ?2, passes_completed = ?3, bytes_written = ?4,
                         bytes_verified = ?5, errors_json = ?6, fault_count = ?7, note = ?8,
                         finished_at = ?9, duration_s = ?10, throughput_mib_s = ?11
                     WHERE id = ?1",
                    rusqlite::params![
                        id_text(id),
                        result.status.as_str(),
                        result.passes_completed,
                        result.bytes_written as i64,
                        result.bytes_verified as i64,
                        errors,
                        result.fault_count as i64,
                        result.note,
                        timestamp(result.finished_at),
                        finite(result.duration_s),
                        finite(result.throughput_mib_s),
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator,
                        action: finish_action(result.status),
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: Some(before),
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                read_erasure(tx, id)?
                    .ok_or_else(|| corrupt("erasures", "a finished erasure vanished"))
            })
        })
    }

    /// The erasure with this id.
    pub fn erasure(&self, id: Uuid) -> Result<Option<ErasureRecord>, StoreError> {
        read_erasure(&self.conn, id)
    }

    /// The erasures of a device, oldest first.
    pub fn erasures_for_device(&self, device_id: Uuid) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM erasures WHERE device_id = ?1 ORDER BY started_at, id",
        )?;
        let mut rows = statement.query([id_text(device_id)])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(erasure_from_row(row)?);
        }
        Ok(found)
    }

    /// Erasures recorded as running on this station, oldest first.
    pub fn running_erasures(&self) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM erasures WHERE status = 'running' AND station_id = ?1 ORDER BY started_at, id",
        )?;
        let mut rows = statement.query([id_text(self.station_id)])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(erasure_from_row(row)?);
        }
        Ok(found)
    }

    /// Marks `interrupted` every running erasure of this station whose
    /// process is gone, and returns their ids. Called on every open.
    pub fn interrupt_stale_erasures(&mut self) -> Result<Vec<Uuid>, StoreError> {
        if !has_erasures_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let stale: Vec<ErasureRecord> = self
            .running_erasures()?
            .into_iter()
            .filter(|record| !ProcessTag::parse(record.pid, &record.process_tag).is_alive())
            .collect();
        if stale.is_empty() {
            return Ok(Vec::new());
        }
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("mark abandoned erasures interrupted", |tx| {
                let mut marked = Vec::new();
                for record in &stale {
                    // Checked again under the write lock: another program may
                    // have finished or marked it meanwhile.
                    let still_running: Option<i64> = tx
                        .query_row(
                            "SELECT 1 FROM erasures WHERE id = ?1 AND status = 'running'",
                            [id_text(record.id)],
                            |row| row.get(0),
                        )
                        .optional()?;
                    if still_running.is_none() {
                        continue;
                    }
                    let before = running_digest(tx, record.id)?;
                    let now = Utc::now();
                    let duration = (now - record.started_at).to_std().map_or(0.0, |d| d.as_secs_f64());
                    tx.execute(
                        "UPDATE erasures SET status = 'interrupted', finished_at = ?2, duration_s = ?3,
                             note = ?4 WHERE id = ?1",
                        rusqlite::params![
                            id_text(record.id),
                            timestamp(now),
                            duration,
                            format!(
                                "the erasing process (pid {}) ended without finishing (crash, power cut or kill); \
                                 nothing is proven — erase the drive again from the start",
                                record.pid
                            ),
                        ],
                    )?;
                    audit::append(
                        tx,
                        station_id,
                        AuditWrite {
                            operator: SYSTEM_OPERATOR,
                            action: "erasure.interrupted",
                            entity: Entity::Erasure,
                            entity_id: record.id,
                            before: Some(before),
                            after: audit::record_digest(tx, Entity::Erasure, record.id)?,
                        },
                    )?;
                    marked.push(record.id);
                }
                Ok(marked)
            })
        })
    }
}

/// Run on open: a failure to tidy up must not stop the store from opening.
pub(crate) fn interrupt_stale_on_open(store: &mut Store) {
    match store.interrupt_stale_erasures() {
        Ok(marked) if !marked.is_empty() => {
            tracing::warn!(count = marked.len(), ids = ?marked, "erasures left running by a process that is gone were marked interrupted");
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "could not check for abandoned erasures"),
    }
}

fn has_erasures_table(conn: &Connection) -> Result<bool, StoreError> {
    let count: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'erasures'",
        [],
        |row| row.get(0),
    )?;
    Ok(count > 0)
}

fn finish_action(status: ErasureStatus) -> &'static str {
    match status {
        ErasureStatus::Running => "erasure.started",
        ErasureStatus::Verified => "erasure.verified",
        ErasureStatus::Failed => "erasure.failed",
        ErasureStatus::Interrupted => "erasure.interrupted",
    }
}

/// The digest of an erasure that must still be running, for the audit entry.
fn running_digest(tx: &Connection, id: Uuid) -> Result<String, StoreError> {
    let status: Option<String> = tx
        .query_row(
            "SELECT status FROM erasures WHERE id = ?1",
            [id_text(id)],
            |row| row.get(0),
        )
        .optional()?;
    match status.as_deref() {
        None => Err(StoreError::UnknownErasure { id }),
        Some("running") => {
            audit::record_digest(tx, Entity::Erasure, id)?.ok_or(StoreError::UnknownErasure { id })
        }
        Some(other) => Err(StoreError::ErasureFinished {
            id,
            status: other.to_owned(),
        }),
    }
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn invalid(field: &str, reason: String) -> StoreError {
    StoreError::InvalidErasure {
        field: field.to_owned(),
        reason,
    }
}

fn validate_new(erasure: &NewErasure) -> Result<(), StoreError> {
    if erasure.operator.trim().is_empty() {
        return Err(invalid(
            "operator",
            "is empty; name the operator who starts the erasure".to_owned(),
        ));
    }
    if erasure.target.trim().is_empty() {
        return Err(invalid(
            "target",
            "is empty; give the device or image path".to_owned(),
        ));
    }
    if !TARGET_KINDS.contains(&erasure.target_kind.as_str()) {
        return Err(invalid(
            "target_kind",
            format!("is {:?}; use image or block", erasure.target_kind),
        ));
    }
    if !METHODS.contains(&erasure.method.as_str()) {
        return Err(invalid(
            "method",
            format!("is {:?}; use zero, random or dod3", erasure.method),
        ));
    }
    if erasure.passes == 0 {
        return Err(invalid(
            "passes",
            "is 0; every method writes at least one pass".to_owned(),
        ));
    }
    if erasure.size_bytes > i64::MAX as u64 {
        return Err(invalid(
            "size_bytes",
            format!("({}) is larger than any drive", erasure.size_bytes),
        ));
    }
    let verify_ok = erasure.verify == "full"
        || erasure
            .verify
            .strip_prefix("sample:")
            .and_then(|pct| pct.parse::<f64>().ok())
            .is_some_and(|pct| pct > 0.0 && pct <= 100.0);
    if !verify_ok {
        return Err(invalid(
            "verify",
            format!("is {:?}; use full or sample:PCT", erasure.verify),
        ));
    }
    Ok(())
}

fn read_erasure(conn: &Connection, id: Uuid) -> Result<Option<ErasureRecord>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM erasures WHERE id = ?1")?;
    let mut rows = statement.query([id_text(id)])?;
    rows.next()?.map(erasure_from_row).transpose()
}

fn erasure_from_row(row: &Row<'_>) -> Result<ErasureRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "erasures");
    let optional = |column: &str| optional_text_column(row, column, "erasures");
    let integer = |column: &str| -> Result<i64, StoreError> {
        row.get::<_, i64>(column)
            .map_err(|error| corrupt(format!("erasures.{column}"), error))
    };
    let real = |column: &str| -> Result<Option<f64>, StoreError> {
        row.get::<_, Option<f64>>(column)
            .map_err(|error| corrupt(format!("erasures.{column}"), error))
    };
    let status = text("status")?;
    let errors = text("errors_json")?;
    let drive = text("drive_json")?;
    Ok(ErasureRecord {
        id: parse_uuid(&text("id")?, "erasures.id")?,
        station_id: parse_uuid(&text("station_id")?, "erasures.station_id")?,
        device_id: optional("device_id")?
            .map(|id| parse_uuid(&id, "erasures.device_id"))
            .transpose()?,
        target: text("target")?,
        target_kind: text("target_kind")?,
        method: text("method")?,
        passes: integer("passes")? as u32,
        seed: optional("seed")?,
        verify: text("verify")?,
        verify_seed: optional("verify_seed")?,
        status: ErasureStatus::from_word(&status)
            .ok_or_else(|| corrupt("erasures.status", format!("unknown status {status:?}")))?,
        passes_completed: integer("passes_completed")? as u32,
        bytes_written: integer("bytes_written")? as u64,
        bytes_verified: integer("bytes_verified")? as u64,
        errors: serde_json::from_str(&errors)
            .map_err(|error| corrupt("erasures.errors_json", error))?,
        fault_count: integer("fault_count")? as u64,
        note: optional("note")?,
        started_at: parse_timestamp(&text("started_at")?, "erasures.started_at")?,
        finished_at: optional("finished_at")?
            .map(|at| parse_timestamp(&at, "erasures.finished_at"))
            .transpose()?,
        duration_s: real("duration_s")?,
        throughput_mib_s: real("throughput_mib_s")?,
        tool_version: text("tool_version")?,
        operator: text("operator")?,
        drive: serde_json::from_str(&drive)
            .map_err(|error| corrupt("erasures.drive_json", error))?,
        drive_model: optional("drive_model")?,
        drive_serial: optional("drive_serial")?,
        size_bytes: integer("size_bytes")? as u64,
        pid: integer("pid")? as u32,
        process_tag: text("process_tag")?,
    })
}

/// Names one run of one process across reboots and pid reuse: the boot it
/// ran in and the moment it started (clock ticks since boot, from
/// `/proc/PID/stat`), written `BOOT_ID/START_TICKS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessTag {
    pid: u32,
    boot_id: Option<String>,
    start_ticks: Option<u64>,
}

impl ProcessTag {
    fn current() -> ProcessTag {
        let pid = std::process::id();
        ProcessTag {
            pid,
            boot_id: boot_id(),
            start_ticks: start_ticks(pid),
        }
    }

    fn parse(pid: u32, text: &str) -> ProcessTag {
        let (boot, ticks) = text.split_once('/').unwrap_or((text, ""));
        ProcessTag {
            pid,
            boot_id: Some(boot.to_owned()).filter(|b| !b.is_empty()),
            start_ticks: ticks.parse().ok(),
        }
    }

    /// Whether that very process is still running on this machine.
    fn is_alive(&self) -> bool {
        if let (Some(recorded), Some(now)) = (&self.boot_id, boot_id()) {
            if *recorded != now {
                return false;
            }
        }
        match (self.start_ticks, start_ticks(self.pid)) {
            (_, None) => false,
            (Some(recorded), Some(now)) => recorded == now,
            // Without a recorded start time, a live pid has to be trusted.
            (None, Some(_)) => true,
        }
    }
}

impl fmt::Display for ProcessTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.boot_id.as_deref().unwrap_or(""),
            self.start_ticks.map(|t| t.to_string()).unwrap_or_default()
        )
    }
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Field 22 of `/proc/PID/stat`; `None` when there is no such process.
fn start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses; fields
    // after the last ')' are plain numbers, starting with field 3.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(22 - 3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_finished_one_is_not() {
        let me = ProcessTag::current();
        assert!(
            me.start_ticks.is_some(),
            "/proc/self/stat gives a start time"
        );
        let reparsed = ProcessTag::parse(me.pid, &me.to_string());
        assert_eq!(reparsed, me);
        assert!(reparsed.is_alive());

        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let pid = child.id();
        child.wait().expect("true ends");
        assert!(
            !ProcessTag::parse(pid, &me.to_string()).is_alive(),
            "pid {pid} has exited"
        );

        let other_boot = ProcessTag {
            boot_id: Some("another-boot".to_owned()),
            ..me.clone()
        };
        assert!(!other_boot.is_alive(), "a record from another boot is dead");
        let reused_pid = ProcessTag {
            start_ticks: me.start_ticks.map(|t| t + 1),
            ..me
        };
        assert!(
            !reused_pid.is_alive(),
            "same pid, other start time: not the same process"
        );
    }
}
