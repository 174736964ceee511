//! The context every use case runs in: this workstation's files, its database and who is at it.

use refurbdesk_certificate::Keyring;
use refurbdesk_store::{Actor, Store, StoreError};

use crate::error::{Error, Hint};
use crate::paths::DataPaths;

/// The SQLite page cache of each of the desktop window's connections, in KiB: SQLite's own default
/// of 2 MiB. The window records a few intakes a minute and stays open all day, and a connection
/// keeps every page it has read or written in its cache until it closes (with the engine's default
/// of 256 MiB the window's memory grew with its database). Each window call opens a connection of
/// its own and closes it, so a larger cache would not outlive the call anyway: a quality page at a
/// million devices took the same time with 2 and 8 MiB (p99 ≤ 16 ms, connection included); only
/// the station's long-lived recording connection keeps its cache, and 2 MiB of it is 6 MiB less
/// memory under a full station than 8 (docs/performance.md, "Desktop window").
pub const DESKTOP_PAGE_CACHE_KIB: i64 = 2 * 1024;

/// Sizes every database connection this process opens from now on for a long-running window
/// rather than for bulk recording. Called once at the desktop's start.
pub fn use_desktop_page_cache() {
    refurbdesk_store::set_page_cache_kib(DESKTOP_PAGE_CACHE_KIB);
}

/// Opens (creating and migrating as needed) the workstation's database.
pub fn open_store(paths: &DataPaths) -> Result<Store, StoreError> {
    Store::open(&paths.database)
}

/// The operating-system user, who acts as the local admin while a database has no operators:
/// `$USER` (or `$LOGNAME`, `$USERNAME`), else the account name of the process's user id (a
/// service or CI run often has no `$USER`). Never a made-up name: empty when none can be told,
/// which the store refuses as "cannot tell who is acting".
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .or_else(account_name)
        .unwrap_or_default()
}

/// The name `/etc/passwd` gives the user id this process runs as, or `uid N` when it has none.
#[cfg(unix)]
fn account_name() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let named = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                let id: u32 = fields.nth(1)?.parse().ok()?;
                (id == uid && !name.is_empty()).then(|| name.to_owned())
            })
        });
    Some(named.unwrap_or_else(|| format!("uid {uid}")))
}

#[cfg(not(unix))]
fn account_name() -> Option<String> {
    None
}

/// While no operator is registered, the operating-system user acts as admin; a different name
/// asked for at the door (`--operator tester`) would be recorded as someone it is not, so it is
/// refused with the way to register the first admin.
pub(crate) fn check_named_bootstrap(actor: &Actor, requested: Option<&str>) -> Result<(), Error> {
    let Some(name) = requested.map(str::trim).filter(|name| !name.is_empty()) else {
        return Ok(());
    };
    if !actor.bootstrap || name.eq_ignore_ascii_case(&actor.name) {
        return Ok(());
    }
    Err(Error::refused(format!(
        "no operator is registered on this station yet, so {name:?} cannot act: nothing is \
         recorded under a name the station does not know"
    ))
    .with_hint(Hint::RegisterFirstAdmin {
        name: name.to_owned(),
    }))
}

/// One workstation, open: its paths, its store, and the operator the front end says is acting.
///
/// Both front ends build one per request (the CLI per command, the window per call or per
/// session) and pass it to the use-case functions.
pub struct Workstation {
    pub paths: DataPaths,
    pub store: Store,
    /// The operator named at the door (`--operator`, `REFURBDESK_OPERATOR`, the window's login);
    /// `None` means the operating-system user, as the store's rules allow.
    pub operator: Option<String>,
    /// The operator whose PIN this workstation has checked ([`crate::session::login`]); an
    /// operator who has a PIN acts only once it is.
    pub(crate) verified: Option<crate::session::Verified>,
    /// True for a window that is locked (operators have PINs and nobody is logged in): nobody
    /// acts, whatever name the environment gives, until someone logs in.
    pub(crate) locked: bool,
}

impl Workstation {
    /// Opens the workstation's database, creating it on first use.
    pub fn open(paths: DataPaths, operator: Option<String>) -> Result<Self, Error> {
        let store = open_store(&paths)?;
        Ok(Self {
            paths,
            store,
            operator,
            verified: None,
            locked: false,
        })
    }

    /// Opens the database of a command that reads, checks or adds to records that must already
    /// be there: a missing file is "not found", never silently created as a new, empty station.
    pub fn open_existing(paths: DataPaths, operator: Option<String>) -> Result<Self, Error> {
        if !paths.database.exists() {
            return Err(Error::not_found(format!(
                "there is no database at {}; this command does not create one (the first \
                 intake, station run, erasure, operator or setting does)",
                paths.database.display()
            ))
            .with_hint(Hint::ChooseDatabase));
        }
        Self::open(paths, operator)
    }

    /// Opens the database of a command that creates data, creating the database (and its
    /// folder) when there is none; the flag says it was created, so the door can say so.
    pub fn open_or_create(
        paths: DataPaths,
        operator: Option<String>,
    ) -> Result<(Self, bool), Error> {
        let created = !paths.database.exists();
        if created {
            paths.create_dirs()?;
        }
        Ok((Self::open(paths, operator)?, created))
    }

    /// The operator acting, checked against the store's register (enabled, known) and, when
    /// they have a PIN, against the PIN this workstation checked: every use case that records
    /// asks for its actor here, so nothing is recorded under a PIN holder's name without it.
    pub fn actor(&self) -> Result<Actor, Error> {
        if self.locked {
            return Err(crate::session::nobody_logged_in());
        }
        let actor = self
            .store
            .resolve_actor(self.operator.as_deref(), &os_user())?;
        check_named_bootstrap(&actor, self.operator.as_deref())?;
        if !actor.bootstrap {
            crate::session::require_verified(self, &actor.name)?;
        }
        Ok(actor)
    }

    /// The admin who registers the first operator: while none is registered, the operating-system
    /// user, whatever name was asked for (that name may be the one being registered); otherwise
    /// as [`Workstation::actor`].
    pub(crate) fn actor_adding_operator(&self) -> Result<Actor, Error> {
        let actor = self
            .store
            .resolve_actor(self.operator.as_deref(), &os_user())?;
        if actor.bootstrap {
            return Ok(actor);
        }
        self.actor()
    }

    /// The operator whose PIN this workstation checked (or who has none and logged in by name).
    pub fn verified_operator(&self) -> Option<&str> {
        self.verified.as_ref().map(|verified| verified.operator())
    }

    /// The organisation's signing keys.
    pub fn keyring(&self) -> Keyring {
        Keyring::new(&self.paths.keys_dir)
    }
}

/// The environment variable that names the operator, for both doors.
pub const OPERATOR_ENV: &str = "REFURBDESK_OPERATOR";

/// The operator named by the environment, if any (the CLI's `--operator` takes precedence there).
pub fn operator_from_env() -> Option<String> {
    std::env::var(OPERATOR_ENV)
        .ok()
        .filter(|name| !name.trim().is_empty())
}
