import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Vitest globals are off, so Testing Library cannot register its own cleanup;
// without this, every render would leak into the next test's document.
afterEach(() => {
  cleanup();
});
