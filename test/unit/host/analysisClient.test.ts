// SPDX-License-Identifier: MIT
// The analysis worker as the extension runs it: a worker_threads worker built from the real entry
// point. Results and exports must equal what the core (and so the CLI) renders; failures come back
// as replies naming the file and the reason; cancelling terminates the worker.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { renderHar } from '../../../extension/core/render/har.js';
import { renderJson } from '../../../extension/core/render/json.js';
import { renderSarif } from '../../../extension/core/render/sarif.js';
import { renderText } from '../../../extension/core/render/text.js';
import { runAnalysis, runPackets } from '../../../extension/host/worker/analysisClient.js';
import { FIXTURES_DIR, REPO_ROOT } from '../../helpers/corpus.js';

let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pcap-worker-'));
  workerPath = join(dir, 'worker.js');
  await build({ entryPoints: [join(REPO_ROOT, 'extension/host/worker/analysisWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function core(path: string, fileName: string): CaptureAnalysis {
  const source = FileSource.open(path);
  try {
    return analyzeCapture(source, { fileName });
  } finally {
    source.close();
  }
}

const capture = join(FIXTURES_DIR, 'http/pipelining-hol.pcap');

describe('runAnalysis', () => {
  it('returns the tables of the analysis and reports progress', async () => {
    const progress: number[] = [];
    const outcome = await runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', onProgress: (done) => progress.push(done) });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const expected = core(capture, 'p.pcap');
    expect(outcome.tables.connections).toHaveLength(expected.connections.length);
    expect(outcome.tables.findings.map((f) => f.code)).toEqual(expected.findings.map((f) => f.code));
    expect(outcome.report).toBeUndefined();
    expect(progress.at(-1)).toBeGreaterThan(0);
  });

  it.each([
    ['text', (a: CaptureAnalysis) => renderText(a)],
    ['json', (a: CaptureAnalysis) => renderJson(a)],
    ['har', (a: CaptureAnalysis) => renderHar(a, { creatorVersion: '1.2.3' })],
    ['sarif', (a: CaptureAnalysis) => renderSarif(a, { toolVersion: '1.2.3', docsUri: 'file:///x/docs/findings.md' })],
  ] as const)('renders the %s export exactly as the core renderer does', async (format, render) => {
    const outcome = await runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', report: format, toolVersion: '1.2.3', docsUri: 'file:///x/docs/findings.md' });
    expect(outcome.ok && outcome.report).toBe(render(core(capture, 'p.pcap')));
  });

  it('applies threshold settings and ignores invalid ones', async () => {
    const high = await runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', findingOptions: { holMinQueuedMs: 10_000 } });
    const invalid = await runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', findingOptions: { holMinQueuedMs: -5, noSuchOption: 1 } });
    const codes = (o: typeof high): string[] => (o.ok ? o.tables.findings.map((f) => f.code) : ['failed']);
    expect(codes(high)).not.toContain('hol-blocking');
    expect(codes(invalid)).toEqual(core(capture, 'p.pcap').findings.map((f) => f.code));
  });

  it.each([
    ['a file that is not a capture', 'notACapture', (p: string) => writeFileSync(p, '<!DOCTYPE html><html></html>')],
    ['a missing file', 'fileNotFound', () => undefined],
  ])('answers %s with an error naming the file', async (_name, code, make) => {
    const path = join(dir, `${code}.pcap`);
    make(path);
    const outcome = await runAnalysis({ workerPath, filePath: path, fileName: `${code}.pcap` });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ code, fileName: `${code}.pcap` });
    expect(outcome.error.reason.length).toBeGreaterThan(0);
  });

  it('ends as cancelled when aborted, already or while running', async () => {
    const before = new AbortController();
    before.abort();
    expect(await runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', signal: before.signal })).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const during = new AbortController();
    const running = runAnalysis({ workerPath, filePath: capture, fileName: 'p.pcap', signal: during.signal });
    during.abort();
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});

describe('runPackets', () => {
  it("reads one connection's packets in the worker, or says why it cannot", async () => {
    const c = core(capture, 'p.pcap').connections[0]!;
    const query = { client: c.client, server: c.server, firstFrame: c.firstFrame, lastFrame: c.lastFrame, max: 1_000 };
    const outcome = await runPackets({ workerPath, filePath: capture, fileName: 'p.pcap', query });
    expect(outcome).toMatchObject({ ok: true, truncated: false });
    expect(outcome.ok && outcome.packets.map((p) => p.frame)).toHaveLength(c.packets);
    const missing = await runPackets({ workerPath, filePath: join(dir, 'gone.pcap'), fileName: 'gone.pcap', query });
    expect(missing).toMatchObject({ ok: false, error: { code: 'fileNotFound', fileName: 'gone.pcap' } });
  });
});
