//! A refused first command creates no database: the commands that may create one check what
//! they were given before they open or create it (issue 21).

use std::path::Path;

use crate::inputs::{refurbdesk, run};

/// Runs `args` on a fresh home; asserts the exit code and that no database file was left.
fn refused_without_database(args: &[&str], code: i32, words: &str) {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    std::fs::write(home.join("notes.txt"), "not a photo").unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|arg| arg.replace("HOME", home.to_str().unwrap()))
        .collect();
    let (got, line) = run(refurbdesk(home).args(&args));
    assert_eq!(got, code, "{args:?}: {line}");
    assert!(line.contains(words), "{args:?}: {line}");
    assert_no_database(home, &args);
}

fn assert_no_database(home: &Path, args: &[String]) {
    // The database named by REFURBDESK_DB, its journal files, and no database elsewhere (the
    // data folder may hold the log).
    let mut found = Vec::new();
    let mut folders = vec![home.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                folders.push(path);
            } else if name.starts_with("station.db")
                || name.ends_with(".sqlite")
                || name.ends_with(".db")
            {
                found.push(path);
            }
        }
    }
    assert!(found.is_empty(), "{args:?} left {found:?} behind");
}

#[test]
fn a_refused_setting_creates_no_database() {
    for (args, words) in [
        (
            &["settings", "set", "organisation.nmae", "X"][..],
            "did you mean organisation.name?",
        ),
        (
            &["settings", "set", "organisation.name", ""],
            "organisation.name",
        ),
        (
            &["settings", "set", "organisation.logo", "HOME/nowhere.png"],
            "no such file",
        ),
        (
            &["settings", "set", "organisation.logo", "HOME/notes.txt"],
            "not a PNG file",
        ),
        (
            &[
                "settings",
                "set",
                "channel.premium.soh_threshold_pct",
                "150",
            ],
            "between 1 and 100",
        ),
        (
            &["settings", "set", "station.channel", "premium"],
            "the channels are backmarket",
        ),
        (
            &[
                "settings",
                "set",
                "certificate.verify_url",
                "www.example.com",
            ],
            "{id}",
        ),
    ] {
        refused_without_database(args, 2, words);
    }
}

#[test]
fn a_refused_operator_creates_no_database() {
    refused_without_database(&["operator", "add", " ana", "--role", "admin"], 2, "spaces");
    refused_without_database(
        &["operator", "add", "ana", "--role", "technician"],
        7,
        "admin",
    );
    // A good first admin does create it.
    let home = tempfile::tempdir().unwrap();
    let (code, line) =
        run(refurbdesk(home.path()).args(["operator", "add", "ana", "--role", "admin"]));
    assert_eq!(code, 0, "{line}");
    assert!(home.path().join("station.db").exists());
}

#[test]
fn a_refused_destruction_intake_or_erase_creates_no_database() {
    refused_without_database(
        &["cert", "destroy", "--method", "burn", "--witness", "Eve"],
        2,
        "not a destruction method",
    );
    refused_without_database(
        &[
            "cert",
            "destroy",
            "--method",
            "shred",
            "--witness",
            "Eve",
            "--evidence",
            "HOME/missing.jpg",
        ],
        4,
        "missing.jpg",
    );
    refused_without_database(
        &[
            "intake",
            "--port",
            "/dev/null",
            "--slot",
            "1",
            "--timeout-ms",
            "0",
        ],
        2,
        "timeout",
    );
    refused_without_database(
        &[
            "erase",
            "--port",
            "/dev/null",
            "--slot",
            "1",
            "--method",
            "factory_reset",
            "--timeout-ms",
            "0",
        ],
        2,
        "timeout",
    );
    refused_without_database(
        &[
            "erase",
            "--target",
            "HOME/notes.txt",
            "--method",
            "melt",
            "--yes-erase-image",
        ],
        2,
        "melt",
    );
}

#[test]
fn a_station_refused_for_its_channel_creates_no_database() {
    refused_without_database(
        &[
            "station",
            "--simulate",
            "--channel",
            "ebay-pro",
            "--until-idle",
        ],
        2,
        "ebay-pro",
    );
}
