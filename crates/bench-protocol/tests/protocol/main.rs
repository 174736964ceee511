//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod messages;
mod properties;
mod spec_examples;
