//! Properties over generated input: robustness, round trips and error detection.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use refurbdesk_bench_protocol::{
    crc8, encode_message, format_message, frame, parse_message, unframe, ErrorCode, Event, Fields,
    LineError, LineSplitter, Message, ResponseBody, TestOutcome, MAX_LINE_BYTES,
};

/// Bytes that steer random input toward the interesting branches of the splitter and parser:
/// half stay arbitrary, half become separators, quotes, escapes, digits or hex. Mapping whole
/// vectors keeps generation cheap enough for hundreds of multi-kilobyte streams.
fn noise(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    const STEERED: &[u8] = b"\n\n\r**  \"\"\\%%==0123456789ABCDEF!?";
    vec(any::<u8>(), 0..max_len).prop_map(|bytes| {
        bytes
            .into_iter()
            .map(|byte| {
                if byte < 128 {
                    byte
                } else {
                    STEERED[usize::from(byte) % STEERED.len()]
                }
            })
            .collect()
    })
}

/// Text that exercises quoting and escaping; mixed with arbitrary Unicode.
fn value_text() -> impl Strategy<Value = String> {
    let piece = select(vec![
        "a",
        "Z",
        "0",
        " ",
        "  ",
        "\"",
        "\\",
        "%",
        "%25",
        "*",
        "=",
        ",",
        "!",
        "?",
        "\u{e9}",
        "\u{1F600}",
        "\u{0}",
        "\n",
        "\r",
        "\t",
        "\u{7f}",
        "OK",
        "ERR",
    ]);
    prop_oneof![
        vec(piece, 0..10).prop_map(|pieces| pieces.concat()),
        any::<String>(),
        "[ -~]{0,16}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,12}"
}

fn slot() -> impl Strategy<Value = u16> {
    1..=u16::MAX
}

fn fields() -> impl Strategy<Value = Fields> {
    vec((key(), value_text()), 0..8).prop_map(|pairs| {
        let mut fields = Fields::new();
        for (key, value) in &pairs {
            fields.insert(key, value);
        }
        fields
    })
}

fn error_code() -> impl Strategy<Value = ErrorCode> {
    select(ErrorCode::ALL.to_vec())
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        slot().prop_map(|slot| Event::Inserted { slot }),
        slot().prop_map(|slot| Event::Removed { slot }),
        (
            slot(),
            key(),
            select(TestOutcome::ALL.to_vec()),
            proptest::option::of(value_text())
        )
            .prop_map(|(slot, test, outcome, detail)| Event::Result {
                slot,
                test,
                outcome,
                detail
            }),
        (slot(), 0..=100u8).prop_map(|(slot, progress)| Event::EraseProgress { slot, progress }),
        (slot(), any::<bool>(), proptest::option::of(value_text()))
            .prop_map(|(slot, ok, detail)| Event::EraseDone { slot, ok, detail }),
        (slot(), value_text()).prop_map(|(slot, message)| Event::Fault { slot, message }),
        Just(Event::Reset),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    let tag = 0..=9999u16;
    prop_oneof![
        (
            tag.clone(),
            "[A-Z][A-Z0-9_]{0,10}".prop_filter("OK and ERR mark responses", |verb| {
                verb != "OK" && verb != "ERR"
            }),
            vec(value_text(), 0..4)
        )
            .prop_map(|(tag, verb, args)| Message::Request { tag, verb, args }),
        (tag.clone(), fields()).prop_map(|(tag, fields)| Message::Response {
            tag: Some(tag),
            body: ResponseBody::Ok(fields)
        }),
        (tag, error_code(), proptest::option::of(value_text())).prop_map(|(tag, code, message)| {
            Message::Response {
                tag: Some(tag),
                body: ResponseBody::Err { code, message },
            }
        }),
        proptest::option::of(value_text()).prop_map(|message| Message::Response {
            tag: None,
            body: ResponseBody::Err {
                code: ErrorCode::BadCrc,
                message
            }
        }),
        event().prop_map(Message::Event),
    ]
}

/// A framed line without its `\n`, from a message short enough to frame.
fn framed_line() -> impl Strategy<Value = Vec<u8>> {
    message().prop_filter_map("message too long to frame", |message| {
        encode_message(&message).ok().map(|line| {
            let mut bytes = line.into_bytes();
            bytes.pop();
            bytes
        })
    })
}

/// Random bytes, valid lines and damaged lines, glued together and cut into random chunks.
fn hostile_stream() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    let part = prop_oneof![
        3 => noise(700),
        1 => (0usize..1500).prop_map(|len| vec![b'y'; len]),
        2 => framed_line().prop_map(|mut line| { line.push(b'\n'); line }),
        1 => (framed_line(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut line, at, byte)| {
            let position = at.index(line.len());
            line[position] = byte;
            line.push(b'\n');
            line
        }),
        1 => noise(6).prop_map(|noise| {
            // A body of noise with a correct CRC, to reach the parser.
            let body: Vec<u8> = noise.into_iter().collect();
            let mut line = body.clone();
            line.extend_from_slice(format!("*{:02X}\n", crc8(&body)).as_bytes());
            line
        }),
    ];
    (vec(part, 0..12), vec(1usize..300, 1..20)).prop_map(|(parts, cuts)| (parts.concat(), cuts))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (1) Whatever arrives, nothing panics and the splitter stays within one line of memory.
    #[test]
    fn hostile_streams_never_panic_and_memory_stays_bounded((stream, cuts) in hostile_stream()) {
        let mut splitter = LineSplitter::new();
        let mut rest = stream.as_slice();
        let mut cut_sizes = cuts.iter().cycle();
        while !rest.is_empty() {
            let size = cut_sizes.next().copied().unwrap_or(1).min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            let mut line_error = None;
            splitter.push(chunk, |line| match line {
                Ok(line) => {
                    if line.len() >= MAX_LINE_BYTES {
                        line_error = Some(format!("line of {} bytes handed out", line.len()));
                    }
                    if let Ok(body) = unframe(line) {
                        if let Ok(message) = parse_message(body) {
                            // Whatever parses must survive its own formatting.
                            if parse_message(&format_message(&message)).as_ref() != Ok(&message) {
                                line_error = Some(format!("`{body}` does not re-parse"));
                            }
                        }
                    }
                }
                Err(LineError::TooLong { discarded }) => {
                    if discarded <= MAX_LINE_BYTES {
                        line_error = Some(format!("TooLong for {discarded} bytes"));
                    }
                }
            });
            prop_assert_eq!(line_error, None);
            prop_assert!(splitter.pending() < MAX_LINE_BYTES);
        }
    }

    /// The splitter agrees with a plain `split('\n')` model, however the stream is cut.
    #[test]
    fn splitter_matches_a_reference_model(
        lines in vec(prop_oneof![
            vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..40),
            (0usize..1200).prop_map(|len| vec![b'x'; len]),
            // Right around the limit, where off-by-one mistakes live.
            (MAX_LINE_BYTES - 3..MAX_LINE_BYTES + 3).prop_map(|len| vec![b'z'; len]),
        ], 0..10),
        cuts in vec(1usize..700, 1..10),
    ) {
        let mut stream = Vec::new();
        for line in &lines {
            stream.extend_from_slice(line);
            stream.push(b'\n');
        }
        let expected: Vec<Result<Vec<u8>, LineError>> = lines
            .iter()
            .map(|line| {
                if line.len() < MAX_LINE_BYTES {
                    Ok(line.clone())
                } else {
                    Err(LineError::TooLong { discarded: line.len() + 1 })
                }
            })
            .collect();
        let mut splitter = LineSplitter::new();
        let mut actual = Vec::new();
        let mut rest = stream.as_slice();
        let mut cut_sizes = cuts.iter().cycle();
        while !rest.is_empty() {
            let size = cut_sizes.next().copied().unwrap_or(1).min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            rest = tail;
            splitter.push(chunk, |line| actual.push(line.map(<[u8]>::to_vec)));
        }
        prop_assert_eq!(actual, expected);
        prop_assert_eq!(splitter.pending(), 0);
    }

    /// (2) format → parse is the identity for every valid message, and so is the full wire
    /// path (frame → split → unframe → parse) when the message fits in a line.
    #[test]
    fn messages_round_trip(message in message(), chunk in 1usize..64) {
        let body = format_message(&message);
        prop_assert_eq!(parse_message(&body), Ok(message.clone()), "body: {}", body);

        if let Ok(line) = encode_message(&message) {
            let mut splitter = LineSplitter::new();
            let mut received = Vec::new();
            for piece in line.as_bytes().chunks(chunk) {
                splitter.push(piece, |line| {
                    received.push(
                        line.map_err(|error| error.to_string())
                            .and_then(|line| unframe(line).map_err(|error| error.to_string()))
                            .and_then(|body| parse_message(body).map_err(|error| error.to_string())),
                    );
                });
            }
            prop_assert_eq!(received, vec![Ok(message)]);
        } else {
            prop_assert!(body.len() + 4 > MAX_LINE_BYTES, "only length may stop framing");
        }
    }

    /// Any printable body without `*` frames and unframes to itself.
    #[test]
    fn frame_then_unframe_is_identity(body in "[ -)+-~]{1,508}") {
        let line = frame(&body).expect("valid body");
        prop_assert!(line.len() <= MAX_LINE_BYTES);
        prop_assert_eq!(unframe(line.trim_end_matches('\n').as_bytes()), Ok(body.as_str()));
    }

    /// (3) CRC-8 with x^0 in its polynomial catches every single-bit error.
    #[test]
    fn every_single_bit_flip_is_rejected(line in framed_line(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut damaged = line.clone();
        let position = at.index(damaged.len());
        damaged[position] ^= 1 << bit;
        prop_assert!(unframe(&damaged).is_err(), "flip of bit {} at {} accepted: {:?}", bit, position, String::from_utf8_lossy(&damaged));
    }

    /// Stronger than asked: a single-byte substitution is an error burst of at most 8 bits,
    /// which CRC-8 always detects, so no collision is possible for a one-byte change either.
    #[test]
    fn every_single_byte_change_is_rejected(line in framed_line(), at in any::<prop::sample::Index>(), replacement in any::<u8>()) {
        let position = at.index(line.len());
        prop_assume!(line[position] != replacement);
        let mut damaged = line.clone();
        damaged[position] = replacement;
        // A `\r` that lands last would be stripped as a line terminator; that is not a change
        // of the body or CRC any more, and it is still rejected because the tail moves.
        prop_assert!(unframe(&damaged).is_err(), "change at {} accepted: {:?}", position, String::from_utf8_lossy(&damaged));
    }
}

/// Exhaustive companion to the random flips: every bit of one realistic line.
#[test]
fn every_bit_of_a_real_line_is_protected() {
    let line = b"2 OK category=phone make=Apple model=\"iPhone 12\" imei=356728114587211*";
    let body = &line[..line.len() - 1];
    let framed = frame(std::str::from_utf8(body).expect("ascii")).expect("fits");
    let framed = framed.trim_end_matches('\n').as_bytes().to_vec();
    assert!(unframe(&framed).is_ok());
    for position in 0..framed.len() {
        for bit in 0..8 {
            let mut damaged = framed.clone();
            damaged[position] ^= 1 << bit;
            assert!(
                unframe(&damaged).is_err(),
                "bit {bit} of byte {position} went undetected"
            );
        }
    }
}
