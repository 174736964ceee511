import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditTotals } from '../bindings/AuditTotals';
import type { BatchAudit } from '../bindings/BatchAudit';
import type { BatchStatus } from '../bindings/BatchStatus';
import type { BatchSummary } from '../bindings/BatchSummary';
import type { Receipt } from '../bindings/Receipt';
import { fakeApi, type Calls } from '../test/fakeApi';
import { auditProgress, BatchesScreen } from './BatchesScreen';

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
  unaudited: received,
  currency: 'EUR',
  quoted_total: '530.00',
  revised_total: null,
  revised_so_far: '0.00',
  closed_at: null,
  missing_devices: received === 2 ? [] : [line(3, '490154203237518')],
  extra_devices: [],
  marketplace_order: null,
});

const totals = (received: number, audited: number): AuditTotals => ({
  declared: 2,
  received,
  missing: 2 - received,
  extra: 0,
  audited,
  unaudited: received - audited,
  accepted: 0,
  readjusted: audited,
  returned: 0,
  held: 0,
  requote: 0,
  currency: 'EUR',
  quoted_total: '530.00',
  revised_total: received === audited && received > 0 ? '225.25' : null,
  revised_so_far: audited > 0 ? '225.25' : '0.00',
  quoted_audited: audited > 0 ? '265.00' : '0.00',
});

const DEVICE = '55555555-5555-4555-8555-555555555555';

const audit = (received: number, audited = 0): BatchAudit => ({
  batch_id: BATCH,
  customer_id: '77777777-7777-4777-8777-777777777777',
  customer: 'Acme Leasing',
  stage: received === 2 ? 'received' : 'receiving',
  closed_at: null,
  policy: { name: 'tradein-default', version: '1.0.0', sha256: 'ab'.repeat(32) },
  lines: [
    {
      declared: line(2, '356728114587211'),
      state: audited > 0 ? 'audited' : 'received',
      receipt: { receipt_id: '44444444-4444-4444-8444-444444444444', code: '356728114587211', received_at: '2026-11-25T10:00:00Z', operator: 'aude' },
      found: {
        device_id: DEVICE,
        category: 'phone',
        make: 'Apple',
        model: 'iPhone 12',
        imei: '356728114587211',
        serial: null,
        storage_gb: 128,
        grade_id: null,
        graded_at: null,
        buyback_grade: audited > 0 ? 'FUNCTIONAL_USED' : null,
        listing_grade: null,
        lock: 'clear',
        battery: 'pass',
        failed: [],
        accessories: [],
        accessories_recorded: false,
      },
      erasure: null,
      revision:
        audited > 0
          ? {
              quoted_cents: 26500,
              revised_cents: 22525,
              quoted: '265.00',
              revised: '225.25',
              disposition: 'readjusted',
              requote: false,
              adjustments: [
                {
                  rule: 'grade.step',
                  amount_cents: 3975,
                  asked_cents: 3975,
                  amount: '39.75',
                  basis: '{ percent = 15 }',
                  inputs: {},
                  requote: false,
                  text: 'Declared FUNCTIONAL_GOOD, found FUNCTIONAL_USED: one grade step at 15 % each: −39.75 EUR',
                },
              ],
            }
          : null,
    },
    {
      declared: line(3, '490154203237518'),
      state: received === 2 ? 'received' : 'missing',
      receipt: null,
      found: null,
      erasure: null,
      revision: null,
    },
  ],
  extra: [],
  totals: totals(received, audited),
});

describe('auditProgress', () => {
  it('counts the received devices audited, rounding the percentage down', () => {
    expect(auditProgress(totals(2, 1))).toEqual({ audited: 1, received: 2, percent: 50 });
    expect(auditProgress({ ...totals(2, 2), audited: 2, unaudited: 1 })).toEqual({ audited: 2, received: 3, percent: 66 });
    expect(auditProgress(totals(0, 0))).toEqual({ audited: 0, received: 0, percent: 0 });
  });
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
        batchesAudit: () => Promise.resolve(audit(received)),
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

  it('imports a manifest dropped anywhere on the screen and lists its problems', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        batchesList: () => Promise.resolve([]),
        batchesImport: () =>
          Promise.reject({
            code: 'data',
            message: 'the manifest lot.csv was not imported: 1 problem',
            hint: null,
            details: {
              file: 'lot.csv',
              problem: null,
              problems: [
                {
                  line: 3,
                  column: 'serial',
                  kind: { kind: 'duplicate_in_open_batch' },
                  text: 'line 3, column serial: sn-1 is already declared in open batch 0193',
                },
              ],
            },
          }),
      },
      calls,
    );
    render(<BatchesScreen lang="en" api={api} />);
    await screen.findByText('No trade-in batch yet.');
    const file = new File(['serial\nsn-1\n'], 'lot.csv', { type: 'text/csv' });
    fireEvent.drop(screen.getByTestId('batches'), { dataTransfer: { files: [file] } });
    const problems = await screen.findByTestId('batch-problems');
    expect(within(problems).getByRole('listitem').textContent).toBe(
      'line 3, column serial: sn-1 is already declared in open batch 0193',
    );
    expect(calls.filter((call) => call.command === 'batchesImport')).toHaveLength(1);
  });

  it('takes a scanner’s burst typed into another field back out of it and receives it', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        batchesList: () => Promise.resolve([summary]),
        batchesStatus: () => Promise.resolve(status(1)),
        batchesAudit: () => Promise.resolve(audit(1)),
        batchesReceive: (params) =>
          Promise.resolve({
            outcome: 'matched',
            batch_id: BATCH,
            code: (params as { code: string }).code,
            device: line(3, '490154203237518'),
            received_at: '2026-11-25T10:00:00Z',
            declared: 2,
            received: 2,
            missing: 0,
            extra: 0,
          } satisfies Receipt),
      },
      calls,
    );
    // A scanner's keys come 5 ms apart; a person's, 200 ms.
    let time = 0;
    let gap = 5;
    const clock = () => (time += gap);
    render(<BatchesScreen lang="en" api={api} clock={clock} />);
    fireEvent.click(within(await screen.findByTestId('batch-row')).getByRole('button'));
    await screen.findByTestId('batch-totals');
    const customer = screen.getByTestId('batch-import-customer') as HTMLInputElement;

    // A person types a name and Enter: the field keeps it, nothing is received.
    gap = 200;
    fireEvent.change(customer, { target: { value: 'Acme' } });
    for (const key of 'Acme') fireEvent.keyDown(customer, { key });
    fireEvent.keyDown(customer, { key: 'Enter' });
    expect(customer.value).toBe('Acme');
    expect(calls.some((call) => call.command === 'batchesReceive')).toBe(false);

    // The scanner's burst lands in the same field (the browser typed it there).
    gap = 5;
    fireEvent.change(customer, { target: { value: 'Acme490154203237518' } });
    for (const key of '490154203237518') fireEvent.keyDown(customer, { key });
    fireEvent.keyDown(customer, { key: 'Enter' });
    expect(customer.value).toBe('Acme');
    expect((await screen.findByTestId('batch-scan')).getAttribute('data-outcome')).toBe('matched');
    expect(calls.find((call) => call.command === 'batchesReceive')?.params).toEqual({
      batch: BATCH,
      code: '490154203237518',
    });
  });

  it('shows each device’s audit with its reasons, the total so far, and opens the device', async () => {
    const opened: string[] = [];
    const api = fakeApi({
      batchesList: () => Promise.resolve([summary]),
      batchesStatus: () =>
        Promise.resolve({ ...status(2), audited: 1, unaudited: 1, revised_total: null, revised_so_far: '225.25' }),
      batchesAudit: () => Promise.resolve(audit(2, 1)),
    });
    render(<BatchesScreen lang="en" api={api} onOpenDevice={(device) => opened.push(device)} />);
    fireEvent.click(within(await screen.findByTestId('batch-row')).getByRole('button'));
    const section = await screen.findByTestId('batch-audit');
    expect(screen.getByTestId('batch-audit-progress').textContent).toBe('1 of 2 received devices audited');
    const rows = within(section).getAllByTestId('batch-audit-row');
    expect(rows.map((row) => row.getAttribute('data-state'))).toEqual(['audited', 'received']);
    const first = rows[0];
    if (first === undefined) throw new Error('no audited row');
    expect(first.querySelector('[data-disposition]')?.textContent).toBe('Quote readjusted');
    expect(first.querySelector('[data-rule="grade.step"]')?.textContent).toContain('−39.75 EUR');
    expect(first.textContent).toContain('225.25 of 265.00 EUR');
    expect(first.textContent).toContain('box not recorded');
    expect(
      screen.getByTestId('batch-totals').querySelector('[data-total="revised"]')?.textContent,
    ).toBe('not final: 225.25 EUR so far (1 still to audit)');
    fireEvent.click(within(first).getByRole('button'));
    expect(opened).toEqual([DEVICE]);
  });
});
