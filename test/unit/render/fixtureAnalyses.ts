// SPDX-License-Identifier: MIT
// Analyses of the fixtures, computed once per test file, for the exporter tests.
import { relative } from 'node:path';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { FIXTURES_DIR, REPO_ROOT, fixtureFiles } from '../../helpers/corpus.js';

const cache = new Map<string, CaptureAnalysis>();

/** fixtureNames lists the fixtures as repo-relative paths (what the golden files call them). */
export function fixtureNames(): string[] {
  return fixtureFiles().map((f) => relative(REPO_ROOT, f));
}

/** analysed analyses a fixture (repo-relative path) once; the file name in the report is that path. */
export function analysed(name: string): CaptureAnalysis {
  let a = cache.get(name);
  if (!a) {
    const source = FileSource.open(`${REPO_ROOT}/${name}`);
    try {
      a = analyzeCapture(source, { fileName: name });
    } finally {
      source.close();
    }
    cache.set(name, a);
  }
  return a;
}

/** withSource runs `fn` with the fixture open as a ByteSource (for body re-reads). */
export function withSource<T>(name: string, fn: (source: FileSource) => T): T {
  const source = FileSource.open(`${REPO_ROOT}/${name}`);
  try {
    return fn(source);
  } finally {
    source.close();
  }
}

export { FIXTURES_DIR };
