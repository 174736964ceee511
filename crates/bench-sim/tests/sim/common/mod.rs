//! A minimal Bench Protocol v1 host on a real serial port (the simulator's PTY), for the tests.

#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use refurbdesk_bench_protocol::{
    frame, parse_message, unframe, ErrorCode, Event, Fields, LineError, LineSplitter, Message,
    ResponseBody,
};
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};
use serialport::SerialPort;

pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(2);

/// One line as the host received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Without its `\n`.
    Line(Vec<u8>),
    /// The splitter discarded a line of this many bytes.
    TooLong(usize),
}

impl Received {
    /// The message, if the line is a valid frame that parses.
    pub fn message(&self) -> Option<Message> {
        match self {
            Received::Line(bytes) => parse_message(unframe(bytes).ok()?).ok(),
            Received::TooLong(_) => None,
        }
    }
}

pub struct Host {
    port: Box<dyn SerialPort>,
    splitter: LineSplitter,
    pending: std::collections::VecDeque<Received>,
    next_tag: u16,
    /// Events seen while waiting for responses, in arrival order.
    pub events: Vec<Event>,
    /// Responses that arrived while another tag was awaited.
    pub stray_responses: Vec<Message>,
    /// Lines that failed their CRC or did not parse.
    pub bad_lines: usize,
}

impl Host {
    pub fn open(link: &Path) -> Host {
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            match Host::try_open(link) {
                Ok(host) => return host,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(error) => panic!("cannot open {}: {error}", link.display()),
            }
        }
    }

    pub fn try_open(link: &Path) -> serialport::Result<Host> {
        let port = serialport::new(link.to_string_lossy(), 115_200)
            .timeout(Duration::from_millis(10))
            .open()?;
        Ok(Host {
            port,
            splitter: LineSplitter::new(),
            pending: Default::default(),
            next_tag: 1,
            events: Vec::new(),
            stray_responses: Vec::new(),
            bad_lines: 0,
        })
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.port.write_all(bytes).expect("host write");
        self.port.flush().expect("host flush");
    }

    /// Frames and sends `<tag> <request>`; returns the tag.
    pub fn send(&mut self, request: &str) -> u16 {
        let tag = self.next_tag;
        self.next_tag = if tag >= 9999 { 1 } else { tag + 1 };
        let line = frame(&format!("{tag} {request}")).expect("a frameable request");
        self.send_raw(line.as_bytes());
        tag
    }

    /// Reads whatever arrives within `timeout` into the pending queue. Err on EOF or a read
    /// error (the bench went away).
    fn fill(&mut self, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut buffer = [0u8; 4096];
        while self.pending.is_empty() {
            match self.port.read(&mut buffer) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(count) => {
                    let pending = &mut self.pending;
                    self.splitter.push(&buffer[..count], |line| {
                        pending.push_back(match line {
                            Ok(bytes) => Received::Line(bytes.to_vec()),
                            Err(LineError::TooLong { discarded }) => Received::TooLong(discarded),
                        })
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::TimedOut => {}
                Err(error) => return Err(error),
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        Ok(())
    }

    /// The next raw line, or None after `timeout`. Panics if the port fails.
    pub fn next_raw(&mut self, timeout: Duration) -> Option<Received> {
        self.fill(timeout).expect("the port failed");
        self.pending.pop_front()
    }

    /// The next line or the error that ended the port.
    pub fn try_next_raw(&mut self, timeout: Duration) -> io::Result<Option<Received>> {
        self.fill(timeout)?;
        Ok(self.pending.pop_front())
    }

    /// Every line until nothing arrives for `quiet`.
    pub fn drain(&mut self, quiet: Duration) -> Vec<Received> {
        std::iter::from_fn(|| self.next_raw(quiet)).collect()
    }

    /// Waits for the response to `tag`, keeping events and other lines aside.
    pub fn response_within(&mut self, tag: u16, timeout: Duration) -> Option<ResponseBody> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let received = self.next_raw(left)?;
            match received.message() {
                Some(Message::Response {
                    tag: Some(got),
                    body,
                }) if got == tag => return Some(body),
                Some(Message::Event(event)) => self.events.push(event),
                Some(other) => self.stray_responses.push(other),
                None => self.bad_lines += 1,
            }
            if left.is_zero() {
                return None;
            }
        }
    }

    pub fn request(&mut self, request: &str) -> ResponseBody {
        let tag = self.send(request);
        self.response_within(tag, ANSWER_TIMEOUT)
            .unwrap_or_else(|| panic!("no answer to `{request}`"))
    }

    pub fn ok(&mut self, request: &str) -> Fields {
        match self.request(request) {
            ResponseBody::Ok(fields) => fields,
            ResponseBody::Err { code, message } => {
                panic!("`{request}` answered ERR {code} {message:?}")
            }
        }
    }

    pub fn err(&mut self, request: &str) -> ErrorCode {
        match self.request(request) {
            ResponseBody::Err { code, .. } => code,
            ResponseBody::Ok(fields) => panic!("`{request}` answered OK {fields:?}"),
        }
    }

    /// The first event (already seen or arriving) that matches.
    pub fn wait_event(&mut self, timeout: Duration, wanted: impl Fn(&Event) -> bool) -> Event {
        if let Some(index) = self.events.iter().position(&wanted) {
            return self.events.remove(index);
        }
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(received) = self.next_raw(left) else {
                break;
            };
            match received.message() {
                Some(Message::Event(event)) if wanted(&event) => return event,
                Some(Message::Event(event)) => self.events.push(event),
                Some(other) => self.stray_responses.push(other),
                None => self.bad_lines += 1,
            }
        }
        panic!("the awaited event did not come; seen {:?}", self.events)
    }
}

/// A link path in a fresh temp dir (kept alive by the returned guard).
pub fn link_in_temp_dir() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let link = folder.path().join("ttyBENCH0");
    (folder, link)
}

pub fn fixture(name: &str) -> Scenario {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == name)
        .unwrap_or_else(|| panic!("no embedded fixture {name}"));
    Scenario::from_toml(text, name).expect("fixture loads")
}

/// The fixture without its timeline, so devices stay where the test puts them.
pub fn fixture_without_timeline(name: &str) -> Scenario {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == name)
        .unwrap_or_else(|| panic!("no embedded fixture {name}"));
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    Scenario::from_toml(&text[..cut], name).expect("fixture loads")
}

/// A small, fast scenario for behaviour tests.
pub const QUICK: &str = r#"
[bench]
vendor = "Acme"
model = "QB-3"
serial = "QB3-0001"
fw = "1.0.0"
slots = 3

[timing]
response_ms = 1
device_ms = 2
test_ms = 30
erase_ms = 100

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12", imei = "356728114587211" }
battery = { present = "yes", design_mah = "2815", full_mah = "2421" }
lock = { activation = "unlocked", account = "none", mdm = "none", carrier = "unlocked" }
tests = { wifi = "PASS", camera_rear = { outcome = "FAIL", detail = "no focus", ms = 60 }, touch = { outcome = "PASS", ms = 400 } }
erase = { factory_reset = "ok", crypto_erase = "failed", detail = "secure enclave busy" }

[[device]]
slot = 2
present = false
ident = { category = "tablet", make = "Apple", model = "iPad (9th generation)" }
tests = { power = "SKIP" }
"#;

pub fn quick() -> Scenario {
    Scenario::from_toml(QUICK, "quick").expect("QUICK is valid")
}

pub fn start(scenario: Scenario, options: SimOptions) -> (tempfile::TempDir, SimBench) {
    let (folder, link) = link_in_temp_dir();
    let bench = SimBench::start(scenario, &link, options).expect("bench starts");
    (folder, bench)
}
