import { useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../api';
import type { SessionInfo } from '../bindings/SessionInfo';
import { ErrorNotice } from '../components/ErrorNotice';
import { t, type Lang } from '../i18n';

export interface LoginScreenProps {
  lang: Lang;
  api: Api;
  /** The window was locked after this long idle, when it was (minutes). */
  lockedAfter?: number | null;
  onLoggedIn: (session: SessionInfo) => void;
}

/** Operator name and PIN; the engine checks the PIN and records the attempt. */
export function LoginScreen({ lang, api, lockedAfter = null, onLoggedIn }: LoginScreenProps) {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<WindowError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await api.sessionLogin({ name: name.trim(), pin, lang }));
    } catch (failure) {
      setError(asWindowError(failure));
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="screen login" data-testid="login" aria-labelledby="login-title">
      <h2 id="login-title">{t(lang, 'login.title')}</h2>
      {lockedAfter !== null && <p role="status">{t(lang, 'login.locked', { minutes: lockedAfter })}</p>}
      <form
        className="login__form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          {t(lang, 'login.name')}
          <input
            data-testid="login-name"
            autoComplete="username"
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label>
          {t(lang, 'login.pin')}
          <input
            data-testid="login-pin"
            type="password"
            inputMode="numeric"
            autoComplete="current-password"
            value={pin}
            onChange={(event) => setPin(event.target.value)}
          />
        </label>
        <button type="submit" data-testid="login-submit" disabled={busy || name.trim() === ''}>
          {t(lang, 'login.submit')}
        </button>
      </form>
      <ErrorNotice error={error} lang={lang} />
    </section>
  );
}

export interface FirstAdminProps {
  lang: Lang;
  api: Api;
  onCreated: (session: SessionInfo) => void;
}

/** While no admin has a PIN: the invitation to create the first admin with one. */
export function FirstAdminInvite({ lang, api, onCreated }: FirstAdminProps) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<WindowError | null>(null);
  // One request at a time: a double click must not ask the engine twice.
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <div className="invite" role="status" data-testid="first-admin-invite">
        {t(lang, 'login.inviteFirstAdmin')}{' '}
        <button type="button" onClick={() => setOpen(true)}>
          {t(lang, 'login.createFirstAdmin')}
        </button>
      </div>
    );
  }
  return (
    <form
      className="invite"
      data-testid="first-admin"
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(null);
        void api
          .sessionCreateFirstAdmin({ name: name.trim(), pin, repeat })
          .then(onCreated)
          .catch((failure: unknown) => setError(asWindowError(failure)))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        {t(lang, 'login.name')}
        <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        {t(lang, 'login.pin')}
        <input type="password" value={pin} onChange={(event) => setPin(event.target.value)} />
      </label>
      <label>
        {t(lang, 'login.repeat')}
        <input type="password" value={repeat} onChange={(event) => setRepeat(event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {t(lang, 'login.createFirstAdmin')}
      </button>
      <ErrorNotice error={error} lang={lang} />
    </form>
  );
}
