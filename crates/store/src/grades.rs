//! Grades and what they were decided from: the technician's checklist
//! answers, the cosmetic inspection with its photos, and the grade a policy
//! gave, with the policy's name, version and digest.
//!
//! Grading again appends a new checklist, inspection and grade; nothing is
//! ever changed. Answers, zones, levels, outcomes, grades, the CTIA-style code
//! and the reasons are the domain's types (`refurbdesk_domain`): the store
//! writes their words and reads them back typed, so it needs no grading engine
//! to read them. A row holding a word no build ever wrote reads as corrupt.
//!
//! Rows are read back from the text they were written with, and their audit
//! digests are of that text: a grade recorded before the types (reasons
//! serialised with sorted keys) reads back the same and still verifies.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{
    Answer, BuybackGrade, CosmeticLevel, CtiaCode, ListingGrade, Outcome, Reason, Zone,
};
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

/// One technician answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    /// The checklist item id, e.g. `liquid_indicators`.
    pub item: String,
    pub answer: Answer,
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
    pub zone: Zone,
    pub level: CosmeticLevel,
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
    pub outcome: Outcome,
    pub listing_grade: ListingGrade,
    pub buyback_grade: BuybackGrade,
    /// The CTIA-style pair, stored as written: `2/B`.
    pub ctia_code: CtiaCode,
    pub partial: bool,
    /// The reasons, in the order the grading engine gave them.
    pub reasons: Vec<Reason>,
    /// Everything the policy was given, as a JSON object: a snapshot of the grading engine's
    /// input kept for the record, whose shape is the engine's of the day (nothing reads it
    /// back by key).
    pub inputs: Value,
    /// Checklist items the bench failed and the technician answered otherwise; kept beside
    /// the grade (both the bench's result and the answer stay on record).
    #[serde(default)]
    pub overrides: Vec<crate::overrides::NewChecklistOverride>,
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
    pub outcome: Outcome,
    pub listing_grade: ListingGrade,
    pub buyback_grade: BuybackGrade,
    pub ctia_code: CtiaCode,
    pub partial: bool,
    pub reasons: Vec<Reason>,
    /// What the policy was given, as recorded (see [`NewGrade::inputs`]).
    pub inputs: Value,
}

impl Store {
    /// Records a grade in one transaction: the checklist answers, the
    /// cosmetic inspection with its photos and the grade, each with its
    /// audit entry. The operator must be allowed to grade.
    pub fn record_grade(&mut self, grade: &NewGrade) -> Result<GradeSummary, StoreError> {
        self.record_grade_stocking(grade, None)
    }

    /// [`Store::record_grade`], and when a marketplace is configured (`stock` is given) the
    /// device's place in the marketplace stock with the listing quantities it changes written to
    /// the outbox, in the same transaction (`crate::outbox::restock`).
    pub fn record_grade_stocking(
        &mut self,
        grade: &NewGrade,
        stock: Option<&crate::outbox::Stocking>,
    ) -> Result<GradeSummary, StoreError> {
        validate(grade)?;
        let station_id = self.station_id;
        let reasons = serde_json::to_string(&grade.reasons)
            .map_err(|error| invalid("reasons", format!("cannot be stored as JSON: {error}")))?;
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
                grade.outcome.as_str(),
                grade.listing_grade.as_str(),
                grade.buyback_grade.as_str(),
                grade.ctia_code.to_string(),
                grade.partial,
                reasons,
                inputs,
            ])?;
            crate::overrides::insert_overrides(
                tx,
                &crate::overrides::OverrideOf {
                    station_id,
                    grade_id,
                    device: common.device,
                    intake: &common.intake,
                    at: &now,
                    operator: &grade.operator,
                },
                &grade.overrides,
            )?;
            if let Some(stock) = stock {
                crate::outbox::restock(tx, station_id, device_id, grade_id, stock)?;
            }
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
            answer.answer.as_str()
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
        insert_zone.execute(rusqlite::params![
            id_string,
            zone.zone.as_str(),
            zone.level.as_str()
        ])?;
        for (seq, photo) in zone.photos.iter().enumerate() {
            insert_photo.execute(rusqlite::params![
                id_string,
                zone.zone.as_str(),
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
    if !grade.inputs.is_object() {
        return Err(invalid("inputs", "must be a JSON object".to_owned()));
    }
    for (index, answer) in grade.answers.iter().enumerate() {
        let field = format!("answers[{index}]");
        if answer.item.trim().is_empty() {
            return Err(invalid(&field, "has an empty item id".to_owned()));
        }
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
    for (index, over) in grade.overrides.iter().enumerate() {
        let field = format!("overrides[{index}]");
        if over.answer == Answer::Fail {
            return Err(invalid(
                &field,
                format!(
                    "answers fail for {:?}, which agrees with the bench",
                    over.item
                ),
            ));
        }
        if !grade
            .answers
            .iter()
            .any(|answer| answer.item == over.item && answer.answer == over.answer)
        {
            return Err(invalid(
                &field,
                format!("names {:?}, but no answer gives it that answer", over.item),
            ));
        }
    }
    for (index, zone) in grade.zones.iter().enumerate() {
        let field = format!("zones[{index}]");
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
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .map(|row| {
            let (item, answer) = row?;
            Ok(ChecklistAnswer {
                answer: word(&answer, || {
                    format!("checklist_answers.answer of checklist {checklist_id}")
                })?,
                item,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut zones: Vec<ZoneRecord> = conn
        .prepare_cached(
            "SELECT zone, level FROM cosmetic_zones WHERE inspection_id = ?1 ORDER BY rowid",
        )?
        .query_map([&inspection_id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .map(|row| {
            let (zone, level) = row?;
            let location = || format!("cosmetic_zones of inspection {inspection_id}");
            Ok(ZoneRecord {
                zone: word(&zone, location)?,
                level: word(&level, location)?,
                photos: Vec::new(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let mut photos = conn.prepare_cached(
        "SELECT zone, path, sha256 FROM cosmetic_photos WHERE inspection_id = ?1
         ORDER BY zone, seq",
    )?;
    let mut photo_rows = photos.query([&inspection_id])?;
    while let Some(photo) = photo_rows.next()? {
        let zone: String = photo.get(0)?;
        let Some(record) = zones.iter_mut().find(|record| record.zone.as_str() == zone) else {
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
        outcome: word(&text("outcome")?, || where_("outcome"))?,
        listing_grade: word(&text("listing_grade")?, || where_("listing_grade"))?,
        buyback_grade: word(&text("buyback_grade")?, || where_("buyback_grade"))?,
        ctia_code: word(&text("ctia_code")?, || where_("ctia_code"))?,
        partial: row
            .get::<_, bool>("partial")
            .map_err(|error| corrupt(where_("partial"), error))?,
        reasons: serde_json::from_str(&text("reasons_json")?)
            .map_err(|error| corrupt(where_("reasons_json"), error))?,
        inputs: json("inputs_json")?,
    }))
}

/// A word of the domain's, read back from a column; one no build wrote reads as corrupt.
fn word<T>(text: &str, location: impl FnOnce() -> String) -> Result<T, StoreError>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|error| corrupt(location(), error))
}

#[cfg(test)]
mod tests {
    use refurbdesk_domain::Functional;
    use serde_json::json;

    use super::*;
    use crate::intake::legacy::sample;

    const SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /// Records a grade the way builds before the typed grade did: the words as the text they
    /// were given, the reasons as the JSON value the engine produced (keys sorted, a French
    /// sentence in `text_fr`), each row with its audit entry.
    fn record_grade_as_before(store: &mut Store, intake_id: Uuid, reasons: &Value) -> Uuid {
        let station_id = store.station_id;
        let reasons = serde_json::to_string(reasons).expect("reasons as text");
        store
            .write("record a grade", |tx| {
                let device: String = tx.query_row(
                    "SELECT device_id FROM intakes WHERE id = ?1",
                    [id_text(intake_id)],
                    |row| row.get(0),
                )?;
                let now = timestamp(Utc::now());
                let common = Common {
                    station_id,
                    device: &device,
                    intake: id_text(intake_id),
                    at: &now,
                    operator: "ana",
                };
                let checklist_id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO checklists (id, device_id, intake_id, category, recorded_at,
                                             operator, station_id)
                     VALUES (?1, ?2, ?3, 'phone', ?4, 'ana', ?5)",
                    rusqlite::params![
                        id_text(checklist_id),
                        device,
                        common.intake,
                        now,
                        id_text(station_id)
                    ],
                )?;
                for (seq, (item, answer)) in [("wifi", "fail"), ("genuine_parts", "na")]
                    .into_iter()
                    .enumerate()
                {
                    tx.execute(
                        "INSERT INTO checklist_answers (checklist_id, seq, item, answer)
                         VALUES (?1, ?2, ?3, ?4)",
                        rusqlite::params![id_text(checklist_id), seq as i64 + 1, item, answer],
                    )?;
                }
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: "ana",
                        action: "checklist.recorded",
                        entity: Entity::Checklist,
                        entity_id: checklist_id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Checklist, checklist_id)?,
                    },
                )?;
                let inspection_id = insert_inspection(
                    tx,
                    &common,
                    &[ZoneRecord {
                        zone: Zone::Screen,
                        level: CosmeticLevel::Light,
                        photos: vec![ZonePhoto {
                            path: "/photos/screen.jpg".to_owned(),
                            sha256: SHA.to_owned(),
                        }],
                    }],
                )?;
                let grade_id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO grades (id, device_id, intake_id, checklist_id, inspection_id,
                                         graded_at, operator, station_id, policy_name,
                                         policy_version, policy_sha256, outcome, listing_grade,
                                         buyback_grade, ctia_code, partial, reasons_json,
                                         inputs_json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ana', ?7, 'backmarket-default', '1.0.0',
                             ?8, 'repair', 'VERY_GOOD', 'NOT_FUNCTIONAL_USED', '2/B', 0, ?9,
                             '{\"partial\":false}')",
                    rusqlite::params![
                        id_text(grade_id),
                        device,
                        common.intake,
                        id_text(checklist_id),
                        id_text(inspection_id),
                        now,
                        id_text(station_id),
                        SHA,
                        reasons,
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: "ana",
                        action: "grade.recorded",
                        entity: Entity::Grade,
                        entity_id: grade_id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Grade, grade_id)?,
                    },
                )?;
                Ok(grade_id)
            })
            .expect("records the old way")
    }

    #[test]
    fn a_grade_recorded_before_the_types_reads_back_typed_and_still_verifies() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut store = Store::open(&path).expect("opens");
        let intake_id = store
            .record_intake(&sample("356728114587211", 0))
            .expect("intake")
            .intake_id;
        let old_reasons = json!([
            {
                "rule": "functional.failed",
                "inputs": {"failed": "wifi"},
                "text": "Wi-Fi failed",
                "text_fr": "Le Wi-Fi a échoué",
            },
            {"rule": "grade.VERY_GOOD", "inputs": {}, "text": "Very good condition"},
        ]);
        let grade_id = record_grade_as_before(&mut store, intake_id, &old_reasons);
        let stored_before: String = store
            .conn
            .query_row(
                "SELECT reasons_json FROM grades WHERE id = ?1",
                [id_text(grade_id)],
                |row| row.get(0),
            )
            .expect("stored reasons");
        drop(store);

        let store = Store::open(&path).expect("reopens");
        let report = store.check().expect("checks");
        assert!(report.is_ok(), "{report:?}");
        assert!(store.verify_audit().expect("verifies").is_intact());
        let grade = store.grade_record(grade_id).expect("reads").expect("grade");
        assert_eq!(grade.outcome, Outcome::Repair);
        assert_eq!(grade.listing_grade, ListingGrade::VeryGood);
        assert_eq!(grade.buyback_grade, BuybackGrade::NotFunctionalUsed);
        assert_eq!(
            grade.ctia_code,
            CtiaCode::new(Functional::Defective, CosmeticLevel::Light)
        );
        assert_eq!(
            grade.answers,
            [
                ChecklistAnswer {
                    item: "wifi".to_owned(),
                    answer: Answer::Fail
                },
                ChecklistAnswer {
                    item: "genuine_parts".to_owned(),
                    answer: Answer::Na
                },
            ]
        );
        assert_eq!(grade.zones[0].zone, Zone::Screen);
        assert_eq!(grade.zones[0].level, CosmeticLevel::Light);
        assert_eq!(grade.zones[0].photos[0].sha256, SHA);
        assert_eq!(grade.reasons.len(), 2);
        assert_eq!(grade.reasons[0].rule, "functional.failed");
        assert_eq!(grade.reasons[0].inputs["failed"], "wifi");
        // The French sentence of an older grade is kept under its language.
        assert_eq!(grade.reasons[0].texts["en"], "Wi-Fi failed");
        assert_eq!(grade.reasons[0].texts["fr"], "Le Wi-Fi a échoué");
        assert_eq!(grade.reasons[1].texts.len(), 1);
        // Nothing was rewritten on the way.
        let stored_after: String = store
            .conn
            .query_row(
                "SELECT reasons_json FROM grades WHERE id = ?1",
                [id_text(grade_id)],
                |row| row.get(0),
            )
            .expect("stored reasons");
        assert_eq!(stored_after, stored_before);
    }

    #[test]
    fn a_code_no_build_wrote_reads_as_corrupt() {
        // The schema itself refuses words outside the vocabularies; the CTIA code is free text.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut store = Store::open(&path).expect("opens");
        let intake_id = store
            .record_intake(&sample("356728114587211", 0))
            .expect("intake")
            .intake_id;
        let grade_id = record_grade_as_before(&mut store, intake_id, &json!([]));
        store
            .conn
            .execute_batch(
                "DROP TRIGGER grades_append_only_update;
                 UPDATE grades SET ctia_code = '2B';",
            )
            .expect("tampers");
        let error = store.grade_record(grade_id).expect_err("corrupt");
        assert!(
            matches!(&error, StoreError::Corrupt { location, .. } if location.contains("ctia_code")),
            "{error:?}"
        );
    }
}
