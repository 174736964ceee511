//! Erasing a phone or tablet: through the bench that holds it (`ERASE slot factory_reset|
//! crypto_erase`, Bench Protocol v1), or, where the bench cannot, by hand along a checklist whose
//! every step the operator confirms ([`manual`]).
//!
//! A bench erase is recorded `running` before `ERASE` is sent, follows the bench's
//! `! ERASE slot progress=N` events and ends on `! ERASE slot done=ok|failed`. `ERASE` is never
//! sent twice blindly: after a lost answer, or when no event comes in time or a corrupt line may
//! have eaten one, the bench is asked `STATUS slot` and the erase goes on from what it says. The
//! record is `verified` only when the bench reported `done=ok` (by its event, or by `STATUS` once
//! the event was lost); a device taken out, a bench that restarts or goes away, or an operator
//! who stops waiting leaves it `interrupted`, which proves nothing.

pub mod finding;
pub mod manual;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use refurbdesk_bench::{BenchLink, EvidenceLine, LinkError, LinkEvent, Reply, Verb};
use refurbdesk_bench_protocol::responses::{EraseState, SlotActivity, StatusReply};
use refurbdesk_bench_protocol::{ErrorCode, Event};
use refurbdesk_domain::{identity_from_fields, DeviceIdentity};
use refurbdesk_store::{
    BenchErasureResult, BenchSlot, ErasureRecord, ErasureStatus, NewBenchErasure, OutcomeSource,
    Store, StoreError,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use uuid::Uuid;

use crate::intake::MalformedReply;
pub use finding::DeviceFinding;

/// Names the program in every erasure record it writes.
pub const TOOL_VERSION: &str = concat!("refurbdesk-station ", env!("CARGO_PKG_VERSION"));

/// The two methods of `ERASE <slot> <method>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchEraseMethod {
    /// The device's own factory reset, started by the bench.
    FactoryReset,
    /// The device's storage encryption key destroyed, where the bench can.
    CryptoErase,
}

impl BenchEraseMethod {
    pub const ALL: [BenchEraseMethod; 2] = [
        BenchEraseMethod::FactoryReset,
        BenchEraseMethod::CryptoErase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BenchEraseMethod::FactoryReset => "factory_reset",
            BenchEraseMethod::CryptoErase => "crypto_erase",
        }
    }
}

impl fmt::Display for BenchEraseMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BenchEraseMethod {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|method| method.as_str() == text)
            .ok_or_else(|| {
                format!("{text:?} is not a bench erase method; use factory_reset or crypto_erase")
            })
    }
}

/// How a bench erase waits.
#[derive(Debug, Clone)]
pub struct BenchEraseOptions {
    /// After this long without an `ERASE` event for the slot, ask `STATUS` (the event may have
    /// been lost to a corrupt line).
    pub status_poll: Duration,
    /// An erase the bench has not finished after this long is recorded interrupted.
    pub erase_timeout: Duration,
    /// How often `ERASE` may be sent when its answer was lost and `STATUS` shows it never
    /// started.
    pub max_sends: u32,
}

impl Default for BenchEraseOptions {
    fn default() -> Self {
        Self {
            status_poll: Duration::from_secs(2),
            // A factory reset of a large phone takes minutes; an hour is a bench that is stuck.
            erase_timeout: Duration::from_secs(3600),
            max_sends: 3,
        }
    }
}

/// What to erase, and who asks.
#[derive(Debug, Clone)]
pub struct BenchEraseRequest<'a> {
    pub slot: u16,
    pub method: BenchEraseMethod,
    /// The recorded device expected in the slot. `None` finds it by the IMEI or serial the bench
    /// reads from the device.
    pub device_id: Option<Uuid>,
    pub operator: &'a str,
}

/// What a bench erase reports while it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BenchEraseEvent {
    /// The record is written (`running`); `ERASE` goes out next.
    Started {
        erasure_id: Uuid,
        device_id: Uuid,
        identity: Box<DeviceIdentity>,
    },
    /// The bench took the request and is erasing.
    Accepted,
    /// `! ERASE slot progress=N`, or the progress `STATUS` reported.
    Progress { percent: u8 },
    /// The bench is asked `STATUS`, for this reason.
    Polling { reason: String },
}

/// Why a bench erase proves nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interruption {
    /// The device was taken out of the slot (or swapped).
    DeviceRemoved,
    /// The bench restarted (`! RESET`) and forgot the erase.
    BenchReset,
    /// The bench's port closed: unplugged or powered off.
    BenchGone,
    /// The bench stopped answering, or never acknowledged `ERASE`.
    BenchSilent,
    /// `STATUS` says the bench knows of no erase in the slot any more.
    Forgotten,
    /// No outcome within [`BenchEraseOptions::erase_timeout`].
    NoOutcome,
    /// The operator stopped waiting (Ctrl-C).
    Cancelled,
}

/// How a bench erase ended. Every end but [`BenchEraseEnd::Verified`] leaves a record that
/// proves nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "snake_case")]
pub enum BenchEraseEnd {
    /// The bench reported `done=ok`.
    Verified { from: OutcomeSource },
    /// The bench reported `done=failed`.
    Failed { from: OutcomeSource },
    /// The bench refused `ERASE` (`UNSUPPORTED`, `BUSY`, `DEVICE`, ...): nothing was erased. The
    /// record says `failed`, with the bench's reason.
    Refused {
        code: ErrorCode,
        message: Option<String>,
    },
    /// Recorded `interrupted`.
    Interrupted { why: Interruption },
}

/// A finished bench erase: how it ended and its record as stored.
#[derive(Debug, Clone)]
pub struct BenchEraseOutcome {
    pub end: BenchEraseEnd,
    /// The last percentage the bench reported (100 once it reported `done=ok`).
    pub progress: Option<u8>,
    /// The bench's words with its outcome, if it said any.
    pub detail: Option<String>,
    /// Why it proves nothing (also the record's note); `None` when verified.
    pub finding: Option<DeviceFinding>,
    pub record: ErasureRecord,
}

/// Why a bench erase did not start; nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum BenchEraseError {
    #[error("slot {slot} does not exist on the bench on {} (it has {slots} slots)", .port.display())]
    NoSuchSlot {
        port: PathBuf,
        slot: u16,
        slots: u16,
    },
    #[error("slot {slot} of the bench on {} is empty; place the device in it and start again", .port.display())]
    SlotEmpty { port: PathBuf, slot: u16 },
    #[error(
        "slot {slot} of the bench on {} is {activity}; wait until it is idle, then start the erase again",
        .port.display()
    )]
    SlotBusy {
        port: PathBuf,
        slot: u16,
        activity: &'static str,
    },
    #[error(
        "the {device} in slot {slot} of the bench on {} is not a recorded device: it is taken \
         in before it is erased",
        .port.display()
    )]
    NotRecorded {
        port: PathBuf,
        slot: u16,
        device: String,
    },
    #[error(
        "the device in slot {slot} is the {found}, not the recorded device {expected} that was \
         named; check the slot and the device reference"
    )]
    WrongDevice {
        slot: u16,
        found: String,
        expected: String,
    },
    #[error(
        "the bench on {} sent a malformed {reading} for slot {slot}: {source}; nothing was \
         recorded — check the bench firmware",
        .port.display()
    )]
    Malformed {
        port: PathBuf,
        slot: u16,
        reading: &'static str,
        #[source]
        source: MalformedReply,
    },
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Erases the device in `slot` through the bench and records it.
///
/// Before anything is recorded, the slot must hold a device the store knows (by the IMEI or
/// serial `IDENT` reads, or the one `request.device_id` names) and be idle. Then the erasure is
/// recorded `running` (the store checks the operator may erase), `ERASE` is sent, and the
/// bench is followed until it reports the outcome. `cancel` resolving stops the wait: the record
/// says `interrupted` (the bench may still be erasing; nothing is proven).
pub async fn erase_on_bench(
    link: &BenchLink,
    store: &mut Store,
    request: &BenchEraseRequest<'_>,
    options: &BenchEraseOptions,
    cancel: impl Future<Output = ()>,
    on_event: &mut dyn FnMut(&BenchEraseEvent),
) -> Result<BenchEraseOutcome, BenchEraseError> {
    let port = link.port().to_path_buf();
    let slot = request.slot;
    let hello = link
        .hello()
        .ok_or_else(|| LinkError::Disconnected { port: port.clone() })?;
    if slot == 0 || slot > hello.slots {
        return Err(BenchEraseError::NoSuchSlot {
            port,
            slot,
            slots: hello.slots,
        });
    }
    let mut events = link.subscribe();
    // What was queued before now (the first HELLO's Ready, earlier work) is not about this erase.
    while !matches!(
        events.try_recv(),
        Err(TryRecvError::Empty | TryRecvError::Closed)
    ) {}
    let slot_arg = slot.to_string();

    let before = ask_status(link, &port, slot).await?;
    match before.state {
        SlotActivity::Empty => return Err(BenchEraseError::SlotEmpty { port, slot }),
        SlotActivity::Testing | SlotActivity::Erasing => {
            return Err(BenchEraseError::SlotBusy {
                port,
                slot,
                activity: before.state.as_str(),
            })
        }
        SlotActivity::Idle => {}
    }
    let ident = match link.request(Verb::Ident, &[&slot_arg]).await {
        Ok(reply) => reply,
        Err(LinkError::Bench {
            code: ErrorCode::Empty,
            ..
        }) => return Err(BenchEraseError::SlotEmpty { port, slot }),
        Err(error) => return Err(error.into()),
    };
    let identity =
        identity_from_fields(ident.fields.iter()).map_err(|error| BenchEraseError::Malformed {
            port: port.clone(),
            slot,
            reading: "IDENT reply",
            source: error.into(),
        })?;
    let device_id = recorded_device(store, &port, slot, &identity, request.device_id)?;

    let erasure_id = store.start_bench_erasure(&NewBenchErasure {
        device_id,
        bench: BenchSlot {
            serial: hello.serial.clone(),
            vendor: hello.vendor.clone(),
            model: hello.model.clone(),
            fw: hello.fw.clone(),
            port: port.display().to_string(),
            slot,
        },
        method: request.method.as_str().to_owned(),
        identity: identity.clone(),
        tool_version: TOOL_VERSION.to_owned(),
        operator: request.operator.to_owned(),
        started_at: Utc::now(),
    })?;
    on_event(&BenchEraseEvent::Started {
        erasure_id,
        device_id,
        identity: Box::new(identity),
    });

    let mut follow = Follow {
        link,
        port,
        slot,
        evidence: ident.evidence.clone(),
        progress: None,
        on_event,
    };
    let finish = match follow
        .send_erase(&mut events, request.method, before.erase, options)
        .await
    {
        Sent::Accepted => {
            (follow.on_event)(&BenchEraseEvent::Accepted);
            follow.follow(&mut events, options, cancel).await
        }
        Sent::Over(finish) => finish,
    };
    let finding = finish.finding(request.method, slot);
    let result = BenchErasureResult {
        status: finish.status(),
        progress: follow.progress,
        detail: finish.detail.clone(),
        outcome_from: finish.source(),
        note: finding.as_ref().map(DeviceFinding::to_note),
        evidence: follow.evidence,
        finished_at: Utc::now(),
    };
    let record = store.finish_bench_erasure(erasure_id, &result, request.operator)?;
    Ok(BenchEraseOutcome {
        end: finish.end,
        progress: follow.progress,
        detail: finish.detail,
        finding,
        record,
    })
}

/// The recorded device in the slot: the one named, if it is the one the bench reads, or the one
/// the store knows by the IMEI or serial the bench reads.
fn recorded_device(
    store: &Store,
    port: &std::path::Path,
    slot: u16,
    identity: &DeviceIdentity,
    named: Option<Uuid>,
) -> Result<Uuid, BenchEraseError> {
    let same = |recorded: &refurbdesk_store::DeviceRecord| {
        let same_make = recorded.make.eq_ignore_ascii_case(&identity.make);
        let imei = matches!((&recorded.imei, &identity.imei), (Some(a), Some(b)) if a == b);
        let serial = matches!((&recorded.serial, &identity.serial), (Some(a), Some(b)) if a == b);
        same_make && (imei || serial)
    };
    if let Some(id) = named {
        let recorded = store
            .device(id)?
            .ok_or_else(|| BenchEraseError::NotRecorded {
                port: port.to_path_buf(),
                slot,
                device: describe(identity),
            })?;
        if !same(&recorded) {
            return Err(BenchEraseError::WrongDevice {
                slot,
                found: describe(identity),
                expected: format!("{} {} ({id})", recorded.make, recorded.model),
            });
        }
        return Ok(id);
    }
    for reference in [&identity.imei, &identity.serial].into_iter().flatten() {
        if let Some(recorded) = store.find_device(reference)? {
            if same(&recorded) {
                return Ok(recorded.id);
            }
        }
    }
    Err(BenchEraseError::NotRecorded {
        port: port.to_path_buf(),
        slot,
        device: describe(identity),
    })
}

/// "Apple iPhone 12 (IMEI 356728114587211)", for messages.
fn describe(identity: &DeviceIdentity) -> String {
    let label = format!("{} {}", identity.make, identity.model);
    match (&identity.imei, &identity.serial) {
        (Some(imei), _) => format!("{label} (IMEI {imei})"),
        (None, Some(serial)) => format!("{label} (serial {serial})"),
        (None, None) => label,
    }
}

async fn ask_status(
    link: &BenchLink,
    port: &std::path::Path,
    slot: u16,
) -> Result<StatusReply, BenchEraseError> {
    let reply = link.request(Verb::Status, &[&slot.to_string()]).await?;
    parse_status(&reply, port, slot)
}

fn parse_status(
    reply: &Reply,
    port: &std::path::Path,
    slot: u16,
) -> Result<StatusReply, BenchEraseError> {
    StatusReply::from_fields(&reply.fields).map_err(|error| BenchEraseError::Malformed {
        port: port.to_path_buf(),
        slot,
        reading: "STATUS reply",
        source: error.into(),
    })
}

/// How an erase ended, before it is written down.
struct Finish {
    end: BenchEraseEnd,
    detail: Option<String>,
}

impl Finish {
    fn interrupted(why: Interruption) -> Finish {
        Finish {
            end: BenchEraseEnd::Interrupted { why },
            detail: None,
        }
    }

    fn done(ok: bool, from: OutcomeSource, detail: Option<String>) -> Finish {
        Finish {
            end: if ok {
                BenchEraseEnd::Verified { from }
            } else {
                BenchEraseEnd::Failed { from }
            },
            detail,
        }
    }

    fn status(&self) -> ErasureStatus {
        match self.end {
            BenchEraseEnd::Verified { .. } => ErasureStatus::Verified,
            BenchEraseEnd::Failed { .. } | BenchEraseEnd::Refused { .. } => ErasureStatus::Failed,
            BenchEraseEnd::Interrupted { .. } => ErasureStatus::Interrupted,
        }
    }

    fn source(&self) -> Option<OutcomeSource> {
        match self.end {
            BenchEraseEnd::Verified { from } | BenchEraseEnd::Failed { from } => Some(from),
            _ => None,
        }
    }

    /// The record's finding: why it failed or proves nothing, as data.
    fn finding(&self, method: BenchEraseMethod, slot: u16) -> Option<DeviceFinding> {
        Some(match &self.end {
            BenchEraseEnd::Verified { .. } => return None,
            BenchEraseEnd::Failed { from } => DeviceFinding::BenchFailed {
                method,
                from: *from,
                detail: self.detail.clone(),
            },
            BenchEraseEnd::Refused { code, message } => DeviceFinding::BenchRefused {
                slot,
                method,
                code: *code,
                message: message.clone(),
            },
            BenchEraseEnd::Interrupted { why } => DeviceFinding::BenchInterrupted { why: *why },
        })
    }
}

enum Sent {
    Accepted,
    Over(Finish),
}

/// What one look at an event means for the erase.
enum Seen {
    Nothing,
    /// Something may have been lost: ask STATUS now.
    Poll(&'static str),
    Over(Finish),
}

/// A bench erase once its record is written.
struct Follow<'a, 'e> {
    link: &'a BenchLink,
    port: PathBuf,
    slot: u16,
    evidence: Vec<EvidenceLine>,
    progress: Option<u8>,
    on_event: &'e mut dyn FnMut(&BenchEraseEvent),
}

impl Follow<'_, '_> {
    /// Sends ERASE; after a lost answer asks STATUS whether it started, and sends it again only if
    /// it did not.
    async fn send_erase(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        method: BenchEraseMethod,
        erase_before: EraseState,
        options: &BenchEraseOptions,
    ) -> Sent {
        let slot_arg = self.slot.to_string();
        for _ in 0..options.max_sends.max(1) {
            let error = match self
                .link
                .request(Verb::Erase, &[&slot_arg, method.as_str()])
                .await
            {
                Ok(reply) => {
                    self.evidence.extend(reply.evidence.iter().cloned());
                    return Sent::Accepted;
                }
                Err(error) => error,
            };
            match error {
                LinkError::NoAnswer { .. } => {}
                LinkError::Bench {
                    code: ErrorCode::Empty,
                    ..
                } => return Sent::Over(Finish::interrupted(Interruption::DeviceRemoved)),
                LinkError::Bench { code, message, .. } => {
                    return Sent::Over(Finish {
                        end: BenchEraseEnd::Refused { code, message },
                        detail: None,
                    })
                }
                LinkError::Disconnected { .. } | LinkError::Closed { .. } => {
                    return Sent::Over(Finish::interrupted(Interruption::BenchGone))
                }
                _ => return Sent::Over(Finish::interrupted(Interruption::BenchSilent)),
            }
            // The answer was lost. Events that came meanwhile may already tell the story.
            match self.drain(events) {
                Seen::Over(finish) => return Sent::Over(finish),
                Seen::Nothing | Seen::Poll(_) => {}
            }
            if self.progress.is_some() {
                return Sent::Accepted;
            }
            self.polling("the bench's answer to ERASE was lost; asking STATUS whether it started");
            let status = match self.status(events).await {
                Ok(status) => status,
                Err(finish) => return Sent::Over(finish),
            };
            match status.erase {
                EraseState::Running => return Sent::Accepted,
                // A finished erase the slot did not show before can only be this one.
                EraseState::Ok | EraseState::Failed if status.erase != erase_before => {
                    return Sent::Over(self.finish_from_status(&status));
                }
                // Not started (or indistinguishable from the erase before it): sending ERASE
                // again cannot start the work twice.
                _ => {}
            }
        }
        Sent::Over(Finish::interrupted(Interruption::BenchSilent))
    }

    /// Follows the erase's events until its outcome, asking STATUS when they may have been lost.
    async fn follow(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
        options: &BenchEraseOptions,
        cancel: impl Future<Output = ()>,
    ) -> Finish {
        tokio::pin!(cancel);
        let deadline = tokio::time::Instant::now() + options.erase_timeout;
        loop {
            let poll_at = (tokio::time::Instant::now() + options.status_poll).min(deadline);
            let seen = tokio::select! {
                _ = &mut cancel => return Finish::interrupted(Interruption::Cancelled),
                received = tokio::time::timeout_at(poll_at, events.recv()) => match received {
                    Ok(Ok(event)) => self.notice(event),
                    Ok(Err(RecvError::Lagged(_))) => Seen::Poll("events were missed"),
                    Ok(Err(RecvError::Closed)) => Seen::Over(Finish::interrupted(Interruption::BenchGone)),
                    Err(_) if tokio::time::Instant::now() >= deadline => {
                        Seen::Over(Finish::interrupted(Interruption::NoOutcome))
                    }
                    Err(_) => Seen::Poll("no ERASE event came in time"),
                },
            };
            match seen {
                Seen::Nothing => {}
                Seen::Over(finish) => return finish,
                Seen::Poll(reason) => {
                    self.polling(&format!("{reason}; asking STATUS"));
                    let status = match self.status(events).await {
                        Ok(status) => status,
                        Err(finish) => return finish,
                    };
                    if status.state == SlotActivity::Empty {
                        return Finish::interrupted(Interruption::DeviceRemoved);
                    }
                    match status.erase {
                        EraseState::Running => self.progressed(status.progress),
                        EraseState::Ok | EraseState::Failed => {
                            return self.finish_from_status(&status)
                        }
                        EraseState::None => return Finish::interrupted(Interruption::Forgotten),
                    }
                }
            }
        }
    }

    /// Asks STATUS; whatever events arrived before its answer are looked at first, so a done
    /// event (which carries the detail) or a removal is never overtaken by the reply.
    async fn status(
        &mut self,
        events: &mut broadcast::Receiver<LinkEvent>,
    ) -> Result<StatusReply, Finish> {
        let answer = self
            .link
            .request(Verb::Status, &[&self.slot.to_string()])
            .await;
        if let Seen::Over(finish) = self.drain(events) {
            return Err(finish);
        }
        match answer {
            Ok(reply) => {
                self.evidence.extend(reply.evidence.iter().cloned());
                parse_status(&reply, &self.port, self.slot)
                    .map_err(|_| Finish::interrupted(Interruption::BenchSilent))
            }
            Err(LinkError::Bench {
                code: ErrorCode::Empty,
                ..
            }) => Err(Finish::interrupted(Interruption::DeviceRemoved)),
            Err(LinkError::Disconnected { .. } | LinkError::Closed { .. }) => {
                Err(Finish::interrupted(Interruption::BenchGone))
            }
            Err(_) => Err(Finish::interrupted(Interruption::BenchSilent)),
        }
    }

    fn finish_from_status(&mut self, status: &StatusReply) -> Finish {
        let ok = status.erase == EraseState::Ok;
        if ok {
            self.progress = Some(100);
        } else {
            self.progressed(status.progress);
        }
        Finish::done(ok, OutcomeSource::Status, None)
    }

    /// Looks at every event already delivered; the first that ends the erase wins.
    fn drain(&mut self, events: &mut broadcast::Receiver<LinkEvent>) -> Seen {
        let mut seen = Seen::Nothing;
        loop {
            match events.try_recv() {
                Ok(event) => match self.notice(event) {
                    Seen::Over(finish) => return Seen::Over(finish),
                    Seen::Poll(reason) => seen = Seen::Poll(reason),
                    Seen::Nothing => {}
                },
                Err(TryRecvError::Empty) => return seen,
                Err(TryRecvError::Lagged(_)) => seen = Seen::Poll("events were missed"),
                Err(TryRecvError::Closed) => {
                    return Seen::Over(Finish::interrupted(Interruption::BenchGone))
                }
            }
        }
    }

    fn notice(&mut self, event: LinkEvent) -> Seen {
        match event {
            LinkEvent::Bench { event, line } => match *event {
                Event::EraseProgress { slot, progress } if slot == self.slot => {
                    self.evidence.push(*line);
                    self.progressed(progress);
                    Seen::Nothing
                }
                Event::EraseDone { slot, ok, detail } if slot == self.slot => {
                    self.evidence.push(*line);
                    if ok {
                        self.progress = Some(100);
                    }
                    Seen::Over(Finish::done(ok, OutcomeSource::Event, detail))
                }
                Event::Removed { slot } | Event::Inserted { slot } if slot == self.slot => {
                    self.evidence.push(*line);
                    Seen::Over(Finish::interrupted(Interruption::DeviceRemoved))
                }
                Event::Fault { slot, .. } if slot == self.slot => {
                    self.evidence.push(*line);
                    Seen::Poll("the bench reported a fault in the slot")
                }
                Event::Reset => {
                    self.evidence.push(*line);
                    Seen::Over(Finish::interrupted(Interruption::BenchReset))
                }
                _ => Seen::Nothing,
            },
            // A HELLO nobody asked for follows a reset or a reconnect: the erase state is gone.
            LinkEvent::Ready(_) => Seen::Over(Finish::interrupted(Interruption::BenchReset)),
            LinkEvent::Disconnected => Seen::Over(Finish::interrupted(Interruption::BenchGone)),
            // The dropped line may have been this erase's outcome.
            LinkEvent::BadLine { .. } => Seen::Poll("a corrupt line was dropped"),
        }
    }

    fn progressed(&mut self, percent: u8) {
        let percent = percent.min(100);
        if self.progress.is_none_or(|last| percent > last) {
            self.progress = Some(percent);
            (self.on_event)(&BenchEraseEvent::Progress { percent });
        }
    }

    fn polling(&mut self, reason: &str) {
        tracing::info!(port = %self.port.display(), slot = self.slot, reason, "asking STATUS");
        (self.on_event)(&BenchEraseEvent::Polling {
            reason: reason.to_owned(),
        });
    }
}
