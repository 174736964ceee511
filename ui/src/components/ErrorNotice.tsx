import type { WindowError } from '../api';
import { errorHint } from '../hints';
import { t, type Lang } from '../i18n';

interface ErrorNoticeProps {
  error: WindowError | null;
  lang: Lang;
  /** Clears the notice; the person has read it. */
  onDismiss?: () => void;
}

/** A failed command as the engine told it: what went wrong, and the next step a person can take. */
export function ErrorNotice({ error, lang, onDismiss }: ErrorNoticeProps) {
  if (error === null) return null;
  const hint = errorHint(lang, error);
  return (
    <div className="error-notice" role="alert" data-testid="error" data-code={error.code}>
      <p className="error-notice__message">{error.message}</p>
      {hint !== null && (
        <p className="error-notice__hint" data-testid="error-hint">
          {hint}
        </p>
      )}
      {onDismiss !== undefined && (
        <button type="button" className="error-notice__dismiss" onClick={onDismiss}>
          {t(lang, 'error.dismiss')}
        </button>
      )}
    </div>
  );
}
