import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ProgressReport } from '../bindings/ProgressReport';
import type { Dashboard } from '../bindings/Dashboard';
import type { DeviceRow } from '../bindings/DeviceRow';
import type { DevicesPage } from '../bindings/DevicesPage';
import type { DevicesParams } from '../bindings/DevicesParams';
import type { DocumentSummary } from '../bindings/DocumentSummary';
import { deferred, fakeApi } from './fakeApi';
import { QualityScreen } from './QualityScreen';
import { OVERSCAN, ROW_HEIGHT } from './quality/DeviceTable';

function row(n: number): DeviceRow {
  return {
    id: `device-${n}`,
    category: 'phone',
    make: 'Apple',
    model: 'iPhone 12',
    serial: `SN${n}`,
    imei: `35${String(n).padStart(13, '0')}`,
    last_intake_id: `intake-${n}`,
    last_intake_at: '2025-03-14T09:00:00.000000000Z',
    last_operator: 'ana',
    battery_verdict: 'pass',
    soh_pct: 91.5,
    lock_verdict: 'clear',
    intake_count: 1,
    outcome: n % 2 === 0 ? 'sellable' : null,
    listing_grade: n % 2 === 0 ? 'VERY_GOOD' : null,
  };
}

/** A list of `total` devices served a page at a time, as the engine pages them. */
function pagedList(total: number) {
  return vi.fn(async (params: DevicesParams): Promise<DevicesPage> => {
    const start = params.after === null ? 0 : Number(params.after.replace('intake-', '')) + 1;
    const rows = Array.from({ length: Math.max(0, Math.min(params.limit, total - start)) }, (_, i) => row(start + i));
    const full = rows.length === params.limit;
    return { rows, next_after: full ? (rows[rows.length - 1]?.last_intake_id ?? null) : null };
  });
}

const emptyDashboard: Dashboard = {
  since: '2025-02-12T00:00:00Z',
  until: '2025-03-14T00:00:00Z',
  intakes: 3,
  devices: 2,
  soh: [
    { from_pct: 80, count: 1 },
    { from_pct: 90, count: 2 },
  ],
  soh_width_pct: 5,
  battery_verdicts: [],
  lock_verdicts: [],
  grades: [{ word: 'GOOD', count: 2 }],
  outcomes: [{ word: 'repair', count: 2 }],
  tests: [{ name: 'wifi', runs: 4, failed: 1, skipped: 0 }],
  per_technician_day: [{ operator: 'ana', day: '2025-03-14', devices: 2 }],
};

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    devicesList: pagedList(1000),
    operatorsList: async () => [],
    statsDashboard: vi.fn(async () => emptyDashboard),
    ...overrides,
  });
  const onOpenDevice = vi.fn();
  render(<QualityScreen lang="en" api={api} onOpenDevice={onOpenDevice} />);
  return { api, onOpenDevice };
}

function scrollBody(top: number) {
  const body = screen.getByTestId('quality-table').querySelector('.quality-table__body') as HTMLElement;
  Object.defineProperty(body, 'scrollTop', { value: top, configurable: true, writable: true });
  fireEvent.scroll(body);
}

describe('QualityScreen', () => {
  it('offers the site of every station only when the station replicates to one', async () => {
    setup({ siteName: async () => null });
    await waitFor(() => expect(screen.getAllByTestId('quality-row').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('quality-scope')).toBeNull();
  });

  it('reads the site list from the site database, read-only, with the same filters and pages', async () => {
    const siteRows = vi.fn(async (params: DevicesParams) => {
      const page = await pagedList(3)(params);
      return {
        rows: page.rows.map((one) => ({ ...one, device_key: `imei:${one.imei}`, station_id: 'station-2' })),
        next_after: page.next_after,
      };
    });
    const { api, onOpenDevice } = setup({
      siteName: async () => 'postgres://quality@site.example/refurb',
      siteDevicesList: siteRows,
    });
    const scope = await screen.findByTestId('quality-scope');
    expect(vi.mocked(api.devicesList)).toHaveBeenCalled();
    expect(siteRows).not.toHaveBeenCalled();

    fireEvent.change(screen.getByTestId('quality-filter-lock'), { target: { value: 'blocked' } });
    fireEvent.change(scope, { target: { value: 'site' } });
    await waitFor(() => expect(screen.getAllByTestId('quality-row').length).toBe(3));
    expect(siteRows.mock.lastCall?.[0]).toMatchObject({ lock: 'blocked', after: null, limit: 100 });
    expect(screen.getByTestId('quality-site-note').textContent).toContain('postgres://quality@site.example/refurb');

    // Other stations' records are not opened here.
    fireEvent.click(screen.getAllByTestId('quality-row')[0] as HTMLElement);
    expect(onOpenDevice).not.toHaveBeenCalled();

    // Back to this station: its own list again.
    const calls = vi.mocked(api.devicesList).mock.calls.length;
    fireEvent.change(scope, { target: { value: 'station' } });
    await waitFor(() => expect(vi.mocked(api.devicesList).mock.calls.length).toBeGreaterThan(calls));
  });

  it('sends the search text and the filters to the engine, first page first', async () => {
    const { api } = setup();
    await waitFor(() => expect(screen.getAllByTestId('quality-row').length).toBeGreaterThan(0));
    const list = vi.mocked(api.devicesList);
    expect(list.mock.calls[0]?.[0]).toMatchObject({ query: null, after: null, limit: 100, offset: 0 });

    fireEvent.change(screen.getByTestId('quality-search'), { target: { value: ' 350000000000004 ' } });
    fireEvent.submit(screen.getByTestId('quality-search').closest('form') as HTMLFormElement);
    await waitFor(() => expect(list.mock.lastCall?.[0]).toMatchObject({ query: '350000000000004', after: null }));

    fireEvent.change(screen.getByTestId('quality-filter-outcome'), { target: { value: 'repair' } });
    fireEvent.change(screen.getByTestId('quality-filter-battery'), { target: { value: 'consumed' } });
    fireEvent.change(screen.getByTestId('quality-filter-since'), { target: { value: '2025-03-01' } });
    await waitFor(() =>
      expect(list.mock.lastCall?.[0]).toMatchObject({
        query: '350000000000004',
        outcome: 'repair',
        battery: 'consumed',
        since: '2025-03-01T00:00:00Z',
        grade: null,
        lock: null,
        after: null,
      }),
    );
  });

  it('keeps only the rows in view in the document and reads the next page with next_after', async () => {
    const { api } = setup();
    await waitFor(() => expect(screen.getByText('100 devices shown; scroll for more')).toBeTruthy());
    const visible = 15 + OVERSCAN;
    expect(screen.getAllByTestId('quality-row').length).toBe(visible);
    expect(vi.mocked(api.devicesList)).toHaveBeenCalledTimes(1);

    // Half-way down the first page: other rows, still as few, no new page yet.
    scrollBody(50 * ROW_HEIGHT);
    const rows = screen.getAllByTestId('quality-row');
    expect(rows.length).toBe(15 + 2 * OVERSCAN);
    expect(rows[0]?.getAttribute('aria-rowindex')).toBe(String(50 - OVERSCAN + 2));
    expect(vi.mocked(api.devicesList)).toHaveBeenCalledTimes(1);

    // Near the end of what was read: the next page, after the last row's intake.
    scrollBody(80 * ROW_HEIGHT);
    await waitFor(() => expect(screen.getByText('200 devices shown; scroll for more')).toBeTruthy());
    expect(vi.mocked(api.devicesList).mock.calls[1]?.[0]).toMatchObject({ after: 'intake-99' });
    expect(screen.getAllByTestId('quality-row').length).toBeLessThanOrEqual(15 + 2 * OVERSCAN);
  });

  it('opens a device on click, and with Enter on the row the arrows reached', async () => {
    const { onOpenDevice } = setup();
    await waitFor(() => expect(screen.getAllByTestId('quality-row').length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByTestId('quality-row')[2] as HTMLElement);
    expect(onOpenDevice).toHaveBeenLastCalledWith(row(2).imei);

    const table = screen.getByTestId('quality-table');
    fireEvent.keyDown(table, { key: 'Home' });
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    fireEvent.keyDown(table, { key: 'Enter' });
    expect(onOpenDevice).toHaveBeenLastCalledWith(row(1).imei);
    // The void panel starts from the active row.
    expect((screen.getByTestId('quality-void-device') as HTMLInputElement).value).toBe(row(1).imei);
  });

  it('shows the grade, or that the device was never graded', async () => {
    setup();
    await waitFor(() => expect(screen.getAllByTestId('quality-row').length).toBeGreaterThan(0));
    const [graded, ungraded] = screen.getAllByTestId('quality-row');
    expect(within(graded as HTMLElement).getByText('Sellable · Very good')).toBeTruthy();
    expect(within(ungraded as HTMLElement).getByText('Not graded')).toBeTruthy();
  });

  it('shows an engine error in place of the list', async () => {
    setup({
      devicesList: async () =>
        Promise.reject({ code: 'not_found', message: 'no such intake', hint: 'Search again.', details: null }),
    });
    await waitFor(() => expect(screen.getByText('no such intake')).toBeTruthy());
    expect(screen.getByTestId('error-hint').textContent).toBe('Search again.');
  });

  it('follows the export with its progress and stops it with Cancel', async () => {
    const exported = deferred<never>();
    let report: ((report: ProgressReport) => void) | null = null;
    const unlisten = vi.fn();
    const { api } = setup({
      documentsExport: vi.fn(() => exported.promise),
      documentsExportCancel: vi.fn(async () => ({ cancelled: true })),
      onProgress: vi.fn(async (handler) => {
        report = handler;
        return unlisten;
      }),
    });
    const start = screen.getByTestId('quality-export-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('quality-export-folder'), { target: { value: '/media/usb' } });
    fireEvent.click(start);
    await waitFor(() => expect(api.documentsExport).toHaveBeenCalled());
    expect(vi.mocked(api.documentsExport).mock.calls[0]?.[0]).toEqual({
      device: null,
      since: null,
      all: true,
      out: '/media/usb',
      zip: false,
      lang: null,
    });
    act(() => report?.({ task: 'erase', done: 50, total: 100, stage: null }));
    act(() => report?.({ task: 'export', done: 2, total: 5, stage: null }));
    const bar = screen.getByTestId('quality-export-progress') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([2, 5]);
    expect(screen.getByText('2 of 5 documents')).toBeTruthy();

    fireEvent.click(screen.getByTestId('quality-export-cancel'));
    await waitFor(() => expect(api.documentsExportCancel).toHaveBeenCalledTimes(1));
    expect((screen.getByTestId('quality-export-cancel') as HTMLButtonElement).disabled).toBe(true);
    await act(async () =>
      exported.reject({
        code: 'interrupted',
        message: 'the export was stopped after 2 of 5 documents',
        hint: null,
        details: null,
      }),
    );
    expect(screen.getByText('the export was stopped after 2 of 5 documents')).toBeTruthy();
    expect(screen.queryByTestId('quality-export-progress')).toBeNull();
    expect(unlisten).toHaveBeenCalled();
  });

  it('voids a document only with a reason', async () => {
    const documents: DocumentSummary[] = [
      {
        id: 'aaaaaaaa-0000-7000-8000-000000000001',
        kind: 'erasure_certificate',
        lang: 'en',
        key_id: 'k1',
        pdf_sha256: '00',
        issued_at: '2025-03-14T10:00:00Z',
        issued_by: 'ana',
        erasure_id: null,
        destruction_id: null,
        device_id: 'device-1',
        voided: false,
      },
    ];
    const { api } = setup({
      documentsList: vi.fn(async () => documents),
      documentsVoid: vi.fn(async ({ id, reason }) => ({ ...documents[0]!, id, voided: true, void_reason: reason })),
    });
    fireEvent.change(screen.getByTestId('quality-void-device'), { target: { value: 'SN1' } });
    fireEvent.click(screen.getByTestId('quality-void-find'));
    await waitFor(() => expect(screen.getByTestId('quality-void-document')).toBeTruthy());
    expect(api.documentsList).toHaveBeenCalledWith({ device: 'SN1', since: null });
    const confirm = screen.getByTestId('quality-void-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('quality-void-reason'), { target: { value: '   ' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('quality-void-reason'), { target: { value: 'issued for the wrong drive' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.getByTestId('quality-void-done')).toBeTruthy());
    expect(api.documentsVoid).toHaveBeenCalledWith({
      id: documents[0]!.id,
      reason: 'issued for the wrong drive',
    });
  });

  it('asks the dashboard for the period chosen and lists its figures', async () => {
    const { api } = setup();
    await waitFor(() => expect(screen.getByTestId('quality-dashboard-totals').textContent).toBe('3 readings of 2 devices'));
    const asked = vi.mocked(api.statsDashboard).mock.calls[0]?.[0];
    const span = Date.parse(asked?.until ?? '') - Date.parse(asked?.since ?? '');
    expect(span).toBe(30 * 86_400_000);
    expect(within(screen.getByTestId('chart-tests')).getByText('25%')).toBeTruthy();
    expect(within(screen.getByTestId('chart-soh')).getByText('90–95')).toBeTruthy();

    fireEvent.change(screen.getByTestId('quality-dashboard-period'), { target: { value: '7' } });
    await waitFor(() => expect(vi.mocked(api.statsDashboard)).toHaveBeenCalledTimes(2));
    const week = vi.mocked(api.statsDashboard).mock.calls[1]?.[0];
    expect(Date.parse(week?.until ?? '') - Date.parse(week?.since ?? '')).toBe(7 * 86_400_000);
  });

  it('keeps a placeholder for the verification-sampling queue', () => {
    setup();
    expect(screen.getByTestId('quality-sampling').textContent).toContain('Verification sampling');
  });
});
