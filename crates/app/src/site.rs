//! The site database: creating its schema, replicating this station into it, how far behind
//! the station is, and the site-wide check of every station's records.
//!
//! The station works the same whether the site is reachable or not: a push that fails leaves
//! the station's store untouched, keeps the failure next to the database (`<database>.site.json`)
//! and on the site when it can, and the next push resumes from the site's high-water mark.

use std::path::{Path, PathBuf};
use std::time::Duration;

use refurbdesk_site::{PushOptions, Site, SiteError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Hint, Result};
use crate::progress::{Progress, ProgressReport};
use crate::workstation::Workstation;

pub use refurbdesk_site::{
    SiteAudit, SiteChainReport, SiteCheck, SiteDevice, SiteDeviceRow, SiteIntake, SiteMismatch,
    SiteMismatchKind, StationChain,
};

/// The environment variable that names the site database, for both doors.
pub const SITE_ENV: &str = "REFURBDESK_SITE";

/// Which site database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteParams {
    /// A `postgres://` URL (or `key=value` settings); its password is never shown or logged.
    pub url: Option<String>,
}

impl SiteParams {
    fn url(&self) -> Result<&str> {
        self.url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            .ok_or_else(|| Error::usage("no site database is named").with_hint(Hint::NameSite))
    }

    pub(crate) fn connect(&self) -> Result<Site> {
        Ok(Site::connect(self.url()?)?)
    }
}

/// The site's schema after `init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInitDone {
    /// The site's URL, without its password.
    pub site: String,
    /// The schema version found (0: an empty database).
    pub from_version: i32,
    pub to_version: i32,
}

/// Creates the site's schema, or upgrades it; refuses a schema newer than this build's.
pub fn init(params: &SiteParams) -> Result<SiteInitDone> {
    let report = params.connect()?.init()?;
    Ok(SiteInitDone {
        site: report.site,
        from_version: report.from_version,
        to_version: report.to_version,
    })
}

/// A push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePushParams {
    pub site: SiteParams,
    /// Audit entries per batch (one transaction on the site each); the default when `None`.
    pub batch: Option<u32>,
}

/// What one push did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePushDone {
    pub site: String,
    pub station_id: Uuid,
    /// The site's mark for this station before and after (the seq of the last entry applied).
    pub from_mark: i64,
    pub to_mark: i64,
    /// Audit entries applied, records sent with them, and batches (transactions).
    pub entries: u64,
    pub records: u64,
    pub batches: u64,
}

/// Sends every record the site does not hold yet, in order, until the site has the station's
/// whole log as it was when the push began. Reports after each batch; stops between batches
/// when cancelled (what was sent stays sent).
pub fn push(
    ws: &Workstation,
    params: &SitePushParams,
    progress: &Progress,
) -> Result<SitePushDone> {
    let url = params.site.url()?;
    let state_file = state_path(&ws.paths.database);
    let station = ws.store.station_id();
    let outcome = (|| -> Result<SitePushDone, SiteError> {
        let mut site = Site::connect(url)?;
        let options = PushOptions {
            batch: params.batch.unwrap_or(PushOptions::default().batch),
        };
        let result = site.push(&ws.store, options, &mut |step| {
            progress.report(ProgressReport {
                task: "site_push".to_owned(),
                done: step.mark.max(0) as u64,
                total: Some(step.head.max(0) as u64),
                stage: None,
            });
            !progress.is_cancelled()
        });
        match result {
            Ok(report) => Ok(SitePushDone {
                site: report.site,
                station_id: report.station_id,
                from_mark: report.from_mark,
                to_mark: report.to_mark,
                entries: report.entries,
                records: report.records,
                batches: report.batches,
            }),
            Err(error) => {
                // Kept on the site too when the site is what is still answering.
                let _ = site.record_error(station, &error.to_string());
                Err(error)
            }
        }
    })();
    let mut state = LocalState::read(&state_file);
    state.site = Some(refurbdesk_site::redact(url));
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    match &outcome {
        Ok(done) => {
            state.mark = Some(done.to_mark);
            state.last_push_at = Some(now);
            state.last_error = None;
            state.last_error_at = None;
        }
        Err(error) => {
            state.last_error = Some(error.to_string());
            state.last_error_at = Some(now);
        }
    }
    state.write(&state_file);
    Ok(outcome?)
}

/// Pushes, then waits `interval` and pushes again, until cancelled: the station's background
/// replication. A push that fails is reported (and kept for `status`) and tried again at the
/// next turn; `each` hears every outcome.
pub fn push_continuously(
    ws: &Workstation,
    params: &SitePushParams,
    interval: Duration,
    progress: &Progress,
    each: &mut dyn FnMut(&Result<SitePushDone>),
) -> Result<()> {
    params.site.url()?;
    while !progress.is_cancelled() {
        let outcome = push(ws, params, &Progress::silent());
        each(&outcome);
        // Wait in small steps so a cancel is heard at once.
        let mut waited = Duration::ZERO;
        while waited < interval && !progress.is_cancelled() {
            let step = Duration::from_millis(100).min(interval - waited);
            std::thread::sleep(step);
            waited += step;
        }
    }
    Ok(())
}

/// How far one kind of record is behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLag {
    /// The entity (a table of the station: device, intake, grade, certificate...).
    pub entity: String,
    /// Audit entries about it on the station.
    pub on_station: i64,
    /// Of those, the ones not yet on the site.
    pub behind: i64,
}

/// Where replication stands for this station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteStatus {
    /// The site's URL, without its password.
    pub site: String,
    pub station_id: Uuid,
    /// Whether the site answered now.
    pub reachable: bool,
    /// Why not, when it did not.
    pub unreachable_because: Option<String>,
    /// The site's mark for this station (the last one known here when the site is unreachable).
    pub mark: i64,
    /// The station's last audit entry.
    pub head: i64,
    /// Entries not yet on the site.
    pub behind: i64,
    /// Per entity, with entries.
    pub tables: Vec<TableLag>,
    pub last_push_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
}

/// The lag per table, the last push and the last error, from the site when it answers, else
/// from what this station last knew.
pub fn status(ws: &Workstation, params: &SiteParams) -> Result<SiteStatus> {
    let url = params.url()?;
    let station = ws.store.station_id();
    let local = LocalState::read(&state_path(&ws.paths.database));
    let remote = Site::connect(url).and_then(|mut site| site.station_state(station));
    let (reachable, unreachable_because, mark, last_push_at, last_error, last_error_at) =
        match remote {
            Ok(Some(state)) => (
                true,
                None,
                state.mark,
                state.last_push_at,
                state.last_error,
                state.last_error_at,
            ),
            Ok(None) => (true, None, 0, None, None, None),
            Err(
                error @ (SiteError::NotInitialised { .. }
                | SiteError::NewerSchema { .. }
                | SiteError::OlderSchema { .. }
                | SiteError::Url(_)
                | SiteError::Tls(_)),
            ) => return Err(error.into()),
            Err(error) => (
                false,
                Some(error.to_string()),
                local.mark.unwrap_or(0),
                local.last_push_at,
                local.last_error,
                local.last_error_at,
            ),
        };
    let head = ws.store.audit_head()?;
    let behind_by_entity = ws.store.audit_lag(mark)?;
    let tables = ws
        .store
        .audit_lag(0)?
        .into_iter()
        .map(|all| TableLag {
            behind: behind_by_entity
                .iter()
                .find(|lag| lag.entity == all.entity)
                .map_or(0, |lag| lag.entries),
            entity: all.entity,
            on_station: all.entries,
        })
        .collect();
    Ok(SiteStatus {
        site: refurbdesk_site::redact(url),
        station_id: station,
        reachable,
        unreachable_because,
        mark,
        head,
        behind: (head - mark).max(0),
        tables,
        last_push_at,
        last_error,
        last_error_at,
    })
}

/// A station role made by [`add_station`]: its password is shown this once, kept nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationRoleAdded {
    pub site: String,
    pub station_name: String,
    /// The PostgreSQL role the station logs in as.
    pub role: String,
    pub password: String,
}

/// Creates the PostgreSQL role of the station called `name` (a site administrator's act): it
/// may write its own station's rows only, bound to the station by its first push.
pub fn add_station(params: &SiteParams, name: &str) -> Result<StationRoleAdded> {
    let mut site = params.connect()?;
    let role = site.add_station(name)?;
    Ok(StationRoleAdded {
        site: site.shown().to_owned(),
        station_name: role.station_name,
        role: role.role,
        password: role.password,
    })
}

/// A station role disabled by [`remove_station`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationRoleRemoved {
    pub site: String,
    pub station_name: String,
    pub role: String,
}

/// Disables the station's role: it can no longer log in or write; its rows stay on the site.
pub fn remove_station(params: &SiteParams, name: &str) -> Result<StationRoleRemoved> {
    let mut site = params.connect()?;
    let role = site.remove_station(name)?;
    Ok(StationRoleRemoved {
        site: site.shown().to_owned(),
        station_name: name.to_owned(),
        role,
    })
}

/// Verifies every station's audit chain on the site and every replicated record against the
/// digest its latest entry holds.
pub fn check(params: &SiteParams) -> Result<SiteCheck> {
    Ok(params.connect()?.check()?)
}

/// Walks every station's audit chain as the site holds it, as each station's own `audit
/// verify` walks its log, naming the station and the entry that breaks.
pub fn verify_audit(params: &SiteParams) -> Result<SiteAudit> {
    Ok(params.connect()?.verify_chains()?)
}

/// The verdict of [`verify_audit`] as an error when a chain does not hold (`check_failed`,
/// naming each station and its first entry that breaks; the whole report in its details).
pub fn audit_failure(audit: &SiteAudit) -> Option<Error> {
    let broken: Vec<String> = audit
        .stations
        .iter()
        .filter_map(|chain| {
            chain
                .report
                .problem()
                .map(|problem| format!("station {}: {problem}", chain.station_id))
        })
        .collect();
    if broken.is_empty() {
        return None;
    }
    let error = Error::new(
        ErrorCode::CheckFailed,
        format!(
            "the audit log on the site database {} does not verify: {}; each station's own \
             database keeps its log as written",
            audit.site,
            broken.join("; ")
        ),
    );
    Some(match serde_json::to_value(audit) {
        Ok(details) => error.with_details(details),
        Err(_) => error,
    })
}

impl SiteCheckVerdict for SiteCheck {
    fn into_verdict(self) -> Result<SiteCheck> {
        if self.ok() {
            return Ok(self);
        }
        let mut problems: Vec<String> = self
            .stations
            .iter()
            .filter_map(|chain| chain.problem.clone())
            .collect();
        problems.extend(self.mismatches.iter().map(ToString::to_string));
        let details = serde_json::to_value(&self).ok();
        let error = Error::new(
            ErrorCode::CheckFailed,
            format!(
                "the site database failed its check: {}",
                problems.join("; ")
            ),
        );
        Err(match details {
            Some(details) => error.with_details(details),
            None => error,
        })
    }
}

/// A site check as a result: the check when all is well, a `check_failed` error naming each
/// station and record otherwise (the whole report in its details).
pub trait SiteCheckVerdict {
    fn into_verdict(self) -> Result<SiteCheck>;
}

/// What this station last knew of its site, kept next to its database.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct LocalState {
    site: Option<String>,
    mark: Option<i64>,
    last_push_at: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
}

impl LocalState {
    fn read(path: &Path) -> LocalState {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Best effort: the state is a convenience for `status`, never a reason to fail a push.
    fn write(&self, path: &Path) {
        let Ok(text) = serde_json::to_vec_pretty(self) else {
            return;
        };
        let temporary = path.with_extension("json.tmp");
        if std::fs::write(&temporary, text).is_ok() {
            let _ = std::fs::rename(&temporary, path);
        }
    }
}

/// `<database>.site.json`.
fn state_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".site.json");
    PathBuf::from(name)
}

impl From<SiteError> for Error {
    fn from(error: SiteError) -> Self {
        let message = error.to_string();
        match error {
            SiteError::Url(_) | SiteError::Tls(_) => {
                Error::usage(message).with_hint(Hint::NameSite)
            }
            SiteError::Unreachable { .. } | SiteError::Database { .. } => Error::data(message),
            SiteError::NotInitialised { .. } | SiteError::OlderSchema { .. } => {
                Error::refused(message).with_hint(Hint::InitSite)
            }
            SiteError::NewerSchema { .. } | SiteError::Diverged { .. } => Error::refused(message),
            SiteError::StationName { .. } => Error::usage(message),
            SiteError::UnknownStation { .. } => Error::not_found(message),
            SiteError::UnknownIntake { .. } => Error::not_found(format!(
                "{message}: pass the last_intake_id of the last device of the previous page"
            )),
            SiteError::Store(store) => store.into(),
        }
    }
}

/// Whether the site owns this setting while the station is attached: the organisation's
/// details and what its documents print, the sales channels' thresholds, and the policies
/// (trade-in, verification sampling, warranty). Everything else (the station's own channel,
/// its benches, ports, printer, idle lock, calendar) stays the station's.
pub fn site_owned_setting(key: &str) -> bool {
    const PREFIXES: [&str; 5] = [
        "organisation.",
        "certificate.",
        "channel.",
        "tradein.",
        "sale.",
    ];
    PREFIXES.iter().any(|prefix| key.starts_with(prefix)) || key == crate::qa::SHARE_SETTING
}

/// Refuses a local change to a site-owned setting while the station is attached to a site,
/// naming the site.
pub(crate) fn refuse_site_owned_setting(store: &refurbdesk_store::Store, key: &str) -> Result<()> {
    if !site_owned_setting(key) {
        return Ok(());
    }
    match store.site_attachment()? {
        Some(attachment) => Err(Error::refused(format!(
            "{key} belongs to the site database {}, which this station is attached to: it is \
             changed there, for every station",
            attachment.site
        ))
        .with_hint(Hint::ChangeOnSite {
            site: attachment.site,
        })),
        None => Ok(()),
    }
}

/// Refuses a local change to the operators while the station is attached to a site, naming
/// the site.
pub(crate) fn refuse_local_operators(store: &refurbdesk_store::Store) -> Result<()> {
    match store.site_attachment()? {
        Some(attachment) => Err(Error::refused(format!(
            "the operators belong to the site database {}, which this station is attached to: \
             they are changed there, for every station",
            attachment.site
        ))
        .with_hint(Hint::ChangeOnSite {
            site: attachment.site,
        })),
        None => Ok(()),
    }
}

/// What a pull changed at this station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePulled {
    /// The site's URL, without its password.
    pub site: String,
    pub settings_changed: u32,
    pub operators_changed: u32,
    pub keys_added: u32,
    /// What the site owns now, as taken: settings, operators, signing keys.
    pub settings: usize,
    pub operators: usize,
    pub keys: usize,
}

/// Attaches this station to the site (if it is not yet) and takes what the site owns:
/// operators and roles, organisation-wide settings, every station's published signing keys.
/// From then on a local change to a site-owned setting, or to the operators, is refused.
///
/// Attaching hands the station's operators to the site, so it is an admin's act; a pull from
/// the site already attached is anyone's.
pub fn pull(ws: &mut Workstation, params: &SiteParams) -> Result<SitePulled> {
    let actor = ws.actor()?;
    let mut site = params.connect()?;
    let owned = site.pull()?;
    let shown = site.shown().to_owned();
    let applied = ws.store.apply_site_pull(&shown, &owned, &actor.name)?;
    // The running station and window replicate to the site they were attached to.
    if let Some(url) = &params.url {
        crate::replication::remember_site(&ws.paths, url).map_err(|error| {
            Error::new(
                crate::error::ErrorCode::Data,
                format!(
                    "attached to {shown}, but its connection could not be kept in {}: {error}",
                    crate::replication::site_file(&ws.paths).display()
                ),
            )
        })?;
    }
    Ok(SitePulled {
        site: shown,
        settings_changed: applied.settings_changed,
        operators_changed: applied.operators_changed,
        keys_added: applied.keys_added,
        settings: owned.settings.len(),
        operators: owned.operators.len(),
        keys: owned.keys.len(),
    })
}

/// Takes the site's changes (operators and roles, organisation-wide settings, published keys)
/// for a station already attached to this site, as a running station does in the background,
/// with no operator acting. `None`, with nothing changed, when the station is not attached to
/// it: attaching stays an admin's [`pull`].
pub fn refresh(ws: &mut Workstation, params: &SiteParams) -> Result<Option<SitePulled>> {
    let mut site = params.connect()?;
    let owned = site.pull()?;
    let shown = site.shown().to_owned();
    let Some(applied) = ws.store.refresh_from_site(&shown, &owned)? else {
        return Ok(None);
    };
    Ok(Some(SitePulled {
        site: shown,
        settings_changed: applied.settings_changed,
        operators_changed: applied.operators_changed,
        keys_added: applied.keys_added,
        settings: owned.settings.len(),
        operators: owned.operators.len(),
        keys: owned.keys.len(),
    }))
}

/// An organisation-wide setting set on the site (a site administrator's act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettingSet {
    pub site: String,
    pub key: String,
    pub value: String,
}

/// Sets an organisation-wide setting on the site, checked as a station checks it; stations
/// take it at their next pull. Station-local settings are refused: each station keeps its own.
pub fn set_site_setting(params: &SiteParams, key: &str, value: &str) -> Result<SiteSettingSet> {
    if !site_owned_setting(key) {
        return Err(Error::usage(format!(
            "{key} is a station's own setting, not the site's: set it at each station"
        )));
    }
    crate::settings::check_value(key, value)?;
    let mut site = params.connect()?;
    let by = std::env::var("USER").unwrap_or_else(|_| "site admin".to_owned());
    site.set_setting(key, value, &by)?;
    Ok(SiteSettingSet {
        site: site.shown().to_owned(),
        key: key.to_owned(),
        value: value.to_owned(),
    })
}

/// An operator of the site as set (a site administrator's act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteOperatorSet {
    pub site: String,
    pub name: String,
    pub role: refurbdesk_store::Role,
    pub disabled: bool,
}

/// Adds an operator to the site, or changes its role or disabling; stations take it at their
/// next pull.
pub fn set_site_operator(
    params: &SiteParams,
    name: &str,
    role: refurbdesk_store::Role,
    disabled: bool,
) -> Result<SiteOperatorSet> {
    refurbdesk_store::check_operator_name(name)?;
    let mut site = params.connect()?;
    site.set_operator(name, role, disabled)?;
    Ok(SiteOperatorSet {
        site: site.shown().to_owned(),
        name: name.to_owned(),
        role,
        disabled,
    })
}

/// The site's devices with this IMEI or serial: each one device however many stations read it,
/// with every station's intakes.
pub fn find_devices(params: &SiteParams, imei_or_serial: &str) -> Result<Vec<SiteDevice>> {
    Ok(params.connect()?.find_devices(imei_or_serial)?)
}

/// Verifies a document file as [`crate::documents::verify`] does (against this station's keys,
/// which a pull fills with every station's), then asks the site whether the certificate,
/// issued at any station, was voided.
pub fn verify(
    paths: &crate::DataPaths,
    params: &crate::documents::VerifyParams,
    site: &SiteParams,
) -> Result<crate::documents::Verification> {
    let mut verification = crate::documents::verify(paths, params)?;
    let Some(id) = verification.id.filter(|_| verification.valid) else {
        return Ok(verification);
    };
    let mut site = site.connect()?;
    if let Some(void) = site.certificate_void(&id.hyphenated().to_string())? {
        verification.valid = false;
        verification.problem = Some(format!(
            "voided on {} by {}: {} (at station {}, as the site database {} holds it)",
            void.voided_at,
            void.voided_by,
            void.reason,
            void.station_id,
            site.shown()
        ));
    }
    Ok(verification)
}

/// The site this station replicates to (`REFURBDESK_SITE`, else the one it was attached to by
/// `site pull`), without its password; `None` when it has none.
pub fn station_site(paths: &crate::DataPaths) -> Option<String> {
    crate::replication::site_url(paths, None).map(|url| refurbdesk_site::redact(&url))
}

/// The site's quality list ([`devices`]) from the site this station replicates to: what the
/// window's Quality screen shows when it looks at the whole site.
pub fn station_site_devices(
    paths: &crate::DataPaths,
    params: crate::devices::DevicesParams,
) -> Result<SiteDevicesPage> {
    let url = crate::replication::site_url(paths, None).ok_or_else(|| {
        Error::usage("this station replicates to no site database").with_hint(Hint::NameSite)
    })?;
    devices(&SiteParams { url: Some(url) }, params)
}

/// One line of the site's quality list: the station's device line (`id` is the device's row at
/// the station of its latest intake), with the site device it is and that station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SiteDeviceListRow {
    #[serde(flatten)]
    pub row: crate::devices::DeviceRow,
    /// The one device of the site (`imei:…`, `serial:MAKE:…` or `row:STATION:DEVICE`).
    pub device_key: String,
    /// The station of the latest intake.
    pub station_id: Uuid,
}

/// One page of the site's quality list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SiteDevicesPage {
    pub rows: Vec<SiteDeviceListRow>,
    /// When more devices match than the page holds, the `after` that gives the next page.
    pub next_after: Option<Uuid>,
}

/// The quality list at site level: every station's devices, each site device once (matched by
/// IMEI, else make and serial) as its latest intake at any station left it, newest first,
/// with the station's filters and paging ([`crate::devices::list`]'s), read from the site.
pub fn devices(
    site: &SiteParams,
    params: crate::devices::DevicesParams,
) -> Result<SiteDevicesPage> {
    let mut connection = site.connect()?;
    let query = params
        .query
        .as_deref()
        .map(str::trim)
        .filter(|query| !query.is_empty())
        .map(str::to_owned);
    let filter = refurbdesk_site::SiteDeviceQuery {
        imei: params.imei.clone(),
        serial: params.serial.clone(),
        battery_verdict: params.battery.map(|verdict| verdict.as_str().to_owned()),
        lock_verdict: params.lock.map(|verdict| verdict.as_str().to_owned()),
        // As stations write their times, so the text compares in time order.
        since: params
            .since
            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)),
        operator: params.by.clone(),
        outcome: params.outcome.map(|outcome| outcome.as_str().to_owned()),
        listing_grade: params.grade.map(|grade| grade.as_str().to_owned()),
        // One row more than asked tells whether more exist, without counting them all.
        limit: (params.limit > 0).then_some(params.limit.saturating_add(1)),
        offset: params.offset,
        after: params.after.map(|id| id.hyphenated().to_string()),
    };
    let lines = match query {
        None => connection.devices(&filter)?,
        Some(query) => {
            let by_imei = connection.devices(&refurbdesk_site::SiteDeviceQuery {
                imei: Some(query.clone()),
                ..filter.clone()
            })?;
            if by_imei.is_empty() && filter.imei.is_none() {
                connection.devices(&refurbdesk_site::SiteDeviceQuery {
                    serial: Some(query),
                    ..filter
                })?
            } else {
                by_imei
            }
        }
    };
    let more = params.limit > 0 && lines.len() > params.limit as usize;
    let shown = connection.shown().to_owned();
    let rows = lines
        .into_iter()
        .take(if more {
            params.limit as usize
        } else {
            usize::MAX
        })
        .map(|line| device_list_row(&shown, line))
        .collect::<Result<Vec<_>>>()?;
    let next_after = rows
        .last()
        .filter(|_| more)
        .map(|last| last.row.last_intake_id);
    Ok(SiteDevicesPage { rows, next_after })
}

/// A line as the site holds it, read into the station's typed line: a word or time no station
/// writes is named with its station and intake.
fn device_list_row(site: &str, line: refurbdesk_site::SiteDeviceLine) -> Result<SiteDeviceListRow> {
    let bad = |field: &str, value: &str| {
        Error::data(format!(
            "the site database {site} holds intake {} of station {} with {field} {value:?}, \
             which no station writes",
            line.last_intake_id, line.station_id
        ))
    };
    let uuid = |field: &str, value: &str| Uuid::parse_str(value).map_err(|_| bad(field, value));
    let row = crate::devices::DeviceRow {
        id: uuid("device_id", &line.device_id)?,
        category: line
            .category
            .parse()
            .map_err(|_| bad("category", &line.category))?,
        make: line.make.clone(),
        model: line.model.clone(),
        serial: line.serial.clone(),
        imei: line.imei.clone(),
        last_intake_id: uuid("id", &line.last_intake_id)?,
        last_intake_at: chrono::DateTime::parse_from_rfc3339(&line.last_intake_at)
            .map_err(|_| bad("started_at", &line.last_intake_at))?
            .with_timezone(&chrono::Utc),
        last_operator: line.last_operator.clone(),
        battery_verdict: line
            .battery_verdict
            .parse()
            .map_err(|_| bad("battery_verdict", &line.battery_verdict))?,
        // Shown as people read it: rounded down, never better than its verdict.
        soh_pct: line.soh_pct.map(refurbdesk_domain::soh_pct_shown),
        lock_verdict: line
            .lock_verdict
            .parse()
            .map_err(|_| bad("lock_verdict", &line.lock_verdict))?,
        intake_count: u32::try_from(line.intake_count).unwrap_or(u32::MAX),
        outcome: line.outcome.clone(),
        listing_grade: line.listing_grade.clone(),
    };
    Ok(SiteDeviceListRow {
        row,
        device_key: line.device_key,
        station_id: line.station_id,
    })
}

/// A document of the site's list: the station's summary, with the station that issued it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteDocument {
    #[serde(flatten)]
    pub document: crate::documents::DocumentSummary,
    pub station_id: Uuid,
}

/// Every station's issued documents, oldest first, as [`crate::documents::list`] lists a
/// station's, with their void state and replacements as the site holds them. `device` is an
/// IMEI or serial of a site device (its documents from every station that read it).
pub fn certificates(
    site: &SiteParams,
    params: &crate::documents::ListParams,
) -> Result<Vec<SiteDocument>> {
    let mut connection = site.connect()?;
    let since = params
        .since
        .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true));
    let keys: Vec<Option<String>> = match params.device.as_deref().map(str::trim) {
        None => vec![None],
        Some(reference) => {
            let found = connection.find_devices(reference)?;
            if found.is_empty() {
                return Err(Error::not_found(format!(
                    "no device of the site database {} has the IMEI or serial {:?}",
                    connection.shown(),
                    crate::error::shorten(reference)
                )));
            }
            found
                .into_iter()
                .map(|device| Some(device.device_key))
                .collect()
        }
    };
    let mut listed = Vec::new();
    for key in &keys {
        listed.extend(connection.certificates(key.as_deref(), since.as_deref())?);
    }
    listed.sort_by(|a, b| (&a.issued_at, &a.id).cmp(&(&b.issued_at, &b.id)));
    let shown = connection.shown().to_owned();
    listed
        .into_iter()
        .map(|certificate| site_document(&shown, certificate))
        .collect()
}

/// A document as the site holds it, read into the station's summary: an id or time no station
/// writes is named with its station.
fn site_document(
    site: &str,
    certificate: refurbdesk_site::SiteCertificate,
) -> Result<SiteDocument> {
    let bad = |field: &str, value: &str| {
        Error::data(format!(
            "the site database {site} holds certificate {} of station {} with {field} {value:?}, \
             which no station writes",
            certificate.id, certificate.station_id
        ))
    };
    let uuid = |field: &str, value: &str| Uuid::parse_str(value).map_err(|_| bad(field, value));
    let optional =
        |field: &str, value: &Option<String>| value.as_deref().map(|v| uuid(field, v)).transpose();
    let document = crate::documents::DocumentSummary {
        id: uuid("id", &certificate.id)?,
        kind: certificate.kind.clone(),
        pdf: None,
        lang: certificate.lang.clone(),
        key_id: certificate.key_id.clone(),
        pdf_sha256: certificate.pdf_sha256.clone(),
        issued_at: chrono::DateTime::parse_from_rfc3339(&certificate.issued_at)
            .map_err(|_| bad("issued_at", &certificate.issued_at))?
            .with_timezone(&chrono::Utc),
        issued_by: certificate.issued_by.clone(),
        erasure_id: optional("erasure_id", &certificate.erasure_id)?,
        destruction_id: optional("destruction_id", &certificate.destruction_id)?,
        device_id: optional("device_id", &certificate.device_id)?,
        voided: certificate.voided_at.is_some(),
        void_reason: certificate.void_reason.clone(),
        replaces: optional("replaces", &certificate.replaces)?,
        replaced_by: optional("replaced_by", &certificate.replaced_by)?,
    };
    Ok(SiteDocument {
        document,
        station_id: certificate.station_id,
    })
}
