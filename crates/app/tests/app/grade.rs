//! Use-case tests: grade.
