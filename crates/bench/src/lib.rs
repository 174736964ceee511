//! Host side of Bench Protocol v1: keeps one test bench's serial link alive and turns it into tagged requests, replies and events.
//!
//! A [`BenchLink`] owns one bench port (`/dev/ttyACM*`, `/dev/ttyUSB*`, a simulator's PTY). It
//! runs one tokio task per bench that opens the port, frames and checks every line with
//! `refurbdesk-bench-protocol`, matches responses to requests by tag, retries what may be
//! retried, broadcasts events, re-greets the bench after `! RESET` and reopens the port after an
//! unplug. It knows nothing about intakes or devices; those are built on top of it.
//!
//! ```no_run
//! use refurbdesk_bench::{BenchLink, LinkConfig, LinkEvent, Verb};
//!
//! # async fn demo() -> Result<(), refurbdesk_bench::LinkError> {
//! let (link, hello) = BenchLink::connect("/dev/ttyACM0", LinkConfig::default()).await?;
//! println!("{} {} with {} slots", hello.vendor, hello.model, hello.slots);
//! let mut events = link.subscribe();
//! let ident = link.request(Verb::Ident, &["3"]).await?;
//! println!("make: {:?}", ident.fields.get("make"));
//! while let Ok(event) = events.try_recv() {
//!     if let LinkEvent::Bench { event, .. } = event {
//!         println!("before the reply: {event:?}");
//!     }
//! }
//! link.close().await;
//! # Ok(())
//! # }
//! ```
//!
//! Host behaviour in short (spec §1–§3, §7):
//! - Tags run 1, 2, … 9999, 0, 1, … and skip every tag still outstanding or finished less than
//!   a minute ago, so a stray response can never be taken for a newer request's.
//! - Each attempt waits [`LinkConfig::request_timeout`]. Idempotent verbs are resent under a
//!   new tag up to [`LinkConfig::retries`] times; `RUN` and `ERASE` are sent once.
//! - Events and responses are handled strictly in arrival order by the one task, so an event
//!   that arrived before a response is already in every subscriber's queue when that
//!   response's [`BenchLink::request`] returns.

mod error;
mod port;
mod stats;
mod tags;
mod task;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use refurbdesk_bench_protocol::{encode_message, Message, MAX_TAG};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, oneshot};

pub use error::LinkError;
pub use refurbdesk_bench_protocol::responses::Hello;
pub use refurbdesk_bench_protocol::{ErrorCode, Event, Fields};
pub use refurbdesk_domain::{Direction, EvidenceLine};
pub use stats::{BadLineCounts, BadLineKind, LinkStats};

/// Timing and buffering of one link. The defaults are the spec's (§7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkConfig {
    /// How long one attempt waits for its response (spec: 2000 ms; a bench answers within 1000).
    pub request_timeout: Duration,
    /// Extra attempts for idempotent verbs after a timeout or an `ERR BAD_CRC` (spec: 3).
    pub retries: u32,
    /// Pause between attempts to reopen a lost port.
    pub reopen_interval: Duration,
    /// Events a subscriber may fall behind by before it misses some (it then gets `Lagged`).
    pub event_buffer: usize,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_millis(2000),
            retries: 3,
            reopen_interval: Duration::from_millis(250),
            event_buffer: 1024,
        }
    }
}

/// The requests of spec §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Hello,
    Ping,
    Slots,
    Ident,
    Batt,
    Lock,
    Tests,
    Run,
    Erase,
    Results,
    Status,
}

impl Verb {
    pub const ALL: [Verb; 11] = [
        Verb::Hello,
        Verb::Ping,
        Verb::Slots,
        Verb::Ident,
        Verb::Batt,
        Verb::Lock,
        Verb::Tests,
        Verb::Run,
        Verb::Erase,
        Verb::Results,
        Verb::Status,
    ];

    /// Wire spelling, e.g. `IDENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Hello => "HELLO",
            Verb::Ping => "PING",
            Verb::Slots => "SLOTS",
            Verb::Ident => "IDENT",
            Verb::Batt => "BATT",
            Verb::Lock => "LOCK",
            Verb::Tests => "TESTS",
            Verb::Run => "RUN",
            Verb::Erase => "ERASE",
            Verb::Results => "RESULTS",
            Verb::Status => "STATUS",
        }
    }

    /// Whether sending the request twice does no harm; only those are retried (spec §7).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Verb::Run | Verb::Erase)
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A successful (`OK`) response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub fields: Fields,
    /// Every request line sent for this request (first attempt and retries, in order), then the
    /// response line that was accepted.
    pub evidence: Vec<EvidenceLine>,
}

/// What subscribers hear from a link.
///
/// The larger parts are boxed: each link's broadcast buffer holds [`LinkConfig::event_buffer`]
/// of these from the moment it opens (1024 by default), so a 104-byte event made every link hold
/// 128 KiB; boxed, 48 KiB (docs/performance.md, "Desktop window").
#[derive(Debug, Clone)]
pub enum LinkEvent {
    /// The bench answered HELLO: after connect, after a reconnect, after `! RESET`.
    Ready(Box<Hello>),
    /// A valid event line (`! RESET` included), in arrival order.
    Bench {
        event: Box<Event>,
        line: Box<EvidenceLine>,
    },
    /// The port closed or failed (sent once per loss, only if a `Ready` came before it).
    /// Pending requests fail with [`LinkError::Disconnected`] right after it is delivered.
    Disconnected,
    /// A received line was dropped (it is also counted in [`LinkStats::bad_lines`]).
    BadLine { reason: String },
}

/// What a request is waiting on, as the task sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Availability {
    /// Port open, HELLO not yet answered: requests are held until it is.
    Greeting,
    Ready,
    Incompatible {
        proto: u32,
    },
    Disconnected,
    Closed,
}

struct Status {
    availability: Availability,
    hello: Option<Hello>,
}

/// State the task publishes for handles to read without a round trip.
struct Shared {
    port: PathBuf,
    status: Mutex<Status>,
    stats: Mutex<LinkStats>,
    events: broadcast::WeakSender<LinkEvent>,
    /// Created with the channel, so it holds everything since the port was opened; handed to
    /// the first subscriber so nothing between `connect` returning and `subscribe` is lost.
    first_receiver: Mutex<Option<broadcast::Receiver<LinkEvent>>>,
}

/// A poisoned lock only means another thread panicked mid-update of plain counters; the data
/// is still the best there is.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn set_status(&self, availability: Availability, hello: Option<Hello>) {
        let mut status = lock(&self.status);
        status.availability = availability;
        status.hello = hello;
    }

    fn availability(&self) -> Availability {
        lock(&self.status).availability
    }

    fn update_stats(&self, change: impl FnOnce(&mut LinkStats)) {
        change(&mut lock(&self.stats));
    }
}

enum Command {
    Request {
        verb: Verb,
        args: Vec<String>,
        reply: oneshot::Sender<Result<Reply, LinkError>>,
    },
    Close {
        done: oneshot::Sender<()>,
    },
}

/// Queued commands before `request` callers wait for room; far above what one bench needs.
const COMMAND_QUEUE: usize = 256;

/// A cheap, cloneable handle to one bench. The bench's task runs while any handle exists (or
/// until [`BenchLink::close`]); it owns the port.
#[derive(Clone)]
pub struct BenchLink {
    shared: Arc<Shared>,
    commands: mpsc::Sender<Command>,
}

impl fmt::Debug for BenchLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BenchLink")
            .field("port", &self.shared.port)
            .field("availability", &self.shared.availability())
            .finish()
    }
}

impl BenchLink {
    /// Opens `port` (115200 8N1, no flow control; exclusive), spawns the bench's task on the
    /// current tokio runtime, sends HELLO (with retries) and returns once it is answered.
    ///
    /// Errors: [`LinkError::Open`] when the port cannot be opened (missing, or held by another
    /// program); [`LinkError::Unreachable`] when HELLO gets no valid answer;
    /// [`LinkError::Incompatible`] when the bench answers with `proto` other than 1;
    /// [`LinkError::Bench`] when it answers HELLO with `ERR`; [`LinkError::Disconnected`] when
    /// the port closes during the greeting.
    ///
    /// Must be called from within a tokio runtime with I/O and time enabled.
    pub async fn connect(
        port: impl AsRef<Path>,
        config: LinkConfig,
    ) -> Result<(BenchLink, Hello), LinkError> {
        let path = port.as_ref().to_path_buf();
        let serial = port::open(&path).await.map_err(|source| LinkError::Open {
            port: path.clone(),
            source,
        })?;
        let (events, first_receiver) = broadcast::channel(config.event_buffer.max(1));
        let shared = Arc::new(Shared {
            port: path.clone(),
            status: Mutex::new(Status {
                availability: Availability::Greeting,
                hello: None,
            }),
            stats: Mutex::new(LinkStats::default()),
            events: events.downgrade(),
            first_receiver: Mutex::new(Some(first_receiver)),
        });
        let (commands, command_receiver) = mpsc::channel(COMMAND_QUEUE);
        let (greeted, greeting) = oneshot::channel();
        let task = task::LinkTask::new(Arc::clone(&shared), config, events);
        let running = tokio::spawn(task.run(serial, command_receiver, greeted));
        let link = BenchLink { shared, commands };
        let failure = match greeting.await {
            Ok(Ok(hello)) => return Ok((link, hello)),
            Ok(Err(error)) => error,
            Err(_) => LinkError::Closed { port: path },
        };
        // Wait until the task has closed the port, so a caller retrying at once can open it.
        drop(link);
        let _ = running.await;
        Err(failure)
    }

    /// The path this link opens (as given to [`BenchLink::connect`]).
    pub fn port(&self) -> &Path {
        &self.shared.port
    }

    /// The bench's identity from its latest HELLO; `None` while the link is disconnected,
    /// reconnecting, greeting the bench after `! RESET`, or closed.
    pub fn hello(&self) -> Option<Hello> {
        lock(&self.shared.status).hello.clone()
    }

    /// True while the bench has answered HELLO and the port is open.
    pub fn is_connected(&self) -> bool {
        self.shared.availability() == Availability::Ready
    }

    /// A receiver of this link's events.
    ///
    /// The first call returns a receiver that already holds everything since the port was
    /// opened (the `Ready` of the first HELLO, and any event the bench sent around it), so
    /// events between `connect` returning and the first `subscribe` are not lost. Later calls see events from the moment
    /// they subscribe. A receiver that falls more than [`LinkConfig::event_buffer`] events
    /// behind gets `Lagged` and misses the oldest ones. After the link is closed the receiver
    /// reports `Closed`.
    pub fn subscribe(&self) -> broadcast::Receiver<LinkEvent> {
        if let Some(first) = lock(&self.shared.first_receiver).take() {
            return first;
        }
        match self.shared.events.upgrade() {
            Some(sender) => sender.subscribe(),
            None => broadcast::channel(1).1,
        }
    }

    /// Sends a request and waits for its response.
    ///
    /// Idempotent verbs are retried with a new tag after each timeout (up to
    /// [`LinkConfig::retries`] times), then give [`LinkError::Unreachable`]. `RUN` and `ERASE` are
    /// sent once; a lost answer gives [`LinkError::NoAnswer`] and the caller should ask
    /// `RESULTS`/`STATUS`. An `ERR <CODE>` response gives [`LinkError::Bench`]. An
    /// `? ERR BAD_CRC` (the bench could not read one of our lines) is charged to the oldest
    /// outstanding request: an idempotent one is resent at once under a new tag (this counts as
    /// an attempt), a `RUN`/`ERASE` one fails with `NoAnswer`.
    ///
    /// **Ordering guarantee:** every event line that arrived before the response line is
    /// delivered to subscribers before this returns. So once `request` returns, a subscriber's
    /// `try_recv` already yields every earlier event (e.g. `! REMOVED 3` that came just before
    /// an `IDENT 3` reply), unless that subscriber lagged by more than the event buffer.
    ///
    /// While the bench is being greeted (after connect, reconnect or `! RESET`) requests wait
    /// until it has answered HELLO. While the port is lost this fails at once with
    /// [`LinkError::Disconnected`]; pending requests fail the same way when the port goes.
    /// After `! RESET` the bench has forgotten pending requests: idempotent ones are sent again
    /// after the new HELLO (counting as an attempt), `RUN`/`ERASE` fail with `NoAnswer`.
    ///
    /// [`LinkError::InvalidRequest`] when the request would not fit in one 512-byte line.
    pub async fn request(&self, verb: Verb, args: &[&str]) -> Result<Reply, LinkError> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        check_request_fits(verb, &args)?;
        match self.shared.availability() {
            Availability::Disconnected => return Err(self.disconnected()),
            Availability::Closed => return Err(self.closed()),
            Availability::Incompatible { proto } => {
                return Err(LinkError::Incompatible {
                    port: self.shared.port.clone(),
                    proto,
                })
            }
            Availability::Greeting | Availability::Ready => {}
        }
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command::Request { verb, args, reply })
            .await
            .map_err(|_| self.closed())?;
        answer.await.map_err(|_| self.closed())?
    }

    /// A snapshot of this link's counters.
    pub fn stats(&self) -> LinkStats {
        lock(&self.shared.stats).clone()
    }

    /// Stops the bench's task and closes the port. Pending requests fail with
    /// [`LinkError::Closed`], and so does every later request through any clone of this handle.
    pub async fn close(self) {
        let (done, closed) = oneshot::channel();
        if self.commands.send(Command::Close { done }).await.is_ok() {
            // An error only means the task had already ended; either way it is gone now.
            let _ = closed.await;
        }
    }

    fn disconnected(&self) -> LinkError {
        LinkError::Disconnected {
            port: self.shared.port.clone(),
        }
    }

    fn closed(&self) -> LinkError {
        LinkError::Closed {
            port: self.shared.port.clone(),
        }
    }
}

/// Rejects up front what could never be sent, with the longest tag so any tag fits later.
fn check_request_fits(verb: Verb, args: &[String]) -> Result<(), LinkError> {
    let longest = Message::Request {
        tag: MAX_TAG,
        verb: verb.as_str().to_owned(),
        args: args.to_vec(),
    };
    encode_message(&longest).map(drop).map_err(|error| {
        LinkError::InvalidRequest(format!(
            "{verb} with arguments {args:?} cannot be sent: {error}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_run_and_erase_are_not_idempotent() {
        let not_idempotent: Vec<Verb> = Verb::ALL
            .into_iter()
            .filter(|verb| !verb.is_idempotent())
            .collect();
        assert_eq!(not_idempotent, vec![Verb::Run, Verb::Erase]);
    }

    #[test]
    fn verbs_have_their_wire_spelling() {
        let spelled: Vec<&str> = Verb::ALL.into_iter().map(Verb::as_str).collect();
        assert_eq!(
            spelled,
            [
                "HELLO", "PING", "SLOTS", "IDENT", "BATT", "LOCK", "TESTS", "RUN", "ERASE",
                "RESULTS", "STATUS"
            ]
        );
        assert_eq!(Verb::Results.to_string(), "RESULTS");
    }

    #[test]
    fn a_request_too_long_for_one_line_is_invalid() {
        let fits = vec!["3".to_owned(), "x".repeat(400)];
        assert!(check_request_fits(Verb::Run, &fits).is_ok());
        let too_long = vec!["3".to_owned(), "x".repeat(500)];
        let error = check_request_fits(Verb::Run, &too_long).expect_err("over 512 bytes");
        assert!(matches!(error, LinkError::InvalidRequest(_)), "{error:?}");
        assert!(error.to_string().contains("RUN"), "{error}");
    }

    #[test]
    fn a_buffered_event_is_no_bigger_than_its_smallest_variant_needs() {
        // Every link's broadcast buffer holds `event_buffer` of them from the moment it opens.
        let size = std::mem::size_of::<LinkEvent>();
        assert!(
            size <= 32,
            "LinkEvent is {size} bytes: box the variant that grew"
        );
    }

    #[test]
    fn defaults_follow_the_spec() {
        let config = LinkConfig::default();
        assert_eq!(config.request_timeout, Duration::from_secs(2));
        assert_eq!(config.retries, 3);
        assert_eq!(config.reopen_interval, Duration::from_millis(250));
        assert_eq!(config.event_buffer, 1024);
    }

    #[test]
    fn serde_words_are_snake_case() {
        use serde::de::value::{Error as ValueError, StrDeserializer};
        use serde::de::IntoDeserializer;

        let word = |text: &'static str| -> StrDeserializer<'static, ValueError> {
            text.into_deserializer()
        };
        assert_eq!(Verb::deserialize(word("results")), Ok(Verb::Results));
        assert!(Verb::deserialize(word("RESULTS")).is_err());
        assert_eq!(Direction::deserialize(word("bench")), Ok(Direction::Bench));
    }
}
