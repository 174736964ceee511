//! The integration tests of this crate, as one test binary (one link instead of one per file).

mod common;
mod image;
mod loop_device;
mod recorded;
mod sysfs;
