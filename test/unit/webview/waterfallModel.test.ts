// SPDX-License-Identifier: MIT
// The waterfall's phases on recorded fixtures: pipelined requests wait in `blocked` behind the
// earlier response, HTTP/2 streams never do, and the phases tile each transaction exactly.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import { toTablesDto } from '../../../extension/host/worker/analysisDto.js';
import type { TransactionRowDto } from '../../../extension/protocol/dto.js';
import { waterfall } from '../../../webview/views/waterfallModel.js';
import { FIXTURES_DIR } from '../../helpers/corpus.js';

function transactions(name: string): TransactionRowDto[] {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return toTablesDto(analyzeCapture(source, { fileName: name })).transactions;
  } finally {
    source.close();
  }
}

describe('waterfall', () => {
  it.each(['http/pipelining-hol.pcap', 'http/keepalive-get.pcap', 'http1/pipeline-get-post-get.pcap', 'h2/h2c-prior-knowledge.pcap', 'http1/expect-100-continue.pcap'])('%s: phases are ordered, disjoint and cover request start to response end', (name) => {
    const txs = transactions(name);
    const byConnection = new Map<number, TransactionRowDto[]>();
    for (const t of txs) byConnection.set(t.connection, [...(byConnection.get(t.connection) ?? []), t]);
    for (const list of byConnection.values()) {
      const { rows, spanMs } = waterfall(list);
      for (const w of rows) {
        expect(w.endMs).toBeLessThanOrEqual(spanMs);
        for (let i = 1; i < w.phases.length; i++) expect(w.phases[i]!.startMs).toBeCloseTo(w.phases[i - 1]!.endMs, 9);
        if (w.row.responseEndMs !== undefined && w.phases.length > 0) {
          const covered = w.phases.reduce((sum, p) => sum + (p.endMs - p.startMs), 0);
          expect(covered).toBeCloseTo(w.row.responseEndMs - w.row.requestStartMs, 6);
        }
        if (w.row.streamId !== undefined) expect(w.totals.blocked).toBe(0);
      }
    }
  });

  it('puts pipelined requests in `blocked` until the response before them ended', () => {
    const { rows } = waterfall(transactions('http/pipelining-hol.pcap'));
    expect(rows[0]!.totals.blocked).toBe(0);
    for (let i = 1; i < rows.length; i++) {
      const w = rows[i]!;
      const previousEnd = rows[i - 1]!.row.responseEndMs!;
      expect(w.totals.blocked).toBeCloseTo(previousEnd - w.row.requestEndMs, 6);
      // The slow first response holds every later one for about 300 ms.
      expect(w.totals.blocked).toBeGreaterThan(250);
    }
  });

  it('leaves a request without response with its send phase only', () => {
    const t: TransactionRowDto = { connection: 0, index: 0, method: 'GET', target: '/', version: 'HTTP/1.1', requestFirstFrame: 4, requestLastFrame: 4, requestStartMs: 1, requestEndMs: 3, requestBodyBytes: 0, complete: false, pipelinePosition: 1, requestHeaders: [], requestFraming: 'none' };
    const { rows, spanMs } = waterfall([t]);
    expect(rows[0]!.phases).toEqual([{ kind: 'send', startMs: 1, endMs: 3 }]);
    expect(spanMs).toBe(3);
  });
});
