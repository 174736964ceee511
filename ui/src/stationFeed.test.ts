import { describe, expect, it } from 'vitest';
import { COALESCE_SWITCH_KEY, coalescePerFrame, InputPriority, MAX_DEFERRED_FRAMES, publisher } from './stationFeed';

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

describe('input priority (the station gives way to a key press for a frame)', () => {
  function frames() {
    const queue: (() => void)[] = [];
    return {
      schedule: (run: () => void) => queue.push(run),
      /** Runs the callbacks waiting for the next frame; answers how many ran. */
      tick: () => {
        const now = queue.splice(0);
        now.forEach((run) => run());
        return now.length;
      },
    };
  }

  it('delivers at the next frame when no input came', () => {
    const frame = frames();
    const input = new InputPriority();
    const seen: number[] = [];
    const publish = coalescePerFrame<number>((value) => seen.push(value), frame.schedule, input);
    publish(1);
    publish(2);
    frame.tick();
    expect(seen).toEqual([2]);
  });

  it('leaves the frame of a key press to the key, and delivers the latest value in the next one', () => {
    const frame = frames();
    const input = new InputPriority();
    const seen: number[] = [];
    const publish = coalescePerFrame<number>((value) => seen.push(value), frame.schedule, input);
    publish(1);
    input.noteInput();
    frame.tick();
    expect(seen).toEqual([]);
    publish(2);
    frame.tick();
    expect(seen).toEqual([2]);
    // Nothing more waits.
    expect(frame.tick()).toBe(0);
  });

  it('gives way at most MAX_DEFERRED_FRAMES frames in a row, however fast the keys come', () => {
    const frame = frames();
    const input = new InputPriority();
    const seen: number[] = [];
    const publish = coalescePerFrame<number>((value) => seen.push(value), frame.schedule, input);
    publish(1);
    for (let n = 0; n < MAX_DEFERRED_FRAMES; n += 1) {
      input.noteInput();
      frame.tick();
      expect(seen).toEqual([]);
    }
    input.noteInput();
    frame.tick();
    expect(seen).toEqual([1]);
    // The count starts again after a delivery.
    publish(2);
    input.noteInput();
    frame.tick();
    expect(seen).toEqual([1]);
    frame.tick();
    expect(seen).toEqual([1, 2]);
  });

  it('hears key presses and pointer presses on the window it listens to, until stopped', () => {
    const input = new InputPriority();
    const stop = input.listen(window);
    expect(input.takePending()).toBe(false);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    expect(input.takePending()).toBe(true);
    expect(input.takePending()).toBe(false);
    window.dispatchEvent(new Event('pointerdown'));
    expect(input.takePending()).toBe(true);
    stop();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    expect(input.takePending()).toBe(false);
  });

  it('is used by the publisher when coalescing, and ignored by the peer switch', () => {
    const frame = frames();
    const input = new InputPriority();
    const seen: number[] = [];
    const publish = publisher<number>((value) => seen.push(value), storage(null), input, frame.schedule);
    publish(1);
    input.noteInput();
    frame.tick();
    expect(seen).toEqual([]);
    frame.tick();
    expect(seen).toEqual([1]);
    const peer: number[] = [];
    const direct = publisher<number>((value) => peer.push(value), storage('off'), input, frame.schedule);
    input.noteInput();
    direct(1);
    expect(peer).toEqual([1]);
  });
});
