//! Use-case tests: db.
