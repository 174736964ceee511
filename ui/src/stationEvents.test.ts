import { describe, expect, it } from 'vitest';
import type { BenchTile } from './bindings/BenchTile';
import type { SlotTile } from './bindings/SlotTile';
import { applyEraseProgress, applyEraseStarted, applyStationBatch, type StationBatch } from './stationEvents';
import { coalescePerFrame } from './stationFeed';
import type { BenchView } from './types';
import { tileState } from './verdicts';

const port = '/tmp/bench1';

const readyBench: BenchTile = { port, serial: 'PB8-0042', model: 'Acme PB-8', state: 'ready', slots: 8 };

/** A slot tile as the shell sends it, with the parts a test cares about given. */
function slot(n: number, given: Partial<SlotTile> = {}): SlotTile {
  return {
    port,
    slot: n,
    phase: 'unknown',
    device: null,
    battery_verdict: null,
    lock_verdict: null,
    message: null,
    outcome: null,
    grade: null,
    ...given,
  };
}

/** A bench that introduced itself: its tile and all its slots, as the shell's first batch carries them. */
const ready: StationBatch = { seq: 1, benches: [readyBench], slots: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => slot(n)) };

function play(batches: Array<Omit<StationBatch, 'seq'>>): BenchView[] {
  return batches.reduce<BenchView[]>((benches, b, i) => applyStationBatch(benches, { seq: i + 1, ...b }), []);
}

const iPhone = { make: 'Apple', model: 'iPhone 12', id: '356728114587211', soh_pct: 86, device_ref: 'dev-1' };

describe('applyStationBatch', () => {
  it('a ready bench shows all its slots', () => {
    const [bench] = play([ready]);
    expect(bench?.serial).toBe('PB8-0042');
    expect(bench?.model).toBe('Acme PB-8');
    expect(bench?.state).toBe('ready');
    expect(bench?.slots.map((s) => s.slot)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a recorded slot shows the device and its verdicts', () => {
    const [bench] = play([
      ready,
      { benches: [], slots: [slot(3, { phase: 'recorded', device: iPhone, battery_verdict: 'pass', lock_verdict: 'clear' })] },
    ]);
    const shown = bench?.slots.find((s) => s.slot === 3);
    expect(shown?.state).toBe('recorded');
    expect(shown?.device).toBe('Apple iPhone 12 (356728114587211)');
    expect(shown?.soh).toBe(86);
    expect(shown?.batteryVerdict).toBe('pass');
    expect(shown?.lockVerdict).toBe('clear');
    expect(shown?.deviceRef).toBe('dev-1');
    expect(shown?.outcome).toBeNull();
  });

  it('a grade recorded for the device shows on its slot', () => {
    const [bench] = play([
      ready,
      { benches: [], slots: [slot(3, { phase: 'recorded', device: iPhone, battery_verdict: 'pass', lock_verdict: 'clear' })] },
      {
        benches: [],
        slots: [
          slot(3, {
            phase: 'recorded',
            device: iPhone,
            battery_verdict: 'pass',
            lock_verdict: 'clear',
            outcome: 'sellable',
            grade: 'VERY_GOOD',
          }),
        ],
      },
    ]);
    const shown = bench?.slots.find((s) => s.slot === 3);
    expect([shown?.outcome, shown?.grade]).toEqual(['sellable', 'VERY_GOOD']);
  });

  it('one batch changes many slots at once and leaves the others as they were', () => {
    const before = play([ready]);
    const after = applyStationBatch(before, {
      seq: 2,
      benches: [],
      slots: [slot(2, { phase: 'identifying' }), slot(7, { phase: 'empty', message: 'removed' })],
    });
    expect(after[0]?.slots.map((s) => s.state)).toEqual(['unknown', 'identifying', 'unknown', 'unknown', 'unknown', 'unknown', 'empty', 'unknown']);
    expect(after[0]?.slots[6]?.message).toBe('removed');
    expect(after[0]?.slots[0]).toBe(before[0]?.slots[0]);
    // The benches before are not changed in place.
    expect(before[0]?.slots[1]?.state).toBe('unknown');
  });

  it('an emptied slot shows nothing of the device that left it', () => {
    const [bench] = play([
      ready,
      { benches: [], slots: [slot(1, { phase: 'recorded', device: iPhone, battery_verdict: 'replace', lock_verdict: 'blocked' })] },
      { benches: [], slots: [slot(1, { phase: 'empty' })] },
    ]);
    const shown = bench?.slots.find((s) => s.slot === 1);
    expect(shown?.state).toBe('empty');
    expect(shown?.device).toBeNull();
    expect(shown?.batteryVerdict).toBeNull();
    expect(shown?.deviceRef).toBeNull();
  });

  it('a placed device is identifying until the engine has read who it is, then testing', () => {
    const placed = play([ready, { benches: [], slots: [slot(2, { phase: 'identifying' })] }]);
    const identifying = placed[0]?.slots.find((s) => s.slot === 2);
    expect(identifying?.state).toBe('identifying');
    expect(identifying && placed[0] && tileState(placed[0], identifying)).toBe('identifying');
    const read = play([ready, { benches: [], slots: [slot(2, { phase: 'intake' })] }]);
    const testing = read[0]?.slots.find((s) => s.slot === 2);
    expect(testing && read[0] && tileState(read[0], testing)).toBe('testing');
  });

  it('a bench with fewer slots than before drops the ones above', () => {
    const [bench] = play([ready, { benches: [{ ...readyBench, slots: 4 }], slots: [] }]);
    expect(bench?.slots.map((s) => s.slot)).toEqual([1, 2, 3, 4]);
  });

  it('a disconnected bench keeps its slots, as the shell marks them unknown', () => {
    const [bench] = play([
      ready,
      { benches: [], slots: [slot(1, { phase: 'recorded', device: iPhone })] },
      { benches: [{ ...readyBench, state: 'disconnected' }], slots: [slot(1, { phase: 'unknown', device: iPhone })] },
    ]);
    expect(bench?.state).toBe('disconnected');
    expect(bench?.slots.every((s) => s.state === 'unknown')).toBe(true);
    expect(bench?.slots[0]?.device).toContain('iPhone 12');
  });

  it('a slot of a bench not seen yet adds the bench, still connecting', () => {
    const [bench] = play([{ benches: [], slots: [slot(2, { message: 'removed during intake' })] }]);
    expect(bench?.state).toBe('connecting');
    expect(bench?.slots.find((s) => s.slot === 2)?.message).toBe('removed during intake');
  });
});

describe('verdict words from the engine', () => {
  it('shows a word this screen does not know as unknown, never as another verdict', () => {
    const [bench] = play([
      ready,
      { benches: [], slots: [slot(2, { phase: 'recorded', device: { ...iPhone, id: 'S1' }, battery_verdict: 'refurbished', lock_verdict: 'frozen' })] },
    ]);
    const shown = bench?.slots.find((s) => s.slot === 2);
    expect(shown?.batteryVerdict).toBe('unknown');
    expect(shown?.lockVerdict).toBe('unknown');
  });
});

describe('erasures on the station screen', () => {
  const ready: BenchView[] = applyStationBatch([], {
    seq: 1,
    benches: [{ ...readyBench, slots: 2 }],
    slots: [slot(1), slot(2)],
  });

  it('shows a bench erasure on its tile from start to end, and ignores other tasks', () => {
    const started = applyEraseStarted(ready, {
      kind: 'bench',
      erasure_id: 'e',
      device_id: 'd',
      make: 'Apple',
      model: 'iPhone 12',
      port,
      slot: 2,
      method: 'crypto',
    });
    expect(started.erasing).toEqual({ port, slot: 2 });
    expect(started.benches[0]!.slots[1]).toMatchObject({ state: 'erasing', progress: 0, deviceRef: 'd' });
    const half = applyEraseProgress(started.benches, started.erasing!, { task: 'erase', done: 50, total: 100, stage: 'erase' });
    expect(half[0]!.slots[1]).toMatchObject({ state: 'erasing', progress: 50 });
    const export_ = applyEraseProgress(half, started.erasing!, { task: 'export', done: 1, total: 1, stage: null });
    expect(export_[0]!.slots[1]).toMatchObject({ state: 'erasing', progress: 50 });
    const done = applyEraseProgress(half, started.erasing!, { task: 'erase', done: 100, total: 100, stage: 'erase' });
    expect(done[0]!.slots[1]).toMatchObject({ state: 'recorded', progress: null });
    // The other slot is untouched throughout.
    expect(done[0]!.slots[0]).toEqual(ready[0]!.slots[0]);
  });

  it('leaves the tiles alone for a drive erasure', () => {
    const started = applyEraseStarted(ready, {
      kind: 'drive',
      erasure_id: 'e',
      target: '/tmp/disk.img',
      target_kind: 'image file',
      method: 'zero',
      verify: 'full',
    });
    expect(started.erasing).toBeNull();
    expect(started.benches).toEqual(ready);
  });
});

describe('coalescePerFrame', () => {
  it('delivers only the latest value once per frame', () => {
    const frames: Array<() => void> = [];
    const seen: number[] = [];
    const push = coalescePerFrame<number>((value) => seen.push(value), (run) => frames.push(run));
    for (let i = 0; i < 640; i += 1) push(i);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(seen).toEqual([639]);
    push(1000);
    push(1001);
    frames.shift()!();
    expect(seen).toEqual([639, 1001]);
  });
});
