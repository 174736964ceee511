//! The station's background replication into its site database: while a station runs (in the
//! terminal or in the window), its new audit entries and records are pushed to the site every
//! second, as `site push` does, so a floor's quality managers see them without anyone running a
//! command. A station keeps working while the site is unreachable; each failed push is logged and
//! kept for `site status`, and the next turn catches up.
//!
//! An attached station also takes the site's changes (operators and roles, organisation-wide
//! settings, published keys) as it starts and every [`PULL_INTERVAL`] after, so an operator
//! disabled on the site stops acting at every station within that time, with no `site pull`.
//!
//! Which site: `REFURBDESK_SITE` when set, else the connection remembered when the station was
//! attached (`site pull` writes it beside the database, readable by its owner only, because it
//! may hold the station role's password). No site, no replication.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::progress::{Cancel, Progress};
use crate::site::{SiteParams, SitePushParams};
use crate::workstation::Workstation;
use crate::DataPaths;

/// How often a running station pushes to its site: once a second keeps the site's view of a
/// station within about two seconds of it (the live benchmark, `docs/performance.md`), at the
/// cost of one small transaction a second per station.
pub const PUSH_INTERVAL: Duration = Duration::from_secs(1);

/// How often a running, attached station takes the site's changes: operators, settings and
/// keys change rarely, and a pull reads all of them.
pub const PULL_INTERVAL: Duration = Duration::from_secs(30);

/// The environment variable that names the site (as the CLI's `--site`).
pub const SITE_VARIABLE: &str = "REFURBDESK_SITE";

/// The file beside the database that remembers the site this station was attached to.
pub fn site_file(paths: &DataPaths) -> PathBuf {
    paths
        .database
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("site.conn")
}

/// Remembers the site's connection for background replication (owner-only file).
pub(crate) fn remember_site(paths: &DataPaths, url: &str) -> std::io::Result<()> {
    crate::marketplace::write_private(&site_file(paths), url.trim().as_bytes())
}

/// The site this station replicates to: the one named, else the environment's, else the
/// remembered one.
pub fn site_url(paths: &DataPaths, named: Option<&str>) -> Option<String> {
    if let Some(url) = named.filter(|url| !url.trim().is_empty()) {
        return Some(url.to_owned());
    }
    if let Some(url) = std::env::var(SITE_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
    {
        return Some(url);
    }
    std::fs::read_to_string(site_file(paths))
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|url| !url.is_empty())
}

/// Background replication of a running station; stops (after the push under way, if any) when
/// dropped or [`Replication::stop`]ped.
pub struct Replication {
    /// The site, without its password.
    pub site: String,
    last_push: Arc<AtomicBool>,
    cancel: Cancel,
    thread: Option<JoinHandle<()>>,
}

impl Replication {
    /// Starts pushing this station's database to its site every `interval`, on a thread of its
    /// own with its own connection to the database; `None` when the station has no site.
    pub fn start(
        paths: &DataPaths,
        named: Option<&str>,
        interval: Duration,
    ) -> Option<Replication> {
        let url = site_url(paths, named)?;
        let site = refurbdesk_site::redact(&url);
        let cancel = Cancel::new();
        let progress = Progress::new(|_| {}, cancel.clone());
        let params = SitePushParams {
            site: SiteParams { url: Some(url) },
            batch: None,
        };
        let last_push = Arc::new(AtomicBool::new(false));
        let (thread_paths, thread_last_push) = (paths.clone(), last_push.clone());
        let shown = site.clone();
        let thread = std::thread::Builder::new()
            .name("site-replication".to_owned())
            .spawn(move || {
                // Pushing only reads the station: no operator acts.
                let workstation = match Workstation::open_existing(thread_paths, None) {
                    Ok(workstation) => workstation,
                    Err(error) => {
                        tracing::warn!(site = %shown, error = %error.message, "site replication not started");
                        return;
                    }
                };
                // Taking the site's changes writes the station's database: a connection of its
                // own, as the site's own operator `site`.
                let mut refresher = Workstation::open_existing(workstation.paths.clone(), None).ok();
                let refresh = |refresher: &mut Option<Workstation>| {
                    let Some(refresher) = refresher.as_mut() else {
                        return;
                    };
                    match crate::site::refresh(refresher, &params.site) {
                        Ok(Some(pulled)) if pulled.settings_changed + pulled.operators_changed + pulled.keys_added > 0 => {
                            tracing::info!(
                                site = %pulled.site,
                                settings = pulled.settings_changed,
                                operators = pulled.operators_changed,
                                keys = pulled.keys_added,
                                "took the site's changes"
                            )
                        }
                        Ok(_) => {}
                        Err(error) => tracing::warn!(
                            site = %shown,
                            error = %error.message,
                            "taking the site's changes failed; trying again later"
                        ),
                    }
                };
                refresh(&mut refresher);
                let turns_per_pull = (PULL_INTERVAL.as_secs_f64() / interval.as_secs_f64().max(0.001)).ceil().max(1.0) as u64;
                let mut turns = 0_u64;
                let outcome = crate::site::push_continuously(
                    &workstation,
                    &params,
                    interval,
                    &progress,
                    &mut |pushed| {
                        turns += 1;
                        if turns.is_multiple_of(turns_per_pull) {
                            refresh(&mut refresher);
                        }
                        match pushed {
                        Ok(done) if done.entries > 0 => tracing::info!(
                            site = %done.site,
                            entries = done.entries,
                            to_mark = done.to_mark,
                            "pushed to the site"
                        ),
                        Ok(_) => {}
                        Err(error) => tracing::warn!(
                            site = %shown,
                            error = %error.message,
                            "site push failed; trying again at the next turn"
                        ),
                    }
                    },
                );
                if let Err(error) = outcome {
                    tracing::warn!(site = %shown, error = %error.message, "site replication stopped");
                    return;
                }
                if thread_last_push.load(Ordering::SeqCst) {
                    match crate::site::push(&workstation, &params, &Progress::silent()) {
                        Ok(done) => tracing::info!(site = %done.site, entries = done.entries, "last push to the site"),
                        Err(error) => tracing::warn!(
                            site = %shown,
                            error = %error.message,
                            "the last push failed; the next run or a push by hand sends it"
                        ),
                    }
                }
            })
            .ok()?;
        tracing::info!(site = %site, every_s = interval.as_secs_f64(), "replicating to the site");
        Some(Replication {
            site,
            last_push,
            cancel,
            thread: Some(thread),
        })
    }

    /// Stops replicating: waits for the push under way, then pushes once more, so what the
    /// station recorded last reaches the site now rather than at its next run. (The push runs
    /// on the replication's own thread: the PostgreSQL client must not run inside an async task.)
    pub fn stop(mut self) {
        self.last_push.store(true, Ordering::SeqCst);
        self.cancel.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Replication {
    /// Asks the thread to stop without waiting: a push blocked on an unreachable site must not
    /// hold up closing the station or the window.
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
