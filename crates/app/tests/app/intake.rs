//! Use-case tests: intake.
