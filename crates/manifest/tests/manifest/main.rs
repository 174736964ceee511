//! The manifest reader's tests, one binary: a module per subject.

mod csv;
mod fixtures;
mod problems;
mod xlsx;
