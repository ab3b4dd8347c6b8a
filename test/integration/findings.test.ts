// SPDX-License-Identifier: MIT
// Findings on the recorded fixtures: each fires where its fixture shows the problem, with the evidence
// frames and the measured delay, and the control recordings stay clean. Asserts codes and evidence,
// never wording.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FindingOptions } from '../../extension/core/analysis/engine.js';
import type { Finding } from '../../extension/core/analysis/finding.js';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import { FIXTURES_DIR } from '../helpers/corpus.js';

function findings(name: string, options: Partial<FindingOptions> = {}): Finding[] {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return analyzeCapture(source, { fileName: name, findings: options }).findings;
  } finally {
    source.close();
  }
}

const codes = (fs: Finding[]) => fs.map((f) => f.code);

describe('findings on fixtures', () => {
  it('nagle-delayed-ack: the four ~43 ms stalls measured when the fixture was recorded', () => {
    const fs = findings('http/nagle-delayed-ack.pcap');
    expect(codes(fs)).toEqual(Array(4).fill('nagle-delayed-ack'));
    // fixtures/README.md: stalls before frames 17, 27, 37, 47 (delayed ACKs), held body at 18, 28, 38, 48.
    expect(fs.map((f) => f.frames)).toEqual([
      [16, 17, 18],
      [26, 27, 28],
      [36, 37, 38],
      [46, 47, 48],
    ]);
    for (const f of fs) expect(f.delayMs).toBeGreaterThan(40);
    for (const f of fs) expect(f.delayMs).toBeLessThan(46);
  });

  it('nagle control (TCP_NODELAY): no stall reported', () => {
    expect(findings('http/nagle-control-nodelay.pcap')).toEqual([]);
  });

  // The Nagle thresholds are finding options (CLI --set): the recorded stalls are a 192-byte A, an ACK
  // held ~43 ms beyond a sub-millisecond RTT, and a 54-byte B.
  it.each([
    { options: {}, want: 4 },
    { options: { nagleMinAckDelayMs: 40 }, want: 4 },
    { options: { nagleMinAckDelayMs: 50 }, want: 0 },
    { options: { nagleMaxAckDelayMs: 30 }, want: 0 },
    { options: { nagleSmallSegmentBytes: 193 }, want: 4 },
    { options: { nagleSmallSegmentBytes: 192 }, want: 0 },
  ])('nagle-delayed-ack thresholds $options: $want stalls', ({ options, want }) => {
    expect(findings('http/nagle-delayed-ack.pcap', options).filter((f) => f.code === 'nagle-delayed-ack')).toHaveLength(want);
  });

  it('nagle control stays clean with the loosest thresholds: TCP_NODELAY sends B before the ACK', () => {
    expect(findings('http/nagle-control-nodelay.pcap', { nagleMinAckDelayMs: 0, nagleMaxAckDelayMs: 100_000, nagleReleaseSlackMs: 1000 })).toEqual([]);
  });

  it('hol-blocking: /a, /b, /c each queued ~300 ms behind /slow', () => {
    const fs = findings('http/pipelining-hol.pcap');
    expect(fs.map((f) => [f.code, f.transaction])).toEqual([
      ['hol-blocking', 1],
      ['hol-blocking', 2],
      ['hol-blocking', 3],
    ]);
    for (const f of fs) {
      expect(f.delayMs).toBeGreaterThan(295);
      expect(f.delayMs).toBeLessThan(320);
      expect(f.frames).toContain(6); // the slow response's frame
    }
  });

  it.each(['http/keepalive-get.pcap', 'capture/keepalive-get.pcapng', 'http/ipv6-get.pcap', 'http/sll2-any.pcap', 'tcp/half-close.pcap', 'tcp/midstream.pcap', 'tcp/midstream-close.pcap'])(
    'control %s: no findings',
    (name) => {
      expect(findings(name)).toEqual([]);
    },
  );

  it('connection-refused: one per refused SYN, with the SYN and the RST', () => {
    const fs = findings('tcp/refused.pcap');
    expect(codes(fs)).toEqual(['connection-refused', 'connection-refused']);
    for (const f of fs) expect(f.frames).toHaveLength(2);
  });

  it('syn-retransmission: four SYNs, never answered', () => {
    const [f, ...rest] = findings('tcp/syn-timeout.pcap');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'syn-retransmission', count: 4 });
  });

  it('retransmission: the lossy download reports what the receiver waited', () => {
    const fs = findings('tcp/lossy-input-drop.pcap');
    expect(codes(fs)).toContain('retransmission');
    const f = fs.find((x) => x.code === 'retransmission')!;
    expect(f.delayMs).toBeGreaterThan(0);
    expect(f.count).toBeGreaterThan(0);
  });

  it('tcp-hol-blocking on HTTP/1.1: each stall names the one response, lost and held', () => {
    const hol = findings('tcp/lossy-input-drop.pcap').filter((x) => x.code === 'tcp-hol-blocking');
    expect(hol).toHaveLength(12);
    for (const f of hol) expect(f).toMatchObject({ transaction: 0, transactions: [0] });
  });

  it.each([
    { name: 'tcp/rst-by-client.pcap', bytes: 20_000 },
    { name: 'tcp/rst-by-server.pcap', bytes: 16_000 },
  ])('reset-mid-message: $name', ({ name, bytes }) => {
    const [f, ...rest] = findings(name);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'reset-mid-message', transaction: 0, bytes });
  });

  it('reset with a pipelined request unread: the response is cut, and the cause is the unread request', () => {
    const fs = findings('http/reset-unread.pcap');
    expect(codes(fs).sort()).toEqual(['reset-mid-message', 'reset-with-unread-data']);
    expect(fs.find((f) => f.code === 'reset-with-unread-data')).toMatchObject({ transaction: 1, frames: [4, 10] });
  });

  it('connection-not-reused: four connections in a row from the port-reuse recorder', () => {
    const [f, ...rest] = findings('tcp/port-reuse.pcap');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'connection-not-reused', count: 4 });
  });

  it('connection-not-reused control: two connections are not a pattern', () => {
    expect(findings('http/keepalive-get.pcap')).toEqual([]);
  });
});

describe('findings fixtures (fixtures/findings) and their controls', () => {
  it.each([
    { name: 'connection-not-reused', want: { code: 'connection-not-reused', count: 5 } },
    { name: 'time-wait-churn', want: { code: 'time-wait-churn', count: 150 } },
    { name: 'idle-close-race', want: { code: 'idle-close-race', frames: [8, 10, 11] } },
    { name: 'keep-alive-hang', want: { code: 'keep-alive-hang', frames: [4, 6] } },
  ])('$name fires with its evidence', ({ name, want }) => {
    const fs = findings(`findings/${name}.pcap`);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject(want);
  });

  it('excessive-parallel-connections: the ten connections of curl --parallel-max 10, with their SYNs', () => {
    const fs = findings('findings/excessive-parallel-connections.pcap');
    expect(fs).toHaveLength(1);
    // fixtures/README.md: ten tcp.streams, SYNs in frames 1, 4, ..., 28.
    expect(fs[0]).toMatchObject({ code: 'excessive-parallel-connections', count: 10, frames: [1, 4, 7, 10, 13, 16, 19, 22, 25, 28] });
  });

  it('zero-window: every zero window and window update, and the time the window stayed closed', () => {
    const fs = findings('findings/zero-window.pcap');
    expect(codes(fs).sort()).toEqual(['retransmission', 'zero-window']);
    const zw = fs.find((f) => f.code === 'zero-window')!;
    // tshark: 27 tcp.analysis.zero_window from the client, the first in frame 9, reopened in frame 10;
    // closed 598.0 ms in total (each zero window to the client's next non-zero window).
    expect(zw).toMatchObject({ count: 27, frames: expect.arrayContaining([9, 10]) });
    expect(zw.delayMs).toBeCloseTo(598.0, 0);
    expect(fs.find((f) => f.code === 'retransmission')).toMatchObject({ frames: [18], count: 1 });
  });

  it('keep-alive-hang: the silent wait is the 3 s curl timeout', () => {
    const [f] = findings('findings/keep-alive-hang.pcap');
    expect(f!.delayMs).toBeGreaterThan(2900);
    expect(f!.delayMs).toBeLessThan(3100);
  });

  it('tcp-hol-blocking: the data after the one lost segment waited for its fast retransmission', () => {
    const fs = findings('findings/tcp-hol.pcap');
    expect(codes(fs).sort()).toEqual(['retransmission', 'tcp-hol-blocking']);
    const hol = fs.find((f) => f.code === 'tcp-hol-blocking')!;
    expect(hol.frames[1]).toBe(80);
    // The lost frame 32 carried the DATA frame of stream 15 that completes in frame 38; the held frames
    // 33-75 carried DATA of streams 15, 17, 13 (tshark -d tcp.port==8080,http2, fixtures/README.md).
    // Transactions 0, 1, 2 are streams 13, 15, 17.
    expect(hol).toMatchObject({ streamId: 15, transaction: 1, streamIds: [13, 15, 17], transactions: [0, 1, 2], bytes: 35_603 });
    expect(hol.delayMs).toBeGreaterThan(10);
    expect(hol.delayMs).toBeLessThan(20);
  });

  it('hop-by-hop-header-forwarded: each forwarded request once, with both legs as evidence', () => {
    const fs = findings('findings/hop-by-hop-forwarded.pcap');
    expect(fs.map((f) => [f.code, f.frames])).toEqual([
      ['hop-by-hop-header-forwarded', [4, 9]],
      ['hop-by-hop-header-forwarded', [19, 20]],
    ]);
  });

  it('reset-with-unread-data control: a graceful close (FIN, drain) is not reported as a reset', () => {
    expect(codes(findings('findings/graceful-close-control.pcap'))).not.toContain('reset-with-unread-data');
  });

  it.each(['connection-reused-control', 'time-wait-churn-control', 'idle-close-race-control', 'keep-alive-hang-control', 'tcp-hol-control', 'slow-handshake-control', 'hop-by-hop-control', 'excessive-parallel-control', 'zero-window-control'])(
    'control %s: no findings',
    (name) => {
      expect(findings(`findings/${name}.pcap`)).toEqual([]);
    },
  );
});
