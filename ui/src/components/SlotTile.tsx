import { t, type Lang } from '../i18n';
import type { SlotView } from '../types';
import { presentBattery, presentLock, presentSlotState } from '../verdicts';
import { VerdictBadge } from './VerdictBadge';

interface SlotTileProps {
  slot: SlotView;
  lang: Lang;
}

export function SlotTile({ slot, lang }: SlotTileProps) {
  const state = presentSlotState(slot.state);
  const battery = presentBattery(slot.batteryVerdict);
  const lock = presentLock(slot.lockVerdict);
  // An empty slot has nothing to judge; "not read yet" there would only be noise.
  const showVerdicts = slot.state !== 'empty';

  return (
    <li className="slot" data-tone={state.tone} data-testid={`slot-${slot.slot}`}>
      <div className="slot__header">
        <span className="slot__number">{t(lang, 'slot.label', { slot: slot.slot })}</span>
        <VerdictBadge presentation={state} text={t(lang, state.labelKey)} testId="slot-state" />
      </div>
      <p className={slot.device === null ? 'slot__device slot__device--none' : 'slot__device'}>
        {slot.device ?? t(lang, 'slot.noDevice')}
      </p>
      {showVerdicts && (
        <dl className="slot__verdicts">
          <div className="slot__verdict">
            <dt>{t(lang, 'verdict.battery.label')}</dt>
            <dd>
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
        </dl>
      )}
      {slot.message !== null && slot.message !== '' && (
        <p className="slot__message" data-testid="slot-message">
          {slot.message}
        </p>
      )}
    </li>
  );
}
