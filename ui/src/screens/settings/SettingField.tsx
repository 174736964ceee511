// One setting: its stored value, a field to change it, and Save. The engine checks the value;
// when it refuses, its `{message, hint}` shows and the field goes back to the stored value.
import { useEffect, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

export interface SettingFieldProps {
  lang: Lang;
  api: Api;
  settingKey: string;
  label: string;
  /** The stored value; null when not set. */
  value: string | null;
  onSaved: (key: string, value: string) => void;
  /** A choice of values instead of free text: value → label. */
  choices?: [string, string][];
  placeholder?: string;
}

export function SettingField({ lang, api, settingKey, label, value, onSaved, choices, placeholder }: SettingFieldProps) {
  const [draft, setDraft] = useState(value ?? '');
  const [error, setError] = useState<WindowError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => setDraft(value ?? ''), [value]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(null);
    try {
      const stored = await api.settingsSet({ key: settingKey, value: draft });
      onSaved(stored.key, stored.value);
      setSaved(true);
    } catch (failure) {
      setError(asWindowError(failure));
      setDraft(value ?? '');
    } finally {
      setBusy(false);
    }
  };

  const id = `setting-${settingKey.replace(/[^a-z0-9]+/gi, '-')}`;
  return (
    <form className="setting-field" data-testid={id} onSubmit={save}>
      <label htmlFor={`${id}-input`}>
        <span>{label}</span>
      </label>
      {choices === undefined ? (
        <input
          id={`${id}-input`}
          data-testid={`${id}-input`}
          value={draft}
          placeholder={placeholder}
          onChange={(event) => {
            setDraft(event.target.value);
            setSaved(false);
          }}
        />
      ) : (
        <select
          id={`${id}-input`}
          data-testid={`${id}-input`}
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            setSaved(false);
          }}
        >
          {value === null && <option value="">{t(lang, 'settings.unset')}</option>}
          {choices.map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
      )}
      <button type="submit" data-testid={`${id}-save`} disabled={busy || draft === (value ?? '')}>
        {t(lang, 'settings.save')}
      </button>
      {saved && <span role="status">{t(lang, 'settings.saved')}</span>}
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </form>
  );
}
