//! `refurbdesk site serve`: the page a certificate's QR code opens, over the site database.
//! The page itself (routes, HTML, the in-browser check) is `refurbdesk-verify-page`; this use
//! case gives it the site to read and finds the verifier module.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use refurbdesk_certificate::PublicKeyInfo;
use refurbdesk_site::Site;
use refurbdesk_verify_page::{Published, Registry, Verifier, Void, VERIFIER_WASM};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};
use crate::site::SiteParams;

/// How to serve the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServeParams {
    /// `HOST:PORT` to listen on; port 0 picks a free port (the address is told when ready).
    pub listen: String,
    /// The folder holding `refurbdesk-verifier.wasm` and `verifier.mjs`; by default the
    /// `verifier` folder beside the program's own folder (`target/verifier` in a build tree),
    /// then `/usr/share/refurbdesk/verifier`.
    pub verifier: Option<PathBuf>,
}

/// The folders searched for the verifier when none is named.
pub fn verifier_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        dirs.push(bin.join("verifier"));
        if let Some(parent) = bin.parent() {
            dirs.push(parent.join("verifier"));
            dirs.push(parent.join("share/refurbdesk/verifier"));
        }
    }
    dirs.push(PathBuf::from("/usr/share/refurbdesk/verifier"));
    dirs
}

fn find_verifier(named: Option<&Path>) -> Result<Verifier> {
    let fail = |error: refurbdesk_verify_page::ServeError| {
        Error::new(ErrorCode::NotFound, error.to_string())
    };
    if let Some(dir) = named {
        return Verifier::from_dir(dir).map_err(fail);
    }
    let dirs = verifier_dirs();
    match dirs.iter().find(|dir| dir.join(VERIFIER_WASM).is_file()) {
        Some(dir) => Verifier::from_dir(dir).map_err(fail),
        None => Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "the in-browser verifier ({VERIFIER_WASM}) is in none of {}: build it with \
                 scripts/build-verifier, or name its folder with --verifier DIR",
                dirs.iter()
                    .map(|dir| dir.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The site, read by the page: a few connections kept for reuse, one per request at a time; a
/// connection that failed is dropped and the next request opens a new one.
struct SiteRegistry {
    params: SiteParams,
    idle: Mutex<Vec<Site>>,
}

impl SiteRegistry {
    fn with_site<T>(
        &self,
        read: impl FnOnce(&mut Site) -> Result<T, refurbdesk_site::SiteError>,
    ) -> Result<T, String> {
        let pooled = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let mut site = match pooled {
            Some(site) => site,
            None => self.params.connect().map_err(|error| error.message)?,
        };
        let answer = read(&mut site).map_err(|error| error.to_string())?;
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < 4 {
                idle.push(site);
            }
        }
        Ok(answer)
    }
}

impl Registry for SiteRegistry {
    fn document(&self, id: &str) -> Result<Option<Published>, String> {
        Ok(self
            .with_site(|site| site.published_document(id))?
            .map(|document| Published {
                signed_json: document.signed_json,
                lang: document.lang,
                void: document.void.map(|void| Void {
                    at: void.voided_at,
                    by: void.voided_by,
                    reason: void.reason,
                }),
                replaced_by: document.replaced_by,
            }))
    }

    fn keys(&self) -> Result<Vec<PublicKeyInfo>, String> {
        let keys = self.with_site(Site::published_keys)?;
        keys.into_iter()
            .map(|key| {
                let created_at = chrono::DateTime::parse_from_rfc3339(&key.created_at)
                    .map_err(|error| {
                        format!("published key {} has a bad created_at: {error}", key.key_id)
                    })?
                    .with_timezone(&chrono::Utc);
                Ok(PublicKeyInfo {
                    key_id: key.key_id,
                    algorithm: key.algorithm,
                    public_key: key.public_key,
                    fingerprint: key.fingerprint,
                    created_at,
                    retired_at: None,
                })
            })
            .collect()
    }
}

/// Serves the verification page until Ctrl-C or SIGTERM, telling `on_ready` the address once it
/// listens. The site is checked first, so a wrong URL or a site without schema fails at once.
pub fn serve(
    site: &SiteParams,
    params: &ServeParams,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let verifier = find_verifier(params.verifier.as_deref())?;
    let mut first = site.connect()?;
    first.published_keys()?;
    let registry = SiteRegistry {
        params: site.clone(),
        idle: Mutex::new(vec![first]),
    };
    refurbdesk_verify_page::serve(Arc::new(registry), verifier, &params.listen, on_ready).map_err(
        |error| match error {
            refurbdesk_verify_page::ServeError::Listen { .. } => Error::usage(error.to_string()),
            other => Error::new(ErrorCode::Data, other.to_string()),
        },
    )
}
