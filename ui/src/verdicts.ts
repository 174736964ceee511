// How each engine state is shown. Every entry pairs a tone (the colour) with a
// message key (the word) and a symbol, because colour alone is unreadable for
// colour-blind operators and on washed-out workshop screens. The tables are
// keyed by the full unions, so a new engine value fails to compile until it
// has a presentation here.

import type { MessageKey } from './i18n';
import type { BatteryVerdict, BenchState, BenchView, LockVerdict, SlotState, SlotView, TileState } from './types';

export type Tone = 'good' | 'warning' | 'bad' | 'busy' | 'neutral' | 'muted';

export interface Presentation {
  tone: Tone;
  labelKey: MessageKey;
  /** Decorative glyph shown next to the word; screen readers get the word only. */
  symbol: string;
}

const batteryPresentations: Readonly<Record<BatteryVerdict, Presentation>> = {
  pass: { tone: 'good', labelKey: 'verdict.battery.pass', symbol: '✓' },
  replace: { tone: 'warning', labelKey: 'verdict.battery.replace', symbol: '!' },
  consumed: { tone: 'bad', labelKey: 'verdict.battery.consumed', symbol: '✕' },
  unknown: { tone: 'warning', labelKey: 'verdict.battery.unknown', symbol: '?' },
  // Desktops and monitors have no battery; that is not a fault.
  absent: { tone: 'neutral', labelKey: 'verdict.battery.absent', symbol: '–' },
};

const lockPresentations: Readonly<Record<LockVerdict, Presentation>> = {
  clear: { tone: 'good', labelKey: 'verdict.lock.clear', symbol: '✓' },
  blocked: { tone: 'bad', labelKey: 'verdict.lock.blocked', symbol: '✕' },
  // A device whose lock state is unknown cannot be resold safely yet.
  unknown: { tone: 'warning', labelKey: 'verdict.lock.unknown', symbol: '?' },
};

const slotPresentations: Readonly<Record<SlotState, Presentation>> = {
  empty: { tone: 'muted', labelKey: 'slot.state.empty', symbol: '○' },
  occupied: { tone: 'neutral', labelKey: 'slot.state.occupied', symbol: '●' },
  identifying: { tone: 'busy', labelKey: 'slot.state.identifying', symbol: '…' },
  intake: { tone: 'busy', labelKey: 'slot.state.intake', symbol: '…' },
  recorded: { tone: 'good', labelKey: 'slot.state.recorded', symbol: '✓' },
  failed: { tone: 'bad', labelKey: 'slot.state.failed', symbol: '✕' },
  erasing: { tone: 'busy', labelKey: 'slot.state.erasing', symbol: '⟳' },
  unknown: { tone: 'warning', labelKey: 'slot.state.unknown', symbol: '?' },
};

const benchPresentations: Readonly<Record<BenchState, Presentation>> = {
  connecting: { tone: 'busy', labelKey: 'bench.state.connecting', symbol: '…' },
  ready: { tone: 'good', labelKey: 'bench.state.ready', symbol: '●' },
  disconnected: { tone: 'bad', labelKey: 'bench.state.disconnected', symbol: '✕' },
};

/** Presentation of a battery verdict; null means the battery has not been read yet. */
export function presentBattery(verdict: BatteryVerdict | null): Presentation {
  if (verdict === null) {
    return { tone: 'muted', labelKey: 'verdict.battery.pending', symbol: '…' };
  }
  // The engine is a separate program; a value newer than this screen must not blank it.
  return batteryPresentations[verdict] ?? batteryPresentations.unknown;
}

/** Presentation of a lock verdict; null means the lock state has not been read yet. */
export function presentLock(verdict: LockVerdict | null): Presentation {
  if (verdict === null) {
    return { tone: 'muted', labelKey: 'verdict.lock.pending', symbol: '…' };
  }
  return lockPresentations[verdict] ?? lockPresentations.unknown;
}

export function presentSlotState(state: SlotState): Presentation {
  return slotPresentations[state] ?? slotPresentations.unknown;
}

export function presentBenchState(state: BenchState): Presentation {
  return benchPresentations[state] ?? benchPresentations.connecting;
}

const TILE_OF_SLOT: Readonly<Record<SlotState, TileState>> = {
  empty: 'empty',
  // A device is there and the station is reading who it is.
  occupied: 'identifying',
  unknown: 'identifying',
  identifying: 'identifying',
  intake: 'testing',
  recorded: 'done',
  failed: 'fault',
  erasing: 'erasing',
};

/** The contract word of a slot's tile: a lost bench's slots are `disconnected` whatever they held. */
export function tileState(bench: BenchView, slot: SlotView): TileState {
  if (bench.state === 'disconnected') return 'disconnected';
  return TILE_OF_SLOT[slot.state] ?? 'identifying';
}

const outcomeTones: Readonly<Record<string, Tone>> = {
  sellable: 'good',
  repair: 'warning',
  hold: 'warning',
  recycle: 'bad',
  blocked: 'bad',
};

/**
 * How a recorded grade's outcome is shown on a tile: its colour. The outcome is the engine's word;
 * a word this screen does not know yet is shown neutral.
 */
export function outcomeTone(outcome: string): Tone {
  return outcomeTones[outcome] ?? 'neutral';
}
