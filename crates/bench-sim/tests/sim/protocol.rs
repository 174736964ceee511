//! The simulator as a host sees it through a real serial port on the PTY: Bench Protocol v1
//! requests, replies, events and errors.

use std::time::{Duration, Instant};

use crate::common::{fixture, fixture_without_timeline, quick, start, Host, Received};
use refurbdesk_bench_protocol::responses::{
    EraseState, Hello, ResultsReply, SlotActivity, SlotState, SlotsReply, StatusReply, TestState,
    TestsReply,
};
use refurbdesk_bench_protocol::{
    crc8, ErrorCode, Event, Fields, Message, ResponseBody, TestOutcome,
};
use refurbdesk_bench_sim::{embedded_scenarios, SimOptions};

const EVENT_TIMEOUT: Duration = Duration::from_secs(3);

#[test]
fn hello_answers_with_each_fixture_bench_identity() {
    for (name, _) in embedded_scenarios() {
        let scenario = fixture(name);
        let expected = scenario.bench().hello();
        let (_dir, bench) = start(scenario, SimOptions::default());
        let mut host = Host::open(bench.link());
        let hello = Hello::from_fields(&host.ok("HELLO")).expect("a valid HELLO reply");
        assert_eq!(hello, expected, "{name}");
        assert!(hello.is_supported());
    }
}

#[test]
fn ident_batt_lock_and_tests_return_exactly_the_scenario_values() {
    for (name, _) in embedded_scenarios() {
        let scenario = fixture_without_timeline(name);
        let devices = scenario.devices().to_vec();
        let (_dir, bench) = start(scenario, SimOptions::default());
        let mut host = Host::open(bench.link());
        for device in &devices {
            let slot = device.slot;
            if !device.present {
                assert_eq!(host.err(&format!("IDENT {slot}")), ErrorCode::Empty);
                bench.insert(slot).expect("insert the absent device");
                host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Inserted { slot });
            }
            assert_eq!(
                host.ok(&format!("IDENT {slot}")),
                device.ident.to_fields(),
                "{name} slot {slot} IDENT"
            );
            match &device.battery {
                Some(battery) => assert_eq!(host.ok(&format!("BATT {slot}")), battery.to_fields()),
                None => assert_eq!(host.err(&format!("BATT {slot}")), ErrorCode::Unsupported),
            }
            match &device.lock {
                Some(lock) => assert_eq!(host.ok(&format!("LOCK {slot}")), lock.to_fields()),
                None => assert_eq!(host.err(&format!("LOCK {slot}")), ErrorCode::Unsupported),
            }
            let tests = TestsReply::from_fields(&host.ok(&format!("TESTS {slot}")))
                .expect("a valid TESTS reply");
            let names: Vec<String> = device.tests.iter().map(|test| test.name.clone()).collect();
            assert_eq!(tests.0, names, "{name} slot {slot} TESTS in file order");
        }
        assert_eq!(host.bad_lines, 0, "{name}");
    }
}

#[test]
fn non_ascii_and_reserved_bytes_are_escaped_on_the_wire_and_decode_exactly() {
    let scenario = fixture_without_timeline("edge-cases.toml");
    let (_dir, bench) = start(scenario, SimOptions::default());
    let mut host = Host::open(bench.link());
    let tag = host.send("IDENT 4");
    let line = loop {
        match host.next_raw(EVENT_TIMEOUT) {
            Some(Received::Line(bytes)) if bytes.starts_with(format!("{tag} OK").as_bytes()) => {
                break bytes
            }
            Some(_) => continue,
            None => panic!("no IDENT reply"),
        }
    };
    assert!(line.is_ascii(), "the wire is ASCII only");
    let text = String::from_utf8_lossy(&line);
    assert!(text.contains("%C2%AB"), "« is sent as %C2%AB: {text}");
    let message = Received::Line(line.clone()).message().expect("parses");
    let Message::Response {
        body: ResponseBody::Ok(fields),
        ..
    } = message
    else {
        panic!("not an OK reply");
    };
    assert_eq!(
        fields.get("model"),
        Some("Galaxy Tab S6 Lite « Édition Éducation »")
    );

    let fields = host.ok("IDENT 3");
    assert_eq!(fields.get("color"), Some("Sage 50% *demo*"));
    assert_eq!(fields.get("os_version"), Some("14 \"UpsideDownCake\""));
    assert_eq!(fields.get("serial"), Some("26281JEGR0*12"));
}

#[test]
fn run_sends_ok_then_the_result_event_and_results_recovers_it() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    let started = Instant::now();
    assert!(host.ok("RUN 1 camera_rear").is_empty());
    let running = ResultsReply::from_fields(&host.ok("RESULTS 1")).expect("valid");
    assert_eq!(running.get("camera_rear"), Some(TestState::Running));
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(status.state, SlotActivity::Testing);
    let event = host.wait_event(EVENT_TIMEOUT, |event| {
        matches!(event, Event::Result { slot: 1, .. })
    });
    assert!(
        started.elapsed() >= Duration::from_millis(55),
        "the test takes its 60 ms"
    );
    assert_eq!(
        event,
        Event::Result {
            slot: 1,
            test: "camera_rear".into(),
            outcome: TestOutcome::Fail,
            detail: Some("no focus".into())
        }
    );
    assert!(host.ok("RUN 1 wifi").is_empty());
    host.wait_event(
        EVENT_TIMEOUT,
        |event| matches!(event, Event::Result { test, .. } if test == "wifi"),
    );
    let results = ResultsReply::from_fields(&host.ok("RESULTS 1")).expect("valid");
    assert_eq!(
        results.0,
        vec![
            ("camera_rear".to_owned(), TestState::Fail),
            ("wifi".to_owned(), TestState::Pass)
        ]
    );
    let stats = bench.stats();
    assert_eq!(stats.requests.get("RUN"), Some(&2));
    assert_eq!(stats.requests.get("RESULTS"), Some(&2));
    assert_eq!(stats.lines_sent, 7, "4 replies, 2 events, 1 final RESULTS");
}

#[test]
fn several_slots_test_in_parallel() {
    let scenario = fixture_without_timeline("phones-pb8.toml");
    // Slowed down so that the tests (120 ms) surely outlast the six RUN replies.
    let slow = SimOptions {
        speed: 0.25,
        ..SimOptions::default()
    };
    let (_dir, bench) = start(scenario, slow);
    let mut host = Host::open(bench.link());
    // Sent together: the bench handles them side by side, all within one device_ms.
    let tags: Vec<u16> = (1..=6)
        .map(|slot| host.send(&format!("RUN {slot} power")))
        .collect();
    for tag in tags {
        let answer = host.response_within(tag, Duration::from_secs(2));
        assert_eq!(answer, Some(ResponseBody::Ok(Fields::new())));
    }
    let slots = SlotsReply::from_fields(&host.ok("SLOTS")).expect("valid");
    assert_eq!(slots.n, 8);
    assert_eq!(&slots.states[..6], &[SlotState::Busy; 6]);
    assert_eq!(
        slots.states[6],
        SlotState::Empty,
        "the Pixel 7 arrives later"
    );
    for slot in 1..=6 {
        host.wait_event(
            EVENT_TIMEOUT,
            |event| matches!(event, Event::Result { slot: got, .. } if *got == slot),
        );
    }
}

#[test]
fn erase_reports_progress_then_done_and_status_follows() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("ERASE 1 factory_reset").is_empty());
    assert_eq!(host.err("RUN 1 wifi"), ErrorCode::Busy);
    assert_eq!(host.err("ERASE 1 crypto_erase"), ErrorCode::Busy);
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(
        (status.state, status.erase),
        (SlotActivity::Erasing, EraseState::Running)
    );
    let mut progress = Vec::new();
    let done = loop {
        match host.wait_event(EVENT_TIMEOUT, |event| {
            matches!(event, Event::EraseProgress { .. } | Event::EraseDone { .. })
        }) {
            Event::EraseProgress {
                slot: 1,
                progress: percent,
            } => progress.push(percent),
            other => break other,
        }
    };
    assert_eq!(progress, [25, 50, 75]);
    assert_eq!(
        done,
        Event::EraseDone {
            slot: 1,
            ok: true,
            detail: None
        }
    );
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(
        status,
        StatusReply {
            state: SlotActivity::Idle,
            erase: EraseState::Ok,
            progress: 100
        }
    );

    assert!(host.ok("ERASE 1 crypto_erase").is_empty());
    let done = host.wait_event(EVENT_TIMEOUT, |event| {
        matches!(event, Event::EraseDone { .. })
    });
    assert_eq!(
        done,
        Event::EraseDone {
            slot: 1,
            ok: false,
            detail: Some("secure enclave busy".into())
        }
    );
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(status.erase, EraseState::Failed);
}

#[test]
fn errors_carry_the_codes_of_the_spec() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert_eq!(host.err("IDENT 0"), ErrorCode::NoSlot);
    assert_eq!(host.err("IDENT 4"), ErrorCode::NoSlot);
    assert_eq!(host.err("RUN 9 wifi"), ErrorCode::NoSlot);
    assert_eq!(host.err("IDENT 2"), ErrorCode::Empty);
    assert_eq!(host.err("BATT 3"), ErrorCode::Empty);
    assert_eq!(host.err("RUN 1 nfc"), ErrorCode::Unsupported);
    assert_eq!(host.err("IDENT one"), ErrorCode::BadArgs);
    assert_eq!(host.err("RUN 1"), ErrorCode::BadArgs);
    assert_eq!(host.err("ERASE 1 shred"), ErrorCode::BadArgs);
    assert_eq!(host.err("SELFDESTRUCT"), ErrorCode::UnknownVerb);
    assert_eq!(host.err("hello"), ErrorCode::UnknownVerb);
    assert!(host.ok("RUN 1 touch").is_empty());
    assert_eq!(host.err("RUN 1 wifi"), ErrorCode::Busy);
    assert!(
        host.ok("RUN 1 touch").is_empty(),
        "the same test again is no conflict"
    );
    let status =
        StatusReply::from_fields(&host.ok("STATUS 2")).expect("an empty slot has a status");
    assert_eq!(status.state, SlotActivity::Empty);

    bench.insert(2).expect("insert");
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Inserted { slot: 2 });
    assert_eq!(host.err("ERASE 2 factory_reset"), ErrorCode::Unsupported);
    assert_eq!(host.err("LOCK 2"), ErrorCode::Unsupported);

    let message = match host.request("IDENT 7") {
        ResponseBody::Err { message, .. } => message.unwrap_or_default(),
        ResponseBody::Ok(_) => String::new(),
    };
    assert!(
        message.contains("slot `7`") && message.contains("1 to 3"),
        "{message}"
    );
}

fn expect_untrusted_bad_crc(host: &mut Host) {
    let deadline = Instant::now() + EVENT_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(Message::Response {
            tag: None,
            body: ResponseBody::Err { code, .. },
        }) = host
            .next_raw(Duration::from_millis(200))
            .and_then(|line| line.message())
        {
            assert_eq!(code, ErrorCode::BadCrc);
            return;
        }
    }
    panic!("no `? ERR BAD_CRC`");
}

#[test]
fn a_host_line_with_a_bad_crc_gets_an_untrusted_bad_crc() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    let body = "5 PING";
    let wrong = crc8(body.as_bytes()) ^ 0x5A;
    host.send_raw(format!("{body}*{wrong:02X}\n").as_bytes());
    expect_untrusted_bad_crc(&mut host);
    host.send_raw(b"6 PING\n");
    expect_untrusted_bad_crc(&mut host);
    host.send_raw(format!("{}\n", "7 PING ".repeat(100)).as_bytes());
    expect_untrusted_bad_crc(&mut host);
    // The line after a bad one is served normally.
    assert!(host.ok("PING").is_empty());
    let stats = bench.stats();
    assert_eq!(stats.host_lines_bad_crc, 2);
    assert_eq!(stats.host_lines_too_long, 1);
    assert_eq!(stats.requests.get("PING"), Some(&1));
}

#[test]
fn insert_and_remove_send_events_and_removal_cancels_the_test() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("RUN 1 touch").is_empty());
    bench.remove(1).expect("remove");
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Removed { slot: 1 });
    assert_eq!(host.err("RESULTS 1"), ErrorCode::Empty);
    assert!(matches!(
        bench.remove(1),
        Err(refurbdesk_bench_sim::SimError::SlotEmpty { slot: 1 })
    ));
    bench.insert(1).expect("insert");
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Inserted { slot: 1 });
    assert!(
        host.ok("RESULTS 1").is_empty(),
        "a new placement has no results"
    );
    // The cancelled test (400 ms) never reports.
    std::thread::sleep(Duration::from_millis(500));
    let late: Vec<Message> = host
        .drain(Duration::from_millis(50))
        .iter()
        .filter_map(Received::message)
        .collect();
    assert!(
        !late
            .iter()
            .any(|message| matches!(message, Message::Event(Event::Result { .. }))),
        "{late:?}"
    );
    assert!(!host
        .events
        .iter()
        .any(|event| matches!(event, Event::Result { .. })));
    assert!(matches!(
        bench.insert(3),
        Err(refurbdesk_bench_sim::SimError::NoDevice { slot: 3 })
    ));
}

#[test]
fn reset_announces_itself_and_forgets_results() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("RUN 1 wifi").is_empty());
    host.wait_event(EVENT_TIMEOUT, |event| matches!(event, Event::Result { .. }));
    assert_eq!(host.ok("RESULTS 1").len(), 1);
    bench.reset();
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Reset);
    assert!(host.ok("RESULTS 1").is_empty());
    assert_eq!(
        host.ok("IDENT 1").get("model"),
        Some("iPhone 12"),
        "devices stay through a reset"
    );
}

#[test]
fn the_timeline_moves_devices() {
    let (_dir, bench) = start(fixture("phones-pb8.toml"), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert_eq!(host.err("IDENT 7"), ErrorCode::Empty);
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Inserted { slot: 7 });
    assert_eq!(host.ok("IDENT 7").get("model"), Some("Pixel 7"));
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Removed { slot: 8 });
    assert_eq!(host.err("IDENT 8"), ErrorCode::Empty);
    host.wait_event(EVENT_TIMEOUT, |event| *event == Event::Inserted { slot: 8 });
    assert_eq!(host.ok("IDENT 8").get("category"), Some("tablet"));
}

#[test]
fn quick_answers_overtake_slow_ones() {
    let scenario = fixture_without_timeline("edge-cases.toml");
    assert!(scenario.timing().device_ms > scenario.timing().response_ms);
    // Slowed down to widen the gap (40 ms against 5 ms) beyond any scheduling hiccup.
    let slow = SimOptions {
        speed: 0.2,
        ..SimOptions::default()
    };
    let (_dir, bench) = start(scenario, slow);
    let mut host = Host::open(bench.link());
    let ident = host.send("IDENT 1");
    let ping = host.send("PING");
    let mut order = Vec::new();
    while order.len() < 2 {
        match host.next_raw(EVENT_TIMEOUT).and_then(|line| line.message()) {
            Some(Message::Response { tag: Some(tag), .. }) => order.push(tag),
            Some(_) => {}
            None => panic!("missing replies, got {order:?}"),
        }
    }
    assert_eq!(order, [ping, ident]);
}

#[test]
fn many_copies_run_side_by_side_under_their_own_serials() {
    let mut benches = Vec::new();
    for index in 0..8 {
        let serial = format!("PB8-{index:04}");
        let scenario = fixture("phones-pb8.toml").with_serial(serial.clone());
        benches.push((serial, start(scenario, SimOptions::default())));
    }
    for (serial, (_dir, bench)) in &benches {
        let mut host = Host::open(bench.link());
        assert_eq!(host.ok("HELLO").get("serial"), Some(serial.as_str()));
    }
}

#[test]
fn ok_replies_have_no_fields_beyond_the_spec_without_faults() {
    let (_dir, bench) = start(quick(), SimOptions::default());
    let mut host = Host::open(bench.link());
    let hello = host.ok("HELLO");
    let keys: Vec<&str> = hello.iter().map(|(key, _)| key).collect();
    assert_eq!(keys, ["proto", "vendor", "model", "serial", "fw", "slots"]);
    assert_eq!(host.ok("PING"), Fields::new());
}

#[test]
fn an_erase_table_can_lose_its_ack_or_its_done_event_on_purpose() {
    let scenario = |faults: &str| {
        let text = QUICK_WITH_ERASE_FAULTS.replace("FAULTS", faults);
        refurbdesk_bench_sim::Scenario::from_toml(&text, "erase-faults").expect("valid")
    };

    // drop_ack: no OK, yet the erase runs and STATUS shows it.
    let (_dir, bench) = start(scenario(r#"["drop_ack"]"#), SimOptions::default());
    let mut host = Host::open(bench.link());
    let tag = host.send("ERASE 1 factory_reset");
    assert_eq!(host.response_within(tag, Duration::from_millis(400)), None);
    let done = host.wait_event(EVENT_TIMEOUT, |e| matches!(e, Event::EraseDone { .. }));
    assert_eq!(
        done,
        Event::EraseDone {
            slot: 1,
            ok: true,
            detail: None
        }
    );
    drop(bench);

    // drop_done: progress comes, the outcome only through STATUS.
    let (_dir, bench) = start(scenario(r#"["drop_done"]"#), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("ERASE 1 factory_reset").is_empty());
    host.wait_event(EVENT_TIMEOUT, |e| {
        *e == Event::EraseProgress {
            slot: 1,
            progress: 75,
        }
    });
    let quiet = host.drain(Duration::from_millis(300));
    assert!(quiet.is_empty(), "nothing after 75 %: {quiet:?}");
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(status.erase, EraseState::Ok);
    assert_eq!(
        bench
            .stats()
            .faults_of(refurbdesk_bench_sim::FaultKind::Drop),
        1
    );
    drop(bench);

    // corrupt_done: the done line arrives but fails its CRC.
    let (_dir, bench) = start(scenario(r#"["corrupt_done"]"#), SimOptions::default());
    let mut host = Host::open(bench.link());
    assert!(host.ok("ERASE 1 crypto_erase").is_empty());
    let lines = host.drain(Duration::from_millis(400));
    let corrupt: Vec<_> = lines
        .iter()
        .filter(|line| line.message().is_none())
        .collect();
    assert_eq!(corrupt.len(), 1, "{lines:?}");
    let Received::Line(bytes) = corrupt[0] else {
        panic!("a line, not an overlong one");
    };
    let text = String::from_utf8_lossy(bytes);
    assert!(text.starts_with("! ERASE 1 done=failed"), "{text}");
    let (body, crc) = text.rsplit_once('*').expect("framed");
    assert_ne!(crc, format!("{:02X}", crc8(body.as_bytes())));
    let status = StatusReply::from_fields(&host.ok("STATUS 1")).expect("valid");
    assert_eq!(status.erase, EraseState::Failed);
}

const QUICK_WITH_ERASE_FAULTS: &str = r#"
[bench]
vendor = "Acme"
model = "QB-1"
serial = "QB1-0001"
fw = "1.0.0"
slots = 1

[timing]
response_ms = 1
device_ms = 2
erase_ms = 100

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12" }
erase = { factory_reset = "ok", crypto_erase = "failed", detail = "secure enclave busy", faults = FAULTS }
"#;
