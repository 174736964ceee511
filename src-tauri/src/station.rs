//! The station running inside the window: started on request (or by `--simulate`), its events
//! numbered, kept and forwarded to the UI as `station-event`.

use std::sync::{Arc, Mutex};

use refurbdesk_app::{DataPaths, SimulatedBenches};
use refurbdesk_bench_sim::SimOptions;
use refurbdesk_station::{run_station, StationConfig, StationEvent, StationHandle};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

/// The UI event every station event travels in.
pub const STATION_EVENT: &str = "station-event";

/// A station event with its place in the sequence, so the UI can replay history and then follow
/// live events without losing or repeating one.
#[derive(Debug, Clone, Serialize)]
pub struct Numbered {
    pub seq: u64,
    pub event: StationEvent,
}

#[derive(Default)]
pub struct StationState {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    history: Vec<Numbered>,
    running: Option<Running>,
}

struct Running {
    handle: StationHandle,
    _benches: SimulatedBenches,
}

/// Why the station could not start, in words for the operator.
#[derive(Debug, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct CommandError {
    message: String,
}

impl CommandError {
    fn new(context: &str, error: impl std::fmt::Display) -> Self {
        Self {
            message: format!("{context}: {error}"),
        }
    }
}

impl StationState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn history(&self) -> Vec<Numbered> {
        self.lock().history.clone()
    }

    pub fn stop(&self) {
        if let Some(running) = self.lock().running.take() {
            running.handle.stop();
        }
    }
}

/// Starts the station on the built-in simulated benches; a second call while it runs does nothing.
pub fn start_simulated(app: &AppHandle) -> Result<(), CommandError> {
    let state = app.state::<StationState>();
    if state.lock().running.is_some() {
        return Ok(());
    }
    let paths = app.state::<DataPaths>();
    let store = refurbdesk_app::open_store(&paths)
        .map_err(|e| CommandError::new("the station's database could not be opened", e))?;
    let actor = store
        .resolve_actor(None, &refurbdesk_app::os_user())
        .map_err(|e| CommandError::new("no operator may run the station", e))?;
    let benches = SimulatedBenches::start(Vec::new(), SimOptions::default())
        .map_err(|e| CommandError::new("the simulated benches could not start", e))?;
    let config = StationConfig::new(benches.ports(), actor.name);
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel();
    let (handle, stop) = StationHandle::new();
    state.lock().running = Some(Running {
        handle,
        _benches: benches,
    });

    tauri::async_runtime::spawn(run_station(
        config,
        Arc::new(Mutex::new(store)),
        events_tx,
        stop,
    ));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = events_rx.recv().await {
            let state = app.state::<StationState>();
            let numbered = {
                let mut inner = state.lock();
                let numbered = Numbered {
                    seq: inner.history.len() as u64,
                    event,
                };
                inner.history.push(numbered.clone());
                numbered
            };
            if let Err(error) = app.emit(STATION_EVENT, numbered) {
                tracing::warn!(%error, "station event not delivered to the window");
            }
        }
    });
    Ok(())
}
