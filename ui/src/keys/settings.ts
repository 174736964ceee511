// The keys of assets/locales/<lang>/ui-settings.ftl.
export const SETTINGS_KEYS = [] as const;
