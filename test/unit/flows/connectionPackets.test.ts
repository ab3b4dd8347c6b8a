// SPDX-License-Identifier: MIT
// The ladder diagram's packets, read again from the file, against tshark's view of the same
// tcp.stream: same frames, flags, relative sequence and acknowledgment numbers, lengths, windows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import { readConnectionPackets } from '../../../extension/core/flows/connectionPackets.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { FIXTURES_DIR, hasWiresharkTools } from '../../helpers/corpus.js';

function withSource<T>(path: string, f: (s: FileSource) => T): T {
  const source = FileSource.open(path);
  try {
    return f(source);
  } finally {
    source.close();
  }
}

const analyze = (path: string): CaptureAnalysis => withSource(path, (s) => analyzeCapture(s, { fileName: path }));

const FILES = ['http/nagle-delayed-ack.pcap', 'http/lossy-transfer.pcap', 'tcp/midstream.pcap', 'tcp/port-reuse.pcap', 'http/ipv6-get.pcap', 'tcp/rst-by-server.pcap', 'findings/connection-not-reused.pcap'];

describe('readConnectionPackets', () => {
  it.each(FILES)('%s: every connection gets exactly its packets', (file) => {
    const path = join(FIXTURES_DIR, file);
    const analysis = analyze(path);
    for (const c of analysis.connections) {
      const { packets, truncated } = withSource(path, (s) => readConnectionPackets(s, { client: c.client, server: c.server, firstFrame: c.firstFrame, lastFrame: c.lastFrame, max: 100_000 }));
      expect(truncated).toBe(false);
      expect(packets).toHaveLength(c.packets);
      expect(packets[0]?.frame).toBe(c.firstFrame);
      expect(packets.at(-1)?.frame).toBe(c.lastFrame);
      expect(packets[0]?.timeMs).toBe(0);
    }
  });

  it('stops at `max` and says so', () => {
    const path = join(FIXTURES_DIR, 'http/nagle-delayed-ack.pcap');
    const c = analyze(path).connections[0]!;
    const { packets, truncated } = withSource(path, (s) => readConnectionPackets(s, { client: c.client, server: c.server, firstFrame: c.firstFrame, lastFrame: c.lastFrame, max: 5 }));
    expect(packets).toHaveLength(5);
    expect(truncated).toBe(true);
  });

  it('returns the packets before the damage of a capture cut mid-packet', () => {
    const path = join(FIXTURES_DIR, 'http/nagle-delayed-ack.pcap');
    const c = analyze(path).connections[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'ladder-'));
    try {
      const cut = join(dir, 'cut.pcap');
      const bytes = readFileSync(path);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const { packets } = withSource(cut, (s) => readConnectionPackets(s, { client: c.client, server: c.server, firstFrame: c.firstFrame, lastFrame: c.lastFrame, max: 100_000 }));
      expect(packets.length).toBeGreaterThan(0);
      expect(packets.length).toBeLessThan(c.packets);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(hasWiresharkTools())('readConnectionPackets against tshark', () => {
  it.each(FILES)('%s', (file) => {
    const path = join(FIXTURES_DIR, file);
    for (const c of analyze(path).connections) {
      const { packets } = withSource(path, (s) => readConnectionPackets(s, { client: c.client, server: c.server, firstFrame: c.firstFrame, lastFrame: c.lastFrame, max: 100_000 }));
      const fields = ['frame.number', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size_value'];
      const rows = execFileSync('tshark', ['-r', path, '-Y', `tcp.stream eq ${c.stream}`, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
      expect(packets.map((p) => p.frame)).toEqual(rows.map((r) => Number(r[0])));
      packets.forEach((p, i) => {
        const r = rows[i]!;
        const row = { flags: Number(r[1]), seq: Number(r[2]), length: Number(r[4]), window: Number(r[5]) };
        expect({ flags: p.flags, seq: p.seq, length: p.length, window: p.window }, `frame ${p.frame}`).toEqual(row);
        // tshark shows ack 0 on segments without ACK; so do we.
        expect(p.ack, `frame ${p.frame}`).toBe(Number(r[3] || 0));
      });
    }
  });
});
