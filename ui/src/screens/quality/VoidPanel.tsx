// Voiding a certificate (quality managers; the engine checks the role): find a device's
// documents, pick one, say why. The reason is required and kept with the void.
import { useEffect, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { DocumentSummary } from '../../bindings/DocumentSummary';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

export interface VoidPanelProps {
  lang: Lang;
  api: Api;
  /** The device the list's active row names, to start from. */
  device: string | null;
}

export function VoidPanel({ lang, api, device }: VoidPanelProps) {
  const [reference, setReference] = useState(device ?? '');
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [reason, setReason] = useState('');
  const [voided, setVoided] = useState<DocumentSummary | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (device !== null) setReference(device);
  }, [device]);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    if (reference.trim() === '') return;
    setError(null);
    setVoided(null);
    try {
      const found = await api.documentsList({ device: reference.trim(), since: null });
      setDocuments(found);
      setChosen(found.find((document) => !document.voided)?.id ?? '');
    } catch (failure) {
      setDocuments(null);
      setError(asWindowError(failure));
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === '' || reason.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const done = await api.documentsVoid({ id: chosen, reason: reason.trim() });
      setVoided(done);
      setReason('');
      setDocuments((old) => old?.map((document) => (document.id === done.id ? done : document)) ?? null);
      setChosen('');
    } catch (failure) {
      setError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  const open = documents?.filter((document) => !document.voided) ?? [];
  return (
    <section className="quality-panel" aria-labelledby="quality-void-title" data-testid="quality-void">
      <h2 id="quality-void-title">{t(lang, 'quality.void.title')}</h2>
      <form onSubmit={find}>
        <label>
          <span>{t(lang, 'quality.void.device')}</span>
          <input
            data-testid="quality-void-device"
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="quality-void-find">
          {t(lang, 'quality.void.find')}
        </button>
      </form>
      {documents !== null && documents.length === 0 && <p>{t(lang, 'quality.void.none')}</p>}
      {documents !== null && documents.length > 0 && (
        <form onSubmit={confirm}>
          <label>
            <span>{t(lang, 'quality.void.document')}</span>
            <select
              data-testid="quality-void-document"
              value={chosen}
              onChange={(event) => setChosen(event.target.value)}
            >
              <option value="" disabled>
                {t(lang, 'quality.void.pick')}
              </option>
              {documents.map((document) => (
                <option key={document.id} value={document.id} disabled={document.voided}>
                  {`${document.issued_at.slice(0, 10)} · ${t(lang, kindKey(document.kind))} · ${document.id.slice(0, 8)}`}
                  {document.voided ? ` · ${t(lang, 'quality.void.alreadyVoid')}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t(lang, 'quality.void.reason')}</span>
            <textarea
              data-testid="quality-void-reason"
              value={reason}
              required
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <button
            type="submit"
            data-testid="quality-void-confirm"
            disabled={busy || chosen === '' || reason.trim() === '' || open.length === 0}
          >
            {t(lang, 'quality.void.confirm')}
          </button>
        </form>
      )}
      {voided !== null && (
        <p role="status" data-testid="quality-void-done">
          {t(lang, 'quality.void.done', { id: voided.id.slice(0, 8) })}
        </p>
      )}
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}

function kindKey(kind: string) {
  switch (kind) {
    case 'erasure_certificate':
      return 'quality.kind.erasureCertificate' as const;
    case 'destruction_certificate':
      return 'quality.kind.destructionCertificate' as const;
    default:
      return 'quality.kind.deviceReport' as const;
  }
}
