//! How a window command reaches a use case: open the workstation as the window's operator, call,
//! and hand any error to the window as `{code, message, hint}` with the hint in the window's terms.

use refurbdesk_app::{DataPaths, Error, Progress, ProgressReport, WindowError, Workstation};
use tauri::{AppHandle, Emitter};

/// The UI event every progress report of a long use case travels in.
pub const PROGRESS_EVENT: &str = "progress";

pub fn window(error: Error) -> WindowError {
    error.for_window()
}

/// Runs `case` on the workstation, opened for this call.
pub fn at_station<T>(
    paths: &DataPaths,
    case: impl FnOnce(&mut Workstation) -> Result<T, Error>,
) -> Result<T, WindowError> {
    // The window acts as the operator the environment names, under the same rules as the CLI,
    // until operators log in to the window.
    Workstation::open(paths.clone(), refurbdesk_app::operator_from_env())
        .and_then(|mut workstation| case(&mut workstation))
        .map_err(window)
}

/// A progress that the window follows as `progress` events.
pub fn progress_events(app: &AppHandle) -> Progress {
    let app = app.clone();
    Progress::new(
        move |report: &ProgressReport| {
            if let Err(error) = app.emit(PROGRESS_EVENT, report) {
                tracing::warn!(%error, "progress not delivered to the window");
            }
        },
        refurbdesk_app::Cancel::new(),
    )
}
