//! The station running inside the window: started through `refurbdesk_app::station` (the same
//! use case as `refurbdesk station`), its events numbered, kept and forwarded as `station-event`.

use std::sync::Mutex;

use refurbdesk_app::station::{
    self, EventLog, NumberedEvent, StationControl, StationParams, StationStarted,
};
use refurbdesk_app::{DataPaths, WindowError};
use tauri::{AppHandle, Emitter, Manager};

/// The UI event every station event travels in.
pub const STATION_EVENT: &str = "station-event";

#[derive(Default)]
pub struct StationState {
    log: Mutex<EventLog>,
    running: Mutex<Option<StationControl>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl StationState {
    pub fn history(&self) -> Vec<NumberedEvent> {
        locked(&self.log).all()
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
    let mut events = opened.events;
    *running = Some(opened.control);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = events.recv().await {
            let numbered = locked(&app.state::<StationState>().log).push(event);
            if let Err(error) = app.emit(STATION_EVENT, numbered) {
                tracing::warn!(%error, "station event not delivered to the window");
            }
        }
    });
    Ok(Some(opened.started))
}
