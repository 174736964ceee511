// The keys of a manual factory reset's steps. The engine's question names them in its language
// (`[y]es / [n]o / [s]kip / [q]uit`, `[o]ui / [n]on / [p]asser / [q]uitter`); both languages'
// keys are understood whatever the language shown, as at the terminal.

export type StepAnswer = 'yes' | 'no' | 'skipped';

/** What a key press says about the current step: an answer, `quit`, or null (not an answer). */
export function stepKey(key: string): StepAnswer | 'quit' | null {
  switch (key.toLowerCase()) {
    case 'y':
    case 'o':
      return 'yes';
    case 'n':
      return 'no';
    case 's':
    case 'p':
      return 'skipped';
    case 'q':
    case 'escape':
      return 'quit';
    default:
      return null;
  }
}
