//! A bench's answers without a wire or a clock of its own: how a line from the host is read
//! (CRC, length, parse) and answered by the bench state every simulated bench runs on. The
//! simulator's runner reads host lines with [`read_host_line`]; a program that serves a bench on
//! a real serial port (the laptop agent, `refurbdesk agent --serve-serial`) drives a
//! [`Responder`] with the lines it reads and writes back what it returns.

use std::sync::Arc;
use std::time::{Duration, Instant};

use refurbdesk_bench_protocol::{
    encode_message, parse_message, unframe, ErrorCode, LineError, Message, ParseErrorKind,
    ResponseBody, MAX_TAG,
};

use crate::bench::{BenchState, Timer};
use crate::scenario::Scenario;

/// One line from the host, read as a bench reads it (spec §2, §3).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum HostLine {
    Request {
        tag: u16,
        verb: String,
        args: Vec<String>,
    },
    /// Over 512 bytes: answered `? ERR BAD_CRC`, as a line whose tag cannot be trusted.
    TooLong,
    /// No `*XX` tail, or a CRC that does not match: answered `? ERR BAD_CRC`.
    BadCrc,
    /// A good CRC but not a request. `answer` is the error for its tag, when a tag could be read.
    Unreadable { answer: Option<(u16, ResponseBody)> },
}

impl HostLine {
    /// What the bench sends back before the request is even handled: `BAD_CRC` for a line it
    /// cannot trust, `UNKNOWN_VERB` or `BAD_ARGS` for a tagged line that does not parse.
    pub(crate) fn immediate_answer(&self) -> Option<(Option<u16>, ResponseBody)> {
        match self {
            HostLine::TooLong | HostLine::BadCrc => Some((None, bad_crc())),
            HostLine::Unreadable {
                answer: Some((tag, body)),
            } => Some((Some(*tag), body.clone())),
            HostLine::Unreadable { answer: None } | HostLine::Request { .. } => None,
        }
    }
}

/// Reads one line the host sent (as cut by the `LineSplitter`).
pub(crate) fn read_host_line(line: Result<&[u8], LineError>) -> HostLine {
    let Ok(bytes) = line else {
        return HostLine::TooLong;
    };
    let Ok(body) = unframe(bytes) else {
        return HostLine::BadCrc;
    };
    match parse_message(body) {
        Ok(Message::Request { tag, verb, args }) => HostLine::Request { tag, verb, args },
        Ok(_) => HostLine::Unreadable { answer: None },
        Err(error) => HostLine::Unreadable {
            answer: leading_tag(body).map(|tag| {
                let code = if error.kind == ParseErrorKind::BadVerb {
                    ErrorCode::UnknownVerb
                } else {
                    ErrorCode::BadArgs
                };
                let body = ResponseBody::Err {
                    code,
                    message: Some(format!("the request could not be read: {error}")),
                };
                (tag, body)
            }),
        },
    }
}

pub(crate) fn bad_crc() -> ResponseBody {
    ResponseBody::Err {
        code: ErrorCode::BadCrc,
        message: None,
    }
}

/// The tag of a request whose body did not parse, so the host still gets an answer to it.
pub(crate) fn leading_tag(body: &str) -> Option<u16> {
    let first = body.split(' ').next()?;
    if first.is_empty() || first.len() > 4 || !first.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    first.parse().ok().filter(|&tag| tag <= MAX_TAG)
}

/// Scenario validation keeps replies within the line limit; should one slip through, the host
/// still gets an answer instead of silence.
pub(crate) fn too_long_reply(message: &Message) -> Option<String> {
    let Message::Response { tag, .. } = message else {
        return None;
    };
    encode_message(&Message::Response {
        tag: *tag,
        body: ResponseBody::Err {
            code: ErrorCode::Device,
            message: Some("the reply does not fit on one line".to_owned()),
        },
    })
    .ok()
}

/// The answer to one host line.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// `None`: `?`, the line's tag could not be trusted.
    pub tag: Option<u16>,
    /// The request's verb, when the line was a request.
    pub verb: Option<String>,
    /// The request's arguments.
    pub args: Vec<String>,
    pub body: ResponseBody,
}

impl Reply {
    /// The framed line to write, `\n` included.
    pub fn line(&self) -> Option<String> {
        let message = Message::Response {
            tag: self.tag,
            body: self.body.clone(),
        };
        encode_message(&message)
            .ok()
            .or_else(|| too_long_reply(&message))
    }
}

/// A bench from a scenario, answering each host line at once: the simulated benches' answers
/// (slots, `NO_SLOT`, `EMPTY`, `BAD_ARGS`, `UNSUPPORTED`, tests and erases) with the I/O left to
/// the caller. Tests and erases end as events after their scenario durations (unscaled), which
/// the caller collects with [`Responder::due_events`].
pub struct Responder {
    state: BenchState,
    timers: Vec<(Instant, Timer)>,
}

impl Responder {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            state: BenchState::new(Arc::new(scenario)),
            timers: Vec::new(),
        }
    }

    pub fn scenario(&self) -> &Scenario {
        self.state.scenario()
    }

    /// The bench after a power cycle with other devices in place: results, erases and pending
    /// events are forgotten.
    pub fn replace_scenario(&mut self, scenario: Scenario) {
        self.state = BenchState::new(Arc::new(scenario));
        self.timers.clear();
    }

    /// Answers one line from the host; `None` for a line that gets no answer (a good CRC, no
    /// readable tag).
    pub fn answer(&mut self, line: Result<&[u8], LineError>) -> Option<Reply> {
        let host_line = read_host_line(line);
        if let Some((tag, body)) = host_line.immediate_answer() {
            return Some(Reply {
                tag,
                verb: None,
                args: Vec::new(),
                body,
            });
        }
        let HostLine::Request { tag, verb, args } = host_line else {
            return None;
        };
        let mut timers = Vec::new();
        let body = self.state.handle(&verb, &args, &mut timers);
        let now = Instant::now();
        self.timers.extend(
            timers
                .into_iter()
                .map(|s| (now + Duration::from_millis(s.after_ms), s.timer)),
        );
        Some(Reply {
            tag: Some(tag),
            verb: Some(verb),
            args,
            body,
        })
    }

    /// When the next test or erase step is due, if any.
    pub fn next_due(&self) -> Option<Instant> {
        self.timers.iter().map(|(at, _)| *at).min()
    }

    /// The framed event lines of every test or erase step due by `now`, in time order.
    pub fn due_events(&mut self, now: Instant) -> Vec<String> {
        let mut due: Vec<(Instant, Timer)> = Vec::new();
        self.timers.retain(|(at, timer)| {
            if *at <= now {
                due.push((*at, timer.clone()));
                false
            } else {
                true
            }
        });
        due.sort_by_key(|(at, _)| *at);
        due.into_iter()
            .filter_map(|(_, timer)| self.state.fire(timer))
            .filter_map(|event| encode_message(&Message::Event(event)).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_bench_protocol::frame;

    const SCENARIO: &str = r#"
[bench]
vendor = "Acme"
model = "PB-1"
serial = "PB1-1"
fw = "1.0"
slots = 1

[timing]
test_ms = 10

[[device]]
slot = 1
ident = { category = "laptop", make = "Dell Inc.", model = "Latitude 5490" }
battery = { present = "yes", design_mah = "4000", full_mah = "3100" }
tests = { wifi = "PASS" }
"#;

    fn responder() -> Responder {
        Responder::new(Scenario::from_toml(SCENARIO, "t").expect("valid scenario"))
    }

    fn ask(responder: &mut Responder, body: &str) -> String {
        let line = frame(body).expect("framed");
        responder
            .answer(Ok(line.trim_end().as_bytes()))
            .and_then(|reply| reply.line())
            .expect("an answer")
    }

    #[test]
    fn leading_tag_reads_only_valid_tags() {
        assert_eq!(leading_tag("12 hello"), Some(12));
        assert_eq!(leading_tag("9999 X"), Some(9999));
        assert_eq!(leading_tag("10000 X"), None);
        assert_eq!(leading_tag("? ERR"), None);
        assert_eq!(leading_tag("! RESET"), None);
        assert_eq!(leading_tag(" 1 PING"), None);
    }

    #[test]
    fn requests_are_answered_with_their_tag_and_bad_lines_as_the_spec_says() {
        let mut responder = responder();
        let hello = ask(&mut responder, "1 HELLO");
        assert!(hello.starts_with("1 OK proto=1 vendor=Acme"), "{hello}");
        let batt = ask(&mut responder, "2 BATT 1");
        assert!(batt.starts_with("2 OK present=yes design_mah=4000 full_mah=3100*"));
        assert!(ask(&mut responder, "3 IDENT 2").starts_with("3 ERR NO_SLOT"));
        assert!(ask(&mut responder, "4 FROB").starts_with("4 ERR UNKNOWN_VERB"));
        let bad = responder.answer(Ok(b"5 PING*00")).expect("answered");
        assert_eq!(bad.tag, None);
        assert!(bad
            .line()
            .is_some_and(|line| line.starts_with("? ERR BAD_CRC*")));
        let long = responder
            .answer(Err(LineError::TooLong { discarded: 600 }))
            .expect("answered");
        assert_eq!(long.body, bad_crc());
        // A good CRC and no tag: nothing to answer to.
        let event = frame("! RESET").expect("framed");
        assert_eq!(responder.answer(Ok(event.trim_end().as_bytes())), None);
    }

    #[test]
    fn a_test_run_ends_as_a_result_event_once_due() {
        let mut responder = responder();
        assert!(ask(&mut responder, "1 RUN 1 wifi").starts_with("1 OK"));
        let due = responder.next_due().expect("a result is due");
        let events = responder.due_events(due);
        assert_eq!(events.len(), 1);
        assert!(events[0].starts_with("! RESULT 1 wifi PASS*"), "{events:?}");
        assert_eq!(responder.next_due(), None);
        assert!(ask(&mut responder, "2 RESULTS 1").starts_with("2 OK wifi=PASS*"));
    }
}
