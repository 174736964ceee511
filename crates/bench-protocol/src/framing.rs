//! `body*XX` framing: the CRC tail that lets a receiver drop corrupted lines.

use crate::crc::crc8;

/// Longest line allowed on the wire, including its `\n` (and a `\r` before it, if any).
pub const MAX_LINE_BYTES: usize = 512;

/// `*XX` after the body.
const CRC_TAIL_BYTES: usize = 3;

/// Longest body that still fits in [`MAX_LINE_BYTES`] once `*XX\n` is added.
pub const MAX_BODY_BYTES: usize = MAX_LINE_BYTES - CRC_TAIL_BYTES - 1;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Why a line could not be framed or did not pass its frame check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error(
        "the line has no `*XX` CRC tail; drop it and count it as a bad line \
         (every Bench Protocol v1 line must end in `*` and two hex digits)"
    )]
    MissingCrc,
    #[error(
        "CRC mismatch: the body hashes to {expected:02X} but the line carries {found:02X}; \
         the line was corrupted on the wire, drop it and count it as a bad line"
    )]
    BadCrc { expected: u8, found: u8 },
    #[error(
        "the CRC tail after `*` is not two uppercase hex digits; drop the line and \
         count it as a bad line"
    )]
    BadHex,
    #[error(
        "byte {position} of the body is not printable ASCII (0x20..=0x7E); values must \
         write such bytes as %XX"
    )]
    NotPrintable { position: usize },
    #[error(
        "byte {position} of the body is `*`, which is reserved for the CRC tail; values \
         must write it as %2A"
    )]
    ReservedStar { position: usize },
    #[error(
        "the line would be {len} bytes long, over the {max_line}-byte limit; \
         shorten the message (a body may hold at most {max_body} bytes)",
        max_line = MAX_LINE_BYTES,
        max_body = MAX_BODY_BYTES
    )]
    TooLong { len: usize },
    #[error("the body is empty; a line must carry at least one byte before `*XX`")]
    EmptyBody,
}

/// Frames a body: returns "body*XX\n" (uppercase hex). Errors if body has '*', '\n', or bytes
/// outside 0x20..=0x7E, or if the framed line would exceed 512 bytes.
pub fn frame(body: &str) -> Result<String, FrameError> {
    check_body(body.as_bytes())?;
    let len = body.len() + CRC_TAIL_BYTES + 1;
    if len > MAX_LINE_BYTES {
        return Err(FrameError::TooLong { len });
    }
    let crc = crc8(body.as_bytes());
    let mut line = String::with_capacity(len);
    line.push_str(body);
    line.push('*');
    line.push(char::from(UPPER_HEX[usize::from(crc >> 4)]));
    line.push(char::from(UPPER_HEX[usize::from(crc & 0x0F)]));
    line.push('\n');
    Ok(line)
}

/// Checks one received line (without its '\n'; a trailing '\r' is tolerated and ignored):
/// "*XX" tail present, CRC matches, body printable ASCII w/o '*'. Returns the body.
pub fn unframe(line: &[u8]) -> Result<&str, FrameError> {
    // The limit counts the terminator, and a `\r` is part of the line too.
    let len_on_wire = line.len() + 1;
    if len_on_wire > MAX_LINE_BYTES {
        return Err(FrameError::TooLong { len: len_on_wire });
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let [body @ .., b'*', high, low] = line else {
        return Err(FrameError::MissingCrc);
    };
    let found = match (hex_digit(*high), hex_digit(*low)) {
        (Some(high), Some(low)) => (high << 4) | low,
        _ => return Err(FrameError::BadHex),
    };
    check_body(body)?;
    let expected = crc8(body);
    if expected != found {
        return Err(FrameError::BadCrc { expected, found });
    }
    // check_body guarantees ASCII, so this never fails; mapping keeps it panic-free regardless.
    std::str::from_utf8(body).map_err(|error| FrameError::NotPrintable {
        position: error.valid_up_to(),
    })
}

/// The framing grammar: `1*( %x20-29 / %x2B-7E )`.
fn check_body(body: &[u8]) -> Result<(), FrameError> {
    if body.is_empty() {
        return Err(FrameError::EmptyBody);
    }
    match first_forbidden_byte(body) {
        None => Ok(()),
        Some(position) if body[position] == b'*' => Err(FrameError::ReservedStar { position }),
        Some(position) => Err(FrameError::NotPrintable { position }),
    }
}

fn is_forbidden_in_body(byte: u8) -> bool {
    !(0x20..=0x7E).contains(&byte) || byte == b'*'
}

/// Position of the first byte outside `%x20-29 / %x2B-7E`. Good lines are the common case, so
/// the whole body is checked without early exit (which lets the compiler vectorise it), and the
/// position is searched for only when something is wrong.
pub(crate) fn first_forbidden_byte(body: &[u8]) -> Option<usize> {
    let any_forbidden = body
        .iter()
        .fold(false, |found, &byte| found | is_forbidden_in_body(byte));
    if any_forbidden {
        body.iter().position(|&byte| is_forbidden_in_body(byte))
    } else {
        None
    }
}

/// Uppercase only: the grammar says so, and accepting both would hide a non-conforming bench.
fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

pub(crate) fn upper_hex_digit(nibble: u8) -> char {
    char::from(UPPER_HEX[usize::from(nibble & 0x0F)])
}

pub(crate) fn parse_upper_hex_pair(high: u8, low: u8) -> Option<u8> {
    Some((hex_digit(high)? << 4) | hex_digit(low)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_appends_uppercase_crc_and_newline() {
        assert_eq!(frame("1 HELLO").as_deref(), Ok("1 HELLO*A3\n"));
        assert_eq!(frame("123456789").as_deref(), Ok("123456789*F4\n"));
    }

    #[test]
    fn frame_pads_small_crcs_to_two_digits() {
        // From the spec example: this body hashes to 0x00.
        let body = "3 OK present=yes design_mah=2815 full_mah=2421 cycles=611 source=gasgauge";
        assert_eq!(frame(body), Ok(format!("{body}*00\n")));
    }

    #[test]
    fn frame_rejects_reserved_and_unprintable_bytes() {
        assert_eq!(
            frame("1 OK a=*"),
            Err(FrameError::ReservedStar { position: 7 })
        );
        assert_eq!(
            frame("1 PING\n"),
            Err(FrameError::NotPrintable { position: 6 })
        );
        assert_eq!(
            frame("1 OK x=\u{e9}"),
            Err(FrameError::NotPrintable { position: 7 })
        );
        assert_eq!(
            frame("\t1 PING"),
            Err(FrameError::NotPrintable { position: 0 })
        );
        assert_eq!(frame(""), Err(FrameError::EmptyBody));
    }

    #[test]
    fn frame_enforces_the_line_limit_exactly() {
        let longest = "A".repeat(MAX_BODY_BYTES);
        let line = frame(&longest).expect("a body of MAX_BODY_BYTES fits");
        assert_eq!(line.len(), MAX_LINE_BYTES);
        let too_long = "A".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            frame(&too_long),
            Err(FrameError::TooLong {
                len: MAX_LINE_BYTES + 1
            })
        );
    }

    #[test]
    fn unframe_returns_the_body_of_a_good_line() {
        assert_eq!(unframe(b"1 HELLO*A3"), Ok("1 HELLO"));
    }

    #[test]
    fn unframe_ignores_one_trailing_carriage_return() {
        assert_eq!(unframe(b"1 HELLO*A3\r"), Ok("1 HELLO"));
        // Only the one right before the terminator is tolerated.
        assert_eq!(unframe(b"1 HELLO*A3\r\r"), Err(FrameError::MissingCrc));
    }

    #[test]
    fn unframe_detects_a_wrong_crc() {
        assert_eq!(
            unframe(b"1 HELLO*A4"),
            Err(FrameError::BadCrc {
                expected: 0xA3,
                found: 0xA4
            })
        );
        assert_eq!(
            unframe(b"1 HELLP*A3"),
            Err(FrameError::BadCrc {
                expected: crc8(b"1 HELLP"),
                found: 0xA3
            })
        );
    }

    #[test]
    fn unframe_requires_the_crc_tail() {
        assert_eq!(unframe(b"1 HELLO"), Err(FrameError::MissingCrc));
        assert_eq!(unframe(b"1 HELLO*A"), Err(FrameError::MissingCrc));
        assert_eq!(unframe(b""), Err(FrameError::MissingCrc));
        assert_eq!(unframe(b"*A"), Err(FrameError::MissingCrc));
        assert_eq!(unframe(b"1 HELLO*A3 "), Err(FrameError::MissingCrc));
    }

    #[test]
    fn unframe_requires_uppercase_hex() {
        assert_eq!(unframe(b"1 HELLO*a3"), Err(FrameError::BadHex));
        assert_eq!(unframe(b"1 HELLO*G3"), Err(FrameError::BadHex));
        assert_eq!(unframe(b"1 HELLO*3 "), Err(FrameError::BadHex));
    }

    #[test]
    fn unframe_rejects_an_empty_body() {
        assert_eq!(unframe(b"*00"), Err(FrameError::EmptyBody));
    }

    #[test]
    fn unframe_rejects_bad_body_bytes_even_with_a_matching_crc() {
        let body = b"1 OK a=\x01";
        let crc = crc8(body);
        let mut line = body.to_vec();
        line.extend_from_slice(format!("*{crc:02X}").as_bytes());
        assert_eq!(
            unframe(&line),
            Err(FrameError::NotPrintable { position: 7 })
        );

        let body = b"1 OK a=*";
        let crc = crc8(body);
        let mut line = body.to_vec();
        line.extend_from_slice(format!("*{crc:02X}").as_bytes());
        assert_eq!(
            unframe(&line),
            Err(FrameError::ReservedStar { position: 7 })
        );
    }

    #[test]
    fn unframe_enforces_the_line_limit_counting_cr_and_lf() {
        let line = frame(&"B".repeat(MAX_BODY_BYTES)).expect("fits");
        let without_newline = line.trim_end_matches('\n');
        assert!(unframe(without_newline.as_bytes()).is_ok());

        let mut with_cr = without_newline.to_owned();
        with_cr.push('\r');
        assert_eq!(
            unframe(with_cr.as_bytes()),
            Err(FrameError::TooLong {
                len: MAX_LINE_BYTES + 1
            })
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        let message = FrameError::BadCrc {
            expected: 0x0A,
            found: 0xB0,
        }
        .to_string();
        assert!(
            message.contains("0A") && message.contains("B0"),
            "{message}"
        );
        assert!(message.contains("drop"), "{message}");
        let message = FrameError::NotPrintable { position: 12 }.to_string();
        assert!(
            message.contains("12") && message.contains("%XX"),
            "{message}"
        );
    }
}
