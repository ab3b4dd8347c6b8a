// SPDX-License-Identifier: MIT
// Precision: every finding on every capture (public corpus and fixtures/) must be one that
// findings-expected.txt lists with a reviewed reason, and every listed one must still appear.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import { CaptureOpenError } from '../../extension/core/capture/captureReader.js';
import { corpusFiles, fixtureFiles } from '../helpers/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));

/** expected maps "file code" to the count findings-expected.txt allows. */
function expected(): Map<string, number> {
  const map = new Map<string, number>();
  for (const raw of readFileSync(join(here, 'findings-expected.txt'), 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [file, code, count] = line.split(/\s+/);
    map.set(`${file} ${code}`, Number(count));
  }
  return map;
}

const files = [...corpusFiles(), ...fixtureFiles()];

describe.skipIf(files.length === 0)(`finding precision over ${files.length} captures`, () => {
  const want = expected();
  it.each(files.map((f) => [basename(f), f]))('%s', (name, file) => {
    const source = FileSource.open(file);
    let findings;
    try {
      findings = analyzeCapture(source, { fileName: name }).findings;
    } catch (e) {
      if (e instanceof CaptureOpenError) return;
      throw e;
    } finally {
      source.close();
    }
    const got = new Map<string, number>();
    for (const f of findings) got.set(`${name} ${f.code}`, (got.get(`${name} ${f.code}`) ?? 0) + 1);
    const listed = new Map([...want].filter(([k]) => k.startsWith(`${name} `)));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(listed));
  });
});
