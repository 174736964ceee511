//! The simulated marketplace (`refurbdesk sim marketplace`): a Back Market seller API on a local
//! port, for the marketplace adapter's tests, its benchmark and demonstrations.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use refurbdesk_marketplace_sim::{spawn, FaultSpec, SimConfig};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::progress::Cancel;

/// A simulated marketplace to serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimMarketplaceParams {
    /// The port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// Faults to inject, e.g. `500:0.2,slow:0.1,timeout-after-apply:0.05,seed:7` (docs/marketplace.md).
    pub faults: String,
    /// Where the marketplace's state is kept between runs.
    #[ts(type = "string | null")]
    pub state: Option<PathBuf>,
    /// How much faster than the wall's its limits' clock runs.
    pub time_factor: f64,
    /// The API token it expects (`Authorization: Basic <token>`).
    pub token: String,
}

/// The marketplace being served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimMarketplaceServing {
    /// Its base URL, e.g. `http://127.0.0.1:8787`.
    pub url: String,
}

/// What the simulated marketplace saw until it was stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimMarketplaceStopped {
    #[ts(type = "number")]
    pub requests: u64,
    #[ts(type = "number")]
    pub rate_limited: u64,
    #[ts(type = "number")]
    pub faults_injected: u64,
    #[ts(type = "number")]
    pub listing_updates: u64,
    #[ts(type = "number")]
    pub catalog_rows: u64,
}

/// Serves until `cancel` is set; `serving` hears once the port is bound. Blocking.
pub fn serve_marketplace(
    params: SimMarketplaceParams,
    cancel: &Cancel,
    serving: impl FnOnce(&SimMarketplaceServing),
) -> Result<SimMarketplaceStopped> {
    let faults: FaultSpec = params
        .faults
        .parse()
        .map_err(|error| Error::from_error(ErrorCode::Usage, &error))?;
    if params.time_factor.is_nan() || params.time_factor <= 0.0 {
        return Err(Error::usage(format!(
            "the time factor must be more than 0, not {}",
            params.time_factor
        )));
    }
    let config = SimConfig {
        token: params.token,
        faults,
        time_factor: params.time_factor,
        state_file: params.state,
    };
    let running = spawn(config, SocketAddr::from(([127, 0, 0, 1], params.port)))
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    serving(&SimMarketplaceServing { url: running.url() });
    while !cancel.is_cancelled() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let state = running.marketplace().state();
    running
        .stop()
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    Ok(SimMarketplaceStopped {
        requests: state.stats.requests,
        rate_limited: state.stats.rate_limited,
        faults_injected: state.stats.faults.values().sum(),
        listing_updates: state.stats.listing_updates,
        catalog_rows: state.stats.catalog_rows,
    })
}
