//! The desktop benchmark (`scripts/bench-desktop`, figures in docs/performance.md): the real app in
//! the real WebKitGTK webview under Xvfb, through tauri-driver, as the end-to-end tests drive it.
//!
//! 1. Cold start: from the app process's start (its `/proc/PID/stat` start time) to the first
//!    painted frame where the station screen shows a tile that takes the keyboard focus.
//! 2. Input latency under load: 64 simulated slots each changing state ten times a second
//!    (`REFURBDESK_SIM_LOAD`), an arrow key pressed on a tile through WebDriver, timed in the page
//!    from the key event to the frame after the focus moved; with coalescing on (the shell sends
//!    one batch of changed slots per interval, the page renders once per frame), and off as the
//!    peer (`REFURBDESK_BENCHMARK_COALESCE=off` for the shell: one message per station event;
//!    `refurbdesk.benchmark.coalesce` for the page: one render per message).
//! 3. Memory: proportional set size (`/proc/PID/smaps_rollup`) of the app and every process
//!    under it (WebKit's web and network processes), after the load has run.
//!
//! Not a test: `cargo bench -p refurbdesk-e2e --bench desktop -- --app PATH` or the script.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use refurbdesk_e2e::{target_dir, DesktopSession};
use serde_json::json;

const ARROW_RIGHT: char = '\u{E014}';
const ARROW_LEFT: char = '\u{E012}';

struct Options {
    app: PathBuf,
    cold_runs: usize,
    load: String,
    load_slots: usize,
    warmup: Duration,
    presses: usize,
    variants: Vec<bool>,
}

fn usage() -> ! {
    eprintln!(
        "usage: desktop --bench [--app PATH] [--cold-runs N] [--load SLOTSxCHANGES] \
         [--warmup-s S] [--presses N] [--only coalesced|uncoalesced|cold]\n\
         default app: target/release/refurbdesk-desktop, else target/debug/refurbdesk-desktop"
    );
    std::process::exit(2)
}

fn options() -> Option<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --all-targets` would run this binary too, without `--bench`: nothing to do then.
    if !args.iter().any(|a| a == "--bench") {
        println!("the desktop benchmark runs with --bench (scripts/bench-desktop); skipped");
        return None;
    }
    let release = target_dir().join("release/refurbdesk-desktop");
    let mut options = Options {
        app: if release.is_file() {
            release
        } else {
            target_dir().join("debug/refurbdesk-desktop")
        },
        cold_runs: 10,
        load: "64x10".into(),
        load_slots: 64,
        warmup: Duration::from_secs(5),
        presses: 150,
        variants: vec![true, false],
    };
    let mut args = args.into_iter().filter(|a| a != "--bench");
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--app" => options.app = PathBuf::from(value()),
            "--cold-runs" => options.cold_runs = value().parse().unwrap_or_else(|_| usage()),
            "--load" => {
                options.load = value();
                options.load_slots = options
                    .load
                    .split(['x', 'X'])
                    .next()
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or_else(|| usage());
            }
            "--warmup-s" => {
                options.warmup = Duration::from_secs(value().parse().unwrap_or_else(|_| usage()))
            }
            "--presses" => options.presses = value().parse().unwrap_or_else(|_| usage()),
            "--only" => {
                options.variants = match value().as_str() {
                    "coalesced" => vec![true],
                    "uncoalesced" => vec![false],
                    "cold" => vec![],
                    _ => usage(),
                }
            }
            _ => usage(),
        }
    }
    Some(options)
}

fn main() {
    let Some(options) = options() else {
        return;
    };
    let app = options
        .app
        .canonicalize()
        .unwrap_or_else(|_| panic!("no desktop app at {}", options.app.display()));
    println!("desktop benchmark: {}", app.display());
    println!("machine: {}", machine());
    println!(
        "compositing: {} (REFURBDESK_COMPOSITING; auto: off without a GPU, as shipped)",
        compositing().display()
    );

    let cold = cold_starts(&app, options.cold_runs);
    let mut loaded = Vec::new();
    for &coalesced in &options.variants {
        loaded.push(load_run(&app, &options, coalesced));
    }

    println!();
    println!("== summary ==");
    let starts: Vec<f64> = cold.iter().map(|c| c.usable_ms).collect();
    println!(
        "cold start to a usable station (process start -> painted, focusable tile), {} runs: \
         median {:.0} ms, max {:.0} ms (target <= 1500 ms){}",
        starts.len(),
        percentile(&starts, 50.0),
        max(&starts),
        if cold.iter().any(|c| c.already_there) {
            format!(
                "; in {} run(s) the tile was there before the probe ran (upper bound)",
                cold.iter().filter(|c| c.already_there).count()
            )
        } else {
            String::new()
        }
    );
    let idle: Vec<f64> = cold.iter().map(|c| c.pss_mib).collect();
    println!(
        "memory after a cold start on the three built-in benches (PSS, app + WebKit): median {:.0} MiB",
        percentile(&idle, 50.0)
    );
    for run in &loaded {
        println!(
            "{}: {} slots, {:.0} tile state changes/s seen (= {:.1} per slot), {} presses: \
             key event -> painted p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (target <= 50 ms); \
             through WebDriver p50 {:.1}, p95 {:.1}, max {:.1} ms; PSS after {:.0} s of load {:.0} MiB \
             (target <= 250 MB)",
            if run.coalesced {
                "coalesced per frame"
            } else {
                "peer, coalescing off"
            },
            run.tiles,
            run.changes_per_s,
            run.changes_per_s / run.tiles.max(1) as f64,
            run.latency.len(),
            percentile(&run.latency, 50.0),
            percentile(&run.latency, 95.0),
            max(&run.latency),
            percentile(&run.outside, 50.0),
            percentile(&run.outside, 95.0),
            max(&run.outside),
            run.load_s,
            run.pss_mib,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Cold start

struct ColdStart {
    usable_ms: f64,
    already_there: bool,
    pss_mib: f64,
}

/// Waits, frame by frame, for the station screen with a tile that takes the focus, then for that
/// frame to be painted; answers the wall-clock time of the paint and whether the tile was there
/// when the probe first looked (then the time is an upper bound).
const READY_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
let first = true;
let already = false;
const painted = () => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => done({ at: performance.timeOrigin + performance.now(), already });
  channel.port2.postMessage(0);
};
const look = () => {
  const tile = document.querySelector('[data-testid="station"] [data-tile]');
  if (tile !== null) {
    tile.focus();
    if (document.activeElement === tile) {
      already = first;
      requestAnimationFrame(painted);
      return;
    }
  }
  first = false;
  requestAnimationFrame(look);
};
look();
"#;

fn cold_starts(app: &Path, runs: usize) -> Vec<ColdStart> {
    println!();
    println!("== cold start ({runs} runs, --simulate: the three built-in benches) ==");
    let mut results = Vec::new();
    for run in 1..=runs {
        let data = scratch_dir(&format!("cold-{run}"));
        let db = data.join("station.sqlite");
        let asked = epoch_ms();
        let session = DesktopSession::start(
            app,
            &["--simulate"],
            &[
                ("XDG_DATA_HOME", data.as_path()),
                ("REFURBDESK_DB", db.as_path()),
                ("REFURBDESK_COMPOSITING", compositing().as_path()),
            ],
        )
        .expect("start the desktop app under WebDriver");
        let session_ready = epoch_ms();
        let ready = session
            .execute_async(READY_PROBE, json!([]))
            .expect("the station screen becomes usable");
        let painted = ready["at"].as_f64().expect("a time");
        let already = ready["already"].as_bool().unwrap_or(false);
        let app_pid = app_process(session.driver_pid()).expect("the app's process");
        let started = process_start_epoch_ms(app_pid).expect("the app's start time");
        let usable = painted - started;
        // Memory once the built-in benches have been read, as a person would first see it.
        std::thread::sleep(Duration::from_secs(3));
        let pss = pss_tree(app_pid);
        let total: u64 = pss.iter().map(|(_, _, kib)| kib).sum();
        println!(
            "run {run}: usable {usable:.0} ms after the app process started{}; \
             WebDriver asked -> session {:.0} ms, process start -> painted {:.0} ms after asking; \
             PSS after 3 s {:.1} MiB",
            if already {
                " (tile already there: upper bound)"
            } else {
                ""
            },
            session_ready - asked,
            painted - asked,
            total as f64 / 1024.0
        );
        for (_, name, kib) in &pss {
            println!("  {name}: {:.1} MiB", *kib as f64 / 1024.0);
        }
        results.push(ColdStart {
            usable_ms: usable,
            already_there: already,
            pss_mib: total as f64 / 1024.0,
        });
        drop(session);
        let _ = std::fs::remove_dir_all(&data);
    }
    results
}

// ---------------------------------------------------------------------------------------------
// Input latency under load, and memory after it

struct LoadRun {
    coalesced: bool,
    tiles: usize,
    changes_per_s: f64,
    /// In the page: key event's time stamp -> the frame after the focus moved, painted.
    latency: Vec<f64>,
    /// From just before the WebDriver key action was sent to the same paint (includes
    /// tauri-driver and WebKitWebDriver).
    outside: Vec<f64>,
    load_s: f64,
    pss_mib: f64,
}

/// Installs, once, what the latency measurement reads: for each arrow key on a tile, the key
/// event's time stamp, when the handler ran, when the focus moved, and when the next frame after
/// it was painted (a message posted from that frame's requestAnimationFrame callback runs once the
/// frame is rendered); and a count of tile state changes.
const LATENCY_PROBE: &str = r#"
if (window.__bench === undefined) {
  const bench = { samples: [], pending: null, changes: 0, frames: 0, notify: null };
  window.__bench = bench;
  const frame = () => { bench.frames += 1; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    bench.pending = { stamp: event.timeStamp, handler: performance.now() };
  }, true);
  document.addEventListener('focusin', (event) => {
    const pending = bench.pending;
    if (pending === null || !(event.target instanceof HTMLElement) || !event.target.hasAttribute('data-tile')) return;
    bench.pending = null;
    const focused = performance.now();
    requestAnimationFrame(() => {
      const frame = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const painted = performance.now();
        bench.samples.push({ ...pending, focused, frame, painted, epoch: performance.timeOrigin + painted });
        if (bench.notify !== null) { const notify = bench.notify; bench.notify = null; notify(); }
      };
      channel.port2.postMessage(0);
    });
  }, true);
  new MutationObserver((records) => { bench.changes += records.length; })
    .observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}
return true;
"#;

/// Waits until the page has more than `arguments[0]` samples; answers the newest.
const NEXT_SAMPLE: &str = r#"
const done = arguments[arguments.length - 1];
const bench = window.__bench;
const wanted = arguments[0];
const answer = () => done(bench.samples[bench.samples.length - 1]);
if (bench.samples.length > wanted) answer();
else bench.notify = answer;
"#;

/// The app's compositing choice as shipped (`auto`: off without a GPU), unless the environment
/// names one (`REFURBDESK_COMPOSITING=on` measures the app with WebKit's compositing on). The
/// end-to-end harness keeps it on by default, for its screenshots.
fn compositing() -> PathBuf {
    PathBuf::from(std::env::var_os("REFURBDESK_COMPOSITING").unwrap_or_else(|| "auto".into()))
}

fn load_run(app: &Path, options: &Options, coalesced: bool) -> LoadRun {
    let name = if coalesced {
        "coalesced"
    } else {
        "uncoalesced"
    };
    println!();
    println!(
        "== load {}: {} ({}) ==",
        options.load,
        name,
        if coalesced {
            "the app as shipped"
        } else {
            "peer: one message and one render per station event"
        }
    );
    let data = scratch_dir(&format!("load-{name}"));
    let db = data.join("station.sqlite");
    let load = std::ffi::OsString::from(&options.load);
    // The shell's side of the switch: one batch per station event when off; coalesced, the
    // environment's value (milliseconds between batches) when it names one, else the default.
    let shell_switch = PathBuf::from(match std::env::var_os("REFURBDESK_BENCHMARK_COALESCE") {
        Some(value) if coalesced => value,
        _ => (if coalesced { "on" } else { "off" }).into(),
    });
    let session = DesktopSession::start(
        app,
        &["--simulate"],
        &[
            ("XDG_DATA_HOME", data.as_path()),
            ("REFURBDESK_DB", db.as_path()),
            ("REFURBDESK_SIM_LOAD", Path::new(&load)),
            ("REFURBDESK_BENCHMARK_COALESCE", shell_switch.as_path()),
            ("REFURBDESK_COMPOSITING", compositing().as_path()),
        ],
    )
    .expect("start the desktop app with the simulated load");
    let load_started = Instant::now();
    session
        .wait_for("[data-testid=\"station\"]", Duration::from_secs(60))
        .expect("the station screen");
    // The switch is read once, when the station feed starts: set it, then start the page again.
    session
        .execute(
            "localStorage.setItem('refurbdesk.benchmark.coalesce', arguments[0]); location.reload(); return true;",
            json!([if coalesced { "on" } else { "off" }]),
        )
        .expect("set the coalescing switch");
    std::thread::sleep(Duration::from_millis(500));
    let tiles_css = "[data-testid^=\"slot-LD8-\"]";
    let deadline = Instant::now() + Duration::from_secs(60);
    let tiles = loop {
        let count = session
            .execute(
                "return document.querySelectorAll(arguments[0]).length;",
                json!([tiles_css]),
            )
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as usize;
        if count >= options.load_slots {
            break count;
        }
        assert!(
            Instant::now() < deadline,
            "only {count} of the load's {} tiles appeared: does this build know REFURBDESK_SIM_LOAD? \
             (rebuild the desktop app)",
            options.load_slots
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let switch = session
        .execute(
            "return localStorage.getItem('refurbdesk.benchmark.coalesce');",
            json!([]),
        )
        .expect("read the switch back");
    println!(
        "{tiles} tiles on screen, switch = {switch}; warming up {} s",
        options.warmup.as_secs()
    );
    std::thread::sleep(options.warmup);

    session
        .execute(LATENCY_PROBE, json!([]))
        .expect("install the latency probe");
    // How many tile state changes the screen shows a second.
    let counters = |s: &DesktopSession| {
        let value = s
            .execute(
                "return [window.__bench.changes, window.__bench.frames];",
                json!([]),
            )
            .unwrap_or_default();
        (
            value[0].as_f64().unwrap_or(0.0),
            value[1].as_f64().unwrap_or(0.0),
        )
    };
    let (changes_before, frames_before) = counters(&session);
    let counted = Instant::now();
    std::thread::sleep(Duration::from_secs(5));
    let (changes_after, frames_after) = counters(&session);
    let seconds = counted.elapsed().as_secs_f64();
    let changes_per_s = (changes_after - changes_before) / seconds;
    println!(
        "{changes_per_s:.0} tile state changes a second on screen, {:.1} frames a second",
        (frames_after - frames_before) / seconds
    );

    session
        .execute(
            "const t = document.querySelector(arguments[0]); t.focus(); return document.activeElement === t;",
            json!([tiles_css]),
        )
        .expect("focus the first tile");
    let mut latency = Vec::new();
    let mut outside = Vec::new();
    let mut handler_wait = Vec::new();
    let mut jitter = 0x2545_f491_u32;
    for press in 0..options.presses {
        // Right along the first bench's row and back, so the focus always has somewhere to go.
        let key = if (press / 6) % 2 == 0 {
            ARROW_RIGHT
        } else {
            ARROW_LEFT
        };
        let sent = epoch_ms();
        session.press_key(key).expect("press an arrow key");
        let sample = session
            .execute_async(NEXT_SAMPLE, json!([press]))
            .expect("the focus moved and was painted");
        let painted = sample["painted"].as_f64().unwrap_or(f64::NAN);
        let stamp = sample["stamp"].as_f64().unwrap_or(f64::NAN);
        let handler = sample["handler"].as_f64().unwrap_or(f64::NAN);
        latency.push(painted - stamp);
        handler_wait.push(handler - stamp);
        outside.push(sample["epoch"].as_f64().unwrap_or(f64::NAN) - sent);
        // A person's pace, not a metronome: 60–160 ms between presses.
        jitter ^= jitter << 13;
        jitter ^= jitter >> 17;
        jitter ^= jitter << 5;
        std::thread::sleep(Duration::from_millis(60 + u64::from(jitter % 100)));
    }
    let load_s = load_started.elapsed().as_secs_f64();
    let app_pid = app_process(session.driver_pid()).expect("the app's process");
    let pss = pss_tree(app_pid);
    let total: u64 = pss.iter().map(|(_, _, kib)| kib).sum();
    println!(
        "{} presses: key event -> painted p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms \
         (of which key event -> handler p50 {:.1}, max {:.1} ms); \
         WebDriver action sent -> painted p50 {:.1}, p95 {:.1}, max {:.1} ms",
        latency.len(),
        percentile(&latency, 50.0),
        percentile(&latency, 95.0),
        max(&latency),
        percentile(&handler_wait, 50.0),
        max(&handler_wait),
        percentile(&outside, 50.0),
        percentile(&outside, 95.0),
        max(&outside),
    );
    println!(
        "memory after {load_s:.0} s of load: PSS {:.1} MiB in all",
        total as f64 / 1024.0
    );
    for (_, name, kib) in &pss {
        println!("  {name}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    drop(session);
    let _ = std::fs::remove_dir_all(&data);
    LoadRun {
        coalesced,
        tiles,
        changes_per_s,
        latency,
        outside,
        load_s,
        pss_mib: total as f64 / 1024.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Processes, clocks, figures

/// The app process among the descendants of the driver's process (tauri-driver starts
/// WebKitWebDriver, which starts the app).
fn app_process(root: u32) -> Option<u32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = descendants(root)
            .into_iter()
            .find(|&pid| comm(pid).is_some_and(|c| c.starts_with("refurbdesk-desk")));
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|c| c.trim().to_string())
}

/// Fields of /proc/PID/stat after the command name (which may hold spaces): index 0 is the
/// state (field 3 of proc(5)).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    Some(after.split_whitespace().map(str::to_string).collect())
}

fn parent(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// Every process under `root`, not `root` itself.
fn descendants(root: u32) -> Vec<u32> {
    let all: Vec<u32> = std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let parents: Vec<(u32, u32)> = all
        .iter()
        .filter_map(|&pid| Some((pid, parent(pid)?)))
        .collect();
    let mut found = vec![root];
    let mut index = 0;
    while index < found.len() {
        let of = found[index];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == of)
                .map(|(pid, _)| *pid),
        );
        index += 1;
    }
    found.remove(0);
    found
}

/// PSS in KiB of `app` and every process under it (WebKitWebProcess, WebKitNetworkProcess, and
/// any helper between them), with each process's name.
fn pss_tree(app: u32) -> Vec<(u32, String, u64)> {
    std::iter::once(app)
        .chain(descendants(app))
        .filter_map(|pid| {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let field = |name: &str| {
                rollup.lines().find_map(|line| {
                    let rest = line.strip_prefix(name)?.strip_prefix(':')?;
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
            };
            let kib = field("Pss")?;
            // Anonymous memory (heaps, JavaScript) and file-backed (libraries, mapped files).
            let name = format!(
                "{} (anon {} MiB, file {} MiB, shmem {} MiB)",
                comm(pid).unwrap_or_default(),
                field("Pss_Anon").unwrap_or(0) / 1024,
                field("Pss_File").unwrap_or(0) / 1024,
                field("Pss_Shmem").unwrap_or(0) / 1024
            );
            Some((pid, name, kib))
        })
        .collect()
}

fn clock_ms(clock: libc::clockid_t) -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given and nothing else.
    unsafe { libc::clock_gettime(clock, &mut now) };
    now.tv_sec as f64 * 1000.0 + now.tv_nsec as f64 / 1e6
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// When `pid` started, in milliseconds since the epoch (to the kernel's 10 ms tick).
fn process_start_epoch_ms(pid: u32) -> Option<f64> {
    let ticks: f64 = stat_fields(pid)?.get(19)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let boot_now = clock_ms(libc::CLOCK_BOOTTIME);
    let wall_now = epoch_ms();
    Some(wall_now - boot_now + ticks * 1000.0 / hz)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn max(values: &[f64]) -> f64 {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NAN, f64::max)
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "refurbdesk-bench-desktop-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:").map(|v| v.trim().to_string()))
        })
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let webkit = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    format!(
        "{cores} cores, {memory} memory, WebKitGTK {webkit}, load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}
