//! What a station sends to its site database: its audit log entries in order, each with the
//! record it speaks about as the canonical JSON the entry's digest covers, and the digest of
//! such a record once it has travelled (so the site checks records with the store's own rule).
//!
//! A record travels with the latest entry that names it: an earlier entry (an insert later
//! updated, a certificate later voided) goes without it, so a record on the site always matches
//! an entry the site holds. Operators' PIN hashes never leave the station (their entries do).

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::audit::{record_json, Entity};
use crate::codec::{digest_json, row_digest, sorted_object};
use crate::error::StoreError;
use crate::store::Store;

/// The entities whose records stay on the station; their audit entries still travel.
pub const NOT_REPLICATED: [&str; 1] = ["operator_pin"];

/// An audit entry exactly as stored (text as written, so the site can re-hash the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaEntry {
    pub seq: i64,
    pub id: String,
    pub at: String,
    pub station_id: String,
    pub operator: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// One entry and, when it is the latest that names a record still there, that record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicaItem {
    pub entry: ReplicaEntry,
    pub record: Option<Value>,
}

/// How many entries after a mark name each entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityLag {
    pub entity: String,
    pub entries: i64,
}

impl Store {
    /// The entries after `after_seq`, oldest first, at most `limit`, with their records.
    pub fn replica_after(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<ReplicaItem>, StoreError> {
        // One read transaction: a write carrying on meanwhile is seen whole or not at all.
        let snapshot = self.conn.unchecked_transaction()?;
        let mut entries = snapshot.prepare_cached(
            "SELECT seq, id, at, station_id, operator, action, entity, entity_id,
                    before_digest, after_digest, prev_hash, hash
             FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows: Vec<ReplicaEntry> = entries
            .query_map(rusqlite::params![after_seq, limit], |row| {
                Ok(ReplicaEntry {
                    seq: row.get(0)?,
                    id: row.get(1)?,
                    at: row.get(2)?,
                    station_id: row.get(3)?,
                    operator: row.get(4)?,
                    action: row.get(5)?,
                    entity: row.get(6)?,
                    entity_id: row.get(7)?,
                    before_digest: row.get(8)?,
                    after_digest: row.get(9)?,
                    prev_hash: row.get(10)?,
                    hash: row.get(11)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        drop(entries);
        let mut latest = snapshot.prepare_cached(
            "SELECT MAX(seq) FROM audit_log WHERE entity = ?1 AND entity_id = ?2",
        )?;
        let mut items = Vec::with_capacity(rows.len());
        for entry in rows {
            let record = match Entity::from_word(&entry.entity) {
                Some(entity) if !NOT_REPLICATED.contains(&entry.entity.as_str()) => {
                    let last: Option<i64> = latest
                        .query_row([&entry.entity, &entry.entity_id], |row| row.get(0))
                        .optional()?
                        .flatten();
                    if last == Some(entry.seq) {
                        record_json(&snapshot, entity, &entry.entity_id)?
                    } else {
                        None
                    }
                }
                _ => None,
            };
            items.push(ReplicaItem { entry, record });
        }
        drop(latest);
        snapshot.finish()?;
        Ok(items)
    }

    /// The last entry's `seq` (0 for an empty log).
    pub fn audit_head(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |row| {
                row.get(0)
            })?)
    }

    /// The entries after `after_seq`, counted by entity.
    pub fn audit_lag(&self, after_seq: i64) -> Result<Vec<EntityLag>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT entity, COUNT(*) FROM audit_log WHERE seq > ?1 GROUP BY entity ORDER BY entity",
        )?;
        let lags = statement
            .query_map([after_seq], |row| {
                Ok(EntityLag {
                    entity: row.get(0)?,
                    entries: row.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(lags)
    }
}

/// The hash an entry must carry: `sha256(prev_hash || canonical fields)`, as the store chains
/// them (compare with the entry's `hash`; its `prev_hash` with the hash of the entry before).
pub fn replica_entry_hash(entry: &ReplicaEntry) -> String {
    crate::audit::replica_entry_hash(entry)
}

/// The digest of a record as [`Store::replica_after`] gave it, by the rule the store digests
/// it with when it is written (compare it with its latest entry's `after_digest`); `None` for
/// an entity the store does not know. Key order does not matter (a database may reorder keys).
pub fn replicated_digest(entity: &str, record: &Value) -> Option<String> {
    let entity = Entity::from_word(entity)?;
    let record = canonical(record);
    if entity == Entity::Intake && record["record_format"] == crate::audit::INTAKE_FORMAT_ROW {
        if let Value::Object(columns) = &record {
            let values: Vec<(&str, ValueRef<'_>)> = columns
                .iter()
                .map(|(name, value)| (name.as_str(), value_ref(value)))
                .collect();
            return Some(row_digest(values));
        }
    }
    Some(digest_json(&record))
}

/// A JSON column's value as the SQLite value it was read from (text, integer, real or null).
fn value_ref(value: &Value) -> ValueRef<'_> {
    match value {
        Value::Null => ValueRef::Null,
        Value::Number(number) => match number.as_i64() {
            Some(integer) if !number.is_f64() => ValueRef::Integer(integer),
            _ => ValueRef::Real(number.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(text) => ValueRef::Text(text.as_bytes()),
        // A row holds no booleans, arrays or objects; one changed into them fails its check.
        other => ValueRef::Text(if other.as_bool() == Some(true) {
            b"\x01true"
        } else {
            b"\x01other"
        }),
    }
}

/// The value with every object's keys sorted, as the store digests it.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(columns) => sorted_object(
            columns
                .iter()
                .map(|(key, value)| (key.clone(), canonical(value)))
                .collect::<BTreeMap<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}
