//! The workstation's use cases, shared by the `refurbdesk` CLI and the desktop shell so both front ends stay thin.
//!
//! Where the station's data lives and how it logs are decided here once; later rooms (bench intake, grading,
//! erasure, certificates) are driven from here too.

pub mod channels;
pub mod documents;
pub mod logging;
pub mod paths;
mod simulate;
mod workstation;

pub use paths::{DataPaths, PathsError};
pub use simulate::{SimulateError, SimulatedBenches};
pub use workstation::{open_store, os_user};

/// The version of the engine, shown by `refurbdesk --version` and the desktop window.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
