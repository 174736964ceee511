//! What a screen shows of a running station, kept as the latest state of each bench and slot
//! rather than as every event, and handed to windows as batches of what changed.
//!
//! 64 slots each changing ten times a second make about 850 station events a second. A window
//! cannot take one message per event, and keeping every event for a window that opens late grows
//! without bound. [`StationView`] folds the events into one state per bench and per slot, each
//! stamped with the number of the event that last changed it. A window follows it by asking
//! ([`StationFeed::changes_after`]) for what changed after the last number it holds: the answer
//! waits for the next change, then carries only the benches and slots changed since, each in its
//! latest state. So the window sets the pace: while it is busy painting it asks nothing, and the
//! changes meanwhile fold into one answer instead of queueing as messages. A window that opens
//! (or reloads) late asks from 0, which is the whole station. Nothing depends on who asked
//! before, so any number of windows can follow one station.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_station::{SlotPhase, StationEvent};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};
use ts_rs::TS;

/// How long [`StationFeed::changes_after`] waits for a change before answering that nothing
/// changed; the window then asks again. It bounds how long a question from a page that has
/// since gone (reloaded, closed) stays open.
pub const CHANGES_WAIT: Duration = Duration::from_secs(20);

/// Benchmark-only switch (`scripts/bench-desktop`'s peer): with this variable set to `off`, the
/// desktop shell also sends every station event at once as a message of its own, as the window was
/// sent events before batching (the page's own switch then listens to them instead of asking).
/// Unset everywhere else.
pub const BATCHING_SWITCH: &str = "REFURBDESK_BENCHMARK_COALESCE";

/// Whether the benchmark switch asks for one message per station event.
pub fn one_message_per_event_from_env() -> bool {
    std::env::var(BATCHING_SWITCH).is_ok_and(|value| value == "off")
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
    /// The device's grade once one is recorded for the intake shown (the engine's words: the
    /// outcome such as `sellable`, the listing grade such as `VERY_GOOD`), until the slot is read
    /// again.
    pub outcome: Option<String>,
    pub grade: Option<String>,
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
            outcome: None,
            grade: None,
        }
    }
}

/// A grade recorded for a device, as its tile shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileGrade {
    /// The recorded device's id, and its IMEI or serial: a tile names it by one of them.
    pub device_id: String,
    pub device_key: Option<String>,
    pub outcome: String,
    pub grade: String,
}

impl TileGrade {
    /// What a recorded grade shows on its device's tile.
    pub fn of(graded: &crate::grade::GradeOutcome) -> Self {
        let word = |value: serde_json::Result<serde_json::Value>| {
            value
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        Self {
            device_id: graded.report.device_id.to_string(),
            device_key: graded
                .device
                .imei
                .clone()
                .or_else(|| graded.device.serial.clone()),
            outcome: word(serde_json::to_value(graded.report.outcome)),
            grade: word(serde_json::to_value(graded.report.grade)),
        }
    }
}

/// Benches and slots in their latest state. Batches are numbered by the station event that last
/// changed something in them: a batch numbered `n` holds everything of the station up to its
/// `n`th event that changed after the number it was asked from, and a batch asked from 0 (a
/// snapshot) holds every bench and slot.
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

/// A tile and the number of the event that last changed it.
#[derive(Debug)]
struct Stamped<T> {
    tile: T,
    changed: u64,
}

#[derive(Debug)]
struct BenchEntry {
    bench: Stamped<BenchTile>,
    /// By slot number.
    slots: Vec<Stamped<SlotTile>>,
}

/// The station's current state, folded from its events.
#[derive(Debug, Default)]
pub struct StationView {
    /// Events folded in so far; the number every change made by the last one is stamped with.
    version: u64,
    benches: Vec<BenchEntry>,
}

impl StationView {
    fn bench(&mut self, port: &str) -> usize {
        let index = match self.benches.iter().position(|b| b.bench.tile.port == port) {
            Some(index) => index,
            None => {
                self.benches.push(BenchEntry {
                    bench: Stamped {
                        tile: BenchTile {
                            port: port.to_owned(),
                            serial: None,
                            model: None,
                            state: BenchTileState::Connecting,
                            slots: 0,
                        },
                        changed: self.version,
                    },
                    slots: Vec::new(),
                });
                self.benches.len() - 1
            }
        };
        self.benches[index].bench.changed = self.version;
        index
    }

    fn slot(&mut self, port: &str, slot: u16) -> &mut SlotTile {
        let index = self.bench(port);
        let version = self.version;
        let bench = &mut self.benches[index];
        let at = match bench.slots.binary_search_by_key(&slot, |s| s.tile.slot) {
            Ok(at) => at,
            Err(at) => {
                bench.slots.insert(
                    at,
                    Stamped {
                        tile: SlotTile::new(port, slot),
                        changed: version,
                    },
                );
                if slot > bench.bench.tile.slots {
                    bench.bench.tile.slots = slot;
                }
                at
            }
        };
        let entry = &mut bench.slots[at];
        entry.changed = version;
        &mut entry.tile
    }

    /// Folds one event in.
    pub fn apply(&mut self, event: &StationEvent) {
        self.version += 1;
        match event {
            StationEvent::BenchWaiting { port, .. }
            | StationEvent::BenchUnreachable { port, .. } => {
                let index = self.bench(port);
                self.benches[index].bench.tile.state = BenchTileState::Connecting;
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
                bench.bench.tile.serial = Some(serial.clone());
                bench.bench.tile.model = Some(format!("{vendor} {model}"));
                bench.bench.tile.state = BenchTileState::Ready;
                // Slots above the count are gone: the bench's tile, changed now, says so.
                bench.bench.tile.slots = *slots;
                bench.slots.retain(|s| s.tile.slot <= *slots);
                for slot in 1..=*slots {
                    self.slot(port, slot);
                }
            }
            StationEvent::BenchDisconnected { port } => {
                let index = self.bench(port);
                let version = self.version;
                let bench = &mut self.benches[index];
                bench.bench.tile.state = BenchTileState::Disconnected;
                for slot in &mut bench.slots {
                    slot.tile.phase = SlotPhase::Unknown;
                    slot.changed = version;
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
                    tile.outcome = None;
                    tile.grade = None;
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
                // A new intake: its grade is still to come.
                tile.outcome = None;
                tile.grade = None;
            }
            StationEvent::IntakeFailed {
                port, slot, error, ..
            } => {
                self.slot(port, *slot).message = Some(error.clone());
            }
        }
    }

    /// Shows `graded` on the tiles of its device; a change numbered as an event of its own
    /// when a tile shows that device, else nothing.
    pub fn note_grade(&mut self, graded: &TileGrade) {
        let shows = |tile: &SlotTile| {
            tile.device.as_ref().is_some_and(|device| {
                let named = device.device_ref.as_deref().or(device.id.as_deref());
                named == Some(graded.device_id.as_str())
                    || (graded.device_key.is_some() && device.id == graded.device_key)
            })
        };
        if !self
            .benches
            .iter()
            .flat_map(|b| b.slots.iter())
            .any(|s| shows(&s.tile))
        {
            return;
        }
        self.version += 1;
        let version = self.version;
        for bench in &mut self.benches {
            for slot in &mut bench.slots {
                if shows(&slot.tile) {
                    slot.tile.outcome = Some(graded.outcome.clone());
                    slot.tile.grade = Some(graded.grade.clone());
                    slot.changed = version;
                }
            }
        }
    }

    /// How many events have been folded in: the number of the latest batch.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The benches and slots changed after event number `after`, each in its latest state,
    /// numbered as the latest event; `None` when nothing changed since. From 0 it is every bench
    /// and slot (see [`StationView::snapshot`]).
    pub fn changes_since(&self, after: u64) -> Option<StationBatch> {
        if self.version <= after {
            return None;
        }
        let benches = self
            .benches
            .iter()
            .filter(|b| b.bench.changed > after)
            .map(|b| b.bench.tile.clone())
            .collect();
        let slots = self
            .benches
            .iter()
            .flat_map(|b| b.slots.iter())
            .filter(|s| s.changed > after)
            .map(|s| s.tile.clone())
            .collect();
        Some(StationBatch {
            seq: self.version,
            benches,
            slots,
        })
    }

    /// Every bench and slot as they stand, numbered as the latest event: a window that applies
    /// it, then the batches numbered after it, follows the station without a gap.
    pub fn snapshot(&self) -> StationBatch {
        self.changes_since(0).unwrap_or_default()
    }
}

/// A station's [`StationView`], shared by the task that folds the station's events in and the
/// windows that follow it. Cloning it shares the same view.
#[derive(Debug, Clone)]
pub struct StationFeed {
    view: Arc<Mutex<StationView>>,
    /// The view's version, for the windows waiting on a change.
    version: Arc<watch::Sender<u64>>,
}

impl Default for StationFeed {
    fn default() -> Self {
        Self {
            view: Arc::default(),
            version: Arc::new(watch::channel(0).0),
        }
    }
}

impl StationFeed {
    fn view(&self) -> std::sync::MutexGuard<'_, StationView> {
        self.view
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Folds `events` in, in order, and wakes the windows waiting for a change.
    pub fn fold<'a>(&self, events: impl IntoIterator<Item = &'a StationEvent>) {
        let version = {
            let mut view = self.view();
            for event in events {
                view.apply(event);
            }
            view.version()
        };
        self.version.send_if_modified(|current| {
            let changed = *current != version;
            *current = version;
            changed
        });
    }

    /// Every bench and slot as they stand (see [`StationView::snapshot`]).
    pub fn snapshot(&self) -> StationBatch {
        self.view().snapshot()
    }

    /// Shows a grade just recorded on its device's tiles, and wakes the windows waiting for a
    /// change (see [`StationView::note_grade`]).
    pub fn note_grade(&self, graded: &TileGrade) {
        let version = {
            let mut view = self.view();
            view.note_grade(graded);
            view.version()
        };
        self.version.send_if_modified(|current| {
            let changed = *current != version;
            *current = version;
            changed
        });
    }

    /// What changed after event number `after`: answers at once when something has, else at
    /// the next change, else after `wait` with an empty batch numbered `after` (nothing to apply).
    pub async fn changes_after(&self, after: u64, wait: Duration) -> StationBatch {
        let mut version = self.version.subscribe();
        // Only the wait's outcome matters: either way the view is read below.
        let _ = tokio::time::timeout(wait, version.wait_for(|&version| version > after)).await;
        self.view().changes_since(after).unwrap_or(StationBatch {
            seq: after,
            ..StationBatch::default()
        })
    }
}

/// Folds the station's `events` into `feed` as they come, each wake-up taking every event
/// already queued in one go; returns when the station's events end.
pub async fn fold_events(mut events: mpsc::UnboundedReceiver<StationEvent>, feed: StationFeed) {
    let mut queued = Vec::new();
    while let Some(event) = events.recv().await {
        queued.push(event);
        while let Ok(event) = events.try_recv() {
            queued.push(event);
        }
        feed.fold(&queued);
        queued.clear();
    }
}

/// The benchmark's peer ([`one_message_per_event_from_env`]): folds each of the station's
/// `events` into `feed` and hands `send` what it changed at once, one batch per event, as windows
/// were sent events before they asked for batches; returns when the station's events end.
pub async fn forward_each_event(
    mut events: mpsc::UnboundedReceiver<StationEvent>,
    feed: StationFeed,
    mut send: impl FnMut(StationBatch),
) {
    while let Some(event) = events.recv().await {
        let before = feed.view().version();
        feed.fold([&event]);
        // Taken before sending: `send` may read the view itself.
        let changes = feed.view().changes_since(before);
        if let Some(batch) = changes {
            send(batch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(port: &str, slots: u16) -> StationEvent {
        StationEvent::BenchReady {
            port: port.into(),
            serial: format!("{port}-serial"),
            vendor: "Acme".into(),
            model: "PB-8".into(),
            slots,
        }
    }

    fn phase(port: &str, slot: u16, phase: SlotPhase) -> StationEvent {
        StationEvent::SlotChanged {
            port: port.into(),
            bench: None,
            slot,
            phase,
            message: None,
        }
    }

    fn slots(batch: &StationBatch) -> Vec<(&str, u16, SlotPhase)> {
        batch
            .slots
            .iter()
            .map(|s| (s.port.as_str(), s.slot, s.phase))
            .collect()
    }

    #[test]
    fn changes_since_a_number_carry_only_what_changed_after_it_in_its_latest_state() {
        let mut view = StationView::default();
        view.apply(&ready("a", 2));
        view.apply(&ready("b", 1));
        assert_eq!(view.version(), 2);
        view.apply(&phase("a", 2, SlotPhase::Empty));
        view.apply(&phase("a", 2, SlotPhase::Identifying));

        let since_2 = view.changes_since(2).unwrap();
        assert_eq!(since_2.seq, 4);
        assert_eq!(slots(&since_2), [("a", 2, SlotPhase::Identifying)]);
        assert_eq!(since_2.benches.len(), 1, "only bench a changed");
        assert_eq!(since_2.benches[0].port, "a");
        assert_eq!(view.changes_since(4), None);

        // From 0: the whole station, as the snapshot.
        let everything = view.changes_since(0).unwrap();
        assert_eq!(everything, view.snapshot());
        assert_eq!(everything.benches.len(), 2);
        assert_eq!(
            slots(&everything),
            [
                ("a", 1, SlotPhase::Unknown),
                ("a", 2, SlotPhase::Identifying),
                ("b", 1, SlotPhase::Unknown)
            ]
        );
    }

    #[test]
    fn a_recorded_grade_shows_on_its_devices_tile_until_the_slot_is_read_again() {
        let mut view = StationView::default();
        view.apply(&ready("b", 3));
        for (slot, device_ref, id) in [
            (1, "dev-1", "356728114587211"),
            (2, "dev-2", "990000862471854"),
        ] {
            view.slot("b", slot).device = Some(SlotDevice {
                make: "Apple".into(),
                model: "iPhone 12".into(),
                id: Some(id.into()),
                soh_pct: Some(91.0),
                device_ref: Some(device_ref.into()),
            });
        }
        let before = view.version();
        let graded = TileGrade {
            device_id: "dev-2".into(),
            device_key: Some("990000862471854".into()),
            outcome: "sellable".into(),
            grade: "VERY_GOOD".into(),
        };
        view.note_grade(&graded);
        let batch = view.changes_since(before).expect("a change");
        assert_eq!(batch.seq, before + 1);
        assert_eq!(slots(&batch), vec![("b", 2, SlotPhase::Unknown)]);
        assert_eq!(batch.slots[0].outcome.as_deref(), Some("sellable"));
        assert_eq!(batch.slots[0].grade.as_deref(), Some("VERY_GOOD"));
        // A grade of a device no tile shows changes nothing.
        view.note_grade(&TileGrade {
            device_id: "dev-9".into(),
            device_key: None,
            ..graded.clone()
        });
        assert_eq!(view.version(), before + 1);
        // Read again: the grade was the earlier intake's.
        view.apply(&phase("b", 2, SlotPhase::Identifying));
        let tile = view
            .snapshot()
            .slots
            .into_iter()
            .find(|s| s.slot == 2)
            .unwrap();
        assert_eq!((tile.outcome, tile.grade), (None, None));
    }

    #[test]
    fn a_bench_that_comes_back_with_fewer_slots_says_so_in_its_own_tile() {
        let mut view = StationView::default();
        view.apply(&ready("a", 4));
        view.apply(&ready("a", 2));
        let since_1 = view.changes_since(1).unwrap();
        assert_eq!(since_1.benches[0].slots, 2);
        assert_eq!(view.snapshot().slots.len(), 2);
    }

    #[test]
    fn a_disconnected_bench_changes_every_slot_it_had() {
        let mut view = StationView::default();
        view.apply(&ready("a", 3));
        view.apply(&phase("a", 1, SlotPhase::Recorded));
        view.apply(&StationEvent::BenchDisconnected { port: "a".into() });
        let since_2 = view.changes_since(2).unwrap();
        assert_eq!(since_2.benches[0].state, BenchTileState::Disconnected);
        assert_eq!(since_2.slots.len(), 3);
        assert!(since_2.slots.iter().all(|s| s.phase == SlotPhase::Unknown));
    }

    #[tokio::test]
    async fn a_question_waits_for_the_next_change_or_answers_nothing_new_after_its_wait() {
        let feed = StationFeed::default();
        feed.fold([&ready("a", 1)]);
        // Something changed after 0: at once.
        let first = feed.changes_after(0, Duration::from_secs(5)).await;
        assert_eq!(first.seq, 1);

        // Nothing changed after 1: an empty batch numbered 1 once the wait is over.
        let nothing = feed.changes_after(1, Duration::from_millis(20)).await;
        assert_eq!(
            nothing,
            StationBatch {
                seq: 1,
                ..StationBatch::default()
            }
        );

        // A change while the question waits answers it.
        let asking = tokio::spawn({
            let feed = feed.clone();
            async move { feed.changes_after(1, Duration::from_secs(5)).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!asking.is_finished(), "it waits for a change");
        feed.fold([
            &phase("a", 1, SlotPhase::Empty),
            &phase("a", 1, SlotPhase::Identifying),
        ]);
        let answer = tokio::time::timeout(Duration::from_secs(5), asking)
            .await
            .expect("answered at the change")
            .unwrap();
        assert_eq!(answer.seq, 3);
        assert_eq!(slots(&answer), [("a", 1, SlotPhase::Identifying)]);
    }
}
