//! Sends that are safe to repeat. The seller API has no idempotency keys, so before sending
//! again what may already have arrived, each of these reads the marketplace's state back and
//! sends only what is missing.

use std::time::Duration;

use crate::client::{
    CatalogRow, Client, Decision, DeviceIdentity, Listing, ListingUpdate, SendError, TaskState,
};

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// This call sent it and the marketplace took it.
    Sent,
    /// The marketplace already had it (an earlier attempt arrived); nothing was sent again.
    AlreadyThere,
}

fn listing_has(listing: &Listing, update: &ListingUpdate) -> bool {
    let same_price = |price: &Option<String>| match (price, &listing.price) {
        (None, _) => true,
        (Some(want), Some(have)) => {
            want == have || want.parse::<f64>().ok() == have.parse::<f64>().ok()
        }
        (Some(_), None) => false,
    };
    update.quantity.is_none_or(|q| q == listing.quantity)
        && same_price(&update.price)
        && update
            .comment
            .as_ref()
            .is_none_or(|c| listing.comment.as_ref() == Some(c))
        && update
            .warranty_delay
            .is_none_or(|w| listing.warranty_delay == Some(w))
}

/// Brings a listing to `update` (absolute values, so a repeat does no harm, but a read-back first
/// when `unsure` saves an SKU update of the hour's budget); an answer lost on the way is settled
/// by reading back.
pub async fn ensure_listing(
    client: &Client,
    listing_id: &str,
    update: &ListingUpdate,
    unsure: bool,
) -> Result<Outcome, SendError> {
    if unsure && listing_has(&client.listing(listing_id).await?, update) {
        return Ok(Outcome::AlreadyThere);
    }
    match client.update_listing(listing_id, update).await {
        Ok(_) => Ok(Outcome::Sent),
        Err(SendError::Uncertain(message)) => match client.listing(listing_id).await {
            Ok(listing) if listing_has(&listing, update) => Ok(Outcome::Sent),
            _ => Err(SendError::Uncertain(message)),
        },
        Err(error) => Err(error),
    }
}

/// Gives an order line the shipped device's IMEI or serial number, once: the marketplace never
/// lets it change, so the line is always read first, and a different value already there is a
/// refusal, never overwritten.
pub async fn ensure_identity(
    client: &Client,
    orderline_id: &str,
    identity: &DeviceIdentity,
) -> Result<Outcome, SendError> {
    let has = |line: &crate::client::Orderline| -> Result<bool, SendError> {
        let (current, wanted, field) = match identity {
            DeviceIdentity::Imei(imei) => (&line.imei, imei, "IMEI"),
            DeviceIdentity::SerialNumber(serial) => (&line.serial_number, serial, "serial number"),
        };
        match current {
            None => Ok(false),
            Some(current) if current == wanted => Ok(true),
            Some(current) => Err(SendError::Refused {
                status: 409,
                message: format!(
                    "order line {orderline_id} already has the {field} {current}, not {wanted}; it cannot be changed"
                ),
            }),
        }
    };
    if has(&client.orderline(orderline_id).await?)? {
        return Ok(Outcome::AlreadyThere);
    }
    match client.set_orderline_identity(orderline_id, identity).await {
        Ok(_) => Ok(Outcome::Sent),
        // Lost on the way, or refused because a repeated delivery had set it: read back.
        Err(error @ (SendError::Uncertain(_) | SendError::Refused { .. })) => {
            match client.orderline(orderline_id).await {
                Ok(line) if has(&line)? => Ok(Outcome::Sent),
                _ => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

/// The verdict on a received trade-in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderDecision {
    Validate,
    CounterOffer(Decision),
    Suspend(Decision),
}

impl OrderDecision {
    /// The status the order has once the decision arrived.
    pub fn status(&self) -> &'static str {
        match self {
            OrderDecision::Validate => "VALIDATED",
            OrderDecision::CounterOffer(_) => "COUNTER_PROPOSAL",
            OrderDecision::Suspend(_) => "SUSPENDED",
        }
    }
}

/// Sends a verdict on a trade-in order once: an order already in the verdict's status was
/// reached by an earlier attempt; one no longer RECEIVED cannot take it.
pub async fn ensure_order_decision(
    client: &Client,
    order_id: &str,
    decision: &OrderDecision,
) -> Result<Outcome, SendError> {
    let order = client.buyback_order(order_id).await?;
    if order.status == decision.status() {
        return Ok(Outcome::AlreadyThere);
    }
    let sent = match decision {
        OrderDecision::Validate => client.validate_order(order_id).await,
        OrderDecision::CounterOffer(decision) => client.counter_offer(order_id, decision).await,
        OrderDecision::Suspend(decision) => client.suspend_order(order_id, decision).await,
    };
    match sent {
        Ok(_) => Ok(Outcome::Sent),
        Err(error @ (SendError::Uncertain(_) | SendError::Refused { .. })) => {
            match client.buyback_order(order_id).await {
                Ok(order) if order.status == decision.status() => Ok(Outcome::Sent),
                _ => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

/// What a catalog send did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogReport {
    pub uploads: u64,
    pub rows: u64,
    /// Rows the marketplace refused, with its message.
    pub row_errors: Vec<(String, String)>,
}

/// Sends many listing updates through the catalog path: uploads of at most
/// [`Client::max_catalog_rows`] rows, each polled until its task is done (every `poll` of real
/// time). An upload whose answer was lost is settled by reading its listings back, and only the
/// rows still missing go again.
pub async fn send_catalog(
    client: &Client,
    rows: &[CatalogRow],
    poll: Duration,
) -> Result<CatalogReport, SendError> {
    let mut report = CatalogReport::default();
    let chunk = client.max_catalog_rows().max(1) as usize;
    for rows in rows.chunks(chunk) {
        let task = match client.upload_catalog(rows).await {
            Ok(task) => task,
            Err(SendError::Uncertain(message)) => {
                let mut missing = Vec::new();
                for row in rows {
                    match client.listing(&row.sku).await {
                        Ok(listing) if listing_has(&listing, &row.update) => {}
                        Ok(_) | Err(SendError::Refused { .. }) => missing.push(row.clone()),
                        Err(_) => return Err(SendError::Uncertain(message)),
                    }
                }
                report.uploads += 1;
                report.rows += (rows.len() - missing.len()) as u64;
                if missing.is_empty() {
                    continue;
                }
                return Err(SendError::Uncertain(format!(
                    "{message} ({} of {} rows still to send)",
                    missing.len(),
                    rows.len()
                )));
            }
            Err(error) => return Err(error),
        };
        report.uploads += 1;
        loop {
            tokio::time::sleep(poll).await;
            let (state, errors) = client.task(task).await?;
            match state {
                TaskState::Running => continue,
                TaskState::Done | TaskState::Failed => {
                    report.rows += rows.len() as u64;
                    for error in errors {
                        let (sku, message) = error
                            .split_once(": ")
                            .map(|(sku, message)| (sku.to_owned(), message.to_owned()))
                            .unwrap_or_default();
                        report.row_errors.push((sku, message));
                    }
                    break;
                }
            }
        }
    }
    Ok(report)
}
