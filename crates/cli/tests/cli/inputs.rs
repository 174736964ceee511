//! Inputs refused where they enter, on the real binary: the exit code and the first line of
//! stderr for each kind of bad input (issue 21).

use std::path::Path;

use assert_cmd::Command;

pub(crate) fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR");
    cmd
}

/// Runs the command; its exit code and the first line of its stderr after the notice that a
/// command which may create the database did so (`settings set` on a new station).
pub(crate) fn run(cmd: &mut Command) -> (i32, String) {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|line| !line.starts_with("refurbdesk: created a new database at "))
        .unwrap_or("")
        .to_owned();
    (output.status.code().unwrap_or(-1), first)
}

pub(crate) fn settings_set(home: &Path, key: &str, value: &str) -> (i32, String) {
    run(refurbdesk(home).args(["settings", "set", key, value]))
}

#[test]
fn settings_set_refuses_unknown_keys_and_bad_values_at_once() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (code, line) = settings_set(home, "organisation.nmae", "Atelier");
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("\"organisation.nmae\""), "{line}");
    assert!(line.contains("certificate.signature_line"), "{line}");
    assert!(line.contains("did you mean organisation.name?"), "{line}");

    let missing = home.join("nowhere.png");
    let (code, line) = settings_set(home, "organisation.logo", missing.to_str().unwrap());
    assert_eq!(code, 2, "{line}");
    assert!(
        line.contains("organisation.logo") && line.contains("no such file"),
        "{line}"
    );
    let text = home.join("logo.png");
    std::fs::write(&text, "not an image").unwrap();
    let (code, line) = settings_set(home, "organisation.logo", text.to_str().unwrap());
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("not a PNG file"), "{line}");
    let big = home.join("big.png");
    std::fs::write(&big, vec![0_u8; 50 * 1024 * 1024]).unwrap();
    let (code, line) = settings_set(home, "organisation.logo", big.to_str().unwrap());
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("2 MB"), "{line}");
    std::fs::remove_file(&big).unwrap();

    for bad in ["abc", "150"] {
        let (code, line) = settings_set(home, "channel.premium.soh_threshold_pct", bad);
        assert_eq!(code, 2, "{line}");
        assert!(line.contains("between 1 and 100"), "{line}");
    }
    let (code, line) = settings_set(home, "station.channel", "premium");
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("the channels are backmarket"), "{line}");
    let (code, line) = settings_set(home, "certificate.verify_url", "www.example.com/{id}");
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("{id}, {digest}, {key}"), "{line}");
    let (code, line) = settings_set(home, "organisation.name", "");
    assert_eq!(code, 2, "{line}");
    let (code, line) = settings_set(home, "organisation.name", &"N".repeat(10_000));
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("at most 80 characters"), "{line}");
    let (code, line) = settings_set(home, "certificate.signature_line", "maybe");
    assert_eq!(code, 2, "{line}");

    // Nothing refused was stored; good values are.
    let (code, line) = settings_set(home, "certificate.signature_line", "true");
    assert_eq!(code, 0, "{line}");
    let list = refurbdesk(home)
        .args(["settings", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list = String::from_utf8(list).unwrap();
    assert!(list.contains("organisation.logo (not set)"), "{list}");
    assert!(list.contains("organisation.name (not set)"), "{list}");
    assert!(list.contains("certificate.signature_line = true"), "{list}");
}

#[test]
fn a_cosmetic_or_check_argument_that_names_nothing_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for (flag, value, needle) in [
        ("--cosmetic", "", "names no zone"),
        ("--cosmetic", " , ", "names no zone"),
        ("--check", "", "names no checklist item"),
    ] {
        let (code, line) = run(refurbdesk(home).args([
            "grade",
            "--device",
            "356938035643809",
            "--partial",
            flag,
            value,
        ]));
        assert_eq!(code, 2, "{flag} {value:?}: {line}");
        assert!(line.contains(needle), "{line}");
        assert!(line.contains("nothing inspected is not a grade"), "{line}");
    }
    // Refused before any database is made.
    assert!(!home.join("station.db").exists());
}

#[test]
fn a_zero_or_absurd_bench_timeout_is_a_usage_error_with_the_range() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for timeout in ["0", "99", "600001", "86400000"] {
        let (code, line) = run(refurbdesk(home).args([
            "intake",
            "--port",
            "/nonexistent/ttyACM0",
            "--slot",
            "1",
            "--timeout-ms",
            timeout,
        ]));
        assert_eq!(code, 2, "{timeout}: {line}");
        assert!(line.contains(&format!("{timeout} ms")), "{line}");
        assert!(line.contains("100 to 600000 ms"), "{line}");
        assert!(!line.contains("cable"), "{line}");
    }
    let (code, line) = run(refurbdesk(home).args([
        "erase",
        "--port",
        "/nonexistent/ttyACM0",
        "--slot",
        "1",
        "--method",
        "factory_reset",
        "--timeout-ms",
        "0",
    ]));
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("100 to 600000 ms"), "{line}");
    // In range, the bench is tried (and is not there).
    let (code, line) = run(refurbdesk(home).args([
        "intake",
        "--port",
        "/nonexistent/ttyACM0",
        "--slot",
        "1",
        "--timeout-ms",
        "100",
    ]));
    assert_eq!(code, 3, "{line}");
}

#[test]
fn a_long_argument_is_cut_when_a_message_echoes_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let long = "x".repeat(10_000);
    let cosmetic = format!("screen={long}");
    let photo = format!("screen{long}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["settings", "set", &long, "1"],
        vec!["settings", "set", "certificate.language", &long],
        vec!["settings", "set", "station.channel", &long],
        vec!["grade", "--device", "1", "--cosmetic", &cosmetic],
        vec!["grade", "--device", "1", "--photo", &photo],
        vec!["cert", "issue", "--out", "/tmp", "--erasure", &long],
    ];
    for args in cases {
        let (code, line) = run(refurbdesk(home).args(&args));
        assert_eq!(code, 2, "{}: {line}", args[..2].join(" "));
        assert!(
            line.len() < 1_000,
            "{}: {} bytes",
            args[..2].join(" "),
            line.len()
        );
        assert!(line.contains("characters)"), "{line}");
    }
    // A device reference: not found, and cut (in a database a valid setting created: the
    // refused commands above created none).
    assert_eq!(settings_set(home, "organisation.name", "Atelier").0, 0);
    let (code, line) = run(refurbdesk(home).args(["grade", "--device", &long, "--partial"]));
    assert_eq!(code, 4, "{line}");
    assert!(line.contains("…(10000 characters)"), "{line}");
}

pub(crate) fn json_of(cmd: &mut Command) -> serde_json::Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

/// Erases a small image file and returns the erasure's id.
pub(crate) fn erase_image(home: &Path, name: &str) -> String {
    let image = home.join(name);
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).unwrap();
    let erasure = json_of(
        refurbdesk(home)
            .args([
                "erase",
                "--method",
                "zero",
                "--yes-erase-image",
                "--json",
                "--target",
            ])
            .arg(&image),
    );
    assert_eq!(erasure["status"], "verified");
    erasure["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_malformed_erasure_id_says_where_ids_come_from_and_erase_list_lists_them() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (code, line) = run(refurbdesk(home).args([
        "cert",
        "issue",
        "--erasure",
        "not-a-uuid",
        "--out",
        home.to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{line}");
    assert!(
        line.contains("\"not-a-uuid\" is not an erasure id"),
        "{line}"
    );
    assert!(line.contains("`refurbdesk erase list`"), "{line}");
    assert!(!line.contains("invalid character"), "{line}");

    // No database yet: nothing to list.
    let (code, line) = run(refurbdesk(home).args(["erase", "list"]));
    assert_eq!(code, 4, "{line}");

    let first = erase_image(home, "a.img");
    let second = erase_image(home, "b.img");
    let listed = json_of(refurbdesk(home).args(["erase", "list", "--json"]));
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|erasure| erasure["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()], "newest first");
    assert_eq!(listed[0]["status"], "verified");
    assert_eq!(listed[0]["target_kind"], "image");
    assert_eq!(listed[0]["certificates"], serde_json::json!([]));

    let limited = json_of(refurbdesk(home).args(["erase", "list", "--limit", "1", "--json"]));
    assert_eq!(limited.as_array().unwrap().len(), 1);
    let none = json_of(refurbdesk(home).args(["erase", "list", "--status", "failed", "--json"]));
    assert_eq!(none, serde_json::json!([]));
    let future =
        json_of(refurbdesk(home).args(["erase", "list", "--since", "2999-01-01", "--json"]));
    assert_eq!(future, serde_json::json!([]));
    let text = refurbdesk(home)
        .args(["erase", "list", "--operator", "nobody-here"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(text).unwrap(), "no erasures\n");
    let text = refurbdesk(home).args(["erase", "list"]).assert().success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(text.lines().next().unwrap().starts_with(&second), "{text}");

    let (code, line) = run(refurbdesk(home).args(["erase", "list", "--status", "done"]));
    assert_eq!(code, 2, "{line}");
    assert!(
        line.contains("running, verified, failed, interrupted"),
        "{line}"
    );
    let (code, line) = run(refurbdesk(home).args(["erase", "list", "--device", "nope"]));
    assert_eq!(code, 4, "{line}");
    // The list's flags are the list's: erase's own are not taken with it.
    let (code, _) = run(refurbdesk(home).args(["erase", "list", "--method", "zero"]));
    assert_eq!(code, 2);
}

#[test]
fn a_second_certificate_for_an_erasure_is_refused_naming_the_first() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    assert_eq!(
        settings_set(home, "organisation.name", "Atelier Reconditionné SAS").0,
        0
    );
    let erasure = erase_image(home, "disk.img");
    let out = home.join("out");
    let issue = |home: &Path| {
        let mut cmd = refurbdesk(home);
        cmd.args(["cert", "issue", "--json", "--erasure", &erasure, "--out"])
            .arg(&out);
        cmd
    };
    let first = json_of(&mut issue(home));
    let first_id = first["id"].as_str().unwrap();
    let (code, line) = run(&mut issue(home));
    assert_eq!(code, 7, "{line}");
    assert!(line.contains("already has a certificate"), "{line}");
    assert!(line.contains(first_id), "{line}");
    assert!(
        line.contains(&format!("erasure-certificate-{first_id}.pdf")),
        "{line}"
    );
    let listed = json_of(refurbdesk(home).args(["cert", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // Once the first is void, a new one may be issued.
    refurbdesk(home)
        .args(["cert", "void", first_id, "--reason", "wrong customer"])
        .assert()
        .success();
    let second = json_of(&mut issue(home));
    assert_ne!(second["id"], first["id"]);
}
