import { useCallback, useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { QaList } from '../../bindings/QaList';
import type { QaSampleView } from '../../bindings/QaSampleView';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

interface QaPanelProps {
  lang: Lang;
  api: Api;
}

/**
 * Verification sampling: the queue of erasures drawn for an independent re-check, each
 * technician's pass rate, a draw, and the re-check of one sample (read back, or a manual result).
 * The engine draws, checks who may verify and decides what a failure flags.
 */
export function QaPanel({ lang, api }: QaPanelProps) {
  const [list, setList] = useState<QaList | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const [busy, setBusy] = useState(false);
  const [paths, setPaths] = useState<Record<string, string>>({});
  // What the verifier writes about a sample (recorded with the result, as `qa verify --note`).
  const [notes, setNotes] = useState<Record<string, string>>({});

  const refresh = useCallback(() => {
    api.qaList().then(setList, (failure: unknown) => setError(asWindowError(failure)));
  }, [api]);
  useEffect(refresh, [refresh]);

  const attempt = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work()
      .then(refresh, (failure: unknown) => setError(asWindowError(failure)))
      .finally(() => setBusy(false));
  };
  const verify = (sample: QaSampleView, check: Parameters<Api['qaVerify']>[0]['check']) =>
    attempt(() => {
      const note = (notes[sample.sample_id] ?? '').trim();
      return api.qaVerify({ erasure: sample.erasure_id, check, note: note === '' ? null : note });
    });

  return (
    <section className="quality-panel quality-sampling" data-testid="quality-sampling" aria-labelledby="quality-sampling-title">
      <h2 id="quality-sampling-title">{t(lang, 'quality.sampling.title')}</h2>
      <button type="button" data-testid="qa-draw" disabled={busy} onClick={() => attempt(() => api.qaDraw({ seed: null }))}>
        {t(lang, 'quality.sampling.draw')}
      </button>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      {list !== null && list.queue.length === 0 && <p>{t(lang, 'quality.sampling.empty')}</p>}
      {list !== null && list.queue.length > 0 && (
        <ul className="qa-queue" data-testid="qa-queue">
          {list.queue.map((sample) => (
            <li key={sample.sample_id} data-testid="qa-sample" data-needs={sample.needs} data-reason={sample.reason}>
              <span>
                {t(lang, 'quality.sampling.sample', {
                  technician: sample.technician,
                  week: sample.week,
                  method: sample.method,
                  target: sample.target,
                })}
                {sample.reason === 'flagged' && ` · ${t(lang, 'quality.sampling.flagged')}`}
              </span>
              <input
                data-testid="qa-note"
                aria-label={t(lang, 'quality.sampling.note')}
                placeholder={t(lang, 'quality.sampling.note')}
                value={notes[sample.sample_id] ?? ''}
                onChange={(event) => setNotes((known) => ({ ...known, [sample.sample_id]: event.target.value }))}
              />
              {sample.needs === 'readback' ? (
                <>
                  <input
                    aria-label={t(lang, 'quality.sampling.target')}
                    placeholder={t(lang, 'quality.sampling.target')}
                    value={paths[sample.sample_id] ?? ''}
                    onChange={(event) => setPaths((known) => ({ ...known, [sample.sample_id]: event.target.value }))}
                  />
                  <button
                    type="button"
                    disabled={busy || (paths[sample.sample_id] ?? '').trim() === ''}
                    onClick={() => verify(sample, { kind: 'target', path: (paths[sample.sample_id] ?? '').trim() })}
                  >
                    {t(lang, 'quality.sampling.readBack')}
                  </button>
                </>
              ) : (
                <>
                  <button type="button" disabled={busy} onClick={() => verify(sample, { kind: 'manual', result: 'pass' })}>
                    {t(lang, 'quality.sampling.pass')}
                  </button>
                  <button type="button" disabled={busy} onClick={() => verify(sample, { kind: 'manual', result: 'fail' })}>
                    {t(lang, 'quality.sampling.fail')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {list !== null && list.technicians.length > 0 && (
        <table className="qa-rates" data-testid="qa-rates">
          <thead>
            <tr>
              <th>{t(lang, 'quality.sampling.technician')}</th>
              <th>{t(lang, 'quality.sampling.passed')}</th>
              <th>{t(lang, 'quality.sampling.failed')}</th>
              <th>{t(lang, 'quality.sampling.waiting')}</th>
              <th>{t(lang, 'quality.sampling.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {list.technicians.map((rate) => (
              <tr key={rate.technician} data-technician={rate.technician}>
                <td>{rate.technician}</td>
                <td>{rate.passed}</td>
                <td>{rate.failed}</td>
                <td>{rate.waiting}</td>
                <td>{rate.pass_rate_pct === null ? '—' : `${Math.round(rate.pass_rate_pct)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
