//! `refurbdesk sim bench`: a simulated bench on a pseudo-terminal; `refurbdesk sim marketplace`: a
//! simulated marketplace over HTTP; `refurbdesk sim adb`: a simulated Android phone on a TCP port;
//! for development and tests.
//! Only in builds with the simulators (the `simulate` feature, on by default).

#![cfg(feature = "simulate")]

use std::path::PathBuf;

use clap::{Args, Subcommand};
use refurbdesk_app::adb::{self, SimAdbParams};
use refurbdesk_app::marketplace_sim::{self, SimMarketplaceParams};
use refurbdesk_app::sim::{self, FaultSpec, SimBenchParams};
use refurbdesk_app::Cancel;

use crate::exit::Failure;

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve Bench Protocol v1 from a scenario file on a new pseudo-terminal linked at PATH, until Ctrl-C
    Bench(SimBenchArgs),
    /// Serve a simulated marketplace (the Back Market seller API) on 127.0.0.1:PORT, until Ctrl-C
    Marketplace(SimMarketplaceArgs),
    /// Serve a simulated Android phone over the ADB device protocol on 127.0.0.1:PORT (reach it
    /// with `adb connect 127.0.0.1:PORT`), answering from a transcript, until Ctrl-C or unplugged
    Adb(SimAdbArgs),
}

#[derive(Debug, Args)]
pub struct SimAdbArgs {
    /// The TCP port to listen on (0 picks a free one, printed on stderr)
    #[arg(long, value_name = "PORT")]
    port: u16,
    /// The phone's transcript (see fixtures/adb/README.md)
    #[arg(long, value_name = "FILE")]
    device: PathBuf,
    /// Ask every host to authenticate, as a phone does, trusting the public keys in FILE (its
    /// adb_keys: one per line, as in ~/.android/adbkey.pub; may be empty). A key it does not
    /// trust is accepted on the "owner's" behalf when the transcript says `@ auth ok`
    #[arg(long, value_name = "FILE")]
    adb_keys: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SimMarketplaceArgs {
    /// The port on 127.0.0.1 (0: any free port, printed at start)
    #[arg(long, value_name = "PORT")]
    port: u16,
    /// Faults to inject: none, or a list like 500:0.2,slow:0.1,timeout-after-apply:0.05,drop:0.05,duplicate:0.05,seed:7 (docs/marketplace.md)
    #[arg(long, value_name = "SPEC", default_value = "none")]
    faults: String,
    /// Keep the marketplace's state in this JSON file between runs
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Run every limit's clock N times faster than the wall's (60: an hour's budget in a minute)
    #[arg(long, value_name = "N", default_value_t = 1.0)]
    time_factor: f64,
    /// The API token it expects
    #[arg(
        long,
        value_name = "TOKEN",
        env = "REFURBDESK_SIM_MARKETPLACE_TOKEN",
        default_value = "sim-token",
        hide_env_values = true
    )]
    token: String,
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
    let args = match command {
        SimCommand::Bench(args) => args,
        SimCommand::Marketplace(args) => return run_marketplace(args, json),
        SimCommand::Adb(args) => return run_adb(args, json),
    };
    let params = SimBenchParams {
        scenario: args.scenario.clone(),
        link: args.link.clone(),
        faults: args.faults.clone(),
        seed: args.seed,
        speed: args.speed,
    };
    // Ctrl-C or SIGTERM stops the bench.
    let cancel = Cancel::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let bench_cancel = cancel.clone();
    let stopped = runtime.block_on(async move {
        let mut bench = tokio::task::spawn_blocking(move || {
            sim::serve_bench(params, &bench_cancel, |serving| {
                eprintln!(
                    "simulated bench {} serving {} on {} (Ctrl-C stops it)",
                    serving.serial,
                    serving.scenario.display(),
                    serving.link.display()
                );
            })
        });
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            // The bench stops on its own only when it cannot start.
            ended = &mut bench => return ended.map_err(anyhow::Error::from),
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        cancel.cancel();
        bench.await.map_err(anyhow::Error::from)
    })??;
    if json {
        println!("{}", serde_json::to_string(&stopped.stats)?);
    } else {
        eprintln!(
            "stopped: {} requests answered, {} lines sent, {} faults injected",
            stopped.requests_answered, stopped.lines_sent, stopped.faults_injected
        );
    }
    Ok(())
}

fn run_marketplace(args: &SimMarketplaceArgs, json: bool) -> Result<(), Failure> {
    let params = SimMarketplaceParams {
        port: args.port,
        faults: args.faults.clone(),
        state: args.state.clone(),
        time_factor: args.time_factor,
        token: args.token.clone(),
    };
    let cancel = Cancel::new();
    let stop = cancel.clone();
    signal_hook::flag::register(signal_hook::consts::SIGINT, stop.flag())?;
    signal_hook::flag::register(signal_hook::consts::SIGTERM, stop.flag())?;
    let stopped = marketplace_sim::serve_marketplace(params, &cancel, |serving| {
        if json {
            println!("{}", serde_json::json!({"serving": serving.url}));
        } else {
            println!(
                "simulated marketplace serving {} (Ctrl-C stops it)",
                serving.url
            );
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })?;
    if json {
        println!("{}", serde_json::to_string(&stopped)?);
    } else {
        eprintln!(
            "stopped: {} requests, {} rate limited, {} faults injected, {} listing updates, {} catalog rows",
            stopped.requests,
            stopped.rate_limited,
            stopped.faults_injected,
            stopped.listing_updates,
            stopped.catalog_rows
        );
    }
    Ok(())
}

fn run_adb(args: &SimAdbArgs, json: bool) -> Result<(), Failure> {
    let params = SimAdbParams {
        port: args.port,
        device: args.device.clone(),
        adb_keys: args.adb_keys.clone(),
    };
    // Ctrl-C or SIGTERM unplugs the phone.
    let cancel = Cancel::new();
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, cancel.flag())?;
    }
    let stopped = adb::serve_sim(params, &cancel, |serving| {
        eprintln!(
            "simulated Android phone {} listening on {} (adb connect {}; Ctrl-C stops it)",
            serving.device.display(),
            serving.address,
            serving.address
        );
    })?;
    if json {
        println!("{}", serde_json::to_string(&stopped)?);
    } else {
        eprintln!(
            "stopped{}: {} connections, {} commands answered, {} services refused",
            if stopped.unplugged {
                " (unplugged)"
            } else {
                ""
            },
            stopped.connections,
            stopped.commands_answered,
            stopped.services_refused
        );
    }
    Ok(())
}
