//! Messages that must be true and helpful, through the real binary: the exit code and the first
//! line of stderr (issue 21, "Untrue or unhelpful today").

use assert_cmd::Command;

use crate::support::Station;

impl Station {
    /// The binary on this station's database, in a clean environment with no operating-system
    /// user name in it (as in a service or a CI run).
    fn bare(&self) -> Command {
        let mut cmd = self.cli();
        cmd.env_remove("USER");
        cmd
    }
}

/// Runs `cmd`, returning its exit code, stdout and stderr.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// The error a failed command printed: always the last line of stderr, after any log line or
/// notice (such as "created a new database at …").
fn error_line(text: &str) -> &str {
    text.lines().last().unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// 1. The name asked for is the name recorded, or the command refuses.

#[test]
fn a_named_operator_on_a_station_without_operators_is_refused_with_how_to_register_one() {
    let station = Station::new();
    let (code, _, stderr) = run(station.bare().env("REFURBDESK_OPERATOR", "tester").args([
        "settings",
        "set",
        "organisation.name",
        "Atelier",
    ]));
    assert_eq!(code, 7, "{stderr}");
    let line = error_line(&stderr);
    assert!(
        line.contains("no operator is registered on this station yet, so \"tester\" cannot act"),
        "{line}"
    );
    assert!(
        line.contains("refurbdesk operator add tester --role admin"),
        "{line}"
    );

    // That command works with the same environment, and from then on tester is recorded.
    let (code, _, stderr) = run(station
        .bare()
        .env("REFURBDESK_OPERATOR", "tester")
        .args(["operator", "add", "tester", "--role", "admin"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains(" operator acts as admin"),
        "the OS user is named, never a made-up \"operator\": {stderr}"
    );
    let (code, _, stderr) = run(station.bare().env("REFURBDESK_OPERATOR", "tester").args([
        "settings",
        "set",
        "organisation.name",
        "Atelier",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let conn = rusqlite::Connection::open(&station.db).expect("database");
    let actors: Vec<String> = conn
        .prepare("SELECT operator FROM audit_log WHERE entity = 'setting'")
        .expect("query")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("actors");
    assert_eq!(actors, ["tester"]);
}

#[test]
fn without_user_variables_the_bootstrap_admin_is_the_account_name() {
    let station = Station::new();
    let (code, _, stderr) = run(station
        .bare()
        .args(["operator", "add", "boss", "--role", "admin"]));
    assert_eq!(code, 0, "{stderr}");
    let account = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id runs");
    let account = String::from_utf8_lossy(&account.stdout).trim().to_owned();
    assert!(
        stderr.contains(&format!("so {account} acts as admin")),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. A state of health shown never contradicts its verdict.

fn edge_cases() -> refurbdesk_bench_sim::Scenario {
    let (name, text) = refurbdesk_bench_sim::embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == "edge-cases.toml")
        .expect("fixture exists");
    refurbdesk_bench_sim::Scenario::from_toml(text, name).expect("scenario")
}

#[test]
fn a_battery_just_under_the_threshold_shows_rounded_down_beside_replace() {
    use refurbdesk_bench_sim::{SimBench, SimOptions};
    let station = Station::new();
    let link = station.home.path().join("bench");
    let _bench = SimBench::start(edge_cases(), &link, SimOptions::default()).expect("bench");
    let port = link.to_str().expect("utf-8 path");

    // Slot 2: 2548 / 2999 mAh = 84.96 %, below the 85 % threshold.
    let (code, stdout, stderr) = run(station
        .bare()
        .args(["intake", "--port", port, "--slot", "2"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("battery 84.9 % replace"),
        "never 85.0 beside replace: {stdout}"
    );
    assert!(!stdout.contains("85.0"), "{stdout}");

    let (code, stdout, stderr) = run(station
        .bare()
        .args(["intake", "--port", port, "--slot", "2", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(json["battery"]["soh_pct"], 84.9);
    assert_eq!(json["battery"]["verdict"], "replace");
    let exact = json["battery"]["soh_pct_exact"]
        .as_f64()
        .expect("exact figure");
    assert!((exact - 2548.0 * 100.0 / 2999.0).abs() < 1e-9, "{exact}");

    // Slot 1: exactly 85.0 % passes, and shows as 85.0.
    let (code, stdout, stderr) = run(station
        .bare()
        .args(["intake", "--port", port, "--slot", "1", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(json["battery"]["soh_pct"], 85.0);
    assert_eq!(json["battery"]["verdict"], "pass");

    // The device list shows the same figures.
    let (code, stdout, stderr) = run(station.bare().args(["devices"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("replace (84.9%)"), "{stdout}");
    assert!(stdout.contains("pass (85.0%)"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// 3. Advice that names real commands; a damaged database said to be damaged; exit codes as
//    docs/cli.md says.

/// A real station database, then its pages after the first overwritten: SQLite reads the header
/// and finds the rest malformed.
fn damaged_database(station: &Station, file: &std::path::Path) {
    let (code, _, stderr) = run(station
        .bare()
        .env("REFURBDESK_DB", file)
        .args(["operator", "add", "boss", "--role", "admin"]));
    assert_eq!(code, 0, "{stderr}");
    let mut bytes = std::fs::read(file).expect("database");
    for byte in bytes.iter_mut().skip(4096).step_by(7) {
        *byte = 0x55;
    }
    std::fs::write(file, bytes).expect("damaged");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

#[test]
fn a_damaged_database_is_called_damaged_with_how_to_restore_it() {
    let station = Station::new();
    damaged_database(&station, &station.db);
    let (code, _, stderr) = run(station.bare().args(["devices"]));
    assert_eq!(code, 8, "{stderr}");
    let line = first_line(&stderr);
    assert!(line.contains("is a damaged Refurbdesk database"), "{line}");
    assert!(line.contains("`refurbdesk db restore FILE`"), "{line}");
    assert!(!line.contains("check that the folder exists"), "{line}");
}

#[test]
fn restoring_a_damaged_or_foreign_backup_fails_its_check_with_exit_1() {
    let station = Station::new();
    let (code, _, stderr) = run(station
        .bare()
        .args(["operator", "add", "boss", "--role", "admin"]));
    assert_eq!(code, 0, "{stderr}");

    let damaged = station.home.path().join("damaged.bak");
    damaged_database(&station, &damaged);
    let random = station.home.path().join("random.bak");
    std::fs::write(&random, vec![0x42_u8; 20_000]).expect("random file");
    for backup in [&damaged, &random] {
        let (code, _, stderr) = run(station
            .bare()
            .args(["--operator", "boss", "db", "restore"])
            .arg(backup));
        assert_eq!(code, 1, "{}: {stderr}", backup.display());
        assert!(
            first_line(&stderr).contains(&backup.display().to_string()),
            "{stderr}"
        );
    }
}

#[test]
fn store_messages_name_no_command_that_does_not_exist() {
    use refurbdesk_store::StoreError;
    let corrupt = StoreError::Corrupt {
        location: "intakes.tests_json".into(),
        detail: "not JSON".into(),
    };
    let sqlite = StoreError::Sqlite(rusqlite::Error::InvalidQuery);
    for error in [corrupt, sqlite] {
        let text = error.to_string();
        assert!(!text.contains("store check"), "{text}");
        // The terminal's advice names the real command.
        let told = refurbdesk_app::Error::from(error).tell(refurbdesk_app::Door::Terminal);
        assert!(told.contains("`refurbdesk db check`"), "{told}");
    }
}

// ---------------------------------------------------------------------------------------------
// 4. A station told to stop when idle stops when no bench can be reached.

#[test]
fn a_station_until_idle_with_no_bench_exits_3_naming_the_port() {
    let station = Station::new();
    let port = station.home.path().join("no-such-bench");
    let (code, stdout, stderr) = run(station
        .bare()
        .args(["station", "--until-idle", "--port"])
        .arg(&port));
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    let line = error_line(&stderr);
    assert!(line.contains("no bench answered at"), "{line}");
    assert!(line.contains(&port.display().to_string()), "{line}");
    assert!(stdout.contains("no longer waiting"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// 5. cert verify says what a file is not.

#[test]
fn cert_verify_says_what_a_non_document_is_not() {
    let station = Station::new();
    let dir = station.home.path();
    let plain_pdf = dir.join("letter.pdf");
    std::fs::write(
        &plain_pdf,
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
          2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n\
          trailer<</Root 1 0 R>>\n%%EOF\n",
    )
    .expect("pdf");
    let random = dir.join("random.bin");
    std::fs::write(
        &random,
        (0..4096_u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .expect("random");
    let text = dir.join("notes.txt");
    std::fs::write(&text, "shopping list: bread, milk\n").expect("text");

    let cases = [
        (&plain_pdf, "this PDF carries no Refurbdesk seal"),
        (&random, "neither a PDF nor a JSON export"),
        (&text, "neither a PDF nor a JSON export"),
    ];
    for (file, says) in cases {
        let (code, _, stderr) = run(station.bare().args(["cert", "verify"]).arg(file));
        assert_eq!(code, 1, "{}: {stderr}", file.display());
        let line = first_line(&stderr);
        assert!(line.contains(says), "{}: {line}", file.display());
        assert!(!line.contains("JSON line"), "{line}");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Log lines carry no colour codes into a pipe; the error is the last line.

#[test]
fn log_lines_into_a_pipe_have_no_colour_and_the_error_comes_last() {
    let station = Station::new();
    let missing = station.home.path().join("missing.pdf");
    let (code, _, stderr) = run(station
        .bare()
        .env("REFURBDESK_LOG", "debug")
        .args(["cert", "verify"])
        .arg(&missing));
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.lines().count() >= 2, "log lines first: {stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "no ANSI codes in a pipe: {stderr:?}"
    );
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.starts_with("refurbdesk: cannot read"), "{last}");
    assert!(last.contains("missing.pdf"), "{last}");
}

// ---------------------------------------------------------------------------------------------
// 7. Only commands that create data create a database, and they say so.

#[test]
fn commands_that_only_read_never_create_a_database_and_creating_ones_say_so() {
    let station = Station::new();
    let folder = station.home.path().join("not-yet");
    let db = folder.join("station.sqlite");
    for args in [
        vec!["devices"],
        vec!["grade", "--device", "356728114587211", "--partial"],
        vec!["db", "check"],
        vec!["cert", "list"],
        vec!["qa", "list"],
    ] {
        let (code, _, stderr) = run(station.bare().env("REFURBDESK_DB", &db).args(&args));
        assert_eq!(code, 4, "{args:?}: {stderr}");
        let line = first_line(&stderr);
        assert!(
            line.contains(&format!("there is no database at {}", db.display())),
            "{args:?}: {line}"
        );
        assert!(!folder.exists(), "{args:?} created {}", folder.display());
    }

    let set = ["settings", "set", "organisation.name", "Atelier"];
    let (code, _, stderr) = run(station.bare().env("REFURBDESK_DB", &db).args(set));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        first_line(&stderr),
        format!("refurbdesk: created a new database at {}", db.display())
    );
    assert!(db.is_file());
    let (code, _, stderr) = run(station.bare().env("REFURBDESK_DB", &db).args(set));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("created a new database"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 8. The device list says when more devices match than it shows; its columns stay aligned
//    with wide characters.

#[test]
fn the_device_list_says_when_more_match_and_keeps_columns_aligned_with_cjk_names() {
    use refurbdesk_bench_sim::{SimBench, SimOptions};
    let station = Station::new();
    let link = station.home.path().join("bench");
    let _bench = SimBench::start(edge_cases(), &link, SimOptions::default()).expect("bench");
    let port = link.to_str().expect("utf-8 path");
    // Slot 5 holds the Redmi Note 12 – 日本版.
    for slot in ["1", "2", "5"] {
        let (code, _, stderr) = run(station
            .bare()
            .args(["intake", "--port", port, "--slot", slot]));
        assert_eq!(code, 0, "slot {slot}: {stderr}");
    }

    let (code, stdout, stderr) = run(station.bare().args(["devices", "--limit", "2", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON array");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 2);
    let last = rows[1]["last_intake_id"].as_str().expect("id");
    let line = first_line(&stderr);
    assert!(line.contains("more match"), "{line}");
    assert!(line.contains(&format!("--after {last}")), "{line}");
    assert!(line.contains("--limit 0"), "{line}");

    // The next page ends the list: nothing said.
    let (code, stdout, stderr) = run(station
        .bare()
        .args(["devices", "--limit", "2", "--after", last]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "header and one row: {stdout}");
    assert!(!stderr.contains("more match"), "{stderr}");
    // Exactly as many as the limit: nothing more to say either.
    let (_, _, stderr) = run(station.bare().args(["devices", "--limit", "3"]));
    assert!(!stderr.contains("more match"), "{stderr}");

    // Every row's columns start where the header's do, counted in display columns.
    let (code, stdout, stderr) = run(station.bare().args(["devices"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("日本版"), "{stdout}");
    let column_of = |line: &str, byte: usize| unicode_width::UnicodeWidthStr::width(&line[..byte]);
    let header = first_line(&stdout);
    let battery_at = column_of(header, header.find("BATTERY").expect("header"));
    for line in stdout.lines().skip(1) {
        let verdict = ["pass (", "replace (", "consumed ("]
            .iter()
            .filter_map(|word| line.find(word))
            .min()
            .expect("a battery cell");
        assert_eq!(column_of(line, verdict), battery_at, "{line}");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Folders of simulated ports left by killed stations are removed on the next start.

#[test]
fn a_station_start_removes_the_port_folders_of_stations_that_are_gone() {
    let station = Station::new();
    let temp = station.home.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("tmp");
    // A killed station's folder, with its pid recorded and a dangling link.
    let killed = temp.join("refurbdesk-benches-2147483646-1");
    std::fs::create_dir_all(&killed).expect("folder");
    std::fs::write(killed.join("pid"), "2147483646").expect("pid");
    std::os::unix::fs::symlink("/dev/pts/999999", killed.join("bench1")).expect("link");
    // One from before pid files: the pid is in its name.
    let older = temp.join("refurbdesk-benches-2147483645-2");
    std::fs::create_dir_all(&older).expect("folder");
    // A running station's (this test process stands for it): kept.
    let running = temp.join(format!("refurbdesk-benches-{}-3", std::process::id()));
    std::fs::create_dir_all(&running).expect("folder");
    std::fs::write(running.join("pid"), std::process::id().to_string()).expect("pid");
    // Something else of the same prefix that is not a folder: kept.
    let file = temp.join("refurbdesk-benches-notes");
    std::fs::write(&file, "x").expect("file");

    let scenario = station.home.path().join("empty.toml");
    std::fs::write(
        &scenario,
        "[bench]\nvendor = \"Acme\"\nmodel = \"E-1\"\nserial = \"E1-0001\"\nfw = \"1.0\"\nslots = 1\n",
    )
    .expect("scenario");
    let (code, stdout, stderr) = run(station
        .bare()
        .env("TMPDIR", &temp)
        .args(["station", "--until-idle", "--scenario"])
        .arg(&scenario));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!killed.exists(), "the killed station's folder stays");
    assert!(!older.exists(), "the older folder stays");
    assert!(running.is_dir(), "a running station's folder was removed");
    assert!(file.is_file());
    // And the station removed its own folder when it stopped.
    let left: Vec<_> = std::fs::read_dir(&temp)
        .expect("tmp")
        .flatten()
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}
