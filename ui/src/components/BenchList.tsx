import { t, type Lang } from '../i18n';
import type { BenchView } from '../types';
import { BenchCard } from './BenchCard';

/** The command that starts the bench simulator, shown verbatim so it can be copied. */
export const SIMULATOR_COMMAND = 'refurbdesk station --simulate';

interface BenchListProps {
  benches: readonly BenchView[];
  lang: Lang;
  onOpenDevice?: (deviceRef: string) => void;
}

/** The tile to move to from `from` with an arrow key, among tiles in reading order. */
export function nextTile(tiles: readonly HTMLElement[], from: number, key: string): number {
  if (tiles.length === 0) return -1;
  if (from < 0) return 0;
  if (key === 'ArrowRight') return Math.min(from + 1, tiles.length - 1);
  if (key === 'ArrowLeft') return Math.max(from - 1, 0);
  if (key === 'Home') return 0;
  if (key === 'End') return tiles.length - 1;
  // Up and down go to the nearest tile on the row above or below, as laid out on screen.
  const here = tiles[from]!.getBoundingClientRect();
  const down = key === 'ArrowDown';
  let best = from;
  let bestScore = Number.POSITIVE_INFINITY;
  tiles.forEach((tile, index) => {
    const box = tile.getBoundingClientRect();
    const rowGap = down ? box.top - here.top : here.top - box.top;
    if (rowGap <= 0) return;
    const score = rowGap * 10_000 + Math.abs(box.left - here.left);
    if (score < bestScore) {
      bestScore = score;
      best = index;
    }
  });
  if (best === from) {
    // No layout (or no row there): step through the list instead.
    return down ? Math.min(from + 1, tiles.length - 1) : Math.max(from - 1, 0);
  }
  return best;
}

const MOVES = new Set(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

export function BenchList({ benches, lang, onOpenDevice }: BenchListProps) {
  return (
    <section
      className="bench-list"
      data-testid="bench-list"
      aria-label={t(lang, 'benchList.label')}
      // Focusable itself, so Tab reaches the tiles and the arrows take over from there.
      tabIndex={0}
      onKeyDown={(event) => {
        if (!MOVES.has(event.key)) return;
        const tiles = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('[data-tile]'));
        const from = tiles.findIndex((tile) => tile === document.activeElement);
        const to = nextTile(tiles, from, event.key);
        if (to >= 0) {
          event.preventDefault();
          // Only the tile that held the tab stop and the one that takes it change: touching all
          // 64 would make the key's frame restyle every tile.
          const target = tiles[to]!;
          tiles.forEach((tile) => {
            if (tile !== target && tile.getAttribute('tabindex') !== '-1') tile.setAttribute('tabindex', '-1');
          });
          target.setAttribute('tabindex', '0');
          target.focus();
        }
      }}
    >
      {benches.length === 0 ? (
        <div className="bench-list__empty" role="status">
          <p className="bench-list__empty-title">{t(lang, 'benchList.emptyTitle')}</p>
          <p className="bench-list__empty-hint">{t(lang, 'benchList.emptyHint')}</p>
          <code className="bench-list__command">{SIMULATOR_COMMAND}</code>
        </div>
      ) : (
        benches.map((bench) => (
          <BenchCard
            key={bench.port}
            bench={bench}
            lang={lang}
            {...(onOpenDevice === undefined ? {} : { onOpenDevice })}
          />
        ))
      )}
    </section>
  );
}
