// SPDX-License-Identifier: MIT
// The flow explorer's tree on recorded fixtures: every connection, transaction and finding sits
// exactly once under the right parent, parents are found back for TreeView.reveal, and the copied
// Wireshark filters select the same packets in tshark as our model counts.
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { FlowTree, parseEndpoint, wiresharkFilter, type FlowNode } from '../../../extension/host/flowExplorer/flowTree.js';
import { toTablesDto } from '../../../extension/host/worker/analysisDto.js';
import type { AnalysisTablesDto } from '../../../extension/protocol/dto.js';
import { fixtureFiles, FIXTURES_DIR, hasWiresharkTools } from '../../helpers/corpus.js';

function analyze(path: string): CaptureAnalysis {
  const source = FileSource.open(path);
  try {
    return analyzeCapture(source, { fileName: path });
  } finally {
    source.close();
  }
}

function treeOf(dto: AnalysisTablesDto, max?: number): { tree: FlowTree; nodes: FlowNode[] } {
  const tree = new FlowTree(dto.connections, dto.transactions, dto.findings);
  const nodes: FlowNode[] = [];
  const walk = (parent?: FlowNode): void => {
    for (const child of tree.children(parent, max)) {
      nodes.push(child);
      // The parent the tree reports is the node we came from (TreeView.reveal depends on it).
      expect(tree.parentOf(child)?.id).toBe(parent?.id);
      expect(tree.hasChildren(child)).toBe(tree.children(child, max).length > 0);
      walk(child);
    }
  };
  walk();
  return { tree, nodes };
}

const fixtures = fixtureFiles();
const name = (p: string): string => relative(FIXTURES_DIR, p);

describe('FlowTree on every fixture', () => {
  it.each(fixtures.map((p) => [name(p), p]))('%s: each connection, transaction and finding appears once, under its parent', (_n, path) => {
    const dto = toTablesDto(analyze(path));
    const { tree, nodes } = treeOf(dto);
    const ids = nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);

    const servers = nodes.filter((n) => n.kind === 'server');
    expect(servers.map((n) => (n.kind === 'server' ? n.server : '')).sort()).toEqual([...new Set(dto.connections.map((c) => c.server))].sort());
    expect(nodes.filter((n) => n.kind === 'connection').map((n) => n.id).sort()).toEqual(dto.connections.map((c) => `c:${c.id}`).sort());
    expect(nodes.filter((n) => n.kind === 'transaction')).toHaveLength(dto.transactions.length);
    expect(nodes.filter((n) => n.kind === 'finding').map((n) => n.id).sort()).toEqual(dto.findings.map((f) => `f:${f.index}`).sort());

    for (const n of nodes) {
      const parent = tree.parentOf(n);
      if (n.kind === 'connection') expect(parent).toMatchObject({ kind: 'server', server: n.row.server });
      if (n.kind === 'transaction') expect(parent?.id).toBe(`c:${n.row.connection}`);
      if (n.kind === 'finding') {
        // A finding naming a transaction hangs under that transaction, otherwise under its connection.
        const expected = n.row.transaction !== undefined ? `c:${n.row.connection}/t:${n.row.transaction}` : `c:${n.row.connection}`;
        expect(parent?.id).toBe(expected);
        expect(tree.finding(n.row.index)?.id).toBe(n.id);
      }
      if (n.kind === 'server') expect(n.connections).toBe(dto.connections.filter((c) => c.server === n.server).length);
    }
  });
});

describe('FlowTree limits', () => {
  it('ends a long child list with a "more" node that counts the rest', () => {
    const dto = toTablesDto(analyze(`${FIXTURES_DIR}/findings/time-wait-churn.pcap`));
    expect(dto.connections.length).toBeGreaterThan(5);
    const tree = new FlowTree(dto.connections, dto.transactions, dto.findings);
    const server = tree.children()[0]!;
    const shown = tree.children(server, 5);
    expect(shown).toHaveLength(6);
    expect(shown[5]).toMatchObject({ kind: 'more', hidden: dto.connections.filter((c) => c.server === (server.kind === 'server' ? server.server : '')).length - 5 });
    expect(tree.children(shown[5])).toEqual([]);
  });

  it('keeps a finding whose transaction is unknown on its connection', () => {
    const dto = toTablesDto(analyze(`${FIXTURES_DIR}/http/pipelining-hol.pcap`));
    const f = { ...dto.findings[0]!, transaction: 999 };
    const tree = new FlowTree(dto.connections, dto.transactions, [f]);
    expect(tree.parentOf(tree.finding(f.index)!)?.id).toBe(`c:${f.connection}`);
    expect(tree.children(tree.connection(f.connection)).map((n) => n.id)).toContain(`f:${f.index}`);
  });
});

describe('parseEndpoint', () => {
  it.each([
    ['10.0.0.1:80', { host: '10.0.0.1', port: 80, v6: false }],
    ['[2001:db8::1]:443', { host: '2001:db8::1', port: 443, v6: true }],
    ['[::ffff:10.0.0.1]:8080', { host: '::ffff:10.0.0.1', port: 8080, v6: true }],
    ['host:80', undefined],
    ['10.0.0.1', undefined],
    ['[2001:db8::1]', undefined],
    ['', undefined],
  ])('%s', (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
  });
});

describe.runIf(hasWiresharkTools())('Wireshark filters select what the tree shows (tshark oracle)', () => {
  const count = (path: string, filter: string): number =>
    execFileSync('tshark', ['-r', path, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean).length;

  it.each(['http/pipelining-hol.pcap', 'http/ipv6-get.pcap', 'findings/connection-not-reused.pcap', 'h2/h2c-prior-knowledge.pcap'])('%s', (file) => {
    const path = `${FIXTURES_DIR}/${file}`;
    const analysis = analyze(path);
    const dto = toTablesDto(analysis);
    const { nodes } = treeOf(dto);
    const packets = new Map(analysis.connections.map((c) => [c.id, c.packets]));
    // One node of each kind: each check is one tshark run (slow on a loaded machine).
    const seen = new Map<string, number>();
    const sample = nodes.filter((n) => {
      const k = (seen.get(n.kind) ?? 0) + 1;
      seen.set(n.kind, k);
      return k <= 1;
    });
    for (const n of sample) {
      const filter = wiresharkFilter(n);
      if (n.kind === 'connection') expect(count(path, filter!), filter).toBe(packets.get(n.row.id));
      if (n.kind === 'server') {
        const expected = dto.connections.filter((c) => c.server === n.server).reduce((sum, c) => sum + (packets.get(c.id) ?? 0), 0);
        expect(count(path, filter!), filter).toBe(expected);
      }
      if (n.kind === 'finding') expect(count(path, filter!), filter).toBe(n.row.frames.length ? new Set(n.row.frames).size : packets.get(n.row.connection));
      if (n.kind === 'transaction') {
        const last = Math.max(n.row.requestLastFrame, n.row.responseLastFrame ?? 0);
        const frames = execFileSync('tshark', ['-r', path, '-Y', filter!, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean).map(Number);
        expect(frames[0]).toBe(n.row.requestFirstFrame);
        expect(frames[frames.length - 1]).toBe(last);
      }
    }
  }, 120_000);
});
