import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Api, WindowError } from '../../api';
import type { LabelParams } from '../../bindings/LabelParams';
import type { LabelPrinted } from '../../bindings/LabelPrinted';
import type { Setting } from '../../bindings/Setting';
import { DEVICE_ID } from '../../test/deviceFixtures';
import { fakeApi, type Calls } from '../../test/fakeApi';
import { isPrinterAddress, LabelSection } from './LabelSection';

const PRINTER = '192.0.2.10:9100';

function printed(params: LabelParams): LabelPrinted {
  const output = params.output;
  return {
    device_id: DEVICE_ID,
    format: output.kind === 'pdf' ? 'pdf' : 'zpl',
    destination: output.kind === 'printer' ? output.address : output.file,
    bytes: 1200,
    size: '50x25',
    lang: 'en',
    listing_grade: null,
    qr: 'https://example.invalid/r/1',
    qr_source: 'report',
    report_id: null,
  };
}

function setup(options: { printer?: string | null; documents?: string | null; overrides?: Partial<Api> } = {}) {
  const calls: Calls = [];
  const errors: Array<WindowError | null> = [];
  const settings: Setting[] = [
    { key: 'certificate.language', value: 'en' },
    { key: 'label.printer', value: options.printer ?? null },
  ];
  const api = fakeApi(
    {
      settingsList: () => Promise.resolve(settings),
      labelPrint: (params) => Promise.resolve(printed(params)),
      settingsSet: ({ key, value }) => Promise.resolve({ key, value }),
      ...options.overrides,
    },
    calls,
  );
  render(
    <LabelSection
      lang="en"
      api={api}
      deviceId={DEVICE_ID}
      documentsDir={options.documents === undefined ? '/data/documents' : options.documents}
      onError={(error) => errors.push(error)}
    />,
  );
  const sent = (command: keyof Api) => calls.filter((call) => call.command === command).map((call) => call.params);
  return { calls, errors, sent };
}

function choose(format: string) {
  fireEvent.change(screen.getByTestId('label-format'), { target: { value: format } });
}

describe('LabelSection', () => {
  it('prints a PDF beside the documents by default', async () => {
    const { sent } = setup();
    const format = screen.getByTestId('label-format') as HTMLSelectElement;
    expect(format.value).toBe('pdf');
    expect(screen.getByLabelText('Label output')).toBe(format);
    expect(screen.queryByTestId('label-printer')).toBeNull();
    fireEvent.click(screen.getByTestId('label-print'));
    const file = `/data/documents/label-${DEVICE_ID}.pdf`;
    await waitFor(() => expect(screen.getByTestId('label-printed').textContent).toBe(`Label written to ${file}`));
    expect(sent('labelPrint')).toEqual([{ device: DEVICE_ID, output: { kind: 'pdf', file }, size: null, lang: 'en' }]);
    expect(sent('settingsSet')).toEqual([]);
  });

  it('writes the PDF to the working folder when the documents folder is unknown', async () => {
    const { sent } = setup({ documents: null });
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() => expect(screen.getByTestId('label-printed')).toBeTruthy());
    expect(sent('labelPrint')).toEqual([
      { device: DEVICE_ID, output: { kind: 'pdf', file: `./label-${DEVICE_ID}.pdf` }, size: null, lang: 'en' },
    ]);
  });

  it('writes a ZPL file for a thermal printer', async () => {
    const { sent } = setup();
    choose('zpl');
    fireEvent.click(screen.getByTestId('label-print'));
    const file = `/data/documents/label-${DEVICE_ID}.zpl`;
    await waitFor(() => expect(screen.getByTestId('label-printed').textContent).toBe(`Label written to ${file}`));
    expect(sent('labelPrint')).toEqual([{ device: DEVICE_ID, output: { kind: 'zpl', file }, size: null, lang: 'en' }]);
  });

  it('sends the label to the printer the settings name, and saves nothing unchanged', async () => {
    const { sent } = setup({ printer: PRINTER });
    choose('printer');
    const field = screen.getByTestId('label-printer') as HTMLInputElement;
    expect(screen.getByLabelText('Label printer (HOST:PORT)')).toBe(field);
    await waitFor(() => expect(field.value).toBe(PRINTER));
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() =>
      expect(screen.getByTestId('label-printed').textContent).toBe(`Label sent to the printer at ${PRINTER}`),
    );
    expect(sent('labelPrint')).toEqual([
      { device: DEVICE_ID, output: { kind: 'printer', address: PRINTER }, size: null, lang: 'en' },
    ]);
    expect(sent('settingsSet')).toEqual([]);
  });

  it('refuses an address that is not HOST:PORT without calling the engine', async () => {
    const { sent } = setup();
    await waitFor(() => expect(sent('settingsList')).toHaveLength(1));
    choose('printer');
    const field = screen.getByTestId('label-printer');
    for (const bad of ['', 'zebra-1', 'zebra-1:', ':9100', 'zebra-1:0', 'zebra-1:70000', 'zebra 1:9100']) {
      fireEvent.change(field, { target: { value: bad } });
      fireEvent.click(screen.getByTestId('label-print'));
      const message = await screen.findByTestId('label-printer-invalid');
      expect(message.textContent).toContain('HOST:PORT');
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(field.getAttribute('aria-describedby')).toBe(message.id);
    }
    expect(sent('labelPrint')).toEqual([]);
    // Typing again clears the message.
    fireEvent.change(field, { target: { value: PRINTER } });
    expect(screen.queryByTestId('label-printer-invalid')).toBeNull();
  });

  it('saves the printer address once a label has been sent to it', async () => {
    const { sent } = setup({ printer: PRINTER });
    choose('printer');
    const field = screen.getByTestId('label-printer') as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe(PRINTER));
    fireEvent.change(field, { target: { value: ' zebra-2.example.invalid:6101 ' } });
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() => expect(sent('settingsSet')).toHaveLength(1));
    expect(sent('labelPrint')).toEqual([
      { device: DEVICE_ID, output: { kind: 'printer', address: 'zebra-2.example.invalid:6101' }, size: null, lang: 'en' },
    ]);
    expect(sent('settingsSet')).toEqual([{ key: 'label.printer', value: 'zebra-2.example.invalid:6101' }]);
    // Printing again to the same printer saves nothing more.
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() => expect(sent('labelPrint')).toHaveLength(2));
    await waitFor(() => expect((screen.getByTestId('label-print') as HTMLButtonElement).disabled).toBe(false));
    expect(sent('settingsSet')).toHaveLength(1);
  });

  it('saves a printer first typed when the settings had none', async () => {
    const { sent } = setup();
    await waitFor(() => expect(sent('settingsList')).toHaveLength(1));
    choose('printer');
    fireEvent.change(screen.getByTestId('label-printer'), { target: { value: PRINTER } });
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() => expect(sent('settingsSet')).toEqual([{ key: 'label.printer', value: PRINTER }]));
  });

  it('hands the engine’s refusal to the screen and saves no address', async () => {
    const refusal: WindowError = {
      code: 'bench_unreachable',
      message: `the label printer at ${PRINTER} cannot be reached`,
      hint: null,
      details: null,
    };
    const { errors, sent } = setup({ overrides: { labelPrint: () => Promise.reject(refusal) } });
    await waitFor(() => expect(sent('settingsList')).toHaveLength(1));
    choose('printer');
    fireEvent.change(screen.getByTestId('label-printer'), { target: { value: PRINTER } });
    fireEvent.click(screen.getByTestId('label-print'));
    await waitFor(() => expect(errors[errors.length - 1]?.message).toBe(refusal.message));
    expect(errors[0]).toBeNull();
    expect(screen.queryByTestId('label-printed')).toBeNull();
    expect(sent('settingsSet')).toEqual([]);
  });

  it('reaches the format, the address and the button from the keyboard, in that order', () => {
    setup();
    choose('printer');
    const order = [screen.getByTestId('label-format'), screen.getByTestId('label-printer'), screen.getByTestId('label-print')];
    for (const element of order) expect(element.tabIndex).toBe(0);
    for (let i = 1; i < order.length; i += 1) {
      expect(order[i - 1]!.compareDocumentPosition(order[i]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
  });

  it('offers the formats in French', () => {
    render(<LabelSection lang="fr" api={fakeApi({ settingsList: () => Promise.resolve([]) })} deviceId={DEVICE_ID} documentsDir={null} onError={() => undefined} />);
    const options = Array.from((screen.getByTestId('label-format') as HTMLSelectElement).options).map((option) => option.text);
    expect(options).toEqual([
      'Fichier PDF (toute imprimante)',
      'Fichier ZPL (imprimante d’étiquettes thermique)',
      'Envoyer à une imprimante d’étiquettes',
    ]);
  });
});

describe('isPrinterAddress', () => {
  it('takes a host, a colon and a port from 1 to 65535', () => {
    for (const good of ['192.0.2.10:9100', 'zebra-1.example.invalid:9100', 'zebra:1', 'zebra:65535', '[2001:db8::1]:9100']) {
      expect(isPrinterAddress(good), good).toBe(true);
    }
    for (const bad of ['', 'zebra', 'zebra:', ':9100', 'zebra:0', 'zebra:65536', 'zebra:port', '2001:db8::1', 'a b:9100']) {
      expect(isPrinterAddress(bad), bad).toBe(false);
    }
  });
});
