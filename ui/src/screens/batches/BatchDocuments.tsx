// A batch's documents: the signed audit report, the audit as CSV or XLSX and its devices'
// certificates in one ZIP, written into the station's documents folder. What may be issued
// (every received device audited) is the application layer's rule; the panel shows its answer.
import { useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { SheetFormat } from '../../bindings/SheetFormat';
import { t, type Lang } from '../../i18n';

export interface BatchDocumentsProps {
  lang: Lang;
  api: Api;
  batch: string;
  onError: (error: WindowError) => void;
}

/** The file an export writes in `folder`: `batch-<id>.<format>`. */
export function exportPath(folder: string, batch: string, format: SheetFormat): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const base = folder.endsWith(separator) ? folder.slice(0, -1) : folder;
  return `${base}${separator}batch-${batch}.${format}`;
}

export function BatchDocuments({ lang, api, batch, onError }: BatchDocumentsProps) {
  const [folder, setFolder] = useState<string | null>(null);
  const [format, setFormat] = useState<SheetFormat>('xlsx');
  const [written, setWritten] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api
      .stationInfo()
      .then((info) => setFolder(info.documents))
      .catch(() => setFolder(null));
  }, [api]);

  const out = folder ?? '.';
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setWritten(null);
    try {
      setWritten(await action());
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card batches__documents" aria-label={t(lang, 'batches.documents')}>
      <h3>{t(lang, 'batches.documents')}</h3>
      <button
        type="button"
        data-testid="batch-report"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const issued = await api.batchesReport({ batch, out, lang });
            return issued.pdf ?? out;
          })
        }
      >
        {t(lang, 'batches.report')}
      </button>{' '}
      <select
        aria-label={t(lang, 'batches.exportFormat')}
        value={format}
        onChange={(event) => setFormat(event.target.value as SheetFormat)}
      >
        <option value="xlsx">XLSX</option>
        <option value="csv">CSV</option>
      </select>{' '}
      <button
        type="button"
        data-testid="batch-export"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const exported = await api.batchesExport({ batch, format, out: exportPath(out, batch, format), lang });
            return exported.path;
          })
        }
      >
        {t(lang, 'batches.export')}
      </button>{' '}
      <button
        type="button"
        data-testid="batch-certificates"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const gathered = await api.batchesCertificates({ batch, out, zip: true });
            return gathered.zip ?? gathered.out;
          })
        }
      >
        {t(lang, 'batches.certificates')}
      </button>
      {written !== null && (
        <p role="status" data-testid="batch-written">
          {t(lang, 'batches.written', { path: written })}
        </p>
      )}
    </section>
  );
}
