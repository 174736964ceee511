// The device screen's checklist as data: the bench's results, the manual items still to answer and
// the zones to inspect, with the technician's answers. Pure, so the keys and the parameters sent to
// the engine are tested without a window. The engine decides which questions are open and what the
// answers mean; this only gathers them.
import type { DeviceDetail } from '../../bindings/DeviceDetail';
import type { GradeParams } from '../../bindings/GradeParams';
import type { OpenQuestions } from '../../bindings/OpenQuestions';

export type Answer = 'pass' | 'fail' | 'na';
export const LEVELS = ['flawless', 'micro', 'light', 'visible', 'cracked'] as const;
export type Level = (typeof LEVELS)[number];

export interface ChecklistRow {
  /** The checklist item id (`charges`) or the bench test's name (`camera_rear`). */
  id: string;
  /** The question as the engine words it; the id for bench tests and carried-over answers. */
  text: string;
  /** Bench results are read, not answered; manual items take P, F or N. */
  source: 'bench' | 'technician';
  /** The answers the engine allows for this item. */
  allowed: readonly string[];
}

export interface ZoneRow {
  zone: string;
  text: string;
}

export interface Checklist {
  rows: ChecklistRow[];
  zones: ZoneRow[];
  /** Answers already given: the bench's results and those carried over from a grade of the same intake. */
  answers: Record<string, Answer>;
  levels: Record<string, Level>;
}

function isLevel(word: string): word is Level {
  return (LEVELS as readonly string[]).includes(word);
}

function isAnswer(word: string): word is Answer {
  return word === 'pass' || word === 'fail' || word === 'na';
}

/** The checklist of the device's latest intake. */
export function buildChecklist(detail: DeviceDetail, open: OpenQuestions | null): Checklist {
  const rows: ChecklistRow[] = [];
  const zones: ZoneRow[] = [];
  const answers: Record<string, Answer> = {};
  const levels: Record<string, Level> = {};
  for (const test of detail.intake?.tests ?? []) {
    rows.push({ id: test.name, text: test.name, source: 'bench', allowed: [] });
    // A skipped bench test was not tested: no answer.
    if (test.outcome === 'pass' || test.outcome === 'fail') answers[test.name] = test.outcome;
  }
  for (const question of open?.questions ?? []) {
    if (question.kind === 'item') {
      rows.push({ id: question.id, text: question.text, source: 'technician', allowed: question.answers });
    } else {
      zones.push({ zone: question.id, text: question.text });
    }
  }
  // Answers of an earlier grade of the same intake count as given; they can still be changed.
  const grade = detail.grade;
  if (grade !== null && detail.intake !== null && grade.intake_id === detail.intake.intake_id) {
    for (const [item, word] of Object.entries(grade.answers)) {
      if (!isAnswer(word)) continue;
      if (!rows.some((row) => row.id === item)) {
        rows.push({ id: item, text: item, source: 'technician', allowed: ['pass', 'fail', 'na'] });
      }
      answers[item] = word;
    }
    for (const [zone, word] of Object.entries(grade.zones)) {
      if (!isLevel(word)) continue;
      if (!zones.some((row) => row.zone === zone)) zones.push({ zone, text: zone });
      levels[zone] = word;
    }
  }
  return { rows, zones, answers, levels };
}

/** The answer a key gives a manual item: P pass, F fail, N not applicable. */
export function answerForKey(key: string): Answer | null {
  switch (key.toLowerCase()) {
    case 'p':
      return 'pass';
    case 'f':
      return 'fail';
    case 'n':
      return 'na';
    default:
      return null;
  }
}

/** The level a digit gives a zone: 0 flawless … 4 cracked. */
export function levelForKey(key: string): Level | null {
  const index = Number.parseInt(key, 10);
  return Number.isInteger(index) && String(index) === key ? (LEVELS[index] ?? null) : null;
}

/** What to send the engine: the technician's answers (the bench's results are its own). */
export function gradeParams(
  device: string,
  checklist: Checklist,
  answers: Record<string, Answer>,
  levels: Record<string, Level>,
  options: { partial: boolean; lang: GradeParams['lang'] },
): GradeParams {
  const technician = new Set(checklist.rows.filter((row) => row.source === 'technician').map((row) => row.id));
  const checks: Record<string, Answer> = {};
  for (const [item, answer] of Object.entries(answers)) {
    if (technician.has(item)) checks[item] = answer;
  }
  return {
    device,
    checks,
    cosmetic: { ...levels },
    photos: [],
    policy: null,
    partial: options.partial,
    explain: true,
    lang: options.lang,
  };
}
