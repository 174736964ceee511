// A phone's or tablet's factory reset by hand (the bench has no drive to overwrite): the
// engine's checklist for the device, one step at a time, each confirmed with a key; once every
// step is answered the engine records the reset, and a verified one can be certified like a
// drive erasure. Stopping before the end records the reset interrupted, with the answers given.
import { useEffect, useRef, useState } from 'react';
import { asWindowError, type Api, type WindowError } from '../../api';
import type { DeviceDetail } from '../../bindings/DeviceDetail';
import type { ManualPlan } from '../../bindings/ManualPlan';
import type { ManualReset } from '../../bindings/ManualReset';
import { t, type Lang, type MessageKey } from '../../i18n';
import { stepKey, type StepAnswer } from './manual';

/** The devices reset by hand rather than overwritten. */
const RESET_BY_HAND = ['phone', 'tablet'];

const ANSWER_KEYS: Readonly<Record<StepAnswer, MessageKey>> = {
  yes: 'device.manualYes',
  no: 'device.manualNo',
  skipped: 'device.manualSkip',
};

export interface ManualResetSectionProps {
  lang: Lang;
  api: Api;
  detail: DeviceDetail;
  /** The reset is recorded: reload the device (its erasures, its certifiable records). */
  onDone: () => void;
  onError: (error: WindowError | null) => void;
}

export function ManualResetSection({ lang, api, detail, onDone, onError }: ManualResetSectionProps) {
  const [plan, setPlan] = useState<ManualPlan | null>(null);
  const [answers, setAnswers] = useState<Record<string, StepAnswer>>({});
  const [busy, setBusy] = useState(false);
  const [stopped, setStopped] = useState(false);
  const [result, setResult] = useState<ManualReset | null>(null);
  const stepRef = useRef<HTMLDivElement>(null);

  const steps = plan?.steps ?? [];
  const at = steps.findIndex((step) => answers[step.id] === undefined);
  const step = at < 0 ? undefined : steps[at];

  useEffect(() => {
    if (step !== undefined) stepRef.current?.focus();
  }, [step]);

  if (!RESET_BY_HAND.includes(detail.identity.category)) return null;

  const start = async () => {
    onError(null);
    setResult(null);
    setStopped(false);
    setAnswers({});
    try {
      setPlan(await api.eraseManualPlan({ device: detail.identity.device_id, platform: null, lang }));
    } catch (failure) {
      onError(asWindowError(failure));
    }
  };

  const record = async (shown: ManualPlan, given: Record<string, StepAnswer>, last: string) => {
    setBusy(true);
    try {
      const reset = await api.eraseManualAnswer({
        plan: { device: shown.device_id, platform: shown.platform, lang },
        answers: { from: 'given', platform: shown.platform, answers: given },
      });
      setResult(reset);
      setPlan(null);
      if (reset.failure !== null) onError(asWindowError(reset.failure));
      onDone();
    } catch (failure) {
      onError(asWindowError(failure));
      // Nothing was recorded: the last step is asked again.
      setAnswers((known) => Object.fromEntries(Object.entries(known).filter(([id]) => id !== last)));
    } finally {
      setBusy(false);
    }
  };

  // A reset begun and abandoned is on record as interrupted: the engine replays the answers
  // given so far and records the stop at the first step left unanswered.
  const stop = async (shown: ManualPlan, given: Record<string, StepAnswer>) => {
    setBusy(true);
    try {
      await api.eraseManualAnswer({
        plan: { device: shown.device_id, platform: shown.platform, lang },
        answers: { from: 'stopped', platform: shown.platform, answers: given },
      });
      setPlan(null);
      setAnswers({});
      setStopped(true);
      onDone();
    } catch (failure) {
      onError(asWindowError(failure));
    } finally {
      setBusy(false);
    }
  };

  const answer = (given: StepAnswer | 'quit') => {
    if (plan === null || step === undefined || busy) return;
    if (given === 'quit') {
      void stop(plan, answers);
      return;
    }
    const next = { ...answers, [step.id]: given };
    setAnswers(next);
    if (at === steps.length - 1) void record(plan, next, step.id);
  };

  const outcome = result === null ? null : result.failure === null ? 'verified' : result.failure.code;

  return (
    <section className="card manual" aria-labelledby="device-manual" data-testid="manual">
      <h3 id="device-manual">{t(lang, 'device.manual')}</h3>
      {plan === null ? (
        <button type="button" data-testid="manual-start" disabled={busy} onClick={() => void start()}>
          {t(lang, 'device.manualStart')}
        </button>
      ) : (
        <>
          <p data-testid="manual-intro">{plan.introduction}</p>
          <ol className="manual__done">
            {steps
              .filter((done) => answers[done.id] !== undefined)
              .map((done) => (
                <li key={done.id} data-testid={`manual-answer-${done.id}`} data-answer={answers[done.id]}>
                  {done.text} — {t(lang, ANSWER_KEYS[answers[done.id]!])}
                </li>
              ))}
          </ol>
          {step !== undefined && (
            <div
              ref={stepRef}
              className="manual__step"
              data-testid="manual-step"
              data-step={step.id}
              data-required={String(step.required)}
              tabIndex={0}
              role="group"
              aria-labelledby="manual-step-text"
              onKeyDown={(event) => {
                const given = stepKey(event.key);
                if (given === null) return;
                event.preventDefault();
                answer(given);
              }}
            >
              <p id="manual-step-text">
                {t(lang, 'device.manualStep', { number: at + 1, count: steps.length })} · {step.text} (
                {step.required ? plan.words.required : plan.words.optional})
              </p>
              <p className="hint">{plan.words.question}</p>
              {(['yes', 'no', 'skipped'] as const).map((given) => (
                <button
                  key={given}
                  type="button"
                  data-testid={`manual-${given}`}
                  disabled={busy}
                  onClick={() => answer(given)}
                >
                  {t(lang, ANSWER_KEYS[given])}
                </button>
              ))}
              <button type="button" data-testid="manual-quit" disabled={busy} onClick={() => answer('quit')}>
                {t(lang, 'device.manualQuit')}
              </button>
            </div>
          )}
          {busy && <p role="status">{t(lang, 'device.manualRecording')}</p>}
        </>
      )}
      {stopped && <p data-testid="manual-stopped">{t(lang, 'device.manualStopped')}</p>}
      {result !== null && (
        <p data-testid="manual-result" data-outcome={outcome ?? ''}>
          {t(lang, outcome === 'verified' ? 'device.manualVerified' : 'device.manualNotVerified', {
            platform: result.platform_name,
          })}
          {result.note !== null && ` — ${result.note}`}
        </p>
      )}
    </section>
  );
}
