//! The real desktop app in the real WebKitGTK webview.

use std::time::Duration;

use refurbdesk_e2e::{artifacts_dir, target_dir, DesktopSession};

fn app_binary() -> std::path::PathBuf {
    target_dir().join("debug/refurbdesk-desktop")
}

#[test]
fn the_window_opens_on_the_station_screen_with_the_app_version() {
    let data = tempfile_dir();
    let db = data.join("station.sqlite");
    let session = DesktopSession::start(
        &app_binary(),
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
        ],
    )
    .expect("start the desktop app under WebDriver");
    eprintln!("session started");

    let station = session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(30))
        .expect("the station screen appears");
    eprintln!("station found");
    let version = session
        .wait_for("[data-testid=\"app-version\"]", Duration::from_secs(10))
        .expect("the version is shown");
    // The version comes from the Tauri runtime; it may take a moment to replace the build-time one.
    let expected = format!("v{}", env!("CARGO_PKG_VERSION"));
    let shown = session.text(&version).expect("read the version");
    assert!(
        shown.contains(&expected),
        "version shown {shown:?}, expected {expected}"
    );
    assert_eq!(session.title().expect("read the title"), "Refurbdesk");
    let text = session.text(&station).expect("read the station text");
    assert!(
        !text.trim().is_empty(),
        "the station screen shows something"
    );

    let shot = artifacts_dir().join("station.png");
    session.screenshot(&shot).expect("save a screenshot");
    let bytes = std::fs::read(&shot).expect("read the screenshot back");
    assert!(
        bytes.len() > 1000,
        "the screenshot is a real image ({} bytes)",
        bytes.len()
    );
    let _ = std::fs::remove_dir_all(&data);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("refurbdesk-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a temporary data directory");
    dir
}
