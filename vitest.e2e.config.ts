import { defineConfig } from 'vitest/config';

// Browser journeys against a real Parc server and Debian's Chromium; one file at a time, since each
// starts its own server and browser.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    environment: 'node',
  },
});
