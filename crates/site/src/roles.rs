//! One PostgreSQL role per station (a site administrator's act): it may insert its own
//! station's rows only, bound to its station by the station's first push, and never update or
//! delete another station's rows or any audit entry (row-level security, schema version 2).

use serde::{Deserialize, Serialize};

use crate::{classify, Site, SiteError};

/// A station role just created: its password is shown this once and kept nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStationRole {
    pub station_name: String,
    pub role: String,
    pub password: String,
}

impl Site {
    /// Creates the role of the station called `name` (letters, digits, `-` and `_`), with a
    /// new random password.
    pub fn add_station(&mut self, name: &str) -> Result<NewStationRole, SiteError> {
        self.require_schema()?;
        let role = role_name(name)?;
        let mut secret = [0_u8; 24];
        getrandom::fill(&mut secret).map_err(|error| SiteError::Database {
            site: self.shown.clone(),
            message: format!("no randomness for the role's password: {error}"),
        })?;
        let password = hex::encode(secret);
        let shown = self.shown.clone();
        let mut tx = self.client.transaction().map_err(|e| classify(&shown, e))?;
        tx.execute(
            "INSERT INTO site_station_roles (role_name, station_name) VALUES ($1, $2)",
            &[&role, &name],
        )
        .map_err(|e| classify(&shown, e))?;
        // Utility statements take no parameters: the name was checked to be [a-z0-9_] and the
        // password is hex.
        tx.batch_execute(&format!(
            "CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}' IN ROLE refurbdesk_station"
        ))
        .map_err(|e| classify(&shown, e))?;
        tx.commit().map_err(|e| classify(&shown, e))?;
        Ok(NewStationRole {
            station_name: name.to_owned(),
            role,
            password,
        })
    }

    /// Disables the station's role: it can no longer log in or write; its rows stay.
    pub fn remove_station(&mut self, name: &str) -> Result<String, SiteError> {
        self.require_schema()?;
        let role = role_name(name)?;
        let shown = self.shown.clone();
        let mut tx = self.client.transaction().map_err(|e| classify(&shown, e))?;
        let updated = tx
            .execute(
                "UPDATE site_station_roles SET disabled_at = now()
                 WHERE role_name = $1 AND disabled_at IS NULL",
                &[&role],
            )
            .map_err(|e| classify(&shown, e))?;
        if updated == 0 {
            return Err(SiteError::UnknownStation {
                site: shown,
                name: name.to_owned(),
            });
        }
        tx.batch_execute(&format!("ALTER ROLE \"{role}\" NOLOGIN"))
            .map_err(|e| classify(&shown, e))?;
        tx.commit().map_err(|e| classify(&shown, e))?;
        Ok(role)
    }
}

/// `refurbdesk_station_<name>`, lowercase, `-` as `_`.
fn role_name(name: &str) -> Result<String, SiteError> {
    let word: String = name.trim().to_lowercase().replace('-', "_");
    if word.is_empty()
        || word.len() > 40
        || !word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(SiteError::StationName {
            name: name.to_owned(),
        });
    }
    Ok(format!("refurbdesk_station_{word}"))
}
