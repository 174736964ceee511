//! An erasure with its record around it: the record is written `running`
//! (durably) before the first byte is overwritten, and finished with the
//! outcome afterwards, so whatever happens in between — Ctrl-C, a crash, a
//! power cut — the record never shows an unfinished erasure as done.
//!
//! The engine knows no database: whoever keeps the records implements
//! [`Journal`] (the application does, over its store), and [`run`] calls it
//! in the one order that keeps the promise above.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::engine::{erase, Event, Plan, Report};
use crate::safety::Prepared;
use crate::sysfs::DriveIdentity;
use crate::target::Target;
use crate::TOOL_VERSION;

/// What is about to be erased, and how: everything the record starts with.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    pub identity: &'a DriveIdentity,
    pub plan: &'a Plan,
    /// The size of the target, in bytes.
    pub size_bytes: u64,
    /// The tool doing the erasure ([`TOOL_VERSION`]).
    pub tool_version: &'static str,
    pub started_at: DateTime<Utc>,
}

/// Keeps the record of erasures.
pub trait Journal {
    /// The finished record, as the journal keeps it.
    type Record;
    /// Why the journal could not write.
    type Error;

    /// Records, durably, that the erasure starts; nothing has been written
    /// to the target yet, and nothing will be if this fails.
    fn started(&mut self, start: &Start<'_>) -> Result<Uuid, Self::Error>;

    /// Records how the erasure `id` ended.
    fn finished(&mut self, id: Uuid, report: &Report) -> Result<Self::Record, Self::Error>;
}

/// The finished erasure: the engine's report and the record as kept.
#[derive(Debug, Clone)]
pub struct Recorded<R> {
    pub report: Report,
    pub record: R,
}

/// Records the start, runs the erasure on the prepared target, records the
/// end. `on_started` gets the record id before any byte is written.
pub fn run<J: Journal>(
    journal: &mut J,
    prepared: &mut Prepared,
    plan: &Plan,
    cancel: &AtomicBool,
    on_started: &mut dyn FnMut(Uuid),
    on_event: &mut dyn FnMut(&Event),
) -> Result<Recorded<J::Record>, J::Error> {
    run_on(
        journal,
        &mut prepared.target,
        &prepared.identity,
        plan,
        cancel,
        on_started,
        on_event,
    )
}

/// Like [`run`], on any target (tests use one that fails on purpose).
pub fn run_on<J: Journal>(
    journal: &mut J,
    target: &mut dyn Target,
    identity: &DriveIdentity,
    plan: &Plan,
    cancel: &AtomicBool,
    on_started: &mut dyn FnMut(Uuid),
    on_event: &mut dyn FnMut(&Event),
) -> Result<Recorded<J::Record>, J::Error> {
    let id = journal.started(&Start {
        identity,
        plan,
        size_bytes: target.len(),
        tool_version: TOOL_VERSION,
        started_at: Utc::now(),
    })?;
    on_started(id);
    let report = erase(target, plan, cancel, on_event);
    let record = journal.finished(id, &report)?;
    Ok(Recorded { report, record })
}
