import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../bindings/Dashboard';
import { failureRates, sohDistribution, technicianDays, wordMix } from './charts';
import { toParams, NO_FILTERS } from './devicePages';

const dashboard: Dashboard = {
  since: '2025-03-01T00:00:00Z',
  until: '2025-03-15T00:00:00Z',
  intakes: 6,
  devices: 5,
  soh: [
    { from_pct: 75, count: 1 },
    { from_pct: 85, count: 3 },
    { from_pct: 100, count: 1 },
  ],
  soh_width_pct: 5,
  battery_verdicts: [],
  lock_verdicts: [],
  grades: [
    { word: 'FAIR', count: 1 },
    { word: 'PREMIUM', count: 2 },
  ],
  outcomes: [],
  tests: [
    { name: 'wifi', runs: 4, failed: 1, skipped: 0 },
    { name: 'camera_rear', runs: 3, failed: 2, skipped: 1 },
    { name: 'never', runs: 0, failed: 0, skipped: 0 },
  ],
  per_technician_day: [
    { operator: 'bob', day: '2025-03-14', devices: 4 },
    { operator: 'ana', day: '2025-03-13', devices: 2 },
    { operator: 'ana', day: '2025-03-14', devices: 1 },
  ],
};

describe('the dashboard charts', () => {
  it('draw every SOH bucket from the lowest to 100 %, empty ones as zero', () => {
    const soh = sohDistribution(dashboard);
    expect(soh.labels).toEqual(['75–80', '80–85', '85–90', '90–95', '95–100', '100']);
    expect(soh.series[0]?.values).toEqual([1, 0, 3, 0, 0, 1]);
  });

  it('put grades in their order, absent ones as zero', () => {
    const mix = wordMix(dashboard.grades, ['PREMIUM', 'GOOD', 'FAIR'], (word) => word.toLowerCase());
    expect(mix.labels).toEqual(['premium', 'good', 'fair']);
    expect(mix.series[0]?.values).toEqual([2, 0, 1]);
    expect(wordMix([], ['PREMIUM'], (word) => word).labels).toEqual([]);
  });

  it('rank bench tests by failure rate and leave out tests that never ran', () => {
    const rates = failureRates(dashboard);
    expect(rates.labels).toEqual(['camera_rear', 'wifi']);
    expect(rates.series[0]?.values).toEqual([66.7, 25]);
  });

  it('give each technician a series over the days seen', () => {
    const days = technicianDays(dashboard);
    expect(days.labels).toEqual(['2025-03-13', '2025-03-14']);
    expect(days.series).toEqual([
      { name: 'ana', values: [2, 1] },
      { name: 'bob', values: [0, 4] },
    ]);
  });
});

describe('toParams', () => {
  it('sends blank filters as null and a day as its UTC midnight', () => {
    expect(toParams({ ...NO_FILTERS, by: ' ana ', since: '2025-03-01' }, 'intake-9', 50)).toEqual({
      query: null,
      imei: null,
      serial: null,
      battery: null,
      lock: null,
      since: '2025-03-01T00:00:00Z',
      by: 'ana',
      outcome: null,
      grade: null,
      limit: 50,
      offset: 0,
      after: 'intake-9',
    });
  });
});
