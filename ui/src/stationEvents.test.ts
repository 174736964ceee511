import { describe, expect, it } from 'vitest';
import { applyStationEvent, type StationEvent } from './stationEvents';
import type { BenchView } from './types';

const port = '/tmp/bench1';
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
        report: {
          device: { make: 'Apple', model: 'iPhone 12', imei: '356728114587211', serial: null },
          battery: { verdict: 'pass', soh_pct: 86 },
          lock: { verdict: 'clear' },
        },
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
        report: {
          device: { make: 'Apple', model: 'iPhone 12', imei: null, serial: 'F17' },
          battery: { verdict: 'replace', soh_pct: 84 },
          lock: { verdict: 'blocked' },
        },
      },
      { event: 'slot_changed', port, bench: 'PB8-0042', slot: 1, phase: 'empty', message: null },
    ]);
    const slot = bench?.slots.find((s) => s.slot === 1);
    expect(slot?.state).toBe('empty');
    expect(slot?.device).toBeNull();
    expect(slot?.batteryVerdict).toBeNull();
  });

  it('a disconnected bench keeps its slots but marks them unknown', () => {
    const [bench] = play([ready, { event: 'bench_disconnected', port }]);
    expect(bench?.state).toBe('disconnected');
    expect(bench?.slots.every((s) => s.state === 'unknown')).toBe(true);
  });

  it('a failed intake leaves its message on the slot', () => {
    const [bench] = play([
      ready,
      { event: 'intake_failed', port, bench: 'PB8-0042', slot: 2, error: 'removed during intake', will_retry: false, removed: true },
    ]);
    expect(bench?.slots.find((s) => s.slot === 2)?.message).toBe('removed during intake');
  });
});
