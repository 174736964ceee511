//! A running simulated bench: one thread per bench that owns the PTY, the clock and the
//! bench state, steered through a command channel.

use std::collections::{BTreeMap, BinaryHeap};
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use refurbdesk_bench_protocol::{
    encode_message, Event, LineError, LineSplitter, Message, ResponseBody,
};
use serde::{Deserialize, Serialize};

use crate::bench::{BenchState, Scheduled, Timer};
use crate::faults::{FaultDice, FaultKind, FaultSpec};
use crate::pty::{place_link, remove_link, Pty};
use crate::responder::{read_host_line, too_long_reply, HostLine};
use crate::scenario::{Churn, EraseWireFault, Scenario, TimelineAction};

/// Why a simulated bench could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error(
        "could not create a pseudo-terminal for the simulated bench ({step} failed: {source}); \
         check that /dev/ptmx and /dev/pts are available (in a container, mount devpts)"
    )]
    Pty {
        step: &'static str,
        source: nix::Error,
    },
    #[error(
        "refusing to replace {link}: it exists and is not a symlink; remove it or choose another \
         link path"
    )]
    LinkInTheWay { link: PathBuf },
    #[error(
        "could not point {link} at {target}: {source}; check that its folder exists and is \
         writable"
    )]
    Link {
        link: PathBuf,
        target: PathBuf,
        source: io::Error,
    },
    #[error("slot {slot} does not exist: the bench has slots 1 to {slots}")]
    NoSuchSlot { slot: u16, slots: u16 },
    #[error("the scenario has no device for slot {slot}; add a [[device]] with slot = {slot}")]
    NoDevice { slot: u16 },
    #[error("slot {slot} already holds its device; remove it first")]
    SlotOccupied { slot: u16 },
    #[error("slot {slot} is already empty; insert its device first")]
    SlotEmpty { slot: u16 },
    #[error("speed {speed} is not usable; give a finite number above 0 (1.0 = scenario times)")]
    BadSpeed { speed: f64 },
    #[error("could not start the bench thread: {source}; the system may be out of threads or file descriptors")]
    Thread { source: io::Error },
    #[error("the simulated bench {serial} has stopped; start a new one")]
    Stopped { serial: String },
}

/// How a bench runs: which faults, from which seed, how fast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimOptions {
    pub faults: FaultSpec,
    /// Seeds the fault dice: the same seed and the same requests give the same faults.
    pub seed: u64,
    /// Time scale: every scenario duration is divided by it (2.0 runs twice as fast, and a
    /// `delay` fault then lasts 1250 ms).
    pub speed: f64,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            faults: FaultSpec::none(),
            seed: 0,
            speed: 1.0,
        }
    }
}

/// What a bench has seen and done so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimStats {
    /// Requests that passed the CRC check and parsed, by verb.
    pub requests: BTreeMap<String, u64>,
    /// Lines written to the PTY, injected ones included.
    pub lines_sent: u64,
    /// Lines that could not be written: the bench was unplugged, or nobody read the PTY.
    pub lines_discarded: u64,
    pub faults: BTreeMap<FaultKind, u64>,
    /// Host lines dropped for a missing or wrong CRC (answered `? ERR BAD_CRC`).
    pub host_lines_bad_crc: u64,
    /// Host lines over 512 bytes (answered `? ERR BAD_CRC` as well).
    pub host_lines_too_long: u64,
    /// Host lines with a good CRC that were not a request and had no tag to answer to.
    pub host_lines_unparsable: u64,
}

impl SimStats {
    pub fn requests_total(&self) -> u64 {
        self.requests.values().sum()
    }

    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.faults.get(&kind).copied().unwrap_or(0)
    }

    pub fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
}

/// Real-time length of the `delay` fault, before scaling.
const DELAY_FAULT_MS: u64 = 2500;
/// How long an `unplug` fault keeps the bench away, before scaling.
const UNPLUG_FAULT_MS: u64 = 300;
/// Longest sleep of the bench thread when nothing is scheduled; commands wake it earlier.
const IDLE_WAIT: Duration = Duration::from_secs(1);
/// Caps scaled durations so that a tiny speed cannot overflow the clock.
const LONGEST_WAIT: Duration = Duration::from_secs(30 * 24 * 3600);
/// After a read error on the PTY, leave it alone this long instead of spinning on it.
const READ_ERROR_BACKOFF: Duration = Duration::from_millis(50);
const READ_CHUNK: usize = 4096;
/// Reads per wake-up, so that a flooding host cannot starve the timers.
const MAX_READS_PER_WAKE: usize = 16;

type Ack = Sender<Result<(), SimError>>;

enum Command {
    Insert(u16, Ack),
    Remove(u16, Ack),
    Reset(Ack),
    Unplug(Ack),
    Replug(Ack),
    Stop,
}

/// A simulated bench serving Bench Protocol v1 on a PTY. Dropping it stops the bench and
/// removes its link.
pub struct SimBench {
    link: PathBuf,
    serial: String,
    commands: Sender<Command>,
    waker: UnixStream,
    stats: Arc<Mutex<SimStats>>,
    thread: Option<JoinHandle<()>>,
}

impl SimBench {
    /// Opens a PTY, puts its slave in raw mode, symlinks the slave's device path at `link`
    /// (replacing a stale symlink, refusing to replace a regular file), and serves Protocol v1
    /// from the scenario on a background thread.
    pub fn start(
        scenario: Scenario,
        link: &Path,
        options: SimOptions,
    ) -> Result<SimBench, SimError> {
        if !(options.speed.is_finite() && options.speed > 0.0) {
            return Err(SimError::BadSpeed {
                speed: options.speed,
            });
        }
        let thread_error = |source| SimError::Thread { source };
        let (waker, wake_listener) = UnixStream::pair().map_err(thread_error)?;
        waker.set_nonblocking(true).map_err(thread_error)?;
        wake_listener.set_nonblocking(true).map_err(thread_error)?;

        let pty = Pty::open()?;
        place_link(link, pty.device())?;
        let device = pty.device().to_owned();
        let serial = scenario.bench().serial.clone();
        let stats = Arc::new(Mutex::new(SimStats::default()));
        let (commands, command_receiver) = mpsc::channel();
        let runner = Runner::new(
            Arc::new(scenario),
            link.to_owned(),
            pty,
            &options,
            Arc::clone(&stats),
            command_receiver,
            wake_listener,
        );
        let thread = std::thread::Builder::new()
            // A NUL in a thread name makes spawn panic, and the serial comes from a file.
            .name(format!("bench {}", serial.replace('\0', "")))
            .spawn(move || runner.run())
            .map_err(|source| {
                remove_link(link, &device);
                SimError::Thread { source }
            })?;
        tracing::info!(serial, link = %link.display(), device = %device.display(), "simulated bench started");
        Ok(SimBench {
            link: link.to_owned(),
            serial,
            commands,
            waker,
            stats,
            thread: Some(thread),
        })
    }

    pub fn link(&self) -> &Path {
        &self.link
    }

    /// Puts the slot's device in (sends `! INSERTED`).
    pub fn insert(&self, slot: u16) -> Result<(), SimError> {
        self.call(|ack| Command::Insert(slot, ack))
    }

    /// Takes the slot's device out (sends `! REMOVED`), cancelling its test or erase.
    pub fn remove(&self, slot: u16) -> Result<(), SimError> {
        self.call(|ack| Command::Remove(slot, ack))
    }

    /// Sends `! RESET`, drops requests in flight and forgets test results and erase state.
    pub fn reset(&self) {
        self.call_quietly(Command::Reset);
    }

    /// Closes the PTY and removes the link; the host sees EOF or an I/O error.
    pub fn unplug(&self) {
        self.call_quietly(Command::Unplug);
    }

    /// A new PTY behind the link, and the bench as after a power cycle: devices stay, results
    /// and erase state are gone. A plugged bench is unplugged first.
    pub fn replug(&self) -> Result<(), SimError> {
        self.call(Command::Replug)
    }

    pub fn stats(&self) -> SimStats {
        lock(&self.stats).clone()
    }

    /// Stops the bench and removes its link (as dropping it does).
    pub fn stop(self) {}

    fn call(&self, command: impl FnOnce(Ack) -> Command) -> Result<(), SimError> {
        let (ack, done) = mpsc::channel();
        let stopped = || SimError::Stopped {
            serial: self.serial.clone(),
        };
        self.commands.send(command(ack)).map_err(|_| stopped())?;
        self.wake();
        done.recv().map_err(|_| stopped())?
    }

    fn call_quietly(&self, command: impl FnOnce(Ack) -> Command) {
        if let Err(error) = self.call(command) {
            tracing::debug!(%error, "command to a stopped bench ignored");
        }
    }

    fn wake(&self) {
        // A full socket means a wake-up is already pending, which is all that is needed.
        let _ = (&self.waker).write(&[1]);
    }
}

impl Drop for SimBench {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        self.wake();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!(serial = %self.serial, "the bench thread panicked");
            }
        }
    }
}

/// Blocks until `stop` becomes true (ctrl-c in `refurbdesk sim bench`), then stops the bench
/// and returns what it did.
pub fn run_until(
    scenario: Scenario,
    link: &Path,
    options: SimOptions,
    stop: &AtomicBool,
) -> Result<SimStats, SimError> {
    let bench = SimBench::start(scenario, link, options)?;
    let stats = Arc::clone(&bench.stats);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
    }
    bench.stop();
    let final_stats = lock(&stats).clone();
    Ok(final_stats)
}

/// The stats stay readable even if a holder panicked; they are counters, never half-updated.
fn lock(stats: &Mutex<SimStats>) -> MutexGuard<'_, SimStats> {
    stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

enum Job {
    Request {
        power: u64,
        tag: u16,
        verb: String,
        args: Vec<String>,
    },
    /// An answer decided when the line arrived (`? ERR BAD_CRC`, unreadable request).
    Reply {
        power: u64,
        tag: Option<u16>,
        body: ResponseBody,
    },
    Bench(Timer),
    Timeline(usize),
    /// `[churn]`: the step of `slot`'s cycle number `cycle`.
    Churn {
        slot: u16,
        cycle: u64,
        action: TimelineAction,
    },
    Delayed {
        power: u64,
        plug: u64,
        line: Vec<u8>,
        copies: usize,
    },
    Replug {
        plug: u64,
    },
}

struct Entry {
    at: Instant,
    /// Keeps jobs due at the same instant in the order they were scheduled.
    seq: u64,
    job: Job,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    /// Reversed, so that the max-heap pops the earliest job.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// Which faults a line may suffer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role<'a> {
    Response { verb: &'a str },
    Event,
}

struct Runner {
    state: BenchState,
    dice: FaultDice,
    speed: f64,
    link: PathBuf,
    pty: Option<Pty>,
    pty_quiet_until: Option<Instant>,
    splitter: LineSplitter,
    /// When the bench started; timeline and churn times count from here.
    started: Instant,
    queue: BinaryHeap<Entry>,
    next_seq: u64,
    /// Bumped by every reboot; work from an older power cycle is dropped.
    power: u64,
    /// Bumped by every unplug and replug; a pending automatic replug from an older one is void.
    plug: u64,
    stats: Arc<Mutex<SimStats>>,
    commands: Receiver<Command>,
    wake_listener: UnixStream,
}

impl Runner {
    fn new(
        scenario: Arc<Scenario>,
        link: PathBuf,
        pty: Pty,
        options: &SimOptions,
        stats: Arc<Mutex<SimStats>>,
        commands: Receiver<Command>,
        wake_listener: UnixStream,
    ) -> Self {
        let mut runner = Runner {
            state: BenchState::new(Arc::clone(&scenario)),
            dice: FaultDice::new(options.faults.clone(), options.seed),
            speed: options.speed,
            link,
            pty: Some(pty),
            pty_quiet_until: None,
            splitter: LineSplitter::new(),
            started: Instant::now(),
            queue: BinaryHeap::new(),
            next_seq: 0,
            power: 0,
            plug: 0,
            stats,
            commands,
            wake_listener,
        };
        let started = runner.started;
        for (index, step) in scenario.timeline().iter().enumerate() {
            let at = runner.later(started, step.at_ms);
            runner.schedule_at(at, Job::Timeline(index));
        }
        if let Some(churn) = scenario.churn() {
            let count = scenario.devices().len();
            for (index, device) in scenario.devices().iter().enumerate() {
                // A device in place at the start begins its first cycle already in.
                let action = if device.present {
                    TimelineAction::Remove
                } else {
                    TimelineAction::Insert
                };
                runner.schedule_churn(churn, index, count, device.slot, 0, action);
            }
        }
        runner
    }

    fn run(mut self) {
        let mut buffer = vec![0u8; READ_CHUNK];
        loop {
            self.run_due_jobs();
            let (host_ready, woken) = self.wait();
            if woken {
                self.drain_wake_ups();
            }
            loop {
                match self.commands.try_recv() {
                    Ok(Command::Stop) | Err(TryRecvError::Disconnected) => {
                        self.unplug();
                        return;
                    }
                    Ok(command) => self.command(command),
                    Err(TryRecvError::Empty) => break,
                }
            }
            if host_ready {
                self.read_host(&mut buffer);
            }
        }
    }

    fn scaled(&self, ms: u64) -> Duration {
        Duration::try_from_secs_f64(ms as f64 / 1000.0 / self.speed)
            .unwrap_or(LONGEST_WAIT)
            .min(LONGEST_WAIT)
    }

    fn later(&self, from: Instant, ms: u64) -> Instant {
        from + self.scaled(ms)
    }

    fn schedule_at(&mut self, at: Instant, job: Job) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Entry { at, seq, job });
    }

    /// Schedules a churn step at its place on the bench's clock (not after the previous step, so
    /// that the cycles do not drift when the thread is late).
    fn schedule_churn(
        &mut self,
        churn: Churn,
        index: usize,
        count: usize,
        slot: u16,
        cycle: u64,
        action: TimelineAction,
    ) {
        let in_cycle = match action {
            TimelineAction::Insert => 0,
            TimelineAction::Remove => churn.in_ms,
        };
        let ms = churn
            .offset_ms(index, count)
            .saturating_add(churn.period_ms.saturating_mul(cycle))
            .saturating_add(in_cycle);
        let at = self.later(self.started, ms);
        self.schedule_at(
            at,
            Job::Churn {
                slot,
                cycle,
                action,
            },
        );
    }

    fn schedule_in(&mut self, ms: u64, job: Job) {
        let at = self.later(Instant::now(), ms);
        self.schedule_at(at, job);
    }

    fn schedule_timers(&mut self, timers: Vec<Scheduled>) {
        for scheduled in timers {
            self.schedule_in(scheduled.after_ms, Job::Bench(scheduled.timer));
        }
    }

    fn run_due_jobs(&mut self) {
        while self
            .queue
            .peek()
            .is_some_and(|entry| entry.at <= Instant::now())
        {
            if let Some(entry) = self.queue.pop() {
                self.run_job(entry.job);
            }
        }
    }

    /// Sleeps until the next job, a command or host bytes. Returns (host bytes, woken).
    fn wait(&mut self) -> (bool, bool) {
        let now = Instant::now();
        let until_next_job = self
            .queue
            .peek()
            .map_or(IDLE_WAIT, |entry| entry.at.saturating_duration_since(now))
            .min(IDLE_WAIT);
        // Round up: a timeout rounded down to 0 ms would spin until the job is due.
        let millis = until_next_job.as_micros().div_ceil(1000);
        let timeout = u16::try_from(millis).map_or(PollTimeout::MAX, PollTimeout::from);
        // After a read error the PTY rests for a while; only commands and timers count then.
        if self.pty_quiet_until.is_some_and(|until| until <= now) {
            self.pty_quiet_until = None;
        }
        let watch_pty = self.pty_quiet_until.is_none();
        let mut fds = vec![PollFd::new(self.wake_listener.as_fd(), PollFlags::POLLIN)];
        if let (Some(pty), true) = (&self.pty, watch_pty) {
            fds.push(PollFd::new(pty.fd(), PollFlags::POLLIN));
        }
        if let Err(errno) = poll(&mut fds, timeout) {
            if errno != nix::errno::Errno::EINTR {
                tracing::warn!(%errno, "poll failed in the bench thread");
            }
            return (false, false);
        }
        let ready = |fd: Option<&PollFd>| {
            fd.and_then(PollFd::revents)
                .is_some_and(|events| !events.is_empty())
        };
        (ready(fds.get(1)), ready(fds.first()))
    }

    fn drain_wake_ups(&mut self) {
        let mut sink = [0u8; 64];
        while matches!((&self.wake_listener).read(&mut sink), Ok(count) if count > 0) {}
    }

    fn read_host(&mut self, buffer: &mut [u8]) {
        let mut lines: Vec<Result<Vec<u8>, LineError>> = Vec::new();
        for _ in 0..MAX_READS_PER_WAKE {
            let Some(pty) = self.pty.as_mut() else {
                break;
            };
            match pty.read(buffer) {
                Ok(0) => break,
                Ok(count) => self.splitter.push(&buffer[..count], |line| {
                    lines.push(line.map(<[u8]>::to_vec))
                }),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => {
                    tracing::debug!(%error, "reading the PTY failed; resting it");
                    self.pty_quiet_until = Some(Instant::now() + READ_ERROR_BACKOFF);
                    break;
                }
            }
        }
        for line in lines {
            self.host_line(line);
        }
    }

    fn host_line(&mut self, line: Result<Vec<u8>, LineError>) {
        let host_line = read_host_line(line.as_deref().map_err(Clone::clone));
        match &host_line {
            HostLine::TooLong => self.count(|stats| stats.host_lines_too_long += 1),
            HostLine::BadCrc => self.count(|stats| stats.host_lines_bad_crc += 1),
            HostLine::Unreadable { answer: None } => {
                self.count(|stats| stats.host_lines_unparsable += 1)
            }
            HostLine::Unreadable { answer: Some(_) } | HostLine::Request { .. } => {}
        }
        if let Some((tag, body)) = host_line.immediate_answer() {
            self.schedule_reply(tag, body);
            return;
        }
        if let HostLine::Request { tag, verb, args } = host_line {
            self.count(|stats| *stats.requests.entry(verb.clone()).or_default() += 1);
            let power = self.power;
            let ms = self.state.answer_ms(&verb);
            self.schedule_in(
                ms,
                Job::Request {
                    power,
                    tag,
                    verb,
                    args,
                },
            );
        }
    }

    fn schedule_reply(&mut self, tag: Option<u16>, body: ResponseBody) {
        let power = self.power;
        let ms = self.state.answer_ms("");
        self.schedule_in(ms, Job::Reply { power, tag, body });
    }

    fn run_job(&mut self, job: Job) {
        match job {
            Job::Request {
                power,
                tag,
                verb,
                args,
            } => {
                if power != self.power {
                    return;
                }
                let mut timers = Vec::new();
                let body = self.state.handle(&verb, &args, &mut timers);
                self.schedule_timers(timers);
                let erase_started = verb == "ERASE" && matches!(body, ResponseBody::Ok(_));
                if erase_started && self.erase_fault(args.first(), EraseWireFault::DropAck) {
                    self.count_fault(FaultKind::Drop);
                    tracing::info!("scenario fault: the OK to ERASE is not sent");
                    return;
                }
                self.send_response(Some(tag), body, &verb);
            }
            Job::Reply { power, tag, body } => {
                if power == self.power {
                    self.send_response(tag, body, "");
                }
            }
            Job::Bench(timer) => {
                if let Some(event) = self.state.fire(timer) {
                    if let Event::EraseDone { slot, .. } = &event {
                        let slot = slot.to_string();
                        if self.erase_fault(Some(&slot), EraseWireFault::DropDone) {
                            self.count_fault(FaultKind::Drop);
                            tracing::info!(
                                slot,
                                "scenario fault: the ERASE done event is not sent"
                            );
                            return;
                        }
                        if self.erase_fault(Some(&slot), EraseWireFault::CorruptDone) {
                            self.send_corrupt(&Message::Event(event));
                            return;
                        }
                    }
                    self.send(Message::Event(event), Role::Event);
                }
            }
            Job::Timeline(index) => {
                let Some(step) = self.state.scenario().timeline().get(index).copied() else {
                    return;
                };
                let moved = match step.action {
                    TimelineAction::Insert => self.state.insert(step.slot),
                    TimelineAction::Remove => self.state.remove(step.slot),
                };
                match moved {
                    Ok(event) => self.send(Message::Event(event), Role::Event),
                    // Only possible after insert()/remove() calls moved the device first.
                    Err(error) => {
                        tracing::debug!(%error, at_ms = step.at_ms, "timeline step skipped")
                    }
                }
            }
            Job::Churn {
                slot,
                cycle,
                action,
            } => {
                let scenario = self.state.scenario();
                let count = scenario.devices().len();
                let index = scenario.devices().iter().position(|d| d.slot == slot);
                let (Some(churn), Some(index)) = (scenario.churn(), index) else {
                    return;
                };
                let moved = match action {
                    TimelineAction::Insert => self.state.insert(slot),
                    TimelineAction::Remove => self.state.remove(slot),
                };
                match moved {
                    Ok(event) => self.send(Message::Event(event), Role::Event),
                    // A test moved the device itself in between; the cycle goes on regardless.
                    Err(error) => tracing::debug!(%error, slot, "churn step skipped"),
                }
                let (cycle, action) = match action {
                    TimelineAction::Insert => (cycle, TimelineAction::Remove),
                    TimelineAction::Remove => (cycle + 1, TimelineAction::Insert),
                };
                self.schedule_churn(churn, index, count, slot, cycle, action);
            }
            Job::Delayed {
                power,
                plug,
                line,
                copies,
            } => {
                if power == self.power && plug == self.plug {
                    for _ in 0..copies {
                        self.write(&line);
                    }
                }
            }
            Job::Replug { plug } => {
                if plug == self.plug && self.pty.is_none() {
                    if let Err(error) = self.plug_in() {
                        tracing::warn!(%error, "replug after an unplug fault failed; retrying");
                        let plug = self.plug;
                        self.schedule_in(UNPLUG_FAULT_MS, Job::Replug { plug });
                    }
                }
            }
        }
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Insert(slot, ack) => {
                let result = self.state.insert(slot).map(|event| {
                    self.send(Message::Event(event), Role::Event);
                });
                let _ = ack.send(result);
            }
            Command::Remove(slot, ack) => {
                let result = self.state.remove(slot).map(|event| {
                    self.send(Message::Event(event), Role::Event);
                });
                let _ = ack.send(result);
            }
            Command::Reset(ack) => {
                self.reboot();
                let _ = ack.send(Ok(()));
            }
            Command::Unplug(ack) => {
                self.unplug();
                let _ = ack.send(Ok(()));
            }
            Command::Replug(ack) => {
                self.unplug();
                let _ = ack.send(self.plug_in());
            }
            Command::Stop => {}
        }
    }

    /// Whether the scenario loses this line of the erase of the device in `slot`.
    fn erase_fault(&self, slot: Option<&String>, fault: EraseWireFault) -> bool {
        slot.and_then(|slot| slot.parse::<u16>().ok())
            .and_then(|slot| self.state.scenario().device(slot))
            .and_then(|device| device.erase.as_ref())
            .is_some_and(|erase| erase.has_fault(fault))
    }

    /// Writes `message` with a CRC that cannot match, without rolling the
    /// fault dice, so the random faults of a run stay as its seed says.
    fn send_corrupt(&mut self, message: &Message) {
        let Ok(line) = encode_message(message) else {
            return;
        };
        let body = line.trim_end_matches('\n');
        let body = body.get(..body.len().saturating_sub(3)).unwrap_or(body);
        let wrong = refurbdesk_bench_protocol::crc8(body.as_bytes()) ^ 0xFF;
        self.count_fault(FaultKind::Crc);
        tracing::info!("scenario fault: an ERASE done event goes out with a wrong CRC");
        self.write(format!("{body}*{wrong:02X}\n").as_bytes());
    }

    fn send_response(&mut self, tag: Option<u16>, body: ResponseBody, verb: &str) {
        self.send(Message::Response { tag, body }, Role::Response { verb });
    }

    /// Sends one line through the fault injector. The dice are rolled in a fixed order for
    /// every line, which is what makes a seed replay the same faults.
    fn send(&mut self, message: Message, role: Role<'_>) {
        if self.pty.is_none() {
            self.count(|stats| stats.lines_discarded += 1);
            return;
        }
        let is_response = matches!(role, Role::Response { .. });
        if self.dice.roll(FaultKind::Unplug) {
            self.count_fault(FaultKind::Unplug);
            tracing::info!("fault: unplugging the bench for {UNPLUG_FAULT_MS} ms (scaled)");
            self.unplug();
            let plug = self.plug;
            self.schedule_in(UNPLUG_FAULT_MS, Job::Replug { plug });
            return;
        }
        if self.dice.roll(FaultKind::Reset) {
            self.count_fault(FaultKind::Reset);
            tracing::info!("fault: rebooting the bench");
            self.reboot();
            return;
        }
        if self.dice.roll(FaultKind::Garbage) {
            self.count_fault(FaultKind::Garbage);
            let garbage = self.dice.garbage_line();
            self.write(&garbage);
        }
        if self.dice.roll(FaultKind::Long) {
            self.count_fault(FaultKind::Long);
            let long = self.dice.long_line();
            self.write(&long);
        }
        let mut message = message;
        if let Role::Response { verb } = role {
            if self.dice.roll(FaultKind::Events) && self.add_harmless_extra(&mut message, verb) {
                self.count_fault(FaultKind::Events);
            }
        }
        let line = match encode_message(&message) {
            Ok(line) => line,
            Err(error) => {
                tracing::error!(%error, "a bench line could not be framed");
                match too_long_reply(&message) {
                    Some(line) => line,
                    None => return,
                }
            }
        };
        if is_response && self.dice.roll(FaultKind::Drop) {
            self.count_fault(FaultKind::Drop);
            return;
        }
        let bytes = if self.dice.roll(FaultKind::Crc) {
            self.count_fault(FaultKind::Crc);
            self.dice.with_wrong_crc(&line)
        } else {
            line.into_bytes()
        };
        let copies = if self.dice.roll(FaultKind::Dup) {
            self.count_fault(FaultKind::Dup);
            2
        } else {
            1
        };
        if is_response && self.dice.roll(FaultKind::Delay) {
            self.count_fault(FaultKind::Delay);
            let (power, plug) = (self.power, self.plug);
            self.schedule_in(
                DELAY_FAULT_MS,
                Job::Delayed {
                    power,
                    plug,
                    line: bytes,
                    copies,
                },
            );
            return;
        }
        for _ in 0..copies {
            self.write(&bytes);
        }
    }

    /// The `events` fault: a RESULT event already sent for a device still in place (same
    /// values), or an unknown `x_vendor=` field on an `OK` reply. RESULTS replies never gain a
    /// field, since every field there is a test. Returns whether anything was added.
    fn add_harmless_extra(&mut self, message: &mut Message, verb: &str) -> bool {
        let repeats = self.state.repeatable_results();
        let extendable = verb != "RESULTS"
            && matches!(
                message,
                Message::Response {
                    tag: Some(_),
                    body: ResponseBody::Ok(_)
                }
            );
        let repeat = !repeats.is_empty() && (!extendable || self.dice.coin());
        if repeat {
            let chosen = self.dice.pick(repeats.len());
            if let Some(event) = repeats.into_iter().nth(chosen) {
                if let Ok(line) = encode_message(&Message::Event(event)) {
                    self.write(line.as_bytes());
                    return true;
                }
            }
            return false;
        }
        if !extendable {
            return false;
        }
        let token = self.dice.vendor_token();
        let mut extended = message.clone();
        if let Message::Response {
            body: ResponseBody::Ok(fields),
            ..
        } = &mut extended
        {
            if fields.get("x_vendor").is_some() {
                return false;
            }
            fields.insert("x_vendor", &token);
        }
        if encode_message(&extended).is_err() {
            return false;
        }
        *message = extended;
        true
    }

    fn write(&mut self, line: &[u8]) {
        let Some(pty) = self.pty.as_mut() else {
            self.count(|stats| stats.lines_discarded += 1);
            return;
        };
        match pty.write_line(line) {
            Ok(()) => self.count(|stats| stats.lines_sent += 1),
            Err(error) => {
                tracing::debug!(%error, "a bench line was discarded");
                self.count(|stats| stats.lines_discarded += 1);
            }
        }
    }

    /// `! RESET`: requests in flight are dropped, results and erase state forgotten.
    fn reboot(&mut self) {
        self.power += 1;
        self.state.power_cycle();
        if let Ok(line) = encode_message(&Message::Event(Event::Reset)) {
            self.write(line.as_bytes());
        }
    }

    fn unplug(&mut self) {
        self.plug += 1;
        if let Some(pty) = self.pty.take() {
            remove_link(&self.link, pty.device());
            tracing::info!(link = %self.link.display(), "simulated bench unplugged");
        }
    }

    /// A new PTY behind the link, after which the bench is as freshly powered.
    fn plug_in(&mut self) -> Result<(), SimError> {
        let pty = Pty::open()?;
        place_link(&self.link, pty.device())?;
        tracing::info!(link = %self.link.display(), device = %pty.device().display(), "simulated bench plugged in");
        self.pty = Some(pty);
        self.pty_quiet_until = None;
        self.splitter = LineSplitter::new();
        self.plug += 1;
        self.power += 1;
        self.state.power_cycle();
        Ok(())
    }

    fn count(&self, update: impl FnOnce(&mut SimStats)) {
        update(&mut lock(&self.stats));
    }

    fn count_fault(&self, kind: FaultKind) {
        self.count(|stats| *stats.faults.entry(kind).or_default() += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_pop_earliest_first_then_in_scheduling_order() {
        let now = Instant::now();
        let mut queue = BinaryHeap::new();
        for (offset, seq) in [(5u64, 0u64), (1, 1), (5, 2), (0, 3)] {
            queue.push(Entry {
                at: now + Duration::from_millis(offset),
                seq,
                job: Job::Timeline(0),
            });
        }
        let order: Vec<u64> = std::iter::from_fn(|| queue.pop().map(|entry| entry.seq)).collect();
        assert_eq!(order, [3, 1, 0, 2]);
    }

    #[test]
    fn bad_speeds_are_refused_before_anything_is_opened() {
        let scenario = Scenario::from_toml(
            "[bench]\nvendor = \"A\"\nmodel = \"B\"\nserial = \"C\"\nfw = \"1\"\nslots = 1\n",
            "t",
        )
        .expect("valid");
        let folder = tempfile::tempdir().expect("temp dir");
        let link = folder.path().join("tty");
        for speed in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let options = SimOptions {
                speed,
                ..SimOptions::default()
            };
            assert!(matches!(
                SimBench::start(scenario.clone(), &link, options),
                Err(SimError::BadSpeed { .. })
            ));
            assert!(std::fs::symlink_metadata(&link).is_err());
        }
    }
}
