// The marketplace outbox (issue 18): what waits, what is being sent, what failed with the
// marketplace's own message; Retry and Cancel for an operator (the engine checks the role and
// audits each).
import { useCallback, useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { SyncEntry } from '../../bindings/SyncEntry';
import type { SyncStatus } from '../../bindings/SyncStatus';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';
import { actions, applied, counts, kindKey, rows, stateKey, target } from './sync';

export function SyncSection({ lang, api }: { lang: Lang; api: Api }) {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<WindowError | null>(null);

  const load = useCallback(() => {
    api.syncStatus().then(setStatus, (failure: unknown) => setError(asWindowError(failure)));
  }, [api]);
  useEffect(load, [load]);

  const decide = async (work: () => Promise<SyncEntry>) => {
    setError(null);
    try {
      const changed = await work();
      setStatus((old) => (old === null ? old : applied(old, changed)));
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const open = status === null ? [] : rows(status);
  return (
    <section className="settings-section" aria-labelledby="sync-status-title" data-testid="sync-status">
      <h2 id="sync-status-title">{t(lang, 'sync.title')}</h2>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      {status !== null && (
        <>
          <p data-testid="sync-target">
            {status.configured && status.url !== null ? t(lang, 'sync.configured', { url: status.url }) : t(lang, 'sync.notConfigured')}
          </p>
          <p data-testid="sync-counts">{t(lang, 'sync.counts', counts(status))}</p>
          {open.length === 0 ? (
            <p>{t(lang, 'sync.empty')}</p>
          ) : (
            <table className="settings-table">
              <thead>
                <tr>
                  <th>{t(lang, 'sync.state')}</th>
                  <th>{t(lang, 'sync.change')}</th>
                  <th>{t(lang, 'sync.attempts')}</th>
                  <th>{t(lang, 'sync.message')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {open.map((entry) => {
                  const can = actions(entry);
                  return (
                    <tr key={entry.id} data-testid={`sync-entry-${entry.id}`} data-state={entry.state}>
                      <td>{t(lang, stateKey(entry.state))}</td>
                      <td>
                        {t(lang, kindKey(entry.kind))} <code>{target(entry)}</code>
                      </td>
                      <td>{entry.attempts}</td>
                      <td>{entry.last_error ?? ''}</td>
                      <td>
                        {can.retry && (
                          <button type="button" onClick={() => void decide(() => api.syncRetry({ id: entry.id }))}>
                            {t(lang, 'sync.retry')}
                          </button>
                        )}
                        {can.cancel && (
                          <button type="button" onClick={() => void decide(() => api.syncCancel({ id: entry.id }))}>
                            {t(lang, 'sync.cancel')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <button type="button" onClick={load}>
            {t(lang, 'sync.refresh')}
          </button>
        </>
      )}
    </section>
  );
}
