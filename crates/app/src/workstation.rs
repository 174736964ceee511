//! The context every use case runs in: this workstation's files, its database and who is at it.

use refurbdesk_certificate::Keyring;
use refurbdesk_store::{Actor, Store, StoreError};

use crate::error::{Error, Hint};
use crate::paths::DataPaths;

/// Opens (creating and migrating as needed) the workstation's database.
pub fn open_store(paths: &DataPaths) -> Result<Store, StoreError> {
    Store::open(&paths.database)
}

/// The operating-system user, who acts as the local admin while a database has no operators.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "operator".to_string())
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

    /// Opens the database of a command that only reads or checks it: a missing file is
    /// "not found", never silently created as a new, empty station.
    pub fn open_existing(paths: DataPaths, operator: Option<String>) -> Result<Self, Error> {
        if !paths.database.exists() {
            return Err(Error::not_found(format!(
                "there is no database at {}",
                paths.database.display()
            ))
            .with_hint(Hint::ChooseDatabase));
        }
        Self::open(paths, operator)
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
        if !actor.bootstrap {
            crate::session::require_verified(self, &actor.name)?;
        }
        Ok(actor)
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
