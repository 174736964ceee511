//! `refurbdesk station`: the headless station over real or simulated benches.

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::station::{self, SlotPhase, StationEvent, StationParams};
use refurbdesk_app::DataPaths;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct StationArgs {
    /// A bench's serial port (repeat for each bench); without any bench named, the ports of the
    /// station.ports setting
    #[arg(long = "port", value_name = "PATH")]
    ports: Vec<PathBuf>,
    /// Start simulated benches from the built-in fixtures instead of (or beside) real ones
    #[arg(long)]
    simulate: bool,
    /// The sales channel whose battery threshold applies [default: the station.channel setting,
    /// else backmarket (85 %)]
    #[arg(long, value_name = "NAME")]
    channel: Option<String>,
    /// Simulate a bench from this scenario file (repeatable; implies --simulate)
    #[arg(long, value_name = "FILE")]
    scenario: Vec<PathBuf>,
    /// Faults the simulated benches inject (none, all, or e.g. crc=0.05,drop=0.02)
    #[arg(long, value_name = "SPEC", default_value = "none")]
    faults: String,
    /// Seed of the simulated benches' fault dice
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Exit once every occupied slot is recorded (or failed) and nothing happened for 2 s
    #[arg(long)]
    until_idle: bool,
    /// Also follow the devices on this computer's USB ports as slots of the bench `usb`:
    /// Android phones with USB debugging are read through the adb server and recorded
    #[arg(long)]
    usb: bool,
    /// The adb server for --usb as host:port [default: 127.0.0.1 on ANDROID_ADB_SERVER_PORT,
    /// else 5037]
    #[arg(long, value_name = "HOST:PORT", env = "REFURBDESK_ADB_SERVER")]
    adb_server: Option<String>,
}

pub fn run(args: &StationArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let params = StationParams {
        ports: args.ports.clone(),
        simulate: args.simulate,
        scenarios: args.scenario.clone(),
        faults: Some(args.faults.clone()),
        seed: args.seed,
        channel: args.channel.clone(),
        until_idle: args.until_idle,
        usb: args.usb,
        adb_server: args.adb_server.clone(),
        site: global.site.clone(),
    }
    .or_configured_ports(paths)?;
    station::check_before_opening(paths, &params)?;
    let workstation = super::acting_creating(paths, global)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let json = global.json;
    let summary = runtime.block_on(async move {
        let mut running = station::start(workstation, params)?;
        if !json {
            println!(
                "station: {} bench(es), operator {}, database {}",
                running.started.benches,
                running.started.operator.as_deref().unwrap_or("-"),
                running.started.database
            );
            if let Some(site) = &running.started.site {
                println!(
                    "replicating to the site {site} every {} s",
                    station::REPLICATION_INTERVAL.as_secs()
                );
            }
        }
        let printer = tokio::spawn(async move {
            while let Some(event) = running.events.recv().await {
                print_event(&event, json);
            }
        });
        let stopper = running.control.stopper();
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let signals = tokio::spawn(async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            stopper.stop();
        });
        let summary = running.control.finish().await?;
        signals.abort();
        let _ = printer.await;
        Ok::<_, Failure>(summary)
    })?;

    if json {
        println!(
            "{}",
            serde_json::json!({"event": "summary", "summary": summary})
        );
    } else {
        println!(
            "station stopped: {} recorded, {} failed",
            summary.recorded, summary.failed
        );
    }
    Ok(station::judge(&summary)?)
}

fn print_event(event: &StationEvent, json: bool) {
    if json {
        if let Ok(line) = serde_json::to_string(event) {
            println!("{line}");
        }
        return;
    }
    let line = match event {
        StationEvent::BenchWaiting { port, reason } => {
            format!("{port}: waiting for the bench — {reason}")
        }
        StationEvent::BenchUnreachable {
            port,
            reason,
            attempts,
        } => {
            format!("{port}: no bench after {attempts} attempts, no longer waiting — {reason}")
        }
        StationEvent::BenchReady {
            port,
            serial,
            vendor,
            model,
            slots,
        } => {
            format!("{port}: bench {serial} ready ({vendor} {model}, {slots} slots)")
        }
        StationEvent::BenchDisconnected { port } => {
            format!("{port}: bench disconnected — recorded intakes are kept; reconnecting when it returns")
        }
        StationEvent::SlotChanged {
            port,
            bench,
            slot,
            phase,
            message,
        } => {
            let who = bench.as_deref().unwrap_or(port);
            let phase = match phase {
                SlotPhase::Empty => "empty",
                SlotPhase::Identifying => "device placed, reading its identity",
                SlotPhase::Intake => "identified, reading battery, locks and tests",
                SlotPhase::Recorded => "recorded",
                SlotPhase::Failed => "failed",
                SlotPhase::Unknown => "state unknown until the bench answers again",
            };
            match message {
                Some(message) => format!("{who} slot {slot}: {phase} — {message}"),
                None => format!("{who} slot {slot}: {phase}"),
            }
        }
        StationEvent::IntakeRecorded {
            bench,
            slot,
            report,
            ..
        } => {
            format!("{bench} slot {slot}: recorded — {}", report.summary_line())
        }
        StationEvent::IntakeFailed {
            port,
            bench,
            slot,
            error,
            will_retry,
            ..
        } => {
            let who = bench.as_deref().unwrap_or(port);
            let next = if *will_retry { "; trying again" } else { "" };
            format!("{who} slot {slot}: intake failed — {error}{next}")
        }
    };
    println!("{line}");
}
