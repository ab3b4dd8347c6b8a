// SPDX-License-Identifier: MIT
// DTO conversion on recorded fixtures: the rows the webview pages through and the findings the
// Problems pane shows. Asserts structure and codes, not wording.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../../extension/core/analysis/diagnosticCodes.js';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { relativeTime } from '../../../extension/core/render/json.js';
import { AnalysisTables, resolveReveal } from '../../../extension/host/tables/analysisTables.js';
import { formatEndpoint } from '../../../extension/core/render/format.js';
import { toAnalysisDto, toTablesDto } from '../../../extension/host/worker/analysisDto.js';
import { FIXTURES_DIR } from '../../helpers/corpus.js';

function analyze(name: string): CaptureAnalysis {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return analyzeCapture(source, { fileName: name });
  } finally {
    source.close();
  }
}

/** Survives JSON and structured clone unchanged: no undefined values, classes or typed arrays. */
function expectJsonOnly(value: unknown): void {
  expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  expect(structuredClone(value)).toEqual(value);
}

describe('toTablesDto', () => {
  it('builds one connection row per connection, with the findings on it', () => {
    const analysis = analyze('http/nagle-delayed-ack.pcap');
    const tables = toTablesDto(analysis);
    expectJsonOnly(tables);
    expect(tables.connections.map((r) => r.id)).toEqual(analysis.connections.map((c) => c.id));
    const c = analysis.connections[0]!;
    const row = tables.connections[0]!;
    expect(row).toMatchObject({
      client: formatEndpoint(c.client),
      server: formatEndpoint(c.server),
      protocol: c.protocol,
      requests: c.transactions.length,
      durationMs: c.durationMs,
      connState: c.connState,
      bytesUp: c.clientToServer.payloadBytes,
      bytesDown: c.serverToClient.payloadBytes,
      retransmissions: c.clientToServer.retransmissions + c.serverToClient.retransmissions,
    });
    const onIt = analysis.findings.filter((f) => f.connection === c.id);
    expect(row.findingCount).toBe(onIt.length);
    expect(row.findingCodes).toEqual([...new Set(onIt.map((f) => f.code))].sort());
    expect(row.worstSeverity).toBe(onIt.length ? 'warning' : undefined);
  });

  it('lists every transaction with its frames and its times since the connection began', () => {
    const analysis = analyze('http/pipelining-hol.pcap');
    const { transactions } = toTablesDto(analysis);
    expectJsonOnly(transactions);
    const all = analysis.connections.flatMap((c) => c.transactions.map((t) => ({ c, t })));
    expect(transactions).toHaveLength(all.length);
    expect(all.length).toBeGreaterThan(1);
    all.forEach(({ c, t }, i) => {
      const row = transactions[i]!;
      const startSec = c.startTime.sec - analysis.timeBaseSec + c.startTime.nanos / 1e9;
      expect(row).toMatchObject({ connection: c.id, index: t.index, method: t.method, target: t.target, requestFirstFrame: t.request.timing.firstFrame, pipelinePosition: t.pipelinePosition });
      expect(row.requestStartMs).toBeCloseTo((t.request.timing.firstTime - startSec) * 1e3, 3);
      expect(row.requestStartMs).toBeGreaterThanOrEqual(0);
      expect(row.responseFirstFrame).toBe(t.response?.timing.firstFrame);
      if (row.responseStartMs !== undefined) expect(row.responseStartMs).toBeGreaterThanOrEqual(row.requestStartMs);
    });
    // A pipeline: some request went out before the previous response began.
    expect(transactions.some((r) => r.pipelinePosition > 1)).toBe(true);
  });

  it('joins each finding with its catalog entry and renders its start at the capture precision', () => {
    const analysis = analyze('http/nagle-delayed-ack.pcap');
    const { findings } = toTablesDto(analysis);
    expect(findings.length).toBeGreaterThan(0);
    findings.forEach((dto, i) => {
      const f = analysis.findings[i]!;
      const entry = DIAGNOSTIC_CODES[f.code as keyof typeof DIAGNOSTIC_CODES];
      expect(dto).toMatchObject({ index: i, code: f.code, severity: f.severity, message: f.message, connection: f.connection, frames: f.frames });
      expect(dto).toMatchObject({ title: entry.title, explanation: entry.explanation, advice: entry.advice, docAnchor: entry.doc });
      expect(dto.delayMs).toBe(f.delayMs);
      expect(dto.startEpochText).toBe(relativeTime(analysis.timeBaseSec, f.startTime, analysis.capture.timePrecisionDigits).text);
      // Microsecond capture: six fractional digits.
      expect(dto.startEpochText).toMatch(/^\d+\.\d{6}$/);
    });
  });

  it('counts findings by severity in the summary', () => {
    const analysis = analyze('tcp/refused.pcap');
    const dto = toAnalysisDto(analysis, 'refused.pcap', 1);
    const want = { error: 0, warning: 0, info: 0 };
    for (const f of analysis.findings) want[f.severity]++;
    expect(dto.findingsBySeverity).toEqual(want);
    expect(dto.findingCount).toBe(analysis.findings.length);
  });

  it('brackets IPv6 addresses in endpoints', () => {
    expect(formatEndpoint({ ip: '2001:db8::1', port: 443 })).toBe('[2001:db8::1]:443');
    expect(formatEndpoint({ ip: '192.0.2.1', port: 80 })).toBe('192.0.2.1:80');
  });
});

describe('AnalysisTables', () => {
  it('answers getRows and locateRow from the rows of an analysis', () => {
    const tables = new AnalysisTables(toTablesDto(analyze('http/pipelining-hol.pcap')));
    const all = tables.getRows({ table: 'findings', start: 0, count: 1_000 });
    expect(all.table).toBe('findings');
    expect(all.total).toBe(tables.findings.rows.length);
    const sorted = tables.getRows({ table: 'connections', start: 0, count: 1_000, sort: { column: 'id', descending: true } });
    const ids = sorted.rows.map((r) => ('id' in r ? r.id : -1));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const last = ids[ids.length - 1]!;
    expect(tables.locateRow('connections', last, { column: 'id', descending: true })).toBe(ids.length - 1);
    expect(tables.getRows({ table: 'connections', start: 0, count: 10, filter: 'no such thing' }).total).toBe(0);
  });

  it('caps a page at MAX_PAGE_ROWS', () => {
    const tables = new AnalysisTables({
      connections: Array.from({ length: 1_200 }, (_, id) => ({ id, client: 'a', server: 'b', protocol: 'unknown', requests: 0, durationMs: 0, connState: 'SF', bytesUp: 0, bytesDown: 0, retransmissions: 0, findingCodes: [], findingCount: 0, firstFrame: 1, lastFrame: 1, packets: 1 })),
      findings: [],
      transactions: [],
    });
    const page = tables.getRows({ table: 'connections', start: 100, count: 100_000 });
    expect(page.rows).toHaveLength(500);
    expect(page.total).toBe(1_200);
  });
});

describe('resolveReveal', () => {
  it('selects the connection of a finding, or a connection alone, and ignores unknown ids', () => {
    const dto = toTablesDto(analyze('http/pipelining-hol.pcap'));
    const tables = new AnalysisTables(dto);
    const f = dto.findings[0]!;
    expect(resolveReveal({ finding: 0 }, tables)).toEqual({ connection: f.connection, finding: 0 });
    expect(resolveReveal({ connection: dto.connections[0]!.id }, tables)).toEqual({ connection: dto.connections[0]!.id });
    expect(resolveReveal({ finding: 10_000 }, tables)).toBeUndefined();
    expect(resolveReveal({ connection: 10_000 }, tables)).toBeUndefined();
  });
});
