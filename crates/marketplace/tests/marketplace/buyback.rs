//! Trade-in orders: pulled page by page, validated, counter-offered with the audit report, or
//! suspended.

use refurbdesk_marketplace::{
    ensure_order_decision, Attachment, Decision, OrderDecision, Outcome, SendError,
};
use refurbdesk_marketplace_sim::{BuybackOrder, SimState};

use crate::support::{client, sim};

fn with_orders(sim: &refurbdesk_marketplace_sim::RunningSim, orders: &[(&str, &str)]) {
    let mut state = SimState::default();
    for (id, status) in orders {
        state.buyback_orders.insert(
            (*id).to_owned(),
            BuybackOrder {
                id: (*id).to_owned(),
                status: (*status).to_owned(),
                product: "iPhone 12 64 GB".to_owned(),
                price: "180.00".to_owned(),
                ..BuybackOrder::default()
            },
        );
    }
    sim.marketplace().replace_state(state);
}

fn report_pdf() -> Attachment {
    Attachment {
        name: "audit-report.pdf".to_owned(),
        content_type: "application/pdf".to_owned(),
        bytes: b"%PDF-1.7\n% a signed audit report\n%%EOF\n".to_vec(),
    }
}

#[tokio::test]
async fn received_orders_are_pulled_page_by_page() {
    let sim = sim("none");
    let ids: Vec<String> = (0..130).map(|n| format!("BB-{n:03}")).collect();
    let orders: Vec<(&str, &str)> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (id.as_str(), if n % 5 == 0 { "SENT" } else { "RECEIVED" }))
        .collect();
    with_orders(&sim, &orders);
    let client = client(&sim.url());
    let received = client.buyback_orders("RECEIVED").await.unwrap();
    assert_eq!(received.len(), 104);
    assert!(received.iter().all(|order| order.status == "RECEIVED"));
    assert_eq!(client.requests_sent(), 3, "50 a page");
}

#[tokio::test]
async fn a_counter_offer_carries_its_pdf() {
    let sim = sim("none");
    with_orders(&sim, &[("BB-1", "RECEIVED")]);
    let client = client(&sim.url());
    let offer = OrderDecision::CounterOffer(Decision {
        price: Some("95.00".to_owned()),
        comment: Some("Screen cracked, battery at 79 %".to_owned()),
        reasons: vec!["SCREEN_DAMAGED".to_owned(), "BATTERY".to_owned()],
        files: vec![report_pdf()],
    });
    assert_eq!(
        ensure_order_decision(&client, "BB-1", &offer)
            .await
            .unwrap(),
        Outcome::Sent
    );
    let order = &sim.marketplace().state().buyback_orders["BB-1"];
    assert_eq!(order.status, "COUNTER_PROPOSAL");
    let received = &order.counter_offers[0];
    assert_eq!(received.price.as_deref(), Some("95.00"));
    assert_eq!(received.reasons, ["SCREEN_DAMAGED", "BATTERY"]);
    assert_eq!(received.files.len(), 1);
    assert!(received.files[0].pdf);
    assert_eq!(received.files[0].name, "audit-report.pdf");
    assert_eq!(received.files[0].size, report_pdf().bytes.len() as u64);
    // Sent again (a retry): already there, not a second counter-offer.
    assert_eq!(
        ensure_order_decision(&client, "BB-1", &offer)
            .await
            .unwrap(),
        Outcome::AlreadyThere
    );
    assert_eq!(
        sim.marketplace().state().buyback_orders["BB-1"]
            .counter_offers
            .len(),
        1
    );
}

#[tokio::test]
async fn a_locked_device_s_order_ends_suspended() {
    let sim = sim("none");
    with_orders(&sim, &[("BB-2", "RECEIVED")]);
    let client = client(&sim.url());
    let suspend = OrderDecision::Suspend(Decision {
        comment: Some("iCloud lock still on".to_owned()),
        reasons: vec!["ACCOUNT_LOCKED".to_owned()],
        files: vec![report_pdf()],
        ..Decision::default()
    });
    ensure_order_decision(&client, "BB-2", &suspend)
        .await
        .unwrap();
    let order = &sim.marketplace().state().buyback_orders["BB-2"];
    assert_eq!(order.status, "SUSPENDED");
    assert_eq!(order.suspensions[0].reasons, ["ACCOUNT_LOCKED"]);
    assert!(order.suspensions[0].files[0].pdf);
}

#[tokio::test]
async fn an_order_no_longer_received_refuses_a_verdict_in_problem_json() {
    let sim = sim("none");
    with_orders(&sim, &[("BB-3", "PAID")]);
    let client = client(&sim.url());
    match ensure_order_decision(&client, "BB-3", &OrderDecision::Validate).await {
        Err(SendError::Refused {
            status: 400,
            message,
        }) => {
            assert!(
                message.starts_with("Invalid status: Order BB-3 is PAID"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    // A comment over 200 characters never leaves.
    let long = OrderDecision::CounterOffer(Decision {
        price: Some("1.00".to_owned()),
        comment: Some("x".repeat(201)),
        reasons: vec!["OTHER".to_owned()],
        files: Vec::new(),
    });
    with_orders(&sim, &[("BB-4", "RECEIVED")]);
    assert!(matches!(
        ensure_order_decision(&client, "BB-4", &long).await,
        Err(SendError::Refused { status: 0, .. })
    ));
}
