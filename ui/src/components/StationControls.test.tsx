import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, type Calls } from '../test/fakeApi';
import { StationControls } from './StationControls';

const started = (benches: number) => ({
  benches,
  operator: 'ana',
  database: '/tmp/station.sqlite',
  channel: 'backmarket',
  soh_threshold_pct: 85,
  consumed_below_pct: 80,
  site: null,
});

describe('StationControls', () => {
  it('starts on the benches of the settings, or with the simulated ones too, and says how many', async () => {
    const calls: Calls = [];
    let running = false;
    const api = fakeApi(
      {
        startStation: (simulate) => {
          if (running) return Promise.resolve(null);
          running = true;
          return Promise.resolve(started(simulate ? 3 : 1));
        },
        stopStation: () => {
          running = false;
          return Promise.resolve();
        },
      },
      calls,
    );
    render(<StationControls lang="en" api={api} />);
    fireEvent.click(screen.getByTestId('station-start'));
    expect((await screen.findByTestId('station-said')).textContent).toBe('Station started on 1 bench.');
    fireEvent.click(screen.getByTestId('station-start-simulated'));
    expect((await screen.findByText('The station is already running.')).getAttribute('data-testid')).toBe(
      'station-said',
    );
    fireEvent.click(screen.getByTestId('station-stop'));
    expect(await screen.findByText('Station stopped.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('station-start-simulated'));
    expect(await screen.findByText('Station started on 3 benches.')).toBeTruthy();
    expect(calls.map(({ command, params }) => [command, params])).toEqual([
      ['startStation', false],
      ['startStation', true],
      ['stopStation', undefined],
      ['startStation', true],
    ]);
  });

  it('says where to name the benches when none is set, in French too, and shows a refusal', async () => {
    const api = fakeApi({
      startStation: (simulate) =>
        simulate
          ? Promise.reject({ code: 'refused', message: 'nobody is logged in', hint: null, details: null })
          : Promise.resolve(started(0)),
    });
    render(<StationControls lang="fr" api={api} />);
    fireEvent.click(screen.getByTestId('station-start'));
    expect((await screen.findByTestId('station-said')).textContent).toContain('Paramètres, Bancs');
    fireEvent.click(screen.getByTestId('station-start-simulated'));
    expect((await screen.findByTestId('error')).textContent).toContain('nobody is logged in');
    expect(screen.queryByTestId('station-said')).toBeNull();
  });
});
