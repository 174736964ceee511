// The marketplace connection (issue 18): where the seller API is and who we are to it, and the
// API token, which goes to a file only the station's user can read and is never shown again.
// Configuring also puts in stock the devices graded sellable before; the engine checks the role.
import { useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { MarketplaceConfigured } from '../../bindings/MarketplaceConfigured';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

interface Form {
  url: string;
  company: string;
  integration: string;
  email: string;
  lang: string;
  skuTemplate: string;
  token: string;
}

const EMPTY: Form = {
  url: 'https://www.backmarket.fr',
  company: '',
  integration: 'Refurbdesk',
  email: '',
  lang: 'fr-fr',
  skuTemplate: '',
  token: '',
};

export function MarketplaceSection({ lang, api, onConfigured }: { lang: Lang; api: Api; onConfigured?: () => void }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [timeFactor, setTimeFactor] = useState(1);
  const [done, setDone] = useState<MarketplaceConfigured | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.marketplaceSettings().then(
      (settings) => {
        if (settings === null) return;
        setTimeFactor(settings.time_factor);
        setForm({
          url: settings.url,
          company: settings.company,
          integration: settings.integration,
          email: settings.email,
          lang: settings.lang,
          skuTemplate: settings.sku_template ?? '',
          token: '',
        });
      },
      (failure: unknown) => setError(asWindowError(failure)),
    );
  }, [api]);

  const field = (name: keyof Form, key: Parameters<typeof t>[1], type = 'text') => (
    <label>
      {t(lang, key)}
      <input
        type={type}
        data-testid={`marketplace-${name}`}
        value={form[name]}
        autoComplete="off"
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
      />
    </label>
  );

  const submit = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const configured = await api.marketplaceConfigure({
        settings: {
          url: form.url.trim(),
          company: form.company.trim(),
          integration: form.integration.trim(),
          email: form.email.trim(),
          lang: form.lang.trim(),
          time_factor: timeFactor,
          sku_template: form.skuTemplate.trim() === '' ? null : form.skuTemplate.trim(),
        },
        token: form.token,
      });
      setDone(configured);
      setForm((old) => ({ ...old, token: '' }));
      onConfigured?.();
    } catch (failure) {
      setError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  const complete = [form.url, form.company, form.integration, form.email, form.lang, form.token].every(
    (value) => value.trim() !== '',
  );
  return (
    <section className="settings-section" aria-labelledby="marketplace-title" data-testid="marketplace">
      <h2 id="marketplace-title">{t(lang, 'sync.setup.title')}</h2>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {field('url', 'sync.setup.url')}
        {field('company', 'sync.setup.company')}
        {field('integration', 'sync.setup.integration')}
        {field('email', 'sync.setup.email', 'email')}
        {field('lang', 'sync.setup.lang')}
        {field('skuTemplate', 'sync.setup.skuTemplate')}
        {field('token', 'sync.setup.token', 'password')}
        <p className="hint">{t(lang, 'sync.setup.tokenHint')}</p>
        <button type="submit" data-testid="marketplace-save" disabled={busy || !complete}>
          {t(lang, 'sync.setup.save')}
        </button>
      </form>
      {done !== null && (
        <p data-testid="marketplace-configured" data-stocked={done.stocked}>
          {t(lang, 'sync.setup.saved', { agent: done.user_agent, stocked: done.stocked })}
        </p>
      )}
    </section>
  );
}
