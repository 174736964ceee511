//! Opening this workstation's store and naming who is at it.

use refurbdesk_store::{Store, StoreError};

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
