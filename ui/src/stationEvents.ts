// How the station's batches (the latest state of each bench and slot that changed, folded from the
// engine's events in Rust: crates/app/src/station/view.rs) and the erasures' events change the
// benches on screen. Pure, so it is unit-tested without a window.
import type { StationBatch } from './bindings/StationBatch';
import type { SlotTile } from './bindings/SlotTile';
import type { EraseStarted } from './bindings/EraseStarted';
import type { ProgressReport } from './bindings/ProgressReport';
import type { SlotPhase } from './bindings/SlotPhase';
import type { BenchView, SlotState, SlotView } from './types';
import { BATTERY_VERDICTS, LOCK_VERDICTS, type BatteryVerdict, type LockVerdict } from './types';

// The engine's types, generated from Rust (ui/src/bindings); re-exported for the screen's code.
export type { StationBatch };

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

function slotView(tile: SlotTile): SlotView {
  const device = tile.device;
  let line: string | null = null;
  if (device !== null) {
    line = `${device.make} ${device.model}${device.id === null ? '' : ` (${device.id})`}`;
  }
  return {
    slot: tile.slot,
    state: PHASE_TO_STATE[tile.phase],
    device: line,
    batteryVerdict: tile.battery_verdict === null ? null : batteryVerdict(tile.battery_verdict),
    lockVerdict: tile.lock_verdict === null ? null : lockVerdict(tile.lock_verdict),
    message: tile.message,
    deviceRef: device?.device_ref ?? null,
    progress: null,
    soh: device?.soh_pct ?? null,
    outcome: tile.outcome,
    grade: tile.grade,
  };
}

/**
 * The benches after one batch (or the snapshot a window starts from): each bench and slot it
 * carries replaces what was shown for it; the rest stays as it was. One pass, one new array.
 */
export function applyStationBatch(benches: readonly BenchView[], batch: StationBatch): BenchView[] {
  const next = [...benches];
  const at = (port: string): number => {
    const index = next.findIndex((b) => b.port === port);
    if (index >= 0) return index;
    next.push({ port, serial: null, model: null, state: 'connecting', slots: [] });
    return next.length - 1;
  };
  for (const tile of batch.benches) {
    const index = at(tile.port);
    const bench = next[index]!;
    next[index] = {
      port: tile.port,
      serial: tile.serial,
      model: tile.model,
      state: tile.state,
      slots: bench.slots.filter((s) => s.slot <= tile.slots),
    };
  }
  const byPort = new Map<string, SlotTile[]>();
  for (const tile of batch.slots) {
    const tiles = byPort.get(tile.port);
    if (tiles === undefined) byPort.set(tile.port, [tile]);
    else tiles.push(tile);
  }
  for (const [port, tiles] of byPort) {
    const index = at(port);
    const bench = next[index]!;
    const slots = [...bench.slots];
    let added = false;
    for (const tile of tiles) {
      const i = slots.findIndex((s) => s.slot === tile.slot);
      if (i >= 0) slots[i] = slotView(tile);
      else {
        slots.push(slotView(tile));
        added = true;
      }
    }
    if (added) slots.sort((a, b) => a.slot - b.slot);
    next[index] = { ...bench, slots };
  }
  return next;
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
