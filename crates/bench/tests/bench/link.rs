//! One bench link against a scripted fake bench on a real PTY.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::common::*;
use refurbdesk_bench::{
    BenchLink, Direction, ErrorCode, Event, LinkConfig, LinkError, LinkEvent, Verb,
};
use refurbdesk_bench_protocol::frame;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

#[tokio::test(flavor = "multi_thread")]
async fn connect_greets_the_bench_and_reports_its_identity() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let connecting = tokio::spawn(BenchLink::connect(
        bench.link().to_path_buf(),
        quick_config(),
    ));
    let hello_request = bench.answer_hello().await;
    assert!(hello_request.args.is_empty());
    let (link, hello) = connecting.await.expect("join").expect("connect");

    assert_eq!(hello.vendor, "Acme");
    assert_eq!(hello.model, "PB-8");
    assert_eq!(hello.serial, "PB8-0042");
    assert_eq!(hello.fw, "1.4.2");
    assert_eq!(hello.slots, 8);
    assert_eq!(link.hello(), Some(hello.clone()));
    assert!(link.is_connected());
    assert_eq!(link.port(), bench.link());
    assert_eq!(link.stats().requests_sent, 1);

    // The first subscriber also gets what happened before it subscribed.
    let mut events = link.subscribe();
    match events.try_recv() {
        Ok(LinkEvent::Ready(ready)) => assert_eq!(*ready, hello),
        other => panic!("expected Ready first, got {other:?}"),
    }
    let mut later = link.subscribe();
    assert!(matches!(later.try_recv(), Err(TryRecvError::Empty)));
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_to_a_missing_port_names_it() {
    let dir = link_dir();
    let missing = dir.path().join("no-such-bench");
    let error = BenchLink::connect(&missing, quick_config())
        .await
        .expect_err("nothing to open");
    match &error {
        LinkError::Open { port, .. } => assert_eq!(port, &missing),
        other => panic!("expected Open, got {other:?}"),
    }
    assert!(error.to_string().contains("no-such-bench"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_already_held_by_a_link_cannot_be_opened_again() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let error = BenchLink::connect(bench.link(), quick_config())
        .await
        .expect_err("the port is exclusive");
    assert!(matches!(error, LinkError::Open { .. }), "{error:?}");
    assert!(
        bench
            .line_within(Duration::from_millis(200))
            .await
            .is_none(),
        "the refused link must not have written to the bench"
    );
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_gives_up_after_the_retries_when_hello_is_never_answered() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let config = LinkConfig {
        request_timeout: Duration::from_millis(150),
        retries: 2,
        ..quick_config()
    };
    let connecting = tokio::spawn(BenchLink::connect(bench.link().to_path_buf(), config));
    let mut tags = HashSet::new();
    for _ in 0..3 {
        let hello = bench.expect_request("HELLO", &[]).await;
        assert!(tags.insert(hello.tag), "tag {} reused", hello.tag);
    }
    let error = connecting
        .await
        .expect("join")
        .expect_err("HELLO was never answered");
    match error {
        LinkError::Unreachable {
            verb: Verb::Hello,
            attempts: 3,
            ..
        } => {}
        other => panic!("expected Unreachable after 3 attempts, got {other:?}"),
    }
    // The failed link has already let go of the port: connecting again works at once.
    let (link, _) = connect(&mut bench, quick_config()).await;
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_refuses_a_bench_speaking_another_protocol_version() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let connecting = tokio::spawn(BenchLink::connect(
        bench.link().to_path_buf(),
        quick_config(),
    ));
    let hello = bench.expect_request("HELLO", &[]).await;
    bench
        .reply_ok(
            hello.tag,
            "proto=2 vendor=Acme model=PB-9 serial=X fw=9 slots=4",
        )
        .await;
    let error = connecting.await.expect("join").expect_err("proto 2");
    assert!(
        matches!(error, LinkError::Incompatible { proto: 2, .. }),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hello_reply_missing_fields_is_not_accepted() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let connecting = tokio::spawn(BenchLink::connect(
        bench.link().to_path_buf(),
        quick_config(),
    ));
    let first = bench.expect_request("HELLO", &[]).await;
    bench.reply_ok(first.tag, "proto=1 vendor=Acme").await;
    let second = bench.expect_request("HELLO", &[]).await;
    assert_ne!(first.tag, second.tag);
    bench.reply_ok(second.tag, HELLO_FIELDS).await;
    let (link, hello) = connecting.await.expect("join").expect("connect");
    assert_eq!(hello.serial, "PB8-0042");
    assert_eq!(link.stats().bad_lines.unparsable, 1);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn responses_are_routed_to_their_requests_in_any_order() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;

    let mut waiting = Vec::new();
    for slot in ["1", "2", "3"] {
        let link = link.clone();
        waiting.push(tokio::spawn(async move {
            link.request(Verb::Ident, &[slot]).await
        }));
    }
    let mut requests = Vec::new();
    for _ in 0..3 {
        requests.push(bench.next_request().await);
    }
    let tags: HashSet<u16> = requests.iter().map(|request| request.tag).collect();
    assert_eq!(tags.len(), 3, "tags must be unique: {requests:?}");
    for request in requests.iter().rev() {
        let slot = &request.args[0];
        bench
            .reply_ok(
                request.tag,
                &format!("category=phone make=Acme model=M{slot} serial=S{slot}"),
            )
            .await;
    }
    for (slot, waiter) in ["1", "2", "3"].into_iter().zip(waiting) {
        let reply = waiter.await.expect("join").expect("reply");
        assert_eq!(
            reply.fields.get("serial"),
            Some(format!("S{slot}").as_str())
        );
        assert_eq!(reply.fields.get("model"), Some(format!("M{slot}").as_str()));
    }
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn events_that_arrive_before_a_response_are_delivered_before_request_returns() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let mut events = link.subscribe();
    let _ready = next_event(&mut events).await;

    for round in 0..40u16 {
        let requester = link.clone();
        let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["3"]).await });
        let request = bench.expect_request("IDENT", &["3"]).await;
        let removed = frame("! REMOVED 3").expect("frame");
        let inserted = frame(&format!("! INSERTED {}", round % 8 + 1)).expect("frame");
        let reply =
            frame(&format!("{} OK category=phone make=A model=B", request.tag)).expect("frame");
        if round % 2 == 0 {
            // All in one write: the link reads them in one chunk.
            bench
                .send_raw(format!("{removed}{inserted}{reply}").as_bytes())
                .await;
        } else {
            bench.send_raw(removed.as_bytes()).await;
            bench.send_raw(inserted.as_bytes()).await;
            bench.send_raw(reply.as_bytes()).await;
        }
        waiter.await.expect("join").expect("reply");
        let queued: Vec<Event> = queued_events(&mut events)
            .into_iter()
            .filter_map(|event| match event {
                LinkEvent::Bench { event, .. } => Some(*event),
                _ => None,
            })
            .collect();
        assert_eq!(
            queued,
            vec![
                Event::Removed { slot: 3 },
                Event::Inserted {
                    slot: round % 8 + 1
                }
            ],
            "round {round}: events before the reply must be queued when request() returns"
        );
    }
    assert_eq!(link.stats().events, 80);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn event_lines_carry_their_evidence() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let mut events = link.subscribe();
    let _ready = next_event(&mut events).await;
    let framed = frame("! RESULT 2 wifi FAIL \"no networks\"").expect("frame");
    let without_newline = framed.trim_end_matches('\n');
    // A `\r` before the `\n` is allowed on the wire and is not part of the evidence.
    bench
        .send_raw(format!("{without_newline}\r\n").as_bytes())
        .await;
    match next_event(&mut events).await {
        LinkEvent::Bench { event, line } => {
            assert_eq!(
                *event,
                Event::Result {
                    slot: 2,
                    test: "wifi".into(),
                    outcome: refurbdesk_bench_protocol::TestOutcome::Fail,
                    detail: Some("no networks".into()),
                }
            );
            assert_eq!(line.direction, Direction::Bench);
            assert_eq!(line.line, without_newline);
        }
        other => panic!("expected the event, got {other:?}"),
    }
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unanswered_idempotent_request_is_resent_under_a_new_tag() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;

    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Batt, &["2"]).await });
    let first = bench.expect_request("BATT", &["2"]).await;
    let second = bench.expect_request("BATT", &["2"]).await;
    assert_ne!(first.tag, second.tag, "a retry must use a new tag");
    bench
        .reply_ok(second.tag, "present=yes design_mah=2815 full_mah=2421")
        .await;
    let reply = waiter.await.expect("join").expect("reply");
    assert_eq!(reply.fields.get("full_mah"), Some("2421"));

    let lines: Vec<(Direction, &str)> = reply
        .evidence
        .iter()
        .map(|line| (line.direction, line.line.as_str()))
        .collect();
    let answer = frame(&format!(
        "{} OK present=yes design_mah=2815 full_mah=2421",
        second.tag
    ))
    .expect("frame");
    assert_eq!(
        lines,
        vec![
            (Direction::Host, first.line.as_str()),
            (Direction::Host, second.line.as_str()),
            (Direction::Bench, answer.trim_end()),
        ]
    );
    assert!(reply.evidence[0].at <= reply.evidence[1].at);

    let stats = link.stats();
    assert_eq!(stats.timeouts, 1);
    assert_eq!(stats.retries, 1);
    assert_eq!(stats.requests_sent, 3, "HELLO and two BATT lines");
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotent_requests_give_up_after_the_configured_retries() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let config = LinkConfig {
        request_timeout: Duration::from_millis(100),
        retries: 2,
        ..quick_config()
    };
    let (link, _) = connect(&mut bench, config).await;
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Slots, &[]).await });
    for _ in 0..3 {
        bench.expect_request("SLOTS", &[]).await;
    }
    let error = waiter.await.expect("join").expect_err("never answered");
    assert!(
        matches!(
            error,
            LinkError::Unreachable {
                verb: Verb::Slots,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(bench
        .line_within(Duration::from_millis(300))
        .await
        .is_none());
    assert!(
        link.is_connected(),
        "a silent request does not drop the link"
    );
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_whose_caller_gave_up_is_not_retried() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let gave_up =
        tokio::time::timeout(Duration::from_millis(50), link.request(Verb::Tests, &["1"])).await;
    assert!(gave_up.is_err(), "the caller's own timeout fired first");
    bench.expect_request("TESTS", &["1"]).await;
    assert!(
        bench
            .line_within(Duration::from_millis(700))
            .await
            .is_none(),
        "nobody waits for the answer, so it must not be asked again"
    );
    assert_eq!(link.stats().timeouts, 1);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn late_and_duplicate_responses_are_ignored_and_counted() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;

    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["5"]).await });
    let first = bench.expect_request("IDENT", &["5"]).await;
    let retry = bench.expect_request("IDENT", &["5"]).await;
    // The answer to the abandoned attempt arrives while the retry is outstanding: it must not
    // be taken for the retry's answer.
    bench
        .reply_ok(first.tag, "category=phone serial=LATE")
        .await;
    bench
        .reply_ok(retry.tag, "category=phone serial=RIGHT")
        .await;
    bench
        .reply_ok(retry.tag, "category=phone serial=DUPLICATE")
        .await;
    let reply = waiter.await.expect("join").expect("reply");
    assert_eq!(reply.fields.get("serial"), Some("RIGHT"));

    // A round trip after the duplicate: it must not answer this newer request either.
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["6"]).await });
    let next = bench.expect_request("IDENT", &["6"]).await;
    bench
        .reply_ok(retry.tag, "category=phone serial=DUPLICATE2")
        .await;
    bench.reply_ok(next.tag, "category=phone serial=NEXT").await;
    let reply = waiter.await.expect("join").expect("reply");
    assert_eq!(reply.fields.get("serial"), Some("NEXT"));

    let stats = link.stats();
    assert_eq!(stats.late_responses, 1);
    assert_eq!(stats.duplicate_responses, 2);
    assert_eq!(stats.bad_lines.total(), 0);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn run_is_never_resent_and_a_lost_answer_is_no_answer() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;

    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Run, &["1", "power"]).await });
    bench.expect_request("RUN", &["1", "power"]).await;
    let error = waiter.await.expect("join").expect_err("never answered");
    assert!(
        matches!(
            error,
            LinkError::NoAnswer {
                verb: Verb::Run,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("RESULTS"), "{error}");
    assert!(
        bench
            .line_within(Duration::from_millis(700))
            .await
            .is_none(),
        "RUN must not be resent"
    );
    let stats = link.stats();
    assert_eq!((stats.timeouts, stats.retries), (1, 0));

    let requester = link.clone();
    let waiter =
        tokio::spawn(async move { requester.request(Verb::Erase, &["1", "crypto_erase"]).await });
    bench.expect_request("ERASE", &["1", "crypto_erase"]).await;
    let error = waiter.await.expect("join").expect_err("never answered");
    assert!(
        matches!(
            error,
            LinkError::NoAnswer {
                verb: Verb::Erase,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(bench
        .line_within(Duration::from_millis(500))
        .await
        .is_none());
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_crc_answers_resend_idempotent_requests_at_once_and_fail_run() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    // A long timeout: any resend seen quickly was caused by the BAD_CRC answer.
    let config = LinkConfig {
        request_timeout: Duration::from_secs(4),
        ..quick_config()
    };
    let (link, _) = connect(&mut bench, config).await;

    let started = Instant::now();
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Lock, &["4"]).await });
    let first = bench.expect_request("LOCK", &["4"]).await;
    bench.send_body("? ERR BAD_CRC").await;
    let second = bench.expect_request("LOCK", &["4"]).await;
    assert_ne!(first.tag, second.tag);
    bench
        .send_body(&format!("{} ERR BAD_CRC", second.tag))
        .await;
    let third = bench.expect_request("LOCK", &["4"]).await;
    assert!(!([first.tag, second.tag].contains(&third.tag)));
    bench
        .reply_ok(
            third.tag,
            "activation=unlocked account=none mdm=none carrier=unlocked",
        )
        .await;
    let reply = waiter.await.expect("join").expect("reply");
    assert_eq!(reply.fields.get("account"), Some("none"));
    assert_eq!(
        reply
            .evidence
            .iter()
            .filter(|line| line.direction == Direction::Host)
            .count(),
        3
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    let started = Instant::now();
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Run, &["4", "wifi"]).await });
    bench.expect_request("RUN", &["4", "wifi"]).await;
    bench.send_body("? ERR BAD_CRC").await;
    let error = waiter.await.expect("join").expect_err("RUN is not resent");
    assert!(
        matches!(
            error,
            LinkError::NoAnswer {
                verb: Verb::Run,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(bench
        .line_within(Duration::from_millis(300))
        .await
        .is_none());

    let stats = link.stats();
    assert_eq!(stats.bad_crc_answers, 3);
    assert_eq!(stats.timeouts, 0);
    assert_eq!(stats.retries, 2);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn err_responses_report_the_bench_code_and_message() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["7"]).await });
    let request = bench.expect_request("IDENT", &["7"]).await;
    bench
        .send_body(&format!(
            "{} ERR DEVICE \"no answer over USB\"",
            request.tag
        ))
        .await;
    let error = waiter.await.expect("join").expect_err("ERR");
    match &error {
        LinkError::Bench {
            verb,
            code,
            message,
            ..
        } => {
            assert_eq!(*verb, Verb::Ident);
            assert_eq!(*code, ErrorCode::Device);
            assert_eq!(message.as_deref(), Some("no answer over USB"));
        }
        other => panic!("expected Bench, got {other:?}"),
    }
    assert!(
        bench
            .line_within(Duration::from_millis(400))
            .await
            .is_none(),
        "an ERR answer is final, not retried"
    );
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_lines_are_dropped_counted_and_never_delivered() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let config = LinkConfig {
        request_timeout: Duration::from_secs(4),
        ..quick_config()
    };
    let (link, _) = connect(&mut bench, config).await;
    let mut events = link.subscribe();
    let _ready = next_event(&mut events).await;

    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["3"]).await });
    let request = bench.expect_request("IDENT", &["3"]).await;
    let tag = request.tag;

    let corrupted = frame(&format!("{tag} OK category=phone serial=CORRUPT")).expect("frame");
    let corrupted = corrupted.replace("CORRUPT", "CORRUPS");
    bench.send_raw(corrupted.as_bytes()).await;
    let removed = frame("! REMOVED 3").expect("frame").replace("3*", "4*");
    bench.send_raw(removed.as_bytes()).await;
    bench
        .send_raw(format!("{tag} OK category=phone serial=NOCRC\n").as_bytes())
        .await;
    bench.send_raw(b"\x01\x02garbage\xff*ZZ\n").await;
    let long = "L".repeat(700);
    bench.send_raw(&long.as_bytes()[..300]).await;
    bench
        .send_raw(format!("{}\n", &long[300..]).as_bytes())
        .await;
    bench.send_body("hello world").await;
    bench.send_body("9998 OK serial=STRANGER").await;
    bench.send_body("77 PING").await;
    bench
        .reply_ok(tag, "category=phone make=Acme model=X serial=GOOD")
        .await;

    let reply = waiter.await.expect("join").expect("reply");
    assert_eq!(reply.fields.get("serial"), Some("GOOD"));

    let stats = link.stats();
    assert_eq!(stats.bad_lines.bad_crc, 2, "{stats:?}");
    assert_eq!(stats.bad_lines.missing_crc, 2, "{stats:?}");
    assert_eq!(stats.bad_lines.too_long, 1, "{stats:?}");
    assert_eq!(stats.bad_lines.unparsable, 2, "{stats:?}");
    assert_eq!(stats.bad_lines.unknown_tag, 1, "{stats:?}");
    assert_eq!(stats.bad_lines.total(), 8);
    assert_eq!(stats.events, 0);

    let delivered = queued_events(&mut events);
    assert_eq!(delivered.len(), 8, "{delivered:?}");
    for event in &delivered {
        match event {
            LinkEvent::BadLine { reason } => assert!(!reason.is_empty()),
            other => panic!("only BadLine may be delivered, got {other:?}"),
        }
    }
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_delivers_the_event_then_greets_the_bench_again() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let mut events = link.subscribe();
    let _ready = next_event(&mut events).await;

    let requester = link.clone();
    let ident = tokio::spawn(async move { requester.request(Verb::Ident, &["2"]).await });
    let before_reset = bench.expect_request("IDENT", &["2"]).await;
    let requester = link.clone();
    let run = tokio::spawn(async move { requester.request(Verb::Run, &["2", "mic"]).await });
    bench.expect_request("RUN", &["2", "mic"]).await;

    bench.send_body("! RESET").await;
    // HELLO must come first after a reset, before the forgotten IDENT is asked again.
    let hello = bench.expect_request("HELLO", &[]).await;
    let error = run.await.expect("join").expect_err("RUN is not resent");
    assert!(matches!(error, LinkError::NoAnswer { .. }), "{error:?}");
    assert!(
        link.hello().is_none(),
        "identity unknown until HELLO answers"
    );
    assert!(!link.is_connected());
    bench
        .reply_ok(
            hello.tag,
            "proto=1 vendor=Acme model=PB-8 serial=PB8-0042 fw=2.0.0 slots=8",
        )
        .await;
    let again = bench.expect_request("IDENT", &["2"]).await;
    assert_ne!(again.tag, before_reset.tag);
    bench.reply_ok(again.tag, "category=tablet serial=T2").await;
    let reply = ident
        .await
        .expect("join")
        .expect("resent after the new HELLO");
    assert_eq!(reply.fields.get("serial"), Some("T2"));

    match next_event(&mut events).await {
        LinkEvent::Bench { event, .. } if *event == Event::Reset => {}
        other => panic!("expected the Reset event, got {other:?}"),
    }
    match next_event(&mut events).await {
        LinkEvent::Ready(hello) => assert_eq!(hello.fw, "2.0.0"),
        other => panic!("expected Ready, got {other:?}"),
    }
    assert_eq!(link.hello().map(|hello| hello.fw), Some("2.0.0".to_owned()));
    assert!(link.is_connected());
    assert_eq!(link.stats().resets, 1);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unplug_fails_pending_requests_and_replug_brings_the_link_back() {
    let dir = link_dir();
    let path = dir.path().join("bench0");
    let mut bench = FakeBench::plug(&path);
    let (link, _) = connect(&mut bench, quick_config()).await;
    let mut events = link.subscribe();
    let _ready = next_event(&mut events).await;

    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Ident, &["1"]).await });
    bench.expect_request("IDENT", &["1"]).await;
    // Half a line, then the cable goes.
    bench.send_raw(b"! INSERTED").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    bench.unplug();

    let error = waiter.await.expect("join").expect_err("unplugged");
    assert!(matches!(error, LinkError::Disconnected { .. }), "{error:?}");
    assert!(matches!(
        next_event(&mut events).await,
        LinkEvent::BadLine { .. }
    ));
    assert!(matches!(
        next_event(&mut events).await,
        LinkEvent::Disconnected
    ));
    assert!(!link.is_connected());
    assert!(link.hello().is_none());
    assert_eq!(link.stats().bad_lines.truncated, 1);

    let started = Instant::now();
    let error = link
        .request(Verb::Ping, &[])
        .await
        .expect_err("disconnected");
    assert!(matches!(error, LinkError::Disconnected { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "must fail at once"
    );

    // Several reopen attempts fail while nothing is there.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut bench = FakeBench::plug(&path);
    let hello = bench.expect_request("HELLO", &[]).await;
    // Asked while the bench is being greeted: held until HELLO is answered.
    let requester = link.clone();
    let waiter = tokio::spawn(async move { requester.request(Verb::Slots, &[]).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    bench.reply_ok(hello.tag, HELLO_FIELDS).await;
    let slots = bench.expect_request("SLOTS", &[]).await;
    bench.reply_ok(slots.tag, "n=2 s1=occupied s2=empty").await;
    let reply = waiter.await.expect("join").expect("reply after replug");
    assert_eq!(reply.fields.get("s1"), Some("occupied"));

    match next_event(&mut events).await {
        LinkEvent::Ready(hello) => assert_eq!(hello.serial, "PB8-0042"),
        other => panic!("expected Ready, got {other:?}"),
    }
    assert!(link.is_connected());
    assert_eq!(link.stats().reconnects, 1);
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_stay_unique_among_many_outstanding_requests() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let config = LinkConfig {
        request_timeout: Duration::from_secs(4),
        ..quick_config()
    };
    let (link, _) = connect(&mut bench, config).await;
    let mut waiting = Vec::new();
    for index in 0..60u16 {
        let requester = link.clone();
        let slot = (index % 8 + 1).to_string();
        waiting.push(tokio::spawn(async move {
            requester.request(Verb::Status, &[&slot]).await
        }));
    }
    let mut requests = Vec::new();
    for _ in 0..60 {
        requests.push(bench.next_request().await);
    }
    let tags: HashSet<u16> = requests.iter().map(|request| request.tag).collect();
    assert_eq!(tags.len(), 60);
    // Answer in a scrambled order; each reply names the tag it answers.
    requests.sort_by_key(|request| (u32::from(request.tag) * 7919) % 61);
    for request in &requests {
        bench
            .reply_ok(
                request.tag,
                &format!("state=idle erase=none progress=0 echo={}", request.tag),
            )
            .await;
    }
    for waiter in waiting {
        let reply = waiter.await.expect("join").expect("reply");
        let echoed: u16 = reply
            .fields
            .get("echo")
            .and_then(|text| text.parse().ok())
            .expect("echo field");
        let sent = reply.evidence[0].line.split(' ').next().unwrap_or_default();
        assert_eq!(
            sent,
            echoed.to_string(),
            "reply routed to the wrong request"
        );
    }
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_too_long_for_a_line_is_refused_before_sending() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let long = "x".repeat(600);
    let error = link
        .request(Verb::Run, &["1", &long])
        .await
        .expect_err("too long");
    assert!(matches!(error, LinkError::InvalidRequest(_)), "{error:?}");
    assert!(bench
        .line_within(Duration::from_millis(200))
        .await
        .is_none());
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn close_fails_later_requests_ends_events_and_releases_the_port() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let other_handle = link.clone();
    let mut events = link.subscribe();

    let requester = link.clone();
    let pending = tokio::spawn(async move { requester.request(Verb::Ping, &[]).await });
    bench.expect_request("PING", &[]).await;
    link.close().await;

    let error = pending.await.expect("join").expect_err("closed");
    assert!(matches!(error, LinkError::Closed { .. }), "{error:?}");
    let error = other_handle
        .request(Verb::Ping, &[])
        .await
        .expect_err("closed");
    assert!(matches!(error, LinkError::Closed { .. }), "{error:?}");
    assert!(!other_handle.is_connected());
    assert!(matches!(events.recv().await, Ok(LinkEvent::Ready(_))));
    assert!(matches!(events.recv().await, Err(RecvError::Closed)));
    assert!(matches!(
        other_handle.subscribe().recv().await,
        Err(RecvError::Closed)
    ));

    // The port was really closed: a new link can take it.
    let (again, _) = connect(&mut bench, quick_config()).await;
    again.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_every_handle_stops_the_task_and_closes_the_port() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, quick_config()).await;
    let mut events = link.subscribe();
    drop(link);
    assert!(matches!(events.recv().await, Ok(LinkEvent::Ready(_))));
    let end = tokio::time::timeout(PATIENCE, events.recv()).await;
    assert!(matches!(end, Ok(Err(RecvError::Closed))), "{end:?}");
    let (again, _) = connect(&mut bench, quick_config()).await;
    again.close().await;
}
