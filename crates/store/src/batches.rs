//! Trade-in batches: what a customer declared in their manifest (one row per device line),
//! the scans at receiving, and the quote dates. A batch's audit digest covers its row and its
//! lines; each receipt is a record of its own.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use refurbdesk_domain::{
    Answer, BatteryAssessment, BatteryVerdictKind, BuybackGrade, DeviceIdentity, ListingGrade,
    LockAssessment, LockVerdictKind,
};

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, text_column, timestamp,
};
use crate::erasures::ErasureStatus;
use crate::error::{corrupt, StoreError};
use crate::intake::DeviceRecord;
use crate::operators::authorize;
use crate::roles::{Action, Actor};
use crate::store::Store;

/// One declared device, as the manifest's checked line gives it (words as the domain writes
/// them: `phone`, `FUNCTIONAL_GOOD`, `charger`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchLine {
    /// The manifest's line number, as a text editor counts it (the header is line 1).
    pub line: u32,
    pub imei: Option<String>,
    pub serial: Option<String>,
    pub category: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub storage_gb: Option<u32>,
    pub declared_grade: Option<String>,
    /// The quote, in cents of the batch's currency.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub quoted_cents: Option<i64>,
    pub accessories: Vec<String>,
    pub customer_ref: Option<String>,
    /// The manifest's other columns, by header name.
    pub extra: BTreeMap<String, String>,
}

/// A batch to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch {
    pub customer_id: Uuid,
    pub quote_date: NaiveDate,
    pub quote_expiry: NaiveDate,
    /// The manifest's file name, and the SHA-256 of its bytes.
    pub source_name: String,
    pub source_sha256: String,
    /// The ISO 4217 code every quote of the batch is in.
    pub currency: String,
    pub lines: Vec<BatchLine>,
}

/// A batch as recorded, with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchRecord {
    pub id: Uuid,
    pub customer_id: Uuid,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quote_date: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quote_expiry: NaiveDate,
    pub source_name: String,
    pub source_sha256: String,
    pub currency: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub imported_at: DateTime<Utc>,
    pub operator: String,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub closed_at: Option<DateTime<Utc>>,
    pub station_id: Uuid,
    /// How many devices the manifest declares.
    pub declared: u32,
    /// The sum of the declared lines' quotes, in cents.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub quoted_cents: i64,
}

/// One scan at receiving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReceiptRecord {
    pub id: Uuid,
    pub batch_id: Uuid,
    /// The declared line the scan matched; `None` for a device the manifest does not declare.
    pub line: Option<u32>,
    /// The code as scanned (trimmed).
    pub code: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub received_at: DateTime<Utc>,
    pub operator: String,
}

/// What a scan did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Recorded now.
    New(ReceiptRecord),
    /// This device was received before (by this code, or by the other identifier of the same
    /// line): nothing new is recorded.
    Already(ReceiptRecord),
}

/// What came in the box with a received device, as the auditor recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccessoriesRecord {
    pub id: Uuid,
    pub receipt_id: Uuid,
    /// The domain's words (`charger`, `cable`…); empty for an empty box.
    pub accessories: Vec<String>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub recorded_at: DateTime<Utc>,
    pub operator: String,
}

/// Who closed a batch, when, and why when forced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClosureRecord {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub closed_at: DateTime<Utc>,
    pub operator: String,
    /// Received lines still unaudited when it was closed.
    pub unaudited: u32,
    /// The reason given to close it with unaudited lines.
    pub force_reason: Option<String>,
}

/// An identifier already declared in an open batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDuplicate {
    pub batch_id: Uuid,
    pub line: u32,
}

/// The identifiers already declared in open batches, as asked for (see
/// [`Store::open_batches_declaring`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenDeclarations {
    /// By IMEI.
    pub imeis: HashMap<String, OpenDuplicate>,
    /// By serial, as given (the declared one may differ in case).
    pub serials: HashMap<String, OpenDuplicate>,
}

const BATCH_SELECT: &str = "SELECT b.*,
        (SELECT count(*) FROM batch_lines l WHERE l.batch_id = b.id) AS declared,
        (SELECT coalesce(sum(l.quoted_cents), 0) FROM batch_lines l WHERE l.batch_id = b.id)
            AS quoted_total
    FROM batches b";

impl Store {
    /// Imports a batch and every declared line in one transaction (someone who may run
    /// batches); audited as `batch.imported`, the digest covering the lines.
    pub fn import_batch(
        &mut self,
        new: &NewBatch,
        acting: &Actor,
    ) -> Result<BatchRecord, StoreError> {
        let station_id = self.station_id;
        self.write("import a batch", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO batches (id, customer_id, quote_date, quote_expiry, source_name,
                    source_sha256, currency, imported_at, operator, closed_at, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)",
                rusqlite::params![
                    id_text(id),
                    id_text(new.customer_id),
                    new.quote_date.to_string(),
                    new.quote_expiry.to_string(),
                    new.source_name,
                    new.source_sha256,
                    new.currency,
                    timestamp(Utc::now()),
                    acting.name,
                    id_text(station_id)
                ],
            )?;
            let batch_id = id_text(id);
            let mut insert = tx.prepare_cached(
                "INSERT INTO batch_lines (batch_id, line, imei, serial, category, make, model,
                    storage_gb, declared_grade, quoted_cents, accessories, customer_ref,
                    extra_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for line in &new.lines {
                let extra = serde_json::to_string(&line.extra)
                    .map_err(|error| corrupt("batch_lines.extra_json", error))?;
                insert.execute(rusqlite::params![
                    batch_id,
                    line.line,
                    line.imei,
                    line.serial,
                    line.category,
                    line.make,
                    line.model,
                    line.storage_gb,
                    line.declared_grade,
                    line.quoted_cents,
                    line.accessories.join(";"),
                    line.customer_ref,
                    extra
                ])?;
            }
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.imported",
                    entity: Entity::Batch,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Batch, id)?,
                },
            )?;
            batch_in(tx, id)?.ok_or_else(|| corrupt("batches", "a new batch vanished"))
        })
    }

    /// Where `imei` (or, when `None`, `serial`, compared ignoring case) is declared in a batch
    /// that is still open.
    pub fn open_batch_declaring(
        &self,
        imei: Option<&str>,
        serial: Option<&str>,
    ) -> Result<Option<OpenDuplicate>, StoreError> {
        let (sql, value) = match (imei, serial) {
            (Some(imei), _) => (
                "SELECT l.batch_id, l.line FROM batch_lines l JOIN batches b ON b.id = l.batch_id
                 WHERE l.imei = ?1 AND b.closed_at IS NULL LIMIT 1",
                imei,
            ),
            (None, Some(serial)) => (
                "SELECT l.batch_id, l.line FROM batch_lines l JOIN batches b ON b.id = l.batch_id
                 WHERE l.serial = ?1 COLLATE NOCASE AND b.closed_at IS NULL LIMIT 1",
                serial,
            ),
            (None, None) => return Ok(None),
        };
        let found: Option<(String, u32)> = self
            .conn
            .prepare_cached(sql)?
            .query_row([value], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        found
            .map(|(batch, line)| {
                Ok(OpenDuplicate {
                    batch_id: parse_uuid(&batch, "batch_lines.batch_id")?,
                    line,
                })
            })
            .transpose()
    }

    /// Which of `imeis` and `serials` (serials compared ignoring case) are declared in a batch
    /// that is still open, in a query for each kind however many are asked: each found value,
    /// as given, with the first batch and line declaring it (batches in id order, then lines).
    pub fn open_batches_declaring(
        &self,
        imeis: &[&str],
        serials: &[&str],
    ) -> Result<OpenDeclarations, StoreError> {
        let mut found = OpenDeclarations::default();
        for (values, sql, into) in [
            (
                imeis,
                "SELECT j.value, l.batch_id, l.line FROM json_each(?1) j
                 CROSS JOIN batch_lines l ON l.imei = j.value AND l.imei IS NOT NULL
                 JOIN batches b ON b.id = l.batch_id
                 WHERE b.closed_at IS NULL ORDER BY l.batch_id DESC, l.line DESC",
                &mut found.imeis,
            ),
            (
                serials,
                "SELECT j.value, l.batch_id, l.line FROM json_each(?1) j
                 CROSS JOIN batch_lines l
                    ON l.serial = j.value COLLATE NOCASE AND l.serial IS NOT NULL
                 JOIN batches b ON b.id = l.batch_id
                 WHERE b.closed_at IS NULL ORDER BY l.batch_id DESC, l.line DESC",
                &mut found.serials,
            ),
        ] {
            if values.is_empty() {
                continue;
            }
            let json = serde_json::to_string(values)
                .map_err(|error| corrupt("open batch identifiers", error))?;
            let mut statement = self.conn.prepare_cached(sql)?;
            let mut rows = statement.query([json])?;
            while let Some(row) = rows.next()? {
                let value: String = row.get(0)?;
                let batch: String = row.get(1)?;
                // Rows come last first: the first batch and line declaring a value win.
                into.insert(
                    value,
                    OpenDuplicate {
                        batch_id: parse_uuid(&batch, "batch_lines.batch_id")?,
                        line: row.get(2)?,
                    },
                );
            }
        }
        Ok(found)
    }

    /// Every batch, newest first.
    pub fn batches(&self) -> Result<Vec<BatchRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "{BATCH_SELECT} ORDER BY b.imported_at DESC, b.id DESC"
        ))?;
        let mut rows = statement.query([])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(batch_from_row(row)?);
        }
        Ok(list)
    }

    /// One batch, `None` when there is no such batch.
    pub fn batch(&self, id: Uuid) -> Result<Option<BatchRecord>, StoreError> {
        batch_in(&self.conn, id)
    }

    /// A batch's declared lines, in manifest order.
    pub fn batch_lines(&self, id: Uuid) -> Result<Vec<BatchLine>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM batch_lines WHERE batch_id = ?1 ORDER BY line")?;
        let mut rows = statement.query([id_text(id)])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(line_from_row(row)?);
        }
        Ok(list)
    }

    /// A batch's receipts, in the order they were scanned.
    pub fn batch_receipts(&self, id: Uuid) -> Result<Vec<ReceiptRecord>, StoreError> {
        receipts_in(&self.conn, id)
    }

    /// How many of a batch's received, declared devices have been graded since they were
    /// received (the device found by the line's IMEI, else its serial).
    pub fn batch_audited(&self, id: Uuid) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM batch_receipts r
             JOIN batch_lines l ON l.batch_id = r.batch_id AND l.line = r.line
             WHERE r.batch_id = ?1 AND EXISTS (
                SELECT 1 FROM devices d JOIN grades g ON g.device_id = d.id
                WHERE (d.imei = l.imei OR (l.imei IS NULL AND d.serial = l.serial))
                  AND g.graded_at >= r.received_at)",
            )?
            .query_row([id_text(id)], |row| row.get(0))?)
    }

    /// Records the scan of `code` at the batch's receiving: the declared line whose IMEI is the
    /// code (or whose serial is, ignoring case), else an extra device. A device received
    /// before is not recorded again. Audited as `batch.received`. `None` when there is no such
    /// batch.
    pub fn receive(
        &mut self,
        batch_id: Uuid,
        code: &str,
        acting: &Actor,
    ) -> Result<Option<Received>, StoreError> {
        let station_id = self.station_id;
        self.write("record a receipt", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            match batch_in(tx, batch_id)? {
                None => return Ok(None),
                Some(BatchRecord {
                    closed_at: Some(closed_at),
                    ..
                }) => {
                    return Err(StoreError::BatchClosed {
                        id: batch_id,
                        closed_at: closed_at.to_rfc3339(),
                    })
                }
                Some(_) => {}
            }
            let batch = id_text(batch_id);
            let line: Option<u32> = tx
                .prepare_cached(
                    "SELECT line FROM batch_lines WHERE batch_id = ?1
                     AND (imei = ?2 OR serial = ?2 COLLATE NOCASE) ORDER BY line LIMIT 1",
                )?
                .query_row([&batch, code], |row| row.get(0))
                .optional()?;
            let earlier: Option<String> = tx
                .prepare_cached(
                    "SELECT id FROM batch_receipts WHERE batch_id = ?1
                     AND (code = ?2 COLLATE NOCASE OR (?3 IS NOT NULL AND line = ?3)) LIMIT 1",
                )?
                .query_row(rusqlite::params![batch, code, line], |row| row.get(0))
                .optional()?;
            if let Some(earlier) = earlier {
                let earlier = parse_uuid(&earlier, "batch_receipts.id")?;
                let receipt = receipt_in(tx, earlier)?
                    .ok_or_else(|| corrupt("batch_receipts", "a receipt vanished"))?;
                return Ok(Some(Received::Already(receipt)));
            }
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO batch_receipts (id, batch_id, line, code, received_at, operator,
                    station_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    id_text(id),
                    batch,
                    line,
                    code,
                    timestamp(Utc::now()),
                    acting.name,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.received",
                    entity: Entity::BatchReceipt,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::BatchReceipt, id)?,
                },
            )?;
            let receipt = receipt_in(tx, id)?
                .ok_or_else(|| corrupt("batch_receipts", "a new receipt vanished"))?;
            Ok(Some(Received::New(receipt)))
        })
    }

    /// Gives a batch a new quote date and expiry (someone who may run batches); audited as
    /// `batch.requoted`. `None` when there is no such batch.
    pub fn requote_batch(
        &mut self,
        id: Uuid,
        quote_date: NaiveDate,
        quote_expiry: NaiveDate,
        acting: &Actor,
    ) -> Result<Option<BatchRecord>, StoreError> {
        let station_id = self.station_id;
        self.write("re-quote a batch", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            if batch_in(tx, id)?.is_none() {
                return Ok(None);
            }
            let before = audit::record_digest(tx, Entity::Batch, id)?;
            tx.execute(
                "UPDATE batches SET quote_date = ?2, quote_expiry = ?3 WHERE id = ?1",
                [
                    id_text(id),
                    quote_date.to_string(),
                    quote_expiry.to_string(),
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.requoted",
                    entity: Entity::Batch,
                    entity_id: id,
                    before,
                    after: audit::record_digest(tx, Entity::Batch, id)?,
                },
            )?;
            batch_in(tx, id)
        })
    }
}

impl Store {
    /// Records what came in the box with a received device (someone who may run batches):
    /// `accessories` as the domain writes them (`charger`), none for an empty box. Append-only:
    /// the newest record for a receipt is the one that counts. Audited as
    /// `batch.accessories`. `None` when the batch has no such receipt; refused when the batch
    /// is closed.
    pub fn record_accessories(
        &mut self,
        batch_id: Uuid,
        receipt_id: Uuid,
        accessories: &[String],
        acting: &Actor,
    ) -> Result<Option<AccessoriesRecord>, StoreError> {
        let station_id = self.station_id;
        self.write("record a device's accessories", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            let known: Option<String> = tx
                .prepare_cached("SELECT id FROM batch_receipts WHERE id = ?1 AND batch_id = ?2")?
                .query_row([id_text(receipt_id), id_text(batch_id)], |row| row.get(0))
                .optional()?;
            if known.is_none() {
                return Ok(None);
            }
            if let Some(closed_at) = batch_in(tx, batch_id)?.and_then(|batch| batch.closed_at) {
                return Err(StoreError::BatchClosed {
                    id: batch_id,
                    closed_at: closed_at.to_rfc3339(),
                });
            }
            let id = Uuid::now_v7();
            let recorded_at = Utc::now();
            tx.execute(
                "INSERT INTO batch_accessories (id, batch_id, receipt_id, accessories,
                    recorded_at, operator, station_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    id_text(id),
                    id_text(batch_id),
                    id_text(receipt_id),
                    accessories.join(";"),
                    timestamp(recorded_at),
                    acting.name,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.accessories",
                    entity: Entity::BatchAccessories,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::BatchAccessories, id)?,
                },
            )?;
            Ok(Some(AccessoriesRecord {
                id,
                receipt_id,
                accessories: accessories.to_vec(),
                recorded_at,
                operator: acting.name.clone(),
            }))
        })
    }

    /// The accessories recorded for each receipt of a batch: the newest record per receipt.
    pub fn batch_accessories(
        &self,
        batch_id: Uuid,
    ) -> Result<BTreeMap<Uuid, AccessoriesRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, receipt_id, accessories, recorded_at, operator FROM batch_accessories
             WHERE batch_id = ?1 ORDER BY recorded_at, id",
        )?;
        let mut rows = statement.query([id_text(batch_id)])?;
        let mut newest = BTreeMap::new();
        while let Some(row) = rows.next()? {
            let text = |column: &str| text_column(row, column, "batch_accessories");
            let record = AccessoriesRecord {
                id: parse_uuid(&text("id")?, "batch_accessories.id")?,
                receipt_id: parse_uuid(&text("receipt_id")?, "batch_accessories.receipt_id")?,
                accessories: text("accessories")?
                    .split(';')
                    .filter(|word| !word.is_empty())
                    .map(str::to_owned)
                    .collect(),
                recorded_at: parse_timestamp(
                    &text("recorded_at")?,
                    "batch_accessories.recorded_at",
                )?,
                operator: text("operator")?,
            };
            newest.insert(record.receipt_id, record);
        }
        Ok(newest)
    }

    /// Closes a batch (someone who may run batches): sets its `closed_at` and records who
    /// closed it, with how many received lines were still unaudited and the reason given to
    /// force it (required when any were). Audited as `batch.closed`. `None` when there is no
    /// such batch; a batch already closed is refused.
    pub fn close_batch(
        &mut self,
        id: Uuid,
        unaudited: u32,
        force_reason: Option<&str>,
        acting: &Actor,
    ) -> Result<Option<BatchRecord>, StoreError> {
        let station_id = self.station_id;
        self.write("close a batch", |tx| {
            authorize(tx, &acting.name, Action::RunBatch)?;
            let Some(batch) = batch_in(tx, id)? else {
                return Ok(None);
            };
            if let Some(closed_at) = batch.closed_at {
                return Err(StoreError::BatchClosed {
                    id,
                    closed_at: closed_at.to_rfc3339(),
                });
            }
            let closed_at = timestamp(Utc::now());
            let before = audit::record_digest(tx, Entity::Batch, id)?;
            tx.execute(
                "UPDATE batches SET closed_at = ?2 WHERE id = ?1",
                [id_text(id), closed_at.clone()],
            )?;
            let closure = Uuid::now_v7();
            tx.execute(
                "INSERT INTO batch_closures (id, batch_id, closed_at, operator, unaudited,
                    force_reason, station_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    id_text(closure),
                    id_text(id),
                    closed_at,
                    acting.name,
                    unaudited,
                    force_reason,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.closed",
                    entity: Entity::Batch,
                    entity_id: id,
                    before,
                    after: audit::record_digest(tx, Entity::Batch, id)?,
                },
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "batch.closed",
                    entity: Entity::BatchClosure,
                    entity_id: closure,
                    before: None,
                    after: audit::record_digest(tx, Entity::BatchClosure, closure)?,
                },
            )?;
            batch_in(tx, id)
        })
    }

    /// Who closed a batch and why, `None` while it is open.
    pub fn batch_closure(&self, batch_id: Uuid) -> Result<Option<ClosureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT closed_at, operator, unaudited, force_reason FROM batch_closures
             WHERE batch_id = ?1",
        )?;
        let mut rows = statement.query([id_text(batch_id)])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some(ClosureRecord {
            closed_at: parse_timestamp(
                &text_column(row, "closed_at", "batch_closures")?,
                "batch_closures.closed_at",
            )?,
            operator: text_column(row, "operator", "batch_closures")?,
            unaudited: row.get("unaudited")?,
            force_reason: optional_text_column(row, "force_reason", "batch_closures")?,
        }))
    }
}

fn batch_in(conn: &Connection, id: Uuid) -> Result<Option<BatchRecord>, StoreError> {
    let mut statement = conn.prepare_cached(&format!("{BATCH_SELECT} WHERE b.id = ?1"))?;
    let mut rows = statement.query([id_text(id)])?;
    match rows.next()? {
        Some(row) => Ok(Some(batch_from_row(row)?)),
        None => Ok(None),
    }
}

fn receipts_in(conn: &Connection, batch_id: Uuid) -> Result<Vec<ReceiptRecord>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT * FROM batch_receipts WHERE batch_id = ?1 ORDER BY received_at, id",
    )?;
    let mut rows = statement.query([id_text(batch_id)])?;
    let mut list = Vec::new();
    while let Some(row) = rows.next()? {
        list.push(receipt_from_row(row)?);
    }
    Ok(list)
}

/// One receipt, read alone (a scan need not read the batch's others).
fn receipt_in(conn: &Connection, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM batch_receipts WHERE id = ?1")?;
    let mut rows = statement.query([id_text(id)])?;
    rows.next()?.map(receipt_from_row).transpose()
}

fn receipt_from_row(row: &Row<'_>) -> Result<ReceiptRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "batch_receipts");
    Ok(ReceiptRecord {
        id: parse_uuid(&text("id")?, "batch_receipts.id")?,
        batch_id: parse_uuid(&text("batch_id")?, "batch_receipts.batch_id")?,
        line: row.get("line")?,
        code: text("code")?,
        received_at: parse_timestamp(&text("received_at")?, "batch_receipts.received_at")?,
        operator: text("operator")?,
    })
}

fn date(text: &str, location: &str) -> Result<NaiveDate, StoreError> {
    text.parse().map_err(|error| corrupt(location, error))
}

fn batch_from_row(row: &Row<'_>) -> Result<BatchRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "batches");
    Ok(BatchRecord {
        id: parse_uuid(&text("id")?, "batches.id")?,
        customer_id: parse_uuid(&text("customer_id")?, "batches.customer_id")?,
        quote_date: date(&text("quote_date")?, "batches.quote_date")?,
        quote_expiry: date(&text("quote_expiry")?, "batches.quote_expiry")?,
        source_name: text("source_name")?,
        source_sha256: text("source_sha256")?,
        currency: text("currency")?,
        imported_at: parse_timestamp(&text("imported_at")?, "batches.imported_at")?,
        operator: text("operator")?,
        closed_at: optional_text_column(row, "closed_at", "batches")?
            .map(|at| parse_timestamp(&at, "batches.closed_at"))
            .transpose()?,
        station_id: parse_uuid(&text("station_id")?, "batches.station_id")?,
        declared: row.get("declared")?,
        quoted_cents: row.get("quoted_total")?,
    })
}

fn line_from_row(row: &Row<'_>) -> Result<BatchLine, StoreError> {
    let optional = |column: &str| optional_text_column(row, column, "batch_lines");
    let accessories = text_column(row, "accessories", "batch_lines")?;
    let extra = text_column(row, "extra_json", "batch_lines")?;
    Ok(BatchLine {
        line: row.get("line")?,
        imei: optional("imei")?,
        serial: optional("serial")?,
        category: optional("category")?,
        make: optional("make")?,
        model: optional("model")?,
        storage_gb: row.get("storage_gb")?,
        declared_grade: optional("declared_grade")?,
        quoted_cents: row.get("quoted_cents")?,
        accessories: accessories
            .split(';')
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect(),
        customer_ref: optional("customer_ref")?,
        extra: serde_json::from_str(&extra)
            .map_err(|error| corrupt("batch_lines.extra_json", error))?,
    })
}

/// A grade as a batch's audit reads it.
#[derive(Debug, Clone)]
pub struct GradeFacts {
    pub id: Uuid,
    pub intake_id: Uuid,
    pub graded_at: DateTime<Utc>,
    pub buyback_grade: BuybackGrade,
    pub listing_grade: ListingGrade,
    /// The checklist items answered `fail`, by id, in checklist order.
    pub failed: Vec<String>,
}

/// An intake as a batch's audit reads it.
#[derive(Debug, Clone)]
pub struct IntakeFacts {
    pub id: Uuid,
    pub storage_gb: Option<u32>,
    pub battery: BatteryVerdictKind,
    /// The intake's lock verdict, or the newest operator confirmation of it.
    pub lock: LockVerdictKind,
}

/// An erasure as a batch's audit reads it, with its newest certificate that is not void.
#[derive(Debug, Clone)]
pub struct ErasureFacts {
    pub id: Uuid,
    pub method: String,
    pub status: ErasureStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub certificate_id: Option<Uuid>,
}

/// What the records hold about the devices a batch's identifiers name, read in a handful of
/// queries whatever the batch's size ([`Store::audit_sources`]).
#[derive(Debug, Clone, Default)]
pub struct AuditSources {
    /// Each reference asked for, with the device it names as [`Store::find_device`] finds it
    /// (`None`: no device, or several sharing that serial).
    pub found: HashMap<String, Option<Uuid>>,
    pub devices: HashMap<Uuid, DeviceRecord>,
    /// Each device's grades, oldest first (by time, then id).
    pub grades: HashMap<Uuid, Vec<GradeFacts>>,
    /// The intakes of the devices, by intake id.
    pub intakes: HashMap<Uuid, IntakeFacts>,
    /// Each device's latest intake (by start time, then id).
    pub latest_intake: HashMap<Uuid, Uuid>,
    /// Each device's erasures, oldest first (by start time, then id).
    pub erasures: HashMap<Uuid, Vec<ErasureFacts>>,
}

impl Store {
    /// The records a batch's audit compares with the declaration, for the devices that
    /// `references` (IMEIs, serials, scanned codes) name: the devices, their grades with their
    /// failed checklist items, their intakes with their lock confirmations, their erasures with
    /// their certificates. Seven queries however many references, in one snapshot.
    pub fn audit_sources(&self, references: &[&str]) -> Result<AuditSources, StoreError> {
        let snapshot = self.conn.unchecked_transaction()?;
        let conn: &Connection = &snapshot;
        let mut sources = AuditSources::default();
        let text = |row: &Row<'_>, column: &str, table: &str| text_column(row, column, table);

        // Devices by IMEI or serial, as find_device looks them up.
        let mut plain: Vec<String> = Vec::new();
        let mut by_id: Vec<&str> = Vec::new();
        for reference in references {
            let trimmed = reference.trim();
            if trimmed.is_empty() {
                sources.found.insert((*reference).to_owned(), None);
            } else if Uuid::parse_str(trimmed).is_ok() {
                by_id.push(*reference);
            } else {
                plain.push(trimmed.to_owned());
            }
        }
        plain.sort();
        plain.dedup();
        let mut by_imei: HashMap<String, Uuid> = HashMap::new();
        let mut by_serial: HashMap<String, Vec<Uuid>> = HashMap::new();
        if !plain.is_empty() {
            let mut statement = conn.prepare_cached(
                // CROSS JOIN: the references are the outer loop, each looked up by index.
                "SELECT d.* FROM json_each(?1) j
                    CROSS JOIN devices d ON d.imei = j.value AND d.imei IS NOT NULL
                 UNION
                 SELECT d.* FROM json_each(?1) j
                    CROSS JOIN devices d ON d.serial = j.value AND d.serial IS NOT NULL
                 ORDER BY first_seen, id",
            )?;
            let mut rows = statement.query([json_list(&plain)?])?;
            while let Some(row) = rows.next()? {
                let device = crate::intake::device_from_row(row)?;
                if let Some(imei) = &device.imei {
                    by_imei.entry(imei.clone()).or_insert(device.id);
                }
                if let Some(serial) = &device.serial {
                    by_serial.entry(serial.clone()).or_default().push(device.id);
                }
                sources.devices.insert(device.id, device);
            }
        }
        for reference in references {
            let trimmed = reference.trim();
            if trimmed.is_empty() || Uuid::parse_str(trimmed).is_ok() {
                continue;
            }
            let device = by_imei.get(trimmed).copied().or_else(|| {
                match by_serial.get(trimmed).map(Vec::as_slice) {
                    Some([one]) => Some(*one),
                    _ => None,
                }
            });
            sources.found.insert((*reference).to_owned(), device);
        }
        // A reference shaped as an id (rare: a code that is a UUID) is looked up as
        // find_device does, by intake or device id first.
        for reference in by_id {
            let device = match self.find_device(reference) {
                Ok(device) => device,
                Err(StoreError::AmbiguousReference { .. }) => None,
                Err(error) => return Err(error),
            };
            sources.found.insert(
                reference.to_owned(),
                device.as_ref().map(|device| device.id),
            );
            if let Some(device) = device {
                sources.devices.insert(device.id, device);
            }
        }
        if sources.devices.is_empty() {
            return Ok(sources);
        }
        let devices: Vec<String> = sources.devices.keys().map(|id| id_text(*id)).collect();
        let devices = json_list(&devices)?;

        // Grades, and the failed items of their checklists.
        let mut checklists: HashMap<String, (Uuid, usize)> = HashMap::new();
        {
            let mut statement = conn.prepare_cached(
                "SELECT id, device_id, intake_id, checklist_id, graded_at, buyback_grade,
                    listing_grade FROM grades
                 WHERE device_id IN (SELECT value FROM json_each(?1)) ORDER BY graded_at, id",
            )?;
            let mut rows = statement.query([&devices])?;
            while let Some(row) = rows.next()? {
                let field = |column: &str| text(row, column, "grades");
                let device = parse_uuid(&field("device_id")?, "grades.device_id")?;
                let grades = sources.grades.entry(device).or_default();
                checklists.insert(field("checklist_id")?, (device, grades.len()));
                grades.push(GradeFacts {
                    id: parse_uuid(&field("id")?, "grades.id")?,
                    intake_id: parse_uuid(&field("intake_id")?, "grades.intake_id")?,
                    graded_at: parse_timestamp(&field("graded_at")?, "grades.graded_at")?,
                    buyback_grade: field("buyback_grade")?
                        .parse()
                        .map_err(|error| corrupt("grades.buyback_grade", error))?,
                    listing_grade: field("listing_grade")?
                        .parse()
                        .map_err(|error| corrupt("grades.listing_grade", error))?,
                    failed: Vec::new(),
                });
            }
        }
        if !checklists.is_empty() {
            let ids: Vec<String> = checklists.keys().cloned().collect();
            let mut statement = conn.prepare_cached(
                "SELECT checklist_id, item, answer FROM checklist_answers
                 WHERE checklist_id IN (SELECT value FROM json_each(?1)) ORDER BY checklist_id, seq",
            )?;
            let mut rows = statement.query([json_list(&ids)?])?;
            while let Some(row) = rows.next()? {
                let checklist: String = row.get(0)?;
                let answer: Answer = text(row, "answer", "checklist_answers")?
                    .parse()
                    .map_err(|error| corrupt("checklist_answers.answer", error))?;
                if answer != Answer::Fail {
                    continue;
                }
                if let Some((device, index)) = checklists.get(&checklist) {
                    if let Some(grade) = sources
                        .grades
                        .get_mut(device)
                        .and_then(|grades| grades.get_mut(*index))
                    {
                        grade.failed.push(row.get(1)?);
                    }
                }
            }
        }

        // Intakes, each device's latest first, then the newest confirmation of each lock.
        {
            let mut statement = conn.prepare_cached(
                "SELECT id, device_id, identity_json, battery_json, lock_json FROM intakes
                 WHERE device_id IN (SELECT value FROM json_each(?1))
                 ORDER BY device_id, started_at DESC, id DESC",
            )?;
            let mut rows = statement.query([&devices])?;
            while let Some(row) = rows.next()? {
                let field = |column: &str| text(row, column, "intakes");
                let id = parse_uuid(&field("id")?, "intakes.id")?;
                let device = parse_uuid(&field("device_id")?, "intakes.device_id")?;
                let identity: DeviceIdentity =
                    json_column(&field("identity_json")?, "identity_json")?;
                let battery: BatteryAssessment =
                    json_column(&field("battery_json")?, "battery_json")?;
                let lock: LockAssessment = json_column(&field("lock_json")?, "lock_json")?;
                sources.latest_intake.entry(device).or_insert(id);
                sources.intakes.insert(
                    id,
                    IntakeFacts {
                        id,
                        storage_gb: identity.storage_gb,
                        battery: battery.verdict,
                        lock: lock.verdict,
                    },
                );
            }
        }
        {
            let mut statement = conn.prepare_cached(
                "SELECT intake_id, verdict FROM lock_confirmations
                 WHERE device_id IN (SELECT value FROM json_each(?1))
                 ORDER BY intake_id, confirmed_at DESC, id DESC",
            )?;
            let mut rows = statement.query([&devices])?;
            let mut seen: Option<Uuid> = None;
            while let Some(row) = rows.next()? {
                let intake = parse_uuid(
                    &text(row, "intake_id", "lock_confirmations")?,
                    "lock_confirmations.intake_id",
                )?;
                if seen == Some(intake) {
                    continue;
                }
                seen = Some(intake);
                let verdict: LockVerdictKind = text(row, "verdict", "lock_confirmations")?
                    .parse()
                    .map_err(|error| corrupt("lock_confirmations.verdict", error))?;
                if let Some(facts) = sources.intakes.get_mut(&intake) {
                    facts.lock = verdict;
                }
            }
        }

        // Erasures, and the newest certificate of each that is not void.
        let mut erasures: HashMap<Uuid, (Uuid, usize)> = HashMap::new();
        {
            let mut statement = conn.prepare_cached(
                "SELECT id, device_id, method, status, started_at, finished_at FROM erasures
                 WHERE device_id IS NOT NULL AND device_id IN (SELECT value FROM json_each(?1))
                 ORDER BY started_at, id",
            )?;
            let mut rows = statement.query([&devices])?;
            while let Some(row) = rows.next()? {
                let field = |column: &str| text(row, column, "erasures");
                let id = parse_uuid(&field("id")?, "erasures.id")?;
                let device = parse_uuid(&field("device_id")?, "erasures.device_id")?;
                let status = field("status")?;
                let list = sources.erasures.entry(device).or_default();
                erasures.insert(id, (device, list.len()));
                list.push(ErasureFacts {
                    id,
                    method: field("method")?,
                    status: ErasureStatus::from_word(&status).ok_or_else(|| {
                        corrupt("erasures.status", format!("unknown status {status:?}"))
                    })?,
                    started_at: parse_timestamp(&field("started_at")?, "erasures.started_at")?,
                    finished_at: optional_text_column(row, "finished_at", "erasures")?
                        .map(|at| parse_timestamp(&at, "erasures.finished_at"))
                        .transpose()?,
                    certificate_id: None,
                });
            }
        }
        if !erasures.is_empty() {
            let ids: Vec<String> = erasures.keys().map(|id| id_text(*id)).collect();
            let mut statement = conn.prepare_cached(
                "SELECT id, erasure_id FROM certificates
                 WHERE erasure_id IS NOT NULL AND erasure_id IN (SELECT value FROM json_each(?1))
                   AND voided_at IS NULL
                 ORDER BY issued_at, id",
            )?;
            let mut rows = statement.query([json_list(&ids)?])?;
            while let Some(row) = rows.next()? {
                let id = parse_uuid(&text(row, "id", "certificates")?, "certificates.id")?;
                let erasure = parse_uuid(
                    &text(row, "erasure_id", "certificates")?,
                    "certificates.erasure_id",
                )?;
                // Oldest first: the newest one is written last.
                if let Some((device, index)) = erasures.get(&erasure) {
                    if let Some(facts) = sources
                        .erasures
                        .get_mut(device)
                        .and_then(|list| list.get_mut(*index))
                    {
                        facts.certificate_id = Some(id);
                    }
                }
            }
        }
        Ok(sources)
    }
}

fn json_column<T: serde::de::DeserializeOwned>(text: &str, column: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|error| corrupt(format!("intakes.{column}"), error))
}

/// Values as one JSON array, for `json_each(?)`.
fn json_list(values: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(values).map_err(|error| corrupt("a list of values", error))
}
