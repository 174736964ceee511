import { describe, expect, it } from 'vitest';
import type { IntakeReport } from './bindings/IntakeReport';
import { applyEraseProgress, applyEraseStarted, applyStationEvent, type StationEvent } from './stationEvents';
import { coalescePerFrame } from './stationFeed';
import type { BenchView } from './types';
import { tileState } from './verdicts';

const port = '/tmp/bench1';
/** A whole intake report as the engine sends it, with the parts a test cares about given. */
function report(
  device: { make: string; model: string; imei: string | null; serial: string | null },
  battery: { verdict: string; soh_pct: number | null },
  lock: string,
): IntakeReport {
  return {
    intake_id: null,
    device_id: null,
    bench: { serial: 'PB8-0042', vendor: 'Acme', model: 'PB-8', port },
    slot: 1,
    device: { category: 'phone', model_code: null, imei_valid: null, storage_gb: null, reasons: [], ...device },
    battery: {
      present: true,
      design_mah: null,
      full_mah: null,
      design_mwh: null,
      full_mwh: null,
      cycles: null,
      soh_source: null,
      reported_soh_pct: null,
      soh_pct_exact: null,
      reasons: [],
      ...battery,
    },
    lock: { activation: 'off', account: 'none', mdm: 'none', carrier: 'unlocked', verdict: lock, reasons: [] },
    tests: {},
  };
}

const ready: StationEvent = { event: 'bench_ready', port, serial: 'PB8-0042', vendor: 'Acme', model: 'PB-8', slots: 8 };

function play(events: StationEvent[]): BenchView[] {
  return events.reduce<BenchView[]>((benches, e) => applyStationEvent(benches, e), []);
}

describe('applyStationEvent', () => {
  it('a ready bench shows all its slots', () => {
    const [bench] = play([ready]);
    expect(bench?.serial).toBe('PB8-0042');
    expect(bench?.state).toBe('ready');
    expect(bench?.slots.map((s) => s.slot)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a recorded intake shows the device and its verdicts', () => {
    const [bench] = play([
      ready,
      { event: 'slot_changed', port, bench: 'PB8-0042', slot: 3, phase: 'intake', message: null },
      {
        event: 'intake_recorded',
        port,
        bench: 'PB8-0042',
        slot: 3,
        report: report({ make: 'Apple', model: 'iPhone 12', imei: '356728114587211', serial: null }, { verdict: 'pass', soh_pct: 86 }, 'clear'),
      },
    ]);
    const slot = bench?.slots.find((s) => s.slot === 3);
    expect(slot?.state).toBe('recorded');
    expect(slot?.device).toBe('Apple iPhone 12 (356728114587211) · 86.0 %');
    expect(slot?.batteryVerdict).toBe('pass');
    expect(slot?.lockVerdict).toBe('clear');
  });

  it('removing a device clears what was shown for it', () => {
    const [bench] = play([
      ready,
      {
        event: 'intake_recorded',
        port,
        bench: 'PB8-0042',
        slot: 1,
        report: report({ make: 'Apple', model: 'iPhone 12', imei: null, serial: 'F17' }, { verdict: 'replace', soh_pct: 84 }, 'blocked'),
      },
      { event: 'slot_changed', port, bench: 'PB8-0042', slot: 1, phase: 'empty', message: null },
    ]);
    const slot = bench?.slots.find((s) => s.slot === 1);
    expect(slot?.state).toBe('empty');
    expect(slot?.device).toBeNull();
    expect(slot?.batteryVerdict).toBeNull();
  });

  it('a placed device is identifying until the engine has read who it is, then testing', () => {
    const placed = play([ready, { event: 'slot_changed', port, bench: 'PB8-0042', slot: 2, phase: 'identifying', message: null }]);
    const identifying = placed[0]?.slots.find((s) => s.slot === 2);
    expect(identifying?.state).toBe('identifying');
    expect(identifying && placed[0] && tileState(placed[0], identifying)).toBe('identifying');
    const read = play([
      ready,
      { event: 'slot_changed', port, bench: 'PB8-0042', slot: 2, phase: 'identifying', message: null },
      { event: 'slot_changed', port, bench: 'PB8-0042', slot: 2, phase: 'intake', message: null },
    ]);
    const testing = read[0]?.slots.find((s) => s.slot === 2);
    expect(testing && read[0] && tileState(read[0], testing)).toBe('testing');
  });

  it('a disconnected bench keeps its slots but marks them unknown', () => {
    const [bench] = play([ready, { event: 'bench_disconnected', port }]);
    expect(bench?.state).toBe('disconnected');
    expect(bench?.slots.every((s) => s.state === 'unknown')).toBe(true);
  });

  it('a failed intake leaves its message on the slot', () => {
    const [bench] = play([
      ready,
      { event: 'intake_failed', port, bench: 'PB8-0042', slot: 2, error: 'removed during intake', will_retry: false, removed: true, unrecorded: false },
    ]);
    expect(bench?.slots.find((s) => s.slot === 2)?.message).toBe('removed during intake');
  });
});

describe('verdict words from the engine', () => {
  it('shows a word this screen does not know as unknown, never as another verdict', () => {
    const [bench] = [ready, {
      event: 'intake_recorded' as const,
      port,
      bench: 'PB8-0042',
      slot: 2,
      report: report({ make: 'Acme', model: 'X', imei: null, serial: 'S1' }, { verdict: 'refurbished', soh_pct: 90 }, 'frozen'),
    }].reduce<BenchView[]>((benches, e) => applyStationEvent(benches, e), []);
    const slot = bench?.slots.find((s) => s.slot === 2);
    expect(slot?.batteryVerdict).toBe('unknown');
    expect(slot?.lockVerdict).toBe('unknown');
  });
});

describe('erasures on the station screen', () => {
  const ready: BenchView[] = applyStationEvent([], {
    event: 'bench_ready',
    port,
    serial: 'PB8-0042',
    vendor: 'Acme',
    model: 'PB-8',
    slots: 2,
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
