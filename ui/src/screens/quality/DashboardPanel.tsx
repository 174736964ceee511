// The quality dashboard: SOH distribution, grade mix, bench test failure rates and devices per
// technician per day over a period, from `stats_dashboard`.
import { useEffect, useMemo, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { Dashboard } from '../../bindings/Dashboard';
import { ErrorNotice } from '../../components/ErrorNotice';
import { t, type Lang } from '../../i18n';
import { Chart } from './Chart';
import { failureRates, sohDistribution, technicianDays, wordMix } from './charts';
import { WORDS, wordLabel } from './words';

export const PERIODS = [7, 30, 90] as const;

export interface DashboardPanelProps {
  lang: Lang;
  api: Api;
  /** The moment the period ends; now unless a test says otherwise. */
  now?: () => Date;
}

export function DashboardPanel({ lang, api, now = () => new Date() }: DashboardPanelProps) {
  const [days, setDays] = useState<number>(30);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<WindowError | null>(null);

  useEffect(() => {
    let current = true;
    const until = now();
    const since = new Date(until.getTime() - days * 86_400_000);
    api.statsDashboard({ since: since.toISOString(), until: until.toISOString() }).then(
      (figures) => current && (setDashboard(figures), setError(null)),
      (failure: unknown) => current && setError(asWindowError(failure)),
    );
    return () => {
      current = false;
    };
    // `now` is read when the period changes only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, days]);

  const charts = useMemo(
    () =>
      dashboard && {
        soh: sohDistribution(dashboard),
        grades: wordMix(dashboard.grades, WORDS.grade, (word) => wordLabel(lang, 'grade', word)),
        tests: failureRates(dashboard),
        technicians: technicianDays(dashboard),
      },
    [dashboard, lang],
  );
  const empty = t(lang, 'quality.dashboard.empty');

  return (
    <section className="quality-panel quality-dashboard" aria-labelledby="quality-dashboard-title" data-testid="quality-dashboard">
      <h2 id="quality-dashboard-title">{t(lang, 'quality.dashboard.title')}</h2>
      <label>
        <span>{t(lang, 'quality.dashboard.period')}</span>
        <select
          data-testid="quality-dashboard-period"
          value={days}
          onChange={(event) => setDays(Number(event.target.value))}
        >
          {PERIODS.map((period) => (
            <option key={period} value={period}>
              {t(lang, 'quality.dashboard.days', { days: period })}
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      {dashboard !== null && charts !== null && (
        <>
          <p data-testid="quality-dashboard-totals">
            {t(lang, 'quality.dashboard.totals', { intakes: dashboard.intakes, devices: dashboard.devices })}
          </p>
          <div className="quality-charts">
            <Chart id="soh" title={t(lang, 'quality.dashboard.soh')} data={charts.soh} kind="bars" emptyText={empty} />
            <Chart id="grades" title={t(lang, 'quality.dashboard.grades')} data={charts.grades} kind="bars" emptyText={empty} />
            <Chart
              id="tests"
              title={t(lang, 'quality.dashboard.tests')}
              data={charts.tests}
              kind="bars"
              unit="%"
              emptyText={empty}
            />
            <Chart
              id="technicians"
              title={t(lang, 'quality.dashboard.technicians')}
              data={charts.technicians}
              kind="lines"
              emptyText={empty}
            />
          </div>
        </>
      )}
    </section>
  );
}
