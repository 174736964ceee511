//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod churn;
mod common;
mod faults;
mod fixtures;
mod plug;
mod protocol;
