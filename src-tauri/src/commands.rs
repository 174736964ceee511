//! Typed commands the UI invokes. Each returns plain serialisable data or a serialisable error.

use refurbdesk_app::DataPaths;
use serde::Serialize;

/// What the station screen shows about this workstation.
#[derive(Debug, Serialize)]
pub struct StationInfo {
    pub version: &'static str,
    pub database: String,
}

#[tauri::command]
pub fn station_info(paths: tauri::State<'_, DataPaths>) -> StationInfo {
    StationInfo {
        version: refurbdesk_app::VERSION,
        database: paths.database.display().to_string(),
    }
}
