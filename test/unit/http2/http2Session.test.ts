// SPDX-License-Identifier: MIT
// Http2Session on synthetic frame traces: flow control, stream states, limits and protocol errors.
import { describe, expect, it } from 'vitest';
import { HTTP2_ANOMALY_CODES, Http2Session, type Http2SessionOptions, type Http2SessionResult } from '../../../extension/core/http2/http2Session.js';
import { F, Feeder, GET, T, block, frame, hpackInt, indexedLiteral, settings, u32 } from './h2build.js';

const INITIAL_WINDOW_SIZE = 4;
const HEADER_TABLE_SIZE = 1;
const ENABLE_PUSH = 2;
const MAX_CONCURRENT_STREAMS = 3;
const MAX_FRAME_SIZE = 5;

function session(options?: Http2SessionOptions): { s: Http2Session; f: Feeder } {
  const s = new Http2Session(options);
  return { s, f: new Feeder(s) };
}

function codes(r: Http2SessionResult): string[] {
  return r.anomalies.map((a) => a.code);
}

const OK_RESPONSE = block([[':status', '200']]);
/** Frame octets of a HEADERS frame carrying GET / OK_RESPONSE. */
const GET_FRAME = 9 + block(GET).length;
const OK_FRAME = 9 + OK_RESPONSE.length;
/** Stream offsets after Feeder.start() without settings: preface + SETTINGS + ACK, and SETTINGS + ACK. */
const CLIENT_START = 24 + 9 + 9;
const SERVER_START = 9 + 9;

describe('Http2Session streams', () => {
  it('pairs a request and response and records timing per frame', () => {
    const { s, f } = session();
    f.start();
    const req = f.push(0, frame(T.HEADERS, F.END_HEADERS, 1, block(GET)));
    const reqEnd = f.push(0, frame(T.DATA, F.END_STREAM, 1, [1, 2, 3]));
    const resp = f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, block([[':status', '200'], ['content-length', '5']])));
    f.push(1, frame(T.DATA, F.PADDED, 1, [2, 0x61, 0x62, 0, 0]));
    const respEnd = f.push(1, frame(T.DATA, F.END_STREAM, 1, [0x63, 0x64, 0x65]));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual([]);
    const tx = r.transactions[0]!;
    expect(tx).toMatchObject({ streamId: 1, complete: true });
    expect(tx.request).toMatchObject({ method: 'GET', path: '/', authority: 'example.com', scheme: 'http', bodyBytes: 3, dataFrames: 1, firstAt: req, lastAt: reqEnd, ended: true });
    expect(tx.response).toMatchObject({ status: 200, bodyBytes: 5, dataFrames: 2, firstAt: resp, lastAt: respEnd, ended: true });
    // Padding counts for flow control (RFC 9113 §6.9.1) but not as body.
    expect(r.stats[1].dataBytes).toBe(5 + 3);
  });

  it('keeps interim responses, trailers, and checks content-length', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 1, block([...GET, ['content-length', '2']])));
    f.push(0, frame(T.DATA, 0, 1, [1, 2, 3]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block([['x-checksum', 'abc']])));
    const early = f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, block([[':status', '103'], ['link', '</a.css>; rel=preload']])));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block([[':status', '204']])));
    f.end();
    const r = s.result();
    const tx = r.transactions[0]!;
    expect(tx.request.trailers).toEqual([{ name: 'x-checksum', value: 'abc' }]);
    expect(tx.response.interim).toEqual([{ status: 103, headers: [{ name: ':status', value: '103' }, { name: 'link', value: '</a.css>; rel=preload' }], at: early }]);
    expect(tx.response.status).toBe(204);
    expect(tx.anomalies).toEqual(['http2.content-length-mismatch']);
    expect(codes(r)).toEqual(['http2.content-length-mismatch']);
  });

  it('reports malformed and connection-specific fields (RFC 9113 §8.2)', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block([...GET, ['Accept', '*/*']])));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, block([[':method', 'GET'], ['connection', 'keep-alive'], [':path', '/']])));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block([['server', 'x']])));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, block([[':status', '101']])));
    f.end();
    const r = s.result();
    expect(r.transactions.map((t) => t.anomalies)).toEqual([['http2.malformed-headers'], ['http2.malformed-headers', 'http2.connection-specific-header']]);
    expect(r.anomalies.map((a) => a.message)).toEqual([
      'stream 1: request: field name Accept has uppercase characters',
      'stream 3: request: pseudo-header :path after regular fields',
      'stream 3: request carries connection',
      'stream 1: response: response without :status',
      'stream 3: 101 (Switching Protocols) in HTTP/2',
      'stream 3: 101 interim response with END_STREAM',
    ]);
  });

  it('records RST_STREAM and frames on idle and closed streams', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    const rst = f.push(0, frame(T.RST_STREAM, 0, 1, u32(8)));
    // The server's frames after the client's reset are allowed races (counted).
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, [1]));
    // The client's DATA after its own END_STREAM is an error; DATA on stream 7 was never opened.
    f.push(0, frame(T.DATA, 0, 1, [1]), frame(T.DATA, 0, 7, [1]), frame(T.RST_STREAM, 0, 9, u32(0)));
    f.end();
    const r = s.result();
    expect(r.transactions[0]!.rstStream).toEqual({ code: 8, codeName: 'CANCEL', side: 0, offset: CLIENT_START + GET_FRAME, at: rst });
    expect(r.transactions[0]!.complete).toBe(false);
    expect(codes(r)).toEqual(['http2.frame-on-closed-stream', 'http2.frame-on-idle-stream', 'http2.frame-on-idle-stream']);
    expect(r.stats[1].framesOnClosedStreams).toBe(2);
  });

  it('turns a PUSH_PROMISE into a pushed transaction', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    const promise = f.push(1, frame(T.PUSH_PROMISE, F.END_HEADERS, 1, [...u32(2), ...block([[':method', 'GET'], [':scheme', 'http'], [':path', '/style.css'], [':authority', 'example.com']])]));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, OK_RESPONSE));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 2, OK_RESPONSE), frame(T.DATA, F.END_STREAM, 2, [1, 2]));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual([]);
    expect(r.transactions.map((t) => [t.streamId, t.pushPromised, t.request.path, t.response.status, t.complete])).toEqual([
      [1, undefined, '/', 200, true],
      [2, 1, '/style.css', 200, true],
    ]);
    expect(r.transactions[1]!.request).toMatchObject({ firstAt: promise, lastAt: promise, ended: true });
  });

  it('reports pushes the client disabled and pushes from the client', () => {
    const { s, f } = session();
    f.start(settings([ENABLE_PUSH, 0]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 1, block(GET)));
    f.push(1, frame(T.PUSH_PROMISE, F.END_HEADERS, 1, [...u32(2), ...block(GET)]));
    f.push(0, frame(T.PUSH_PROMISE, F.END_HEADERS, 1, [...u32(4), ...block(GET)]));
    f.end();
    expect(codes(s.result())).toEqual(['http2.push-not-allowed', 'http2.push-not-allowed']);
  });

  it('marks streams beyond a GOAWAY and reports a GOAWAY that raises the last stream id', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)), frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, block(GET)));
    const goaway = f.push(1, frame(T.GOAWAY, 0, 0, [...u32(1), ...u32(0), 0x62, 0x79, 0x65]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 5, block(GET)));
    f.push(1, frame(T.GOAWAY, 0, 0, [...u32(5), ...u32(2)]));
    f.end();
    const r = s.result();
    expect(r.goaways[0]).toEqual({ side: 1, lastStreamId: 1, errorCode: 0, errorName: 'NO_ERROR', debugData: 'bye', offset: SERVER_START, at: goaway });
    expect(r.transactions.map((t) => t.beyondGoAway ?? false)).toEqual([false, true, true]);
    expect(codes(r)).toEqual(['http2.goaway-last-stream-increased']);
  });

  it('links PING and PING ACK', () => {
    const { s, f } = session();
    f.start();
    const ping = f.push(0, frame(T.PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]));
    const ack = f.push(1, frame(T.PING, F.ACK, 0, [1, 2, 3, 4, 5, 6, 7, 8]));
    f.end();
    expect(s.result().pings).toEqual([
      { side: 0, ack: false, opaqueData: '0102030405060708', offset: 24 + 9 + 9, at: ping, ackAt: ack },
      { side: 1, ack: true, opaqueData: '0102030405060708', offset: 18, at: ack },
    ]);
  });

  it('reports stream id regressions and streams over SETTINGS_MAX_CONCURRENT_STREAMS', () => {
    const { s, f } = session();
    f.start([], settings([MAX_CONCURRENT_STREAMS, 1]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 5, block(GET)));
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 7, block(GET)));
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 3, block(GET)));
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 2, block(GET)));
    f.end();
    expect(codes(s.result())).toEqual(['http2.max-concurrent-streams-exceeded', 'http2.stream-id-regression', 'http2.bad-stream-id']);
  });

  it('limits the streams it records', () => {
    const { s, f } = session({ maxStreams: 2 });
    f.start();
    for (const id of [1, 3, 5]) f.push(0, frame(T.HEADERS, F.END_HEADERS, id, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 5, OK_RESPONSE));
    f.end();
    const r = s.result();
    expect(r.transactions.map((t) => t.streamId)).toEqual([1, 3]);
    expect(r.droppedStreams).toBe(1);
    expect(codes(r)).toEqual(['http2.too-many-streams']);
    // Closed streams make room again (their transactions stay recorded, new ones are not).
    const { s: s2, f: f2 } = session({ maxStreams: 2 });
    f2.start();
    for (const id of [1, 3, 5, 7]) {
      f2.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, id, block(GET)));
      f2.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, id, OK_RESPONSE));
    }
    f2.end();
    expect(s2.result().transactions.map((t) => t.complete)).toEqual([true, true]);
    expect(s2.result().droppedStreams).toBe(2);
  });
});

describe('Http2Session SETTINGS', () => {
  it('applies SETTINGS_MAX_FRAME_SIZE to the peer and reports frames above it', () => {
    const { s, f } = session();
    f.start([], settings([MAX_FRAME_SIZE, 32768]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(0, frame(T.PING, 0, 0, new Array<number>(8).fill(0)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, F.END_STREAM, 1, new Array<number>(20000).fill(0)));
    f.push(0, frame(T.DATA, 0, 1, new Array<number>(20000).fill(0)));
    f.end();
    const r = s.result();
    // The server's 20000-octet DATA exceeds the client's default 16384; the client's is within the
    // server's 32768 (but comes after the client ended the stream).
    expect(r.anomalies.map((a) => [a.code, a.offset])).toEqual([
      ['http2.frame-too-large', SERVER_START + 6 + OK_FRAME],
      ['http2.frame-on-closed-stream', CLIENT_START + GET_FRAME + 17],
    ]);
    expect(r.transactions[0]!.response.bodyBytes).toBe(20000);
  });

  it('reports out-of-range values, unexpected ACKs and a bad HTTP2-Settings header', () => {
    const { s, f } = session();
    s.adoptUpgradedRequest({ method: 'GET', target: '/', headers: [{ name: 'http2-settings', value: '!!' }], headerBytes: 40 }, { frame: 0, time: 0 });
    f.push(0, frame(T.SETTINGS, 0, 0, [])); // no preface: wrong
    const { s: s2, f: f2 } = session();
    f2.start(settings([ENABLE_PUSH, 2], [INITIAL_WINDOW_SIZE, 0x80000000], [MAX_FRAME_SIZE, 100]), settings([ENABLE_PUSH, 1]));
    f2.push(1, frame(T.SETTINGS, F.ACK, 0));
    f.end();
    f2.end();
    expect(codes(s.result())).toEqual(['http2.bad-http2-settings', 'http2.bad-preface']);
    expect(s.result().stats[0].stopped).toBe(true);
    expect(codes(s2.result())).toEqual(['http2.bad-setting', 'http2.bad-setting', 'http2.bad-setting', 'http2.bad-setting', 'http2.unexpected-settings-ack']);
  });

  it('reports a side whose first frame is not SETTINGS', () => {
    const { s, f } = session();
    f.push(0, [...new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')], frame(T.HEADERS, F.END_HEADERS, 1, block(GET)));
    f.end();
    expect(codes(s.result())).toEqual(['http2.missing-settings']);
  });

  it('bounds the HPACK table by the peer\'s SETTINGS_HEADER_TABLE_SIZE once acknowledged', () => {
    const { s, f } = session();
    f.start([], settings([HEADER_TABLE_SIZE, 100]));
    // The client resizes its table to 100 (allowed), then to 101 (above the server's limit).
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, [...hpackInt(100, 5, 0x20), ...block(GET)]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, [...hpackInt(101, 5, 0x20), ...block(GET)]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 5, block(GET)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.header-decode-error']);
    expect(r.anomalies[0]!.message).toContain('table-size-above-max');
    // Later blocks of that side cannot be decoded; their streams are still seen.
    expect(r.transactions.map((t) => [t.streamId, t.request.method, t.request.ended, t.request.firstAt !== undefined])).toEqual([
      [1, 'GET', true, true],
      [3, undefined, true, true],
      [5, undefined, true, true],
    ]);
  });
});

describe('Http2Session field blocks', () => {
  it('reports CONTINUATION without HEADERS and a frame inside a field block', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.CONTINUATION, F.END_HEADERS, 1, block(GET)));
    const { s: s2, f: f2 } = session();
    f2.start();
    f2.push(0, frame(T.HEADERS, 0, 1, block(GET)), frame(T.PING, 0, 0, new Array<number>(8).fill(0)), frame(T.CONTINUATION, F.END_HEADERS, 1, []));
    f.end();
    f2.end();
    expect(codes(s.result())).toEqual(['http2.continuation-without-headers', 'http2.hpack-desync']);
    expect(codes(s2.result())).toEqual(['http2.interleaved-header-block', 'http2.hpack-desync', 'http2.continuation-without-headers']);
  });

  it('flags a CONTINUATION flood but still decodes the block', () => {
    const { s, f } = session({ maxContinuationFrames: 3 });
    f.start();
    const fields = block(GET);
    f.push(0, frame(T.HEADERS, F.END_STREAM, 1, fields.slice(0, 4)));
    for (let i = 0; i < 10; i++) f.push(0, frame(T.CONTINUATION, 0, 1, []));
    f.push(0, frame(T.CONTINUATION, F.END_HEADERS, 1, fields.slice(4)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.continuation-flood']);
    expect(r.transactions[0]!.request).toMatchObject({ method: 'GET', path: '/', headerBytes: 12 * 9 + fields.length, ended: true });
  });

  it('drops a field block above the buffering limit and loses HPACK state', () => {
    const { s, f } = session({ maxHeaderBlockBytes: 64 });
    f.start();
    const fields = block([...GET, ['x-big', 'x'.repeat(100)]]);
    f.push(0, frame(T.HEADERS, F.END_STREAM, 1, fields.slice(0, 40)), frame(T.CONTINUATION, F.END_HEADERS, 1, fields.slice(40)));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, block(GET)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.header-block-too-large', 'http2.hpack-desync']);
    expect(r.transactions.map((t) => [t.streamId, t.request.ended, t.request.headers.length])).toEqual([
      [1, true, 0],
      [3, true, 0],
    ]);
  });

  it('follows a skipped HEADERS frame to its END_HEADERS and still opens and ends the stream', () => {
    const { s, f } = session();
    f.start();
    // 16,385 octets: above the default SETTINGS_MAX_FRAME_SIZE, skipped by length.
    const req = f.push(0, frame(T.HEADERS, F.END_STREAM, 1, new Array<number>(16385).fill(0x82)));
    const end = f.push(0, frame(T.CONTINUATION, F.END_HEADERS, 1, [0x82]));
    f.push(1, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, OK_RESPONSE));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.frame-too-large', 'http2.hpack-desync']);
    expect(r.transactions[0]!.request).toMatchObject({ headers: [], firstAt: req, lastAt: end, ended: true, headerBytes: 9 + 16385 + 9 + 1 });
    expect(r.transactions[0]!.response.status).toBe(200);
  });

  it('keeps the fields within the header list limit (HPACK bomb)', () => {
    const { s, f } = session({ maxHeaderListSize: 1000 });
    f.start();
    // One 400-octet dynamic entry, then 1000 references to it (index 62).
    const fields = [...block(GET), ...indexedLiteral('x-bomb', 'b'.repeat(400)), ...new Array<number>(1000).fill(0xbe)];
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, fields));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, [...block(GET), 0xbe]));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.header-list-too-large']);
    expect(r.transactions[0]!.request.headers.length).toBe(5);
    // Not fatal: the next block still decodes against the same table.
    expect(r.transactions[1]!.request.headers[4]).toEqual({ name: 'x-bomb', value: 'b'.repeat(400) });
  });

  it('reports frame-level errors with stable codes', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS, 0, block(GET)));
    f.push(0, frame(T.SETTINGS, 0, 1, []));
    f.push(0, frame(T.DATA, 0, 0, [1]));
    f.push(0, frame(T.PING, 0, 0, [1, 2, 3]));
    f.push(0, frame(T.PRIORITY, 0, 3, [...u32(3), 15]));
    f.end();
    expect(codes(s.result())).toEqual(['http2.bad-stream-id', 'http2.hpack-desync', 'http2.bad-stream-id', 'http2.bad-stream-id', 'http2.frame-size', 'http2.bad-priority']);
  });
});

describe('Http2Session flow control (RFC 9113 §6.9)', () => {
  it('records a stream stall with the WINDOW_UPDATE that ended it and the DATA that resumed', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 100]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE));
    const full = f.push(1, frame(T.DATA, 0, 1, new Array<number>(100).fill(0)));
    const update = f.push(0, frame(T.WINDOW_UPDATE, 0, 1, u32(50)));
    const resumed = f.push(1, frame(T.DATA, F.END_STREAM, 1, new Array<number>(50).fill(0)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual([]);
    expect(r.stalls).toEqual([{ side: 1, streamId: 1, window: 0, startOffset: SERVER_START + OK_FRAME, startAt: full, endAt: update, resumedAt: resumed }]);
    expect(r.windowUpdates).toEqual([{ side: 0, streamId: 1, increment: 50, windowAfter: 50, offset: CLIENT_START + 6 + GET_FRAME, at: update }]);
  });

  it('does not call a window used up by the last DATA a stall', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 100]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, F.END_STREAM, 1, new Array<number>(100).fill(0)));
    f.end();
    expect(s.result().stalls).toEqual([]);
  });

  it('records a connection stall resumed on another stream', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 1_000_000]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)), frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 3, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.HEADERS, F.END_HEADERS, 3, OK_RESPONSE));
    for (const n of [16384, 16384, 16384]) f.push(1, frame(T.DATA, 0, 1, new Array<number>(n).fill(0)));
    const full = f.push(1, frame(T.DATA, F.END_STREAM, 1, new Array<number>(16383).fill(0)));
    const update = f.push(0, frame(T.WINDOW_UPDATE, 0, 0, u32(65535)));
    const resumed = f.push(1, frame(T.DATA, F.END_STREAM, 3, [1]));
    f.end();
    const r = s.result();
    expect(r.stalls).toEqual([{ side: 1, streamId: 0, window: 0, startOffset: expect.any(Number) as number, startAt: full, endAt: update, resumedAt: resumed }]);
    expect(r.windowUpdates[0]!.windowAfter).toBe(65535);
  });

  it('keeps a stall still open at the end of the capture', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 10]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    const full = f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, new Array<number>(10).fill(0)));
    s.end(0, 'capture-end');
    expect(s.result().stalls).toEqual([]);
    s.end(1, 'capture-end');
    expect(s.result().stalls).toEqual([{ side: 1, streamId: 1, window: 0, startOffset: SERVER_START + OK_FRAME, startAt: full }]);
  });

  it('applies a SETTINGS_INITIAL_WINDOW_SIZE change at the ACK, which can end a stall', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 100]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, new Array<number>(100).fill(0)));
    f.push(0, frame(T.SETTINGS, 0, 0, settings([INITIAL_WINDOW_SIZE, 300])));
    const ack = f.push(1, frame(T.SETTINGS, F.ACK, 0));
    const resumed = f.push(1, frame(T.DATA, F.END_STREAM, 1, new Array<number>(200).fill(0)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual([]);
    expect(r.stalls).toMatchObject([{ side: 1, streamId: 1, endAt: ack, resumedAt: resumed }]);
  });

  it('reports DATA beyond the window, window overflow and a zero increment', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 10]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, new Array<number>(11).fill(0)));
    f.push(0, frame(T.WINDOW_UPDATE, 0, 0, u32(0x7fffffff)), frame(T.WINDOW_UPDATE, 0, 1, u32(0)));
    f.end();
    expect(codes(s.result())).toEqual(['http2.flow-control-exceeded', 'http2.window-overflow', 'http2.zero-window-increment']);
  });
});

describe('Http2Session flow control without a reopened window', () => {
  it('reports a sender ignoring its window once per window, and no stall while it does', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 10]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, new Array<number>(10).fill(0)));
    let last = f.push(1, frame(T.DATA, 0, 1, [1]));
    for (let i = 0; i < 4; i++) last = f.push(1, frame(T.DATA, 0, 1, [1]));
    const update = f.push(0, frame(T.WINDOW_UPDATE, 0, 1, u32(100)));
    const resumed = f.push(1, frame(T.DATA, 0, 1, new Array<number>(95).fill(0)), frame(T.DATA, F.END_STREAM, 1, new Array<number>(2).fill(0)));
    f.end();
    const r = s.result();
    // Window 10 → 0 → -5 without waiting (one anomaly, no stall) → the sender then waits for the
    // WINDOW_UPDATE (a stall from its last DATA) → 95 → 0 → 2 more octets: exceeded again.
    expect(codes(r)).toEqual(['http2.flow-control-exceeded', 'http2.flow-control-exceeded']);
    expect(r.stalls).toEqual([{ side: 1, streamId: 1, window: -5, startOffset: expect.any(Number) as number, startAt: last, endAt: update, resumedAt: resumed }]);
  });

  it('stops judging a side whose peer\'s WINDOW_UPDATEs are lost in a gap', () => {
    const { s, f } = session();
    f.start(settings([INITIAL_WINDOW_SIZE, 10]));
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    s.gap(0, f.offsets[0], 13);
    f.push(1, frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE), frame(T.DATA, 0, 1, new Array<number>(10).fill(0)));
    f.push(1, frame(T.DATA, F.END_STREAM, 1, new Array<number>(10).fill(0)));
    f.end();
    const r = s.result();
    expect(codes(r)).toEqual(['http2.gap']);
    expect(r.stalls).toEqual([]);
    expect(r.transactions[0]!.response.bodyBytes).toBe(20);
  });
});

describe('Http2Session gaps and robustness', () => {
  it('counts a gap inside DATA and stops at a gap between frames', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block(GET)));
    const resp = frame(T.HEADERS, F.END_HEADERS, 1, OK_RESPONSE);
    const data = frame(T.DATA, F.END_STREAM, 1, new Array<number>(1000).fill(0));
    f.push(1, resp, data.subarray(0, 100));
    s.gap(1, f.offsets[1], 800);
    f.offsets[1] += 800;
    f.push(1, data.subarray(900));
    s.gap(1, f.offsets[1], 50);
    f.end();
    const r = s.result();
    expect(r.transactions[0]!.response).toMatchObject({ bodyBytes: 1000, ended: true });
    expect(r.transactions[0]!.complete).toBe(true);
    expect(r.stats[1]).toMatchObject({ missingBytes: 800, stopped: true });
    expect(codes(r)).toEqual(['http2.gap']);
  });

  it('reports a field block left open by FIN', () => {
    const { s, f } = session();
    f.start();
    f.push(0, frame(T.HEADERS, 0, 1, block(GET)));
    f.end();
    expect(codes(s.result())).toEqual(['http2.header-block-unterminated']);
  });

  it('documents every code it reports', () => {
    for (const code of Object.keys(HTTP2_ANOMALY_CODES)) expect(code).toMatch(/^http2\.[a-z0-9-]+$/);
  });

  it('never throws on random frames', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const { s, f } = session({ maxStreams: 8 });
      f.start();
      for (let k = 0; k < 30; k++) {
        const payload = new Array<number>(rand() % 40).fill(0).map(() => rand() & 0xff);
        const side = (rand() & 1) as 0 | 1;
        const bytes = frame(rand() % 11, rand() & 0xff, rand() % 4 === 0 ? 0 : rand() % 12, payload);
        expect(() => f.push(side, bytes)).not.toThrow();
      }
      expect(() => f.end()).not.toThrow();
      for (const a of s.result().anomalies) expect(Object.keys(HTTP2_ANOMALY_CODES)).toContain(a.code);
    }
  });
});
