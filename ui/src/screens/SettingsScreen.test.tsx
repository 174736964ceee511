import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OperatorInfo } from '../bindings/OperatorInfo';
import type { Setting } from '../bindings/Setting';
import { fakeApi } from './fakeApi';
import { channelNames } from './settings/channels';
import { grouped } from './settings/KeySection';
import { SettingsScreen } from './SettingsScreen';

const settings: Setting[] = [
  { key: 'organisation.name', value: 'Atelier Exemple SAS' },
  { key: 'organisation.address', value: null },
  { key: 'organisation.logo', value: null },
  { key: 'certificate.language', value: 'fr' },
  { key: 'channel.ebay.soh_threshold_pct', value: '80' },
  { key: 'station.channel', value: 'ebay' },
];

const ana: OperatorInfo = {
  id: 'op-1',
  name: 'ana',
  role: 'technician',
  disabled: false,
  created_at: '2025-03-01T08:00:00Z',
  station_id: 'st-1',
};

function setup(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    settingsList: async () => settings,
    settingsSet: vi.fn(async (params) => params),
    operatorsList: async () => [ana],
    serialPorts: async () => [
      {
        name: '/dev/ttyACM0',
        kind: 'usb',
        manufacturer: 'Acme',
        product: 'PB-8',
        serial_number: 'PB8-0042',
        usb_id: '1209:0001',
      },
    ],
    documentsKeys: async () => ({
      active: {
        key_id: 'k1',
        algorithm: 'ed25519',
        public_key: '00',
        fingerprint: 'abcd1234ef567890',
        created_at: '2025-01-02T00:00:00Z',
        retired_at: null,
      },
      keys_dir: '/keys',
      pdf_certificate: null,
      trusted: [],
    }),
    ...overrides,
  });
  render(<SettingsScreen lang="en" api={api} />);
  return api;
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe('SettingsScreen', () => {
  it('saves a changed value through the engine', async () => {
    const api = setup();
    await waitFor(() => expect(input('setting-organisation-name-input').value).toBe('Atelier Exemple SAS'));
    // The screen may still be settling its first load on a busy machine: type until the change holds.
    await waitFor(() => {
      fireEvent.change(input('setting-organisation-name-input'), { target: { value: 'Atelier Neuf' } });
      expect((screen.getByTestId('setting-organisation-name-save') as HTMLButtonElement).disabled).toBe(false);
    });
    fireEvent.click(screen.getByTestId('setting-organisation-name-save'));
    await waitFor(() => expect(screen.getByText('Saved')).toBeTruthy());
    expect(api.settingsSet).toHaveBeenCalledWith({ key: 'organisation.name', value: 'Atelier Neuf' });
    expect(input('setting-organisation-name-input').value).toBe('Atelier Neuf');
  });

  it('shows a refused value with its message and hint, and keeps the old value', async () => {
    setup({
      settingsSet: vi.fn(async () =>
        Promise.reject({
          code: 'usage',
          message: 'setting channel.ebay.soh_threshold_pct is "eighty": use a percentage between 1 and 100',
          hint: 'Type a number from 1 to 100.',
          details: null,
        }),
      ),
    });
    await waitFor(() => expect(input('setting-channel-ebay-soh-threshold-pct-input').value).toBe('80'));
    fireEvent.change(input('setting-channel-ebay-soh-threshold-pct-input'), { target: { value: 'eighty' } });
    fireEvent.click(screen.getByTestId('setting-channel-ebay-soh-threshold-pct-save'));
    const field = screen.getByTestId('setting-channel-ebay-soh-threshold-pct');
    await waitFor(() => expect(within(field).getByRole('alert')).toBeTruthy());
    expect(within(field).getByText(/use a percentage between 1 and 100/)).toBeTruthy();
    expect(within(field).getByTestId('error-hint').textContent).toBe('Type a number from 1 to 100.');
    expect(input('setting-channel-ebay-soh-threshold-pct-input').value).toBe('80');
  });

  it('lists the sales channels the settings name, and adds one to set', async () => {
    setup();
    await waitFor(() => expect(screen.getByTestId('channel-ebay')).toBeTruthy());
    expect(screen.getByTestId('channel-backmarket')).toBeTruthy();
    const station = input('setting-station-channel-input');
    expect(station.value).toBe('ebay');
    expect([...(station as unknown as HTMLSelectElement).options].map((o) => o.value)).toEqual(['backmarket', 'ebay']);
    fireEvent.change(screen.getByTestId('channel-new'), { target: { value: 'Refurbed' } });
    fireEvent.submit(screen.getByTestId('channel-new').closest('form') as HTMLFormElement);
    expect(screen.getByTestId('channel-refurbed')).toBeTruthy();
    expect(channelNames(settings, ['zz'])).toEqual(['backmarket', 'ebay', 'zz']);
  });

  it('sets the documents language from a choice', async () => {
    const api = setup();
    await waitFor(() => expect(input('setting-certificate-language-input').value).toBe('fr'));
    fireEvent.change(input('setting-certificate-language-input'), { target: { value: 'en' } });
    fireEvent.click(screen.getByTestId('setting-certificate-language-save'));
    await waitFor(() => expect(api.settingsSet).toHaveBeenCalledWith({ key: 'certificate.language', value: 'en' }));
  });

  it('disables, enables and adds operators', async () => {
    const api = setup({
      operatorsDisable: vi.fn(async () => ({ ...ana, disabled: true })),
      operatorsAdd: vi.fn(async ({ name, role }) => ({
        operator: { ...ana, id: 'op-2', name, role },
        bootstrap_admin: null,
      })),
    });
    const row = await screen.findByTestId('operator-ana');
    fireEvent.click(within(row).getByText('Disable'));
    await waitFor(() => expect(row.getAttribute('data-disabled')).toBe('true'));
    expect(api.operatorsDisable).toHaveBeenCalledWith({ name: 'ana' });
    expect(within(row).getByText('Enable')).toBeTruthy();

    fireEvent.change(screen.getByTestId('operator-add-name'), { target: { value: 'bob' } });
    fireEvent.change(screen.getByTestId('operator-add-role'), { target: { value: 'quality_manager' } });
    fireEvent.click(screen.getByTestId('operator-add'));
    const bob = await screen.findByTestId('operator-bob');
    expect(within(bob).getByText('Quality manager')).toBeTruthy();
    expect(api.operatorsAdd).toHaveBeenCalledWith({ name: 'bob', role: 'quality_manager' });
  });

  it('shows the serial ports found', async () => {
    setup();
    const port = await screen.findByTestId('settings-port');
    expect(port.textContent).toContain('/dev/ttyACM0');
    expect(port.textContent).toContain('Acme · PB-8 · PB8-0042 · 1209:0001');
  });

  it('makes a port found a bench of the station, and stops using it, through the setting', async () => {
    const api = setup();
    const use = within(await screen.findByTestId('settings-port')).getByTestId('settings-port-use');
    expect(use.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(use);
    await waitFor(() => expect(use.getAttribute('aria-pressed')).toBe('true'));
    expect(api.settingsSet).toHaveBeenLastCalledWith({ key: 'station.ports', value: '/dev/ttyACM0' });
    // The field shows what the engine stored.
    expect((screen.getByTestId('setting-station-ports-input') as HTMLInputElement).value).toBe('/dev/ttyACM0');
    fireEvent.click(use);
    await waitFor(() => expect(use.getAttribute('aria-pressed')).toBe('false'));
    expect(api.settingsSet).toHaveBeenLastCalledWith({ key: 'station.ports', value: '' });
  });

  it('offers the idle lock, the sampling share and the label printer', async () => {
    setup();
    const station = await screen.findByTestId('settings-station');
    expect(within(station).getByTestId('setting-session-idle-lock-minutes-input')).toBeTruthy();
    expect(within(station).getByTestId('setting-qa-sample-pct-input')).toBeTruthy();
    expect(within(station).getByTestId('setting-label-printer-input')).toBeTruthy();
  });

  it('shows the fingerprint, rotates only when asked twice, and exports the public key', async () => {
    const api = setup({
      documentsRotateKey: vi.fn(async () => ({
        active: {
          key_id: 'k2',
          algorithm: 'ed25519',
          public_key: '01',
          fingerprint: 'ffff',
          created_at: '2025-03-14T00:00:00Z',
          retired_at: null,
        },
        retired: null,
      })),
      documentsExportKey: vi.fn(async ({ out }) => ({ file: out, key_id: 'k1' })),
    });
    expect((await screen.findByTestId('settings-key-fingerprint')).textContent).toBe('abcd 1234 ef56 7890');
    fireEvent.click(screen.getByTestId('settings-key-rotate'));
    expect(api.documentsRotateKey).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('settings-key-rotate'));
    await waitFor(() => expect(screen.getByText('Now signing with key k2.')).toBeTruthy());

    fireEvent.change(screen.getByTestId('settings-key-export-path'), { target: { value: '/tmp/key.json' } });
    fireEvent.click(screen.getByTestId('settings-key-export'));
    await waitFor(() => expect(screen.getByText('Public key written to /tmp/key.json.')).toBeTruthy());
    expect(api.documentsExportKey).toHaveBeenCalledWith({ out: '/tmp/key.json' });
    expect(grouped('abcdef')).toBe('abcd ef');
  });

  it('speaks French', async () => {
    const api = fakeApi({ settingsList: async () => settings, operatorsList: async () => [], serialPorts: async () => [] });
    render(<SettingsScreen lang="fr" api={api} />);
    expect(await screen.findByText('Organisation')).toBeTruthy();
    expect(screen.getByText('Aucun port série trouvé sur cette machine.', { exact: false })).toBeTruthy();
  });
});
