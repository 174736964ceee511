//! What a screen shows of a running station, kept as the latest state of each bench and slot
//! rather than as every event, and handed over in batches.
//!
//! 64 slots each changing ten times a second make about 850 station events a second. A window
//! cannot take one message per event (each is a script its main thread evaluates), and keeping
//! every event for a window that opens late grows without bound. [`StationView`] folds the
//! events into one state per bench and per slot: a window opened late asks for the
//! [`StationView::snapshot`] (the current station), then applies the batches that follow it;
//! [`forward_batches`] sends at most one batch per interval, carrying only the benches and
//! slots that changed since the last one, each in its latest state.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_station::{SlotPhase, StationEvent};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use ts_rs::TS;

/// How often a window is sent a batch at most: about two frames at 60 Hz.
pub const BATCH_INTERVAL: Duration = Duration::from_millis(33);

/// Benchmark-only switch (`scripts/bench-desktop`'s peer): with this variable set to `off`, every
/// station event is sent at once in a batch of its own, as the window was sent events before
/// batching; set to a number of milliseconds (1–1000), batches go at that interval instead of
/// [`BATCH_INTERVAL`], to measure another rate. Unset (batching every 33 ms) everywhere else.
pub const BATCHING_SWITCH: &str = "REFURBDESK_BENCHMARK_COALESCE";

/// The interval batches are sent at: [`BATCH_INTERVAL`], or what the benchmark switch says
/// (`None`: one batch per event).
pub fn batch_interval_from_env() -> Option<Duration> {
    let value = std::env::var(BATCHING_SWITCH).unwrap_or_default();
    if value == "off" {
        return None;
    }
    match value.parse::<u64>() {
        Ok(ms) if (1..=1000).contains(&ms) => Some(Duration::from_millis(ms)),
        _ => Some(BATCH_INTERVAL),
    }
}

/// Whether a bench answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum BenchTileState {
    /// The port is missing or the bench has not answered yet.
    Connecting,
    Ready,
    Disconnected,
}

/// A bench as a screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BenchTile {
    pub port: String,
    /// The bench's serial, once it introduced itself.
    pub serial: Option<String>,
    /// Vendor and model, once it introduced itself.
    pub model: Option<String>,
    pub state: BenchTileState,
    /// How many slots it has (0 until it introduced itself); slots above it are gone.
    pub slots: u16,
}

/// The device last recorded in a slot.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SlotDevice {
    pub make: String,
    pub model: String,
    /// IMEI, else serial number.
    pub id: Option<String>,
    pub soh_pct: Option<f64>,
    /// What opens the device's screen: the recorded device's id, else `id`.
    pub device_ref: Option<String>,
}

/// A slot as a screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SlotTile {
    pub port: String,
    pub slot: u16,
    pub phase: SlotPhase,
    /// The device recorded there; kept while it is read again, gone once the slot is empty.
    pub device: Option<SlotDevice>,
    /// The engine's verdict words, until the slot is read again.
    pub battery_verdict: Option<String>,
    pub lock_verdict: Option<String>,
    /// The latest note for the operator (a fault, a device error), if any.
    pub message: Option<String>,
}

impl SlotTile {
    fn new(port: &str, slot: u16) -> Self {
        Self {
            port: port.to_owned(),
            slot,
            phase: SlotPhase::Unknown,
            device: None,
            battery_verdict: None,
            lock_verdict: None,
            message: None,
        }
    }
}

/// Benches and slots in their latest state. As a snapshot it holds every bench and slot; as a
/// live batch only those that changed since the batch before. Batches are numbered: a snapshot
/// numbered `n` already holds everything of batches up to `n`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StationBatch {
    #[ts(type = "number")]
    pub seq: u64,
    /// In the order the station first named them.
    pub benches: Vec<BenchTile>,
    /// By bench, then by slot number.
    pub slots: Vec<SlotTile>,
}

#[derive(Debug)]
struct BenchEntry {
    tile: BenchTile,
    slots: Vec<SlotTile>,
}

/// The station's current state, folded from its events.
#[derive(Debug, Default)]
pub struct StationView {
    /// Batches taken so far.
    seq: u64,
    benches: Vec<BenchEntry>,
    changed_benches: BTreeSet<usize>,
    changed_slots: BTreeSet<(usize, u16)>,
}

impl StationView {
    fn bench(&mut self, port: &str) -> usize {
        let index = match self.benches.iter().position(|b| b.tile.port == port) {
            Some(index) => index,
            None => {
                self.benches.push(BenchEntry {
                    tile: BenchTile {
                        port: port.to_owned(),
                        serial: None,
                        model: None,
                        state: BenchTileState::Connecting,
                        slots: 0,
                    },
                    slots: Vec::new(),
                });
                self.benches.len() - 1
            }
        };
        self.changed_benches.insert(index);
        index
    }

    fn slot(&mut self, port: &str, slot: u16) -> &mut SlotTile {
        let index = self.bench(port);
        self.changed_slots.insert((index, slot));
        let bench = &mut self.benches[index];
        let at = match bench.slots.binary_search_by_key(&slot, |s| s.slot) {
            Ok(at) => at,
            Err(at) => {
                bench.slots.insert(at, SlotTile::new(port, slot));
                if slot > bench.tile.slots {
                    bench.tile.slots = slot;
                }
                at
            }
        };
        &mut bench.slots[at]
    }

    /// Folds one event in.
    pub fn apply(&mut self, event: &StationEvent) {
        match event {
            StationEvent::BenchWaiting { port, .. }
            | StationEvent::BenchUnreachable { port, .. } => {
                let index = self.bench(port);
                self.benches[index].tile.state = BenchTileState::Connecting;
            }
            StationEvent::BenchReady {
                port,
                serial,
                vendor,
                model,
                slots,
            } => {
                let index = self.bench(port);
                let bench = &mut self.benches[index];
                bench.tile.serial = Some(serial.clone());
                bench.tile.model = Some(format!("{vendor} {model}"));
                bench.tile.state = BenchTileState::Ready;
                bench.tile.slots = *slots;
                bench.slots.retain(|s| s.slot <= *slots);
                self.changed_slots
                    .retain(|&(b, s)| b != index || s <= *slots);
                for slot in 1..=*slots {
                    self.slot(port, slot);
                }
            }
            StationEvent::BenchDisconnected { port } => {
                let index = self.bench(port);
                let bench = &mut self.benches[index];
                bench.tile.state = BenchTileState::Disconnected;
                for slot in &mut bench.slots {
                    slot.phase = SlotPhase::Unknown;
                    self.changed_slots.insert((index, slot.slot));
                }
            }
            StationEvent::SlotChanged {
                port,
                slot,
                phase,
                message,
                ..
            } => {
                let tile = self.slot(port, *slot);
                tile.phase = *phase;
                if *phase == SlotPhase::Empty {
                    tile.device = None;
                }
                if matches!(
                    phase,
                    SlotPhase::Empty | SlotPhase::Identifying | SlotPhase::Intake
                ) {
                    tile.battery_verdict = None;
                    tile.lock_verdict = None;
                }
                tile.message = message.clone();
            }
            StationEvent::IntakeRecorded {
                port, slot, report, ..
            } => {
                let id = report
                    .device
                    .imei
                    .clone()
                    .or_else(|| report.device.serial.clone());
                let tile = self.slot(port, *slot);
                tile.phase = SlotPhase::Recorded;
                tile.device = Some(SlotDevice {
                    make: report.device.make.clone(),
                    model: report.device.model.clone(),
                    device_ref: report.device_id.map(|id| id.to_string()).or(id.clone()),
                    id,
                    soh_pct: report.battery.soh_pct,
                });
                tile.battery_verdict = Some(report.battery.verdict.clone());
                tile.lock_verdict = Some(report.lock.verdict.clone());
                tile.message = None;
            }
            StationEvent::IntakeFailed {
                port, slot, error, ..
            } => {
                self.slot(port, *slot).message = Some(error.clone());
            }
        }
    }

    /// The benches and slots changed since the last batch, each in its latest state, as the next
    /// batch; `None` when nothing changed.
    pub fn take_changes(&mut self) -> Option<StationBatch> {
        if self.changed_benches.is_empty() && self.changed_slots.is_empty() {
            return None;
        }
        self.seq += 1;
        let benches = std::mem::take(&mut self.changed_benches)
            .into_iter()
            .map(|index| self.benches[index].tile.clone())
            .collect();
        let slots = std::mem::take(&mut self.changed_slots)
            .into_iter()
            .filter_map(|(index, slot)| {
                let slots = &self.benches[index].slots;
                slots
                    .binary_search_by_key(&slot, |s| s.slot)
                    .ok()
                    .map(|at| slots[at].clone())
            })
            .collect();
        Some(StationBatch {
            seq: self.seq,
            benches,
            slots,
        })
    }

    /// Every bench and slot as they stand, numbered as the last batch taken: a window that
    /// applies it, then the batches numbered after it, follows the station without a gap.
    pub fn snapshot(&self) -> StationBatch {
        StationBatch {
            seq: self.seq,
            benches: self.benches.iter().map(|b| b.tile.clone()).collect(),
            slots: self
                .benches
                .iter()
                .flat_map(|b| b.slots.iter().cloned())
                .collect(),
        }
    }
}

fn locked(view: &Mutex<StationView>) -> std::sync::MutexGuard<'_, StationView> {
    view.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Folds the station's `events` into `view` and hands `send` a batch of what changed, at most
/// once per `interval` (with `None`, one batch per event); returns when the station's events end,
/// after a last batch of anything still unsent. The first change after a quiet spell goes out at
/// once; changes that come while a batch waits its turn are folded into it.
pub async fn forward_batches(
    mut events: mpsc::UnboundedReceiver<StationEvent>,
    view: Arc<Mutex<StationView>>,
    interval: Option<Duration>,
    mut send: impl FnMut(StationBatch),
) {
    while let Some(event) = events.recv().await {
        let batch = {
            let mut view = locked(&view);
            view.apply(&event);
            if interval.is_some() {
                while let Ok(event) = events.try_recv() {
                    view.apply(&event);
                }
            }
            view.take_changes()
        };
        if let Some(batch) = batch {
            send(batch);
        }
        if let Some(interval) = interval {
            tokio::time::sleep(interval).await;
        }
    }
    let last = locked(&view).take_changes();
    if let Some(batch) = last {
        send(batch);
    }
}
