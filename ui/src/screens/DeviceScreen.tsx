import { useCallback, useEffect, useRef, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../api';
import type { DeviceDetail } from '../bindings/DeviceDetail';
import type { DocumentSummary } from '../bindings/DocumentSummary';
import type { DriveErasure } from '../bindings/DriveErasure';
import type { GradeOutcome } from '../bindings/GradeOutcome';
import type { Verification } from '../bindings/Verification';
import { ErrorNotice } from '../components/ErrorNotice';
import { VerdictBadge } from '../components/VerdictBadge';
import { t, type Lang, type MessageKey } from '../i18n';
import { BATTERY_VERDICTS, type BatteryVerdict } from '../types';
import { presentBattery } from '../verdicts';
import {
  answerForKey,
  buildChecklist,
  gradeParams,
  LEVELS,
  levelForKey,
  type Answer,
  type Checklist,
  type Level,
} from './device/checklist';
import { confirmationFor, type ConfirmRequest } from './device/erase';
import { LabelSection } from './device/LabelSection';
import { LockSection } from './device/LockSection';
import { ManualResetSection } from './device/ManualResetSection';
import { PhotosSection } from './device/PhotosSection';
import { ShipSection } from './device/ShipSection';

export interface DeviceScreenProps {
  lang: Lang;
  api: Api;
  /** An IMEI, a serial, an intake id or a device id. */
  device: string;
  onBack: () => void;
}

function batteryWord(word: string): BatteryVerdict {
  return (BATTERY_VERDICTS as readonly string[]).includes(word) ? (word as BatteryVerdict) : 'unknown';
}

function soh(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} %`;
}

function answerKey(answer: Answer | undefined): MessageKey {
  switch (answer) {
    case 'pass':
      return 'device.answer.pass';
    case 'fail':
      return 'device.answer.fail';
    case 'na':
      return 'device.answer.na';
    default:
      return 'device.answer.none';
  }
}

const LEVEL_KEYS: Readonly<Record<Level, MessageKey>> = {
  flawless: 'device.level.flawless',
  micro: 'device.level.micro',
  light: 'device.level.light',
  visible: 'device.level.visible',
  cracked: 'device.level.cracked',
};

/** An erasure's stage as the engine names it (`pass 1/3`, `verify`), in the screen's words. */
export function stageLabel(lang: Lang, stage: string): string {
  const pass = /^pass (\d+)\/(\d+)$/.exec(stage);
  if (pass !== null) return t(lang, 'device.eraseStagePass', { pass: pass[1]!, passes: pass[2]! });
  if (stage === 'verify') return t(lang, 'device.eraseStageVerify');
  return stage;
}

/** `built`, with what was `typed` for the questions still asked kept over it. */
function keepTyped<T>(built: Record<string, T>, typed: Record<string, T>, asked: ReadonlySet<string>): Record<string, T> {
  const kept = { ...built };
  for (const [question, answer] of Object.entries(typed)) {
    if (asked.has(question)) kept[question] = answer;
  }
  return kept;
}

export function DeviceScreen({ lang, api, device, onBack }: DeviceScreenProps) {
  const [detail, setDetail] = useState<DeviceDetail | null>(null);
  const [checklist, setChecklist] = useState<Checklist | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [levels, setLevels] = useState<Record<string, Level>>({});
  const [current, setCurrent] = useState(0);
  const [partial, setPartial] = useState(false);
  const [graded, setGraded] = useState<GradeOutcome | null>(null);
  const [showWhy, setShowWhy] = useState(false);
  const [error, setError] = useState<WindowError | null>(null);
  const [busy, setBusy] = useState(false);
  const [documentsDir, setDocumentsDir] = useState<string | null>(null);

  const shownIntake = useRef<string | null>(null);
  const load = useCallback(async () => {
    try {
      const shown = await api.devicesShow({ device, lang });
      setDetail(shown);
      const open =
        shown.intake === null
          ? null
          : await api.gradeOpenQuestions({ device: shown.identity.device_id, checks: {}, cosmetic: {}, lang });
      const built = buildChecklist(shown, open);
      setChecklist(built);
      // Read again for the same intake (after a document, a photo or an erasure): the answers and
      // zones typed but not graded yet stay. Another intake starts from its own.
      const intake = shown.intake?.intake_id ?? null;
      const sameIntake = intake !== null && shownIntake.current === intake;
      shownIntake.current = intake;
      const items = new Set(built.rows.map((row) => row.id));
      const zones = new Set(built.zones.map((row) => row.zone));
      setAnswers((typed) => (sameIntake ? keepTyped(built.answers, typed, items) : built.answers));
      setLevels((typed) => (sameIntake ? keepTyped(built.levels, typed, zones) : built.levels));
    } catch (failure) {
      setError(asWindowError(failure));
    }
  }, [api, device, lang]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    void api
      .stationInfo()
      .then((info) => setDocumentsDir(info.documents))
      .catch(() => setDocumentsDir(null));
  }, [api]);

  if (detail === null) {
    return (
      <section className="screen device" data-testid="device" aria-busy={error === null}>
        <button type="button" onClick={onBack} data-testid="device-back">
          {t(lang, 'device.back')}
        </button>
        <ErrorNotice error={error} lang={lang} />
        {error === null && <p>{t(lang, 'device.loading')}</p>}
      </section>
    );
  }

  const identity = detail.identity;
  const intake = detail.intake;
  const rows = checklist?.rows ?? [];
  const zones = checklist?.zones ?? [];
  const lines = [...rows.map((row) => ({ kind: 'item' as const, id: row.id })), ...zones.map((zone) => ({ kind: 'zone' as const, id: zone.zone }))];

  const onChecklistKey = (event: React.KeyboardEvent<HTMLElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setCurrent((at) => Math.max(0, Math.min(lines.length - 1, at + step)));
      return;
    }
    const line = lines[current];
    if (line === undefined) return;
    if (line.kind === 'item') {
      const row = rows.find((candidate) => candidate.id === line.id);
      const answer = answerForKey(event.key);
      if (row === undefined || row.source !== 'technician' || answer === null) return;
      if (!row.allowed.includes(answer)) return;
      event.preventDefault();
      setAnswers((given) => ({ ...given, [row.id]: answer }));
      setCurrent((at) => Math.min(lines.length - 1, at + 1));
    } else {
      const level = levelForKey(event.key);
      if (level === null) return;
      event.preventDefault();
      setLevels((given) => ({ ...given, [line.id]: level }));
      setCurrent((at) => Math.min(lines.length - 1, at + 1));
    }
  };

  const grade = async () => {
    if (checklist === null) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await api.gradeRecord(
        gradeParams(identity.device_id, checklist, answers, levels, { partial, lang }),
      );
      setGraded(outcome);
      const shown = await api.devicesShow({ device, lang });
      setDetail(shown);
    } catch (failure) {
      setError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  const report = graded?.report ?? null;
  const latest = detail.grade;

  return (
    <section className="screen device" data-testid="device" aria-labelledby="device-title">
      <header className="device__header">
        <button type="button" onClick={onBack} data-testid="device-back" aria-keyshortcuts="Escape">
          {t(lang, 'device.back')}
        </button>
        <h2 id="device-title">
          {identity.make} {identity.model}
        </h2>
      </header>
      <ErrorNotice error={error} lang={lang} onDismiss={() => setError(null)} />

      <div className="device__grid">
        <section className="card" aria-labelledby="device-identity">
          <h3 id="device-identity">{t(lang, 'device.identity')}</h3>
          <dl className="facts">
            <dt>{t(lang, 'device.imei')}</dt>
            <dd>
              <span
                data-testid="device-imei"
                data-valid={identity.imei_valid === null ? '' : String(identity.imei_valid)}
              >
                {identity.imei ?? '—'}
              </span>{' '}
              {identity.imei_valid !== null && (
                <span className="badge" data-tone={identity.imei_valid ? 'good' : 'bad'}>
                  {t(lang, identity.imei_valid ? 'device.imeiValid' : 'device.imeiInvalid')}
                </span>
              )}
            </dd>
            <dt>{t(lang, 'device.serial')}</dt>
            <dd data-testid="device-serial">{identity.serial ?? '—'}</dd>
            <dt>{t(lang, 'device.storage')}</dt>
            <dd>{identity.storage_gb === null ? '—' : `${identity.storage_gb} GB`}</dd>
          </dl>
        </section>

        {intake !== null && (
          <section className="card" aria-labelledby="device-battery">
            <h3 id="device-battery">{t(lang, 'device.battery')}</h3>
            <dl className="facts">
              <dt>{t(lang, 'device.soh')}</dt>
              <dd>
                <span data-testid="device-soh" data-verdict={intake.battery.verdict}>
                  {soh(intake.battery.soh_pct)}
                </span>{' '}
                <VerdictBadge
                  presentation={presentBattery(batteryWord(intake.battery.verdict))}
                  text={t(lang, presentBattery(batteryWord(intake.battery.verdict)).labelKey)}
                />
              </dd>
              <dt>{t(lang, 'device.capacity')}</dt>
              <dd>
                {intake.battery.full_mah ?? '—'} / {intake.battery.design_mah ?? '—'} mAh
              </dd>
              <dt>{t(lang, 'device.cycles')}</dt>
              <dd>
                {intake.battery.cycles ?? '—'}
                {intake.battery.cycle_limit !== null &&
                  ` (${t(lang, 'device.cycleLimit', { limit: intake.battery.cycle_limit })})`}
              </dd>
            </dl>
            <ul className="reasons">
              {intake.battery.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </section>
        )}

        <LockSection
          lang={lang}
          api={api}
          detail={detail}
          onConfirmed={(confirmed) => {
            setGraded(confirmed.regrade.status === 'graded' ? confirmed.regrade.grade : null);
            void load();
          }}
          onError={setError}
        />
      </div>

      {intake === null ? (
        <p>{t(lang, 'device.noIntake')}</p>
      ) : (
        <section className="card checklist" aria-labelledby="device-checklist">
          <h3 id="device-checklist">{t(lang, 'device.checklist')}</h3>
          <p className="hint">{t(lang, 'device.checklistKeys')}</p>
          <ol
            className="checklist__rows"
            data-testid="checklist"
            tabIndex={0}
            onKeyDown={onChecklistKey}
            aria-activedescendant={lines[current] === undefined ? undefined : `line-${lines[current]!.id}`}
          >
            {rows.map((row, index) => (
              <li
                key={row.id}
                id={`line-${row.id}`}
                className="checklist__row"
                data-testid={`checklist-${row.id}`}
                data-answer={answers[row.id] ?? ''}
                data-source={row.source}
                aria-current={index === current ? 'true' : undefined}
                onClick={() => setCurrent(index)}
              >
                <span className="checklist__text">{row.text}</span>
                <span className="checklist__answer">{t(lang, answerKey(answers[row.id]))}</span>
                {row.source === 'bench' && <span className="checklist__source">{t(lang, 'device.fromBench')}</span>}
              </li>
            ))}
            {zones.map((zone, index) => (
              <li
                key={zone.zone}
                id={`line-${zone.zone}`}
                className="checklist__row"
                data-testid={`zone-${zone.zone}`}
                data-level={levels[zone.zone] ?? ''}
                aria-current={rows.length + index === current ? 'true' : undefined}
                onClick={() => setCurrent(rows.length + index)}
              >
                <span className="checklist__text">{zone.text}</span>
                <select
                  aria-label={zone.text}
                  value={levels[zone.zone] ?? ''}
                  onChange={(event) =>
                    setLevels((given) => {
                      const level = LEVELS.find((candidate) => candidate === event.target.value);
                      return level === undefined ? given : { ...given, [zone.zone]: level };
                    })
                  }
                >
                  <option value="">{t(lang, 'device.answer.none')}</option>
                  {LEVELS.map((level, digit) => (
                    <option key={level} value={level}>
                      {digit} · {t(lang, LEVEL_KEYS[level])}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ol>
          <label className="checkbox">
            <input type="checkbox" checked={partial} onChange={(event) => setPartial(event.target.checked)} />
            {t(lang, 'device.partial')}
          </label>
          <button type="button" data-testid="grade-submit" disabled={busy} onClick={() => void grade()}>
            {t(lang, 'device.grade')}
          </button>
        </section>
      )}

      {(report !== null || latest !== null) && (
        <section className="card grade" aria-labelledby="device-grade" data-testid="grade">
          <h3 id="device-grade">{t(lang, 'device.gradeTitle')}</h3>
          <p>
            <span className="grade__outcome" data-testid="grade-outcome">
              {report?.outcome ?? latest?.outcome}
            </span>{' '}
            <span className="grade__grade" data-testid="grade-grade">
              {report?.grade ?? latest?.grade}
            </span>
            {(report?.partial ?? latest?.partial) === true && (
              <span className="badge" data-tone="warning">
                {t(lang, 'device.partialGrade')}
              </span>
            )}
          </p>
          <ul className="reasons" data-testid="grade-reasons">
            {report !== null
              ? report.reasons.map((reason) => (
                  <li key={reason.rule + reason.text}>
                    {reason.text} <code>{reason.rule}</code>
                  </li>
                ))
              : (latest?.reasons ?? []).map((reason) => <li key={reason}>{reason}</li>)}
          </ul>
          {report?.trace !== undefined && (
            <>
              <button
                type="button"
                data-testid="grade-why"
                aria-expanded={showWhy}
                onClick={() => setShowWhy((shown) => !shown)}
              >
                {t(lang, 'device.why')}
              </button>
              {showWhy && (
                <ol className="trace" data-testid="grade-trace">
                  {report.trace.map((rule) => (
                    <li key={rule.rule} data-fired={rule.fired}>
                      <code>{rule.rule}</code> ({t(lang, 'device.line', { line: rule.line })}){' '}
                      {rule.fired ? t(lang, 'device.fired') : t(lang, 'device.notFired')}
                      {rule.effects !== null && <> → {rule.effects}</>}
                      <ul>
                        {rule.conditions.map((condition) => (
                          <li key={condition.condition} data-held={condition.held}>
                            {condition.condition} · {condition.input}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </section>
      )}

      <PhotosSection
        lang={lang}
        api={api}
        detail={detail}
        zones={zones.map((zone) => ({ zone: zone.zone, text: zone.text }))}
        onAdded={() => void load()}
        onError={setError}
      />

      <EraseSection
        lang={lang}
        api={api}
        deviceId={identity.device_id}
        documentsDir={documentsDir}
        onDone={() => void load()}
        onError={setError}
      />

      <ManualResetSection lang={lang} api={api} detail={detail} onDone={() => void load()} onError={setError} />

      <DocumentsSection
        lang={lang}
        api={api}
        detail={detail}
        documentsDir={documentsDir}
        onChanged={() => void load()}
        onError={setError}
      />

      <LabelSection
        lang={lang}
        api={api}
        deviceId={identity.device_id}
        documentsDir={documentsDir}
        onError={setError}
      />

      <ShipSection lang={lang} api={api} detail={detail} onShipped={() => void load()} onError={setError} />

      <section className="card" aria-labelledby="device-history">
        <h3 id="device-history">{t(lang, 'device.history')}</h3>
        <ol className="history" data-testid="history">
          {detail.history.map((entry) => (
            <li key={entry.id} data-kind={entry.kind}>
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleString(lang)}</time> · {entry.kind} ·{' '}
              {entry.summary} · {entry.operator}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

interface EraseSectionProps {
  lang: Lang;
  api: Api;
  deviceId: string;
  documentsDir: string | null;
  onDone: () => void;
  onError: (error: WindowError | null) => void;
}

/** Erase a drive or image file of this device: typed confirmation, live progress, result. */
function EraseSection({ lang, api, deviceId, onDone, onError }: EraseSectionProps) {
  const [target, setTarget] = useState('');
  const [method, setMethod] = useState<'zero' | 'random' | 'dod3'>('zero');
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  // The engine's stage: each overwriting pass, then the read-back, runs from 0 to 100 % again.
  const [stage, setStage] = useState<string | null>(null);
  const [result, setResult] = useState<DriveErasure | null>(null);
  const running = useRef(false);

  const run = async (confirmation: Parameters<Api['eraseDrive']>[0]['confirmation']) => {
    running.current = true;
    setProgress(0);
    setStage(null);
    onError(null);
    const unlisten = await api.onProgress((report) => {
      if (report.task === 'erase' && report.total !== null && report.total > 0) {
        setProgress(Math.min(100, (100 * report.done) / report.total));
        setStage(report.stage);
      }
    });
    try {
      const erased = await api.eraseDrive({
        target,
        method,
        verify: { mode: 'full' },
        confirmation,
        device: deviceId,
        lang,
      });
      setResult(erased);
      setConfirm(null);
      if (erased.failure !== null) onError(asWindowError(erased.failure));
      onDone();
    } catch (failure) {
      const error = asWindowError(failure);
      const request = confirmationFor(error);
      if (request !== null) {
        setConfirm(request);
      } else {
        onError(error);
      }
    } finally {
      unlisten();
      running.current = false;
      setProgress(null);
      setStage(null);
    }
  };

  return (
    <section className="card erase" aria-labelledby="device-erase" data-testid="erase">
      <h3 id="device-erase">{t(lang, 'device.erase')}</h3>
      <label>
        {t(lang, 'device.eraseTarget')}
        <input
          data-testid="erase-target"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          placeholder="/dev/sdX"
        />
      </label>
      <label>
        {t(lang, 'device.eraseMethod')}
        <select
          data-testid="erase-method"
          value={method}
          onChange={(event) => setMethod(event.target.value as 'zero' | 'random' | 'dod3')}
        >
          <option value="zero">zero</option>
          <option value="random">random</option>
          <option value="dod3">dod3</option>
        </select>
      </label>
      {confirm === null ? (
        <button
          type="button"
          data-testid="erase-start"
          disabled={target.trim() === '' || progress !== null}
          // Asking without a confirmation first lets the engine say what confirms this target.
          onClick={() => void run({ kind: 'none' })}
        >
          {t(lang, 'device.eraseStart')}
        </button>
      ) : (
        <div className="erase__confirm" role="group" aria-labelledby="erase-confirm-label">
          <p id="erase-confirm-label">
            {confirm.kind === 'serial'
              ? t(lang, 'device.confirmSerial')
              : confirm.kind === 'kernel_name'
                ? t(lang, 'device.confirmName', { name: confirm.name })
                : t(lang, 'device.confirmImage', { name: confirm.name })}
          </p>
          <input data-testid="erase-confirm" value={typed} onChange={(event) => setTyped(event.target.value)} />
          <button
            type="button"
            data-testid="erase-confirm-submit"
            disabled={typed.trim() === '' || (confirm.kind !== 'serial' && typed.trim() !== confirm.name)}
            onClick={() =>
              void run(confirm.kind === 'image' ? { kind: 'image' } : { kind: 'serial', serial: typed.trim() })
            }
          >
            {t(lang, 'device.eraseConfirm')}
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            {t(lang, 'device.cancel')}
          </button>
        </div>
      )}
      {progress !== null && (
        <div className="erase__progress">
          {stage !== null && (
            <span data-testid="erase-stage" data-stage={stage}>
              {stageLabel(lang, stage)}
            </span>
          )}
          <progress
            data-testid="erase-progress"
            data-progress={Math.round(progress)}
            data-stage={stage ?? ''}
            max={100}
            value={progress}
            aria-label={stage === null ? undefined : stageLabel(lang, stage)}
          />
          <button type="button" data-testid="erase-cancel" onClick={() => void api.eraseCancel()}>
            {t(lang, 'device.cancel')}
          </button>
        </div>
      )}
      {result !== null && (
        <p data-testid="erase-result" data-outcome={result.outcome}>
          {t(lang, result.outcome === 'verified' ? 'device.eraseVerified' : 'device.eraseNotVerified')}
          {result.note !== null && ` — ${result.note}`}
        </p>
      )}
    </section>
  );
}

interface DocumentsSectionProps {
  lang: Lang;
  api: Api;
  detail: DeviceDetail;
  documentsDir: string | null;
  onChanged: () => void;
  onError: (error: WindowError | null) => void;
}

/** The device's certificates and reports: issue, open in the system's viewer, verify. */
function DocumentsSection({ lang, api, detail, documentsDir, onChanged, onError }: DocumentsSectionProps) {
  const [verified, setVerified] = useState<Record<string, Verification>>({});
  const [paths, setPaths] = useState<Record<string, string>>({});
  const certified = new Set(detail.documents.map((document) => document.erasure_id).filter((id) => id !== null));
  const certifiable = detail.erasures.filter(
    (erasure) => erasure.status === 'verified' && !certified.has(erasure.erasure_id),
  );
  const out = documentsDir ?? '.';

  const issued = (document: DocumentSummary) => {
    if (document.pdf !== undefined) setPaths((known) => ({ ...known, [document.id]: document.pdf! }));
    onChanged();
  };
  const attempt = async (work: () => Promise<void>) => {
    onError(null);
    try {
      await work();
    } catch (failure) {
      onError(asWindowError(failure));
    }
  };

  return (
    <section className="card documents" aria-labelledby="device-documents" data-testid="documents">
      <h3 id="device-documents">{t(lang, 'device.documents')}</h3>
      {certifiable.map((erasure) => (
        <button
          key={erasure.erasure_id}
          type="button"
          data-testid="cert-issue"
          onClick={() =>
            void attempt(async () =>
              issued(
                await api.documentsIssue({
                  erasure: erasure.erasure_id,
                  out,
                  lang,
                  property_number: null,
                  source: null,
                  classification: null,
                  backed_up: null,
                  destination: null,
                }),
              ),
            )
          }
        >
          {t(lang, 'device.issueCertificate', { method: erasure.method })}
        </button>
      ))}
      <button
        type="button"
        data-testid="report-issue"
        onClick={() =>
          void attempt(async () => issued(await api.documentsReport({ device: detail.identity.device_id, out, lang })))
        }
      >
        {t(lang, 'device.issueReport')}
      </button>
      <ul className="documents__list">
        {detail.documents.map((document) => {
          const verification = verified[document.id];
          const pdf = paths[document.id] ?? document.pdf;
          return (
            <li key={document.id} data-testid={`document-${document.id}`} data-kind={document.kind}>
              <span>
                {document.kind} · {new Date(document.issued_at).toLocaleString(lang)}
                {document.voided && ` · ${t(lang, 'device.voided')}`}
              </span>
              {' '}
              <button
                type="button"
                data-testid="document-open"
                onClick={() =>
                  void attempt(async () => {
                    const opened = await api.documentsOpen({ id: document.id });
                    setPaths((known) => ({ ...known, [document.id]: opened.path }));
                  })
                }
              >
                {t(lang, 'device.open')}
              </button>
              {pdf !== undefined && (
                <>
                  {' '}
                  <code className="documents__path">{pdf}</code>{' '}
                  <button
                    type="button"
                    data-testid="document-verify"
                    onClick={() =>
                      void attempt(async () => {
                        const result = await api.documentsVerify({ file: pdf, pubkey: null });
                        setVerified((known) => ({ ...known, [document.id]: result }));
                      })
                    }
                  >
                    {t(lang, 'device.verify')}
                  </button>
                </>
              )}
              {verification !== undefined && (
                <span
                  className="badge"
                  data-testid="document-verification"
                  data-valid={String(verification.valid)}
                  data-tone={verification.valid ? 'good' : 'bad'}
                >
                  {verification.valid ? t(lang, 'device.valid') : (verification.problem ?? t(lang, 'device.invalid'))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
