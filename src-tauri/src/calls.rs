//! How a window command reaches a use case: open the workstation as the window's operator, call,
//! and hand any error to the window as `{code, message, hint}` with the hint in the window's terms.

use refurbdesk_app::session::WindowSession;
use refurbdesk_app::{DataPaths, Error, Progress, ProgressReport, WindowError, Workstation};
use tauri::{AppHandle, Emitter};

/// The UI event every progress report of a long use case travels in.
pub const PROGRESS_EVENT: &str = "progress";

pub fn window(error: Error) -> WindowError {
    error.for_window()
}

/// The window's session: who is logged in, and who its station records under. One per window
/// process.
pub fn window_session() -> &'static WindowSession {
    static SESSION: std::sync::LazyLock<WindowSession> =
        std::sync::LazyLock::new(WindowSession::default);
    &SESSION
}

/// The workstation for this call: as the operator logged in (unless their session has been idle
/// too long: then it is locked, and the call refused); with nobody logged in, as the operator
/// the environment names while no operator has a PIN, else locked (nothing records).
fn open(paths: &DataPaths) -> Result<Workstation, Error> {
    window_session().open(paths, refurbdesk_app::operator_from_env())
}

/// Runs `case` on the workstation, opened for this call.
pub fn at_station<T>(
    paths: &DataPaths,
    case: impl FnOnce(&mut Workstation) -> Result<T, Error>,
) -> Result<T, WindowError> {
    open(paths)
        .and_then(|mut workstation| case(&mut workstation))
        .map_err(window)
}

/// Runs `case` as the operator logged in; `None` when nobody is (or the session locked).
pub fn with_session<T>(
    paths: &DataPaths,
    case: impl FnOnce(&mut Workstation) -> Result<Option<T>, Error>,
) -> Result<Option<T>, WindowError> {
    if !window_session().logged_in() {
        return Ok(None);
    }
    match open(paths) {
        Ok(mut workstation) => case(&mut workstation).map_err(window),
        // An idle session is locked: nobody is logged in any more.
        Err(error) if error.code == refurbdesk_app::ErrorCode::Refused => Ok(None),
        Err(error) => Err(window(error)),
    }
}

/// Runs a log-in `case` on a fresh workstation; when it succeeds, its operator's session begins
/// and the window's station records under them.
pub fn start_session<T>(
    paths: &DataPaths,
    case: impl FnOnce(&mut Workstation) -> Result<T, Error>,
) -> Result<T, WindowError> {
    window_session().log_in(paths, case).map_err(window)
}

/// Ends the window's session (the lock button, or logging out): nothing records until someone
/// logs in.
pub fn end_session() {
    window_session().lock();
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

/// The cancel flag of the erasure the window is running, if any.
#[derive(Default)]
pub struct RunningErase(std::sync::Mutex<Option<refurbdesk_app::Cancel>>);

impl RunningErase {
    /// A progress the window follows, whose cancel `erase_cancel` sets.
    pub fn begin(&self, app: &AppHandle) -> Progress {
        let progress = progress_events(app);
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(progress.cancel.clone());
        progress
    }

    pub fn cancel(&self) {
        if let Some(cancel) = self.0.lock().unwrap_or_else(|p| p.into_inner()).take() {
            cancel.cancel();
        }
    }
}

/// The UI event that says an erasure has started and has its record.
pub const ERASE_STARTED_EVENT: &str = "erase-started";

/// Runs long work on a thread of its own, so the window's runtime stays free (and a use case
/// that drives its own runtime, as a bench erasure does, may start one there).
pub async fn on_own_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WindowError> + Send + 'static,
) -> Result<T, WindowError> {
    let worker = std::thread::spawn(work);
    let lost = || {
        window(Error::new(
            refurbdesk_app::ErrorCode::Interrupted,
            "the work stopped unexpectedly; see the log for why",
        ))
    };
    match tauri::async_runtime::spawn_blocking(move || worker.join()).await {
        Ok(Ok(result)) => result,
        _ => Err(lost()),
    }
}
