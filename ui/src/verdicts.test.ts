import { describe, expect, it } from 'vitest';
import { LANGUAGES, t } from './i18n';
import {
  BATTERY_VERDICTS,
  BENCH_STATES,
  LOCK_VERDICTS,
  SLOT_STATES,
  type BatteryVerdict,
  type LockVerdict,
  type SlotState,
} from './types';
import {
  presentBattery,
  presentBenchState,
  presentLock,
  presentSlotState,
  type Presentation,
} from './verdicts';

function wordsFor(presentations: Presentation[]) {
  return LANGUAGES.map((lang) => presentations.map((p) => t(lang, p.labelKey)));
}

describe('verdict presentation', () => {
  it('gives every battery verdict, and "not read yet", its own word in each language', () => {
    const all = [...BATTERY_VERDICTS.map(presentBattery), presentBattery(null)];
    for (const words of wordsFor(all)) {
      expect(new Set(words).size).toBe(all.length);
    }
  });

  it('gives every lock verdict, and "not read yet", its own word in each language', () => {
    const all = [...LOCK_VERDICTS.map(presentLock), presentLock(null)];
    for (const words of wordsFor(all)) {
      expect(new Set(words).size).toBe(all.length);
    }
  });

  it('gives every slot and bench state its own word in each language', () => {
    for (const words of wordsFor(SLOT_STATES.map(presentSlotState))) {
      expect(new Set(words).size).toBe(SLOT_STATES.length);
    }
    for (const words of wordsFor(BENCH_STATES.map(presentBenchState))) {
      expect(new Set(words).size).toBe(BENCH_STATES.length);
    }
  });

  it('colours good, bad and doubtful outcomes differently', () => {
    expect(presentBattery('pass').tone).toBe('good');
    expect(presentBattery('replace').tone).toBe('warning');
    expect(presentBattery('consumed').tone).toBe('bad');
    expect(presentBattery('absent').tone).toBe('neutral');
    expect(presentLock('clear').tone).toBe('good');
    expect(presentLock('blocked').tone).toBe('bad');
    expect(presentLock('unknown').tone).toBe('warning');
    expect(presentSlotState('failed').tone).toBe('bad');
    expect(presentSlotState('recorded').tone).toBe('good');
    expect(presentBenchState('disconnected').tone).toBe('bad');
  });

  it('shows a value newer than this screen as unknown instead of failing', () => {
    expect(presentBattery('swollen' as BatteryVerdict).labelKey).toBe('verdict.battery.unknown');
    expect(presentLock('frp' as LockVerdict).labelKey).toBe('verdict.lock.unknown');
    expect(presentSlotState('paused' as SlotState).labelKey).toBe('slot.state.unknown');
  });
});
