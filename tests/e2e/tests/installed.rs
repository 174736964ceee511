//! The desktop app as a package installed it (`scripts/test-packages` installs the .deb first).
//!
//! Ignored in the ordinary run, which has no package installed; `scripts/test-packages` runs it with
//! `--ignored` and REFURBDESK_INSTALLED_APP set to the installed binary. Run that way, it fails when
//! the variable is unset or names no file: it never passes without having opened the window.

use std::path::PathBuf;
use std::time::Duration;

use refurbdesk_e2e::probes::{assert_csp_holds, CSP_PROBE};
use refurbdesk_e2e::{artifacts_dir, DesktopSession};

fn installed_app() -> PathBuf {
    let path = std::env::var_os("REFURBDESK_INSTALLED_APP").map(PathBuf::from).expect(
        "REFURBDESK_INSTALLED_APP names the installed desktop binary (scripts/test-packages sets it)",
    );
    assert!(
        path.is_file(),
        "REFURBDESK_INSTALLED_APP={} is not a file: is the package installed?",
        path.display()
    );
    path
}

#[test]
#[ignore = "needs an installed package: scripts/test-packages"]
fn the_installed_app_opens_its_window_and_reads_the_simulated_benches() {
    let app = installed_app();
    let data = std::env::temp_dir().join(format!("refurbdesk-installed-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("create a temporary data directory");
    let db = data.join("station.sqlite");
    let session = DesktopSession::start(
        &app,
        &["--simulate"],
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
        ],
    )
    .expect("start the installed desktop app under WebDriver");

    session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(30))
        .expect("the station screen appears");
    assert_eq!(session.title().expect("read the title"), "Refurbdesk");
    // The shell's own version (the page shows the build-time one until the runtime answers).
    let version = session
        .wait_for_text(
            "[data-testid=\"app-version\"]",
            &format!("v{}", env!("CARGO_PKG_VERSION")),
            Duration::from_secs(10),
        )
        .expect("the version is shown");
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version:?}");
    let runtime = session
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             window.__TAURI_INTERNALS__.invoke('plugin:app|version').then(done, (e) => done('error: ' + e));",
            serde_json::json!([]),
        )
        .expect("ask the shell for its version");
    assert_eq!(
        runtime,
        env!("CARGO_PKG_VERSION"),
        "the runtime answers with the package's version"
    );

    // The engine runs inside the installed binary: the simulated phone bench's slot 1 is recorded.
    let slot = session
        .wait_for_text(
            "[data-testid=\"slot-PB8-0042-1\"]",
            "iPhone 12",
            Duration::from_secs(60),
        )
        .expect("the iPhone 12 in slot 1 is read and shown");
    assert!(
        slot.contains("356728114587211"),
        "the IMEI is shown: {slot:?}"
    );

    let seen = session
        .execute(CSP_PROBE, serde_json::json!([]))
        .expect("run the policy probe in the page");
    assert_csp_holds(&seen);

    session
        .screenshot(&artifacts_dir().join("installed.png"))
        .expect("save a screenshot");
    drop(session);
    assert!(
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) > 0,
        "the installed app wrote its database at {}",
        db.display()
    );
    let _ = std::fs::remove_dir_all(&data);
}
