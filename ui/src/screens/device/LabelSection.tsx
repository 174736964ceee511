// The device's stock label, as the CLI prints it: a PDF the label's size (any printer), a ZPL
// file for a thermal label printer, or the ZPL sent raw to a label printer at HOST:PORT. Files go
// to the station's documents folder; the printer's address starts as the `label.printer` setting
// and is remembered there once a label has been sent to it.
import { useEffect, useId, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { LabelOutput } from '../../bindings/LabelOutput';
import { t, type Lang, type MessageKey } from '../../i18n';

/** The setting holding the label printer's `HOST:PORT`. */
export const LABEL_PRINTER_SETTING = 'label.printer';

export const LABEL_FORMATS = ['pdf', 'zpl', 'printer'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

const FORMAT_KEYS: Readonly<Record<LabelFormat, MessageKey>> = {
  pdf: 'device.labelFormatPdf',
  zpl: 'device.labelFormatZpl',
  printer: 'device.labelFormatPrinter',
};

/**
 * Whether `address` has the shape HOST:PORT: a host (an IPv6 address in brackets), a colon and
 * a port from 1 to 65535. Whether the host exists and answers is the engine's to say.
 */
export function isPrinterAddress(address: string): boolean {
  const at = address.lastIndexOf(':');
  if (at < 0) return false;
  const host = address.slice(0, at);
  const port = address.slice(at + 1);
  if (host === '' || /\s/.test(host)) return false;
  if (host.includes(':') && !/^\[[0-9A-Fa-f:.]+\]$/.test(host)) return false;
  if (!/^\d{1,5}$/.test(port)) return false;
  const number = Number(port);
  return number >= 1 && number <= 65535;
}

export interface LabelSectionProps {
  lang: Lang;
  api: Api;
  deviceId: string;
  /** The station's documents folder; the working folder when unknown. */
  documentsDir: string | null;
  onError: (error: WindowError | null) => void;
}

export function LabelSection({ lang, api, deviceId, documentsDir, onError }: LabelSectionProps) {
  const ids = useId();
  const [format, setFormat] = useState<LabelFormat>('pdf');
  const [address, setAddress] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [printed, setPrinted] = useState<{ destination: string; toPrinter: boolean } | null>(null);

  // The printer remembered in the settings; without it (or when the settings cannot be read) the
  // field starts empty, which the button then asks to fill.
  useEffect(() => {
    let live = true;
    api
      .settingsList()
      .then((settings) => {
        if (!live) return;
        const value = settings.find((setting) => setting.key === LABEL_PRINTER_SETTING)?.value ?? null;
        setSaved(value);
        if (value !== null) setAddress((typed) => (typed === '' ? value : typed));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  const print = async () => {
    const folder = documentsDir ?? '.';
    let output: LabelOutput;
    const printer = address.trim();
    if (format === 'printer') {
      if (!isPrinterAddress(printer)) {
        setInvalid(true);
        return;
      }
      output = { kind: 'printer', address: printer };
    } else {
      output = { kind: format, file: `${folder}/label-${deviceId}.${format}` };
    }
    setInvalid(false);
    setBusy(true);
    onError(null);
    try {
      const done = await api.labelPrint({ device: deviceId, output, size: null, lang });
      setPrinted({ destination: done.destination, toPrinter: output.kind === 'printer' });
      if (output.kind === 'printer' && printer !== saved) {
        await api.settingsSet({ key: LABEL_PRINTER_SETTING, value: printer });
        setSaved(printer);
      }
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  const formatId = `${ids}-format`;
  const printerId = `${ids}-printer`;
  const invalidId = `${ids}-printer-invalid`;

  return (
    <section className="card label" aria-labelledby="device-label">
      <h3 id="device-label" className="visually-hidden">
        {t(lang, 'device.printLabel')}
      </h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void print();
        }}
      >
        <label htmlFor={formatId}>{t(lang, 'device.labelFormat')}</label>
        <select
          id={formatId}
          data-testid="label-format"
          value={format}
          onChange={(event) => {
            setFormat(event.target.value as LabelFormat);
            setInvalid(false);
          }}
        >
          {LABEL_FORMATS.map((option) => (
            <option key={option} value={option}>
              {t(lang, FORMAT_KEYS[option])}
            </option>
          ))}
        </select>
        {format === 'printer' && (
          <>
            <label htmlFor={printerId}>{t(lang, 'device.labelPrinter')}</label>
            <input
              id={printerId}
              data-testid="label-printer"
              value={address}
              placeholder="192.0.2.10:9100"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={invalid}
              aria-describedby={invalid ? invalidId : undefined}
              onChange={(event) => {
                setAddress(event.target.value);
                setInvalid(false);
              }}
            />
          </>
        )}
        <button type="submit" data-testid="label-print" disabled={busy}>
          {t(lang, 'device.printLabel')}
        </button>
        {invalid && (
          <p id={invalidId} role="alert" className="hint" data-testid="label-printer-invalid">
            {t(lang, 'device.labelPrinterInvalid')}
          </p>
        )}
      </form>
      {printed !== null && (
        <p data-testid="label-printed">
          {t(lang, printed.toPrinter ? 'device.labelSent' : 'device.labelPrinted', {
            destination: printed.destination,
          })}
        </p>
      )}
    </section>
  );
}
