//! Operators' PINs and the record of every attempt to give one.
//!
//! The store keeps a PIN only as the hash string the application made (Argon2, PHC format) and
//! knows nothing of hashing; it records each attempt (right, wrong, or refused while the
//! operator is locked out) and tells how many wrong ones came in a row, so the application can
//! decide when an operator is locked out and for how long.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, timestamp};
use crate::error::StoreError;
use crate::operators::{authorize, find_operator, usable_operator};
use crate::roles::{Action, Actor};
use crate::store::Store;
use crate::Operator;

/// An operator's PIN as stored: its hash, and when and by whom it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub operator_id: Uuid,
    /// The Argon2 hash in PHC string format.
    pub pin_hash: String,
    pub set_at: DateTime<Utc>,
    pub set_by: String,
}

/// How an attempt to give a PIN ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PinAttempt {
    /// The PIN was right.
    Ok,
    /// The PIN was wrong.
    Wrong,
    /// Refused without looking at the PIN: the operator was locked out.
    Locked,
}

impl PinAttempt {
    pub fn as_str(self) -> &'static str {
        match self {
            PinAttempt::Ok => "ok",
            PinAttempt::Wrong => "wrong",
            PinAttempt::Locked => "locked",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            PinAttempt::Ok => "session.pin_accepted",
            PinAttempt::Wrong => "session.pin_refused",
            PinAttempt::Locked => "session.locked_out",
        }
    }
}

/// The wrong PINs given since the operator's last right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WrongPins {
    /// How many wrong PINs in a row (attempts refused while locked out do not count).
    pub in_a_row: u32,
    /// When the latest of them was given.
    pub last_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Whether any operator has a PIN. While none has, the station works as it always did: a
    /// name (or the operating-system user) is enough.
    pub fn any_pin(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM operator_pins)", [], |row| {
                row.get(0)
            })?)
    }

    /// The operator named (case does not matter) and their PIN, if they have one; `None` when
    /// no such operator exists.
    pub fn operator_with_pin(
        &self,
        name: &str,
    ) -> Result<Option<(Operator, Option<PinRecord>)>, StoreError> {
        let Some(operator) = find_operator(&self.conn, name)? else {
            return Ok(None);
        };
        let pin = pin_of(&self.conn, operator.id)?;
        Ok(Some((operator, pin)))
    }

    /// Sets or replaces the PIN (as its hash) of the operator `name`. Operators set their own;
    /// an admin may set anyone's. Audited as `operator.pin_set` or `operator.pin_changed`.
    pub fn set_pin(
        &mut self,
        name: &str,
        pin_hash: &str,
        acting: &Actor,
    ) -> Result<Operator, StoreError> {
        let station_id = self.station_id;
        self.write("set an operator's PIN", |tx| {
            let operator = find_operator(tx, name)?.ok_or_else(|| StoreError::UnknownOperator {
                name: name.to_owned(),
            })?;
            if acting.name.eq_ignore_ascii_case(&operator.name) {
                usable_operator(tx, &acting.name)?;
            } else {
                authorize(tx, &acting.name, Action::ManageOperators).map_err(
                    |error| match error {
                        StoreError::NotAllowed { operator, role, .. } => StoreError::NotAllowed {
                            operator,
                            role,
                            action: Action::ManageOperators,
                        },
                        other => other,
                    },
                )?;
            }
            let before = audit::record_digest(tx, Entity::OperatorPin, operator.id)?;
            tx.execute(
                "INSERT INTO operator_pins (operator_id, pin_hash, set_at, set_by, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (operator_id) DO UPDATE SET
                    pin_hash = excluded.pin_hash, set_at = excluded.set_at,
                    set_by = excluded.set_by, station_id = excluded.station_id",
                rusqlite::params![
                    id_text(operator.id),
                    pin_hash,
                    timestamp(Utc::now()),
                    acting.name,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: if before.is_some() {
                        "operator.pin_changed"
                    } else {
                        "operator.pin_set"
                    },
                    entity: Entity::OperatorPin,
                    entity_id: operator.id,
                    before,
                    after: audit::record_digest(tx, Entity::OperatorPin, operator.id)?,
                },
            )?;
            Ok(operator.clone())
        })
    }

    /// Records an attempt by `operator` to give their PIN, at `at`; audited.
    pub fn record_pin_attempt(
        &mut self,
        operator: &Operator,
        outcome: PinAttempt,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let station_id = self.station_id;
        self.write("record a PIN attempt", |tx| {
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO login_attempts (id, operator_id, at, outcome, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    id_text(id),
                    id_text(operator.id),
                    timestamp(at),
                    outcome.as_str(),
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &operator.name,
                    action: outcome.audit_action(),
                    entity: Entity::LoginAttempt,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::LoginAttempt, id)?,
                },
            )?;
            Ok(())
        })
    }

    /// The wrong PINs `operator_id` gave since their last right one.
    pub fn wrong_pins(&self, operator_id: Uuid) -> Result<WrongPins, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT outcome, at FROM login_attempts WHERE operator_id = ?1
             ORDER BY at DESC, id DESC",
        )?;
        let mut rows = statement.query([id_text(operator_id)])?;
        let mut wrong = WrongPins::default();
        while let Some(row) = rows.next()? {
            let outcome: String = row.get(0)?;
            match outcome.as_str() {
                "ok" => break,
                "wrong" => {
                    wrong.in_a_row += 1;
                    if wrong.last_at.is_none() {
                        let at: String = row.get(1)?;
                        wrong.last_at = Some(parse_timestamp(&at, "login_attempts.at")?);
                    }
                }
                _ => {}
            }
        }
        Ok(wrong)
    }
}

fn pin_of(conn: &Connection, operator_id: Uuid) -> Result<Option<PinRecord>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT pin_hash, set_at, set_by FROM operator_pins WHERE operator_id = ?1",
    )?;
    let row: Option<(String, String, String)> = statement
        .query_row([id_text(operator_id)], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    row.map(|(pin_hash, set_at, set_by)| {
        Ok(PinRecord {
            operator_id,
            pin_hash,
            set_at: parse_timestamp(&set_at, "operator_pins.set_at")?,
            set_by,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::Role;

    #[test]
    fn wrong_pins_are_counted_since_the_last_right_one_and_lock_outs_do_not_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("pins.sqlite")).unwrap();
        let bootstrap = store.resolve_actor(None, "root").unwrap();
        let boss = store.add_operator("boss", Role::Admin, &bootstrap).unwrap();
        let acting = store.resolve_actor(Some("boss"), "root").unwrap();
        assert!(!store.any_pin().unwrap());
        store.set_pin("boss", "$argon2id$fake", &acting).unwrap();
        assert!(store.any_pin().unwrap());
        let (_, pin) = store.operator_with_pin("BOSS").unwrap().unwrap();
        assert_eq!(pin.unwrap().pin_hash, "$argon2id$fake");

        let at = |minute: i64| {
            Utc.with_ymd_and_hms(2026, 1, 2, 10, 0, 0).unwrap() + Duration::minutes(minute)
        };
        assert_eq!(store.wrong_pins(boss.id).unwrap(), WrongPins::default());
        for (minute, outcome) in [
            (0, PinAttempt::Wrong),
            (1, PinAttempt::Ok),
            (2, PinAttempt::Wrong),
            (3, PinAttempt::Wrong),
            (4, PinAttempt::Locked),
        ] {
            store
                .record_pin_attempt(&boss, outcome, at(minute))
                .unwrap();
        }
        assert_eq!(
            store.wrong_pins(boss.id).unwrap(),
            WrongPins {
                in_a_row: 2,
                last_at: Some(at(3)),
            }
        );
        // History: the rows cannot be changed, and every one is audited.
        assert!(store
            .conn
            .execute("DELETE FROM login_attempts", [])
            .is_err());
        assert!(store.check().unwrap().is_ok());
    }
}
