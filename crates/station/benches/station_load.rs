//! Load benchmark: 32 simulated benches × 8 slots (256 devices) on real pseudo-terminals through one
//! station into one SQLite file. Measures the station process alone (the benches run in a child
//! process): CPU per device, record latency per device, idle CPU, peak RSS.
//!
//! Run: `cargo bench -p refurbdesk-station --bench station_load [-- BENCHES]`

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use refurbdesk_bench_sim::{Scenario, SimBench, SimOptions};
use refurbdesk_station::{run_station, StationConfig, StationEvent, StationHandle};
use refurbdesk_store::{DeviceFilter, Store};

const SLOTS: u16 = 8;

fn luhn_check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

fn imei(bench: usize, slot: u16) -> String {
    let body = format!("35672811{:04}{:02}", bench, slot);
    format!("{body}{}", luhn_check_digit(&body))
}

/// A full 8-slot phone bench whose devices have unique IMEIs and serials.
fn scenario(bench: usize) -> String {
    scenario_timed(bench, "response_ms = 2\ndevice_ms = 6\ntest_ms = 30")
}

fn scenario_timed(bench: usize, timing: &str) -> String {
    let mut text = format!(
        "[bench]\nvendor = \"Acme\"\nmodel = \"PB-8\"\nserial = \"LOAD-{bench:03}\"\nfw = \"1.4.2\"\nslots = {SLOTS}\n\
         [timing]\n{timing}\n"
    );
    for slot in 1..=SLOTS {
        text.push_str(&format!(
            "[[device]]\nslot = {slot}\n\
             ident = {{ category = \"phone\", make = \"Apple\", model = \"iPhone 12\", model_code = \"iPhone13,2\", serial = \"F17L{bench:03}{slot:02}XYZ\", imei = \"{}\", storage_gb = \"128\" }}\n\
             battery = {{ present = \"yes\", design_mah = \"2815\", full_mah = \"{}\", cycles = \"{}\", source = \"gasgauge\" }}\n\
             lock = {{ activation = \"unlocked\", account = \"none\", mdm = \"none\", carrier = \"unlocked\" }}\n\
             tests = {{ power = \"PASS\", charge = \"PASS\", wifi = \"PASS\", bluetooth = \"PASS\", display = \"PASS\" }}\n",
            imei(bench, slot),
            2300 + slot as u32 * 17,
            300 + bench as u32,
        ));
    }
    text
}

/// Child mode: serve the benches until stdin closes.
fn serve(count: usize, dir: &Path) {
    let mut benches = Vec::new();
    for bench in 0..count {
        let scenario = Scenario::from_toml(&scenario(bench), "load").expect("scenario");
        let link = dir.join(format!("bench{bench}"));
        benches.push(SimBench::start(scenario, &link, SimOptions::default()).expect("sim starts"));
    }
    println!("ready");
    std::io::stdout().flush().ok();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// (user + system) CPU time of this process.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("procfs");
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / 100.0)
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--serve") {
        serve(args[2].parse().unwrap(), Path::new(&args[3]));
        return;
    }
    let count: usize = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(32);
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(&args[0])
        .args(["--serve", &count.to_string(), dir.path().to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the bench host");
    let mut ready = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut ready)
        .unwrap();
    assert_eq!(ready.trim(), "ready");
    let ports: Vec<PathBuf> = (0..count)
        .map(|b| dir.path().join(format!("bench{b}")))
        .collect();

    let db = dir.path().join("load.sqlite");
    let store = Arc::new(Mutex::new(Store::open(&db).unwrap()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let expected = count * SLOTS as usize;
    let (cpu_busy, wall, latencies, cpu_idle) = runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let (handle, stop) = StationHandle::new();
        let config = StationConfig::new(ports, "bench");
        let cpu_start = cpu_time();
        let started = Instant::now();
        let station = tokio::spawn(run_station(config, store.clone(), tx, stop));
        let mut intake_started = std::collections::HashMap::new();
        let mut latencies = Vec::new();
        while latencies.len() < expected {
            match tokio::time::timeout(Duration::from_secs(120), rx.recv()).await {
                Ok(Some(StationEvent::SlotChanged {
                    port, slot, phase, ..
                })) => {
                    if phase == refurbdesk_station::SlotPhase::Intake {
                        intake_started.insert((port, slot), Instant::now());
                    }
                }
                Ok(Some(StationEvent::IntakeRecorded { port, slot, .. })) => {
                    if let Some(at) = intake_started.remove(&(port, slot)) {
                        latencies.push(at.elapsed());
                    }
                }
                Ok(Some(StationEvent::IntakeFailed { error, .. })) => {
                    panic!("intake failed: {error}")
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => panic!("station stalled after {} intakes", latencies.len()),
            }
        }
        let wall = started.elapsed();
        let cpu_busy = cpu_time() - cpu_start;
        // Idle: every slot recorded, nothing happening.
        let idle_start = cpu_time();
        tokio::time::sleep(Duration::from_secs(10)).await;
        let cpu_idle = cpu_time() - idle_start;
        handle.stop();
        let _ = station.await;
        (cpu_busy, wall, latencies, cpu_idle)
    });
    drop(child.stdin.take());
    let _ = child.wait();

    let store = store.lock().unwrap();
    let rows = store.list_devices(&DeviceFilter::default()).unwrap();
    assert_eq!(rows.len(), expected, "every device recorded once");
    for row in &rows {
        let intake = store.latest_intake(row.id).unwrap().unwrap();
        let bench: usize = intake.bench.serial[5..].parse().unwrap();
        assert_eq!(
            intake.identity.imei.as_deref(),
            Some(imei(bench, intake.slot).as_str())
        );
        assert_eq!(
            intake.battery.reading.full_mah,
            Some(2300 + intake.slot as u32 * 17)
        );
        assert_eq!(intake.tests.len(), 5);
    }
    let mut latencies = latencies;
    latencies.sort();
    println!("benches: {count}, devices: {expected}, all recorded with the bench's values");
    println!("wall time to record all: {:.2} s", wall.as_secs_f64());
    println!(
        "station CPU while busy: {:.2} s = {:.2} ms per device (mean, all threads)",
        cpu_busy.as_secs_f64(),
        cpu_busy.as_secs_f64() * 1000.0 / expected as f64
    );
    println!(
        "intake latency (placed → recorded, includes bench time): p50 {:.0} ms, p99 {:.0} ms",
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0
    );
    println!(
        "station CPU while idle: {:.3} % of a core over 10 s",
        cpu_idle.as_secs_f64() * 10.0
    );
    println!("station peak RSS: {:.1} MiB", peak_rss_mib());
    drop(store);
    host_time_per_intake(dir.path());
}

struct HostTime {
    wall: Duration,
    cpu: Duration,
    record_wall: Duration,
}

/// CPU time consumed by the calling thread so far.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the valid, exclusively borrowed `now`.
    let result = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(result, 0, "CLOCK_THREAD_CPUTIME_ID is available on Linux");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Upper bound of the station's own time per device: intakes one after another against a bench that
/// answers at once (zero response, device and test times), each read and recorded exactly as the
/// station does. What remains is our work plus the simulator's and the PTY's, never less than ours.
fn host_time_per_intake(dir: &Path) {
    const ROUNDS: usize = 32;
    let scenario = Scenario::from_toml(
        &scenario_timed(999, "response_ms = 0\ndevice_ms = 0\ntest_ms = 0"),
        "zero",
    )
    .unwrap();
    let link = dir.join("zero-bench");
    let _bench = SimBench::start(scenario, &link, SimOptions::default()).unwrap();
    let mut store = Store::open(&dir.join("zero.sqlite")).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let times = runtime.block_on(async {
        let (link, _) = refurbdesk_bench::BenchLink::connect(&link, Default::default())
            .await
            .unwrap();
        let options = refurbdesk_station::IntakeOptions::default();
        let mut times = Vec::new();
        for _ in 0..ROUNDS {
            for slot in 1..=SLOTS {
                let started = Instant::now();
                let cpu_started = thread_cpu_time();
                let reading = refurbdesk_station::run_intake(&link, slot, &options)
                    .await
                    .unwrap();
                let record_started = Instant::now();
                refurbdesk_station::record_reading(&mut store, &reading, "bench").unwrap();
                let record_wall = record_started.elapsed();
                let cpu = thread_cpu_time() - cpu_started;
                times.push(HostTime {
                    wall: started.elapsed(),
                    cpu,
                    record_wall,
                });
            }
        }
        times
    });
    // The station's own time per device: the CPU its thread spent (the intake's parsing, verdicts,
    // bookkeeping and the SQLite write, but none of the bench's or the simulator's work, which run
    // on other threads), plus the time the write waited for the disk beyond its CPU.
    let mut own: Vec<Duration> = times.iter().map(|t| t.cpu.max(t.record_wall)).collect();
    let mut cpu: Vec<Duration> = times.iter().map(|t| t.cpu).collect();
    let mut record: Vec<Duration> = times.iter().map(|t| t.record_wall).collect();
    own.sort();
    cpu.sort();
    record.sort();
    println!(
        "station's own time per device (its thread's CPU, or the database write's wall time when longer): \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; CPU alone p50 {:.2} ms, p99 {:.2} ms; \
         database write (wall, WAL commit) p50 {:.2} ms, p99 {:.2} ms",
        percentile(&own, 0.5).as_secs_f64() * 1000.0,
        percentile(&own, 0.99).as_secs_f64() * 1000.0,
        own.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        percentile(&cpu, 0.5).as_secs_f64() * 1000.0,
        percentile(&cpu, 0.99).as_secs_f64() * 1000.0,
        percentile(&record, 0.5).as_secs_f64() * 1000.0,
        percentile(&record, 0.99).as_secs_f64() * 1000.0,
    );
    let mut times: Vec<Duration> = times.iter().map(|t| t.wall).collect();
    times.sort();
    println!(
        "host time per device, zero-latency bench, {} intakes one after another (10 requests + 5 tests each, \
         upper bound incl. simulator and PTY): p50 {:.2} ms, p99 {:.2} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0
    );
}
