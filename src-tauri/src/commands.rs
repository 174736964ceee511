//! Typed commands the UI invokes. Each returns plain serialisable data or a serialisable error.

use refurbdesk_app::DataPaths;
use serde::Serialize;

use crate::station::{self, CommandError, Numbered, StationState};

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

/// Every station event so far, numbered; the UI replays them before following live ones.
#[tauri::command]
pub fn station_history(state: tauri::State<'_, StationState>) -> Vec<Numbered> {
    state.history()
}

#[tauri::command]
pub fn start_simulated_station(app: tauri::AppHandle) -> Result<(), CommandError> {
    station::start_simulated(&app)
}

#[tauri::command]
pub fn stop_station(state: tauri::State<'_, StationState>) {
    state.stop();
}
