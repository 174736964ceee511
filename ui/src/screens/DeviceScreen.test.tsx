import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { GradeOutcome } from '../bindings/GradeOutcome';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, INTAKE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };

function gradeOutcome(): GradeOutcome {
  return {
    report: {
      grade_id: 'grade-1',
      device_id: DEVICE_ID,
      intake_id: INTAKE_ID,
      outcome: 'repair',
      grade: 'GOOD',
      buyback_grade: 'FUNCTIONAL_GOOD',
      ctia: { functional: 2, cosmetic: 'B' },
      functional: 'serviceable',
      reasons: [{ rule: 'battery.replace', inputs: {}, text: 'The battery needs replacing.', texts: {} }],
      policy: { name: 'backmarket-default', version: '1', sha256: 'abc', catalogue: '1' } as never,
      partial: false,
      unanswered_items: [],
      uninspected_zones: [],
      checklist: [],
      carried_over_from: null,
      overrides: [],
      trace: [
        { rule: 'battery.replace', line: 12, fired: true, conditions: [{ condition: 'soh_below = 85', input: 'soh_pct = 84.9', held: true }], effects: 'outcome = repair' },
      ],
    },
    device: { device_id: DEVICE_ID } as never,
    carried_over: null,
  };
}

describe('DeviceScreen', () => {
  it('shows identity and battery, answers the checklist by keyboard and grades with those answers', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(phoneDetail),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        gradeRecord: () => Promise.resolve(gradeOutcome()),
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={api} device="356728114587211" onBack={() => undefined} />);

    const imei = await screen.findByTestId('device-imei');
    expect(imei.textContent).toBe('356728114587211');
    expect(imei.getAttribute('data-valid')).toBe('true');
    expect(screen.getByTestId('device-soh').textContent).toBe('84.9 %');
    expect(screen.getByTestId('device-soh').getAttribute('data-verdict')).toBe('replace');
    await waitFor(() => expect(screen.getByTestId('checklist-charges')).toBeTruthy());
    expect(screen.getByTestId('checklist-camera_rear').getAttribute('data-answer')).toBe('fail');
    expect(screen.getByTestId('checklist-nfc').getAttribute('data-answer')).toBe('');

    const list = screen.getByTestId('checklist');
    list.focus();
    // Bench rows take no keys: move past them to the manual items.
    fireEvent.keyDown(list, { key: 'p' });
    expect(screen.getByTestId('checklist-camera_rear').getAttribute('data-answer')).toBe('fail');
    for (let i = 0; i < 3; i += 1) fireEvent.keyDown(list, { key: 'ArrowDown' });
    // `na` is not an answer the engine allows for charging: ignored.
    fireEvent.keyDown(list, { key: 'n' });
    expect(screen.getByTestId('checklist-charges').getAttribute('data-answer')).toBe('');
    fireEvent.keyDown(list, { key: 'p' });
    fireEvent.keyDown(list, { key: 'N' });
    fireEvent.keyDown(list, { key: '1' });
    expect(screen.getByTestId('checklist-charges').getAttribute('data-answer')).toBe('pass');
    expect(screen.getByTestId('checklist-biometrics').getAttribute('data-answer')).toBe('na');
    expect(screen.getByTestId('zone-screen').getAttribute('data-level')).toBe('micro');

    fireEvent.click(screen.getByTestId('grade-submit'));
    await waitFor(() => expect(screen.getByTestId('grade-outcome').textContent).toBe('repair'));
    expect(screen.getByTestId('grade-grade').textContent).toBe('GOOD');
    expect(screen.getByTestId('grade-reasons').textContent).toContain('The battery needs replacing.');
    const sent = calls.find((call) => call.command === 'gradeRecord')?.params;
    expect(sent).toMatchObject({
      device: DEVICE_ID,
      checks: { charges: 'pass', biometrics: 'na' },
      cosmetic: { screen: 'micro' },
      lang: 'en',
    });
    // The rule trace is behind "why?".
    expect(screen.queryByTestId('grade-trace')).toBeNull();
    fireEvent.click(screen.getByTestId('grade-why'));
    expect(within(screen.getByTestId('grade-trace')).getByText(/soh_below = 85/)).toBeTruthy();
  });

  it('shows an engine refusal with its next step and records nothing on screen', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(phoneDetail),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      gradeRecord: () =>
        Promise.reject({
          code: 'incomplete',
          message: 'cannot grade yet: charges unanswered',
          hint: 'Answer the open items, or grade partially.',
          details: null,
        }),
    });
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.click(await screen.findByTestId('grade-submit'));
    const error = await screen.findByTestId('error');
    expect(error.getAttribute('data-code')).toBe('incomplete');
    expect(screen.getByTestId('error-hint').textContent).toBe('Answer the open items, or grade partially.');
    expect(screen.queryByTestId('grade-outcome')).toBeNull();
  });

  it('erases only after the confirmation the engine asks for is typed', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(phoneDetail),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        eraseDrive: (params) =>
          params.confirmation.kind === 'none'
            ? Promise.reject({
                code: 'refused',
                message: 'not confirmed',
                hint: 'confirm',
                details: { confirm_with: { kind: 'image' }, target: '/tmp/disk.img' },
              })
            : Promise.resolve({ record: {}, direct_io: false, outcome: 'verified', finding: null, note: null, failure: null }),
      },
      calls,
    );
    render(<DeviceScreen lang="fr" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.change(await screen.findByTestId('erase-target'), { target: { value: '/tmp/disk.img' } });
    fireEvent.click(screen.getByTestId('erase-start'));
    const typed = await screen.findByTestId('erase-confirm');
    const submit = screen.getByTestId('erase-confirm-submit') as HTMLButtonElement;
    fireEvent.change(typed, { target: { value: 'other.img' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(typed, { target: { value: 'disk.img' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('erase-result').getAttribute('data-outcome')).toBe('verified'));
    const erases = calls.filter((call) => call.command === 'eraseDrive').map((call) => call.params);
    expect(erases).toMatchObject([
      { target: '/tmp/disk.img', confirmation: { kind: 'none' }, device: DEVICE_ID, lang: 'fr' },
      { target: '/tmp/disk.img', confirmation: { kind: 'image' }, device: DEVICE_ID, lang: 'fr' },
    ]);
  });
});
