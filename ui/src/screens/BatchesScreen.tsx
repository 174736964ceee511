import { t, type Lang } from '../i18n';

/** Trade-in batches: the screen exists with its empty state until batches are received. */
export function BatchesScreen({ lang }: { lang: Lang }) {
  return (
    <section className="screen batches" data-testid="batches" aria-labelledby="batches-title">
      <h2 id="batches-title">{t(lang, 'batches.title')}</h2>
      <div className="empty-state">
        <p className="empty-state__title">{t(lang, 'batches.emptyTitle')}</p>
        <p className="empty-state__hint">{t(lang, 'batches.emptyHint')}</p>
      </div>
    </section>
  );
}
