import { useCallback, useEffect, useRef, useState } from 'react';
import { tauriApi, type Api } from './api';
import { BenchList } from './components/BenchList';
import { StationControls } from './components/StationControls';
import { detectLanguage, LANGUAGES, pickLanguage, t, type Lang, type MessageKey } from './i18n';
import type { SessionInfo } from './bindings/SessionInfo';
import { BatchesScreen } from './screens/BatchesScreen';
import { FirstAdminInvite, LoginScreen } from './screens/LoginScreen';
import { DeviceScreen } from './screens/DeviceScreen';
import { QualityScreen } from './screens/QualityScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { followStation } from './stationFeed';
import type { BenchView } from './types';
import { BUILD_VERSION, formatVersion, isInsideTauri, loadAppVersion } from './version';

const NO_BENCHES: readonly BenchView[] = [];

/** The screens of the navigation bar, in order; Alt+1… opens them. */
export const NAV_SCREENS = ['station', 'batches', 'quality', 'settings'] as const;
export type NavScreen = (typeof NAV_SCREENS)[number];

const NAV_LABELS: Readonly<Record<NavScreen, MessageKey>> = {
  station: 'nav.station',
  batches: 'nav.batches',
  quality: 'nav.quality',
  settings: 'nav.settings',
};

/** What the window shows: a screen of the bar, or one device. */
export type View = { screen: NavScreen } | { screen: 'device'; device: string; from: NavScreen };

const LANG_STORAGE_KEY = 'refurbdesk.lang';

/** Who is at the window: still asking, an open station (with its operator once known), or the log-in screen. */
export type Gate =
  | { kind: 'checking' }
  | { kind: 'open'; session: SessionInfo | null; invite: boolean; pins: boolean }
  | { kind: 'login'; lockedAfter: number | null };

function rememberedLanguage(): Lang {
  try {
    const stored = window.localStorage.getItem(LANG_STORAGE_KEY);
    if (stored !== null) return pickLanguage(stored);
  } catch {
    // No storage (a locked-down webview): the webview's language it is.
  }
  return detectLanguage();
}

interface AppProps {
  /** Benches to show; the engine feed supplies these inside the shell. */
  benches?: readonly BenchView[];
  /** Screen language to start in; remembered choice or the webview's when not given. */
  lang?: Lang;
  /** The shell's commands; tests give their own. */
  api?: Api;
  /** The view to open on. */
  initialView?: View;
}

export function App({ benches = NO_BENCHES, lang, api = tauriApi, initialView }: AppProps) {
  const [screenLang, setScreenLang] = useState<Lang>(() => lang ?? rememberedLanguage());
  // Outside the shell with no commands given (a plain browser, the screen's unit tests) there is no
  // one to ask: the station opens as it always did.
  const [gate, setGate] = useState<Gate>(() =>
    isInsideTauri() || api !== tauriApi
      ? { kind: 'checking' }
      : { kind: 'open', session: null, invite: false, pins: false },
  );
  useEffect(() => {
    if (gate.kind !== 'checking') return;
    let stillMounted = true;
    void api
      .sessionStatus()
      .then((status) => {
        if (!stillMounted) return;
        setGate(
          status.any_pin
            ? { kind: 'login', lockedAfter: null }
            : { kind: 'open', session: status.open_as, invite: status.invite_first_admin, pins: false },
        );
      })
      .catch(() => {
        // The engine still refuses whatever the acting operator may not do; the window opens.
        if (stillMounted) setGate({ kind: 'open', session: null, invite: false, pins: false });
      });
    return () => {
      stillMounted = false;
    };
  }, [api, gate.kind]);

  // Idle lock: once operators log in with PINs, the window locks after the configured idle time.
  const lastInput = useRef(Date.now());
  const idleMinutes = gate.kind === 'open' && gate.pins ? (gate.session?.idle_lock_minutes ?? 0) : 0;
  useEffect(() => {
    if (idleMinutes <= 0) return undefined;
    const touch = () => {
      lastInput.current = Date.now();
    };
    window.addEventListener('keydown', touch);
    window.addEventListener('pointerdown', touch);
    // Reading a long list with the mouse wheel is using the station too.
    window.addEventListener('wheel', touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastInput.current >= idleMinutes * 60_000) {
        void api.sessionLock().catch(() => undefined);
        setGate({ kind: 'login', lockedAfter: idleMinutes });
      }
    }, 5_000);
    return () => {
      window.removeEventListener('keydown', touch);
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('wheel', touch);
      window.clearInterval(timer);
    };
  }, [api, idleMinutes]);
  const loggedIn = useCallback((session: SessionInfo) => {
    lastInput.current = Date.now();
    setGate({ kind: 'open', session, invite: false, pins: session.has_pin });
  }, []);
  const [view, setView] = useState<View>(initialView ?? { screen: 'station' });
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

  const chooseLanguage = useCallback((next: Lang) => {
    setScreenLang(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // Not remembered; the choice still holds for this session.
    }
  }, []);

  // The screens this operator's role opens (all of them while nobody is known: the engine still
  // refuses what the acting operator may not do). The bar, Alt+1… and the view all follow it.
  const allowed: readonly NavScreen[] =
    gate.kind === 'open' && gate.session !== null
      ? NAV_SCREENS.filter((screen) => gate.session!.screens.includes(screen))
      : NAV_SCREENS;
  const allowedKey = allowed.join(' ');
  useEffect(() => {
    // An operator whose role does not open the screen on view (an auditor has no station) lands on
    // the first screen their role opens.
    const first = allowed[0];
    if (first === undefined) return;
    setView((shown) => {
      const screen = shown.screen === 'device' ? shown.from : shown.screen;
      if (allowed.includes(screen)) return shown;
      return { screen: first };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allowedKey]);
  const current: NavScreen = view.screen === 'device' ? view.from : view.screen;
  const openDevice = useCallback(
    (device: string) => setView({ screen: 'device', device, from: current }),
    [current],
  );

  // Alt+1… opens the screens of the bar from anywhere; Escape leaves a device.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const index = Number.parseInt(event.key, 10) - 1;
        const target = allowed[index];
        if (target !== undefined) {
          event.preventDefault();
          setView({ screen: target });
        }
      } else if (event.key === 'Escape' && view.screen === 'device') {
        setView({ screen: view.from });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, allowedKey]);

  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__product">{t(screenLang, 'app.name')}</h1>
        {/* No screen is reachable before someone logs in, so the log-in screen shows no bar. */}
        {gate.kind === 'open' && (
          <nav className="app__nav" aria-label={t(screenLang, 'nav.label')}>
            {allowed.map((screen, index) => (
              <button
                key={screen}
                type="button"
                className="app__nav-item"
                data-testid={`nav-${screen}`}
                aria-current={current === screen ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${index + 1}`}
                onClick={() => setView({ screen })}
              >
                {t(screenLang, NAV_LABELS[screen])}
              </button>
            ))}
          </nav>
        )}
        {gate.kind === 'open' && gate.session !== null && (
          <span className="app__operator" data-testid="session-operator">
            {gate.session.operator}
          </span>
        )}
        {gate.kind === 'open' && gate.pins && (
          <button
            type="button"
            data-testid="session-lock"
            onClick={() => {
              void api.sessionLock().catch(() => undefined);
              setGate({ kind: 'login', lockedAfter: null });
            }}
          >
            {t(screenLang, 'login.logout')}
          </button>
        )}
        <label className="app__lang">
          <span className="visually-hidden">{t(screenLang, 'lang.label')}</span>
          <select
            data-testid="lang-switch"
            value={screenLang}
            onChange={(event) => chooseLanguage(pickLanguage(event.target.value))}
          >
            {LANGUAGES.map((option) => (
              <option key={option} value={option}>
                {t(screenLang, `lang.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <span
          className="app__version"
          data-testid="app-version"
          title={t(screenLang, 'app.versionLabel')}
        >
          {formatVersion(version)}
        </span>
      </header>
      <main className="app__body">
        {gate.kind === 'login' && (
          <LoginScreen lang={screenLang} api={api} lockedAfter={gate.lockedAfter} onLoggedIn={loggedIn} />
        )}
        {gate.kind === 'open' && gate.invite && (
          <FirstAdminInvite lang={screenLang} api={api} onCreated={loggedIn} />
        )}
        {gate.kind === 'open' && screens()}
      </main>
    </div>
  );

  // A function called in place, not a component: a component defined here would be a new type on
  // every render, and React would throw away the open screen's state each time.
  function screens() {
    // Nothing of a screen the role does not open, even for the moment before the view moves.
    if (!allowed.includes(current)) return null;
    return (
      <>
        {view.screen === 'station' && (
          <section className="screen station" data-testid="station" aria-label={t(screenLang, 'station.title')}>
            <StationControls lang={screenLang} api={api} />
            <BenchList benches={shownBenches} lang={screenLang} onOpenDevice={openDevice} />
          </section>
        )}
        {view.screen === 'device' && (
          <DeviceScreen
            key={view.device}
            lang={screenLang}
            api={api}
            device={view.device}
            onBack={() => setView({ screen: view.from })}
          />
        )}
        {view.screen === 'batches' && <BatchesScreen lang={screenLang} api={api} onOpenDevice={openDevice} />}
        {view.screen === 'quality' && (
          <QualityScreen lang={screenLang} api={api} onOpenDevice={openDevice} />
        )}
        {view.screen === 'settings' && <SettingsScreen lang={screenLang} api={api} />}
      </>
    );
  }
}
