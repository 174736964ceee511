//! An erasure with its record around it: the record is written `running`
//! (durably) before the first byte is overwritten, and finished with the
//! outcome afterwards, so whatever happens in between — Ctrl-C, a crash, a
//! power cut — the store never shows an unfinished erasure as done.

use std::sync::atomic::AtomicBool;

use refurbdesk_store::{
    ErasureFault, ErasureRecord, ErasureResult, ErasureStatus, NewErasure, Store,
};
use uuid::Uuid;

use crate::engine::{erase, Event, FaultKind, Outcome, Plan, Report};
use crate::error::EraseError;
use crate::safety::Prepared;
use crate::target::Target;
use crate::TOOL_VERSION;

/// Who erases what, and for which device.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub plan: &'a Plan,
    pub operator: &'a str,
    /// The device the drive belongs to, when known.
    pub device_id: Option<Uuid>,
}

/// The finished erasure: the engine's report and the record as stored.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub report: Report,
    pub record: ErasureRecord,
}

/// Records the start, runs the erasure on the prepared target, records the
/// end. `on_started` gets the record id before any byte is written.
pub fn run(
    store: &mut Store,
    prepared: &mut Prepared,
    request: &Request<'_>,
    cancel: &AtomicBool,
    on_started: &mut dyn FnMut(Uuid),
    on_event: &mut dyn FnMut(&Event),
) -> Result<Recorded, EraseError> {
    run_on(
        store,
        &mut prepared.target,
        &prepared.identity,
        request,
        cancel,
        on_started,
        on_event,
    )
}

/// Like [`run`], on any target (tests use one that fails on purpose).
pub fn run_on(
    store: &mut Store,
    target: &mut dyn Target,
    identity: &crate::sysfs::DriveIdentity,
    request: &Request<'_>,
    cancel: &AtomicBool,
    on_started: &mut dyn FnMut(Uuid),
    on_event: &mut dyn FnMut(&Event),
) -> Result<Recorded, EraseError> {
    let plan = request.plan;
    let new = NewErasure {
        target: identity.path.clone(),
        target_kind: identity.kind.as_str().to_owned(),
        method: plan.method.as_str().to_owned(),
        passes: plan.passes(),
        seed: plan
            .seed
            .filter(|_| plan.method.uses_seed())
            .map(|s| s.to_hex()),
        verify: plan.verify.to_string(),
        verify_seed: plan.recorded_sample_seed().map(|s| s.to_hex()),
        tool_version: TOOL_VERSION.to_owned(),
        operator: request.operator.to_owned(),
        drive: serde_json::to_value(identity).unwrap_or(serde_json::Value::Null),
        drive_model: identity.model.clone(),
        drive_serial: identity.serial.clone(),
        size_bytes: target.len(),
        device_id: request.device_id,
        started_at: chrono::Utc::now(),
    };
    let id = store.start_erasure(&new)?;
    on_started(id);
    let report = erase(target, plan, cancel, on_event);
    let record = store.finish_erasure(id, &result_of(&report), request.operator)?;
    Ok(Recorded { report, record })
}

/// The store's view of an engine report.
pub fn result_of(report: &Report) -> ErasureResult {
    let status = match report.outcome {
        Outcome::Verified => ErasureStatus::Verified,
        Outcome::Failed => ErasureStatus::Failed,
        Outcome::Interrupted => ErasureStatus::Interrupted,
    };
    let note = match report.outcome {
        Outcome::Verified => None,
        Outcome::Interrupted => Some(
            "stopped on request before the end; nothing is proven — erase the drive again from the start"
                .to_owned(),
        ),
        Outcome::Failed => Some(match report.faults.first() {
            Some(first) => format!(
                "{} fault(s); the first: {}",
                report.fault_count, first.detail
            ),
            None => "failed".to_owned(),
        }),
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
        note,
        finished_at: report.finished_at,
        duration_s: report.duration_s(),
        throughput_mib_s: report.throughput_mib_s(),
    }
}
