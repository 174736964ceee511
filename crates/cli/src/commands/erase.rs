//! `refurbdesk erase`: overwrite and verify a drive or an image file; erase a phone or tablet
//! through its bench; or guide a factory reset by hand. Each is recorded in the store. Exit 0
//! erased and verified, 6 failed, 7 refused, 130 interrupted (and 3, 4 for a bench or device
//! that went away).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::anyhow;
use clap::{ArgGroup, Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use refurbdesk_app::erase::{
    self, BenchParams, DriveConfirmation, DriveParams, EraseStarted, ManualAnswerParams,
    ManualAnswers, ManualPlanParams, Words,
};
use refurbdesk_app::erase::{
    BenchEraseEnd, BenchEraseMethod, ErasureDetails, ErasureRecord, ManualResetEnd, Method,
    StepAnswer, StepPrompt, Verify,
};
use refurbdesk_app::{Cancel, DataPaths, Progress, ProgressReport, Workstation};
use refurbdesk_domain::Lang;
use serde::Serialize;

use super::lang_from_environment;
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["target", "port", "manual"])))]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EraseArgs {
    #[command(subcommand)]
    command: Option<EraseCommand>,
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

#[derive(Debug, Subcommand)]
enum EraseCommand {
    /// List the recorded erasures, newest first, with their ids and certificates
    List(ListArgs),
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Only this device's erasures (IMEI, serial, device or intake id)
    #[arg(long, value_name = "REF")]
    device: Option<String>,
    /// Only erasures in this state: running, verified, failed or interrupted
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Only erasures by this operator
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
    /// Only erasures started on or after this date (YYYY-MM-DD or RFC 3339)
    #[arg(long, value_name = "DATE", value_parser = super::cert::parse_since)]
    since: Option<chrono::DateTime<chrono::Utc>>,
    /// At most N erasures, newest first; 0 lists them all
    #[arg(long, value_name = "N", default_value_t = erase::DEFAULT_LIMIT)]
    limit: usize,
}

pub fn run(args: &EraseArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    if let Some(EraseCommand::List(list)) = &args.command {
        return run_list(list, global, paths);
    }
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

fn run_list(args: &ListArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
    let listed = erase::list(
        &ws,
        &erase::ListErasuresParams {
            device: args.device.clone(),
            status: args.status.clone(),
            operator: args.operator.clone(),
            since: args.since,
            limit: Some(args.limit),
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&listed)?);
        return Ok(());
    }
    if listed.is_empty() {
        println!("no erasures");
    }
    for erasure in &listed {
        let certificates = match erasure.certificates.as_slice() {
            [] => String::new(),
            ids => format!(
                "  certificate {}",
                ids.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        println!(
            "{}  {:<11}  {}  {:<13}  {}  {}  {}{certificates}",
            erasure.id,
            erasure.status,
            erasure.started_at.format("%Y-%m-%d %H:%M"),
            erasure.method,
            erasure.target_kind,
            erasure.operator,
            erasure.target,
        );
    }
    Ok(())
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

/// The workstation, open as the operator the command line names.
fn workstation(global: &GlobalArgs, paths: &DataPaths) -> Result<Workstation, Failure> {
    super::acting_creating(paths, global)
}

/// Ctrl-C (or a polite kill) sets `cancel` instead of ending the process: the use case stops at
/// its next step and records the erasure `interrupted`.
pub(crate) fn watch_ctrl_c(cancel: &Cancel) -> Result<(), Failure> {
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, cancel.flag()).map_err(|error| {
            Failure::new(Exit::Data, anyhow!("could not watch for Ctrl-C: {error}"))
        })?;
    }
    Ok(())
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
    errors: &'a [refurbdesk_app::erase::ErasureFault],
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
    fn new(record: &'a ErasureRecord, direct_io: bool, note: Option<&'a str>) -> Self {
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
            note,
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
        (Some(serial), _) => DriveConfirmation::Serial {
            serial: serial.clone(),
        },
        (None, true) => DriveConfirmation::Image,
        (None, false) => DriveConfirmation::None,
    };
    let params = DriveParams {
        target: target.to_owned(),
        method,
        verify: args.verify,
        confirmation,
        device: args.device.clone(),
        lang: Lang::En,
    };
    let cancel = Cancel::new();
    watch_ctrl_c(&cancel)?;
    // Opening the store also marks erasures abandoned by a dead process as interrupted.
    let mut ws = workstation(global, paths)?;
    let bar = progress_bar();
    let progress = {
        let bar = bar.clone();
        Progress::new(move |report| show(&bar, report), cancel)
    };
    let outcome = erase::drive(&mut ws, &params, &progress, &mut |started| {
        if let EraseStarted::Drive {
            erasure_id,
            target,
            target_kind,
            method,
            verify,
        } = started
        {
            bar.println(format!(
                "erasing {target} ({target_kind}) with {method}, verify {verify}: record \
                 {erasure_id}"
            ));
        }
    });
    bar.finish_and_clear();
    let erased = outcome?;
    let record = &erased.record;

    if global.json {
        println!(
            "{}",
            serde_json::to_string(&EraseOutput::new(
                record,
                erased.direct_io,
                erased.note.as_deref()
            ))?
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
    match erased.failure {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}

pub(crate) fn progress_bar() -> ProgressBar {
    // Hidden automatically when stderr is not a terminal (scripts, --json in CI).
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>9} [{bar:32}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(500));
    bar
}

/// Each report of the erasure moves the bar: the pass or the verification, and the bytes done.
pub(crate) fn show(bar: &ProgressBar, report: &ProgressReport) {
    if let Some(stage) = &report.stage {
        bar.set_prefix(stage.clone());
    }
    if let Some(total) = report.total {
        bar.set_length(total);
    }
    bar.set_position(report.done);
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
    fn new(record: &'a ErasureRecord, note: Option<&'a str>) -> Self {
        DeviceEraseOutput {
            id: record.id,
            status: record.status.as_str(),
            method: &record.method,
            target: &record.target,
            target_kind: &record.target_kind,
            verify: &record.verify,
            device_id: record.device_id,
            device: &record.drive,
            note,
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
    let params = BenchParams {
        port: port.to_owned(),
        slot,
        method,
        device: args.device.clone(),
        timeout_ms: args.timeout_ms,
        lang: Lang::En,
    };
    // A timeout no bench can meet is refused before a database is created for it.
    refurbdesk_app::intake::check_timeout_ms(args.timeout_ms)?;
    let mut ws = workstation(global, paths)?;
    // Watched from now on, so Ctrl-C at any point after the record is written ends it
    // `interrupted` rather than killing the process.
    let cancel = Cancel::new();
    watch_ctrl_c(&cancel)?;
    let bar = percent_bar();
    let progress = {
        let bar = bar.clone();
        Progress::new(move |report| show_bench(&bar, report), cancel)
    };
    let outcome = erase::bench(&mut ws, &params, &progress, &mut |started| {
        if let EraseStarted::Bench {
            erasure_id,
            make,
            model,
            port,
            slot,
            method,
            ..
        } = started
        {
            bar.set_prefix("erasing");
            bar.println(format!(
                "erasing {make} {model} in slot {slot} of the bench on {port} with {method}: \
                 record {erasure_id}"
            ));
        }
    });
    bar.finish_and_clear();
    let erased = outcome?;
    let record = &erased.record;
    if global.json {
        let mut output = DeviceEraseOutput::new(record, erased.note.as_deref());
        output.end = Some(&erased.end);
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "{}: {} — {} {}{} (record {})",
            record.target,
            record.status,
            method,
            erased
                .progress
                .map(|percent| format!("reached {percent} %"))
                .unwrap_or_else(|| "never started".to_owned()),
            erased
                .detail
                .as_deref()
                .map(|detail| format!(", the bench said \"{detail}\""))
                .unwrap_or_default(),
            record.id
        );
    }
    match erased.failure {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
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

fn show_bench(bar: &ProgressBar, report: &ProgressReport) {
    match report.stage.as_deref() {
        Some("erasing") => bar.set_message("the bench is erasing"),
        Some("polling") => bar.set_message("asking the bench for the status"),
        _ => {}
    }
    bar.set_position(report.done);
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
    let answers =
        match &args.answers {
            Some(file) => ManualAnswers::File { path: file.clone() },
            None if std::io::stdin().is_terminal() => ManualAnswers::Asked,
            None => return Err(usage(
                "a manual reset asks each step on a terminal, and standard input is not one; run \
                 it in a terminal, or give the answers with --answers FILE",
            )),
        };
    let device = args
        .device
        .clone()
        .ok_or_else(|| usage("--manual needs --device REF: the recorded device to reset"))?;
    let params = ManualAnswerParams {
        plan: ManualPlanParams {
            device,
            platform: args.platform.clone(),
            lang,
        },
        answers,
    };
    let mut ws = workstation(global, paths)?;
    let cancel = Cancel::new();
    let progress = Progress::new(|_| {}, cancel.clone());
    let reset = match params.answers {
        ManualAnswers::Asked => {
            let plan = erase::manual_plan(&ws, &params.plan)?;
            eprintln!("{}", plan.introduction);
            watch_ctrl_c(&cancel)?;
            let mut ask = terminal_prompts(plan.words, cancel)?;
            erase::manual_answer(&mut ws, &params, &progress, &mut ask)?
        }
        _ => erase::manual_answer(&mut ws, &params, &progress, &mut |_| None)?,
    };

    let record = &reset.record;
    if global.json {
        let mut output = DeviceEraseOutput::new(record, reset.note.as_deref());
        output.manual_end = Some(&reset.end);
        println!("{}", serde_json::to_string(&output)?);
    } else {
        println!(
            "{} ({}): {} (record {})",
            reset.platform_name, record.target, record.status, record.id
        );
    }
    match reset.failure {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}

/// Reads the answer to each step from the terminal, in the plan's words. Lines are read on a
/// helper thread so that Ctrl-C, which would otherwise wait for a line, stops the reset at once
/// (recorded interrupted).
fn terminal_prompts(
    words: Words,
    stop: Cancel,
) -> Result<impl FnMut(&StepPrompt<'_>) -> Option<StepAnswer>, Failure> {
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
    Ok(move |prompt: &StepPrompt<'_>| {
        let kind = if prompt.step.required {
            &words.required
        } else {
            &words.optional
        };
        eprintln!(
            "\n[{}/{}] ({kind}) {}",
            prompt.number, prompt.count, prompt.step.text
        );
        loop {
            eprint!("{}", words.question);
            let _ = std::io::stderr().flush();
            let line = loop {
                if stop.is_cancelled() {
                    eprintln!();
                    return None;
                }
                match incoming.recv_timeout(Duration::from_millis(100)) {
                    Ok(Some(line)) => break line,
                    Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
            };
            match erase::parse_answer(&line) {
                Some(Some(answer)) => return Some(answer),
                Some(None) => return None,
                None => eprintln!("{}", words.again),
            }
        }
    })
}
