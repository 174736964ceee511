//! Use-case tests: operators.
