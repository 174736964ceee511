// The serial ports found on this machine, where benches plug in. There is no setting for the
// simulator: it is started from the station screen.
import { useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { SerialPortView } from '../../bindings/SerialPortView';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';

export function BenchesSection({ lang, api }: { lang: Lang; api: Api }) {
  const [ports, setPorts] = useState<SerialPortView[] | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const refresh = () => {
    setError(null);
    api.serialPorts().then(setPorts, (failure: unknown) => setError(asWindowError(failure)));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(refresh, [api]);

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
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{t(lang, 'settings.benches.simulator')}</p>
      <button type="button" data-testid="settings-ports-refresh" onClick={refresh}>
        {t(lang, 'settings.benches.refresh')}
      </button>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
    </section>
  );
}
