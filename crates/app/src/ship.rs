//! Shipping a device for a marketplace order line (docs/marketplace.md, "Shipping"): the
//! shipment is recorded as evidence, the device leaves its listing, and the order line's IMEI
//! (or serial number) and the listing's new quantity go to the marketplace through the outbox.
//! What may not ship (not sellable, never erased, already shipped, a line already given another
//! device) is refused by the store, inside the shipment's own transaction.

use chrono::{DateTime, Utc};
use refurbdesk_store::{DeviceRecord, NewShipment, ShipmentRecord};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Hint, Result};
use crate::grade;
use crate::workstation::Workstation;

/// `ship`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ShipParams {
    /// The device: its IMEI, serial number or id.
    pub device: String,
    /// The marketplace's order line id the device ships for.
    pub order_line: String,
}

/// A recorded shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Shipment {
    pub id: Uuid,
    pub device_id: Uuid,
    pub make: String,
    pub model: String,
    pub order_line: String,
    /// `imei`, or `serial_number` for a device without an IMEI.
    pub identity_field: String,
    /// What the order line is told; the marketplace never lets it change once set.
    pub identity_value: String,
    pub shipped_at: DateTime<Utc>,
    pub operator: String,
    /// The listing (SKU) the device left, and its quantity then; none when it stocked none (or
    /// when the shipment is read back later).
    pub listing: Option<String>,
    #[ts(type = "number | null")]
    pub listing_quantity: Option<u64>,
    /// How many outbox entries were written (the order line's identity, the listing's quantity);
    /// 0 when the shipment is read back later.
    pub queued: usize,
}

/// A recorded shipment as the device screen shows it.
pub(crate) fn view(record: ShipmentRecord, device: &DeviceRecord) -> Shipment {
    Shipment {
        id: record.id,
        device_id: record.device_id,
        make: device.make.clone(),
        model: device.model.clone(),
        order_line: record.orderline,
        identity_field: record.identity_field,
        identity_value: record.identity_value,
        shipped_at: record.shipped_at,
        operator: record.operator,
        listing: None,
        listing_quantity: None,
        queued: 0,
    }
}

/// Records that a device ships for an order line; needs a configured marketplace (the order line
/// is the marketplace's) and an operator who may grade.
pub fn ship(ws: &mut Workstation, params: ShipParams) -> Result<Shipment> {
    let order_line = params.order_line.trim();
    if order_line.is_empty() {
        return Err(Error::usage("name the order line the device ships for"));
    }
    if crate::marketplace::load(&ws.paths)?.is_none() {
        return Err(Error::usage(
            "no marketplace is configured, so there is no order line to ship for",
        )
        .with_hint(Hint::say(
            "configure the marketplace first: its address, who you are to it and the token",
        )));
    }
    let actor = ws.actor()?;
    let device = grade::find_device(&ws.store, &params.device)?;
    let shipped = ws.store.record_shipment(&NewShipment {
        device_id: device.id,
        orderline: order_line.to_owned(),
        operator: actor.name.clone(),
    })?;
    let queued = shipped.outbox.len();
    let left = shipped.left_listing;
    let mut shipment = view(shipped.shipment, &device);
    if let Some((sku, quantity)) = left {
        shipment.listing = Some(sku);
        shipment.listing_quantity = Some(quantity);
    }
    shipment.queued = queued;
    Ok(shipment)
}
