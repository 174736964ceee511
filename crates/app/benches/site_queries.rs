//! Site queries (issue 20, "Performance"): over 2,000,000 devices, lookup by IMEI p99 ≤ 5 ms and
//! the quality list's common filters p99 ≤ 100 ms, with keyset pages.
//!
//! One real PostgreSQL server (Debian's, started by refurbdesk-pg-test as an unprivileged user),
//! a site database at this build's schema. The records are generated inside the server with
//! `generate_series` (sparing the disk a station's files) into `records`, shaped as pushes write
//! them, in bulk with the row triggers off; then `site_rebuild()`, the set-wide statements the
//! schema 5 upgrade fills a site with, matches the devices and works out their summaries as the
//! triggers would have (`cargo test -p refurbdesk-site --test site -- devices` checks both give
//! the same list). Sixteen stations; one device in ten is read again at a second station (one
//! site device, two rows, two intakes); three in five are graded; one in twenty has a
//! certificate.
//!
//! Then, each timed over many keys through the same calls the CLI makes (`Site::find_devices`,
//! `Site::devices`, `Site::published_document`): lookup by IMEI (hits and misses), the quality
//! list unfiltered and with each common filter (first page, and a deep keyset page), and a
//! certificate by id. The peer, in the same run, is the list as schema version 4 answered it
//! (each device's latest intake worked out from the records at every call), on a smaller site,
//! since at 2,000,000 devices one call takes far longer than the target.
//!
//! ```sh
//! cargo bench -p refurbdesk-app --bench site_queries              # 2,000,000 devices
//! cargo bench -p refurbdesk-app --bench site_queries -- 50000      # a quick look
//! ```

use std::time::{Duration, Instant};

use refurbdesk_pg_test::PgServer;
use refurbdesk_site::{Site, SiteDeviceQuery};

const STATIONS: i64 = 16;
const PAGE: u32 = 100;
/// Devices of the smaller site the version 4 peer runs on.
const PEER_DEVICES: i64 = 20_000;

/// Fills `records` with `devices` site devices (and their second rows, intakes, grades and
/// certificates), in chunks so progress shows.
fn generate(client: &mut postgres::Client, devices: i64) {
    client
        .batch_execute(&format!(
            "INSERT INTO site_stations (station_id)
             SELECT ('00000000-0000-7000-8000-' || lpad(s::text, 12, '0'))::uuid
             FROM generate_series(0, {}) s",
            STATIONS - 1
        ))
        .expect("stations");
    // Functions of the generation only, dropped at the end.
    client
        .batch_execute(
            "CREATE FUNCTION g_station(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
               $$ SELECT ('00000000-0000-7000-8000-' || lpad((i % 16)::text, 12, '0'))::uuid $$;
             CREATE FUNCTION g_id(kind int, i bigint) RETURNS text LANGUAGE sql IMMUTABLE AS
               $$ SELECT '01a' || kind || '0000-0000-7000-8000-' || lpad(to_hex(i), 12, '0') $$;
             CREATE FUNCTION g_at(i bigint, minutes int) RETURNS text LANGUAGE sql IMMUTABLE AS
               $$ SELECT to_char(timestamp '2025-01-01' + i * interval '7 seconds'
                                 + minutes * interval '1 minute',
                                 'YYYY-MM-DD\"T\"HH24:MI:SS\".000000000Z\"') $$;",
        )
        .expect("generation functions");
    // Loaded in bulk: the site's row triggers off, then its rebuild below.
    client
        .batch_execute("ALTER TABLE records DISABLE TRIGGER USER")
        .expect("triggers off");
    let chunk = 100_000_i64;
    let started = Instant::now();
    let mut lo = 0_i64;
    while lo < devices {
        let hi = (lo + chunk).min(devices) - 1;
        // The device rows: one per device at its station, and a second row at the next
        // station for one device in ten (matched by IMEI to the same site device).
        client
            .batch_execute(&format!(
                "INSERT INTO records (station_id, entity, entity_id, seq, record)
                 SELECT g_station(i + k), 'device', g_id(1 + k, i), i,
                        jsonb_build_object('id', g_id(1 + k, i), 'category', 'phone',
                            'make', 'Apple', 'model', 'iPhone ' || (11 + i % 5),
                            'imei', '35' || lpad(i::text, 13, '0'),
                            'serial', 'F2LX' || lpad(i::text, 8, '0'),
                            'first_seen', g_at(i, 0))
                 FROM generate_series({lo}, {hi}) i,
                      LATERAL (SELECT 0 AS k UNION ALL SELECT 1 WHERE i % 10 = 0) extra;
                 INSERT INTO records (station_id, entity, entity_id, seq, record)
                 SELECT g_station(i + k), 'intake', g_id(3 + k, i), i,
                        jsonb_build_object('id', g_id(3 + k, i), 'device_id', g_id(1 + k, i),
                            'started_at', g_at(i, 60 * 24 * k), 'operator', 'op-' || (i % 40),
                            'battery_verdict', CASE WHEN i % 10 < 7 THEN 'pass'
                                                    WHEN i % 10 < 9 THEN 'replace'
                                                    ELSE 'consumed' END,
                            'soh_pct', 70 + (i % 30),
                            'lock_verdict', CASE i % 50 WHEN 0 THEN 'blocked'
                                                        WHEN 1 THEN 'unknown'
                                                        ELSE 'clear' END)
                 FROM generate_series({lo}, {hi}) i,
                      LATERAL (SELECT 0 AS k UNION ALL SELECT 1 WHERE i % 10 = 0) extra;
                 INSERT INTO records (station_id, entity, entity_id, seq, record)
                 SELECT g_station(i), 'grade', g_id(5, i), i,
                        jsonb_build_object('id', g_id(5, i), 'device_id', g_id(1, i),
                            'graded_at', g_at(i, 30),
                            'outcome', CASE i % 4 WHEN 0 THEN 'repair' WHEN 1 THEN 'recycle'
                                                  ELSE 'sellable' END,
                            'listing_grade', CASE i % 3 WHEN 0 THEN 'GOOD'
                                                        WHEN 1 THEN 'VERY_GOOD'
                                                        ELSE 'FAIR' END)
                 FROM generate_series({lo}, {hi}) i WHERE i % 5 < 3;
                 INSERT INTO records (station_id, entity, entity_id, seq, record)
                 SELECT g_station(i), 'certificate', g_id(7, i), i,
                        jsonb_build_object('id', g_id(7, i), 'kind', 'erasure_certificate',
                            'lang', 'en', 'signed_json', '{{}}', 'device_id', g_id(1, i),
                            'issued_at', g_at(i, 45))
                 FROM generate_series({lo}, {hi}) i WHERE i % 20 = 0;"
            ))
            .expect("a chunk of devices");
        lo = hi + 1;
        let rate = lo as f64 / started.elapsed().as_secs_f64();
        eprintln!(
            "  {lo} devices generated, {rate:.0} devices/s, {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    client
        .batch_execute(
            "DROP FUNCTION g_station(bigint); DROP FUNCTION g_id(int, bigint);
             DROP FUNCTION g_at(bigint, int); ALTER TABLE records ENABLE TRIGGER USER;",
        )
        .expect("triggers on");
    let rebuilt = Instant::now();
    client
        .batch_execute("SELECT site_rebuild()")
        .expect("devices matched and summarised");
    eprintln!(
        "  devices matched and summarised by site_rebuild() in {:.0} s",
        rebuilt.elapsed().as_secs_f64()
    );
    client.batch_execute("VACUUM ANALYZE").expect("analyse");
}

/// Milliseconds at the 50th, 95th and 99th percentiles.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let at = |p: f64| {
        let index = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[index].as_secs_f64() * 1_000.0
    };
    (at(0.50), at(0.95), at(0.99))
}

fn report(name: &str, samples: Vec<Duration>, target_ms: f64) {
    let count = samples.len();
    let (p50, p95, p99) = percentiles(samples);
    let verdict = if p99 <= target_ms { "✓" } else { "✗" };
    println!("| {name} | {count} | {p50:.2} | {p95:.2} | **{p99:.2}** {verdict} | ≤ {target_ms} |");
}

/// Times `call` once per key.
fn time<K>(keys: &[K], mut call: impl FnMut(&K) -> usize) -> Vec<Duration> {
    keys.iter()
        .map(|key| {
            let start = Instant::now();
            std::hint::black_box(call(key));
            start.elapsed()
        })
        .collect()
}

fn imei_of(i: i64) -> String {
    format!("35{i:013}")
}

/// The filters people set most, each as a query.
fn filters() -> Vec<(&'static str, SiteDeviceQuery)> {
    let page = SiteDeviceQuery {
        limit: Some(PAGE),
        ..SiteDeviceQuery::default()
    };
    vec![
        ("no filter", page.clone()),
        (
            "battery = replace",
            SiteDeviceQuery {
                battery_verdict: Some("replace".into()),
                ..page.clone()
            },
        ),
        (
            "lock = blocked",
            SiteDeviceQuery {
                lock_verdict: Some("blocked".into()),
                ..page.clone()
            },
        ),
        (
            "outcome = repair",
            SiteDeviceQuery {
                outcome: Some("repair".into()),
                ..page.clone()
            },
        ),
        (
            "grade = VERY_GOOD",
            SiteDeviceQuery {
                listing_grade: Some("VERY_GOOD".into()),
                ..page.clone()
            },
        ),
        (
            "operator = op-7",
            SiteDeviceQuery {
                operator: Some("op-7".into()),
                ..page.clone()
            },
        ),
        (
            "since 2025-02-01",
            SiteDeviceQuery {
                since: Some("2025-02-01T00:00:00.000000000Z".into()),
                ..page.clone()
            },
        ),
        (
            "battery = consumed and lock = unknown",
            SiteDeviceQuery {
                battery_verdict: Some("consumed".into()),
                lock_verdict: Some("unknown".into()),
                ..page
            },
        ),
    ]
}

/// The list as schema version 4 answered it: each device's latest intake worked out from every
/// record at each call (the peer).
const VERSION_4_LIST: &str = "
WITH intakes AS (
    SELECT r.station_id, r.entity_id AS intake_id, m.device_key,
           r.record ->> 'device_id' AS device_id, r.record ->> 'started_at' AS started_at,
           r.record ->> 'operator' AS operator, r.record ->> 'battery_verdict' AS battery_verdict,
           (r.record ->> 'soh_pct')::float8 AS soh_pct, r.record ->> 'lock_verdict' AS lock_verdict
    FROM records r
    JOIN site_device_rows m ON m.station_id = r.station_id AND m.device_id = r.record ->> 'device_id'
    WHERE r.entity = 'intake'
), latest AS (
    SELECT DISTINCT ON (device_key) * FROM intakes ORDER BY device_key, started_at DESC, intake_id DESC
), counted AS (
    SELECT device_key, count(*) AS intake_count FROM intakes GROUP BY device_key
), graded AS (
    SELECT DISTINCT ON (m.device_key) m.device_key, g.record ->> 'outcome' AS outcome,
           g.record ->> 'listing_grade' AS listing_grade
    FROM records g
    JOIN site_device_rows m ON m.station_id = g.station_id AND m.device_id = g.record ->> 'device_id'
    WHERE g.entity = 'grade'
    ORDER BY m.device_key, g.record ->> 'graded_at' DESC, g.entity_id DESC
)
SELECT l.device_key, l.intake_id
FROM latest l
JOIN site_devices d ON d.device_key = l.device_key
JOIN counted c ON c.device_key = l.device_key
LEFT JOIN graded g ON g.device_key = l.device_key
WHERE ($1::text IS NULL OR l.battery_verdict = $1)
  AND ($2::text IS NULL OR l.lock_verdict = $2)
ORDER BY l.started_at DESC, l.intake_id DESC
LIMIT 100";

fn main() {
    let devices: i64 = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(|arg| arg.parse().expect("a number of devices"))
        .unwrap_or(2_000_000);
    let server = PgServer::start();

    // The peer first, on a smaller site: the version 4 list against this build's.
    let peer_devices = PEER_DEVICES.min(devices);
    let peer_url = server.fresh_database();
    Site::connect(&peer_url)
        .expect("connects")
        .init()
        .expect("schema");
    let mut peer_client = postgres::Client::connect(&peer_url, postgres::NoTls).expect("connects");
    eprintln!("peer site: {peer_devices} devices");
    generate(&mut peer_client, peer_devices);
    let mut peer_site = Site::connect(&peer_url).expect("connects");
    let runs = 20;
    let old: Vec<Duration> = (0..runs)
        .map(|run| {
            let battery: Option<&str> = if run % 2 == 0 { None } else { Some("replace") };
            let start = Instant::now();
            let rows = peer_client
                .query(VERSION_4_LIST, &[&battery, &None::<String>])
                .expect("the version 4 list");
            std::hint::black_box(rows.len());
            start.elapsed()
        })
        .collect();
    let new: Vec<Duration> = (0..runs)
        .map(|run| {
            let query = SiteDeviceQuery {
                battery_verdict: (run % 2 == 1).then(|| "replace".to_owned()),
                limit: Some(PAGE),
                ..SiteDeviceQuery::default()
            };
            let start = Instant::now();
            std::hint::black_box(peer_site.devices(&query).expect("the list").len());
            start.elapsed()
        })
        .collect();
    println!("\n### Peer: the list over {peer_devices} devices, first page, unfiltered and battery = replace, {runs} calls each\n");
    println!("| list | p50 ms | p99 ms |\n| --- | --- | --- |");
    let (o50, _, o99) = percentiles(old);
    let (n50, _, n99) = percentiles(new);
    println!("| schema 4 (latest intake worked out at each call) | {o50:.1} | {o99:.1} |");
    println!("| schema 5 (summary kept by the server) | {n50:.2} | {n99:.2} |");
    drop(peer_client);

    // The site of the target's size.
    let url = server.fresh_database();
    Site::connect(&url)
        .expect("connects")
        .init()
        .expect("schema");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    eprintln!("site: {devices} devices");
    let generated = Instant::now();
    generate(&mut client, devices);
    let generation_s = generated.elapsed().as_secs_f64();
    let size: String = client
        .query_one(
            "SELECT pg_size_pretty(pg_database_size(current_database()))",
            &[],
        )
        .expect("size")
        .get(0);
    let counted: i64 = client
        .query_one("SELECT count(*) FROM site_devices", &[])
        .expect("count")
        .get(0);
    let mut site = Site::connect(&url).expect("connects");

    println!(
        "\n### {counted} site devices ({devices} generated, {size} on disk, loaded and rebuilt \
         in {generation_s:.0} s)\n"
    );
    println!("| query | calls | p50 ms | p95 ms | p99 ms | target |\n| --- | --- | --- | --- | --- | --- |");

    // What one round trip to this server costs, for scale.
    let tries: Vec<()> = vec![(); 1_000];
    let samples = time(&tries, |()| {
        client
            .query_one("SELECT 1", &[])
            .map(|_| 1)
            .expect("SELECT 1")
    });
    report("one round trip (SELECT 1), for scale", samples, 5.0);

    // Lookup by IMEI: spread over the whole site; misses too.
    let keys: Vec<String> = (0..1_000)
        .map(|n| imei_of((n * 7_919 + 13) % devices))
        .collect();
    let samples = time(&keys, |imei| {
        let found = site.find_devices(imei).expect("lookup");
        assert_eq!(found.len(), 1, "{imei}");
        found.len()
    });
    report("lookup by IMEI (hit, with rows and intakes)", samples, 5.0);
    let misses: Vec<String> = (0..1_000).map(|n| format!("99{n:013}")).collect();
    let samples = time(&misses, |imei| {
        site.find_devices(imei).expect("lookup").len()
    });
    report("lookup by IMEI (miss)", samples, 5.0);

    // The quality list, each filter: the first page, then a deep page by keyset.
    for (name, query) in filters() {
        let tries: Vec<()> = vec![(); 100];
        let samples = time(&tries, |()| site.devices(&query).expect("a page").len());
        report(&format!("list, {name}, first page"), samples, 100.0);
        // A page deep in the list: after the last row of the first page met 50 pages down.
        let mut deep = query.clone();
        deep.offset = 50 * PAGE;
        let start = site.devices(&deep).expect("a deep page");
        if let Some(last) = start.last() {
            let keyset = SiteDeviceQuery {
                after: Some(last.last_intake_id.clone()),
                ..query.clone()
            };
            let samples = time(&tries, |()| site.devices(&keyset).expect("a page").len());
            report(&format!("list, {name}, page 51 by keyset"), samples, 100.0);
        }
    }

    // A certificate by id, as the verification page reads it.
    let ids: Vec<String> = (0..1_000)
        .map(|n| {
            format!(
                "01a70000-0000-7000-8000-{:012x}",
                ((n * 7_919) % devices) / 20 * 20
            )
        })
        .collect();
    let samples = time(&ids, |id| {
        site.published_document(id)
            .expect("lookup")
            .map_or(0, |_| 1)
    });
    report("certificate by id (verification page)", samples, 5.0);
    server.stop();
}
