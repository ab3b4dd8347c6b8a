// SPDX-License-Identifier: MIT
// The three machine formats of every public-corpus capture (../shared/captures/public, read in
// place) against their schemas: real-world captures reach corners the fixtures do not (clocks that
// go backwards, odd targets, IPv6, snapped payloads). Skips visibly when the corpus is absent.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import { CaptureOpenError } from '../../../extension/core/capture/captureReader.js';
import { renderHar } from '../../../extension/core/render/har.js';
import { renderJson } from '../../../extension/core/render/json.js';
import { renderSarif } from '../../../extension/core/render/sarif.js';
import { REPO_ROOT, corpusFiles } from '../../helpers/corpus.js';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

const validateJson = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(REPO_ROOT, 'docs/schema/analysis.schema.json'), 'utf8')));
const sarifAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats(sarifAjv);
const validateSarif = sarifAjv.compile(require('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'));
const harAjv = new Ajv({ strict: false, allErrors: true });
harAjv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
addFormats(harAjv);
const harSchemas = require('har-schema') as Record<string, object>;
for (const [name, schema] of Object.entries(harSchemas)) if (name !== 'har') harAjv.addSchema(schema);
const validateHar = harAjv.compile(harSchemas.har!);

const files = corpusFiles();

describe('JSON, HAR and SARIF of the public corpus', () => {
  it.skipIf(files.length === 0).each(files.map((f) => [basename(f), f]))('%s', (_name, file) => {
    const source = FileSource.open(file);
    try {
      let analysis;
      try {
        analysis = analyzeCapture(source, { fileName: basename(file) });
      } catch (e) {
        // A corpus file that is not a capture at all (the CLI's exit 2) has no reports to check.
        if (e instanceof CaptureOpenError) return;
        throw e;
      }
      const errors = (v: { errors?: unknown[] | null }) => JSON.stringify(v.errors?.slice(0, 3));
      expect(validateJson(JSON.parse(renderJson(analysis))), errors(validateJson)).toBe(true);
      const har = JSON.parse(renderHar(analysis, { bodies: { source, capBytes: 1 << 20 } })) as { log: { entries: { timings: Record<string, number> }[] } };
      expect(validateHar(har), errors(validateHar)).toBe(true);
      for (const e of har.log.entries) {
        // HAR 1.2: send, wait and receive are non-negative; the others are -1 when they do not apply.
        for (const k of ['send', 'wait', 'receive']) expect(e.timings[k]).toBeGreaterThanOrEqual(0);
        for (const v of Object.values(e.timings)) expect(v === -1 || v >= 0, JSON.stringify(e.timings)).toBe(true);
      }
      expect(validateSarif(JSON.parse(renderSarif(analysis, { docsUri: 'https://example.invalid/docs/findings.md' }))), errors(validateSarif)).toBe(true);
    } finally {
      source.close();
    }
  });
});
