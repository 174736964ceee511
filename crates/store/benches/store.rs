//! The store at the scale of a busy refurbisher: builds a station database
//! of N devices and M intakes, the last `--measured` of them through the real
//! `record_intakes` path (every device recognised, every intake audited and
//! hash-chained) and the ones before with a fast plain-SQL bulk load, then
//! measures what people wait for: finding a device by IMEI or serial, the
//! quality manager's filtered list, the insert rate, and the file size per
//! device. The same lookups and list run through the `sqlite3` command-line
//! shell on the same file, and the same intakes as plain INSERTs (into this
//! schema and into a leaner layout with integer keys), as peers.
//!
//! Not run in CI. Full scale (about 6 minutes and 11 GiB of disk, deleted
//! afterwards unless `--keep`):
//!
//! ```sh
//! flock /tmp/refurbdesk-cargo.lock cargo bench -p refurbdesk-store --bench store
//! ```
//!
//! Quick, all-real run: `... --bench store -- --devices 20000 --intakes 60000
//! --measured 60000`.
//! `--help` lists the options.

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use refurbdesk_domain::{BatteryVerdictKind, LockVerdictKind};
use refurbdesk_store::{DeviceFilter, NewIntake, Role, Store};
use synthetic::{Rng, Shape};

const USAGE: &str = "store bench: options
  --devices N     devices in the database (default 1000000)
  --intakes N     intakes in the database, at least one per device (default 3000000)
  --measured N    intakes recorded through record_intakes, timed, after the others
                  were bulk-loaded with plain SQL (default 100000; = --intakes for
                  an all-real database)
  --batch N       intakes per record_intakes transaction (default 1000)
  --lookups N     lookups timed by IMEI and by serial (default 20000)
  --dir PATH      where the database goes (default target/store-bench)
  --keep          keep the database afterwards
  --keep-base     keep a copy of the bulk-loaded database (before the timed intakes)
                  beside it, and start from that copy when it exists (saves the
                  bulk load when comparing changes; named after the schema version)
  --insert-only   stop after timing record_intakes into the database (for profiling)
  --alter SQL     run SQL on the loaded database before the timed intakes, e.g.
                  \"DROP INDEX intakes_device_latest;\" to see what one index costs
  --lean-only     only the leaner-layout peer, at full size: all --intakes as plain
                  INSERTs, the last --measured of them timed
  --lean-cache-mib N  the leaner-layout peer's page cache (default 256, as the store's)";

struct Options {
    devices: u64,
    intakes: u64,
    measured: u64,
    batch: u64,
    lookups: u64,
    dir: PathBuf,
    keep: bool,
    keep_base: bool,
    insert_only: bool,
    alter: Option<String>,
    lean_only: bool,
    lean_cache_mib: u64,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        devices: 1_000_000,
        intakes: 3_000_000,
        measured: 100_000,
        batch: 1_000,
        lookups: 20_000,
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/store-bench"),
        keep: false,
        keep_base: false,
        insert_only: false,
        alter: None,
        lean_only: false,
        lean_cache_mib: 256,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|value| value.replace('_', "").parse().ok())
                .filter(|&value| value > 0)
                .ok_or(format!("{name} needs a positive whole number\n{USAGE}"))
        };
        match arg.as_str() {
            "--devices" => options.devices = number("--devices")?,
            "--intakes" => options.intakes = number("--intakes")?,
            "--measured" => options.measured = number("--measured")?,
            "--batch" => options.batch = number("--batch")?,
            "--lookups" => options.lookups = number("--lookups")?,
            "--dir" => {
                options.dir = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or(format!("--dir needs a folder\n{USAGE}"))?
            }
            "--keep" => options.keep = true,
            "--keep-base" => options.keep_base = true,
            "--insert-only" => options.insert_only = true,
            "--alter" => options.alter = args.next(),
            "--lean-only" => options.lean_only = true,
            "--lean-cache-mib" => options.lean_cache_mib = number("--lean-cache-mib")?,
            // cargo bench adds --bench to every bench target's arguments.
            "--bench" => {}
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    if options.intakes < options.devices {
        return Err(format!(
            "--intakes ({}) must be at least --devices ({}): every device has an intake",
            options.intakes, options.devices
        ));
    }
    options.measured = options.measured.min(options.intakes);
    Ok(options)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(error) = run(&options) {
        eprintln!("store bench failed: {error}");
        std::process::exit(1);
    }
}

type Failure = Box<dyn std::error::Error>;

fn run(options: &Options) -> Result<(), Failure> {
    std::fs::create_dir_all(&options.dir)?;
    let db = options.dir.join(format!(
        "station-{}-{}.db",
        options.devices, options.intakes
    ));
    remove_database(&db);
    println!(
        "# store bench: {} devices, {} intakes, batches of {}, file {}",
        options.devices,
        options.intakes,
        options.batch,
        db.display()
    );
    println!(
        "sqlite {} (bundled, Refurbdesk); peer: {}",
        rusqlite::version(),
        sqlite3_version()
    );

    if options.lean_only {
        let from = options.intakes - options.measured;
        let rate = lean_layout_inserts(options, &technicians(), options.intakes, from)?;
        println!(
            "leaner layout, plain INSERTs: intakes {from}..{} timed, in batches of {}, \
             {} MiB page cache: {rate:.0} intakes/s",
            options.intakes, options.batch, options.lean_cache_mib
        );
        return Ok(());
    }
    let bulk = options.intakes - options.measured;
    let base = options.dir.join(format!(
        "base-v{}-{}-{}-{}.db",
        refurbdesk_store::SCHEMA_VERSION,
        options.devices,
        options.intakes,
        options.measured
    ));
    let operators = if options.keep_base && base.exists() {
        std::fs::copy(&base, &db)?;
        // The copy's gigabytes are written back to disk only later; let
        // that happen now rather than during the timed inserts.
        Command::new("sync").status()?;
        eprintln!("  started from the copy {}", base.display());
        technicians()
    } else {
        let mut store = Store::open(&db)?;
        let operators = add_operators(&mut store)?;
        if bulk > 0 {
            let started = Instant::now();
            bulk_load(&store, &db, options, bulk)?;
            eprintln!(
                "  bulk-loaded {bulk} intakes with plain SQL in {:.0} s",
                started.elapsed().as_secs_f64()
            );
        }
        drop(store);
        checkpoint(&db)?;
        if options.keep_base {
            std::fs::copy(&db, &base)?;
        }
        operators
    };
    if let Some(sql) = &options.alter {
        let started = Instant::now();
        let conn = rusqlite::Connection::open(&db)?;
        conn.execute_batch(sql)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        eprintln!("  altered in {:.0} s", started.elapsed().as_secs_f64());
    }
    let mut store = Store::open(&db)?;
    let size_before = std::fs::metadata(&db)?.len();
    let written_before = bytes_written();
    let build = build(&mut store, options, &operators, bulk)?;
    let written = bytes_written()
        .zip(written_before)
        .map(|(after, before)| after - before);
    println!();
    println!("## insert (record_intakes: recognition, audit chain, one transaction per batch)");
    if bulk > 0 {
        println!(
            "{bulk} intakes bulk-loaded with plain SQL first (devices and intakes, each \
             intake with a real one's test results and evidence lines; no audit entries), \
             then {} through record_intakes:",
            options.measured
        );
    }
    println!(
        "{} intakes in {:.1} s: {:.0} intakes/s overall; last 10%: {:.0} intakes/s",
        options.measured,
        build.total.as_secs_f64(),
        options.measured as f64 / build.total.as_secs_f64(),
        build.last_tenth_rate
    );
    println!(
        "the recording thread was on the processor {:.1} s of those {:.1} s: {:.0} µs per intake",
        build.recording_cpu.as_secs_f64(),
        build.total.as_secs_f64(),
        build.recording_cpu.as_secs_f64() * 1e6 / options.measured as f64
    );
    if let Some(written) = written {
        println!(
            "bytes handed to write(): {:.1} kB per intake (the write-ahead log, and the \
             checkpoints copying it into the database)",
            written as f64 / options.measured as f64 / 1000.0
        );
    }
    if options.insert_only {
        drop(store);
        if !options.keep {
            remove_database(&db);
        }
        return Ok(());
    }
    let (record_rate, plain_rate) = plain_sql_inserts(options, &operators)?;
    println!(
        "first {} intakes into an empty file: record_intakes {record_rate:.0} intakes/s; peer, \
         plain prepared INSERTs of the same rows into the same schema (no recognition, no \
         audit, no digests): {plain_rate:.0} intakes/s",
        peer_count(options),
    );
    let lean_rate = lean_layout_inserts(options, &operators, peer_count(options), 0)?;
    println!(
        "the same plain INSERTs into a leaner layout (integer row keys, UUIDs as 16-byte \
         columns, integer times, partial verdict indexes): {lean_rate:.0} intakes/s"
    );

    checkpoint(&db)?;
    let size = std::fs::metadata(&db)?.len();
    let per_intake = size.saturating_sub(size_before) as f64 / options.measured as f64;
    println!();
    println!("## size");
    println!(
        "file {:.2} GiB; each intake recorded through record_intakes added {per_intake:.0} bytes \
         (tests, evidence, audit entries and indexes included): {:.0} bytes per device at \
         {:.1} intakes per device",
        size as f64 / (1u64 << 30) as f64,
        per_intake * options.intakes as f64 / options.devices as f64,
        options.intakes as f64 / options.devices as f64
    );
    print_table_sizes(&db)?;

    println!();
    println!("## lookups ({} each, random devices)", options.lookups);
    let mut rng = Rng::new(0x5eed_1001);
    let numbers: Vec<u64> = (0..options.lookups)
        .map(|_| rng.below(options.devices))
        .collect();
    let imeis: Vec<String> = numbers.iter().map(|&n| synthetic::imei(n)).collect();
    let serials: Vec<String> = numbers.iter().map(|&n| synthetic::serial(n)).collect();
    let by_imei = time_lookups(&store, &imeis)?;
    let by_serial = time_lookups(&store, &serials)?;
    let peer_imei = sqlite3_mean(
        &db,
        imeis
            .iter()
            .map(|imei| format!("SELECT * FROM devices WHERE imei = '{imei}';")),
    )?;
    let peer_serial = sqlite3_mean(
        &db,
        serials.iter().map(|serial| {
            format!("SELECT * FROM devices WHERE serial = '{serial}' ORDER BY first_seen, id;")
        }),
    )?;
    println!("| lookup | p50 | p99 | max | mean | sqlite3 shell mean (same SQL, same file) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (name, figures, peer) in [
        ("find_device(IMEI)", &by_imei, peer_imei),
        ("find_device(serial)", &by_serial, peer_serial),
    ] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            ms(figures.p50),
            ms(figures.p99),
            ms(figures.max),
            ms(figures.mean),
            peer.map_or_else(|| "n/a".to_owned(), ms)
        );
    }

    println!();
    println!("## quality manager's list (page of 100, newest first)");
    let end = build.last_started;
    let lists = list_cases(end, &operators.technicians);
    println!("| filter | p50 | p99 | rows | sqlite3 shell, same SQL | sqlite3 shell, `device_current` view |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for case in &lists {
        let mut filter = case.filter.clone();
        // The cursor a reader paging with `after` would hold, from pages
        // fetched beforehand, untimed.
        for _ in 0..case.cursor_pages {
            // A short list ends early: the last page is timed then.
            if let Some(last) = store.list_devices(&filter)?.last() {
                filter.after = Some(last.cursor());
            }
        }
        let (figures, rows) = time_list(&store, &filter)?;
        let peer = sqlite3_once(&db, &shell_sql(&filter))?;
        let view = if case.view_sql.is_empty() {
            None
        } else {
            sqlite3_once(&db, &case.view_sql)?
        };
        println!(
            "| {} | {} | {} | {rows} | {} | {} |",
            case.name,
            ms(figures.p50),
            ms(figures.p99),
            peer.map_or_else(|| "n/a".to_owned(), ms),
            view.map_or_else(|| "not run".to_owned(), ms)
        );
    }

    println!();
    println!("## one transaction per intake (record_intake), for comparison");
    let single = single_inserts(&mut store, options, &operators, end)?;
    println!("{single:.0} intakes/s (2000 intakes, one transaction each)");

    println!();
    println!("## audit chain");
    let started = Instant::now();
    let report = store.verify_audit()?;
    println!(
        "verify_audit: {report} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    drop(store);
    if !options.keep {
        remove_database(&db);
    }
    Ok(())
}

struct Operators {
    technicians: Vec<String>,
}

fn add_operators(store: &mut Store) -> Result<Operators, Failure> {
    let admin = store.resolve_actor(Some("bench-admin"), "bench-admin")?;
    store.add_operator("bench-admin", Role::Admin, &admin)?;
    let admin = store.resolve_actor(Some("bench-admin"), "bench-admin")?;
    let operators = technicians();
    for name in &operators.technicians {
        store.add_operator(name, Role::Technician, &admin)?;
    }
    Ok(operators)
}

fn technicians() -> Operators {
    Operators {
        technicians: (0..10).map(|index| format!("tech-{index:02}")).collect(),
    }
}

/// The moment intake number `index` started: one a second from a fixed day.
fn started(index: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0)
        .single()
        .expect("a valid date")
        + chrono::Duration::seconds(index as i64)
}

/// The realistic size of an intake: six tests, fourteen protocol lines.
const SHAPE: Shape = Shape {
    tests: 6,
    evidence: 14,
    with_serial: true,
};

fn intake_number(rng: &mut Rng, index: u64, options: &Options, operators: &Operators) -> NewIntake {
    // Devices arrive evenly over the run; the other intakes re-test a
    // device already seen.
    let seen_before = index * options.devices / options.intakes;
    let seen_after = (index + 1) * options.devices / options.intakes;
    let device = if seen_after > seen_before {
        seen_before
    } else {
        rng.below(seen_before.max(1))
    };
    let operator = &operators.technicians[(index % operators.technicians.len() as u64) as usize];
    synthetic::intake(
        rng,
        device,
        (index % 20) as u32,
        operator,
        started(index),
        SHAPE,
    )
}

/// The generator's seed for the database's intakes.
const BUILD_SEED: u64 = 0xb0_0c5;

struct Build {
    total: Duration,
    last_tenth_rate: f64,
    last_started: DateTime<Utc>,
    /// Processor time of the thread that called `record_intakes` (the one
    /// holding the transaction), user and system, while it did.
    recording_cpu: Duration,
}

fn build(
    store: &mut Store,
    options: &Options,
    operators: &Operators,
    from: u64,
) -> Result<Build, Failure> {
    let mut rng = Rng::new(BUILD_SEED);
    let mut total = Duration::ZERO;
    let mut recording_cpu = Duration::ZERO;
    let mut last_tenth = Duration::ZERO;
    let last_tenth_from = options.intakes - options.measured / 10;
    let mut index = from;
    let mut report_at = Instant::now();
    while index < options.intakes {
        let count = options.batch.min(options.intakes - index);
        let batch: Vec<NewIntake> = (index..index + count)
            .map(|number| intake_number(&mut rng, number, options, operators))
            .collect();
        let started = Instant::now();
        let cpu_before = thread_cpu();
        store.record_intakes(&batch)?;
        let took = started.elapsed();
        recording_cpu += thread_cpu().saturating_sub(cpu_before);
        total += took;
        if index >= last_tenth_from {
            last_tenth += took;
        }
        index += count;
        if report_at.elapsed() > Duration::from_secs(15) {
            eprintln!(
                "  {} intakes recorded, {:.0}/s so far",
                index - from,
                (index - from) as f64 / total.as_secs_f64()
            );
            report_at = Instant::now();
        }
    }
    Ok(Build {
        total,
        last_tenth_rate: (options.measured / 10).max(1) as f64 / last_tenth.as_secs_f64(),
        last_started: started(options.intakes - 1),
        recording_cpu,
    })
}

/// User and system time of the calling thread so far (clock ticks of 10 ms;
/// summed over seconds of work, enough to compare).
fn thread_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|stat| {
            let fields: Vec<u64> = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|field| field.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<u64>())
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Fills the file up to intake number `count` with plain SQL, fast: the
/// devices and intakes that `intake_number` would make (same IMEIs, serials,
/// times, operators and benches; verdicts in the same proportions, drawn
/// from a hash of the intake number). Each
/// intake row carries the test results and evidence lines of a real one (the
/// same for all), so rows are their real size; there are no audit entries,
/// which the lookups and the list do not read.
fn bulk_load(store: &Store, db: &Path, options: &Options, count: u64) -> Result<(), Failure> {
    let station = store.station_id().hyphenated().to_string();
    let template = synthetic::intake(&mut Rng::new(1), 0, 0, "tech-00", started(0), SHAPE);
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // The indexes stay while loading, although building them afterwards
    // is quicker: an index built in one go has every page full, so each
    // re-test timed afterwards would split the page of its device's entry,
    // something a station's own file, grown intake by intake, does far less
    // (1.87 against 1.39 pages written per intake). A large cache keeps
    // those random insertions from going to the OS.
    conn.pragma_update(None, "cache_size", -2048 * 1024)?;
    let tx = conn.transaction()?;
    // Same layout as record_intake: UUID-shaped ids (ordered, so the
    // primary key is appended to), RFC 3339 times with nine digits.
    let stamp = |seconds: &str| {
        format!(
            "strftime('%Y-%m-%dT%H:%M:%f', '2025-01-06 08:00:00', '+' || ({seconds}) || \
             ' seconds') || '000000Z'"
        )
    };
    let devices_bulk = count * options.devices / options.intakes;
    tx.execute(
        &format!(
            "INSERT INTO benches (id, serial, vendor, model, fw, last_port, first_seen, last_seen,
                                  station_id)
             WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < 19)
             SELECT printf('00000000-0000-7000-a000-%012x', x), printf('PB8-%04d', x), 'Acme',
                    'PB-8', '1.4.2', '/dev/ttyACM0', {first}, {first}, ?1 FROM n",
            first = stamp("0")
        ),
        [&station],
    )?;
    tx.execute(
        &format!(
            "INSERT INTO devices (id, category, make, model, model_code, serial, imei, imei_valid,
                                  first_seen, station_id)
             WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ?1 - 1)
             SELECT printf('00000000-0000-7000-8000-%012x', x), 'phone', 'Apple', 'iPhone 12',
                    'iPhone13,2', printf('SN%010d', x), printf('35%013d', x), 1, {first}, ?2
             FROM n",
            first = stamp(&format!(
                "(x * {intakes} + {devices} - 1) / {devices}",
                intakes = options.intakes,
                devices = options.devices
            ))
        ),
        rusqlite::params![devices_bulk as i64, station],
    )?;
    tx.commit()?;
    // In slices, each committed and folded into the file, so that the
    // write-ahead log never holds gigabytes beside the database.
    let settle = |conn: &rusqlite::Connection| -> Result<(), Failure> {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    };
    settle(&conn)?;
    let battery = "((j * 2654435761) % 4294967291) % 100";
    let lock = "((j * 3266489917) % 4294967291) % 100";
    let seen = format!("(j * {} / {})", options.devices, options.intakes);
    let after = format!("((j + 1) * {} / {})", options.devices, options.intakes);
    let insert_intakes = format!(
        "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at, operator,
                                  station_id, bench_json, identity_json, battery_json, lock_json,
                                  battery_verdict, lock_verdict, soh_pct, cycles, tests_json,
                                  evidence_json, record_format)
             WITH RECURSIVE n(j) AS (SELECT ?9 UNION ALL SELECT j + 1 FROM n WHERE j < ?1 - 1)
             SELECT printf('00000000-0000-7000-9000-%012x', j),
                    printf('00000000-0000-7000-8000-%012x',
                           CASE WHEN {after} > {seen} THEN {seen}
                                ELSE ((j * 2246822519) % 4294967291) % max({seen}, 1) END),
                    printf('00000000-0000-7000-a000-%012x', j % 20),
                    1 + j % 8, {started}, {finished}, printf('tech-%02d', j % 10), ?2,
                    ?3, ?4, ?5, ?6,
                    CASE WHEN {battery} < 70 THEN 'pass' WHEN {battery} < 90 THEN 'replace'
                         WHEN {battery} < 97 THEN 'consumed' WHEN {battery} < 99 THEN 'unknown'
                         ELSE 'absent' END,
                    CASE WHEN {lock} < 3 THEN 'blocked' WHEN {lock} < 5 THEN 'unknown'
                         ELSE 'clear' END,
                    CASE WHEN {battery} < 70 THEN 86.0 + {battery} % 14
                         WHEN {battery} < 90 THEN 80.0 + {battery} % 5
                         WHEN {battery} < 97 THEN 50.0 + {battery} % 30 END,
                    (j * 7919) % 1200, ?7, ?8, 2
             FROM n",
        started = stamp("j"),
        finished = stamp("j + 95"),
    );
    const SLICE: u64 = 250_000;
    for from in (0..count).step_by(SLICE as usize) {
        let tx = conn.transaction()?;
        tx.execute(
            &insert_intakes,
            rusqlite::params![
                (from + SLICE).min(count) as i64,
                station,
                serde_json::to_string(&template.bench)?,
                serde_json::to_string(&template.identity)?,
                serde_json::to_string(&template.battery)?,
                serde_json::to_string(&template.lock)?,
                tests_json(&template)?,
                evidence_json(&template)?,
                from as i64,
            ],
        )?;
        tx.commit()?;
        settle(&conn)?;
    }
    Ok(())
}

/// `intakes.tests_json` as the store writes it.
fn tests_json(intake: &NewIntake) -> Result<String, Failure> {
    let tests: Vec<_> = intake
        .tests
        .iter()
        .map(|test| (&test.name, &test.outcome, &test.detail))
        .collect();
    Ok(serde_json::to_string(&tests)?)
}

/// `intakes.evidence_json` as the store writes it.
fn evidence_json(intake: &NewIntake) -> Result<String, Failure> {
    let lines: Vec<_> = intake
        .evidence
        .iter()
        .map(|line| (stamp(line.at), line.direction.as_str(), &line.line))
        .collect();
    Ok(serde_json::to_string(&lines)?)
}

/// How many intakes the plain-SQL peer writes.
const PEER_INTAKES: u64 = 100_000;

fn peer_count(options: &Options) -> u64 {
    PEER_INTAKES.min(options.intakes)
}

/// `record_intakes` against its floor, both into an empty file: the same
/// intakes (same generator, same seed) through `record_intakes`, and as
/// plain prepared INSERTs into the same schema with the same connection
/// settings and transaction size, devices matched from memory, and no audit
/// entries or digests. Returns (record_intakes, plain SQL) in intakes/s.
fn plain_sql_inserts(options: &Options, operators: &Operators) -> Result<(f64, f64), Failure> {
    use std::collections::HashMap;

    let count = peer_count(options);
    let db = options.dir.join("peer-record-intakes.db");
    remove_database(&db);
    let mut store = Store::open(&db)?;
    add_operators(&mut store)?;
    let mut rng = Rng::new(BUILD_SEED);
    let mut took = Duration::ZERO;
    let mut index = 0;
    while index < count {
        let batch_len = options.batch.min(count - index);
        let batch: Vec<NewIntake> = (index..index + batch_len)
            .map(|number| intake_number(&mut rng, number, options, operators))
            .collect();
        let started = Instant::now();
        store.record_intakes(&batch)?;
        took += started.elapsed();
        index += batch_len;
    }
    let record_rate = count as f64 / took.as_secs_f64();
    drop(store);
    remove_database(&db);

    let db = options.dir.join("peer-plain-sql.db");
    remove_database(&db);
    let station = Store::open(&db)?.station_id().hyphenated().to_string();
    let mut conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -64 * 1024)?;
    conn.execute(
        "INSERT INTO benches (id, serial, vendor, model, fw, last_port, first_seen, last_seen,
                              station_id)
         VALUES ('bench', 'PB8', 'Acme', 'PB-8', '1.4.2', 'p', 'x', 'x', ?1)",
        [&station],
    )?;
    let mut devices: HashMap<String, String> = HashMap::new();
    let took = timed_batches(&mut conn, options, operators, count, 0, |tx, intake| {
        let identity = &intake.identity;
        let imei = identity.imei.clone().unwrap_or_default();
        let device_id = match devices.get(&imei) {
            Some(id) => id.clone(),
            None => {
                let id = uuid::Uuid::now_v7().hyphenated().to_string();
                tx.prepare_cached(
                    "INSERT INTO devices (id, category, make, model, model_code, serial, imei,
                                          imei_valid, first_seen, station_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(rusqlite::params![
                    id,
                    identity.category.as_str(),
                    identity.make,
                    identity.model,
                    identity.model_code,
                    identity.serial,
                    identity.imei,
                    identity.imei_valid,
                    stamp(intake.started_at),
                    station
                ])?;
                devices.insert(imei, id.clone());
                id
            }
        };
        tx.prepare_cached(
            "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at,
                                  operator, station_id, bench_json, identity_json,
                                  battery_json, lock_json, battery_verdict, lock_verdict,
                                  soh_pct, cycles, tests_json, evidence_json, record_format)
             VALUES (?1, ?2, 'bench', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                     ?16, ?17, 2)",
        )?
        .execute(rusqlite::params![
            uuid::Uuid::now_v7().hyphenated().to_string(),
            device_id,
            intake.slot,
            stamp(intake.started_at),
            stamp(intake.finished_at),
            intake.operator,
            station,
            serde_json::to_string(&intake.bench)?,
            serde_json::to_string(&intake.identity)?,
            serde_json::to_string(&intake.battery)?,
            serde_json::to_string(&intake.lock)?,
            intake.battery.verdict.as_str(),
            intake.lock.verdict.as_str(),
            intake.battery.soh_pct,
            intake.battery.reading.cycles,
            tests_json(intake)?,
            evidence_json(intake)?,
        ])?;
        Ok(())
    })?;
    drop(conn);
    remove_database(&db);
    Ok((record_rate, count as f64 / took.as_secs_f64()))
}

/// Bytes this process has passed to write calls so far (Linux's
/// `/proc/self/io`), every thread included.
fn bytes_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines()
        .find_map(|line| line.strip_prefix("wchar:"))
        .and_then(|value| value.trim().parse().ok())
}

/// The layout the store could move to, measured the way the plain-SQL
/// peer is: the same intakes as plain prepared INSERTs into an empty file,
/// same settings and batches, no recognition or audit, but with integer
/// row keys in place of UUID text (each record keeps its UUID as a 16-byte
/// column, unique, for replication), times as integer nanoseconds, one
/// covering time index for the unfiltered list and partial indexes for the
/// verdicts other than the common one. The first `timed_from` of `count`
/// intakes go in untimed; returns the rate of the rest, in intakes/s.
fn lean_layout_inserts(
    options: &Options,
    operators: &Operators,
    count: u64,
    timed_from: u64,
) -> Result<f64, Failure> {
    use std::collections::HashMap;

    let db = options.dir.join("peer-lean-layout.db");
    remove_database(&db);
    let mut conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "page_size", 8192)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -(options.lean_cache_mib as i64) * 1024)?;
    conn.execute_batch(
        "CREATE TABLE devices (
             id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE, category TEXT NOT NULL,
             make TEXT NOT NULL, model TEXT NOT NULL, model_code TEXT, serial TEXT, imei TEXT,
             imei_valid INTEGER, first_seen INTEGER NOT NULL, station INTEGER NOT NULL
         ) STRICT;
         CREATE UNIQUE INDEX devices_imei ON devices (imei) WHERE imei IS NOT NULL;
         CREATE UNIQUE INDEX devices_serial_make ON devices (serial, make) WHERE serial IS NOT NULL;
         CREATE TABLE intakes (
             id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE,
             device INTEGER NOT NULL REFERENCES devices (id), bench INTEGER NOT NULL,
             slot INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
             operator TEXT NOT NULL, station INTEGER NOT NULL, bench_json TEXT NOT NULL,
             identity_json TEXT NOT NULL, battery_json TEXT NOT NULL, lock_json TEXT NOT NULL,
             battery_verdict TEXT NOT NULL, lock_verdict TEXT NOT NULL, soh_pct REAL,
             cycles INTEGER, tests_json TEXT NOT NULL, evidence_json TEXT NOT NULL
         ) STRICT;
         CREATE INDEX intakes_device_latest ON intakes (device, started_at);
         CREATE INDEX intakes_started
             ON intakes (started_at, device, battery_verdict, lock_verdict, operator);
         CREATE INDEX intakes_battery_verdict ON intakes (battery_verdict, started_at, device)
             WHERE battery_verdict <> 'pass';
         CREATE INDEX intakes_lock_verdict ON intakes (lock_verdict, started_at, device)
             WHERE lock_verdict <> 'clear';
         CREATE INDEX intakes_operator ON intakes (operator, started_at, device);",
    )?;
    let nanos = |at: DateTime<Utc>| at.timestamp_nanos_opt().unwrap_or(i64::MAX);
    let mut devices: HashMap<String, i64> = HashMap::new();
    let took = timed_batches(
        &mut conn,
        options,
        operators,
        count,
        timed_from,
        |tx, intake| {
            let identity = &intake.identity;
            let imei = identity.imei.clone().unwrap_or_default();
            let device = match devices.get(&imei) {
                Some(&device) => device,
                None => {
                    tx.prepare_cached(
                    "INSERT INTO devices (uuid, category, make, model, model_code, serial, imei,
                                          imei_valid, first_seen, station)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
                )?
                .execute(rusqlite::params![
                    uuid::Uuid::now_v7().as_bytes().as_slice(),
                    identity.category.as_str(),
                    identity.make,
                    identity.model,
                    identity.model_code,
                    identity.serial,
                    identity.imei,
                    identity.imei_valid,
                    nanos(intake.started_at),
                ])?;
                    let device = tx.last_insert_rowid();
                    devices.insert(imei, device);
                    device
                }
            };
            tx.prepare_cached(
                "INSERT INTO intakes (uuid, device, bench, slot, started_at, finished_at,
                                  operator, station, bench_json, identity_json,
                                  battery_json, lock_json, battery_verdict, lock_verdict,
                                  soh_pct, cycles, tests_json, evidence_json)
             VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                     ?15, ?16)",
            )?
            .execute(rusqlite::params![
                uuid::Uuid::now_v7().as_bytes().as_slice(),
                device,
                intake.slot,
                nanos(intake.started_at),
                nanos(intake.finished_at),
                intake.operator,
                serde_json::to_string(&intake.bench)?,
                serde_json::to_string(&intake.identity)?,
                serde_json::to_string(&intake.battery)?,
                serde_json::to_string(&intake.lock)?,
                intake.battery.verdict.as_str(),
                intake.lock.verdict.as_str(),
                intake.battery.soh_pct,
                intake.battery.reading.cycles,
                tests_json(intake)?,
                evidence_json(intake)?,
            ])?;
            Ok(())
        },
    )?;
    drop(conn);
    remove_database(&db);
    Ok((count - timed_from) as f64 / took.as_secs_f64())
}

/// Writes the generator's intakes `0..count` (the database's seed) with
/// `write`, in transactions of `--batch` intakes, and returns the time the
/// transactions from intake `timed_from` on took, commits included.
fn timed_batches(
    conn: &mut rusqlite::Connection,
    options: &Options,
    operators: &Operators,
    count: u64,
    timed_from: u64,
    mut write: impl FnMut(&rusqlite::Transaction<'_>, &NewIntake) -> Result<(), Failure>,
) -> Result<Duration, Failure> {
    let mut rng = Rng::new(BUILD_SEED);
    let mut took = Duration::ZERO;
    let mut index = 0;
    while index < count {
        let batch_len = options.batch.min(count - index);
        let batch: Vec<NewIntake> = (index..index + batch_len)
            .map(|number| intake_number(&mut rng, number, options, operators))
            .collect();
        let started = Instant::now();
        let tx = conn.transaction()?;
        for intake in &batch {
            write(&tx, intake)?;
        }
        tx.commit()?;
        if index >= timed_from {
            took += started.elapsed();
        }
        index += batch_len;
    }
    Ok(took)
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        // Absent already is as good as removed.
        let _ = std::fs::remove_file(with_suffix(db, suffix));
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

fn single_inserts(
    store: &mut Store,
    options: &Options,
    operators: &Operators,
    end: DateTime<Utc>,
) -> Result<f64, Failure> {
    let mut rng = Rng::new(0x51_6e1e);
    let count = 2_000;
    let mut took = Duration::ZERO;
    for number in 0..count {
        let mut intake = intake_number(&mut rng, options.intakes + number, options, operators);
        intake.started_at = end + chrono::Duration::seconds(1 + number as i64);
        intake.finished_at = intake.started_at + chrono::Duration::seconds(95);
        let started = Instant::now();
        store.record_intake(&intake)?;
        took += started.elapsed();
    }
    Ok(count as f64 / took.as_secs_f64())
}

struct Figures {
    p50: Duration,
    p99: Duration,
    max: Duration,
    mean: Duration,
}

fn figures(mut samples: Vec<Duration>) -> Figures {
    samples.sort();
    let at = |fraction: f64| samples[((samples.len() - 1) as f64 * fraction).round() as usize];
    let total: Duration = samples.iter().sum();
    Figures {
        p50: at(0.50),
        p99: at(0.99),
        max: at(1.0),
        mean: total / samples.len() as u32,
    }
}

fn time_lookups(store: &Store, references: &[String]) -> Result<Figures, Failure> {
    let mut samples = Vec::with_capacity(references.len());
    for reference in references {
        let started = Instant::now();
        let found = store.find_device(reference)?;
        samples.push(started.elapsed());
        if found.is_none() {
            return Err(format!("device {reference} was not found").into());
        }
    }
    Ok(figures(samples))
}

struct ListCase {
    name: String,
    filter: DeviceFilter,
    /// Pages walked with `after` before the timed one (0: the first page).
    cursor_pages: u32,
    /// The same list through the `device_current` view (empty: not run,
    /// because it takes minutes at full scale).
    view_sql: String,
}

/// The SQL `list_devices` runs for `filter`, with the values written in,
/// for the shell.
fn shell_sql(filter: &DeviceFilter) -> String {
    let stamp = |at: DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let mut conditions = vec!["i.id = (SELECT x.id FROM intakes x WHERE x.device_id = \
                               i.device_id ORDER BY x.started_at DESC, x.id DESC LIMIT 1)"
        .to_owned()];
    if let Some(verdict) = filter.battery_verdict {
        conditions.push(format!("i.battery_verdict = '{}'", verdict.as_str()));
    }
    if let Some(verdict) = filter.lock_verdict {
        conditions.push(format!("i.lock_verdict = '{}'", verdict.as_str()));
    }
    if let Some(since) = filter.since {
        conditions.push(format!("i.started_at >= '{}'", stamp(since)));
    }
    if let Some(operator) = &filter.operator {
        conditions.push(format!("i.operator = '{operator}'"));
    }
    if let Some(after) = filter.after {
        conditions.push(format!(
            "(i.started_at, i.id) < ('{}', '{}')",
            stamp(after.last_intake_at),
            after.last_intake_id
        ));
    }
    format!(
        "SELECT d.id, d.category, d.make, d.model, d.serial, d.imei, i.id, i.started_at, \
         i.operator, i.battery_verdict, i.soh_pct, i.lock_verdict, \
         (SELECT COUNT(*) FROM intakes c WHERE c.device_id = d.id) \
         FROM (SELECT i.rowid AS intake_rowid FROM intakes i WHERE {} \
               ORDER BY i.started_at DESC, i.id DESC LIMIT {} OFFSET {}) AS page \
         JOIN intakes i ON i.rowid = page.intake_rowid JOIN devices d ON d.id = i.device_id \
         ORDER BY i.started_at DESC, i.id DESC;",
        conditions.join(" AND "),
        filter.limit.map_or(-1, i64::from),
        filter.offset
    )
}

fn list_cases(end: DateTime<Utc>, technicians: &[String]) -> Vec<ListCase> {
    let week_ago = end - chrono::Duration::days(7);
    let operator = &technicians[3];
    let case = |name: &str, filter: DeviceFilter, cursor_pages: u32| ListCase {
        name: name.to_owned(),
        filter: DeviceFilter {
            limit: Some(100),
            ..filter
        },
        cursor_pages,
        view_sql: String::new(),
    };
    let rare = DeviceFilter {
        battery_verdict: Some(BatteryVerdictKind::Absent),
        lock_verdict: Some(LockVerdictKind::Blocked),
        ..DeviceFilter::default()
    };
    vec![
        ListCase {
            view_sql: "SELECT * FROM device_current WHERE last_intake_id IS NOT NULL \
                       ORDER BY last_intake_at DESC, last_intake_id DESC LIMIT 100;"
                .to_owned(),
            ..case("none (first page)", DeviceFilter::default(), 0)
        },
        case(
            "none, page 50 (`after` the cursor of page 49)",
            DeviceFilter::default(),
            49,
        ),
        case(
            "none, page 50 (`offset` 4900)",
            DeviceFilter {
                offset: 4_900,
                ..DeviceFilter::default()
            },
            0,
        ),
        case(
            "battery = replace",
            DeviceFilter {
                battery_verdict: Some(BatteryVerdictKind::Replace),
                ..DeviceFilter::default()
            },
            0,
        ),
        case(
            "lock = blocked",
            DeviceFilter {
                lock_verdict: Some(LockVerdictKind::Blocked),
                ..DeviceFilter::default()
            },
            0,
        ),
        case(
            "battery = absent, lock = blocked (rare: 0.03 % of intakes)",
            rare.clone(),
            0,
        ),
        case(
            "battery = absent, lock = blocked, page 3 (`after`)",
            rare,
            2,
        ),
        case(
            &format!("by {operator}, battery = absent (rare: 0.1 %)"),
            DeviceFilter {
                operator: Some(operator.clone()),
                battery_verdict: Some(BatteryVerdictKind::Absent),
                ..DeviceFilter::default()
            },
            0,
        ),
        case(
            &format!("since 7 days, by {operator}, battery = consumed"),
            DeviceFilter {
                since: Some(week_ago),
                operator: Some(operator.clone()),
                battery_verdict: Some(BatteryVerdictKind::Consumed),
                ..DeviceFilter::default()
            },
            0,
        ),
    ]
}

fn time_list(store: &Store, filter: &DeviceFilter) -> Result<(Figures, usize), Failure> {
    let mut samples = Vec::new();
    let mut rows = 0;
    for _ in 0..30 {
        let started = Instant::now();
        rows = store.list_devices(filter)?.len();
        samples.push(started.elapsed());
    }
    Ok((figures(samples), rows))
}

fn sqlite3_version() -> String {
    Command::new("sqlite3")
        .arg("--version")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| {
            let text = String::from_utf8_lossy(&output.stdout);
            format!(
                "sqlite3 shell {}",
                text.split_whitespace().next().unwrap_or("?")
            )
        })
        .unwrap_or_else(|| "sqlite3 shell not installed (apt install sqlite3)".to_owned())
}

/// Mean time per statement when the shell runs all of them in one process,
/// its start-up (timed with an empty script) taken off.
fn sqlite3_mean(
    db: &Path,
    statements: impl Iterator<Item = String>,
) -> Result<Option<Duration>, Failure> {
    let script: Vec<String> = statements.collect();
    let count = script.len() as u32;
    let Some(empty) = sqlite3_run(db, "SELECT 1;")? else {
        return Ok(None);
    };
    let Some(all) = sqlite3_run(db, &script.join("\n"))? else {
        return Ok(None);
    };
    Ok(Some(all.saturating_sub(empty) / count))
}

/// The best of three runs of one statement in the shell, start-up taken off.
fn sqlite3_once(db: &Path, statement: &str) -> Result<Option<Duration>, Failure> {
    let Some(empty) = sqlite3_run(db, "SELECT 1;")? else {
        return Ok(None);
    };
    let mut best: Option<Duration> = None;
    for _ in 0..3 {
        let Some(took) = sqlite3_run(db, statement)? else {
            return Ok(None);
        };
        best = Some(best.map_or(took, |best| best.min(took)));
    }
    Ok(best.map(|best| best.saturating_sub(empty)))
}

fn sqlite3_run(db: &Path, script: &str) -> Result<Option<Duration>, Failure> {
    use std::io::Write;
    let started = Instant::now();
    let child = Command::new("sqlite3")
        .arg("-readonly")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    child
        .stdin
        .take()
        .ok_or("no stdin for sqlite3")?
        .write_all(script.as_bytes())?;
    let output = child.wait_with_output()?;
    let took = started.elapsed();
    if !output.status.success() || !output.stderr.is_empty() {
        return Err(format!(
            "sqlite3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(Some(took))
}

fn checkpoint(db: &Path) -> Result<(), Failure> {
    let conn = rusqlite::Connection::open(db)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// The biggest tables and indexes, from the shell's `dbstat` table (the
/// bundled SQLite is built without it).
fn print_table_sizes(db: &Path) -> Result<(), Failure> {
    let output = Command::new("sqlite3")
        .arg("-readonly")
        .arg("-separator")
        .arg(" ")
        .arg(db)
        .arg("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12;")
        .output();
    let Ok(output) = output else {
        return Ok(());
    };
    if !output.status.success() {
        return Ok(());
    }
    let parts: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (name, bytes) = line.rsplit_once(' ')?;
            let bytes: f64 = bytes.parse().ok()?;
            Some(format!("{name} {:.0} MiB", bytes / f64::from(1 << 20)))
        })
        .collect();
    println!("largest parts: {}", parts.join(", "));
    Ok(())
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1e3)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
