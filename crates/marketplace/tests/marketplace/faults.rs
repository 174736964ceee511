//! Faults on the way: 500 and 429 bursts, answers lost after the change was applied, dropped
//! connections and repeated deliveries. Each change must land exactly once.

use refurbdesk_marketplace::{
    ensure_identity, ensure_listing, DeviceIdentity, ListingUpdate, Outcome, SendError,
};
use refurbdesk_marketplace_sim::{FaultKind, Orderline, SimState};

use crate::support::{client, retried, sim, with_listings};

fn quantity(n: i64) -> ListingUpdate {
    ListingUpdate {
        quantity: Some(n),
        ..ListingUpdate::default()
    }
}

fn with_orderline(sim: &refurbdesk_marketplace_sim::RunningSim, id: &str) {
    let mut state = SimState::default();
    state.orderlines.insert(
        id.to_owned(),
        Orderline {
            id: id.to_owned(),
            ..Orderline::default()
        },
    );
    sim.marketplace().replace_state(state);
}

const IMEI: &str = "356938035643809";

#[tokio::test]
async fn bursts_of_500_and_429_are_ridden_out() {
    let sim = sim("500:1*3,429:1*2");
    with_listings(&sim, &[("1", "A", 0)]);
    let client = client(&sim.url());
    let update = quantity(6);
    let (outcome, failures) =
        retried(10, |unsure| ensure_listing(&client, "1", &update, unsure)).await;
    assert_eq!(outcome.unwrap(), Outcome::Sent);
    assert!(failures >= 3, "{failures}");
    let state = sim.marketplace().state();
    assert_eq!(state.listings["1"].quantity, 6);
    assert_eq!(state.listings["1"].updates, 1, "applied once");
    assert_eq!(state.stats.faults[&FaultKind::ServerError], 3);
    assert_eq!(state.stats.faults[&FaultKind::TooManyRequests], 2);
}

#[tokio::test]
async fn a_listing_applied_before_a_timeout_is_read_back_not_sent_again() {
    let sim = sim("timeout-after-apply:1*1,hang-ms:4000");
    with_listings(&sim, &[("1", "A", 0)]);
    let client = client(&sim.url());
    let update = quantity(2);
    let (outcome, failures) =
        retried(5, |unsure| ensure_listing(&client, "1", &update, unsure)).await;
    assert_eq!(outcome.unwrap(), Outcome::Sent);
    assert_eq!(failures, 0, "the read-back settled it in the same call");
    let state = sim.marketplace().state();
    assert_eq!(state.stats.faults[&FaultKind::TimeoutAfterApply], 1);
    assert_eq!(state.listings["1"].updates, 1, "applied once");
    assert_eq!(state.stats.listing_updates, 1);
}

#[tokio::test]
async fn an_imei_applied_before_a_timeout_is_set_once() {
    let sim = sim("timeout-after-apply:1*1,hang-ms:4000");
    with_orderline(&sim, "77");
    let client = client(&sim.url());
    let imei = DeviceIdentity::Imei(IMEI.to_owned());
    let (outcome, _) = retried(5, |_| ensure_identity(&client, "77", &imei)).await;
    assert_eq!(outcome.unwrap(), Outcome::Sent);
    let line = &sim.marketplace().state().orderlines["77"];
    assert_eq!(line.imei.as_deref(), Some(IMEI));
    assert_eq!(line.sets, 1);
    assert_eq!(line.refusals, 0, "never sent twice");
}

#[tokio::test]
async fn a_repeated_delivery_of_an_imei_is_settled_by_reading_back() {
    let sim = sim("duplicate:1*1");
    with_orderline(&sim, "5");
    let client = client(&sim.url());
    let imei = DeviceIdentity::Imei(IMEI.to_owned());
    // The PATCH arrives twice: the first sets the IMEI, the second is refused, and the answer
    // the client sees is that refusal; reading back shows the IMEI is ours.
    assert_eq!(
        ensure_identity(&client, "5", &imei).await.unwrap(),
        Outcome::Sent
    );
    let line = &sim.marketplace().state().orderlines["5"];
    assert_eq!((line.sets, line.refusals), (1, 1));
    // Again: already there, nothing sent.
    assert_eq!(
        ensure_identity(&client, "5", &imei).await.unwrap(),
        Outcome::AlreadyThere
    );
}

#[tokio::test]
async fn a_different_imei_is_never_sent_over_one_already_set() {
    let sim = sim("none");
    with_orderline(&sim, "5");
    let client = client(&sim.url());
    ensure_identity(&client, "5", &DeviceIdentity::Imei(IMEI.to_owned()))
        .await
        .unwrap();
    let other = DeviceIdentity::Imei("490154203237518".to_owned());
    match ensure_identity(&client, "5", &other).await {
        Err(SendError::Refused { message, .. }) => {
            assert!(message.contains("cannot be changed"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let line = &sim.marketplace().state().orderlines["5"];
    assert_eq!(
        (line.sets, line.refusals),
        (1, 0),
        "the second was never sent"
    );
}

#[tokio::test]
async fn dropped_connections_are_retried_until_the_change_lands() {
    let sim = sim("drop:1*2");
    with_listings(&sim, &[("1", "A", 0)]);
    let client = client(&sim.url());
    let update = quantity(4);
    let (outcome, failures) =
        retried(6, |unsure| ensure_listing(&client, "1", &update, unsure)).await;
    assert_eq!(outcome.unwrap(), Outcome::Sent);
    assert!(failures >= 1);
    let state = sim.marketplace().state();
    assert_eq!(state.listings["1"].quantity, 4);
    assert_eq!(state.listings["1"].updates, 1);
}

#[tokio::test]
async fn mixed_faults_still_deliver_each_change_once() {
    let sim =
        sim("500:0.2,429:0.1,drop:0.1,timeout-after-apply:0.05,duplicate:0.1,hang-ms:2000,seed:11");
    let ids: Vec<String> = (0..12).map(|n| n.to_string()).collect();
    let listings: Vec<(&str, &str, i64)> =
        ids.iter().map(|id| (id.as_str(), id.as_str(), 0)).collect();
    with_listings(&sim, &listings);
    let client = client(&sim.url());
    let update = quantity(1);
    for id in &ids {
        let (outcome, _) = retried(30, |unsure| ensure_listing(&client, id, &update, unsure)).await;
        outcome.unwrap();
    }
    let state = sim.marketplace().state();
    for id in &ids {
        let listing = &state.listings[id];
        assert_eq!(listing.quantity, 1);
        // A repeated delivery applies twice on the marketplace's side (absolute values, no harm);
        // our own sends never repeat one that had landed.
        assert!(listing.updates <= 2, "{id}: {}", listing.updates);
    }
}
