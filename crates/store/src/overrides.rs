//! What a person decided over what a machine found, kept beside both: a technician's checklist
//! answer over a bench test that failed, and a certificate reissued to replace another.
//!
//! Both are rows of their own tables (schema version 12), written in the same transaction as the
//! grade or certificate they belong to, each with its own audit entry; the grade's and the
//! certificate's rows are untouched, so their audit digests are those of the day they were
//! written.

use chrono::{DateTime, Utc};
use refurbdesk_domain::Answer;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::{corrupt, StoreError};
use crate::store::Store;

/// A checklist item whose bench test failed and which the technician answered otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewChecklistOverride {
    /// The checklist item id, e.g. `camera_rear`.
    pub item: String,
    /// The technician's answer: `pass` or `na` (a `fail` agrees with the bench).
    pub answer: Answer,
}

/// A recorded override: the bench said fail, the technician answered `answer`; both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistOverrideRecord {
    pub id: Uuid,
    /// The grade decided from the technician's answer.
    pub grade_id: Uuid,
    pub device_id: Uuid,
    pub intake_id: Uuid,
    pub item: String,
    /// What the bench said: always `fail`.
    pub bench: String,
    #[cfg_attr(feature = "ts", ts(type = "\"pass\" | \"na\""))]
    pub answer: Answer,
    pub operator: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub recorded_at: DateTime<Utc>,
    pub station_id: Uuid,
}

/// A certificate issued to replace another one of the same erasure, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertificateReplacementRecord {
    pub id: Uuid,
    /// The new certificate.
    pub certificate_id: Uuid,
    /// The certificate it replaces, which stays valid.
    pub replaces_id: Uuid,
    pub reason: String,
    pub operator: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub recorded_at: DateTime<Utc>,
    pub station_id: Uuid,
}

/// What a grade's row shares with its overrides.
pub(crate) struct OverrideOf<'a> {
    pub station_id: Uuid,
    pub grade_id: Uuid,
    pub device: &'a str,
    pub intake: &'a str,
    pub at: &'a str,
    pub operator: &'a str,
}

/// Writes a grade's overrides, each with its audit entry, inside the grade's transaction.
pub(crate) fn insert_overrides(
    tx: &Connection,
    of: &OverrideOf<'_>,
    overrides: &[NewChecklistOverride],
) -> Result<(), StoreError> {
    for new in overrides {
        let id = Uuid::now_v7();
        tx.prepare_cached(
            "INSERT INTO checklist_overrides (id, grade_id, device_id, intake_id, item, bench,
                                              answer, operator, recorded_at, station_id)
             VALUES (?1, ?2, ?3, ?4, ?5, 'fail', ?6, ?7, ?8, ?9)",
        )?
        .execute(rusqlite::params![
            id_text(id),
            id_text(of.grade_id),
            of.device,
            of.intake,
            new.item,
            new.answer.as_str(),
            of.operator,
            of.at,
            id_text(of.station_id),
        ])?;
        audit::append(
            tx,
            of.station_id,
            AuditWrite {
                operator: of.operator,
                action: "checklist.override_recorded",
                entity: Entity::ChecklistOverride,
                entity_id: id,
                before: None,
                after: audit::record_digest(tx, Entity::ChecklistOverride, id)?,
            },
        )?;
    }
    Ok(())
}

/// Records that `certificate_id` replaces `replaces_id`, inside the certificate's transaction.
pub(crate) fn insert_replacement(
    tx: &Connection,
    station_id: Uuid,
    certificate_id: Uuid,
    replaces_id: Uuid,
    reason: &str,
    operator: &str,
) -> Result<(), StoreError> {
    let id = Uuid::now_v7();
    tx.prepare_cached(
        "INSERT INTO certificate_replacements (id, certificate_id, replaces_id, reason, operator,
                                               recorded_at, station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        id_text(id),
        id_text(certificate_id),
        id_text(replaces_id),
        reason.trim(),
        operator,
        timestamp(Utc::now()),
        id_text(station_id),
    ])?;
    audit::append(
        tx,
        station_id,
        AuditWrite {
            operator,
            action: "certificate.replaced",
            entity: Entity::CertificateReplacement,
            entity_id: id,
            before: None,
            after: audit::record_digest(tx, Entity::CertificateReplacement, id)?,
        },
    )?;
    Ok(())
}

/// The replacement that names `certificate_id` as the new or the replaced certificate.
pub(crate) fn replacement_where(
    conn: &Connection,
    column: &str,
    certificate_id: Uuid,
) -> Result<Option<CertificateReplacementRecord>, StoreError> {
    let sql = match column {
        "certificate_id" => "SELECT * FROM certificate_replacements WHERE certificate_id = ?1",
        _ => "SELECT * FROM certificate_replacements WHERE replaces_id = ?1",
    };
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query([id_text(certificate_id)])?;
    rows.next()?.map(replacement_from_row).transpose()
}

impl Store {
    /// Every checklist override of a device, oldest first.
    pub fn checklist_overrides(
        &self,
        device_id: Uuid,
    ) -> Result<Vec<ChecklistOverrideRecord>, StoreError> {
        self.overrides_where(
            "SELECT * FROM checklist_overrides WHERE device_id = ?1 ORDER BY recorded_at, id",
            device_id,
        )
    }

    /// The overrides recorded with one grade, in the order they were written.
    pub fn grade_overrides(
        &self,
        grade_id: Uuid,
    ) -> Result<Vec<ChecklistOverrideRecord>, StoreError> {
        self.overrides_where(
            "SELECT * FROM checklist_overrides WHERE grade_id = ?1 ORDER BY id",
            grade_id,
        )
    }

    fn overrides_where(
        &self,
        sql: &str,
        id: Uuid,
    ) -> Result<Vec<ChecklistOverrideRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut rows = statement.query([id_text(id)])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(override_from_row(row)?);
        }
        Ok(list)
    }

    /// The certificate this one replaces, if it was issued as a replacement.
    pub fn certificate_replaces(
        &self,
        certificate_id: Uuid,
    ) -> Result<Option<CertificateReplacementRecord>, StoreError> {
        replacement_where(&self.conn, "certificate_id", certificate_id)
    }

    /// The certificate issued to replace this one, if any.
    pub fn certificate_replaced_by(
        &self,
        certificate_id: Uuid,
    ) -> Result<Option<CertificateReplacementRecord>, StoreError> {
        replacement_where(&self.conn, "replaces_id", certificate_id)
    }
}

fn override_from_row(row: &Row<'_>) -> Result<ChecklistOverrideRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "checklist_overrides");
    Ok(ChecklistOverrideRecord {
        id: parse_uuid(&text("id")?, "checklist_overrides.id")?,
        grade_id: parse_uuid(&text("grade_id")?, "checklist_overrides.grade_id")?,
        device_id: parse_uuid(&text("device_id")?, "checklist_overrides.device_id")?,
        intake_id: parse_uuid(&text("intake_id")?, "checklist_overrides.intake_id")?,
        item: text("item")?,
        bench: text("bench")?,
        answer: text("answer")?
            .parse()
            .map_err(|error| corrupt("checklist_overrides.answer", error))?,
        operator: text("operator")?,
        recorded_at: parse_timestamp(&text("recorded_at")?, "checklist_overrides.recorded_at")?,
        station_id: parse_uuid(&text("station_id")?, "checklist_overrides.station_id")?,
    })
}

fn replacement_from_row(row: &Row<'_>) -> Result<CertificateReplacementRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "certificate_replacements");
    Ok(CertificateReplacementRecord {
        id: parse_uuid(&text("id")?, "certificate_replacements.id")?,
        certificate_id: parse_uuid(
            &text("certificate_id")?,
            "certificate_replacements.certificate_id",
        )?,
        replaces_id: parse_uuid(
            &text("replaces_id")?,
            "certificate_replacements.replaces_id",
        )?,
        reason: text("reason")?,
        operator: text("operator")?,
        recorded_at: parse_timestamp(
            &text("recorded_at")?,
            "certificate_replacements.recorded_at",
        )?,
        station_id: parse_uuid(&text("station_id")?, "certificate_replacements.station_id")?,
    })
}
