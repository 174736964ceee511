//! An idle station must not spin: the port is watched by the reactor, not polled. Alone in its
//! own test binary so other tests' work does not count against it.

use std::time::Duration;

use crate::common::*;

/// CPU time (user + system) used by this whole process so far.
fn process_cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we hand it.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, &mut usage), 0);
        usage
    };
    let micros = |time: libc::timeval| {
        Duration::from_secs(time.tv_sec as u64) + Duration::from_micros(time.tv_usec as u64)
    };
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

async fn cpu_used_while_idle(period: Duration) -> Duration {
    let before = process_cpu_time();
    tokio::time::sleep(period).await;
    process_cpu_time().saturating_sub(before)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_link_uses_almost_no_cpu_connected_or_waiting_for_a_replug() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, refurbdesk_bench::LinkConfig::default()).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    // A polling loop would burn most of a core: well over a second in this window.
    let connected = cpu_used_while_idle(Duration::from_millis(1500)).await;
    assert!(
        connected < Duration::from_millis(150),
        "idle connected link used {connected:?} of CPU in 1.5 s"
    );

    bench.unplug();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!link.is_connected());
    let waiting = cpu_used_while_idle(Duration::from_millis(1500)).await;
    assert!(
        waiting < Duration::from_millis(150),
        "a link waiting for its bench used {waiting:?} of CPU in 1.5 s"
    );
    link.close().await;
}
