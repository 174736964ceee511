//! The station: the intake of one bench slot, and the headless station that follows many benches,
//! intakes every device placed in them and records each reading in the store.
//!
//! Both front ends drive this crate: the CLI prints its events as progress lines, the desktop shell
//! forwards them to the UI.

mod intake;
mod record;
mod report;
mod station;

pub use intake::{
    run_intake, BenchIdentity, IntakeError, IntakeOptions, IntakeReading, MalformedReply,
    TestResult,
};
pub use record::{record_reading, RecordError};
pub use report::IntakeReport;
pub use station::{
    run_station, SlotPhase, StationConfig, StationEvent, StationHandle, StationSummary,
};
