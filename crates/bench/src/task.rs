//! The bench's task: the only code that touches the port, so lines are handled strictly in
//! arrival order and no lock is held across I/O.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use refurbdesk_bench_protocol::{
    encode_message, parse_message, unframe, ErrorCode, Event, Fields, FrameError, LineError,
    LineSplitter, Message, ResponseBody,
};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::{sleep_until, Instant};
use tracing::{debug, info, trace, warn};

use crate::port::{self, SerialFd};
use crate::stats::BadLineKind;
use crate::tags::{Retirement, TagBook, RETIREMENT};
use crate::{
    Availability, Command, Direction, EvidenceLine, Hello, LinkConfig, LinkError, LinkEvent, Reply,
    Shared, Verb,
};

/// Bytes read per wakeup: a few dozen lines, more than a bench sends between two wakeups.
const READ_CHUNK: usize = 4096;

/// Bytes of a bad line quoted in its `BadLine` reason: enough to recognise it.
const EXCERPT_BYTES: usize = 80;

/// Who is waiting for a request's answer.
enum Waiter {
    Caller(oneshot::Sender<Result<Reply, LinkError>>),
    /// The link's own HELLO; its answer makes the link ready.
    Greeting,
}

struct PendingRequest {
    verb: Verb,
    args: Vec<String>,
    /// Lines written for it so far.
    attempts: u32,
    evidence: Vec<EvidenceLine>,
    waiter: Waiter,
}

struct InFlight {
    request: PendingRequest,
    /// Order of writing, to tell which outstanding request is the oldest.
    sequence: u64,
    deadline: Instant,
}

/// Why serving an open port stopped.
enum ConnectionEnd {
    PortLost(String),
    /// The bench stopped answering HELLO on a port that is still open (after a reconnect or a
    /// `! RESET`); the port is closed and reopened like after an unplug.
    GreetingFailed,
    /// `connect` has been told why it failed; the task ends.
    FirstGreetingFailed,
    CloseRequested,
    HandlesDropped,
}

/// What a reply to the link's HELLO means.
enum GreetingReply {
    Compatible(Hello),
    Incompatible { proto: u32 },
}

pub(crate) struct LinkTask {
    shared: Arc<Shared>,
    config: LinkConfig,
    events: broadcast::Sender<LinkEvent>,
    availability: Availability,
    tags: TagBook,
    in_flight: HashMap<u16, InFlight>,
    /// Requests waiting for the bench to answer HELLO before they may be sent.
    held: VecDeque<PendingRequest>,
    next_sequence: u64,
    outbox: Vec<u8>,
    splitter: LineSplitter,
    /// `connect` waiting for the first HELLO; `None` once it has been answered.
    first_greeting: Option<oneshot::Sender<Result<Hello, LinkError>>>,
    /// A `Ready` went out since the last `Disconnected`, so the next loss must be announced.
    announced_ready: bool,
    ending: Option<ConnectionEnd>,
    close_ack: Option<oneshot::Sender<()>>,
}

impl LinkTask {
    pub(crate) fn new(
        shared: Arc<Shared>,
        config: LinkConfig,
        events: broadcast::Sender<LinkEvent>,
    ) -> Self {
        Self {
            shared,
            config,
            events,
            availability: Availability::Greeting,
            tags: TagBook::new(RETIREMENT),
            in_flight: HashMap::new(),
            held: VecDeque::new(),
            next_sequence: 0,
            outbox: Vec::new(),
            splitter: LineSplitter::new(),
            first_greeting: None,
            announced_ready: false,
            ending: None,
            close_ack: None,
        }
    }

    pub(crate) async fn run(
        mut self,
        serial: SerialFd,
        mut commands: mpsc::Receiver<Command>,
        greeted: oneshot::Sender<Result<Hello, LinkError>>,
    ) {
        self.first_greeting = Some(greeted);
        let mut open_port = Some(serial);
        while let Some(serial) = open_port.take() {
            match self.serve(serial, &mut commands).await {
                ConnectionEnd::CloseRequested
                | ConnectionEnd::HandlesDropped
                | ConnectionEnd::FirstGreetingFailed => break,
                ConnectionEnd::PortLost(reason) => {
                    warn!(port = %self.shared.port.display(), %reason, "bench port lost");
                    if !self.connection_lost() {
                        break;
                    }
                }
                ConnectionEnd::GreetingFailed => {
                    if !self.connection_lost() {
                        break;
                    }
                }
            }
            open_port = self.reopen(&mut commands).await;
        }
        self.shut_down();
    }

    /// Talks to the bench until the port is lost, the link is closed or every handle is gone.
    /// The port closes when this returns.
    async fn serve(
        &mut self,
        serial: SerialFd,
        commands: &mut mpsc::Receiver<Command>,
    ) -> ConnectionEnd {
        self.splitter.reset();
        self.outbox.clear();
        self.start_greeting();
        let mut buffer = [0u8; READ_CHUNK];
        loop {
            if let Some(end) = self.ending.take() {
                return end;
            }
            let deadline = self.next_deadline();
            let has_output = !self.outbox.is_empty();
            // Reading first: a response already in the buffer must win over its own deadline.
            tokio::select! {
                biased;
                readiness = serial.readable() => {
                    let mut guard = match readiness {
                        Ok(guard) => guard,
                        Err(error) => return ConnectionEnd::PortLost(error.to_string()),
                    };
                    match guard.try_io(|tty| port::read_some(tty.get_ref(), &mut buffer)) {
                        Ok(Ok(0)) => return ConnectionEnd::PortLost("end of file".to_owned()),
                        Ok(Ok(count)) => self.bytes_received(&buffer[..count]),
                        Ok(Err(error)) => return ConnectionEnd::PortLost(error.to_string()),
                        Err(_would_block) => {}
                    }
                }
                readiness = serial.writable(), if has_output => {
                    let mut guard = match readiness {
                        Ok(guard) => guard,
                        Err(error) => return ConnectionEnd::PortLost(error.to_string()),
                    };
                    match guard.try_io(|tty| port::write_some(tty.get_ref(), &self.outbox)) {
                        Ok(Ok(count)) => {
                            self.outbox.drain(..count.min(self.outbox.len()));
                        }
                        Ok(Err(error)) => return ConnectionEnd::PortLost(error.to_string()),
                        Err(_would_block) => {}
                    }
                }
                () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    self.expire(Instant::now());
                }
                command = commands.recv() => match command {
                    None => return ConnectionEnd::HandlesDropped,
                    Some(Command::Close { done }) => {
                        self.close_ack = Some(done);
                        return ConnectionEnd::CloseRequested;
                    }
                    Some(Command::Request { verb, args, reply }) => {
                        self.dispatch(PendingRequest {
                            verb,
                            args,
                            attempts: 0,
                            evidence: Vec::new(),
                            waiter: Waiter::Caller(reply),
                        });
                    }
                },
            }
        }
    }

    /// Waits for the lost port to come back, answering requests with `Disconnected` meanwhile.
    /// `None` when the link is closed or every handle is gone.
    async fn reopen(&mut self, commands: &mut mpsc::Receiver<Command>) -> Option<SerialFd> {
        let mut next_attempt = later(Instant::now(), self.config.reopen_interval);
        loop {
            tokio::select! {
                biased;
                command = commands.recv() => match command {
                    None => return None,
                    Some(Command::Close { done }) => {
                        self.close_ack = Some(done);
                        return None;
                    }
                    Some(Command::Request { reply, .. }) => {
                        let _ = reply.send(Err(self.disconnected()));
                    }
                },
                () = sleep_until(next_attempt) => {
                    match port::open(&self.shared.port).await {
                        Ok(serial) => {
                            info!(port = %self.shared.port.display(), "bench port reopened");
                            self.shared.update_stats(|stats| stats.reconnects += 1);
                            return Some(serial);
                        }
                        Err(error) => {
                            trace!(port = %self.shared.port.display(), %error, "bench port still unavailable");
                        }
                    }
                    next_attempt = later(Instant::now(), self.config.reopen_interval);
                }
            }
        }
    }

    fn start_greeting(&mut self) {
        self.set_availability(Availability::Greeting, None);
        self.dispatch(PendingRequest {
            verb: Verb::Hello,
            args: Vec::new(),
            attempts: 0,
            evidence: Vec::new(),
            waiter: Waiter::Greeting,
        });
    }

    /// Sends a request now, or holds it until the bench has been greeted.
    fn dispatch(&mut self, request: PendingRequest) {
        match &request.waiter {
            Waiter::Greeting => return self.transmit(request),
            // The caller stopped waiting (its future was dropped); sending would only load
            // the bench.
            Waiter::Caller(reply) if reply.is_closed() => return,
            Waiter::Caller(_) => {}
        }
        match self.availability {
            Availability::Ready => self.transmit(request),
            Availability::Greeting => self.held.push_back(request),
            Availability::Incompatible { proto } => {
                let error = LinkError::Incompatible {
                    port: self.shared.port.clone(),
                    proto,
                };
                self.fail(request, error);
            }
            Availability::Disconnected => {
                let error = self.disconnected();
                self.fail(request, error);
            }
            Availability::Closed => {
                let error = self.closed();
                self.fail(request, error);
            }
        }
    }

    fn transmit(&mut self, mut request: PendingRequest) {
        let now = Instant::now();
        let in_flight = &self.in_flight;
        let Some(tag) = self
            .tags
            .allocate(|candidate| in_flight.contains_key(&candidate), now)
        else {
            let error = LinkError::InvalidRequest(format!(
                "{} cannot be sent to the bench on {}: all 10000 tags are waiting for answers; \
                 wait for some requests to finish",
                request.verb,
                self.shared.port.display()
            ));
            return self.fail(request, error);
        };
        let message = Message::Request {
            tag,
            verb: request.verb.as_str().to_owned(),
            args: request.args.clone(),
        };
        let line = match encode_message(&message) {
            Ok(line) => line,
            Err(error) => {
                let error = LinkError::InvalidRequest(format!(
                    "{} with arguments {:?} cannot be sent: {error}",
                    request.verb, request.args
                ));
                return self.fail(request, error);
            }
        };
        request.attempts = request.attempts.saturating_add(1);
        let is_retry = request.attempts > 1;
        self.shared.update_stats(|stats| {
            stats.requests_sent += 1;
            if is_retry {
                stats.retries += 1;
            }
        });
        let text = line.trim_end_matches('\n');
        debug!(port = %self.shared.port.display(), line = text, "to bench");
        request.evidence.push(EvidenceLine {
            at: Utc::now(),
            direction: Direction::Host,
            line: text.to_owned(),
        });
        self.outbox.extend_from_slice(line.as_bytes());
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.in_flight.insert(
            tag,
            InFlight {
                request,
                sequence,
                deadline: later(now, self.config.request_timeout),
            },
        );
    }

    fn bytes_received(&mut self, bytes: &[u8]) {
        let mut splitter = std::mem::take(&mut self.splitter);
        splitter.push(bytes, |line| self.line_received(line));
        self.splitter = splitter;
    }

    fn line_received(&mut self, line: Result<&[u8], LineError>) {
        if self.ending.is_some() {
            // The connection is being dropped; nothing more from it may reach subscribers.
            return;
        }
        let raw = match line {
            Ok(raw) => raw,
            Err(error) => return self.bad_line(BadLineKind::TooLong, error.to_string()),
        };
        let body = match unframe(raw) {
            Ok(body) => body,
            Err(error) => {
                let kind = match error {
                    FrameError::BadCrc { .. } => BadLineKind::BadCrc,
                    FrameError::MissingCrc | FrameError::BadHex => BadLineKind::MissingCrc,
                    FrameError::TooLong { .. } => BadLineKind::TooLong,
                    _ => BadLineKind::Unparsable,
                };
                return self.bad_line(kind, format!("{error} (line: {})", excerpt(raw)));
            }
        };
        let text = String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(raw)).into_owned();
        debug!(port = %self.shared.port.display(), line = %text, "from bench");
        let evidence = EvidenceLine {
            at: Utc::now(),
            direction: Direction::Bench,
            line: text,
        };
        match parse_message(body) {
            Ok(Message::Event(event)) => self.event_received(event, evidence),
            Ok(Message::Response {
                tag: Some(tag),
                body,
            }) => self.response_received(tag, body, evidence),
            // The parser allows the untrusted `?` tag only on `ERR BAD_CRC`.
            Ok(Message::Response { tag: None, .. }) => self.untagged_bad_crc(),
            Ok(Message::Request { .. }) => self.bad_line(
                BadLineKind::Unparsable,
                format!(
                    "the bench sent a request, but benches may only send responses and events \
                     (line: {})",
                    evidence.line
                ),
            ),
            Err(error) => self.bad_line(
                BadLineKind::Unparsable,
                format!("{error} (line: {})", evidence.line),
            ),
        }
    }

    fn bad_line(&mut self, kind: BadLineKind, reason: String) {
        debug!(port = %self.shared.port.display(), ?kind, %reason, "dropped a line from the bench");
        self.shared
            .update_stats(|stats| stats.bad_lines.count(kind));
        self.publish(LinkEvent::BadLine { reason });
    }

    fn event_received(&mut self, event: Event, line: EvidenceLine) {
        let is_reset = event == Event::Reset;
        self.shared.update_stats(|stats| {
            stats.events += 1;
            if is_reset {
                stats.resets += 1;
            }
        });
        self.publish(LinkEvent::Bench {
            event: Box::new(event),
            line: Box::new(line),
        });
        if is_reset {
            self.bench_restarted();
        }
    }

    /// After `! RESET` the bench has forgotten every request it had not answered.
    fn bench_restarted(&mut self) {
        warn!(port = %self.shared.port.display(), "bench restarted; greeting it again");
        let forgotten = self.take_all_in_flight(Retirement::Abandoned);
        // HELLO must be the first request the restarted bench sees.
        self.start_greeting();
        for request in forgotten {
            if matches!(request.waiter, Waiter::Caller(_)) {
                self.retry_or_fail(request);
            }
        }
    }

    fn response_received(&mut self, tag: u16, body: ResponseBody, evidence: EvidenceLine) {
        let now = Instant::now();
        let Some(in_flight) = self.in_flight.get(&tag) else {
            return self.stale_response(tag, &evidence);
        };

        let mut greeting = None;
        if let (Waiter::Greeting, ResponseBody::Ok(fields)) = (&in_flight.request.waiter, &body) {
            match read_greeting(fields) {
                Ok(reply) => greeting = Some(reply),
                // Left outstanding: it times out and HELLO is asked again.
                Err(reason) => {
                    return self.bad_line(
                        BadLineKind::Unparsable,
                        format!("{reason} (line: {})", evidence.line),
                    )
                }
            }
        }

        let Some(InFlight { mut request, .. }) = self.in_flight.remove(&tag) else {
            return;
        };
        match body {
            ResponseBody::Err {
                code: ErrorCode::BadCrc,
                ..
            } => {
                // The bench could not read this very request; unlike `? ERR BAD_CRC` the tag
                // says which one it was.
                self.shared.update_stats(|stats| stats.bad_crc_answers += 1);
                self.tags.retire(tag, Retirement::Abandoned, now);
                self.retry_or_fail(request);
            }
            ResponseBody::Err { code, message } => {
                self.tags.retire(tag, Retirement::Answered, now);
                let error = LinkError::Bench {
                    port: self.shared.port.clone(),
                    verb: request.verb,
                    code,
                    message,
                };
                self.fail(request, error);
            }
            ResponseBody::Ok(fields) => {
                self.tags.retire(tag, Retirement::Answered, now);
                match (request.waiter, greeting) {
                    (Waiter::Greeting, Some(GreetingReply::Compatible(hello))) => {
                        self.greeted(hello)
                    }
                    (Waiter::Greeting, Some(GreetingReply::Incompatible { proto })) => {
                        self.incompatible(proto)
                    }
                    (Waiter::Greeting, None) => {}
                    (Waiter::Caller(reply), _) => {
                        if request.verb == Verb::Hello {
                            self.refresh_identity(&fields);
                        }
                        request.evidence.push(evidence);
                        let _ = reply.send(Ok(Reply {
                            fields,
                            evidence: request.evidence,
                        }));
                    }
                }
            }
        }
    }

    /// A response for a tag nobody is waiting on; it must never reach a newer request.
    fn stale_response(&mut self, tag: u16, evidence: &EvidenceLine) {
        match self.tags.retirement(tag, Instant::now()) {
            Some(Retirement::Answered) => {
                debug!(port = %self.shared.port.display(), tag, "ignored a duplicate response");
                self.shared
                    .update_stats(|stats| stats.duplicate_responses += 1);
            }
            Some(Retirement::Abandoned) => {
                debug!(port = %self.shared.port.display(), tag, "ignored a late response");
                self.shared.update_stats(|stats| stats.late_responses += 1);
            }
            None => self.bad_line(
                BadLineKind::UnknownTag,
                format!(
                    "a response with tag {tag}, which no request of this link is waiting for \
                     (line: {})",
                    evidence.line
                ),
            ),
        }
    }

    /// `? ERR BAD_CRC` does not say which request the bench could not read. A bench handles
    /// lines in order, so it is charged to the oldest outstanding one; if that guess is wrong,
    /// the unread request simply times out and is handled then.
    fn untagged_bad_crc(&mut self) {
        self.shared.update_stats(|stats| stats.bad_crc_answers += 1);
        let oldest = self
            .in_flight
            .iter()
            .min_by_key(|(_, in_flight)| in_flight.sequence)
            .map(|(&tag, _)| tag);
        let Some(tag) = oldest else {
            debug!(port = %self.shared.port.display(), "`? ERR BAD_CRC` with no request outstanding");
            return;
        };
        if let Some(in_flight) = self.in_flight.remove(&tag) {
            self.tags.retire(tag, Retirement::Abandoned, Instant::now());
            self.retry_or_fail(in_flight.request);
        }
    }

    fn expire(&mut self, now: Instant) {
        let mut expired: Vec<(u64, u16)> = self
            .in_flight
            .iter()
            .filter(|(_, in_flight)| in_flight.deadline <= now)
            .map(|(&tag, in_flight)| (in_flight.sequence, tag))
            .collect();
        expired.sort_unstable();
        for (_, tag) in expired {
            let Some(in_flight) = self.in_flight.remove(&tag) else {
                continue;
            };
            debug!(
                port = %self.shared.port.display(),
                tag,
                verb = %in_flight.request.verb,
                "no response in time"
            );
            self.tags.retire(tag, Retirement::Abandoned, now);
            self.shared.update_stats(|stats| stats.timeouts += 1);
            self.retry_or_fail(in_flight.request);
        }
    }

    /// Resends an idempotent request under a new tag while attempts remain; otherwise fails it.
    fn retry_or_fail(&mut self, request: PendingRequest) {
        if request.verb.is_idempotent() && request.attempts <= self.config.retries {
            return self.dispatch(request);
        }
        let port = self.shared.port.clone();
        let error = if request.verb.is_idempotent() {
            LinkError::Unreachable {
                port,
                verb: request.verb,
                attempts: request.attempts,
            }
        } else {
            LinkError::NoAnswer {
                port,
                verb: request.verb,
            }
        };
        self.fail(request, error);
    }

    fn fail(&mut self, request: PendingRequest, error: LinkError) {
        match request.waiter {
            Waiter::Caller(reply) => {
                let _ = reply.send(Err(error));
            }
            Waiter::Greeting => self.greeting_failed(error),
        }
    }

    fn greeted(&mut self, hello: Hello) {
        info!(
            port = %self.shared.port.display(),
            vendor = %hello.vendor,
            model = %hello.model,
            serial = %hello.serial,
            "bench ready"
        );
        self.set_availability(Availability::Ready, Some(hello.clone()));
        self.announced_ready = true;
        self.publish(LinkEvent::Ready(Box::new(hello.clone())));
        if let Some(connecting) = self.first_greeting.take() {
            let _ = connecting.send(Ok(hello));
        }
        while let Some(request) = self.held.pop_front() {
            self.dispatch(request);
        }
    }

    fn incompatible(&mut self, proto: u32) {
        let error = LinkError::Incompatible {
            port: self.shared.port.clone(),
            proto,
        };
        if let Some(connecting) = self.first_greeting.take() {
            let _ = connecting.send(Err(error));
            self.ending = Some(ConnectionEnd::FirstGreetingFailed);
            return;
        }
        warn!(port = %self.shared.port.display(), %error);
        // Kept open: a `! RESET` (new firmware) or an unplug is what changes this.
        self.set_availability(Availability::Incompatible { proto }, None);
        for request in std::mem::take(&mut self.held) {
            let error = LinkError::Incompatible {
                port: self.shared.port.clone(),
                proto,
            };
            self.fail(request, error);
        }
    }

    fn greeting_failed(&mut self, error: LinkError) {
        if let Some(connecting) = self.first_greeting.take() {
            let _ = connecting.send(Err(error));
            self.ending = Some(ConnectionEnd::FirstGreetingFailed);
            return;
        }
        warn!(port = %self.shared.port.display(), %error, "closing the port to start over");
        self.ending = Some(ConnectionEnd::GreetingFailed);
    }

    /// A caller's own HELLO may reveal new firmware; keep `hello()` current.
    fn refresh_identity(&mut self, fields: &Fields) {
        if self.availability != Availability::Ready {
            return;
        }
        if let Ok(GreetingReply::Compatible(hello)) = read_greeting(fields) {
            self.set_availability(Availability::Ready, Some(hello));
        }
    }

    /// Cleans up after the port went away. Returns false when this was still `connect`'s
    /// first greeting: `connect` fails and the task ends instead of reconnecting.
    fn connection_lost(&mut self) -> bool {
        if self.splitter.pending() > 0 || self.splitter.is_discarding() {
            self.bad_line(
                BadLineKind::Truncated,
                "an unfinished line was cut off when the port closed; it was discarded".to_owned(),
            );
        }
        self.splitter.reset();
        self.outbox.clear();
        self.set_availability(Availability::Disconnected, None);
        if std::mem::take(&mut self.announced_ready) {
            self.publish(LinkEvent::Disconnected);
        }
        let still_connecting = self.first_greeting.take();
        let pending = self.take_all_in_flight(Retirement::Abandoned);
        let held = std::mem::take(&mut self.held);
        for request in pending.into_iter().chain(held) {
            if let Waiter::Caller(reply) = request.waiter {
                let _ = reply.send(Err(self.disconnected()));
            }
        }
        match still_connecting {
            Some(connecting) => {
                let _ = connecting.send(Err(self.disconnected()));
                false
            }
            None => true,
        }
    }

    fn shut_down(&mut self) {
        self.set_availability(Availability::Closed, None);
        let pending = self.take_all_in_flight(Retirement::Abandoned);
        let held = std::mem::take(&mut self.held);
        for request in pending.into_iter().chain(held) {
            if let Waiter::Caller(reply) = request.waiter {
                let _ = reply.send(Err(self.closed()));
            }
        }
        if let Some(connecting) = self.first_greeting.take() {
            let _ = connecting.send(Err(self.closed()));
        }
        if let Some(done) = self.close_ack.take() {
            let _ = done.send(());
        }
    }

    /// Empties the in-flight table, oldest first, retiring every tag.
    fn take_all_in_flight(&mut self, how: Retirement) -> Vec<PendingRequest> {
        let now = Instant::now();
        let mut all: Vec<(u16, InFlight)> = self.in_flight.drain().collect();
        all.sort_unstable_by_key(|(_, in_flight)| in_flight.sequence);
        all.into_iter()
            .map(|(tag, in_flight)| {
                self.tags.retire(tag, how, now);
                in_flight.request
            })
            .collect()
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.in_flight
            .values()
            .map(|in_flight| in_flight.deadline)
            .min()
    }

    fn set_availability(&mut self, availability: Availability, hello: Option<Hello>) {
        self.availability = availability;
        self.shared.set_status(availability, hello);
    }

    fn publish(&self, event: LinkEvent) {
        // No receiver at the moment is fine: events are not stored for later subscribers.
        let _ = self.events.send(event);
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

/// Reads the link's own HELLO reply. A reply that cannot be used is an `Err` with the reason.
fn read_greeting(fields: &Fields) -> Result<GreetingReply, String> {
    match Hello::from_fields(fields) {
        Ok(hello) if hello.is_supported() => Ok(GreetingReply::Compatible(hello)),
        Ok(hello) => Ok(GreetingReply::Incompatible { proto: hello.proto }),
        Err(error) => {
            // Another protocol version may name its fields differently; its proto= alone
            // is enough to refuse it.
            let other_version = fields
                .get("proto")
                .filter(|text| text.bytes().all(|byte| byte.is_ascii_digit()))
                .and_then(|text| text.parse::<u32>().ok())
                .filter(|&proto| proto != refurbdesk_bench_protocol::responses::PROTOCOL_VERSION);
            match other_version {
                Some(proto) => Ok(GreetingReply::Incompatible { proto }),
                None => Err(format!("the HELLO reply cannot be used: {error}")),
            }
        }
    }
}

/// `now + wait`, saturating instead of panicking on an absurdly long configured duration.
fn later(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// The stand-in for "never" when a configured wait does not fit in an `Instant`.
const FAR_FUTURE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The start of a raw line, made printable for a log or a `BadLine` reason.
fn excerpt(raw: &[u8]) -> String {
    let shown = &raw[..raw.len().min(EXCERPT_BYTES)];
    let mut text = shown.escape_ascii().to_string();
    if raw.len() > EXCERPT_BYTES {
        text.push_str("...");
    }
    text
}
