//! Catch-up replication (issue 20, "Performance"): a station holding 1,000,000 intakes (each
//! with its bench evidence lines) replicates into an empty site. Target: at least half the rate
//! of `psql \copy` of the same rows into the same tables.
//!
//! Three runs on one real PostgreSQL server (Debian's, started by refurbdesk-pg-test as an
//! unprivileged user), each into a fresh database with the site schema:
//! 1. **push**: `Site::push`, what `refurbdesk site push` and a station's background replication
//!    run (binary `COPY` into staging tables, then one `INSERT … SELECT` per batch of 2,000
//!    entries, each batch one transaction that also moves the station's mark);
//! 2. **psql \copy** (the peer the target names): the rows the push left on the site, dumped to
//!    CSV, then loaded with `psql -c '\copy … FROM …'` into the same tables (their indexes and
//!    the device-matching trigger included);
//! 3. **batched INSERT** (a plain peer): the same rows as multi-row `INSERT … VALUES` of 1,000
//!    rows each, one transaction per 10,000 rows.
//!
//! Rates are intakes a second (each intake here brings its device, seen first, and its audit
//! entries and records) and MB a second of the CSV the rows make. Not run in CI:
//!
//! ```sh
//! cargo bench -p refurbdesk-app --bench site_catchup             # 1,000,000 intakes
//! cargo bench -p refurbdesk-app --bench site_catchup -- 20000    # a quick look
//! ```

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Utc;
use refurbdesk_domain::{
    assess_battery, assess_lock, luhn_valid, AccountLock, ActivationLock, BatteryPolicy,
    BatteryReading, CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, Direction,
    EvidenceLine, LockReading, MdmState,
};
use refurbdesk_pg_test::PgServer;
use refurbdesk_site::{PushOptions, Site};
use refurbdesk_store::{BenchInfo, NewIntake, Store, TestRecord};

fn imei(body: u64) -> String {
    let body = format!("{body:014}");
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit passes")
}

/// Phone `n` read on a bench, with the protocol lines a real transcript has (identity, battery,
/// locks, results).
fn intake(n: u64) -> NewIntake {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    let imei = imei(35_000_000_000_000 + n);
    identity.imei = Some(imei.clone());
    identity.imei_valid = Some(true);
    identity.storage_gb = Some(128);
    identity.serial = Some(format!("F2LX{n:08}"));
    let battery = assess_battery(
        &BatteryReading {
            present: Some(true),
            design_mah: Some(2_815),
            full_mah: Some(2_400 + (n % 400) as u32),
            cycles: Some((n % 900) as u32),
            ..BatteryReading::default()
        },
        &identity,
        &BatteryPolicy::default(),
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&LockReading {
        activation: ActivationLock::Unlocked,
        account: AccountLock::None,
        mdm: MdmState::None,
        carrier: CarrierLock::Unlocked,
    });
    let now = Utc::now();
    let slot = (n % 8 + 1) as u16;
    // Shaped as Bench Protocol v1 lines (request ids, `OK` answers, a checksum each).
    let lines = [
        (Direction::Host, format!("2 IDENT {slot}*74")),
        (
            Direction::Bench,
            format!(
                "2 OK category=phone make=Apple model=\"iPhone 12\" model_code=iPhone13,2 \
                 serial=F2LX{n:08} imei={imei} storage_gb=128*62"
            ),
        ),
        (Direction::Host, format!("3 BATT {slot}*5F")),
        (
            Direction::Bench,
            format!(
                "3 OK present=yes design_mah=2815 full_mah={} cycles={} source=gasgauge*00",
                2_400 + n % 400,
                n % 900
            ),
        ),
        (Direction::Host, format!("4 LOCK {slot}*41")),
        (
            Direction::Bench,
            "4 OK activation=off account=none mdm=none carrier=unlocked*3C".to_owned(),
        ),
        (Direction::Host, format!("5 RESULTS {slot}*1D")),
        (
            Direction::Bench,
            "5 OK wifi=pass bluetooth=pass camera_rear=pass speaker=pass*6E".to_owned(),
        ),
    ];
    NewIntake {
        bench: BenchInfo {
            serial: "PB8-0042".into(),
            vendor: "Acme".into(),
            model: "PB-8".into(),
            fw: "1.4.2".into(),
            port: "/dev/ttyACM0".into(),
        },
        slot,
        identity,
        battery,
        lock,
        tests: ["wifi", "bluetooth", "camera_rear", "speaker"]
            .iter()
            .map(|name| TestRecord {
                name: (*name).into(),
                outcome: "pass".into(),
                detail: None,
            })
            .collect(),
        evidence: lines
            .into_iter()
            .map(|(direction, line)| EvidenceLine {
                at: now,
                direction,
                line,
            })
            .collect(),
        started_at: now - chrono::Duration::seconds(90),
        finished_at: now,
        operator: "bench".into(),
    }
}

/// The site tables a push fills, in the order a load must follow (foreign keys).
const TABLES: [&str; 4] = ["site_stations", "site_marks", "audit_log", "records"];

fn fresh_site(server: &PgServer) -> String {
    let url = server.fresh_database();
    Site::connect(&url)
        .expect("site")
        .init()
        .expect("site schema");
    url
}

fn psql(url: &str, command: &str) {
    let output = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            command,
        ])
        .output()
        .expect("psql runs (Debian's postgresql-client)");
    assert!(
        output.status.success(),
        "psql {command}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn rate(what: &str, intakes: u64, bytes: u64, took: Duration) -> f64 {
    let per_second = intakes as f64 / took.as_secs_f64();
    println!(
        "{what}: {intakes} intakes in {:.1} s: {per_second:.0} intakes/s, {:.1} MB/s",
        took.as_secs_f64(),
        bytes as f64 / 1e6 / took.as_secs_f64()
    );
    per_second
}

/// Loads the CSV files into `url` with multi-row INSERTs of `rows` rows, one transaction per
/// ten statements; only the statements are timed (reading the CSV is not).
fn batched_insert(url: &str, dir: &Path, rows: usize) -> Duration {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("insert peer");
    let mut took = Duration::ZERO;
    for table in TABLES {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(dir.join(format!("{table}.csv")))
            .expect("dumped table");
        let columns: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        let types = column_types(&mut client, table, &columns);
        let mut batch: Vec<Vec<Option<String>>> = Vec::with_capacity(rows);
        let mut statements = 0;
        let mut tx_open = false;
        let mut flush =
            |client: &mut postgres::Client, batch: &mut Vec<Vec<Option<String>>>, last: bool| {
                if !batch.is_empty() {
                    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
                    let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::new();
                    for (r, row) in batch.iter().enumerate() {
                        sql.push_str(if r == 0 { "(" } else { ", (" });
                        for (c, value) in row.iter().enumerate() {
                            if c > 0 {
                                sql.push_str(", ");
                            }
                            params.push(value);
                            sql.push_str(&format!("${}::text::{}", params.len(), types[c]));
                        }
                        sql.push(')');
                    }
                    let started = Instant::now();
                    if !tx_open {
                        client.batch_execute("BEGIN").expect("begin");
                        tx_open = true;
                    }
                    client.execute(sql.as_str(), &params).expect("insert");
                    statements += 1;
                    if statements % 10 == 0 {
                        client.batch_execute("COMMIT").expect("commit");
                        tx_open = false;
                    }
                    took += started.elapsed();
                    batch.clear();
                }
                if last && tx_open {
                    let started = Instant::now();
                    client.batch_execute("COMMIT").expect("commit");
                    tx_open = false;
                    took += started.elapsed();
                }
            };
        for record in reader.records() {
            let record = record.expect("a CSV row");
            // psql writes NULL as an empty unquoted field; no column here holds an empty text.
            batch.push(
                record
                    .iter()
                    .map(|field| (!field.is_empty()).then(|| field.to_owned()))
                    .collect(),
            );
            if batch.len() == rows {
                flush(&mut client, &mut batch, false);
            }
        }
        flush(&mut client, &mut batch, true);
    }
    took
}

/// Each column's SQL type, for the casts of a text parameter.
fn column_types(client: &mut postgres::Client, table: &str, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|column| {
            client
                .query_one(
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                     WHERE attrelid = $1::text::regclass AND attname = $2",
                    &[&table, &column.as_str()],
                )
                .expect("column type")
                .get(0)
        })
        .collect()
}

fn count(url: &str, table: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("count");
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .expect("count")
        .get(0)
}

fn main() {
    let intakes: u64 = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");

    // The station: its SQLite file with `intakes` intakes, recorded as a bench records them.
    let started = Instant::now();
    let mut store = Store::open(&dir.path().join("station.sqlite")).expect("station database");
    for n in 0..intakes {
        store.record_intake(&intake(n)).expect("intake recorded");
    }
    println!(
        "station: {intakes} intakes recorded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let server = PgServer::start();

    // 1. The push.
    let pushed = fresh_site(&server);
    let mut site = Site::connect(&pushed).expect("site");
    let started = Instant::now();
    let report = site
        .push(&store, PushOptions::default(), &mut |_| true)
        .expect("push");
    let push_took = started.elapsed();
    assert!(
        report.entries >= 2 * intakes,
        "at least a device and an intake each: {} entries",
        report.entries
    );

    // The rows it left, as CSV: what the peers load.
    let mut bytes = 0;
    for table in TABLES {
        let file = dir.path().join(format!("{table}.csv"));
        psql(
            &pushed,
            &format!(
                "\\copy {table} TO '{}' WITH (FORMAT csv, HEADER true)",
                file.display()
            ),
        );
        bytes += std::fs::metadata(&file).expect("dump").len();
    }
    println!(
        "rows: {} audit entries, {} records, {:.0} MB as CSV",
        count(&pushed, "audit_log"),
        count(&pushed, "records"),
        bytes as f64 / 1e6
    );
    let push_rate = rate("push (Site::push)", intakes, bytes, push_took);

    // 2. psql \copy of the same rows into the same tables.
    let copied = fresh_site(&server);
    let started = Instant::now();
    for table in TABLES {
        psql(
            &copied,
            &format!(
                "\\copy {table} FROM '{}' WITH (FORMAT csv, HEADER true)",
                dir.path().join(format!("{table}.csv")).display()
            ),
        );
    }
    let copy_rate = rate("peer psql \\copy", intakes, bytes, started.elapsed());
    assert_eq!(count(&copied, "records"), count(&pushed, "records"));

    // 3. Batched INSERTs of the same rows.
    let inserted = fresh_site(&server);
    let took = batched_insert(&inserted, dir.path(), 1_000);
    let insert_rate = rate("peer batched INSERT (1,000 rows)", intakes, bytes, took);
    assert_eq!(count(&inserted, "records"), count(&pushed, "records"));

    println!(
        "push / psql \\copy = {:.2} (target >= 0.5); push / batched INSERT = {:.2}",
        push_rate / copy_rate,
        push_rate / insert_rate
    );
}
