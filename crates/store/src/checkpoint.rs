//! Copying the write-ahead log into the database file on a thread of its
//! own, so that the connection recording intakes never waits for it.
//!
//! In WAL mode a commit only appends the changed pages to the log; a
//! checkpoint later copies them into the database and flushes it. Left to
//! SQLite, the commit that fills the log past a threshold does the copy
//! itself: at a million devices that copy (random index pages, then an
//! `fsync`) took 12-14 % of the recording thread's time, and on a station a
//! single intake now and then waited 15-17 ms for it.
//!
//! Here each [`Store`](crate::Store) has a checkpointer with its own
//! connection. The store reports every commit and the pages it wrote. Once
//! [`CHECKPOINT_AFTER_PAGES`] are waiting, the checkpointer copies them at
//! the first quiet moment ([`QUIET`] without a commit), or at once when
//! [`CHECKPOINT_NOW_PAGES`] are waiting (an import never pauses). A
//! checkpoint running beside a commit slows the commit (they contend for
//! the log), so a station between devices is the best time for it.
//!
//! Checkpoints are `PASSIVE`: they never block a writer or a reader, and
//! SQLite copies only what no reader still needs. A crash in the middle of
//! one is something SQLite recovers from by design. The recording connection
//! keeps SQLite's own checkpoint as a safety net at a much larger threshold.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::StoreError;

/// Pages in the log (8 MiB at 8 KiB a page) worth a checkpoint at the next
/// quiet moment: SQLite's own default threshold.
pub(crate) const CHECKPOINT_AFTER_PAGES: i64 = 1_000;

/// Pages in the log (32 MiB, about a batch and a half of 1,000 intakes)
/// that are checkpointed without waiting for a quiet moment. With 8,000
/// the store bench recorded 8,600-10,100 intakes/s; with 4,000,
/// 9,900-10,600.
pub(crate) const CHECKPOINT_NOW_PAGES: i64 = 4_000;

/// Time without a commit that counts as a quiet moment.
pub(crate) const QUIET: Duration = Duration::from_millis(100);

/// Pages this connection has written to the log since it was opened
/// (SQLite's `SQLITE_DBSTATUS_CACHE_WRITE`; in WAL mode every page a commit
/// writes goes to the log). rusqlite has no safe wrapper for it. The count
/// wraps around past `i32::MAX`: compare differences, with `wrapping_sub`.
pub(crate) fn pages_written(conn: &Connection) -> i32 {
    let (mut current, mut highest) = (0, 0);
    // SAFETY: `handle` is this open connection's, used on the thread that
    // owns it; sqlite3_db_status only reads two counters into the integers.
    let status = unsafe {
        rusqlite::ffi::sqlite3_db_status(
            conn.handle(),
            rusqlite::ffi::SQLITE_DBSTATUS_CACHE_WRITE,
            &mut current,
            &mut highest,
            0,
        )
    };
    if status == rusqlite::ffi::SQLITE_OK {
        current
    } else {
        0
    }
}

/// What the store tells the checkpointer thread.
struct Log {
    /// Pages committed since the last checkpoint began.
    pending: i64,
    last_commit: Instant,
    closing: bool,
}

struct Shared {
    log: Mutex<Log>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Log> {
        // The state is three plain values, consistent after any panic.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub(crate) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with `conn`, a connection of its own to the store's
    /// file.
    pub(crate) fn start(conn: Connection, path: &Path) -> Result<Checkpointer, StoreError> {
        let shared = Arc::new(Shared {
            log: Mutex::new(Log {
                pending: 0,
                last_commit: Instant::now(),
                closing: false,
            }),
            changed: Condvar::new(),
        });
        let thread = {
            let shared = Arc::clone(&shared);
            let path = path.to_owned();
            thread::Builder::new()
                .name("refurbdesk-checkpoint".to_owned())
                .spawn(move || run(&shared, &conn, &path))
        }
        .map_err(|source| StoreError::Io {
            action: "start the write-ahead log checkpointer for",
            path: path.to_owned(),
            source,
        })?;
        Ok(Checkpointer {
            shared,
            thread: Some(thread),
        })
    }

    /// Tells the thread a commit wrote `pages` pages to the log.
    pub(crate) fn committed(&self, pages: i64) {
        let mut log = self.shared.lock();
        log.pending += pages;
        log.last_commit = Instant::now();
        if log.pending >= CHECKPOINT_AFTER_PAGES {
            self.shared.changed.notify_one();
        }
    }
}

/// The checkpointer thread: waits for enough log, then for a quiet moment
/// (or for too much log), checkpoints, and starts over; ends when the store
/// closes. Closing the last connection checkpoints anyway.
fn run(shared: &Shared, conn: &Connection, path: &Path) {
    let mut log = shared.lock();
    loop {
        while !log.closing && log.pending < CHECKPOINT_AFTER_PAGES {
            log = shared
                .changed
                .wait(log)
                .unwrap_or_else(PoisonError::into_inner);
        }
        loop {
            if log.closing {
                return;
            }
            let quiet_for = log.last_commit.elapsed();
            if log.pending >= CHECKPOINT_NOW_PAGES || quiet_for >= QUIET {
                break;
            }
            log = shared
                .changed
                .wait_timeout(log, QUIET - quiet_for)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        log.pending = 0;
        drop(log);
        if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            // Pages committed from now on call for the next attempt; the
            // writer's own checkpoint bounds the log meanwhile.
            tracing::warn!(%error, path = %path.display(), "background checkpoint failed");
        }
        log = shared.lock();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.changed.notify_one();
        if let Some(thread) = self.thread.take() {
            // A checkpoint in progress finishes first; it is never cut short.
            let _ = thread.join();
        }
    }
}
