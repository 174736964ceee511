import type { WindowError } from '../api';
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
  return (
    <div className="error-notice" role="alert" data-testid="error" data-code={error.code}>
      <p className="error-notice__message">{error.message}</p>
      {error.hint !== null && error.hint !== '' && (
        <p className="error-notice__hint" data-testid="error-hint">
          {error.hint}
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
