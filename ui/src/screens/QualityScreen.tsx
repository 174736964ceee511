import type { Api } from '../api';
import type { Lang } from '../i18n';

export interface QualityScreenProps {
  lang: Lang;
  api: Api;
  /** Opens the device screen on a device (an IMEI, a serial or a device id). */
  onOpenDevice: (reference: string) => void;
}

/** Search, export and sampling for quality managers (being built). */
export function QualityScreen(_props: QualityScreenProps) {
  return <section className="screen quality" data-testid="quality" />;
}
