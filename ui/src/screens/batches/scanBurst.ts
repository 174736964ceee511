// A barcode scanner is a keyboard that types a whole code in a few milliseconds and ends it with
// Enter. Telling its burst from a person's typing lets the Batches screen send a scan to the
// receiving field even when the focus is in another field: the burst is taken back out of that
// field and received as a scan.

/** Keys further apart than this are a person typing, not a scanner. */
export const SCAN_MAX_GAP_MS = 50;
/** The shortest code a scan gives (serial numbers are short; IMEIs are 15 digits). */
export const SCAN_MIN_LENGTH = 4;

/** Follows key presses and says when a burst ending in Enter was a scan. */
export class ScanBurst {
  private typed = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxGapMs: number = SCAN_MAX_GAP_MS,
    private readonly minLength: number = SCAN_MIN_LENGTH,
  ) {}

  /**
   * Takes a key press (`event.key`) at `at` milliseconds: returns the scanned code when it is the
   * Enter ending a burst, else `null`. Keys that type nothing (Shift…) neither extend nor break a
   * burst.
   */
  key(key: string, at: number): string | null {
    const quick = at - this.last <= this.maxGapMs;
    if (key === 'Enter') {
      const code = quick && this.typed.length >= this.minLength ? this.typed : null;
      this.reset();
      return code;
    }
    if (key.length !== 1) return null;
    this.typed = quick ? this.typed + key : key;
    this.last = at;
    return null;
  }

  /** Forgets the keys so far. */
  reset(): void {
    this.typed = '';
    this.last = Number.NEGATIVE_INFINITY;
  }
}

/**
 * A field's text with a scanner's burst taken back out: the last occurrence of `burst` before
 * the caret (where the scanner typed it), or `value` unchanged when it is not there.
 */
export function withoutBurst(value: string, burst: string, caret: number = value.length): { value: string; caret: number } {
  const at = value.lastIndexOf(burst, caret - burst.length);
  if (burst === '' || at < 0 || at + burst.length > caret) return { value, caret };
  return { value: value.slice(0, at) + value.slice(at + burst.length), caret: at };
}
