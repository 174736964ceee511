//! What the site owns and its stations follow (schema version 4): operators and roles,
//! organisation-wide settings, and every station's published signing keys. A site
//! administrator sets the first two; the keys are the ones stations replicated.

use refurbdesk_store::{Role, SiteOperator, SitePull};

use crate::{Site, SiteError};

impl Site {
    /// Everything an attached station takes from the site.
    pub fn pull(&mut self) -> Result<SitePull, SiteError> {
        self.require_schema()?;
        let settings = self
            .client
            .query("SELECT key, value FROM site_settings ORDER BY key", &[])
            .map_err(|error| self.error(error))?
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let mut operators = Vec::new();
        for row in self
            .client
            .query(
                "SELECT name, role, disabled FROM site_operators ORDER BY name",
                &[],
            )
            .map_err(|error| self.error(error))?
        {
            let role: String = row.get(1);
            operators.push(SiteOperator {
                name: row.get(0),
                role: role
                    .parse()
                    .map_err(
                        |error: refurbdesk_store::UnknownRoleError| SiteError::Database {
                            site: self.shown.clone(),
                            message: format!("site_operators: {error}"),
                        },
                    )?,
                disabled: row.get(2),
            });
        }
        let keys = self.published_keys()?;
        Ok(SitePull {
            settings,
            operators,
            keys,
        })
    }

    /// Sets an organisation-wide setting (a site administrator's act); stations take it at
    /// their next pull.
    pub fn set_setting(&mut self, key: &str, value: &str, by: &str) -> Result<(), SiteError> {
        self.require_schema()?;
        self.client
            .execute(
                "INSERT INTO site_settings (key, value, updated_by) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE
                 SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()",
                &[&key, &value, &by],
            )
            .map_err(|error| self.error(error))?;
        Ok(())
    }

    /// Adds an operator of the site, or changes its role or disabling (a site administrator's
    /// act); stations take it at their next pull.
    pub fn set_operator(
        &mut self,
        name: &str,
        role: Role,
        disabled: bool,
    ) -> Result<(), SiteError> {
        self.require_schema()?;
        self.client
            .execute(
                "INSERT INTO site_operators (name, role, disabled) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE
                 SET role = EXCLUDED.role, disabled = EXCLUDED.disabled, updated_at = now()",
                &[&name, &role.as_str(), &disabled],
            )
            .map_err(|error| self.error(error))?;
        Ok(())
    }
}
