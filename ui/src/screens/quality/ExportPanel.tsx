// Bulk export of the signed documents into a folder: progress from the engine's `export`
// reports, and a Cancel that stops the export after the document being written.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { ExportResult } from '../../bindings/ExportResult';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

export interface ExportPanelProps {
  lang: Lang;
  api: Api;
}

interface Running {
  done: number;
  total: number | null;
  cancelling: boolean;
}

export function ExportPanel({ lang, api }: ExportPanelProps) {
  const [folder, setFolder] = useState('');
  const [since, setSince] = useState('');
  const [zip, setZip] = useState(false);
  const [running, setRunning] = useState<Running | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const unlisten = useRef<(() => void) | null>(null);

  useEffect(() => () => unlisten.current?.(), []);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (running !== null || folder.trim() === '') return;
    setResult(null);
    setError(null);
    setRunning({ done: 0, total: null, cancelling: false });
    unlisten.current = await api.onProgress((report) => {
      if (report.task !== 'export') return;
      setRunning((old) => old && { ...old, done: report.done, total: report.total });
    });
    try {
      setResult(
        await api.documentsExport({
          device: null,
          since: since === '' ? null : `${since}T00:00:00Z`,
          all: since === '',
          out: folder.trim(),
          zip,
          lang: null,
        }),
      );
    } catch (failure) {
      setError(asWindowError(failure));
    } finally {
      unlisten.current?.();
      unlisten.current = null;
      setRunning(null);
    }
  };

  const cancel = async () => {
    setRunning((old) => old && { ...old, cancelling: true });
    try {
      await api.documentsExportCancel();
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  return (
    <section className="quality-panel" aria-labelledby="quality-export-title" data-testid="quality-export">
      <h2 id="quality-export-title">{t(lang, 'quality.export.title')}</h2>
      <form onSubmit={start}>
        <label>
          <span>{t(lang, 'quality.export.folder')}</span>
          <input
            data-testid="quality-export-folder"
            value={folder}
            placeholder="/media/usb/certificates"
            onChange={(event) => setFolder(event.target.value)}
            disabled={running !== null}
          />
        </label>
        <label>
          <span>{t(lang, 'quality.export.since')}</span>
          <input
            type="date"
            value={since}
            onChange={(event) => setSince(event.target.value)}
            disabled={running !== null}
          />
        </label>
        <label className="quality-check">
          <input
            type="checkbox"
            checked={zip}
            onChange={(event) => setZip(event.target.checked)}
            disabled={running !== null}
          />
          <span>{t(lang, 'quality.export.zip')}</span>
        </label>
        <button
          type="submit"
          data-testid="quality-export-start"
          disabled={running !== null || folder.trim() === ''}
        >
          {t(lang, 'quality.export.start')}
        </button>
        {running !== null && (
          <button
            type="button"
            data-testid="quality-export-cancel"
            onClick={cancel}
            disabled={running.cancelling}
          >
            {t(lang, running.cancelling ? 'quality.export.cancelling' : 'quality.export.cancel')}
          </button>
        )}
      </form>
      {running !== null && (
        <div className="quality-progress">
          <progress
            data-testid="quality-export-progress"
            value={running.done}
            max={running.total ?? undefined}
            aria-label={t(lang, 'quality.export.title')}
          />
          <span>
            {running.total === null
              ? t(lang, 'quality.export.starting')
              : t(lang, 'quality.export.progress', { done: running.done, total: running.total })}
          </span>
        </div>
      )}
      {result !== null && (
        <p data-testid="quality-export-done" role="status">
          {t(lang, 'quality.export.done', { count: result.count, folder: result.zip ?? result.out })}
        </p>
      )}
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}
