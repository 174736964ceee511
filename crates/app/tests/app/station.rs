//! Use-case tests: station.
