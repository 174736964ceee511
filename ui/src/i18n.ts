// The station screen's words, from the one message catalogue the Rust engine
// reads too: Project Fluent files in assets/locales/<lang>/*.ftl, read here with
// @fluent/bundle. A language is a folder there; `LANGUAGES` names the ones the
// screen offers and a test holds it equal to the folders present.
//
// `MessageKey` lists the keys the screen uses, so a misspelt key is a compile
// error; each key names the Fluent id written with dashes
// (`benchList.emptyTitle` is `bench-list-empty-title`), and a test checks that
// every key exists in every language and that ui.ftl holds no id without a key.

import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { APP_KEYS } from './keys/app';
import { BATCHES_KEYS } from './keys/batches';
import { DEVICE_KEYS } from './keys/device';
import { HINTS_KEYS } from './keys/hints';
import { QUALITY_KEYS } from './keys/quality';
import { SETTINGS_KEYS } from './keys/settings';
import { SYNC_KEYS } from './keys/sync';

export const LANGUAGES = ['en', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

// Each screen's keys live beside the catalogue file that holds them (ui.ftl, ui-device.ftl…);
// a test holds every file's ids equal to its keys.
export const KEYS_BY_FILE = {
  'ui.ftl': APP_KEYS,
  'ui-device.ftl': DEVICE_KEYS,
  'ui-quality.ftl': QUALITY_KEYS,
  'ui-settings.ftl': SETTINGS_KEYS,
  'ui-batches.ftl': BATCHES_KEYS,
  'ui-hints.ftl': HINTS_KEYS,
  'ui-sync.ftl': SYNC_KEYS,
} as const;

export const MESSAGE_KEYS = [
  ...APP_KEYS,
  ...DEVICE_KEYS,
  ...QUALITY_KEYS,
  ...SETTINGS_KEYS,
  ...BATCHES_KEYS,
  ...HINTS_KEYS,
  ...SYNC_KEYS,
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];

/**
 * The screen's catalogue files' text, by path (`../../assets/locales/fr/ui.ftl`): the `ui*.ftl`
 * files, which hold every message the screen tells (`KEYS_BY_FILE`). The engine's files
 * (certificates, grading, prompts…) are the engine's to tell; bundled here they made the page's
 * script a third bigger and were parsed at every start for nothing.
 */
export const catalogueFiles: Readonly<Record<string, string>> = import.meta.glob(
  '../../assets/locales/*/ui*.ftl',
  { query: '?raw', import: 'default', eager: true },
);

/** The catalogue's file path split into its language folder and file name. */
export function catalogueFile(path: string): { lang: string; file: string } {
  const [lang = '', file = ''] = path.split('/').slice(-2);
  return { lang, file };
}

const fluentIds = new Map<string, string>();

/** The Fluent id a key names: `benchList.emptyTitle` → `bench-list-empty-title`. */
export function fluentId(key: string): string {
  let id = fluentIds.get(key);
  if (id === undefined) {
    id = key
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/\./g, '-')
      .toLowerCase();
    fluentIds.set(key, id);
  }
  return id;
}

/** One language's messages: every file of its folder in one bundle. */
export function loadBundle(lang: string): FluentBundle {
  // The words go into text nodes and attributes, not bidi markup.
  const bundle = new FluentBundle(lang, { useIsolating: false });
  for (const [path, text] of Object.entries(catalogueFiles)) {
    if (catalogueFile(path).lang !== lang) {
      continue;
    }
    const errors = bundle.addResource(new FluentResource(text));
    if (errors.length > 0) {
      throw new Error(`${path}: ${errors.map(String).join('; ')}`);
    }
  }
  return bundle;
}

const loadedBundles = new Map<Lang, FluentBundle>();

function bundleOf(lang: Lang): FluentBundle {
  let bundle = loadedBundles.get(lang);
  if (bundle === undefined) {
    bundle = loadBundle(lang);
    loadedBundles.set(lang, bundle);
  }
  return bundle;
}

/**
 * Each language's messages, parsed the first time that language is asked for: a window in French
 * never parses the English files (every screen message exists in every language, a test holds it),
 * and the page's memory holds one language until someone switches.
 */
export const messages: Readonly<Record<Lang, FluentBundle>> = Object.defineProperties(
  {} as Record<Lang, FluentBundle>,
  Object.fromEntries(
    LANGUAGES.map((lang) => [lang, { enumerable: true, get: () => bundleOf(lang) }]),
  ),
);

/**
 * Chooses the screen language from a BCP 47 tag such as `navigator.language`.
 * Only the primary subtag counts, so `fr-CA` is French but `frr` (North Frisian) is not.
 */
export function pickLanguage(languageTag: string | null | undefined): Lang {
  const primarySubtag = (languageTag ?? '').trim().split(/[-_]/)[0]?.toLowerCase();
  return LANGUAGES.find((lang) => lang === primarySubtag) ?? 'en';
}

/** The language of the running webview, English when the webview does not say. */
export function detectLanguage(): Lang {
  return pickLanguage(typeof navigator === 'undefined' ? undefined : navigator.language);
}

// Messages told without arguments, by language then key. The station's tiles tell a dozen words
// each time one of 64 tiles changes, up to 600 times a second: told once, each is looked up after.
const toldWithoutArguments = new Map<Lang, Map<MessageKey, string>>();

/**
 * Tells a message with its `{ $name }` arguments from `values`. A message
 * missing in `lang` is told in English; an argument without a value shows as
 * `{$name}`, so a forgotten value shows up on screen instead of silently vanishing.
 */
export function t(
  lang: Lang,
  key: MessageKey,
  values?: Readonly<Record<string, string | number>>,
): string {
  if (values === undefined) {
    let told = toldWithoutArguments.get(lang);
    if (told === undefined) {
      told = new Map();
      toldWithoutArguments.set(lang, told);
    }
    let text = told.get(key);
    if (text === undefined) {
      text = tell(lang, key, undefined);
      told.set(key, text);
    }
    return text;
  }
  return tell(lang, key, values);
}

function tell(
  lang: Lang,
  key: MessageKey,
  values: Readonly<Record<string, string | number>> | undefined,
): string {
  const id = fluentId(key);
  const bundle = messages[lang].hasMessage(id) ? messages[lang] : messages.en;
  const pattern = bundle.getMessage(id)?.value;
  if (pattern === undefined || pattern === null) {
    return key;
  }
  const args: Record<string, FluentVariable> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    // Text, as the engine passes its arguments: no locale grouping of serials or slots.
    args[name] = String(value);
  }
  // Errors (a missing argument) are already visible in the told text.
  return bundle.formatPattern(pattern, args, []);
}
