import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Api, WindowError } from '../api';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { DocumentSummary } from '../bindings/DocumentSummary';
import type { Lang } from '../i18n';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };
const REPORT_ID = '77777777-7777-4777-8777-777777777777';
const PDF = `/data/documents/device-report-${REPORT_ID}.pdf`;

/** The signed report as the engine lists it: no file named. */
const listed: DocumentSummary = {
  id: REPORT_ID,
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

/** The same report as documentsReport answers it, with the PDF just written. */
const issued: DocumentSummary = { ...listed, pdf: PDF };

const afterIssue: DeviceDetail = { ...phoneDetail, documents: [listed] };

function commands(calls: Calls, command: keyof Api) {
  return calls.filter((call) => call.command === command).map((call) => call.params);
}

/** The device before the report, then with it once the screen asks again. */
function setup(overrides: Partial<Api>, { lang = 'en' as Lang, device = '356728114587211' } = {}) {
  const calls: Calls = [];
  let shown = 0;
  const api = fakeApi(
    {
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve((shown += 1) === 1 ? phoneDetail : afterIssue),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      ...overrides,
    },
    calls,
  );
  render(<DeviceScreen lang={lang} api={api} device={device} onBack={() => undefined} />);
  return calls;
}

describe('DeviceScreen signed report', () => {
  it("issues the report for the device's id into the documents folder, then lists it with its file", async () => {
    const calls = setup({ documentsReport: () => Promise.resolve(issued) });

    const button = await screen.findByTestId('report-issue');
    expect(button.textContent).toBe('Issue the device report');
    // Nothing issued yet.
    expect(screen.queryByTestId(`document-${REPORT_ID}`)).toBeNull();
    // The folder comes from the station; wait until it has been asked.
    await waitFor(() => expect(commands(calls, 'stationInfo')).toHaveLength(1));
    fireEvent.click(button);

    // Opened by IMEI, the report is asked by the device id the engine showed, once.
    await waitFor(() => expect(commands(calls, 'documentsReport')).toHaveLength(1));
    expect(commands(calls, 'documentsReport')).toEqual([{ device: DEVICE_ID, out: '/data/documents', lang: 'en' }]);

    // The device is read again, and the new report shows with the PDF the engine wrote.
    const row = await screen.findByTestId(`document-${REPORT_ID}`);
    expect(commands(calls, 'devicesShow')).toHaveLength(2);
    expect(row.getAttribute('data-kind')).toBe('device_report');
    expect(within(row).getByText(PDF)).toBeTruthy();
    // With a file named, it can be verified straight away.
    expect(within(row).getByTestId('document-verify')).toBeTruthy();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('asks for the report in the window language', async () => {
    const calls = setup({ documentsReport: () => Promise.resolve({ ...issued, lang: 'fr' }) }, { lang: 'fr', device: DEVICE_ID });

    const button = await screen.findByTestId('report-issue');
    expect(button.textContent).toBe('Délivrer le rapport de l’appareil');
    await waitFor(() => expect(commands(calls, 'stationInfo')).toHaveLength(1));
    fireEvent.click(button);

    await waitFor(() => expect(commands(calls, 'documentsReport')).toHaveLength(1));
    expect(commands(calls, 'documentsReport')[0]).toEqual({ device: DEVICE_ID, out: '/data/documents', lang: 'fr' });
    expect(await screen.findByTestId(`document-${REPORT_ID}`)).toBeTruthy();
  });

  it('writes into the current folder when the station cannot name its documents folder', async () => {
    const calls = setup({
      stationInfo: () => Promise.reject({ code: 'data', message: 'no station', hint: null, details: null }),
      documentsReport: () => Promise.resolve(issued),
    });

    const button = await screen.findByTestId('report-issue');
    await waitFor(() => expect(commands(calls, 'stationInfo')).toHaveLength(1));
    fireEvent.click(button);

    await waitFor(() => expect(commands(calls, 'documentsReport')).toHaveLength(1));
    expect(commands(calls, 'documentsReport')[0]).toEqual({ device: DEVICE_ID, out: '.', lang: 'en' });
    // The station's failure is not the screen's error.
    expect(await screen.findByTestId(`document-${REPORT_ID}`)).toBeTruthy();
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('shows why the report could not be issued, and lists nothing new', async () => {
    const refusal: WindowError = {
      code: 'incomplete',
      message: 'the device has no grade yet, so its report cannot be issued',
      hint: 'grade the device first',
      details: null,
    };
    const calls = setup({ documentsReport: () => Promise.reject(refusal) });

    const button = await screen.findByTestId('report-issue');
    fireEvent.click(button);

    const notice = await screen.findByTestId('error');
    expect(notice.getAttribute('data-code')).toBe('incomplete');
    expect(notice.textContent).toContain('the device has no grade yet, so its report cannot be issued');
    expect(within(notice).getByTestId('error-hint').textContent).toBe('grade the device first');
    // Nothing was issued: the device is not read again and no document shows.
    expect(commands(calls, 'devicesShow')).toHaveLength(1);
    expect(screen.queryByTestId(`document-${REPORT_ID}`)).toBeNull();

    // The notice clears when dismissed, and a new attempt asks again.
    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('error')).toBeNull();
    fireEvent.click(screen.getByTestId('report-issue'));
    await waitFor(() => expect(commands(calls, 'documentsReport')).toHaveLength(2));
    expect(await screen.findByTestId('error')).toBeTruthy();
  });
});

describe('DeviceScreen read again', () => {
  it('keeps the answers and zones typed but not graded when a report reloads the device', async () => {
    setup({ documentsReport: () => Promise.resolve(issued) });
    await waitFor(() => expect(screen.getByTestId('checklist-charges')).toBeTruthy());
    const list = screen.getByTestId('checklist');
    list.focus();
    // Past the bench rows to the first manual item, then pass, not applicable, and a zone.
    for (let i = 0; i < 3; i += 1) fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'p' });
    fireEvent.keyDown(list, { key: 'N' });
    fireEvent.keyDown(list, { key: '1' });
    expect(screen.getByTestId('checklist-charges').getAttribute('data-answer')).toBe('pass');

    fireEvent.click(screen.getByTestId('report-issue'));
    // The device is read again with the new report listed…
    await screen.findByText(PDF, { exact: false });
    // …and what was typed is still there.
    expect(screen.getByTestId('checklist-charges').getAttribute('data-answer')).toBe('pass');
    expect(screen.getByTestId('checklist-biometrics').getAttribute('data-answer')).toBe('na');
    expect(screen.getByTestId('zone-screen').getAttribute('data-level')).toBe('micro');
    // The bench's own results are the bench's.
    expect(screen.getByTestId('checklist-camera_rear').getAttribute('data-answer')).toBe('fail');
  });
});
