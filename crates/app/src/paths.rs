//! Where a workstation keeps its database and logs.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// The files of one workstation. By default everything sits in the user's data directory
/// (XDG: `~/.local/share/refurbdesk/`); `--db` or `REFURBDESK_DB` point the database elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataPaths {
    pub data_dir: PathBuf,
    pub database: PathBuf,
    pub log_dir: PathBuf,
    /// The organisation's signing keys: beside the database they sign for, unless
    /// `REFURBDESK_KEYS_DIR` names another folder.
    pub keys_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error(
        "cannot tell where to keep Refurbdesk's data: neither XDG_DATA_HOME nor HOME is set; \
         set one of them, or name the database"
    )]
    NoDataDir,
    #[error("cannot create the data directory {path}: {source}; check its permissions or name a database elsewhere")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The file name of the embedded SQLite database inside the data directory.
pub const DATABASE_FILE: &str = "refurbdesk.sqlite";

impl DataPaths {
    /// Resolves the paths from the user's data directory and an optional database override.
    pub fn resolve(database_override: Option<&Path>) -> Result<Self, PathsError> {
        let data_dir = dirs::data_dir()
            .ok_or(PathsError::NoDataDir)?
            .join("refurbdesk");
        Ok(Self::under(data_dir, database_override))
    }

    /// The layout below a given data directory (used by tests and by `resolve`).
    pub fn under(data_dir: PathBuf, database_override: Option<&Path>) -> Self {
        let database = database_override
            .map(Path::to_path_buf)
            .unwrap_or_else(|| data_dir.join(DATABASE_FILE));
        let log_dir = data_dir.join("logs");
        let keys_dir = std::env::var_os("REFURBDESK_KEYS_DIR")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                database
                    .parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .join("keys")
            });
        Self {
            data_dir,
            database,
            log_dir,
            keys_dir,
        }
    }

    /// Creates the directories the station writes into (the database's folder and the log folder).
    pub fn create_dirs(&self) -> Result<(), PathsError> {
        let mut dirs = vec![self.log_dir.as_path()];
        if let Some(parent) = self.database.parent().filter(|p| !p.as_os_str().is_empty()) {
            dirs.push(parent);
        }
        for dir in dirs {
            std::fs::create_dir_all(dir).map_err(|source| PathsError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_defaults_to_the_data_directory() {
        let paths = DataPaths::under(PathBuf::from("/data/refurbdesk"), None);
        assert_eq!(
            paths.database,
            Path::new("/data/refurbdesk/refurbdesk.sqlite")
        );
        assert_eq!(paths.log_dir, Path::new("/data/refurbdesk/logs"));
    }

    #[test]
    fn database_override_wins() {
        let paths = DataPaths::under(
            PathBuf::from("/data/refurbdesk"),
            Some(Path::new("/tmp/other.sqlite")),
        );
        assert_eq!(paths.database, Path::new("/tmp/other.sqlite"));
    }

    #[test]
    fn create_dirs_makes_the_database_and_log_folders() {
        let root = tempfile::tempdir().unwrap();
        let db = root.path().join("elsewhere/station.sqlite");
        let paths = DataPaths::under(root.path().join("data"), Some(&db));
        paths.create_dirs().unwrap();
        assert!(root.path().join("elsewhere").is_dir());
        assert!(root.path().join("data/logs").is_dir());
    }
}
