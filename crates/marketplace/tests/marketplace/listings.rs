use std::io::{Read, Write};
use std::time::Duration;

use refurbdesk_marketplace::{
    ensure_listing, send_catalog, CatalogRow, Client, ClientOptions, ListingUpdate, Outcome,
    SendError,
};
use refurbdesk_marketplace_sim::SimConfig;

use crate::support::{client, credentials, sim, sim_with, with_listings, TOKEN};

fn quantity(n: i64) -> ListingUpdate {
    ListingUpdate {
        quantity: Some(n),
        ..ListingUpdate::default()
    }
}

#[tokio::test]
async fn a_listing_update_carries_the_headers_the_api_asks_for() {
    let sim = sim("none");
    with_listings(&sim, &[("4711", "IPHONE-13-128-GB-BLUE-B", 0)]);
    let client = client(&sim.url());
    let listing = client.update_listing("4711", &quantity(3)).await.unwrap();
    assert_eq!(listing.quantity, 3);
    let state = sim.marketplace().state();
    assert_eq!(state.listings["4711"].quantity, 3);
    assert_eq!(
        state.stats.last_user_agent.as_deref(),
        Some("BM-Refurbix-Refurbdesk;ops@refurbix.example")
    );
    assert_eq!(state.stats.last_accept_language.as_deref(), Some("fr-fr"));
    // By SKU too.
    let listing = client
        .update_listing("IPHONE-13-128-GB-BLUE-B", &quantity(4))
        .await
        .unwrap();
    assert_eq!(listing.listing_id, "4711");
}

#[tokio::test]
async fn a_wrong_token_is_refused_with_the_marketplace_s_message() {
    let sim = sim("none");
    let mut credentials = credentials(&sim.url());
    credentials.token = "not-the-token".to_owned();
    let client = Client::new(&credentials, ClientOptions::default()).unwrap();
    let error = client.listing("1").await.unwrap_err();
    assert_eq!(
        error,
        SendError::Refused {
            status: 401,
            message: "Invalid token.".to_owned()
        }
    );
    assert_eq!(sim.marketplace().state().stats.unauthorized, 1);
}

#[tokio::test]
async fn refusals_carry_the_message_whatever_the_shape() {
    let sim = sim("none");
    with_listings(&sim, &[("1", "A", 0)]);
    let client = client(&sim.url());
    // {"error": {...}}
    match client.update_listing("1", &quantity(-2)).await {
        Err(SendError::Refused {
            status: 400,
            message,
        }) => {
            assert!(
                message.contains("quantity must be a whole number"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    match client.listing("nope").await {
        Err(SendError::Refused {
            status: 404,
            message,
        }) => {
            assert_eq!(message, "Listing nope does not exist.")
        }
        other => panic!("{other:?}"),
    }
    // A warranty under 12 months never leaves.
    let short = ListingUpdate {
        warranty_delay: Some(6),
        ..ListingUpdate::default()
    };
    let before = client.requests_sent();
    assert!(matches!(
        client.update_listing("1", &short).await,
        Err(SendError::Refused { status: 0, .. })
    ));
    assert_eq!(client.requests_sent(), before);
}

#[tokio::test]
async fn a_marketplace_that_is_down_is_unreachable() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client(&format!("http://127.0.0.1:{port}"));
    assert!(matches!(
        client.update_listing("1", &quantity(1)).await,
        Err(SendError::Unreachable(_))
    ));
}

#[tokio::test]
async fn the_catalog_path_carries_many_listings_per_request() {
    let sim = sim("none");
    with_listings(&sim, &[("1", "SKU-0", 9)]);
    let client = client(&sim.url());
    let rows: Vec<CatalogRow> = (0..250)
        .map(|n| CatalogRow {
            sku: format!("SKU-{n}"),
            update: ListingUpdate {
                quantity: Some(n),
                price: Some("199.00".to_owned()),
                warranty_delay: Some(12),
                ..ListingUpdate::default()
            },
        })
        .collect();
    let report = send_catalog(&client, &rows, Duration::from_millis(20))
        .await
        .unwrap();
    assert_eq!(report.uploads, 1);
    assert_eq!(report.rows, 250);
    assert!(report.row_errors.is_empty());
    let state = sim.marketplace().state();
    assert_eq!(state.listings.len(), 250);
    assert_eq!(
        state.listings["1"].quantity, 0,
        "an existing SKU keeps its listing"
    );
    assert!(state
        .listings
        .values()
        .all(|l| l.warranty_delay == Some(12)));
    assert_eq!(state.stats.catalog_uploads, 1);
    assert_eq!(state.stats.rate_limited, 0);
}

#[tokio::test]
async fn a_bad_catalog_row_is_reported_by_its_task() {
    let sim = sim("none");
    let client = client(&sim.url());
    let rows = vec![
        CatalogRow {
            sku: "GOOD".to_owned(),
            update: quantity(1),
        },
        CatalogRow {
            sku: "BAD".to_owned(),
            update: ListingUpdate {
                price: Some("-4".to_owned()),
                ..ListingUpdate::default()
            },
        },
    ];
    let report = send_catalog(&client, &rows, Duration::from_millis(20))
        .await
        .unwrap();
    assert_eq!(report.row_errors.len(), 1);
    assert_eq!(report.row_errors[0].0, "BAD");
    assert!(
        report.row_errors[0].1.contains("price"),
        "{:?}",
        report.row_errors
    );
}

#[tokio::test]
async fn a_client_paced_by_its_buckets_meets_no_429() {
    let sim = sim("none");
    let client = client(&sim.url());
    // 40 catalog uploads: twice the catalog class's 20 per 10 s.
    for n in 0..40 {
        let rows = [CatalogRow {
            sku: format!("S{n}"),
            update: quantity(1),
        }];
        client.upload_catalog(&rows).await.unwrap();
    }
    let state = sim.marketplace().state();
    assert_eq!(state.stats.catalog_uploads, 40);
    assert_eq!(state.stats.rate_limited, 0);
}

#[tokio::test]
async fn the_state_survives_a_restart_of_the_simulator() {
    let dir = std::env::temp_dir().join(format!("market-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let config = SimConfig {
        token: TOKEN.to_owned(),
        state_file: Some(file.clone()),
        ..SimConfig::default()
    };
    let first = sim_with(config.clone());
    with_listings(&first, &[("7", "KEPT", 0)]);
    client(&first.url())
        .update_listing("7", &quantity(5))
        .await
        .unwrap();
    first.stop().unwrap();
    let second = sim_with(config);
    let listing = client(&second.url()).listing("KEPT").await.unwrap();
    assert_eq!(listing.quantity, 5);
    // The test door shows the same state over HTTP.
    let mut stream = std::net::TcpStream::connect(second.addr).unwrap();
    write!(
        stream,
        "GET /_sim/state HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"KEPT\""), "{answer}");
    drop(second);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn ensure_listing_reads_back_when_unsure() {
    let sim = sim("none");
    with_listings(&sim, &[("9", "X", 2)]);
    let client = client(&sim.url());
    assert_eq!(
        ensure_listing(&client, "9", &quantity(2), true)
            .await
            .unwrap(),
        Outcome::AlreadyThere
    );
    assert_eq!(
        ensure_listing(&client, "9", &quantity(3), true)
            .await
            .unwrap(),
        Outcome::Sent
    );
    assert_eq!(sim.marketplace().state().listings["9"].updates, 1);
}
