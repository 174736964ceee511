// What the engine asks to confirm an erasure with, read from its refusal. The engine, not the
// window, decides whether a target needs its serial, its kernel name or its file name typed.
import type { WindowError } from '../../api';

export type ConfirmRequest =
  | { kind: 'serial' }
  | { kind: 'kernel_name'; name: string }
  | { kind: 'image'; name: string };

/** The confirmation an erase refusal asks for, or null when the refusal is about something else. */
export function confirmationFor(error: WindowError): ConfirmRequest | null {
  const details = error.details as { confirm_with?: { kind?: string; name?: string }; target?: string } | null;
  const wanted = details?.confirm_with;
  if (wanted === undefined || wanted === null) return null;
  switch (wanted.kind) {
    case 'serial':
      return { kind: 'serial' };
    case 'kernel_name':
      return typeof wanted.name === 'string' ? { kind: 'kernel_name', name: wanted.name } : null;
    case 'image': {
      // The person types the image's file name, as it appears at the end of the path.
      const target = typeof details?.target === 'string' ? details.target : '';
      const name = target.split('/').filter((part) => part !== '').pop() ?? target;
      return { kind: 'image', name };
    }
    default:
      return null;
  }
}
