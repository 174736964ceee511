// One dashboard chart, drawn with uPlot (small, fast, maintained, canvas-based) over
// categorical x positions, with its figures also in a table for screen readers and tests.
// uPlot is loaded when a chart is first drawn, so the station screen starts without it.
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import type { ChartData } from './charts';

const COLOURS = ['#2f6fb3', '#d9822b', '#2e9e5b', '#b33f62', '#7a5cc2', '#8a8f2a', '#3d9aa6', '#a6603d'];

/** jsdom (the component tests) has no canvas to draw on; the table still shows the figures. */
function canDraw(): boolean {
  return typeof navigator !== 'undefined' && !navigator.userAgent.includes('jsdom');
}

export interface ChartProps {
  id: string;
  title: string;
  data: ChartData;
  kind: 'bars' | 'lines';
  /** Suffix of the y values (`%`). */
  unit?: string;
  emptyText: string;
}

export function Chart({ id, title, data, kind, unit = '', emptyText }: ChartProps) {
  const target = useRef<HTMLDivElement>(null);
  const empty = data.labels.length === 0;

  useEffect(() => {
    const element = target.current;
    if (element === null || empty || !canDraw()) return;
    let plot: uPlot | null = null;
    let cancelled = false;
    void Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (cancelled) return;
      plot = draw(UPlot, element);
    });
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [data, kind, unit, empty]);

  function draw(UPlot: typeof uPlot, element: HTMLDivElement): uPlot {
    const xs = data.labels.map((_, index) => index);
    const bars = kind === 'bars' ? UPlot.paths.bars?.({ size: [0.7, 48] }) : undefined;
    return new UPlot(
      {
        width: Math.max(280, element.clientWidth || 420),
        height: 220,
        legend: { show: data.series.length > 1 },
        scales: { x: { time: false, range: [-0.5, xs.length - 0.5] } },
        axes: [
          {
            splits: () => xs,
            values: (_u, splits) => splits.map((split) => data.labels[split] ?? ''),
          },
          { values: (_u, splits) => splits.map((split) => `${split}${unit}`) },
        ],
        series: [
          {},
          ...data.series.map((series, index): uPlot.Series => {
            const colour = COLOURS[index % COLOURS.length] ?? '#2f6fb3';
            return {
              label: series.name,
              stroke: colour,
              width: kind === 'bars' ? 0 : 2,
              points: { show: kind === 'lines' },
              ...(kind === 'bars' ? { fill: `${colour}cc` } : {}),
              ...(bars !== undefined ? { paths: bars } : {}),
            };
          }),
        ],
      },
      [xs, ...data.series.map((series) => series.values)],
      element,
    );
  }

  return (
    <figure className="quality-chart" data-testid={`chart-${id}`} aria-labelledby={`chart-${id}-title`}>
      <figcaption id={`chart-${id}-title`}>{title}</figcaption>
      {empty ? <p className="quality-chart__empty">{emptyText}</p> : <div ref={target} aria-hidden="true" />}
      {!empty && (
        <table className="visually-hidden">
          <thead>
            <tr>
              <th />
              {data.series.map((series) => (
                <th key={series.name}>{series.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.labels.map((label, index) => (
              <tr key={label}>
                <th>{label}</th>
                {data.series.map((series) => (
                  <td key={series.name}>{`${series.values[index] ?? 0}${unit}`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
