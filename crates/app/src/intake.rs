//! One slot of one bench, read and recorded: identity, battery, locks and tests, with the
//! battery judged by the sales channel's policy.

use std::path::PathBuf;
use std::time::Duration;

use refurbdesk_bench::{BenchLink, ErrorCode as BenchCode, LinkConfig, LinkError};
use refurbdesk_domain::Lang;
use refurbdesk_station::{record_reading, run_intake, IntakeError, IntakeOptions};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::channels::sales_channel;
use crate::error::{Error, ErrorCode, Result};
use crate::workstation::Workstation;

/// One intake, flattened for people and scripts: fields the bench did not send are `null`.
pub use refurbdesk_station::IntakeReport;

/// Which bench slot to read, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeParams {
    /// The bench's serial port, e.g. /dev/ttyACM0.
    #[ts(type = "string")]
    pub port: PathBuf,
    /// The slot holding the device (from 1).
    pub slot: u16,
    /// The sales channel whose battery threshold applies; the station's when `None`.
    pub channel: Option<String>,
    /// How long to wait for each bench answer, in milliseconds.
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// The language the reasons are told in.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// The intake recorded.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IntakeDone {
    pub intake_id: Uuid,
    pub device_id: Uuid,
    /// One line: the device, its battery and lock verdicts.
    pub summary: String,
    /// Why the device, its battery and its lock are as judged, in the language asked for.
    pub reasons: Vec<String>,
    /// The whole reading (bench, slot, device, battery, lock, tests, intake_id, device_id).
    #[ts(type = "unknown")]
    pub report: IntakeReport,
}

/// The shortest and longest wait for one bench answer, in milliseconds: a tenth of a second to
/// ten minutes.
pub const TIMEOUT_MS_RANGE: std::ops::RangeInclusive<u64> = 100..=600_000;

/// A wait for each bench answer that a bench can meet and a person can wait for: zero would
/// fail every request at once (and look like a cable fault), an hour would look like a hang.
pub fn check_timeout_ms(timeout_ms: u64) -> Result<()> {
    if TIMEOUT_MS_RANGE.contains(&timeout_ms) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "a bench answer timeout of {timeout_ms} ms cannot be used: give {} to {} ms (0.1 s to \
         10 minutes); 2000 ms suits a bench on USB",
        TIMEOUT_MS_RANGE.start(),
        TIMEOUT_MS_RANGE.end()
    )))
}

/// Reads the slot and records the reading as the workstation's operator. Blocking: it runs its
/// own event loop for the bench link (from async code, call it on a blocking thread).
pub fn run(ws: &mut Workstation, params: IntakeParams) -> Result<IntakeDone> {
    check_timeout_ms(params.timeout_ms)?;
    let actor = ws.actor()?;
    let options = IntakeOptions {
        battery_policy: sales_channel(&ws.store, params.channel.as_deref())?.battery,
        ..IntakeOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let config = LinkConfig {
        request_timeout: Duration::from_millis(params.timeout_ms),
        ..LinkConfig::default()
    };
    let reading = runtime.block_on(async {
        let (link, _hello) = BenchLink::connect(&params.port, config).await?;
        let reading = run_intake(&link, params.slot, &options).await;
        link.close().await;
        reading.map_err(Error::from)
    })?;
    record(ws, &reading, &actor.name, params.lang)
}

/// Records a reading taken by any door (a bench, a phone over ADB) under `operator`, and
/// tells what was recorded with its reasons in `lang`.
pub(crate) fn record(
    ws: &mut Workstation,
    reading: &refurbdesk_station::IntakeReading,
    operator: &str,
    lang: Lang,
) -> Result<IntakeDone> {
    record_in(&mut ws.store, reading, operator, lang)
}

/// [`record`] on a store shared with a running station (a direct USB slot records here).
pub(crate) fn record_in(
    store: &mut refurbdesk_store::Store,
    reading: &refurbdesk_station::IntakeReading,
    operator: &str,
    lang: Lang,
) -> Result<IntakeDone> {
    let summary =
        record_reading(store, reading, operator).map_err(|error| Error::from(error.source))?;
    let report = IntakeReport::new(reading, Some((summary.intake_id, summary.device_id)));
    let reasons = report
        .device
        .reasons
        .iter()
        .cloned()
        .chain(reading.battery.reasons_in(lang))
        .chain(reading.lock.reasons_in(lang))
        .collect();
    Ok(IntakeDone {
        intake_id: summary.intake_id,
        device_id: summary.device_id,
        summary: report.summary_line(),
        reasons,
        report,
    })
}

impl From<IntakeError> for Error {
    fn from(error: IntakeError) -> Self {
        let code = match &error {
            IntakeError::SlotEmpty { .. } | IntakeError::DeviceRemoved { .. } => {
                ErrorCode::NotFound
            }
            IntakeError::NoSuchSlot { .. } => ErrorCode::Usage,
            IntakeError::Malformed { .. } => ErrorCode::Data,
            IntakeError::TestTimeout { .. } | IntakeError::Unstable { .. } => {
                ErrorCode::BenchUnreachable
            }
            // A link error says everything itself.
            IntakeError::Link(link) => return Error::new(link_code(link), error.to_string()),
        };
        Error::from_error(code, &error)
    }
}

impl From<LinkError> for Error {
    fn from(error: LinkError) -> Self {
        Error::new(link_code(&error), error.to_string())
    }
}

/// What a bench link failure means: an empty slot is not found, a request the bench cannot
/// take is a usage error, anything else is an unreachable bench.
pub(crate) fn link_code(link: &LinkError) -> ErrorCode {
    match link {
        LinkError::Bench {
            code: BenchCode::Empty,
            ..
        } => ErrorCode::NotFound,
        LinkError::Bench {
            code: BenchCode::NoSlot | BenchCode::BadArgs,
            ..
        }
        | LinkError::InvalidRequest(_) => ErrorCode::Usage,
        _ => ErrorCode::BenchUnreachable,
    }
}
