import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, type Calls } from '../../test/fakeApi';
import { BatchDocuments, exportPath } from './BatchDocuments';

const BATCH = '99999999-9999-4999-8999-999999999999';
const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };

describe('the batch documents panel', () => {
  it('names the export file after the batch, in the documents folder', () => {
    expect(exportPath('/data/documents', BATCH, 'csv')).toBe(`/data/documents/batch-${BATCH}.csv`);
    expect(exportPath('/data/documents/', BATCH, 'xlsx')).toBe(`/data/documents/batch-${BATCH}.xlsx`);
    expect(exportPath('C:\\Docs', BATCH, 'xlsx')).toBe(`C:\\Docs\\batch-${BATCH}.xlsx`);
  });

  it('issues the report and exports the audit into the station documents folder', async () => {
    const calls: Calls = [];
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION) as never,
        batchesReport: () =>
          Promise.resolve({ pdf: `/data/documents/batch-report-${BATCH}.pdf` }) as never,
        batchesExport: ({ out }) => Promise.resolve({ path: out, rows: 3 }) as never,
      },
      calls,
    );
    render(<BatchDocuments lang="en" api={api} batch={BATCH} onError={() => undefined} />);
    await screen.findByTestId('batch-report');
    // The folder is known once the station answered.
    await new Promise((resolve) => setTimeout(resolve, 0));
    fireEvent.click(screen.getByTestId('batch-report'));
    expect((await screen.findByTestId('batch-written')).textContent).toContain('batch-report-');
    expect(calls.find((call) => call.command === 'batchesReport')?.params).toEqual({
      batch: BATCH,
      out: '/data/documents',
      lang: 'en',
    });
    fireEvent.change(screen.getByLabelText('Export format'), { target: { value: 'csv' } });
    fireEvent.click(screen.getByTestId('batch-export'));
    expect((await screen.findByTestId('batch-written')).textContent).toContain(`batch-${BATCH}.csv`);
  });

  it('shows the refusal of a report while devices are not audited', async () => {
    let told: string | null = null;
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION) as never,
      batchesReport: () =>
        Promise.reject({ code: 'refused', message: 'batch has 2 received devices not audited yet', hint: null, details: null }),
    });
    render(<BatchDocuments lang="fr" api={api} batch={BATCH} onError={(error) => (told = error.message)} />);
    fireEvent.click(await screen.findByTestId('batch-report'));
    await screen.findByTestId('batch-report');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(told).toContain('not audited');
    expect(screen.getByTestId('batch-report').textContent).toBe('Émettre le rapport de lot signé');
  });
});
