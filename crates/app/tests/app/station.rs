//! Use-case tests: station. What a window is sent of a running station: batches of the latest
//! state of what changed, and a snapshot for a window that opens late, on a real simulated bench
//! and a real database.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use refurbdesk_app::station::{
    self, BenchTile, BenchTileState, SlotPhase, SlotTile, StationBatch, StationParams, StationView,
    BATCH_INTERVAL,
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

/// Runs a station on the PB-8 bench until it is idle, forwarding batches at `interval`; answers
/// every batch sent, a snapshot taken as the second batch went out (a window opening late), and
/// the final snapshot.
fn run(interval: Option<Duration>) -> (Vec<StationBatch>, StationBatch, StationBatch, usize) {
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
        let view = Arc::new(Mutex::new(StationView::default()));
        let mut batches = Vec::new();
        let mut late = None;
        let forwarding = station::forward_batches(running.events, Arc::clone(&view), interval, {
            let view = Arc::clone(&view);
            let batches = &mut batches;
            let late = &mut late;
            move |batch| {
                batches.push(batch);
                if batches.len() == 2 {
                    *late = Some(view.lock().unwrap().snapshot());
                }
            }
        });
        tokio::time::timeout(Duration::from_secs(60), forwarding)
            .await
            .expect("the station goes idle");
        let summary = running.control.finish().await.unwrap();
        let last = view.lock().unwrap().snapshot();
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
    let (batches, late, last, recorded) = run(Some(BATCH_INTERVAL));
    assert!(recorded > 0, "the bench's devices are recorded");

    // Numbered one after another; the last snapshot is numbered as the last batch.
    for (i, batch) in batches.iter().enumerate() {
        assert_eq!(batch.seq, i as u64 + 1);
        assert!(
            !batch.benches.is_empty() || !batch.slots.is_empty(),
            "no empty batch"
        );
    }
    assert_eq!(last.seq, batches.last().unwrap().seq);

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
    let (batches, _, last, _) = run(None);
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
