// Follows the desktop shell's station: starts from the station as it stands (a snapshot), then applies
// each batch the shell sends. The shell folds the engine's events into the latest state of each bench
// and slot and sends at most one batch per interval (about two frames), carrying only what changed
// (crates/app/src/station/view.rs); batches are numbered, so one the snapshot already holds is
// skipped and none is lost in between. The screen is re-rendered at most once per animation frame:
// 64 slots changing ten times a second must not re-render it 640 times a second. Input comes first:
// a frame in which a key was pressed paints the key's effect (the focus moving) without the station's
// changes, which wait for the next frame (`InputPriority`), and the screen's re-render is a React
// transition, which yields to a key event instead of making it wait.
import { invoke } from '@tauri-apps/api/core';
import { startTransition } from 'react';
import { listen } from '@tauri-apps/api/event';
import type { EraseStarted } from './bindings/EraseStarted';
import type { ProgressReport } from './bindings/ProgressReport';
import type { StationBatch } from './bindings/StationBatch';
import type { StationStarted } from './bindings/StationStarted';
import { applyEraseProgress, applyEraseStarted, applyStationBatch, type ErasingSlot } from './stationEvents';
import type { BenchView } from './types';

/**
 * Whether the person pressed a key or a pointer button since the last frame that took the station's
 * changes. The feed asks it at each frame: while it says yes, that frame is left to the input's own
 * effect, and the changes wait for the next one, at most `MAX_DEFERRED_FRAMES` frames in a row (a
 * key held down must not freeze the tiles).
 */
export class InputPriority {
  private inputs = 0;
  private seen = 0;

  /** Notes an input event (a capturing `keydown` or `pointerdown` listener calls it). */
  noteInput(): void {
    this.inputs += 1;
  }

  /** True when an input came since the last call; each input defers one frame. */
  takePending(): boolean {
    const pending = this.inputs !== this.seen;
    this.seen = this.inputs;
    return pending;
  }

  /** Listens for the window's input events; answers how to stop. */
  listen(target: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
    const note = () => this.noteInput();
    target.addEventListener('keydown', note, true);
    target.addEventListener('pointerdown', note, true);
    return () => {
      target.removeEventListener('keydown', note, true);
      target.removeEventListener('pointerdown', note, true);
    };
  }
}

/** The most frames in a row the station's changes give way to input. */
export const MAX_DEFERRED_FRAMES = 2;

function nextFrame(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else setTimeout(run, 16);
}

/**
 * Calls `deliver` once per frame with the latest value, however often `push` is called. With an
 * `input` tracker, a frame in which input arrived delivers nothing: the value waits for the next
 * frame (at most `MAX_DEFERRED_FRAMES` in a row), so the input's effect is painted first.
 */
export function coalescePerFrame<T>(
  deliver: (value: T) => void,
  schedule: (run: () => void) => void = nextFrame,
  input: Pick<InputPriority, 'takePending'> | null = null,
): (value: T) => void {
  let pending = false;
  let latest: T;
  let deferred = 0;
  const run = () => {
    if (input !== null && input.takePending() && deferred < MAX_DEFERRED_FRAMES) {
      deferred += 1;
      schedule(run);
      return;
    }
    deferred = 0;
    pending = false;
    deliver(latest);
  };
  return (value: T) => {
    latest = value;
    if (pending) return;
    pending = true;
    schedule(run);
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

/**
 * How the feed hands changes to the screen: once per frame, giving way to `input` when given,
 * unless the benchmark switch says off (then every change at once, as before batching).
 */
export function publisher<T>(
  deliver: (value: T) => void,
  storage: Pick<Storage, 'getItem'> | null,
  input: Pick<InputPriority, 'takePending'> | null = null,
  schedule: (run: () => void) => void = nextFrame,
): (value: T) => void {
  let off = false;
  try {
    off = storage?.getItem(COALESCE_SWITCH_KEY) === 'off';
  } catch {
    // No storage: the default.
  }
  return off ? deliver : coalescePerFrame(deliver, schedule, input);
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
  const input = new InputPriority();
  const stopInput = typeof window === 'undefined' ? () => undefined : input.listen(window);
  // The re-render is a transition: React renders it in slices and lets a key event in between.
  const render = (next: BenchView[]) => startTransition(() => onChange(next));
  // Read once, when the feed starts.
  const publish = publisher(render, localStorageOrNull(), input);
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
    stopInput();
    unlisten();
    unlistenStarted();
    unlistenProgress();
  };
}

/** Starts the station on the simulated benches; null when one was already running. */
export function startSimulatedStation(): Promise<StationStarted | null> {
  return invoke<StationStarted | null>('start_simulated_station');
}
