// SPDX-License-Identifier: MIT
//
// Table-driven tests for HttpConnection's HTTP/1 pairing [gopacket reassembly tests]. Each case is the
// sequence of StreamSink calls the reassemblers make, in delivery order (which is not always wire
// order: `frame` says where the bytes were on the wire), and the transactions it must produce, as
//   <method> <target> f<request first>-<request last> → <status> f<response last> [anomaly codes]
// with `-` for a request or response that was not captured.
import { describe, expect, it } from 'vitest';
import { HttpConnection } from '../../../extension/core/http/httpConnection.js';
import type { HttpTransaction } from '../../../extension/core/http/transaction.js';
import { CLIENT_PREFACE, F, T, block, frame, settings } from '../http2/h2build.js';

type Event = { c: string | Uint8Array; frame: number } | { s: string | Uint8Array; frame: number } | { cGap: number } | { sGap: number };

interface Case {
  name: string;
  events: Event[];
  want: string[];
}

const ok = (body = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`;

function run(events: Event[]): HttpTransaction[] {
  // The client (side 0) sent the SYN.
  const conn = new HttpConnection(0, [40000, 80]);
  const offsets = [0, 0];
  for (const e of events) {
    if ('cGap' in e || 'sGap' in e) {
      const dir = 'cGap' in e ? 0 : 1;
      const length = 'cGap' in e ? e.cGap : e.sGap;
      conn.onGap(dir, offsets[dir]!, length);
      offsets[dir]! += length;
      continue;
    }
    const dir = 'c' in e ? 0 : 1;
    const data = 'c' in e ? e.c : e.s;
    const bytes = typeof data === 'string' ? Uint8Array.from(data, (ch) => ch.charCodeAt(0)) : data;
    conn.onData(dir, bytes, { streamOffset: offsets[dir]!, frame: e.frame, time: e.frame / 1000, fileOffset: 1000 * e.frame });
    offsets[dir]! += bytes.length;
  }
  conn.onEnd(0, 'fin');
  conn.onEnd(1, 'fin');
  return conn.result().transactions;
}

function line(t: HttpTransaction): string {
  const req = t.method ? `${t.method} ${t.target} f${t.request.timing.firstFrame}-${t.request.timing.lastFrame}` : '-';
  const res = t.response ? `${t.status} f${t.response.timing.lastFrame}` : '-';
  const interim = t.interim.length ? ` interim ${t.interim.map((i) => `${i.status} f${i.frame}`).join(',')}` : '';
  // http.resync goes to the latest transaction whatever the side, so it says little here.
  const codes = t.anomalies.filter((c) => c !== 'http.resync');
  return `${req} → ${res}${interim}${codes.length ? ` [${codes.join(' ')}]` : ''}`;
}

const CASES: Case[] = [
  {
    // zeek__1000-requests-one-dropped-response.pcap: the first response's head was not captured; every
    // later response used to be paired with the request before its own.
    name: 'a response that starts in a gap answers the oldest waiting request',
    events: [{ c: get('/1'), frame: 4 }, { sGap: 38 }, { s: 'hello', frame: 7 }, { c: get('/2'), frame: 9 }, { s: ok('ok'), frame: 11 }],
    want: ['GET /1 f4-4 → - [http.response-not-captured]', 'GET /2 f9-9 → 200 f11'],
  },
  {
    // zeek__zero-length-bodies-with-drops.pcap: a request and its response were both lost. The client's
    // ACK declared the server's gap first, the server's next response was delivered before the client's
    // gap was declared, and the client's next request (captured before that response) came last.
    name: 'a response delivered before its request waits for it',
    events: [
      { c: get('/1'), frame: 1 },
      { s: ok(), frame: 2 },
      { sGap: 40 },
      { s: ok('a'), frame: 20 },
      { cGap: 30 },
      { c: get('/3'), frame: 19 },
      { c: get('/4'), frame: 24 },
      { s: ok('b'), frame: 27 },
    ],
    want: ['GET /1 f1-1 → 200 f2', 'GET /3 f19-19 → 200 f20', 'GET /4 f24-24 → 200 f27'],
  },
  {
    name: 'a request that starts in a gap takes the next response',
    events: [{ c: get('/1'), frame: 1 }, { s: ok(), frame: 2 }, { cGap: 30 }, { s: ok('a'), frame: 4 }, { c: get('/3'), frame: 5 }, { s: ok('b'), frame: 6 }],
    want: ['GET /1 f1-1 → 200 f2', '- → 200 f4 [http.response-without-request]', 'GET /3 f5-5 → 200 f6'],
  },
  {
    name: 'a request cut inside its head by a gap takes the next response',
    events: [{ c: 'GET /1 HTTP/1.1\r\nHo', frame: 1 }, { cGap: 10 }, { c: get('/2'), frame: 3 }, { s: ok(), frame: 4 }, { s: ok('b'), frame: 5 }],
    want: ['- → 200 f4 [http.response-without-request]', 'GET /2 f3-3 → 200 f5'],
  },
  {
    name: 'a response sent before a later request does not answer it (capture started mid-stream)',
    events: [{ s: ok('x'), frame: 1 }, { c: get('/a'), frame: 3 }, { s: ok('y'), frame: 4 }],
    want: ['- → 200 f1 [http.response-without-request]', 'GET /a f3-3 → 200 f4'],
  },
  {
    name: 'a response sent before the request head ended answers it',
    events: [
      { c: 'GET /a HTTP/1.1\r\n', frame: 1 },
      { s: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', frame: 2 },
      { c: 'Host: h\r\n\r\n', frame: 3 },
    ],
    want: ['GET /a f1-3 → 400 f2'],
  },
  {
    // RFC 7540 §3.2: the upgraded request is stream 1; the 101 is its interim response, its HTTP/2
    // response the final one. The request's last frame is its own, not its first.
    name: 'h2c upgrade: the 101 is an interim response of stream 1',
    events: [
      { c: 'GET /up HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n', frame: 1 },
      { c: 'Content-Length: 0\r\n\r\n', frame: 2 },
      { s: 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n', frame: 3 },
      { c: CLIENT_PREFACE, frame: 4 },
      { c: frame(T.SETTINGS, 0, 0, settings()), frame: 4 },
      { s: frame(T.SETTINGS, 0, 0, settings()), frame: 5 },
      { s: frame(T.HEADERS, F.END_HEADERS | F.END_STREAM, 1, block([[':status', '200']])), frame: 6 },
    ],
    want: ['GET /up f1-2 → 200 f6 interim 101 f3'],
  },
];

describe('HttpConnection pairing', () => {
  it.each(CASES)('$name', ({ events, want }) => {
    expect(run(events).map(line)).toEqual(want);
  });
});
