//! Who may work at this station, and in which role.
//!
//! Changes act as the workstation's operator, who must be an admin; while no operator exists at
//! all, the operating-system user acts as admin so that the first one can be added. The store
//! enforces the roles; this module gives its refusals their codes.

use chrono::{DateTime, Utc};
use refurbdesk_store::{Operator, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::paths::DataPaths;
use crate::workstation::Workstation;

/// An operator's role (`technician`, `auditor`, `quality_manager`, `admin`); parses from those
/// words.
pub use refurbdesk_store::{Role, UnknownRoleError};

/// A person who may work at the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OperatorInfo {
    pub id: Uuid,
    pub name: String,
    #[ts(type = "\"technician\" | \"auditor\" | \"quality_manager\" | \"admin\"")]
    pub role: Role,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub station_id: Uuid,
}

impl From<Operator> for OperatorInfo {
    fn from(operator: Operator) -> Self {
        Self {
            id: operator.id,
            name: operator.name,
            role: operator.role,
            disabled: operator.disabled,
            created_at: operator.created_at,
            station_id: operator.station_id,
        }
    }
}

/// An operator to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddOperatorParams {
    /// The name every record they make will show.
    pub name: String,
    #[ts(type = "\"technician\" | \"auditor\" | \"quality_manager\" | \"admin\"")]
    pub role: Role,
}

/// The operator registered, and who registered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OperatorAdded {
    pub operator: OperatorInfo,
    /// Set when no operator existed yet, so this operating-system user acted as admin to add
    /// the first one.
    pub bootstrap_admin: Option<String>,
}

/// An operator to disable or enable (case does not matter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OperatorNameParams {
    pub name: String,
}

/// Every operator, enabled or disabled.
pub fn list(ws: &Workstation) -> Result<Vec<OperatorInfo>> {
    Ok(ws
        .store
        .list_operators()?
        .into_iter()
        .map(OperatorInfo::from)
        .collect())
}

/// Registers an operator (an admin's act; the very first operator must be an admin).
/// Checks an operator to add before any database is opened or created, so that a refused first
/// command leaves no database behind: the name, and, with no database yet, that the first
/// operator is an admin. With a database, [`add`] checks everything against it.
pub fn check_before_opening(paths: &DataPaths, params: &AddOperatorParams) -> Result<()> {
    refurbdesk_store::check_operator_name(&params.name)
        .map_err(|error| operator_error(error, &params.name))?;
    if !paths.database.exists() && params.role != Role::Admin {
        return Err(operator_error(
            StoreError::FirstOperatorMustBeAdmin {
                name: params.name.clone(),
                role: params.role,
            },
            &params.name,
        ));
    }
    Ok(())
}

pub fn add(ws: &mut Workstation, params: AddOperatorParams) -> Result<OperatorAdded> {
    crate::site::refuse_local_operators(&ws.store)?;
    let actor = ws.actor_adding_operator()?;
    let operator = ws
        .store
        .add_operator(&params.name, params.role, &actor)
        .map_err(|error| operator_error(error, &params.name))?;
    Ok(OperatorAdded {
        operator: operator.into(),
        bootstrap_admin: actor.bootstrap.then(|| actor.name.clone()),
    })
}

/// Stops an operator from acting; their records stay as they are.
pub fn disable(ws: &mut Workstation, params: OperatorNameParams) -> Result<OperatorInfo> {
    crate::site::refuse_local_operators(&ws.store)?;
    let actor = ws.actor()?;
    let operator = ws
        .store
        .disable_operator(&params.name, &actor)
        .map_err(|error| operator_error(error, &params.name))?;
    Ok(operator.into())
}

/// Lets a disabled operator act again.
pub fn enable(ws: &mut Workstation, params: OperatorNameParams) -> Result<OperatorInfo> {
    crate::site::refuse_local_operators(&ws.store)?;
    let actor = ws.actor()?;
    let operator = ws
        .store
        .enable_operator(&params.name, &actor)
        .map_err(|error| operator_error(error, &params.name))?;
    Ok(operator.into())
}

/// Refusals about the operator being changed are refusals, an unknown target is not found, a
/// name that cannot be used is a usage error; the rest is as for every use case.
fn operator_error(error: StoreError, target: &str) -> Error {
    let code = match &error {
        StoreError::UnknownOperator { name } if name.eq_ignore_ascii_case(target) => {
            Some(ErrorCode::NotFound)
        }
        StoreError::OperatorExists { .. }
        | StoreError::LastAdmin { .. }
        | StoreError::FirstOperatorMustBeAdmin { .. } => Some(ErrorCode::Refused),
        StoreError::InvalidOperatorName { .. } => Some(ErrorCode::Usage),
        _ => None,
    };
    let mut error = Error::from(error);
    if let Some(code) = code {
        error.code = code;
    }
    error
}
