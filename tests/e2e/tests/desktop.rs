//! The real desktop app in the real WebKitGTK webview.

use std::time::Duration;

use refurbdesk_e2e::{app_binary, artifacts_dir, cli_binary, DesktopSession};

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
    let slot = "[data-testid=\"slot-PB8-0042-1\"]";
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
            "[data-testid=\"slot-EX8-0001-5\"]",
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

fn css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// A technician's day on one device, in the window, in `lang`: the operator logs in with their PIN
/// (a wrong one is refused first), the device is read on the simulated bench, opened from its tile with the keyboard, its checklist answered with single keys and its
/// zones with digits, graded with reasons; an image file of it is erased with a typed confirmation
/// while the progress shows, its certificate issued and verified. A screenshot of every screen.
fn technician_day(lang: &str) {
    let data = tempfile_dir();
    let db = data.join("station.sqlite");
    // Documents need the organisation's name; the first admin, with a PIN, is registered. The
    // CLI does both as a person would (the PIN typed twice on standard input).
    let cli = Cli {
        data: data.clone(),
        db: db.clone(),
    };
    cli.run(
        &["settings", "set", "organisation.name", "Atelier Exemple"],
        None,
    );
    // A trade-in batch imported at the terminal, to be received in the window further on.
    let manifest = data.join("acme.csv");
    std::fs::write(
        &manifest,
        "imei;model;declared_grade;quoted_price\n\
         490154203237518;iPhone 12;FUNCTIONAL_GOOD;265,00\n\
         353918056287218;iPhone 13;FUNCTIONAL_USED;310,50\n",
    )
    .unwrap();
    cli.run(&["customer", "add", "Acme Leasing"], None);
    let batch = cli.json(&[
        "batch",
        "import",
        manifest.to_str().unwrap(),
        "--customer",
        "Acme Leasing",
    ]);
    let batch = batch["id"].as_str().expect("the batch's id").to_owned();
    cli.run(&["operator", "add", OPERATOR, "--role", "admin"], None);
    cli.run(
        &["--operator", OPERATOR, "operator", "pin", OPERATOR],
        Some(&format!("{PIN}\n{PIN}\n")),
    );
    let image = data.join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 8 << 20]).expect("write an 8 MiB image file");

    let session = DesktopSession::start(
        &app_binary(),
        &["--simulate"],
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
        ],
    )
    .expect("start the desktop app with simulated benches");
    let shots = artifacts_dir().join(lang);
    let wait = Duration::from_secs(60);

    if lang != "en" {
        let option = session
            .wait_for(
                &format!("{} option[value=\"{lang}\"]", css("lang-switch")),
                wait,
            )
            .expect("the language switch");
        session.click(&option).expect("choose the language");
    }
    let html_lang = session
        .execute(
            "return document.documentElement.lang;",
            serde_json::json!([]),
        )
        .expect("read <html lang>");
    assert_eq!(html_lang, lang);

    // An operator has a PIN: the window opens on the log-in screen. A wrong PIN is refused on
    // screen; the right one opens the station, which records under that operator.
    let name = session.wait_for(&css("login-name"), wait).expect("log-in");
    session.type_into(&name, OPERATOR).unwrap();
    let pin = session.wait_for(&css("login-pin"), wait).unwrap();
    session.type_into(&pin, "0000").unwrap();
    session
        .click(&session.wait_for(&css("login-submit"), wait).unwrap())
        .unwrap();
    let refused = session
        .wait_for_attribute(
            &format!("{} {}", css("login"), css("error")),
            "data-code",
            "refused",
            wait,
        )
        .expect("a wrong PIN is refused");
    assert!(
        session.text(&refused).unwrap().contains("PIN"),
        "the refusal says why"
    );
    session
        .screenshot(&shots.join("login-refused.png"))
        .expect("screenshot");
    session.type_into(&pin, PIN).unwrap();
    session
        .click(&session.wait_for(&css("login-submit"), wait).unwrap())
        .unwrap();
    session
        .wait_for_text(&css("session-operator"), OPERATOR, wait)
        .expect("logged in");
    session
        .wait_for(&css("station"), wait)
        .expect("the station");

    // The iPhone 12 in slot 1 completes intake; its tile says done and carries its battery verdict.
    let tile = session
        .wait_for_attribute(&css("slot-PB8-0042-1"), "data-state", "done", wait)
        .expect("slot 1 completes intake");
    assert_eq!(
        session.attribute(&tile, "data-battery").unwrap().as_deref(),
        Some("pass")
    );
    let tiles = session
        .execute(
            "return [...document.querySelectorAll('[data-testid^=\"slot-\"]')].map(e => e.getAttribute('data-state'));",
            serde_json::json!([]),
        )
        .expect("read the tiles");
    let allowed = [
        "empty",
        "identifying",
        "testing",
        "erasing",
        "done",
        "fault",
        "disconnected",
    ];
    for state in tiles.as_array().expect("tiles") {
        assert!(
            allowed.contains(&state.as_str().unwrap_or("")),
            "tile state {state}"
        );
    }
    session
        .screenshot(&shots.join("station.png"))
        .expect("screenshot");

    // Keyboard: into the tiles, the arrows move between them, Enter on slot 1 opens the device.
    let list = session.wait_for(&css("bench-list"), wait).unwrap();
    session.click(&tile).expect("focus the tile");
    let focused = || {
        session
            .execute(
                "return document.activeElement && document.activeElement.getAttribute('data-testid');",
                serde_json::json!([]),
            )
            .expect("read the focus")
    };
    assert_eq!(focused(), serde_json::json!("slot-PB8-0042-1"));
    session
        .type_into(&tile, "\u{E014}")
        .expect("press the right arrow on the tile");
    assert_eq!(
        focused(),
        serde_json::json!("slot-PB8-0042-2"),
        "the right arrow moves on"
    );
    let second = session.wait_for(&css("slot-PB8-0042-2"), wait).unwrap();
    session
        .type_into(&second, "\u{E012}")
        .expect("press the left arrow");
    assert_eq!(
        focused(),
        serde_json::json!("slot-PB8-0042-1"),
        "the left arrow moves back"
    );
    assert_eq!(
        session.attribute(&tile, "tabindex").unwrap().as_deref(),
        Some("0"),
        "the tile with the focus holds the tab stop"
    );
    session
        .type_into(&tile, "\u{E007}")
        .expect("press Enter on the tile");
    drop(list);
    let imei = session
        .wait_for_text(&css("device-imei"), "356728114587211", wait)
        .expect("the device screen shows the IMEI");
    assert!(imei.contains("356728114587211"));
    let soh = session.wait_for(&css("device-soh"), wait).unwrap();
    assert!(session.text(&soh).unwrap().contains("86.0"));

    // The checklist: manual items with P, zones with 0, from the first manual item on.
    let counts = session
        .execute(
            "return [document.querySelectorAll('[data-source=\"technician\"]').length, document.querySelectorAll('[data-testid^=\"zone-\"]').length];",
            serde_json::json!([]),
        )
        .expect("count the open questions");
    let items = counts[0].as_u64().unwrap_or(0) as usize;
    let zones = counts[1].as_u64().unwrap_or(0) as usize;
    assert!(items > 0 && zones > 0, "open items {items}, zones {zones}");
    let first = session
        .wait_for("[data-source=\"technician\"]", wait)
        .expect("a manual item");
    session
        .click(&first)
        .expect("start at the first manual item");
    let checklist = session.wait_for(&css("checklist"), wait).unwrap();
    let keys = format!("{}{}", "p".repeat(items), "0".repeat(zones));
    session
        .type_into(&checklist, &keys)
        .expect("answer by keyboard");
    let answered = session
        .execute(
            "return [...document.querySelectorAll('[data-source=\"technician\"]')].every(e => e.getAttribute('data-answer') === 'pass');",
            serde_json::json!([]),
        )
        .unwrap();
    assert_eq!(answered, true, "every manual item answered pass");
    session
        .click(&session.wait_for(&css("grade-submit"), wait).unwrap())
        .unwrap();
    let outcome = session
        .wait_for(&css("grade-outcome"), wait)
        .expect("graded");
    assert!(!session.text(&outcome).unwrap().trim().is_empty());
    let grade = session.wait_for(&css("grade-grade"), wait).unwrap();
    assert!(!session.text(&grade).unwrap().trim().is_empty());
    let reasons = session.wait_for(&css("grade-reasons"), wait).unwrap();
    assert!(
        !session.text(&reasons).unwrap().trim().is_empty(),
        "the grade has reasons"
    );
    session
        .screenshot(&shots.join("device.png"))
        .expect("screenshot");

    // Erase the image with the confirmation the engine asks for, watching the progress.
    let target = session.wait_for(&css("erase-target"), wait).unwrap();
    session
        .type_into(&target, &image.display().to_string())
        .unwrap();
    session
        .click(&session.wait_for(&css("erase-start"), wait).unwrap())
        .unwrap();
    let confirm = session
        .wait_for(&css("erase-confirm"), wait)
        .expect("asked to confirm");
    session.type_into(&confirm, "disk.img").unwrap();
    // Every progress figure the screen shows while the erasure runs, as the page draws it.
    session
        .execute(
            "window.__progressSeen = [];
             const note = () => {
               const bar = document.querySelector('[data-testid=\"erase-progress\"]');
               if (bar === null) return;
               const seen = window.__progressSeen;
               const value = [bar.getAttribute('data-stage'), Number(bar.getAttribute('data-progress'))];
               const last = seen[seen.length - 1];
               if (last === undefined || last[0] !== value[0] || last[1] !== value[1]) seen.push(value);
             };
             new MutationObserver(note).observe(document.body,
               { subtree: true, childList: true, attributes: true, attributeFilter: ['data-progress'] });",
            serde_json::json!([]),
        )
        .expect("watch the progress");
    session
        .click(
            &session
                .wait_for(&css("erase-confirm-submit"), wait)
                .unwrap(),
        )
        .unwrap();
    session
        .wait_for_attribute(&css("erase-result"), "data-outcome", "verified", wait)
        .expect("erased and verified");
    let seen = session
        .execute("return window.__progressSeen;", serde_json::json!([]))
        .expect("the progress seen");
    // (stage, percent) as drawn: each stage (every overwriting pass, then the read-back) runs
    // forward from 0 to 100.
    let seen: Vec<(String, f64)> = seen
        .as_array()
        .expect("a list")
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap_or("").to_owned(),
                pair[1].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert!(!seen.is_empty(), "the progress showed while erasing");
    assert!(
        seen.windows(2)
            .all(|pair| pair[0].0 != pair[1].0 || pair[0].1 <= pair[1].1)
            && seen.iter().all(|(_, value)| (0.0..=100.0).contains(value)),
        "each stage's progress only goes forward, from 0 to 100: {seen:?}"
    );
    // The stages in the engine's order (the read-back after the passes); an 8 MiB image goes so
    // fast that the page may draw only some of them before the result replaces the bar.
    let order = |stage: &str| match stage {
        "" => 0,
        "verify" => 2,
        _ => 1,
    };
    assert!(
        seen.windows(2)
            .all(|pair| order(&pair[0].0) <= order(&pair[1].0)),
        "the stages come in order, the read-back last: {seen:?}"
    );
    assert!(
        seen.iter().any(|(stage, _)| !stage.is_empty()),
        "the bar names its stage: {seen:?}"
    );
    assert_eq!(
        session
            .execute(
                "return document.querySelector('[data-testid=\"erase-progress\"]') === null;",
                serde_json::json!([]),
            )
            .unwrap(),
        serde_json::json!(true),
        "the progress bar gives way to the result"
    );
    assert!(
        std::fs::read(&image).unwrap().iter().all(|byte| *byte == 0),
        "the image is zeroed"
    );

    session
        .click(
            &session
                .wait_for(&css("cert-issue"), wait)
                .expect("certifiable"),
        )
        .unwrap();
    let verify = session
        .wait_for(&css("document-verify"), wait)
        .expect("issued");
    session.click(&verify).unwrap();
    session
        .wait_for_attribute(&css("document-verification"), "data-valid", "true", wait)
        .expect("the certificate verifies");
    session
        .screenshot(&shots.join("device-certified.png"))
        .expect("screenshot");

    // Print label: a PDF label beside the documents, named in the screen's words.
    session
        .click(&session.wait_for(&css("label-print"), wait).unwrap())
        .unwrap();
    session
        .wait_for_text(&css("label-printed"), ".pdf", wait)
        .expect("the label is written");
    let documents = data.join("refurbdesk/documents");
    let labels: Vec<_> = std::fs::read_dir(&documents)
        .expect("the documents folder")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("label-"))
        .collect();
    assert_eq!(labels.len(), 1, "one label in {}", documents.display());
    assert!(std::fs::read(labels[0].path())
        .unwrap()
        .starts_with(b"%PDF"));

    // Back on the station, the device's tile shows its SOH and the grade just recorded.
    session
        .click(&session.wait_for(&css("nav-station"), wait).unwrap())
        .unwrap();
    let graded = session
        .wait_for(
            &format!("{} {}", css("slot-PB8-0042-1"), css("tile-grade")),
            wait,
        )
        .expect("the tile shows the grade");
    assert!(!session.text(&graded).unwrap().trim().is_empty());
    let soh = session
        .wait_for(
            &format!("{} {}", css("slot-PB8-0042-1"), css("tile-soh")),
            wait,
        )
        .expect("the tile shows the SOH");
    assert!(session.text(&soh).unwrap().contains("86"));

    // The quality screen finds the device by its IMEI.
    session
        .click(&session.wait_for(&css("nav-quality"), wait).unwrap())
        .unwrap();
    let search = session.wait_for(&css("quality-search"), wait).unwrap();
    session
        .type_into(&search, "356728114587211\u{E007}")
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        let rows = session
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"quality-row\"]')].map(r => r.textContent);",
                serde_json::json!([]),
            )
            .unwrap();
        let rows = rows.as_array().cloned().unwrap_or_default();
        if rows.len() == 1 && rows[0].as_str().unwrap_or("").contains("356728114587211") {
            break;
        }
        assert!(
            start.elapsed() < wait,
            "quality rows for the IMEI: {rows:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A scanner receives the batch's first device: its keys, typed while the Open button has
    // the focus, land in the receiving field, and Enter records the scan.
    session
        .click(&session.wait_for(&css("nav-batches"), wait).unwrap())
        .unwrap();
    let open = session
        .wait_for(&format!("[data-batch=\"{batch}\"] button"), wait)
        .expect("the imported batch is listed");
    session.click(&open).unwrap();
    session
        .wait_for_text(
            "[data-testid=\"batch-totals\"] [data-count=\"declared\"]",
            "2",
            wait,
        )
        .expect("the batch opens with its two declared devices");
    for key in "490154203237518".chars() {
        session.press_key(key).unwrap();
    }
    session.press_key('\u{E007}').unwrap();
    session
        .wait_for(
            "[data-testid=\"batch-scan\"][data-outcome=\"matched\"]",
            wait,
        )
        .expect("the scan matches the manifest's line 2");
    session
        .wait_for_text(
            "[data-testid=\"batch-totals\"] [data-count=\"received\"]",
            "1",
            wait,
        )
        .expect("one device received");
    session
        .wait_for_text(&css("batch-missing"), "353918056287218", wait)
        .expect("the other device is missing");
    let status = cli.json(&["batch", "status", &batch]);
    assert_eq!(
        (&status["received"], &status["missing"]),
        (&serde_json::json!(1), &serde_json::json!(1)),
        "{status}"
    );

    for screen in ["batches", "quality", "settings", "station"] {
        session
            .click(
                &session
                    .wait_for(&css(&format!("nav-{screen}")), wait)
                    .unwrap(),
            )
            .unwrap();
        session
            .wait_for(&css(screen), wait)
            .expect("the screen opens");
        session
            .screenshot(&shots.join(format!("{screen}.png")))
            .expect("screenshot");
    }
    drop(session);

    // What the window recorded names the operator who logged in: the intake its station made,
    // and the certificate.
    let devices = cli.json(&["devices", "--imei", "356728114587211"]);
    assert_eq!(devices[0]["last_operator"], OPERATOR, "{devices}");
    let documents = cli.json(&["cert", "list"]);
    let documents = documents.as_array().expect("documents");
    assert!(!documents.is_empty());
    for document in documents {
        assert_eq!(document["issued_by"], OPERATOR, "{document}");
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// The operator of the journey, and their PIN.
const OPERATOR: &str = "Ana";
const PIN: &str = "4826";

/// The `refurbdesk` CLI on the journey's database, as a person at a terminal runs it.
struct Cli {
    data: std::path::PathBuf,
    db: std::path::PathBuf,
}

impl Cli {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Vec<u8> {
        use std::io::Write as _;
        let mut child = std::process::Command::new(cli_binary())
            .args(args)
            .env("XDG_DATA_HOME", &self.data)
            .env("REFURBDESK_DB", &self.db)
            .env_remove("REFURBDESK_OPERATOR")
            .env_remove("REFURBDESK_PIN")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run the refurbdesk CLI (built by the workspace tests)");
        let mut input = child.stdin.take().expect("stdin");
        input
            .write_all(stdin.unwrap_or("").as_bytes())
            .expect("type into the CLI");
        drop(input);
        let output = child.wait_with_output().expect("the CLI ends");
        assert!(
            output.status.success(),
            "refurbdesk {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_slice(&self.run(&args, None)).expect("JSON from the CLI")
    }
}

#[test]
fn a_technician_reads_grades_erases_and_certifies_a_device_in_english() {
    technician_day("en");
}

#[test]
fn a_technician_reads_grades_erases_and_certifies_a_device_in_french() {
    technician_day("fr");
}
