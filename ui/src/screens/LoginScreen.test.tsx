import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Api, WindowError } from '../api';
import type { SessionInfo } from '../bindings/SessionInfo';
import { deferred, fakeApi } from './fakeApi';
import { FirstAdminInvite, LoginScreen } from './LoginScreen';

const ana: SessionInfo = {
  operator: 'ana',
  role: 'technician',
  info: null,
  bootstrap: false,
  has_pin: true,
  screens: ['station', 'device', 'batches'],
  idle_lock_minutes: 15,
};

const firstAdmin: SessionInfo = {
  operator: 'lea',
  role: 'admin',
  info: null,
  bootstrap: false,
  has_pin: true,
  screens: ['station', 'device', 'batches', 'quality', 'settings'],
  idle_lock_minutes: 15,
};

const wrongPin: WindowError = {
  code: 'refused',
  message: 'wrong PIN for ana (1 of 5 wrong in a row; at 5 the operator is locked for 15 minutes)',
  hint: null,
  details: null,
};

function input(testId: string): HTMLInputElement {
  return screen.getByTestId(testId) as HTMLInputElement;
}

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('LoginScreen', () => {
  it('logs in with the name (trimmed) and PIN typed, in the window language, and hands over the session', async () => {
    const sessionLogin = vi.fn<Api['sessionLogin']>(() => Promise.resolve(ana));
    const onLoggedIn = vi.fn();
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={onLoggedIn} />);

    expect(screen.getByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(input('login-pin').type).toBe('password');
    type('login-name', '  ana ');
    type('login-pin', '4821');
    fireEvent.click(screen.getByTestId('login-submit'));

    expect(sessionLogin).toHaveBeenCalledTimes(1);
    expect(sessionLogin).toHaveBeenCalledWith({ name: 'ana', pin: '4821', lang: 'en' });
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledWith(ana));
    expect(screen.queryByTestId('error')).toBeNull();
  });

  it('logs in by pressing Enter in the PIN field (a form submit)', async () => {
    const sessionLogin = vi.fn<Api['sessionLogin']>(() => Promise.resolve(ana));
    const onLoggedIn = vi.fn();
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={onLoggedIn} />);

    type('login-name', 'ana');
    type('login-pin', '4821');
    fireEvent.submit(input('login-pin').form!);

    expect(sessionLogin).toHaveBeenCalledWith({ name: 'ana', pin: '4821', lang: 'en' });
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledTimes(1));
  });

  it('cannot be submitted without a name', () => {
    const sessionLogin = vi.fn<Api['sessionLogin']>(() => Promise.resolve(ana));
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={() => undefined} />);

    const submit = screen.getByTestId('login-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    type('login-pin', '4821');
    type('login-name', '   ');
    expect(submit.disabled).toBe(true);
    fireEvent.click(submit);
    expect(sessionLogin).not.toHaveBeenCalled();
    type('login-name', 'ana');
    expect(submit.disabled).toBe(false);
  });

  it('shows a refused log-in as the engine told it, keeps the name and clears the PIN', async () => {
    const sessionLogin = vi
      .fn<Api['sessionLogin']>()
      .mockRejectedValueOnce(wrongPin)
      .mockResolvedValueOnce(ana);
    const onLoggedIn = vi.fn();
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={onLoggedIn} />);

    type('login-name', 'ana');
    type('login-pin', '0000');
    fireEvent.click(screen.getByTestId('login-submit'));

    const notice = await screen.findByTestId('error');
    expect(notice.getAttribute('data-code')).toBe('refused');
    expect(notice.textContent).toContain('wrong PIN for ana (1 of 5 wrong in a row');
    expect(onLoggedIn).not.toHaveBeenCalled();
    expect(input('login-name').value).toBe('ana');
    expect(input('login-pin').value).toBe('');
    expect((screen.getByTestId('login-submit') as HTMLButtonElement).disabled).toBe(false);

    // The next attempt clears the notice and may succeed.
    type('login-pin', '4821');
    fireEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledWith(ana));
    expect(screen.queryByTestId('error')).toBeNull();
    expect(sessionLogin).toHaveBeenLastCalledWith({ name: 'ana', pin: '4821', lang: 'en' });
  });

  it('shows the hint of a refusal', async () => {
    const sessionLogin = vi.fn<Api['sessionLogin']>(() =>
      Promise.reject({
        code: 'not_found',
        message: 'there is no operator named anna',
        hint: 'ask an admin to register the operator',
        details: null,
      } satisfies WindowError),
    );
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={() => undefined} />);

    type('login-name', 'anna');
    type('login-pin', '4821');
    fireEvent.click(screen.getByTestId('login-submit'));

    expect((await screen.findByTestId('error')).getAttribute('data-code')).toBe('not_found');
    expect(screen.getByTestId('error').textContent).toContain('there is no operator named anna');
    expect(screen.getByTestId('error-hint').textContent).toBe('ask an admin to register the operator');
    expect(input('login-name').value).toBe('anna');
  });

  it('holds the button while the engine checks the PIN', async () => {
    const answer = deferred<SessionInfo>();
    const sessionLogin = vi.fn<Api['sessionLogin']>(() => answer.promise);
    render(<LoginScreen lang="en" api={fakeApi({ sessionLogin })} onLoggedIn={() => undefined} />);

    type('login-name', 'ana');
    type('login-pin', '4821');
    fireEvent.click(screen.getByTestId('login-submit'));
    const submit = screen.getByTestId('login-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.click(submit);
    expect(sessionLogin).toHaveBeenCalledTimes(1);

    await act(async () => {
      answer.resolve(ana);
      await answer.promise;
    });
    await waitFor(() => expect(submit.disabled).toBe(false));
  });

  it('says the station locked itself after the idle time, only when it did', () => {
    const api = fakeApi();
    const { rerender } = render(<LoginScreen lang="en" api={api} lockedAfter={15} onLoggedIn={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('The station locked itself after 15 minutes without use.');

    rerender(<LoginScreen lang="en" api={api} lockedAfter={null} onLoggedIn={() => undefined} />);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('asks in French, and asks the engine to refuse in French', async () => {
    const sessionLogin = vi.fn<Api['sessionLogin']>(() => Promise.resolve(ana));
    render(<LoginScreen lang="fr" api={fakeApi({ sessionLogin })} lockedAfter={5} onLoggedIn={() => undefined} />);

    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(screen.getByTestId('login-submit').textContent).toBe('Se connecter');
    expect(screen.getByRole('status').textContent).toContain('après 5 minutes sans activité');
    type('login-name', 'ana');
    type('login-pin', '4821');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(sessionLogin).toHaveBeenCalledWith({ name: 'ana', pin: '4821', lang: 'fr' });
    await waitFor(() => expect((screen.getByTestId('login-submit') as HTMLButtonElement).disabled).toBe(false));
  });
});

describe('FirstAdminInvite', () => {
  function openForm() {
    fireEvent.click(within(screen.getByTestId('first-admin-invite')).getByRole('button'));
    return screen.getByTestId('first-admin');
  }

  function fill(form: HTMLElement, name: string, pin: string, repeat: string) {
    fireEvent.change(within(form).getByLabelText('Operator'), { target: { value: name } });
    fireEvent.change(within(form).getByLabelText('PIN'), { target: { value: pin } });
    fireEvent.change(within(form).getByLabelText('PIN again'), { target: { value: repeat } });
  }

  it('invites, then creates the first admin with the name (trimmed) and PIN typed', async () => {
    const sessionCreateFirstAdmin = vi.fn<Api['sessionCreateFirstAdmin']>(() => Promise.resolve(firstAdmin));
    const onCreated = vi.fn();
    render(<FirstAdminInvite lang="en" api={fakeApi({ sessionCreateFirstAdmin })} onCreated={onCreated} />);

    const invite = screen.getByTestId('first-admin-invite');
    expect(invite.textContent).toContain('No operator has a PIN yet');
    expect(screen.queryByTestId('first-admin')).toBeNull();
    const form = openForm();
    expect(screen.queryByTestId('first-admin-invite')).toBeNull();
    expect((within(form).getByLabelText('PIN') as HTMLInputElement).type).toBe('password');
    expect((within(form).getByLabelText('PIN again') as HTMLInputElement).type).toBe('password');

    fill(form, ' lea ', '7391', '7391');
    const create = within(form).getByRole('button', { name: 'Create the first administrator with a PIN' });
    fireEvent.click(create);
    // A double click asks the engine once.
    fireEvent.submit(form);

    expect(sessionCreateFirstAdmin).toHaveBeenCalledTimes(1);
    expect(sessionCreateFirstAdmin).toHaveBeenCalledWith({ name: 'lea', pin: '7391', repeat: '7391' });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(firstAdmin));
    expect(within(form).queryByTestId('error')).toBeNull();
  });

  it('sends a mismatched confirmation to the engine, which refuses it: the refusal shows and nobody is created', async () => {
    const mismatch: WindowError = {
      code: 'usage',
      message: 'the two PINs differ; type the same PIN twice',
      hint: null,
      details: null,
    };
    const sessionCreateFirstAdmin = vi
      .fn<Api['sessionCreateFirstAdmin']>()
      .mockRejectedValueOnce(mismatch)
      .mockResolvedValueOnce(firstAdmin);
    const onCreated = vi.fn();
    render(<FirstAdminInvite lang="en" api={fakeApi({ sessionCreateFirstAdmin })} onCreated={onCreated} />);

    const form = openForm();
    fill(form, 'lea', '7391', '7392');
    fireEvent.submit(form);

    // The window does not compare the two PINs itself: both go to the engine, which decides.
    expect(sessionCreateFirstAdmin).toHaveBeenCalledWith({ name: 'lea', pin: '7391', repeat: '7392' });
    const notice = await within(form).findByTestId('error');
    expect(notice.getAttribute('data-code')).toBe('usage');
    expect(notice.textContent).toContain('the two PINs differ');
    expect(onCreated).not.toHaveBeenCalled();
    // The form stays open with what was typed, to correct the confirmation.
    expect((within(form).getByLabelText('Operator') as HTMLInputElement).value).toBe('lea');

    fireEvent.change(within(form).getByLabelText('PIN again'), { target: { value: '7391' } });
    fireEvent.submit(form);
    expect(sessionCreateFirstAdmin).toHaveBeenLastCalledWith({ name: 'lea', pin: '7391', repeat: '7391' });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(firstAdmin));
    expect(within(form).queryByTestId('error')).toBeNull();
  });
});
