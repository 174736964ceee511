//! Use-case tests: devices.
