//! The link against the project's bench simulator (`refurbdesk-bench-sim`) on real PTYs: the
//! fixture scenario's values must come through exactly, whatever the simulator's faults do.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{link_dir, next_event, PATIENCE};
use refurbdesk_bench::{BenchLink, Event, Fields, LinkConfig, LinkError, LinkEvent, Verb};
use refurbdesk_bench_sim::{FaultKind, FaultSpec, Scenario, SimBench, SimOptions};
use tokio::time::{sleep, timeout, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/benches")
        .join(name)
}

fn phones_scenario() -> Scenario {
    Scenario::load(&fixture("phones-pb8.toml")).expect("the fixture scenario loads")
}

fn sim_config() -> LinkConfig {
    LinkConfig {
        request_timeout: Duration::from_millis(400),
        retries: 3,
        reopen_interval: Duration::from_millis(40),
        event_buffer: 4096,
    }
}

/// The simulator may add an unknown `x_vendor=` field (forward compatibility); every other
/// field must be exactly the scenario's, and none may be missing.
fn assert_exact(got: &Fields, expected: &Fields, what: &str) {
    for (key, value) in expected.iter() {
        assert_eq!(got.get(key), Some(value), "{what}: field {key}");
    }
    for (key, _) in got.iter() {
        assert!(
            expected.get(key).is_some() || key.starts_with("x_"),
            "{what}: field {key} is not in the scenario"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn link_follows_the_simulator_through_events_reset_and_unplug() {
    let dir = link_dir();
    let path = dir.path().join("ttyBENCH0");
    let scenario = phones_scenario();
    let expected_hello = scenario.bench().hello();
    let options = SimOptions {
        speed: 4.0,
        ..SimOptions::default()
    };
    let sim = SimBench::start(scenario.clone(), &path, options).expect("simulator starts");

    let (link, hello) = BenchLink::connect(&path, sim_config())
        .await
        .expect("connects to the simulator");
    assert_eq!(hello, expected_hello);
    let mut events = link.subscribe();
    assert!(matches!(next_event(&mut events).await, LinkEvent::Ready(_)));

    let ident = link.request(Verb::Ident, &["1"]).await.expect("IDENT 1");
    let device = scenario.device(1).expect("slot 1 is in the scenario");
    assert_exact(&ident.fields, &device.ident.to_fields(), "IDENT 1");

    sim.remove(3).expect("remove");
    loop {
        if let LinkEvent::Bench { event, .. } = next_event(&mut events).await {
            if *event == (Event::Removed { slot: 3 }) {
                break;
            }
        }
    }
    let error = link
        .request(Verb::Ident, &["3"])
        .await
        .expect_err("slot 3 is empty");
    assert!(
        matches!(
            error,
            LinkError::Bench {
                code: refurbdesk_bench::ErrorCode::Empty,
                ..
            }
        ),
        "{error:?}"
    );

    sim.reset();
    loop {
        if let LinkEvent::Bench { event, .. } = next_event(&mut events).await {
            if *event == Event::Reset {
                break;
            }
        }
    }
    loop {
        if let LinkEvent::Ready(again) = next_event(&mut events).await {
            assert_eq!(*again, expected_hello);
            break;
        }
    }

    sim.unplug();
    loop {
        if let LinkEvent::Disconnected = next_event(&mut events).await {
            break;
        }
    }
    let error = link.request(Verb::Ping, &[]).await.expect_err("unplugged");
    assert!(matches!(error, LinkError::Disconnected { .. }), "{error:?}");
    sim.replug().expect("replug");
    loop {
        if let LinkEvent::Ready(again) = next_event(&mut events).await {
            assert_eq!(*again, expected_hello);
            break;
        }
    }
    link.request(Verb::Ping, &[])
        .await
        .expect("PING after replug");
    assert_eq!(link.stats().reconnects, 1);
    link.close().await;
    sim.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn under_every_simulator_fault_200_requests_give_exact_fields_or_errors() {
    let dir = link_dir();
    let path = dir.path().join("ttyBENCH1");
    let scenario = phones_scenario();
    let faults: FaultSpec = "crc=0.1,drop=0.05,delay=0.05,dup=0.1,garbage=0.1,long=0.05,\
                             events=0.2,reset=0.01,unplug=0.005"
        .parse()
        .expect("fault spec");
    let options = SimOptions {
        faults,
        seed: 0xBE7C_0001,
        speed: 5.0,
    };
    let sim = SimBench::start(scenario.clone(), &path, options).expect("simulator starts");

    // The first HELLO can itself be hit by a fault; try a few times like a station would.
    let started = Instant::now();
    let link = loop {
        match BenchLink::connect(&path, sim_config()).await {
            Ok((link, _)) => break link,
            Err(error) if started.elapsed() < PATIENCE => {
                eprintln!("connect failed, retrying: {error}");
                sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("could not connect to the simulator: {error}"),
        }
    };

    // Slots 1 to 6 hold a device for the whole run (7 and 8 come and go on the timeline).
    let mut workers = Vec::new();
    for worker in 0..8u32 {
        let link = link.clone();
        let scenario = scenario.clone();
        workers.push(tokio::spawn(async move {
            let (mut exact, mut errors) = (0u32, 0u32);
            for index in (worker..200).step_by(8) {
                let slot = (index % 6 + 1) as u16;
                let device = scenario.device(slot).expect("slot in scenario");
                let (verb, expected) = if index % 2 == 0 {
                    (Verb::Ident, device.ident.to_fields())
                } else {
                    let battery = device.battery.as_ref().expect("battery in scenario");
                    (Verb::Batt, battery.to_fields())
                };
                match link.request(verb, &[&slot.to_string()]).await {
                    Ok(reply) => {
                        assert_exact(&reply.fields, &expected, &format!("{verb} {slot}"));
                        exact += 1;
                    }
                    Err(LinkError::Disconnected { .. }) => {
                        errors += 1;
                        sleep(Duration::from_millis(100)).await;
                    }
                    Err(
                        LinkError::Unreachable { .. }
                        | LinkError::Bench { .. }
                        | LinkError::NoAnswer { .. },
                    ) => errors += 1,
                    Err(other) => panic!("{verb} {slot}: unexpected error {other:?}"),
                }
            }
            (exact, errors)
        }));
    }
    let mut exact = 0;
    let mut errors = 0;
    for worker in workers {
        let (worker_exact, worker_errors) = timeout(Duration::from_secs(45), worker)
            .await
            .expect("the storm finishes in time")
            .expect("a worker panicked");
        exact += worker_exact;
        errors += worker_errors;
    }
    assert_eq!(exact + errors, 200);
    assert!(exact >= 120, "too few answers got through: {exact} of 200");

    let stats = link.stats();
    let sim_stats = sim.stats();
    eprintln!("link: {stats:?}\nsimulator: {sim_stats:?}");
    assert!(
        sim_stats.faults_total() > 0,
        "the simulator injected no fault"
    );
    assert!(stats.bad_lines.total() > 0, "{stats:?}");
    // Nothing is counted that the simulator did not inject.
    assert!(stats.bad_lines.bad_crc <= sim_stats.faults_of(FaultKind::Crc));
    assert!(stats.bad_lines.too_long <= sim_stats.faults_of(FaultKind::Long));
    assert!(stats.duplicate_responses <= sim_stats.faults_of(FaultKind::Dup));
    assert_eq!(stats.bad_lines.unparsable + stats.bad_lines.unknown_tag, 0);
    link.close().await;
    sim.stop();
}
