import { useEffect, useState } from 'react';
import type { Api } from '../api';
import type { DeviceRow } from '../bindings/DeviceRow';
import { ErrorNotice } from '../components/ErrorNotice';
import { t, type Lang } from '../i18n';
import { DashboardPanel } from './quality/DashboardPanel';
import { DeviceTable, reference } from './quality/DeviceTable';
import { NO_FILTERS, useDevicePages, type DeviceFilters, type ListScope } from './quality/devicePages';
import { ExportPanel } from './quality/ExportPanel';
import { QaPanel } from './quality/QaPanel';
import { SearchForm } from './quality/SearchForm';
import { VoidPanel } from './quality/VoidPanel';
import './screens.css';

export interface QualityScreenProps {
  lang: Lang;
  api: Api;
  /** Opens the device screen on a device (an IMEI, a serial or a device id). */
  onOpenDevice: (reference: string) => void;
}

/** Search, export, voids and the dashboard for quality managers. */
export function QualityScreen({ lang, api, onOpenDevice }: QualityScreenProps) {
  const [filters, setFilters] = useState<DeviceFilters>(NO_FILTERS);
  const [operators, setOperators] = useState<string[]>([]);
  const [active, setActive] = useState<DeviceRow | null>(null);
  // The site this station replicates to, if any: the list can then show every station's devices.
  const [site, setSite] = useState<string | null>(null);
  const [scope, setScope] = useState<ListScope>('station');
  const pages = useDevicePages(api, filters, scope);
  const atSite = scope === 'site';

  useEffect(() => {
    let current = true;
    api.siteName().then(
      (name) => current && setSite(name),
      // Without an answer the screen offers this station's list only.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  useEffect(() => {
    let current = true;
    api.operatorsList().then(
      (list) => current && setOperators(list.map((operator) => operator.name)),
      // The operator filter then offers "any" only; the list itself still works.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  return (
    <section className="screen quality" data-testid="quality" aria-labelledby="quality-title">
      <h1 id="quality-title">{t(lang, 'quality.title')}</h1>
      {site !== null && (
        <div className="quality-scope">
          <label>
            {t(lang, 'quality.scope.label')}{' '}
            <select
              data-testid="quality-scope"
              value={scope}
              onChange={(event) => {
                setActive(null);
                setScope(event.target.value as ListScope);
              }}
            >
              <option value="station">{t(lang, 'quality.scope.station')}</option>
              <option value="site">{t(lang, 'quality.scope.site')}</option>
            </select>
          </label>
          {atSite && (
            <p className="quality-scope-note" data-testid="quality-site-note">
              {t(lang, 'quality.scope.readOnly', { site })}
            </p>
          )}
        </div>
      )}
      <SearchForm lang={lang} filters={filters} operators={operators} onChange={setFilters} />
      <ErrorNotice error={pages.error} lang={lang} />
      <DeviceTable
        lang={lang}
        rows={pages.rows}
        hasMore={pages.nextAfter !== null}
        loading={pages.loading}
        onNeedMore={pages.loadMore}
        // The site's rows are other stations' records: read here, opened and changed at their station.
        onOpen={(row) => {
          if (!atSite) onOpenDevice(reference(row));
        }}
        onActive={setActive}
      />
      <div className="quality-panels">
        <ExportPanel lang={lang} api={api} />
        <VoidPanel
          lang={lang}
          api={api}
          device={active === null || atSite ? null : reference(active)}
        />
      </div>
      <DashboardPanel lang={lang} api={api} />
      <QaPanel lang={lang} api={api} />
    </section>
  );
}
