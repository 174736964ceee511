//! The headless station: one task per bench follows its slots, intakes every device placed in them and
//! records each reading; a coordinator turns what happens into [`StationEvent`]s and knows when all is
//! quiet.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_bench::{BenchLink, LinkConfig, LinkError, LinkEvent, Verb};
use refurbdesk_bench_protocol::responses::{SlotState, SlotsReply};
use refurbdesk_bench_protocol::Event;
use refurbdesk_domain::{identity_from_fields, DeviceIdentity};
use refurbdesk_store::Store;
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::intake::{run_intake_observed, IntakeError, IntakeOptions, IntakeReading};
use crate::record::record_reading;
use crate::report::IntakeReport;

/// What the station needs to run.
#[derive(Debug, Clone)]
pub struct StationConfig {
    pub ports: Vec<PathBuf>,
    pub link: LinkConfig,
    pub intake: IntakeOptions,
    /// Who each intake is recorded under, asked when it is recorded.
    pub operator: OnDuty,
    /// With `until_idle`, the station stops once every occupied slot is settled and nothing happened
    /// for this long.
    pub idle_after: Duration,
    pub until_idle: bool,
    /// How often a failed intake is tried again while the device stays in its slot.
    pub intake_attempts: u32,
    /// With `until_idle`, how often a bench that cannot be reached is tried (500 ms apart)
    /// before the station stops waiting for it; a station that runs on waits for ever.
    pub connect_attempts: u32,
}

impl StationConfig {
    pub fn new(ports: Vec<PathBuf>, operator: impl Into<String>) -> Self {
        Self {
            ports,
            link: LinkConfig::default(),
            intake: IntakeOptions::default(),
            operator: OnDuty::new(Some(operator.into())),
            idle_after: Duration::from_secs(2),
            until_idle: false,
            intake_attempts: 3,
            connect_attempts: 6,
        }
    }
}

/// Who the station records under: one operator for a station started at the terminal, whoever is
/// logged in for the window's. It is asked as each reading is recorded; while nobody is on duty
/// the reading waits, in its slot, and is recorded under the next operator who comes on duty.
#[derive(Debug, Clone)]
pub struct OnDuty(Arc<watch::Sender<Option<String>>>);

impl OnDuty {
    pub fn new(operator: Option<String>) -> Self {
        Self(Arc::new(watch::channel(operator).0))
    }

    /// Puts `operator` on duty; `None`: nobody (nothing is recorded until someone is).
    pub fn set(&self, operator: Option<String>) {
        self.0.send_replace(operator);
    }

    pub fn current(&self) -> Option<String> {
        self.0.borrow().clone()
    }

    /// The operator on duty, once there is one.
    pub async fn wait(&self) -> String {
        let mut changes = self.0.subscribe();
        loop {
            if let Some(operator) = changes.borrow_and_update().clone() {
                return operator;
            }
            // The sender lives as long as `self`: `changed` ends only with a change.
            if changes.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// What a slot's `SlotChanged` says while its reading waits for an operator to come on duty.
pub const AWAITING_OPERATOR: &str = "read; waiting for an operator to log in to record it";

/// Where a slot stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SlotPhase {
    Empty,
    /// A device is in the slot and its identity is being read (from its insertion, or the
    /// bench's HELLO, until IDENT answers).
    Identifying,
    /// The device is known; its battery, locks and tests are being read (and, while nobody is
    /// on duty, the reading waits to be recorded).
    Intake,
    Recorded,
    Failed,
    /// After a bench reset or disconnect, until the bench is asked again.
    Unknown,
}

impl SlotPhase {
    fn is_settled(self) -> bool {
        matches!(
            self,
            SlotPhase::Empty | SlotPhase::Recorded | SlotPhase::Failed
        )
    }
}

/// Everything the station reports, in order, for a terminal or a window.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StationEvent {
    /// The port is missing or the bench does not answer; the station keeps trying.
    BenchWaiting {
        port: String,
        reason: String,
    },
    /// With `until_idle`: no bench answered at the port after every attempt; the station stops
    /// waiting for it.
    BenchUnreachable {
        port: String,
        reason: String,
        attempts: u32,
    },
    BenchReady {
        port: String,
        serial: String,
        vendor: String,
        model: String,
        slots: u16,
    },
    BenchDisconnected {
        port: String,
    },
    SlotChanged {
        port: String,
        bench: Option<String>,
        slot: u16,
        phase: SlotPhase,
        message: Option<String>,
    },
    IntakeRecorded {
        port: String,
        bench: String,
        slot: u16,
        report: Box<IntakeReport>,
    },
    IntakeFailed {
        port: String,
        bench: Option<String>,
        slot: u16,
        error: String,
        will_retry: bool,
        /// The device left its slot: nothing to record, and nothing wrong with the station.
        removed: bool,
        /// The bench was read, but the reading could not be written to the database.
        unrecorded: bool,
    },
}

/// What a finished run did.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StationSummary {
    pub benches: usize,
    pub recorded: usize,
    pub failed: usize,
    /// Of the failed, those read from the bench but not written to the database.
    pub unrecorded: usize,
    /// With `until_idle`, the ports where no bench answered after every attempt.
    pub unreachable: Vec<String>,
}

/// Stops a running station.
#[derive(Debug, Clone)]
pub struct StationHandle {
    stop: watch::Sender<bool>,
}

impl StationHandle {
    pub fn new() -> (Self, watch::Receiver<bool>) {
        let (stop, receiver) = watch::channel(false);
        (Self { stop }, receiver)
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// What a slot source is started with: where its events go (as a bench's would) and the
/// station's stop signal.
pub struct SourceContext {
    pub out: mpsc::UnboundedSender<StationEvent>,
    pub stop: watch::Receiver<bool>,
}

/// Slots that are not on a bench's serial port (devices on the workstation's own USB ports):
/// started with the station, they report their slots with the same events as a bench, under a
/// port name of their own, so whoever shows the station shows them as any slot.
pub type SlotSource = Box<dyn FnOnce(SourceContext) -> JoinHandle<()> + Send>;

/// Runs the station until `stop` turns true, or, with `until_idle`, until all is quiet.
pub async fn run_station(
    config: StationConfig,
    store: Arc<Mutex<Store>>,
    events: mpsc::UnboundedSender<StationEvent>,
    stop: watch::Receiver<bool>,
) -> StationSummary {
    run_station_with(config, store, events, stop, Vec::new()).await
}

/// [`run_station`], with `sources` of slots beside the benches.
pub async fn run_station_with(
    config: StationConfig,
    store: Arc<Mutex<Store>>,
    events: mpsc::UnboundedSender<StationEvent>,
    mut stop: watch::Receiver<bool>,
    sources: Vec<SlotSource>,
) -> StationSummary {
    let (internal_tx, mut internal_rx) = mpsc::unbounded_channel::<StationEvent>();
    let config = Arc::new(config);
    // One recording at a time waits for the store. Without this turn, every intake that finished
    // while another was being written took a blocking thread to wait on the store's lock: under 64
    // busy slots the blocking pool grew to some 60 threads, each with its stack and buffers.
    let recording = Arc::new(tokio::sync::Semaphore::new(1));
    let mut benches = Vec::new();
    for port in &config.ports {
        benches.push(tokio::spawn(follow_bench(
            port.clone(),
            config.clone(),
            Recorder {
                store: store.clone(),
                turn: recording.clone(),
            },
            internal_tx.clone(),
            stop.clone(),
        )));
    }
    for source in sources {
        benches.push(source(SourceContext {
            out: internal_tx.clone(),
            stop: stop.clone(),
        }));
    }
    drop(internal_tx);

    let mut ready: HashMap<String, bool> = config
        .ports
        .iter()
        .map(|p| (p.display().to_string(), false))
        .collect();
    let mut phases: BTreeMap<(String, u16), SlotPhase> = BTreeMap::new();
    let mut summary = StationSummary {
        benches: config.ports.len(),
        ..StationSummary::default()
    };
    let mut last_activity = Instant::now();

    loop {
        let quiet = ready.values().all(|r| *r) && phases.values().all(|p| p.is_settled());
        let idle_deadline = last_activity + config.idle_after;
        tokio::select! {
            event = internal_rx.recv() => {
                let Some(event) = event else { break };
                last_activity = Instant::now();
                match &event {
                    StationEvent::BenchReady { port, .. } => { ready.insert(port.clone(), true); }
                    StationEvent::BenchDisconnected { port } => {
                        for ((p, _), phase) in phases.iter_mut() {
                            if p == port { *phase = SlotPhase::Unknown; }
                        }
                    }
                    StationEvent::SlotChanged { port, slot, phase, .. } => {
                        phases.insert((port.clone(), *slot), *phase);
                    }
                    StationEvent::IntakeRecorded { port, slot, .. } => {
                        summary.recorded += 1;
                        phases.insert((port.clone(), *slot), SlotPhase::Recorded);
                    }
                    StationEvent::IntakeFailed { port, slot, will_retry, removed, unrecorded, .. } => {
                        if !will_retry && !removed {
                            summary.failed += 1;
                            summary.unrecorded += usize::from(*unrecorded);
                            phases.insert((port.clone(), *slot), SlotPhase::Failed);
                        }
                    }
                    StationEvent::BenchWaiting { .. } => {}
                    StationEvent::BenchUnreachable { port, .. } => {
                        // Nothing more will come from it: idle may be reached without it.
                        ready.insert(port.clone(), true);
                        summary.unreachable.push(port.clone());
                    }
                }
                if events.send(event).is_err() {
                    tracing::debug!("station event listener gone");
                }
            }
            _ = tokio::time::sleep_until(idle_deadline), if config.until_idle && quiet => break,
            _ = stop.changed() => { if *stop.borrow() { break; } }
        }
    }
    for bench in benches {
        bench.abort();
    }
    summary
}

struct SlotTrack {
    phase: SlotPhase,
    /// What the bench last said about the slot (events or SLOTS).
    occupied: bool,
    /// Who was recorded from this slot, to recognise the same device after a bench reset.
    recorded: Option<DeviceIdentity>,
    intake: Option<JoinHandle<()>>,
    attempts: u32,
}

struct IntakeDone {
    slot: u16,
    /// Boxed: the channel that carries these keeps a block of 32 of them per bench, which was
    /// 44 KiB with the reading and report inline.
    result: Result<Box<(IntakeReading, IntakeReport)>, String>,
    retry: bool,
    removed: bool,
    /// The bench went away mid-intake: the slot is intaken again once it is back (`resync`).
    disconnected: bool,
    /// The bench was read but the database did not take the reading.
    unrecorded: bool,
}

/// Follows one bench for the station's life: connects (and keeps trying while the port is missing),
/// then reacts to its events.
async fn follow_bench(
    port: PathBuf,
    config: Arc<StationConfig>,
    store: Recorder,
    out: mpsc::UnboundedSender<StationEvent>,
    mut stop: watch::Receiver<bool>,
) {
    let port_name = port.display().to_string();
    let mut told_waiting = false;
    let mut attempts = 0;
    let link = loop {
        attempts += 1;
        match BenchLink::connect(&port, config.link).await {
            Ok((link, _hello)) => break link,
            Err(error) => {
                if config.until_idle && attempts >= config.connect_attempts {
                    let _ = out.send(StationEvent::BenchUnreachable {
                        port: port_name.clone(),
                        reason: error.to_string(),
                        attempts,
                    });
                    return;
                }
                if !told_waiting {
                    told_waiting = true;
                    let _ = out.send(StationEvent::BenchWaiting {
                        port: port_name.clone(),
                        reason: error.to_string(),
                    });
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    };
    let mut follower = BenchFollower {
        link,
        port: port_name,
        bench_serial: None,
        config,
        store,
        out,
        slots: BTreeMap::new(),
    };
    follower.run(stop).await;
}

/// The station's store, and the turn an intake takes before it waits for it.
#[derive(Clone)]
struct Recorder {
    store: Arc<Mutex<Store>>,
    turn: Arc<tokio::sync::Semaphore>,
}

struct BenchFollower {
    link: BenchLink,
    port: String,
    bench_serial: Option<String>,
    config: Arc<StationConfig>,
    store: Recorder,
    out: mpsc::UnboundedSender<StationEvent>,
    slots: BTreeMap<u16, SlotTrack>,
}

impl BenchFollower {
    async fn run(&mut self, mut stop: watch::Receiver<bool>) {
        // The link's first subscriber hears everything since the port opened, the first `Ready`
        // included, which starts the first look at the slots.
        let mut events = self.link.subscribe();
        let (done_tx, mut done_rx) = mpsc::unbounded_channel::<IntakeDone>();
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(LinkEvent::Ready(hello)) => {
                        self.announce_ready(&hello);
                        self.resync(&done_tx).await;
                    }
                    Ok(LinkEvent::Bench { event, .. }) => self.on_bench_event(*event, &done_tx).await,
                    Ok(LinkEvent::Disconnected) => {
                        let _ = self.out.send(StationEvent::BenchDisconnected { port: self.port.clone() });
                        let slots: Vec<u16> = self.slots.keys().copied().collect();
                        for slot in slots {
                            self.set_phase(slot, SlotPhase::Unknown, None);
                        }
                    }
                    Ok(LinkEvent::BadLine { reason }) => {
                        tracing::debug!(port = %self.port, %reason, "bad line dropped");
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => self.resync(&done_tx).await,
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                Some(done) = done_rx.recv() => self.on_intake_done(done, &done_tx),
                _ = stop.changed() => {
                    if *stop.borrow() { break; }
                }
            }
        }
        for state in self.slots.values_mut() {
            if let Some(task) = state.intake.take() {
                task.abort();
            }
        }
    }

    fn announce_ready(&mut self, hello: &refurbdesk_bench::Hello) {
        self.bench_serial = Some(hello.serial.clone());
        let _ = self.out.send(StationEvent::BenchReady {
            port: self.port.clone(),
            serial: hello.serial.clone(),
            vendor: hello.vendor.clone(),
            model: hello.model.clone(),
            slots: hello.slots,
        });
    }

    /// Makes sure the slot is tracked without announcing anything.
    fn set_phase_quietly(&mut self, slot: u16) {
        self.slots.entry(slot).or_insert(SlotTrack {
            phase: SlotPhase::Unknown,
            occupied: false,
            recorded: None,
            intake: None,
            attempts: 0,
        });
    }

    fn set_phase(&mut self, slot: u16, phase: SlotPhase, message: Option<String>) {
        let state = self.slots.entry(slot).or_insert(SlotTrack {
            phase: SlotPhase::Unknown,
            occupied: false,
            recorded: None,
            intake: None,
            attempts: 0,
        });
        if state.phase == phase && message.is_none() {
            return;
        }
        state.phase = phase;
        let _ = self.out.send(StationEvent::SlotChanged {
            port: self.port.clone(),
            bench: self.bench_serial.clone(),
            slot,
            phase,
            message,
        });
    }

    /// Asks the bench which slots hold a device (after connecting, a reset or a reconnect) and intakes
    /// those whose device is not the one already recorded there.
    async fn resync(&mut self, done: &mpsc::UnboundedSender<IntakeDone>) {
        let slots = match self.link.request(Verb::Slots, &[]).await {
            Ok(reply) => match SlotsReply::from_fields(&reply.fields) {
                Ok(slots) => slots,
                Err(error) => {
                    tracing::warn!(port = %self.port, %error, "malformed SLOTS reply");
                    return;
                }
            },
            Err(error) => {
                tracing::warn!(port = %self.port, %error, "SLOTS failed");
                return;
            }
        };
        for (index, state) in slots.states.iter().enumerate() {
            let slot = index as u16 + 1;
            self.set_phase_quietly(slot);
            self.set_occupied(slot, matches!(state, SlotState::Occupied | SlotState::Busy));
            match state {
                SlotState::Empty => {
                    if let Some(task) = self.slots.get_mut(&slot).and_then(|s| s.intake.take()) {
                        task.abort();
                    }
                    if let Some(s) = self.slots.get_mut(&slot) {
                        s.recorded = None;
                    }
                    self.set_phase(slot, SlotPhase::Empty, None);
                }
                SlotState::Fault => self.set_phase(
                    slot,
                    SlotPhase::Failed,
                    Some("the bench reports a slot fault".into()),
                ),
                SlotState::Occupied | SlotState::Busy => {
                    let running = self
                        .slots
                        .get(&slot)
                        .is_some_and(|s| s.intake.as_ref().is_some_and(|t| !t.is_finished()));
                    if running {
                        continue;
                    }
                    if self.still_recorded(slot).await {
                        self.set_phase(
                            slot,
                            SlotPhase::Recorded,
                            Some("the device recorded before is still in place".into()),
                        );
                    } else {
                        self.start_intake(slot, done, true);
                    }
                }
            }
        }
    }

    /// Whether the device in `slot` is the one recorded there before (asked with IDENT).
    async fn still_recorded(&self, slot: u16) -> bool {
        let Some(recorded) = self.slots.get(&slot).and_then(|s| s.recorded.clone()) else {
            return false;
        };
        match self.link.request(Verb::Ident, &[&slot.to_string()]).await {
            Ok(reply) => identity_from_fields(reply.fields.iter()).is_ok_and(|id| id == recorded),
            Err(_) => false,
        }
    }

    fn intake_running(&self, slot: u16) -> bool {
        self.slots
            .get(&slot)
            .and_then(|s| s.intake.as_ref())
            .is_some_and(|task| !task.is_finished())
    }

    fn set_occupied(&mut self, slot: u16, occupied: bool) {
        if let Some(state) = self.slots.get_mut(&slot) {
            state.occupied = occupied;
        }
    }

    async fn on_bench_event(&mut self, event: Event, done: &mpsc::UnboundedSender<IntakeDone>) {
        match event {
            Event::Inserted { slot } => {
                self.set_phase_quietly(slot);
                self.set_occupied(slot, true);
                // A running intake hears the same event, stops, and is started again from
                // `on_intake_done` because the slot is occupied. A repeated INSERTED for the device
                // already recorded there changes nothing.
                if self.intake_running(slot) {
                    return;
                }
                if self.still_recorded(slot).await {
                    return;
                }
                self.start_intake(slot, done, true);
            }
            Event::Removed { slot } => {
                self.set_phase_quietly(slot);
                self.set_occupied(slot, false);
                if let Some(state) = self.slots.get_mut(&slot) {
                    state.recorded = None;
                }
                // A running intake sees the removal itself and reports it.
                if !self.intake_running(slot) {
                    self.set_phase(slot, SlotPhase::Empty, None);
                }
            }
            Event::Reset => {
                let slots: Vec<u16> = self.slots.keys().copied().collect();
                for slot in slots {
                    self.set_phase(slot, SlotPhase::Unknown, None);
                }
            }
            Event::Fault { slot, message } => {
                self.set_phase(slot, SlotPhase::Failed, Some(message));
            }
            Event::Result { .. } | Event::EraseProgress { .. } | Event::EraseDone { .. } => {}
        }
    }

    fn start_intake(&mut self, slot: u16, done: &mpsc::UnboundedSender<IntakeDone>, fresh: bool) {
        if let Some(state) = self.slots.get_mut(&slot) {
            if let Some(task) = state.intake.take() {
                task.abort();
            }
            if fresh {
                state.attempts = 0;
            }
        }
        self.set_phase(slot, SlotPhase::Identifying, None);
        let state = self
            .slots
            .get_mut(&slot)
            .expect("set_phase inserted the slot");
        // The task moves the slot on to `Intake` itself, once the identity is read; the next
        // phase this follower sets must be announced even if it is `Identifying` again.
        state.phase = SlotPhase::Unknown;
        state.attempts += 1;
        let attempts_left = state.attempts < self.config.intake_attempts;
        let link = self.link.clone();
        let options = self.config.intake.clone();
        let store = self.store.clone();
        let operator = self.config.operator.clone();
        let done = done.clone();
        let out = self.out.clone();
        let (port, bench) = (self.port.clone(), self.bench_serial.clone());
        state.intake = Some(tokio::spawn(async move {
            let mut identified = {
                let (out, port, bench) = (out.clone(), port.clone(), bench.clone());
                move |_: &DeviceIdentity| {
                    let _ = out.send(StationEvent::SlotChanged {
                        port: port.clone(),
                        bench: bench.clone(),
                        slot,
                        phase: SlotPhase::Intake,
                        message: None,
                    });
                }
            };
            let outcome = run_intake_observed(&link, slot, &options, &mut identified).await;
            let message = match outcome {
                Ok(reading) => {
                    if operator.current().is_none() {
                        let _ = out.send(StationEvent::SlotChanged {
                            port,
                            bench,
                            slot,
                            phase: SlotPhase::Intake,
                            message: Some(AWAITING_OPERATOR.to_owned()),
                        });
                    }
                    let operator = operator.wait().await;
                    let stored = {
                        let reading = reading.clone();
                        // The turn is never closed, so acquiring it cannot fail.
                        let turn = store.turn.clone().acquire_owned().await;
                        let store = store.store.clone();
                        tokio::task::spawn_blocking(move || {
                            let _turn = turn;
                            let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
                            record_reading(&mut store, &reading, &operator)
                        })
                        .await
                    };
                    match stored {
                        Ok(Ok(summary)) => {
                            let report = IntakeReport::new(
                                &reading,
                                Some((summary.intake_id, summary.device_id)),
                            );
                            IntakeDone {
                                slot,
                                result: Ok(Box::new((reading, report))),
                                retry: false,
                                removed: false,
                                disconnected: false,
                                unrecorded: false,
                            }
                        }
                        Ok(Err(error)) => IntakeDone {
                            slot,
                            result: Err(error.to_string()),
                            retry: false,
                            removed: false,
                            disconnected: false,
                            unrecorded: true,
                        },
                        Err(join) => IntakeDone {
                            slot,
                            result: Err(format!("recording stopped: {join}")),
                            retry: false,
                            removed: false,
                            disconnected: false,
                            unrecorded: true,
                        },
                    }
                }
                Err(error) => {
                    let removed = matches!(
                        error,
                        IntakeError::DeviceRemoved { .. } | IntakeError::SlotEmpty { .. }
                    );
                    let disconnected =
                        matches!(error, IntakeError::Link(LinkError::Disconnected { .. }));
                    let transient = matches!(
                        error,
                        IntakeError::Link(
                            LinkError::NoAnswer { .. } | LinkError::Unreachable { .. }
                        ) | IntakeError::Unstable { .. }
                            | IntakeError::TestTimeout { .. }
                    );
                    IntakeDone {
                        slot,
                        result: Err(error.to_string()),
                        retry: transient && attempts_left,
                        removed,
                        disconnected,
                        unrecorded: false,
                    }
                }
            };
            let _ = done.send(message);
        }));
    }

    fn on_intake_done(&mut self, done: IntakeDone, again: &mpsc::UnboundedSender<IntakeDone>) {
        let slot = done.slot;
        if let Some(state) = self.slots.get_mut(&slot) {
            state.intake = None;
        }
        match done.result {
            Ok(recorded) => {
                let (reading, report) = *recorded;
                if let Some(state) = self.slots.get_mut(&slot) {
                    state.recorded = Some(reading.identity);
                    state.phase = SlotPhase::Recorded;
                }
                let _ = self.out.send(StationEvent::IntakeRecorded {
                    port: self.port.clone(),
                    bench: reading.bench.serial,
                    slot,
                    report: Box::new(report),
                });
            }
            Err(error) if done.disconnected => {
                let _ = self.out.send(StationEvent::IntakeFailed {
                    port: self.port.clone(),
                    bench: self.bench_serial.clone(),
                    slot,
                    error,
                    will_retry: true,
                    removed: false,
                    unrecorded: false,
                });
                self.set_phase(slot, SlotPhase::Unknown, None);
            }
            Err(error) if done.removed => {
                // The slot holds a device again (or the removal was an INSERTED for a new one):
                // intake whatever is there now.
                let occupied = self.slots.get(&slot).is_some_and(|s| s.occupied);
                let _ = self.out.send(StationEvent::IntakeFailed {
                    port: self.port.clone(),
                    bench: self.bench_serial.clone(),
                    slot,
                    error,
                    will_retry: occupied,
                    removed: true,
                    unrecorded: false,
                });
                if occupied {
                    self.start_intake(slot, again, true);
                } else {
                    self.set_phase(slot, SlotPhase::Empty, None);
                }
            }
            Err(error) => {
                let _ = self.out.send(StationEvent::IntakeFailed {
                    port: self.port.clone(),
                    bench: self.bench_serial.clone(),
                    slot,
                    error,
                    will_retry: done.retry,
                    removed: false,
                    unrecorded: done.unrecorded,
                });
                if done.retry {
                    self.start_intake(slot, again, false);
                } else {
                    self.set_phase(slot, SlotPhase::Failed, None);
                }
            }
        }
    }
}
