//! The station's operators, and deciding who is acting.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::{corrupt, StoreError};
use crate::roles::{Action, Actor, Role};
use crate::store::Store;

const MAX_NAME_CHARS: usize = 64;

/// A person who may work at the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub station_id: Uuid,
}

impl Store {
    /// Who is acting. While the database has no operators at all, everyone
    /// acts as a local admin named after their OS user, so a new station
    /// can be used at once; after that, `requested` (or else the OS user)
    /// must be a registered, enabled operator.
    pub fn resolve_actor(
        &self,
        requested: Option<&str>,
        os_user: &str,
    ) -> Result<Actor, StoreError> {
        let os_user = os_user.trim();
        if operator_count(&self.conn)? == 0 {
            if os_user.is_empty() {
                return Err(StoreError::NoOperatorName);
            }
            return Ok(Actor {
                name: os_user.to_owned(),
                role: Role::Admin,
                bootstrap: true,
            });
        }
        let name = requested
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or(os_user);
        if name.is_empty() {
            return Err(StoreError::NoOperatorName);
        }
        let operator = usable_operator(&self.conn, name)?;
        Ok(Actor {
            name: operator.name,
            role: operator.role,
            bootstrap: false,
        })
    }

    /// Every operator, enabled or not, by name.
    pub fn list_operators(&self) -> Result<Vec<Operator>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM operators ORDER BY name COLLATE NOCASE")?;
        let mut rows = statement.query([])?;
        let mut operators = Vec::new();
        while let Some(row) = rows.next()? {
            operators.push(operator_from_row(row)?);
        }
        Ok(operators)
    }

    /// Registers an operator. Needs an admin, except for the very first
    /// operator, which must itself be an admin so someone can manage the rest.
    pub fn add_operator(
        &mut self,
        name: &str,
        role: Role,
        acting: &Actor,
    ) -> Result<Operator, StoreError> {
        check_operator_name(name)?;
        let station_id = self.station_id;
        self.write("add an operator", |tx| {
            let first = operator_count(tx)? == 0;
            if first && role != Role::Admin {
                return Err(StoreError::FirstOperatorMustBeAdmin {
                    name: name.to_owned(),
                    role,
                });
            }
            authorize(tx, &acting.name, Action::ManageOperators)?;
            if find_operator(tx, name)?.is_some() {
                return Err(StoreError::OperatorExists {
                    name: name.to_owned(),
                });
            }
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO operators (id, name, role, disabled, created_at, station_id)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5)",
                rusqlite::params![
                    id_text(id),
                    name,
                    role.as_str(),
                    timestamp(Utc::now()),
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "operator.added",
                    entity: Entity::Operator,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Operator, id)?,
                },
            )?;
            find_operator(tx, name)?.ok_or_else(|| corrupt("operators", "a new operator vanished"))
        })
    }

    /// Stops an operator from acting. The last enabled admin cannot be
    /// disabled, or nobody could manage operators any more.
    pub fn disable_operator(&mut self, name: &str, acting: &Actor) -> Result<Operator, StoreError> {
        self.set_operator_disabled(name, true, acting)
    }

    /// Lets a disabled operator act again.
    pub fn enable_operator(&mut self, name: &str, acting: &Actor) -> Result<Operator, StoreError> {
        self.set_operator_disabled(name, false, acting)
    }

    fn set_operator_disabled(
        &mut self,
        name: &str,
        disabled: bool,
        acting: &Actor,
    ) -> Result<Operator, StoreError> {
        let station_id = self.station_id;
        let operation = if disabled {
            "disable an operator"
        } else {
            "enable an operator"
        };
        self.write(operation, |tx| {
            authorize(tx, &acting.name, Action::ManageOperators)?;
            let operator = find_operator(tx, name)?.ok_or_else(|| StoreError::UnknownOperator {
                name: name.to_owned(),
            })?;
            if operator.disabled == disabled {
                return Ok(operator);
            }
            if disabled && operator.role == Role::Admin && enabled_admin_count(tx)? <= 1 {
                return Err(StoreError::LastAdmin {
                    name: operator.name,
                });
            }
            let before = audit::record_digest(tx, Entity::Operator, operator.id)?;
            tx.execute(
                "UPDATE operators SET disabled = ?1 WHERE id = ?2",
                rusqlite::params![disabled, id_text(operator.id)],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: if disabled {
                        "operator.disabled"
                    } else {
                        "operator.enabled"
                    },
                    entity: Entity::Operator,
                    entity_id: operator.id,
                    before,
                    after: audit::record_digest(tx, Entity::Operator, operator.id)?,
                },
            )?;
            Ok(Operator {
                disabled,
                ..operator
            })
        })
    }
}

/// Refuses `name` unless it may perform `action`. Checked inside each write
/// transaction against the operator list as it is then, so a role change or
/// a disabling takes effect at once, in every program.
pub(crate) fn authorize(tx: &Connection, name: &str, action: Action) -> Result<(), StoreError> {
    if operator_count(tx)? == 0 {
        return Ok(());
    }
    let operator = usable_operator(tx, name)?;
    if operator.role.can(action) {
        Ok(())
    } else {
        Err(StoreError::NotAllowed {
            operator: operator.name,
            role: operator.role,
            action,
        })
    }
}

pub(crate) fn usable_operator(conn: &Connection, name: &str) -> Result<Operator, StoreError> {
    let operator = find_operator(conn, name)?.ok_or_else(|| StoreError::UnknownOperator {
        name: name.to_owned(),
    })?;
    if operator.disabled {
        return Err(StoreError::DisabledOperator {
            name: operator.name,
        });
    }
    Ok(operator)
}

fn operator_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT COUNT(*) FROM operators", [], |row| row.get(0))?)
}

fn enabled_admin_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM operators WHERE role = 'admin' AND disabled = 0",
        [],
        |row| row.get(0),
    )?)
}

/// Names are matched without regard to ASCII case, so "Ana" and "ana" are
/// one operator.
pub(crate) fn find_operator(conn: &Connection, name: &str) -> Result<Option<Operator>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM operators WHERE name = ?1")?;
    let mut rows = statement.query([name])?;
    rows.next()?.map(operator_from_row).transpose()
}

fn operator_from_row(row: &Row<'_>) -> Result<Operator, StoreError> {
    let text = |column: &str| text_column(row, column, "operators");
    let role = text("role")?;
    Ok(Operator {
        id: parse_uuid(&text("id")?, "operators.id")?,
        name: text("name")?,
        role: role
            .parse()
            .map_err(|error| corrupt("operators.role", error))?,
        disabled: row
            .get::<_, bool>("disabled")
            .map_err(|error| corrupt("operators.disabled", error))?,
        created_at: parse_timestamp(&text("created_at")?, "operators.created_at")?,
        station_id: parse_uuid(&text("station_id")?, "operators.station_id")?,
    })
}

/// Whether `name` may name an operator (not empty, no surrounding spaces or control
/// characters, at most 64 characters); checked again when the operator is added.
pub fn check_operator_name(name: &str) -> Result<(), StoreError> {
    let refuse = |reason: &str| {
        Err(StoreError::InvalidOperatorName {
            name: name.to_owned(),
            reason: reason.to_owned(),
        })
    };
    if name.trim().is_empty() {
        return refuse("it is empty; give the operator's name");
    }
    if name.trim() != name {
        return refuse("it starts or ends with spaces; remove them");
    }
    if name.chars().any(char::is_control) {
        return refuse("it contains control characters; use letters, digits and punctuation");
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return refuse("it is longer than 64 characters; use a shorter name");
    }
    Ok(())
}
