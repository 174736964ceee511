//! The station running inside the window: started through `refurbdesk_app::station` (the same
//! use case as `refurbdesk station`), its events folded into the station's current state
//! (`StationFeed`), which the page asks for what changed (`station_changes`) each time it is ready
//! for more.

use std::sync::Mutex;

use refurbdesk_app::station::{
    self, StationBatch, StationControl, StationFeed, StationParams, StationStarted,
};
use refurbdesk_app::{DataPaths, WindowError};
use tauri::{AppHandle, Emitter, Manager};

/// The UI event the benchmark's peer sends every station event in (see
/// `station::one_message_per_event_from_env`); the window itself asks instead.
pub const STATION_EVENT: &str = "station-event";

#[derive(Default)]
pub struct StationState {
    feed: StationFeed,
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
        self.feed.snapshot()
    }

    /// What changed after the batch numbered `after`, once something has (an empty batch after a
    /// while without change).
    pub async fn changes_after(&self, after: u64) -> StationBatch {
        self.feed.changes_after(after, station::CHANGES_WAIT).await
    }

    /// Shows a grade just recorded on its device's tiles.
    pub fn note_grade(&self, graded: &refurbdesk_app::grade::GradeOutcome) {
        self.feed.note_grade(&station::TileGrade::of(graded));
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
            // The station's tasks run on the window's Tokio runtime: entered here, since this is
            // called from the runtime's own threads (a command) and from the main thread (the
            // window's start with `--simulate`) alike.
            let runtime = tauri::async_runtime::handle();
            let _entered = runtime.inner().enter();
            station::start_for_window(session, workstation, params)
        })
        .map_err(|error| error.for_window())?;
    let events = opened.events;
    *running = Some(opened.control);
    let feed = state.feed.clone();
    if station::one_message_per_event_from_env() {
        // The benchmark's peer: one message per event, each a script the webview evaluates.
        let app = app.clone();
        tauri::async_runtime::spawn(station::forward_each_event(events, feed, move |batch| {
            if let Err(error) = app.emit(STATION_EVENT, batch) {
                tracing::warn!(%error, "station changes not delivered to the window");
            }
        }));
    } else {
        tauri::async_runtime::spawn(station::fold_events(events, feed));
    }
    Ok(Some(opened.started))
}
