//! The marketplace connection (docs/marketplace.md): where it is and who we are to it, the token
//! in a file only the station's user can read, and the outbox as the operator sees it (status,
//! retry, cancel). Sending is `crate::sync`.

use std::path::{Path, PathBuf};

use refurbdesk_marketplace::{Credentials, SkuFacts, SkuTemplate};
use refurbdesk_store::{OutboxDecision, OutboxEntry, OutboxState, Stocking};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::paths::DataPaths;
use crate::workstation::Workstation;

/// What `marketplace configure` records (the token apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarketplaceSettings {
    /// The seller API's base URL, e.g. `https://www.backmarket.fr`.
    pub url: String,
    pub company: String,
    pub integration: String,
    pub email: String,
    /// `Accept-Language`, e.g. `fr-fr`.
    pub lang: String,
    /// The marketplace's clock speed: 1 for the real one; a simulator's `--time-factor`.
    #[serde(default = "one")]
    pub time_factor: f64,
    /// How a listing's SKU is made from (model, storage, colour, grade), e.g.
    /// `RD-{model}-{storage}-{colour}-{grade}`; `None` is `{model}-{storage}-{colour}-{grade}`.
    #[serde(default)]
    pub sku_template: Option<String>,
}

fn one() -> f64 {
    1.0
}

/// `marketplace configure`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConfigureMarketplaceParams {
    pub settings: MarketplaceSettings,
    /// The API token; written to a file readable by the station's user only, never shown.
    pub token: String,
}

/// What was configured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MarketplaceConfigured {
    pub url: String,
    /// The `User-Agent` every request carries.
    pub user_agent: String,
    /// Where the token is kept (mode 0600).
    pub token_file: String,
    /// Devices graded sellable before the marketplace was configured, now in stock.
    pub stocked: usize,
}

fn folder(paths: &DataPaths) -> PathBuf {
    paths
        .database
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn settings_file(paths: &DataPaths) -> PathBuf {
    folder(paths).join("marketplace.json")
}

fn token_file(paths: &DataPaths) -> PathBuf {
    folder(paths).join("marketplace.token")
}

fn io_error(what: &str, path: &Path, error: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Data,
        format!("cannot {what} {}: {error}", path.display()),
    )
}

/// Records the marketplace's address and our identity, and the token in a 0600 file; only
/// someone who may change the settings may.
pub fn configure(
    ws: &mut Workstation,
    params: &ConfigureMarketplaceParams,
) -> Result<MarketplaceConfigured> {
    let actor = ws.actor()?;
    if !actor.role.can(refurbdesk_store::Action::ManageSettings) {
        return Err(Error::refused(format!(
            "{} ({}) may not configure the marketplace",
            actor.name,
            actor.role.as_str()
        )));
    }
    let settings = &params.settings;
    if !(settings.url.starts_with("https://") || settings.url.starts_with("http://")) {
        return Err(Error::usage(format!(
            "the marketplace URL must start with https:// (or http:// for a simulator), not {}",
            settings.url
        )));
    }
    for (what, value) in [
        ("company", &settings.company),
        ("integration", &settings.integration),
        ("email", &settings.email),
        ("language", &settings.lang),
    ] {
        if value.trim().is_empty() || value.contains(['\r', '\n', ';']) {
            return Err(Error::usage(format!(
                "the {what} must be a non-empty text without ';' or line breaks"
            )));
        }
    }
    let token = params.token.trim();
    if token.is_empty() || token.contains(['\r', '\n']) {
        return Err(Error::usage(
            "the marketplace token is empty or spans lines",
        ));
    }
    if settings.time_factor.is_nan() || settings.time_factor <= 0.0 {
        return Err(Error::usage("the time factor must be more than 0"));
    }
    sku_template(settings)?;
    let dir = folder(&ws.paths);
    std::fs::create_dir_all(&dir).map_err(|error| io_error("create", &dir, error))?;
    let path = token_file(&ws.paths);
    write_private(&path, token.as_bytes()).map_err(|error| io_error("write", &path, error))?;
    let json =
        serde_json::to_vec_pretty(settings).map_err(|error| Error::data(error.to_string()))?;
    let settings_path = settings_file(&ws.paths);
    std::fs::write(&settings_path, json)
        .map_err(|error| io_error("write", &settings_path, error))?;
    let credentials = credentials_of(settings, token);
    let stocked = stock_graded(ws, None)?;
    Ok(MarketplaceConfigured {
        url: settings.url.clone(),
        user_agent: credentials.user_agent(),
        token_file: path.display().to_string(),
        stocked,
    })
}

/// The marketplace settings as configured (the token apart: it is never shown), `None` before
/// the marketplace is configured.
pub fn current(ws: &Workstation) -> Result<Option<MarketplaceSettings>> {
    Ok(load(&ws.paths)?.map(|(settings, _)| settings))
}

/// Writes a file only its owner may read or write (created so, never widened first).
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let temporary = path.with_extension("token.tmp");
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    #[cfg(unix)]
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&temporary, path)
}

fn credentials_of(settings: &MarketplaceSettings, token: &str) -> Credentials {
    Credentials {
        url: settings.url.clone(),
        company: settings.company.clone(),
        integration: settings.integration.clone(),
        email: settings.email.clone(),
        lang: settings.lang.clone(),
        token: token.to_owned(),
    }
}

/// The settings and credentials, if the marketplace was configured.
pub(crate) fn load(paths: &DataPaths) -> Result<Option<(MarketplaceSettings, Credentials)>> {
    let settings_path = settings_file(paths);
    let bytes = match std::fs::read(&settings_path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io_error("read", &settings_path, error)),
    };
    let settings: MarketplaceSettings = serde_json::from_slice(&bytes).map_err(|error| {
        Error::data(format!(
            "{} is not readable: {error}",
            settings_path.display()
        ))
    })?;
    let path = token_file(paths);
    let token = std::fs::read_to_string(&path).map_err(|error| io_error("read", &path, error))?;
    let credentials = credentials_of(&settings, token.trim());
    Ok(Some((settings, credentials)))
}

/// One outbox entry as the operator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncEntry {
    pub id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub kind: String,
    pub resource: String,
    /// pending, in_flight, sent, failed or cancelled.
    pub state: String,
    #[ts(type = "number")]
    pub attempts: i64,
    /// The marketplace's own message, or why it could not be reached.
    pub last_error: Option<String>,
    pub next_attempt_at: String,
}

impl From<OutboxEntry> for SyncEntry {
    fn from(entry: OutboxEntry) -> Self {
        SyncEntry {
            id: entry.id.to_string(),
            seq: entry.seq,
            kind: entry.kind,
            resource: entry.resource,
            state: entry.state.as_str().to_owned(),
            attempts: entry.attempts,
            last_error: entry.last_error,
            next_attempt_at: entry.next_attempt_at.to_rfc3339(),
        }
    }
}

/// The outbox's counts and its open entries (pending, in flight, failed), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub configured: bool,
    pub url: Option<String>,
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub in_flight: u64,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub failed: u64,
    #[ts(type = "number")]
    pub cancelled: u64,
    pub entries: Vec<SyncEntry>,
}

pub fn status(ws: &Workstation) -> Result<SyncStatus> {
    let configured = load(&ws.paths)?;
    let counts = ws.store.outbox_counts()?;
    let entries = ws
        .store
        .outbox_entries(&[
            OutboxState::Pending,
            OutboxState::InFlight,
            OutboxState::Failed,
        ])?
        .into_iter()
        .map(SyncEntry::from)
        .collect();
    Ok(SyncStatus {
        configured: configured.is_some(),
        url: configured.map(|(settings, _)| settings.url),
        pending: counts.pending,
        in_flight: counts.in_flight,
        sent: counts.sent,
        failed: counts.failed,
        cancelled: counts.cancelled,
        entries,
    })
}

/// Which outbox entry an operator retries or cancels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncEntryParams {
    /// The entry's id (a UUID), as `status` lists it.
    pub id: String,
}

fn parse_id(id: &str) -> Result<Uuid> {
    Uuid::parse_str(id.trim())
        .map_err(|_| Error::usage(format!("{id} is not an outbox entry id (a UUID)")))
}

fn decide(ws: &mut Workstation, id: &str, decision: OutboxDecision) -> Result<SyncEntry> {
    let id = parse_id(id)?;
    let actor = ws.actor()?;
    match ws.store.decide_outbox(id, decision, &actor) {
        Ok(Some(entry)) => Ok(entry.into()),
        Ok(None) => Err(Error::not_found(format!("there is no outbox entry {id}"))),
        Err(error @ refurbdesk_store::StoreError::OutboxEntryClosed { .. }) => {
            Err(Error::from_error(ErrorCode::Refused, &error))
        }
        Err(error) => Err(error.into()),
    }
}

/// An operator makes a failed (or waiting) entry due now; audited.
pub fn retry(ws: &mut Workstation, id: &str) -> Result<SyncEntry> {
    decide(ws, id, OutboxDecision::Retry)
}

/// An operator gives up an entry not sent yet; audited.
pub fn cancel(ws: &mut Workstation, id: &str) -> Result<SyncEntry> {
    decide(ws, id, OutboxDecision::Cancel)
}

/// The configured SKU template (the standard one when none was given).
fn sku_template(settings: &MarketplaceSettings) -> Result<SkuTemplate> {
    match &settings.sku_template {
        None => Ok(SkuTemplate::standard()),
        Some(text) => text.parse().map_err(|error| {
            Error::usage(format!("the SKU template {text} is not usable: {error}"))
        }),
    }
}

/// The SKU of the listing a device graded `grade` sells under: the template over its model,
/// storage (`128GB`), colour and listing grade (`VERY_GOOD`), e.g. `IPHONE-12-128GB-BLACK-VERY-GOOD`.
pub fn sku_of(
    template: &SkuTemplate,
    identity: &refurbdesk_domain::DeviceIdentity,
    grade: refurbdesk_domain::ListingGrade,
) -> String {
    template.render(&SkuFacts {
        model: identity.model.clone(),
        storage: identity
            .storage_gb
            .map(|gb| format!("{gb}GB"))
            .unwrap_or_default(),
        colour: identity.color.clone().unwrap_or_default(),
        grade: grade.as_str().to_owned(),
    })
}

/// What a grade does to the marketplace stock: `None` when no marketplace is configured (nothing
/// is sent); else the SKU the device now stocks when the grade makes it sellable, or no SKU when
/// it does not (a device that stocked one leaves it). The store writes the listing quantities
/// this changes to the outbox in the grade's own transaction.
pub(crate) fn stocking(
    ws: &Workstation,
    identity: &refurbdesk_domain::DeviceIdentity,
    outcome: refurbdesk_domain::Outcome,
    grade: refurbdesk_domain::ListingGrade,
) -> Result<Option<Stocking>> {
    let Some((settings, _)) = load(&ws.paths)? else {
        return Ok(None);
    };
    let sku = (outcome == refurbdesk_domain::Outcome::Sellable)
        .then(|| sku_template(&settings).map(|template| sku_of(&template, identity, grade)))
        .transpose()?;
    Ok(Some(Stocking { sku }))
}

/// Puts in stock the devices whose latest grade is sellable but that stock no listing (of `among`
/// only, when given): those graded before the marketplace was configured, or held by a trade-in
/// batch now closed. Their listings' quantities go to the outbox in one transaction. Returns how
/// many joined the stock; nothing happens while no marketplace is configured.
pub(crate) fn stock_graded(ws: &mut Workstation, among: Option<&[Uuid]>) -> Result<usize> {
    let Some((settings, _)) = load(&ws.paths)? else {
        return Ok(0);
    };
    let template = sku_template(&settings)?;
    let mut placed = Vec::new();
    for device in ws.store.stock_candidates(among)? {
        let (Some(grade), Some(intake)) = (
            ws.store.latest_grade(device)?,
            ws.store.latest_intake(device)?,
        ) else {
            continue;
        };
        let sku = sku_of(&template, &intake.identity, grade.listing_grade);
        placed.push((device, grade.id, Stocking { sku: Some(sku) }));
    }
    let (stocked, _) = ws.store.restock_devices(&placed)?;
    Ok(stocked)
}
