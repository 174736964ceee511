import { FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import {
  catalogueFile,
  catalogueFiles,
  fluentId,
  KEYS_BY_FILE,
  LANGUAGES,
  loadBundle,
  MESSAGE_KEYS,
  messages,
  pickLanguage,
  t,
} from './i18n';

/** Every message id, term id and `id.attribute` of one language's files. */
function idsOf(lang: string, onlyFile?: string): string[] {
  const ids: string[] = [];
  for (const [path, text] of Object.entries(catalogueFiles)) {
    const place = catalogueFile(path);
    if (place.lang !== lang || (onlyFile !== undefined && place.file !== onlyFile)) {
      continue;
    }
    for (const entry of new FluentResource(text).body) {
      ids.push(entry.id);
      for (const name of Object.keys(entry.attributes)) {
        ids.push(`${entry.id}.${name}`);
      }
    }
  }
  return ids.sort();
}

const folders = [...new Set(Object.keys(catalogueFiles).map((path) => catalogueFile(path).lang))].sort();

describe('the catalogue', () => {
  it('offers exactly the languages whose folders are present', () => {
    expect(folders.length).toBeGreaterThanOrEqual(2);
    expect([...LANGUAGES].sort()).toEqual(folders);
  });

  it('parses every file without errors', () => {
    for (const lang of folders) {
      expect(() => loadBundle(lang), lang).not.toThrow();
    }
  });

  it('has every id of one language in every other, and no more', () => {
    const english = idsOf('en');
    expect(english).toContain('bench-list-empty-title');
    for (const lang of folders) {
      expect(idsOf(lang), lang).toEqual(english);
    }
  });

  it('has every screen key in every language, and no screen message without a key', () => {
    const keyIds = MESSAGE_KEYS.map(fluentId).sort();
    expect(new Set(keyIds).size).toBe(MESSAGE_KEYS.length);
    for (const lang of LANGUAGES) {
      for (const [file, keys] of Object.entries(KEYS_BY_FILE)) {
        expect(idsOf(lang, file), `${lang}/${file}`).toEqual(keys.map(fluentId).sort());
      }
      for (const key of MESSAGE_KEYS) {
        expect(messages[lang].hasMessage(fluentId(key)), `${lang} ${key}`).toBe(true);
        expect(t(lang, key), `${lang} ${key}`).toMatch(/\S/);
      }
    }
  });

  it('translates the empty-state message into French', () => {
    expect(t('fr', 'benchList.emptyTitle')).not.toBe(t('en', 'benchList.emptyTitle'));
    expect(t('fr', 'benchList.emptyTitle')).toBe('Aucun banc connecté.');
    expect(t('en', 'benchList.emptyTitle')).toBe('No bench connected.');
    // French typography: a no-break space before the colon.
    expect(t('fr', 'benchList.emptyHint')).toBe('Branchez un banc ou lancez le simulateur\u00a0:');
  });

  it('uses the same arguments in both languages', () => {
    const argumentsOf = (lang: string, key: string) => {
      const pattern = messages[lang as 'en'].getMessage(fluentId(key))?.value;
      const names = JSON.stringify(pattern ?? null).match(/"name":"[^"]+"/g) ?? [];
      return [...new Set(names)].sort();
    };
    for (const key of MESSAGE_KEYS) {
      expect(argumentsOf('fr', key), key).toEqual(argumentsOf('en', key));
    }
  });
});

describe('fluentId', () => {
  it('writes a key as a Fluent id with dashes', () => {
    expect(fluentId('benchList.emptyTitle')).toBe('bench-list-empty-title');
    expect(fluentId('bench.state.ready')).toBe('bench-state-ready');
    expect(fluentId('app.versionLabel')).toBe('app-version-label');
  });
});

describe('t', () => {
  it('fills arguments with the given values, without isolation marks', () => {
    expect(t('en', 'slot.label', { slot: 4 })).toBe('Slot 4');
    expect(t('fr', 'slot.label', { slot: 4 })).toBe('Emplacement 4');
    expect(t('en', 'bench.port', { port: '/dev/ttyACM0' })).toBe('Port /dev/ttyACM0');
    expect(t('en', 'slot.label', { slot: 12345 })).toBe('Slot 12345');
  });

  it('leaves an argument visible when its value is missing', () => {
    expect(t('en', 'slot.label', {})).toBe('Slot {$slot}');
    expect(t('en', 'slot.label')).toBe('Slot {$slot}');
  });

  it('does not re-expand placeholder syntax found inside a value', () => {
    expect(t('en', 'bench.serial', { serial: '{ $port }' })).toBe('Serial { $port }');
  });
});

describe('pickLanguage', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['fr-CA', 'fr'],
    ['FR-be', 'fr'],
    ['fr_CH', 'fr'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    ['frr', 'en'],
    ['', 'en'],
  ] as const)('maps %j to %s', (tag, expected) => {
    expect(pickLanguage(tag)).toBe(expected);
  });

  it('falls back to English when the webview gives no language', () => {
    expect(pickLanguage(undefined)).toBe('en');
    expect(pickLanguage(null)).toBe('en');
  });
});
