import { describe, expect, it } from 'vitest';
import { en, fr, LANGUAGES, messages, pickLanguage, t, type MessageKey } from './i18n';

const keys = Object.keys(en) as MessageKey[];

describe('message tables', () => {
  it('has non-empty text for every key in every language', () => {
    expect(keys.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) {
      for (const key of keys) {
        expect(messages[lang][key], `${lang} ${key}`).toMatch(/\S/);
      }
    }
  });

  it('gives French exactly the keys of English, no more', () => {
    expect(Object.keys(fr).sort()).toEqual([...keys].sort());
  });

  it('translates the empty-state message into French', () => {
    expect(fr['benchList.emptyTitle']).not.toBe(en['benchList.emptyTitle']);
    expect(fr['benchList.emptyHint']).not.toBe(en['benchList.emptyHint']);
    expect(t('fr', 'benchList.emptyTitle')).toBe('Aucun banc connecté.');
    expect(t('en', 'benchList.emptyTitle')).toBe('No bench connected.');
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{[^}]+\}/g) ?? []).sort();
    for (const key of keys) {
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });
});

describe('t', () => {
  it('fills placeholders with the given values', () => {
    expect(t('en', 'slot.label', { slot: 4 })).toBe('Slot 4');
    expect(t('fr', 'slot.label', { slot: 4 })).toBe('Emplacement 4');
    expect(t('en', 'bench.port', { port: '/dev/ttyACM0' })).toBe('Port /dev/ttyACM0');
  });

  it('leaves a placeholder visible when its value is missing', () => {
    expect(t('en', 'slot.label', {})).toBe('Slot {slot}');
    expect(t('en', 'slot.label')).toBe('Slot {slot}');
  });

  it('does not re-expand placeholder syntax found inside a value', () => {
    expect(t('en', 'bench.serial', { serial: '{port}' })).toBe('Serial {port}');
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
