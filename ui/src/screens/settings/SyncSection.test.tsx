import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { SyncEntry } from '../../bindings/SyncEntry';
import type { SyncStatus } from '../../bindings/SyncStatus';
import { t } from '../../i18n';
import { fakeApi } from '../fakeApi';
import { actions, applied, kindKey, rows, stateKey, target } from './sync';
import { SyncSection } from './SyncSection';

const entry = (id: string, seq: number, state: string, last_error: string | null = null): SyncEntry => ({
  id,
  seq,
  kind: 'listing_quantity',
  resource: `listing:SKU-${seq}`,
  state,
  attempts: state === 'pending' ? 0 : 2,
  last_error,
  next_attempt_at: '2026-12-02T15:00:00Z',
});

const status: SyncStatus = {
  configured: true,
  url: 'https://preprod.backmarket.fr',
  pending: 1,
  in_flight: 1,
  sent: 7,
  failed: 1,
  cancelled: 0,
  entries: [
    entry('a', 1, 'pending'),
    entry('b', 2, 'in_flight'),
    entry('c', 3, 'failed', 'Listing SKU-3 does not exist.'),
  ],
};

describe('the sync section logic', () => {
  it('lists failed entries first, then in flight, then waiting', () => {
    expect(rows(status).map((e) => e.id)).toEqual(['c', 'b', 'a']);
  });

  it('offers retry and cancel only on waiting or failed entries', () => {
    expect(actions(entry('x', 1, 'failed'))).toEqual({ retry: true, cancel: true });
    expect(actions(entry('x', 1, 'pending'))).toEqual({ retry: true, cancel: true });
    expect(actions(entry('x', 1, 'in_flight'))).toEqual({ retry: false, cancel: false });
  });

  it('names states, kinds and targets in words', () => {
    expect(stateKey('in_flight')).toBe('sync.state.inFlight');
    expect(kindKey('buyback_decision')).toBe('sync.kind.buybackDecision');
    expect(kindKey('something_new')).toBe('sync.kind.other');
    expect(target(entry('x', 4, 'pending'))).toBe('SKU-4');
  });

  it('moves the counts when an entry is retried or cancelled', () => {
    const retried = applied(status, { ...entry('c', 3, 'pending'), attempts: 0 });
    expect([retried.pending, retried.failed]).toEqual([2, 0]);
    const cancelled = applied(status, { ...entry('a', 1, 'cancelled') });
    expect([cancelled.pending, cancelled.cancelled]).toEqual([0, 1]);
    expect(cancelled.entries.map((e) => e.id)).toEqual(['b', 'c']);
  });
});

describe('the sync section', () => {
  it('shows the marketplace message of a failed entry and retries it', async () => {
    const syncRetry = vi.fn(async () => ({ ...entry('c', 3, 'pending'), attempts: 0 }));
    const api = fakeApi({ syncStatus: async () => status, syncRetry });
    render(<SyncSection lang="fr" api={api} />);
    const row = await screen.findByTestId('sync-entry-c');
    expect(row.textContent).toContain('Listing SKU-3 does not exist.');
    expect(row.textContent).toContain(t('fr', 'sync.state.failed'));
    expect(within(screen.getByTestId('sync-entry-b')).queryByRole('button')).toBeNull();
    fireEvent.click(within(row).getByRole('button', { name: t('fr', 'sync.retry') }));
    await waitFor(() => expect(screen.getByTestId('sync-entry-c').dataset.state).toBe('pending'));
    expect(syncRetry).toHaveBeenCalledWith({ id: 'c' });
    expect(screen.getByTestId('sync-counts').textContent).toBe(
      t('fr', 'sync.counts', { pending: 2, inflight: 1, failed: 0, sent: 7 }),
    );
  });

  it('shows a refusal from the engine and keeps the entry', async () => {
    const syncCancel = vi.fn(async () =>
      Promise.reject({ code: 'refused', message: 'ana (technician) may not change the settings', hint: null, details: null }),
    );
    const api = fakeApi({ syncStatus: async () => status, syncCancel });
    render(<SyncSection lang="en" api={api} />);
    const row = await screen.findByTestId('sync-entry-a');
    fireEvent.click(within(row).getByRole('button', { name: t('en', 'sync.cancel') }));
    expect(await screen.findByText(/may not change the settings/)).toBeTruthy();
    expect(screen.getByTestId('sync-entry-a')).toBeTruthy();
  });

  it('says when no marketplace is configured', async () => {
    const api = fakeApi({
      syncStatus: async () => ({ ...status, configured: false, url: null, entries: [], pending: 0, in_flight: 0, failed: 0 }),
    });
    render(<SyncSection lang="en" api={api} />);
    expect((await screen.findByTestId('sync-target')).textContent).toBe(t('en', 'sync.notConfigured'));
    expect(screen.getByText(t('en', 'sync.empty'))).toBeTruthy();
  });
});
