import { describe, expect, it } from 'vitest';
import { stepKey } from './manual';

describe('stepKey', () => {
  it('reads both languages’ keys, in either case', () => {
    expect(['y', 'Y', 'o', 'O'].map(stepKey)).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect(['n', 'N'].map(stepKey)).toEqual(['no', 'no']);
    expect(['s', 'p', 'P'].map(stepKey)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(['q', 'Escape'].map(stepKey)).toEqual(['quit', 'quit']);
    expect(['x', 'Enter', '1', 'ArrowDown'].map(stepKey)).toEqual([null, null, null, null]);
  });
});
