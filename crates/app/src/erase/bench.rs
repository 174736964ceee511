//! Erasing a phone or tablet through the bench slot that holds it, recorded in the store.

use std::path::PathBuf;
use std::time::Duration;

use refurbdesk_bench::{BenchLink, ErrorCode as BenchCode, LinkConfig};
use refurbdesk_domain::Lang;
use refurbdesk_station::{
    erase_on_bench, BenchEraseEnd, BenchEraseEvent, BenchEraseMethod, BenchEraseOptions,
    BenchEraseRequest, Interruption,
};
use refurbdesk_store::ErasureRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::finding::{tell_note, Finding};
use super::{link_error, named_device, EraseStarted};
use crate::error::{Error, ErrorCode, Hint};
use crate::progress::{Cancel, Progress, ProgressReport};
use crate::workstation::Workstation;

/// Which slot of which bench, and how to erase the device in it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BenchParams {
    /// The bench's serial port, e.g. `/dev/ttyACM0`.
    #[ts(type = "string")]
    pub port: PathBuf,
    /// From 1.
    pub slot: u16,
    #[ts(type = "\"factory_reset\" | \"crypto_erase\"")]
    pub method: BenchEraseMethod,
    /// The recorded device expected in the slot; without it, the device the bench reads.
    pub device: Option<String>,
    /// How long to wait for each bench answer, in milliseconds.
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// The language the record's note is told in.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// A bench erasure as it ended, with its record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BenchErasure {
    /// The record as stored (its `details` hold the bench, progress and evidence).
    #[ts(type = "unknown")]
    pub record: ErasureRecord,
    /// How it ended: `end` (verified, failed, refused, interrupted) and what goes with it.
    #[ts(type = "unknown")]
    pub end: BenchEraseEnd,
    /// The last percentage the bench reported.
    pub progress: Option<u8>,
    /// The bench's words with its outcome, if it said any.
    pub detail: Option<String>,
    /// Why it proves nothing, as data; `None` when verified.
    #[ts(type = "unknown")]
    pub finding: Option<Finding>,
    /// The record's note told in the language asked for.
    pub note: Option<String>,
    /// What the door reports once it has shown the record; `None` when verified.
    pub failure: Option<Error>,
}

/// [`bench_async`] on a runtime of its own, for callers that are not async.
pub fn bench(
    ws: &mut Workstation,
    params: &BenchParams,
    progress: &Progress,
    on_started: &mut dyn FnMut(&EraseStarted),
) -> Result<BenchErasure, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(bench_async(ws, params, progress, on_started))
}

/// Erases the device in the slot through the bench and records it: the slot must hold a
/// recorded device and be idle; the record is written `running` (then `on_started` hears of
/// it) before `ERASE` is sent, and finished with what the bench reports. Progress goes out as
/// the bench's percentage; once `progress` is cancelled the wait stops and the record says
/// `interrupted` (the bench may still be erasing).
pub async fn bench_async(
    ws: &mut Workstation,
    params: &BenchParams,
    progress: &Progress,
    on_started: &mut dyn FnMut(&EraseStarted),
) -> Result<BenchErasure, Error> {
    crate::intake::check_timeout_ms(params.timeout_ms)?;
    let actor = ws.actor()?;
    let device_id = named_device(&ws.store, params.device.as_deref())?;
    let config = LinkConfig {
        request_timeout: Duration::from_millis(params.timeout_ms),
        ..LinkConfig::default()
    };
    let (link, _hello) = BenchLink::connect(&params.port, config)
        .await
        .map_err(link_error)?;
    if progress.is_cancelled() {
        link.close().await;
        return Err(Error::new(
            ErrorCode::Interrupted,
            "stopped before the erase started; nothing was recorded or erased",
        ));
    }
    let request = BenchEraseRequest {
        slot: params.slot,
        method: params.method,
        device_id,
        operator: &actor.name,
    };
    let port = params.port.display().to_string();
    let report = |done: u64, stage: &str| {
        progress.report(ProgressReport {
            task: "erase".to_owned(),
            done,
            total: Some(100),
            stage: Some(stage.to_owned()),
        })
    };
    let mut last = 0;
    let outcome = erase_on_bench(
        &link,
        &mut ws.store,
        &request,
        &BenchEraseOptions::default(),
        cancelled(progress.cancel.clone()),
        &mut |event| match event {
            BenchEraseEvent::Started {
                erasure_id,
                device_id,
                identity,
            } => {
                on_started(&EraseStarted::Bench {
                    erasure_id: *erasure_id,
                    device_id: *device_id,
                    make: identity.make.clone(),
                    model: identity.model.clone(),
                    port: port.clone(),
                    slot: params.slot,
                    method: params.method.to_string(),
                });
                report(0, "started");
            }
            BenchEraseEvent::Accepted => report(last, "erasing"),
            BenchEraseEvent::Progress { percent } => {
                last = u64::from(*percent);
                report(last, "erasing");
            }
            BenchEraseEvent::Polling { reason } => {
                tracing::info!(reason, "asking the bench for the erase status");
                report(last, "polling");
            }
        },
    )
    .await;
    link.close().await;
    let outcome = outcome?;
    let record = outcome.record;
    let note = tell_note(record.note.as_deref(), params.lang);
    let failure = failure(&record, &outcome.end, note.as_deref());
    Ok(BenchErasure {
        end: outcome.end,
        progress: outcome.progress,
        detail: outcome.detail,
        finding: outcome.finding.map(Finding::Device),
        note,
        failure,
        record,
    })
}

/// Resolves once `cancel` is set.
async fn cancelled(cancel: Cancel) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The error a bench erasure that did not verify is reported with.
fn failure(record: &ErasureRecord, end: &BenchEraseEnd, note: Option<&str>) -> Option<Error> {
    let note = note.unwrap_or("see the record");
    let target = &record.target;
    let id = record.id;
    Some(match end {
        BenchEraseEnd::Verified { .. } => return None,
        BenchEraseEnd::Failed { .. } => Error::new(
            ErrorCode::EraseFailed,
            format!("the erase of {target} failed (record {id}): {note}"),
        ),
        BenchEraseEnd::Refused { code, .. } => {
            let error = Error::refused(format!(
                "the bench did not erase {target} (record {id}): {note}"
            ));
            if *code == BenchCode::Unsupported {
                let device = record
                    .drive
                    .get("imei")
                    .or_else(|| record.drive.get("serial"))
                    .and_then(|value| value.as_str())
                    .map(str::to_owned)
                    .or_else(|| record.device_id.map(|id| id.to_string()))
                    .unwrap_or_default();
                error.with_hint(Hint::ResetByHand { device })
            } else {
                error
            }
        }
        BenchEraseEnd::Interrupted { why } => Error::new(
            match why {
                Interruption::DeviceRemoved => ErrorCode::NotFound,
                Interruption::BenchGone | Interruption::BenchSilent => ErrorCode::BenchUnreachable,
                Interruption::BenchReset
                | Interruption::Forgotten
                | Interruption::NoOutcome
                | Interruption::Cancelled => ErrorCode::Interrupted,
            },
            format!(
                "the erase of {target} was interrupted and recorded as such (record {id}): {note}"
            ),
        ),
    })
}
