//! The marketplace outbox: entries in order per resource, claimed, settled, and retried or
//! cancelled by an operator with an audit entry.

use chrono::{Duration, Utc};
use refurbdesk_store::{NewOutboxEntry, OutboxDecision, OutboxState, StoreError};
use serde_json::json;

use crate::common::TestDb;

fn listing(sku: &str, quantity: i64) -> NewOutboxEntry {
    NewOutboxEntry {
        kind: "listing_quantity".to_owned(),
        resource: format!("listing:{sku}"),
        payload: json!({"sku": sku, "quantity": quantity}),
    }
}

#[test]
fn entries_of_one_resource_go_in_order_and_a_failed_one_holds_them_back() {
    let db = TestDb::new();
    let mut store = db.open();
    let a1 = store.enqueue_outbox(&listing("A", 1)).unwrap();
    let b1 = store.enqueue_outbox(&listing("B", 1)).unwrap();
    let a2 = store.enqueue_outbox(&listing("A", 2)).unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let due: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(due, [a1, b1], "A's second waits for its first");

    assert!(store.outbox_claim(a1).unwrap());
    assert!(!store.outbox_claim(a1).unwrap(), "claimed once");
    let due: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(due, [b1], "an entry in flight holds its resource");

    store
        .outbox_failed(a1, "HTTP 400: quantity must be a whole number")
        .unwrap();
    let due: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(due, [b1], "a failed entry holds its resource");
    let failed = store.outbox_entry(a1).unwrap().unwrap();
    assert_eq!(failed.state, OutboxState::Failed);
    assert_eq!(failed.attempts, 1);
    assert_eq!(
        failed.last_error.as_deref(),
        Some("HTTP 400: quantity must be a whole number")
    );

    let actor = store.resolve_actor(None, "maria").unwrap();
    let cancelled = store
        .decide_outbox(a1, OutboxDecision::Cancel, &actor)
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.state, OutboxState::Cancelled);
    let due: Vec<_> = store
        .outbox_due(now, 10)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(due, [b1, a2]);
    let counts = store.outbox_counts().unwrap();
    assert_eq!((counts.pending, counts.cancelled), (2, 1));
}

#[test]
fn a_postponed_entry_waits_for_its_time_and_a_retry_makes_it_due_now() {
    let db = TestDb::new();
    let mut store = db.open();
    let id = store.enqueue_outbox(&listing("A", 1)).unwrap();
    assert!(store.outbox_claim(id).unwrap());
    let later = Utc::now() + Duration::minutes(10);
    store
        .outbox_postpone(id, "the marketplace cannot be reached", later)
        .unwrap();
    assert!(store.outbox_due(Utc::now(), 10).unwrap().is_empty());
    assert_eq!(store.outbox_due(later, 10).unwrap().len(), 1);

    let actor = store.resolve_actor(None, "maria").unwrap();
    let retried = store
        .decide_outbox(id, OutboxDecision::Retry, &actor)
        .unwrap()
        .unwrap();
    assert_eq!(retried.state, OutboxState::Pending);
    assert_eq!(retried.attempts, 0);
    assert_eq!(
        store
            .outbox_due(Utc::now() + Duration::seconds(1), 10)
            .unwrap()
            .len(),
        1
    );

    assert!(store.outbox_claim(id).unwrap());
    store.outbox_sent(id).unwrap();
    assert_eq!(
        store.outbox_entry(id).unwrap().unwrap().state,
        OutboxState::Sent
    );
    match store.decide_outbox(id, OutboxDecision::Retry, &actor) {
        Err(StoreError::OutboxEntryClosed { state, .. }) => assert_eq!(state, "sent"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn operators_decisions_are_chained_in_the_audit_log() {
    let db = TestDb::new();
    let mut store = db.open();
    let id = store.enqueue_outbox(&listing("A", 1)).unwrap();
    let actor = store.resolve_actor(None, "maria").unwrap();
    store
        .decide_outbox(id, OutboxDecision::Retry, &actor)
        .unwrap();
    store
        .decide_outbox(id, OutboxDecision::Cancel, &actor)
        .unwrap();
    let actions: Vec<String> = store
        .audit_entries(0, 1000)
        .unwrap()
        .into_iter()
        .filter(|entry| entry.entity == "outbox_action")
        .map(|entry| format!("{} by {}", entry.action, entry.operator))
        .collect();
    assert_eq!(actions, ["outbox.retry by maria", "outbox.cancel by maria"]);
    assert!(store.verify_audit().unwrap().is_intact());
    assert!(
        store.check().unwrap().records.is_empty(),
        "every record matches its digest"
    );
    // The actions are evidence: the database refuses to change them.
    let raw = db.raw();
    assert!(raw
        .execute("UPDATE outbox_actions SET operator = 'someone'", [])
        .is_err());
    assert!(store
        .decide_outbox(uuid::Uuid::now_v7(), OutboxDecision::Cancel, &actor)
        .unwrap()
        .is_none());
}

#[test]
fn the_outbox_survives_reopening_with_an_entry_in_flight() {
    let db = TestDb::new();
    let id = {
        let mut store = db.open();
        let id = store.enqueue_outbox(&listing("A", 1)).unwrap();
        assert!(store.outbox_claim(id).unwrap());
        id
    };
    let store = db.open();
    let in_flight = store.outbox_entries(&[OutboxState::InFlight]).unwrap();
    assert_eq!(in_flight.len(), 1);
    assert_eq!(in_flight[0].id, id);
    assert_eq!(in_flight[0].payload["quantity"], 1);
}
