import { describe, expect, it } from 'vitest';
import type { StationBatch } from './bindings/StationBatch';
import {
  askForChanges,
  type ChangesSource,
  COALESCE_SWITCH_KEY,
  coalescePerFrame,
  InputPriority,
  MAX_DEFERRED_FRAMES,
  publisher,
  PULL_INTERVAL_MS,
  PULL_RETRY_MS,
} from './stationFeed';

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

describe('askForChanges (the page asks the shell for what changed)', () => {
  function batch(seq: number): StationBatch {
    return { seq, benches: [], slots: [] };
  }

  /** A shell whose answers the test gives, a clock the test moves, and sleeps that move it. */
  function shell() {
    const questions: number[] = [];
    const answers: { resolve: (b: StationBatch) => void; reject: (e: unknown) => void }[] = [];
    const sleeps: number[] = [];
    let clock = 0;
    const source: ChangesSource = {
      ask: (after) => {
        questions.push(after);
        return new Promise((resolve, reject) => answers.push({ resolve, reject }));
      },
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
    };
    return {
      source,
      questions,
      sleeps,
      advance: (ms: number) => {
        clock += ms;
      },
      answer: async (b: StationBatch) => {
        answers.shift()?.resolve(b);
        await new Promise((r) => setTimeout(r, 0));
      },
      fail: async (e: unknown) => {
        answers.shift()?.reject(e);
        await new Promise((r) => setTimeout(r, 0));
      },
    };
  }

  it('asks after the snapshot, then after each batch it took, at most once per interval', async () => {
    const s = shell();
    const taken: number[] = [];
    const stop = askForChanges(s.source, 7, (b) => taken.push(b.seq));
    expect(s.questions).toEqual([7]);
    s.advance(5);
    await s.answer(batch(12));
    expect(taken).toEqual([12]);
    // Answered 5 ms after asking: it waits the rest of the interval, then asks from 12.
    expect(s.sleeps).toEqual([PULL_INTERVAL_MS - 5]);
    expect(s.questions).toEqual([7, 12]);
    // An answer that took longer than the interval is followed by a question at once.
    s.advance(PULL_INTERVAL_MS + 10);
    await s.answer(batch(20));
    expect(s.sleeps).toEqual([PULL_INTERVAL_MS - 5]);
    expect(s.questions).toEqual([7, 12, 20]);
    expect(taken).toEqual([12, 20]);
    stop();
  });

  it('takes nothing from an answer that says nothing changed, and asks again from the same number', async () => {
    const s = shell();
    const taken: number[] = [];
    const stop = askForChanges(s.source, 3, (b) => taken.push(b.seq));
    s.advance(PULL_INTERVAL_MS);
    await s.answer(batch(3));
    expect(taken).toEqual([]);
    expect(s.questions).toEqual([3, 3]);
    stop();
  });

  it('waits and asks again after a failed question, saying what failed', async () => {
    const s = shell();
    const errors: unknown[] = [];
    const stop = askForChanges(s.source, 0, () => undefined, (e) => errors.push(e));
    await s.fail('shell gone');
    expect(errors).toEqual(['shell gone']);
    expect(s.sleeps).toEqual([PULL_RETRY_MS]);
    expect(s.questions).toEqual([0, 0]);
    stop();
  });

  it('drops an answer that comes after it was stopped, and asks no more', async () => {
    const s = shell();
    const taken: number[] = [];
    const stop = askForChanges(s.source, 0, (b) => taken.push(b.seq));
    stop();
    await s.answer(batch(4));
    expect(taken).toEqual([]);
    expect(s.questions).toEqual([0]);
  });
});
