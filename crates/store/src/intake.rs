//! Devices and their intakes: recording what a bench found, and reading a
//! device's history back.
//!
//! A device's intakes are only ever appended; what a device is "now" is its
//! latest intake, derived on reading (the `device_current` view).
//!
//! An intake is one row: its test results and raw evidence lines are JSON
//! arrays in the row (schema version 7), so recording one writes the intake,
//! its audit entry and, for a device seen for the first time, the device and
//! its entry.

use chrono::{DateTime, Utc};
use refurbdesk_domain::{
    BatteryAssessment, BatteryVerdictKind, DeviceCategory, DeviceIdentity, LockAssessment,
    LockVerdictKind,
};
pub use refurbdesk_domain::{Direction, EvidenceLine};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Chain, Entity, INTAKE_FORMAT_ROW};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, row_digest, text_column, timestamp,
};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::Store;

/// The bench an intake ran on, as its `HELLO` reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchInfo {
    pub serial: String,
    pub vendor: String,
    pub model: String,
    pub fw: String,
    /// The serial port it was connected to, e.g. `/dev/ttyACM0`.
    pub port: String,
}

/// The outcome of one bench test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestRecord {
    pub name: String,
    /// `pass`, `fail` or `skip`.
    pub outcome: String,
    pub detail: Option<String>,
}

/// Everything one intake of one device found, ready to be recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewIntake {
    pub bench: BenchInfo,
    pub slot: u16,
    pub identity: DeviceIdentity,
    pub battery: BatteryAssessment,
    pub lock: LockAssessment,
    pub tests: Vec<TestRecord>,
    pub evidence: Vec<EvidenceLine>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// The operator who ran it; must be allowed to record intakes.
    pub operator: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeSummary {
    pub intake_id: Uuid,
    pub device_id: Uuid,
    /// False when the device was recognised from an earlier intake.
    pub new_device: bool,
}

/// A recorded intake, with everything it was recorded from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeRecord {
    pub id: Uuid,
    pub device_id: Uuid,
    pub bench_id: Uuid,
    pub station_id: Uuid,
    pub bench: BenchInfo,
    pub slot: u16,
    pub identity: DeviceIdentity,
    pub battery: BatteryAssessment,
    pub lock: LockAssessment,
    pub tests: Vec<TestRecord>,
    pub evidence: Vec<EvidenceLine>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub operator: String,
}

/// A device as first recorded (and completed with an IMEI or serial learnt
/// later); its condition lives in its intakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub id: Uuid,
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    pub model_code: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub imei_valid: Option<bool>,
    pub first_seen: DateTime<Utc>,
    pub station_id: Uuid,
}

/// Which devices [`Store::list_devices`] returns. Verdicts, `since` and
/// `operator` apply to each device's latest intake; unset fields match all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceFilter {
    pub imei: Option<String>,
    pub serial: Option<String>,
    pub battery_verdict: Option<BatteryVerdictKind>,
    pub lock_verdict: Option<LockVerdictKind>,
    /// Latest intake started at or after this moment.
    pub since: Option<DateTime<Utc>>,
    pub operator: Option<String>,
    /// The outcome of the device's latest grade (`sellable`, `repair`, `hold`,
    /// `blocked`, `recycle`); a device never graded does not match.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The listing grade of the device's latest grade (`PREMIUM` … `STALLONE`).
    #[serde(default)]
    pub listing_grade: Option<String>,
    /// `None` returns every match.
    pub limit: Option<u32>,
    /// Rows skipped before the page starts (after `after`, if both are set).
    /// Each skipped row costs about as much as one shown; to page through a
    /// long list use `after` instead.
    pub offset: u32,
    /// Starts the page right after this row of the previous page (usually
    /// its last: [`DeviceRow::cursor`]). Costs the same whatever the depth.
    #[serde(default)]
    pub after: Option<DeviceCursor>,
}

/// A position in the device list, which is ordered by each device's latest
/// intake, newest first: the start time and id of that intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceCursor {
    pub last_intake_at: DateTime<Utc>,
    pub last_intake_id: Uuid,
}

/// One line of the device list: the device and its latest intake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceRow {
    pub id: Uuid,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub last_intake_id: Uuid,
    pub last_intake_at: DateTime<Utc>,
    pub last_operator: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub battery_verdict: BatteryVerdictKind,
    pub soh_pct: Option<f64>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub lock_verdict: LockVerdictKind,
    pub intake_count: u32,
    /// The outcome of the device's latest grade; `None` until it is graded.
    pub outcome: Option<String>,
    /// The listing grade of the device's latest grade; `None` until it is graded.
    pub listing_grade: Option<String>,
}

impl DeviceRow {
    /// Where the list continues after this row.
    pub fn cursor(&self) -> DeviceCursor {
        DeviceCursor {
            last_intake_at: self.last_intake_at,
            last_intake_id: self.last_intake_id,
        }
    }
}

const TEST_OUTCOMES: [&str; 3] = ["pass", "fail", "skip"];

/// The devices and latest intakes of a page of intake rowids (the `{page}`),
/// with the columns of the `device_current` view that [`DeviceRow`] is read
/// from.
const DEVICE_ROW_SELECT: &str = "SELECT d.id AS id, d.category AS category, d.make AS make,
        d.model AS model, d.serial AS serial, d.imei AS imei,
        i.id AS last_intake_id, i.started_at AS last_intake_at, i.operator AS last_operator,
        i.battery_verdict AS battery_verdict, i.soh_pct AS soh_pct,
        i.lock_verdict AS lock_verdict,
        (SELECT COUNT(*) FROM intakes c WHERE c.device_id = d.id) AS intake_count,
        g.outcome AS outcome, g.listing_grade AS listing_grade
    FROM ({page}) AS page
    JOIN intakes i ON i.rowid = page.intake_rowid
    JOIN devices d ON d.id = i.device_id
    LEFT JOIN grades g ON g.id = (SELECT x.id FROM grades x WHERE x.device_id = d.id
        ORDER BY x.graded_at DESC, x.id DESC LIMIT 1)
    ORDER BY i.started_at DESC, i.id DESC";

/// Keeps only the intake that is its device's latest (by start time, then
/// id, as in the `device_current` view).
const LATEST_INTAKE_ONLY: &str =
    "i.id = (SELECT x.id FROM intakes x WHERE x.device_id = i.device_id
        ORDER BY x.started_at DESC, x.id DESC LIMIT 1)";

impl Store {
    /// Records an intake in one transaction: the bench, the device (found
    /// by IMEI, else by make and serial, else new), the intake with its
    /// tests and evidence, and their audit entries. A crash leaves either
    /// all of it or none.
    pub fn record_intake(&mut self, intake: &NewIntake) -> Result<IntakeSummary, StoreError> {
        validate(intake)?;
        let station_id = self.station_id;
        let serialized = SerializedIntake::new(intake)?;
        let summary = self.write("record an intake", |tx| {
            authorize(tx, &intake.operator, Action::Intake)?;
            let mut chain = Chain::head(tx)?;
            let bench_id = upsert_bench(tx, &mut chain, station_id, intake)?;
            let (device_id, new_device) =
                find_or_create_device(tx, &mut chain, station_id, intake)?;
            let intake_id = insert_intake(
                tx,
                &mut chain,
                station_id,
                bench_id,
                device_id,
                intake,
                &serialized,
            )?;
            Ok(IntakeSummary {
                intake_id,
                device_id,
                new_device,
            })
        })?;
        self.intakes_written(1);
        Ok(summary)
    }

    /// Finds a device by IMEI, serial, intake id or device id.
    pub fn find_device(&self, reference: &str) -> Result<Option<DeviceRecord>, StoreError> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Ok(None);
        }
        if let Ok(id) = Uuid::parse_str(reference) {
            let by_id = self
                .conn
                .query_row(
                    "SELECT device_id FROM intakes WHERE id = ?1
                     UNION ALL SELECT id FROM devices WHERE id = ?1
                     LIMIT 1",
                    [id_text(id)],
                    |row| row.get::<_, String>(0),
                )
                .optional()?;
            if let Some(device_id) = by_id {
                return self.device(parse_uuid(&device_id, "intakes.device_id")?);
            }
        }
        let mut by_imei = self
            .conn
            .prepare_cached("SELECT * FROM devices WHERE imei = ?1")?;
        if let Some(row) = by_imei.query([reference])?.next()? {
            return device_from_row(row).map(Some);
        }
        let mut by_serial = self
            .conn
            .prepare_cached("SELECT * FROM devices WHERE serial = ?1 ORDER BY first_seen, id")?;
        let mut rows = by_serial.query([reference])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(device_from_row(row)?);
        }
        match found.len() {
            0 | 1 => Ok(found.pop()),
            count => Err(StoreError::AmbiguousReference {
                reference: reference.to_owned(),
                count,
            }),
        }
    }

    /// The device with this id.
    pub fn device(&self, id: Uuid) -> Result<Option<DeviceRecord>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM devices WHERE id = ?1")?;
        let mut rows = statement.query([id_text(id)])?;
        rows.next()?.map(device_from_row).transpose()
    }

    /// The intake with this id.
    pub fn intake(&self, id: Uuid) -> Result<Option<IntakeRecord>, StoreError> {
        read_intake(&self.conn, &id_text(id))
    }

    /// The device's most recent intake, by start time.
    pub fn latest_intake(&self, device_id: Uuid) -> Result<Option<IntakeRecord>, StoreError> {
        let latest: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM intakes WHERE device_id = ?1
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                [id_text(device_id)],
                |row| row.get(0),
            )
            .optional()?;
        match latest {
            Some(id) => read_intake(&self.conn, &id),
            None => Ok(None),
        }
    }

    /// The oldest intake recorded from the bench `bench_serial` that kept `line`, exactly, among
    /// its evidence lines: how the workstation finds a reading it already recorded (a laptop
    /// agent's file names its reading id in a line of its own). Reads the existing columns; no
    /// index serves it, so it looks at that bench's intakes one by one.
    pub fn intake_with_evidence_line(
        &self,
        bench_serial: &str,
        line: &str,
    ) -> Result<Option<Uuid>, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT i.id FROM intakes i JOIN benches b ON b.id = i.bench_id
                 WHERE b.serial = ?1
                   AND EXISTS (SELECT 1 FROM json_each(i.evidence_json) e
                               WHERE json_extract(e.value, '$[2]') = ?2)
                 ORDER BY i.started_at, i.id LIMIT 1",
                rusqlite::params![bench_serial, line],
                |row| row.get(0),
            )
            .optional()?;
        id.map(|id| parse_uuid(&id, "intakes.id")).transpose()
    }

    /// Every intake of the device, oldest first.
    pub fn intakes_for_device(&self, device_id: Uuid) -> Result<Vec<IntakeRecord>, StoreError> {
        // One snapshot, so an intake recorded meanwhile is seen whole or not at all.
        let snapshot = self.conn.unchecked_transaction()?;
        let ids: Vec<String> = snapshot
            .prepare_cached("SELECT id FROM intakes WHERE device_id = ?1 ORDER BY started_at, id")?
            .query_map([id_text(device_id)], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut intakes = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(intake) = read_intake(&snapshot, &id)? {
                intakes.push(intake);
            }
        }
        Ok(intakes)
    }

    /// Devices with their latest intake, newest intake first.
    pub fn list_devices(&self, filter: &DeviceFilter) -> Result<Vec<DeviceRow>, StoreError> {
        let (page, values) = list_page_sql(filter);
        let sql = DEVICE_ROW_SELECT.replace("{page}", &page);
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(values))?;
        let mut devices = Vec::new();
        while let Some(row) = rows.next()? {
            devices.push(device_row_from_row(row)?);
        }
        Ok(devices)
    }
}

/// The query that picks a page of the device list, as the rowids of the
/// latest intakes shown, and its parameters.
///
/// Same rows as the `device_current` view, but walked from the intakes in
/// time order, so that a page of the newest devices reads a page of index
/// entries instead of deriving the latest intake of every device first. The
/// indexes it walks (schema version 7) hold the other filters' columns and
/// the device id, so an intake that is skipped, because it does not match or
/// is not its device's latest, costs an index entry and one probe of
/// `intakes_device_latest`, never a read of its row or its device: those are
/// read for the rows shown only.
fn list_page_sql(filter: &DeviceFilter) -> (String, Vec<SqlValue>) {
    let mut conditions = vec![LATEST_INTAKE_ONLY.to_owned()];
    let mut values: Vec<SqlValue> = Vec::new();
    let mut condition = |sql: &str, value: SqlValue| {
        values.push(value);
        conditions.push(format!("{sql} ?{}", values.len()));
    };
    if let Some(imei) = &filter.imei {
        condition("d.imei =", SqlValue::Text(imei.clone()));
    }
    if let Some(serial) = &filter.serial {
        condition("d.serial =", SqlValue::Text(serial.clone()));
    }
    if let Some(verdict) = filter.battery_verdict {
        condition(
            "i.battery_verdict =",
            SqlValue::Text(verdict.as_str().to_owned()),
        );
    }
    if let Some(verdict) = filter.lock_verdict {
        condition(
            "i.lock_verdict =",
            SqlValue::Text(verdict.as_str().to_owned()),
        );
    }
    if let Some(since) = filter.since {
        condition("i.started_at >=", SqlValue::Text(timestamp(since)));
    }
    if let Some(operator) = &filter.operator {
        condition("i.operator =", SqlValue::Text(operator.clone()));
    }
    // Tested last, so that only the intakes the other filters keep probe the
    // grades: one search of `grades_device_latest` each.
    if let Some(outcome) = &filter.outcome {
        condition(
            &latest_grade_column("outcome"),
            SqlValue::Text(outcome.clone()),
        );
    }
    if let Some(grade) = &filter.listing_grade {
        condition(
            &latest_grade_column("listing_grade"),
            SqlValue::Text(grade.clone()),
        );
    }
    if let Some(after) = filter.after {
        values.push(SqlValue::Text(timestamp(after.last_intake_at)));
        values.push(SqlValue::Text(id_text(after.last_intake_id)));
        // A row value, so the index walk starts at the cursor instead of
        // passing over every row before it.
        conditions.push(format!(
            "(i.started_at, i.id) < (?{}, ?{})",
            values.len() - 1,
            values.len()
        ));
    }
    let devices = if filter.imei.is_some() || filter.serial.is_some() {
        "JOIN devices d ON d.id = i.device_id"
    } else {
        ""
    };
    values.push(SqlValue::Integer(filter.limit.map_or(-1, i64::from)));
    values.push(SqlValue::Integer(i64::from(filter.offset)));
    let sql = format!(
        "SELECT i.rowid AS intake_rowid FROM intakes i {devices} WHERE {} \
         ORDER BY i.started_at DESC, i.id DESC LIMIT ?{} OFFSET ?{}",
        conditions.join(" AND "),
        values.len() - 1,
        values.len()
    );
    (sql, values)
}

/// `column` of the latest grade of the intake `i`'s device, compared with `=`.
fn latest_grade_column(column: &str) -> String {
    format!(
        "(SELECT g.{column} FROM grades g WHERE g.device_id = i.device_id \
         ORDER BY g.graded_at DESC, g.id DESC LIMIT 1) ="
    )
}

/// The parts of an intake stored as text, made once before the transaction
/// so a retry does not redo them.
pub(crate) struct SerializedIntake {
    bench: String,
    identity: String,
    battery: String,
    lock: String,
    tests: String,
    evidence: String,
    started_at: String,
    finished_at: String,
}

impl SerializedIntake {
    pub(crate) fn new(intake: &NewIntake) -> Result<Self, StoreError> {
        fn json<T: Serialize + ?Sized>(value: &T, field: &str) -> Result<String, StoreError> {
            serde_json::to_string(value).map_err(|error| StoreError::InvalidIntake {
                field: field.to_owned(),
                reason: format!("cannot be stored as JSON: {error}"),
            })
        }
        Ok(SerializedIntake {
            bench: json(&intake.bench, "bench")?,
            identity: json(&intake.identity, "identity")?,
            battery: json(&intake.battery, "battery")?,
            lock: json(&intake.lock, "lock")?,
            tests: json(&TestsJson(&intake.tests), "tests")?,
            evidence: json(&EvidenceJson(&intake.evidence), "evidence")?,
            started_at: timestamp(intake.started_at),
            finished_at: timestamp(intake.finished_at),
        })
    }
}

/// `intakes.tests_json`: `[[name, outcome, detail], ...]` in recorded order,
/// detail `null` when there is none.
struct TestsJson<'a>(&'a [TestRecord]);

impl Serialize for TestsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .map(|test| (&test.name, &test.outcome, &test.detail)),
        )
    }
}

/// `intakes.evidence_json`: `[[at, direction, line], ...]` in recorded
/// order, `at` as the store writes every timestamp.
struct EvidenceJson<'a>(&'a [EvidenceLine]);

impl Serialize for EvidenceJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .map(|line| (timestamp(line.at), line.direction.as_str(), &line.line)),
        )
    }
}

/// An intake row as inserted, in format 2: the columns the audit digest
/// covers, with the types they are stored with, so that the digest is taken
/// here without reading the row back. `Store::check` recomputes it from the
/// stored row (`audit::record_digest`).
struct IntakeRow<'a> {
    battery_json: &'a str,
    battery_verdict: &'a str,
    bench_id: &'a str,
    bench_json: &'a str,
    cycles: Option<u32>,
    device_id: &'a str,
    evidence_json: &'a str,
    finished_at: &'a str,
    id: &'a str,
    identity_json: &'a str,
    lock_json: &'a str,
    lock_verdict: &'a str,
    operator: &'a str,
    record_format: i64,
    slot: u16,
    soh_pct: Option<f64>,
    started_at: &'a str,
    station_id: &'a str,
    tests_json: &'a str,
}

impl IntakeRow<'_> {
    /// The digest of the row once stored: its columns in the order of
    /// `audit::INTAKE_SELECT`, as SQLite gives them back.
    fn digest(&self) -> String {
        fn text(value: &str) -> ValueRef<'_> {
            ValueRef::Text(value.as_bytes())
        }
        let integer = |value: Option<i64>| value.map_or(ValueRef::Null, ValueRef::Integer);
        row_digest([
            ("battery_json", text(self.battery_json)),
            ("battery_verdict", text(self.battery_verdict)),
            ("bench_id", text(self.bench_id)),
            ("bench_json", text(self.bench_json)),
            ("cycles", integer(self.cycles.map(i64::from))),
            ("device_id", text(self.device_id)),
            ("evidence_json", text(self.evidence_json)),
            ("finished_at", text(self.finished_at)),
            ("id", text(self.id)),
            ("identity_json", text(self.identity_json)),
            ("lock_json", text(self.lock_json)),
            ("lock_verdict", text(self.lock_verdict)),
            ("operator", text(self.operator)),
            ("record_format", ValueRef::Integer(self.record_format)),
            ("slot", ValueRef::Integer(i64::from(self.slot))),
            (
                "soh_pct",
                self.soh_pct.map_or(ValueRef::Null, ValueRef::Real),
            ),
            ("started_at", text(self.started_at)),
            ("station_id", text(self.station_id)),
            ("tests_json", text(self.tests_json)),
        ])
    }
}

pub(crate) fn validate(intake: &NewIntake) -> Result<(), StoreError> {
    let refuse = |field: &str, reason: String| {
        Err(StoreError::InvalidIntake {
            field: field.to_owned(),
            reason,
        })
    };
    if intake.operator.trim().is_empty() {
        return refuse(
            "operator",
            "is empty; name the operator who ran the intake".to_owned(),
        );
    }
    if intake.bench.serial.trim().is_empty() {
        return refuse(
            "bench.serial",
            "is empty; the bench's HELLO answer must give its serial".to_owned(),
        );
    }
    if intake.slot == 0 {
        return refuse("slot", "is 0; bench slots are numbered from 1".to_owned());
    }
    if intake.finished_at < intake.started_at {
        return refuse(
            "finished_at",
            format!(
                "({}) is before started_at ({}); check the station's clock",
                timestamp(intake.finished_at),
                timestamp(intake.started_at)
            ),
        );
    }
    for (index, test) in intake.tests.iter().enumerate() {
        if test.name.trim().is_empty() {
            return refuse(&format!("tests[{index}].name"), "is empty".to_owned());
        }
        if !TEST_OUTCOMES.contains(&test.outcome.as_str()) {
            return refuse(
                &format!("tests[{index}].outcome"),
                format!(
                    "of test {:?} is {:?}; use pass, fail or skip",
                    test.name, test.outcome
                ),
            );
        }
    }
    Ok(())
}

/// An identifier that can recognise a device again; blank ones cannot.
fn usable(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.trim().is_empty())
}

pub(crate) fn upsert_bench(
    tx: &Connection,
    chain: &mut Chain,
    station_id: Uuid,
    intake: &NewIntake,
) -> Result<Uuid, StoreError> {
    upsert_bench_seen(
        tx,
        chain,
        station_id,
        &intake.bench,
        &intake.operator,
        intake.started_at,
        intake.finished_at,
    )
}

/// Registers the bench, or brings its row up to date: `first_seen` only
/// counts for a bench seen for the first time, `last_seen` only if later.
pub(crate) fn upsert_bench_seen(
    tx: &Connection,
    chain: &mut Chain,
    station_id: Uuid,
    bench: &BenchInfo,
    operator: &str,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
) -> Result<Uuid, StoreError> {
    let existing: Option<String> = tx
        .prepare_cached("SELECT id FROM benches WHERE serial = ?1")?
        .query_row([&bench.serial], |row| row.get(0))
        .optional()?;
    match existing {
        Some(id) => {
            let id = parse_uuid(&id, "benches.id")?;
            let before = audit::record_digest(tx, Entity::Bench, id)?;
            // last_seen never moves back, in case an older intake is
            // recorded late.
            tx.execute(
                "UPDATE benches SET vendor = ?1, model = ?2, fw = ?3, last_port = ?4,
                        last_seen = MAX(last_seen, ?5)
                 WHERE id = ?6",
                rusqlite::params![
                    bench.vendor,
                    bench.model,
                    bench.fw,
                    bench.port,
                    timestamp(last_seen),
                    id_text(id)
                ],
            )?;
            let after = audit::record_digest(tx, Entity::Bench, id)?;
            if after != before {
                chain.append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator,
                        action: "bench.updated",
                        entity: Entity::Bench,
                        entity_id: id,
                        before,
                        after,
                    },
                )?;
            }
            Ok(id)
        }
        None => {
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO benches (id, serial, vendor, model, fw, last_port, first_seen,
                                      last_seen, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    id_text(id),
                    bench.serial,
                    bench.vendor,
                    bench.model,
                    bench.fw,
                    bench.port,
                    timestamp(first_seen),
                    timestamp(last_seen),
                    id_text(station_id)
                ],
            )?;
            chain.append(
                tx,
                station_id,
                AuditWrite {
                    operator,
                    action: "bench.registered",
                    entity: Entity::Bench,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Bench, id)?,
                },
            )?;
            Ok(id)
        }
    }
}

/// Recognising a device: each is one probe of a unique index
/// (`devices_unique_imei`, `devices_unique_serial_make`).
const DEVICE_BY_IMEI: &str = "SELECT id, serial, imei FROM devices WHERE imei = ?1";
const DEVICE_BY_MAKE_SERIAL: &str =
    "SELECT id, serial, imei FROM devices WHERE make = ?1 AND serial = ?2";

/// A device row found while recognising a device.
struct KnownDevice {
    id: Uuid,
    serial: Option<String>,
    imei: Option<String>,
}

fn known_device(
    tx: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Option<KnownDevice>, StoreError> {
    let row: Option<(String, Option<String>, Option<String>)> = tx
        .prepare_cached(sql)?
        .query_row(params, |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    row.map(|(id, serial, imei)| {
        Ok(KnownDevice {
            id: parse_uuid(&id, "devices.id")?,
            serial,
            imei,
        })
    })
    .transpose()
}

/// Recognises the device by IMEI (whether or not it passed its check, as
/// the bench read it), else by make and serial; a device with neither
/// cannot be recognised and gets a new record every time. An identifier
/// missing from the record but read now is filled in, never replaced.
pub(crate) fn find_or_create_device(
    tx: &Connection,
    chain: &mut Chain,
    station_id: Uuid,
    intake: &NewIntake,
) -> Result<(Uuid, bool), StoreError> {
    let identity = &intake.identity;
    let imei = usable(&identity.imei);
    let serial = usable(&identity.serial);

    let by_imei = match imei {
        Some(imei) => known_device(tx, DEVICE_BY_IMEI, [imei])?,
        None => None,
    };
    // A device known by its IMEI, with nothing to fill in, needs no second
    // lookup: that is every re-test of a phone.
    if let Some(device) = &by_imei {
        if device.serial.is_some() || serial.is_none() {
            return Ok((device.id, false));
        }
    }
    let by_serial = match serial {
        Some(serial) => known_device(tx, DEVICE_BY_MAKE_SERIAL, [identity.make.as_str(), serial])?,
        None => None,
    };

    let fill = match (by_imei, by_serial, imei, serial) {
        (Some(device), by_serial, _, Some(serial)) if device.serial.is_none() => {
            // Only when no other device already owns that serial.
            if by_serial.is_some() {
                return Ok((device.id, false));
            }
            Some((device.id, "serial", serial))
        }
        (Some(device), _, _, _) => return Ok((device.id, false)),
        (None, Some(device), Some(imei), _) => match &device.imei {
            None => Some((device.id, "imei", imei)),
            Some(existing) => {
                return Err(StoreError::IdentityConflict {
                    imei: imei.to_owned(),
                    make: identity.make.clone(),
                    serial: device.serial.clone().unwrap_or_default(),
                    existing_device: device.id,
                    existing_imei: existing.clone(),
                })
            }
        },
        (None, Some(device), None, _) => return Ok((device.id, false)),
        (None, None, _, _) => None,
    };

    if let Some((id, column, value)) = fill {
        let before = audit::record_digest(tx, Entity::Device, id)?;
        if column == "imei" {
            tx.execute(
                "UPDATE devices SET imei = ?1, imei_valid = ?2 WHERE id = ?3",
                rusqlite::params![value, identity.imei_valid, id_text(id)],
            )?;
        } else {
            tx.execute(
                "UPDATE devices SET serial = ?1 WHERE id = ?2",
                rusqlite::params![value, id_text(id)],
            )?;
        }
        chain.append(
            tx,
            station_id,
            AuditWrite {
                operator: &intake.operator,
                action: "device.identified",
                entity: Entity::Device,
                entity_id: id,
                before,
                after: audit::record_digest(tx, Entity::Device, id)?,
            },
        )?;
        return Ok((id, false));
    }

    let id = Uuid::now_v7();
    tx.prepare_cached(
        "INSERT INTO devices (id, category, make, model, model_code, serial, imei, imei_valid,
                              first_seen, station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        id_text(id),
        identity.category.as_str(),
        identity.make,
        identity.model,
        identity.model_code,
        serial,
        imei,
        imei.and(identity.imei_valid),
        timestamp(intake.started_at),
        id_text(station_id)
    ])?;
    chain.append(
        tx,
        station_id,
        AuditWrite {
            operator: &intake.operator,
            action: "device.registered",
            entity: Entity::Device,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::Device, id)?,
        },
    )?;
    Ok((id, true))
}

pub(crate) fn insert_intake(
    tx: &Connection,
    chain: &mut Chain,
    station_id: Uuid,
    bench_id: Uuid,
    device_id: Uuid,
    intake: &NewIntake,
    serialized: &SerializedIntake,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let (id_string, device, bench, station) = (
        id_text(id),
        id_text(device_id),
        id_text(bench_id),
        id_text(station_id),
    );
    let row = IntakeRow {
        battery_json: &serialized.battery,
        battery_verdict: intake.battery.verdict.as_str(),
        bench_id: &bench,
        bench_json: &serialized.bench,
        cycles: intake.battery.reading.cycles,
        device_id: &device,
        evidence_json: &serialized.evidence,
        finished_at: &serialized.finished_at,
        id: &id_string,
        identity_json: &serialized.identity,
        lock_json: &serialized.lock,
        lock_verdict: intake.lock.verdict.as_str(),
        operator: &intake.operator,
        record_format: INTAKE_FORMAT_ROW,
        slot: intake.slot,
        // SQLite has no NaN, and keeps -0.0 as 0: a non-finite figure is no
        // figure, and a zero is stored as the zero it reads back.
        soh_pct: intake
            .battery
            .soh_pct
            .filter(|pct| pct.is_finite())
            .map(|pct| if pct == 0.0 { 0.0 } else { pct }),
        started_at: &serialized.started_at,
        station_id: &station,
        tests_json: &serialized.tests,
    };
    tx.prepare_cached(
        "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at, operator,
                              station_id, bench_json, identity_json, battery_json, lock_json,
                              battery_verdict, lock_verdict, soh_pct, cycles, tests_json,
                              evidence_json, record_format)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19)",
    )?
    .execute(rusqlite::params![
        row.id,
        row.device_id,
        row.bench_id,
        row.slot,
        row.started_at,
        row.finished_at,
        row.operator,
        row.station_id,
        row.bench_json,
        row.identity_json,
        row.battery_json,
        row.lock_json,
        row.battery_verdict,
        row.lock_verdict,
        row.soh_pct,
        row.cycles,
        row.tests_json,
        row.evidence_json,
        row.record_format,
    ])?;

    chain.append(
        tx,
        station_id,
        AuditWrite {
            operator: &intake.operator,
            action: "intake.recorded",
            entity: Entity::Intake,
            entity_id: id,
            before: None,
            after: Some(row.digest()),
        },
    )?;
    Ok(id)
}

fn from_json<T: DeserializeOwned>(text: &str, location: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|error| corrupt(location, error))
}

fn read_intake(conn: &Connection, id: &str) -> Result<Option<IntakeRecord>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM intakes WHERE id = ?1")?;
    let mut rows = statement.query([id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let where_ = |column: &str| format!("intakes.{column} of intake {id}");
    let text = |column: &str| text_column(row, column, "intakes");

    let tests: Vec<(String, String, Option<String>)> =
        from_json(&text("tests_json")?, &where_("tests_json"))?;
    let lines: Vec<(String, String, String)> =
        from_json(&text("evidence_json")?, &where_("evidence_json"))?;
    let mut evidence = Vec::with_capacity(lines.len());
    for (at, direction, line) in lines {
        let location = where_("evidence_json");
        evidence.push(EvidenceLine {
            at: parse_timestamp(&at, &location)?,
            direction: Direction::from_word(&direction).ok_or_else(|| {
                corrupt(
                    &location,
                    format!("direction {direction:?} is not host or bench"),
                )
            })?,
            line,
        });
    }

    Ok(Some(IntakeRecord {
        id: parse_uuid(&text("id")?, &where_("id"))?,
        device_id: parse_uuid(&text("device_id")?, &where_("device_id"))?,
        bench_id: parse_uuid(&text("bench_id")?, &where_("bench_id"))?,
        station_id: parse_uuid(&text("station_id")?, &where_("station_id"))?,
        bench: from_json(&text("bench_json")?, &where_("bench_json"))?,
        slot: row
            .get::<_, u16>("slot")
            .map_err(|error| corrupt(where_("slot"), error))?,
        identity: from_json(&text("identity_json")?, &where_("identity_json"))?,
        battery: from_json(&text("battery_json")?, &where_("battery_json"))?,
        lock: from_json(&text("lock_json")?, &where_("lock_json"))?,
        tests: tests
            .into_iter()
            .map(|(name, outcome, detail)| TestRecord {
                name,
                outcome,
                detail,
            })
            .collect(),
        evidence,
        started_at: parse_timestamp(&text("started_at")?, &where_("started_at"))?,
        finished_at: parse_timestamp(&text("finished_at")?, &where_("finished_at"))?,
        operator: text("operator")?,
    }))
}

pub(crate) fn device_from_row(row: &Row<'_>) -> Result<DeviceRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "devices");
    let optional = |column: &str| optional_text_column(row, column, "devices");
    let category = text("category")?;
    Ok(DeviceRecord {
        id: parse_uuid(&text("id")?, "devices.id")?,
        category: category
            .parse()
            .map_err(|error| corrupt("devices.category", error))?,
        make: text("make")?,
        model: text("model")?,
        model_code: optional("model_code")?,
        serial: optional("serial")?,
        imei: optional("imei")?,
        imei_valid: row
            .get::<_, Option<bool>>("imei_valid")
            .map_err(|error| corrupt("devices.imei_valid", error))?,
        first_seen: parse_timestamp(&text("first_seen")?, "devices.first_seen")?,
        station_id: parse_uuid(&text("station_id")?, "devices.station_id")?,
    })
}

fn device_row_from_row(row: &Row<'_>) -> Result<DeviceRow, StoreError> {
    let text = |column: &str| text_column(row, column, "device_current");
    let category = text("category")?;
    let battery_verdict = text("battery_verdict")?;
    let lock_verdict = text("lock_verdict")?;
    Ok(DeviceRow {
        id: parse_uuid(&text("id")?, "devices.id")?,
        category: category
            .parse()
            .map_err(|error| corrupt("devices.category", error))?,
        make: text("make")?,
        model: text("model")?,
        serial: optional_text_column(row, "serial", "devices")?,
        imei: optional_text_column(row, "imei", "devices")?,
        last_intake_id: parse_uuid(&text("last_intake_id")?, "intakes.id")?,
        last_intake_at: parse_timestamp(&text("last_intake_at")?, "intakes.started_at")?,
        last_operator: text("last_operator")?,
        battery_verdict: battery_verdict
            .parse()
            .map_err(|error| corrupt("intakes.battery_verdict", error))?,
        soh_pct: row
            .get::<_, Option<f64>>("soh_pct")
            .map_err(|error| corrupt("intakes.soh_pct", error))?,
        lock_verdict: lock_verdict
            .parse()
            .map_err(|error| corrupt("intakes.lock_verdict", error))?,
        intake_count: row
            .get::<_, u32>("intake_count")
            .map_err(|error| corrupt("device_current.intake_count", error))?,
        outcome: optional_text_column(row, "outcome", "grades")?,
        listing_grade: optional_text_column(row, "listing_grade", "grades")?,
    })
}

/// Intakes as the store recorded them before schema version 7, one row per
/// test result and evidence line, for the tests of the upgrade.
#[cfg(test)]
pub(crate) mod legacy {
    use chrono::{TimeZone, Utc};
    use refurbdesk_domain::{
        assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
        CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
    };
    use rusqlite::Connection;
    use serde_json::Value;
    use uuid::Uuid;

    use super::*;
    use crate::codec::{digest_json, rows_to_json, sorted_object};

    /// A phone intake whose tests and lines hold what JSON must escape.
    pub(crate) fn sample(imei: &str, minute: i64) -> NewIntake {
        let at = Utc
            .with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
            .single()
            .expect("valid date")
            + chrono::Duration::minutes(minute);
        let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
        identity.imei = Some(imei.to_owned());
        identity.serial = Some(format!("SN-{imei}"));
        let battery = assess_battery(
            &BatteryReading {
                present: Some(true),
                design_mah: Some(2815),
                full_mah: Some(2400 - minute as u32),
                cycles: Some(300),
                ..BatteryReading::default()
            },
            &identity,
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        let lock = assess_lock(&LockReading {
            activation: ActivationLock::Unlocked,
            account: AccountLock::None,
            mdm: MdmState::None,
            carrier: CarrierLock::Unlocked,
        });
        let line = |n: i64, direction: Direction, text: &str| EvidenceLine {
            at: at + chrono::Duration::nanoseconds(n * 1_000_001),
            direction,
            line: text.to_owned(),
        };
        NewIntake {
            bench: BenchInfo {
                serial: "PB8-0001".to_owned(),
                vendor: "Acme".to_owned(),
                model: "PB-8".to_owned(),
                fw: "1.0".to_owned(),
                port: "/dev/ttyACM0".to_owned(),
            },
            slot: 1,
            identity,
            battery,
            lock,
            tests: vec![
                TestRecord {
                    name: "wifi".to_owned(),
                    outcome: "pass".to_owned(),
                    detail: None,
                },
                TestRecord {
                    name: "mic".to_owned(),
                    outcome: "fail".to_owned(),
                    detail: Some("kein \"Mikrofon\" — 無\tnoise\\".to_owned()),
                },
            ],
            evidence: vec![
                line(0, Direction::Host, "2 IDENT 3*74"),
                line(
                    1,
                    Direction::Bench,
                    "3 OK model=\"iPhone 12\" path=C:\\x*1F",
                ),
                line(2, Direction::Bench, ""),
                line(3, Direction::Bench, "! RESULT 8 mic FAIL \u{1}\r\n*00"),
            ],
            started_at: at,
            finished_at: at + chrono::Duration::seconds(60),
            operator: "ana".to_owned(),
        }
    }

    /// Records `intake` exactly as the store did at schema versions 1 to 6:
    /// the intake row without arrays, its tests and evidence lines as rows,
    /// and an audit entry whose digest covers those rows.
    pub(crate) fn record_intake(store: &mut Store, intake: &NewIntake) -> IntakeSummary {
        let station_id = store.station_id;
        let serialized = SerializedIntake::new(intake).expect("serialises");
        store
            .write("record an intake as before version 7", |tx| {
                let mut chain = Chain::head(tx)?;
                let bench_id = upsert_bench(tx, &mut chain, station_id, intake)?;
                let (device_id, new_device) =
                    find_or_create_device(tx, &mut chain, station_id, intake)?;
                let id = Uuid::now_v7();
                let id_string = id_text(id);
                tx.execute(
                    "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at,
                                          operator, station_id, bench_json, identity_json,
                                          battery_json, lock_json, battery_verdict, lock_verdict,
                                          soh_pct, cycles)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                             ?16)",
                    rusqlite::params![
                        id_string,
                        id_text(device_id),
                        id_text(bench_id),
                        intake.slot,
                        serialized.started_at,
                        serialized.finished_at,
                        intake.operator,
                        id_text(station_id),
                        serialized.bench,
                        serialized.identity,
                        serialized.battery,
                        serialized.lock,
                        intake.battery.verdict.as_str(),
                        intake.lock.verdict.as_str(),
                        intake.battery.soh_pct.filter(|pct| pct.is_finite()),
                        intake.battery.reading.cycles,
                    ],
                )?;
                for (seq, test) in intake.tests.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO intake_tests (intake_id, seq, name, outcome, detail)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![
                            id_string,
                            seq as i64 + 1,
                            test.name,
                            test.outcome,
                            test.detail
                        ],
                    )?;
                }
                for (seq, line) in intake.evidence.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO intake_evidence (intake_id, seq, at, direction, line)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![
                            id_string,
                            seq as i64 + 1,
                            timestamp(line.at),
                            line.direction.as_str(),
                            line.line
                        ],
                    )?;
                }
                chain.append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: &intake.operator,
                        action: "intake.recorded",
                        entity: Entity::Intake,
                        entity_id: id,
                        before: None,
                        after: Some(digest(tx, &id_string)?),
                    },
                )?;
                Ok(IntakeSummary {
                    intake_id: id,
                    device_id,
                    new_device,
                })
            })
            .expect("recorded the old way")
    }

    /// The digest the audit log took of an intake before version 7.
    fn digest(conn: &Connection, id: &str) -> Result<String, StoreError> {
        let rows = |sql: &str| rows_to_json(conn, sql, id);
        let intake = rows("SELECT * FROM intakes WHERE id = ?1")?.remove(0);
        let tests = rows("SELECT * FROM intake_tests WHERE intake_id = ?1 ORDER BY seq")?;
        let evidence = rows("SELECT * FROM intake_evidence WHERE intake_id = ?1 ORDER BY seq")?;
        Ok(digest_json(&sorted_object(
            [
                ("evidence", Value::from(evidence)),
                ("intake", intake),
                ("tests", Value::from(tests)),
            ]
            .into_iter()
            .collect(),
        )))
    }

    /// Every row of a table or view, all columns, in a stable order.
    pub(crate) fn dump(conn: &Connection, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
        let mut statement = conn.prepare(sql).expect("prepares");
        let columns = statement.column_count();
        statement
            .query_map([], |row| {
                (0..columns)
                    .map(|index| row.get::<_, rusqlite::types::Value>(index))
                    .collect()
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::legacy::{dump, sample};
    use super::*;
    use crate::audit::{record_digest, RecordMismatch, INTAKE_FORMAT_ROWS};
    use crate::store::{MIGRATIONS, SCHEMA_VERSION};

    const INTAKE_COLUMNS_V6: &str = "SELECT id, device_id, bench_id, slot, started_at,
        finished_at, operator, station_id, bench_json, identity_json, battery_json, lock_json,
        battery_verdict, lock_verdict, soh_pct, cycles FROM intakes ORDER BY id";
    const TESTS: &str = "SELECT intake_id, seq, name, outcome, detail FROM intake_tests
        ORDER BY intake_id, seq";
    const EVIDENCE: &str = "SELECT intake_id, seq, at, direction, line FROM intake_evidence
        ORDER BY intake_id, seq";

    fn drop_intake_trigger(raw: &Connection) {
        raw.execute_batch("DROP TRIGGER intakes_append_only_update;")
            .expect("trigger dropped");
    }

    /// A version 4 database with three intakes recorded the old way: two
    /// devices, one tested twice, one intake without tests or evidence.
    fn version_4_database(path: &std::path::Path) -> Vec<IntakeSummary> {
        let mut old = Store::open_with_migrations(path, &MIGRATIONS[..4]).expect("opens at v4");
        assert_eq!(old.schema_version().expect("version"), 4);
        let mut bare = sample("490154203237518", 5);
        bare.tests.clear();
        bare.evidence.clear();
        let summaries = vec![
            legacy::record_intake(&mut old, &sample("356728114587211", 0)),
            legacy::record_intake(&mut old, &bare),
            legacy::record_intake(&mut old, &sample("356728114587211", 9)),
        ];
        assert!(old.verify_audit().expect("verify").is_intact());
        summaries
    }

    #[test]
    fn upgrading_a_version_4_database_keeps_every_intake_line_for_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let summaries = version_4_database(&path);
        let raw = Connection::open(&path).expect("raw");
        let before = (
            dump(&raw, INTAKE_COLUMNS_V6),
            dump(&raw, TESTS),
            dump(&raw, EVIDENCE),
        );
        assert_eq!(before.1.len(), 4);
        assert_eq!(before.2.len(), 8);
        let entries_before = dump(&raw, "SELECT * FROM audit_log ORDER BY seq");
        drop(raw);

        let mut store = Store::open(&path).expect("upgrades");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        let raw = Connection::open(&path).expect("raw");
        // The same rows, now read through the views of the old tables' names.
        let after = (
            dump(&raw, INTAKE_COLUMNS_V6),
            dump(&raw, TESTS),
            dump(&raw, EVIDENCE),
        );
        assert_eq!(after, before);
        assert_eq!(
            dump(&raw, "SELECT * FROM audit_log ORDER BY seq"),
            entries_before,
            "an upgrade writes no audit entry and changes none"
        );
        let formats: Vec<i64> = raw
            .prepare("SELECT record_format FROM intakes")
            .expect("prepare")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("formats");
        assert_eq!(formats, [INTAKE_FORMAT_ROWS; 3]);

        // And through the store, field for field.
        let mut bare = sample("490154203237518", 5);
        bare.tests.clear();
        bare.evidence.clear();
        let sent = [
            sample("356728114587211", 0),
            bare,
            sample("356728114587211", 9),
        ];
        for (summary, sent) in summaries.iter().zip(&sent) {
            let read = store
                .intake(summary.intake_id)
                .expect("reads")
                .expect("there");
            assert_eq!(read.tests, sent.tests);
            assert_eq!(read.evidence, sent.evidence);
            assert_eq!(
                (&read.identity, &read.battery, &read.lock, &read.bench),
                (&sent.identity, &sent.battery, &sent.lock, &sent.bench)
            );
        }
        let report = store.check().expect("check");
        assert!(report.is_ok(), "{report:?}");

        // New intakes go in whole, beside the old ones, and verify too.
        let new = store
            .record_intake(&sample("356728114587211", 20))
            .expect("recorded");
        assert!(!new.new_device);
        let format: i64 = raw
            .query_row(
                "SELECT record_format FROM intakes WHERE id = ?1",
                [id_text(new.intake_id)],
                |row| row.get(0),
            )
            .expect("format");
        assert_eq!(format, INTAKE_FORMAT_ROW);
        assert_eq!(
            store.intakes_for_device(new.device_id).expect("all").len(),
            3
        );
        let report = store.check().expect("check");
        assert!(report.is_ok(), "{report:?}");
        assert!(dir
            .path()
            .join(format!("station.db.before-v{SCHEMA_VERSION}.bak"))
            .exists());
    }

    #[test]
    fn an_upgraded_intake_whose_evidence_is_changed_fails_its_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let summaries = version_4_database(&path);
        let store = Store::open(&path).expect("upgrades");
        let id = id_text(summaries[0].intake_id);
        let raw = Connection::open(&path).expect("raw");
        drop_intake_trigger(&raw);
        let seq: i64 = raw
            .query_row(
                "SELECT seq FROM audit_log WHERE entity = 'intake' AND entity_id = ?1",
                [&id],
                |row| row.get(0),
            )
            .expect("the intake's entry");

        for (what, change) in [
            (
                "a line's text",
                "json_replace(evidence_json, '$[0][2]', '2 IDENT 4*74')",
            ),
            (
                "a line's direction",
                "json_replace(evidence_json, '$[0][1]', 'bench')",
            ),
            (
                "a line's time",
                "json_replace(evidence_json, '$[1][0]', '2025-03-14T09:00:00.000000000Z')",
            ),
            ("a line removed", "json_remove(evidence_json, '$[2]')"),
            (
                "a line added",
                "json_insert(evidence_json, '$[#]', json_array('2025-03-14T09:00:00.000000000Z', 'bench', 'OK'))",
            ),
            (
                "two lines swapped",
                "json_array(evidence_json -> 1, evidence_json -> 0, evidence_json -> 2, evidence_json -> 3)",
            ),
            ("the evidence made unreadable", "'[[\"not evidence\"'"),
        ] {
            let original: String = raw
                .query_row(
                    "SELECT evidence_json FROM intakes WHERE id = ?1",
                    [&id],
                    |row| row.get(0),
                )
                .expect("evidence");
            raw.execute(
                &format!("UPDATE intakes SET evidence_json = {change} WHERE id = ?1"),
                [&id],
            )
            .expect("tampered");
            let report = store.check().expect("check");
            assert_eq!(
                report.records,
                [RecordMismatch::Changed {
                    entity: "intake".to_owned(),
                    entity_id: id.clone(),
                    seq
                }],
                "{what}"
            );
            raw.execute(
                "UPDATE intakes SET evidence_json = ?1 WHERE id = ?2",
                [&original, &id],
            )
            .expect("put back");
            assert!(store.check().expect("check").is_ok(), "after {what}");
        }

        // Claiming the new format for an old intake does not pass either.
        raw.execute("UPDATE intakes SET record_format = 2 WHERE id = ?1", [&id])
            .expect("tampered");
        assert_eq!(store.check().expect("check").records.len(), 1);
    }

    #[test]
    fn the_digest_taken_while_writing_is_the_digest_of_the_stored_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("station.db")).expect("opens");
        let mut unusual = sample("356728114587211", 0);
        unusual.battery.soh_pct = Some(-0.0);
        unusual.battery.reading.cycles = None;
        let mut whole = sample("490154203237518", 1);
        whole.battery.soh_pct = Some(84.96);
        let mut blank = sample("353918056287214", 2);
        blank.battery.soh_pct = None;
        blank.tests.clear();
        blank.evidence.clear();
        for intake in [unusual, whole, blank] {
            let summary = store.record_intake(&intake).expect("recorded");
            let logged = store
                .audit_entries(0, 1_000)
                .expect("entries")
                .into_iter()
                .rev()
                .find(|entry| entry.entity_id == id_text(summary.intake_id))
                .and_then(|entry| entry.after_digest);
            let stored =
                record_digest(&store.conn, Entity::Intake, summary.intake_id).expect("digest");
            assert_eq!(logged, stored, "{:?}", intake.battery.soh_pct);
        }
    }

    /// Reads the plan SQLite picks for `sql`, one line per step.
    fn plan(conn: &Connection, sql: &str, values: &[SqlValue]) -> Vec<String> {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("prepares")
            .query_map(rusqlite::params_from_iter(values), |row| {
                row.get::<_, String>(3)
            })
            .expect("plan")
            .collect::<Result<_, _>>()
            .expect("plan rows")
    }

    #[test]
    fn recognising_a_device_probes_a_unique_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("station.db")).expect("opens");
        for (sql, index) in [
            (DEVICE_BY_IMEI, "devices_unique_imei"),
            (DEVICE_BY_MAKE_SERIAL, "devices_unique_serial_make"),
            // A serial typed in without the make: the same index's prefix.
            (
                "SELECT * FROM devices WHERE serial = ?1 ORDER BY first_seen, id",
                "devices_unique_serial_make",
            ),
        ] {
            let values = [
                SqlValue::Text("x".to_owned()),
                SqlValue::Text("y".to_owned()),
            ];
            let steps = plan(&store.conn, sql, &values[..sql.matches('?').count()]);
            assert!(
                steps[0].contains(&format!("USING INDEX {index}"))
                    && steps[1..].iter().all(|step| step.contains("TEMP B-TREE")),
                "{sql}: {steps:?}"
            );
        }
    }

    /// Every filter of the list walks an index in list order: no sort, no
    /// scan of the table, and no read of a skipped intake's row (the index
    /// holds all the page query needs).
    #[test]
    fn every_list_filter_walks_a_covering_index_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut store = Store::open(&path).expect("opens");
        let intakes: Vec<NewIntake> = (0..40).map(|n| sample(&format!("35{n:013}"), n)).collect();
        store.record_intakes(&intakes).expect("recorded");
        drop(store);
        // Reopened, so the planner has statistics, as a station would.
        let store = Store::open(&path).expect("reopens");
        let analysed: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'intakes'",
                [],
                |row| row.get(0),
            )
            .expect("statistics");
        assert!(analysed > 0, "opening analysed the intakes");

        let at = intakes[0].started_at;
        let cursor = DeviceCursor {
            last_intake_at: at,
            last_intake_id: Uuid::now_v7(),
        };
        let base = DeviceFilter {
            limit: Some(100),
            ..DeviceFilter::default()
        };
        let filters = [
            base.clone(),
            DeviceFilter {
                battery_verdict: Some(refurbdesk_domain::BatteryVerdictKind::Absent),
                lock_verdict: Some(refurbdesk_domain::LockVerdictKind::Blocked),
                ..base.clone()
            },
            DeviceFilter {
                lock_verdict: Some(refurbdesk_domain::LockVerdictKind::Blocked),
                operator: Some("ana".to_owned()),
                ..base.clone()
            },
            DeviceFilter {
                since: Some(at),
                operator: Some("ana".to_owned()),
                battery_verdict: Some(refurbdesk_domain::BatteryVerdictKind::Consumed),
                after: Some(cursor),
                ..base.clone()
            },
            DeviceFilter {
                after: Some(cursor),
                offset: 20,
                ..base.clone()
            },
            DeviceFilter {
                battery_verdict: Some(refurbdesk_domain::BatteryVerdictKind::Replace),
                outcome: Some("repair".to_owned()),
                listing_grade: Some("FAIR".to_owned()),
                after: Some(cursor),
                ..base.clone()
            },
        ];
        for filter in filters {
            let (sql, values) = list_page_sql(&filter);
            let steps = plan(&store.conn, &sql, &values);
            let walk = steps
                .iter()
                .find(|step| step.starts_with("SCAN i ") || step.starts_with("SEARCH i "))
                .unwrap_or_else(|| panic!("{filter:?}: {steps:?}"));
            assert!(
                walk.contains("USING COVERING INDEX intakes_"),
                "{filter:?}: {steps:?}"
            );
            assert!(
                !steps.iter().any(|step| step.contains("TEMP B-TREE")),
                "{filter:?}: {steps:?}"
            );
            if filter.after.is_some() {
                assert!(walk.contains("(started_at,id)<(?,?)"), "{steps:?}");
            }
            // The latest grade is one search of its index per intake kept.
            if filter.outcome.is_some() {
                assert!(
                    steps
                        .iter()
                        .any(|step| step.contains("SEARCH g USING INDEX grades_device_latest")),
                    "{filter:?}: {steps:?}"
                );
                assert!(
                    !steps.iter().any(|step| step.starts_with("SCAN g")),
                    "{steps:?}"
                );
            }
        }
    }
}
