import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../package.json';
import { App } from './App';
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
    expect(screen.getByTestId('batches').textContent).toContain('No trade-in batch yet.');
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
});
