import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { OpenQuestions } from '../bindings/OpenQuestions';

export const INTAKE_ID = '11111111-1111-4111-8111-111111111111';
export const DEVICE_ID = '22222222-2222-4222-8222-222222222222';

/** A phone read on a bench, not graded yet: rear camera failed, Wi-Fi passed, NFC skipped. */
export const phoneDetail: DeviceDetail = {
  identity: {
    device_id: DEVICE_ID,
    category: 'phone',
    make: 'Apple',
    model: 'iPhone 12',
    model_code: null,
    serial: 'F2LXK0ABCD',
    imei: '356728114587211',
    imei_valid: true,
    storage_gb: 128,
    first_seen: '2026-12-01T09:00:00Z',
  },
  intake: {
    intake_id: INTAKE_ID,
    started_at: '2026-12-01T09:00:00Z',
    operator: 'ana',
    bench_serial: 'PB8-0042',
    slot: 1,
    battery: {
      present: true,
      design_mah: 2815,
      full_mah: 2392,
      design_mwh: null,
      full_mwh: null,
      cycles: 612,
      cycle_limit: 500,
      soh_pct: 84.9,
      verdict: 'replace',
      reasons: ['84.9 % of design capacity is below the 85 % threshold'],
    },
    lock: {
      activation: 'off',
      account: 'signed_out',
      mdm: 'none',
      carrier: 'unlocked',
      verdict: 'clear',
      reasons: [],
    },
    tests: [
      { name: 'camera_rear', outcome: 'fail', detail: 'no focus' },
      { name: 'wifi', outcome: 'pass', detail: null },
      { name: 'nfc', outcome: 'skip', detail: null },
    ],
    identity_reasons: [],
  },
  grade: null,
  erasures: [],
  documents: [],
  history: [
    { at: '2026-12-01T09:00:00Z', kind: 'intake', id: INTAKE_ID, operator: 'ana', summary: 'replace / clear' },
  ],
  lock_confirmations: [],
  photos: [],
  shipment: null,
};

export const phoneQuestions: OpenQuestions = {
  device_id: DEVICE_ID,
  intake_id: INTAKE_ID,
  carried_over: null,
  questions: [
    { id: 'charges', kind: 'item', text: 'Does it charge?', answers: ['pass', 'fail'] },
    { id: 'biometrics', kind: 'item', text: 'Face ID or Touch ID works?', answers: ['pass', 'fail', 'na'] },
    { id: 'screen', kind: 'zone', text: 'Screen', answers: ['flawless', 'micro', 'light', 'visible', 'cracked'] },
  ],
  words: { item_prompt: '', item_again: '', na_refused: '', zone_prompt: '', zone_again: '' },
};
