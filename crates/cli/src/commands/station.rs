//! `refurbdesk station`: the headless station over real or simulated benches.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Args;
use refurbdesk_app::{DataPaths, SimulatedBenches};
use refurbdesk_bench_sim::{FaultSpec, Scenario, SimOptions};
use refurbdesk_station::{run_station, SlotPhase, StationConfig, StationEvent, StationHandle};

use super::open_workstation;
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct StationArgs {
    /// A bench's serial port (repeat for each bench)
    #[arg(long = "port", value_name = "PATH", required_unless_present_any = ["simulate", "scenario"])]
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
    faults: FaultSpec,
    /// Seed of the simulated benches' fault dice
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Exit once every occupied slot is recorded (or failed) and nothing happened for 2 s
    #[arg(long)]
    until_idle: bool,
}

pub fn run(args: &StationArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let (store, actor) = open_workstation(global, paths)?;
    let battery_policy = super::channel_policy(&store, args.channel.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    let mut ports = args.ports.clone();
    let simulated = if args.simulate || !args.scenario.is_empty() {
        let scenarios = args
            .scenario
            .iter()
            .map(|path| Scenario::load(path))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::new(Exit::Data, e))?;
        let options = SimOptions {
            faults: args.faults.clone(),
            seed: args.seed,
            ..SimOptions::default()
        };
        let benches =
            SimulatedBenches::start(scenarios, options).map_err(|e| Failure::new(Exit::Data, e))?;
        ports.extend(benches.ports());
        Some(benches)
    } else {
        None
    };

    let mut config = StationConfig::new(ports, actor.name.clone());
    config.until_idle = args.until_idle;
    config.intake.battery_policy = battery_policy;
    if !global.json {
        println!(
            "station: {} bench(es), operator {}, database {}",
            config.ports.len(),
            actor.name,
            paths.database.display()
        );
    }
    let json = global.json;
    let summary = runtime.block_on(async move {
        let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
        let (handle, stop) = StationHandle::new();
        let store = Arc::new(Mutex::new(store));
        let station = tokio::spawn(run_station(config, store, events_tx, stop));
        let printer = tokio::spawn(async move {
            while let Some(event) = events_rx.recv().await {
                print_event(&event, json);
            }
        });
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        let stopper = tokio::spawn(async move {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            handle.stop();
        });
        let summary = station.await?;
        stopper.abort();
        let _ = printer.await;
        Ok::<_, anyhow::Error>(summary)
    })?;
    drop(simulated);

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
    if summary.failed > 0 {
        return Err(Failure::new(
            Exit::NotFound,
            anyhow::anyhow!(
                "{} intake(s) failed and recorded nothing; see the lines above for each slot",
                summary.failed
            ),
        ));
    }
    Ok(())
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
                SlotPhase::Intake => "intake started",
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
