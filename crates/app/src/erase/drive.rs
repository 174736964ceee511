//! Overwriting and verifying a drive or an image file, recorded in the store.

use std::path::PathBuf;

use refurbdesk_domain::Lang;
use refurbdesk_erasure::recorded::{self, Journal, Start};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{
    DriveFinding, Event, FaultKind, Method, Outcome, Phase, Plan, Report, TargetKind, Verify,
};
use refurbdesk_store::{
    ErasureFault, ErasureRecord, ErasureResult, ErasureStatus, NewErasure, Store, StoreError,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::finding::{tell_note, Finding};
use super::{named_device, EraseStarted};
use crate::error::{Error, ErrorCode};
use crate::progress::{Progress, ProgressReport};
use crate::workstation::Workstation;

/// What to erase, how, and who confirmed it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DriveParams {
    /// The drive (`/dev/sdX`, `/dev/nvmeXnY`, `/dev/loopN`) or image file.
    #[ts(type = "string")]
    pub target: PathBuf,
    #[ts(type = "\"zero\" | \"random\" | \"dod3\"")]
    pub method: Method,
    #[ts(type = "{ mode: \"full\" } | { mode: \"sample\", percent: number }")]
    pub verify: Verify,
    pub confirmation: DriveConfirmation,
    /// The recorded device the drive belongs to (IMEI, serial, device or intake id).
    pub device: Option<String>,
    /// The language the record's note is told in.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// How the person confirmed that the target may be destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DriveConfirmation {
    /// The drive's serial number (a loop device without one: its kernel name).
    Serial { serial: String },
    /// The target is an image file.
    Image,
    /// Not confirmed: the erasure is refused.
    None,
}

/// A drive or image erasure as it ended, with its record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DriveErasure {
    /// The record as stored.
    #[ts(type = "unknown")]
    pub record: ErasureRecord,
    /// Whether the target was written with direct I/O (past the page cache).
    pub direct_io: bool,
    #[ts(type = "\"verified\" | \"failed\" | \"interrupted\"")]
    pub outcome: Outcome,
    /// Why it proves nothing, as data; `None` when verified.
    #[ts(type = "unknown")]
    pub finding: Option<Finding>,
    /// The record's note told in the language asked for.
    pub note: Option<String>,
    /// What the door reports once it has shown the record; `None` when verified.
    pub failure: Option<Error>,
}

/// Overwrites `params.target` with the method's passes, reads the last one back, and records
/// it: `running` before the first byte (then `on_started` hears of it), finished afterwards.
/// Reports bytes done through `progress`; stops between blocks once it is cancelled, and the
/// record says `interrupted`.
pub fn drive(
    ws: &mut Workstation,
    params: &DriveParams,
    progress: &Progress,
    on_started: &mut dyn FnMut(&EraseStarted),
) -> Result<DriveErasure, Error> {
    let actor = ws.actor()?;
    let device_id = named_device(&ws.store, params.device.as_deref())?;
    let confirmation = match &params.confirmation {
        DriveConfirmation::Serial { serial } => Confirmation::Serial(serial.clone()),
        DriveConfirmation::Image => Confirmation::Image,
        DriveConfirmation::None => Confirmation::None,
    };
    let system = System::read()?;
    let mut prepared = prepare(&params.target, &confirmation, &system)?;
    let plan = Plan::new(params.method, params.verify)?;
    let direct_io = prepared.target.direct_io();
    let target_kind = match prepared.identity.kind {
        TargetKind::Image => "image file",
        TargetKind::Block => "block device",
    };
    let cancel = progress.cancel.flag();
    let mut journal = StoreJournal {
        store: &mut ws.store,
        operator: &actor.name,
        device_id,
    };
    let recorded = recorded::run(
        &mut journal,
        &mut prepared,
        &plan,
        &cancel,
        &mut |erasure_id| {
            on_started(&EraseStarted::Drive {
                erasure_id,
                target: params.target.display().to_string(),
                target_kind: target_kind.to_owned(),
                method: plan.method.to_string(),
                verify: plan.verify.to_string(),
            })
        },
        &mut |event| report(progress, event),
    )?;
    let record = recorded.record;
    let finding = recorded.report.finding().map(Finding::Drive);
    let note = tell_note(record.note.as_deref(), params.lang);
    let target = params.target.display();
    let failure = match recorded.report.outcome {
        Outcome::Verified => None,
        Outcome::Interrupted => Some(Error::new(
            ErrorCode::Interrupted,
            format!(
                "the erasure of {target} was interrupted and recorded as such (record {}); \
                 nothing is proven — run it again from the start",
                record.id
            ),
        )),
        Outcome::Failed => {
            let mismatch = recorded
                .report
                .faults
                .iter()
                .any(|fault| fault.kind == FaultKind::Mismatch);
            Some(Error::new(
                if mismatch {
                    ErrorCode::EraseFailed
                } else {
                    ErrorCode::Data
                },
                format!(
                    "the erasure of {target} failed (record {}): {}; the drive cannot be \
                     certified — run it again, and if it fails again retire the drive",
                    record.id,
                    note.as_deref().unwrap_or("see the faults above")
                ),
            ))
        }
    };
    Ok(DriveErasure {
        record,
        direct_io,
        outcome: recorded.report.outcome,
        finding,
        note,
        failure,
    })
}

fn report(progress: &Progress, event: &Event) {
    match event {
        Event::Progress(step) => progress.report(ProgressReport {
            task: "erase".to_owned(),
            done: step.bytes_done,
            total: Some(step.bytes_total),
            stage: Some(match step.phase {
                Phase::Write => format!("pass {}/{}", step.pass, step.passes),
                Phase::Verify => "verify".to_owned(),
            }),
        }),
        Event::PassWritten { pass, passes, .. } => {
            tracing::info!(pass, passes, "pass written and flushed");
        }
        Event::Verified { .. } => {}
    }
}

/// The erasure engine's journal over the store: the start is written (durably, and only if
/// the operator may erase) before the engine writes a byte; the end once, with its finding.
pub struct StoreJournal<'a> {
    pub store: &'a mut Store,
    pub operator: &'a str,
    /// The device the drive belongs to, when known.
    pub device_id: Option<Uuid>,
}

impl Journal for StoreJournal<'_> {
    type Record = ErasureRecord;
    type Error = StoreError;

    fn started(&mut self, start: &Start<'_>) -> Result<Uuid, StoreError> {
        let plan = start.plan;
        let identity = start.identity;
        self.store.start_erasure(&NewErasure {
            target: identity.path.clone(),
            target_kind: identity.kind.as_str().to_owned(),
            method: plan.method.as_str().to_owned(),
            passes: plan.passes(),
            seed: plan
                .seed
                .filter(|_| plan.method.uses_seed())
                .map(|seed| seed.to_hex()),
            verify: plan.verify.to_string(),
            verify_seed: plan.recorded_sample_seed().map(|seed| seed.to_hex()),
            tool_version: start.tool_version.to_owned(),
            operator: self.operator.to_owned(),
            drive: drive_facts(identity),
            drive_model: identity.model.clone(),
            drive_serial: identity.serial.clone(),
            size_bytes: start.size_bytes,
            device_id: self.device_id,
            started_at: start.started_at,
        })
    }

    fn finished(&mut self, id: Uuid, report: &Report) -> Result<ErasureRecord, StoreError> {
        self.store
            .finish_erasure(id, &result_of(report), self.operator)
    }
}

/// What the record keeps about the drive: its identity and, for an image file, the SHA-256 of
/// its first MiB read now, before a byte is written (`head_sha256`), which certificates print
/// to identify the file's content. A file that cannot be read here keeps no hash; the engine
/// reports why it cannot erase it.
fn drive_facts(identity: &refurbdesk_erasure::DriveIdentity) -> serde_json::Value {
    let mut value = serde_json::to_value(identity).unwrap_or(serde_json::Value::Null);
    if identity.kind == TargetKind::Image {
        if let (Some(hash), Some(map)) = (head_sha256(&identity.path), value.as_object_mut()) {
            map.insert("head_sha256".to_owned(), serde_json::Value::String(hash));
        }
    }
    value
}

/// The SHA-256 (hex) of a file's first MiB, or of all of it when it is shorter.
fn head_sha256(path: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut head = Vec::with_capacity(1 << 20);
    std::fs::File::open(path)
        .ok()?
        .take(1 << 20)
        .read_to_end(&mut head)
        .ok()?;
    Some(hex::encode(Sha256::digest(&head)))
}

/// The store's view of an engine report; the note holds the report's finding as data.
pub(crate) fn result_of(report: &Report) -> ErasureResult {
    let status = match report.outcome {
        Outcome::Verified => ErasureStatus::Verified,
        Outcome::Failed => ErasureStatus::Failed,
        Outcome::Interrupted => ErasureStatus::Interrupted,
    };
    ErasureResult {
        status,
        passes_completed: report.passes_completed,
        bytes_written: report.bytes_written,
        bytes_verified: report.bytes_verified,
        errors: report
            .faults
            .iter()
            .map(|fault| ErasureFault {
                kind: match fault.kind {
                    FaultKind::Write => "write",
                    FaultKind::Flush => "flush",
                    FaultKind::Read => "read",
                    FaultKind::Mismatch => "mismatch",
                }
                .to_owned(),
                pass: fault.pass,
                offset: fault.offset,
                length: fault.length,
                detail: fault.detail.clone(),
            })
            .collect(),
        fault_count: report.fault_count,
        note: report
            .finding()
            .map(|finding: DriveFinding| Finding::Drive(finding).to_note()),
        finished_at: report.finished_at,
        duration_s: report.duration_s(),
        throughput_mib_s: report.throughput_mib_s(),
    }
}
