import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { LockConfirmed } from '../bindings/LockConfirmed';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, INTAKE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };

const unknownLock: DeviceDetail = {
  ...phoneDetail,
  intake: { ...phoneDetail.intake!, lock: { ...phoneDetail.intake!.lock, mdm: 'unknown', verdict: 'unknown' } },
};

const confirmation = {
  id: '33333333-3333-4333-8333-333333333333',
  device_id: DEVICE_ID,
  intake_id: INTAKE_ID,
  verdict: 'clear' as const,
  note: 'MDM console: not enrolled',
  operator: 'bea',
  confirmed_at: '2026-12-01T10:00:00Z',
  station_id: '44444444-4444-4444-8444-444444444444',
};

const confirmedDetail: DeviceDetail = {
  ...unknownLock,
  lock_confirmations: [confirmation],
  grade: {
    grade_id: '55555555-5555-4555-8555-555555555555',
    intake_id: INTAKE_ID,
    graded_at: '2026-12-01T10:00:00Z',
    operator: 'bea',
    outcome: 'sellable',
    grade: 'VERY_GOOD',
    buyback_grade: 'FUNCTIONAL_VERY_GOOD',
    partial: false,
    reasons: [],
    answers: {},
    zones: {},
  },
  history: [
    ...phoneDetail.history,
    { at: confirmation.confirmed_at, kind: 'lock', id: confirmation.id, operator: 'bea', summary: 'clear: MDM console: not enrolled' },
  ],
};

describe('DeviceScreen locks', () => {
  it('confirms an unknown lock with a required note, then reloads and shows the re-grade and who confirmed', async () => {
    const calls: Calls = [];
    let shown = unknownLock;
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(shown),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        lockConfirm: () => {
          shown = confirmedDetail;
          return Promise.resolve({
            confirmation,
            regrade: { status: 'incomplete', items: ['charges'], zones: ['screen'] },
          } satisfies LockConfirmed);
        },
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);

    const clear = (await screen.findByTestId('lock-confirm-clear')) as HTMLButtonElement;
    const blocked = screen.getByTestId('lock-confirm-blocked') as HTMLButtonElement;
    expect(screen.getByTestId('device-lock').getAttribute('data-verdict')).toBe('unknown');
    // No note, no confirmation.
    expect(clear.disabled).toBe(true);
    expect(blocked.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('lock-note'), { target: { value: '   ' } });
    expect(clear.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('lock-note'), { target: { value: ' MDM console: not enrolled ' } });
    expect(clear.disabled).toBe(false);
    fireEvent.click(clear);

    await waitFor(() => expect(screen.getByTestId('lock-confirmation').getAttribute('data-verdict')).toBe('clear'));
    expect(calls.find((call) => call.command === 'lockConfirm')?.params).toEqual({
      device: DEVICE_ID,
      lock: 'clear',
      note: 'MDM console: not enrolled',
      policy: null,
      lang: 'en',
    });
    // Reloaded: the latest grade (the re-grade) and the confirmation with who and when.
    expect(calls.filter((call) => call.command === 'devicesShow').length).toBeGreaterThanOrEqual(2);
    expect(screen.getByTestId('lock-confirmation').textContent).toContain('bea');
    expect(screen.getByTestId('lock-confirmation').textContent).toContain('MDM console: not enrolled');
    expect(screen.getByTestId('lock-regrade').getAttribute('data-status')).toBe('incomplete');
    expect(screen.getByTestId('grade-outcome').textContent).toBe('sellable');
    expect(screen.getByTestId('lock-history').textContent).toContain('bea');
    expect(screen.getByTestId('history').textContent).toContain('clear: MDM console: not enrolled');
  });

  it('offers no confirmation when the bench read the locks', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(phoneDetail),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
    });
    render(<DeviceScreen lang="fr" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    expect((await screen.findByTestId('device-lock')).getAttribute('data-verdict')).toBe('clear');
    expect(screen.queryByTestId('lock-confirm-clear')).toBeNull();
  });

  it('shows the engine refusal of a confirmation', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(unknownLock),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      lockConfirm: () =>
        Promise.reject({ code: 'refused', message: 'only an unknown verdict is confirmed', hint: 'Read it again', details: null }),
    });
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.change(await screen.findByTestId('lock-note'), { target: { value: 'portal' } });
    fireEvent.click(screen.getByTestId('lock-confirm-blocked'));
    expect((await screen.findByTestId('error')).getAttribute('data-code')).toBe('refused');
  });
});
