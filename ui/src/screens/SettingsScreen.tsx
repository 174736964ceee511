import { useEffect, useState, type FormEvent } from 'react';
import { asWindowError, type Api, type WindowError } from '../api';
import type { Setting } from '../bindings/Setting';
import { ErrorNotice } from '../components/ErrorNotice';
import { t, type Lang } from '../i18n';
import { BenchesSection, PORTS_SETTING } from './settings/BenchesSection';
import { channelKey, channelNames, CONSUMED, STATION_CHANNEL, THRESHOLD } from './settings/channels';
import { KeySection } from './settings/KeySection';
import { OperatorsSection } from './settings/OperatorsSection';
import { SettingField } from './settings/SettingField';
import { MarketplaceSection } from './settings/MarketplaceSection';
import { SyncSection } from './settings/SyncSection';
import './screens.css';

export interface SettingsScreenProps {
  lang: Lang;
  api: Api;
}

/** The workstation's settings, operators and keys. Every change goes through the engine. */
export function SettingsScreen({ lang, api }: SettingsScreenProps) {
  const [settings, setSettings] = useState<Setting[] | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const [newChannel, setNewChannel] = useState('');
  // Bumped when the marketplace is configured, so the sync section reads its status again.
  const [syncShown, setSyncShown] = useState(0);
  const [addedChannels, setAddedChannels] = useState<string[]>([]);

  useEffect(() => {
    api.settingsList().then(setSettings, (failure: unknown) => setError(asWindowError(failure)));
  }, [api]);

  const value = (key: string) => settings?.find((setting) => setting.key === key)?.value ?? null;
  const saved = (key: string, stored: string) =>
    setSettings((old) => {
      const list = old ?? [];
      return list.some((setting) => setting.key === key)
        ? list.map((setting) => (setting.key === key ? { key, value: stored } : setting))
        : [...list, { key, value: stored }];
    });
  const field = (key: string, label: string, extra: { choices?: [string, string][]; placeholder?: string } = {}) => (
    <SettingField
      key={key}
      lang={lang}
      api={api}
      settingKey={key}
      label={label}
      value={value(key)}
      onSaved={saved}
      {...extra}
    />
  );

  const channels = channelNames(settings ?? [], addedChannels);
  const addChannel = (event: FormEvent) => {
    event.preventDefault();
    const name = newChannel.trim().toLowerCase();
    if (name === '' || channels.includes(name)) return;
    setAddedChannels((old) => [...old, name]);
    setNewChannel('');
  };

  return (
    <section className="screen settings" data-testid="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t(lang, 'settings.title')}</h1>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      {settings !== null && (
        <>
          <section className="settings-section" aria-labelledby="settings-organisation-title" data-testid="settings-organisation">
            <h2 id="settings-organisation-title">{t(lang, 'settings.organisation.title')}</h2>
            {field('organisation.name', t(lang, 'settings.organisation.name'))}
            {field('organisation.address', t(lang, 'settings.organisation.address'))}
            {field('organisation.logo', t(lang, 'settings.organisation.logo'), { placeholder: '/etc/refurbdesk/logo.png' })}
          </section>

          <section className="settings-section" aria-labelledby="settings-channels-title" data-testid="settings-channels">
            <h2 id="settings-channels-title">{t(lang, 'settings.channels.title')}</h2>
            {field(STATION_CHANNEL, t(lang, 'settings.channels.station'), {
              choices: channels.map((name) => [name, name]),
            })}
            {channels.map((name) => (
              <fieldset key={name} data-testid={`channel-${name}`}>
                <legend>{name}</legend>
                {field(channelKey(name, THRESHOLD), t(lang, 'settings.channels.threshold'), {
                  placeholder: t(lang, 'settings.channels.default'),
                })}
                {field(channelKey(name, CONSUMED), t(lang, 'settings.channels.consumed'), {
                  placeholder: t(lang, 'settings.channels.default'),
                })}
              </fieldset>
            ))}
            <form onSubmit={addChannel}>
              <label>
                <span>{t(lang, 'settings.channels.new')}</span>
                <input data-testid="channel-new" value={newChannel} onChange={(event) => setNewChannel(event.target.value)} />
              </label>
              <button type="submit" disabled={newChannel.trim() === ''}>
                {t(lang, 'settings.channels.add')}
              </button>
            </form>
          </section>

          <BenchesSection lang={lang} api={api} configured={value(PORTS_SETTING)} onSaved={saved}>
            {field(PORTS_SETTING, t(lang, 'settings.benches.ports'), { placeholder: '/dev/ttyUSB0,/dev/ttyUSB1' })}
          </BenchesSection>

          <section className="settings-section" aria-labelledby="settings-station-title" data-testid="settings-station">
            <h2 id="settings-station-title">{t(lang, 'settings.station.title')}</h2>
            {field('session.idle_lock_minutes', t(lang, 'settings.station.idleLock'), { placeholder: '15' })}
            {field('qa.sample_pct', t(lang, 'settings.station.sampleShare'), { placeholder: '5' })}
            {field('label.printer', t(lang, 'settings.station.labelPrinter'), { placeholder: '192.0.2.10:9100' })}
          </section>
          <OperatorsSection lang={lang} api={api} />

          <section className="settings-section" aria-labelledby="settings-language-title" data-testid="settings-language">
            <h2 id="settings-language-title">{t(lang, 'settings.language.title')}</h2>
            {field('certificate.language', t(lang, 'settings.language.documents'), {
              choices: [
                ['en', t(lang, 'settings.language.en')],
                ['fr', t(lang, 'settings.language.fr')],
              ],
            })}
          </section>

          <KeySection lang={lang} api={api} />
          <MarketplaceSection lang={lang} api={api} onConfigured={() => setSyncShown((shown) => shown + 1)} />
          <SyncSection key={syncShown} lang={lang} api={api} />
        </>
      )}
    </section>
  );
}
