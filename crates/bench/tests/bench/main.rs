//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod common;
mod faults;
mod idle;
mod link;
mod simulator;
