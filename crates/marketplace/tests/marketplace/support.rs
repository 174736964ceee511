use std::net::SocketAddr;
use std::time::Duration;

use refurbdesk_marketplace::{Backoff, Client, ClientOptions, Credentials, SendError};
use refurbdesk_marketplace_sim::{spawn, FaultSpec, Listing, RunningSim, SimConfig, SimState};

pub const TOKEN: &str = "test-token";

pub fn sim(faults: &str) -> RunningSim {
    sim_with(SimConfig {
        token: TOKEN.to_owned(),
        faults: faults.parse::<FaultSpec>().expect("a fault spec"),
        time_factor: 60.0,
        state_file: None,
    })
}

pub fn sim_with(config: SimConfig) -> RunningSim {
    spawn(config, SocketAddr::from(([127, 0, 0, 1], 0))).expect("the simulator starts")
}

pub fn credentials(url: &str) -> Credentials {
    Credentials {
        url: url.to_owned(),
        company: "Refurbix".to_owned(),
        integration: "Refurbdesk".to_owned(),
        email: "ops@refurbix.example".to_owned(),
        lang: "fr-fr".to_owned(),
        token: TOKEN.to_owned(),
    }
}

/// A client on the simulator's clock, with a short timeout so hangs are found fast.
pub fn client(url: &str) -> Client {
    Client::new(
        &credentials(url),
        ClientOptions {
            timeout: Duration::from_millis(1500),
            time_factor: 60.0,
        },
    )
    .expect("a client")
}

/// A marketplace holding `listings` (id, sku, quantity).
pub fn with_listings(sim: &RunningSim, listings: &[(&str, &str, i64)]) {
    let mut state = SimState::default();
    for (id, sku, quantity) in listings {
        state.listings.insert(
            (*id).to_owned(),
            Listing {
                listing_id: (*id).to_owned(),
                sku: (*sku).to_owned(),
                quantity: *quantity,
                ..Listing::default()
            },
        );
    }
    sim.marketplace().replace_state(state);
}

/// Retries a send as the worker does: transient errors wait (backoff or the marketplace's
/// Retry-After) and go again, a refusal stops; gives up after `attempts`.
pub async fn retried<T, F, Fut>(attempts: u32, mut send: F) -> (Result<T, SendError>, u32)
where
    F: FnMut(bool) -> Fut,
    Fut: std::future::Future<Output = Result<T, SendError>>,
{
    let backoff = Backoff {
        base: Duration::from_millis(20),
        max: Duration::from_millis(200),
    };
    let mut failures = 0;
    loop {
        match send(failures > 0).await {
            Ok(value) => return (Ok(value), failures),
            Err(error) if !error.is_transient() || failures + 1 >= attempts => {
                return (Err(error), failures)
            }
            Err(SendError::RateLimited(wait)) => {
                tokio::time::sleep(wait.min(Duration::from_secs(2))).await
            }
            Err(_) => tokio::time::sleep(backoff.random_delay(failures)).await,
        }
        failures += 1;
    }
}
