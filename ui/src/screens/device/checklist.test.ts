import { describe, expect, it } from 'vitest';
import { phoneDetail, phoneQuestions, INTAKE_ID, DEVICE_ID } from '../../test/deviceFixtures';
import { answerForKey, buildChecklist, gradeParams, levelForKey } from './checklist';
import { confirmationFor } from './erase';

describe('the checklist', () => {
  it('lists the bench results, then the open items, then the zones', () => {
    const checklist = buildChecklist(phoneDetail, phoneQuestions);
    expect(checklist.rows.map((row) => [row.id, row.source])).toEqual([
      ['camera_rear', 'bench'],
      ['wifi', 'bench'],
      ['nfc', 'bench'],
      ['charges', 'technician'],
      ['biometrics', 'technician'],
    ]);
    expect(checklist.zones.map((zone) => zone.zone)).toEqual(['screen']);
    // A skipped bench test is untested, not passed.
    expect(checklist.answers).toEqual({ camera_rear: 'fail', wifi: 'pass' });
  });

  it('carries over the answers of an earlier grade of the same intake, and not of another', () => {
    const graded = {
      ...phoneDetail,
      grade: {
        grade_id: 'g',
        intake_id: INTAKE_ID,
        graded_at: '2026-12-01T10:00:00Z',
        operator: 'ana',
        outcome: 'repair',
        grade: 'GOOD',
        buyback_grade: 'FUNCTIONAL_GOOD',
        partial: true,
        reasons: [],
        answers: { touch: 'pass' },
        zones: { back: 'light' },
      },
    };
    const same = buildChecklist(graded, phoneQuestions);
    expect(same.answers.touch).toBe('pass');
    expect(same.levels).toEqual({ back: 'light' });
    expect(same.rows.some((row) => row.id === 'touch')).toBe(true);
    const other = buildChecklist({ ...graded, grade: { ...graded.grade, intake_id: 'another' } }, phoneQuestions);
    expect(other.answers.touch).toBeUndefined();
    expect(other.levels).toEqual({});
  });

  it('reads single keys: P, F, N for items and 0–4 for zones', () => {
    expect(['p', 'P', 'f', 'n', 'x'].map(answerForKey)).toEqual(['pass', 'pass', 'fail', 'na', null]);
    expect(['0', '2', '4', '5', '1.5', 'a'].map(levelForKey)).toEqual([
      'flawless',
      'light',
      'cracked',
      null,
      null,
      null,
    ]);
  });

  it('sends only the technician’s answers: the bench’s results are the engine’s own', () => {
    const checklist = buildChecklist(phoneDetail, phoneQuestions);
    const params = gradeParams(
      DEVICE_ID,
      checklist,
      { ...checklist.answers, charges: 'pass', biometrics: 'na' },
      { screen: 'micro' },
      { partial: false, lang: 'fr' },
    );
    expect(params).toEqual({
      device: DEVICE_ID,
      checks: { charges: 'pass', biometrics: 'na' },
      cosmetic: { screen: 'micro' },
      photos: [],
      policy: null,
      partial: false,
      explain: true,
      lang: 'fr',
    });
  });
});

describe('the erase confirmation', () => {
  it('asks for what the engine names, and for an image its file name', () => {
    const refusal = (confirm_with: unknown, target = '/tmp/disks/disk.img') => ({
      code: 'refused' as const,
      message: 'not confirmed',
      hint: 'confirm',
      details: { confirm_with, target },
    });
    expect(confirmationFor(refusal({ kind: 'serial' }))).toEqual({ kind: 'serial' });
    expect(confirmationFor(refusal({ kind: 'kernel_name', name: 'sdb' }))).toEqual({ kind: 'kernel_name', name: 'sdb' });
    expect(confirmationFor(refusal({ kind: 'image' }))).toEqual({ kind: 'image', name: 'disk.img' });
    expect(confirmationFor({ code: 'data', message: 'x', hint: null, details: null })).toBeNull();
  });
});
