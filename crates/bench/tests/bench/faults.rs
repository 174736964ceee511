//! A link against a fake bench that injects every fault of the simulator's mix: corrupted
//! lines, dropped answers, delays, duplicates, garbage, over-long lines, stray events, resets,
//! misread requests and unplugs. Every reply must hold exactly the bench's fields; anything
//! else must be an error, never a wrong field.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use crate::common::*;
use refurbdesk_bench::{BenchLink, Fields, LinkConfig, LinkError, Verb};
use refurbdesk_bench_protocol::{format_message, frame, Message, ResponseBody};
use tokio::sync::watch;
use tokio::time::{sleep, sleep_until, timeout, Instant};

const SLOTS: u16 = 4;

/// Small deterministic generator so a failure replays the same way.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn chance(&mut self, probability: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < probability
    }
}

#[derive(Clone, Copy)]
struct Rates {
    drop: f64,
    misread: f64,
    corrupt: f64,
    delay: f64,
    duplicate: f64,
    garbage: f64,
    long: f64,
    event: f64,
    reset: f64,
    unplug: f64,
}

const HIGH_RATES: Rates = Rates {
    drop: 0.08,
    misread: 0.05,
    corrupt: 0.08,
    delay: 0.3,
    duplicate: 0.08,
    garbage: 0.08,
    long: 0.05,
    event: 0.25,
    reset: 0.02,
    unplug: 0.0,
};

#[derive(Debug, Default)]
struct Injected {
    corrupted: u64,
    garbage: u64,
    long: u64,
    events: u64,
    resets: u64,
    unplugs: u64,
}

/// What the bench holds: distinct values per slot and verb, so a reply routed to the wrong
/// request can never look right.
fn bench_fields(verb: &str, slot: u16) -> Option<Fields> {
    match verb {
        "IDENT" => Some(
            Fields::new()
                .with("category", "phone")
                .with("make", "Acme")
                .with("model", &format!("Phone {slot} \"Pro\""))
                .with("serial", &format!("SN{slot:04}"))
                .with("storage_gb", &(64 * u32::from(slot)).to_string()),
        ),
        "BATT" => Some(
            Fields::new()
                .with("present", "yes")
                .with("design_mah", "3000")
                .with("full_mah", &(2000 + 100 * u32::from(slot)).to_string())
                .with("cycles", &(100 * u32::from(slot)).to_string())
                .with("source", "gas gauge 100%"),
        ),
        _ => None,
    }
}

fn answer(request: &HostRequest) -> String {
    let fields = match request.verb.as_str() {
        "HELLO" => Some(
            Fields::new()
                .with("proto", "1")
                .with("vendor", "Acme")
                .with("model", "PB-8")
                .with("serial", "PB8-0042")
                .with("fw", "1.4.2")
                .with("slots", &SLOTS.to_string()),
        ),
        verb => request
            .args
            .first()
            .and_then(|slot| slot.parse::<u16>().ok())
            .and_then(|slot| bench_fields(verb, slot)),
    };
    let body = match fields {
        Some(fields) => ResponseBody::Ok(fields),
        None => ResponseBody::Err {
            code: refurbdesk_bench_protocol::ErrorCode::BadArgs,
            message: None,
        },
    };
    let message = Message::Response {
        tag: Some(request.tag),
        body,
    };
    frame(&format_message(&message)).expect("answers fit in a line")
}

/// Changes one body byte: CRC-8 catches every single-byte error, so the line must be dropped.
fn corrupt(line: &str, rng: &mut SplitMix) -> String {
    let star = line.rfind('*').unwrap_or(1);
    let mut bytes = line.as_bytes().to_vec();
    let position = rng.below(star as u64) as usize;
    bytes[position] = if bytes[position] == b'#' { b'$' } else { b'#' };
    String::from_utf8(bytes).expect("ASCII stays ASCII")
}

fn garbage_line(rng: &mut SplitMix) -> Vec<u8> {
    let length = 1 + rng.below(60) as usize;
    let mut line: Vec<u8> = (0..length)
        .map(|_| {
            let byte = rng.below(256) as u8;
            if byte == b'\n' || byte == b'*' {
                b'?'
            } else {
                byte
            }
        })
        .collect();
    line.push(b'\n');
    line
}

fn random_event(rng: &mut SplitMix) -> String {
    let slot = 1 + rng.below(u64::from(SLOTS));
    let body = match rng.below(5) {
        0 => format!("! INSERTED {slot}"),
        1 => format!("! REMOVED {slot}"),
        2 => format!("! RESULT {slot} wifi PASS"),
        3 => format!("! ERASE {slot} progress={}", rng.below(101)),
        _ => format!("! FAULT {slot} \"clamp open\""),
    };
    frame(&body).expect("events fit in a line")
}

/// What a scheduled line is, so it is counted only once it has really been sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Response,
    Corrupted,
    Garbage,
    Long,
    Event,
}

impl Injected {
    fn count(&mut self, kind: Kind) {
        match kind {
            Kind::Response => {}
            Kind::Corrupted => self.corrupted += 1,
            Kind::Garbage => self.garbage += 1,
            Kind::Long => self.long += 1,
            Kind::Event => self.events += 1,
        }
    }
}

type Schedule = BinaryHeap<Reverse<(Instant, u64, Kind, Vec<u8>)>>;

enum Step {
    Line(String),
    Due,
    Stop,
}

/// Answers requests with faults until told to stop; flushes what it still had scheduled and
/// hands the bench back.
async fn serve_with_faults(
    mut bench: FakeBench,
    rates: Rates,
    seed: u64,
    mut stop: watch::Receiver<bool>,
) -> (FakeBench, Injected) {
    let mut rng = SplitMix(seed);
    let mut injected = Injected::default();
    let mut schedule = Schedule::new();
    let mut sequence = 0u64;
    loop {
        let due = schedule.peek().map(|Reverse((at, ..))| *at);
        let step = tokio::select! {
            line = bench.read_line() => Step::Line(line),
            () = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => Step::Due,
            _ = stop.changed() => Step::Stop,
        };
        match step {
            Step::Stop => {
                while let Some(Reverse((_, _, kind, bytes))) = schedule.pop() {
                    injected.count(kind);
                    bench.send_raw(&bytes).await;
                }
                return (bench, injected);
            }
            Step::Due => {
                let now = Instant::now();
                while schedule.peek().is_some_and(|Reverse((at, ..))| *at <= now) {
                    if let Some(Reverse((_, _, kind, bytes))) = schedule.pop() {
                        injected.count(kind);
                        bench.send_raw(&bytes).await;
                    }
                }
            }
            Step::Line(line) => {
                let request = parse_request(&line);
                let is_hello = request.verb == "HELLO";
                if !is_hello && rng.chance(rates.unplug) {
                    schedule.clear();
                    injected.unplugs += 1;
                    let link = bench.link().to_path_buf();
                    bench.unplug();
                    sleep(Duration::from_millis(120)).await;
                    bench = FakeBench::plug(&link);
                    continue;
                }
                if !is_hello && rng.chance(rates.reset) {
                    // A restarted bench forgets everything it was about to say.
                    schedule.clear();
                    injected.resets += 1;
                    injected.events += 1;
                    bench.send_body("! RESET").await;
                    continue;
                }
                if rng.chance(rates.drop) {
                    continue;
                }
                let mut output: Vec<(Kind, Vec<u8>)> = Vec::new();
                if rng.chance(rates.garbage) {
                    output.push((Kind::Garbage, garbage_line(&mut rng)));
                }
                if rng.chance(rates.long) {
                    output.push((Kind::Long, format!("{}\n", "W".repeat(600)).into_bytes()));
                }
                if rng.chance(rates.event) {
                    output.push((Kind::Event, random_event(&mut rng).into_bytes()));
                }
                let mut response = if rng.chance(rates.misread) {
                    frame("? ERR BAD_CRC").expect("frame")
                } else {
                    answer(&request)
                };
                let copies = if rng.chance(rates.duplicate) { 2 } else { 1 };
                let mut kind = Kind::Response;
                if rng.chance(rates.corrupt) {
                    kind = Kind::Corrupted;
                    response = corrupt(&response, &mut rng);
                }
                for _ in 0..copies {
                    output.push((kind, response.clone().into_bytes()));
                }
                let delay = if rng.chance(rates.delay) {
                    Duration::from_millis(rng.below(150))
                } else {
                    Duration::ZERO
                };
                let at = Instant::now() + delay;
                for (kind, bytes) in output {
                    sequence += 1;
                    schedule.push(Reverse((at, sequence, kind, bytes)));
                }
            }
        }
    }
}

#[derive(Debug, Default)]
struct Outcome {
    exact: u32,
    unreachable: u32,
    disconnected: u32,
}

/// Runs `total` IDENT/BATT requests from 8 concurrent callers and checks every reply.
async fn hammer(link: &BenchLink, total: u32) -> Outcome {
    let workers = 8;
    let mut handles = Vec::new();
    for worker in 0..workers {
        let link = link.clone();
        handles.push(tokio::spawn(async move {
            let mut outcome = Outcome::default();
            for index in (worker..total).step_by(workers as usize) {
                let slot = (index % u32::from(SLOTS) + 1) as u16;
                let (verb, wire) = if index % 2 == 0 {
                    (Verb::Ident, "IDENT")
                } else {
                    (Verb::Batt, "BATT")
                };
                let slot_text = slot.to_string();
                match link.request(verb, &[&slot_text]).await {
                    Ok(reply) => {
                        let expected = bench_fields(wire, slot).expect("known verb");
                        assert_eq!(
                            reply.fields, expected,
                            "{wire} {slot} returned fields the bench does not hold"
                        );
                        outcome.exact += 1;
                    }
                    Err(LinkError::Unreachable { .. }) => outcome.unreachable += 1,
                    Err(LinkError::Disconnected { .. }) => {
                        outcome.disconnected += 1;
                        sleep(Duration::from_millis(100)).await;
                    }
                    Err(other) => panic!("{wire} {slot}: unexpected error {other:?}"),
                }
            }
            outcome
        }));
    }
    let mut total_outcome = Outcome::default();
    for handle in handles {
        let outcome = handle.await.expect("a worker panicked");
        total_outcome.exact += outcome.exact;
        total_outcome.unreachable += outcome.unreachable;
        total_outcome.disconnected += outcome.disconnected;
    }
    total_outcome
}

fn chaos_config() -> LinkConfig {
    LinkConfig {
        request_timeout: Duration::from_millis(300),
        retries: 3,
        reopen_interval: Duration::from_millis(40),
        event_buffer: 4096,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_fault_but_unplug_gives_exact_fields_or_errors_and_exact_counts() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, chaos_config()).await;
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(serve_with_faults(bench, HIGH_RATES, 0x5EED_0001, stopped));

    let outcome = timeout(Duration::from_secs(40), hammer(&link, 200))
        .await
        .expect("200 requests finish in time");
    let _ = stop.send(true);
    let (mut bench, injected) = server.await.expect("the fake bench panicked");

    assert_eq!(outcome.exact + outcome.unreachable, 200, "{outcome:?}");
    assert!(
        outcome.exact >= 180,
        "too few answers got through: {outcome:?}"
    );

    // A clean round trip: once it is answered, every earlier line has been handled.
    let requester = link.clone();
    let ping = tokio::spawn(async move { requester.request(Verb::Ping, &[]).await });
    let request = loop {
        let request = bench.next_request().await;
        if request.verb == "PING" {
            break request;
        }
    };
    bench.reply_ok(request.tag, "").await;
    ping.await.expect("join").expect("PING after the storm");

    let stats = link.stats();
    assert!(injected.corrupted > 0 && injected.resets > 0 && injected.long > 0);
    assert_eq!(
        stats.bad_lines.bad_crc, injected.corrupted,
        "{stats:?} {injected:?}"
    );
    assert_eq!(
        stats.bad_lines.missing_crc, injected.garbage,
        "{stats:?} {injected:?}"
    );
    assert_eq!(
        stats.bad_lines.too_long, injected.long,
        "{stats:?} {injected:?}"
    );
    assert_eq!(stats.events, injected.events, "{stats:?} {injected:?}");
    assert_eq!(stats.resets, injected.resets, "{stats:?} {injected:?}");
    assert_eq!(stats.bad_lines.unparsable, 0, "{stats:?}");
    assert_eq!(stats.bad_lines.truncated, 0, "{stats:?}");
    assert!(stats.timeouts > 0 && stats.retries > 0, "{stats:?}");
    assert!(stats.bad_crc_answers > 0, "{stats:?}");
    assert!(
        stats.late_responses + stats.duplicate_responses > 0,
        "{stats:?}"
    );
    assert!(link.is_connected());
    link.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_unplugs_too_requests_give_exact_fields_or_errors() {
    let dir = link_dir();
    let mut bench = FakeBench::plug(&dir.path().join("bench0"));
    let (link, _) = connect(&mut bench, chaos_config()).await;
    let (stop, stopped) = watch::channel(false);
    let rates = Rates {
        unplug: 0.02,
        ..HIGH_RATES
    };
    let server = tokio::spawn(serve_with_faults(bench, rates, 0x5EED_0002, stopped));

    let outcome = timeout(Duration::from_secs(40), hammer(&link, 200))
        .await
        .expect("200 requests finish in time");
    let _ = stop.send(true);
    let (_bench, injected) = server.await.expect("the fake bench panicked");

    assert_eq!(
        outcome.exact + outcome.unreachable + outcome.disconnected,
        200,
        "{outcome:?}"
    );
    assert!(injected.unplugs > 0, "{injected:?}");
    assert!(outcome.disconnected > 0, "{outcome:?}");
    assert!(
        outcome.exact >= 120,
        "too few answers got through: {outcome:?}"
    );
    // The last replug may still be waiting for the link's next reopen attempt.
    let waited = Instant::now();
    while link.stats().reconnects < injected.unplugs && waited.elapsed() < PATIENCE {
        sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(link.stats().reconnects, injected.unplugs);
    link.close().await;
}
