import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anonymousBench, phoneBench } from '../test/fixtures';
import { BenchCard } from './BenchCard';
import { BenchList, SIMULATOR_COMMAND } from './BenchList';

describe('BenchList', () => {
  it('shows the empty state when no bench is connected', () => {
    render(<BenchList benches={[]} lang="en" />);

    const list = screen.getByTestId('bench-list');
    expect(within(list).getByText('No bench connected.')).toBeTruthy();
    expect(within(list).getByText('Plug a bench in or start the simulator:')).toBeTruthy();
    expect(within(list).getByText(SIMULATOR_COMMAND).tagName).toBe('CODE');
    expect(SIMULATOR_COMMAND).toBe('refurbdesk station --simulate');
    expect(list.querySelector('[data-testid^="slot-"]')).toBeNull();
  });

  it('shows the empty state in French', () => {
    render(<BenchList benches={[]} lang="fr" />);

    const list = screen.getByTestId('bench-list');
    expect(within(list).getByText('Aucun banc connecté.')).toBeTruthy();
    expect(within(list).getByText(SIMULATOR_COMMAND)).toBeTruthy();
    expect(within(list).queryByText('No bench connected.')).toBeNull();
  });

  it('renders one card per bench with its slots and verdict words', () => {
    render(<BenchList benches={[phoneBench, anonymousBench]} lang="en" />);

    const list = screen.getByTestId('bench-list');
    expect(within(list).queryByText('No bench connected.')).toBeNull();

    // The identified bench goes by its serial.
    const phoneCard = within(list).getByTestId('bench-PB8-0042');
    expect(within(phoneCard).getByText('PB-8')).toBeTruthy();
    expect(within(phoneCard).getByTestId('bench-state').textContent).toContain('Ready');

    const recorded = within(phoneCard).getByTestId('slot-3');
    expect(within(recorded).getByText('Apple iPhone 12 · 128 GB')).toBeTruthy();
    expect(within(recorded).getByTestId('slot-state').textContent).toContain('Recorded');
    expect(within(recorded).getByTestId('battery-verdict').textContent).toContain('Good');
    expect(within(recorded).getByTestId('lock-verdict').textContent).toContain('Clear');

    const failed = within(phoneCard).getByTestId('slot-2');
    expect(within(failed).getByTestId('battery-verdict').textContent).toContain('Worn out');
    expect(within(failed).getByTestId('battery-verdict').getAttribute('data-tone')).toBe('bad');
    expect(within(failed).getByTestId('lock-verdict').textContent).toContain('Blocked');
    expect(within(failed).getByTestId('slot-message').textContent).toBe(
      'Google account still signed in',
    );

    // An empty slot says so and offers no verdicts to misread.
    const empty = within(phoneCard).getByTestId('slot-1');
    expect(within(empty).getByText('No device')).toBeTruthy();
    expect(within(empty).queryByTestId('battery-verdict')).toBeNull();

    // The bench that never said HELLO goes by its port.
    const anonymousCard = within(list).getByTestId('bench-/dev/ttyUSB1');
    expect(within(anonymousCard).getByText('Bench not identified yet')).toBeTruthy();
    expect(within(anonymousCard).getByTestId('bench-state').textContent).toContain('Disconnected');
    const laptop = within(anonymousCard).getByTestId('slot-1');
    expect(within(laptop).getByTestId('battery-verdict').textContent).toContain('Replace');
    expect(within(laptop).getByTestId('lock-verdict').textContent).toContain('Not read yet');
    const desktop = within(anonymousCard).getByTestId('slot-2');
    expect(within(desktop).getByTestId('battery-verdict').textContent).toContain('No battery');
    expect(within(desktop).getByTestId('lock-verdict').textContent).toContain('Unknown');
  });
});

describe('BenchCard', () => {
  it('lists slots in slot-number order whatever order they arrive in', () => {
    render(<BenchCard bench={phoneBench} lang="en" />);

    const order = screen
      .getAllByTestId(/^slot-\d+$/)
      .map((tile) => tile.getAttribute('data-testid'));
    expect(order).toEqual(['slot-1', 'slot-2', 'slot-3']);
  });

  it('writes verdicts in French', () => {
    render(<BenchCard bench={phoneBench} lang="fr" />);

    const failed = screen.getByTestId('slot-2');
    expect(within(failed).getByText('Emplacement 2')).toBeTruthy();
    expect(within(failed).getByTestId('battery-verdict').textContent).toContain('Usée');
    expect(within(failed).getByTestId('lock-verdict').textContent).toContain('Bloqué');
    expect(within(failed).getByText('Batterie')).toBeTruthy();
  });

  it('tells the operator a disconnected bench keeps its recorded readings', () => {
    render(<BenchCard bench={anonymousBench} lang="en" />);

    expect(screen.getByRole('status').textContent).toContain('Readings already recorded are kept');
  });

  it('says so when a bench has not reported any slot', () => {
    render(<BenchCard bench={{ ...phoneBench, state: 'connecting', slots: [] }} lang="en" />);

    expect(screen.getByText('This bench has not reported its slots yet.')).toBeTruthy();
    expect(screen.queryByTestId(/^slot-\d+$/)).toBeNull();
  });
});
