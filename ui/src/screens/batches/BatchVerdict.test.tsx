import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { VerdictParams } from '../../bindings/VerdictParams';
import { fakeApi } from '../fakeApi';
import { BatchVerdict } from './BatchVerdict';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };
const BATCH = '0190f0a0-0000-7000-8000-000000000001';

describe('the verdict on a marketplace trade-in order', () => {
  it('asks a reason for a counter-offer, sends the reasons and the comment, and says what was queued', async () => {
    const sent: VerdictParams[] = [];
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      marketplaceVerdict: (params) => {
        sent.push(params);
        return Promise.resolve({
          order: 'BB-1',
          batch: BATCH,
          entry: 'e1',
          verdict: params.verdict,
          price: '160.00',
          report: '/data/documents/batch-report.pdf',
          files: ['/data/documents/batch-report.pdf', '/data/documents/cert.pdf'],
        });
      },
    });
    const errors: unknown[] = [];
    render(<BatchVerdict lang="en" api={api} batch={BATCH} order="BB-1" onError={(e) => errors.push(e)} />);

    expect(screen.getByTestId('batch-verdict').textContent).toContain('BB-1');
    fireEvent.change(screen.getByTestId('batch-verdict-kind'), { target: { value: 'counter_offer' } });
    const send = screen.getByTestId('batch-verdict-send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('batch-verdict-reasons'), { target: { value: 'screen scratched; battery 81 %' } });
    fireEvent.change(screen.getByTestId('batch-verdict-comment'), { target: { value: ' Revised after our audit ' } });
    await waitFor(() => expect(send.disabled).toBe(false));
    fireEvent.click(send);

    await waitFor(() => expect(screen.getByTestId('batch-verdict-queued').getAttribute('data-verdict')).toBe('counter_offer'));
    expect(sent).toEqual([
      {
        batch: BATCH,
        verdict: 'counter_offer',
        comment: 'Revised after our audit',
        reasons: ['screen scratched', 'battery 81 %'],
        out: '/data/documents',
      },
    ]);
    expect(screen.getByTestId('batch-verdict-queued').textContent).toContain('2 file(s)');
    expect(screen.getByTestId('batch-verdict-queued').textContent).toContain('160.00');
  });

  it('validates without a reason, refuses a comment over 200 characters, and passes on a refusal', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      marketplaceVerdict: () =>
        Promise.reject({ code: 'refused', message: 'tom (technician) may not decide on a trade-in order', hint: null, details: null }),
    });
    const errors: Array<{ code: string } | null> = [];
    render(<BatchVerdict lang="fr" api={api} batch={BATCH} order="BB-2" onError={(e) => errors.push(e)} />);
    const send = screen.getByTestId('batch-verdict-send') as HTMLButtonElement;
    expect(send.disabled).toBe(false);
    fireEvent.change(screen.getByTestId('batch-verdict-comment'), { target: { value: 'x'.repeat(201) } });
    expect(send.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('batch-verdict-comment'), { target: { value: '' } });
    fireEvent.click(send);
    await waitFor(() => expect(errors.some((e) => e?.code === 'refused')).toBe(true));
    expect(screen.queryByTestId('batch-verdict-queued')).toBeNull();
    expect(screen.getByTestId('batch-verdict').textContent).toContain('Verdict pour la commande');
  });
});
