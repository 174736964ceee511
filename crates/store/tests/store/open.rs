use crate::common::TestDb;
use refurbdesk_store::{Durability, Store, StoreError, SCHEMA_VERSION};

fn pragma_text(conn: &rusqlite::Connection, name: &str) -> String {
    conn.query_row(&format!("PRAGMA {name}"), [], |row| {
        row.get::<_, rusqlite::types::Value>(0)
    })
    .map(|value| match value {
        rusqlite::types::Value::Integer(number) => number.to_string(),
        rusqlite::types::Value::Text(text) => text,
        other => format!("{other:?}"),
    })
    .expect("pragma reads")
}

fn object_names(conn: &rusqlite::Connection, kind: &str) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = ?1 AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("schema query");
    statement
        .query_map([kind], |row| row.get(0))
        .expect("schema rows")
        .collect::<Result<_, _>>()
        .expect("names")
}

#[test]
fn a_new_file_gets_the_whole_schema_and_a_station() {
    let db = TestDb::new();
    assert!(!db.path.exists());
    let store = db.open();
    assert!(db.path.exists());
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);

    let raw = db.raw();
    assert_eq!(
        object_names(&raw, "table"),
        [
            "audit_log",
            "batch_accessories",
            "batch_closures",
            "batch_lines",
            "batch_receipts",
            "batches",
            "benches",
            "certificate_replacements",
            "certificates",
            "checklist_answers",
            "checklist_overrides",
            "checklists",
            "cosmetic_inspections",
            "cosmetic_photos",
            "cosmetic_zones",
            "customer_contacts",
            "customers",
            "destructions",
            "devices",
            "erasures",
            "grades",
            "intakes",
            "lock_confirmations",
            "login_attempts",
            "marketplace_stock",
            "operator_pins",
            "operators",
            "outbox",
            "outbox_actions",
            "photos",
            "qa_draws",
            "qa_samples",
            "settings",
            "shipments",
            "signing_keys",
            "site_attachment",
            "station"
        ]
    );
    assert_eq!(
        object_names(&raw, "view"),
        ["device_current", "intake_evidence", "intake_tests"]
    );
    let indexes = object_names(&raw, "index");
    for expected in [
        "devices_unique_imei",
        "devices_unique_serial_make",
        "intakes_device_latest",
        "intakes_battery_verdict",
        "intakes_lock_verdict",
        "intakes_operator",
        "intakes_started",
    ] {
        assert!(
            indexes.iter().any(|name| name == expected),
            "{expected} missing from {indexes:?}"
        );
    }

    let (station, hostname): (String, String) = raw
        .query_row("SELECT id, hostname FROM station", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("station row");
    assert_eq!(station, store.station_id().to_string());
    assert_eq!(store.station_id().get_version_num(), 7);
    assert!(!hostname.is_empty());
}

#[test]
fn the_file_is_left_in_wal_mode_with_normal_durability() {
    let db = TestDb::new();
    let store = db.open();
    assert_eq!(store.durability().expect("durability"), Durability::Normal);
    drop(store);
    // WAL is a property of the file, so a fresh connection sees it.
    assert_eq!(pragma_text(&db.raw(), "journal_mode"), "wal");
}

#[test]
fn reopening_changes_nothing() {
    let db = TestDb::new();
    let first = db.open();
    let station = first.station_id();
    let entries = first.audit_entries(0, 100).expect("entries");
    drop(first);

    let second = db.open();
    assert_eq!(second.station_id(), station);
    assert_eq!(second.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(second.audit_entries(0, 100).expect("entries"), entries);
    let stations: i64 = db
        .raw()
        .query_row("SELECT COUNT(*) FROM station", [], |row| row.get(0))
        .expect("count");
    assert_eq!(stations, 1);
    let backups = std::fs::read_dir(db.dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().contains(".bak"))
        .count();
    assert_eq!(
        backups, 0,
        "opening an up-to-date database must not back it up"
    );
}

#[test]
fn a_database_from_a_newer_build_is_refused_untouched() {
    let db = TestDb::new();
    drop(db.open());
    let newer = SCHEMA_VERSION + 3;
    db.raw()
        .pragma_update(None, "user_version", newer)
        .expect("version set");
    let before = std::fs::read(&db.path).expect("file reads");

    let error = Store::open(&db.path).expect_err("a newer schema must be refused");
    match &error {
        StoreError::NewerSchema { found, known, .. } => {
            assert_eq!(*found, newer);
            assert_eq!(*known, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains(&format!("schema version {newer}")),
        "{message}"
    );
    assert!(
        message.contains(&format!("up to {SCHEMA_VERSION}")),
        "{message}"
    );
    assert!(message.contains("upgrade Refurbdesk"), "{message}");
    assert_eq!(std::fs::read(&db.path).expect("file reads"), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let db = TestDb::new();
    std::fs::write(
        &db.path,
        b"this is a shopping list, not a database\n".repeat(100),
    )
    .expect("file written");
    let error = Store::open(&db.path).expect_err("must be refused");
    assert!(
        matches!(error, StoreError::NotADatabase { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("station.db"), "{error}");
}

#[test]
fn another_programs_database_is_not_migrated() {
    let db = TestDb::new();
    db.raw()
        .execute_batch("CREATE TABLE recipes (name TEXT);")
        .expect("foreign table");
    let error = Store::open(&db.path).expect_err("must be refused");
    assert!(
        matches!(error, StoreError::ForeignDatabase { .. }),
        "{error:?}"
    );
    let tables: i64 = db
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(tables, 1, "nothing may be added to a foreign database");
}

#[test]
fn a_missing_folder_is_reported_with_its_path() {
    let db = TestDb::new();
    let path = db.dir.path().join("no-such-folder").join("station.db");
    let error = Store::open(&path).expect_err("must fail");
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-folder"), "{error}");
}

#[test]
fn full_durability_applies_inside_the_closure_only() {
    let db = TestDb::new();
    let mut store = db.open();
    let inside = store
        .with_full_durability(|store| store.durability())
        .expect("closure runs");
    assert_eq!(inside, Durability::Full);
    assert_eq!(store.durability().expect("durability"), Durability::Normal);

    let failed: Result<(), StoreError> =
        store.with_full_durability(|_| Err(StoreError::NoOperatorName));
    assert!(failed.is_err());
    assert_eq!(
        store.durability().expect("durability"),
        Durability::Normal,
        "a failing closure must still restore the setting"
    );

    store.set_durability(Durability::Full).expect("set");
    store
        .with_full_durability(|_| Ok(()))
        .expect("closure runs");
    assert_eq!(store.durability().expect("durability"), Durability::Full);
}

#[test]
fn two_programs_opening_a_new_file_at_once_share_one_station() {
    // The race (one program switching the new file to WAL while another
    // reads it) is lost in roughly one round in ten, so try many rounds.
    for round in 0..20 {
        let db = TestDb::new();
        let path = db.path.clone();
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Store::open(&path).map(|store| store.station_id()))
            })
            .collect();
        let stations: Vec<_> = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .expect("thread")
                    .unwrap_or_else(|error| panic!("round {round}: store opens: {error:?}"))
            })
            .collect();
        assert!(
            stations.windows(2).all(|pair| pair[0] == pair[1]),
            "round {round}: {stations:?}"
        );
    }
}

/// The intakes in the database file alone, read from a copy of it made
/// without its write-ahead log: what a checkpoint has copied in so far
/// (none while even the schema is only in the log).
fn intakes_in_main_file(db: &TestDb) -> i64 {
    let copy = db.dir.path().join("main-file-only.db");
    std::fs::copy(&db.path, &copy).expect("copy the database file");
    let conn = rusqlite::Connection::open(&copy).expect("copy opens");
    let has_intakes: bool = conn
        .query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_schema WHERE name = 'intakes'",
            [],
            |row| row.get(0),
        )
        .expect("schema");
    let count = if has_intakes {
        conn.query_row("SELECT COUNT(*) FROM intakes", [], |row| row.get(0))
            .expect("count")
    } else {
        0
    };
    drop(conn);
    std::fs::remove_file(&copy).expect("remove the copy");
    count
}

#[test]
fn commits_reach_the_database_file_while_the_store_stays_open() {
    // SQLite's own checkpoint waits for 32,000 pages of log; the store's
    // checkpointer thread copies the log into the file within moments of
    // commits writing 1,000 pages (8 MiB), without the writer waiting.
    let db = TestDb::new();
    let mut store = db.open();
    let intakes: Vec<_> = (0..500)
        .map(|minute| crate::common::phone_intake(Some(crate::common::IMEI), None, minute))
        .collect();
    // A small write alone does not call for a checkpoint.
    store.record_intakes(&intakes[..1]).expect("recorded");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(intakes_in_main_file(&db), 0);

    // 500 intakes write about 250 pages: a few batches call for one.
    let mut recorded = 1;
    let mut in_file = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while in_file == 0 && std::time::Instant::now() < deadline {
        if recorded < 20_000 {
            store.record_intakes(&intakes).expect("recorded");
            recorded += intakes.len() as i64;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        in_file = intakes_in_main_file(&db);
    }
    assert!(in_file > 0, "the log was not copied into the file");
    assert!(
        recorded <= 10 * 500,
        "only after {recorded} intakes: more than 1,000 pages"
    );
    // And the store goes on writing after it.
    store.record_intakes(&intakes[..1]).expect("recorded again");
    drop(store);
    assert_eq!(intakes_in_main_file(&db), recorded + 1);
}
