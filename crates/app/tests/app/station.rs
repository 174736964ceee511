//! Use-case tests: station. What a window gets of a running station: batches of the latest state
//! of what changed since it last asked, and a snapshot for a window that opens late, on a real
//! simulated bench and a real database.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_app::station::{
    self, BenchTile, BenchTileState, SlotPhase, SlotTile, StationBatch, StationFeed, StationParams,
};
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};

use crate::support::TestStation;

/// The PB-8 phone bench of the fixtures, its devices in place from the start.
fn phone_bench() -> Scenario {
    let (name, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == "phones-pb8.toml")
        .expect("fixture exists");
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    Scenario::from_toml(&text[..cut], name).unwrap()
}

/// What a window holds after applying `batches` in order: the latest tile of each bench and slot.
#[derive(Default, Debug, PartialEq)]
struct Screen {
    benches: BTreeMap<String, BenchTile>,
    slots: BTreeMap<(String, u16), SlotTile>,
}

impl Screen {
    fn apply(&mut self, batch: &StationBatch) {
        for bench in &batch.benches {
            self.benches.insert(bench.port.clone(), bench.clone());
        }
        for slot in &batch.slots {
            self.slots
                .insert((slot.port.clone(), slot.slot), slot.clone());
        }
    }
}

/// How the simulated window follows the station.
#[derive(Clone, Copy)]
enum Window {
    /// Asks for what changed after the last batch it took, at most every 33 ms, as the page does.
    Asks,
    /// Is sent one batch per station event (the benchmark's peer).
    OneMessagePerEvent,
}

/// Runs a station on the PB-8 bench until it is idle, followed by a window; answers every batch
/// the window took, a snapshot taken once it had taken two (a window opening late), and the final
/// snapshot.
fn run(window: Window) -> (Vec<StationBatch>, StationBatch, StationBatch, usize) {
    let test = TestStation::new();
    let link = test.dir.path().join("bench");
    let _bench = SimBench::start(phone_bench(), &link, SimOptions::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let params = StationParams {
            ports: vec![link.clone()],
            until_idle: true,
            ..StationParams::default()
        };
        let running = station::start(test.open(None), params).unwrap();
        let feed = StationFeed::default();
        let batches = Arc::new(Mutex::new(Vec::new()));
        let late = Arc::new(Mutex::new(None));
        let took = {
            let (batches, late, feed) = (Arc::clone(&batches), Arc::clone(&late), feed.clone());
            move |batch: StationBatch| {
                let mut batches = batches.lock().unwrap();
                batches.push(batch);
                if batches.len() == 2 {
                    *late.lock().unwrap() = Some(feed.snapshot());
                }
            }
        };
        let folding = match window {
            Window::OneMessagePerEvent => tokio::spawn(station::forward_each_event(
                running.events,
                feed.clone(),
                took,
            )),
            Window::Asks => {
                let folding = tokio::spawn(station::fold_events(running.events, feed.clone()));
                let feed = feed.clone();
                tokio::spawn(async move {
                    let mut after = 0;
                    loop {
                        let batch = feed.changes_after(after, Duration::from_millis(200)).await;
                        if batch.seq > after {
                            after = batch.seq;
                            took(batch);
                        } else if folding.is_finished() {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(33)).await;
                    }
                })
            }
        };
        tokio::time::timeout(Duration::from_secs(60), folding)
            .await
            .expect("the station goes idle")
            .unwrap();
        let summary = running.control.finish().await.unwrap();
        let last = feed.snapshot();
        let batches = std::mem::take(&mut *batches.lock().unwrap());
        let late = late.lock().unwrap().take();
        (
            batches,
            late.expect("more than two batches"),
            last,
            summary.recorded,
        )
    })
}

#[test]
fn batches_carry_the_latest_state_and_a_late_window_catches_up_from_a_snapshot() {
    let (batches, late, last, recorded) = run(Window::Asks);
    assert!(recorded > 0, "the bench's devices are recorded");

    // Numbered in increasing order; the last snapshot is numbered as the last batch.
    for pair in batches.windows(2) {
        assert!(pair[0].seq < pair[1].seq, "batches numbered in order");
    }
    for batch in &batches {
        assert!(
            !batch.benches.is_empty() || !batch.slots.is_empty(),
            "no empty batch"
        );
    }
    assert_eq!(last.seq, batches.last().unwrap().seq);
    // Asking folds: fewer batches than events (each event is one number).
    assert!(
        (batches.len() as u64) < last.seq,
        "{} batches for {} events",
        batches.len(),
        last.seq
    );

    // A window that saw every batch shows what the station holds.
    let mut expected = Screen::default();
    expected.apply(&last);
    let mut seen = Screen::default();
    batches.iter().for_each(|batch| seen.apply(batch));
    assert_eq!(seen, expected);

    // A window that opened late: the snapshot, then only the batches numbered after it.
    let mut caught_up = Screen::default();
    caught_up.apply(&late);
    batches
        .iter()
        .filter(|batch| batch.seq > late.seq)
        .for_each(|batch| caught_up.apply(batch));
    assert_eq!(caught_up, expected);

    // The station as it ends: one ready bench, its eight slots, the recorded ones with their device.
    assert_eq!(last.benches.len(), 1);
    assert_eq!(last.benches[0].state, BenchTileState::Ready);
    assert_eq!(last.benches[0].model.as_deref(), Some("Acme PB-8"));
    assert_eq!(last.slots.len(), 8);
    let slot_1 = &last.slots[0];
    assert_eq!((slot_1.slot, slot_1.phase), (1, SlotPhase::Recorded));
    let device = slot_1.device.as_ref().expect("slot 1's device");
    assert_eq!(
        (device.make.as_str(), device.model.as_str()),
        ("Apple", "iPhone 12")
    );
    assert_eq!(device.id.as_deref(), Some("356728114587211"));
    assert!(device.device_ref.is_some());
    assert!(slot_1.battery_verdict.is_some() && slot_1.lock_verdict.is_some());
    let recorded_tiles = last
        .slots
        .iter()
        .filter(|s| s.phase == SlotPhase::Recorded)
        .count();
    assert_eq!(recorded_tiles, recorded);
}

#[test]
fn without_batching_every_event_goes_out_alone_and_ends_in_the_same_state() {
    let (batches, _, last, _) = run(Window::OneMessagePerEvent);
    // One batch per event, numbered one after another.
    for (i, batch) in batches.iter().enumerate() {
        assert_eq!(batch.seq, i as u64 + 1);
    }
    // Each event changes one slot or one bench (a bench's introduction names all its slots).
    assert!(batches
        .iter()
        .all(|batch| batch.slots.len() <= 1 || batch.slots.len() == 8));
    let mut expected = Screen::default();
    expected.apply(&last);
    let mut seen = Screen::default();
    batches.iter().for_each(|batch| seen.apply(batch));
    assert_eq!(seen, expected);
}
