//! The station: the intake of one bench slot, the headless station that follows many benches,
//! intakes every device placed in them and records each reading in the store, and the erasure of
//! phones and tablets, by the bench or by hand ([`erase`]).
//!
//! Both front ends drive this crate: the CLI prints its events as progress lines, the desktop shell
//! forwards them to the UI.

pub mod erase;
mod intake;
mod record;
mod report;
mod station;

pub use erase::manual::{
    plan_manual_reset, run_manual_reset, Answers, AnswersFile, Lang, ManualResetEnd,
    ManualResetError, ManualResetOutcome, ManualResetPlan, ResetChecklist, StepPrompt,
};
pub use erase::{
    erase_on_bench, BenchEraseEnd, BenchEraseError, BenchEraseEvent, BenchEraseMethod,
    BenchEraseOptions, BenchEraseOutcome, BenchEraseRequest, Interruption,
};
pub use intake::{
    run_intake, run_intake_observed, BenchIdentity, IntakeError, IntakeOptions, IntakeReading,
    MalformedReply, TestResult,
};
pub use record::{record_reading, RecordError};
pub use report::IntakeReport;
pub use station::{
    run_station, run_station_with, OnDuty, SlotPhase, SlotSource, SourceContext, StationConfig,
    StationEvent, StationHandle, StationSummary, AWAITING_OPERATOR,
};
