//! Operators' confirmations of a lock verdict the bench left `unknown`.

use chrono::{DateTime, Utc};
use refurbdesk_domain::LockVerdictKind;
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::{Action, Actor};
use crate::store::Store;

/// A confirmation to record: the intake whose lock verdict was unknown, and what the operator
/// found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLockConfirmation {
    pub device_id: Uuid,
    pub intake_id: Uuid,
    /// `Clear` or `Blocked`.
    pub verdict: LockVerdictKind,
    pub note: String,
}

/// A recorded confirmation: who said the lock is clear or blocked, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LockConfirmationRecord {
    pub id: Uuid,
    pub device_id: Uuid,
    pub intake_id: Uuid,
    #[cfg_attr(feature = "ts", ts(type = "\"clear\" | \"blocked\""))]
    pub verdict: LockVerdictKind,
    pub note: String,
    pub operator: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub confirmed_at: DateTime<Utc>,
    pub station_id: Uuid,
}

impl Store {
    /// Records an operator's confirmation of a lock verdict (someone who may grade); audited
    /// as `lock.confirmed`. Only `Clear` and `Blocked` can be confirmed.
    pub fn record_lock_confirmation(
        &mut self,
        new: &NewLockConfirmation,
        acting: &Actor,
    ) -> Result<LockConfirmationRecord, StoreError> {
        if new.verdict == LockVerdictKind::Unknown {
            return Err(corrupt(
                "lock_confirmations.verdict",
                "a confirmation says clear or blocked",
            ));
        }
        let station_id = self.station_id;
        self.write("record a lock confirmation", |tx| {
            authorize(tx, &acting.name, Action::Grade)?;
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO lock_confirmations
                    (id, device_id, intake_id, verdict, note, operator, confirmed_at, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    id_text(id),
                    id_text(new.device_id),
                    id_text(new.intake_id),
                    new.verdict.as_str(),
                    new.note,
                    acting.name,
                    timestamp(Utc::now()),
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "lock.confirmed",
                    entity: Entity::LockConfirmation,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::LockConfirmation, id)?,
                },
            )?;
            let mut statement =
                tx.prepare_cached("SELECT * FROM lock_confirmations WHERE id = ?1")?;
            let mut rows = statement.query([id_text(id)])?;
            match rows.next()? {
                Some(row) => confirmation_from_row(row),
                None => Err(corrupt("lock_confirmations", "a new confirmation vanished")),
            }
        })
    }

    /// The latest confirmation of an intake's lock verdict, the one grading uses.
    pub fn lock_confirmation(
        &self,
        intake_id: Uuid,
    ) -> Result<Option<LockConfirmationRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM lock_confirmations WHERE intake_id = ?1
             ORDER BY confirmed_at DESC, id DESC LIMIT 1",
        )?;
        let mut rows = statement.query([id_text(intake_id)])?;
        rows.next()?.map(confirmation_from_row).transpose()
    }

    /// Every confirmation of a device's locks, newest first.
    pub fn lock_confirmations(
        &self,
        device_id: Uuid,
    ) -> Result<Vec<LockConfirmationRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM lock_confirmations WHERE device_id = ?1
             ORDER BY confirmed_at DESC, id DESC",
        )?;
        let mut rows = statement.query([id_text(device_id)])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(confirmation_from_row(row)?);
        }
        Ok(list)
    }
}

fn confirmation_from_row(row: &Row<'_>) -> Result<LockConfirmationRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "lock_confirmations");
    Ok(LockConfirmationRecord {
        id: parse_uuid(&text("id")?, "lock_confirmations.id")?,
        device_id: parse_uuid(&text("device_id")?, "lock_confirmations.device_id")?,
        intake_id: parse_uuid(&text("intake_id")?, "lock_confirmations.intake_id")?,
        verdict: text("verdict")?
            .parse()
            .map_err(|error| corrupt("lock_confirmations.verdict", error))?,
        note: text("note")?,
        operator: text("operator")?,
        confirmed_at: parse_timestamp(&text("confirmed_at")?, "lock_confirmations.confirmed_at")?,
        station_id: parse_uuid(&text("station_id")?, "lock_confirmations.station_id")?,
    })
}
