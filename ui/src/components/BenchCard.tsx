import { memo } from 'react';
import { t, type Lang } from '../i18n';
import type { BenchView } from '../types';
import { presentBenchState } from '../verdicts';
import { SlotTile } from './SlotTile';
import { VerdictBadge } from './VerdictBadge';

interface BenchCardProps {
  bench: BenchView;
  lang: Lang;
  onOpenDevice?: (deviceRef: string) => void;
}

/**
 * The identity a bench is known by on screen and in test ids: its serial once it has said HELLO,
 * its port's file name before (`ttyACM0` for `/dev/ttyACM0`).
 */
export function benchIdentity(bench: BenchView): string {
  return bench.serial ?? bench.port.split('/').filter((part) => part !== '').pop() ?? bench.port;
}

function BenchCardView({ bench, lang, onOpenDevice }: BenchCardProps) {
  const state = presentBenchState(bench.state);
  // The feed keeps slots in order (stationEvents.ts); a copy is sorted only if they are not.
  const inOrder = bench.slots.every((slot, i) => i === 0 || bench.slots[i - 1]!.slot < slot.slot);
  const slots = inOrder ? bench.slots : [...bench.slots].sort((left, right) => left.slot - right.slot);
  const headingId = `bench-heading-${benchIdentity(bench)}`;

  return (
    <section
      className="bench"
      data-state={bench.state}
      data-testid={`bench-${benchIdentity(bench)}`}
      aria-labelledby={headingId}
    >
      <header className="bench__header">
        <h2 className="bench__model" id={headingId}>
          {bench.model ?? t(lang, 'bench.unknownModel')}
        </h2>
        <VerdictBadge presentation={state} text={t(lang, state.labelKey)} testId="bench-state" />
        <p className="bench__identity">
          {bench.serial !== null && (
            <span>{t(lang, 'bench.serial', { serial: bench.serial })}</span>
          )}
          <span>{t(lang, 'bench.port', { port: bench.port })}</span>
        </p>
      </header>
      {bench.state === 'disconnected' && (
        <p className="bench__note" role="status">
          {t(lang, 'bench.disconnectedNote')}
        </p>
      )}
      {slots.length === 0 ? (
        <p className="bench__note">{t(lang, 'bench.noSlots')}</p>
      ) : (
        <ul className="bench__slots">
          {slots.map((slot) => (
            <SlotTile
              key={slot.slot}
              bench={bench}
              benchKey={benchIdentity(bench)}
              slot={slot}
              lang={lang}
              {...(onOpenDevice === undefined ? {} : { onOpen: onOpenDevice })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * A bench renders again only when it changed (the feed keeps an unchanged bench the same object),
 * or the language or the open handler did.
 */
export const BenchCard = memo(BenchCardView);
