//! Live replication lag (issue 20, "Performance"): 16 stations each recording 10 intakes a second
//! for 5 minutes, each replicating into one site database in the background as a running station
//! does (`app::replication`, the interval it ships with); the lag of an intake is the time from its
//! recording at the station to the moment the site's mark for that station covers it. Target: p99
//! ≤ 2 s.
//!
//! A real PostgreSQL server (Debian's, started by refurbdesk-pg-test as an unprivileged user) and
//! real SQLite files. The marks are read every 20 ms, so lags are known to ±20 ms. The peer, in the
//! same run, is the same load replicated every 5 s (the interval `site push` uses by default)
//! for a shorter time. Not run in CI:
//!
//! ```sh
//! cargo bench -p refurbdesk-app --bench site_live                  # 16 stations, 10/s, 300 s; peer 60 s
//! cargo bench -p refurbdesk-app --bench site_live -- 4 10 20 10     # stations, rate, seconds, peer seconds
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use refurbdesk_app::replication::{Replication, PUSH_INTERVAL};
use refurbdesk_app::site::{self, SiteParams};
use refurbdesk_app::DataPaths;
use refurbdesk_domain::{
    assess_battery, assess_lock, luhn_valid, AccountLock, ActivationLock, BatteryPolicy,
    BatteryReading, CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading,
    MdmState,
};
use refurbdesk_pg_test::PgServer;
use refurbdesk_store::{BenchInfo, NewIntake, Store, TestRecord};
use uuid::Uuid;

fn imei(body: u64) -> String {
    let body = format!("{body:014}");
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit passes")
}

/// Phone `n` of station `station`, read on a bench: a distinct IMEI each, with evidence lines as
/// a real bench transcript has.
fn intake(station: u64, n: u64) -> NewIntake {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    identity.imei = Some(imei(35_000_000_000_000 + station * 10_000_000 + n));
    identity.imei_valid = Some(true);
    identity.storage_gb = Some(128);
    let battery = assess_battery(
        &BatteryReading {
            present: Some(true),
            design_mah: Some(2_815),
            full_mah: Some(2_500),
            cycles: Some(300),
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
    NewIntake {
        bench: BenchInfo {
            serial: format!("PB8-{station:04}"),
            vendor: "Acme".into(),
            model: "PB-8".into(),
            fw: "1.4.2".into(),
            port: "/dev/ttyACM0".into(),
        },
        slot: (n % 8 + 1) as u16,
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
        evidence: Vec::new(),
        started_at: now - chrono::Duration::seconds(90),
        finished_at: now,
        operator: "bench".into(),
    }
}

/// Per station, (audit sequence number, when): recorded at the station, or seen covered by the
/// site's mark.
type PerStation = Arc<Vec<Mutex<Vec<(i64, Instant)>>>>;

struct Outcome {
    recorded: usize,
    lags: Vec<Duration>,
    not_arrived: usize,
}

/// Runs `stations` stations recording `rate` intakes a second each for `seconds`, replicating
/// every `interval`; returns every intake's lag.
fn run(stations: u64, rate: u64, seconds: u64, interval: Duration) -> Outcome {
    let server = PgServer::shared();
    let url = server.fresh_database();
    let site_params = SiteParams {
        url: Some(url.clone()),
    };
    site::init(&site_params).expect("site schema");
    let dir = tempfile::tempdir().expect("temporary folder");

    // Each station: its own database, its own replication, and the (seq, time) of each intake.
    let mut ids: HashMap<Uuid, usize> = HashMap::new();
    let mut paths = Vec::new();
    for index in 0..stations {
        let data = dir.path().join(format!("station{index}"));
        std::fs::create_dir_all(&data).expect("station folder");
        let station = DataPaths::under(data.clone(), Some(&data.join("station.sqlite")));
        let store = Store::open(&station.database).expect("station database");
        ids.insert(store.station_id(), index as usize);
        paths.push(station);
    }
    let recorded: PerStation = Arc::new((0..stations).map(|_| Mutex::new(Vec::new())).collect());
    let arrived: PerStation = Arc::new((0..stations).map(|_| Mutex::new(Vec::new())).collect());
    let replications: Vec<Replication> = paths
        .iter()
        .map(|station| Replication::start(station, Some(&url), interval).expect("a site is named"))
        .collect();

    // The site's marks, read every 20 ms: when a station's mark first covers a sequence number.
    let watching = Arc::new(AtomicBool::new(true));
    let watcher = {
        let (watching, arrived, url) = (watching.clone(), arrived.clone(), url.clone());
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("watcher");
            let mut last: HashMap<usize, i64> = HashMap::new();
            while watching.load(Ordering::SeqCst) {
                let now = Instant::now();
                for row in client
                    .query(
                        "SELECT station_id, max(last_seq) FROM site_marks GROUP BY station_id",
                        &[],
                    )
                    .expect("marks")
                {
                    let station: Uuid = row.get(0);
                    let mark: i64 = row.get(1);
                    let Some(&index) = ids.get(&station) else {
                        continue;
                    };
                    if last.get(&index) != Some(&mark) {
                        last.insert(index, mark);
                        arrived[index].lock().unwrap().push((mark, now));
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };

    // The stations record at their rate, each on its own thread and connection.
    let period = Duration::from_secs_f64(1.0 / rate as f64);
    let recorders: Vec<_> = paths
        .iter()
        .enumerate()
        .map(|(index, station)| {
            let (database, recorded) = (station.database.clone(), recorded.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&database).expect("recorder");
                let start = Instant::now();
                let count = rate * seconds;
                for n in 0..count {
                    let due = start + period.mul_f64(n as f64);
                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                        std::thread::sleep(wait);
                    }
                    store
                        .record_intake(&intake(index as u64, n))
                        .expect("intake recorded");
                    let head = store.audit_head().expect("head");
                    recorded[index].lock().unwrap().push((head, Instant::now()));
                }
            })
        })
        .collect();
    for recorder in recorders {
        recorder.join().expect("recorder");
    }
    // Let replication catch up (at most a few intervals), then stop everything.
    std::thread::sleep(interval * 3);
    watching.store(false, Ordering::SeqCst);
    watcher.join().expect("watcher");
    drop(replications);

    let mut lags = Vec::new();
    let mut not_arrived = 0;
    let mut total = 0;
    for index in 0..stations as usize {
        let marks = arrived[index].lock().unwrap();
        for &(seq, at) in recorded[index].lock().unwrap().iter() {
            total += 1;
            match marks.iter().find(|(mark, _)| *mark >= seq) {
                Some(&(_, seen)) => lags.push(seen.saturating_duration_since(at)),
                None => not_arrived += 1,
            }
        }
    }
    lags.sort();
    Outcome {
        recorded: total,
        lags,
        not_arrived,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(
    name: &str,
    stations: u64,
    rate: u64,
    seconds: u64,
    interval: Duration,
    outcome: &Outcome,
) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: {stations} stations x {rate} intakes/s for {seconds} s, pushing every {:.1} s: \
         {} intakes, {} not on the site at the end; lag p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, \
         max {:.0} ms (target p99 <= 2000 ms)",
        interval.as_secs_f64(),
        outcome.recorded,
        outcome.not_arrived,
        ms(percentile(&outcome.lags, 50.0)),
        ms(percentile(&outcome.lags, 95.0)),
        ms(percentile(&outcome.lags, 99.0)),
        ms(percentile(&outcome.lags, 100.0)),
    );
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let stations = args.first().copied().unwrap_or(16);
    let rate = args.get(1).copied().unwrap_or(10);
    let seconds = args.get(2).copied().unwrap_or(300);
    let peer_seconds = args.get(3).copied().unwrap_or(60);

    let shipped = run(stations, rate, seconds, PUSH_INTERVAL);
    report(
        "as shipped",
        stations,
        rate,
        seconds,
        PUSH_INTERVAL,
        &shipped,
    );
    if peer_seconds > 0 {
        let every = Duration::from_secs(5);
        let peer = run(stations, rate, peer_seconds, every);
        report("peer", stations, rate, peer_seconds, every, &peer);
    }
}
