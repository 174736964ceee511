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
        &[],
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
        ],
    )
    .expect("start the desktop app under WebDriver");

    let station = session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(30))
        .expect("the station screen appears");
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
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("refurbdesk-e2e-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a temporary data directory");
    dir
}

#[test]
fn the_simulated_station_shows_each_device_as_it_is_recorded() {
    let data = tempfile_dir();
    let db = data.join("station.sqlite");
    let session = DesktopSession::start(
        &app_binary(),
        &["--simulate"],
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
        ],
    )
    .expect("start the desktop app with simulated benches");

    // The phone bench of the fixtures: slot 1 holds the iPhone 12 of the protocol's example.
    let slot = "[data-testid=\"bench-PB8-0042\"] [data-testid=\"slot-1\"]";
    let text = session
        .wait_for_text(slot, "iPhone 12", Duration::from_secs(60))
        .expect("the iPhone 12 in slot 1 is recorded and shown");
    assert!(
        text.contains("356728114587211"),
        "the IMEI is shown: {text:?}"
    );
    assert!(
        text.contains("86.0"),
        "the state of health is shown: {text:?}"
    );
    // The edge-case bench: a non-ASCII model name comes through decoded, and its account lock is
    // shown as blocked in words, not only in colour.
    let edge = session
        .wait_for_text(
            "[data-testid=\"bench-EX8-0001\"] [data-testid=\"slot-5\"]",
            "Redmi Note 12 – 日本版",
            Duration::from_secs(60),
        )
        .expect("the edge-case bench shows its devices");
    assert!(
        edge.contains("Blocked"),
        "the lock verdict is in words: {edge:?}"
    );

    let shot = artifacts_dir().join("station-simulated.png");
    session.screenshot(&shot).expect("save a screenshot");
    drop(session);

    // What the window showed was recorded in the database.
    let recorded = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    assert!(
        recorded > 0,
        "the station wrote its database at {}",
        db.display()
    );
    let _ = std::fs::remove_dir_all(&data);
}
