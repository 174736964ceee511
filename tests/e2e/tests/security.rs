//! The window's Content-Security-Policy, observed in the real webview: the page loads only what the
//! app ships, and nothing inline runs or styles it.

use std::time::Duration;

use refurbdesk_e2e::probes::{assert_csp_holds, CSP_PROBE, INVOKE_PROBE};
use refurbdesk_e2e::{app_binary, DesktopSession};

#[test]
fn the_page_runs_under_a_strict_content_security_policy() {
    let data = std::env::temp_dir().join(format!("refurbdesk-e2e-csp-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("create a temporary data directory");
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
    session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(30))
        .expect("the station screen appears");

    let seen = session
        .execute(CSP_PROBE, serde_json::json!([]))
        .expect("run the policy probe in the page");
    assert_csp_holds(&seen);
    drop(session);
    let _ = std::fs::remove_dir_all(&data);
}

/// src-tauri/capabilities/default.json: the app's own commands it names, its events and its version,
/// and no other core command (windows, webviews, paths, menus, resources). The app declares its
/// commands (src-tauri/build.rs), so a registered command the capability does not name
/// (`db_restore`) is refused like an unknown one.
#[test]
fn the_window_may_call_the_apps_commands_and_no_other_core_command() {
    let data = std::env::temp_dir().join(format!("refurbdesk-e2e-acl-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("create a temporary data directory");
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
    session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(30))
        .expect("the station screen appears");

    let allowed = [
        ("station_info", serde_json::json!({})),
        ("session_status", serde_json::json!({})),
        ("plugin:app|version", serde_json::json!({})),
        (
            "plugin:event|listen",
            serde_json::json!({"event": "station-event", "target": {"kind": "Any"}, "handler": 0}),
        ),
    ];
    let denied = [
        (
            "db_restore",
            serde_json::json!({"params": {"file": "/nonexistent.sqlite"}}),
        ),
        ("no_such_command", serde_json::json!({})),
        (
            "plugin:window|set_title",
            serde_json::json!({"label": "main", "value": "x"}),
        ),
        ("plugin:window|close", serde_json::json!({"label": "main"})),
        (
            "plugin:webview|create_webview_window",
            serde_json::json!({"options": {"label": "x"}}),
        ),
        (
            "plugin:path|resolve_directory",
            serde_json::json!({"directory": 11}),
        ),
        ("plugin:app|app_hide", serde_json::json!({})),
        (
            "plugin:event|emit",
            serde_json::json!({"event": "station-event", "payload": null}),
        ),
        // The opener plugin is registered for `documents_open` (Rust side only): the page
        // cannot open a path or a URL with it.
        (
            "plugin:opener|open_path",
            serde_json::json!({"path": "/etc/hostname"}),
        ),
        (
            "plugin:opener|open_url",
            serde_json::json!({"url": "https://example.org/"}),
        ),
    ];
    let calls: Vec<_> = allowed
        .iter()
        .chain(denied.iter())
        .map(|(c, a)| serde_json::json!([c, a]))
        .collect();
    let seen = session
        .execute_async(INVOKE_PROBE, serde_json::json!([calls]))
        .expect("call the commands from the page");
    let seen = seen.as_array().expect("one answer per call");
    for ((command, _), answer) in allowed.iter().zip(seen) {
        assert_eq!(answer, "allowed", "{command} is allowed");
    }
    for ((command, _), answer) in denied.iter().zip(&seen[allowed.len()..]) {
        let text = answer.as_str().unwrap_or_default();
        assert!(
            text.contains("not allowed"),
            "{command} is refused by the capability, got {answer}"
        );
    }
    // Refused by the ACL (a registered command, not an unknown one). A debug build also names the
    // permission the capability would have to grant; a release build, the one shipped, says only
    // "Command db_restore not allowed by ACL".
    let refusal = seen[allowed.len()].as_str().unwrap_or_default();
    assert!(
        refusal.contains("db_restore") && refusal.contains("not allowed by ACL")
            || refusal.contains("allow-db-restore"),
        "db_restore is refused for want of its permission, got {refusal:?}"
    );
    assert_eq!(
        session.title().expect("read the title"),
        "Refurbdesk",
        "the title is unchanged"
    );
    drop(session);
    let _ = std::fs::remove_dir_all(&data);
}
