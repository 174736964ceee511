// Follows the desktop shell's station: starts from the station as it stands (a snapshot), then asks the
// shell for what changed since the last batch it applied (`station_changes`), again and again. The shell
// folds the engine's events into the latest state of each bench and slot (crates/app/src/station/view.rs)
// and answers with only what changed, as soon as something has; the page asks at most once per
// `PULL_INTERVAL_MS`, and not while it is busy, so changes that come meanwhile fold into one answer in the
// shell instead of queueing up as messages for the page. The answer is plain JSON, where a pushed event is
// a script the webview compiles. The screen is re-rendered at most once per animation frame:
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
 * set to `off` when the feed starts, the page listens for the shell's messages instead of asking for
 * changes, and every message re-renders the screen at once instead of once per frame. The
 * benchmark's peer sets it together with the shell's `REFURBDESK_BENCHMARK_COALESCE=off` (which
 * sends one message per station event), so that "coalescing off" means what the window did before
 * batching: one message and one render per event. Off (coalescing on) by default.
 */
export const COALESCE_SWITCH_KEY = 'refurbdesk.benchmark.coalesce';

function coalescingSwitchOff(storage: Pick<Storage, 'getItem'> | null): boolean {
  try {
    return storage?.getItem(COALESCE_SWITCH_KEY) === 'off';
  } catch {
    return false;
  }
}

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
  return coalescingSwitchOff(storage) ? deliver : coalescePerFrame(deliver, schedule, input);
}

function localStorageOrNull(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** How often the page asks the shell for the station's changes at most: about two frames at 60 Hz. */
export const PULL_INTERVAL_MS = 33;

/** How long the page waits before asking again after the shell could not answer. */
export const PULL_RETRY_MS = 1000;

/** What `askForChanges` needs: the shell's question, the clock, and a way to wait. */
export interface ChangesSource {
  /** Asks for what changed after the batch numbered `after`; answers once something has. */
  ask: (after: number) => Promise<StationBatch>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Asks `source` for the station's changes after `from`, hands each answer to `take`, and asks again,
 * never sooner than `PULL_INTERVAL_MS` after the last question; after a failed question it waits
 * `PULL_RETRY_MS`. Answers a function that stops it (an answer still on its way is then dropped).
 */
export function askForChanges(
  source: ChangesSource,
  from: number,
  take: (batch: StationBatch) => void,
  onError: (error: unknown) => void = (error) => console.warn('station changes unavailable', error),
): () => void {
  let stopped = false;
  let after = from;
  void (async () => {
    while (!stopped) {
      const asked = source.now();
      let batch: StationBatch;
      try {
        batch = await source.ask(after);
      } catch (error) {
        if (stopped) return;
        onError(error);
        await source.sleep(PULL_RETRY_MS);
        continue;
      }
      if (stopped) return;
      if (batch.seq > after) {
        after = batch.seq;
        take(batch);
      }
      const rest = PULL_INTERVAL_MS - (source.now() - asked);
      if (rest > 0) await source.sleep(rest);
    }
  })();
  return () => {
    stopped = true;
  };
}

export async function followStation(onChange: (benches: BenchView[]) => void): Promise<() => void> {
  let benches: BenchView[] = [];
  let erasing: ErasingSlot | null = null;
  let lastSeq = -1;
  const input = new InputPriority();
  const stopInput = typeof window === 'undefined' ? () => undefined : input.listen(window);
  // The re-render is a transition: React renders it in slices and lets a key event in between.
  const render = (next: BenchView[]) => startTransition(() => onChange(next));
  // Read once, when the feed starts.
  const storage = localStorageOrNull();
  const publish = publisher(render, storage, input);
  const apply = (batch: StationBatch) => {
    if (batch.seq <= lastSeq) return;
    lastSeq = batch.seq;
    benches = applyStationBatch(benches, batch);
  };
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
  let stopFeed: () => void;
  if (coalescingSwitchOff(storage)) {
    // The benchmark's peer: the shell pushes every station event as a message of its own, as it
    // did before the page asked for batches. Messages that come before the snapshot wait for it.
    let replayed = false;
    const early: StationBatch[] = [];
    stopFeed = await listen<StationBatch>('station-event', ({ payload }) => {
      if (!replayed) {
        early.push(payload);
        return;
      }
      apply(payload);
      publish(benches);
    });
    apply(await invoke<StationBatch>('station_history'));
    early.sort((a, b) => a.seq - b.seq).forEach(apply);
    replayed = true;
    onChange(benches);
  } else {
    // The snapshot holds everything of the station up to its own number; the questions go on from it.
    apply(await invoke<StationBatch>('station_history'));
    onChange(benches);
    stopFeed = askForChanges(
      {
        ask: (after) => invoke<StationBatch>('station_changes', { after }),
        now: () => performance.now(),
        sleep,
      },
      lastSeq,
      (batch) => {
        apply(batch);
        publish(benches);
      },
    );
  }
  return () => {
    stopInput();
    stopFeed();
    unlistenStarted();
    unlistenProgress();
  };
}

/** Starts the station on the simulated benches; null when one was already running. */
export function startSimulatedStation(): Promise<StationStarted | null> {
  return invoke<StationStarted | null>('start_simulated_station');
}
