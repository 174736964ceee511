import type { BenchView } from '../types';

/** A bench that has said HELLO, with one slot of each interesting kind. */
export const phoneBench: BenchView = {
  port: '/dev/ttyACM0',
  serial: 'PB8-0042',
  model: 'PB-8',
  state: 'ready',
  // Deliberately out of order: the card must show slots by number.
  slots: [
    {
      slot: 3,
      state: 'recorded',
      device: 'Apple iPhone 12 · 128 GB',
      batteryVerdict: 'pass',
      lockVerdict: 'clear',
      message: null,
    },
    {
      slot: 1,
      state: 'empty',
      device: null,
      batteryVerdict: null,
      lockVerdict: null,
      message: null,
    },
    {
      slot: 2,
      state: 'failed',
      device: 'Samsung Galaxy S21',
      batteryVerdict: 'consumed',
      lockVerdict: 'blocked',
      message: 'Google account still signed in',
    },
  ],
};

/** A bench known only by its port: unplugged before it ever answered HELLO. */
export const anonymousBench: BenchView = {
  port: '/dev/ttyUSB1',
  serial: null,
  model: null,
  state: 'disconnected',
  slots: [
    {
      slot: 1,
      state: 'intake',
      device: 'Lenovo ThinkPad T480',
      batteryVerdict: 'replace',
      lockVerdict: null,
      message: null,
    },
    {
      slot: 2,
      state: 'occupied',
      device: 'Dell OptiPlex 7060',
      batteryVerdict: 'absent',
      lockVerdict: 'unknown',
      message: null,
    },
  ],
};
