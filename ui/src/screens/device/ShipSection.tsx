// Shipping: a sellable, erased device leaves for a marketplace order line. The engine refuses
// what may not ship (not sellable, never erased, already shipped, a line already given another
// device) and queues the line's IMEI or serial and the listing's new quantity for the
// marketplace; a shipped device shows where it went.
import { useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { DeviceDetail } from '../../bindings/DeviceDetail';
import type { Shipment } from '../../bindings/Shipment';
import { t, type Lang } from '../../i18n';

export interface ShipSectionProps {
  lang: Lang;
  api: Api;
  detail: DeviceDetail;
  /** The shipment is recorded: reload what the screen shows. */
  onShipped: (shipment: Shipment) => void;
  onError: (error: WindowError | null) => void;
}

export function ShipSection({ lang, api, detail, onShipped, onError }: ShipSectionProps) {
  const [orderLine, setOrderLine] = useState('');
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<Shipment | null>(null);
  const shipment = detail.shipment ?? last;

  const ship = async () => {
    setBusy(true);
    onError(null);
    try {
      const shipped = await api.ship({ device: detail.identity.device_id, order_line: orderLine.trim() });
      setLast(shipped);
      setOrderLine('');
      onShipped(shipped);
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card ship" aria-labelledby="device-ship" data-testid="ship">
      <h3 id="device-ship">{t(lang, 'device.ship')}</h3>
      {shipment !== null ? (
        <p data-testid="ship-done" data-order-line={shipment.order_line}>
          {t(lang, 'device.shipped', {
            line: shipment.order_line,
            identity: shipment.identity_value,
            operator: shipment.operator,
            at: new Date(shipment.shipped_at).toLocaleString(lang),
          })}
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void ship();
          }}
        >
          <p className="hint">{t(lang, 'device.shipHint')}</p>
          <label>
            {t(lang, 'device.shipOrderLine')}
            <input
              data-testid="ship-order-line"
              value={orderLine}
              onChange={(event) => setOrderLine(event.target.value)}
            />
          </label>
          <button type="submit" data-testid="ship-submit" disabled={busy || orderLine.trim() === ''}>
            {t(lang, 'device.shipSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}
