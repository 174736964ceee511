import { useEffect, useState } from 'react';
import { BenchList } from './components/BenchList';
import { detectLanguage, t, type Lang } from './i18n';
import type { BenchView } from './types';
import { BUILD_VERSION, formatVersion, loadAppVersion } from './version';

const NO_BENCHES: readonly BenchView[] = [];

interface AppProps {
  /** Benches to show; the engine feed will supply these, until then the list is empty. */
  benches?: readonly BenchView[];
  /** Screen language; taken from the webview when not given. */
  lang?: Lang;
}

export function App({ benches = NO_BENCHES, lang }: AppProps) {
  const [webviewLang] = useState<Lang>(detectLanguage);
  const screenLang = lang ?? webviewLang;
  // Start from the build-time version so the header never flashes empty while
  // the shell is being asked.
  const [version, setVersion] = useState<string>(BUILD_VERSION);

  useEffect(() => {
    let stillMounted = true;
    void loadAppVersion().then((loaded) => {
      if (stillMounted) {
        setVersion(loaded);
      }
    });
    return () => {
      stillMounted = false;
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = screenLang;
  }, [screenLang]);

  return (
    <div className="station" data-testid="station">
      <header className="station__header">
        <h1 className="station__product">{t(screenLang, 'app.name')}</h1>
        <span className="station__title">{t(screenLang, 'station.title')}</span>
        <span
          className="station__version"
          data-testid="app-version"
          title={t(screenLang, 'app.versionLabel')}
        >
          {formatVersion(version)}
        </span>
      </header>
      <main className="station__body">
        <BenchList benches={benches} lang={screenLang} />
      </main>
    </div>
  );
}
