import { describe, expect, it } from 'vitest';
import type { WindowError } from './bindings/WindowError';
import { errorHint, tellHint } from './hints';

describe('hints told in the window language', () => {
  it('tells a setting to fill in French and English', () => {
    const hint = { kind: 'set_setting', key: 'organisation.name', example: '"Atelier"' } as const;
    expect(tellHint('fr', hint)).toBe('ouvrez les Réglages et renseignez organisation.name');
    expect(tellHint('en', hint)).toBe('open Settings and fill in organisation.name');
  });

  it('words the role of an operator to act as', () => {
    expect(tellHint('fr', { kind: 'act_as', role: 'an admin' })).toBe(
      'connectez-vous avec le rôle administrateur',
    );
    expect(tellHint('en', { kind: 'act_as', role: 'a quality manager' })).toBe(
      'sign in as a quality manager',
    );
  });

  it('tells each way of confirming an erasure', () => {
    expect(tellHint('fr', { kind: 'confirm_erase', with: { kind: 'kernel_name', name: 'sdb' } })).toBe(
      'tapez sdb pour confirmer',
    );
    expect(tellHint('en', { kind: 'list_records', what: 'batches' })).toBe(
      'the Batches screen lists them',
    );
  });

  it('keeps the engine text for advice it words itself, and for errors without data', () => {
    const said: WindowError = {
      code: 'refused',
      message: 'no',
      hint: 'wait for the bench',
      hint_data: { kind: 'say', text: 'wait for the bench' },
      details: null,
    };
    expect(errorHint('fr', said)).toBe('wait for the bench');
    const old: WindowError = { code: 'data', message: 'no', hint: 'do this', details: null };
    expect(errorHint('fr', old)).toBe('do this');
    expect(errorHint('fr', { ...old, hint: null })).toBeNull();
  });
});
