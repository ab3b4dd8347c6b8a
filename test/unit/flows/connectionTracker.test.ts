// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../extension/core/flows/connection.js';
import { ConnectionTracker } from '../../../extension/core/flows/connectionTracker.js';
import { packets, type Seg } from '../../helpers/segments.js';

function track(trace: Seg[]): Connection[] {
  const tracker = new ConnectionTracker();
  for (const p of packets(trace)) tracker.add(p);
  return tracker.finish();
}

// Client ISN 1000, server ISN 5000.
const HANDSHAKE: Seg[] = [
  { from: 'C', flags: 'S', seq: 1000, ms: 0, options: { mss: 1460, windowScale: 7, sackPermitted: true } },
  { from: 'S', flags: 'SA', seq: 5000, ack: 1001, ms: 10, options: { mss: 1400, windowScale: 9, sackPermitted: true } },
  { from: 'C', flags: 'A', seq: 1001, ack: 5001, ms: 20 },
];
const GET = 'GET / HTTP/1.1\r\n\r\n'; // 18 bytes

describe('ConnectionTracker lifecycle (table-driven)', () => {
  const cases: { name: string; trace: Seg[]; want: Partial<Connection>[] }[] = [
    {
      name: 'normal exchange closed by both FINs (SF)',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms: 21 },
        { from: 'S', flags: 'A', seq: 5001, ack: 1019, ms: 31 },
        { from: 'S', flags: 'PA', seq: 5001, ack: 1019, data: 100, ms: 32 },
        { from: 'C', flags: 'A', seq: 1019, ack: 5101, ms: 42 },
        { from: 'C', flags: 'FA', seq: 1019, ack: 5101, ms: 50 },
        { from: 'S', flags: 'FA', seq: 5101, ack: 1020, ms: 60 },
        { from: 'C', flags: 'A', seq: 1020, ack: 5102, ms: 70 },
      ],
      want: [
        {
          stream: 0,
          handshake: 'complete',
          roleSource: 'syn',
          synFrame: 1,
          synAckFrame: 2,
          handshakeAckFrame: 3,
          synCount: 1,
          synToSynAckMs: expect.closeTo(10, 9),
          synAckToAckMs: expect.closeTo(10, 9),
          connectMs: expect.closeTo(20, 9),
          negotiated: { windowScale: true, sack: true, timestamps: false },
          closedFirstBy: 'client',
          closeKind: 'fin',
          halfClosed: false,
          connState: 'SF',
          history: 'ShADadFf',
        },
      ],
    },
    {
      name: 'refused: SYN answered by RST/ACK (REJ)',
      trace: [
        { from: 'C', flags: 'S', seq: 1000, ms: 0 },
        { from: 'S', flags: 'RA', seq: 0, ack: 1001, ms: 1 },
      ],
      want: [{ handshake: 'refused', connState: 'REJ', history: 'Sr', closedFirstBy: 'server', closeKind: 'rst' }],
    },
    {
      name: 'unanswered SYN retransmitted twice (S0)',
      trace: [
        { from: 'C', flags: 'S', seq: 1000, ms: 0 },
        { from: 'C', flags: 'S', seq: 1000, ms: 1000 },
        { from: 'C', flags: 'S', seq: 1000, ms: 3000 },
      ],
      want: [{ handshake: 'incomplete', connState: 'S0', history: 'ST', synCount: 3 }],
    },
    {
      name: 'SYN then FIN without an answer (SH)',
      trace: [
        { from: 'C', flags: 'S', seq: 1000, ms: 0 },
        { from: 'C', flags: 'F', seq: 1001, ms: 5 },
      ],
      want: [{ connState: 'SH', history: 'SF' }],
    },
    {
      name: 'client aborts with RST after the handshake (RSTO)',
      trace: [...HANDSHAKE, { from: 'C', flags: 'RA', seq: 1001, ack: 5001, ms: 30 }],
      want: [{ connState: 'RSTO', closedFirstBy: 'client', closeKind: 'rst', handshake: 'complete' }],
    },
    {
      name: 'server aborts with RST mid-response (RSTR)',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms: 21 },
        { from: 'S', flags: 'PA', seq: 5001, ack: 1019, data: 50, ms: 30 },
        { from: 'S', flags: 'RA', seq: 5051, ack: 1019, ms: 31 },
      ],
      want: [{ connState: 'RSTR', closedFirstBy: 'server', closeKind: 'rst', history: 'ShADdr' }],
    },
    {
      name: 'half-close: the server keeps sending after the client FIN',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'FPA', seq: 1001, ack: 5001, data: GET, ms: 21 },
        { from: 'S', flags: 'A', seq: 5001, ack: 1020, ms: 25 },
        { from: 'S', flags: 'PA', seq: 5001, ack: 1020, data: 100, ms: 30 },
        { from: 'S', flags: 'FA', seq: 5101, ack: 1020, ms: 31 },
        { from: 'C', flags: 'A', seq: 1020, ack: 5102, ms: 32 },
      ],
      want: [{ halfClosed: true, connState: 'SF', closedFirstBy: 'client' }],
    },
    {
      name: 'simultaneous close: FINs cross',
      trace: [...HANDSHAKE, { from: 'C', flags: 'FA', seq: 1001, ack: 5001, ms: 30 }, { from: 'S', flags: 'FA', seq: 5001, ack: 1001, ms: 30 }, { from: 'C', flags: 'A', seq: 1002, ack: 5002, ms: 31 }, { from: 'S', flags: 'A', seq: 5002, ack: 1002, ms: 31 }],
      want: [{ connState: 'SF', closedFirstBy: 'client', closeKind: 'fin', halfClosed: false }],
    },
    {
      name: 'mid-stream: the server speaks first, roles come from the HTTP response (OTH)',
      trace: [
        { from: 'S', flags: 'PA', seq: 9000, ack: 3000, data: 'HTTP/1.1 200 OK\r\n\r\n', ms: 0 },
        { from: 'C', flags: 'A', seq: 3000, ack: 9019, ms: 1 },
      ],
      want: [{ handshake: 'not-captured', roleSource: 'response', connState: 'OTH', history: '^dA', client: { ip: '10.0.0.1', port: 40000 } }],
    },
    {
      name: 'mid-stream without payload: the lower port is the server',
      trace: [{ from: 'C', flags: 'A', seq: 3000, ack: 9000, ms: 0 }],
      want: [{ roleSource: 'port', server: { ip: '10.0.0.2', port: 80 } }],
    },
    {
      name: 'port reuse: a SYN with a new ISN on the same 4-tuple starts a new stream',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'RA', seq: 1001, ack: 5001, ms: 30 },
        { from: 'C', flags: 'S', seq: 777_000, ms: 40 },
        { from: 'S', flags: 'SA', seq: 888_000, ack: 777_001, ms: 41 },
        { from: 'C', flags: 'A', seq: 777_001, ack: 888_001, ms: 42 },
      ],
      want: [
        { stream: 0, firstFrame: 1, lastFrame: 4, connState: 'RSTO', notes: [expect.stringContaining('frame 5')] as unknown as string[] },
        { stream: 1, firstFrame: 5, lastFrame: 7, handshake: 'complete', connState: 'S1' },
      ],
    },
    {
      name: 'a retransmitted SYN with the same ISN stays in its stream',
      trace: [{ from: 'C', flags: 'S', seq: 1000, ms: 0 }, { from: 'C', flags: 'S', seq: 1000, ms: 1000 }, { ...HANDSHAKE[1]!, ms: 1010 }, { ...HANDSHAKE[2]!, ms: 1020 }],
      want: [{ stream: 0, synCount: 2, synToSynAckMs: expect.closeTo(10, 9), connectMs: expect.closeTo(1020, 9), handshake: 'complete', connState: 'S1' }],
    },
    {
      name: 'SYN with a sequence number wrapping past 2^32',
      trace: [
        { from: 'C', flags: 'S', seq: 0xffff_fff0, ms: 0 },
        { from: 'S', flags: 'SA', seq: 5000, ack: 0xffff_fff1, ms: 1 },
        { from: 'C', flags: 'A', seq: 0xffff_fff1, ack: 5001, ms: 2 },
        { from: 'C', flags: 'PA', seq: 0xffff_fff1, ack: 5001, data: 40, ms: 3 },
        { from: 'S', flags: 'A', seq: 5001, ack: 0x19, ms: 4 },
      ],
      want: [{ handshake: 'complete', clientToServer: expect.objectContaining({ streamBytes: 40, retransmissions: 0, gaps: 0 }) }],
    },
  ];

  it.each(cases)('$name', ({ trace, want }) => {
    const got = track(trace);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expect(got[i]).toMatchObject(w));
  });
});

describe('ConnectionTracker per-direction analysis', () => {
  const data = (from: 'C' | 'S', seq: number, len: number, ms: number, ack: number): Seg => ({ from, flags: 'PA', seq, ack, data: len, ms });
  const ackOf = (from: 'C' | 'S', seq: number, ack: number, ms: number, win?: number): Seg => ({ from, flags: 'A', seq, ack, ms, win });

  it('classifies a retransmission after an RTO, counts its bytes and the wait, and keeps its RTT out (Karn)', () => {
    const [c] = track([
      ...HANDSHAKE,
      data('S', 5001, 100, 30, 1001),
      data('S', 5101, 100, 31, 1001),
      ackOf('C', 1001, 5101, 41),
      data('S', 5101, 100, 250, 1001), // 219 ms after the original: RTO retransmission
      ackOf('C', 1001, 5201, 260),
    ]);
    const down = c!.serverToClient;
    expect(down).toMatchObject({ retransmissions: 1, retransmittedBytes: 100, fastRetransmissions: 0, spuriousRetransmissions: 0, retransmissionFrames: [7] });
    expect(down.retransmissionWaitMs).toBeCloseTo(219, 9);
    // The SYN/ACK (10 ms) and the first segment (11 ms) give RTT samples; the retransmitted one does not.
    expect(down.rtt).toMatchObject({ samples: 2, minMs: expect.closeTo(10, 9), maxMs: expect.closeTo(11, 9) });
    expect(c!.history).toBe('ShAdt');
  });

  it('detects duplicate ACKs and a fast retransmission', () => {
    const [c] = track([
      ...HANDSHAKE,
      data('S', 5001, 100, 30, 1001), // lost after the capture point... but captured here
      data('S', 5101, 100, 31, 1001),
      data('S', 5201, 100, 32, 1001),
      data('S', 5301, 100, 33, 1001),
      ackOf('C', 1001, 5001, 40),
      ackOf('C', 1001, 5001, 41),
      ackOf('C', 1001, 5001, 42),
      data('S', 5001, 100, 43, 1001),
    ]);
    // The handshake ACK (frame 3) already acknowledged 5001 with the same window: three duplicates, as Wireshark counts.
    expect(c!.clientToServer.duplicateAcks).toBe(3);
    expect(c!.serverToClient).toMatchObject({ retransmissions: 1, fastRetransmissions: 1, retransmissionFrames: [11] });
  });

  it('reports a spurious retransmission of data already acknowledged', () => {
    const [c] = track([...HANDSHAKE, data('S', 5001, 100, 30, 1001), ackOf('C', 1001, 5101, 40), data('S', 5001, 100, 300, 1001)]);
    expect(c!.serverToClient).toMatchObject({ retransmissions: 1, spuriousRetransmissions: 1 });
  });

  it('calls a lower segment soon after a higher one out of order, not a retransmission', () => {
    const [c] = track([...HANDSHAKE, data('S', 5101, 100, 30, 1001), data('S', 5001, 100, 30.5, 1001), ackOf('C', 1001, 5201, 40)]);
    expect(c!.serverToClient).toMatchObject({ outOfOrder: 1, retransmissions: 0, lostSegmentEvents: 1, gaps: 0, streamBytes: 200 });
  });

  it('reports bytes the receiver acknowledged but the capture never saw as a gap', () => {
    const [c] = track([...HANDSHAKE, data('S', 5001, 100, 30, 1001), data('S', 5201, 100, 31, 1001), ackOf('C', 1001, 5301, 40)]);
    expect(c!.serverToClient).toMatchObject({ gaps: 1, gapBytes: 100, streamBytes: 200, lostSegmentEvents: 1 });
    expect(c!.history).toBe('ShAdg');
  });

  it('counts zero windows, a zero-window probe and keep-alives', () => {
    const [c] = track([
      ...HANDSHAKE,
      data('S', 5001, 100, 30, 1001),
      ackOf('C', 1001, 5101, 40, 0),
      data('S', 5101, 1, 240, 1001), // probe into the zero window
      ackOf('C', 1001, 5101, 241, 0),
      ackOf('C', 1001, 5101, 500, 1024), // window opens
      { from: 'C', flags: 'A', seq: 1000, ack: 5101, data: 1, ms: 2000 }, // keep-alive: seq = next - 1
    ]);
    expect(c!.clientToServer).toMatchObject({ zeroWindows: 2, keepAlives: 1, retransmissions: 0 });
    expect(c!.serverToClient.zeroWindowProbes).toBe(1);
    expect(c!.history).toContain('W');
  });

  it('notices a segment that fills the receiver window exactly', () => {
    const [c] = track([
      { from: 'C', flags: 'S', seq: 1000, ms: 0 },
      { from: 'S', flags: 'SA', seq: 5000, ack: 1001, ms: 1 },
      { from: 'C', flags: 'A', seq: 1001, ack: 5001, ms: 2, win: 300 },
      data('S', 5001, 100, 3, 1001),
      data('S', 5101, 100, 4, 1001),
      data('S', 5201, 100, 5, 1001),
    ]);
    expect(c!.serverToClient.windowFull).toBe(1);
  });
});
