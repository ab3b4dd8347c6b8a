// SPDX-License-Identifier: MIT
// The JSON report against its published schema (docs/schema/analysis.schema.json): every fixture's
// report validates, and every property a report holds is described there (so the documentation
// cannot fall behind the renderer unnoticed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../extension/core/render/json.js';
import { SCHEMA_VERSION } from '../../../extension/core/model.js';
import { REPO_ROOT } from '../../helpers/corpus.js';
import { analysed, fixtureNames } from './fixtureAnalyses.js';

type Schema = { $ref?: string; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; oneOf?: Schema[]; description?: string; const?: unknown };

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/schema/analysis.schema.json'), 'utf8')) as Schema & { $defs: Record<string, Schema> };
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

function resolve(s: Schema): Schema {
  return s.$ref ? resolve(schema.$defs[s.$ref.replace('#/$defs/', '')]!) : s;
}

/** undocumented lists the paths of properties in `value` that `s` does not describe. */
function undocumented(value: unknown, s: Schema, path: string, out: Set<string>): void {
  const r = resolve(s);
  if (value === null || typeof value !== 'object') return;
  const branches = r.oneOf?.map(resolve).filter((b) => (Array.isArray(value) ? b.items : b.properties || b.additionalProperties));
  if (branches?.length) return undocumented(value, branches[0]!, path, out);
  if (Array.isArray(value)) {
    for (const item of value) undocumented(item, r.items ?? {}, `${path}[]`, out);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const child = r.properties?.[key] ?? (typeof r.additionalProperties === 'object' ? r.additionalProperties : undefined);
    if (!child) out.add(`${path}.${key}`);
    else undocumented(v, child, `${path}.${key}`, out);
  }
}

const names = fixtureNames();

describe('JSON report schema (docs/schema/analysis.schema.json)', () => {
  it('describes the current schema version', () => {
    expect(resolve(schema.properties!.schemaVersion!).const).toBe(SCHEMA_VERSION);
  });

  it.each(names)('%s: the report validates, every property is documented, output is deterministic', (name) => {
    const analysis = analysed(name);
    const text = renderJson(analysis);
    const report = JSON.parse(text);
    validate(report);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    const missing = new Set<string>();
    undocumented(report, schema, '', missing);
    expect([...missing], 'add these to docs/schema/analysis.schema.json').toEqual([]);
    expect(renderJson(analysis)).toBe(text);
  });

  it.each(['fixtures/http/pipelining-hol.pcap', 'fixtures/h2/h2c-prior-knowledge.pcap', 'fixtures/capture/keepalive-get-nano.pcap'])('golden %s', async (name) => {
    await expect(renderJson(analysed(name))).toMatchFileSnapshot(`__golden__/${name.replace(/^fixtures\//, '')}.json`);
  });

  it('the checker finds an undocumented property and a schema violation (it can fail)', () => {
    const report = JSON.parse(renderJson(analysed('fixtures/http/pipelining-hol.pcap')));
    report.connections[0].transactions[0].request.surprise = 1;
    const missing = new Set<string>();
    undocumented(report, schema, '', missing);
    expect([...missing]).toEqual(['.connections[].transactions[].request.surprise']);
    report.connections[0].handshake = 'maybe';
    expect(validate(report)).toBe(false);
  });
});
