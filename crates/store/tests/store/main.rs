//! The store on real SQLite files: one test binary with a module per area.

mod audit;
mod batch;
mod batch_audit;
mod batch_reports;
mod certificates;
mod common;
mod concurrency;
mod crash;
mod erasures;
mod erasures_devices;
mod grades;
mod intake;
mod maintenance;
mod open;
mod operators;
mod outbox;
mod overrides;
