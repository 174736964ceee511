//! Harness for end-to-end tests of the desktop app: starts Xvfb and tauri-driver, speaks W3C WebDriver
//! to them, and stops both when the session is dropped.
//!
//! The app binary must be built first (`cargo build -p refurbdesk-desktop`, which embeds `ui/dist`);
//! the test command does that. A missing prerequisite fails the test with what to install, it never skips.

mod display;
pub mod probes;
mod webdriver;

pub use display::VirtualDisplay;
pub use webdriver::{DesktopSession, Element, HarnessError};

use std::path::PathBuf;

/// The workspace's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target")
                .canonicalize()
                .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        })
}

/// Where tests leave screenshots and other evidence for a person to look at.
pub fn artifacts_dir() -> PathBuf {
    target_dir().join("e2e-artifacts")
}
