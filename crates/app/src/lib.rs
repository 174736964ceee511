//! The workstation's use cases: every thing a person can do with Refurbdesk, as a plain function
//! over a [`Workstation`] and a parameter struct, returning plain serialisable data or one
//! [`Error`]. The `refurbdesk` CLI and the desktop shell are two thin doors into these functions:
//! they parse, call and print (or emit), and decide nothing.
//!
//! Long work reports through a [`Progress`] and stops when it is cancelled. Hints in errors are
//! door-neutral ([`Hint`]) and told by the door ([`Door`]).

pub mod adb;
pub mod agent;
pub mod audit;
pub mod batches;
pub mod calendar;
pub mod channels;
pub mod customers;
pub mod db;
pub mod devices;
pub mod direct_usb;
pub mod documents;
pub mod erase;
pub mod error;
pub mod grade;
pub mod intake;
pub mod ios;
pub mod label;
pub mod locks;
pub mod logging;
pub mod marketplace;
pub mod marketplace_orders;
#[cfg(feature = "simulate")]
pub mod marketplace_sim;
pub mod operators;
pub mod paths;
pub mod photos;
pub mod policy;
pub mod ports;
pub mod progress;
pub mod qa;
pub mod replication;
pub mod session;
pub mod settings;
pub mod ship;
#[cfg(feature = "simulate")]
pub mod sim;
#[cfg(feature = "simulate")]
mod simulate;
pub mod site;
pub mod site_export;
pub mod site_page;
pub mod station;
pub mod stats;
pub mod sync;
mod workstation;

pub use error::{ConfirmWith, Door, Error, ErrorCode, Hint, RecordKind, Result, WindowError};
pub use paths::{DataPaths, PathsError};
pub use progress::{Cancel, Progress, ProgressReport, Running};
#[cfg(feature = "simulate")]
pub use simulate::{SimulateError, SimulatedBenches};
pub use workstation::{
    open_store, operator_from_env, os_user, use_desktop_page_cache, Workstation,
    DESKTOP_PAGE_CACHE_KIB, OPERATOR_ENV,
};

/// The version of the engine, shown by `refurbdesk --version` and the desktop window.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
