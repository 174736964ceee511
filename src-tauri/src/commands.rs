//! Typed commands the UI invokes: one line each over `refurbdesk_app`; every result is plain
//! serialisable data and every error a `WindowError {code, message, hint}`.

use refurbdesk_app::station::{NumberedEvent, StationInfo, StationParams, StationStarted};
use refurbdesk_app::{DataPaths, WindowError};

use crate::station::{self, StationState};

#[tauri::command]
pub fn station_info(paths: tauri::State<'_, DataPaths>) -> StationInfo {
    refurbdesk_app::station::info(&paths)
}

/// Every station event so far, numbered; the UI replays them before following live ones.
#[tauri::command]
pub fn station_history(state: tauri::State<'_, StationState>) -> Vec<NumberedEvent> {
    state.history()
}

#[tauri::command]
pub fn start_simulated_station(
    app: tauri::AppHandle,
) -> Result<Option<StationStarted>, WindowError> {
    station::start(&app, StationParams::simulated())
}

#[tauri::command]
pub fn stop_station(state: tauri::State<'_, StationState>) {
    state.stop();
}
