//! Erasing drives and image files so a certificate can honestly say the data is gone: overwrite passes, read-back verification, the safety checks in front of them, and firmware purge detection.
//!
//! [`safety::prepare`] refuses what must not be erased (mounted, swap,
//! LVM/RAID members, the system drive, anything not confirmed) and opens the
//! target exclusively; [`erase`] writes the method's passes and verifies the
//! last one, reporting progress as [`Event`]s; [`recorded::run`] does both
//! with a durable record around them, written through a [`recorded::Journal`]
//! the caller keeps (the engine knows no database), so a crash or Ctrl-C
//! leaves the erasure `interrupted`, never `running` and never `verified`.
//! A report that did not verify says why as a [`DriveFinding`]: data, told
//! in words only where it is shown.
//! [`purge`] tells which firmware erase (NVMe Sanitize, ATA Secure Erase) a
//! drive offers and builds its commands.

pub mod buffer;
mod engine;
mod error;
pub mod finding;
pub mod method;
pub mod mounts;
pub mod purge;
pub mod recorded;
pub mod safety;
pub mod sample;
pub mod stream;
pub mod sysfs;
pub mod target;

pub use engine::{
    erase, reverify, Event, Fault, FaultKind, Outcome, Phase, Plan, Progress, Report, MAX_FAULTS,
};
pub use error::{EraseError, Expected};
pub use finding::DriveFinding;
pub use method::{Method, Pattern, Seed, Verify};
pub use safety::{Confirmation, Prepared, System};
pub use sysfs::{DriveIdentity, Sysfs, Transport};
pub use target::{DiskTarget, ReadAt, Target, TargetKind};

/// The version recorded with every erasure as the tool that did it.
pub const TOOL_VERSION: &str = concat!("refurbdesk-erasure ", env!("CARGO_PKG_VERSION"));
