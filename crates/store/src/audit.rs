//! The tamper-evident audit log: one hash-chained entry per write, made in
//! the same transaction as the write, and the checks that find where a chain
//! or a record was changed behind the store's back.
//!
//! Each entry's `hash` is `sha256(prev_hash || canonical)`, where `prev_hash`
//! is the previous entry's hash as 64 lowercase hex characters (64 zeros for
//! the first entry) and `canonical` is the compact JSON array
//! `[seq, id, at, station_id, operator, action, entity, entity_id,
//! before_digest, after_digest]`. The digests are sha256 of the canonical
//! JSON of the affected record (`null` before an insert).

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::codec::{
    digest_json, id_text, optional_text_column, parse_timestamp, parse_uuid, rows_to_json,
    sorted_object, text_column, timestamp,
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
}

impl Entity {
    const ALL: [Entity; 9] = [
        Entity::Station,
        Entity::Operator,
        Entity::Bench,
        Entity::Device,
        Entity::Intake,
        Entity::Checklist,
        Entity::CosmeticInspection,
        Entity::Grade,
        Entity::Erasure,
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
        }
    }

    fn from_word(word: &str) -> Option<Entity> {
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
            Entity::Intake => "SELECT * FROM intakes WHERE id = ?1",
            Entity::Checklist => "SELECT * FROM checklists WHERE id = ?1",
            Entity::CosmeticInspection => "SELECT * FROM cosmetic_inspections WHERE id = ?1",
            Entity::Grade => "SELECT * FROM grades WHERE id = ?1",
            Entity::Erasure => "SELECT * FROM erasures WHERE id = ?1",
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
        }
    }
}

/// A record as the canonical JSON the audit log digests. An intake includes
/// its test results and evidence lines, which are written and audited with it.
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
            return Ok(Some(sorted_object(
                [("answers", Value::from(answers)), ("checklist", row)]
                    .into_iter()
                    .collect(),
            )));
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
            return Ok(Some(sorted_object(
                [
                    ("inspection", row),
                    ("photos", Value::from(photos)),
                    ("zones", Value::from(zones)),
                ]
                .into_iter()
                .collect(),
            )));
        }
        Entity::Intake => {}
        _ => return Ok(Some(row)),
    }
    let tests = rows_to_json(
        conn,
        "SELECT * FROM intake_tests WHERE intake_id = ?1 ORDER BY seq",
        id,
    )?;
    let evidence = rows_to_json(
        conn,
        "SELECT * FROM intake_evidence WHERE intake_id = ?1 ORDER BY seq",
        id,
    )?;
    Ok(Some(sorted_object(
        [
            ("evidence", Value::from(evidence)),
            ("intake", row),
            ("tests", Value::from(tests)),
        ]
        .into_iter()
        .collect(),
    )))
}

pub(crate) fn record_digest(
    conn: &Connection,
    entity: Entity,
    id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(record_json(conn, entity, &id_text(id))?.map(|json| digest_json(&json)))
}

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
    let canonical = json!([
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
    ]);
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical.to_string().as_bytes());
    hex::encode(hasher.finalize())
}

/// Appends an entry. Must run inside the write transaction it describes,
/// which also serialises appends so `seq` has no gaps.
pub(crate) fn append(
    tx: &Connection,
    station_id: Uuid,
    write: AuditWrite<'_>,
) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (last_seq, prev_hash) = last.unwrap_or((0, GENESIS_HASH.to_owned()));
    let seq = last_seq + 1;
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
    let hash = entry_hash(&prev_hash, &fields);
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
        prev_hash,
        hash,
    ])?;
    Ok(seq)
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
}

impl AuditProblem {
    /// The position in the log where the problem is.
    pub fn seq(&self) -> i64 {
        match self {
            AuditProblem::Altered { seq, .. }
            | AuditProblem::Removed { seq, .. }
            | AuditProblem::Reordered { seq, .. } => *seq,
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

struct RawEntry {
    seq: i64,
    id: String,
    at: String,
    station_id: String,
    operator: String,
    action: String,
    entity: String,
    entity_id: String,
    before_digest: Option<String>,
    after_digest: Option<String>,
    prev_hash: String,
    hash: String,
}

impl RawEntry {
    fn hash_with_seq(&self, seq: i64) -> String {
        entry_hash(
            &self.prev_hash,
            &EntryFields {
                seq,
                id: &self.id,
                at: &self.at,
                station_id: &self.station_id,
                operator: &self.operator,
                action: &self.action,
                entity: &self.entity,
                entity_id: &self.entity_id,
                before_digest: self.before_digest.as_deref(),
                after_digest: self.after_digest.as_deref(),
            },
        )
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

    let mut expected_seq = 1_i64;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut previous: Option<(i64, String)> = None;
    let mut verified = 0_u64;

    while let Some(row) = rows.next()? {
        let text = |column: &str| text_column(row, column, "audit_log");
        let entry = RawEntry {
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
        let broken = |problem| AuditReport::Broken {
            entries_verified: verified,
            problem,
        };

        if entry.seq > expected_seq {
            return Ok(broken(AuditProblem::Removed {
                seq: expected_seq,
                next_seq: entry.seq,
                next_id: entry.id,
            }));
        }
        if entry.seq < expected_seq {
            // Only a hand-edited seq (zero or negative) sorts before 1.
            return Ok(broken(AuditProblem::Altered {
                seq: entry.seq,
                id: entry.id,
            }));
        }

        let self_consistent = entry.hash_with_seq(entry.seq) == entry.hash;
        if !self_consistent {
            let moved_from = (1..=max_seq)
                .filter(|&seq| seq != entry.seq)
                .find(|&seq| entry.hash_with_seq(seq) == entry.hash);
            return Ok(broken(match moved_from {
                Some(belongs_at) => AuditProblem::Reordered {
                    seq: entry.seq,
                    id: entry.id,
                    belongs_at,
                },
                None => AuditProblem::Altered {
                    seq: entry.seq,
                    id: entry.id,
                },
            }));
        }
        if entry.prev_hash != expected_prev {
            // This entry is intact, so the one before it was rewritten with
            // a recomputed hash; the first entry can only have had its own
            // link edited.
            let (seq, id) = previous.unwrap_or((entry.seq, entry.id));
            return Ok(broken(AuditProblem::Altered { seq, id }));
        }

        expected_prev = entry.hash;
        previous = Some((entry.seq, entry.id));
        expected_seq += 1;
        verified += 1;
    }
    Ok(AuditReport::Intact { entries: verified })
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
            let current = record_json(&snapshot, entity, &id)?.map(|json| digest_json(&json));
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
