import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { Shipment } from '../bindings/Shipment';
import { fakeApi, type Calls } from '../test/fakeApi';
import { DEVICE_ID, phoneDetail, phoneQuestions } from '../test/deviceFixtures';
import { DeviceScreen } from './DeviceScreen';

const STATION = { version: '0.1.0', database: '/data/refurbdesk.db', documents: '/data/documents' };

const shipment: Shipment = {
  id: '66666666-6666-4666-8666-666666666666',
  device_id: DEVICE_ID,
  make: 'Apple',
  model: 'iPhone 12',
  order_line: 'OL-42',
  identity_field: 'imei',
  identity_value: '356728114587211',
  shipped_at: '2026-12-01T11:00:00Z',
  operator: 'bea',
  listing: 'IPHONE-12-128GB-BLACK-PREMIUM',
  listing_quantity: 3,
  queued: 2,
};

const shippedDetail: DeviceDetail = { ...phoneDetail, shipment: { ...shipment, listing: null, listing_quantity: null, queued: 0 } };

describe('DeviceScreen shipping', () => {
  it('ships the device for the order line typed, then reloads and shows where it went', async () => {
    const calls: Calls = [];
    let shown: DeviceDetail = phoneDetail;
    const api = fakeApi(
      {
        stationInfo: () => Promise.resolve(STATION),
        devicesShow: () => Promise.resolve(shown),
        gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
        ship: () => {
          shown = shippedDetail;
          return Promise.resolve(shipment);
        },
      },
      calls,
    );
    render(<DeviceScreen lang="en" api={api} device={DEVICE_ID} onBack={() => undefined} />);

    const submit = (await screen.findByTestId('ship-submit')) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('ship-order-line'), { target: { value: ' OL-42 ' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);

    await waitFor(() => expect(screen.getByTestId('ship-done').getAttribute('data-order-line')).toBe('OL-42'));
    expect(calls.find((call) => call.command === 'ship')?.params).toEqual({ device: DEVICE_ID, order_line: 'OL-42' });
    expect(screen.getByTestId('ship-done').textContent).toContain('356728114587211');
    expect(screen.queryByTestId('ship-order-line')).toBeNull();
    expect(calls.filter((call) => call.command === 'devicesShow').length).toBeGreaterThanOrEqual(2);
  });

  it('shows the engine refusal of a device that may not ship, in French', async () => {
    const api = fakeApi({
      stationInfo: () => Promise.resolve(STATION),
      devicesShow: () => Promise.resolve(phoneDetail),
      gradeOpenQuestions: () => Promise.resolve(phoneQuestions),
      ship: () =>
        Promise.reject({ code: 'refused', message: 'device has no verified erasure', hint: null, details: null }),
    });
    render(<DeviceScreen lang="fr" api={api} device={DEVICE_ID} onBack={() => undefined} />);
    expect((await screen.findByTestId('ship')).textContent).toContain('Expédition');
    fireEvent.change(screen.getByTestId('ship-order-line'), { target: { value: 'OL-7' } });
    fireEvent.click(screen.getByTestId('ship-submit'));
    expect((await screen.findByTestId('error')).getAttribute('data-code')).toBe('refused');
    expect(screen.queryByTestId('ship-done')).toBeNull();
  });
});
