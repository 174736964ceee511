import { describe, expect, it } from 'vitest';
import { ScanBurst, withoutBurst } from './scanBurst';

/** Feeds `keys` `gap` ms apart from `start`; returns what the last key answered. */
function feed(burst: ScanBurst, keys: string[], gap: number, start = 1_000): string | null {
  let answer: string | null = null;
  keys.forEach((key, index) => {
    answer = burst.key(key, start + index * gap);
  });
  return answer;
}

describe('ScanBurst', () => {
  it('takes a quick burst ending in Enter for a scan', () => {
    const burst = new ScanBurst();
    expect(feed(burst, [...'490154203237518', 'Enter'], 8)).toBe('490154203237518');
  });

  it('leaves a person typing alone, however the word ends', () => {
    const burst = new ScanBurst();
    expect(feed(burst, [...'Acme', 'Enter'], 180)).toBeNull();
  });

  it('keeps only the quick keys: a pause before the burst does not count', () => {
    const burst = new ScanBurst();
    expect(burst.key('x', 0)).toBeNull();
    expect(feed(burst, [...'SN-0042', 'Enter'], 5, 2_000)).toBe('SN-0042');
  });

  it('refuses too short a burst, and a burst whose Enter comes late', () => {
    const burst = new ScanBurst();
    expect(feed(burst, ['a', 'b', 'Enter'], 5)).toBeNull();
    expect(burst.key('1', 0)).toBeNull();
    feed(burst, [...'2345'], 5, 5);
    expect(burst.key('Enter', 500)).toBeNull();
  });

  it('ignores keys that type nothing within a burst', () => {
    const burst = new ScanBurst();
    expect(feed(burst, ['S', 'Shift', 'N', '1', '2', 'Enter'], 4)).toBe('SN12');
  });
});

describe('withoutBurst', () => {
  it('takes the burst back out before the caret', () => {
    expect(withoutBurst('Acme490154203237518', '490154203237518')).toEqual({ value: 'Acme', caret: 4 });
    expect(withoutBurst('Ac490154203237518me', '490154203237518', 17)).toEqual({ value: 'Acme', caret: 2 });
  });

  it('leaves a field without the burst as it is', () => {
    expect(withoutBurst('Acme', '490154203237518')).toEqual({ value: 'Acme', caret: 4 });
    expect(withoutBurst('Acme', '')).toEqual({ value: 'Acme', caret: 4 });
  });
});
