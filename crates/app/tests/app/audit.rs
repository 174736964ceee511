//! Use-case tests: audit.
