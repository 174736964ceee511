// The station engine's events (serde: tagged by `event`, snake_case) and how each one changes the
// benches on screen. Pure, so it is unit-tested without a window.
import type { BatteryVerdict, BenchView, LockVerdict, SlotState, SlotView } from './types';

interface IntakeReportView {
  device: { make: string; model: string; imei: string | null; serial: string | null };
  battery: { verdict: BatteryVerdict; soh_pct: number | null };
  lock: { verdict: LockVerdict };
}

export type StationEvent =
  | { event: 'bench_waiting'; port: string; reason: string }
  | { event: 'bench_ready'; port: string; serial: string; vendor: string; model: string; slots: number }
  | { event: 'bench_disconnected'; port: string }
  | {
      event: 'slot_changed';
      port: string;
      bench: string | null;
      slot: number;
      phase: 'empty' | 'intake' | 'recorded' | 'failed' | 'unknown';
      message: string | null;
    }
  | { event: 'intake_recorded'; port: string; bench: string; slot: number; report: IntakeReportView }
  | {
      event: 'intake_failed';
      port: string;
      bench: string | null;
      slot: number;
      error: string;
      will_retry: boolean;
      removed: boolean;
    };

function emptySlot(slot: number): SlotView {
  return { slot, state: 'unknown', device: null, batteryVerdict: null, lockVerdict: null, message: null };
}

function withBench(
  benches: readonly BenchView[],
  port: string,
  change: (bench: BenchView) => BenchView,
): BenchView[] {
  const existing = benches.find((b) => b.port === port);
  const bench: BenchView = existing ?? { port, serial: null, model: null, state: 'connecting', slots: [] };
  const next = change(bench);
  return existing === undefined
    ? [...benches, next]
    : benches.map((b) => (b.port === port ? next : b));
}

function withSlot(bench: BenchView, slot: number, change: (slot: SlotView) => SlotView): BenchView {
  const existing = bench.slots.find((s) => s.slot === slot);
  const next = change(existing ?? emptySlot(slot));
  const slots =
    existing === undefined
      ? [...bench.slots, next].sort((a, b) => a.slot - b.slot)
      : bench.slots.map((s) => (s.slot === slot ? next : s));
  return { ...bench, slots };
}

const PHASE_TO_STATE: Record<Extract<StationEvent, { event: 'slot_changed' }>['phase'], SlotState> = {
  empty: 'empty',
  intake: 'intake',
  recorded: 'recorded',
  failed: 'failed',
  unknown: 'unknown',
};

/** The benches after one event. */
export function applyStationEvent(benches: readonly BenchView[], event: StationEvent): BenchView[] {
  switch (event.event) {
    case 'bench_waiting':
      return withBench(benches, event.port, (b) => ({ ...b, state: 'connecting' }));
    case 'bench_ready':
      return withBench(benches, event.port, (b) => {
        const slots = Array.from({ length: event.slots }, (_, i) => b.slots.find((s) => s.slot === i + 1) ?? emptySlot(i + 1));
        return { ...b, serial: event.serial, model: `${event.vendor} ${event.model}`, state: 'ready', slots };
      });
    case 'bench_disconnected':
      return withBench(benches, event.port, (b) => ({
        ...b,
        state: 'disconnected',
        slots: b.slots.map((s) => ({ ...s, state: 'unknown' })),
      }));
    case 'slot_changed':
      return withBench(benches, event.port, (b) =>
        withSlot(b, event.slot, (s) => {
          const state = PHASE_TO_STATE[event.phase];
          const cleared = state === 'empty' || state === 'intake';
          return {
            ...s,
            state,
            device: state === 'empty' ? null : s.device,
            batteryVerdict: cleared ? null : s.batteryVerdict,
            lockVerdict: cleared ? null : s.lockVerdict,
            message: event.message,
          };
        }),
      );
    case 'intake_recorded':
      return withBench(benches, event.port, (b) =>
        withSlot(b, event.slot, () => {
          const { device, battery, lock } = event.report;
          const id = device.imei ?? device.serial;
          const soh = battery.soh_pct === null ? '' : ` · ${battery.soh_pct.toFixed(1)} %`;
          return {
            slot: event.slot,
            state: 'recorded',
            device: `${device.make} ${device.model}${id === null ? '' : ` (${id})`}${soh}`,
            batteryVerdict: battery.verdict,
            lockVerdict: lock.verdict,
            message: null,
          };
        }),
      );
    case 'intake_failed':
      return withBench(benches, event.port, (b) =>
        withSlot(b, event.slot, (s) => ({ ...s, message: event.error })),
      );
  }
}
