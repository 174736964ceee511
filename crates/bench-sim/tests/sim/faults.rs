//! Every fault kind at rate 1.0 does what `--faults` promises, a seed replays the same faults,
//! and no fault ever hands the host a wrong value.

use std::time::{Duration, Instant};

use crate::common::{quick, start, Host, Received};
use refurbdesk_bench_protocol::responses::{Hello, ResultsReply};
use refurbdesk_bench_protocol::{
    unframe, ErrorCode, Event, FrameError, Message, ResponseBody, TestOutcome,
};
use refurbdesk_bench_sim::{FaultKind, FaultSpec, Scenario, SimBench, SimOptions};

const EVENT_TIMEOUT: Duration = Duration::from_secs(3);
const QUIET: Duration = Duration::from_millis(80);

fn options(faults: &str, seed: u64) -> SimOptions {
    SimOptions {
        faults: faults.parse::<FaultSpec>().expect("a valid fault spec"),
        seed,
        speed: 1.0,
    }
}

fn lines_after(host: &mut Host, request: &str) -> (u16, Vec<Received>) {
    let tag = host.send(request);
    (tag, host.drain(QUIET))
}

fn is_response_to(received: &Received, tag: u16) -> bool {
    matches!(received.message(), Some(Message::Response { tag: Some(got), .. }) if got == tag)
}

#[test]
fn crc_at_rate_one_makes_every_line_fail_its_crc() {
    let (_dir, bench) = start(quick(), options("crc=1", 1));
    let mut host = Host::open(bench.link());
    let (tag, mut lines) = lines_after(&mut host, "HELLO");
    bench.insert(2).expect("insert");
    lines.extend(host.drain(QUIET));
    assert_eq!(lines.len(), 2, "{lines:?}");
    for received in &lines {
        let Received::Line(bytes) = received else {
            panic!("{received:?}");
        };
        assert!(
            matches!(unframe(bytes), Err(FrameError::BadCrc { .. })),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    // Only the CRC is wrong: the bodies are the reply and the event.
    let Received::Line(first) = &lines[0] else {
        unreachable!()
    };
    assert!(first.starts_with(format!("{tag} OK proto=1 vendor=Acme").as_bytes()));
    assert_eq!(bench.stats().faults_of(FaultKind::Crc), 2);
}

#[test]
fn drop_at_rate_one_withholds_responses_but_the_action_still_happens() {
    let (_dir, bench) = start(quick(), options("drop=1", 2));
    let mut host = Host::open(bench.link());
    let tag = host.send("RUN 1 wifi");
    let event = host.wait_event(EVENT_TIMEOUT, |event| matches!(event, Event::Result { .. }));
    assert_eq!(
        event,
        Event::Result {
            slot: 1,
            test: "wifi".into(),
            outcome: TestOutcome::Pass,
            detail: None
        }
    );
    let ping = host.send("PING");
    let late = host.drain(QUIET);
    assert!(late.is_empty(), "{late:?}");
    assert!(
        host.stray_responses.is_empty(),
        "{:?} for tags {tag} {ping}",
        host.stray_responses
    );
    assert_eq!(bench.stats().faults_of(FaultKind::Drop), 2);
}

#[test]
fn delay_at_rate_one_holds_a_response_past_the_host_timeout() {
    let options = SimOptions {
        speed: 10.0,
        ..options("delay=1", 3)
    };
    let (_dir, bench) = start(quick(), options);
    let mut host = Host::open(bench.link());
    let sent = Instant::now();
    let tag = host.send("PING");
    assert_eq!(host.next_raw(Duration::from_millis(200)), None);
    let answer = host.response_within(tag, Duration::from_secs(2));
    assert_eq!(answer, Some(ResponseBody::Ok(Default::default())));
    let waited = sent.elapsed();
    assert!(
        waited >= Duration::from_millis(245),
        "2500 ms / speed 10, got {waited:?}"
    );
    assert_eq!(bench.stats().faults_of(FaultKind::Delay), 1);
}

#[test]
fn dup_at_rate_one_sends_every_line_twice() {
    let (_dir, bench) = start(quick(), options("dup=1", 4));
    let mut host = Host::open(bench.link());
    let (tag, lines) = lines_after(&mut host, "IDENT 1");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1]);
    assert!(is_response_to(&lines[0], tag));
    bench.insert(2).expect("insert");
    let lines = host.drain(QUIET);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1]);
    assert_eq!(
        lines[0].message(),
        Some(Message::Event(Event::Inserted { slot: 2 }))
    );
}

#[test]
fn garbage_at_rate_one_puts_an_unreadable_line_before_each_line() {
    let (_dir, bench) = start(quick(), options("garbage=1", 5));
    let mut host = Host::open(bench.link());
    for _ in 0..5 {
        let (tag, lines) = lines_after(&mut host, "PING");
        assert_eq!(lines.len(), 2, "{lines:?}");
        let Received::Line(garbage) = &lines[0] else {
            panic!("{:?}", lines[0]);
        };
        assert!(garbage.iter().any(|byte| !(0x20..=0x7E).contains(byte)));
        assert!(unframe(garbage).is_err());
        assert!(is_response_to(&lines[1], tag));
    }
    assert_eq!(bench.stats().faults_of(FaultKind::Garbage), 5);
}

#[test]
fn long_at_rate_one_puts_an_over_long_line_before_each_line() {
    let (_dir, bench) = start(quick(), options("long=1", 6));
    let mut host = Host::open(bench.link());
    for _ in 0..5 {
        let (tag, lines) = lines_after(&mut host, "PING");
        assert_eq!(lines.len(), 2, "{lines:?}");
        let Received::TooLong(discarded) = lines[0] else {
            panic!("{:?}", lines[0]);
        };
        assert!((601..=2001).contains(&discarded), "{discarded}");
        assert!(is_response_to(&lines[1], tag));
    }
}

#[test]
fn events_at_rate_one_add_only_harmless_extras() {
    let scenario = quick();
    let expected_hello = scenario.bench().hello();
    let (_dir, bench) = start(scenario, options("events=1", 7));
    let mut host = Host::open(bench.link());

    let hello_fields = host.ok("HELLO");
    assert!(hello_fields.get("x_vendor").is_some(), "{hello_fields:?}");
    assert_eq!(Hello::from_fields(&hello_fields).ok(), Some(expected_hello));

    let original = Event::Result {
        slot: 1,
        test: "camera_rear".into(),
        outcome: TestOutcome::Fail,
        detail: Some("no focus".into()),
    };
    host.ok("RUN 1 camera_rear");
    let first = host.wait_event(EVENT_TIMEOUT, |event| matches!(event, Event::Result { .. }));
    assert_eq!(first, original);

    let (mut repeats, mut extended) = (0, 0);
    for _ in 0..20 {
        let fields = host.ok("PING");
        match fields
            .iter()
            .map(|(key, _)| key)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] => {}
            ["x_vendor"] => extended += 1,
            other => panic!("unexpected fields {other:?}"),
        }
        for event in host.events.drain(..) {
            assert_eq!(event, original, "a repeat carries the same values");
            repeats += 1;
        }
        let results = host.ok("RESULTS 1");
        assert!(
            results.get("x_vendor").is_none(),
            "RESULTS never gains a field"
        );
        let results = ResultsReply::from_fields(&results).expect("every field is a test");
        assert_eq!(results.0.len(), 1);
        for event in host.events.drain(..) {
            assert_eq!(event, original);
            repeats += 1;
        }
    }
    assert!(
        repeats > 0 && extended > 0,
        "repeats {repeats}, extended {extended}"
    );
    assert_eq!(
        bench.stats().faults_of(FaultKind::Events),
        (repeats + extended) as u64 + 2,
        "HELLO and the RUN reply were extended too"
    );
}

#[test]
fn reset_at_rate_one_reboots_instead_of_answering() {
    let (_dir, bench) = start(quick(), options("reset=1", 8));
    let mut host = Host::open(bench.link());
    for _ in 0..3 {
        let (tag, lines) = lines_after(&mut host, "PING");
        let messages: Vec<Message> = lines.iter().filter_map(Received::message).collect();
        assert_eq!(
            messages,
            [Message::Event(Event::Reset)],
            "no answer to {tag}"
        );
    }
    assert_eq!(bench.stats().faults_of(FaultKind::Reset), 3);
}

#[test]
fn unplug_at_rate_one_drops_the_port_and_comes_back_after_300_ms() {
    let (_dir, bench) = start(quick(), options("unplug=1", 9));
    for round in 0..2 {
        let mut host = Host::open(bench.link());
        let unplugged_at = Instant::now();
        host.send("PING");
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut gone = false;
        while Instant::now() < deadline {
            if host.try_next_raw(Duration::from_millis(20)).is_err() {
                gone = true;
                break;
            }
        }
        assert!(gone, "round {round}: the host's port fails");
        drop(host);
        let back = Instant::now() + Duration::from_secs(2);
        while std::fs::symlink_metadata(bench.link()).is_err() && Instant::now() < back {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            std::fs::symlink_metadata(bench.link()).is_ok(),
            "round {round}: link is back"
        );
        assert!(
            unplugged_at.elapsed() >= Duration::from_millis(250),
            "round {round}"
        );
    }
    assert_eq!(bench.stats().faults_of(FaultKind::Unplug), 2);
}

/// The raw transcript of a fixed request script against a bench with mixed faults.
fn transcript(seed: u64) -> (Vec<Received>, Vec<(FaultKind, u64)>) {
    let faults = "crc=0.3,dup=0.3,garbage=0.3,long=0.2,events=0.3,drop=0.2";
    // One answer time for every verb: a reply that arrives after the next request went out
    // (a slow machine) still cannot be overtaken, so the line order depends on the seed only.
    let uniform = crate::common::QUICK.replace("device_ms = 2", "device_ms = 1");
    let scenario = Scenario::from_toml(&uniform, "uniform").expect("valid");
    let (_dir, bench): (_, SimBench) = start(scenario, options(faults, seed));
    let mut host = Host::open(bench.link());
    let script = [
        "HELLO", "PING", "IDENT 1", "BATT 1", "LOCK 1", "SLOTS", "STATUS 1", "TESTS 1", "IDENT 2",
        "IDENT 9",
    ];
    let mut received = Vec::new();
    for request in script.iter().cycle().take(30) {
        host.send(request);
        received.extend(host.drain(Duration::from_millis(40)));
    }
    let faults = bench.stats().faults.into_iter().collect();
    (received, faults)
}

#[test]
fn the_same_seed_replays_the_same_faults() {
    let (first, first_faults) = transcript(42);
    let (second, second_faults) = transcript(42);
    let (other, _) = transcript(43);
    assert_eq!(first, second);
    assert_eq!(first_faults, second_faults);
    assert_ne!(first, other);
    let kinds: Vec<FaultKind> = first_faults.iter().map(|(kind, _)| *kind).collect();
    for kind in [
        FaultKind::Crc,
        FaultKind::Dup,
        FaultKind::Garbage,
        FaultKind::Long,
        FaultKind::Events,
        FaultKind::Drop,
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind} never struck: {first_faults:?}"
        );
    }
}

#[test]
fn no_fault_ever_delivers_a_wrong_value() {
    let scenario = quick();
    let device = scenario.device(1).cloned().expect("slot 1");
    let faults = "crc=0.25,drop=0.1,dup=0.25,garbage=0.25,long=0.1,events=0.4";
    let (_dir, bench) = start(scenario, options(faults, 11));
    let mut host = Host::open(bench.link());
    let mut expected_by_tag = std::collections::HashMap::new();
    let mut answered = 0;
    for round in 0..40 {
        let (request, expected) = if round % 2 == 0 {
            ("IDENT 1", device.ident.to_fields())
        } else {
            (
                "BATT 1",
                device.battery.clone().unwrap_or_default().to_fields(),
            )
        };
        let tag = host.send(request);
        expected_by_tag.insert(tag, expected);
        for received in host.drain(Duration::from_millis(30)) {
            match received.message() {
                Some(Message::Response {
                    tag: Some(got),
                    body: ResponseBody::Ok(fields),
                }) => {
                    let without_extra: refurbdesk_bench_protocol::Fields = fields
                        .iter()
                        .filter(|(key, _)| *key != "x_vendor")
                        .collect();
                    assert_eq!(Some(&without_extra), expected_by_tag.get(&got), "tag {got}");
                    answered += 1;
                }
                Some(Message::Response {
                    tag: None,
                    body: ResponseBody::Err { code, .. },
                }) => assert_eq!(code, ErrorCode::BadCrc),
                Some(other) => panic!("unexpected {other:?}"),
                None => {}
            }
        }
    }
    assert!(answered >= 10, "only {answered} answers got through");
    assert!(bench.stats().faults_total() > 20);
}
