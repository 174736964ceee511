//! The site database: one PostgreSQL database that every station of a refurbisher's floor
//! replicates its records into, for site-wide quality views and audits.
//!
//! Each station keeps its SQLite store as its own; [`Site::push`] sends the station's audit log
//! in order, each entry with the record it names (as the canonical JSON its digest covers), in
//! batches of one transaction each that also moves the station's high-water mark on the site.
//! A batch is applied whole or not at all and is staged with binary `COPY`, so a push cut short
//! (site stopped, station killed) resumes from the mark with nothing lost and nothing twice.
//! [`Site::check`] verifies each station's chain and every record against its entry's digest.
//!
//! The schema is versioned ([`SCHEMA_VERSION`], `migrations/`); [`Site::init`] creates or
//! upgrades it and every other call refuses a site whose schema is newer than this build's.

mod check;
mod devices;
mod owned;
mod published;
mod push;
mod roles;
mod schema;
mod tls;

use std::str::FromStr;
use std::time::Duration;

pub use check::{
    SiteAudit, SiteChainReport, SiteCheck, SiteMismatch, SiteMismatchKind, StationChain,
};
pub use devices::{
    SiteCertificate, SiteDevice, SiteDeviceLine, SiteDeviceQuery, SiteDeviceRow, SiteIntake,
    SiteVoid,
};
pub use published::{DocumentFiles, PublishedDocument};
pub use push::{PushOptions, PushProgress, PushReport, StationState};
pub use roles::NewStationRole;
pub use schema::{InitReport, SCHEMA_VERSION};
pub use tls::{split as split_tls, SslMode, TlsSettings};

/// What went wrong with the site.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The site's URL does not parse.
    #[error("the site's address does not parse: {0}")]
    Url(String),
    /// The TLS settings cannot be used (a CA file missing or unreadable).
    #[error("the site's TLS settings cannot be used: {0}")]
    Tls(String),
    /// The server could not be reached, or the connection broke.
    #[error("the site database at {site} cannot be reached: {message}")]
    Unreachable { site: String, message: String },
    /// The server answered with an error.
    #[error("the site database at {site} refused: {message}")]
    Database { site: String, message: String },
    /// The site has no schema yet.
    #[error("the site database at {site} has no Refurbdesk schema yet")]
    NotInitialised { site: String },
    /// The site was made or upgraded by a newer Refurbdesk.
    #[error(
        "the site database at {site} has schema version {found}, newer than this Refurbdesk's \
         {known}: upgrade Refurbdesk on this station"
    )]
    NewerSchema {
        site: String,
        found: i32,
        known: i32,
    },
    /// The site's schema is older than this build's.
    #[error(
        "the site database at {site} has schema version {found}, older than this Refurbdesk's \
         {known}: it must be upgraded first"
    )]
    OlderSchema {
        site: String,
        found: i32,
        known: i32,
    },
    /// The station's log does not continue what the site holds of it (a database restored from
    /// an old backup, or another station's file).
    #[error(
        "station {station}'s audit log does not continue what the site holds of it: the site \
         has its entries up to {site_mark}, and {detail}"
    )]
    Diverged {
        station: String,
        site_mark: i64,
        detail: String,
    },
    /// A station's name the site cannot make a role of.
    #[error("a station's name is 1 to 40 letters, digits, - or _, not {name:?}")]
    StationName { name: String },
    /// No station of that name has a role on the site.
    #[error("the site database at {site} has no station called {name:?}")]
    UnknownStation { site: String, name: String },
    /// No station's intake on the site has this id.
    #[error("the site database at {site} holds no intake {id}")]
    UnknownIntake { site: String, id: String },
    /// The station's store could not be read.
    #[error(transparent)]
    Store(#[from] refurbdesk_store::StoreError),
}

/// An open connection to the site database.
pub struct Site {
    client: postgres::Client,
    /// The URL without its password, for messages and logs.
    shown: String,
    /// When this connection last found the site at this build's schema: reads within
    /// [`SCHEMA_RECHECK`] of it skip the two queries of the check (a lookup is then one round
    /// trip, not three).
    schema_seen: Option<std::time::Instant>,
}

/// How long a connection trusts its last schema check. An upgrade by an admin meanwhile is
/// found at the next check; until then a query of the older shape fails with the server's error.
const SCHEMA_RECHECK: Duration = Duration::from_secs(60);

impl Site {
    /// Connects to the site named by a `postgres://` URL (or `key=value` settings). A server
    /// that does not answer within 10 s counts as unreachable.
    ///
    /// TLS follows libpq's `sslmode` and `sslrootcert` (see the `tls` module): `prefer` by
    /// default, `verify-full` with the site's CA for a site reached over a network.
    pub fn connect(url: &str) -> Result<Site, SiteError> {
        let (url_rest, tls) = tls::split(url)?;
        let mut config = postgres::Config::from_str(&url_rest)
            .map_err(|error| SiteError::Url(error.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("refurbdesk");
        config.ssl_mode(tls.mode.client_mode());
        let shown = redact(url);
        let client = match tls::client_config(&tls)? {
            None => config.connect(postgres::NoTls),
            Some(rustls) => config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(rustls)),
        }
        .map_err(|error| classify(&shown, error))?;
        Ok(Site {
            client,
            shown,
            schema_seen: None,
        })
    }

    /// The site's address as messages show it (no password).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn error(&self, error: postgres::Error) -> SiteError {
        classify(&self.shown, error)
    }
}

/// A server's error is the database refusing, except the server going away (shutting down,
/// crashed, not yet accepting connections: SQLSTATE class 57P and 08); anything else (no
/// server, a broken connection, a timeout) is the site being unreachable.
fn classify(site: &str, error: postgres::Error) -> SiteError {
    match error.as_db_error() {
        Some(db) if !error.is_closed() && !going_away(db.code().code()) => SiteError::Database {
            site: site.to_owned(),
            message: db.message().to_owned(),
        },
        _ => SiteError::Unreachable {
            site: site.to_owned(),
            message: with_causes(&error),
        },
    }
}

/// The error and what caused it ("error performing TLS handshake: invalid peer certificate:
/// …"): the client's own words often leave the reason to its source.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !message.contains(&said) {
            message.push_str(": ");
            message.push_str(&said);
        }
        cause = inner.source();
    }
    message
}

fn going_away(sqlstate: &str) -> bool {
    sqlstate.starts_with("57P") || sqlstate.starts_with("08")
}

/// A site URL with any password replaced by `***`, safe to print and log.
pub fn redact(url: &str) -> String {
    if let Some(rest) = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
    {
        let scheme = &url[..url.len() - rest.len()];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if let Some(at) = authority.rfind('@') {
            let (userinfo, host) = authority.split_at(at);
            if let Some(colon) = userinfo.find(':') {
                return format!("{scheme}{}:***{host}{tail}", &userinfo[..colon]);
            }
        }
        let tail = redact_query(tail);
        return format!("{scheme}{authority}{tail}");
    }
    // key=value settings: hide password=...
    url.split_whitespace()
        .map(|pair| {
            if pair.to_ascii_lowercase().starts_with("password=") {
                "password=***".to_owned()
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_owned();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| {
            if pair.to_ascii_lowercase().starts_with("password=") {
                "password=***".to_owned()
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://station:s3cret@db.example:5432/site"),
            "postgres://station:***@db.example:5432/site"
        );
        assert_eq!(
            redact("postgres://db.example/site?user=a&password=s3cret"),
            "postgres://db.example/site?user=a&password=***"
        );
        assert_eq!(
            redact("host=db user=a password=s3cret"),
            "host=db user=a password=***"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1:5/x"),
            "postgres://postgres@127.0.0.1:5/x"
        );
    }
}
