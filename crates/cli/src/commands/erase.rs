//! `refurbdesk erase`: overwrite and verify a drive or an image file; erase a phone or tablet
//! through its bench; or guide a factory reset by hand. Each is recorded in the store. Exit 0
//! erased and verified, 6 failed, 7 refused, 130 interrupted (and 3, 4 for a bench or device
//! that went away).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use anyhow::anyhow;
use clap::{ArgGroup, Args};
use indicatif::{ProgressBar, ProgressStyle};
use refurbdesk_app::DataPaths;
use refurbdesk_bench::{BenchLink, ErrorCode, LinkConfig};
use refurbdesk_erasure::recorded::{self, Request};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{EraseError, Event, FaultKind, Method, Outcome, Phase, Plan, Verify};
use refurbdesk_station::{
    erase_on_bench, plan_manual_reset, run_manual_reset, Answers, AnswersFile, BenchEraseEnd,
    BenchEraseError, BenchEraseEvent, BenchEraseMethod, BenchEraseOptions, BenchEraseOutcome,
    BenchEraseRequest, Interruption, Lang, ManualResetEnd, ManualResetError, ManualResetPlan,
    StepPrompt,
};
use refurbdesk_store::{ErasureDetails, ErasureRecord, StepAnswer, Store};
use serde::Serialize;

use super::{lang_from_environment, link_failure, open_workstation, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["target", "port", "manual"])))]
pub struct EraseArgs {
    /// The drive (/dev/sdX, /dev/nvmeXnY, /dev/loopN) or image file to erase
    #[arg(long, value_name = "PATH")]
    target: Option<PathBuf>,
    /// The serial port of the bench holding the phone or tablet, e.g. /dev/ttyACM0
    #[arg(long, value_name = "PATH", requires = "slot")]
    port: Option<PathBuf>,
    /// The bench slot holding the phone or tablet (from 1)
    #[arg(long, value_name = "N", requires = "port", value_parser = clap::value_parser!(u16).range(1..))]
    slot: Option<u16>,
    /// Guide a factory reset by hand, step by step, recording each answer (needs --device)
    #[arg(long, requires = "device", conflicts_with_all = ["target", "port", "method"])]
    manual: bool,
    /// Drives: zero (one pass of zeros), random (one seeded ChaCha20 pass) or dod3 (zeros, ones,
    /// random). Bench: factory_reset or crypto_erase
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    /// full (read everything back) or sample:PCT (random 1 MiB blocks, at least PCT %, both ends)
    #[arg(long, value_name = "MODE", default_value = "full")]
    verify: Verify,
    /// Confirms a drive: its serial number (a loop device without one: its name, e.g. loop3)
    #[arg(long, value_name = "SERIAL", conflicts_with = "yes_erase_image")]
    yes_erase: Option<String>,
    /// Confirms an image file
    #[arg(long)]
    yes_erase_image: bool,
    /// The recorded device (IMEI, serial, device or intake id): the drive's owner, the device
    /// expected in the bench slot, or the device to reset by hand
    #[arg(long, value_name = "REF")]
    device: Option<String>,
    /// Manual reset: the language of the steps, en or fr [default: fr when LANG is French, else en]
    #[arg(long, value_name = "LANG", requires = "manual")]
    lang: Option<Lang>,
    /// Manual reset: the checklist to follow (ios, samsung, xiaomi, huawei, android) when the
    /// device's make does not choose the right one
    #[arg(long, value_name = "ID", requires = "manual")]
    platform: Option<String>,
    /// Manual reset: the answers, from a TOML file ([answers] step = "yes" | "no" | "skipped"),
    /// instead of asking on the terminal
    #[arg(long, value_name = "FILE", requires = "manual")]
    answers: Option<PathBuf>,
    /// Bench: how long to wait for each bench answer, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    timeout_ms: u64,
}

pub fn run(args: &EraseArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    if args.manual {
        return run_manual(args, global, paths);
    }
    if let (Some(port), Some(slot)) = (&args.port, args.slot) {
        return run_bench(args, port, slot, global, paths);
    }
    match &args.target {
        Some(target) => run_drive(args, target, global, paths),
        None => Err(usage(
            "say what to erase: --target PATH (a drive or image), --port PATH --slot N (a phone \
             on a bench), or --manual --device REF (a factory reset by hand)",
        )),
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::new(Exit::Usage, anyhow!(message.into()))
}

/// The `--method` a mode needs, read with that mode's words.
fn method<T: std::str::FromStr>(args: &EraseArgs, hint: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    let word = args
        .method
        .as_deref()
        .ok_or_else(|| usage(format!("--method is missing; {hint}")))?;
    word.parse::<T>()
        .map_err(|error| usage(format!("{error} ({hint})")))
}

/// The recorded device `--device` names, if given.
fn named_device(store: &Store, reference: Option<&str>) -> Result<Option<uuid::Uuid>, Failure> {
    let Some(reference) = reference else {
        return Ok(None);
    };
    match store.find_device(reference).map_err(store_failure)? {
        Some(device) => Ok(Some(device.id)),
        None => Err(Failure::new(
            Exit::NotFound,
            anyhow!(
                "no recorded device matches {reference:?}; check the IMEI, serial or id \
                 (refurbdesk devices lists them)"
            ),
        )),
    }
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

fn run_drive(
    args: &EraseArgs,
    target: &Path,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    let method: Method = method(
        args,
        "a drive or image is erased with zero, random or dod3; factory_reset and crypto_erase are \
         for a phone on a bench (--port and --slot)",
    )?;
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
    let device_id = named_device(&store, args.device.as_deref())?;

    let system = System::read().map_err(erase_failure)?;
    let mut prepared = prepare(target, &confirmation, &system).map_err(erase_failure)?;
    let plan = Plan::new(method, args.verify).map_err(erase_failure)?;
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
                target.display(),
                prepared_summary(target),
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
                target.display(),
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
                    target.display(),
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

/// The one JSON object `--json` prints for a phone or tablet: the record, with what its kind
/// adds (the bench's detail and last progress, or every step and its answer).
#[derive(Debug, Serialize)]
struct DeviceEraseOutput<'a> {
    id: uuid::Uuid,
    status: &'a str,
    method: &'a str,
    target: &'a str,
    target_kind: &'a str,
    verify: &'a str,
    device_id: Option<uuid::Uuid>,
    device: &'a serde_json::Value,
    note: Option<&'a str>,
    started_at: chrono::DateTime<chrono::Utc>,
    finished_at: Option<chrono::DateTime<chrono::Utc>>,
    duration_s: Option<f64>,
    operator: &'a str,
    tool_version: &'a str,
    /// How it ended: `end` (verified, failed, refused, interrupted) and what goes with it (the
    /// bench's refusal `code`, the interruption's `why`, the manual `step` that failed).
    #[serde(flatten)]
    end: Option<&'a BenchEraseEnd>,
    #[serde(flatten)]
    manual_end: Option<&'a ManualResetEnd>,
    /// `kind` (bench or manual) and its record: the bench, `progress`, `detail`,
    /// `outcome_from` and `evidence`; or the `platform`, `lang`, `checklist_version`,
    /// `answered_by` and `steps`.
    #[serde(flatten)]
    details: Option<&'a ErasureDetails>,
}

impl<'a> DeviceEraseOutput<'a> {
    fn new(record: &'a ErasureRecord) -> Self {
        DeviceEraseOutput {
            id: record.id,
            status: record.status.as_str(),
            method: &record.method,
            target: &record.target,
            target_kind: &record.target_kind,
            verify: &record.verify,
            device_id: record.device_id,
            device: &record.drive,
            note: record.note.as_deref(),
            started_at: record.started_at,
            finished_at: record.finished_at,
            duration_s: record.duration_s,
            operator: &record.operator,
            tool_version: &record.tool_version,
            end: None,
            manual_end: None,
            details: record.details.as_ref(),
        }
    }
}

/// `refurbdesk erase --port PATH --slot N --method factory_reset|crypto_erase`.
fn run_bench(
    args: &EraseArgs,
    port: &Path,
    slot: u16,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    if args.yes_erase.is_some() || args.yes_erase_image {
        return Err(usage(
            "--yes-erase and --yes-erase-image confirm a drive or image; a bench erase needs \
             neither (the bench's slot and the recorded device say what is erased)",
        ));
    }
    let method: BenchEraseMethod = method(
        args,
        "a bench erases with factory_reset or crypto_erase; zero, random and dod3 are for drives \
         and images (--target)",
    )?;
    let (mut store, actor) = open_workstation(global, paths)?;
    let device_id = named_device(&store, args.device.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let config = LinkConfig {
        request_timeout: Duration::from_millis(args.timeout_ms),
        ..LinkConfig::default()
    };
    let bar = percent_bar();
    let outcome = runtime.block_on(async {
        // Watched from now on, so Ctrl-C at any point after the record is written ends it
        // `interrupted` rather than killing the process.
        let stop = stop_requested()?;
        let (link, _hello) = BenchLink::connect(port, config)
            .await
            .map_err(link_failure)?;
        let request = BenchEraseRequest {
            slot,
            method,
            device_id,
            operator: &actor.name,
        };
        let outcome = erase_on_bench(
            &link,
            &mut store,
            &request,
            &BenchEraseOptions::default(),
            stop,
            &mut |event| show_bench(&bar, port, slot, method, event),
        )
        .await;
        link.close().await;
        outcome.map_err(bench_failure)
    });
    bar.finish_and_clear();
    let outcome = outcome?;
    let record = &outcome.record;
    if global.json {
        let mut output = DeviceEraseOutput::new(record);
        output.end = Some(&outcome.end);
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "{}: {} — {} {}{} (record {})",
            record.target,
            record.status,
            method,
            outcome
                .progress
                .map(|percent| format!("reached {percent} %"))
                .unwrap_or_else(|| "never started".to_owned()),
            outcome
                .detail
                .as_deref()
                .map(|detail| format!(", the bench said \"{detail}\""))
                .unwrap_or_default(),
            record.id
        );
    }
    bench_exit(&outcome)
}

/// A future that resolves on Ctrl-C or SIGTERM; both are watched from the moment this returns.
fn stop_requested() -> Result<impl std::future::Future<Output = ()>, Failure> {
    use tokio::signal::unix::{signal, SignalKind};
    let watch = |kind| {
        signal(kind).map_err(|error| {
            Failure::new(Exit::Data, anyhow!("could not watch for Ctrl-C: {error}"))
        })
    };
    let mut interrupt = watch(SignalKind::interrupt())?;
    let mut terminate = watch(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

fn bench_exit(outcome: &BenchEraseOutcome) -> Result<(), Failure> {
    let record = &outcome.record;
    let note = record.note.as_deref().unwrap_or("see the record");
    let (exit, message) = match &outcome.end {
        BenchEraseEnd::Verified { .. } => return Ok(()),
        BenchEraseEnd::Failed { .. } => (
            Exit::VerificationFailed,
            format!(
                "the erase of {} failed (record {}): {note}",
                record.target, record.id
            ),
        ),
        BenchEraseEnd::Refused { code, .. } => {
            let manual = if *code == ErrorCode::Unsupported {
                let reference = record
                    .drive
                    .get("imei")
                    .or_else(|| record.drive.get("serial"))
                    .and_then(|value| value.as_str())
                    .map(str::to_owned)
                    .or_else(|| record.device_id.map(|id| id.to_string()))
                    .unwrap_or_default();
                format!(
                    "\nto reset it by hand, step by step: refurbdesk erase --manual --device {reference}"
                )
            } else {
                String::new()
            };
            (
                Exit::Refused,
                format!(
                    "the bench did not erase {} (record {}): {note}{manual}",
                    record.target, record.id
                ),
            )
        }
        BenchEraseEnd::Interrupted { why } => (
            match why {
                Interruption::DeviceRemoved => Exit::NotFound,
                Interruption::BenchGone | Interruption::BenchSilent => Exit::BenchUnreachable,
                Interruption::BenchReset
                | Interruption::Forgotten
                | Interruption::NoOutcome
                | Interruption::Cancelled => Exit::Interrupted,
            },
            format!(
                "the erase of {} was interrupted and recorded as such (record {}): {note}",
                record.target, record.id
            ),
        ),
    };
    Err(Failure::new(exit, anyhow!(message)))
}

fn bench_failure(error: BenchEraseError) -> Failure {
    let exit = match &error {
        BenchEraseError::NoSuchSlot { .. } => Exit::Usage,
        BenchEraseError::SlotEmpty { .. } | BenchEraseError::NotRecorded { .. } => Exit::NotFound,
        BenchEraseError::SlotBusy { .. } | BenchEraseError::WrongDevice { .. } => Exit::Refused,
        BenchEraseError::Malformed { .. } => Exit::Data,
        BenchEraseError::Link(_) => {
            return match error {
                BenchEraseError::Link(link) => link_failure(link),
                _ => Failure::new(Exit::Data, error),
            }
        }
        BenchEraseError::Store(_) => {
            return match error {
                BenchEraseError::Store(store) => store_failure(store),
                _ => Failure::new(Exit::Data, error),
            }
        }
    };
    Failure::new(exit, error)
}

fn percent_bar() -> ProgressBar {
    // Hidden automatically when stderr is not a terminal (scripts, --json in CI).
    let bar = ProgressBar::new(100);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>9} [{bar:32}] {pos:>3} % {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

fn show_bench(
    bar: &ProgressBar,
    port: &Path,
    slot: u16,
    method: BenchEraseMethod,
    event: &BenchEraseEvent,
) {
    match event {
        BenchEraseEvent::Started {
            erasure_id,
            identity,
            ..
        } => {
            bar.set_prefix("erasing");
            bar.println(format!(
                "erasing {} {} in slot {slot} of the bench on {} with {method}: record {erasure_id}",
                identity.make,
                identity.model,
                port.display()
            ));
        }
        BenchEraseEvent::Accepted => bar.set_message("the bench is erasing"),
        BenchEraseEvent::Progress { percent } => bar.set_position(u64::from(*percent)),
        BenchEraseEvent::Polling { reason } => {
            tracing::info!(reason, "asking the bench for the erase status");
            bar.set_message("asking the bench for the status");
        }
    }
}

/// `refurbdesk erase --manual --device REF`.
fn run_manual(args: &EraseArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    if args.yes_erase.is_some() || args.yes_erase_image {
        return Err(usage(
            "--yes-erase and --yes-erase-image confirm a drive or image; a manual reset is \
             confirmed step by step",
        ));
    }
    let lang = args.lang.unwrap_or_else(lang_from_environment);
    let given =
        match &args.answers {
            Some(file) => Some(read_answers(file)?),
            None if std::io::stdin().is_terminal() => None,
            None => return Err(usage(
                "a manual reset asks each step on a terminal, and standard input is not one; run \
                 it in a terminal, or give the answers with --answers FILE",
            )),
        };
    let (mut store, actor) = open_workstation(global, paths)?;
    let device_id = named_device(&store, args.device.as_deref())?
        .ok_or_else(|| usage("--manual needs --device REF: the recorded device to reset"))?;
    let plan = plan_manual_reset(&store, device_id, args.platform.as_deref(), lang)
        .map_err(manual_failure)?;
    if let Some((file, answers)) = &given {
        if let Some(platform) = &answers.platform {
            if *platform != plan.platform {
                return Err(Failure::new(
                    Exit::Data,
                    anyhow!(
                        "{} answers the {platform} checklist, but this device follows the {} \
                         checklist; answer that one (or pass --platform {platform} if the device \
                         really is one)",
                        file.display(),
                        plan.platform
                    ),
                ));
            }
        }
    }

    let outcome = match &given {
        Some((_, answers)) => run_manual_reset(
            &mut store,
            &plan,
            Answers::Given(&answers.answers),
            &actor.name,
        ),
        None => {
            introduce(&plan, lang);
            let mut ask = terminal_prompts(lang)?;
            run_manual_reset(
                &mut store,
                &plan,
                Answers::Interactive(&mut ask),
                &actor.name,
            )
        }
    }
    .map_err(manual_failure)?;

    let record = &outcome.record;
    if global.json {
        let mut output = DeviceEraseOutput::new(record);
        output.manual_end = Some(&outcome.end);
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "{} ({}): {} (record {})",
            plan.platform_name, record.target, record.status, record.id
        );
    }
    let note = record.note.as_deref().unwrap_or("see the record");
    match outcome.end {
        ManualResetEnd::Verified => Ok(()),
        ManualResetEnd::Failed { .. } => Err(Failure::new(
            Exit::VerificationFailed,
            anyhow!("the manual reset failed (record {}): {note}", record.id),
        )),
        ManualResetEnd::Interrupted { .. } => Err(Failure::new(
            Exit::Interrupted,
            anyhow!(
                "the manual reset was interrupted and recorded as such (record {}): {note}",
                record.id
            ),
        )),
    }
}

fn read_answers(file: &Path) -> Result<(PathBuf, AnswersFile), Failure> {
    let text = std::fs::read_to_string(file).map_err(|error| {
        let exit = if error.kind() == std::io::ErrorKind::NotFound {
            Exit::NotFound
        } else {
            Exit::Data
        };
        Failure::new(
            exit,
            anyhow!("cannot read the answers file {}: {error}", file.display()),
        )
    })?;
    let answers = AnswersFile::from_toml(&text).map_err(|error| {
        Failure::new(
            Exit::Data,
            anyhow!(
                "the answers file {} is not usable: {error}; write [answers] then one line per \
                 step: step_id = \"yes\" (or \"no\", \"skipped\")",
                file.display()
            ),
        )
    })?;
    Ok((file.to_owned(), answers))
}

fn manual_failure(error: ManualResetError) -> Failure {
    let exit = match &error {
        ManualResetError::NoIntake { .. } => Exit::NotFound,
        ManualResetError::NotAPhone { .. } => Exit::Refused,
        ManualResetError::UnknownPlatform { .. } | ManualResetError::NoPlatform { .. } => {
            Exit::Usage
        }
        ManualResetError::Incomplete { .. } => Exit::Incomplete,
        ManualResetError::Checklist(_) | ManualResetError::UnknownSteps { .. } => Exit::Data,
        ManualResetError::Store(_) => {
            return match error {
                ManualResetError::Store(store) => store_failure(store),
                _ => Failure::new(Exit::Data, error),
            }
        }
    };
    Failure::new(exit, error)
}

/// Words of the terminal dialogue, in each language.
struct Words {
    intro: &'static str,
    required: &'static str,
    optional: &'static str,
    question: &'static str,
    again: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            intro: "Manual factory reset",
            required: "required",
            optional: "optional",
            question: "Done? [y]es / [n]o / [s]kip / [q]uit: ",
            again: "Answer y (done), n (could not be done), s (skipped) or q (stop here).",
        },
        Lang::Fr => Words {
            intro: "Réinitialisation manuelle",
            required: "obligatoire",
            optional: "facultative",
            question: "Fait ? [o]ui / [n]on / [p]asser / [q]uitter : ",
            again: "Répondez o (fait), n (impossible), p (passée) ou q (arrêter ici).",
        },
    }
}

fn introduce(plan: &ManualResetPlan, lang: Lang) {
    let words = words(lang);
    eprintln!(
        "{} — {} {} — {} ({} steps, checklist {})",
        words.intro,
        plan.identity.make,
        plan.identity.model,
        plan.platform_name,
        plan.steps.len(),
        plan.checklist_version
    );
}

/// Reads the answer to each step from the terminal. Lines are read on a helper thread so that
/// Ctrl-C, which would otherwise wait for a line, stops the reset at once (recorded interrupted).
fn terminal_prompts(
    lang: Lang,
) -> Result<impl FnMut(&StepPrompt<'_>) -> Option<StepAnswer>, Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|error| {
            Failure::new(Exit::Data, anyhow!("could not watch for Ctrl-C: {error}"))
        })?;
    }
    let (lines, incoming) = mpsc::channel::<Option<String>>();
    std::thread::Builder::new()
        .name("manual reset answers".to_owned())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut reader = stdin.lock();
            loop {
                let mut line = String::new();
                let read = reader.read_line(&mut line);
                let ended = matches!(read, Ok(0) | Err(_));
                if lines.send((!ended).then_some(line)).is_err() || ended {
                    return;
                }
            }
        })
        .map_err(|error| {
            Failure::new(Exit::Data, anyhow!("could not read the terminal: {error}"))
        })?;
    let words = words(lang);
    Ok(move |prompt: &StepPrompt<'_>| {
        let kind = if prompt.step.required {
            words.required
        } else {
            words.optional
        };
        eprintln!(
            "\n[{}/{}] ({kind}) {}",
            prompt.number, prompt.count, prompt.step.text
        );
        loop {
            eprint!("{}", words.question);
            let _ = std::io::stderr().flush();
            let line = loop {
                if stop.load(Ordering::Relaxed) {
                    eprintln!();
                    return None;
                }
                match incoming.recv_timeout(Duration::from_millis(100)) {
                    Ok(Some(line)) => break line,
                    Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
            };
            match parse_answer(&line) {
                Some(Some(answer)) => return Some(answer),
                Some(None) => return None,
                None => eprintln!("{}", words.again),
            }
        }
    })
}

/// `Some(Some(answer))`, `Some(None)` to stop, `None` when the line is not an answer. Both
/// languages' words are understood whatever language the steps are shown in.
fn parse_answer(line: &str) -> Option<Option<StepAnswer>> {
    match line.trim().to_lowercase().as_str() {
        "y" | "yes" | "o" | "oui" => Some(Some(StepAnswer::Yes)),
        "n" | "no" | "non" => Some(Some(StepAnswer::No)),
        "s" | "skip" | "skipped" | "p" | "passer" => Some(Some(StepAnswer::Skipped)),
        "q" | "quit" | "quitter" => Some(None),
        _ => None,
    }
}
