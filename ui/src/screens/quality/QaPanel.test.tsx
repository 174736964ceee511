import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Api, WindowError } from '../../api';
import type { QaList } from '../../bindings/QaList';
import type { QaSampleView } from '../../bindings/QaSampleView';
import type { QaVerified } from '../../bindings/QaVerified';
import type { Lang } from '../../i18n';
import { deferred, fakeApi } from '../fakeApi';
import { QaPanel } from './QaPanel';

const DRIVE_ERASURE = '33333333-3333-4333-8333-333333333333';
const PHONE_ERASURE = '44444444-4444-4444-8444-444444444444';

function sample(overrides: Partial<QaSampleView> = {}): QaSampleView {
  return {
    sample_id: 'sample-drive',
    erasure_id: DRIVE_ERASURE,
    technician: 'ana',
    week: '2026-W49',
    reason: 'drawn',
    flagged_by: null,
    queued_at: '2026-12-03T10:00:00Z',
    result: null,
    check_kind: null,
    verified_by: null,
    verified_at: null,
    note: null,
    needs: 'readback',
    target: '/dev/sdb',
    method: 'zero',
    ...overrides,
  };
}

/** A drive to read back, drawn; a phone to check by hand, flagged after a failed sample of bo's. */
const driveSample = sample();
const phoneSample = sample({
  sample_id: 'sample-phone',
  erasure_id: PHONE_ERASURE,
  technician: 'bo',
  week: '2026-W50',
  reason: 'flagged',
  flagged_by: 'sample-old',
  needs: 'manual',
  target: 'Apple iPhone 12',
  method: 'factory_reset',
});

const twoWaiting: QaList = {
  queue: [driveSample, phoneSample],
  checked: [],
  technicians: [
    { technician: 'ana', passed: 3, failed: 1, waiting: 1, pass_rate_pct: 75.4 },
    { technician: 'bo', passed: 0, failed: 0, waiting: 1, pass_rate_pct: null },
  ],
};

const nothingWaiting: QaList = { queue: [], checked: [], technicians: [] };

function verified(of: QaSampleView, result: 'pass' | 'fail'): QaVerified {
  return {
    sample: { ...of, result, verified_by: 'lea', verified_at: '2026-12-04T09:00:00Z' },
    bytes_verified: of.needs === 'readback' ? 512 : null,
    flagged: [],
  };
}

function setup(overrides: Partial<Api>, lang: Lang = 'en') {
  const api = fakeApi(overrides);
  render(<QaPanel lang={lang} api={api} />);
  return api;
}

/** The queue's row for a sample: the drive is the one read back, the phone the one checked by hand. */
function rowOf(which: 'drive' | 'phone'): HTMLElement {
  const needs = which === 'drive' ? 'readback' : 'manual';
  const row = screen.getAllByTestId('qa-sample').find((candidate) => candidate.getAttribute('data-needs') === needs);
  if (row === undefined) throw new Error(`no ${which} row`);
  return row;
}

describe('QaPanel', () => {
  it('lists one row per waiting sample, with how each is checked', async () => {
    const api = setup({ qaList: vi.fn(() => Promise.resolve(twoWaiting)) });

    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(2));
    expect(api.qaList).toHaveBeenCalledTimes(1);
    const [drive, phone] = screen.getAllByTestId('qa-sample');
    // Oldest first, as the engine sends the queue.
    expect(drive!.textContent).toContain('zero by ana in 2026-W49: /dev/sdb');
    expect(drive!.getAttribute('data-needs')).toBe('readback');
    expect(drive!.getAttribute('data-reason')).toBe('drawn');
    expect(drive!.textContent).not.toContain('flagged after a failed sample');
    expect(phone!.textContent).toContain('factory_reset by bo in 2026-W50: Apple iPhone 12');
    expect(phone!.getAttribute('data-needs')).toBe('manual');
    expect(phone!.getAttribute('data-reason')).toBe('flagged');
    expect(phone!.textContent).toContain('flagged after a failed sample');

    // A drive is read back from a path; a phone is checked by hand.
    expect(within(drive!).getByLabelText('Drive or image to read back')).toBeTruthy();
    expect(within(drive!).queryByRole('button', { name: 'Checked: pass' })).toBeNull();
    expect(within(phone!).queryByLabelText('Drive or image to read back')).toBeNull();
    expect(within(phone!).getByRole('button', { name: 'Checked: pass' })).toBeTruthy();
    expect(within(phone!).getByRole('button', { name: 'Checked: fail' })).toBeTruthy();
    expect(screen.queryByText('No erasure waits for a re-check.')).toBeNull();
  });

  it('says the queue is empty, and shows no rates before any technician has a sample', async () => {
    const api = setup({ qaList: vi.fn(() => Promise.resolve(nothingWaiting)) });

    expect(await screen.findByText('No erasure waits for a re-check.')).toBeTruthy();
    expect(api.qaList).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('qa-queue')).toBeNull();
    expect(screen.queryAllByTestId('qa-sample')).toHaveLength(0);
    expect(screen.queryByTestId('qa-rates')).toBeNull();
  });

  it("shows each technician's figures and pass rate as the list gives them", async () => {
    setup({ qaList: () => Promise.resolve(twoWaiting) });

    const rates = await screen.findByTestId('qa-rates');
    const cells = (technician: string) =>
      Array.from(rates.querySelectorAll(`tr[data-technician="${technician}"] td`)).map((cell) => cell.textContent);
    expect(rates.querySelectorAll('tbody tr')).toHaveLength(2);
    // Technician, passed, failed, waiting, rate (rounded to a whole percent).
    expect(cells('ana')).toEqual(['ana', '3', '1', '1', '75 %']);
    // Nothing checked yet: no rate rather than 0 %.
    expect(cells('bo')).toEqual(['bo', '0', '0', '1', '—']);
    expect(within(rates).getByText('Pass rate')).toBeTruthy();
  });

  it('tells the panel in French', async () => {
    setup({ qaList: () => Promise.resolve(twoWaiting) }, 'fr');
    // French puts a no-break space before a colon.

    const [drive, phone] = await screen.findAllByTestId('qa-sample');
    expect(drive!.textContent).toContain('zero par ana en 2026-W49\u00a0: /dev/sdb');
    expect(phone!.textContent).toContain('signalé après un échantillon en échec');
    expect(within(phone!).getByRole('button', { name: 'Vérifié\u00a0: conforme' })).toBeTruthy();
    expect(screen.getByTestId('qa-draw').textContent).toBe('Tirer parmi les effacements vérifiés');
  });

  it('draws with a fresh seed, holds the button while drawing, then lists the queue again', async () => {
    const draw = deferred<Awaited<ReturnType<Api['qaDraw']>>>();
    const qaList = vi
      .fn<Api['qaList']>()
      .mockResolvedValueOnce(nothingWaiting)
      .mockResolvedValueOnce({ ...nothingWaiting, queue: [driveSample] });
    const api = setup({ qaList, qaDraw: vi.fn(() => draw.promise) });

    await screen.findByText('No erasure waits for a re-check.');
    fireEvent.click(screen.getByTestId('qa-draw'));
    expect(api.qaDraw).toHaveBeenCalledWith({ seed: null });
    expect((screen.getByTestId('qa-draw') as HTMLButtonElement).disabled).toBe(true);
    expect(qaList).toHaveBeenCalledTimes(1);

    await act(async () => {
      draw.resolve({ draw_id: 'draw-1', seed: 'ab'.repeat(32), share_pct: 5, considered: 20, samples: [driveSample] });
      await draw.promise;
    });
    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(1));
    expect(qaList).toHaveBeenCalledTimes(2);
    expect(screen.getAllByTestId('qa-sample')[0]!.textContent).toContain('/dev/sdb');
    expect((screen.getByTestId('qa-draw') as HTMLButtonElement).disabled).toBe(false);
  });

  it('reads a drive sample back from the path typed, trimmed, then refreshes the queue', async () => {
    const qaList = vi
      .fn<Api['qaList']>()
      .mockResolvedValueOnce(twoWaiting)
      .mockResolvedValueOnce({ ...twoWaiting, queue: [phoneSample] });
    const qaVerify = vi.fn<Api['qaVerify']>(() => Promise.resolve(verified(driveSample, 'pass')));
    setup({ qaList, qaVerify });

    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(2));
    const drive = rowOf('drive');
    const readBack = within(drive).getByRole('button', { name: 'Read back' }) as HTMLButtonElement;
    // Nothing to read back until a path is given (blank does not count).
    expect(readBack.disabled).toBe(true);
    fireEvent.change(within(drive).getByLabelText('Drive or image to read back'), { target: { value: '   ' } });
    expect(readBack.disabled).toBe(true);
    fireEvent.change(within(drive).getByLabelText('Drive or image to read back'), { target: { value: '  /dev/sdc  ' } });
    expect(readBack.disabled).toBe(false);
    fireEvent.click(readBack);

    expect(qaVerify).toHaveBeenCalledTimes(1);
    expect(qaVerify).toHaveBeenCalledWith({
      erasure: DRIVE_ERASURE,
      check: { kind: 'target', path: '/dev/sdc' },
      note: null,
    });
    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(1));
    expect(qaList).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('qa-sample').getAttribute('data-needs')).toBe('manual');
  });

  it.each([
    ['Checked: pass', 'pass'],
    ['Checked: fail', 'fail'],
  ] as const)('records a manual check "%s" as result %s, with no note', async (button, result) => {
    const qaList = vi
      .fn<Api['qaList']>()
      .mockResolvedValueOnce(twoWaiting)
      .mockResolvedValueOnce({ ...twoWaiting, queue: [driveSample] });
    const qaVerify = vi.fn<Api['qaVerify']>(() => Promise.resolve(verified(phoneSample, result)));
    setup({ qaList, qaVerify });

    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(2));
    fireEvent.click(within(rowOf('phone')).getByRole('button', { name: button }));

    // No note written: none sent.
    expect(qaVerify).toHaveBeenCalledWith({ erasure: PHONE_ERASURE, check: { kind: 'manual', result }, note: null });
    await waitFor(() => expect(qaList).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(1));
    expect(screen.getByTestId('qa-sample').getAttribute('data-needs')).toBe('readback');
  });

  it('sends the note written for a sample with its result, trimmed', async () => {
    const qaList = vi.fn<Api['qaList']>().mockResolvedValue(twoWaiting);
    const qaVerify = vi.fn<Api['qaVerify']>(() => Promise.resolve(verified(phoneSample, 'fail')));
    setup({ qaList, qaVerify });
    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(2));
    const phone = rowOf('phone');
    fireEvent.change(within(phone).getByTestId('qa-note'), { target: { value: '  data left in Photos  ' } });
    fireEvent.click(within(phone).getByRole('button', { name: 'Checked: fail' }));
    expect(qaVerify).toHaveBeenCalledWith({
      erasure: PHONE_ERASURE,
      check: { kind: 'manual', result: 'fail' },
      note: 'data left in Photos',
    });
  });

  it('shows a refused re-check as the engine told it, keeps the queue, and lets the notice be dismissed', async () => {
    const refusal: WindowError = {
      code: 'refused',
      message: 'ana erased this drive, so ana may not verify it',
      hint: 'log in as another operator',
      details: null,
    };
    const qaList = vi.fn<Api['qaList']>(() => Promise.resolve(twoWaiting));
    const qaVerify = vi.fn<Api['qaVerify']>(() => Promise.reject(refusal));
    setup({ qaList, qaVerify });

    await waitFor(() => expect(screen.getAllByTestId('qa-sample')).toHaveLength(2));
    const pass = within(rowOf('phone')).getByRole('button', { name: 'Checked: pass' }) as HTMLButtonElement;
    fireEvent.click(pass);

    const notice = await screen.findByTestId('error');
    expect(notice.getAttribute('data-code')).toBe('refused');
    expect(notice.textContent).toContain('ana erased this drive, so ana may not verify it');
    expect(screen.getByTestId('error-hint').textContent).toBe('log in as another operator');
    // A failed re-check changes nothing: the queue is not asked again and stays as it was.
    expect(qaList).toHaveBeenCalledTimes(1);
    expect(screen.getAllByTestId('qa-sample')).toHaveLength(2);
    await waitFor(() => expect(pass.disabled).toBe(false));

    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('tells a hint sent as data in the window language', async () => {
    const refusal: WindowError = {
      code: 'refused',
      message: 'only a quality manager verifies samples',
      hint: 'act as a quality manager',
      hint_data: { kind: 'act_as', role: 'a quality manager' },
      details: null,
    };
    setup({ qaList: () => Promise.resolve(nothingWaiting), qaDraw: () => Promise.reject(refusal) }, 'fr');

    await screen.findByText('Aucun effacement n’attend de revérification.');
    fireEvent.click(screen.getByTestId('qa-draw'));

    const notice = await screen.findByTestId('error');
    expect(notice.textContent).toContain('only a quality manager verifies samples');
    // Told from the catalogue in French, not the English text the engine also sent.
    expect(screen.getByTestId('error-hint').textContent).toBe('connectez-vous avec le rôle responsable qualité');
  });

  it('shows why the queue could not be listed', async () => {
    setup({
      qaList: () => Promise.reject({ code: 'data', message: 'database is locked', hint: null, details: null }),
    });

    const notice = await screen.findByTestId('error');
    expect(notice.getAttribute('data-code')).toBe('data');
    expect(notice.textContent).toContain('database is locked');
    expect(screen.queryByTestId('error-hint')).toBeNull();
    expect(screen.queryByTestId('qa-queue')).toBeNull();
    expect(screen.queryByText('No erasure waits for a re-check.')).toBeNull();
  });
});
