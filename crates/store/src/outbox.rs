//! The marketplace outbox (schema version 15): what is to be sent, written in the same
//! transaction as the change that causes it, and what became of each sending.
//!
//! States: `pending` (waiting for its next attempt time), `in_flight` (a worker claimed it and
//! may be sending it: found at start, its fate is settled by reading the marketplace back),
//! `sent`, `failed` (the marketplace refused it; an operator retries or cancels it) and
//! `cancelled`. Entries of one resource go in order: the oldest unfinished entry of a resource
//! holds back the later ones.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, timestamp};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::{Action, Actor};
use crate::store::Store;

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    InFlight,
    Sent,
    Failed,
    Cancelled,
}

impl OutboxState {
    pub const ALL: [OutboxState; 5] = [
        OutboxState::Pending,
        OutboxState::InFlight,
        OutboxState::Sent,
        OutboxState::Failed,
        OutboxState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::InFlight => "in_flight",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Cancelled => "cancelled",
        }
    }

    fn from_word(word: &str) -> Option<OutboxState> {
        OutboxState::ALL
            .into_iter()
            .find(|state| state.as_str() == word)
    }

    /// Whether it still has to reach the marketplace.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OutboxState::Pending | OutboxState::InFlight | OutboxState::Failed
        )
    }
}

/// A change to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOutboxEntry {
    /// What kind of request it becomes, e.g. `listing_quantity`, `orderline_identity`,
    /// `buyback_decision`.
    pub kind: String,
    /// The marketplace resource it changes, e.g. `listing:SKU`; entries of one resource go in order.
    pub resource: String,
    pub payload: Value,
}

/// An outbox entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: Uuid,
    pub seq: i64,
    pub kind: String,
    pub resource: String,
    pub payload: Value,
    pub state: OutboxState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How many entries are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCounts {
    pub pending: u64,
    pub in_flight: u64,
    pub sent: u64,
    pub failed: u64,
    pub cancelled: u64,
}

/// What an operator may do to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxDecision {
    /// A failed (or waiting) entry is due again now, its attempts counted from zero.
    Retry,
    /// An entry that has not been sent never will be.
    Cancel,
}

const COLUMNS: &str = "id, seq, kind, resource, payload_json, state, attempts, last_error,
    next_attempt_at, created_at, updated_at";

fn entry_of(row: &Row<'_>) -> Result<OutboxEntry, StoreError> {
    let text = |index: usize| row.get::<_, String>(index);
    let payload: String = text(4)?;
    let state: String = text(5)?;
    Ok(OutboxEntry {
        id: parse_uuid(&text(0)?, "outbox.id")?,
        seq: row.get(1)?,
        kind: text(2)?,
        resource: text(3)?,
        payload: serde_json::from_str(&payload)
            .map_err(|error| corrupt("outbox.payload_json", error))?,
        state: OutboxState::from_word(&state)
            .ok_or_else(|| corrupt("outbox.state", format!("unknown state {state}")))?,
        attempts: row.get(6)?,
        last_error: row.get(7)?,
        next_attempt_at: parse_timestamp(&text(8)?, "outbox.next_attempt_at")?,
        created_at: parse_timestamp(&text(9)?, "outbox.created_at")?,
        updated_at: parse_timestamp(&text(10)?, "outbox.updated_at")?,
    })
}

fn query(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        entries.push(entry_of(row)?);
    }
    Ok(entries)
}

/// Writes an entry inside the caller's transaction: the change and its outbox entry commit
/// together or not at all.
pub(crate) fn enqueue(
    tx: &Connection,
    station_id: Uuid,
    entry: &NewOutboxEntry,
    now: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let seq: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox", [], |row| {
        row.get(0)
    })?;
    let at = timestamp(now);
    tx.prepare_cached(
        "INSERT INTO outbox (id, seq, kind, resource, payload_json, state, attempts,
            next_attempt_at, created_at, updated_at, station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        id_text(id),
        seq,
        entry.kind,
        entry.resource,
        entry.payload.to_string(),
        at,
        id_text(station_id),
    ])?;
    Ok(id)
}

/// A grade's place in the marketplace stock (docs/marketplace.md): the SKU of the listing the
/// device now stocks, or `None` when the grade made it unsellable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stocking {
    pub sku: Option<String>,
}

/// The outbox entry that brings a listing to `quantity` (an absolute value: a repeat does no
/// harm). Its resource is `listing:SKU`, so a listing's quantities go in the order written.
pub fn listing_quantity(sku: &str, quantity: u64) -> NewOutboxEntry {
    NewOutboxEntry {
        kind: "listing_quantity".to_owned(),
        resource: format!("listing:{sku}"),
        payload: serde_json::json!({ "listing": sku, "quantity": quantity }),
    }
}

/// Inside a grade's transaction: moves the device to the SKU it now stocks (or out of stock)
/// and writes the new quantity of each listing that changed, the one it left and the one it
/// joined. A grade that keeps the device in the same listing changes no quantity and writes
/// nothing to send.
pub(crate) fn restock(
    tx: &Connection,
    station_id: Uuid,
    device_id: Uuid,
    grade_id: Uuid,
    stock: &Stocking,
) -> Result<Vec<Uuid>, StoreError> {
    let (changed, _) = place(tx, station_id, device_id, grade_id, stock)?;
    write_quantities(tx, station_id, &changed)
}

/// Moves the device's stock row where `stock` says (unless shipped or held by an open batch);
/// returns the SKUs whose quantity changed (the one it left and the one it joined) and whether
/// it now stocks one.
fn place(
    tx: &Connection,
    station_id: Uuid,
    device_id: Uuid,
    grade_id: Uuid,
    stock: &Stocking,
) -> Result<(Vec<String>, bool), StoreError> {
    use rusqlite::OptionalExtension;
    let device = id_text(device_id);
    let now = Utc::now();
    let before: Option<String> = tx
        .query_row(
            "SELECT sku FROM marketplace_stock WHERE device_id = ?1",
            [&device],
            |row| row.get(0),
        )
        .optional()?;
    // A device that shipped left the stock for good: a later grade does not put it back. A
    // trade-in device is the customer's until its batch is settled (closed): it joins the stock
    // then, not when it is graded.
    let wanted = if crate::shipments::has_shipped(tx, &device)? || held_by_open_batch(tx, &device)?
    {
        None
    } else {
        stock.sku.clone()
    };
    match &wanted {
        Some(sku) => {
            tx.prepare_cached(
                "INSERT INTO marketplace_stock (device_id, sku, grade_id, listed_at, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (device_id) DO UPDATE SET sku = excluded.sku,
                    grade_id = excluded.grade_id, listed_at = excluded.listed_at,
                    station_id = excluded.station_id",
            )?
            .execute(rusqlite::params![
                device,
                sku,
                id_text(grade_id),
                timestamp(now),
                id_text(station_id)
            ])?;
        }
        None => {
            tx.execute(
                "DELETE FROM marketplace_stock WHERE device_id = ?1",
                [&device],
            )?;
        }
    }
    let stocked = wanted.is_some();
    if before == wanted {
        return Ok((Vec::new(), stocked));
    }
    Ok(([before, wanted].into_iter().flatten().collect(), stocked))
}

/// Writes each listing's quantity now (the count of its stock rows) to the outbox.
fn write_quantities(
    tx: &Connection,
    station_id: Uuid,
    skus: &[String],
) -> Result<Vec<Uuid>, StoreError> {
    let now = Utc::now();
    let mut written = Vec::new();
    for sku in skus {
        let quantity: i64 = tx.query_row(
            "SELECT COUNT(*) FROM marketplace_stock WHERE sku = ?1",
            [&sku],
            |row| row.get(0),
        )?;
        written.push(enqueue(
            tx,
            station_id,
            &listing_quantity(sku, quantity.max(0) as u64),
            now,
        )?);
    }
    Ok(written)
}

/// Whether the device is declared in, or was received into, a trade-in batch still open.
pub(crate) fn held_by_open_batch(tx: &Connection, device: &str) -> Result<bool, StoreError> {
    use rusqlite::OptionalExtension;
    let identity: Option<(Option<String>, Option<String>)> = tx
        .prepare_cached("SELECT imei, serial FROM devices WHERE id = ?1")?
        .query_row([device], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((imei, serial)) = identity else {
        return Ok(false);
    };
    for (sql, code) in [
        (
            "SELECT 1 FROM batch_lines l JOIN batches b ON b.id = l.batch_id
             WHERE l.imei = ?1 AND b.closed_at IS NULL",
            &imei,
        ),
        (
            "SELECT 1 FROM batch_lines l JOIN batches b ON b.id = l.batch_id
             WHERE l.serial = ?1 COLLATE NOCASE AND b.closed_at IS NULL",
            &serial,
        ),
        (
            "SELECT 1 FROM batches b JOIN batch_receipts r ON r.batch_id = b.id
             WHERE b.closed_at IS NULL AND r.code = ?1 COLLATE NOCASE",
            &imei,
        ),
        (
            "SELECT 1 FROM batches b JOIN batch_receipts r ON r.batch_id = b.id
             WHERE b.closed_at IS NULL AND r.code = ?1 COLLATE NOCASE",
            &serial,
        ),
    ] {
        if let Some(code) = code.as_deref().filter(|code| !code.is_empty()) {
            if tx.prepare_cached(sql)?.exists([code])? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

impl Store {
    /// Devices whose latest grade is sellable but that stock no listing and never shipped (of
    /// `among` only, when given): graded before a marketplace was configured, or held by a
    /// trade-in batch that is now closed. Oldest device first.
    pub fn stock_candidates(&self, among: Option<&[Uuid]>) -> Result<Vec<Uuid>, StoreError> {
        let sql = "SELECT g.device_id FROM grades g
             WHERE g.id = (SELECT id FROM grades WHERE device_id = g.device_id
                           ORDER BY graded_at DESC, id DESC LIMIT 1)
               AND g.outcome = 'sellable'
               AND NOT EXISTS (SELECT 1 FROM marketplace_stock s WHERE s.device_id = g.device_id)
               AND NOT EXISTS (SELECT 1 FROM shipments p WHERE p.device_id = g.device_id)";
        let mut found = Vec::new();
        match among {
            None => {
                let mut statement = self
                    .conn
                    .prepare(&format!("{sql} GROUP BY g.device_id ORDER BY g.device_id"))?;
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    found.push(parse_uuid(&row.get::<_, String>(0)?, "grades.device_id")?);
                }
            }
            Some(devices) => {
                let mut statement = self
                    .conn
                    .prepare_cached(&format!("{sql} AND g.device_id = ?1"))?;
                for device in devices {
                    if statement.exists([id_text(*device)])? && !found.contains(device) {
                        found.push(*device);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Puts each device where its latest grade says (`stock`, worked out by the caller from
    /// the configured SKU template) in one transaction, with the listing quantities this changes
    /// written to the outbox, as a grade does; devices held by an open trade-in batch or shipped
    /// stay out. Returns how many of them now stock a listing, and the outbox entries written.
    pub fn restock_devices(
        &mut self,
        devices: &[(Uuid, Uuid, Stocking)],
    ) -> Result<(usize, Vec<Uuid>), StoreError> {
        if devices.is_empty() {
            return Ok((0, Vec::new()));
        }
        let station_id = self.station_id();
        self.write("restock devices", |tx| {
            // One quantity per listing however many devices joined it.
            let mut changed: Vec<String> = Vec::new();
            let mut stocked = 0;
            for (device, grade, stock) in devices {
                let (skus, now_stocked) = place(tx, station_id, *device, *grade, stock)?;
                stocked += usize::from(now_stocked);
                for sku in skus {
                    if !changed.contains(&sku) {
                        changed.push(sku);
                    }
                }
            }
            Ok((stocked, write_quantities(tx, station_id, &changed)?))
        })
    }

    /// How many devices stock the listing of `sku` (what its quantity was last set to).
    pub fn stocked(&self, sku: &str) -> Result<u64, StoreError> {
        let count: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM marketplace_stock WHERE sku = ?1",
            [sku],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as u64)
    }

    /// Writes an outbox entry in a transaction of its own (for a change made elsewhere; a store
    /// write that causes one calls `outbox::enqueue` inside its own transaction).
    pub fn enqueue_outbox(&mut self, entry: &NewOutboxEntry) -> Result<Uuid, StoreError> {
        let station_id = self.station_id();
        self.write("enqueue outbox entry", |tx| {
            enqueue(tx, station_id, entry, Utc::now())
        })
    }

    /// One entry.
    pub fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        Ok(query(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
            [id_text(id)],
        )?
        .into_iter()
        .next())
    }

    /// Entries in `states` (all when empty), oldest first.
    pub fn outbox_entries(&self, states: &[OutboxState]) -> Result<Vec<OutboxEntry>, StoreError> {
        let all = query(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM outbox ORDER BY seq"),
            [],
        )?;
        Ok(all
            .into_iter()
            .filter(|entry| states.is_empty() || states.contains(&entry.state))
            .collect())
    }

    /// How many entries are in each state.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let mut counts = OutboxCounts::default();
        let mut statement = self
            .conn
            .prepare_cached("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let state: String = row.get(0)?;
            let count: i64 = row.get(1)?;
            let count = count as u64;
            match OutboxState::from_word(&state) {
                Some(OutboxState::Pending) => counts.pending = count,
                Some(OutboxState::InFlight) => counts.in_flight = count,
                Some(OutboxState::Sent) => counts.sent = count,
                Some(OutboxState::Failed) => counts.failed = count,
                Some(OutboxState::Cancelled) => counts.cancelled = count,
                None => return Err(corrupt("outbox.state", format!("unknown state {state}"))),
            }
        }
        Ok(counts)
    }

    /// What may be sent at `now`: for each resource, its oldest open entry, if that one is
    /// pending and due (an in-flight or failed entry holds its resource back), oldest first.
    pub fn outbox_due(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let heads = query(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM outbox o
                 WHERE o.state IN ('pending', 'in_flight', 'failed')
                   AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.resource = o.resource
                                   AND e.seq < o.seq AND e.state IN ('pending', 'in_flight', 'failed'))
                 ORDER BY o.seq"
            ),
            [],
        )?;
        Ok(heads
            .into_iter()
            .filter(|entry| entry.state == OutboxState::Pending && entry.next_attempt_at <= now)
            .take(limit)
            .collect())
    }

    /// Claims a pending entry for sending: `in_flight`, one more attempt. False when it is no
    /// longer pending (another worker, an operator).
    pub fn outbox_claim(&mut self, id: Uuid) -> Result<bool, StoreError> {
        self.write("claim outbox entry", |tx| {
            let changed = tx.execute(
                "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ?2
                 WHERE id = ?1 AND state = 'pending'",
                rusqlite::params![id_text(id), timestamp(Utc::now())],
            )?;
            Ok(changed == 1)
        })
    }

    /// The marketplace has it.
    pub fn outbox_sent(&mut self, id: Uuid) -> Result<(), StoreError> {
        self.outbox_settle(id, OutboxState::Sent, None, None)
    }

    /// It did not get through this time: pending again, due at `next_attempt_at`.
    pub fn outbox_postpone(
        &mut self,
        id: Uuid,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.outbox_settle(id, OutboxState::Pending, Some(error), Some(next_attempt_at))
    }

    /// The marketplace refused it: failed until an operator retries or cancels it.
    pub fn outbox_failed(&mut self, id: Uuid, error: &str) -> Result<(), StoreError> {
        self.outbox_settle(id, OutboxState::Failed, Some(error), None)
    }

    fn outbox_settle(
        &mut self,
        id: Uuid,
        state: OutboxState,
        error: Option<&str>,
        next_attempt_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        self.write("settle outbox entry", |tx| {
            let now = timestamp(Utc::now());
            let next = next_attempt_at.map(timestamp);
            tx.execute(
                "UPDATE outbox SET state = ?2, last_error = COALESCE(?3, last_error),
                    next_attempt_at = COALESCE(?4, next_attempt_at), updated_at = ?5
                 WHERE id = ?1 AND state = 'in_flight'",
                rusqlite::params![id_text(id), state.as_str(), error, next, now],
            )?;
            Ok(())
        })
    }

    /// An operator who may change the settings retries or cancels an entry; audited as
    /// `outbox.retry` / `outbox.cancel`.
    /// `None` when there is no such entry; refused when the entry is sent or cancelled, or (to
    /// cancel) in flight.
    pub fn decide_outbox(
        &mut self,
        id: Uuid,
        decision: OutboxDecision,
        acting: &Actor,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        let station_id = self.station_id();
        let found = self.write("decide outbox entry", |tx| {
            authorize(tx, &acting.name, Action::ManageSettings)?;
            let Some(entry) = query(
                tx,
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id_text(id)],
            )?
            .into_iter()
            .next() else {
                return Ok(None);
            };
            let allowed = match decision {
                OutboxDecision::Retry => {
                    matches!(entry.state, OutboxState::Failed | OutboxState::Pending)
                }
                OutboxDecision::Cancel => {
                    matches!(entry.state, OutboxState::Failed | OutboxState::Pending)
                }
            };
            if !allowed {
                return Err(StoreError::OutboxEntryClosed {
                    id,
                    state: entry.state.as_str().to_owned(),
                    done: match decision {
                        OutboxDecision::Retry => "retried",
                        OutboxDecision::Cancel => "cancelled",
                    },
                });
            }
            let now = timestamp(Utc::now());
            let (action, word) = match decision {
                OutboxDecision::Retry => {
                    tx.execute(
                        "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2,
                            updated_at = ?2 WHERE id = ?1",
                        rusqlite::params![id_text(id), now],
                    )?;
                    ("outbox.retry", "retry")
                }
                OutboxDecision::Cancel => {
                    tx.execute(
                        "UPDATE outbox SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
                        rusqlite::params![id_text(id), now],
                    )?;
                    ("outbox.cancel", "cancel")
                }
            };
            let action_id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO outbox_actions (id, entry_id, action, operator, at, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    id_text(action_id),
                    id_text(id),
                    word,
                    acting.name,
                    now,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action,
                    entity: Entity::OutboxAction,
                    entity_id: action_id,
                    before: None,
                    after: audit::record_digest(tx, Entity::OutboxAction, action_id)?,
                },
            )?;
            let entry = query(
                tx,
                &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
                [id_text(id)],
            )?
            .into_iter()
            .next();
            Ok(entry)
        })?;
        Ok(found)
    }
}
