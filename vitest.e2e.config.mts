// SPDX-License-Identifier: MIT
// End-to-end tests in a real VS Code (code-server + Debian Chromium): `npm run test:e2e` only; the
// default `npm test` excludes test/e2e. One code-server serves every file (globalSetup), so the
// files run one after the other.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    // Installing code-server from scratch takes minutes; that happens in globalSetup, bounded by its own timeouts.
    hookTimeout: 120_000,
    testTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    retry: 0,
    update: false,
  },
});
