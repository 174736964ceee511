//! Verification sampling: draws of verified erasures for an independent re-check, the queue they
//! wait in, and each re-check's result. A failed re-check puts the technician's erasures since
//! their last passed sample back in the queue. Which erasures a draw picks is decided by the caller
//! (from a recorded seed); the store keeps the draw, its population and its samples in one
//! transaction, each audited.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::StoreError;
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::Store;

/// A verified erasure no draw has considered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaCandidate {
    pub erasure_id: Uuid,
    /// The operator who erased.
    pub technician: String,
    pub started_at: DateTime<Utc>,
    /// The ISO week the erasure started in, e.g. `2026-W49`.
    pub week: String,
}

/// A draw to record: the population it considered and the erasures it picked from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewQaDraw {
    pub drawn_by: String,
    pub share_pct: f64,
    /// Hex; with the population it replays the draw.
    pub seed: String,
    pub population: Vec<QaCandidate>,
    /// Erasure ids, each one of the population.
    pub picked: Vec<Uuid>,
}

/// `pass` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaResult {
    Pass,
    Fail,
}

impl QaResult {
    pub fn as_str(self) -> &'static str {
        match self {
            QaResult::Pass => "pass",
            QaResult::Fail => "fail",
        }
    }

    fn from_word(word: &str) -> Option<QaResult> {
        [QaResult::Pass, QaResult::Fail]
            .into_iter()
            .find(|result| result.as_str() == word)
    }
}

/// How a sample was re-checked: the media read back in full, or a person's recorded check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaCheckKind {
    Readback,
    Manual,
}

impl QaCheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QaCheckKind::Readback => "readback",
            QaCheckKind::Manual => "manual",
        }
    }
}

/// One erasure in the verification queue, or checked already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaSample {
    pub id: Uuid,
    pub erasure_id: Uuid,
    pub technician: String,
    pub week: String,
    /// `drawn` by a draw, or `flagged` after a failed sample of the same technician.
    pub reason: String,
    pub draw_id: Option<Uuid>,
    pub flagged_by: Option<Uuid>,
    pub queued_at: DateTime<Utc>,
    pub result: Option<QaResult>,
    pub check_kind: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A re-check to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQaResult {
    pub sample_id: Uuid,
    pub result: QaResult,
    pub check_kind: QaCheckKind,
    /// Must not be the technician who erased.
    pub verifier: String,
    pub note: Option<String>,
}

/// A recorded re-check, and the samples a failure put in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaOutcome {
    pub sample: QaSample,
    pub flagged: Vec<QaSample>,
}

/// The ISO week of a moment, e.g. `2026-W49`.
pub fn iso_week(at: DateTime<Utc>) -> String {
    let week = at.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

const SAMPLE_COLUMNS: &str = "id, erasure_id, technician, week, reason, draw_id, flagged_by, \
     queued_at, result, check_kind, verified_by, verified_at, note";

impl Store {
    /// Verified erasures that no draw has considered, oldest first.
    pub fn qa_candidates(&self) -> Result<Vec<QaCandidate>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, operator, started_at FROM erasures
             WHERE status = 'verified'
               AND id NOT IN (SELECT value FROM qa_draws, json_each(qa_draws.population_json))
             ORDER BY started_at, id",
        )?;
        let mut rows = statement.query([])?;
        let mut candidates = Vec::new();
        while let Some(row) = rows.next()? {
            let started_at = parse_timestamp(
                &text_column(row, "started_at", "erasures")?,
                "erasures.started_at",
            )?;
            candidates.push(QaCandidate {
                erasure_id: parse_uuid(&text_column(row, "id", "erasures")?, "erasures.id")?,
                technician: text_column(row, "operator", "erasures")?,
                started_at,
                week: iso_week(started_at),
            });
        }
        Ok(candidates)
    }

    /// Records a draw and queues the erasures it picked. Quality managers and admins draw.
    pub fn record_qa_draw(
        &mut self,
        draw: &NewQaDraw,
    ) -> Result<(Uuid, Vec<QaSample>), StoreError> {
        if !(draw.share_pct > 0.0 && draw.share_pct <= 100.0) {
            return Err(invalid(
                "share_pct",
                format!(
                    "is {}; give a share above 0 and at most 100",
                    draw.share_pct
                ),
            ));
        }
        for picked in &draw.picked {
            if !draw
                .population
                .iter()
                .any(|candidate| candidate.erasure_id == *picked)
            {
                return Err(invalid(
                    "picked",
                    format!("names erasure {picked}, which is not in the draw's population"),
                ));
            }
        }
        let station_id = self.station_id;
        let id = Uuid::now_v7();
        self.write("record a verification draw", |tx| {
            authorize(tx, &draw.drawn_by, Action::ManageSettings)?;
            let population: Vec<String> = draw.population.iter().map(|c| id_text(c.erasure_id)).collect();
            let now = Utc::now();
            tx.execute(
                "INSERT INTO qa_draws (id, station_id, drawn_at, drawn_by, share_pct, seed, population_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    id_text(id),
                    id_text(station_id),
                    timestamp(now),
                    draw.drawn_by,
                    draw.share_pct,
                    draw.seed,
                    serde_json::to_string(&population).map_err(|e| invalid("population", e.to_string()))?,
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &draw.drawn_by,
                    action: "qa.drawn",
                    entity: Entity::QaDraw,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::QaDraw, id)?,
                },
            )?;
            let mut samples = Vec::new();
            for candidate in draw.population.iter().filter(|c| draw.picked.contains(&c.erasure_id)) {
                let sample = queue(tx, station_id, &draw.drawn_by, candidate, "drawn", Some(id), None, now)?;
                samples.push(sample);
            }
            Ok((id, samples))
        })
    }

    /// Every sample, those waiting first (oldest first), then those checked (newest first).
    pub fn qa_samples(&self) -> Result<Vec<QaSample>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {SAMPLE_COLUMNS} FROM qa_samples
             ORDER BY result IS NOT NULL, CASE WHEN result IS NULL THEN queued_at END,
                      verified_at DESC, id"
        ))?;
        let mut rows = statement.query([])?;
        let mut samples = Vec::new();
        while let Some(row) = rows.next()? {
            samples.push(sample_from_row(row)?);
        }
        Ok(samples)
    }

    /// The sample of an erasure still waiting in the queue.
    pub fn open_qa_sample(&self, erasure_id: Uuid) -> Result<Option<QaSample>, StoreError> {
        open_sample(&self.conn, erasure_id)
    }

    /// Records a re-check. A failure queues the technician's other verified erasures since their
    /// last passed sample, each flagged by this one.
    pub fn record_qa_result(&mut self, result: &NewQaResult) -> Result<QaOutcome, StoreError> {
        let station_id = self.station_id;
        self.write("record a verification result", |tx| {
            authorize(tx, &result.verifier, Action::Erase)?;
            let sample = read_sample(tx, result.sample_id)?.ok_or_else(|| {
                invalid("sample", format!("{} is not in the verification queue", result.sample_id))
            })?;
            if sample.result.is_some() {
                return Err(invalid("sample", format!("{} was already checked; a result is written once", sample.id)));
            }
            if sample.technician.eq_ignore_ascii_case(&result.verifier) {
                return Err(StoreError::SelfVerification {
                    erasure: sample.erasure_id,
                    operator: result.verifier.clone(),
                });
            }
            let now = Utc::now();
            let before = audit::record_digest(tx, Entity::QaSample, sample.id)?;
            tx.execute(
                "UPDATE qa_samples SET result = ?2, check_kind = ?3, verified_by = ?4, verified_at = ?5, note = ?6
                 WHERE id = ?1",
                rusqlite::params![
                    id_text(sample.id),
                    result.result.as_str(),
                    result.check_kind.as_str(),
                    result.verifier,
                    timestamp(now),
                    result.note.as_deref().map(str::trim).filter(|note| !note.is_empty()),
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &result.verifier,
                    action: "qa.verified",
                    entity: Entity::QaSample,
                    entity_id: sample.id,
                    before,
                    after: audit::record_digest(tx, Entity::QaSample, sample.id)?,
                },
            )?;
            let mut flagged = Vec::new();
            if result.result == QaResult::Fail {
                for candidate in since_last_pass(tx, &sample)? {
                    flagged.push(queue(tx, station_id, &result.verifier, &candidate, "flagged", None, Some(sample.id), now)?);
                }
            }
            let sample = read_sample(tx, sample.id)?.expect("the sample just updated");
            Ok(QaOutcome { sample, flagged })
        })
    }
}

/// The technician's verified erasures started after the erasure of their last passed sample (all
/// of them when none passed), other than `failed`'s own and those already waiting.
fn since_last_pass(tx: &Connection, failed: &QaSample) -> Result<Vec<QaCandidate>, StoreError> {
    let last_pass: Option<String> = tx
        .query_row(
            "SELECT max(e.started_at) FROM qa_samples s JOIN erasures e ON e.id = s.erasure_id
             WHERE s.technician = ?1 AND s.result = 'pass'",
            [&failed.technician],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let mut statement = tx.prepare_cached(
        "SELECT id, operator, started_at FROM erasures
         WHERE operator = ?1 AND status = 'verified' AND id != ?2
           AND (?3 IS NULL OR started_at > ?3)
           AND id NOT IN (SELECT erasure_id FROM qa_samples WHERE result IS NULL)
         ORDER BY started_at, id",
    )?;
    let mut rows = statement.query(rusqlite::params![
        failed.technician,
        id_text(failed.erasure_id),
        last_pass
    ])?;
    let mut candidates = Vec::new();
    while let Some(row) = rows.next()? {
        let started_at = parse_timestamp(
            &text_column(row, "started_at", "erasures")?,
            "erasures.started_at",
        )?;
        candidates.push(QaCandidate {
            erasure_id: parse_uuid(&text_column(row, "id", "erasures")?, "erasures.id")?,
            technician: text_column(row, "operator", "erasures")?,
            started_at,
            week: iso_week(started_at),
        });
    }
    Ok(candidates)
}

#[allow(clippy::too_many_arguments)]
fn queue(
    tx: &Connection,
    station_id: Uuid,
    operator: &str,
    candidate: &QaCandidate,
    reason: &str,
    draw_id: Option<Uuid>,
    flagged_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<QaSample, StoreError> {
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO qa_samples (id, station_id, erasure_id, technician, week, reason, draw_id, flagged_by, queued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            id_text(id),
            id_text(station_id),
            id_text(candidate.erasure_id),
            candidate.technician,
            candidate.week,
            reason,
            draw_id.map(id_text),
            flagged_by.map(id_text),
            timestamp(now),
        ],
    )?;
    audit::append(
        tx,
        station_id,
        AuditWrite {
            operator,
            action: "qa.queued",
            entity: Entity::QaSample,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::QaSample, id)?,
        },
    )?;
    Ok(read_sample(tx, id)?.expect("the sample just queued"))
}

fn open_sample(conn: &Connection, erasure_id: Uuid) -> Result<Option<QaSample>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SAMPLE_COLUMNS} FROM qa_samples WHERE erasure_id = ?1 AND result IS NULL"
    ))?;
    let mut rows = statement.query([id_text(erasure_id)])?;
    rows.next()?.map(sample_from_row).transpose()
}

fn read_sample(conn: &Connection, id: Uuid) -> Result<Option<QaSample>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SAMPLE_COLUMNS} FROM qa_samples WHERE id = ?1"
    ))?;
    let mut rows = statement.query([id_text(id)])?;
    rows.next()?.map(sample_from_row).transpose()
}

fn optional_uuid(row: &Row<'_>, column: &str) -> Result<Option<Uuid>, StoreError> {
    row.get::<_, Option<String>>(column)?
        .map(|text| parse_uuid(&text, &format!("qa_samples.{column}")))
        .transpose()
}

fn sample_from_row(row: &Row<'_>) -> Result<QaSample, StoreError> {
    let result = match row.get::<_, Option<String>>("result")? {
        Some(word) => Some(QaResult::from_word(&word).ok_or_else(|| {
            crate::error::corrupt("qa_samples.result", format!("{word:?} is not pass or fail"))
        })?),
        None => None,
    };
    Ok(QaSample {
        id: parse_uuid(&text_column(row, "id", "qa_samples")?, "qa_samples.id")?,
        erasure_id: parse_uuid(
            &text_column(row, "erasure_id", "qa_samples")?,
            "qa_samples.erasure_id",
        )?,
        technician: text_column(row, "technician", "qa_samples")?,
        week: text_column(row, "week", "qa_samples")?,
        reason: text_column(row, "reason", "qa_samples")?,
        draw_id: optional_uuid(row, "draw_id")?,
        flagged_by: optional_uuid(row, "flagged_by")?,
        queued_at: parse_timestamp(
            &text_column(row, "queued_at", "qa_samples")?,
            "qa_samples.queued_at",
        )?,
        result,
        check_kind: row.get("check_kind")?,
        verified_by: row.get("verified_by")?,
        verified_at: row
            .get::<_, Option<String>>("verified_at")?
            .map(|text| parse_timestamp(&text, "qa_samples.verified_at"))
            .transpose()?,
        note: row.get("note")?,
    })
}

fn invalid(field: &str, reason: String) -> StoreError {
    StoreError::InvalidQa {
        field: field.to_owned(),
        reason,
    }
}
