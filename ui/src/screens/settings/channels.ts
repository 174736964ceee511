// Sales channels named by the settings: `channel.NAME.soh_threshold_pct` and
// `channel.NAME.consumed_below_pct`. The default channel always exists.
import type { Setting } from '../../bindings/Setting';

export const DEFAULT_CHANNEL = 'backmarket';
export const STATION_CHANNEL = 'station.channel';
export const THRESHOLD = 'soh_threshold_pct';
export const CONSUMED = 'consumed_below_pct';

/** The channels the settings name, the default first, then by name. */
export function channelNames(settings: Setting[], added: string[] = []): string[] {
  const named = settings
    .map((setting) => /^channel\.(.+)\.(soh_threshold_pct|consumed_below_pct)$/.exec(setting.key)?.[1])
    .filter((name): name is string => name !== undefined);
  const station = settings.find((setting) => setting.key === STATION_CHANNEL)?.value;
  const all = new Set([...named, ...added, ...(station ? [station] : [])]);
  all.delete(DEFAULT_CHANNEL);
  return [DEFAULT_CHANNEL, ...[...all].sort()];
}

export const channelKey = (channel: string, figure: string) => `channel.${channel}.${figure}`;
