// The quality list as a virtualised table: every row has the same height, so only the rows in
// view and a few either side are in the document however long the list; reaching the end of
// what was read asks for the next page. Arrows, Page Up/Down, Home and End move the active row;
// Enter or a click opens the device.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DeviceRow } from '../../bindings/DeviceRow';
import { t, type Lang } from '../../i18n';
import { wordLabel } from './words';

/** Pixels per row; the stylesheet gives rows the same height. */
export const ROW_HEIGHT = 32;
/** Rows rendered above and below the visible ones. */
export const OVERSCAN = 5;
/** Ask for the next page when the rows in view come this close to the last row read. */
export const PREFETCH_ROWS = 20;

export interface DeviceTableProps {
  lang: Lang;
  rows: DeviceRow[];
  hasMore: boolean;
  loading: boolean;
  onNeedMore: () => void;
  onOpen: (row: DeviceRow) => void;
  /** The row the keyboard is on changed. */
  onActive?: (row: DeviceRow | null) => void;
  /** The height of the scrolled body, in pixels. */
  height?: number;
}

/** The reference the device screen opens a row by: its IMEI, else its serial, else its id. */
export function reference(row: DeviceRow): string {
  return row.imei ?? row.serial ?? row.id;
}

export function DeviceTable({
  lang,
  rows,
  hasMore,
  loading,
  onNeedMore,
  onOpen,
  onActive,
  height = ROW_HEIGHT * 15,
}: DeviceTableProps) {
  const body = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(-1);
  const visible = Math.ceil(height / ROW_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.floor(scrollTop / ROW_HEIGHT) + visible + OVERSCAN);

  // A new list starts at its top.
  const firstId = rows[0]?.id;
  useEffect(() => {
    if (rows.length === 0 || active >= rows.length) {
      setActive(-1);
      setScrollTop(0);
      if (body.current) body.current.scrollTop = 0;
    }
  }, [firstId, rows.length, active]);

  useEffect(() => {
    if (hasMore && !loading && last >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [hasMore, loading, last, rows.length, onNeedMore]);

  const moveTo = (index: number) => {
    if (rows.length === 0) return;
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setActive(next);
    onActive?.(rows[next] ?? null);
    // Keep the active row in view.
    const top = next * ROW_HEIGHT;
    let scroll = scrollTop;
    if (top < scroll) scroll = top;
    else if (top + ROW_HEIGHT > scroll + height) scroll = top + ROW_HEIGHT - height;
    if (scroll !== scrollTop) {
      setScrollTop(scroll);
      if (body.current) body.current.scrollTop = scroll;
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + visible,
      PageUp: active - visible,
      Home: 0,
      End: rows.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key] ?? 0);
    } else if (event.key === 'Enter' && rows[active] !== undefined) {
      event.preventDefault();
      onOpen(rows[active]);
    }
  };

  const shown = rows.slice(first, last);
  return (
    <div
      className="quality-table"
      data-testid="quality-table"
      role="grid"
      aria-label={t(lang, 'quality.tableLabel')}
      aria-rowcount={rows.length + 1}
      aria-busy={loading}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-activedescendant={active >= 0 ? `quality-row-${active}` : undefined}
    >
      <div className="quality-table__head" role="row" aria-rowindex={1}>
        {(
          [
            'quality.column.lastIntake',
            'quality.column.identifier',
            'quality.column.device',
            'quality.column.battery',
            'quality.column.lock',
            'quality.column.grade',
            'quality.column.operator',
          ] as const
        ).map((key) => (
          <span key={key} role="columnheader">
            {t(lang, key)}
          </span>
        ))}
      </div>
      <div
        ref={body}
        className="quality-table__body"
        style={{ height }}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
          {shown.map((row, offset) => {
            const index = first + offset;
            return (
              <div
                key={row.id}
                id={`quality-row-${index}`}
                className={index === active ? 'quality-row quality-row--active' : 'quality-row'}
                data-testid="quality-row"
                data-imei={row.imei ?? ''}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={index === active}
                style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
                onClick={() => {
                  setActive(index);
                  onActive?.(row);
                  onOpen(row);
                }}
              >
                <span role="gridcell">{row.last_intake_at.slice(0, 16).replace('T', ' ')}</span>
                <span role="gridcell">{row.imei ?? row.serial ?? '—'}</span>
                <span role="gridcell">{`${row.make} ${row.model}`}</span>
                <span role="gridcell" data-verdict={row.battery_verdict}>
                  {wordLabel(lang, 'battery', row.battery_verdict)}
                  {row.soh_pct !== null && ` · ${row.soh_pct.toFixed(1)} %`}
                </span>
                <span role="gridcell" data-verdict={row.lock_verdict}>
                  {wordLabel(lang, 'lock', row.lock_verdict)}
                </span>
                <span role="gridcell">
                  {row.outcome === null
                    ? t(lang, 'quality.notGraded')
                    : `${wordLabel(lang, 'outcome', row.outcome)} · ${wordLabel(lang, 'grade', row.listing_grade ?? '')}`}
                </span>
                <span role="gridcell">{row.last_operator}</span>
              </div>
            );
          })}
        </div>
      </div>
      <p className="quality-table__status" aria-live="polite">
        {loading
          ? t(lang, 'quality.loading')
          : rows.length === 0
            ? t(lang, 'quality.empty')
            : t(lang, hasMore ? 'quality.countMore' : 'quality.count', { count: rows.length })}
      </p>
    </div>
  );
}
