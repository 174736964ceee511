import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { PhotoRecord } from '../bindings/PhotoRecord';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };
const PNG_BYTES = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01];
const PNG_BASE64 = 'iVBORw0KGgoAAQ==';

const photo: PhotoRecord = {
  id: '88888888-8888-4888-8888-888888888888',
  device_id: DEVICE_ID,
  zone: 'screen',
  taken_at: '2026-12-01T13:00:00Z',
  operator: 'ana',
  file_name: 'scratch.png',
  media_type: 'image/png',
  size_bytes: 10,
  sha256: 'a'.repeat(64),
  station_id: '44444444-4444-4444-8444-444444444444',
};

describe('DeviceScreen photos', () => {
  it('sends a chosen file’s bytes for its zone, reloads, and shows each photo as a thumbnail', async () => {
    const calls: Calls = [];
    const shown: { detail: DeviceDetail } = { detail: phoneDetail };
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(shown.detail),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        photosAdd: () => {
          shown.detail = { ...phoneDetail, photos: [photo] };
          return Promise.resolve(photo);
        },
        photosRead: () => Promise.resolve({ photo, data_url: `data:image/png;base64,${PNG_BASE64}` }),
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    const input = await screen.findByTestId('photo-input-screen');
    const file = new File([new Uint8Array(PNG_BYTES)], 'scratch.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [file] } });

    const figure = await screen.findByTestId(`photo-${photo.id}`);
    await waitFor(() => expect(within(figure).getByRole('img').getAttribute('src')).toBe(`data:image/png;base64,${PNG_BASE64}`));
    expect(within(screen.getByTestId('photos-screen')).getByText(/scratch\.png/)).toBeTruthy();
    expect(calls.find((call) => call.command === 'photosAdd')?.params).toEqual({
      device: DEVICE_ID,
      zone: 'screen',
      photo: { from: 'bytes', name: 'scratch.png', base64: PNG_BASE64 },
    });
    expect(calls.filter((call) => call.command === 'photosRead').map((call) => call.params)).toEqual([{ id: photo.id }]);
  });

  it('shows the engine’s refusal of a file that is not a PNG or JPEG', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(phoneDetail),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      photosAdd: () =>
        Promise.reject({ code: 'usage', message: 'notes.txt is not a PNG or JPEG photo', hint: null, details: null }),
    });
    render(<DeviceScreen lang="fr" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    const input = await screen.findByTestId('photo-input-screen');
    fireEvent.change(input, { target: { files: [new File(['hello'], 'notes.txt', { type: 'text/plain' })] } });
    expect((await screen.findByTestId('error')).textContent).toContain('notes.txt is not a PNG or JPEG photo');
    expect(screen.getByTestId('photos').textContent).toContain('Photos des zones');
  });
});
