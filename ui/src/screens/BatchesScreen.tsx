// Trade-in batches: import a customer's manifest (file chooser or drop), receive devices with a
// barcode scanner (and what came in the box), follow the batch's counts, missing and extra
// devices, each device's audit (declared vs found, the revised price and its reasons) and the
// totals, and close the batch. Every rule (manifest checks, matching a scan, due dates, quote
// expiry, the revision) is the application layer's; the screen shows what it answers.
import { useCallback, useEffect, useRef, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../api';
import type { AuditTotals } from '../bindings/AuditTotals';
import type { BatchAudit } from '../bindings/BatchAudit';
import type { BatchStatus } from '../bindings/BatchStatus';
import type { BatchSummary } from '../bindings/BatchSummary';
import type { Receipt } from '../bindings/Receipt';
import type { ToldProblem } from '../bindings/ToldProblem';
import { ErrorNotice } from '../components/ErrorNotice';
import { t, type Lang } from '../i18n';
import { readBase64 } from './device/PhotosSection';
import { BatchDocuments } from './batches/BatchDocuments';
import { BatchVerdict } from './batches/BatchVerdict';
import { ScanBurst, withoutBurst } from './batches/scanBurst';

export interface BatchesScreenProps {
  lang: Lang;
  api: Api;
  /** Opens a device's screen (its id). */
  onOpenDevice?: (device: string) => void;
  /** The time of a key press in milliseconds, to tell a scanner's burst from typing (tests give their own). */
  clock?: () => number;
}

/** How far the audit has gone: received declared devices audited, as a whole percentage. */
export function auditProgress(totals: AuditTotals): { audited: number; received: number; percent: number } {
  const received = totals.audited + totals.unaudited;
  const percent = received === 0 ? 0 : Math.floor((totals.audited * 100) / received);
  return { audited: totals.audited, received, percent };
}

/** The problems a refused manifest lists in its error's details, if it says any. */
export function manifestProblems(error: WindowError | null): ToldProblem[] {
  const details = error?.details as { problems?: unknown } | null | undefined;
  return Array.isArray(details?.problems) ? (details.problems as ToldProblem[]) : [];
}

/** Whether a key press lands in a field of its own (then the keys are its own, unless a scanner's burst). */
function typesIntoAField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Takes a scanner's burst back out of the text field it was typed into, as if typed away. */
function takeBack(target: EventTarget | null, burst: string) {
  if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement)) return;
  const caret = target.selectionStart ?? target.value.length;
  const restored = withoutBurst(target.value, burst, caret);
  if (restored.value === target.value) return;
  // Through the native setter, so React's controlled field hears the change.
  const prototype = target instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(target, restored.value);
  target.dispatchEvent(new Event('input', { bubbles: true }));
  target.setSelectionRange?.(restored.caret, restored.caret);
}

const now = () => performance.now();

export function BatchesScreen({ lang, api, onOpenDevice, clock = now }: BatchesScreenProps) {
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [status, setStatus] = useState<BatchStatus | null>(null);
  const [error, setError] = useState<WindowError | null>(null);
  const [customer, setCustomer] = useState('');
  const [quoteDate, setQuoteDate] = useState('');
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<number | null>(null);
  const [code, setCode] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [accessories, setAccessories] = useState('');
  const [audit, setAudit] = useState<BatchAudit | null>(null);
  const [closeReason, setCloseReason] = useState('');
  const receiveRef = useRef<HTMLInputElement>(null);
  const accessoriesRef = useRef<HTMLInputElement>(null);

  const reload = useCallback(
    async (batch: string | null) => {
      try {
        setBatches(await api.batchesList());
        setStatus(batch === null ? null : await api.batchesStatus({ batch }));
        setAudit(batch === null ? null : await api.batchesAudit({ batch, lang }));
      } catch (failure) {
        setError(asWindowError(failure));
      }
    },
    [api, lang],
  );

  useEffect(() => {
    void reload(open);
  }, [reload, open]);

  // A scanner types its code and Enter wherever the focus is. Outside a field of its own, the
  // keys go to the receiving field, so no scan is lost to a button that happened to have focus;
  // in another field (the customer's name, the box's accessories…), a burst ending in Enter is
  // taken back out of that field and received as a scan.
  const receiveLatest = useRef<(scan?: { code: string; box: string }) => Promise<void>>(async () => undefined);
  useEffect(() => {
    if (open === null) return undefined;
    const burst = new ScanBurst();
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const field = receiveRef.current;
      if (field === null) return;
      const scanned = burst.key(event.key, clock());
      // The receiving field's own form receives its Enter.
      if (event.target === field) return;
      if (typesIntoAField(event.target)) {
        if (scanned === null) return;
        event.preventDefault();
        event.stopPropagation();
        takeBack(event.target, scanned);
        setCode('');
        void receiveLatest.current({ code: scanned, box: accessoriesRef.current?.value ?? '' });
        return;
      }
      if (event.key === 'Enter' && scanned !== null) {
        event.preventDefault();
        void receiveLatest.current({ code: scanned, box: accessoriesRef.current?.value ?? '' });
      } else if (event.key.length === 1) {
        event.preventDefault();
        field.focus();
        setCode((typed) => typed + event.key);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, clock]);

  const importFile = async (file: File) => {
    setError(null);
    setImported(null);
    setImporting(true);
    try {
      const base64 = await readBase64(file);
      const batch = await api.batchesImport({
        manifest: { from: 'bytes', name: file.name, base64 },
        customer: customer.trim(),
        quote_date: quoteDate === '' ? null : quoteDate,
        lang,
      });
      setImported(batch.lines);
      setOpen(batch.id);
      await reload(batch.id);
    } catch (failure) {
      setError(asWindowError(failure));
    } finally {
      setImporting(false);
    }
  };

  const receive = async (scan?: { code: string; box: string }) => {
    const scanned = (scan?.code ?? code).trim();
    if (open === null || scanned === '') return;
    setError(null);
    try {
      const box = (scan?.box ?? accessories).trim();
      const answer = await api.batchesReceive(
        box === '' ? { batch: open, code: scanned } : { batch: open, code: scanned, accessories: [box] },
      );
      setReceipt(answer);
      setCode('');
      setAccessories('');
      await reload(open);
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };
  receiveLatest.current = receive;

  const requote = async () => {
    if (open === null) return;
    setError(null);
    try {
      setStatus(await api.batchesRequote({ batch: open, date: new Date().toISOString().slice(0, 10) }));
      setBatches(await api.batchesList());
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const close = async () => {
    if (open === null) return;
    setError(null);
    const reason = closeReason.trim();
    try {
      setStatus(await api.batchesClose(reason === '' ? { batch: open } : { batch: open, force_reason: reason }));
      setCloseReason('');
      await reload(open);
    } catch (failure) {
      setError(asWindowError(failure));
    }
  };

  const problems = manifestProblems(error);

  return (
    <section
      className="screen batches"
      data-testid="batches"
      aria-labelledby="batches-title"
      // A manifest dropped anywhere on the screen is imported (a drop outside would otherwise
      // open the file in the window instead).
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        const file = event.dataTransfer.files[0];
        if (file !== undefined) void importFile(file);
      }}
    >
      <h2 id="batches-title">{t(lang, 'batches.title')}</h2>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />
      {problems.length > 0 && (
        <div className="card" data-testid="batch-problems">
          <p>{t(lang, 'batches.problems', { count: problems.length })}</p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.line}-${problem.column ?? ''}-${problem.text}`} data-line={problem.line}>
                {problem.text}
              </li>
            ))}
          </ul>
        </div>
      )}

      <form
        className="card batches__import"
        data-testid="batch-import"
        onSubmit={(event) => event.preventDefault()}
      >
        <h3>{t(lang, 'batches.importTitle')}</h3>
        <label>
          {t(lang, 'batches.importCustomer')}
          <input
            data-testid="batch-import-customer"
            value={customer}
            onChange={(event) => setCustomer(event.target.value)}
          />
        </label>
        <label>
          {t(lang, 'batches.importQuoteDate')}
          <input
            type="date"
            data-testid="batch-import-date"
            value={quoteDate}
            onChange={(event) => setQuoteDate(event.target.value)}
          />
        </label>
        <label>
          {t(lang, 'batches.importFile')}
          <input
            type="file"
            data-testid="batch-import-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={importing}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file !== undefined) void importFile(file);
              event.target.value = '';
            }}
          />
        </label>
        <p className="hint">{t(lang, 'batches.importDrop')}</p>
        {importing && <p role="status">{t(lang, 'batches.importing')}</p>}
        {imported !== null && (
          <p role="status" data-testid="batch-imported">
            {t(lang, 'batches.imported', { lines: imported })}
          </p>
        )}
      </form>

      {batches !== null && batches.length === 0 && (
        <div className="empty-state">
          <p className="empty-state__title">{t(lang, 'batches.emptyTitle')}</p>
          <p className="empty-state__hint">{t(lang, 'batches.emptyHint')}</p>
        </div>
      )}
      {batches !== null && batches.length > 0 && (
        <table className="batches__list" data-testid="batch-list" aria-label={t(lang, 'batches.list')}>
          <thead>
            <tr>
              <th>{t(lang, 'batches.customer')}</th>
              <th>{t(lang, 'batches.declared')}</th>
              <th>{t(lang, 'batches.received')}</th>
              <th>{t(lang, 'batches.quoted')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {batches.map((batch) => (
              <tr key={batch.id} data-testid="batch-row" data-batch={batch.id} aria-selected={batch.id === open}>
                <td>
                  {batch.customer} · {t(lang, `batches.stage.${batch.stage}`)}
                </td>
                <td>{batch.declared}</td>
                <td>{batch.received}</td>
                <td>
                  {batch.quoted_total} {batch.currency}
                </td>
                <td>
                  <button type="button" onClick={() => setOpen(batch.id)}>
                    {t(lang, 'batches.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {status !== null && (
        <div className="batches__open" data-batch={status.id}>
          <h3>
            {status.customer} · {t(lang, `batches.stage.${status.stage}`)}
          </h3>
          <form
            className="card"
            onSubmit={(event) => {
              event.preventDefault();
              void receive();
            }}
          >
            <label>
              {t(lang, 'batches.receiveLabel')}
              <input
                ref={receiveRef}
                data-testid="batch-receive"
                value={code}
                autoComplete="off"
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
            <label>
              {t(lang, 'batches.accessoriesLabel')}
              <input
                ref={accessoriesRef}
                data-testid="batch-accessories"
                value={accessories}
                autoComplete="off"
                onChange={(event) => setAccessories(event.target.value)}
              />
            </label>
            {/* With two fields, Enter submits the form only when it has a submit button. */}
            <button type="submit" data-testid="batch-receive-submit">
              {t(lang, 'batches.receiveSubmit')}
            </button>
            <p className="hint">{t(lang, 'batches.receiveHint')}</p>
            {receipt !== null && (
              <p role="status" data-testid="batch-scan" data-outcome={receipt.outcome}>
                {receipt.outcome === 'matched' &&
                  t(lang, 'batches.scanMatched', { code: receipt.code, line: receipt.device?.line ?? 0 })}
                {receipt.outcome === 'extra' && t(lang, 'batches.scanExtra', { code: receipt.code })}
                {receipt.outcome === 'already_received' && t(lang, 'batches.scanAgain', { code: receipt.code })}
              </p>
            )}
          </form>

          <dl className="card batches__totals" data-testid="batch-totals">
            <dt>{t(lang, 'batches.declared')}</dt>
            <dd data-count="declared">{status.declared}</dd>
            <dt>{t(lang, 'batches.received')}</dt>
            <dd data-count="received">{status.received}</dd>
            <dt>{t(lang, 'batches.missing')}</dt>
            <dd data-count="missing">{status.missing}</dd>
            <dt>{t(lang, 'batches.extra')}</dt>
            <dd data-count="extra">{status.extra}</dd>
            <dt>{t(lang, 'batches.audited')}</dt>
            <dd data-count="audited">{status.audited}</dd>
            <dt>{t(lang, 'batches.quoted')}</dt>
            <dd data-total="quoted">
              {status.quoted_total} {status.currency}
            </dd>
            <dt>{t(lang, 'batches.revised')}</dt>
            <dd data-total="revised">
              {status.revised_total !== null
                ? `${status.revised_total} ${status.currency}`
                : status.audited === 0
                  ? t(lang, 'batches.revisedPending')
                  : t(lang, 'batches.revisedSoFar', {
                      amount: status.revised_so_far,
                      currency: status.currency,
                      count: status.unaudited,
                    })}
            </dd>
            <dt>{t(lang, 'batches.quoteExpiry')}</dt>
            <dd>{status.quote_expiry}</dd>
            {status.due_date !== null && (
              <>
                <dt>{t(lang, 'batches.due')}</dt>
                <dd>
                  {status.due_estimated
                    ? t(lang, 'batches.dueEstimated', { date: status.due_date })
                    : status.due_date}
                </dd>
              </>
            )}
          </dl>
          <BatchDocuments lang={lang} api={api} batch={status.id} onError={setError} />
          {status.quote_expired && (
            <p className="card" role="alert" data-testid="batch-quote-expired">
              {t(lang, 'batches.quoteExpired', { date: status.quote_expiry })}{' '}
              <button type="button" onClick={() => void requote()}>
                {t(lang, 'batches.requote')}
              </button>
            </p>
          )}

          <section className="card" data-testid="batch-missing" aria-label={t(lang, 'batches.missingTitle')}>
            <h4>{t(lang, 'batches.missingTitle')}</h4>
            {status.missing_devices.length === 0 ? (
              <p>{t(lang, 'batches.none')}</p>
            ) : (
              <ul>
                {status.missing_devices.map((device) => (
                  <li key={device.line} data-line={device.line}>
                    {t(lang, 'batches.line', { line: device.line })} · {device.imei ?? device.serial}
                    {device.model !== null && ` · ${device.make ?? ''} ${device.model}`}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" data-testid="batch-extra" aria-label={t(lang, 'batches.extraTitle')}>
            <h4>{t(lang, 'batches.extraTitle')}</h4>
            {status.extra_devices.length === 0 ? (
              <p>{t(lang, 'batches.none')}</p>
            ) : (
              <ul>
                {status.extra_devices.map((device) => (
                  <li key={device.id}>{device.code}</li>
                ))}
              </ul>
            )}
          </section>
          {audit !== null && audit.batch_id === status.id && (
            <AuditSection audit={audit} lang={lang} onOpenDevice={onOpenDevice} />
          )}
          {status.marketplace_order !== null && (
            <BatchVerdict lang={lang} api={api} batch={status.id} order={status.marketplace_order} onError={setError} />
          )}
          {status.closed_at !== null ? (
            <p className="card" data-testid="batch-closed">
              {t(lang, 'batches.closedOn', { date: status.closed_at.slice(0, 10) })}
            </p>
          ) : (
            <form
              className="card"
              data-testid="batch-close"
              onSubmit={(event) => {
                event.preventDefault();
                void close();
              }}
            >
              {status.unaudited > 0 && (
                <label>
                  {t(lang, 'batches.closeReason')}
                  <input
                    data-testid="batch-close-reason"
                    value={closeReason}
                    onChange={(event) => setCloseReason(event.target.value)}
                  />
                </label>
              )}
              <button type="submit">{t(lang, 'batches.close')}</button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}

interface AuditSectionProps {
  audit: BatchAudit;
  lang: Lang;
  onOpenDevice?: ((device: string) => void) | undefined;
}

/** Each declared device: declared vs found, its revised price and the reasons, and its audit state. */
function AuditSection({ audit, lang, onOpenDevice }: AuditSectionProps) {
  const progress = auditProgress(audit.totals);
  const currency = audit.totals.currency;
  return (
    <section className="card" data-testid="batch-audit" aria-label={t(lang, 'batches.auditTitle')}>
      <h4>{t(lang, 'batches.auditTitle')}</h4>
      <p data-testid="batch-audit-progress" data-percent={progress.percent}>
        {t(lang, 'batches.auditProgress', { audited: progress.audited, received: progress.received })}
      </p>
      <progress max={100} value={progress.percent} />
      <table className="batches__audit">
        <thead>
          <tr>
            <th>{t(lang, 'batches.line', { line: '' }).trim()}</th>
            <th>{t(lang, 'batches.declaredAs')}</th>
            <th>{t(lang, 'batches.foundAs')}</th>
            <th>{t(lang, 'batches.revised')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {audit.lines.map((row) => {
            const declared = row.declared;
            const found = row.found;
            const revision = row.revision;
            const box =
              found === null
                ? null
                : !found.accessories_recorded
                  ? t(lang, 'batches.boxNotRecorded')
                  : t(lang, 'batches.box', {
                      accessories: found.accessories.length === 0 ? t(lang, 'batches.boxEmpty') : found.accessories.join(', '),
                    });
            return (
              <tr key={declared.line} data-testid="batch-audit-row" data-line={declared.line} data-state={row.state}>
                <td>
                  {declared.line} · {declared.imei ?? declared.serial}
                </td>
                <td>
                  {[declared.make, declared.model].filter((part) => part !== null).join(' ')}
                  {declared.storage_gb !== null && ` · ${declared.storage_gb} GB`}
                  {declared.declared_grade !== null && ` · ${declared.declared_grade}`}
                </td>
                <td>
                  {row.state === 'missing' && t(lang, 'batches.state.missing')}
                  {found !== null && found.device_id === null && t(lang, 'batches.notAtIntake')}
                  {found !== null && found.device_id !== null && (
                    <>
                      {[found.make, found.model].filter((part) => part !== null).join(' ')}
                      {found.storage_gb !== null && ` · ${found.storage_gb} GB`}
                      {found.buyback_grade !== null && ` · ${found.buyback_grade}`}
                      {box !== null && ` · ${box}`}
                    </>
                  )}
                </td>
                <td data-revised={revision?.revised ?? ''}>
                  {revision === null ? (
                    t(lang, `batches.state.${row.state}`)
                  ) : (
                    <>
                      <span data-disposition={revision.disposition}>
                        {t(lang, `batches.disposition.${revision.disposition as 'accept'}`)}
                        {revision.requote && ` · ${t(lang, 'batches.requoteFlag')}`}
                      </span>
                      <br />
                      {t(lang, 'batches.price', { revised: revision.revised, quoted: revision.quoted, currency })}
                      {revision.adjustments.length > 0 && (
                        <ul>
                          {revision.adjustments.map((adjustment, index) => (
                            <li key={`${adjustment.rule}-${index}`} data-rule={adjustment.rule}>
                              {adjustment.text}
                            </li>
                          ))}
                        </ul>
                      )}
                    </>
                  )}
                </td>
                <td>
                  {found?.device_id != null && onOpenDevice !== undefined && (
                    <button type="button" onClick={() => onOpenDevice(found.device_id as string)}>
                      {t(lang, 'batches.openDevice')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
