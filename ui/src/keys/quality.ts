// The keys of assets/locales/<lang>/ui-quality.ftl.
export const QUALITY_KEYS = [] as const;
