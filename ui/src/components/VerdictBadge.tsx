import type { Presentation } from '../verdicts';

interface VerdictBadgeProps {
  presentation: Presentation;
  text: string;
  testId?: string;
}

/** A coloured badge that always carries its meaning in words as well. */
export function VerdictBadge({ presentation, text, testId }: VerdictBadgeProps) {
  return (
    <span className="badge" data-tone={presentation.tone} data-testid={testId}>
      <span className="badge__symbol" aria-hidden="true">
        {presentation.symbol}
      </span>
      <span className="badge__text">{text}</span>
    </span>
  );
}
