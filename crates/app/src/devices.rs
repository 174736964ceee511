//! The quality manager's list of devices, each as its latest intake left it, newest first.

use chrono::{DateTime, Utc};
use refurbdesk_domain::{BatteryVerdictKind, LockVerdictKind};
use refurbdesk_store::{DeviceCursor, DeviceFilter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::workstation::Workstation;

/// Filters apply to each device's latest intake: a device that once needed a battery but passed
/// on re-test is listed under battery `pass`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicesParams {
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// `pass`, `replace`, `consumed`, `unknown` or `absent`.
    #[ts(type = "string | null")]
    pub battery: Option<BatteryVerdictKind>,
    /// `clear`, `blocked` or `unknown`.
    #[ts(type = "string | null")]
    pub lock: Option<LockVerdictKind>,
    /// Latest intake started at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// Latest intake run by this operator.
    pub by: Option<String>,
    /// At most this many devices; 0 lists them all.
    pub limit: u32,
    /// Skip this many devices first (after `after`, if both are given).
    pub offset: u32,
    /// Start right after the device whose latest intake is this one (the `last_intake_id` of
    /// the last device of the previous page): as fast however deep the page.
    pub after: Option<Uuid>,
}

/// One line of the device list: the device and its latest intake, as the store reads it.
pub use refurbdesk_store::DeviceRow;

/// One page of the device list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicesPage {
    pub rows: Vec<DeviceRow>,
    /// When the page is full, the `after` that gives the next one.
    pub next_after: Option<Uuid>,
}

/// The devices matching the filters, newest latest intake first.
pub fn list(ws: &Workstation, params: DevicesParams) -> Result<DevicesPage> {
    let after = params.after.map(|id| cursor_after(ws, id)).transpose()?;
    let filter = DeviceFilter {
        imei: params.imei,
        serial: params.serial,
        battery_verdict: params.battery,
        lock_verdict: params.lock,
        since: params.since,
        operator: params.by,
        limit: (params.limit > 0).then_some(params.limit),
        offset: params.offset,
        after,
    };
    let rows: Vec<DeviceRow> = ws.store.list_devices(&filter)?;
    let next_after = rows
        .last()
        .filter(|_| params.limit > 0 && rows.len() == params.limit as usize)
        .map(|last| last.last_intake_id);
    Ok(DevicesPage { rows, next_after })
}

/// Where the page after the device whose latest intake is `id` starts.
fn cursor_after(ws: &Workstation, id: Uuid) -> Result<DeviceCursor> {
    let intake = ws.store.intake(id)?.ok_or_else(|| {
        Error::not_found(format!(
            "the page cannot start after intake {id}: there is no such intake in {}; pass the \
             last_intake_id of the last device of the previous page",
            ws.paths.database.display()
        ))
    })?;
    Ok(DeviceCursor {
        last_intake_at: intake.started_at,
        last_intake_id: intake.id,
    })
}
