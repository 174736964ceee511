//! The §8 example exchange of the spec, line by line.

use refurbdesk_bench_protocol::{
    crc8, encode_message, parse_message, unframe, Event, Fields, LineSplitter, Message,
    ResponseBody,
};

const EXAMPLE_LINES: [&str; 7] = [
    "1 HELLO*A3",
    "1 OK proto=1 vendor=Acme model=PB-8 serial=PB8-0042 fw=1.4.2 slots=8*A8",
    "! INSERTED 3*B9",
    "2 IDENT 3*74",
    "2 OK category=phone make=Apple model=\"iPhone 12\" model_code=iPhone13,2 serial=F17XK2ABCDEF imei=356728114587211 storage_gb=128*62",
    "3 BATT 3*5F",
    "3 OK present=yes design_mah=2815 full_mah=2421 cycles=611 source=gasgauge*00",
];

fn ok(tag: u16, pairs: &[(&str, &str)]) -> Message {
    Message::Response {
        tag: Some(tag),
        body: ResponseBody::Ok(pairs.iter().copied().collect::<Fields>()),
    }
}

fn request(tag: u16, verb: &str, args: &[&str]) -> Message {
    Message::Request {
        tag,
        verb: verb.to_owned(),
        args: args.iter().map(|arg| (*arg).to_owned()).collect(),
    }
}

fn expected_messages() -> [Message; 7] {
    [
        request(1, "HELLO", &[]),
        ok(
            1,
            &[
                ("proto", "1"),
                ("vendor", "Acme"),
                ("model", "PB-8"),
                ("serial", "PB8-0042"),
                ("fw", "1.4.2"),
                ("slots", "8"),
            ],
        ),
        Message::Event(Event::Inserted { slot: 3 }),
        request(2, "IDENT", &["3"]),
        ok(
            2,
            &[
                ("category", "phone"),
                ("make", "Apple"),
                ("model", "iPhone 12"),
                ("model_code", "iPhone13,2"),
                ("serial", "F17XK2ABCDEF"),
                ("imei", "356728114587211"),
                ("storage_gb", "128"),
            ],
        ),
        request(3, "BATT", &["3"]),
        ok(
            3,
            &[
                ("present", "yes"),
                ("design_mah", "2815"),
                ("full_mah", "2421"),
                ("cycles", "611"),
                ("source", "gasgauge"),
            ],
        ),
    ]
}

#[test]
fn every_example_crc_matches_our_crc8() {
    for line in EXAMPLE_LINES {
        let (body, tail) = line.rsplit_once('*').expect("example has a CRC tail");
        assert_eq!(
            format!("{:02X}", crc8(body.as_bytes())),
            tail,
            "spec example `{line}`"
        );
    }
}

#[test]
fn every_example_line_unframes_and_parses() {
    for (line, expected) in EXAMPLE_LINES.iter().zip(expected_messages()) {
        let body = unframe(line.as_bytes()).unwrap_or_else(|error| panic!("{line}: {error}"));
        assert_eq!(parse_message(body), Ok(expected), "{line}");
    }
}

#[test]
fn encoding_the_examples_reproduces_the_exact_lines() {
    for (line, message) in EXAMPLE_LINES.iter().zip(expected_messages()) {
        assert_eq!(encode_message(&message), Ok(format!("{line}\n")));
    }
}

#[test]
fn the_example_exchange_survives_the_splitter_in_odd_chunks() {
    let stream: String = EXAMPLE_LINES
        .iter()
        .map(|line| format!("{line}\r\n"))
        .collect();
    let mut splitter = LineSplitter::new();
    let mut parsed = Vec::new();
    for chunk in stream.as_bytes().chunks(7) {
        splitter.push(chunk, |line| {
            let line = line.expect("example lines are short");
            let body = unframe(line).expect("example lines carry good CRCs");
            parsed.push(parse_message(body).expect("example lines are valid"));
        });
    }
    assert_eq!(parsed, expected_messages().to_vec());
    assert_eq!(splitter.pending(), 0);
}
