// Message tables for the station screen. English is the reference table: its
// keys define `MessageKey`, and every other table is typed against it, so a
// missing or misspelt translation is a compile error rather than a blank label.

export const LANGUAGES = ['en', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

export const en = {
  'app.name': 'Refurbdesk',
  'app.versionLabel': 'Version',
  'station.title': 'Test station',

  'benchList.label': 'Benches',
  'benchList.emptyTitle': 'No bench connected.',
  'benchList.emptyHint': 'Plug a bench in or start the simulator:',

  'bench.unknownModel': 'Bench not identified yet',
  'bench.serial': 'Serial {serial}',
  'bench.port': 'Port {port}',
  'bench.state.connecting': 'Connecting…',
  'bench.state.ready': 'Ready',
  'bench.state.disconnected': 'Disconnected',
  'bench.disconnectedNote': 'Bench unplugged or switched off. Readings already recorded are kept.',
  'bench.noSlots': 'This bench has not reported its slots yet.',

  'slot.label': 'Slot {slot}',
  'slot.noDevice': 'No device',
  'slot.state.empty': 'Empty',
  'slot.state.occupied': 'Device placed',
  'slot.state.intake': 'Reading device…',
  'slot.state.recorded': 'Recorded',
  'slot.state.failed': 'Failed',
  'slot.state.unknown': 'State unknown',

  'verdict.battery.label': 'Battery',
  'verdict.battery.pass': 'Good',
  'verdict.battery.replace': 'Replace',
  'verdict.battery.consumed': 'Worn out',
  'verdict.battery.unknown': 'Unknown',
  'verdict.battery.absent': 'No battery',
  'verdict.battery.pending': 'Not read yet',

  'verdict.lock.label': 'Lock',
  'verdict.lock.clear': 'Clear',
  'verdict.lock.blocked': 'Blocked',
  'verdict.lock.unknown': 'Unknown',
  'verdict.lock.pending': 'Not read yet',
} as const;

export type MessageKey = keyof typeof en;
export type MessageTable = Readonly<Record<MessageKey, string>>;

// French typography puts a non-breaking space before « : » and inside « ».
export const fr: MessageTable = {
  'app.name': 'Refurbdesk',
  'app.versionLabel': 'Version',
  'station.title': 'Poste de test',

  'benchList.label': 'Bancs',
  'benchList.emptyTitle': 'Aucun banc connecté.',
  'benchList.emptyHint': 'Branchez un banc ou lancez le simulateur\u00a0:',

  'bench.unknownModel': 'Banc pas encore identifié',
  'bench.serial': 'N° de série {serial}',
  'bench.port': 'Port {port}',
  'bench.state.connecting': 'Connexion…',
  'bench.state.ready': 'Prêt',
  'bench.state.disconnected': 'Déconnecté',
  'bench.disconnectedNote':
    'Banc débranché ou éteint. Les mesures déjà enregistrées sont conservées.',
  'bench.noSlots': 'Ce banc n’a pas encore indiqué ses emplacements.',

  'slot.label': 'Emplacement {slot}',
  'slot.noDevice': 'Aucun appareil',
  'slot.state.empty': 'Vide',
  'slot.state.occupied': 'Appareil posé',
  'slot.state.intake': 'Lecture de l’appareil…',
  'slot.state.recorded': 'Enregistré',
  'slot.state.failed': 'Échec',
  'slot.state.unknown': 'État inconnu',

  'verdict.battery.label': 'Batterie',
  'verdict.battery.pass': 'Bonne',
  'verdict.battery.replace': 'À remplacer',
  'verdict.battery.consumed': 'Usée',
  'verdict.battery.unknown': 'Inconnue',
  'verdict.battery.absent': 'Pas de batterie',
  'verdict.battery.pending': 'Pas encore lue',

  'verdict.lock.label': 'Verrouillage',
  'verdict.lock.clear': 'Libre',
  'verdict.lock.blocked': 'Bloqué',
  'verdict.lock.unknown': 'Inconnu',
  'verdict.lock.pending': 'Pas encore lu',
};

export const messages: Readonly<Record<Lang, MessageTable>> = { en, fr };

/**
 * Chooses the screen language from a BCP 47 tag such as `navigator.language`.
 * Only the primary subtag counts, so `fr-CA` is French but `frr` (North Frisian) is not.
 */
export function pickLanguage(languageTag: string | null | undefined): Lang {
  const primarySubtag = (languageTag ?? '').trim().split(/[-_]/)[0]?.toLowerCase();
  return primarySubtag === 'fr' ? 'fr' : 'en';
}

/** The language of the running webview, English when the webview does not say. */
export function detectLanguage(): Lang {
  return pickLanguage(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/**
 * Looks up a message and fills its `{name}` placeholders from `values`.
 * A placeholder without a value is left as written, so a forgotten value shows up
 * on screen instead of silently vanishing.
 */
export function t(
  lang: Lang,
  key: MessageKey,
  values?: Readonly<Record<string, string | number>>,
): string {
  const template = messages[lang][key];
  if (values === undefined) {
    return template;
  }
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (placeholder, name: string) => {
    const value = values[name];
    return value === undefined ? placeholder : String(value);
  });
}
