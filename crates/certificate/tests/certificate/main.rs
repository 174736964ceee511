//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod pades;
mod pdf;
