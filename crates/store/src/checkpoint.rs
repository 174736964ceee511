//! Copying the write-ahead log into the database file on a thread of its
//! own, so that the connection recording intakes never waits for it.
//!
//! In WAL mode a commit only appends the changed pages to the log; a
//! checkpoint later copies them into the database and flushes it. Left to
//! SQLite, the commit that fills the log past a threshold does the copy
//! itself, and at a million devices that copy (random index pages, then an
//! `fsync`) took over a quarter of the recording thread's time. Here each
//! [`Store`](crate::Store) has a checkpointer with its own connection: the
//! store nudges it after every commit, and it checkpoints at most once per
//! [`CHECKPOINT_PAUSE`], in `PASSIVE` mode (it never blocks a writer or a
//! reader; SQLite copies only what no reader still needs). A crash in the
//! middle of a checkpoint is one SQLite recovers from by design.
//!
//! The recording connection keeps SQLite's own checkpoint as a safety net at
//! a much larger threshold, for when this thread cannot keep up.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::StoreError;

/// The shortest time between two checkpoints: commits made meanwhile are
/// copied together, and an index page changed by several of them is
/// written to the database once.
pub(crate) const CHECKPOINT_PAUSE: Duration = Duration::from_millis(250);

pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with `conn`, a connection of its own to the store's
    /// file.
    pub(crate) fn start(conn: Connection, path: &Path) -> Result<Checkpointer, StoreError> {
        // One pending nudge is enough: more commits meanwhile change nothing.
        let (nudge, nudged) = mpsc::sync_channel::<()>(1);
        let path = path.to_owned();
        let thread_path = path.clone();
        let thread = thread::Builder::new()
            .name("refurbdesk-checkpoint".to_owned())
            .spawn(move || {
                let mut last = Instant::now() - CHECKPOINT_PAUSE;
                // Ends when the store is dropped (the sender goes).
                while nudged.recv().is_ok() {
                    // Let the commits of the next moments gather, but stop at
                    // once if the store closes: closing the last connection
                    // checkpoints anyway.
                    loop {
                        let wait = CHECKPOINT_PAUSE.saturating_sub(last.elapsed());
                        if wait.is_zero() {
                            break;
                        }
                        match nudged.recv_timeout(wait) {
                            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    last = Instant::now();
                    if let Err(error) =
                        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        // The next nudge tries again; the writer's own
                        // checkpoint bounds the log meanwhile.
                        tracing::warn!(
                            %error,
                            path = %thread_path.display(),
                            "background checkpoint failed"
                        );
                    }
                }
            })
            .map_err(|source| StoreError::Io {
                action: "start the write-ahead log checkpointer for",
                path,
                source,
            })?;
        Ok(Checkpointer {
            nudge: Some(nudge),
            thread: Some(thread),
        })
    }

    /// Tells the thread a commit was made.
    pub(crate) fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            // Full means a nudge is already pending; gone means the thread
            // ended, and SQLite's own checkpoint still runs.
            let _ = nudge.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.nudge.take());
        if let Some(thread) = self.thread.take() {
            // A checkpoint in progress finishes first; it is never cut short.
            let _ = thread.join();
        }
    }
}
