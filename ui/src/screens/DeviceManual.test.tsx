import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { ManualPlan } from '../bindings/ManualPlan';
import type { ManualReset } from '../bindings/ManualReset';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };
const ERASURE_ID = '77777777-7777-4777-8777-777777777777';

const plan: ManualPlan = {
  device_id: DEVICE_ID,
  make: 'Apple',
  model: 'iPhone 12',
  checklist_version: '3',
  platform: 'ios',
  platform_name: 'iPhone and iPad',
  lang: 'fr',
  steps: [
    { id: 'sign_out', text: 'Se déconnecter de l’identifiant Apple', required: true },
    { id: 'remove_sim', text: 'Retirer la carte SIM', required: false },
    { id: 'erase_all', text: 'Effacer contenu et réglages', required: true },
  ],
  words: { intro: 'Réinitialisation manuelle', required: 'obligatoire', optional: 'facultative', question: 'Fait ? [o]ui / [n]on / [p]asser / [q]uitter : ', again: '' },
  introduction: 'Réinitialisation manuelle — Apple iPhone 12 — iPhone and iPad (3 steps, checklist 3)',
};

const reset: ManualReset = { record: {}, end: { end: 'verified' }, platform_name: 'iPhone and iPad', finding: null, note: null, failure: null };

const resetDone: DeviceDetail = {
  ...phoneDetail,
  erasures: [
    {
      erasure_id: ERASURE_ID,
      method: 'manual-ios',
      status: 'verified',
      started_at: '2026-12-01T12:00:00Z',
      finished_at: '2026-12-01T12:05:00Z',
      operator: 'ana',
      size_bytes: 0,
    },
  ],
};

function api(calls: Calls, detail: { shown: DeviceDetail }) {
  return fakeApi(
    {
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(detail.shown),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      eraseManualPlan: () => Promise.resolve(plan),
      eraseManualAnswer: () => {
        detail.shown = resetDone;
        return Promise.resolve(reset);
      },
    },
    calls,
  );
}

describe('DeviceScreen manual reset', () => {
  it('asks each step in turn, answered with keys, records the answers and offers the certificate', async () => {
    const calls: Calls = [];
    render(<DeviceScreen lang="fr" api={api(calls, { shown: phoneDetail })} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.click(await screen.findByTestId('manual-start'));
    let step = await screen.findByTestId('manual-step');
    expect(step.getAttribute('data-step')).toBe('sign_out');
    expect(step.textContent).toContain('Étape 1 sur 3');
    expect(step.textContent).toContain('obligatoire');
    // Not an answer: nothing moves.
    fireEvent.keyDown(step, { key: 'x' });
    expect(screen.getByTestId('manual-step').getAttribute('data-step')).toBe('sign_out');
    fireEvent.keyDown(step, { key: 'o' });
    step = screen.getByTestId('manual-step');
    expect(step.getAttribute('data-step')).toBe('remove_sim');
    expect(screen.getByTestId('manual-answer-sign_out').getAttribute('data-answer')).toBe('yes');
    fireEvent.keyDown(step, { key: 'p' });
    expect(calls.some((call) => call.command === 'eraseManualAnswer')).toBe(false);
    fireEvent.keyDown(screen.getByTestId('manual-step'), { key: 'y' });

    await waitFor(() => expect(screen.getByTestId('manual-result').getAttribute('data-outcome')).toBe('verified'));
    expect(calls.find((call) => call.command === 'eraseManualPlan')?.params).toEqual({
      device: DEVICE_ID,
      platform: null,
      lang: 'fr',
    });
    expect(calls.find((call) => call.command === 'eraseManualAnswer')?.params).toEqual({
      plan: { device: DEVICE_ID, platform: 'ios', lang: 'fr' },
      answers: { from: 'given', platform: 'ios', answers: { sign_out: 'yes', remove_sim: 'skipped', erase_all: 'yes' } },
    });
    // Reloaded: the verified reset can be certified like a drive erasure.
    expect((await screen.findByTestId('cert-issue')).textContent).toContain('manual-ios');
  });

  it('records the reset interrupted, with the answers given, when stopped before the last step', async () => {
    const calls: Calls = [];
    render(<DeviceScreen lang="en" api={api(calls, { shown: phoneDetail })} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.click(await screen.findByTestId('manual-start'));
    fireEvent.click(await screen.findByTestId('manual-yes'));
    fireEvent.keyDown(screen.getByTestId('manual-step'), { key: 'q' });
    expect((await screen.findByTestId('manual-stopped')).textContent).toContain('interrupted');
    expect(screen.queryByTestId('manual-step')).toBeNull();
    expect(calls.find((call) => call.command === 'eraseManualAnswer')?.params).toEqual({
      plan: { device: DEVICE_ID, platform: 'ios', lang: 'en' },
      answers: { from: 'stopped', platform: 'ios', answers: { sign_out: 'yes' } },
    });
  });

  it('shows a reset that did not verify with its reason', async () => {
    const calls: Calls = [];
    const failing = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(phoneDetail),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        eraseManualPlan: () => Promise.resolve({ ...plan, steps: [plan.steps[0]!] }),
        eraseManualAnswer: () =>
          Promise.resolve({
            ...reset,
            note: 'required step sign_out was not done',
            failure: { code: 'erase_failed', message: 'the manual reset failed', hint: null, details: null },
          }),
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={failing} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.click(await screen.findByTestId('manual-start'));
    fireEvent.keyDown(await screen.findByTestId('manual-step'), { key: 'n' });
    const result = await screen.findByTestId('manual-result');
    expect(result.getAttribute('data-outcome')).toBe('erase_failed');
    expect(result.textContent).toContain('required step sign_out was not done');
    expect(screen.getByTestId('error').getAttribute('data-code')).toBe('erase_failed');
  });

  it('is not offered for a device with a drive', async () => {
    const laptop: DeviceDetail = { ...phoneDetail, identity: { ...phoneDetail.identity, category: 'laptop' } };
    render(<DeviceScreen lang="en" api={api([], { shown: laptop })} device={DEVICE_ID} onBack={() => undefined} />);
    await screen.findByTestId('device-imei');
    expect(screen.queryByTestId('manual')).toBeNull();
  });
});
