//! Use-case tests: erase.
