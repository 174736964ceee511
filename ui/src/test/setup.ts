import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Vitest globals are off, so Testing Library cannot register its own cleanup;
// without this, every render would leak into the next test's document.
afterEach(() => {
  cleanup();
});

// CI runs these beside a Rust build on two cores: a screen may take more than Testing Library's
// default second to settle. Waiting longer changes no outcome, only how long a failure takes.
configure({ asyncUtilTimeout: 5000 });
