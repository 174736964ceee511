//! `refurbdesk erase`: overwrite and verify a drive or an image file, with
//! its record in the store. Exit 0 erased and verified, 6 verification (or
//! a write) failed, 7 refused, 130 interrupted.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use refurbdesk_app::DataPaths;
use refurbdesk_erasure::recorded::{self, Request};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{EraseError, Event, FaultKind, Method, Outcome, Phase, Plan, Verify};
use refurbdesk_store::ErasureRecord;
use serde::Serialize;

use super::{open_workstation, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// The drive (/dev/sdX, /dev/nvmeXnY, /dev/loopN) or image file to erase
    #[arg(long, value_name = "PATH")]
    target: PathBuf,
    /// zero (one pass of zeros), random (one seeded ChaCha20 pass) or dod3 (zeros, ones, random)
    #[arg(long, value_name = "METHOD")]
    method: Method,
    /// full (read everything back) or sample:PCT (random 1 MiB blocks, at least PCT %, both ends)
    #[arg(long, value_name = "MODE", default_value = "full")]
    verify: Verify,
    /// Confirms a drive: its serial number (a loop device without one: its name, e.g. loop3)
    #[arg(long, value_name = "SERIAL", conflicts_with = "yes_erase_image")]
    yes_erase: Option<String>,
    /// Confirms an image file
    #[arg(long)]
    yes_erase_image: bool,
    /// The recorded device the drive belongs to (IMEI, serial, device or intake id)
    #[arg(long, value_name = "REF")]
    device: Option<String>,
}

/// The one JSON object `--json` prints.
#[derive(Debug, Serialize)]
struct EraseOutput<'a> {
    id: uuid::Uuid,
    status: &'a str,
    target: &'a str,
    target_kind: &'a str,
    method: &'a str,
    passes: u32,
    passes_completed: u32,
    seed: Option<&'a str>,
    verify: &'a str,
    verify_seed: Option<&'a str>,
    size_bytes: u64,
    bytes_written: u64,
    bytes_verified: u64,
    errors: &'a [refurbdesk_store::ErasureFault],
    fault_count: u64,
    note: Option<&'a str>,
    started_at: chrono::DateTime<chrono::Utc>,
    finished_at: Option<chrono::DateTime<chrono::Utc>>,
    duration_s: Option<f64>,
    throughput_mib_s: Option<f64>,
    direct_io: bool,
    tool_version: &'a str,
    operator: &'a str,
    device_id: Option<uuid::Uuid>,
    drive: &'a serde_json::Value,
}

impl<'a> EraseOutput<'a> {
    fn new(record: &'a ErasureRecord, direct_io: bool) -> Self {
        EraseOutput {
            id: record.id,
            status: record.status.as_str(),
            target: &record.target,
            target_kind: &record.target_kind,
            method: &record.method,
            passes: record.passes,
            passes_completed: record.passes_completed,
            seed: record.seed.as_deref(),
            verify: &record.verify,
            verify_seed: record.verify_seed.as_deref(),
            size_bytes: record.size_bytes,
            bytes_written: record.bytes_written,
            bytes_verified: record.bytes_verified,
            errors: &record.errors,
            fault_count: record.fault_count,
            note: record.note.as_deref(),
            started_at: record.started_at,
            finished_at: record.finished_at,
            duration_s: record.duration_s,
            throughput_mib_s: record.throughput_mib_s,
            direct_io,
            tool_version: &record.tool_version,
            operator: &record.operator,
            device_id: record.device_id,
            drive: &record.drive,
        }
    }
}

pub fn run(args: &EraseArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let confirmation = match (&args.yes_erase, args.yes_erase_image) {
        (Some(serial), _) => Confirmation::Serial(serial.clone()),
        (None, true) => Confirmation::Image,
        (None, false) => Confirmation::None,
    };
    // Ctrl-C (or a polite kill) stops between blocks and records `interrupted`.
    let cancel = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&cancel)).map_err(|error| {
            Failure::new(Exit::Data, anyhow!("could not watch for Ctrl-C: {error}"))
        })?;
    }

    // Opening the store also marks erasures abandoned by a dead process as interrupted.
    let (mut store, actor) = open_workstation(global, paths)?;
    let device_id = match &args.device {
        None => None,
        Some(reference) => match store.find_device(reference).map_err(store_failure)? {
            Some(device) => Some(device.id),
            None => {
                return Err(Failure::new(
                    Exit::NotFound,
                    anyhow!(
                        "no recorded device matches {reference:?}; check the IMEI, serial or id \
                         (refurbdesk devices lists them), or leave out --device"
                    ),
                ))
            }
        },
    };

    let system = System::read().map_err(erase_failure)?;
    let mut prepared = prepare(&args.target, &confirmation, &system).map_err(erase_failure)?;
    let plan = Plan::new(args.method, args.verify).map_err(erase_failure)?;
    let direct_io = prepared.target.direct_io();

    let bar = progress_bar(prepared.identity.size_bytes);
    let outcome = recorded::run(
        &mut store,
        &mut prepared,
        &Request {
            plan: &plan,
            operator: &actor.name,
            device_id,
        },
        &cancel,
        &mut |id| {
            bar.println(format!(
                "erasing {} ({}) with {}, verify {}: record {id}",
                args.target.display(),
                prepared_summary(&args.target),
                plan.method,
                plan.verify
            ));
        },
        &mut |event| show(&bar, event),
    );
    bar.finish_and_clear();
    let recorded = outcome.map_err(erase_failure)?;
    let record = &recorded.record;

    if global.json {
        println!(
            "{}",
            serde_json::to_string(&EraseOutput::new(record, direct_io))?
        );
    } else {
        println!(
            "{}: {} — {} of {} written, {} verified, {:.1} MiB/s (record {})",
            record.target,
            record.status,
            human(record.bytes_written),
            human(record.size_bytes * u64::from(record.passes)),
            human(record.bytes_verified),
            record.throughput_mib_s.unwrap_or(0.0),
            record.id
        );
        for fault in &record.errors {
            println!("  - {}: {}", fault.kind, fault.detail);
        }
        if record.fault_count > record.errors.len() as u64 {
            println!("  … {} faults in all", record.fault_count);
        }
    }
    match recorded.report.outcome {
        Outcome::Verified => Ok(()),
        Outcome::Interrupted => Err(Failure::new(
            Exit::Interrupted,
            anyhow!(
                "the erasure of {} was interrupted and recorded as such (record {}); nothing is \
                 proven — run it again from the start",
                args.target.display(),
                record.id
            ),
        )),
        Outcome::Failed => {
            let mismatch = recorded
                .report
                .faults
                .iter()
                .any(|fault| fault.kind == FaultKind::Mismatch);
            let exit = if mismatch {
                Exit::VerificationFailed
            } else {
                Exit::Data
            };
            Err(Failure::new(
                exit,
                anyhow!(
                    "the erasure of {} failed (record {}): {}; the drive cannot be certified — \
                     run it again, and if it fails again retire the drive",
                    args.target.display(),
                    record.id,
                    record.note.as_deref().unwrap_or("see the faults above")
                ),
            ))
        }
    }
}

fn prepared_summary(target: &std::path::Path) -> String {
    std::fs::metadata(target)
        .map(|meta| {
            if meta.is_file() {
                "image file".to_owned()
            } else {
                "block device".to_owned()
            }
        })
        .unwrap_or_default()
}

fn erase_failure(error: EraseError) -> Failure {
    let exit = match &error {
        EraseError::NotFound { .. } => Exit::NotFound,
        EraseError::Store(_) => {
            return match error {
                EraseError::Store(store) => store_failure(store),
                _ => Failure::new(Exit::Data, error),
            }
        }
        error if error.is_refusal() => Exit::Refused,
        _ => Exit::Data,
    };
    Failure::new(exit, error)
}

fn progress_bar(size: u64) -> ProgressBar {
    // Hidden automatically when stderr is not a terminal (scripts, --json in CI).
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>9} [{bar:32}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

fn show(bar: &ProgressBar, event: &Event) {
    match event {
        Event::Progress(progress) => {
            let prefix = match progress.phase {
                Phase::Write => format!("pass {}/{}", progress.pass, progress.passes),
                Phase::Verify => "verify".to_owned(),
            };
            bar.set_prefix(prefix);
            bar.set_length(progress.bytes_total);
            bar.set_position(progress.bytes_done);
            bar.set_message(
                progress
                    .eta_s
                    .map(format_eta)
                    .unwrap_or_else(|| "…".to_owned()),
            );
        }
        Event::PassWritten { pass, passes, .. } => {
            tracing::info!(pass, passes, "pass written and flushed");
        }
        Event::Verified { .. } => {}
    }
}

fn format_eta(seconds: f64) -> String {
    let total = seconds.round() as u64;
    format!("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

fn human(bytes: u64) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.1} MiB")
    }
}
