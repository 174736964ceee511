//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod common;
mod default_policy;
mod policy_check;
mod properties;
