// The quality list's data: the filters a person set, as the engine's `DevicesParams`, and the
// pages read so far with keyset paging (`next_after`). Only the newest request's answer counts,
// so a slow page of old filters never lands over the new ones.
import { useCallback, useEffect, useRef, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { DeviceRow } from '../../bindings/DeviceRow';
import type { DevicesParams } from '../../bindings/DevicesParams';

/** Where the list is read: this station's database, or the site database of every station. */
export type ListScope = 'station' | 'site';

/** The filter form's values; an empty string is "any". */
export interface DeviceFilters {
  query: string;
  battery: string;
  lock: string;
  outcome: string;
  grade: string;
  /** `YYYY-MM-DD`, a UTC day. */
  since: string;
  by: string;
}

export const NO_FILTERS: DeviceFilters = {
  query: '',
  battery: '',
  lock: '',
  outcome: '',
  grade: '',
  since: '',
  by: '',
};

/** Rows asked for per page. */
export const PAGE_SIZE = 100;

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** The engine's parameters for one page of the list. */
export function toParams(filters: DeviceFilters, after: string | null, limit = PAGE_SIZE): DevicesParams {
  return {
    query: orNull(filters.query),
    imei: null,
    serial: null,
    battery: orNull(filters.battery),
    lock: orNull(filters.lock),
    since: filters.since === '' ? null : `${filters.since}T00:00:00Z`,
    by: orNull(filters.by),
    outcome: orNull(filters.outcome),
    grade: orNull(filters.grade),
    limit,
    offset: 0,
    after,
  };
}

export interface DevicePages {
  rows: DeviceRow[];
  /** Where the next page starts; null when the list is complete. */
  nextAfter: string | null;
  loading: boolean;
  error: WindowError | null;
}

/** The list for `filters`, first page at once, the next ones when `loadMore` is called. */
export function useDevicePages(api: Api, filters: DeviceFilters, scope: ListScope = 'station') {
  const [pages, setPages] = useState<DevicePages>({
    rows: [],
    nextAfter: null,
    loading: true,
    error: null,
  });
  const generation = useRef(0);
  const busy = useRef(false);
  const key = JSON.stringify(filters);
  // A site row is a station's row with its site device and station added: the table reads it
  // as a row.
  const list = useCallback(
    (params: DevicesParams): Promise<{ rows: DeviceRow[]; next_after: string | null }> =>
      scope === 'site' ? api.siteDevicesList(params) : api.devicesList(params),
    [api, scope],
  );

  const fetchPage = useCallback(
    (after: string | null) => {
      const mine = generation.current;
      busy.current = true;
      setPages((old) => ({ ...old, loading: true, error: null }));
      list(toParams(JSON.parse(key) as DeviceFilters, after)).then(
        (page) => {
          if (mine !== generation.current) return;
          busy.current = false;
          setPages((old) => ({
            rows: after === null ? page.rows : [...old.rows, ...page.rows],
            nextAfter: page.next_after,
            loading: false,
            error: null,
          }));
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          busy.current = false;
          setPages((old) => ({ ...old, loading: false, error: asWindowError(error) }));
        },
      );
    },
    [list, key],
  );

  useEffect(() => {
    generation.current += 1;
    setPages({ rows: [], nextAfter: null, loading: true, error: null });
    fetchPage(null);
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (busy.current || pages.nextAfter === null || pages.error !== null) return;
    fetchPage(pages.nextAfter);
  }, [fetchPage, pages.nextAfter, pages.error]);

  return { ...pages, loadMore };
}
