// The organisation's signing key: its fingerprint, a rotation (asked twice), and the public key
// written to a path for customers who verify documents offline.
import { useEffect, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { Keys } from '../../bindings/Keys';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

/** A fingerprint in groups of four, as documents print it. */
export function grouped(fingerprint: string): string {
  return fingerprint.match(/.{1,4}/g)?.join(' ') ?? '';
}

export function KeySection({ lang, api }: { lang: Lang; api: Api }) {
  const [keys, setKeys] = useState<Keys | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [out, setOut] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<WindowError | null>(null);

  const load = () =>
    api.documentsKeys().then(setKeys, (failure: unknown) => setError(asWindowError(failure)));
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  const rotate = async () => {
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    setError(null);
    try {
      const rotated = await api.documentsRotateKey();
      setNotice(t(lang, 'settings.key.rotated', { key: rotated.active.key_id }));
      await load();
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const exportKey = async (event: FormEvent) => {
    event.preventDefault();
    if (out.trim() === '') return;
    setError(null);
    try {
      const written = await api.documentsExportKey({ out: out.trim() });
      setNotice(t(lang, 'settings.key.exported', { file: written.file }));
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const active = keys?.active ?? null;
  return (
    <section className="settings-section" aria-labelledby="settings-key-title" data-testid="settings-key">
      <h2 id="settings-key-title">{t(lang, 'settings.key.title')}</h2>
      {active === null ? (
        <p>{t(lang, 'settings.key.none')}</p>
      ) : (
        <dl>
          <dt>{t(lang, 'settings.key.fingerprint')}</dt>
          <dd className="settings-fingerprint" data-testid="settings-key-fingerprint">
            {grouped(active.fingerprint)}
          </dd>
          <dt>{t(lang, 'settings.key.since')}</dt>
          <dd>{active.created_at.slice(0, 10)}</dd>
        </dl>
      )}
      <button type="button" data-testid="settings-key-rotate" onClick={rotate}>
        {t(lang, confirming ? 'settings.key.rotateConfirm' : 'settings.key.rotate')}
      </button>
      {confirming && <p role="alert">{t(lang, 'settings.key.rotateWarning')}</p>}
      <form onSubmit={exportKey}>
        <label>
          <span>{t(lang, 'settings.key.exportPath')}</span>
          <input
            data-testid="settings-key-export-path"
            value={out}
            placeholder="/media/usb/refurbdesk-public-key.json"
            onChange={(event) => setOut(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="settings-key-export" disabled={out.trim() === ''}>
          {t(lang, 'settings.key.export')}
        </button>
      </form>
      {notice !== null && <p role="status">{notice}</p>}
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}
