// SPDX-License-Identifier: MIT
// SARIF 2.1.0 export: every fixture validates against the SARIF 2.1.0 JSON schema shipped with
// Microsoft's SARIF Multitool (@microsoft/sarif-multitool-linux, sarif-2.1.0.json), and the
// Multitool's own `validate` (schema plus its SARIF rules) finds no error in any of them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../../extension/core/analysis/diagnosticCodes.js';
import { renderSarif } from '../../../extension/core/render/sarif.js';
import { REPO_ROOT, hasWiresharkTools } from '../../helpers/corpus.js';
import { analysed, fixtureNames } from './fixtureAnalyses.js';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const MULTITOOL_DIR = join(REPO_ROOT, 'node_modules/@microsoft/sarif-multitool-linux');

// The schema declares draft 2020-12; strict mode is off because it uses annotations ajv does not know.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(require('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'));

const DOCS = 'https://example.invalid/pcap-http-inspector/docs/findings.md';

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string; helpUri?: string; defaultConfiguration: { level: string } }[] } };
    artifacts: { location: { uri?: string } }[];
    logicalLocations: { name: string }[];
    results: { ruleId: string; ruleIndex: number; level: string; locations: { logicalLocations: { index: number; fullyQualifiedName: string }[] }[]; properties: { connection: number; frames: number[] } }[];
  }[];
}

const names = fixtureNames();

describe('SARIF export', () => {
  it('has fixtures', () => expect(names.length).toBeGreaterThan(0));

  it.each(names)('%s validates against the SARIF 2.1.0 schema and maps every finding', (name) => {
    const analysis = analysed(name);
    const text = renderSarif(analysis, { toolVersion: '1.2.3', docsUri: DOCS });
    const log = JSON.parse(text) as SarifLog;
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.artifacts[0]!.location.uri).toBe(name);
    expect(run.results).toHaveLength(analysis.findings.length);
    run.results.forEach((r, i) => {
      const f = analysis.findings[i]!;
      expect(r.ruleId).toBe(f.code);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(f.code);
      expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
      expect(r.properties).toMatchObject({ connection: f.connection, frames: f.frames });
      const where = r.locations[0]!.logicalLocations[0]!;
      expect(where.fullyQualifiedName).toBe(`tcp.stream ${f.connection}`);
      expect(run.logicalLocations[where.index]!.name).toBe(`tcp.stream ${f.connection}`);
    });
    expect(renderSarif(analysis, { toolVersion: '1.2.3', docsUri: DOCS })).toBe(text);
  });

  it('has one rule per catalog code, each pointing at its section of docs/findings.md', () => {
    const log = JSON.parse(renderSarif(analysed(names[0]!), { docsUri: DOCS })) as SarifLog;
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(Object.keys(DIAGNOSTIC_CODES));
    // GitHub-style anchors of the document's second-level headings.
    const anchors = new Set([...readFileSync(join(REPO_ROOT, 'docs/findings.md'), 'utf8').matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const r of rules) {
      expect(r.helpUri).toMatch(new RegExp(`^${DOCS}#`));
      expect(anchors, r.helpUri).toContain(r.helpUri!.slice(r.helpUri!.indexOf('#') + 1));
      const severity = DIAGNOSTIC_CODES[r.id as keyof typeof DIAGNOSTIC_CODES].severity;
      expect(r.defaultConfiguration.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[severity]);
    }
  });

  it('a fixture with findings has results at the right levels (nagle-delayed-ack: warnings)', () => {
    const log = JSON.parse(renderSarif(analysed('fixtures/http/nagle-delayed-ack.pcap'))) as SarifLog;
    const results = log.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.ruleId === 'nagle-delayed-ack').every((r) => r.level === 'warning')).toBe(true);
    // Without a docs URI there is no helpUri (SARIF requires an absolute URI there), and it still validates.
    expect(log.runs[0]!.tool.driver.rules.every((r) => r.helpUri === undefined)).toBe(true);
    expect(validateSarif(log)).toBe(true);
  });

  it.skipIf(!hasWiresharkTools())("a result's Wireshark filter selects exactly its evidence frames (tshark)", () => {
    const name = 'fixtures/http/nagle-delayed-ack.pcap';
    const log = JSON.parse(renderSarif(analysed(name))) as { runs: { results: { properties: { frames: number[]; wiresharkFilter: string } }[] }[] };
    const result = log.runs[0]!.results[0]!;
    const out = execFileSync('tshark', ['-r', join(REPO_ROOT, name), '-Y', result.properties.wiresharkFilter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.trim().split('\n').map(Number)).toEqual(result.properties.frames);
  });

  it('a capture read from standard input is an artifact without a URI', () => {
    const analysis = { ...analysed('fixtures/http/pipelining-hol.pcap') };
    analysis.capture = { ...analysis.capture, file: '-' };
    const log = JSON.parse(renderSarif(analysis)) as SarifLog;
    expect(log.runs[0]!.artifacts[0]!.location.uri).toBeUndefined();
    expect(validateSarif(log)).toBe(true);
  });

  // The Multitool costs about 0.3 s of CPU per log: a sample with findings of each severity, one
  // without findings and a capture from standard input, rather than every fixture (the schema covers those).
  const MULTITOOL_SAMPLE = ['fixtures/http/pipelining-hol.pcap', 'fixtures/http/nagle-delayed-ack.pcap', 'fixtures/tcp/refused.pcap', 'fixtures/http/reset-unread.pcap', 'fixtures/findings/tcp-hol.pcap', 'fixtures/http/keepalive-get.pcap'];
  it.skipIf(!existsSync(join(MULTITOOL_DIR, 'Sarif.Multitool')))("the SARIF Multitool's validate finds no error in a sample of logs", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcap-inspect-sarif-'));
    for (const name of MULTITOOL_SAMPLE) writeFileSync(join(dir, name.replace(/[/\\]/g, '_') + '.sarif'), renderSarif(analysed(name), { toolVersion: '1.2.3', docsUri: DOCS }));
    const stdin = { ...analysed(MULTITOOL_SAMPLE[0]!) };
    stdin.capture = { ...stdin.capture, file: '-' };
    writeFileSync(join(dir, 'stdin.sarif'), renderSarif(stdin, { toolVersion: '1.2.3', docsUri: DOCS }));
    const out = join(mkdtempSync(join(tmpdir(), 'pcap-inspect-sarif-out-')), 'validation.sarif');
    const console = execFileSync(join(MULTITOOL_DIR, 'Sarif.Multitool'), ['validate', join(dir, '*.sarif'), '--output', out], { cwd: dir, encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    expect(console).toContain(`${MULTITOOL_SAMPLE.length + 1} files scanned`);
    const validation = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: { ruleId: string; level?: string }[] }[] };
    const results = validation.runs[0]!.results ?? [];
    expect(results.filter((r) => r.level === 'error')).toEqual([]);
    // The one advisory left: SARIF2017 asks for a text region, and a capture has no lines; the
    // evidence is in frames (result properties) instead.
    expect([...new Set(results.map((r) => r.ruleId))].filter((id) => id !== 'SARIF2017')).toEqual([]);
  });

  it.each(['fixtures/http/pipelining-hol.pcap', 'fixtures/http/nagle-delayed-ack.pcap', 'fixtures/tcp/refused.pcap'])('golden %s', async (name) => {
    await expect(renderSarif(analysed(name), { toolVersion: 'golden', docsUri: DOCS })).toMatchFileSnapshot(`__golden__/${name.replace(/^fixtures\//, '')}.sarif`);
  });
});
