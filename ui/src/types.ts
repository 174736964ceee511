// Mirrors of the JSON the station engine sends to the screen. The value lists
// are kept as arrays so tests and lookup tables can cover every case.

export const BENCH_STATES = ['connecting', 'ready', 'disconnected'] as const;
export type BenchState = (typeof BENCH_STATES)[number];

export const SLOT_STATES = [
  'empty',
  'occupied',
  'identifying',
  'intake',
  'recorded',
  'failed',
  'erasing',
  'unknown',
] as const;
export type SlotState = (typeof SLOT_STATES)[number];

/**
 * The words a tile's `data-state` may carry: a contract with the end-to-end tests and outside
 * checks (issue 16), so they are listed once here and every slot maps to exactly one of them.
 */
export const TILE_STATES = [
  'empty',
  'identifying',
  'testing',
  'erasing',
  'done',
  'fault',
  'disconnected',
] as const;
export type TileState = (typeof TILE_STATES)[number];

export const BATTERY_VERDICTS = ['pass', 'replace', 'consumed', 'unknown', 'absent'] as const;
export type BatteryVerdict = (typeof BATTERY_VERDICTS)[number];

export const LOCK_VERDICTS = ['clear', 'blocked', 'unknown'] as const;
export type LockVerdict = (typeof LOCK_VERDICTS)[number];

/** One device slot of a bench, as the engine last saw it. */
export interface SlotView {
  /** Slot number on the bench, counted from 1 as in the bench protocol. */
  slot: number;
  state: SlotState;
  /** Human-readable device summary, or null while the slot holds nothing identified. */
  device: string | null;
  /** Null until the battery has been read. */
  batteryVerdict: BatteryVerdict | null;
  /** Null until the lock state has been read. */
  lockVerdict: LockVerdict | null;
  /** Latest note for the operator (a fault, a device error), if any. */
  message: string | null;
  /** What opens the device screen: the recorded device's id; null until recorded. */
  deviceRef?: string | null;
  /** 0–100 while an erasure of this slot's device runs. */
  progress?: number | null;
  /** The battery's state of health in %, once read. */
  soh?: number | null;
  /** The engine's outcome and listing grade words once a grade is recorded for the intake shown. */
  outcome?: string | null;
  grade?: string | null;
}

/** One bench connected to (or lost by) this workstation. */
export interface BenchView {
  /** Serial port path, e.g. `/dev/ttyACM0`; known even before the bench answers HELLO. */
  port: string;
  /** Bench serial from HELLO; null until the bench has introduced itself. */
  serial: string | null;
  /** Bench model from HELLO; null until the bench has introduced itself. */
  model: string | null;
  state: BenchState;
  slots: SlotView[];
}
