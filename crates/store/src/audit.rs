//! The tamper-evident audit log: one hash-chained entry per write, made in
//! the same transaction as the write, and the checks that find where a chain
//! or a record was changed behind the store's back.
//!
//! Each entry's `hash` is `sha256(prev_hash || canonical)`, where `prev_hash`
//! is the previous entry's hash as 64 lowercase hex characters (64 zeros for
//! the first entry) and `canonical` is the compact JSON array
//! `[seq, id, at, station_id, operator, action, entity, entity_id,
//! before_digest, after_digest]`. The digests (`null` before an insert) are
//! sha256 of the canonical JSON of the affected record: its row as a JSON
//! object with sorted keys, plus the rows written with it for checklists and
//! inspections. An intake is digested in the format its `record_format`
//! column names: format 1 (recorded before schema version 7) as canonical
//! JSON too (see [`record_json`]); format 2, the row as stored, in the
//! compact form of `codec::row_digest`, which needs no JSON escaping of the
//! JSON the row holds.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::codec::{
    digest_head_and_rows, digest_json, id_text, optional_text_column, parse_timestamp, parse_uuid,
    row_digest, rows_to_json, sha256_hex_of_json, sorted_object, text_column, timestamp,
};
use crate::error::StoreError;

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The kinds of record the audit log speaks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Station,
    Operator,
    Bench,
    Device,
    Intake,
    Checklist,
    CosmeticInspection,
    Grade,
    Erasure,
    SigningKey,
    Destruction,
    Certificate,
    Setting,
    QaDraw,
    QaSample,
    OperatorPin,
    LoginAttempt,
    LockConfirmation,
    Photo,
    ChecklistOverride,
    CertificateReplacement,
    Customer,
    Batch,
    BatchReceipt,
    BatchAccessories,
    BatchClosure,
    OutboxAction,
    Shipment,
}

impl Entity {
    const ALL: [Entity; 28] = [
        Entity::Station,
        Entity::Operator,
        Entity::Bench,
        Entity::Device,
        Entity::Intake,
        Entity::Checklist,
        Entity::CosmeticInspection,
        Entity::Grade,
        Entity::Erasure,
        Entity::SigningKey,
        Entity::Destruction,
        Entity::Certificate,
        Entity::Setting,
        Entity::QaDraw,
        Entity::QaSample,
        Entity::OperatorPin,
        Entity::LoginAttempt,
        Entity::LockConfirmation,
        Entity::Photo,
        Entity::ChecklistOverride,
        Entity::CertificateReplacement,
        Entity::Customer,
        Entity::Batch,
        Entity::BatchReceipt,
        Entity::BatchAccessories,
        Entity::BatchClosure,
        Entity::OutboxAction,
        Entity::Shipment,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Entity::Station => "station",
            Entity::Operator => "operator",
            Entity::Bench => "bench",
            Entity::Device => "device",
            Entity::Intake => "intake",
            Entity::Checklist => "checklist",
            Entity::CosmeticInspection => "cosmetic_inspection",
            Entity::Grade => "grade",
            Entity::Erasure => "erasure",
            Entity::SigningKey => "signing_key",
            Entity::Destruction => "destruction",
            Entity::Certificate => "certificate",
            Entity::Setting => "setting",
            Entity::QaDraw => "qa_draw",
            Entity::QaSample => "qa_sample",
            Entity::OperatorPin => "operator_pin",
            Entity::LoginAttempt => "login_attempt",
            Entity::LockConfirmation => "lock_confirmation",
            Entity::Photo => "photo",
            Entity::ChecklistOverride => "checklist_override",
            Entity::CertificateReplacement => "certificate_replacement",
            Entity::Customer => "customer",
            Entity::Batch => "batch",
            Entity::BatchReceipt => "batch_receipt",
            Entity::BatchAccessories => "batch_accessories",
            Entity::BatchClosure => "batch_closure",
            Entity::OutboxAction => "outbox_action",
            Entity::Shipment => "shipment",
        }
    }

    pub(crate) fn from_word(word: &str) -> Option<Entity> {
        Entity::ALL
            .into_iter()
            .find(|entity| entity.as_str() == word)
    }

    fn select_one(self) -> &'static str {
        match self {
            Entity::Station => "SELECT * FROM station WHERE id = ?1",
            Entity::Operator => "SELECT * FROM operators WHERE id = ?1",
            Entity::Bench => "SELECT * FROM benches WHERE id = ?1",
            Entity::Device => "SELECT * FROM devices WHERE id = ?1",
            Entity::Intake => INTAKE_SELECT,
            Entity::Checklist => "SELECT * FROM checklists WHERE id = ?1",
            Entity::CosmeticInspection => "SELECT * FROM cosmetic_inspections WHERE id = ?1",
            Entity::Grade => "SELECT * FROM grades WHERE id = ?1",
            Entity::Erasure => "SELECT * FROM erasures WHERE id = ?1",
            Entity::SigningKey => "SELECT * FROM signing_keys WHERE id = ?1",
            Entity::Destruction => "SELECT * FROM destructions WHERE id = ?1",
            Entity::Certificate => "SELECT * FROM certificates WHERE id = ?1",
            Entity::Setting => "SELECT * FROM settings WHERE id = ?1",
            Entity::QaDraw => "SELECT * FROM qa_draws WHERE id = ?1",
            Entity::QaSample => "SELECT * FROM qa_samples WHERE id = ?1",
            // Keyed by the operator: one PIN each, replaced when set again.
            Entity::OperatorPin => "SELECT * FROM operator_pins WHERE operator_id = ?1",
            Entity::LoginAttempt => "SELECT * FROM login_attempts WHERE id = ?1",
            Entity::LockConfirmation => "SELECT * FROM lock_confirmations WHERE id = ?1",
            Entity::Photo => "SELECT * FROM photos WHERE id = ?1",
            Entity::ChecklistOverride => "SELECT * FROM checklist_overrides WHERE id = ?1",
            Entity::CertificateReplacement => {
                "SELECT * FROM certificate_replacements WHERE id = ?1"
            }
            // The pseudonym row only: the personal data (customer_contacts) is outside the
            // chain, so forgetting it leaves every digest as it was.
            Entity::Customer => "SELECT * FROM customers WHERE id = ?1",
            Entity::Batch => "SELECT * FROM batches WHERE id = ?1",
            Entity::BatchReceipt => "SELECT * FROM batch_receipts WHERE id = ?1",
            Entity::BatchAccessories => "SELECT * FROM batch_accessories WHERE id = ?1",
            Entity::BatchClosure => "SELECT * FROM batch_closures WHERE id = ?1",
            Entity::OutboxAction => "SELECT * FROM outbox_actions WHERE id = ?1",
            Entity::Shipment => "SELECT * FROM shipments WHERE id = ?1",
        }
    }

    fn select_ids(self) -> &'static str {
        match self {
            Entity::Station => "SELECT id FROM station ORDER BY id",
            Entity::Operator => "SELECT id FROM operators ORDER BY id",
            Entity::Bench => "SELECT id FROM benches ORDER BY id",
            Entity::Device => "SELECT id FROM devices ORDER BY id",
            Entity::Intake => "SELECT id FROM intakes ORDER BY id",
            Entity::Checklist => "SELECT id FROM checklists ORDER BY id",
            Entity::CosmeticInspection => "SELECT id FROM cosmetic_inspections ORDER BY id",
            Entity::Grade => "SELECT id FROM grades ORDER BY id",
            Entity::Erasure => "SELECT id FROM erasures ORDER BY id",
            Entity::SigningKey => "SELECT id FROM signing_keys ORDER BY id",
            Entity::Destruction => "SELECT id FROM destructions ORDER BY id",
            Entity::Certificate => "SELECT id FROM certificates ORDER BY id",
            Entity::Setting => "SELECT id FROM settings ORDER BY id",
            Entity::QaDraw => "SELECT id FROM qa_draws ORDER BY id",
            Entity::QaSample => "SELECT id FROM qa_samples ORDER BY id",
            Entity::OperatorPin => "SELECT operator_id FROM operator_pins ORDER BY operator_id",
            Entity::LoginAttempt => "SELECT id FROM login_attempts ORDER BY id",
            Entity::LockConfirmation => "SELECT id FROM lock_confirmations ORDER BY id",
            Entity::Photo => "SELECT id FROM photos ORDER BY id",
            Entity::ChecklistOverride => "SELECT id FROM checklist_overrides ORDER BY id",
            Entity::CertificateReplacement => "SELECT id FROM certificate_replacements ORDER BY id",
            Entity::Customer => "SELECT id FROM customers ORDER BY id",
            Entity::Batch => "SELECT id FROM batches ORDER BY id",
            Entity::BatchReceipt => "SELECT id FROM batch_receipts ORDER BY id",
            Entity::BatchAccessories => "SELECT id FROM batch_accessories ORDER BY id",
            Entity::BatchClosure => "SELECT id FROM batch_closures ORDER BY id",
            Entity::OutboxAction => "SELECT id FROM outbox_actions ORDER BY id",
            Entity::Shipment => "SELECT id FROM shipments ORDER BY id",
        }
    }
}

/// The columns of an intake that its digest covers, in the order format 2
/// digests them (sorted by name). Named rather than `*` so that a column
/// added to `intakes` later does not change the digest of every intake
/// already recorded.
const INTAKE_SELECT: &str = "SELECT battery_json, battery_verdict, bench_id, bench_json,
        cycles, device_id, evidence_json, finished_at, id, identity_json, lock_json,
        lock_verdict, operator, record_format, slot, soh_pct, started_at, station_id,
        tests_json
    FROM intakes WHERE id = ?1";

/// `intakes.record_format` of an intake recorded before schema version 7,
/// when its test results and evidence lines were rows of their own.
pub(crate) const INTAKE_FORMAT_ROWS: i64 = 1;
/// `intakes.record_format` of an intake recorded as one row.
pub(crate) const INTAKE_FORMAT_ROW: i64 = 2;

/// A record as the canonical JSON the audit log digests.
///
/// An intake in format 2 is its row (but is digested in the compact form of
/// `codec::row_digest`, see [`record_digest`]). An intake in format 1 was digested,
/// when it was recorded, as `{"evidence": [...], "intake": {...}, "tests":
/// [...]}`, with one object per row of the tables `intake_evidence` and
/// `intake_tests` of that time; that object is rebuilt from the arrays, so
/// an edited, added, removed or reordered line still changes the digest.
pub(crate) fn record_json(
    conn: &Connection,
    entity: Entity,
    id: &str,
) -> Result<Option<Value>, StoreError> {
    let Some(row) = rows_to_json(conn, entity.select_one(), id)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    // A checklist and an inspection are written and audited with their rows.
    match entity {
        Entity::Checklist => {
            let answers = rows_to_json(
                conn,
                "SELECT * FROM checklist_answers WHERE checklist_id = ?1 ORDER BY seq",
                id,
            )?;
            Ok(Some(sorted_object(
                [("answers", Value::from(answers)), ("checklist", row)]
                    .into_iter()
                    .collect(),
            )))
        }
        Entity::CosmeticInspection => {
            let zones = rows_to_json(
                conn,
                "SELECT * FROM cosmetic_zones WHERE inspection_id = ?1 ORDER BY zone",
                id,
            )?;
            let photos = rows_to_json(
                conn,
                "SELECT * FROM cosmetic_photos WHERE inspection_id = ?1 ORDER BY zone, seq",
                id,
            )?;
            Ok(Some(sorted_object(
                [
                    ("inspection", row),
                    ("photos", Value::from(photos)),
                    ("zones", Value::from(zones)),
                ]
                .into_iter()
                .collect(),
            )))
        }
        // A batch is written and audited with its declared lines.
        Entity::Batch => {
            let lines = rows_to_json(conn, BATCH_LINES_SELECT, id)?;
            Ok(Some(sorted_object(
                [("batch", row), ("lines", Value::from(lines))]
                    .into_iter()
                    .collect(),
            )))
        }
        Entity::Intake if row["record_format"] == INTAKE_FORMAT_ROWS => {
            // A row that cannot be rebuilt was changed: digesting it as it is
            // cannot match what was recorded, so the check reports it.
            Ok(Some(intake_as_rows(id, &row).unwrap_or(row)))
        }
        // details_json came with schema version 5; an erasure recorded
        // before it was digested without the column, so the column is left
        // out while NULL (a value written into it or removed from it later
        // still changes the digest).
        Entity::Erasure => Ok(Some(without_null_column(row, "details_json"))),
        // An intake of format 2 is digested from its row (`current_digest`)
        // and its JSON here is only read to see that it exists; a format
        // nobody wrote is digested as JSON, and fails its check.
        _ => Ok(Some(row)),
    }
}

/// `row` without the column `name` when that column is NULL, keys sorted.
fn without_null_column(row: Value, name: &str) -> Value {
    match row {
        Value::Object(columns) if columns.get(name).is_some_and(Value::is_null) => sorted_object(
            columns
                .into_iter()
                .filter(|(column, _)| column != name)
                .collect::<BTreeMap<_, _>>(),
        ),
        other => other,
    }
}

/// An intake of format 1 as it was digested when its tests and evidence
/// were rows: `None` if its arrays are not the arrays the migration wrote.
fn intake_as_rows(id: &str, row: &Value) -> Option<Value> {
    let Value::Object(columns) = row else {
        return None;
    };
    let rows = |column: &str, names: [&str; 3]| -> Option<Value> {
        let text = columns.get(column)?.as_str()?;
        let items: Vec<Value> = serde_json::from_str(text).ok()?;
        let mut rows = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let Value::Array(fields) = item else {
                return None;
            };
            let [a, b, c]: [Value; 3] = fields.try_into().ok()?;
            let mut object: BTreeMap<&str, Value> = [(names[0], a), (names[1], b), (names[2], c)]
                .into_iter()
                .collect();
            object.insert("intake_id", Value::from(id));
            object.insert("seq", Value::from(index as i64 + 1));
            rows.push(sorted_object(object));
        }
        Some(Value::from(rows))
    };
    let tests = rows("tests_json", ["name", "outcome", "detail"])?;
    let evidence = rows("evidence_json", ["at", "direction", "line"])?;
    let intake: BTreeMap<&str, Value> = columns
        .iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "tests_json" | "evidence_json" | "record_format"
            )
        })
        .map(|(name, value)| (name.as_str(), value.clone()))
        .collect();
    Some(sorted_object(
        [
            ("evidence", evidence),
            ("intake", sorted_object(intake)),
            ("tests", tests),
        ]
        .into_iter()
        .collect(),
    ))
}

pub(crate) fn record_digest(
    conn: &Connection,
    entity: Entity,
    id: Uuid,
) -> Result<Option<String>, StoreError> {
    current_digest(conn, entity, &id_text(id))
}

/// The digest of a record as it is now stored, `None` if it is not.
fn current_digest(
    conn: &Connection,
    entity: Entity,
    id: &str,
) -> Result<Option<String>, StoreError> {
    if entity == Entity::Intake {
        let mut statement = conn.prepare_cached(INTAKE_SELECT)?;
        let mut rows = statement.query([id])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        if row.get_ref("record_format")? == ValueRef::Integer(INTAKE_FORMAT_ROW) {
            let statement = row.as_ref();
            let mut columns = Vec::with_capacity(statement.column_count());
            for index in 0..statement.column_count() {
                columns.push((statement.column_name(index)?, row.get_ref(index)?));
            }
            return Ok(Some(row_digest(columns)));
        }
    }
    if entity == Entity::Batch {
        // The same digest as the JSON record's, streamed: a batch can have 100,000 lines.
        let Some(batch) = rows_to_json(conn, entity.select_one(), id)?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        return digest_head_and_rows(conn, ("batch", &batch), "lines", BATCH_LINES_SELECT, id)
            .map(Some);
    }
    Ok(record_json(conn, entity, id)?.map(|json| digest_json(&json)))
}

/// A batch's declared lines, as its record and digest hold them.
const BATCH_LINES_SELECT: &str = "SELECT * FROM batch_lines WHERE batch_id = ?1 ORDER BY line";

/// One write to be logged.
pub(crate) struct AuditWrite<'a> {
    pub operator: &'a str,
    pub action: &'a str,
    pub entity: Entity,
    pub entity_id: Uuid,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The fields an entry's hash covers, exactly as stored.
struct EntryFields<'a> {
    seq: i64,
    id: &'a str,
    at: &'a str,
    station_id: &'a str,
    operator: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    before_digest: Option<&'a str>,
    after_digest: Option<&'a str>,
}

fn entry_hash(prev_hash: &str, fields: &EntryFields<'_>) -> String {
    // A tuple serialises as the JSON array the module documents.
    let canonical = (
        fields.seq,
        fields.id,
        fields.at,
        fields.station_id,
        fields.operator,
        fields.action,
        fields.entity,
        fields.entity_id,
        fields.before_digest,
        fields.after_digest,
    );
    sha256_hex_of_json(prev_hash.as_bytes(), &canonical)
}

/// The hash an entry replicated to a site must carry, from its fields as stored and the
/// `prev_hash` it names.
pub(crate) fn replica_entry_hash(entry: &crate::replica::ReplicaEntry) -> String {
    hash_at(entry, entry.seq)
}

/// The end of the chain as one write transaction sees it. Read once per
/// transaction and carried from append to append, so a batch of writes does
/// not read back the entry it has just written. Only valid inside the
/// transaction it was read in, which also serialises appends so `seq` has no
/// gaps.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    pub(crate) fn head(tx: &Connection) -> Result<Chain, StoreError> {
        let last: Option<(i64, String)> = tx
            .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let (seq, hash) = last.unwrap_or((0, GENESIS_HASH.to_owned()));
        Ok(Chain { seq, hash })
    }

    /// Appends an entry after the head and makes it the new head.
    pub(crate) fn append(
        &mut self,
        tx: &Connection,
        station_id: Uuid,
        write: AuditWrite<'_>,
    ) -> Result<i64, StoreError> {
        let seq = self.seq + 1;
        let id = id_text(Uuid::now_v7());
        let at = timestamp(Utc::now());
        let station_id = id_text(station_id);
        let entity_id = id_text(write.entity_id);
        let fields = EntryFields {
            seq,
            id: &id,
            at: &at,
            station_id: &station_id,
            operator: write.operator,
            action: write.action,
            entity: write.entity.as_str(),
            entity_id: &entity_id,
            before_digest: write.before.as_deref(),
            after_digest: write.after.as_deref(),
        };
        let hash = entry_hash(&self.hash, &fields);
        tx.prepare_cached(
            "INSERT INTO audit_log (seq, id, at, station_id, operator, action, entity, entity_id,
                                    before_digest, after_digest, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(rusqlite::params![
            seq,
            id,
            at,
            station_id,
            fields.operator,
            fields.action,
            fields.entity,
            entity_id,
            fields.before_digest,
            fields.after_digest,
            self.hash,
            hash,
        ])?;
        self.seq = seq;
        self.hash = hash;
        Ok(seq)
    }
}

/// Appends an entry. Must run inside the write transaction it describes.
pub(crate) fn append(
    tx: &Connection,
    station_id: Uuid,
    write: AuditWrite<'_>,
) -> Result<i64, StoreError> {
    Chain::head(tx)?.append(tx, station_id, write)
}

/// An audit log entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub station_id: Uuid,
    pub operator: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

pub(crate) fn entries_after(
    conn: &Connection,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT * FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
    let mut rows = statement.query(rusqlite::params![after_seq, limit])?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        let text = |column: &str| text_column(row, column, "audit_log");
        let location = |column: &str| format!("audit_log.{column}");
        entries.push(AuditEntry {
            seq: row.get("seq")?,
            id: parse_uuid(&text("id")?, &location("id"))?,
            at: parse_timestamp(&text("at")?, &location("at"))?,
            station_id: parse_uuid(&text("station_id")?, &location("station_id"))?,
            operator: text("operator")?,
            action: text("action")?,
            entity: text("entity")?,
            entity_id: text("entity_id")?,
            before_digest: optional_text_column(row, "before_digest", "audit_log")?,
            after_digest: optional_text_column(row, "after_digest", "audit_log")?,
            prev_hash: text("prev_hash")?,
            hash: text("hash")?,
        });
    }
    Ok(entries)
}

/// The first thing found wrong with the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditProblem {
    /// The entry's contents, or the hash linking it to the entry before,
    /// no longer match what was written.
    Altered { seq: i64, id: String },
    /// Entry `seq` is missing: the log jumps from `seq - 1` to `next_seq`.
    Removed {
        seq: i64,
        next_seq: i64,
        next_id: String,
    },
    /// The entry found at `seq` was written as entry `belongs_at`.
    Reordered {
        seq: i64,
        id: String,
        belongs_at: i64,
    },
    /// Entries `seq` to `last_seq` are gone from the end of the log, which is known to have
    /// held up to `last_seq` (a site knows how far each station's log was applied; a log alone
    /// cannot tell its end was cut).
    Truncated { seq: i64, last_seq: i64 },
}

impl AuditProblem {
    /// The position in the log where the problem is.
    pub fn seq(&self) -> i64 {
        match self {
            AuditProblem::Altered { seq, .. }
            | AuditProblem::Removed { seq, .. }
            | AuditProblem::Reordered { seq, .. }
            | AuditProblem::Truncated { seq, .. } => *seq,
        }
    }
}

impl fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditProblem::Altered { seq, id } => write!(
                f,
                "audit entry {seq} (id {id}) was altered after it was written"
            ),
            AuditProblem::Removed {
                seq,
                next_seq,
                next_id,
            } => write!(
                f,
                "audit entry {seq} was removed: the log goes on at entry {next_seq} (id {next_id})"
            ),
            AuditProblem::Reordered {
                seq,
                id,
                belongs_at,
            } => write!(
                f,
                "audit entry {seq} (id {id}) was moved there from position {belongs_at}: entries were reordered"
            ),
            AuditProblem::Truncated { seq, last_seq } => write!(
                f,
                "audit entries {seq} to {last_seq} were removed: the log ends at entry {}, but \
                 it held {last_seq}",
                seq - 1
            ),
        }
    }
}

/// The outcome of walking the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AuditReport {
    Intact {
        entries: u64,
    },
    Broken {
        /// Entries that verified before the problem was found.
        entries_verified: u64,
        problem: AuditProblem,
    },
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        matches!(self, AuditReport::Intact { .. })
    }

    pub fn problem(&self) -> Option<&AuditProblem> {
        match self {
            AuditReport::Intact { .. } => None,
            AuditReport::Broken { problem, .. } => Some(problem),
        }
    }
}

impl fmt::Display for AuditReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditReport::Intact { entries } => {
                write!(f, "audit log intact: {entries} entries verified")
            }
            AuditReport::Broken {
                entries_verified,
                problem,
            } => write!(
                f,
                "audit log broken after {entries_verified} good entries: {problem}"
            ),
        }
    }
}

/// The hash `entry` would carry at position `seq` (its own, when nothing moved it).
fn hash_at(entry: &crate::replica::ReplicaEntry, seq: i64) -> String {
    entry_hash(
        &entry.prev_hash,
        &EntryFields {
            seq,
            id: &entry.id,
            at: &entry.at,
            station_id: &entry.station_id,
            operator: &entry.operator,
            action: &entry.action,
            entity: &entry.entity,
            entity_id: &entry.entity_id,
            before_digest: entry.before_digest.as_deref(),
            after_digest: entry.after_digest.as_deref(),
        },
    )
}

/// A walk along one audit chain, entry by entry in `seq` order, judging each as the store
/// judges its own log: the station's `audit verify` and the site's (each station's chain as the
/// site holds it) are the same walk.
#[derive(Debug, Clone)]
pub struct ChainWalk {
    /// The chain's last seq, where a reordered entry may have come from.
    max_seq: i64,
    expected_seq: i64,
    expected_prev: String,
    previous: Option<(i64, String)>,
    verified: u64,
}

impl ChainWalk {
    /// A walk from the first entry of a chain whose last entry is `max_seq`.
    pub fn new(max_seq: i64) -> ChainWalk {
        ChainWalk {
            max_seq,
            expected_seq: 1,
            expected_prev: GENESIS_HASH.to_owned(),
            previous: None,
            verified: 0,
        }
    }

    /// Entries verified so far.
    pub fn verified(&self) -> u64 {
        self.verified
    }

    /// Takes the next entry: `Some` report, broken at its first problem, when this entry breaks
    /// the chain (the walk ends there), `None` while it holds.
    pub fn step(&mut self, entry: crate::replica::ReplicaEntry) -> Option<AuditReport> {
        let broken = |problem| {
            Some(AuditReport::Broken {
                entries_verified: self.verified,
                problem,
            })
        };
        if entry.seq > self.expected_seq {
            return broken(AuditProblem::Removed {
                seq: self.expected_seq,
                next_seq: entry.seq,
                next_id: entry.id,
            });
        }
        if entry.seq < self.expected_seq {
            // Only a hand-edited seq (zero or negative) sorts before 1.
            return broken(AuditProblem::Altered {
                seq: entry.seq,
                id: entry.id,
            });
        }
        let self_consistent = hash_at(&entry, entry.seq) == entry.hash;
        if !self_consistent {
            let moved_from = (1..=self.max_seq)
                .filter(|&seq| seq != entry.seq)
                .find(|&seq| hash_at(&entry, seq) == entry.hash);
            return broken(match moved_from {
                Some(belongs_at) => AuditProblem::Reordered {
                    seq: entry.seq,
                    id: entry.id,
                    belongs_at,
                },
                None => AuditProblem::Altered {
                    seq: entry.seq,
                    id: entry.id,
                },
            });
        }
        if entry.prev_hash != self.expected_prev {
            // This entry is intact, so the one before it was rewritten with a recomputed hash;
            // the first entry can only have had its own link edited.
            let (seq, id) = self.previous.clone().unwrap_or((entry.seq, entry.id));
            return broken(AuditProblem::Altered { seq, id });
        }
        self.expected_prev = entry.hash;
        self.previous = Some((entry.seq, entry.id));
        self.expected_seq += 1;
        self.verified += 1;
        None
    }

    /// The chain walked to its end without a problem.
    pub fn finish(self) -> AuditReport {
        AuditReport::Intact {
            entries: self.verified,
        }
    }
}

/// Walks the chain in `seq` order and reports the first entry that was
/// altered, removed or moved.
pub(crate) fn verify_chain(conn: &Connection) -> Result<AuditReport, StoreError> {
    // One read transaction, so writers carrying on meanwhile are not seen
    // half-way.
    let snapshot = conn.unchecked_transaction()?;
    let max_seq: i64 =
        snapshot.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |row| {
            row.get(0)
        })?;
    let mut statement = snapshot.prepare("SELECT * FROM audit_log ORDER BY seq")?;
    let mut rows = statement.query([])?;
    let mut walk = ChainWalk::new(max_seq);
    while let Some(row) = rows.next()? {
        let text = |column: &str| text_column(row, column, "audit_log");
        let entry = crate::replica::ReplicaEntry {
            seq: row.get("seq")?,
            id: text("id")?,
            at: text("at")?,
            station_id: text("station_id")?,
            operator: text("operator")?,
            action: text("action")?,
            entity: text("entity")?,
            entity_id: text("entity_id")?,
            before_digest: optional_text_column(row, "before_digest", "audit_log")?,
            after_digest: optional_text_column(row, "after_digest", "audit_log")?,
            prev_hash: text("prev_hash")?,
            hash: text("hash")?,
        };
        if let Some(broken) = walk.step(entry) {
            return Ok(broken);
        }
    }
    Ok(walk.finish())
}

/// A record whose current contents are not what the audit log says was
/// last written, i.e. it was changed without going through the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordMismatch {
    /// The record exists but no audit entry ever mentions it.
    Unaudited { entity: String, entity_id: String },
    /// The record differs from what audit entry `seq` recorded.
    Changed {
        entity: String,
        entity_id: String,
        seq: i64,
    },
    /// Audit entry `seq` recorded the record, but it is gone.
    Missing {
        entity: String,
        entity_id: String,
        seq: i64,
    },
}

impl fmt::Display for RecordMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordMismatch::Unaudited { entity, entity_id } => write!(
                f,
                "{entity} {entity_id} has no audit entry: it was added outside Refurbdesk"
            ),
            RecordMismatch::Changed {
                entity,
                entity_id,
                seq,
            } => write!(
                f,
                "{entity} {entity_id} differs from what audit entry {seq} recorded: it was changed outside Refurbdesk"
            ),
            RecordMismatch::Missing {
                entity,
                entity_id,
                seq,
            } => write!(
                f,
                "{entity} {entity_id}, recorded by audit entry {seq}, is missing: it was deleted outside Refurbdesk"
            ),
        }
    }
}

/// Compares every record with the digest its latest audit entry recorded.
pub(crate) fn check_records(conn: &Connection) -> Result<Vec<RecordMismatch>, StoreError> {
    let snapshot = conn.unchecked_transaction()?;
    let mut mismatches = Vec::new();

    let mut latest_entry = snapshot.prepare(
        "SELECT seq, after_digest FROM audit_log
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT 1",
    )?;
    for entity in Entity::ALL {
        let ids: Vec<String> = snapshot
            .prepare(entity.select_ids())?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for id in ids {
            let current = current_digest(&snapshot, entity, &id)?;
            let logged: Option<(i64, Option<String>)> = latest_entry
                .query_row([entity.as_str(), id.as_str()], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()?;
            match logged {
                None => mismatches.push(RecordMismatch::Unaudited {
                    entity: entity.as_str().to_owned(),
                    entity_id: id,
                }),
                Some((seq, after)) if after != current => {
                    mismatches.push(RecordMismatch::Changed {
                        entity: entity.as_str().to_owned(),
                        entity_id: id,
                        seq,
                    })
                }
                Some(_) => {}
            }
        }
    }

    let mut latest_per_record = snapshot.prepare(
        "SELECT a.entity, a.entity_id, a.seq FROM audit_log a
         WHERE a.after_digest IS NOT NULL
           AND a.seq = (SELECT MAX(b.seq) FROM audit_log b
                        WHERE b.entity = a.entity AND b.entity_id = a.entity_id)",
    )?;
    let logged: Vec<(String, String, i64)> = latest_per_record
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (entity_word, entity_id, seq) in logged {
        let Some(entity) = Entity::from_word(&entity_word) else {
            continue;
        };
        if record_json(&snapshot, entity, &entity_id)?.is_none() {
            mismatches.push(RecordMismatch::Missing {
                entity: entity_word,
                entity_id,
                seq,
            });
        }
    }
    Ok(mismatches)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(seq: i64, before: Option<&'a str>) -> EntryFields<'a> {
        EntryFields {
            seq,
            id: "id",
            at: "at",
            station_id: "station",
            operator: "op",
            action: "act",
            entity: "device",
            entity_id: "e",
            before_digest: before,
            after_digest: Some("after"),
        }
    }

    #[test]
    fn hash_covers_seq_prev_hash_and_null_digests() {
        let base = entry_hash(GENESIS_HASH, &fields(1, None));
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash(GENESIS_HASH, &fields(2, None)));
        assert_ne!(base, entry_hash(&"1".repeat(64), &fields(1, None)));
        // A null digest must not hash like an empty or a "null" string.
        assert_ne!(base, entry_hash(GENESIS_HASH, &fields(1, Some(""))));
        assert_ne!(base, entry_hash(GENESIS_HASH, &fields(1, Some("null"))));
        assert_eq!(base, entry_hash(GENESIS_HASH, &fields(1, None)));
    }
}
