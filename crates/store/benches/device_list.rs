//! The quality screen's list at a million devices, with each device's latest
//! grade: builds a station database of N devices (one intake each, `--graded`
//! percent of them graded) with plain SQL, then times `list_devices` pages of
//! 100 for the filters the screen offers, grade filters included, and the
//! same pages through the naive SQL a reader would write first (the
//! `device_current` view joined to each device's latest grade), as the peer.
//!
//! Not run in CI. Full scale (a few minutes, about 2 GiB of disk, deleted
//! afterwards unless `--keep`):
//!
//! ```sh
//! cargo bench -p refurbdesk-store --bench device_list
//! ```
//!
//! `-- --devices 100000` for a quick run; `--help` lists the options. `--window` times the
//! pages as the desktop window asks for them: each on a connection of its own, opened for the
//! call, with the window's page cache (`--page-cache-kib`, default 2048).

#[path = "../support/synthetic.rs"]
mod synthetic;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use refurbdesk_domain::BatteryVerdictKind;
use refurbdesk_store::{DeviceFilter, Store};
use synthetic::{Rng, Shape};

const USAGE: &str = "device_list bench: options
  --devices N   devices (one intake each) in the database (default 1000000)
  --graded P    percent of them graded (default 80)
  --runs N      timed runs per case (default 30)
  --dir PATH    where the database goes (default target/store-bench)
  --keep        keep the database afterwards (and reuse it when it exists)
  --window      open a connection for each page, as the desktop window's calls do, with the
                window's page cache
  --page-cache-kib N
                the page cache of --window's connections (default 2048, the window's)";

type Failure = Box<dyn std::error::Error>;

struct Options {
    devices: u64,
    graded: u64,
    runs: usize,
    dir: PathBuf,
    keep: bool,
    /// With the window's page cache in KiB: a connection opened for each page.
    window: Option<i64>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        devices: 1_000_000,
        graded: 80,
        runs: 30,
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/store-bench"),
        keep: false,
        window: None,
    };
    let mut window_cache = 2048;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|value| value.replace('_', "").parse().ok())
                .ok_or(format!("{name} needs a whole number\n{USAGE}"))
        };
        match arg.as_str() {
            "--devices" => options.devices = number("--devices")?.max(1),
            "--graded" => options.graded = number("--graded")?.min(100),
            "--runs" => options.runs = number("--runs")?.max(1) as usize,
            "--dir" => options.dir = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--keep" => options.keep = true,
            "--window" => options.window = Some(0),
            "--page-cache-kib" => window_cache = number("--page-cache-kib")? as i64,
            "--bench" => {}
            _ => return Err(USAGE.to_owned()),
        }
    }
    options.window = options.window.map(|_| window_cache);
    Ok(options)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(usage) => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(error) = run(&options) {
        eprintln!("device_list bench failed: {error}");
        std::process::exit(1);
    }
}

fn started(index: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 6, 8, 0, 0)
        .single()
        .expect("date")
        + chrono::Duration::seconds(index as i64)
}

fn run(options: &Options) -> Result<(), Failure> {
    std::fs::create_dir_all(&options.dir)?;
    let db = options.dir.join(format!(
        "device-list-{}-{}.db",
        options.devices, options.graded
    ));
    if !(options.keep && db.exists()) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let started = Instant::now();
        load(&db, options)?;
        eprintln!("  loaded in {:.0} s", started.elapsed().as_secs_f64());
    }
    // Opened again, so the planner has statistics, as a station's would.
    let store = Store::open(&db)?;
    println!(
        "# device list: {} devices, one intake each, {} % graded; sqlite {}; file {:.2} GiB; {}",
        options.devices,
        options.graded,
        rusqlite::version(),
        std::fs::metadata(&db)?.len() as f64 / (1u64 << 30) as f64,
        match options.window {
            Some(kib) =>
                format!("a connection opened per page with a {kib} KiB page cache (the window)"),
            None => format!(
                "one connection with a {} KiB page cache",
                refurbdesk_store::page_cache_kib()
            ),
        }
    );
    if let Some(kib) = options.window {
        refurbdesk_store::set_page_cache_kib(kib);
    }
    println!("| filter (page of 100) | rows | list_devices p50 | p99 | peer: device_current + latest grade, once |");
    println!("| --- | --- | --- | --- | --- |");
    let peer = rusqlite::Connection::open(&db)?;
    let page = |filter: DeviceFilter| DeviceFilter {
        limit: Some(100),
        ..filter
    };
    let deep = {
        let mut filter = page(DeviceFilter::default());
        for _ in 0..49 {
            let rows = store.list_devices(&filter)?;
            filter.after = rows.last().map(|row| row.cursor());
        }
        filter
    };
    let imei = synthetic::imei(options.devices / 3);
    let serial = synthetic::serial(options.devices / 3 + 1);
    let cases: Vec<(&str, DeviceFilter)> = vec![
        ("none, first page", page(DeviceFilter::default())),
        ("none, page 50 (`after` a cursor)", deep),
        (
            "outcome sellable",
            page(DeviceFilter {
                outcome: Some("sellable".into()),
                ..DeviceFilter::default()
            }),
        ),
        (
            "outcome blocked (rare)",
            page(DeviceFilter {
                outcome: Some("blocked".into()),
                ..DeviceFilter::default()
            }),
        ),
        (
            "grade PREMIUM",
            page(DeviceFilter {
                listing_grade: Some("PREMIUM".into()),
                ..DeviceFilter::default()
            }),
        ),
        (
            "battery replace + outcome repair",
            page(DeviceFilter {
                battery_verdict: Some(BatteryVerdictKind::Replace),
                outcome: Some("repair".into()),
                ..DeviceFilter::default()
            }),
        ),
        (
            "IMEI (the search box)",
            page(DeviceFilter {
                imei: Some(imei),
                ..DeviceFilter::default()
            }),
        ),
        (
            "serial (the search box, second try)",
            page(DeviceFilter {
                serial: Some(serial),
                ..DeviceFilter::default()
            }),
        ),
    ];
    for (name, filter) in cases {
        let mut samples = Vec::with_capacity(options.runs);
        let mut rows = 0;
        for _ in 0..options.runs {
            let started = Instant::now();
            rows = match options.window {
                Some(_) => Store::open(&db)?.list_devices(&filter)?.len(),
                None => store.list_devices(&filter)?.len(),
            };
            samples.push(started.elapsed());
        }
        samples.sort();
        let p = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        let peer_time = naive(&peer, &filter)?;
        println!(
            "| {name} | {rows} | {} | {} | {} |",
            ms(p(0.5)),
            ms(p(0.99)),
            ms(peer_time)
        );
    }
    drop(store);
    if !options.keep {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    Ok(())
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

/// The same page through the view and a join on the latest grade, timed
/// once (the cursor of the deep page is left out: the view has no keyset).
fn naive(conn: &rusqlite::Connection, filter: &DeviceFilter) -> Result<Duration, Failure> {
    let text = |value: &Option<String>| value.clone();
    let started = Instant::now();
    let mut statement = conn.prepare_cached(
        "SELECT dc.*, g.outcome, g.listing_grade FROM device_current dc
         LEFT JOIN grades g ON g.id = (SELECT x.id FROM grades x WHERE x.device_id = dc.id
                                       ORDER BY x.graded_at DESC, x.id DESC LIMIT 1)
         WHERE dc.last_intake_id IS NOT NULL
           AND (?1 IS NULL OR g.outcome = ?1) AND (?2 IS NULL OR g.listing_grade = ?2)
           AND (?3 IS NULL OR dc.battery_verdict = ?3) AND (?4 IS NULL OR dc.imei = ?4)
           AND (?5 IS NULL OR dc.serial = ?5)
         ORDER BY dc.last_intake_at DESC, dc.last_intake_id DESC LIMIT 100 OFFSET ?6",
    )?;
    let offset = if filter.after.is_some() { 4900 } else { 0 };
    let count = statement
        .query_map(
            rusqlite::params![
                text(&filter.outcome),
                text(&filter.listing_grade),
                filter.battery_verdict.map(|v| v.as_str()),
                text(&filter.imei),
                text(&filter.serial),
                offset
            ],
            |_| Ok(()),
        )?
        .count();
    let took = started.elapsed();
    let _ = count;
    Ok(took)
}

/// Devices, one intake each (verdicts in the proportions of the store
/// bench), then a checklist, an inspection and a grade for `--graded` percent
/// of them, outcomes and grades drawn from a hash of the device number:
/// sellable 60 %, repair 25 %, recycle 6 %, hold 6 %, blocked 3 %.
fn load(db: &std::path::Path, options: &Options) -> Result<(), Failure> {
    let store = Store::open(db)?;
    let station = store.station_id().hyphenated().to_string();
    drop(store);
    let template = synthetic::intake(
        &mut Rng::new(1),
        0,
        0,
        "tech-00",
        started(0),
        Shape {
            tests: 6,
            evidence: 0,
            with_serial: true,
        },
    );
    let mut conn = rusqlite::Connection::open(db)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -1024 * 1024)?;
    let stamp = |seconds: &str| {
        format!(
            "strftime('%Y-%m-%dT%H:%M:%f', '2025-01-06 08:00:00', '+' || ({seconds}) || \
             ' seconds') || '000000Z'"
        )
    };
    let n = options.devices as i64;
    let tests: Vec<_> = template
        .tests
        .iter()
        .map(|test| (&test.name, &test.outcome, &test.detail))
        .collect();
    let tx = conn.transaction()?;
    tx.execute(
        &format!(
            "INSERT INTO benches (id, serial, vendor, model, fw, last_port, first_seen, last_seen,
                                  station_id)
             VALUES ('00000000-0000-7000-a000-000000000000', 'PB8-0000', 'Acme', 'PB-8',
                     '1.4.2', '/dev/ttyACM0', {first}, {first}, ?1)",
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
                    'iPhone13,2', printf('SN%010d', x), printf('35%013d', x), 1, {at}, ?2
             FROM n",
            at = stamp("x")
        ),
        rusqlite::params![n, station],
    )?;
    let battery = "((x * 2654435761) % 4294967291) % 100";
    let lock = "((x * 3266489917) % 4294967291) % 100";
    tx.execute(
        &format!(
            "INSERT INTO intakes (id, device_id, bench_id, slot, started_at, finished_at, operator,
                                  station_id, bench_json, identity_json, battery_json, lock_json,
                                  battery_verdict, lock_verdict, soh_pct, cycles, tests_json,
                                  evidence_json, record_format)
             WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ?1 - 1)
             SELECT printf('00000000-0000-7000-9000-%012x', x),
                    printf('00000000-0000-7000-8000-%012x', x),
                    '00000000-0000-7000-a000-000000000000', 1 + x % 8, {at}, {done},
                    printf('tech-%02d', x % 10), ?2, ?3, ?4, ?5, ?6,
                    CASE WHEN {battery} < 70 THEN 'pass' WHEN {battery} < 90 THEN 'replace'
                         WHEN {battery} < 97 THEN 'consumed' WHEN {battery} < 99 THEN 'unknown'
                         ELSE 'absent' END,
                    CASE WHEN {lock} < 3 THEN 'blocked' WHEN {lock} < 5 THEN 'unknown'
                         ELSE 'clear' END,
                    CASE WHEN {battery} < 70 THEN 86.0 + {battery} % 14
                         WHEN {battery} < 90 THEN 80.0 + {battery} % 5 END,
                    (x * 7919) % 1200, ?7, '[]', 2
             FROM n",
            at = stamp("x"),
            done = stamp("x + 95"),
        ),
        rusqlite::params![
            n,
            station,
            serde_json::to_string(&template.bench)?,
            serde_json::to_string(&template.identity)?,
            serde_json::to_string(&template.battery)?,
            serde_json::to_string(&template.lock)?,
            serde_json::to_string(&tests)?,
        ],
    )?;
    let graded = format!("((x * 2246822519) % 4294967291) % 100 < {}", options.graded);
    let draw = "((x * 1597334677) % 4294967291) % 100";
    let reasons = serde_json::json!([
        {"rule": "battery.replace", "inputs": {"soh_pct": 82.4, "threshold": 85}, "text": "The battery holds 82.4 % of its design capacity, under the 85 % the channel asks for: replace it before sale.", "text_fr": "La batterie conserve 82,4 % de sa capacité d’origine, sous les 85 % exigés par le canal : remplacez-la avant la vente."},
        {"rule": "cosmetic.grade", "inputs": {"worst": "light"}, "text": "Light marks on the back: very good condition.", "text_fr": "Légères marques au dos : très bon état."}
    ])
    .to_string();
    let inputs = serde_json::json!({
        "battery": {"verdict": "replace", "soh_pct": 82.4},
        "lock": "clear",
        "checks": {"powers_on_off": "pass", "charges": "pass", "touch": "pass", "screen_dead_pixels": "pass", "screen_burn_in": "pass", "biometrics": "pass", "all_features": "pass", "liquid_indicators": "pass", "housing_complete": "pass", "genuine_parts": "pass"},
        "cosmetic": {"screen": "flawless", "back": "light", "frame": "micro"}
    })
    .to_string();
    for (table, columns, select) in [
        (
            "checklists",
            "id, device_id, intake_id, category, recorded_at, operator, station_id",
            "printf('00000000-0000-7000-b000-%012x', x), printf('00000000-0000-7000-8000-%012x', x),
             printf('00000000-0000-7000-9000-%012x', x), 'phone', {at}, printf('tech-%02d', x % 10), ?2",
        ),
        (
            "cosmetic_inspections",
            "id, device_id, intake_id, recorded_at, operator, station_id",
            "printf('00000000-0000-7000-c000-%012x', x), printf('00000000-0000-7000-8000-%012x', x),
             printf('00000000-0000-7000-9000-%012x', x), {at}, printf('tech-%02d', x % 10), ?2",
        ),
        (
            "grades",
            "id, device_id, intake_id, checklist_id, inspection_id, graded_at, operator, station_id,
             policy_name, policy_version, policy_sha256, outcome, listing_grade, buyback_grade,
             ctia_code, partial, reasons_json, inputs_json",
            "printf('00000000-0000-7000-d000-%012x', x), printf('00000000-0000-7000-8000-%012x', x),
             printf('00000000-0000-7000-9000-%012x', x), printf('00000000-0000-7000-b000-%012x', x),
             printf('00000000-0000-7000-c000-%012x', x), {at}, printf('tech-%02d', x % 10), ?2,
             'backmarket-default', '1.0.0', printf('%064d', 0),
             CASE WHEN {draw} < 60 THEN 'sellable' WHEN {draw} < 85 THEN 'repair'
                  WHEN {draw} < 91 THEN 'recycle' WHEN {draw} < 97 THEN 'hold' ELSE 'blocked' END,
             CASE (x * 40503) % 6 WHEN 0 THEN 'PREMIUM' WHEN 1 THEN 'EXCELLENT'
                  WHEN 2 THEN 'VERY_GOOD' WHEN 3 THEN 'GOOD' WHEN 4 THEN 'FAIR' ELSE 'STALLONE' END,
             'FUNCTIONAL_GOOD', '1/B', 0, ?3, ?4",
        ),
    ] {
        let select = select
            .replace("{at}", &stamp("x + 300"))
            .replace("{draw}", draw);
        let sql = format!(
            "INSERT INTO {table} ({columns})
             WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < ?1 - 1)
             SELECT {select} FROM n WHERE {graded}"
        );
        let mut statement = tx.prepare(&sql)?;
        let params: Vec<Box<dyn rusqlite::ToSql>> = if table == "grades" {
            vec![
                Box::new(n),
                Box::new(station.clone()),
                Box::new(reasons.clone()),
                Box::new(inputs.clone()),
            ]
        } else {
            vec![Box::new(n), Box::new(station.clone())]
        };
        statement.execute(rusqlite::params_from_iter(params.iter()))?;
    }
    tx.commit()?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
