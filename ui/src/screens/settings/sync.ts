// The logic of the Settings screen's marketplace sync section: what each outbox entry shows and
// which operator actions it offers. The engine decides; this only mirrors its rules so the
// buttons a refusal would meet are not offered.
import type { SyncEntry } from '../../bindings/SyncEntry';
import type { SyncStatus } from '../../bindings/SyncStatus';
import type { MessageKey } from '../../i18n';

/** The words of an entry's state. */
export function stateKey(state: string): MessageKey {
  switch (state) {
    case 'in_flight':
      return 'sync.state.inFlight';
    case 'failed':
      return 'sync.state.failed';
    default:
      return 'sync.state.pending';
  }
}

/** The words of an entry's kind. */
export function kindKey(kind: string): MessageKey {
  switch (kind) {
    case 'listing_quantity':
      return 'sync.kind.listingQuantity';
    case 'orderline_identity':
      return 'sync.kind.orderlineIdentity';
    case 'buyback_decision':
      return 'sync.kind.buybackDecision';
    default:
      return 'sync.kind.other';
  }
}

/** What the marketplace changes: `listing:SKU` shows as `SKU`. */
export function target(entry: SyncEntry): string {
  const colon = entry.resource.indexOf(':');
  return colon < 0 ? entry.resource : entry.resource.slice(colon + 1);
}

/** Retry and cancel apply to a waiting or failed entry; one being sent is left to the worker. */
export function actions(entry: SyncEntry): { retry: boolean; cancel: boolean } {
  const open = entry.state === 'pending' || entry.state === 'failed';
  return { retry: open, cancel: open };
}

/** The open entries, failed first (they wait for an operator), each kind in its order. */
export function rows(status: SyncStatus): SyncEntry[] {
  const rank = (entry: SyncEntry) => (entry.state === 'failed' ? 0 : entry.state === 'in_flight' ? 1 : 2);
  return status.entries
    .filter((entry) => entry.state === 'pending' || entry.state === 'in_flight' || entry.state === 'failed')
    .sort((a, b) => rank(a) - rank(b) || a.seq - b.seq);
}

/** The counts line's values. */
export function counts(status: SyncStatus): Record<string, number> {
  return { pending: status.pending, inflight: status.in_flight, failed: status.failed, sent: status.sent };
}

/** The status after an entry was retried or cancelled: the entry replaced (or gone once cancelled). */
export function applied(status: SyncStatus, changed: SyncEntry): SyncStatus {
  const before = status.entries.find((entry) => entry.id === changed.id);
  const entries =
    changed.state === 'cancelled'
      ? status.entries.filter((entry) => entry.id !== changed.id)
      : status.entries.map((entry) => (entry.id === changed.id ? changed : entry));
  const moved = { ...status, entries };
  if (before && before.state !== changed.state) {
    const bump = (state: string, by: number) => {
      if (state === 'pending') moved.pending += by;
      else if (state === 'in_flight') moved.in_flight += by;
      else if (state === 'failed') moved.failed += by;
      else if (state === 'sent') moved.sent += by;
      else if (state === 'cancelled') moved.cancelled += by;
    };
    bump(before.state, -1);
    bump(changed.state, 1);
  }
  return moved;
}
