//! The link and the PTY behind it: unplugging, replugging, stale links, stopping.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{link_in_temp_dir, quick, start, Host};
use refurbdesk_bench_protocol::{ErrorCode, Event};
use refurbdesk_bench_sim::{run_until, SimBench, SimError, SimOptions};

const EVENT_TIMEOUT: Duration = Duration::from_secs(3);

fn link_target(link: &std::path::Path) -> Option<PathBuf> {
    std::fs::read_link(link).ok()
}

/// Reads until the port reports EOF or an error; true if it did within `within`.
fn host_sees_the_bench_go(host: &mut Host, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if host.try_next_raw(Duration::from_millis(50)).is_err() {
            return true;
        }
    }
    false
}

#[test]
fn the_link_points_at_a_pty_in_raw_mode() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let target = link_target(bench.link()).expect("a symlink");
    assert!(target.starts_with("/dev/pts/"), "{}", target.display());
    let mut host = Host::open(bench.link());
    assert!(host.ok("PING").is_empty());
}

#[test]
fn unplug_ends_the_host_port_and_replug_brings_a_fresh_bench_back() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let first_device = link_target(bench.link()).expect("linked");
    assert!(first_device.starts_with("/dev/pts/"));
    let mut host = Host::open(bench.link());
    assert!(host.ok("RUN 1 wifi").is_empty());
    host.wait_event(EVENT_TIMEOUT, |event| matches!(event, Event::Result { .. }));
    assert_eq!(host.ok("RESULTS 1").len(), 1);

    bench.unplug();
    assert!(
        std::fs::symlink_metadata(bench.link()).is_err(),
        "the link is gone"
    );
    assert!(
        host_sees_the_bench_go(&mut host, Duration::from_secs(2)),
        "the host's read fails once the bench is unplugged"
    );
    drop(host);
    bench
        .insert(2)
        .expect("the bench itself keeps running while unplugged");

    bench.replug().expect("replug");
    let second_device = link_target(bench.link()).expect("linked again");
    assert!(second_device.starts_with("/dev/pts/"));
    let mut host = Host::open(bench.link());
    assert_eq!(host.ok("HELLO").get("serial"), Some("QB3-0001"));
    assert!(
        host.ok("RESULTS 1").is_empty(),
        "results do not survive a power cycle"
    );
    assert_eq!(
        host.ok("IDENT 2").get("category"),
        Some("tablet"),
        "devices stay in their slots"
    );
    assert_eq!(host.err("IDENT 3"), ErrorCode::Empty);
}

#[test]
fn replug_of_a_plugged_bench_power_cycles_it() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("PING").is_empty());
    bench.replug().expect("replug");
    assert!(host_sees_the_bench_go(&mut host, Duration::from_secs(2)));
    let mut host = Host::open(bench.link());
    assert!(host.ok("PING").is_empty());
}

#[test]
fn a_stale_symlink_is_replaced_but_a_regular_file_is_not() {
    let (_dir, link) = link_in_temp_dir();
    std::os::unix::fs::symlink("/dev/pts/does-not-exist", &link).expect("stale link");
    let bench = SimBench::start(quick(), &link, SimOptions::default()).expect("replaces it");
    assert_ne!(
        link_target(&link),
        Some(PathBuf::from("/dev/pts/does-not-exist"))
    );
    bench.stop();
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "stop removes the link"
    );

    std::fs::write(&link, b"not a tty").expect("a regular file");
    let error = SimBench::start(quick(), &link, SimOptions::default())
        .err()
        .expect("refuses to replace a file");
    assert!(matches!(&error, SimError::LinkInTheWay { link: named } if *named == link));
    assert!(error.to_string().contains(&link.display().to_string()));
    assert_eq!(std::fs::read(&link).ok(), Some(b"not a tty".to_vec()));
}

#[test]
fn a_link_in_a_missing_folder_is_reported() {
    let link = PathBuf::from("/nonexistent-folder/ttyBENCH0");
    let error = SimBench::start(quick(), &link, SimOptions::default())
        .err()
        .expect("cannot link there");
    assert!(matches!(error, SimError::Link { .. }), "{error}");
    assert!(error.to_string().contains("/nonexistent-folder/ttyBENCH0"));
}

#[test]
fn dropping_the_bench_stops_it_and_removes_the_link() {
    let (_dir, link) = link_in_temp_dir();
    let bench = SimBench::start(quick(), &link, SimOptions::default()).expect("starts");
    let mut host = Host::open(&link);
    drop(bench);
    assert!(std::fs::symlink_metadata(&link).is_err());
    assert!(host_sees_the_bench_go(&mut host, Duration::from_secs(2)));
}

#[test]
fn run_until_serves_until_the_flag_is_raised() {
    let (_dir, link) = link_in_temp_dir();
    let stop = Arc::new(AtomicBool::new(false));
    let runner = {
        let stop = Arc::clone(&stop);
        let link = link.clone();
        std::thread::spawn(move || run_until(quick(), &link, SimOptions::default(), &stop))
    };
    let mut host = Host::open(&link);
    assert!(host.ok("PING").is_empty());
    assert!(host.ok("PING").is_empty());
    assert!(!runner.is_finished());
    stop.store(true, Ordering::Relaxed);
    let stats = runner.join().expect("no panic").expect("ran without error");
    assert_eq!(stats.requests.get("PING"), Some(&2));
    assert_eq!(stats.lines_sent, 2);
    assert!(std::fs::symlink_metadata(&link).is_err());
}
