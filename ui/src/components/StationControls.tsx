// Starts and stops the window's station: on the benches the settings name (`station.ports`), with
// the simulated benches too when asked. Which benches, and whether they answer, is the engine's to
// say: the tiles show it.
import { useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../api';
import { t, type Lang } from '../i18n';
import { ErrorNotice } from './ErrorNotice';

export interface StationControlsProps {
  lang: Lang;
  api: Api;
}

type Said = { kind: 'started'; benches: number } | { kind: 'already' } | { kind: 'stopped' } | null;

export function StationControls({ lang, api }: StationControlsProps) {
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said>(null);
  const [error, setError] = useState<WindowError | null>(null);

  const run = (work: () => Promise<Said>) => {
    setBusy(true);
    setError(null);
    setSaid(null);
    work()
      .then(setSaid, (failure: unknown) => setError(asWindowError(failure)))
      .finally(() => setBusy(false));
  };
  const start = (simulate: boolean) =>
    run(async () => {
      const started = await api.startStation(simulate);
      return started === null ? { kind: 'already' } : { kind: 'started', benches: started.benches };
    });

  return (
    <div className="station-controls" data-testid="station-controls">
      <button type="button" data-testid="station-start" disabled={busy} onClick={() => start(false)}>
        {t(lang, 'stationControls.start')}
      </button>
      <button type="button" data-testid="station-start-simulated" disabled={busy} onClick={() => start(true)}>
        {t(lang, 'stationControls.startSimulated')}
      </button>
      <button
        type="button"
        data-testid="station-stop"
        disabled={busy}
        onClick={() =>
          run(async () => {
            await api.stopStation();
            return { kind: 'stopped' };
          })
        }
      >
        {t(lang, 'stationControls.stop')}
      </button>
      {said !== null && (
        <span role="status" data-testid="station-said">
          {said.kind === 'started'
            ? said.benches === 0
              ? t(lang, 'stationControls.startedNone')
              : said.benches === 1
                ? t(lang, 'stationControls.startedOne')
                : t(lang, 'stationControls.started', { benches: said.benches })
            : said.kind === 'already'
              ? t(lang, 'stationControls.already')
              : t(lang, 'stationControls.stopped')}
        </span>
      )}
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </div>
  );
}
