//! Harness for end-to-end tests of the desktop app: starts Xvfb and tauri-driver, speaks W3C WebDriver
//! to them, and stops both when the session is dropped.
//!
//! The binaries must be built first: `cargo build --release -p refurbdesk-desktop -p refurbdesk-cli`
//! (the desktop app embeds `ui/dist`), the same build the packages are made of; the test command does
//! that. `REFURBDESK_E2E_PROFILE=debug` tests a debug build instead (`cargo build -p refurbdesk-desktop
//! -p refurbdesk-cli`), quicker to rebuild while working on a test. A missing prerequisite fails the test with what to install, it never skips.

mod display;
pub mod probes;
mod webdriver;

pub use display::VirtualDisplay;
pub use webdriver::{DesktopSession, Element, HarnessError, WebDriverSession};

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

/// The cargo profile folder the binaries under test come from: `release` unless
/// `REFURBDESK_E2E_PROFILE` names another (`debug`).
pub fn build_dir() -> PathBuf {
    let profile = std::env::var("REFURBDESK_E2E_PROFILE").unwrap_or_else(|_| "release".to_owned());
    target_dir().join(profile)
}

/// The desktop app under test.
pub fn app_binary() -> PathBuf {
    build_dir().join("refurbdesk-desktop")
}

/// The `refurbdesk` CLI built beside it.
pub fn cli_binary() -> PathBuf {
    build_dir().join("refurbdesk")
}

/// Where tests leave screenshots and other evidence for a person to look at.
pub fn artifacts_dir() -> PathBuf {
    target_dir().join("e2e-artifacts")
}
