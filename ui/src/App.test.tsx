import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../package.json';
import { App } from './App';
import { fakeApi } from './test/fakeApi';
import { phoneBench } from './test/fixtures';

const getVersion = vi.hoisted(() => vi.fn<() => Promise<string>>());
vi.mock('@tauri-apps/api/app', () => ({ getVersion }));

function pretendToRunInsideTauri() {
  Reflect.set(window, '__TAURI_INTERNALS__', {});
}

afterEach(() => {
  Reflect.deleteProperty(window, '__TAURI_INTERNALS__');
  getVersion.mockReset();
});

describe('App', () => {
  it('renders the station screen with the build version outside Tauri', () => {
    render(<App lang="en" />);

    expect(screen.getByTestId('station')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Refurbdesk');
    expect(screen.getByTestId('app-version').textContent).toBe(`v${packageJson.version}`);
    expect(screen.getByTestId('app-version').textContent).toBe('v0.1.0');
    expect(getVersion).not.toHaveBeenCalled();
  });

  it('starts with the empty bench list', () => {
    render(<App lang="en" />);

    expect(screen.getByTestId('bench-list').textContent).toContain('No bench connected.');
  });

  it('shows the benches it is given', () => {
    render(<App lang="en" benches={[phoneBench]} />);

    expect(screen.getByTestId('bench-PB8-0042')).toBeTruthy();
  });

  it('asks the Tauri shell for its version when running inside it', async () => {
    pretendToRunInsideTauri();
    getVersion.mockResolvedValue('0.2.3');

    render(<App lang="en" />);

    await waitFor(() => {
      expect(screen.getByTestId('app-version').textContent).toBe('v0.2.3');
    });
    expect(getVersion).toHaveBeenCalledTimes(1);
  });

  it('keeps the build version when the Tauri shell cannot answer', async () => {
    pretendToRunInsideTauri();
    getVersion.mockRejectedValue(new Error('ipc unavailable'));

    render(<App lang="en" />);

    await waitFor(() => {
      expect(getVersion).toHaveBeenCalledTimes(1);
    });
    expect(screen.getByTestId('app-version').textContent).toBe('v0.1.0');
  });

  it('follows the webview language when none is given', () => {
    const language = vi.spyOn(navigator, 'language', 'get').mockReturnValue('fr-FR');
    try {
      render(<App />);

      expect(screen.getByTestId('bench-list').textContent).toContain('Aucun banc connecté.');
      expect(document.documentElement.lang).toBe('fr');
    } finally {
      language.mockRestore();
    }
  });

  it('opens every screen of the bar by click and by Alt+digit', () => {
    render(<App lang="en" />);

    fireEvent.click(screen.getByTestId('nav-quality'));
    expect(screen.getByTestId('quality')).toBeTruthy();
    expect(screen.queryByTestId('station')).toBeNull();
    expect(screen.getByTestId('nav-quality').getAttribute('aria-current')).toBe('page');
    fireEvent.keyDown(window, { key: '2', altKey: true });
    expect(within(screen.getByTestId('batches')).getByTestId('batch-import')).toBeTruthy();
    fireEvent.keyDown(window, { key: '4', altKey: true });
    expect(screen.getByTestId('settings')).toBeTruthy();
    fireEvent.click(screen.getByTestId('nav-station'));
    expect(screen.getByTestId('station')).toBeTruthy();
  });

  it('switches language at runtime, with <html lang>, and remembers the choice', () => {
    window.localStorage.clear();
    render(<App />);
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'fr' } });
    expect(document.documentElement.lang).toBe('fr');
    expect(screen.getByTestId('nav-settings').textContent).toBe('Réglages');
    expect(screen.getByTestId('bench-list').textContent).toContain('Aucun banc connecté.');
    expect(window.localStorage.getItem('refurbdesk.lang')).toBe('fr');
    fireEvent.change(screen.getByTestId('lang-switch'), { target: { value: 'en' } });
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByTestId('nav-settings').textContent).toBe('Settings');
    window.localStorage.clear();
  });

  it('asks for a PIN once operators have one, shows the refusal, then opens the screens of the role', async () => {
    const logins: unknown[] = [];
    const session = {
      operator: 'ana',
      role: 'technician' as const,
      info: null,
      bootstrap: false,
      has_pin: true,
      screens: ['station' as const, 'device' as const, 'batches' as const],
      idle_lock_minutes: 15,
    };
    const api = fakeApi({
      sessionStatus: () =>
        Promise.resolve({ any_pin: true, open_as: null, invite_first_admin: false, idle_lock_minutes: 15 }),
      sessionLogin: (params) => {
        logins.push(params);
        return params.pin === '4821'
          ? Promise.resolve(session)
          : Promise.reject({ code: 'refused', message: 'wrong PIN for ana', hint: null, details: null });
      },
      sessionLock: () => Promise.resolve(),
    });
    render(<App lang="en" api={api} />);
    fireEvent.change(await screen.findByTestId('login-name'), { target: { value: 'ana' } });
    // Nothing but the log-in screen is reachable before logging in.
    expect(screen.queryByTestId('nav-station')).toBeNull();
    expect(screen.queryByTestId('nav-batches')).toBeNull();
    fireEvent.change(screen.getByTestId('login-pin'), { target: { value: '0000' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('error')).textContent).toContain('wrong PIN for ana');
    expect(screen.queryByTestId('station')).toBeNull();
    expect((screen.getByTestId('login-pin') as HTMLInputElement).value).toBe('');
    fireEvent.change(screen.getByTestId('login-pin'), { target: { value: '4821' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('station')).toBeTruthy();
    expect(logins).toEqual([
      { name: 'ana', pin: '0000', lang: 'en' },
      { name: 'ana', pin: '4821', lang: 'en' },
    ]);
    expect(screen.getByTestId('session-operator').textContent).toBe('ana');
    // A technician's role opens no quality or settings screen.
    expect(screen.queryByTestId('nav-quality')).toBeNull();
    expect(screen.queryByTestId('nav-settings')).toBeNull();
    expect(screen.getByTestId('nav-batches')).toBeTruthy();
    fireEvent.click(screen.getByTestId('session-lock'));
    expect(await screen.findByTestId('login')).toBeTruthy();
    expect(screen.queryByTestId('station')).toBeNull();
    expect(screen.queryByTestId('nav-station')).toBeNull();
  });

  it('opens an auditor on the first screen their role opens, and Alt+digit follows the bar', async () => {
    const auditor = {
      operator: 'lea',
      role: 'auditor' as const,
      info: null,
      bootstrap: false,
      has_pin: true,
      screens: ['device' as const, 'batches' as const, 'quality' as const],
      idle_lock_minutes: 15,
    };
    const api = fakeApi({
      sessionStatus: () =>
        Promise.resolve({ any_pin: true, open_as: null, invite_first_admin: false, idle_lock_minutes: 15 }),
      sessionLogin: () => Promise.resolve(auditor),
      batchesList: () => Promise.resolve([]),
    });
    render(<App lang="en" api={api} />);
    fireEvent.change(await screen.findByTestId('login-name'), { target: { value: 'lea' } });
    fireEvent.change(screen.getByTestId('login-pin'), { target: { value: '4821' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    // No station for an auditor: the window moves to the batches, the first screen of the bar.
    expect(await screen.findByTestId('nav-batches')).toBeTruthy();
    expect(screen.queryByTestId('station')).toBeNull();
    expect(screen.queryByTestId('nav-station')).toBeNull();
    expect(screen.getByTestId('nav-batches').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-quality').getAttribute('aria-keyshortcuts')).toBe('Alt+2');
    // Alt+4 would be the settings in the full bar: this role has no fourth screen.
    fireEvent.keyDown(window, { key: '4', altKey: true });
    expect(screen.queryByTestId('settings')).toBeNull();
    fireEvent.keyDown(window, { key: '2', altKey: true });
    expect(screen.getByTestId('nav-quality').getAttribute('aria-current')).toBe('page');
    expect(screen.queryByTestId('station')).toBeNull();
  });

  it('opens without a PIN while nobody has one, inviting the first admin', async () => {
    const api = fakeApi({
      sessionStatus: () =>
        Promise.resolve({ any_pin: false, open_as: null, invite_first_admin: true, idle_lock_minutes: 15 }),
    });
    render(<App lang="en" api={api} />);
    expect(await screen.findByTestId('station')).toBeTruthy();
    expect(screen.getByTestId('first-admin-invite')).toBeTruthy();
    expect(screen.queryByTestId('login')).toBeNull();
  });
});
