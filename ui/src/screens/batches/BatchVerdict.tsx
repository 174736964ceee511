// The verdict on the marketplace trade-in order a batch was pulled from: validate, counter-offer
// (the audit's revised total with the signed report and the batch's certificates) or suspend
// (e.g. an account-locked device). The engine checks the role, that a counter-offer's batch is
// audited, the reasons and the comment's length, and queues it for the next sync.
import { useEffect, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { Verdict } from '../../bindings/Verdict';
import type { VerdictQueued } from '../../bindings/VerdictQueued';
import { t, type Lang } from '../../i18n';

/** The marketplace takes a comment of at most this many characters. */
export const MAX_COMMENT = 200;

export interface BatchVerdictProps {
  lang: Lang;
  api: Api;
  batch: string;
  order: string;
  onError: (error: WindowError | null) => void;
}

export function BatchVerdict({ lang, api, batch, order, onError }: BatchVerdictProps) {
  const [verdict, setVerdict] = useState<Verdict>('validate');
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [folder, setFolder] = useState<string | null>(null);
  const [queued, setQueued] = useState<VerdictQueued | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api
      .stationInfo()
      .then((info) => setFolder(info.documents))
      .catch(() => setFolder(null));
  }, [api]);

  const needsReason = verdict !== 'validate';
  const ready = !busy && (!needsReason || reason.trim() !== '') && comment.length <= MAX_COMMENT;
  const send = async () => {
    setBusy(true);
    onError(null);
    try {
      setQueued(
        await api.marketplaceVerdict({
          batch,
          verdict,
          comment: comment.trim() === '' ? null : comment.trim(),
          reasons: reason
            .split(';')
            .map((word) => word.trim())
            .filter((word) => word !== ''),
          out: folder ?? '.',
        }),
      );
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      data-testid="batch-verdict"
      aria-label={t(lang, 'batches.verdictTitle', { order })}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h4>{t(lang, 'batches.verdictTitle', { order })}</h4>
      <label>
        {t(lang, 'batches.verdict')}
        <select data-testid="batch-verdict-kind" value={verdict} onChange={(event) => setVerdict(event.target.value as Verdict)}>
          <option value="validate">{t(lang, 'batches.verdictValidate')}</option>
          <option value="counter_offer">{t(lang, 'batches.verdictCounterOffer')}</option>
          <option value="suspend">{t(lang, 'batches.verdictSuspend')}</option>
        </select>
      </label>
      {needsReason && (
        <label>
          {t(lang, 'batches.verdictReasons')}
          <input data-testid="batch-verdict-reasons" value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
      )}
      <label>
        {t(lang, 'batches.verdictComment', { max: MAX_COMMENT })}
        <input data-testid="batch-verdict-comment" value={comment} onChange={(event) => setComment(event.target.value)} />
      </label>
      <button type="submit" data-testid="batch-verdict-send" disabled={!ready}>
        {t(lang, 'batches.verdictSend')}
      </button>
      {queued !== null && (
        <p data-testid="batch-verdict-queued" data-verdict={queued.verdict}>
          {t(lang, 'batches.verdictQueued', { order: queued.order, files: queued.files.length, price: queued.price ?? '—' })}
        </p>
      )}
    </form>
  );
}
