//! Pure codec of Bench Protocol v1: turns the bytes a test bench sends into checked, typed messages and back.
//!
//! No I/O and no async: the host client, the bench simulator and the property tests all build
//! on it. The layers follow the spec (`shared/specs/bench-protocol-v1.md`):
//!
//! 1. [`LineSplitter`] cuts the byte stream into lines of at most [`MAX_LINE_BYTES`].
//! 2. [`unframe`] checks the `*XX` CRC-8 tail ([`crc8`]) and returns the body; [`frame`] adds it.
//! 3. [`parse_message`] turns a body into a [`Message`]; [`format_message`] does the reverse.
//! 4. [`responses`] reads the fields of the HELLO/SLOTS/STATUS/RESULTS/TESTS replies.
//!
//! ```
//! use refurbdesk_bench_protocol::{parse_message, unframe, Event, LineSplitter, Message};
//!
//! let mut splitter = LineSplitter::new();
//! let mut events = Vec::new();
//! splitter.push(b"! INSERTED 3*B9\n", |line| {
//!     if let Ok(body) = line.map_err(|_| ()).and_then(|l| unframe(l).map_err(|_| ())) {
//!         events.push(parse_message(body));
//!     }
//! });
//! assert_eq!(events, vec![Ok(Message::Event(Event::Inserted { slot: 3 }))]);
//! ```

mod crc;
mod framing;
mod message;
pub mod responses;
mod splitter;
mod value;

pub use crc::crc8;
pub use framing::{frame, unframe, FrameError, MAX_BODY_BYTES, MAX_LINE_BYTES};
pub use message::{
    encode_message, format_message, is_valid_key, parse_message, ErrorCode, Event, Fields, Message,
    ParseError, ParseErrorKind, ResponseBody, TestOutcome, MAX_TAG,
};
pub use splitter::{LineError, LineSplitter};
pub use value::encode_value;
