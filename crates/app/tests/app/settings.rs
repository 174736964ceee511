//! Use-case tests: settings.
