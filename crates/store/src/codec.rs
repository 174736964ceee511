//! How values are written into and read back from SQLite text columns, and
//! how stored rows are turned into the canonical JSON that the audit log
//! digests.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{corrupt, StoreError};

/// RFC 3339 in UTC with all nine fractional digits: fixed width, so text
/// comparison in SQL is time comparison, and nanoseconds survive a round trip.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub(crate) fn parse_timestamp(text: &str, location: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| {
            corrupt(
                location,
                format!("timestamp {text:?} does not parse: {error}"),
            )
        })
}

pub(crate) fn parse_uuid(text: &str, location: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|error| corrupt(location, format!("id {text:?}: {error}")))
}

pub(crate) fn id_text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A row as a JSON object with its keys in sorted order, whatever serde_json
/// features another crate enables, so the same row always digests the same.
pub(crate) fn row_to_json(row: &Row<'_>) -> Value {
    let statement = row.as_ref();
    let mut columns = BTreeMap::new();
    for index in 0..statement.column_count() {
        let name = statement.column_name(index).unwrap_or("?").to_owned();
        let value = match row.get_ref(index) {
            Ok(ValueRef::Null) | Err(_) => Value::Null,
            Ok(ValueRef::Integer(number)) => Value::from(number),
            Ok(ValueRef::Real(number)) => Value::from(number),
            Ok(ValueRef::Text(text)) => Value::from(String::from_utf8_lossy(text).into_owned()),
            Ok(ValueRef::Blob(bytes)) => Value::from(hex::encode(bytes)),
        };
        columns.insert(name, value);
    }
    sorted_object(columns)
}

pub(crate) fn sorted_object<K: Into<String>>(entries: BTreeMap<K, Value>) -> Value {
    let mut object = serde_json::Map::new();
    for (key, value) in entries {
        object.insert(key.into(), value);
    }
    Value::Object(object)
}

/// All rows a query returns, as canonical JSON objects.
pub(crate) fn rows_to_json(
    conn: &Connection,
    sql: &str,
    key: &str,
) -> Result<Vec<Value>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([key], |row| Ok(row_to_json(row)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn digest_json(value: &Value) -> String {
    // Serialising a Value cannot fail: its keys are strings and NaN is
    // already impossible inside a Value.
    let text = serde_json::to_string(value).unwrap_or_default();
    sha256_hex(text.as_bytes())
}

/// Reads a column that must hold text, naming the table and column when it
/// does not.
pub(crate) fn text_column(row: &Row<'_>, column: &str, table: &str) -> Result<String, StoreError> {
    row.get::<_, String>(column)
        .map_err(|error| corrupt(format!("{table}.{column}"), error))
}

pub(crate) fn optional_text_column(
    row: &Row<'_>,
    column: &str,
    table: &str,
) -> Result<Option<String>, StoreError> {
    row.get::<_, Option<String>>(column)
        .map_err(|error| corrupt(format!("{table}.{column}"), error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_sort_as_text_and_keep_nanoseconds() {
        let early = Utc
            .with_ymd_and_hms(2024, 1, 2, 3, 4, 5)
            .single()
            .expect("valid date");
        let later = early + chrono::Duration::nanoseconds(1);
        assert_eq!(timestamp(early), "2024-01-02T03:04:05.000000000Z");
        assert!(timestamp(early) < timestamp(later));
        assert_eq!(
            parse_timestamp(&timestamp(later), "test").expect("parses"),
            later
        );
        assert!(parse_timestamp("yesterday", "test").is_err());
    }

    #[test]
    fn row_json_has_sorted_keys_whatever_the_column_order() {
        let conn = Connection::open_in_memory().expect("in-memory database");
        let json = conn
            .query_row(
                "SELECT 2 AS zeta, 'x' AS alpha, NULL AS mid, 1.5 AS beta, x'ff' AS blob",
                [],
                |row| Ok(row_to_json(row)),
            )
            .expect("row");
        assert_eq!(
            serde_json::to_string(&json).expect("serialises"),
            r#"{"alpha":"x","beta":1.5,"blob":"ff","mid":null,"zeta":2}"#
        );
    }
}
