//! Simulators for development, demonstrations and tests: a bench that speaks Bench Protocol v1
//! from a scenario file on a pseudo-terminal.

use std::path::PathBuf;

use refurbdesk_bench_sim::{run_until, Scenario, SimOptions, SimStats};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::progress::Cancel;

/// Faults to inject: `none`, `all`, or a list like `crc=0.05,drop=0.02,unplug`.
pub use refurbdesk_bench_sim::{FaultSpec, FaultSpecError};

/// A simulated bench to serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimBenchParams {
    /// The scenario file (see fixtures/benches/README.md).
    #[ts(type = "string")]
    pub scenario: PathBuf,
    /// Where to link the bench's device path, e.g. /tmp/bench0.
    #[ts(type = "string")]
    pub link: PathBuf,
    #[ts(type = "unknown")]
    pub faults: FaultSpec,
    /// Seed of the fault dice (same seed, same faults).
    #[ts(type = "number")]
    pub seed: u64,
    /// Time scale: 2 runs the scenario twice as fast.
    pub speed: f64,
}

/// The bench being served, once its scenario is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimBenchServing {
    /// The simulated bench's serial number.
    pub serial: String,
    #[ts(type = "string")]
    pub scenario: PathBuf,
    #[ts(type = "string")]
    pub link: PathBuf,
}

/// What a simulated bench did until it was stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimBenchStopped {
    #[ts(type = "number")]
    pub requests_answered: u64,
    #[ts(type = "number")]
    pub lines_sent: u64,
    #[ts(type = "number")]
    pub faults_injected: u64,
    /// Every counter the bench keeps.
    #[ts(type = "unknown")]
    pub stats: SimStats,
}

/// Serves the scenario at `link` until `cancel` is set; `serving` hears once the bench is about
/// to start. Blocking.
pub fn serve_bench(
    params: SimBenchParams,
    cancel: &Cancel,
    serving: impl FnOnce(&SimBenchServing),
) -> Result<SimBenchStopped> {
    let scenario = Scenario::load(&params.scenario)
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    serving(&SimBenchServing {
        serial: scenario.bench().serial.clone(),
        scenario: params.scenario.clone(),
        link: params.link.clone(),
    });
    let options = SimOptions {
        faults: params.faults,
        seed: params.seed,
        speed: params.speed,
    };
    let stop = cancel.flag();
    let stats = run_until(scenario, &params.link, options, &stop)
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    Ok(SimBenchStopped {
        requests_answered: stats.requests_total(),
        lines_sent: stats.lines_sent,
        faults_injected: stats.faults_total(),
        stats,
    })
}
