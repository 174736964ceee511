//! What comes down from the site database to an attached station: operators and their roles,
//! organisation-wide settings and every station's published signing keys, applied in one
//! transaction and audited like any local change (operator `site`), and the attachment itself,
//! which makes the site the owner of those settings.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::certificates::{publish_key, write_setting, SettingWrite, SigningKeyRecord};
use crate::codec::{id_text, parse_timestamp, timestamp};
use crate::error::StoreError;
use crate::operators::{authorize, check_operator_name, find_operator};
use crate::roles::{Action, Role};
use crate::store::Store;

/// The operator name the audit log shows for changes that came down from the site.
pub const SITE_OPERATOR: &str = "site";

/// The site this station is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteAttachment {
    /// The site's address without its password.
    pub site: String,
    pub attached_at: DateTime<Utc>,
    pub pulled_at: DateTime<Utc>,
}

/// An operator as the site holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteOperator {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
}

/// A signing key published by some station of the site (its creation time as that station
/// wrote it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteKey {
    pub key_id: String,
    pub algorithm: String,
    pub public_key: String,
    pub fingerprint: String,
    pub created_at: String,
}

/// Everything the site owns, as one pull read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePull {
    pub settings: Vec<(String, String)>,
    pub operators: Vec<SiteOperator>,
    pub keys: Vec<SiteKey>,
}

/// What a pull changed at the station.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePullApplied {
    pub settings_changed: u32,
    pub operators_changed: u32,
    pub keys_added: u32,
}

impl Store {
    /// The site this station is attached to, if any.
    pub fn site_attachment(&self) -> Result<Option<SiteAttachment>, StoreError> {
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT site, attached_at, pulled_at FROM site_attachment WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        row.map(|(site, attached_at, pulled_at)| {
            Ok::<_, StoreError>(SiteAttachment {
                site,
                attached_at: parse_timestamp(&attached_at, "site_attachment.attached_at")?,
                pulled_at: parse_timestamp(&pulled_at, "site_attachment.pulled_at")?,
            })
        })
        .transpose()
    }

    /// Attaches the station to `site` (its address without password) and applies what the site
    /// owns, in one transaction: settings set or changed, operators added, their role or
    /// disabling followed, signing keys not yet known published. Each change is audited as the
    /// operator `site`. Settings and operators the site does not name stay as they are.
    ///
    /// Attaching (the first pull, or a pull from another site) hands the station's operators
    /// and settings to that site, so only `operator` as someone who may manage operators may do
    /// it; refreshing from the site already attached only takes what that site says, which any
    /// operator may.
    pub fn apply_site_pull(
        &mut self,
        site: &str,
        pull: &SitePull,
        operator: &str,
    ) -> Result<SitePullApplied, StoreError> {
        for operator in &pull.operators {
            check_operator_name(&operator.name)?;
        }
        let station_id = self.station_id;
        self.write("apply what the site owns", |tx| {
            let attached: Option<String> = tx
                .query_row("SELECT site FROM site_attachment WHERE id = 1", [], |row| {
                    row.get(0)
                })
                .optional()?;
            let action = if attached.as_deref() == Some(site) {
                Action::Read
            } else {
                Action::ManageOperators
            };
            authorize(tx, operator, action)?;
            apply_owned(tx, station_id, site, pull)
        })
    }

    /// Takes the site's changes for a station already attached to `site`, as a running station
    /// does in the background: the same changes as [`Store::apply_site_pull`], audited as
    /// operator `site`, with no operator acting (the station asked for them when it was
    /// attached). `None`, with nothing changed, when the station is not attached to `site`:
    /// attaching stays an admin's `site pull`.
    pub fn refresh_from_site(
        &mut self,
        site: &str,
        pull: &SitePull,
    ) -> Result<Option<SitePullApplied>, StoreError> {
        for operator in &pull.operators {
            check_operator_name(&operator.name)?;
        }
        let station_id = self.station_id;
        self.write("take the site's changes", |tx| {
            let attached: Option<String> = tx
                .query_row("SELECT site FROM site_attachment WHERE id = 1", [], |row| {
                    row.get(0)
                })
                .optional()?;
            if attached.as_deref() != Some(site) {
                return Ok(None);
            }
            apply_owned(tx, station_id, site, pull).map(Some)
        })
    }
}

/// Records the pull in the attachment and applies what the site owns: settings, operators,
/// published keys.
fn apply_owned(
    tx: &rusqlite::Transaction<'_>,
    station_id: Uuid,
    site: &str,
    pull: &SitePull,
) -> Result<SitePullApplied, StoreError> {
    let now = timestamp(Utc::now());
    tx.execute(
        "INSERT INTO site_attachment (id, site, attached_at, pulled_at)
         VALUES (1, ?1, ?2, ?2)
         ON CONFLICT (id) DO UPDATE SET site = excluded.site,
             pulled_at = excluded.pulled_at",
        rusqlite::params![site, now],
    )?;
    let mut applied = SitePullApplied::default();
    for (key, value) in &pull.settings {
        let written = write_setting(
            tx,
            station_id,
            SettingWrite {
                key,
                value,
                at: &now,
                operator: SITE_OPERATOR,
                unless_unchanged: true,
            },
        )?;
        if !written {
            continue;
        }
        applied.settings_changed += 1;
    }
    for wanted in &pull.operators {
        let (id, before, action) = match find_operator(tx, &wanted.name)? {
            Some(known) if known.role == wanted.role && known.disabled == wanted.disabled => {
                continue
            }
            Some(known) => {
                let before = audit::record_digest(tx, Entity::Operator, known.id)?;
                tx.execute(
                    "UPDATE operators SET role = ?1, disabled = ?2 WHERE id = ?3",
                    rusqlite::params![wanted.role.as_str(), wanted.disabled, id_text(known.id)],
                )?;
                let action = if known.role != wanted.role {
                    "operator.role_changed"
                } else if wanted.disabled {
                    "operator.disabled"
                } else {
                    "operator.enabled"
                };
                (known.id, before, action)
            }
            None => {
                let id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO operators (id, name, role, disabled, created_at, station_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    rusqlite::params![
                        id_text(id),
                        wanted.name,
                        wanted.role.as_str(),
                        wanted.disabled,
                        now,
                        id_text(station_id)
                    ],
                )?;
                (id, None, "operator.added")
            }
        };
        audit::append(
            tx,
            station_id,
            AuditWrite {
                operator: SITE_OPERATOR,
                action,
                entity: Entity::Operator,
                entity_id: id,
                before,
                after: audit::record_digest(tx, Entity::Operator, id)?,
            },
        )?;
        applied.operators_changed += 1;
    }
    for key in &pull.keys {
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM signing_keys WHERE key_id = ?1)",
            [&key.key_id],
            |row| row.get(0),
        )?;
        let record = SigningKeyRecord {
            key_id: key.key_id.clone(),
            algorithm: key.algorithm.clone(),
            public_key: key.public_key.clone(),
            fingerprint: key.fingerprint.clone(),
            created_at: parse_timestamp(&key.created_at, "the site's signing key")?,
        };
        // A key id already known with another public key is refused (KeyConflict).
        publish_key(tx, station_id, &record, SITE_OPERATOR)?;
        if !known {
            applied.keys_added += 1;
        }
    }
    Ok(applied)
}
