// SPDX-License-Identifier: MIT
// `npm run fuzz` (test/fuzz): hostile inputs through the whole pipeline, bounded by FUZZ_SECONDS.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 300_000,
    // One file, run in order: the mutation loop owns the time budget.
    fileParallelism: false,
  },
});
