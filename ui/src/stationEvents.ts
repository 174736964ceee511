// The station engine's events (serde: tagged by `event`, snake_case) and how each one changes the
// benches on screen. Pure, so it is unit-tested without a window.
import type { StationEvent } from './bindings/StationEvent';
import type { EraseStarted } from './bindings/EraseStarted';
import type { ProgressReport } from './bindings/ProgressReport';
import type { SlotPhase } from './bindings/SlotPhase';
import type { BenchView, SlotState, SlotView } from './types';
import { BATTERY_VERDICTS, LOCK_VERDICTS, type BatteryVerdict, type LockVerdict } from './types';

// The engine's types, generated from Rust (ui/src/bindings); re-exported for the screen's code.
export type { StationEvent };

// The engine tells verdicts as words; a word this screen does not know yet shows as unknown
// rather than as a wrong colour.
function batteryVerdict(word: string): BatteryVerdict {
  return (BATTERY_VERDICTS as readonly string[]).includes(word) ? (word as BatteryVerdict) : 'unknown';
}

function lockVerdict(word: string): LockVerdict {
  return (LOCK_VERDICTS as readonly string[]).includes(word) ? (word as LockVerdict) : 'unknown';
}

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

const PHASE_TO_STATE: Record<SlotPhase, SlotState> = {
  empty: 'empty',
  identifying: 'identifying',
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
    case 'bench_unreachable':
      // Only a station that stops when idle gives up on a bench; the tile keeps saying so.
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
          const cleared = state === 'empty' || state === 'identifying' || state === 'intake';
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
            batteryVerdict: batteryVerdict(battery.verdict),
            lockVerdict: lockVerdict(lock.verdict),
            message: null,
            deviceRef: event.report.device_id ?? id,
            progress: null,
          };
        }),
      );
    case 'intake_failed':
      return withBench(benches, event.port, (b) =>
        withSlot(b, event.slot, (s) => ({ ...s, message: event.error })),
      );
  }
}

/** Where a bench erasure runs, so its progress lands on the right tile. */
export interface ErasingSlot {
  port: string;
  slot: number;
}

/** A bench erasure was recorded `running`: its tile shows `erasing` from 0 %. */
export function applyEraseStarted(
  benches: readonly BenchView[],
  started: EraseStarted,
): { benches: BenchView[]; erasing: ErasingSlot | null } {
  if (started.kind !== 'bench') return { benches: [...benches], erasing: null };
  const next = withBench(benches, started.port, (b) =>
    withSlot(b, started.slot, (s) => ({ ...s, state: 'erasing', progress: 0, deviceRef: started.device_id })),
  );
  return { benches: next, erasing: { port: started.port, slot: started.slot } };
}

/** An erasure's progress: the share done on its tile; at the end the tile is done again. */
export function applyEraseProgress(
  benches: readonly BenchView[],
  erasing: ErasingSlot,
  report: ProgressReport,
): BenchView[] {
  if (report.task !== 'erase') return [...benches];
  const share = report.total === null || report.total === 0 ? 0 : (100 * report.done) / report.total;
  const finished = report.total !== null && report.total > 0 && report.done >= report.total;
  return withBench(benches, erasing.port, (b) =>
    withSlot(b, erasing.slot, (s) =>
      finished
        ? { ...s, state: 'recorded', progress: null }
        : { ...s, state: 'erasing', progress: Math.max(0, Math.min(100, share)) },
    ),
  );
}
