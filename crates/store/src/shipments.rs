//! Devices shipped for a marketplace order line (schema version 19).
//!
//! Shipping is the moment a device leaves the stock for a buyer: it is recorded as evidence
//! (chained in the audit log), and in the same transaction the device leaves the listing it
//! stocked (the listing's new quantity goes to the outbox) and the order line's identity goes to
//! the outbox (`orderline_identity`), so the marketplace learns both exactly once, even offline.
//!
//! The store refuses what must never leave: a device whose latest grade is not sellable, a
//! device whose data was never erased and verified (nor its drive destroyed), a device already
//! shipped, and an order line already shipped with another device (the marketplace never lets a
//! line's IMEI change once set).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, timestamp};
use crate::error::StoreError;
use crate::operators::authorize;
use crate::outbox::{enqueue, listing_quantity, NewOutboxEntry};
use crate::roles::Action;
use crate::store::Store;

/// A device about to ship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewShipment {
    pub device_id: Uuid,
    /// The marketplace's order line id.
    pub orderline: String,
    pub operator: String,
}

/// A shipment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentRecord {
    pub id: Uuid,
    pub device_id: Uuid,
    pub orderline: String,
    /// `imei`, or `serial_number` for a device without one: the field the order line is given.
    pub identity_field: String,
    pub identity_value: String,
    /// The grade the device was sold under (its latest when it shipped).
    pub grade_id: Uuid,
    pub shipped_at: DateTime<Utc>,
    pub operator: String,
    pub station_id: Uuid,
}

/// What shipping wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipped {
    pub shipment: ShipmentRecord,
    /// The listing the device left, and its quantity now; `None` when it stocked none (no
    /// marketplace configured when it was graded).
    pub left_listing: Option<(String, u64)>,
    /// The outbox entries written: the order line's identity, then the listing's quantity.
    pub outbox: Vec<Uuid>,
}

/// Why a device may not ship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ShipRefusal {
    #[error("device {device} has never been graded: grade it before it ships")]
    NotGraded { device: Uuid },
    #[error(
        "device {device}'s latest grade ({graded_at}) is {outcome}, not sellable: only a sellable \
         device ships"
    )]
    NotSellable {
        device: Uuid,
        outcome: String,
        graded_at: String,
    },
    #[error(
        "device {device} has no verified erasure and no destruction record: erase it (and see \
         the erasure verified) before it ships"
    )]
    NotErased { device: Uuid },
    #[error("device {device} has neither an IMEI nor a serial number to give the order line")]
    NoIdentity { device: Uuid },
    #[error("device {device} already shipped for order line {orderline} on {shipped_at}")]
    AlreadyShipped {
        device: Uuid,
        orderline: String,
        shipped_at: String,
    },
    #[error(
        "order line {orderline} already shipped with device {device} on {shipped_at}; the \
         marketplace never changes a line's IMEI or serial once set"
    )]
    OrderlineTaken {
        orderline: String,
        device: Uuid,
        shipped_at: String,
    },
}

const COLUMNS: &str = "id, device_id, orderline, identity_field, identity_value, grade_id,
    shipped_at, operator, station_id";

fn shipment_of(row: &Row<'_>) -> Result<ShipmentRecord, StoreError> {
    let text = |index: usize| row.get::<_, String>(index);
    Ok(ShipmentRecord {
        id: parse_uuid(&text(0)?, "shipments.id")?,
        device_id: parse_uuid(&text(1)?, "shipments.device_id")?,
        orderline: text(2)?,
        identity_field: text(3)?,
        identity_value: text(4)?,
        grade_id: parse_uuid(&text(5)?, "shipments.grade_id")?,
        shipped_at: parse_timestamp(&text(6)?, "shipments.shipped_at")?,
        operator: text(7)?,
        station_id: parse_uuid(&text(8)?, "shipments.station_id")?,
    })
}

fn one(
    conn: &Connection,
    condition: &str,
    value: &str,
) -> Result<Option<ShipmentRecord>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM shipments WHERE {condition}"
    ))?;
    let mut rows = statement.query([value])?;
    match rows.next()? {
        Some(row) => Ok(Some(shipment_of(row)?)),
        None => Ok(None),
    }
}

/// Whether the device has shipped (a shipped device never stocks a listing again).
pub(crate) fn has_shipped(conn: &Connection, device: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM shipments WHERE device_id = ?1")?
        .exists([device])?)
}

/// The order line's identity as the marketplace takes it (`PATCH /ws/orderlines/{id}`); its
/// resource is `orderline:ID`, so a line's entries go in order.
pub fn orderline_identity(orderline: &str, field: &str, value: &str) -> NewOutboxEntry {
    let mut payload = serde_json::json!({ "orderline": orderline });
    payload[field] = serde_json::Value::from(value);
    NewOutboxEntry {
        kind: "orderline_identity".to_owned(),
        resource: format!("orderline:{orderline}"),
        payload,
    }
}

impl Store {
    /// Records that a device ships for a marketplace order line, after checking it may (see
    /// [`ShipRefusal`]); in the same transaction it leaves the listing it stocked and both the
    /// order line's identity and the listing's new quantity go to the outbox. The operator must
    /// be allowed to grade (who may call a device sellable may send it).
    pub fn record_shipment(&mut self, shipment: &NewShipment) -> Result<Shipped, StoreError> {
        let orderline = shipment.orderline.trim();
        if orderline.is_empty() || orderline.len() > 64 || orderline.contains(char::is_control) {
            return Err(StoreError::InvalidShipment {
                field: "orderline".to_owned(),
                reason: "must be 1 to 64 characters without control characters".to_owned(),
            });
        }
        let station_id = self.station_id();
        self.write("record a shipment", |tx| {
            authorize(tx, &shipment.operator, Action::Grade)?;
            let device = id_text(shipment.device_id);
            let refused = |refusal: ShipRefusal| Err(StoreError::ShipmentRefused(refusal));
            if let Some(earlier) = one(tx, "device_id = ?1", &device)? {
                return refused(ShipRefusal::AlreadyShipped {
                    device: shipment.device_id,
                    orderline: earlier.orderline,
                    shipped_at: timestamp(earlier.shipped_at),
                });
            }
            if let Some(earlier) = one(tx, "orderline = ?1", orderline)? {
                return refused(ShipRefusal::OrderlineTaken {
                    orderline: orderline.to_owned(),
                    device: earlier.device_id,
                    shipped_at: timestamp(earlier.shipped_at),
                });
            }
            let identity: Option<(Option<String>, Option<String>)> = tx
                .query_row(
                    "SELECT imei, serial FROM devices WHERE id = ?1",
                    [&device],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((imei, serial)) = identity else {
                return Err(StoreError::InvalidShipment {
                    field: "device_id".to_owned(),
                    reason: format!("{device} names no recorded device"),
                });
            };
            let latest: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT id, outcome, graded_at FROM grades WHERE device_id = ?1
                     ORDER BY graded_at DESC, id DESC LIMIT 1",
                    [&device],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            let Some((grade_id, outcome, graded_at)) = latest else {
                return refused(ShipRefusal::NotGraded {
                    device: shipment.device_id,
                });
            };
            if outcome != "sellable" {
                return refused(ShipRefusal::NotSellable {
                    device: shipment.device_id,
                    outcome,
                    graded_at,
                });
            }
            let erased = tx
                .prepare_cached(
                    "SELECT 1 FROM erasures WHERE device_id = ?1 AND status = 'verified'
                     UNION ALL SELECT 1 FROM destructions WHERE device_id = ?1",
                )?
                .exists([&device])?;
            if !erased {
                return refused(ShipRefusal::NotErased {
                    device: shipment.device_id,
                });
            }
            let (field, value) = match (imei, serial) {
                (Some(imei), _) if !imei.is_empty() => ("imei", imei),
                (_, Some(serial)) if !serial.is_empty() => ("serial_number", serial),
                _ => {
                    return refused(ShipRefusal::NoIdentity {
                        device: shipment.device_id,
                    })
                }
            };
            let now = Utc::now();
            let id = Uuid::now_v7();
            tx.prepare_cached(
                "INSERT INTO shipments (id, device_id, orderline, identity_field, identity_value,
                    grade_id, shipped_at, operator, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(rusqlite::params![
                id_text(id),
                device,
                orderline,
                field,
                value,
                grade_id,
                timestamp(now),
                shipment.operator,
                id_text(station_id),
            ])?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &shipment.operator,
                    action: "shipment.record",
                    entity: Entity::Shipment,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Shipment, id)?,
                },
            )?;
            let mut outbox = vec![enqueue(
                tx,
                station_id,
                &orderline_identity(orderline, field, &value),
                now,
            )?];
            let stocked: Option<String> = tx
                .query_row(
                    "DELETE FROM marketplace_stock WHERE device_id = ?1 RETURNING sku",
                    [&device],
                    |row| row.get(0),
                )
                .optional()?;
            let left_listing = match stocked {
                None => None,
                Some(sku) => {
                    let quantity: i64 = tx.query_row(
                        "SELECT COUNT(*) FROM marketplace_stock WHERE sku = ?1",
                        [&sku],
                        |row| row.get(0),
                    )?;
                    let quantity = quantity.max(0) as u64;
                    outbox.push(enqueue(
                        tx,
                        station_id,
                        &listing_quantity(&sku, quantity),
                        now,
                    )?);
                    Some((sku, quantity))
                }
            };
            let shipment = one(tx, "id = ?1", &id_text(id))?.ok_or_else(|| {
                crate::error::corrupt("shipments", "the row just written is gone")
            })?;
            Ok(Shipped {
                shipment,
                left_listing,
                outbox,
            })
        })
    }

    /// The device's shipment, if it shipped.
    pub fn shipment_of_device(
        &self,
        device_id: Uuid,
    ) -> Result<Option<ShipmentRecord>, StoreError> {
        one(&self.conn, "device_id = ?1", &id_text(device_id))
    }
}
