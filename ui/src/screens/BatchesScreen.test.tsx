import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BatchStatus } from '../bindings/BatchStatus';
import type { BatchSummary } from '../bindings/BatchSummary';
import type { Receipt } from '../bindings/Receipt';
import { fakeApi, type Calls } from '../test/fakeApi';
import { BatchesScreen } from './BatchesScreen';

const BATCH = '99999999-9999-4999-8999-999999999999';

const summary: BatchSummary = {
  id: BATCH,
  customer: 'Acme Leasing',
  stage: 'receiving',
  quote_date: '2026-11-20',
  quote_expiry: '2026-12-20',
  quote_expired: false,
  imported_at: '2026-11-20T10:00:00Z',
  source_name: 'acme.csv',
  declared: 2,
  received: 1,
  missing: 1,
  extra: 0,
  currency: 'EUR',
  quoted_total: '530.00',
};

const line = (number: number, imei: string) => ({
  line: number,
  imei,
  serial: null,
  category: 'phone',
  make: 'Apple',
  model: 'iPhone 12',
  storage_gb: 128,
  declared_grade: 'FUNCTIONAL_GOOD',
  quoted_cents: 26500,
  accessories: [],
  customer_ref: null,
  extra: {},
});

const status = (received: number): BatchStatus => ({
  id: BATCH,
  customer_id: '77777777-7777-4777-8777-777777777777',
  customer: 'Acme Leasing',
  stage: received === 2 ? 'received' : 'receiving',
  quote_date: '2026-11-20',
  quote_expiry: '2026-12-20',
  quote_expired: false,
  received_on: '2026-11-25',
  due_date: '2026-12-02',
  due_estimated: false,
  declared: 2,
  received,
  missing: 2 - received,
  extra: 0,
  audited: 0,
  currency: 'EUR',
  quoted_total: '530.00',
  revised_total: null,
  missing_devices: received === 2 ? [] : [line(3, '490154203237518')],
  extra_devices: [],
});

describe('BatchesScreen', () => {
  it('shows its empty state while there is no batch', async () => {
    render(<BatchesScreen lang="en" api={fakeApi({ batchesList: () => Promise.resolve([]) })} />);
    expect(await screen.findByText('No trade-in batch yet.')).toBeTruthy();
    expect(screen.getByTestId('batch-import')).toBeTruthy();
    expect(screen.queryByTestId('batch-receive')).toBeNull();
  });

  it('lists every problem of a refused manifest, in the screen’s language, and opens nothing', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        batchesList: () => Promise.resolve([]),
        batchesImport: () =>
          Promise.reject({
            code: 'data',
            message: 'the manifest acme.csv was not imported: 2 problems',
            hint: null,
            details: {
              file: 'acme.csv',
              problem: null,
              problems: [
                { line: 2, column: 'imei', kind: { kind: 'imei_check_digit' }, text: 'ligne 2, colonne imei : chiffre de contrôle faux' },
                { line: 4, column: 'declared_grade', kind: { kind: 'unknown_grade' }, text: 'ligne 4, colonne declared_grade : état inconnu' },
              ],
            },
          }),
      },
      calls,
    );
    render(<BatchesScreen lang="fr" api={api} />);
    fireEvent.change(await screen.findByTestId('batch-import-customer'), { target: { value: 'Acme Leasing' } });
    const file = new File(['imei\n356728114587210\n'], 'acme.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('batch-import-file'), { target: { files: [file] } });
    const problems = await screen.findByTestId('batch-problems');
    expect(problems.textContent).toContain('2 problèmes');
    expect(within(problems).getAllByRole('listitem').map((item) => item.getAttribute('data-line'))).toEqual(['2', '4']);
    const sent = calls.find((call) => call.command === 'batchesImport')?.params as {
      manifest: { from: string; name: string; base64: string };
      customer: string;
      lang: string;
    };
    expect(sent.manifest.from).toBe('bytes');
    expect(sent.manifest.name).toBe('acme.csv');
    expect(atob(sent.manifest.base64)).toBe('imei\n356728114587210\n');
    expect(sent.customer).toBe('Acme Leasing');
    expect(sent.lang).toBe('fr');
    expect(screen.queryByTestId('batch-totals')).toBeNull();
  });

  it('receives a scanner’s keystrokes wherever the focus is and shows the counts, missing devices and totals', async () => {
    const calls: Calls = [];
    let received = 1;
    const api = fakeApi(
      {
        batchesList: () => Promise.resolve([summary]),
        batchesStatus: () => Promise.resolve(status(received)),
        batchesReceive: (params) => {
          received = 2;
          const receipt: Receipt = {
            outcome: 'matched',
            batch_id: BATCH,
            code: (params as { code: string }).code,
            device: line(3, '490154203237518'),
            received_at: '2026-11-25T10:00:00Z',
            declared: 2,
            received: 2,
            missing: 0,
            extra: 0,
          };
          return Promise.resolve(receipt);
        },
      },
      calls,
    );
    render(<BatchesScreen lang="en" api={api} />);
    fireEvent.click(within(await screen.findByTestId('batch-row')).getByRole('button'));
    const totals = await screen.findByTestId('batch-totals');
    expect(totals.querySelector('[data-count="missing"]')?.textContent).toBe('1');
    expect(totals.querySelector('[data-total="quoted"]')?.textContent).toBe('530.00 EUR');
    expect(totals.querySelector('[data-total="revised"]')?.textContent).toBe('not revised yet');
    expect(within(screen.getByTestId('batch-missing')).getByText(/490154203237518/)).toBeTruthy();
    expect(screen.getByTestId('batch-extra').textContent).toContain('None.');

    // The scanner types into the page while a button has the focus; Enter submits the field.
    const button = within(screen.getByTestId('batch-row')).getByRole('button');
    button.focus();
    for (const key of '490154203237518') fireEvent.keyDown(button, { key });
    const field = screen.getByTestId('batch-receive') as HTMLInputElement;
    expect(field.value).toBe('490154203237518');
    expect(document.activeElement).toBe(field);
    fireEvent.submit(field.form!);

    expect((await screen.findByTestId('batch-scan')).getAttribute('data-outcome')).toBe('matched');
    expect(screen.getByTestId('batch-scan').textContent).toBe('490154203237518: declared on line 3.');
    expect(calls.find((call) => call.command === 'batchesReceive')?.params).toEqual({
      batch: BATCH,
      code: '490154203237518',
    });
    await waitFor(() =>
      expect(screen.getByTestId('batch-totals').querySelector('[data-count="missing"]')?.textContent).toBe('0'),
    );
    expect(field.value).toBe('');
  });
});
