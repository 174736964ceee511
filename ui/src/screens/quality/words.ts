// The engine's words (verdicts, outcomes, grades) as the quality screen shows them, and the
// choices its filters offer. The words themselves are the engine's; only their labels are here.
import { t, type Lang, type MessageKey } from '../../i18n';

export const WORDS = {
  battery: ['pass', 'replace', 'consumed', 'unknown', 'absent'],
  lock: ['clear', 'blocked', 'unknown'],
  outcome: ['sellable', 'repair', 'recycle', 'hold', 'blocked'],
  grade: ['PREMIUM', 'EXCELLENT', 'VERY_GOOD', 'GOOD', 'FAIR', 'STALLONE'],
} as const;

export type WordKind = keyof typeof WORDS;

/** The label of one of the engine's words; an unknown word shows as itself. */
export function wordLabel(lang: Lang, kind: WordKind, word: string): string {
  const known = (WORDS[kind] as readonly string[]).includes(word);
  if (!known) return word;
  const key = `quality.${kind}.${word.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase())}`;
  return t(lang, key as MessageKey);
}
