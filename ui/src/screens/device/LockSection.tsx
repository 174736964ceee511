// The device's locks as the bench read them, and the flow where an operator confirms an
// `unknown` verdict as clear or blocked (with a note saying how it was checked). The engine
// records who and when, and grades the device again; the screen then reloads.
import { useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { ConfirmedLock } from '../../bindings/ConfirmedLock';
import type { DeviceDetail } from '../../bindings/DeviceDetail';
import type { LockConfirmed } from '../../bindings/LockConfirmed';
import { VerdictBadge } from '../../components/VerdictBadge';
import { t, type Lang } from '../../i18n';
import { LOCK_VERDICTS, type LockVerdict } from '../../types';
import { presentLock } from '../../verdicts';

function lockWord(word: string): LockVerdict {
  return (LOCK_VERDICTS as readonly string[]).includes(word) ? (word as LockVerdict) : 'unknown';
}

export interface LockSectionProps {
  lang: Lang;
  api: Api;
  detail: DeviceDetail;
  /** The confirmation is recorded and the device graded again: reload what the screen shows. */
  onConfirmed: (confirmed: LockConfirmed) => void;
  onError: (error: WindowError | null) => void;
}

export function LockSection({ lang, api, detail, onConfirmed, onError }: LockSectionProps) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<LockConfirmed | null>(null);
  const intake = detail.intake;
  if (intake === null) return null;
  const verdict = lockWord(intake.lock.verdict);
  const confirmations = detail.lock_confirmations;
  // The latest confirmation of this intake is the one grading uses.
  const current = confirmations.find((confirmation) => confirmation.intake_id === intake.intake_id) ?? null;

  const confirm = async (lock: ConfirmedLock) => {
    setBusy(true);
    onError(null);
    try {
      const confirmed = await api.lockConfirm({
        device: detail.identity.device_id,
        lock,
        note: note.trim(),
        policy: null,
        lang,
      });
      setLast(confirmed);
      setNote('');
      onConfirmed(confirmed);
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="device-lock">
      <h3 id="device-lock">{t(lang, 'device.lock')}</h3>
      <p data-testid="device-lock" data-verdict={intake.lock.verdict}>
        <VerdictBadge presentation={presentLock(verdict)} text={t(lang, presentLock(verdict).labelKey)} />
      </p>
      <ul className="reasons">
        {intake.lock.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      {current !== null && (
        <p data-testid="lock-confirmation" data-verdict={current.verdict}>
          {t(lang, 'device.lockConfirmed', {
            verdict: t(lang, presentLock(current.verdict).labelKey),
            operator: current.operator,
            at: new Date(current.confirmed_at).toLocaleString(lang),
            note: current.note,
          })}
        </p>
      )}
      {last !== null && last.regrade.status === 'incomplete' && (
        <p data-testid="lock-regrade" data-status="incomplete">
          {t(lang, 'device.lockRegradeIncomplete')}
        </p>
      )}
      {last !== null && last.regrade.status === 'graded' && (
        <p data-testid="lock-regrade" data-status="graded">
          {t(lang, 'device.lockRegraded', {
            outcome: last.regrade.grade.report.outcome,
            grade: last.regrade.grade.report.grade,
          })}
        </p>
      )}
      {verdict === 'unknown' && (
        <div className="lock__confirm" role="group" aria-labelledby="lock-confirm-ask">
          <p id="lock-confirm-ask" className="hint">
            {t(lang, 'device.lockAsk')}
          </p>
          <label>
            {t(lang, 'device.lockNote')}
            <textarea
              data-testid="lock-note"
              required
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          <button
            type="button"
            data-testid="lock-confirm-clear"
            disabled={busy || note.trim() === ''}
            onClick={() => void confirm('clear')}
          >
            {t(lang, 'device.lockConfirmClear')}
          </button>
          <button
            type="button"
            data-testid="lock-confirm-blocked"
            disabled={busy || note.trim() === ''}
            onClick={() => void confirm('blocked')}
          >
            {t(lang, 'device.lockConfirmBlocked')}
          </button>
        </div>
      )}
      {confirmations.length > 0 && (
        <>
          <h4>{t(lang, 'device.lockHistory')}</h4>
          <ol className="history" data-testid="lock-history">
            {confirmations.map((confirmation) => (
              <li key={confirmation.id} data-verdict={confirmation.verdict}>
                <time dateTime={confirmation.confirmed_at}>
                  {new Date(confirmation.confirmed_at).toLocaleString(lang)}
                </time>{' '}
                · {confirmation.operator} · {t(lang, presentLock(confirmation.verdict).labelKey)} · {confirmation.note}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
