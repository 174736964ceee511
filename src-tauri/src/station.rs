//! The station running inside the window: started through `refurbdesk_app::station` (the same
//! use case as `refurbdesk station`), its events folded into the station's current state
//! (`StationView`) and forwarded as `station-event` batches, at most one per interval.

use std::sync::{Arc, Mutex};

use refurbdesk_app::station::{
    self, StationBatch, StationControl, StationParams, StationStarted, StationView,
};
use refurbdesk_app::{DataPaths, WindowError};
use tauri::{AppHandle, Emitter, Manager};

/// The UI event every batch of station changes travels in.
pub const STATION_EVENT: &str = "station-event";

#[derive(Default)]
pub struct StationState {
    view: Arc<Mutex<StationView>>,
    running: Mutex<Option<StationControl>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl StationState {
    /// The station as it stands, for a window that opens (or reloads) while it runs.
    pub fn snapshot(&self) -> StationBatch {
        locked(&self.view).snapshot()
    }

    pub fn stop(&self) {
        if let Some(control) = locked(&self.running).take() {
            control.stop();
        }
    }
}

/// Starts the station with `params`; `None` when one already runs.
pub fn start(
    app: &AppHandle,
    params: StationParams,
) -> Result<Option<StationStarted>, WindowError> {
    let state = app.state::<StationState>();
    let mut running = locked(&state.running);
    if running.is_some() {
        return Ok(None);
    }
    let paths = app.state::<DataPaths>().inner().clone();
    // The station records under whoever is logged in to the window (nobody: readings wait).
    let session = crate::calls::window_session();
    let opened = session
        .open(&paths, refurbdesk_app::operator_from_env())
        .and_then(|workstation| {
            // The station's tasks run on the window's Tokio runtime.
            tauri::async_runtime::block_on(async {
                station::start_for_window(session, workstation, params)
            })
        })
        .map_err(|error| error.for_window())?;
    let events = opened.events;
    *running = Some(opened.control);
    let view = Arc::clone(&state.view);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // One message per batch: the webview's main thread evaluates each one.
        station::forward_batches(events, view, station::batch_interval_from_env(), |batch| {
            if let Err(error) = app.emit(STATION_EVENT, batch) {
                tracing::warn!(%error, "station changes not delivered to the window");
            }
        })
        .await;
    });
    Ok(Some(opened.started))
}
