//! `refurbdesk sim bench`: a simulated bench on a pseudo-terminal, for development and tests.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, Subcommand};
use refurbdesk_bench_sim::{run_until, FaultSpec, Scenario, SimOptions};

use crate::exit::{Exit, Failure};

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve Bench Protocol v1 from a scenario file on a new pseudo-terminal linked at PATH, until Ctrl-C
    Bench(SimBenchArgs),
}

#[derive(Debug, Args)]
pub struct SimBenchArgs {
    /// The scenario file (see fixtures/benches/README.md)
    #[arg(long, value_name = "FILE")]
    scenario: PathBuf,
    /// Where to link the bench's device path, e.g. /tmp/bench0
    #[arg(long, value_name = "PATH")]
    link: PathBuf,
    /// Faults to inject: none, all, or a list like crc=0.05,drop=0.02,unplug
    #[arg(long, value_name = "SPEC", default_value = "none")]
    faults: FaultSpec,
    /// Seed of the fault dice (same seed, same faults)
    #[arg(long, value_name = "N", default_value_t = 0)]
    seed: u64,
    /// Time scale: 2 runs the scenario twice as fast
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    speed: f64,
}

pub fn run(command: &SimCommand, json: bool) -> Result<(), Failure> {
    let SimCommand::Bench(args) = command;
    let scenario = Scenario::load(&args.scenario).map_err(|e| Failure::new(Exit::Data, e))?;
    let options = SimOptions {
        faults: args.faults.clone(),
        seed: args.seed,
        speed: args.speed,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    eprintln!(
        "simulated bench {} serving {} on {} (Ctrl-C stops it)",
        scenario.bench().serial,
        args.scenario.display(),
        args.link.display()
    );
    let link = args.link.clone();
    let bench_stop = stop.clone();
    let stats = runtime.block_on(async move {
        let bench =
            tokio::task::spawn_blocking(move || run_until(scenario, &link, options, &bench_stop));
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        stop.store(true, Ordering::SeqCst);
        bench.await.map_err(anyhow::Error::from)
    })?;
    let stats = stats.map_err(|e| Failure::new(Exit::Data, e))?;
    if json {
        println!("{}", serde_json::to_string(&stats)?);
    } else {
        eprintln!(
            "stopped: {} requests answered, {} lines sent, {} faults injected",
            stats.requests_total(),
            stats.lines_sent,
            stats.faults_total()
        );
    }
    Ok(())
}
