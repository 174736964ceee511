import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { DocumentSummary } from '../bindings/DocumentSummary';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };
const DOCUMENT_ID = '66666666-6666-4666-8666-666666666666';

const report: DocumentSummary = {
  id: DOCUMENT_ID,
  kind: 'device_report',
  lang: 'en',
  key_id: 'k1',
  pdf_sha256: 'abc',
  issued_at: '2026-12-01T11:00:00Z',
  issued_by: 'ana',
  erasure_id: null,
  destruction_id: null,
  device_id: DEVICE_ID,
  voided: false,
};

const withReport: DeviceDetail = { ...phoneDetail, documents: [report] };

describe('DeviceScreen documents', () => {
  it('opens a listed document by its id, and then can verify the file the engine named', async () => {
    const calls: Calls = [];
    const file = `/data/documents/device-report-${DOCUMENT_ID}.pdf`;
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(withReport),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        documentsOpen: ({ id }) => Promise.resolve({ id, path: file, written: true }),
        documentsVerify: () =>
          Promise.resolve({ valid: true, id: DOCUMENT_ID, kind: 'device_report', key_id: 'k1', sealed_by: 'k1', problem: null }),
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    const row = await screen.findByTestId(`document-${DOCUMENT_ID}`);
    // A listed document names no file yet: nothing to verify until it is opened.
    expect(within(row).queryByTestId('document-verify')).toBeNull();
    fireEvent.click(within(row).getByTestId('document-open'));
    await waitFor(() => expect(within(row).getByText(file)).toBeTruthy());
    // The window sends only the document's id: the engine picks and checks the file.
    expect(calls.filter((call) => call.command === 'documentsOpen').map((call) => call.params)).toEqual([
      { id: DOCUMENT_ID },
    ]);
    fireEvent.click(within(row).getByTestId('document-verify'));
    await waitFor(() => expect(within(row).getByTestId('document-verification').getAttribute('data-valid')).toBe('true'));
    expect(calls.find((call) => call.command === 'documentsVerify')?.params).toEqual({ file, pubkey: null });
  });

  it('shows why a document could not be opened', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(withReport),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      documentsOpen: () =>
        Promise.reject({ code: 'data', message: 'it was altered or replaced, so it is not opened', hint: null, details: null }),
    });
    render(<DeviceScreen lang="fr" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    fireEvent.click(await screen.findByTestId('document-open'));
    expect((await screen.findByTestId('error')).textContent).toContain('altered or replaced');
    expect(screen.getByTestId('document-open').textContent).toBe('Ouvrir');
  });
});
