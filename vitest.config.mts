// SPDX-License-Identifier: MIT
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Golden files are written only on request (`npm run test:golden -- -u`), never in CI.
    update: false,
    testTimeout: 60_000,
  },
});
