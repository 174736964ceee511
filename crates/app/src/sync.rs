//! The marketplace worker (docs/marketplace.md): sends what the outbox holds, in order per
//! resource, paced by the marketplace's limits, with backoff and jitter; many listing updates go
//! through the catalog path. An entry found in flight at start (a worker stopped mid-send) and
//! every retry are settled by reading the marketplace's state back first: the API has no
//! idempotency keys, so nothing is sent twice that had arrived.

use std::time::Duration;

use chrono::Utc;
use refurbdesk_marketplace::{
    ensure_identity, ensure_listing, ensure_order_decision, send_catalog, Attachment, Backoff,
    CatalogRow, Client, ClientOptions, Decision, DeviceIdentity, ListingUpdate, OrderDecision,
    SendError,
};
use refurbdesk_store::{OutboxEntry, OutboxState};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::workstation::Workstation;

/// The outbox entry kinds the worker knows, with their payloads:
/// `listing_quantity` `{"listing": ID or SKU, "quantity": N, "price"?, "comment"?, "warranty_delay"?}`,
/// `orderline_identity` `{"orderline": ID, "imei"? , "serial_number"?}`,
/// `buyback_decision` `{"order": ID, "decision": "validate"|"counter_offer"|"suspend", "price"?,
/// "comment"?, "reasons": [...], "files": [PATH, ...]}`.
pub const KINDS: [&str; 3] = ["listing_quantity", "orderline_identity", "buyback_decision"];

/// How one sync round runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncParams {
    /// From this many due listing updates on, they go as one catalog upload.
    pub catalog_from: usize,
    /// Attempts of one entry within this round before it waits for the next round.
    pub attempts_per_round: u32,
    /// How long one request may take.
    pub timeout: Duration,
    /// The backoff between attempts.
    pub backoff: Backoff,
}

impl Default for SyncParams {
    fn default() -> Self {
        SyncParams {
            catalog_from: 20,
            attempts_per_round: 5,
            timeout: Duration::from_secs(30),
            backoff: Backoff {
                base: Duration::from_millis(500),
                max: Duration::from_secs(30),
            },
        }
    }
}

/// What a round did and what is left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// Entries the marketplace took in this round.
    #[ts(type = "number")]
    pub sent: u64,
    /// Entries found already there when read back (an earlier attempt had arrived).
    #[ts(type = "number")]
    pub already_there: u64,
    /// Entries the marketplace refused in this round (now failed).
    #[ts(type = "number")]
    pub refused: u64,
    #[ts(type = "number")]
    pub catalog_uploads: u64,
    #[ts(type = "number")]
    pub requests: u64,
    /// The marketplace could not be reached (or did not answer) for an entry left waiting.
    pub unreachable: bool,
    /// The last reason it could not be reached.
    pub unreachable_error: Option<String>,
    /// Entries still to send (pending or in flight) after the round.
    #[ts(type = "number")]
    pub waiting: u64,
    /// Entries failed after the marketplace refused them, waiting for an operator.
    #[ts(type = "number")]
    pub failed: u64,
    /// Trade-in orders the marketplace lists as RECEIVED.
    #[ts(type = "number")]
    pub orders_received: u64,
    /// Batches made in this round from orders not taken in before (their ids).
    pub new_batches: Vec<String>,
}

/// Whether an error is the marketplace not being there, as opposed to it answering.
fn is_unreachable(error: &SendError) -> bool {
    matches!(error, SendError::Unreachable(_) | SendError::Uncertain(_))
}

fn refusal(message: String) -> SendError {
    SendError::Refused { status: 0, message }
}

fn text(payload: &Value, key: &str) -> Option<String> {
    match payload.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn listing_of(payload: &Value) -> std::result::Result<(String, ListingUpdate), SendError> {
    let listing =
        text(payload, "listing").ok_or_else(|| refusal("the entry names no listing".to_owned()))?;
    let update = ListingUpdate {
        quantity: payload.get("quantity").and_then(Value::as_i64),
        price: text(payload, "price"),
        comment: text(payload, "comment"),
        warranty_delay: payload
            .get("warranty_delay")
            .and_then(Value::as_u64)
            .map(|months| months as u32),
    };
    Ok((listing, update))
}

fn decision_of(payload: &Value) -> std::result::Result<(String, OrderDecision), SendError> {
    let order =
        text(payload, "order").ok_or_else(|| refusal("the entry names no order".to_owned()))?;
    let reasons = payload
        .get("reasons")
        .and_then(Value::as_array)
        .map(|reasons| {
            reasons
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut files = Vec::new();
    for path in payload
        .get("files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let bytes =
            std::fs::read(path).map_err(|error| refusal(format!("cannot read {path}: {error}")))?;
        let name = std::path::Path::new(path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report.pdf".to_owned());
        files.push(Attachment {
            name,
            content_type: "application/pdf".to_owned(),
            bytes,
        });
    }
    let decision = Decision {
        price: text(payload, "price"),
        comment: text(payload, "comment"),
        reasons,
        files,
    };
    let decision = match payload.get("decision").and_then(Value::as_str) {
        Some("validate") => OrderDecision::Validate,
        Some("counter_offer") => OrderDecision::CounterOffer(decision),
        Some("suspend") => OrderDecision::Suspend(decision),
        other => return Err(refusal(format!("unknown decision {other:?}"))),
    };
    Ok((order, decision))
}

/// Sends one entry, reading back first when unsure (a retry, or found in flight).
async fn send_one(
    client: &Client,
    entry: &OutboxEntry,
    unsure: bool,
) -> std::result::Result<refurbdesk_marketplace::Outcome, SendError> {
    match entry.kind.as_str() {
        "listing_quantity" => {
            let (listing, update) = listing_of(&entry.payload)?;
            ensure_listing(client, &listing, &update, unsure).await
        }
        "orderline_identity" => {
            let line = text(&entry.payload, "orderline")
                .ok_or_else(|| refusal("the entry names no order line".to_owned()))?;
            let identity = match (
                text(&entry.payload, "imei"),
                text(&entry.payload, "serial_number"),
            ) {
                (Some(imei), None) => DeviceIdentity::Imei(imei),
                (None, Some(serial)) => DeviceIdentity::SerialNumber(serial),
                _ => {
                    return Err(refusal(
                        "the entry needs an imei or a serial_number".to_owned(),
                    ))
                }
            };
            ensure_identity(client, &line, &identity).await
        }
        "buyback_decision" => {
            let (order, decision) = decision_of(&entry.payload)?;
            ensure_order_decision(client, &order, &decision).await
        }
        other => Err(refusal(format!("unknown outbox entry kind {other}"))),
    }
}

/// Sends what is due until nothing is, each entry tried at most `attempts_per_round` times;
/// entries still waiting wait for the next round. Blocking (its own runtime).
pub fn sync_once(ws: &mut Workstation, params: &SyncParams) -> Result<SyncReport> {
    let Some((settings, credentials)) = crate::marketplace::load(&ws.paths)? else {
        return Err(Error::new(
            ErrorCode::Usage,
            "the marketplace is not configured: its URL, company, integration, email and token are needed",
        ));
    };
    let client = Client::new(
        &credentials,
        ClientOptions {
            timeout: params.timeout,
            time_factor: settings.time_factor,
        },
    )
    .map_err(|error| Error::from_error(ErrorCode::Usage, &error))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    let mut report = SyncReport::default();
    runtime.block_on(async {
        round(ws, &client, params, &mut report).await?;
        if !report.unreachable {
            pull(ws, &client, &mut report).await?;
        }
        Ok::<(), Error>(())
    })?;
    report.requests = client.requests_sent();
    let counts = ws.store.outbox_counts()?;
    report.waiting = counts.pending + counts.in_flight;
    report.failed = counts.failed;
    Ok(report)
}

/// Trade-in orders the marketplace received become batches, once each.
async fn pull(ws: &mut Workstation, client: &Client, report: &mut SyncReport) -> Result<()> {
    // Trade-in orders the marketplace received become batches, once each.
    match crate::marketplace_orders::pull(ws, client).await? {
        Ok(pulled) => {
            report.orders_received = pulled.received;
            report.new_batches = pulled.new_batches;
        }
        Err(error) if is_unreachable(&error) => {
            report.unreachable = true;
            report.unreachable_error = Some(error.to_string());
        }
        // Refused or failing now: the orders are asked for again next round.
        Err(_) => {}
    }
    Ok(())
}

async fn round(
    ws: &mut Workstation,
    client: &Client,
    params: &SyncParams,
    report: &mut SyncReport,
) -> Result<()> {
    // A worker stopped mid-send left these in flight: settle them by reading back.
    for entry in ws.store.outbox_entries(&[OutboxState::InFlight])? {
        let outcome = send_one(client, &entry, true).await;
        settle(ws, &entry, outcome, params, report)?;
        if report.unreachable {
            return Ok(());
        }
    }
    let mut tries: std::collections::HashMap<uuid::Uuid, u32> = Default::default();
    loop {
        let due: Vec<OutboxEntry> = ws
            .store
            .outbox_due(Utc::now(), 10_000)?
            .into_iter()
            .filter(|entry| tries.get(&entry.id).copied().unwrap_or(0) < params.attempts_per_round)
            .collect();
        if due.is_empty() {
            // Entries waiting for their backoff within this round's budget: wait for the first.
            let waiting = ws
                .store
                .outbox_entries(&[OutboxState::Pending])?
                .into_iter()
                .filter(|entry| {
                    tries.get(&entry.id).copied().unwrap_or(0) < params.attempts_per_round
                })
                .map(|entry| entry.next_attempt_at)
                .min();
            match waiting {
                Some(at) if at > Utc::now() && !report.unreachable => {
                    let wait = (at - Utc::now()).to_std().unwrap_or_default();
                    if wait > params.backoff.max {
                        return Ok(());
                    }
                    tokio::time::sleep(wait).await;
                    continue;
                }
                _ => return Ok(()),
            }
        }
        let listings: Vec<&OutboxEntry> = due
            .iter()
            .filter(|entry| entry.kind == "listing_quantity" && entry.attempts == 0)
            .collect();
        if listings.len() >= params.catalog_from {
            catalog(ws, client, &listings, params, report, &mut tries).await?;
        } else {
            for entry in &due {
                if !ws.store.outbox_claim(entry.id)? {
                    continue;
                }
                *tries.entry(entry.id).or_insert(0) += 1;
                let outcome = send_one(client, entry, entry.attempts > 0).await;
                settle(ws, entry, outcome, params, report)?;
                if report.unreachable {
                    return Ok(());
                }
            }
        }
    }
}

async fn catalog(
    ws: &mut Workstation,
    client: &Client,
    listings: &[&OutboxEntry],
    params: &SyncParams,
    report: &mut SyncReport,
    tries: &mut std::collections::HashMap<uuid::Uuid, u32>,
) -> Result<()> {
    let mut rows = Vec::new();
    let mut claimed = Vec::new();
    for entry in listings {
        let Ok((listing, update)) = listing_of(&entry.payload) else {
            continue;
        };
        if !ws.store.outbox_claim(entry.id)? {
            continue;
        }
        *tries.entry(entry.id).or_insert(0) += 1;
        rows.push(CatalogRow {
            sku: listing,
            update,
        });
        claimed.push(*entry);
    }
    let poll = Duration::from_millis(100);
    match send_catalog(client, &rows, poll).await {
        Ok(sent) => {
            report.catalog_uploads += sent.uploads;
            for entry in claimed {
                let sku = listing_of(&entry.payload)
                    .map(|(sku, _)| sku)
                    .unwrap_or_default();
                match sent.row_errors.iter().find(|(row, _)| *row == sku) {
                    Some((_, message)) => {
                        ws.store.outbox_failed(entry.id, message)?;
                        report.refused += 1;
                    }
                    None => {
                        ws.store.outbox_sent(entry.id)?;
                        report.sent += 1;
                    }
                }
            }
        }
        Err(error) => {
            // Each goes back to waiting; its next attempt reads back before sending.
            for entry in claimed {
                settle(ws, entry, Err(error.clone()), params, report)?;
            }
        }
    }
    Ok(())
}

fn settle(
    ws: &mut Workstation,
    entry: &OutboxEntry,
    outcome: std::result::Result<refurbdesk_marketplace::Outcome, SendError>,
    params: &SyncParams,
    report: &mut SyncReport,
) -> Result<()> {
    use refurbdesk_marketplace::Outcome;
    match outcome {
        Ok(Outcome::Sent) => {
            ws.store.outbox_sent(entry.id)?;
            report.sent += 1;
        }
        Ok(Outcome::AlreadyThere) => {
            ws.store.outbox_sent(entry.id)?;
            report.already_there += 1;
        }
        Err(SendError::Refused { message, .. }) => {
            ws.store.outbox_failed(entry.id, &message)?;
            report.refused += 1;
        }
        Err(error) => {
            let wait = match &error {
                SendError::RateLimited(wait) => *wait,
                _ => params.backoff.random_delay(entry.attempts.max(0) as u32),
            };
            let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            ws.store
                .outbox_postpone(entry.id, &error.to_string(), next)?;
            if is_unreachable(&error) {
                report.unreachable = true;
                report.unreachable_error = Some(error.to_string());
            }
        }
    }
    Ok(())
}
