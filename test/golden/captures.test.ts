// SPDX-License-Identifier: MIT
// One golden file per fixture: the CLI's text report, so any golden file can be reproduced with
// `node dist/cli.js analyze fixtures/...`. Update with `npm run test:golden -- -u` and review the diff.
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import { renderText } from '../../extension/core/render/text.js';
import { REPO_ROOT, fixtureFiles } from '../helpers/corpus.js';

const HEADER = 'generated — do not edit — update with `npm run test:golden -- -u`\n';

describe('golden reports', () => {
  const files = fixtureFiles();
  it('has fixtures', () => expect(files.length).toBeGreaterThan(0));
  it.each(files.map((f) => [relative(REPO_ROOT, f), f]))('%s', async (name, file) => {
    const source = FileSource.open(file);
    try {
      const text = renderText(analyzeCapture(source, { fileName: name }));
      await expect(HEADER + text).toMatchFileSnapshot(`__golden__/${name.replace(/^fixtures\//, '')}.txt`);
    } finally {
      source.close();
    }
  });
});
