import { memo } from 'react';
import { t, type Lang } from '../i18n';
import type { BenchView, SlotView } from '../types';
import { wordLabel } from '../screens/quality/words';
import { outcomeTone, presentBattery, presentLock, presentSlotState, tileState } from '../verdicts';
import { VerdictBadge } from './VerdictBadge';

/**
 * A state of health with one decimal, with the language's decimal mark. Written out rather than
 * with `Intl.NumberFormat`, whose locale data cost the page's process 2–3 MiB under the 64-slot
 * load (docs/performance.md), for a comma.
 */
export function sohFigure(lang: Lang, soh: number): string {
  const figure = soh.toFixed(1);
  return lang === 'fr' ? figure.replace('.', ',') : figure;
}


interface SlotTileProps {
  bench: BenchView;
  /** The bench as the tile's test id names it: its serial, or its port's file name before HELLO. */
  benchKey: string;
  slot: SlotView;
  lang: Lang;
  /** Opens the device screen on the slot's recorded device. */
  onOpen?: (deviceRef: string) => void;
}

function SlotTileView({ bench, benchKey, slot, lang, onOpen }: SlotTileProps) {
  const state = presentSlotState(slot.state);
  const battery = presentBattery(slot.batteryVerdict);
  const lock = presentLock(slot.lockVerdict);
  // An empty slot has nothing to judge; "not read yet" there would only be noise.
  const showVerdicts = slot.state !== 'empty';
  const deviceRef = slot.deviceRef ?? null;
  const progress = slot.state === 'erasing' ? Math.round(slot.progress ?? 0) : null;
  const open = () => {
    if (deviceRef !== null) onOpen?.(deviceRef);
  };

  return (
    <li
      className="slot"
      data-tone={state.tone}
      data-testid={`slot-${benchKey}-${slot.slot}`}
      data-state={tileState(bench, slot)}
      data-battery={slot.batteryVerdict ?? ''}
      data-progress={progress ?? undefined}
      data-tile=""
      data-device={deviceRef ?? undefined}
      tabIndex={-1}
      onDoubleClick={open}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          open();
        }
      }}
    >
      <div className="slot__header">
        <span className="slot__number">{t(lang, 'slot.label', { slot: slot.slot })}</span>
        <VerdictBadge presentation={state} text={t(lang, state.labelKey)} testId="tile-state" />
      </div>
      <p className={slot.device === null ? 'slot__device slot__device--none' : 'slot__device'}>
        {slot.device ?? t(lang, 'slot.noDevice')}
      </p>
      {progress !== null && (
        <progress className="slot__progress" max={100} value={progress} aria-label={t(lang, 'slot.state.erasing')} />
      )}
      {showVerdicts && (
        <dl className="slot__verdicts">
          <div className="slot__verdict">
            <dt>{t(lang, 'verdict.battery.label')}</dt>
            <dd>
              {slot.soh !== undefined && slot.soh !== null && (
                // The state of health in the battery verdict's colour.
                <span className="slot__soh" data-tone={battery.tone} data-testid="tile-soh">
                  {t(lang, 'slot.soh', { soh: sohFigure(lang, slot.soh) })}
                </span>
              )}
              <VerdictBadge
                presentation={battery}
                text={t(lang, battery.labelKey)}
                testId="battery-verdict"
              />
            </dd>
          </div>
          <div className="slot__verdict">
            <dt>{t(lang, 'verdict.lock.label')}</dt>
            <dd>
              <VerdictBadge presentation={lock} text={t(lang, lock.labelKey)} testId="lock-verdict" />
            </dd>
          </div>
          {slot.outcome !== undefined && slot.outcome !== null && (
            <div className="slot__verdict">
              <dt>{t(lang, 'slot.grade')}</dt>
              <dd>
                <span className="badge" data-tone={outcomeTone(slot.outcome)} data-testid="tile-grade">
                  {wordLabel(lang, 'outcome', slot.outcome)}
                  {slot.grade !== undefined && slot.grade !== null && ` · ${wordLabel(lang, 'grade', slot.grade)}`}
                </span>
              </dd>
            </div>
          )}
        </dl>
      )}
      {slot.message !== null && slot.message !== '' && (
        <p className="slot__message" data-testid="tile-message">
          {slot.message}
        </p>
      )}
    </li>
  );
}

/**
 * A tile renders again only when its own slot, its bench's state (a disconnected bench greys every
 * tile), the language or the open handler changed: under a full station most batches touch a few
 * slots, and the batch keeps every unchanged slot the same object, so the others are skipped.
 */
export const SlotTile = memo(
  SlotTileView,
  (before, after) =>
    before.slot === after.slot &&
    before.bench.state === after.bench.state &&
    before.benchKey === after.benchKey &&
    before.lang === after.lang &&
    before.onOpen === after.onOpen,
);
