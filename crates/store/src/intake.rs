//! Devices and their intakes: recording what a bench found, and reading a
//! device's history back.
//!
//! A device's intakes are only ever appended; what a device is "now" is its
//! latest intake, derived on reading (the `device_current` view).

use std::fmt;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{
    BatteryAssessment, BatteryVerdictKind, DeviceCategory, DeviceIdentity, LockAssessment,
    LockVerdictKind,
};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, text_column, timestamp,
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

/// Which side sent a protocol line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Host,
    Bench,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Host => "host",
            Direction::Bench => "bench",
        }
    }

    fn from_word(word: &str) -> Option<Direction> {
        match word {
            "host" => Some(Direction::Host),
            "bench" => Some(Direction::Bench),
            _ => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one bench test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestRecord {
    pub name: String,
    /// `pass`, `fail` or `skip`.
    pub outcome: String,
    pub detail: Option<String>,
}

/// One raw protocol line, kept as evidence of what the bench said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub at: DateTime<Utc>,
    pub direction: Direction,
    pub line: String,
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
    /// `None` returns every match.
    pub limit: Option<u32>,
    pub offset: u32,
}

/// One line of the device list: the device and its latest intake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: Uuid,
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub last_intake_id: Uuid,
    pub last_intake_at: DateTime<Utc>,
    pub last_operator: String,
    pub battery_verdict: BatteryVerdictKind,
    pub soh_pct: Option<f64>,
    pub lock_verdict: LockVerdictKind,
    pub intake_count: u32,
}

const TEST_OUTCOMES: [&str; 3] = ["pass", "fail", "skip"];

/// A device and one of its intakes, with the columns of the
/// `device_current` view that [`DeviceRow`] is read from.
const DEVICE_ROW_SELECT: &str = "SELECT d.id AS id, d.category AS category, d.make AS make,
        d.model AS model, d.serial AS serial, d.imei AS imei,
        i.id AS last_intake_id, i.started_at AS last_intake_at, i.operator AS last_operator,
        i.battery_verdict AS battery_verdict, i.soh_pct AS soh_pct,
        i.lock_verdict AS lock_verdict,
        (SELECT COUNT(*) FROM intakes c WHERE c.device_id = d.id) AS intake_count
    FROM intakes i JOIN devices d ON d.id = i.device_id";

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
        self.write("record an intake", |tx| {
            authorize(tx, &intake.operator, Action::Intake)?;
            let bench_id = upsert_bench(tx, station_id, intake)?;
            let (device_id, new_device) = find_or_create_device(tx, station_id, intake)?;
            let intake_id =
                insert_intake(tx, station_id, bench_id, device_id, intake, &serialized)?;
            Ok(IntakeSummary {
                intake_id,
                device_id,
                new_device,
            })
        })
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
        // Same rows as the `device_current` view, but walked from the
        // intakes in time order, so that a page of the newest devices reads
        // a page of intakes through an index instead of deriving the latest
        // intake of every device first.
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
        values.push(SqlValue::Integer(filter.limit.map_or(-1, i64::from)));
        values.push(SqlValue::Integer(i64::from(filter.offset)));
        let sql = format!(
            "{DEVICE_ROW_SELECT} WHERE {} \
             ORDER BY i.started_at DESC, i.id DESC LIMIT ?{} OFFSET ?{}",
            conditions.join(" AND "),
            values.len() - 1,
            values.len()
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(values))?;
        let mut devices = Vec::new();
        while let Some(row) = rows.next()? {
            devices.push(device_row_from_row(row)?);
        }
        Ok(devices)
    }
}

/// The parts of an intake stored as JSON, serialised once before the
/// transaction so a retry does not redo them.
pub(crate) struct SerializedIntake {
    bench: String,
    identity: String,
    battery: String,
    lock: String,
}

impl SerializedIntake {
    pub(crate) fn new(intake: &NewIntake) -> Result<Self, StoreError> {
        fn json<T: Serialize>(value: &T, field: &str) -> Result<String, StoreError> {
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
        })
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
    station_id: Uuid,
    intake: &NewIntake,
) -> Result<Uuid, StoreError> {
    upsert_bench_seen(
        tx,
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
                audit::append(
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
            audit::append(
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
    station_id: Uuid,
    intake: &NewIntake,
) -> Result<(Uuid, bool), StoreError> {
    let identity = &intake.identity;
    let imei = usable(&identity.imei);
    let serial = usable(&identity.serial);

    let by_imei = match imei {
        Some(imei) => known_device(
            tx,
            "SELECT id, serial, imei FROM devices WHERE imei = ?1",
            [imei],
        )?,
        None => None,
    };
    let by_serial = match serial {
        Some(serial) => known_device(
            tx,
            "SELECT id, serial, imei FROM devices WHERE make = ?1 AND serial = ?2",
            [identity.make.as_str(), serial],
        )?,
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
        audit::append(
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
    audit::append(
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
    station_id: Uuid,
    bench_id: Uuid,
    device_id: Uuid,
    intake: &NewIntake,
    serialized: &SerializedIntake,
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let id_string = id_text(id);
    tx.prepare_cached(
        "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at, operator,
                              station_id, bench_json, identity_json, battery_json, lock_json,
                              battery_verdict, lock_verdict, soh_pct, cycles)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(rusqlite::params![
        id_string,
        id_text(device_id),
        id_text(bench_id),
        intake.slot,
        timestamp(intake.started_at),
        timestamp(intake.finished_at),
        intake.operator,
        id_text(station_id),
        serialized.bench,
        serialized.identity,
        serialized.battery,
        serialized.lock,
        intake.battery.verdict.as_str(),
        intake.lock.verdict.as_str(),
        // SQLite has no NaN; a non-finite figure is no figure.
        intake.battery.soh_pct.filter(|pct| pct.is_finite()),
        intake.battery.reading.cycles,
    ])?;

    let mut insert_test = tx.prepare_cached(
        "INSERT INTO intake_tests (intake_id, seq, name, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (seq, test) in intake.tests.iter().enumerate() {
        insert_test.execute(rusqlite::params![
            id_string,
            seq as i64 + 1,
            test.name,
            test.outcome,
            test.detail
        ])?;
    }
    let mut insert_line = tx.prepare_cached(
        "INSERT INTO intake_evidence (intake_id, seq, at, direction, line)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (seq, line) in intake.evidence.iter().enumerate() {
        insert_line.execute(rusqlite::params![
            id_string,
            seq as i64 + 1,
            timestamp(line.at),
            line.direction.as_str(),
            line.line
        ])?;
    }

    audit::append(
        tx,
        station_id,
        AuditWrite {
            operator: &intake.operator,
            action: "intake.recorded",
            entity: Entity::Intake,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::Intake, id)?,
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

    let mut tests_statement = conn.prepare_cached(
        "SELECT name, outcome, detail FROM intake_tests WHERE intake_id = ?1 ORDER BY seq",
    )?;
    let tests = tests_statement
        .query_map([id], |row| {
            Ok(TestRecord {
                name: row.get(0)?,
                outcome: row.get(1)?,
                detail: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;

    let mut evidence_statement = conn.prepare_cached(
        "SELECT at, direction, line FROM intake_evidence WHERE intake_id = ?1 ORDER BY seq",
    )?;
    let mut evidence_rows = evidence_statement.query([id])?;
    let mut evidence = Vec::new();
    while let Some(line) = evidence_rows.next()? {
        let location = format!("intake_evidence of intake {id}");
        let direction: String = line.get(1)?;
        evidence.push(EvidenceLine {
            at: parse_timestamp(&line.get::<_, String>(0)?, &location)?,
            direction: Direction::from_word(&direction).ok_or_else(|| {
                corrupt(
                    &location,
                    format!("direction {direction:?} is not host or bench"),
                )
            })?,
            line: line.get(2)?,
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
        tests,
        evidence,
        started_at: parse_timestamp(&text("started_at")?, &where_("started_at"))?,
        finished_at: parse_timestamp(&text("finished_at")?, &where_("finished_at"))?,
        operator: text("operator")?,
    }))
}

fn device_from_row(row: &Row<'_>) -> Result<DeviceRecord, StoreError> {
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
    })
}
