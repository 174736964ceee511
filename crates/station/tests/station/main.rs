//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod erase;
mod erase_manual;
mod station;
