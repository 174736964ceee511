//! 10,000 listing updates through the catalog (CSV batch) path against the simulated
//! marketplace with its clock ×60, as `cargo bench -p refurbdesk-marketplace --bench sync`:
//! the requests made, the 429s met (there must be none), the simulated time against the least
//! the limits allow, and the real time. Results go to docs/performance.md.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use refurbdesk_marketplace::{
    send_catalog, CatalogRow, Client, ClientOptions, Credentials, ListingUpdate,
};
use refurbdesk_marketplace_sim::{spawn, FaultSpec, SimConfig};

const UPDATES: usize = 10_000;
const TIME_FACTOR: f64 = 60.0;
/// The simulator's SKU budget: 2,000 updates an hour, its bucket full at the start.
const SKUS_PER_HOUR: f64 = 2_000.0;
const TOKEN: &str = "bench-token";

fn main() {
    let sim = spawn(
        SimConfig {
            token: TOKEN.to_owned(),
            faults: "none".parse::<FaultSpec>().expect("no faults"),
            time_factor: TIME_FACTOR,
            state_file: None,
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .expect("the simulator starts");
    let client = Client::new(
        &Credentials {
            url: sim.url(),
            company: "Refurbix".to_owned(),
            integration: "Refurbdesk".to_owned(),
            email: "ops@refurbix.example".to_owned(),
            lang: "fr-fr".to_owned(),
            token: TOKEN.to_owned(),
        },
        ClientOptions {
            timeout: Duration::from_secs(30),
            time_factor: TIME_FACTOR,
        },
    )
    .expect("a client");
    let rows: Vec<CatalogRow> = (0..UPDATES)
        .map(|n| CatalogRow {
            sku: format!("BENCH-{n:05}"),
            update: ListingUpdate {
                quantity: Some(1 + (n % 7) as i64),
                ..ListingUpdate::default()
            },
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    let started = Instant::now();
    let report = runtime
        .block_on(send_catalog(&client, &rows, Duration::from_millis(100)))
        .expect("every update is sent");
    let real = started.elapsed();

    let state = sim.marketplace().state();
    let by_sku: std::collections::HashMap<&str, i64> = state
        .listings
        .values()
        .map(|listing| (listing.sku.as_str(), listing.quantity))
        .collect();
    let applied = rows
        .iter()
        .filter(|row| by_sku.get(row.sku.as_str()).copied() == row.update.quantity)
        .count();
    let simulated = real.as_secs_f64() * TIME_FACTOR;
    // The first hour's bucket is full: the rest needs (N - 2,000) / 2,000 hours at the least.
    let minimum = ((UPDATES as f64 - SKUS_PER_HOUR).max(0.0) / SKUS_PER_HOUR) * 3600.0;
    println!("catalog path: {UPDATES} listing updates at time factor ×{TIME_FACTOR}");
    println!(
        "  requests made: {} ({} catalog uploads, {} rows, the rest task polls)",
        client.requests_sent(),
        report.uploads,
        report.rows
    );
    println!("  429s met: {}", state.stats.rate_limited);
    println!("  listings at their quantity: {applied} of {UPDATES}");
    println!(
        "  simulated time: {:.0} s ({:.2} h); limit-bound minimum {:.0} s ({:.2} h): ×{:.3}",
        simulated,
        simulated / 3600.0,
        minimum,
        minimum / 3600.0,
        simulated / minimum
    );
    println!("  real time: {:.1} s", real.as_secs_f64());
    assert_eq!(state.stats.rate_limited, 0, "no 429");
    assert_eq!(applied, UPDATES, "every update applied");
    assert_eq!(report.row_errors.len(), 0);
}
