//! Receive-path throughput: split + unframe + parse over a realistic mix of bench traffic.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use refurbdesk_bench_protocol::{
    encode_message, parse_message, unframe, Event, Fields, LineSplitter, Message, ResponseBody,
    TestOutcome,
};

const LINES_IN_STREAM: usize = 1000;

/// Serial reads hand over whatever the driver buffered, so lines straddle chunk borders.
const READ_CHUNK_BYTES: usize = 1024;

fn ident(tag: u16) -> Message {
    Message::Response {
        tag: Some(tag),
        body: ResponseBody::Ok(
            Fields::new()
                .with("category", "phone")
                .with("make", "Apple")
                .with("model", "iPhone 12")
                .with("model_code", "iPhone13,2")
                .with("serial", "F17XK2ABCDEF")
                .with("imei", "356728114587211")
                .with("imei2", "356728114587229")
                .with("storage_gb", "128")
                .with("ram_gb", "4")
                .with("color", "Bleu oc\u{e9}an")
                .with("os", "iOS")
                .with("os_version", "17.5.1"),
        ),
    }
}

fn batt(tag: u16) -> Message {
    Message::Response {
        tag: Some(tag),
        body: ResponseBody::Ok(
            Fields::new()
                .with("present", "yes")
                .with("design_mah", "2815")
                .with("full_mah", "2421")
                .with("cycles", "611")
                .with("soh_pct", "86.0")
                .with("temp_c", "29.5")
                .with("voltage_mv", "3861")
                .with("source", "gasgauge"),
        ),
    }
}

fn lock(tag: u16) -> Message {
    Message::Response {
        tag: Some(tag),
        body: ResponseBody::Ok(
            Fields::new()
                .with("activation", "unlocked")
                .with("account", "none")
                .with("mdm", "none")
                .with("carrier", "unlocked"),
        ),
    }
}

fn result(slot: u16, test: &str, outcome: TestOutcome, detail: Option<&str>) -> Message {
    Message::Event(Event::Result {
        slot,
        test: test.to_owned(),
        outcome,
        detail: detail.map(str::to_owned),
    })
}

fn traffic() -> Vec<u8> {
    let tests = [
        "wifi",
        "bluetooth",
        "camera_rear",
        "speaker",
        "touch",
        "display",
    ];
    let mut stream = Vec::new();
    for index in 0..LINES_IN_STREAM {
        let tag = u16::try_from(index % 10_000).unwrap_or(0);
        let slot = u16::try_from(index % 8 + 1).unwrap_or(1);
        let message = match index % 6 {
            0 => ident(tag),
            1 => batt(tag),
            2 => lock(tag),
            3 => result(slot, tests[index % tests.len()], TestOutcome::Pass, None),
            4 => result(
                slot,
                tests[index % tests.len()],
                TestOutcome::Fail,
                Some("no signal above -80 dBm"),
            ),
            _ => result(slot, "touch", TestOutcome::Skip, None),
        };
        let line = encode_message(&message).expect("benchmark lines fit in 512 bytes");
        stream.extend_from_slice(line.as_bytes());
    }
    stream
}

fn receive(stream: &[u8]) -> usize {
    let mut splitter = LineSplitter::new();
    let mut parsed = 0;
    for chunk in stream.chunks(READ_CHUNK_BYTES) {
        splitter.push(chunk, |line| {
            if let Ok(body) = line
                .map_err(drop)
                .and_then(|line| unframe(line).map_err(drop))
            {
                if let Ok(message) = parse_message(body) {
                    black_box(&message);
                    parsed += 1;
                }
            }
        });
    }
    parsed
}

/// The earlier stages alone, to see where the time of the full path goes.
fn split_only(stream: &[u8], unframe_too: bool) -> usize {
    let mut splitter = LineSplitter::new();
    let mut lines = 0;
    for chunk in stream.chunks(READ_CHUNK_BYTES) {
        splitter.push(chunk, |line| {
            if let Ok(line) = line {
                if !unframe_too || black_box(unframe(line)).is_ok() {
                    lines += 1;
                }
            }
        });
    }
    lines
}

fn split_unframe_parse(c: &mut Criterion) {
    let stream = traffic();
    assert_eq!(receive(&stream), LINES_IN_STREAM, "every line must parse");
    let mut group = c.benchmark_group("receive");
    group.throughput(Throughput::Elements(LINES_IN_STREAM as u64));
    group.bench_function("split_unframe_parse_mix", |b| {
        b.iter(|| receive(black_box(&stream)))
    });
    group.bench_function("split_only", |b| {
        b.iter(|| split_only(black_box(&stream), false))
    });
    group.bench_function("split_unframe", |b| {
        b.iter(|| split_only(black_box(&stream), true))
    });
    group.finish();
}

criterion_group!(benches, split_unframe_parse);
criterion_main!(benches);
