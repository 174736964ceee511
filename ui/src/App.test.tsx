import { render, screen, waitFor } from '@testing-library/react';
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
});
