//! Use-case tests: documents.
