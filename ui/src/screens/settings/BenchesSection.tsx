// The serial ports found on this machine, where benches plug in, and the ports the window's
// station follows (the `station.ports` setting, checked by the engine). The simulator is started
// from the station screen.
import { useEffect, useState, type ReactNode } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { SerialPortView } from '../../bindings/SerialPortView';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

export const PORTS_SETTING = 'station.ports';

/** The ports a `station.ports` value names, in its order. */
export function portsOf(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((port) => port.trim())
    .filter((port) => port !== '');
}

export interface BenchesSectionProps {
  lang: Lang;
  api: Api;
  /** The stored `station.ports`; null when not set. */
  configured: string | null;
  onSaved: (key: string, value: string) => void;
  /** The field to edit `station.ports` by hand. */
  children?: ReactNode;
}

export function BenchesSection({ lang, api, configured, onSaved, children }: BenchesSectionProps) {
  const [ports, setPorts] = useState<SerialPortView[] | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const refresh = () => {
    setError(null);
    api.serialPorts().then(setPorts, (failure: unknown) => setError(asWindowError(failure)));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(refresh, [api]);
  const used = portsOf(configured);
  const toggle = (port: string) => {
    setError(null);
    const next = used.includes(port) ? used.filter((other) => other !== port) : [...used, port];
    api.settingsSet({ key: PORTS_SETTING, value: next.join(',') }).then(
      (stored) => onSaved(stored.key, stored.value),
      (failure: unknown) => setError(asWindowError(failure)),
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-benches-title" data-testid="settings-benches">
      <h2 id="settings-benches-title">{t(lang, 'settings.benches.title')}</h2>
      {ports !== null && ports.length === 0 && <p>{t(lang, 'settings.benches.none')}</p>}
      {ports !== null && ports.length > 0 && (
        <table className="settings-table">
          <thead>
            <tr>
              <th>{t(lang, 'settings.benches.port')}</th>
              <th>{t(lang, 'settings.benches.kind')}</th>
              <th>{t(lang, 'settings.benches.product')}</th>
              <th>{t(lang, 'settings.benches.used')}</th>
            </tr>
          </thead>
          <tbody>
            {ports.map((port) => (
              <tr key={port.name} data-testid="settings-port">
                <td>{port.name}</td>
                <td>{port.kind}</td>
                <td>
                  {[port.manufacturer, port.product, port.serial_number, port.usb_id]
                    .filter((part) => part !== null)
                    .join(' · ')}
                </td>
                <td>
                  <button
                    type="button"
                    data-testid="settings-port-use"
                    aria-pressed={used.includes(port.name)}
                    onClick={() => toggle(port.name)}
                  >
                    {used.includes(port.name) ? t(lang, 'settings.benches.stopUsing') : t(lang, 'settings.benches.use')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {children}
      <p>{t(lang, 'settings.benches.simulator')}</p>
      <button type="button" data-testid="settings-ports-refresh" onClick={refresh}>
        {t(lang, 'settings.benches.refresh')}
      </button>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}
