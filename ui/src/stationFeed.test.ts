import { describe, expect, it } from 'vitest';
import { COALESCE_SWITCH_KEY, publisher } from './stationFeed';

function storage(value: string | null): Pick<Storage, 'getItem'> {
  return { getItem: (key: string) => (key === COALESCE_SWITCH_KEY ? value : null) };
}

describe('publisher (the benchmark-only coalescing switch)', () => {
  it('coalesces by default: nothing reaches the screen before the frame', () => {
    for (const store of [null, storage(null), storage('on')]) {
      const seen: number[] = [];
      const publish = publisher<number>((value) => seen.push(value), store);
      publish(1);
      publish(2);
      expect(seen).toEqual([]);
    }
  });

  it('hands every change over at once when the switch says off', () => {
    const seen: number[] = [];
    const publish = publisher<number>((value) => seen.push(value), storage('off'));
    publish(1);
    publish(2);
    expect(seen).toEqual([1, 2]);
  });

  it('keeps the default when the storage cannot be read', () => {
    const seen: number[] = [];
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    const publish = publisher<number>((value) => seen.push(value), broken);
    publish(1);
    expect(seen).toEqual([]);
  });
});
