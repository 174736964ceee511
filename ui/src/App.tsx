import { useEffect, useState } from 'react';
import { BenchList } from './components/BenchList';
import { detectLanguage, t, type Lang } from './i18n';
import type { BenchView } from './types';
import { followStation } from './stationFeed';
import { BUILD_VERSION, formatVersion, isInsideTauri, loadAppVersion } from './version';

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

  // Inside the desktop shell the benches come from the engine's station events.
  const [liveBenches, setLiveBenches] = useState<readonly BenchView[]>(NO_BENCHES);
  useEffect(() => {
    if (!isInsideTauri()) return undefined;
    let stop: (() => void) | undefined;
    let stillMounted = true;
    void followStation((next) => {
      if (stillMounted) setLiveBenches(next);
    })
      .then((unlisten) => {
        if (stillMounted) stop = unlisten;
        else unlisten();
      })
      // Without a station feed the screen still works; it just shows no benches.
      .catch((error: unknown) => console.warn('station feed unavailable', error));
    return () => {
      stillMounted = false;
      stop?.();
    };
  }, []);
  const shownBenches = benches.length > 0 ? benches : liveBenches;

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
        <BenchList benches={shownBenches} lang={screenLang} />
      </main>
    </div>
  );
}
