import type { Api } from '../api';
import type { Lang } from '../i18n';

export interface SettingsScreenProps {
  lang: Lang;
  api: Api;
}

/** The workstation's settings, operators and keys (being built). */
export function SettingsScreen(_props: SettingsScreenProps) {
  return <section className="screen settings" data-testid="settings" />;
}
