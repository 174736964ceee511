//! Trade-in orders from the marketplace (docs/marketplace.md): `sync` pulls the orders the
//! marketplace says were RECEIVED into trade-in batches, one batch per order, and after the
//! batch's audit an operator's verdict (validate, counter-offer with the revised price and the
//! signed batch report, or suspend) goes back through the outbox like every other change.
//!
//! A batch made from an order is named by its source, `backmarket-order-ID`: that is how a
//! second pull knows the order was taken in already, and how a verdict finds its order.

use std::path::PathBuf;

use chrono::Utc;
use refurbdesk_marketplace::{BuybackOrder, Client, SendError};
use refurbdesk_store::{BatchLine, NewBatch, NewCustomer, NewOutboxEntry};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::workstation::Workstation;

/// The source name of a batch made from a marketplace order: this, then the order's id.
pub const ORDER_SOURCE: &str = "backmarket-order-";

/// The customer the marketplace's orders are batches of.
pub const MARKETPLACE_CUSTOMER: &str = "Back Market";

/// The order a batch was made from, if it was.
pub fn order_of(source_name: &str) -> Option<&str> {
    source_name
        .strip_prefix(ORDER_SOURCE)
        .filter(|id| !id.is_empty())
}

/// What a pull did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PulledOrders {
    /// RECEIVED orders the marketplace listed.
    #[ts(type = "number")]
    pub received: u64,
    /// Batches made now, one per order not taken in before.
    pub new_batches: Vec<String>,
}

/// The price `"120.00"` (or `"120"`, `"120.5"`) in cents.
fn cents(price: &str) -> Option<i64> {
    let price = price.trim();
    let (whole, fraction) = price.split_once('.').unwrap_or((price, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

/// The declared line of an order's device: its IMEI (or, when the order gives something else,
/// its serial number), the product as the customer declared it, the quoted price.
fn line_of(order: &BuybackOrder) -> BatchLine {
    let identifier = order.imei.clone().map(|code| code.trim().to_owned());
    let imei = identifier
        .clone()
        .filter(|code| code.len() == 15 && code.chars().all(|c| c.is_ascii_digit()));
    let serial = if imei.is_none() {
        identifier.or_else(|| Some(order.id.clone()))
    } else {
        None
    };
    BatchLine {
        line: 2,
        imei,
        serial,
        category: Some("phone".to_owned()),
        make: None,
        model: order.product.clone(),
        storage_gb: None,
        declared_grade: None,
        quoted_cents: order.price.as_deref().and_then(cents),
        accessories: Vec::new(),
        customer_ref: Some(order.id.clone()),
        extra: [("marketplace_order".to_owned(), order.id.clone())]
            .into_iter()
            .collect(),
    }
}

/// The marketplace's customer, registered on first use.
fn customer(ws: &mut Workstation) -> Result<Uuid> {
    if let Some(found) = ws.store.customers_named(MARKETPLACE_CUSTOMER)?.first() {
        return Ok(found.id);
    }
    let actor = ws.actor()?;
    Ok(ws
        .store
        .add_customer(
            &NewCustomer {
                name: MARKETPLACE_CUSTOMER.to_owned(),
                ..NewCustomer::default()
            },
            &actor,
        )?
        .id)
}

/// Reads the RECEIVED orders (every page) and makes a batch of each one not taken in before.
/// `Err(SendError)` when the marketplace could not be asked; a store failure is the outer error.
pub(crate) async fn pull(
    ws: &mut Workstation,
    client: &Client,
) -> Result<std::result::Result<PulledOrders, SendError>> {
    let orders = match client.buyback_orders("RECEIVED").await {
        Ok(orders) => orders,
        Err(error) => return Ok(Err(error)),
    };
    let mut pulled = PulledOrders {
        received: orders.len() as u64,
        new_batches: Vec::new(),
    };
    let known: std::collections::BTreeSet<String> = ws
        .store
        .batches()?
        .into_iter()
        .filter_map(|batch| order_of(&batch.source_name).map(str::to_owned))
        .collect();
    let fresh: Vec<&BuybackOrder> = orders
        .iter()
        .filter(|order| !known.contains(&order.id))
        .collect();
    if fresh.is_empty() {
        return Ok(Ok(pulled));
    }
    let customer_id = customer(ws)?;
    let actor = ws.actor()?;
    let currency = crate::batches::tradein_policy(ws)?.currency;
    for order in fresh {
        let json = serde_json::to_vec(order)?;
        let today = Utc::now().date_naive();
        let batch = ws.store.import_batch(
            &NewBatch {
                customer_id,
                quote_date: today,
                quote_expiry: crate::batches::quote_expiry(today),
                source_name: format!("{ORDER_SOURCE}{}", order.id),
                source_sha256: crate::documents::sha256_hex(&json),
                currency: currency.clone(),
                lines: vec![line_of(order)],
            },
            &actor,
        )?;
        pulled.new_batches.push(batch.id.to_string());
    }
    Ok(Ok(pulled))
}

/// An operator's verdict on a marketplace order, once its batch is audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Verdict {
    /// The device is as declared: the quote stands.
    Validate,
    /// The audit revised the price: the revised total and the signed batch report go.
    CounterOffer,
    /// The device cannot be taken (e.g. an account-locked device): the order is suspended.
    Suspend,
}

/// `marketplace verdict`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerdictParams {
    /// The batch made from the order (its id).
    pub batch: String,
    pub verdict: Verdict,
    /// Told to the customer (at most 200 characters).
    pub comment: Option<String>,
    /// Why (a counter-offer or a suspension needs at least one).
    pub reasons: Vec<String>,
    /// Where the batch report PDF is written (a counter-offer or a suspension carries it).
    #[ts(type = "string")]
    pub out: PathBuf,
}

/// What was queued for the marketplace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerdictQueued {
    pub order: String,
    pub batch: String,
    /// The outbox entry that carries it.
    pub entry: String,
    pub verdict: Verdict,
    /// The revised total a counter-offer sends.
    pub price: Option<String>,
    /// The signed batch report attached.
    pub report: Option<String>,
    /// Every file the verdict carries: the report, then the batch's erasure and destruction
    /// certificates.
    pub files: Vec<String>,
}

/// The longest comment the marketplace takes.
pub const MAX_COMMENT_CHARS: usize = 200;

/// Queues the verdict on a marketplace order in the outbox (someone who may run batches): a
/// counter-offer sends the audit's revised total with the signed batch report, which is issued
/// now; a suspension carries the report too when the batch's devices are all audited. Both carry
/// the batch's valid erasure and destruction certificates, written beside the report.
pub fn verdict(ws: &mut Workstation, params: &VerdictParams) -> Result<VerdictQueued> {
    let actor = ws.actor()?;
    if !actor.role.can(refurbdesk_store::Action::RunBatch) {
        return Err(Error::refused(format!(
            "{} ({}) may not decide on a trade-in order",
            actor.name,
            actor.role.as_str()
        )));
    }
    let batch = crate::batches::find(ws, &params.batch)?;
    let order = order_of(&batch.source_name)
        .ok_or_else(|| {
            Error::usage(format!(
                "batch {} was not made from a marketplace order (its source is {})",
                batch.id, batch.source_name
            ))
        })?
        .to_owned();
    let comment = params
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|comment| !comment.is_empty())
        .map(str::to_owned);
    if comment
        .as_deref()
        .is_some_and(|comment| comment.chars().count() > MAX_COMMENT_CHARS)
    {
        return Err(Error::usage(format!(
            "the marketplace takes a comment of at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    let reasons: Vec<String> = params
        .reasons
        .iter()
        .map(|reason| reason.trim().to_owned())
        .filter(|reason| !reason.is_empty())
        .collect();
    if params.verdict != Verdict::Validate && reasons.is_empty() {
        return Err(Error::usage(
            "a counter-offer or a suspension needs at least one reason",
        ));
    }
    let report = |ws: &mut Workstation| {
        crate::documents::batch_report(
            ws,
            &crate::documents::BatchReportParams {
                batch: batch.id.to_string(),
                out: params.out.clone(),
                lang: None,
            },
        )
    };
    let (price, pdf) = match params.verdict {
        Verdict::Validate => (None, None),
        Verdict::CounterOffer => {
            let audit = crate::batches::audit(
                ws,
                &crate::batches::AuditParams {
                    batch: batch.id.to_string(),
                    lang: refurbdesk_domain::Lang::En,
                },
            )?;
            let price = audit.totals.revised_total.ok_or_else(|| {
                Error::refused(format!(
                    "batch {} is not audited yet: a counter-offer sends the revised price",
                    batch.id
                ))
            })?;
            (Some(price), report(ws)?.pdf)
        }
        // A suspended device need not be audited; its report goes when it can be issued.
        Verdict::Suspend => (None, report(ws).ok().and_then(|summary| summary.pdf)),
    };
    // The batch's valid erasure and destruction certificates travel with the report.
    let mut files: Vec<String> = pdf.iter().cloned().collect();
    if params.verdict != Verdict::Validate {
        let folder = params.out.join(format!("batch-{}-certificates", batch.id));
        let certificates = crate::documents::batch_certificates(
            ws,
            &crate::documents::BatchCertificatesParams {
                batch: batch.id.to_string(),
                out: folder.clone(),
                zip: false,
            },
        )?;
        files.extend(
            certificates
                .files
                .iter()
                .map(|name| folder.join(name).display().to_string()),
        );
    }
    let decision = match params.verdict {
        Verdict::Validate => "validate",
        Verdict::CounterOffer => "counter_offer",
        Verdict::Suspend => "suspend",
    };
    let mut payload = serde_json::json!({
        "order": order,
        "decision": decision,
        "reasons": reasons,
        "files": files,
    });
    if let Some(price) = &price {
        payload["price"] = price.clone().into();
    }
    if let Some(comment) = &comment {
        payload["comment"] = comment.clone().into();
    }
    let entry = ws.store.enqueue_outbox(&NewOutboxEntry {
        kind: "buyback_decision".to_owned(),
        resource: format!("buyback:{order}"),
        payload,
    })?;
    Ok(VerdictQueued {
        order,
        batch: batch.id.to_string(),
        entry: entry.to_string(),
        verdict: params.verdict,
        price,
        report: pdf,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_cents() {
        assert_eq!(cents("120.00"), Some(12_000));
        assert_eq!(cents("120.5"), Some(12_050));
        assert_eq!(cents("7"), Some(700));
        assert_eq!(cents("1.234"), None);
        assert_eq!(cents("-3"), None);
        assert_eq!(cents(""), None);
    }

    #[test]
    fn a_batch_names_its_order_by_its_source() {
        assert_eq!(order_of("backmarket-order-BB-1"), Some("BB-1"));
        assert_eq!(order_of("backmarket-order-"), None);
        assert_eq!(order_of("manifest.csv"), None);
    }
}
