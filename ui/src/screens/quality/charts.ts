// The dashboard's figures shaped for its charts: pure functions from the engine's `Dashboard`
// to labelled series, tested on their own; `Chart.tsx` draws them with uPlot.
import type { Dashboard } from '../../bindings/Dashboard';
import type { WordCount } from '../../bindings/WordCount';

/** One chart's data: a label per x position and one or more named series of y values. */
export interface ChartData {
  labels: string[];
  series: { name: string; values: number[] }[];
}

/** State of health, one bar per bucket from the lowest to 100 %, empty buckets as zero. */
export function sohDistribution(dashboard: Dashboard): ChartData {
  const width = dashboard.soh_width_pct;
  if (dashboard.soh.length === 0) return { labels: [], series: [{ name: 'soh', values: [] }] };
  const lowest = Math.min(...dashboard.soh.map((bucket) => bucket.from_pct));
  const labels: string[] = [];
  const values: number[] = [];
  for (let from = lowest; from <= 100; from += width) {
    labels.push(from >= 100 ? '100' : `${from}–${Math.min(from + width, 100)}`);
    values.push(dashboard.soh.find((bucket) => bucket.from_pct === from)?.count ?? 0);
  }
  return { labels, series: [{ name: 'soh', values }] };
}

/** Counts of words in the order given (absent words as zero), then any other word seen. */
export function wordMix(counts: WordCount[], order: readonly string[], label: (word: string) => string): ChartData {
  if (counts.length === 0) return { labels: [], series: [{ name: 'count', values: [] }] };
  const words = [...order, ...counts.map((count) => count.word).filter((word) => !order.includes(word))];
  return {
    labels: words.map(label),
    series: [{ name: 'count', values: words.map((word) => counts.find((count) => count.word === word)?.count ?? 0) }],
  };
}

/** Each bench test's failure rate in percent of its runs, worst first. */
export function failureRates(dashboard: Dashboard): ChartData {
  const rates = dashboard.tests
    .filter((test) => test.runs > 0)
    .map((test) => ({ name: test.name, rate: (100 * test.failed) / test.runs }))
    .sort((a, b) => b.rate - a.rate || a.name.localeCompare(b.name));
  return {
    labels: rates.map((rate) => rate.name),
    series: [{ name: 'failed', values: rates.map((rate) => Math.round(rate.rate * 10) / 10) }],
  };
}

/** Devices per technician per day: one series per technician over the days of the period seen. */
export function technicianDays(dashboard: Dashboard): ChartData {
  const days = [...new Set(dashboard.per_technician_day.map((entry) => entry.day))].sort();
  const operators = [...new Set(dashboard.per_technician_day.map((entry) => entry.operator))].sort();
  return {
    labels: days,
    series: operators.map((operator) => ({
      name: operator,
      values: days.map(
        (day) =>
          dashboard.per_technician_day.find((entry) => entry.day === day && entry.operator === operator)
            ?.devices ?? 0,
      ),
    })),
  };
}
