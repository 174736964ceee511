// Follows the desktop shell's station: starts from the station as it stands (a snapshot), then applies
// each batch the shell sends. The shell folds the engine's events into the latest state of each bench
// and slot and sends at most one batch per interval (about two frames), carrying only what changed
// (crates/app/src/station/view.rs); batches are numbered, so one the snapshot already holds is
// skipped and none is lost in between. The screen is re-rendered at most once per animation frame:
// 64 slots changing ten times a second must not re-render it 640 times a second.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { EraseStarted } from './bindings/EraseStarted';
import type { ProgressReport } from './bindings/ProgressReport';
import type { StationBatch } from './bindings/StationBatch';
import type { StationStarted } from './bindings/StationStarted';
import { applyEraseProgress, applyEraseStarted, applyStationBatch, type ErasingSlot } from './stationEvents';
import type { BenchView } from './types';

/** Calls `deliver` once per frame with the latest value, however often `push` is called. */
export function coalescePerFrame<T>(
  deliver: (value: T) => void,
  schedule: (run: () => void) => void = (run) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    else setTimeout(run, 16);
  },
): (value: T) => void {
  let pending = false;
  let latest: T;
  return (value: T) => {
    latest = value;
    if (pending) return;
    pending = true;
    schedule(() => {
      pending = false;
      deliver(latest);
    });
  };
}

/**
 * Benchmark-only switch (scripts/bench-desktop): with `localStorage['refurbdesk.benchmark.coalesce']`
 * set to `off` when the feed starts, every batch re-renders the screen at once instead of once per
 * frame. The benchmark's peer sets it together with the shell's `REFURBDESK_BENCHMARK_COALESCE=off`
 * (one batch per station event), so that "coalescing off" means what the window did before
 * batching: one message and one render per event. Off (coalescing on) by default.
 */
export const COALESCE_SWITCH_KEY = 'refurbdesk.benchmark.coalesce';

/** How the feed hands changes to the screen: once per frame, unless the benchmark switch says off. */
export function publisher<T>(deliver: (value: T) => void, storage: Pick<Storage, 'getItem'> | null): (value: T) => void {
  let off = false;
  try {
    off = storage?.getItem(COALESCE_SWITCH_KEY) === 'off';
  } catch {
    // No storage: the default.
  }
  return off ? deliver : coalescePerFrame(deliver);
}

function localStorageOrNull(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export async function followStation(onChange: (benches: BenchView[]) => void): Promise<() => void> {
  let benches: BenchView[] = [];
  let erasing: ErasingSlot | null = null;
  let lastSeq = -1;
  let replayed = false;
  const early: StationBatch[] = [];
  // Read once, when the feed starts.
  const publish = publisher(onChange, localStorageOrNull());
  const apply = (batch: StationBatch) => {
    if (batch.seq <= lastSeq) return;
    lastSeq = batch.seq;
    benches = applyStationBatch(benches, batch);
  };
  const unlisten = await listen<StationBatch>('station-event', ({ payload }) => {
    if (!replayed) {
      early.push(payload);
      return;
    }
    apply(payload);
    publish(benches);
  });
  const unlistenStarted = await listen<EraseStarted>('erase-started', ({ payload }) => {
    const next = applyEraseStarted(benches, payload);
    benches = next.benches;
    erasing = next.erasing;
    publish(benches);
  });
  const unlistenProgress = await listen<ProgressReport>('progress', ({ payload }) => {
    if (erasing === null) return;
    benches = applyEraseProgress(benches, erasing, payload);
    publish(benches);
  });
  // The snapshot holds everything of the batches numbered up to its own number.
  apply(await invoke<StationBatch>('station_history'));
  early.sort((a, b) => a.seq - b.seq).forEach(apply);
  replayed = true;
  onChange(benches);
  return () => {
    unlisten();
    unlistenStarted();
    unlistenProgress();
  };
}

/** Starts the station on the simulated benches; null when one was already running. */
export function startSimulatedStation(): Promise<StationStarted | null> {
  return invoke<StationStarted | null>('start_simulated_station');
}
