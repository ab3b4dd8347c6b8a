// SPDX-License-Identifier: MIT
// The findings document the Problems pane points at: every diagnostic's line is its finding's
// heading, the blocks cover exactly their lines, and capture text cannot add lines.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import { blockAt, renderFindingsReport } from '../../../extension/host/diagnostics/findingsReport.js';
import { toTablesDto } from '../../../extension/host/worker/analysisDto.js';
import type { FindingDto } from '../../../extension/protocol/dto.js';
import { FIXTURES_DIR } from '../../helpers/corpus.js';

function findingsOf(name: string): FindingDto[] {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return toTablesDto(analyzeCapture(source, { fileName: name })).findings;
  } finally {
    source.close();
  }
}

describe('renderFindingsReport', () => {
  it.each(['http/pipelining-hol.pcap', 'http/nagle-delayed-ack.pcap', 'findings/time-wait-churn.pcap', 'tcp/rst-by-server.pcap'])('%s: each block starts at its heading and holds its evidence', (name) => {
    const findings = findingsOf(name);
    expect(findings.length).toBeGreaterThan(0);
    const { text, blocks } = renderFindingsReport(name, findings, 1_000);
    const lines = text.split('\n');
    expect(blocks.map((b) => b.findingIndex)).toEqual(findings.map((f) => f.index));
    blocks.forEach((b, i) => {
      const f = findings[i]!;
      expect(lines[b.headingLine]).toHaveLength(b.headingLength);
      expect(lines[b.headingLine]).toContain(f.code);
      const body = lines.slice(b.headingLine, b.endLine + 1).join('\n');
      expect(body).toContain(`tcp.stream ${f.connection}`);
      if (f.frames.length) expect(body).toContain(`frame.number in {`);
      // Blocks do not overlap and every line of a block finds the block back.
      if (i > 0) expect(b.headingLine).toBeGreaterThan(blocks[i - 1]!.endLine);
      for (let line = b.headingLine; line <= b.endLine; line++) expect(blockAt(blocks, line)).toBe(b);
    });
    expect(blockAt(blocks, 0)).toBeUndefined();
    expect(blockAt(blocks, lines.length + 5)).toBeUndefined();
  });

  it('shows the first `max` findings and says how many there are', () => {
    const findings = findingsOf('findings/time-wait-churn.pcap');
    const { text, blocks } = renderFindingsReport('x.pcap', [...findings, ...findings.map((f) => ({ ...f, index: f.index + findings.length }))], 1);
    expect(blocks).toHaveLength(1);
    expect(text.split('\n')[0]).toContain(`${findings.length * 2} (first 1 shown)`);
  });

  it('escapes line breaks that a message quotes from the capture, so the ranges below stay right', () => {
    const [f] = findingsOf('http/pipelining-hol.pcap');
    const evil = { ...f!, message: 'GET /a\r\nX-Injected: 1\u2028<script>', explanation: 'line one\nline two' };
    const { text, blocks } = renderFindingsReport('x.pcap', [evil, { ...f!, index: 1 }], 10);
    const lines = text.split('\n');
    expect(lines[blocks[0]!.headingLine + 1]).toBe('  GET /a\\u000d\\u000aX-Injected: 1\\u2028<script>');
    expect(lines[blocks[1]!.headingLine]).toContain(f!.code);
    expect(text).not.toContain('\u2028');
  });
});
