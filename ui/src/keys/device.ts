// The keys of assets/locales/<lang>/ui-device.ftl.
export const DEVICE_KEYS = [] as const;
