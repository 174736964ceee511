//! A scriptable fake bench on a real PTY: the test reads what the host wrote and decides, line
//! by line, what the bench answers.

#![allow(dead_code)] // each test binary uses a different part of this kit

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

use nix::fcntl::{fcntl, FcntlArg, OFlag};
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg};
use refurbdesk_bench::{BenchLink, Hello, LinkConfig, LinkEvent};
use refurbdesk_bench_protocol::{frame, parse_message, unframe, LineSplitter, Message};
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;
use tokio::sync::broadcast;
use tokio::time::timeout;

/// Longest a test waits for something that must happen; far above any configured timeout.
pub const PATIENCE: Duration = Duration::from_secs(5);

pub const HELLO_FIELDS: &str = "proto=1 vendor=Acme model=PB-8 serial=PB8-0042 fw=1.4.2 slots=8";

/// Short timings so retry and reconnect paths run in well under a second.
pub fn quick_config() -> LinkConfig {
    LinkConfig {
        request_timeout: Duration::from_millis(250),
        retries: 3,
        reopen_interval: Duration::from_millis(40),
        event_buffer: 1024,
    }
}

/// A request as the bench read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRequest {
    pub tag: u16,
    pub verb: String,
    pub args: Vec<String>,
    pub line: String,
}

pub struct FakeBench {
    master: AsyncFd<OwnedFd>,
    /// Held open so the master never sees "no slave" before the host opens the port.
    _slave: OwnedFd,
    link: PathBuf,
    splitter: LineSplitter,
    lines: VecDeque<String>,
}

impl FakeBench {
    /// Creates a PTY and points `link` at its slave, like a bench appearing on USB.
    pub fn plug(link: &Path) -> FakeBench {
        let pty = nix::pty::openpty(None, None).expect("openpty");
        let mut termios = tcgetattr(&pty.slave).expect("tcgetattr");
        cfmakeraw(&mut termios);
        tcsetattr(&pty.slave, SetArg::TCSANOW, &termios).expect("tcsetattr");
        let slave_path = nix::unistd::ttyname(&pty.slave).expect("ttyname");
        let _ = std::fs::remove_file(link);
        std::os::unix::fs::symlink(&slave_path, link).expect("symlink to the PTY");
        let flags = fcntl(&pty.master, FcntlArg::F_GETFL).expect("F_GETFL");
        fcntl(
            &pty.master,
            FcntlArg::F_SETFL(OFlag::from_bits_truncate(flags) | OFlag::O_NONBLOCK),
        )
        .expect("F_SETFL");
        // SAFETY: the OwnedFd stays open for as long as the AsyncFd that owns it.
        let master = unsafe {
            AsyncFd::register_with_interest(pty.master, Interest::READABLE | Interest::WRITABLE)
        }
        .expect("register the PTY master");
        FakeBench {
            master,
            _slave: pty.slave,
            link: link.to_path_buf(),
            splitter: LineSplitter::new(),
            lines: VecDeque::new(),
        }
    }

    pub fn link(&self) -> &Path {
        &self.link
    }

    /// Removes the link and closes the PTY, like pulling the USB cable.
    pub fn unplug(self) {
        let _ = std::fs::remove_file(&self.link);
        drop(self);
    }

    /// The next line the host wrote (without `\n`); panics after [`PATIENCE`].
    pub async fn next_line(&mut self) -> String {
        timeout(PATIENCE, self.read_line())
            .await
            .expect("the host wrote nothing within the test's patience")
    }

    /// The next line, or `None` if the host stays silent for `quiet`.
    pub async fn line_within(&mut self, quiet: Duration) -> Option<String> {
        timeout(quiet, self.read_line()).await.ok()
    }

    /// The next request; panics if the host wrote anything that is not a valid framed request.
    pub async fn next_request(&mut self) -> HostRequest {
        let line = self.next_line().await;
        parse_request(&line)
    }

    pub async fn expect_request(&mut self, verb: &str, args: &[&str]) -> HostRequest {
        let request = self.next_request().await;
        assert_eq!(
            (request.verb.as_str(), request.args.clone()),
            (
                verb,
                args.iter().map(|arg| (*arg).to_owned()).collect::<Vec<_>>()
            ),
            "unexpected request {}",
            request.line
        );
        request
    }

    /// Answers the next request, which must be HELLO, with [`HELLO_FIELDS`].
    pub async fn answer_hello(&mut self) -> HostRequest {
        let hello = self.expect_request("HELLO", &[]).await;
        self.reply_ok(hello.tag, HELLO_FIELDS).await;
        hello
    }

    pub async fn reply_ok(&mut self, tag: u16, fields: &str) {
        let body = if fields.is_empty() {
            format!("{tag} OK")
        } else {
            format!("{tag} OK {fields}")
        };
        self.send_body(&body).await;
    }

    /// Frames `body` with its CRC and writes it.
    pub async fn send_body(&mut self, body: &str) {
        let line = frame(body).expect("test bodies are frameable");
        self.send_raw(line.as_bytes()).await;
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let mut guard = self.master.writable().await.expect("PTY writable");
            match guard.try_io(|fd| nix::unistd::write(fd.get_ref(), rest).map_err(Into::into)) {
                Ok(Ok(count)) => rest = &rest[count..],
                Ok(Err(error)) => panic!("writing to the PTY master failed: {error}"),
                Err(_would_block) => {}
            }
        }
    }

    /// The next line, waiting as long as it takes (forever once the host has closed the port).
    /// Cancel-safe: a line is never lost when the future is dropped.
    pub async fn read_line(&mut self) -> String {
        loop {
            if let Some(line) = self.lines.pop_front() {
                return line;
            }
            let mut guard = self.master.readable().await.expect("PTY readable");
            let mut buffer = [0u8; 4096];
            let read =
                guard.try_io(|fd| nix::unistd::read(fd.get_ref(), &mut buffer).map_err(Into::into));
            match read {
                Ok(Ok(0)) => std::future::pending::<()>().await,
                Ok(Ok(count)) => {
                    let lines = &mut self.lines;
                    self.splitter.push(&buffer[..count], |line| {
                        let line = line.expect("the host never writes over-long lines");
                        lines.push_back(String::from_utf8_lossy(line).into_owned());
                    });
                }
                // EIO: the host closed its side; nothing more will come.
                Ok(Err(_)) => std::future::pending::<()>().await,
                Err(_would_block) => {}
            }
        }
    }
}

pub fn parse_request(line: &str) -> HostRequest {
    let body = unframe(line.as_bytes())
        .unwrap_or_else(|error| panic!("host line {line:?} is badly framed: {error}"));
    match parse_message(body) {
        Ok(Message::Request { tag, verb, args }) => HostRequest {
            tag,
            verb,
            args,
            line: line.to_owned(),
        },
        other => panic!("host line {line:?} is not a request: {other:?}"),
    }
}

/// Connects while the fake bench answers the HELLO.
pub async fn connect(bench: &mut FakeBench, config: LinkConfig) -> (BenchLink, Hello) {
    let connecting = tokio::spawn(BenchLink::connect(bench.link().to_path_buf(), config));
    bench.answer_hello().await;
    timeout(PATIENCE, connecting)
        .await
        .expect("connect returned")
        .expect("connect task")
        .expect("connect succeeded")
}

/// The next event, failing the test after [`PATIENCE`].
pub async fn next_event(events: &mut broadcast::Receiver<LinkEvent>) -> LinkEvent {
    timeout(PATIENCE, events.recv())
        .await
        .expect("an event within the test's patience")
        .expect("the event stream is open")
}

/// Everything already queued, without waiting.
pub fn queued_events(events: &mut broadcast::Receiver<LinkEvent>) -> Vec<LinkEvent> {
    let mut queued = Vec::new();
    while let Ok(event) = events.try_recv() {
        queued.push(event);
    }
    queued
}

/// A temporary folder for the bench links of one test.
pub fn link_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}
