// SPDX-License-Identifier: MIT
// tcp-hol-blocking names its victims: the HTTP/2 streams (Http2FrameIndex) or HTTP/1.x messages whose
// bytes were lost, and those whose bytes arrived after the hole and waited for the retransmission.
import { describe, expect, it } from 'vitest';
import { Http2FrameIndex } from '../../../extension/core/flows/http2FrameIndex.js';
import { analyze, type Frame } from './builtCapture.js';

const PREFACE = [...new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')];

/** h2 builds one HTTP/2 frame (RFC 9113 §4.1). */
function h2(type: number, flags: number, streamId: number, payload: number[]): number[] {
  const n = payload.length;
  return [n >>> 16, (n >>> 8) & 0xff, n & 0xff, type, flags, (streamId >>> 24) & 0x7f, (streamId >>> 16) & 0xff, (streamId >>> 8) & 0xff, streamId & 0xff, ...payload];
}
const DATA = 0x0;
const HEADERS = 0x1;
const SETTINGS = 0x4;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
/** HPACK static-table fields (RFC 7541 Appendix A): :method GET (2), :scheme http (6), :path / (4); :status 200 (8). */
const GET_BLOCK = [0x82, 0x86, 0x84];
const STATUS_200 = [0x88];

describe('Http2FrameIndex (table-driven)', () => {
  const body = (n: number) => new Array<number>(n).fill(0x61);
  const cases: { name: string; chunks: number[][]; gapAfter?: number; query: [number, number]; want: number[] | 'not-http2' }[] = [
    {
      name: 'client: frames after the preface; HEADERS and DATA name their streams, SETTINGS does not',
      chunks: [[...PREFACE, ...h2(SETTINGS, 0, 0, []), ...h2(HEADERS, END_HEADERS, 1, GET_BLOCK), ...h2(DATA, 0, 3, body(10))]],
      query: [24, 24 + 9 + 12 + 19],
      want: [1, 3],
    },
    {
      name: 'server: a SETTINGS frame at offset 0 is its preface',
      chunks: [[...h2(SETTINGS, 0, 0, [0, 3, 0, 0, 0, 100]), ...h2(DATA, 0, 5, body(4))]],
      query: [15, 16],
      want: [5],
    },
    {
      name: 'a frame header split across chunks, and a query inside a long DATA payload',
      chunks: [[...h2(SETTINGS, 0, 0, []), ...h2(DATA, 0, 7, body(100)).slice(0, 4)], [...h2(DATA, 0, 7, body(100)).slice(4), ...h2(DATA, 0, 9, body(5))]],
      query: [60, 61],
      want: [7],
    },
    {
      name: 'the range covering the end of one frame and the start of the next names both',
      chunks: [[...h2(SETTINGS, 0, 0, []), ...h2(DATA, 0, 7, body(100)), ...h2(DATA, 0, 9, body(5))]],
      query: [9 + 100, 9 + 109 + 1],
      want: [7, 9],
    },
    {
      // Adjacent frames of one stream are kept as one run; the run must end where the next stream begins.
      name: 'consecutive DATA frames of one stream, then another stream: a query just before the switch names only the first',
      chunks: [[...h2(SETTINGS, 0, 0, []), ...h2(DATA, 0, 7, body(10)), ...h2(DATA, 0, 7, body(10)), ...h2(DATA, 0, 9, body(10))]],
      query: [9 + 19 + 18, 9 + 19 + 19],
      want: [7],
    },
    {
      name: 'a gap stops the index: frames after it are unknown',
      chunks: [[...h2(SETTINGS, 0, 0, []), ...h2(DATA, 0, 7, body(10))], [...h2(DATA, 0, 9, body(5))]],
      gapAfter: 0,
      query: [0, 1000],
      want: [7],
    },
    { name: 'HTTP/1.1 is not indexed', chunks: [[...new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')]], query: [0, 10], want: 'not-http2' },
    { name: 'a first frame other than SETTINGS is not a server preface', chunks: [h2(DATA, 0, 1, body(12))], query: [0, 10], want: 'not-http2' },
  ];

  it.each(cases)('$name', ({ chunks, gapAfter, query, want }) => {
    const index = Http2FrameIndex.detect(Uint8Array.from(chunks[0]!));
    if (want === 'not-http2') {
      expect(index).toBeUndefined();
      return;
    }
    expect(index).toBeDefined();
    let offset = 0;
    chunks.forEach((chunk, i) => {
      index!.feed(offset, Uint8Array.from(chunk));
      offset += chunk.length;
      if (i === gapAfter) index!.gap();
    });
    expect(index!.streamsIn(...query)).toEqual(want);
  });
});

// Client ISN 1000, server ISN 5000. The capture is taken at the client: the lost server segment is
// missing, the data after it arrives and waits, then the retransmission fills the hole 200 ms later.
const HANDSHAKE: Frame[] = [
  { from: 'C', flags: 'S', seq: 1000, ms: 0 },
  { from: 'S', flags: 'SA', seq: 5000, ack: 1001, ms: 1 },
  { from: 'C', flags: 'A', seq: 1001, ack: 5001, ms: 2 },
];

function lossTrace(request: number[], before: number[], lost: number[], after: number[]): Frame[] {
  const reqEnd = 1001 + request.length;
  const s1 = 5001;
  const s2 = s1 + before.length;
  const s3 = s2 + lost.length;
  const end = s3 + after.length;
  return [
    ...HANDSHAKE,
    { from: 'C', flags: 'PA', seq: 1001, ack: 5001, bytes: request, ms: 3 },
    { from: 'S', flags: 'PA', seq: s1, ack: reqEnd, bytes: before, ms: 4 },
    // (the segment at s2 is lost before the capture point)
    { from: 'S', flags: 'PA', seq: s3, ack: reqEnd, bytes: after, ms: 5 },
    { from: 'C', flags: 'A', seq: reqEnd, ack: s2, ms: 6 },
    { from: 'S', flags: 'PA', seq: s2, ack: reqEnd, bytes: lost, ms: 205 },
    { from: 'C', flags: 'A', seq: reqEnd, ack: end, ms: 206 },
  ];
}

describe('tcp-hol-blocking names the victims (built captures)', () => {
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const cases: { name: string; trace: Frame[]; want: Record<string, unknown> }[] = [
    {
      // Pipelined GET /a and GET /b: the middle of /a's response is lost, all of /b's arrives and waits.
      name: 'HTTP/1.1 pipeline: the response to /b waits behind the lost part of /a',
      trace: lossTrace(
        bytes('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'),
        bytes('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\naaaaaaaaaa'),
        bytes('aaaaaaaaaa'),
        bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nbbbbb'),
      ),
      want: { transaction: 0, transactions: [1], frames: [6, 8], bytes: 43 },
    },
    {
      // h2c with prior knowledge: the DATA of stream 1 is lost, the DATA of stream 3 arrives and waits.
      name: 'HTTP/2: stream 3 waits behind the lost DATA of stream 1',
      trace: lossTrace(
        [...PREFACE, ...h2(SETTINGS, 0, 0, []), ...h2(HEADERS, END_STREAM | END_HEADERS, 1, GET_BLOCK), ...h2(HEADERS, END_STREAM | END_HEADERS, 3, GET_BLOCK)],
        [...h2(SETTINGS, 0, 0, []), ...h2(HEADERS, END_HEADERS, 1, STATUS_200), ...h2(HEADERS, END_HEADERS, 3, STATUS_200)],
        h2(DATA, END_STREAM, 1, new Array<number>(100).fill(0x31)),
        h2(DATA, END_STREAM, 3, new Array<number>(100).fill(0x33)),
      ),
      want: { transaction: 0, streamId: 1, transactions: [1], streamIds: [3], frames: [6, 8], bytes: 109 },
    },
  ];

  it.each(cases)('$name', ({ trace, want }) => {
    const hol = analyze(trace).findings.filter((f) => f.code === 'tcp-hol-blocking');
    expect(hol).toHaveLength(1);
    expect(hol[0]).toMatchObject({ connection: 0, ...want });
    expect(hol[0]!.delayMs).toBeCloseTo(200, 6);
  });
});
