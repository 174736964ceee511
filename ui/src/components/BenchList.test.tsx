import { fireEvent, render, screen, within } from '@testing-library/react';
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

    const recorded = within(phoneCard).getByTestId('slot-PB8-0042-3');
    expect(within(recorded).getByText('Apple iPhone 12 · 128 GB')).toBeTruthy();
    expect(within(recorded).getByTestId('tile-state').textContent).toContain('Recorded');
    expect(within(recorded).getByTestId('battery-verdict').textContent).toContain('Good');
    expect(within(recorded).getByTestId('lock-verdict').textContent).toContain('Clear');

    const failed = within(phoneCard).getByTestId('slot-PB8-0042-2');
    expect(within(failed).getByTestId('battery-verdict').textContent).toContain('Worn out');
    expect(within(failed).getByTestId('battery-verdict').getAttribute('data-tone')).toBe('bad');
    expect(within(failed).getByTestId('lock-verdict').textContent).toContain('Blocked');
    expect(within(failed).getByTestId('tile-message').textContent).toBe(
      'Google account still signed in',
    );

    // An empty slot says so and offers no verdicts to misread.
    const empty = within(phoneCard).getByTestId('slot-PB8-0042-1');
    expect(within(empty).getByText('No device')).toBeTruthy();
    expect(within(empty).queryByTestId('battery-verdict')).toBeNull();

    // The bench that never said HELLO goes by its port's file name.
    const anonymousCard = within(list).getByTestId('bench-ttyUSB1');
    expect(within(anonymousCard).getByText('Bench not identified yet')).toBeTruthy();
    expect(within(anonymousCard).getByTestId('bench-state').textContent).toContain('Disconnected');
    const laptop = within(anonymousCard).getByTestId('slot-ttyUSB1-1');
    expect(within(laptop).getByTestId('battery-verdict').textContent).toContain('Replace');
    expect(within(laptop).getByTestId('lock-verdict').textContent).toContain('Not read yet');
    const desktop = within(anonymousCard).getByTestId('slot-ttyUSB1-2');
    expect(within(desktop).getByTestId('battery-verdict').textContent).toContain('No battery');
    expect(within(desktop).getByTestId('lock-verdict').textContent).toContain('Unknown');
  });

  it('keeps the tile contract: state, battery and progress words, and no other slot- test id', () => {
    const erasing = {
      ...phoneBench,
      slots: [
        ...phoneBench.slots,
        { slot: 4, state: 'erasing' as const, device: 'Pixel 7', batteryVerdict: 'pass' as const, lockVerdict: 'clear' as const, message: null, progress: 42.4 },
      ],
    };
    render(<BenchList benches={[erasing, anonymousBench]} lang="en" />);
    const states = Object.fromEntries(
      screen.getAllByTestId(/^slot-/).map((tile) => [tile.getAttribute('data-testid'), tile.getAttribute('data-state')]),
    );
    expect(states).toEqual({
      'slot-PB8-0042-1': 'empty',
      'slot-PB8-0042-2': 'fault',
      'slot-PB8-0042-3': 'done',
      'slot-PB8-0042-4': 'erasing',
      // A lost bench's slots are disconnected, whatever they held.
      'slot-ttyUSB1-1': 'disconnected',
      'slot-ttyUSB1-2': 'disconnected',
    });
    const tile = screen.getByTestId('slot-PB8-0042-4');
    expect(tile.getAttribute('data-progress')).toBe('42');
    expect(tile.getAttribute('data-battery')).toBe('pass');
    expect(screen.getByTestId('slot-PB8-0042-1').getAttribute('data-battery')).toBe('');
    expect(screen.getByTestId('slot-PB8-0042-1').hasAttribute('data-progress')).toBe(false);
    // Only tiles carry slot- test ids.
    for (const element of document.querySelectorAll('[data-testid^="slot-"]')) {
      expect(element.hasAttribute('data-tile'), element.getAttribute('data-testid')!).toBe(true);
    }
  });

  it('moves between tiles with the arrow keys and opens a recorded device with Enter', () => {
    const opened: string[] = [];
    const recorded = {
      ...phoneBench,
      slots: phoneBench.slots.map((slot) => (slot.slot === 3 ? { ...slot, deviceRef: 'device-3' } : slot)),
    };
    render(<BenchList benches={[recorded]} lang="en" onOpenDevice={(ref) => opened.push(ref)} />);
    const list = screen.getByTestId('bench-list');
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('slot-PB8-0042-1'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('slot-PB8-0042-3'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByTestId('slot-PB8-0042-3'));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(opened).toEqual(['device-3']);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(opened).toEqual(['device-3']);
  });
});

describe('BenchCard', () => {
  it('lists slots in slot-number order whatever order they arrive in', () => {
    render(<BenchCard bench={phoneBench} lang="en" />);

    const order = screen
      .getAllByTestId(/^slot-PB8-0042-\d+$/)
      .map((tile) => tile.getAttribute('data-testid'));
    expect(order).toEqual(['slot-PB8-0042-1', 'slot-PB8-0042-2', 'slot-PB8-0042-3']);
  });

  it('writes verdicts in French', () => {
    render(<BenchCard bench={phoneBench} lang="fr" />);

    const failed = screen.getByTestId('slot-PB8-0042-2');
    expect(within(failed).getByText('Emplacement 2')).toBeTruthy();
    expect(within(failed).getByTestId('battery-verdict').textContent).toContain('Usée');
    expect(within(failed).getByTestId('lock-verdict').textContent).toContain('Bloqué');
    expect(within(failed).getByText('Batterie')).toBeTruthy();
  });

  it('shows the SOH in the battery verdict\'s colour, and the outcome and grade once graded', () => {
    const graded = {
      ...phoneBench,
      slots: phoneBench.slots.map((slot) =>
        slot.slot === 2
          ? { ...slot, soh: 78.04, outcome: 'recycle', grade: 'FAIR' }
          : slot.slot === 3
            ? { ...slot, soh: 91.5, outcome: null, grade: null }
            : slot,
      ),
    };
    render(<BenchCard bench={graded} lang="fr" />);
    const first = screen.getByTestId('slot-PB8-0042-2');
    const soh = within(first).getByTestId('tile-soh');
    expect(soh.textContent).toBe('SOH 78,0\u00a0%');
    expect(soh.getAttribute('data-tone')).toBe('bad');
    const grade = within(first).getByTestId('tile-grade');
    expect(grade.textContent).toBe('À recycler · État correct');
    expect(grade.getAttribute('data-tone')).toBe('bad');
    const second = screen.getByTestId('slot-PB8-0042-3');
    expect(within(second).getByTestId('tile-soh').getAttribute('data-tone')).toBe('good');
    // Not graded yet: no grade shown.
    expect(within(second).queryByTestId('tile-grade')).toBeNull();
  });

  it('tells the operator a disconnected bench keeps its recorded readings', () => {
    render(<BenchCard bench={anonymousBench} lang="en" />);

    expect(screen.getByRole('status').textContent).toContain('Readings already recorded are kept');
  });

  it('says so when a bench has not reported any slot', () => {
    render(<BenchCard bench={{ ...phoneBench, state: 'connecting', slots: [] }} lang="en" />);

    expect(screen.getByText('This bench has not reported its slots yet.')).toBeTruthy();
    expect(screen.queryByTestId(/^slot-/)).toBeNull();
  });
});
