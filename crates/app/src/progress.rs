//! Progress and cancellation for long use cases (erasing, exporting, running the station).
//!
//! A use case reports through a [`Progress`] the front end hands it: the terminal draws a bar,
//! the window forwards each report as an event. The same value carries the cancel flag, which
//! the use case checks between steps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One step of a long task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProgressReport {
    /// Which task: `erase`, `export`, …
    pub task: String,
    /// Units done so far (bytes, documents, steps).
    #[ts(type = "number")]
    pub done: u64,
    /// Units in all, when known.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// The stage the task is in (`overwrite`, `verify`, …), when it has stages.
    pub stage: Option<String>,
}

/// Asks a running task to stop at its next step.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The shared flag, for engine code that polls an `AtomicBool`.
    pub fn flag(&self) -> Arc<AtomicBool> {
        self.0.clone()
    }
}

/// The cancel flag of the one task of a kind a door is running (an export, an erasure), so
/// that another call of the door can stop it: [`Running::begin`] when the task starts,
/// [`Running::cancel`] to stop it.
#[derive(Debug, Default)]
pub struct Running(std::sync::Mutex<Option<Cancel>>);

impl Running {
    /// Holds `progress`'s cancel flag as the running task's.
    pub fn begin(&self, progress: &Progress) {
        *self.slot() = Some(progress.cancel.clone());
    }

    /// Asks the running task, if any, to stop at its next step; true when there was one.
    pub fn cancel(&self) -> bool {
        match self.slot().take() {
            Some(cancel) => {
                cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Forgets the task that ended.
    pub fn end(&self) {
        self.slot().take();
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Cancel>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type Sink = Arc<dyn Fn(&ProgressReport) + Send + Sync>;

/// Where a task reports, and how it learns it should stop.
#[derive(Clone)]
pub struct Progress {
    sink: Option<Sink>,
    pub cancel: Cancel,
}

impl Default for Progress {
    fn default() -> Self {
        Self::silent()
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

impl Progress {
    /// Reports nowhere and is never cancelled from outside.
    pub fn silent() -> Self {
        Self {
            sink: None,
            cancel: Cancel::new(),
        }
    }

    /// Reports to `sink`, with `cancel` as the stop flag.
    pub fn new(sink: impl Fn(&ProgressReport) + Send + Sync + 'static, cancel: Cancel) -> Self {
        Self {
            sink: Some(Arc::new(sink)),
            cancel,
        }
    }

    pub fn report(&self, report: ProgressReport) {
        if let Some(sink) = &self.sink {
            sink(&report);
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn reports_reach_the_sink_and_cancel_is_shared() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let cancel = Cancel::new();
        let progress = {
            let seen = seen.clone();
            Progress::new(move |r| seen.lock().unwrap().push(r.done), cancel.clone())
        };
        progress.report(ProgressReport {
            task: "export".into(),
            done: 3,
            total: Some(10),
            stage: None,
        });
        assert!(!progress.is_cancelled());
        cancel.cancel();
        assert!(progress.is_cancelled());
        assert_eq!(*seen.lock().unwrap(), vec![3]);
    }

    #[test]
    fn running_cancels_the_task_that_began_once() {
        let running = Running::default();
        assert!(!running.cancel(), "nothing is running");
        let progress = Progress::silent();
        running.begin(&progress);
        assert!(running.cancel());
        assert!(progress.is_cancelled());
        assert!(!running.cancel(), "already asked");
        let next = Progress::silent();
        running.begin(&next);
        running.end();
        assert!(!running.cancel());
        assert!(!next.is_cancelled());
    }
}
