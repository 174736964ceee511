//! How values are written into and read back from SQLite text columns, and
//! how stored rows are turned into the canonical JSON that the audit log
//! digests.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{corrupt, StoreError};

/// RFC 3339 in UTC with all nine fractional digits: fixed width, so text
/// comparison in SQL is time comparison, and nanoseconds survive a round trip.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    // Written digit by digit: an intake stores about twenty of them, and
    // chrono's general formatter was a measurable part of recording one.
    let year = at.year();
    if !(0..=9999).contains(&year) {
        return at.to_rfc3339_opts(SecondsFormat::Nanos, true);
    }
    let mut text = [0_u8; 30];
    let mut put = |from: usize, width: usize, mut value: u32| {
        for index in (from..from + width).rev() {
            text[index] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, at.month());
    put(8, 2, at.day());
    put(11, 2, at.hour());
    put(14, 2, at.minute());
    // A leap second is written as second 60, as chrono writes it.
    let nanos = at.nanosecond();
    put(17, 2, at.second() + nanos / 1_000_000_000);
    put(20, 9, nanos % 1_000_000_000);
    for (index, separator) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
        (29, b'Z'),
    ] {
        text[index] = separator;
    }
    // Only ASCII digits and separators were written.
    String::from_utf8_lossy(&text).into_owned()
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
    id.hyphenated()
        .encode_lower(&mut Uuid::encode_buffer())
        .to_owned()
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
    sha256_hex_of_json(&[], value)
}

/// sha256 of `prefix` followed by a value's compact JSON, as lowercase hex,
/// streamed into the hash without building the text.
pub(crate) fn sha256_hex_of_json<T: Serialize + ?Sized>(prefix: &[u8], value: &T) -> String {
    let mut hashing = Hashing(Sha256::new());
    hashing.0.update(prefix);
    // Writing into a hash cannot fail, and neither can serialising the
    // store's own rows: their keys are strings and their floats finite.
    if let Err(error) = serde_json::to_writer(&mut hashing, value) {
        tracing::error!(%error, "a record could not be serialised for its digest");
    }
    hex::encode(hashing.0.finalize())
}

/// One SQLite value serialised exactly as [`row_to_json`] turns it into JSON.
struct JsonCell<'a>(ValueRef<'a>);

impl Serialize for JsonCell<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            ValueRef::Null => serializer.serialize_unit(),
            ValueRef::Integer(number) => serializer.serialize_i64(number),
            // serde_json's Value holds no NaN or infinity: it makes them null.
            ValueRef::Real(number) if number.is_finite() => serializer.serialize_f64(number),
            ValueRef::Real(_) => serializer.serialize_unit(),
            ValueRef::Text(text) => serializer.serialize_str(&String::from_utf8_lossy(text)),
            ValueRef::Blob(bytes) => serializer.serialize_str(&hex::encode(bytes)),
        }
    }
}

/// A row serialised exactly as [`row_to_json`]'s object (keys in sorted order), without building it.
struct JsonRow<'a>(Vec<(&'a str, ValueRef<'a>)>);

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, &JsonCell(*value))?;
        }
        map.end()
    }
}

/// The digest [`digest_json`] gives the object `{head_key: head, rows_key: [rows…]}` (with
/// `head_key` < `rows_key`), where `head` is a value and the rows are what `rows_sql` returns
/// for `key`, each as [`row_to_json`] makes it, but streamed into the hash row by row: a batch
/// of 100,000 lines would otherwise become a tree of a million allocations first.
pub(crate) fn digest_head_and_rows(
    conn: &Connection,
    (head_key, head): (&str, &Value),
    rows_key: &str,
    rows_sql: &str,
    key: &str,
) -> Result<String, StoreError> {
    debug_assert!(head_key < rows_key, "keys must be in sorted order");
    let mut hashing = Hashing(Sha256::new());
    let hash_err = |error: serde_json::Error| corrupt("digest", error);
    hashing.0.update(b"{");
    serde_json::to_writer(&mut hashing, head_key).map_err(hash_err)?;
    hashing.0.update(b":");
    serde_json::to_writer(&mut hashing, head).map_err(hash_err)?;
    hashing.0.update(b",");
    serde_json::to_writer(&mut hashing, rows_key).map_err(hash_err)?;
    hashing.0.update(b":[");
    let mut statement = conn.prepare_cached(rows_sql)?;
    let names: Vec<String> = statement
        .column_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let mut rows = statement.query([key])?;
    let mut first = true;
    while let Some(row) = rows.next()? {
        if !first {
            hashing.0.update(b",");
        }
        first = false;
        let mut cells = Vec::with_capacity(order.len());
        for &index in &order {
            cells.push((names[index].as_str(), row.get_ref(index)?));
        }
        serde_json::to_writer(&mut hashing, &JsonRow(cells)).map_err(hash_err)?;
    }
    hashing.0.update(b"]}");
    Ok(hex::encode(hashing.0.finalize()))
}

struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// sha256 of a row given as its columns, in a fixed order, each written as
/// its name, a zero byte, and its value: `n` for null; `i` or `r` and the
/// eight little-endian bytes of an integer or of a real's IEEE 754 bits;
/// `t` or `b`, the length as eight little-endian bytes and the bytes of a
/// text or a blob. Unambiguous without escaping anything, so a row holding
/// kilobytes of JSON digests at the speed of the hash.
pub(crate) fn row_digest<'a>(columns: impl IntoIterator<Item = (&'a str, ValueRef<'a>)>) -> String {
    let mut hasher = Sha256::new();
    for (name, value) in columns {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        let (tag, bytes): (&[u8], &[u8]) = match value {
            ValueRef::Null => (b"n", &[]),
            ValueRef::Integer(number) => {
                hasher.update(b"i");
                hasher.update(number.to_le_bytes());
                continue;
            }
            ValueRef::Real(number) => {
                hasher.update(b"r");
                hasher.update(number.to_bits().to_le_bytes());
                continue;
            }
            ValueRef::Text(bytes) => (b"t", bytes),
            ValueRef::Blob(bytes) => (b"b", bytes),
        };
        hasher.update(tag);
        if tag != b"n" {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
    }
    hex::encode(hasher.finalize())
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
    fn a_streamed_head_and_rows_digest_is_the_json_records_digest() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (owner TEXT, z INTEGER, a TEXT, m REAL, b BLOB, line INTEGER);
             INSERT INTO t VALUES ('k', 1, 'plain', 1.5, x'00ff', 1);
             INSERT INTO t VALUES ('k', -9, 'quote \" back\\ slash \n é 😀', 1e300, NULL, 2);
             INSERT INTO t VALUES ('k', NULL, NULL, 0.1, x'', 3);
             INSERT INTO t VALUES ('other', 5, 'not mine', 2.0, NULL, 4);",
        )
        .unwrap();
        let sql = "SELECT * FROM t WHERE owner = ?1 ORDER BY line";
        let head = serde_json::json!({"id": "k", "n": 3, "nested": {"b": [1, null], "a": "x"}});
        for key in ["k", "nobody"] {
            let rows = rows_to_json(&conn, sql, key).unwrap();
            let whole = sorted_object(
                [("batch", head.clone()), ("lines", Value::from(rows))]
                    .into_iter()
                    .collect(),
            );
            assert_eq!(
                digest_head_and_rows(&conn, ("batch", &head), "lines", sql, key).unwrap(),
                digest_json(&whole),
                "rows of {key}"
            );
        }
    }

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
    fn timestamps_are_written_as_chrono_writes_them() {
        let chrono = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Nanos, true);
        let mut samples: Vec<DateTime<Utc>> = [
            (0, 1, 1, 0, 0, 0),
            (1999, 12, 31, 23, 59, 59),
            (2024, 2, 29, 12, 0, 7),
            (9999, 12, 31, 23, 59, 59),
            (10_000, 1, 1, 0, 0, 0),
            (-1, 6, 15, 1, 2, 3),
        ]
        .into_iter()
        .map(|(y, mo, d, h, mi, s)| {
            Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
                .single()
                .expect("valid date")
        })
        .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let seconds = (seed % 400_000_000_000) as i64 - 62_000_000_000;
            let nanos = ((seed >> 20) % 1_000_000_000) as u32;
            samples.extend(DateTime::from_timestamp(seconds, nanos));
        }
        // A leap second, which chrono can hold.
        samples.extend(
            chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
                .and_then(|day| day.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
                .map(|at| at.and_utc()),
        );
        for at in samples {
            assert_eq!(timestamp(at), chrono(at), "{at:?}");
        }
    }

    #[test]
    fn a_row_digest_tells_apart_what_json_would_run_together() {
        let digest = |values: [ValueRef<'_>; 2]| row_digest(["a", "b"].into_iter().zip(values));
        let base = digest([ValueRef::Text(b"x"), ValueRef::Text(b"y")]);
        for other in [
            [ValueRef::Text(b"xy"), ValueRef::Text(b"")],
            [ValueRef::Text(b"x"), ValueRef::Blob(b"y")],
            [ValueRef::Text(b"x"), ValueRef::Null],
            [ValueRef::Text(b"x"), ValueRef::Text(b"n")],
            [ValueRef::Integer(1), ValueRef::Text(b"y")],
            [ValueRef::Real(1.0), ValueRef::Text(b"y")],
        ] {
            assert_ne!(digest(other), base, "{other:?}");
        }
        assert_ne!(
            row_digest([("ab", ValueRef::Null)]),
            row_digest([("a", ValueRef::Text(b"b"))])
        );
        assert_eq!(base, digest([ValueRef::Text(b"x"), ValueRef::Text(b"y")]));
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
