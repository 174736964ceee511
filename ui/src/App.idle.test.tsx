// The idle lock: once an operator has logged in with a PIN, the window locks itself after the
// session's idle time without a key or a pointer press. App checks every 5 s, so a lock comes at
// most one check after the deadline.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import type { SessionInfo } from './bindings/SessionInfo';
import type { SessionStatus } from './bindings/SessionStatus';
import { fakeApi, type Calls } from './test/fakeApi';

vi.mock('@tauri-apps/api/app', () => ({ getVersion: vi.fn(() => Promise.resolve('0.1.0')) }));

const IDLE_MINUTES = 2;
const IDLE_MS = IDLE_MINUTES * 60_000;
/** How often App looks at the time since the last input. */
const CHECK_MS = 5_000;

function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    operator: 'ana',
    role: 'technician',
    info: null,
    bootstrap: false,
    has_pin: true,
    screens: ['station', 'device', 'batches'],
    idle_lock_minutes: IDLE_MINUTES,
    ...overrides,
  };
}

/** Operators have PINs: the window opens on the log-in screen. The status's own idle time is not the one used. */
const withPins: SessionStatus = { any_pin: true, open_as: null, invite_first_admin: false, idle_lock_minutes: 30 };

/**
 * Lets time pass (and the promises it settles), as React sees it: one check at a time, each in its
 * own act(), so React renders between two checks as it does in the window. (A single act() over
 * many checks would hold every render until its end, and the interval would keep firing.)
 */
async function pass(ms: number) {
  let left = ms;
  do {
    const step = Math.min(left, CHECK_MS);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(step);
    });
    left -= step;
  } while (left > 0);
}

function locks(calls: Calls): number {
  return calls.filter((call) => call.command === 'sessionLock').length;
}

function setup(status: SessionStatus, loggedIn: SessionInfo = session()) {
  const calls: Calls = [];
  const api = fakeApi(
    {
      sessionStatus: () => Promise.resolve(status),
      sessionLogin: () => Promise.resolve(loggedIn),
      sessionLock: () => Promise.resolve(),
      sessionCreateFirstAdmin: () => Promise.resolve(loggedIn),
    },
    calls,
  );
  render(<App lang="en" api={api} />);
  return calls;
}

async function logIn() {
  await pass(0);
  fireEvent.change(screen.getByTestId('login-name'), { target: { value: 'ana' } });
  fireEvent.change(screen.getByTestId('login-pin'), { target: { value: '4821' } });
  fireEvent.click(screen.getByTestId('login-submit'));
  await pass(0);
  expect(screen.getByTestId('station')).toBeTruthy();
}

function expectOpen() {
  expect(screen.getByTestId('station')).toBeTruthy();
  expect(screen.queryByTestId('login')).toBeNull();
}

function expectLockedByIdle(minutes: number) {
  expect(screen.getByTestId('login')).toBeTruthy();
  expect(screen.queryByTestId('station')).toBeNull();
  expect(screen.queryByTestId('nav-station')).toBeNull();
  expect(within(screen.getByTestId('login')).getByRole('status').textContent).toBe(
    `The station locked itself after ${minutes} minutes without use.`,
  );
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('App idle lock', () => {
  it("locks after the session's idle time without input, asks the engine to lock, and only once", async () => {
    const calls = setup(withPins);
    await logIn();

    await pass(IDLE_MS - CHECK_MS);
    expectOpen();
    expect(locks(calls)).toBe(0);

    await pass(CHECK_MS);
    expect(locks(calls)).toBe(1);
    expectLockedByIdle(IDLE_MINUTES);

    // Locked: the timer is gone, nothing asks the engine again.
    await pass(10 * IDLE_MS);
    expect(locks(calls)).toBe(1);
    expectLockedByIdle(IDLE_MINUTES);
  });

  it('a key pressed before the deadline postpones the lock to a full idle time after it', async () => {
    const calls = setup(withPins);
    await logIn();

    await pass(IDLE_MS - 20_000);
    fireEvent.keyDown(window, { key: 'ArrowDown' });
    // Past the first deadline: still open.
    await pass(20_000 + CHECK_MS);
    expectOpen();
    expect(locks(calls)).toBe(0);
    // A full idle time after the key: locked.
    await pass(IDLE_MS - 20_000 - 2 * CHECK_MS);
    expectOpen();
    await pass(2 * CHECK_MS);
    expect(locks(calls)).toBe(1);
    expectLockedByIdle(IDLE_MINUTES);
  });

  it('a pointer press anywhere in the window postpones the lock, again and again', async () => {
    const calls = setup(withPins);
    await logIn();

    for (let round = 0; round < 4; round += 1) {
      await pass(IDLE_MS - 30_000);
      fireEvent.pointerDown(screen.getByTestId('station'));
    }
    // Four idle times have gone by in all, never one without input.
    expectOpen();
    expect(locks(calls)).toBe(0);

    await pass(IDLE_MS + CHECK_MS);
    expect(locks(calls)).toBe(1);
    expectLockedByIdle(IDLE_MINUTES);
  });

  it('scrolling with the mouse wheel postpones the lock too', async () => {
    const calls = setup(withPins);
    await logIn();
    await pass(IDLE_MS - 30_000);
    fireEvent.wheel(screen.getByTestId('station'));
    await pass(IDLE_MS - 30_000);
    expectOpen();
    expect(locks(calls)).toBe(0);
    await pass(30_000 + CHECK_MS);
    expect(locks(calls)).toBe(1);
  });

  it('logging in again starts a fresh idle time', async () => {
    const calls = setup(withPins);
    await logIn();
    await pass(IDLE_MS + CHECK_MS);
    expectLockedByIdle(IDLE_MINUTES);

    // The login screen waits a long while before someone logs in (typing is not a keydown here).
    await pass(10 * IDLE_MS);
    await logIn();
    await pass(IDLE_MS - CHECK_MS);
    expectOpen();
    expect(locks(calls)).toBe(1);
    await pass(2 * CHECK_MS);
    expect(locks(calls)).toBe(2);
    expectLockedByIdle(IDLE_MINUTES);
  });

  it('never locks a session whose idle time is zero', async () => {
    const calls = setup(withPins, session({ idle_lock_minutes: 0 }));
    await logIn();

    await pass(2 * 60 * 60_000);
    expectOpen();
    expect(locks(calls)).toBe(0);
  });

  it('never locks an operator who logged in without a PIN', async () => {
    const calls = setup(withPins, session({ has_pin: false }));
    await logIn();

    await pass(10 * IDLE_MS);
    expectOpen();
    expect(screen.queryByTestId('session-lock')).toBeNull();
    expect(locks(calls)).toBe(0);
  });

  it('never locks a station that opened without PINs', async () => {
    const calls = setup({
      any_pin: false,
      open_as: session({ has_pin: false, operator: 'station' }),
      invite_first_admin: false,
      idle_lock_minutes: 1,
    });
    await pass(0);
    expectOpen();

    await pass(60 * 60_000);
    expectOpen();
    expect(locks(calls)).toBe(0);
  });

  it('arms the idle lock once the first admin is created with a PIN', async () => {
    const admin = session({
      operator: 'lea',
      role: 'admin',
      screens: ['station', 'device', 'batches', 'quality', 'settings'],
      idle_lock_minutes: 1,
    });
    const calls = setup(
      { any_pin: false, open_as: null, invite_first_admin: true, idle_lock_minutes: 1 },
      admin,
    );
    await pass(0);
    // Before: nobody has a PIN, so idling does nothing.
    await pass(5 * 60_000);
    expectOpen();
    expect(locks(calls)).toBe(0);

    fireEvent.click(within(screen.getByTestId('first-admin-invite')).getByRole('button'));
    const form = screen.getByTestId('first-admin');
    fireEvent.change(within(form).getByLabelText('Operator'), { target: { value: 'lea' } });
    fireEvent.change(within(form).getByLabelText('PIN'), { target: { value: '7391' } });
    fireEvent.change(within(form).getByLabelText('PIN again'), { target: { value: '7391' } });
    fireEvent.submit(form);
    await pass(0);
    expect(calls.find((call) => call.command === 'sessionCreateFirstAdmin')?.params).toEqual({
      name: 'lea',
      pin: '7391',
      repeat: '7391',
    });
    expect(screen.getByTestId('session-operator').textContent).toBe('lea');
    expect(screen.queryByTestId('first-admin')).toBeNull();

    await pass(60_000 - CHECK_MS);
    expectOpen();
    await pass(CHECK_MS);
    expect(locks(calls)).toBe(1);
    expectLockedByIdle(1);
  });
});
