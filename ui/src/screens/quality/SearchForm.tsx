// The search box and filters of the quality list. A filter chosen applies at once; the text
// typed in the search box applies when the form is sent (Enter or the button).
import { useState, type FormEvent } from 'react';
import { t, type Lang, type MessageKey } from '../../i18n';
import type { DeviceFilters } from './devicePages';
import { WORDS, wordLabel, type WordKind } from './words';

export interface SearchFormProps {
  lang: Lang;
  filters: DeviceFilters;
  operators: string[];
  onChange: (filters: DeviceFilters) => void;
}

const SELECTS: { kind: WordKind; field: keyof DeviceFilters; label: MessageKey }[] = [
  { kind: 'battery', field: 'battery', label: 'quality.filter.battery' },
  { kind: 'lock', field: 'lock', label: 'quality.filter.lock' },
  { kind: 'outcome', field: 'outcome', label: 'quality.filter.outcome' },
  { kind: 'grade', field: 'grade', label: 'quality.filter.grade' },
];

export function SearchForm({ lang, filters, operators, onChange }: SearchFormProps) {
  const [query, setQuery] = useState(filters.query);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, query });
  };
  return (
    <form className="quality-search" role="search" onSubmit={submit}>
      <label className="quality-search__query">
        <span>{t(lang, 'quality.searchLabel')}</span>
        <input
          type="search"
          data-testid="quality-search"
          value={query}
          placeholder={t(lang, 'quality.searchPlaceholder')}
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      <button type="submit">{t(lang, 'quality.searchSubmit')}</button>
      {SELECTS.map(({ kind, field, label }) => (
        <label key={field}>
          <span>{t(lang, label)}</span>
          <select
            data-testid={`quality-filter-${field}`}
            value={filters[field]}
            onChange={(event) => onChange({ ...filters, query, [field]: event.target.value })}
          >
            <option value="">{t(lang, 'quality.filter.any')}</option>
            {WORDS[kind].map((word) => (
              <option key={word} value={word}>
                {wordLabel(lang, kind, word)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        <span>{t(lang, 'quality.filter.since')}</span>
        <input
          type="date"
          data-testid="quality-filter-since"
          value={filters.since}
          onChange={(event) => onChange({ ...filters, query, since: event.target.value })}
        />
      </label>
      <label>
        <span>{t(lang, 'quality.filter.operator')}</span>
        <select
          data-testid="quality-filter-by"
          value={filters.by}
          onChange={(event) => onChange({ ...filters, query, by: event.target.value })}
        >
          <option value="">{t(lang, 'quality.filter.any')}</option>
          {operators.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
