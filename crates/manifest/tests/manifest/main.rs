//! The manifest reader's tests, one binary: a module per subject.

mod csv;
