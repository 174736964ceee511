//! Grades and what they were decided from: the technician's checklist
//! answers, the cosmetic inspection with its photos, and the grade a policy
//! gave, with the policy's name, version and digest.
//!
//! Grading again appends a new checklist, inspection and grade; nothing is
//! ever changed. The store keeps the grading words as text and checks them
//! against the fixed vocabularies, so it needs no grading engine to read them.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::Store;

const ANSWERS: [&str; 3] = ["pass", "fail", "na"];
const ZONES: [&str; 9] = [
    "screen", "back", "frame", "lid", "deck", "keyboard", "bottom", "housing", "stand",
];
const LEVELS: [&str; 5] = ["flawless", "micro", "light", "visible", "cracked"];
const OUTCOMES: [&str; 5] = ["sellable", "repair", "hold", "blocked", "recycle"];
const LISTING_GRADES: [&str; 6] = [
    "PREMIUM",
    "EXCELLENT",
    "VERY_GOOD",
    "GOOD",
    "FAIR",
    "STALLONE",
];
const BUYBACK_GRADES: [&str; 6] = [
    "FUNCTIONAL_FLAWLESS",
    "FUNCTIONAL_GOOD",
    "FUNCTIONAL_USED",
    "FUNCTIONAL_CRACKED",
    "NOT_FUNCTIONAL_USED",
    "NOT_FUNCTIONAL_CRACKED",
];

/// One technician answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    /// The checklist item id, e.g. `liquid_indicators`.
    pub item: String,
    /// `pass`, `fail` or `na`.
    pub answer: String,
}

/// A photo of a zone: its path and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZonePhoto {
    pub path: String,
    pub sha256: String,
}

/// One inspected zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRecord {
    /// `screen`, `back`, `frame`, `lid`, `deck`, `keyboard`, `bottom`, `housing` or `stand`.
    pub zone: String,
    /// `flawless`, `micro`, `light`, `visible` or `cracked`.
    pub level: String,
    #[serde(default)]
    pub photos: Vec<ZonePhoto>,
}

/// A grade to record, with its checklist answers and cosmetic inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewGrade {
    /// The intake that was graded; the device is the intake's.
    pub intake_id: Uuid,
    /// Must be allowed to grade.
    pub operator: String,
    pub answers: Vec<ChecklistAnswer>,
    pub zones: Vec<ZoneRecord>,
    pub policy_name: String,
    pub policy_version: String,
    /// SHA-256 of the policy file's text.
    pub policy_sha256: String,
    pub outcome: String,
    pub listing_grade: String,
    pub buyback_grade: String,
    /// The CTIA-style pair, e.g. `2/B`.
    pub ctia_code: String,
    pub partial: bool,
    /// The reasons, as the JSON array the grading engine produced.
    pub reasons: Value,
    /// Everything the policy was given, as a JSON object.
    pub inputs: Value,
}

/// The ids a recorded grade was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeSummary {
    pub grade_id: Uuid,
    pub checklist_id: Uuid,
    pub inspection_id: Uuid,
    pub device_id: Uuid,
    pub intake_id: Uuid,
}

/// A recorded grade with everything it was recorded with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeRecord {
    pub id: Uuid,
    pub device_id: Uuid,
    pub intake_id: Uuid,
    pub checklist_id: Uuid,
    pub inspection_id: Uuid,
    pub station_id: Uuid,
    pub operator: String,
    pub graded_at: DateTime<Utc>,
    pub answers: Vec<ChecklistAnswer>,
    pub zones: Vec<ZoneRecord>,
    pub policy_name: String,
    pub policy_version: String,
    pub policy_sha256: String,
    pub outcome: String,
    pub listing_grade: String,
    pub buyback_grade: String,
    pub ctia_code: String,
    pub partial: bool,
    pub reasons: Value,
    pub inputs: Value,
}

impl Store {
    /// Records a grade in one transaction: the checklist answers, the
    /// cosmetic inspection with its photos and the grade, each with its
    /// audit entry. The operator must be allowed to grade.
    pub fn record_grade(&mut self, grade: &NewGrade) -> Result<GradeSummary, StoreError> {
        validate(grade)?;
        let station_id = self.station_id;
        let reasons = json_text(&grade.reasons, "reasons")?;
        let inputs = json_text(&grade.inputs, "inputs")?;
        self.write("record a grade", |tx| {
            authorize(tx, &grade.operator, Action::Grade)?;
            let intake = tx
                .query_row(
                    "SELECT i.device_id, d.category FROM intakes i
                     JOIN devices d ON d.id = i.device_id WHERE i.id = ?1",
                    [id_text(grade.intake_id)],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )
                .optional()?;
            let Some((device_text, category)) = intake else {
                return Err(invalid(
                    "intake_id",
                    format!(
                        "{} names no recorded intake; grade a device that went through intake",
                        grade.intake_id
                    ),
                ));
            };
            let device_id = parse_uuid(&device_text, "intakes.device_id")?;
            let now = timestamp(Utc::now());
            let common = Common {
                station_id,
                device: &device_text,
                intake: id_text(grade.intake_id),
                at: &now,
                operator: &grade.operator,
            };
            let checklist_id = insert_checklist(tx, &common, &category, &grade.answers)?;
            let inspection_id = insert_inspection(tx, &common, &grade.zones)?;
            let grade_id = Uuid::now_v7();
            tx.prepare_cached(
                "INSERT INTO grades (id, device_id, intake_id, checklist_id, inspection_id,
                                     graded_at, operator, station_id, policy_name, policy_version,
                                     policy_sha256, outcome, listing_grade, buyback_grade,
                                     ctia_code, partial, reasons_json, inputs_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18)",
            )?
            .execute(rusqlite::params![
                id_text(grade_id),
                common.device,
                common.intake,
                id_text(checklist_id),
                id_text(inspection_id),
                now,
                grade.operator,
                id_text(station_id),
                grade.policy_name,
                grade.policy_version,
                grade.policy_sha256,
                grade.outcome,
                grade.listing_grade,
                grade.buyback_grade,
                grade.ctia_code,
                grade.partial,
                reasons,
                inputs,
            ])?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &grade.operator,
                    action: "grade.recorded",
                    entity: Entity::Grade,
                    entity_id: grade_id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Grade, grade_id)?,
                },
            )?;
            Ok(GradeSummary {
                grade_id,
                checklist_id,
                inspection_id,
                device_id,
                intake_id: grade.intake_id,
            })
        })
    }

    /// The grade with this id.
    pub fn grade_record(&self, id: Uuid) -> Result<Option<GradeRecord>, StoreError> {
        read_grade(&self.conn, &id_text(id))
    }

    /// The device's most recent grade.
    pub fn latest_grade(&self, device_id: Uuid) -> Result<Option<GradeRecord>, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM grades WHERE device_id = ?1
                 ORDER BY graded_at DESC, id DESC LIMIT 1",
                [id_text(device_id)],
                |row| row.get(0),
            )
            .optional()?;
        match id {
            Some(id) => read_grade(&self.conn, &id),
            None => Ok(None),
        }
    }

    /// Every grade of the device, oldest first.
    pub fn grades_for_device(&self, device_id: Uuid) -> Result<Vec<GradeRecord>, StoreError> {
        // One snapshot, so a grade recorded meanwhile is seen whole or not at all.
        let snapshot = self.conn.unchecked_transaction()?;
        let ids: Vec<String> = snapshot
            .prepare_cached("SELECT id FROM grades WHERE device_id = ?1 ORDER BY graded_at, id")?
            .query_map([id_text(device_id)], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut grades = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(grade) = read_grade(&snapshot, &id)? {
                grades.push(grade);
            }
        }
        Ok(grades)
    }
}

/// What the checklist, inspection and grade rows share.
struct Common<'a> {
    station_id: Uuid,
    device: &'a str,
    intake: String,
    at: &'a str,
    operator: &'a str,
}

fn insert_checklist(
    tx: &Connection,
    common: &Common<'_>,
    category: &str,
    answers: &[ChecklistAnswer],
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let id_string = id_text(id);
    tx.prepare_cached(
        "INSERT INTO checklists (id, device_id, intake_id, category, recorded_at, operator,
                                 station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        id_string,
        common.device,
        common.intake,
        category,
        common.at,
        common.operator,
        id_text(common.station_id)
    ])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO checklist_answers (checklist_id, seq, item, answer) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (seq, answer) in answers.iter().enumerate() {
        insert.execute(rusqlite::params![
            id_string,
            seq as i64 + 1,
            answer.item,
            answer.answer
        ])?;
    }
    audit::append(
        tx,
        common.station_id,
        AuditWrite {
            operator: common.operator,
            action: "checklist.recorded",
            entity: Entity::Checklist,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::Checklist, id)?,
        },
    )?;
    Ok(id)
}

fn insert_inspection(
    tx: &Connection,
    common: &Common<'_>,
    zones: &[ZoneRecord],
) -> Result<Uuid, StoreError> {
    let id = Uuid::now_v7();
    let id_string = id_text(id);
    tx.prepare_cached(
        "INSERT INTO cosmetic_inspections (id, device_id, intake_id, recorded_at, operator,
                                           station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        id_string,
        common.device,
        common.intake,
        common.at,
        common.operator,
        id_text(common.station_id)
    ])?;
    let mut insert_zone = tx.prepare_cached(
        "INSERT INTO cosmetic_zones (inspection_id, zone, level) VALUES (?1, ?2, ?3)",
    )?;
    let mut insert_photo = tx.prepare_cached(
        "INSERT INTO cosmetic_photos (inspection_id, zone, seq, path, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for zone in zones {
        insert_zone.execute(rusqlite::params![id_string, zone.zone, zone.level])?;
        for (seq, photo) in zone.photos.iter().enumerate() {
            insert_photo.execute(rusqlite::params![
                id_string,
                zone.zone,
                seq as i64 + 1,
                photo.path,
                photo.sha256
            ])?;
        }
    }
    audit::append(
        tx,
        common.station_id,
        AuditWrite {
            operator: common.operator,
            action: "cosmetic.recorded",
            entity: Entity::CosmeticInspection,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::CosmeticInspection, id)?,
        },
    )?;
    Ok(id)
}

fn invalid(field: &str, reason: String) -> StoreError {
    StoreError::InvalidGrade {
        field: field.to_owned(),
        reason,
    }
}

fn json_text(value: &Value, field: &str) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|error| invalid(field, format!("cannot be stored as JSON: {error}")))
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), StoreError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("is {value:?}; use one of: {}", allowed.join(", ")),
        ))
    }
}

fn validate(grade: &NewGrade) -> Result<(), StoreError> {
    if grade.operator.trim().is_empty() {
        return Err(invalid(
            "operator",
            "is empty; name the operator who graded the device".to_owned(),
        ));
    }
    for (field, value) in [
        ("policy_name", &grade.policy_name),
        ("policy_version", &grade.policy_version),
        ("ctia_code", &grade.ctia_code),
    ] {
        if value.trim().is_empty() {
            return Err(invalid(field, "is empty".to_owned()));
        }
    }
    if !is_sha256(&grade.policy_sha256) {
        return Err(invalid(
            "policy_sha256",
            format!(
                "is {:?}, not 64 lowercase hex digits; pass the SHA-256 of the policy file",
                grade.policy_sha256
            ),
        ));
    }
    one_of("outcome", &grade.outcome, &OUTCOMES)?;
    one_of("listing_grade", &grade.listing_grade, &LISTING_GRADES)?;
    one_of("buyback_grade", &grade.buyback_grade, &BUYBACK_GRADES)?;
    if !grade.reasons.is_array() {
        return Err(invalid(
            "reasons",
            "must be a JSON array of reasons".to_owned(),
        ));
    }
    if !grade.inputs.is_object() {
        return Err(invalid("inputs", "must be a JSON object".to_owned()));
    }
    for (index, answer) in grade.answers.iter().enumerate() {
        let field = format!("answers[{index}]");
        if answer.item.trim().is_empty() {
            return Err(invalid(&field, "has an empty item id".to_owned()));
        }
        one_of(&field, &answer.answer, &ANSWERS)?;
        if grade.answers[..index]
            .iter()
            .any(|earlier| earlier.item == answer.item)
        {
            return Err(invalid(
                &field,
                format!(
                    "answers {:?} a second time; give one answer per item",
                    answer.item
                ),
            ));
        }
    }
    for (index, zone) in grade.zones.iter().enumerate() {
        let field = format!("zones[{index}]");
        one_of(&field, &zone.zone, &ZONES)?;
        one_of(&field, &zone.level, &LEVELS)?;
        if grade.zones[..index]
            .iter()
            .any(|earlier| earlier.zone == zone.zone)
        {
            return Err(invalid(
                &field,
                format!(
                    "inspects the {} zone a second time; give one level per zone",
                    zone.zone
                ),
            ));
        }
        for (photo_index, photo) in zone.photos.iter().enumerate() {
            let field = format!("zones[{index}].photos[{photo_index}]");
            if photo.path.trim().is_empty() {
                return Err(invalid(&field, "has an empty path".to_owned()));
            }
            if !is_sha256(&photo.sha256) {
                return Err(invalid(
                    &field,
                    format!("has sha256 {:?}, not 64 lowercase hex digits", photo.sha256),
                ));
            }
        }
    }
    Ok(())
}

fn read_grade(conn: &Connection, id: &str) -> Result<Option<GradeRecord>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM grades WHERE id = ?1")?;
    let mut rows = statement.query([id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let where_ = |column: &str| format!("grades.{column} of grade {id}");
    let text = |column: &str| text_column(row, column, "grades");
    let json = |column: &str| -> Result<Value, StoreError> {
        serde_json::from_str(&text(column)?).map_err(|error| corrupt(where_(column), error))
    };
    let checklist_id = text("checklist_id")?;
    let inspection_id = text("inspection_id")?;

    let answers = conn
        .prepare_cached(
            "SELECT item, answer FROM checklist_answers WHERE checklist_id = ?1 ORDER BY seq",
        )?
        .query_map([&checklist_id], |row| {
            Ok(ChecklistAnswer {
                item: row.get(0)?,
                answer: row.get(1)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut zones: Vec<ZoneRecord> = conn
        .prepare_cached(
            "SELECT zone, level FROM cosmetic_zones WHERE inspection_id = ?1 ORDER BY rowid",
        )?
        .query_map([&inspection_id], |row| {
            Ok(ZoneRecord {
                zone: row.get(0)?,
                level: row.get(1)?,
                photos: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut photos = conn.prepare_cached(
        "SELECT zone, path, sha256 FROM cosmetic_photos WHERE inspection_id = ?1
         ORDER BY zone, seq",
    )?;
    let mut photo_rows = photos.query([&inspection_id])?;
    while let Some(photo) = photo_rows.next()? {
        let zone: String = photo.get(0)?;
        let Some(record) = zones.iter_mut().find(|record| record.zone == zone) else {
            return Err(corrupt(
                format!("cosmetic_photos of inspection {inspection_id}"),
                format!("a photo names zone {zone:?}, which the inspection does not have"),
            ));
        };
        record.photos.push(ZonePhoto {
            path: photo.get(1)?,
            sha256: photo.get(2)?,
        });
    }

    Ok(Some(GradeRecord {
        id: parse_uuid(&text("id")?, &where_("id"))?,
        device_id: parse_uuid(&text("device_id")?, &where_("device_id"))?,
        intake_id: parse_uuid(&text("intake_id")?, &where_("intake_id"))?,
        checklist_id: parse_uuid(&checklist_id, &where_("checklist_id"))?,
        inspection_id: parse_uuid(&inspection_id, &where_("inspection_id"))?,
        station_id: parse_uuid(&text("station_id")?, &where_("station_id"))?,
        operator: text("operator")?,
        graded_at: parse_timestamp(&text("graded_at")?, &where_("graded_at"))?,
        answers,
        zones,
        policy_name: text("policy_name")?,
        policy_version: text("policy_version")?,
        policy_sha256: text("policy_sha256")?,
        outcome: text("outcome")?,
        listing_grade: text("listing_grade")?,
        buyback_grade: text("buyback_grade")?,
        ctia_code: text("ctia_code")?,
        partial: row
            .get::<_, bool>("partial")
            .map_err(|error| corrupt(where_("partial"), error))?,
        reasons: json("reasons_json")?,
        inputs: json("inputs_json")?,
    }))
}
