import { t, type Lang } from '../i18n';
import type { BenchView } from '../types';
import { BenchCard } from './BenchCard';

/** The command that starts the bench simulator, shown verbatim so it can be copied. */
export const SIMULATOR_COMMAND = 'refurbdesk station --simulate';

interface BenchListProps {
  benches: readonly BenchView[];
  lang: Lang;
}

export function BenchList({ benches, lang }: BenchListProps) {
  return (
    <section className="bench-list" data-testid="bench-list" aria-label={t(lang, 'benchList.label')}>
      {benches.length === 0 ? (
        <div className="bench-list__empty" role="status">
          <p className="bench-list__empty-title">{t(lang, 'benchList.emptyTitle')}</p>
          <p className="bench-list__empty-hint">{t(lang, 'benchList.emptyHint')}</p>
          <code className="bench-list__command">{SIMULATOR_COMMAND}</code>
        </div>
      ) : (
        benches.map((bench) => <BenchCard key={bench.port} bench={bench} lang={lang} />)
      )}
    </section>
  );
}
