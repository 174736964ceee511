//! The site's schema: versioned migrations applied in order, each in its own transaction, under
//! an advisory lock so two stations initialising at once do not race; a schema newer than this
//! build's is refused.

use serde::{Deserialize, Serialize};

use crate::{classify, Site, SiteError};

/// The migrations, in order: version `n` is `MIGRATIONS[n - 1]`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_site.sql"),
    include_str!("../migrations/0002_station_roles.sql"),
    include_str!("../migrations/0003_site_devices.sql"),
    include_str!("../migrations/0004_site_owned.sql"),
    include_str!("../migrations/0005_site_summary.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Any fixed number: the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x5245_4655_5242_0001;

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitReport {
    /// The site's URL without its password.
    pub site: String,
    /// The schema version found (0: none).
    pub from_version: i32,
    /// The schema version now.
    pub to_version: i32,
}

impl Site {
    /// The site's schema version, 0 when it has none.
    pub fn schema_version(&mut self) -> Result<i32, SiteError> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('site_schema') IS NOT NULL", &[])
            .map_err(|error| self.error(error))?
            .get(0);
        if !exists {
            return Ok(0);
        }
        let version: Option<i32> = self
            .client
            .query_one("SELECT max(version) FROM site_schema", &[])
            .map_err(|error| self.error(error))?
            .get(0);
        Ok(version.unwrap_or(0))
    }

    /// Creates the schema, or upgrades it to this build's version.
    pub fn init(&mut self) -> Result<InitReport, SiteError> {
        self.init_to(SCHEMA_VERSION)
    }

    /// Creates or upgrades the schema up to version `target` only, as an older Refurbdesk
    /// would have left it: for tests of upgrades.
    #[doc(hidden)]
    pub fn init_to(&mut self, target: i32) -> Result<InitReport, SiteError> {
        self.schema_seen = None;
        let shown = self.shown.clone();
        let mut tx = self.client.transaction().map_err(|e| classify(&shown, e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(|e| classify(&shown, e))?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS site_schema (
                 version     integer PRIMARY KEY,
                 applied_at  timestamptz NOT NULL DEFAULT now()
             )",
        )
        .map_err(|e| classify(&shown, e))?;
        let from: i32 = tx
            .query_one("SELECT COALESCE(max(version), 0) FROM site_schema", &[])
            .map_err(|e| classify(&shown, e))?
            .get(0);
        if from > SCHEMA_VERSION {
            return Err(SiteError::NewerSchema {
                site: shown,
                found: from,
                known: SCHEMA_VERSION,
            });
        }
        for (index, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .take(target.clamp(0, SCHEMA_VERSION) as usize)
            .skip(from as usize)
        {
            let version = index as i32 + 1;
            tx.batch_execute(sql).map_err(|e| classify(&shown, e))?;
            tx.execute("INSERT INTO site_schema (version) VALUES ($1)", &[&version])
                .map_err(|e| classify(&shown, e))?;
            tracing::info!(version, "site schema migrated");
        }
        tx.commit().map_err(|e| classify(&shown, e))?;
        Ok(InitReport {
            site: shown,
            from_version: from,
            to_version: target.clamp(from, SCHEMA_VERSION),
        })
    }

    /// Refuses a site without this build's schema version (checked again once the last check
    /// is older than `SCHEMA_RECHECK`).
    pub(crate) fn require_schema(&mut self) -> Result<(), SiteError> {
        if self
            .schema_seen
            .is_some_and(|seen| seen.elapsed() < crate::SCHEMA_RECHECK)
        {
            return Ok(());
        }
        let found = self.schema_version()?;
        let site = self.shown.clone();
        match found {
            0 => Err(SiteError::NotInitialised { site }),
            found if found > SCHEMA_VERSION => Err(SiteError::NewerSchema {
                site,
                found,
                known: SCHEMA_VERSION,
            }),
            found if found < SCHEMA_VERSION => Err(SiteError::OlderSchema {
                site,
                found,
                known: SCHEMA_VERSION,
            }),
            _ => {
                self.schema_seen = Some(std::time::Instant::now());
                Ok(())
            }
        }
    }
}
