//! The intake of one slot: read identity, battery and locks, run the bench's tests, and hand back a
//! reading that is complete and came from one device, or an error and nothing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use refurbdesk_bench::{BenchLink, EvidenceLine, LinkError, LinkEvent, Reply, Verb};
use refurbdesk_bench_protocol::responses::{ResultsReply, TestState, TestsReply};
use refurbdesk_bench_protocol::{ErrorCode, Event, TestOutcome};
use refurbdesk_domain::{
    assess_battery, assess_lock, battery_from_fields, identity_from_fields, lock_from_fields,
    AccountLock, ActivationLock, BatteryAssessment, BatteryPolicy, BatteryReading, CarrierLock,
    CycleLimits, DeviceIdentity, LockAssessment, LockReading, MdmState, ReadingError,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// How an intake waits and how often it starts over.
#[derive(Debug, Clone)]
pub struct IntakeOptions {
    pub battery_policy: BatteryPolicy,
    /// After this long without the awaited `RESULT` event, ask `RESULTS` (the event may have been
    /// lost to a corrupt line).
    pub result_poll: Duration,
    /// A test that has not finished after this long fails the intake.
    pub test_timeout: Duration,
    /// How often a `! RESET` or lost events may restart the intake before it gives up.
    pub max_restarts: u32,
}

impl Default for IntakeOptions {
    fn default() -> Self {
        Self {
            battery_policy: BatteryPolicy::default(),
            result_poll: Duration::from_millis(1500),
            test_timeout: Duration::from_secs(180),
            max_restarts: 3,
        }
    }
}

/// The bench an intake ran on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchIdentity {
    pub serial: String,
    pub vendor: String,
    pub model: String,
    pub fw: String,
    pub port: String,
}

/// One test's outcome as the bench reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub outcome: TestOutcome,
    pub detail: Option<String>,
}

/// Everything one intake found, from one device, with the raw lines it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeReading {
    pub bench: BenchIdentity,
    pub slot: u16,
    pub identity: DeviceIdentity,
    pub battery: BatteryAssessment,
    pub lock: LockAssessment,
    pub tests: Vec<TestResult>,
    pub evidence: Vec<EvidenceLine>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

/// Why an intake recorded nothing.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("slot {slot} of the bench on {} is empty; place a device in it and start again", .port.display())]
    SlotEmpty { port: PathBuf, slot: u16 },
    #[error(
        "the device in slot {slot} of the bench on {} was removed or swapped during intake; \
         nothing was recorded — put it back and start again",
        .port.display()
    )]
    DeviceRemoved { port: PathBuf, slot: u16 },
    #[error("slot {slot} does not exist on the bench on {} (it has {slots} slots)", .port.display())]
    NoSuchSlot {
        port: PathBuf,
        slot: u16,
        slots: u16,
    },
    #[error(
        "the bench on {} sent a malformed {reading} for slot {slot}: {source}; nothing was recorded — \
         check the bench firmware",
        .port.display()
    )]
    Malformed {
        port: PathBuf,
        slot: u16,
        reading: &'static str,
        #[source]
        source: MalformedReply,
    },
    #[error(
        "test {test} in slot {slot} of the bench on {} gave no result within {seconds} s; nothing was recorded",
        .port.display()
    )]
    TestTimeout {
        port: PathBuf,
        slot: u16,
        test: String,
        seconds: u64,
    },
    #[error(
        "the bench on {} restarted or lost events {restarts} times during the intake of slot {slot}; \
         nothing was recorded — check the bench's power and cable",
        .port.display()
    )]
    Unstable {
        port: PathBuf,
        slot: u16,
        restarts: u32,
    },
    #[error(transparent)]
    Link(#[from] LinkError),
}

/// What was wrong with a reply's fields.
#[derive(Debug, thiserror::Error)]
pub enum MalformedReply {
    #[error(transparent)]
    Reading(#[from] ReadingError),
    #[error(transparent)]
    Fields(#[from] refurbdesk_bench_protocol::responses::FieldError),
}

/// Why one attempt stopped early.
enum Interrupt {
    /// The bench restarted or events may have been lost: start over from IDENT.
    Restart,
    Fail(IntakeError),
}

impl From<IntakeError> for Interrupt {
    fn from(error: IntakeError) -> Self {
        Interrupt::Fail(error)
    }
}

/// Runs the intake of `slot`. Subscribes to the link's events first, so a removal at any point is seen;
/// a `! RESET` or lost events restart the intake (at most `max_restarts` times).
pub async fn run_intake(
    link: &BenchLink,
    slot: u16,
    options: &IntakeOptions,
) -> Result<IntakeReading, IntakeError> {
    run_intake_observed(link, slot, options, &mut |_| {}).await
}

/// [`run_intake`], calling `identified` as soon as the device's identity is read (IDENT
/// answered), before its battery, locks and tests: the station's `identifying` phase ends there.
pub async fn run_intake_observed(
    link: &BenchLink,
    slot: u16,
    options: &IntakeOptions,
    identified: &mut (dyn FnMut(&DeviceIdentity) + Send),
) -> Result<IntakeReading, IntakeError> {
    let mut restarts = 0;
    loop {
        let mut events = link.subscribe();
        match attempt(link, slot, options, &mut events, identified).await {
            Ok(reading) => return Ok(reading),
            Err(Interrupt::Fail(error)) => return Err(error),
            Err(Interrupt::Restart) => {
                restarts += 1;
                if restarts > options.max_restarts {
                    return Err(IntakeError::Unstable {
                        port: link.port().to_path_buf(),
                        slot,
                        restarts,
                    });
                }
                tracing::info!(port = %link.port().display(), slot, restarts, "intake restarts");
                wait_until_ready(link, &mut events).await?;
            }
        }
    }
}

/// After a reset the link says HELLO again by itself; wait for it (or for the port to be gone).
async fn wait_until_ready(
    link: &BenchLink,
    events: &mut broadcast::Receiver<LinkEvent>,
) -> Result<(), IntakeError> {
    let port = link.port().to_path_buf();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !link.is_connected() || link.hello().is_none() {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(LinkEvent::Ready(_))) => return Ok(()),
            Ok(Ok(LinkEvent::Disconnected)) | Ok(Err(RecvError::Closed)) => {
                return Err(LinkError::Disconnected { port }.into())
            }
            Ok(_) => {}
            Err(_) => return Err(LinkError::Disconnected { port }.into()),
        }
    }
    Ok(())
}

/// One pass: IDENT, BATT, LOCK, TESTS, RUN each test, then IDENT again to prove the same device is
/// still there.
async fn attempt(
    link: &BenchLink,
    slot: u16,
    options: &IntakeOptions,
    events: &mut broadcast::Receiver<LinkEvent>,
    identified: &mut (dyn FnMut(&DeviceIdentity) + Send),
) -> Result<IntakeReading, Interrupt> {
    let started_at = Utc::now();
    let hello = link.hello().ok_or(Interrupt::Restart)?;
    let port = link.port().to_path_buf();
    if slot == 0 || slot > hello.slots {
        return Err(IntakeError::NoSuchSlot {
            port,
            slot,
            slots: hello.slots,
        }
        .into());
    }
    let mut session = Session {
        link,
        slot,
        port,
        evidence: Vec::new(),
        results: HashMap::new(),
        identity_seen: false,
    };
    let slot_arg = slot.to_string();

    let ident = session.ask(events, Verb::Ident, &[&slot_arg]).await?;
    session.identity_seen = true;
    let identity = identity_from_fields(ident.fields.iter())
        .map_err(|e| session.malformed("IDENT reply", e.into()))?;
    identified(&identity);
    // A bench that cannot read the battery or the locks of this device leaves them unknown: the
    // verdicts then say an operator must check by hand.
    let mut unsupported = Vec::new();
    let battery_reading = match session
        .ask_supported(events, Verb::Batt, &[&slot_arg])
        .await?
    {
        Some(batt) => battery_from_fields(batt.fields.iter())
            .map_err(|e| session.malformed("BATT reply", e.into()))?,
        None => {
            unsupported.push("this bench cannot read the battery of this device; check it by hand");
            BatteryReading::default()
        }
    };
    let lock_reading = match session
        .ask_supported(events, Verb::Lock, &[&slot_arg])
        .await?
    {
        Some(lock) => lock_from_fields(lock.fields.iter())
            .map_err(|e| session.malformed("LOCK reply", e.into()))?,
        None => {
            unsupported.push("this bench cannot read the account, activation and MDM locks of this device; an operator must check them");
            LockReading {
                activation: ActivationLock::Unknown,
                account: AccountLock::Unknown,
                mdm: MdmState::Unknown,
                carrier: CarrierLock::Unknown,
            }
        }
    };
    let tests = session.ask(events, Verb::Tests, &[&slot_arg]).await?;
    let names = TestsReply::from_fields(&tests.fields)
        .map_err(|e| session.malformed("TESTS reply", e.into()))?
        .0;

    let mut results = Vec::with_capacity(names.len());
    for name in &names {
        results.push(session.run_test(events, name, options).await?);
    }

    // The same device must still be in the slot: a swap whose events were lost shows up here.
    let check = session.ask(events, Verb::Ident, &[&slot_arg]).await?;
    let same = identity_from_fields(check.fields.iter()).is_ok_and(|again| again == identity);
    if !same {
        return Err(IntakeError::DeviceRemoved {
            port: session.port,
            slot,
        }
        .into());
    }
    session.drain(events)?;

    let mut battery = assess_battery(
        &battery_reading,
        &identity,
        &options.battery_policy,
        CycleLimits::embedded(),
    );
    let mut lock = assess_lock(&lock_reading);
    for note in unsupported {
        if note.contains("battery") {
            battery.reasons.insert(0, note.to_string());
        } else {
            lock.reasons.insert(0, note.to_string());
        }
    }
    Ok(IntakeReading {
        bench: BenchIdentity {
            serial: hello.serial,
            vendor: hello.vendor,
            model: hello.model,
            fw: hello.fw,
            port: session.port.display().to_string(),
        },
        slot,
        identity,
        battery,
        lock,
        tests: results,
        evidence: session.evidence,
        started_at,
        finished_at: Utc::now(),
    })
}

struct Session<'a> {
    link: &'a BenchLink,
    slot: u16,
    port: PathBuf,
    evidence: Vec<EvidenceLine>,
    /// RESULT events for this slot heard since the last RUN, by test name.
    results: HashMap<String, TestResult>,
    /// Once IDENT answered, an empty slot means the device was taken out.
    identity_seen: bool,
}

impl Session<'_> {
    fn malformed(&self, reading: &'static str, source: MalformedReply) -> Interrupt {
        IntakeError::Malformed {
            port: self.port.clone(),
            slot: self.slot,
            reading,
            source,
        }
        .into()
    }

    fn removed(&self) -> Interrupt {
        if self.identity_seen {
            IntakeError::DeviceRemoved {
                port: self.port.clone(),
                slot: self.slot,
            }
            .into()
        } else {
            IntakeError::SlotEmpty {
                port: self.port.clone(),
                slot: self.slot,
            }
            .into()
        }
    }

    /// Sends a request and keeps its lines as evidence. Every event that arrived before the reply is
    /// looked at first (the link delivers them in order), so a removal is never missed.
    async fn ask(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        verb: Verb,
        args: &[&str],
    ) -> Result<Reply, Interrupt> {
        let answer = self.link.request(verb, args).await;
        self.drain(events)?;
        match answer {
            Ok(reply) => {
                self.evidence.extend(reply.evidence.iter().cloned());
                Ok(reply)
            }
            Err(LinkError::Bench {
                code: ErrorCode::Empty,
                ..
            }) => Err(self.removed()),
            Err(error) => Err(IntakeError::Link(error).into()),
        }
    }

    /// Like `ask`, but a bench answering `ERR UNSUPPORTED` gives `None` instead of an error.
    async fn ask_supported(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        verb: Verb,
        args: &[&str],
    ) -> Result<Option<Reply>, Interrupt> {
        match self.ask(events, verb, args).await {
            Ok(reply) => Ok(Some(reply)),
            Err(Interrupt::Fail(IntakeError::Link(LinkError::Bench {
                code: ErrorCode::Unsupported,
                ..
            }))) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Looks at every event already delivered.
    fn drain(&mut self, events: &mut broadcast::Receiver<LinkEvent>) -> Result<(), Interrupt> {
        loop {
            match events.try_recv() {
                Ok(event) => self.notice(event)?,
                Err(TryRecvError::Empty) => return Ok(()),
                // Events were dropped for a slow reader: a removal may be among them.
                Err(TryRecvError::Lagged(_)) => return Err(Interrupt::Restart),
                Err(TryRecvError::Closed) => {
                    return Err(IntakeError::Link(LinkError::Closed {
                        port: self.port.clone(),
                    })
                    .into())
                }
            }
        }
    }

    fn notice(&mut self, event: LinkEvent) -> Result<(), Interrupt> {
        match event {
            LinkEvent::Bench { event, line } => match *event {
                Event::Removed { slot } | Event::Inserted { slot } if slot == self.slot => {
                    Err(self.removed())
                }
                Event::Reset => Err(Interrupt::Restart),
                Event::Result {
                    slot,
                    test,
                    outcome,
                    detail,
                } if slot == self.slot => {
                    self.evidence.push(*line);
                    self.results.insert(
                        test.clone(),
                        TestResult {
                            name: test,
                            outcome,
                            detail,
                        },
                    );
                    Ok(())
                }
                _ => Ok(()),
            },
            LinkEvent::Disconnected => Err(IntakeError::Link(LinkError::Disconnected {
                port: self.port.clone(),
            })
            .into()),
            // A HELLO we did not ask for follows a reset or a reconnect: slot state is unknown.
            LinkEvent::Ready(_) => Err(Interrupt::Restart),
            LinkEvent::BadLine { .. } => Ok(()),
        }
    }

    /// Starts a test and waits for its RESULT. RUN is never resent blindly: after a lost answer the
    /// bench is asked (RESULTS) whether the test started.
    async fn run_test(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        name: &str,
        options: &IntakeOptions,
    ) -> Result<TestResult, Interrupt> {
        let slot_arg = self.slot.to_string();
        self.results.remove(name);
        let mut started = false;
        for _ in 0..3 {
            match self.ask(events, Verb::Run, &[&slot_arg, name]).await {
                Ok(_) => {
                    started = true;
                    break;
                }
                Err(Interrupt::Fail(IntakeError::Link(LinkError::NoAnswer { .. }))) => {
                    match self.poll_results(events, name).await? {
                        Some(Some(result)) => return Ok(result),
                        Some(None) => {
                            started = true;
                            break;
                        }
                        None => continue, // never started: asking again cannot start it twice
                    }
                }
                Err(Interrupt::Fail(IntakeError::Link(LinkError::Bench {
                    code: ErrorCode::Busy,
                    ..
                }))) => tokio::time::sleep(Duration::from_millis(200)).await,
                Err(other) => return Err(other),
            }
        }
        if !started {
            return Err(IntakeError::Link(LinkError::NoAnswer {
                port: self.port.clone(),
                verb: Verb::Run,
            })
            .into());
        }

        let deadline = tokio::time::Instant::now() + options.test_timeout;
        loop {
            if let Some(result) = self.results.remove(name) {
                return Ok(result);
            }
            let poll_at = (tokio::time::Instant::now() + options.result_poll).min(deadline);
            match tokio::time::timeout_at(poll_at, events.recv()).await {
                Ok(Ok(event)) => self.notice(event)?,
                Ok(Err(RecvError::Lagged(_))) => return Err(Interrupt::Restart),
                Ok(Err(RecvError::Closed)) => {
                    return Err(IntakeError::Link(LinkError::Closed {
                        port: self.port.clone(),
                    })
                    .into())
                }
                Err(_) => {
                    if let Some(Some(result)) = self.poll_results(events, name).await? {
                        return Ok(result);
                    }
                    if tokio::time::Instant::now() >= deadline {
                        return Err(IntakeError::TestTimeout {
                            port: self.port.clone(),
                            slot: self.slot,
                            test: name.to_string(),
                            seconds: options.test_timeout.as_secs(),
                        }
                        .into());
                    }
                }
            }
        }
    }

    /// Asks RESULTS about one test: `None` not started, `Some(None)` running, `Some(Some)` finished.
    async fn poll_results(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        name: &str,
    ) -> Result<Option<Option<TestResult>>, Interrupt> {
        if let Some(result) = self.results.remove(name) {
            return Ok(Some(Some(result)));
        }
        let slot_arg = self.slot.to_string();
        let reply = self.ask(events, Verb::Results, &[&slot_arg]).await?;
        let results = ResultsReply::from_fields(&reply.fields)
            .map_err(|e| self.malformed("RESULTS reply", e.into()))?;
        if let Some(result) = self.results.remove(name) {
            return Ok(Some(Some(result)));
        }
        let outcome = match results.get(name) {
            None => return Ok(None),
            Some(TestState::Running) => return Ok(Some(None)),
            Some(TestState::Pass) => TestOutcome::Pass,
            Some(TestState::Fail) => TestOutcome::Fail,
            Some(TestState::Skip) => TestOutcome::Skip,
        };
        Ok(Some(Some(TestResult {
            name: name.to_string(),
            outcome,
            detail: None,
        })))
    }
}
