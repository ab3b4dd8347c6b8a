// SPDX-License-Identifier: MIT
//
// Table-driven tests for Http1Parser [gopacket reassembly tests]: each case is a list of chunks fed to
// one parser (a string or bytes is one push, `{gap: n}` a gap) and the hook calls it must produce,
// written as lines:
//   ! <code> @<offset> f<frame> [skipped=<n> gap=<n>]                   onAnomaly
//   head <start line> [<start>,<headerEnd>) f<startAt>/f<headerEndAt> …  onHead (cl=, chunked, conn=, ka=)
//   body [<from>,<to>) f<frame>                                          onBody
//   end <framing> [<start>,<end>) body=<bytes>[/<expected>] wire=<n> f<startAt>/f<endAt> [body:f<first>/f<last>] …
//   tunnel [<from>,<to>) f<frame>        tunnel-gap [<from>,<to>)
// Chunk i (1-based, gaps included) is frame i unless it says otherwise. Every case is then re-run
// with the stream re-split at every position and one byte at a time: the events must be the same
// (bodies coalesced, frames aside), and every ChunkRef must be the frame of the byte it points at.
import { describe, expect, it } from 'vitest';
import type { BodyRule, Http1Anomaly, Http1Head, Http1Hooks, Http1Limits, Http1MessageEnd } from '../../../extension/core/http/http1Parser.js';
import { HTTP1_ANOMALY, Http1Parser } from '../../../extension/core/http/http1Parser.js';
import type { ChunkRef, StreamEnd } from '../../../extension/core/http/streamTypes.js';
import { fromDump } from '../wire/hexdump.js';
import { mulberry32 } from '../../helpers/prng.js';

//#region harness

type ChunkSpec = string | Uint8Array | { data: string | Uint8Array; frame: number; time?: number } | { gap: number };

type Chunk = { kind: 'data'; bytes: Uint8Array; offset: number; at: ChunkRef } | { kind: 'gap'; offset: number; length: number };

interface Case {
  name: string;
  kind: 'request' | 'response';
  chunks: ChunkSpec[];
  /** BodyRule returned for the n-th head ('default' after the list). */
  rules?: BodyRule[];
  /** What isHttp09Response answers. */
  http09?: boolean;
  end?: StreamEnd;
  limits?: Http1Limits;
  want: string[];
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

const timeOf = (frame: number): number => 1_700_000_000 + frame / 1000;

function layout(specs: ChunkSpec[]): Chunk[] {
  const out: Chunk[] = [];
  let offset = 0;
  specs.forEach((spec, i) => {
    if (typeof spec === 'object' && 'gap' in spec) {
      out.push({ kind: 'gap', offset, length: spec.gap });
      offset += spec.gap;
      return;
    }
    const data = typeof spec === 'string' || spec instanceof Uint8Array ? spec : spec.data;
    const frame = typeof spec === 'string' || spec instanceof Uint8Array ? i + 1 : spec.frame;
    const time = typeof spec === 'string' || spec instanceof Uint8Array ? timeOf(frame) : (spec.time ?? timeOf(frame));
    const bytes = typeof data === 'string' ? latin1(data) : data;
    out.push({ kind: 'data', bytes, offset, at: { frame, time } });
    offset += bytes.length;
  });
  return out;
}

type Rec =
  | { t: 'anomaly'; a: Http1Anomaly }
  | { t: 'head'; h: Http1Head }
  | { t: 'body'; offset: number; length: number; at: ChunkRef; bytes: Uint8Array }
  | { t: 'end'; m: Http1MessageEnd }
  | { t: 'tunnel'; offset: number; length: number; at: ChunkRef; bytes: Uint8Array }
  | { t: 'tunnel-gap'; offset: number; length: number };

class Recorder implements Http1Hooks {
  readonly recs: Rec[] = [];
  heads = 0;
  http09Asks = 0;
  constructor(private readonly c: Pick<Case, 'rules' | 'http09'>) {}
  onHead(h: Http1Head): BodyRule {
    this.recs.push({ t: 'head', h });
    return this.c.rules?.[this.heads++] ?? 'default';
  }
  onBody(offset: number, length: number, at: ChunkRef, bytes: Uint8Array): void {
    expect(bytes.length).toBe(length);
    this.recs.push({ t: 'body', offset, length, at, bytes: bytes.slice() });
  }
  onMessageEnd(m: Http1MessageEnd): void {
    this.recs.push({ t: 'end', m });
  }
  onAnomaly(a: Http1Anomaly): void {
    this.recs.push({ t: 'anomaly', a });
  }
  onTunnelData(offset: number, length: number, at: ChunkRef, bytes: Uint8Array): void {
    expect(bytes.length).toBe(length);
    this.recs.push({ t: 'tunnel', offset, length, at, bytes: bytes.slice() });
  }
  onTunnelGap(offset: number, length: number): void {
    this.recs.push({ t: 'tunnel-gap', offset, length });
  }
  isHttp09Response(): boolean {
    this.http09Asks++;
    return this.c.http09 ?? false;
  }
}

/** CaseInput is a case without its expectations. */
type CaseInput = Omit<Case, 'want'>;

function feed(c: CaseInput, chunks: Chunk[]): Recorder {
  const rec = new Recorder(c);
  const p = new Http1Parser(c.kind, rec, c.limits);
  for (const ch of chunks) {
    if (ch.kind === 'gap') p.gap(ch.offset, ch.length);
    else p.push(ch.bytes, ch.offset, ch.at);
  }
  if (c.end !== undefined) p.end(c.end, { frame: 999, time: timeOf(999) });
  return rec;
}

const f = (at: ChunkRef | undefined): string => (at === undefined ? 'f?' : `f${at.frame}`);

function render(recs: Rec[], frames: boolean): string[] {
  const out: string[] = [];
  for (const r of recs) {
    switch (r.t) {
      case 'anomaly': {
        const a = r.a;
        let s = `! ${a.code} @${a.offset}`;
        if (frames && a.at !== undefined) s += ` ${f(a.at)}`;
        if (a.skippedBytes !== undefined) s += ` skipped=${a.skippedBytes} gap=${a.gapBytes}`;
        out.push(s);
        break;
      }
      case 'head': {
        const h = r.h;
        let s = h.kind === 'request' ? `head ${h.method} ${h.target} ${h.version}` : `head ${h.version} ${h.status} ${h.reason}`;
        s += ` [${h.startOffset},${h.headerEndOffset})`;
        if (frames) s += ` ${f(h.startAt)}/${f(h.headerEndAt)}`;
        if (h.contentLength !== undefined) s += ` cl=${h.contentLength}`;
        if (h.chunked) s += ' chunked';
        if (h.connectionTokens.length > 0) s += ` conn=${h.connectionTokens.join(',')}`;
        if (h.keepAlive !== undefined) s += ` ka=${h.keepAlive}`;
        out.push(s);
        break;
      }
      case 'body':
      case 'tunnel':
        out.push(`${r.t} [${r.offset},${r.offset + r.length})${frames ? ` ${f(r.at)}` : ''}`);
        break;
      case 'tunnel-gap':
        out.push(`tunnel-gap [${r.offset},${r.offset + r.length})`);
        break;
      case 'end': {
        const m = r.m;
        let s = `end ${m.framing} [${m.startOffset},${m.endOffset}) body=${m.bodyBytes}`;
        if (m.expectedBodyBytes !== undefined) s += `/${m.expectedBodyBytes}`;
        s += ` wire=${m.bodyWireBytes}`;
        if (frames) {
          s += ` ${f(m.startAt)}/${f(m.endAt)}`;
          if (m.firstBodyAt !== undefined) s += ` body:${f(m.firstBodyAt)}/${f(m.lastBodyAt)}`;
        }
        if (m.gapBytes > 0) s += ` gap=${m.gapBytes}`;
        if (m.trailers.length > 0) s += ` trailers=${m.trailers.map((t) => `${t.name}:${t.value}`).join(',')}`;
        if (m.head === undefined && m.framing !== 'http09') s += ' nohead';
        s += m.complete ? ' complete' : ' INCOMPLETE';
        if (m.truncatedBy !== undefined) s += ` truncated=${m.truncatedBy}`;
        if (m.desync !== undefined) s += ` desync=${m.desync}`;
        out.push(s);
        break;
      }
    }
  }
  return out;
}

/** coalesce merges adjacent body (and tunnel) records, whose count depends on how the stream was split. */
function coalesce(recs: Rec[]): Rec[] {
  const out: Rec[] = [];
  for (const r of recs) {
    const prev = out[out.length - 1];
    if ((r.t === 'body' || r.t === 'tunnel') && prev !== undefined && prev.t === r.t && prev.offset + prev.length === r.offset) {
      out[out.length - 1] = { ...prev, length: prev.length + r.length };
    } else out.push(r);
  }
  return out;
}

/** frameAtOrBefore returns the frame of the last captured byte at or before `offset`. */
function frameAtOrBefore(chunks: Chunk[], offset: number): number | undefined {
  let frame: number | undefined;
  for (const ch of chunks) {
    if (ch.kind !== 'data' || ch.offset > offset) continue;
    frame = ch.at.frame;
  }
  return frame;
}

function streamBytes(chunks: Chunk[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const ch of chunks) if (ch.kind === 'data') ch.bytes.forEach((b, i) => m.set(ch.offset + i, b));
  return m;
}

/** checkRefs checks that every ChunkRef in the events is the frame of the byte it points at, and that body views hold the stream's bytes. */
function checkRefs(recs: Rec[], chunks: Chunk[], label: string): void {
  const ref = (at: ChunkRef | undefined, offset: number, what: string): void => {
    if (at === undefined) return;
    expect(at.frame, `${label}: ${what} @${offset}`).toBe(frameAtOrBefore(chunks, offset));
  };
  const bytes = streamBytes(chunks);
  let firstBody: number | undefined;
  let lastBody: number | undefined;
  for (const r of recs) {
    switch (r.t) {
      case 'anomaly':
        ref(r.a.at, r.a.offset, r.a.code);
        break;
      case 'head':
        ref(r.h.startAt, r.h.startOffset, 'head start');
        ref(r.h.headerEndAt, r.h.headerEndOffset - 1, 'head end');
        break;
      case 'body':
      case 'tunnel':
        ref(r.at, r.offset, r.t);
        r.bytes.forEach((b, i) => expect(b, `${label}: ${r.t} byte @${r.offset + i}`).toBe(bytes.get(r.offset + i)));
        if (r.t === 'body') {
          firstBody ??= r.offset;
          lastBody = r.offset + r.length - 1;
        }
        break;
      case 'end':
        ref(r.m.startAt, r.m.startOffset, 'message start');
        ref(r.m.endAt, r.m.endOffset - 1, 'message end');
        if (firstBody !== undefined) ref(r.m.firstBodyAt, firstBody, 'first body byte');
        if (lastBody !== undefined) ref(r.m.lastBodyAt, lastBody, 'last body byte');
        firstBody = lastBody = undefined;
        break;
      default:
        break;
    }
  }
}

/** resplit cuts the data chunks so that a cut falls at every stream offset in `cuts`; each piece gets its own frame. */
function resplit(chunks: Chunk[], cuts: Set<number>): Chunk[] {
  const out: Chunk[] = [];
  let frame = 1;
  for (const ch of chunks) {
    if (ch.kind === 'gap') {
      out.push(ch);
      continue;
    }
    let start = 0;
    for (let i = 1; i <= ch.bytes.length; i++) {
      if (i === ch.bytes.length || cuts.has(ch.offset + i)) {
        const at = { frame: frame++, time: 0 };
        out.push({ kind: 'data', bytes: ch.bytes.slice(start, i), offset: ch.offset + start, at });
        start = i;
      }
    }
  }
  return out;
}

//#endregion

//#region captured bytes

// zeek/zeek testing/btest/Traces/http/http_09.pcap: two connections to 127.0.0.1:80.
// Port 42960: client frame 4 "GET /zeek.html\n"; server frame 6, then FIN in frame 8.
const ZEEK_09_REQUEST = 'GET /zeek.html\n';
const ZEEK_09_RESPONSE = '<html>\n  The Zeek Network Security Monitor\n</html>\n';
// Port 42964: client frame 14.
const ZEEK_09_POST = 'POST /zeek.html\nbad method\n';

// zeek/zeek testing/btest/Traces/http/http-11-request-then-cruft.pcap, client side: frames 4, 6, 10,
// 15, 17 (bare LF everywhere; "T / HTTP" has no valid version), FIN in frame 19.
const ZEEK_CRUFT = [
  { data: 'GET / HTTP/1.1\n', frame: 4 },
  { data: 'Host: zeek.org\n\n', frame: 6 },
  { data: 'T / HTTP\n\n', frame: 10 },
  { data: 'T / HTTP\n\n', frame: 15 },
  { data: 'T / HTTP\n\nT / HTTP\n\n', frame: 17 },
];

// arkime/arkime tests/pcap/http-wrapped-header.pcap: a 3413-byte GET head in four segments (frames 4,
// 5, 7, 8: 1170, 878, 1170, 195 bytes; the Host field is split "Ho" | "st:" across frames 4 and 5).
// The capture has runs of 'x' where data was scrubbed; x(n) rebuilds them.
const x = (n: number): string => 'x'.repeat(n);
const ARKIME_WRAPPED_REQUEST =
  `GET /x/xx/${x(19)}/x/${x(6)}/${x(15)}?xxx=1&xxx=1&x=${x(38)}&vmf=${x(10)}.xxx.xxx.xxx&ce=UTF-8&ns=${x(10)}` +
  `&pageName=${x(69)}&g=${x(96)}.jsp&r=${x(120)}&events=${x(27)}&products=${x(138)}&v1=${x(15)}&v2=${x(121)}` +
  `&v17=${x(374)}_c${x(133)}&c49=${x(721)}&AQE=1 HTTP/1.1\r\n` +
  `Host: ${x(5)}.${x(8)}.${x(10)}.xxx\r\nConnection: keep-alive\r\nAccept: image/webp,*/*;q=0.8\r\n` +
  'User-Agent: Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36\r\n' +
  `Referer: http://www.${x(10)}.xxx/xx/${x(17)}/${x(22)}/${x(12)}.jsp\r\nAccept-Encoding: gzip,deflate,sdch\r\n` +
  'Accept-Language: en-US,en;q=0.8,en-GB;q=0.6\r\n' +
  `Cookie: ${x(19)}=ie; ${x(22)}=true; lp=${x(6)}; rememberUn=false; xxx.${x(10)}.${x(10)}=xx; ${x(5)}=${x(52)}; ` +
  `autocomplete=1; ${x(4)}=${x(4)}; ${x(4)}=${x(4)}v1|${x(37)}; ${x(6)}=${x(515)}2${x(190)}\r\n\r\n`;
const ARKIME_SEGMENTS = [1170, 878, 1170, 195];
const ARKIME_FRAMES = [4, 5, 7, 8];
const arkimeRequestChunks = (): ChunkSpec[] => {
  let at = 0;
  return ARKIME_SEGMENTS.map((n, i) => {
    const data = ARKIME_WRAPPED_REQUEST.slice(at, at + n);
    at += n;
    return { data, frame: ARKIME_FRAMES[i]! };
  });
};
// The response, frame 10 (Content-Length 43: a 2×2 GIF); the server resets in frame 12.
const ARKIME_RESPONSE = fromDump(`
0000  48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d  HTTP/1.1 200 OK.
0010  0a 44 61 74 65 3a 20 4d 6f 6e 2c 20 33 30 20 4a  .Date: Mon, 30 J
0020  75 6e 20 32 30 31 34 20 31 33 3a 33 35 3a 32 31  un 2014 13:35:21
0030  20 47 4d 54 0d 0a 53 65 72 76 65 72 3a 20 78 78   GMT..Server: xx
0040  78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 0d  xxxxxxxxxxxxxxx.
0050  0a 41 63 63 65 73 73 2d 43 6f 6e 74 72 6f 6c 2d  .Access-Control-
0060  41 6c 6c 6f 77 2d 4f 72 69 67 69 6e 3a 20 2a 0d  Allow-Origin: *.
0070  0a 53 65 74 2d 43 6f 6f 6b 69 65 3a 20 78 78 78  .Set-Cookie: xxx
0080  78 3d 78 78 78 78 78 78 78 78 78 78 78 78 78 78  x=xxxxxxxxxxxxxx
0090  78 78 78 78 78 78 78 78 78 78 78 78 78 78 78 78  xxxxxxxxxxxxxxxx
00a0  78 78 78 78 78 78 78 78 78 78 78 78 78 78 3b 20  xxxxxxxxxxxxxx; 
00b0  45 78 70 69 72 65 73 3d 57 65 64 2c 20 32 39 20  Expires=Wed, 29 
00c0  4a 75 6e 20 32 30 31 36 20 31 33 3a 33 35 3a 32  Jun 2016 13:35:2
00d0  31 20 47 4d 54 3b 20 44 6f 6d 61 69 6e 3d 2e 78  1 GMT; Domain=.x
00e0  78 78 78 78 78 78 78 78 78 2e 78 78 78 3b 20 50  xxxxxxxxx.xxx; P
00f0  61 74 68 3d 2f 0d 0a 58 2d 43 3a 20 6d 73 2d 34  ath=/..X-C: ms-4
0100  2e 39 0d 0a 45 78 70 69 72 65 73 3a 20 53 75 6e  .9..Expires: Sun
0110  2c 20 32 39 20 4a 75 6e 20 32 30 31 34 20 31 33  , 29 Jun 2014 13
0120  3a 33 35 3a 32 31 20 47 4d 54 0d 0a 4c 61 73 74  :35:21 GMT..Last
0130  2d 4d 6f 64 69 66 69 65 64 3a 20 54 75 65 2c 20  -Modified: Tue, 
0140  30 31 20 4a 75 6c 20 32 30 31 34 20 31 33 3a 33  01 Jul 2014 13:3
0150  35 3a 32 31 20 47 4d 54 0d 0a 43 61 63 68 65 2d  5:21 GMT..Cache-
0160  43 6f 6e 74 72 6f 6c 3a 20 6e 6f 2d 63 61 63 68  Control: no-cach
0170  65 2c 20 6e 6f 2d 73 74 6f 72 65 2c 20 6d 61 78  e, no-store, max
0180  2d 61 67 65 3d 30 2c 20 6e 6f 2d 74 72 61 6e 73  -age=0, no-trans
0190  66 6f 72 6d 2c 20 70 72 69 76 61 74 65 0d 0a 50  form, private..P
01a0  72 61 67 6d 61 3a 20 6e 6f 2d 63 61 63 68 65 0d  ragma: no-cache.
01b0  0a 45 54 61 67 3a 20 22 78 78 78 78 78 78 78 78  .ETag: "xxxxxxxx
01c0  78 78 78 78 78 78 78 78 78 78 78 78 78 78 22 0d  xxxxxxxxxxxxxx".
01d0  0a 56 61 72 79 3a 20 2a 0d 0a 50 33 50 3a 20 70  .Vary: *..P3P: p
01e0  6f 6c 69 63 79 72 65 66 3d 22 2f 77 33 63 2f 70  olicyref="/w3c/p
01f0  33 70 2e 78 6d 6c 22 2c 20 43 50 3d 22 4e 4f 49  3p.xml", CP="NOI
0200  20 44 53 50 20 43 4f 52 20 4e 49 44 20 50 53 41   DSP COR NID PSA
0210  20 4f 55 52 20 49 4e 44 20 43 4f 4d 20 4e 41 56   OUR IND COM NAV
0220  20 53 54 41 22 0d 0a 78 73 65 72 76 65 72 3a 20   STA"..xserver: 
0230  78 78 78 78 78 78 0d 0a 43 6f 6e 74 65 6e 74 2d  xxxxxx..Content-
0240  4c 65 6e 67 74 68 3a 20 34 33 0d 0a 4b 65 65 70  Length: 43..Keep
0250  2d 41 6c 69 76 65 3a 20 74 69 6d 65 6f 75 74 3d  -Alive: timeout=
0260  31 35 0d 0a 43 6f 6e 6e 65 63 74 69 6f 6e 3a 20  15..Connection: 
0270  4b 65 65 70 2d 41 6c 69 76 65 0d 0a 43 6f 6e 74  Keep-Alive..Cont
0280  65 6e 74 2d 54 79 70 65 3a 20 69 6d 61 67 65 2f  ent-Type: image/
0290  67 69 66 0d 0a 0d 0a 47 49 46 38 39 61 02 00 02  gif....GIF89a...
02a0  00 80 00 00 ff ff ff 00 00 00 21 f9 04 01 00 00  ..........!.....
02b0  00 00 2c 00 00 00 00 02 00 02 00 00 02 02 84 51  ..,............Q
02c0  00 3b                                            .;
`);

//#endregion

//#region cases

const CASES: Case[] = [
  {
    name: 'GET without body',
    kind: 'request',
    chunks: ['GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n'],
    want: ['head GET /index.html HTTP/1.1 [0,60) f1/f1', 'end none [0,60) body=0 wire=0 f1/f1 complete'],
  },
  {
    name: 'POST with Content-Length split across pushes',
    kind: 'request',
    chunks: ['POST /form HTTP/1.1\r\nHost: a\r\nContent-', 'Length: 11\r\n\r\nhel', 'lo wor', 'ld'],
    want: [
      'head POST /form HTTP/1.1 [0,52) f1/f2 cl=11',
      'body [52,55) f2',
      'body [55,61) f3',
      'body [61,63) f4',
      'end content-length [0,63) body=11/11 wire=11 f1/f4 body:f2/f4 complete',
    ],
  },
  {
    name: 'pipelined requests in one push, leading CRLF skipped (RFC 9112 §2.2)',
    kind: 'request',
    chunks: ['\r\nGET /a HTTP/1.1\r\n\r\nPUT /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nok\r\nGET /c HTTP/1.1\r\n\r\n'],
    want: [
      'head GET /a HTTP/1.1 [2,21) f1/f1',
      'end none [2,21) body=0 wire=0 f1/f1 complete',
      'head PUT /b HTTP/1.1 [21,59) f1/f1 cl=2',
      'body [59,61) f1',
      'end content-length [21,61) body=2/2 wire=2 f1/f1 body:f1/f1 complete',
      'head GET /c HTTP/1.1 [63,82) f1/f1',
      'end none [63,82) body=0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'chunked response with extensions and trailers',
    kind: 'response',
    chunks: [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      '4;name=value;q="a;b\\"c"\r\nWiki\r\n5 \r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n',
      '0\r\nExpires: never\r\nX-Trailer:  1 \r\n\r\n',
    ],
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      'body [72,76) f2',
      'body [82,87) f2',
      'body [92,106) f2',
      'end chunked [0,145) body=23 wire=98 f1/f3 body:f2/f2 trailers=Expires:never,X-Trailer:1 complete',
    ],
  },
  {
    name: 'Transfer-Encoding and Content-Length: chunked wins',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
    end: 'fin',
    want: [
      '! http.content-length-and-chunked @0 f1',
      'head HTTP/1.1 200 OK [0,74) f1/f1 cl=100 chunked',
      'body [77,80) f1',
      'end chunked [0,87) body=3 wire=13 f1/f1 body:f1/f1 complete',
    ],
  },
  {
    name: 'invalid Content-Length in a response: close-delimited, never complete',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\nbody', 'more'],
    end: 'fin',
    want: [
      '! http.invalid-content-length @0 f1',
      'head HTTP/1.1 200 OK [0,42) f1/f1',
      'body [42,46) f1',
      'body [46,50) f2',
      'end close-delimited [0,50) body=8 wire=8 f1/f2 body:f1/f2 INCOMPLETE',
    ],
  },
  {
    name: 'differing Content-Length values in a request: no body, not complete',
    kind: 'request',
    chunks: ['POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n'],
    want: [
      '! http.invalid-content-length @0 f1',
      'head POST / HTTP/1.1 [0,57) f1/f1',
      'end none [0,57) body=0 wire=0 f1/f1 INCOMPLETE',
    ],
  },
  {
    name: 'identical Content-Length values (list and repeated field) are one length (RFC 9110 §8.6)',
    kind: 'request',
    chunks: ['POST / HTTP/1.1\r\nContent-Length: 3, 3\r\ncontent-length: 3\r\n\r\nabc'],
    want: [
      'head POST / HTTP/1.1 [0,60) f1/f1 cl=3',
      'body [60,63) f1',
      'end content-length [0,63) body=3/3 wire=3 f1/f1 body:f1/f1 complete',
    ],
  },
  {
    name: "HEAD, 204 and 304 in a pipeline of responses in one push ('none' from the exchange layer, then status rules)",
    kind: 'response',
    chunks: [
      'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' +
        'HTTP/1.1 204 No Content\r\n\r\n' +
        'HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    ],
    rules: ['none'],
    want: [
      'head HTTP/1.1 200 OK [0,41) f1/f1 cl=1000',
      'end none [0,41) body=0 wire=0 f1/f1 complete',
      'head HTTP/1.1 204 No Content [41,68) f1/f1',
      'end none [41,68) body=0 wire=0 f1/f1 complete',
      'head HTTP/1.1 304 Not Modified [68,117) f1/f1 cl=50',
      'end none [68,117) body=0 wire=0 f1/f1 complete',
      'head HTTP/1.1 200 OK [117,155) f1/f1 cl=2',
      'body [155,157) f1',
      'end content-length [117,157) body=2/2 wire=2 f1/f1 body:f1/f1 complete',
    ],
  },
  {
    name: '1xx interim response, then the final one',
    kind: 'response',
    chunks: ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'],
    want: [
      'head HTTP/1.1 100 Continue [0,25) f1/f1',
      'end none [0,25) body=0 wire=0 f1/f1 complete',
      'head HTTP/1.1 200 OK [25,63) f2/f2 cl=2',
      'body [63,65) f2',
      'end content-length [25,65) body=2/2 wire=2 f2/f2 body:f2/f2 complete',
    ],
  },
  {
    name: '101 Switching Protocols: the rest is tunnel data',
    kind: 'response',
    chunks: ['HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello', { gap: 4 }, 'HTTP/1.1 200 OK\r\n'],
    rules: ['tunnel'],
    end: 'fin',
    want: [
      'head HTTP/1.1 101 Switching Protocols [0,77) f1/f1 conn=upgrade',
      'end tunnel [0,77) body=0 wire=0 f1/f1 complete',
      'tunnel [77,84) f1',
      'tunnel-gap [84,88)',
      'tunnel [88,105) f3',
    ],
  },
  {
    name: 'close-delimited response ending at FIN',
    kind: 'response',
    chunks: ['HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nabc', 'def'],
    end: 'fin',
    want: [
      'head HTTP/1.0 200 OK [0,45) f1/f1',
      'body [45,48) f1',
      'body [48,51) f2',
      'end close-delimited [0,51) body=6 wire=6 f1/f2 body:f1/f2 complete',
    ],
  },
  {
    name: 'close-delimited response cut by RST',
    kind: 'response',
    chunks: ['HTTP/1.0 200 OK\r\n\r\nabc'],
    end: 'rst',
    want: ['head HTTP/1.0 200 OK [0,19) f1/f1', 'body [19,22) f1', 'end close-delimited [0,22) body=3 wire=3 f1/f1 body:f1/f1 INCOMPLETE truncated=rst'],
  },
  {
    name: 'close-delimited response cut by the end of the capture',
    kind: 'response',
    chunks: ['HTTP/1.0 200 OK\r\n\r\nabc'],
    end: 'capture-end',
    want: [
      'head HTTP/1.0 200 OK [0,19) f1/f1',
      'body [19,22) f1',
      'end close-delimited [0,22) body=3 wire=3 f1/f1 body:f1/f1 INCOMPLETE truncated=capture-end',
    ],
  },
  {
    name: 'HTTP/1.0 keep-alive responses with Content-Length',
    kind: 'response',
    chunks: [
      'HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n\r\nabc',
      'HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive\r\n\r\n',
    ],
    end: 'fin',
    want: [
      'head HTTP/1.0 200 OK [0,94) f1/f1 cl=3 conn=keep-alive ka=timeout=5, max=100',
      'body [94,97) f1',
      'end content-length [0,97) body=3/3 wire=3 f1/f1 body:f1/f1 complete',
      'head HTTP/1.0 200 OK [97,159) f2/f2 cl=0 conn=keep-alive',
      'end content-length [97,159) body=0/0 wire=0 f2/f2 complete',
    ],
  },
  {
    name: 'HTTP/0.9 simple request (Zeek http_09, bare LF)',
    kind: 'request',
    chunks: [{ data: ZEEK_09_REQUEST, frame: 4 }],
    end: 'fin',
    want: ['! http.bare-lf @14 f4', 'head GET /zeek.html HTTP/0.9 [0,15) f4/f4', 'end none [0,15) body=0 wire=0 f4/f4 complete'],
  },
  {
    name: 'HTTP/0.9 response: raw body up to the FIN (Zeek http_09)',
    kind: 'response',
    chunks: [{ data: ZEEK_09_RESPONSE, frame: 6 }],
    http09: true,
    end: 'fin',
    want: ['body [0,51) f6', 'end http09 [0,51) body=51 wire=51 f6/f6 body:f6/f6 complete'],
  },
  {
    name: 'HTTP/0.9 response cut by RST',
    kind: 'response',
    chunks: ['<html>'],
    http09: true,
    end: 'rst',
    want: ['body [0,6) f1', 'end http09 [0,6) body=6 wire=6 f1/f1 body:f1/f1 INCOMPLETE truncated=rst'],
  },
  {
    name: 'HTTP/0.9 POST, then a line that is no request (Zeek http_09)',
    kind: 'request',
    chunks: [{ data: ZEEK_09_POST, frame: 14 }],
    end: 'fin',
    want: [
      '! http.bare-lf @15 f14',
      'head POST /zeek.html HTTP/0.9 [0,16) f14/f14',
      'end none [0,16) body=0 wire=0 f14/f14 complete',
      '! http.bad-request-line @16 f14',
      '! http.unparsed-tail @16 skipped=11 gap=0',
    ],
  },
  {
    name: 'bare LF and a request line without version (Zeek http-11-request-then-cruft)',
    kind: 'request',
    chunks: ZEEK_CRUFT,
    end: 'fin',
    want: [
      '! http.bare-lf @14 f4',
      'head GET / HTTP/1.1 [0,31) f4/f6',
      'end none [0,31) body=0 wire=0 f4/f6 complete',
      '! http.bad-request-line @31 f10',
      '! http.unparsed-tail @31 skipped=40 gap=0',
    ],
  },
  {
    name: 'obsolete line folding is unfolded (RFC 9112 §5.2)',
    kind: 'request',
    chunks: ['GET / HTTP/1.1\r\nX-Long: a\r\n   b\r\n\tc\r\nHost: h\r\n\r\n'],
    want: [
      '! http.obs-fold @27 f1',
      '! http.obs-fold @33 f1',
      'head GET / HTTP/1.1 [0,48) f1/f1',
      'end none [0,48) body=0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'field lines without colon or with a space before it are skipped',
    kind: 'request',
    chunks: ['GET / HTTP/1.1\r\nno colon here\r\nContent-Length : 3\r\nHost: h\r\n\r\n'],
    want: [
      '! http.bad-header-line @16 f1',
      '! http.bad-header-line @31 f1',
      'head GET / HTTP/1.1 [0,62) f1/f1',
      'end none [0,62) body=0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'head over maxHeaderBytes: resync at the next request line',
    kind: 'request',
    limits: { maxHeaderBytes: 64 },
    chunks: ['GET / HTTP/1.1\r\nCookie: ' + 'c'.repeat(60) + '\r\n\r\n', 'GET /next HTTP/1.1\r\n\r\n'],
    want: [
      '! http.header-too-large @64 f1',
      'end none [0,64) body=0 wire=0 f1/f1 nohead INCOMPLETE desync=malformed',
      '! http.resync @88 f2 skipped=24 gap=0',
      'head GET /next HTTP/1.1 [88,110) f2/f2',
      'end none [88,110) body=0 wire=0 f2/f2 complete',
    ],
  },
  {
    name: 'more fields than maxHeaders',
    kind: 'response',
    limits: { maxHeaders: 2 },
    chunks: ['HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'],
    want: [
      '! http.header-too-large @29 f1',
      'end none [0,35) body=0 wire=0 f1/f1 nohead INCOMPLETE desync=malformed',
      '! http.resync @37 f1 skipped=2 gap=0',
      'head HTTP/1.1 204 No Content [37,64) f1/f1',
      'end none [37,64) body=0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'chunk size above 2^53: stop, resync at the next status line',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nxyz', 'HTTP/1.1 204 No Content\r\n\r\n'],
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      '! http.chunk-size-overflow @47 f1',
      'end chunked [0,47) body=0 wire=0 f1/f1 INCOMPLETE desync=malformed',
      '! http.resync @68 f2 skipped=21 gap=0',
      'head HTTP/1.1 204 No Content [68,95) f2/f2',
      'end none [68,95) body=0 wire=0 f2/f2 complete',
    ],
  },
  {
    name: 'chunk data not followed by CRLF',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n'],
    end: 'fin',
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      'body [50,53) f1',
      '! http.bad-chunk-end @53 f1',
      'end chunked [0,53) body=3 wire=6 f1/f1 body:f1/f1 INCOMPLETE desync=malformed',
      '! http.unparsed-tail @53 skipped=8 gap=0',
    ],
  },
  {
    name: 'chunked body cut by FIN before the last chunk',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc'],
    end: 'fin',
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      'body [50,53) f1',
      'end chunked [0,53) body=3 wire=6 f1/f1 body:f1/f1 INCOMPLETE truncated=fin',
    ],
  },
  {
    name: 'gap inside a Content-Length body: counted, the next message parses',
    kind: 'request',
    chunks: ['POST /up HTTP/1.1\r\nContent-Length: 10\r\n\r\nab', { gap: 5 }, 'cde', 'GET /n HTTP/1.1\r\n\r\n'],
    want: [
      'head POST /up HTTP/1.1 [0,41) f1/f1 cl=10',
      'body [41,43) f1',
      'body [48,51) f3',
      'end content-length [0,51) body=5/10 wire=10 f1/f3 body:f1/f3 gap=5 INCOMPLETE',
      'head GET /n HTTP/1.1 [51,70) f4/f4',
      'end none [51,70) body=0 wire=0 f4/f4 complete',
    ],
  },
  {
    name: 'gap from a Content-Length body into the next message: resync',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab', { gap: 10 }, 'xx\r\nHTTP/1.1 204 No Content\r\n\r\n'],
    want: [
      'head HTTP/1.1 200 OK [0,38) f1/f1 cl=4',
      'body [38,40) f1',
      'end content-length [0,42) body=2/4 wire=4 f1/f1 body:f1/f1 gap=2 INCOMPLETE',
      '! http.resync @54 f3 skipped=4 gap=8',
      'head HTTP/1.1 204 No Content [54,81) f3/f3',
      'end none [54,81) body=0 wire=0 f3/f3 complete',
    ],
  },
  {
    name: 'gap inside a head: the message ends, resync at the next request line',
    kind: 'request',
    chunks: ['GET /a HTTP/1.1\r\nHo', { gap: 10 }, 'st\r\n\r\nGET /b HTTP/1.1\r\n\r\n'],
    want: [
      'end none [0,19) body=0 wire=0 f1/f1 nohead INCOMPLETE desync=gap',
      '! http.resync @35 f3 skipped=6 gap=10',
      'head GET /b HTTP/1.1 [35,54) f3/f3',
      'end none [35,54) body=0 wire=0 f3/f3 complete',
    ],
  },
  {
    name: 'gap inside chunk data keeps sync; a gap over chunk framing loses it',
    kind: 'response',
    chunks: [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nab',
      { gap: 6 },
      'cd\r\n5\r\nab',
      { gap: 8 },
      'HTTP/1.1 304 Not Modified\r\n\r\n',
    ],
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      'body [50,52) f1',
      'body [58,60) f3',
      'body [65,67) f3',
      'end chunked [0,70) body=6 wire=23 f1/f3 body:f1/f3 gap=9 INCOMPLETE desync=gap',
      '! http.resync @75 f5 skipped=0 gap=5',
      'head HTTP/1.1 304 Not Modified [75,104) f5/f5',
      'end none [75,104) body=0 wire=0 f5/f5 complete',
    ],
  },
  {
    name: 'truncated by RST: expected vs received body bytes',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789', '0123456789'],
    end: 'rst',
    want: [
      'head HTTP/1.1 200 OK [0,40) f1/f1 cl=100',
      'body [40,50) f1',
      'body [50,60) f2',
      'end content-length [0,60) body=20/100 wire=20 f1/f2 body:f1/f2 INCOMPLETE truncated=rst',
    ],
  },
  {
    name: 'head cut by FIN',
    kind: 'response',
    chunks: ['HTTP/1.1 200 OK\r\nContent-Le'],
    end: 'fin',
    want: ['end none [0,27) body=0 wire=0 f1/f1 nohead INCOMPLETE truncated=fin'],
  },
  {
    name: 'TLS bytes where a request should be',
    kind: 'request',
    chunks: [fromDump('0000  16 03 01 00 05 01 00 00 01 03')],
    end: 'fin',
    want: ['! http.not-http @0 f1', '! http.unparsed-tail @0 skipped=10 gap=0'],
  },
  {
    name: 'a byte before the status line: not HTTP, resync one byte later',
    kind: 'response',
    chunks: ['XHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    want: [
      '! http.not-http @0 f1',
      '! http.resync @1 f1 skipped=1 gap=0',
      'head HTTP/1.1 200 OK [1,39) f1/f1 cl=0',
      'end content-length [1,39) body=0/0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'request Transfer-Encoding without chunked: the rest is its body, never complete',
    kind: 'request',
    chunks: ['POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc'],
    end: 'fin',
    want: [
      '! http.bad-transfer-encoding @0 f1',
      'head POST / HTTP/1.1 [0,44) f1/f1',
      'body [44,47) f1',
      'end close-delimited [0,47) body=3 wire=3 f1/f1 body:f1/f1 INCOMPLETE',
    ],
  },
  {
    name: 'chunked trailer section over maxHeaderBytes',
    kind: 'response',
    limits: { maxHeaderBytes: 64 },
    chunks: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ' + 't'.repeat(70) + '\r\n\r\n'],
    end: 'fin',
    want: [
      'head HTTP/1.1 200 OK [0,47) f1/f1 chunked',
      '! http.header-too-large @114 f1',
      'end chunked [0,114) body=0 wire=67 f1/f1 INCOMPLETE desync=malformed',
      '! http.unparsed-tail @114 skipped=15 gap=0',
    ],
  },
  {
    name: 'hunting rejects a request line longer than the head limit',
    kind: 'request',
    limits: { maxHeaderBytes: 64 },
    chunks: ['\x00' + 'A'.repeat(200) + ' / HTTP/1.1\r\n\r\nxGET /ok HTTP/1.1\r\n\r\n'],
    want: [
      '! http.not-http @0 f1',
      '! http.resync @217 f1 skipped=217 gap=0',
      'head GET /ok HTTP/1.1 [217,237) f1/f1',
      'end none [217,237) body=0 wire=0 f1/f1 complete',
    ],
  },
  {
    name: 'a gap at the start of the stream (capture began mid-body): resync',
    kind: 'response',
    chunks: [{ gap: 1000 }, 'tail of a body\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    end: 'fin',
    want: [
      '! http.resync @1016 f2 skipped=16 gap=1000',
      'head HTTP/1.1 200 OK [1016,1054) f2/f2 cl=0',
      'end content-length [1016,1054) body=0/0 wire=0 f2/f2 complete',
    ],
  },
  {
    name: 'an empty direction ends with no events',
    kind: 'response',
    chunks: [],
    end: 'fin',
    want: [],
  },
  {
    name: 'a wrapped head in four segments (Arkime http-wrapped-header)',
    kind: 'request',
    chunks: arkimeRequestChunks(),
    end: 'capture-end',
    want: [
      `head GET ${ARKIME_WRAPPED_REQUEST.slice(4, ARKIME_WRAPPED_REQUEST.indexOf(' HTTP/1.1\r\n'))} HTTP/1.1 [0,3413) f4/f8 conn=keep-alive`,
      'end none [0,3413) body=0 wire=0 f4/f8 complete',
    ],
  },
  {
    name: 'the response to it, then a RST (Arkime http-wrapped-header)',
    kind: 'response',
    chunks: [{ data: ARKIME_RESPONSE, frame: 10 }],
    end: 'rst',
    want: [
      'head HTTP/1.1 200 OK [0,663) f10/f10 cl=43 conn=keep-alive ka=timeout=15',
      'body [663,706) f10',
      'end content-length [0,706) body=43/43 wire=43 f10/f10 body:f10/f10 complete',
    ],
  },
];

//#endregion

describe('Http1Parser', () => {
  it.each(CASES)('$name', (c) => {
    const chunks = layout(c.chunks);
    const rec = feed(c, chunks);
    expect(render(rec.recs, true)).toEqual(c.want);
    checkRefs(rec.recs, chunks, 'as given');
  });

  // Property: the events do not depend on how the stream is cut into pushes.
  it.each(CASES)('$name: same events for any split', (c) => {
    const chunks = layout(c.chunks);
    const want = render(coalesce(feed(c, chunks).recs), false);
    let total = 0;
    for (const ch of chunks) total = Math.max(total, ch.kind === 'data' ? ch.offset + ch.bytes.length : ch.offset + ch.length);
    const splits: [string, Chunk[]][] = [['1-byte pushes', resplit(chunks, new Set(Array.from({ length: total }, (_, i) => i)))]];
    for (let k = 1; k < total; k++) splits.push([`cut at ${k}`, resplit(chunks, new Set([k]))]);
    for (const [label, split] of splits) {
      const rec = feed(c, split);
      expect(render(coalesce(rec.recs), false), label).toEqual(want);
      checkRefs(rec.recs, split, label);
    }
  });
});

describe('Http1Parser heads', () => {
  it('keeps fields in wire order with raw names, duplicates and trimmed values', () => {
    const c: CaseInput = {
      name: 'fields',
      kind: 'response',
      chunks: [
        'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie:b=2 \r\nConnection: Keep-Alive, X-Hop\r\n' +
          'Proxy-Connection: close\r\nKeep-Alive: timeout=5\r\nKeep-Alive: max=9\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n',
      ],
    };
    const rec = feed(c, layout(c.chunks));
    const head = rec.recs.find((r) => r.t === 'head')!;
    if (head.t !== 'head') throw new Error('no head');
    expect(head.h.headers).toEqual([
      { name: 'Set-Cookie', value: 'a=1' },
      { name: 'set-cookie', value: 'b=2' },
      { name: 'Connection', value: 'Keep-Alive, X-Hop' },
      { name: 'Proxy-Connection', value: 'close' },
      { name: 'Keep-Alive', value: 'timeout=5' },
      { name: 'Keep-Alive', value: 'max=9' },
      { name: 'X-Empty', value: '' },
      { name: 'Content-Length', value: '0' },
    ]);
    expect(head.h.connectionTokens).toEqual(['keep-alive', 'x-hop', 'close']);
    expect(head.h.keepAlive).toBe('timeout=5, max=9');
    expect(head.h).toMatchObject({ status: 200, reason: 'OK', version: 'HTTP/1.1', contentLength: 0, chunked: false, headerBytes: 180 });
  });

  it('decodes field values as latin1 (0x80–0xff kept byte for byte)', () => {
    const raw = Uint8Array.from([...latin1('GET / HTTP/1.1\r\nX: '), 0x80, 0x9f, 0xe9, ...latin1('\r\n\r\n')]);
    const c: CaseInput = { name: 'latin1', kind: 'request', chunks: [raw] };
    const rec = feed(c, layout(c.chunks));
    const head = rec.recs.find((r) => r.t === 'head');
    expect(head?.t === 'head' && head.h.headers[0]?.value).toBe('\x80\x9f\xe9');
  });

  it('unfolds obs-fold into the previous value (RFC 9112 §5.2)', () => {
    const c: CaseInput = { name: 'fold', kind: 'request', chunks: ['GET / HTTP/1.1\r\nX-Long: a\r\n   b\r\n\tc\r\nHost: h\r\n\r\n'] };
    const rec = feed(c, layout(c.chunks));
    const head = rec.recs.find((r) => r.t === 'head');
    expect(head?.t === 'head' && head.h.headers).toEqual([
      { name: 'X-Long', value: 'a b c' },
      { name: 'Host', value: 'h' },
    ]);
  });

  it('accepts an h2c prior-knowledge preface line and leaves the verdict to the BodyRule', () => {
    const c: CaseInput = { name: 'h2c', kind: 'request', chunks: ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04'], rules: ['tunnel'] };
    expect(render(feed(c, layout(c.chunks)).recs, false)).toEqual([
      'head PRI * HTTP/2.0 [0,18)',
      'end tunnel [0,18) body=0 wire=0 complete',
      'tunnel [18,28)',
    ]);
  });
});

describe('Http1Parser contract', () => {
  it('asks isHttp09Response once at the start of each response', () => {
    const c: CaseInput = { name: 'asks', kind: 'response', chunks: ['HTTP/1.1 204 No Content\r\n\r\n', '\r\n', 'HTTP/1.1 204 No Content\r\n\r\n'] };
    const rec = feed(c, layout(c.chunks));
    expect(rec.http09Asks).toBe(2);
  });

  it('startTunnel turns the request direction into tunnel data, buffered start-line bytes included', () => {
    const rec = new Recorder({});
    const p = new Http1Parser('request', rec);
    const connect = latin1('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nGET / HT');
    p.push(connect, 0, { frame: 1, time: 1 });
    p.startTunnel();
    p.push(Uint8Array.from([0x16, 0x03, 0x01]), connect.length, { frame: 3, time: 3 });
    p.gap(connect.length + 3, 7);
    p.end('fin');
    expect(render(rec.recs, true)).toEqual([
      'head CONNECT example.com:443 HTTP/1.1 [0,59) f1/f1',
      'end none [0,59) body=0 wire=0 f1/f1 complete',
      'tunnel [59,67) f1',
      'tunnel [67,70) f3',
      'tunnel-gap [70,77)',
    ]);
  });

  it('takes a jump forward as a gap and drops bytes already seen', () => {
    const rec = new Recorder({});
    const p = new Http1Parser('request', rec);
    p.push(latin1('POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nab'), 0, { frame: 1, time: 1 });
    p.push(latin1('abcd'), 38, { frame: 2, time: 2 }); // 'ab' again, then 'cd'
    p.push(latin1('f'), 43, { frame: 3, time: 3 }); // offset 42 missing
    expect(render(rec.recs, true)).toEqual([
      'head POST / HTTP/1.1 [0,38) f1/f1 cl=6',
      'body [38,40) f1',
      'body [40,42) f2',
      'body [43,44) f3',
      'end content-length [0,44) body=5/6 wire=6 f1/f3 body:f1/f3 gap=1 INCOMPLETE',
    ]);
  });

  it('ignores calls after end()', () => {
    const rec = new Recorder({});
    const p = new Http1Parser('request', rec);
    p.end('fin');
    p.push(latin1('GET / HTTP/1.1\r\n\r\n'), 0, { frame: 1, time: 1 });
    p.gap(18, 5);
    p.end('rst');
    expect(rec.recs).toEqual([]);
  });
});

describe('Http1Parser performance', () => {
  it('counts a 1 GiB Content-Length body in 64 KiB pushes by arithmetic, passing views', () => {
    let bodyCalls = 0;
    let viewsOfCaller = true;
    let end: Http1MessageEnd | undefined;
    const buf = new Uint8Array(65536);
    const p = new Http1Parser('response', {
      onHead: () => 'default',
      onBody: (_o, _n, _at, bytes) => {
        bodyCalls++;
        viewsOfCaller &&= bytes.buffer === buf.buffer;
      },
      onMessageEnd: (m) => (end = m),
      onAnomaly: (a) => expect.fail(a.code),
    });
    const head = latin1(`HTTP/1.1 200 OK\r\nContent-Length: ${2 ** 30}\r\n\r\n`);
    p.push(head, 0, { frame: 1, time: 0 });
    const started = performance.now();
    let offset = head.length;
    for (let i = 0; i < 2 ** 14; i++, offset += buf.length) p.push(buf, offset, { frame: i + 2, time: 0 });
    const ms = performance.now() - started;
    expect(end).toMatchObject({ bodyBytes: 2 ** 30, complete: true, endOffset: head.length + 2 ** 30 });
    expect(bodyCalls).toBe(2 ** 14);
    expect(viewsOfCaller).toBe(true);
    // 16384 pushes: a byte loop over 1 GiB would take seconds.
    expect(ms).toBeLessThan(1000);
  });
});

//#region fuzz

const START_LINES = [
  'GET / HTTP/1.1\r\n',
  'POST /p HTTP/1.1\r\n',
  'HEAD /h HTTP/1.0\r\n',
  'GET /zeek.html\n',
  'HTTP/1.1 200 OK\r\n',
  'HTTP/1.0 200 OK\n',
  'HTTP/1.1 204 No Content\r\n',
  'HTTP/1.1 100 Continue\r\n',
  'HTTP/1.1 101 Switching Protocols\r\n',
  'HTTP/1.1 2x0 Bad\r\n',
];
const FIELD_LINES = [
  'Host: a\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: 0\r\n',
  'Content-Length: 5, 5\r\n',
  'Content-Length: 7\r\n',
  'Content-Length: -1\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: gzip\r\n',
  'X-Fold: a\r\n  b\r\n',
  'no colon\r\n',
  'Connection: keep-alive, Upgrade\r\n',
  'Cookie: ' + 'c'.repeat(90) + '\r\n',
  'Bare: lf\n',
];
const BODIES = [
  '',
  'hello',
  'hello world',
  '3;x="q;"\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: 1\r\n\r\n',
  '2\r\nok\r\n0\r\n\r\n',
  '2\nok\n0\n\n',
  'ffffffffffffffffff\r\n',
  '5\r\nabcdeX\r\n',
  '1;=x\r\na\r\n0\r\n\r\n',
  'zz\r\n',
  '0\r\n' + 'T: ' + 't'.repeat(150) + '\r\n\r\n',
];

function randomCase(seed: number): { c: CaseInput; chunks: Chunk[] } {
  const rnd = mulberry32(seed);
  const kind = rnd() < 0.5 ? 'request' : 'response';
  let text = '';
  const n = 1 + Math.floor(rnd() * 6);
  const pick = (list: string[]): string => list[Math.floor(rnd() * list.length)]!;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.1) {
      for (let k = Math.floor(rnd() * 20); k > 0; k--) text += String.fromCharCode(Math.floor(rnd() * 256));
      continue;
    }
    // A message: start line, a few field lines, an empty line (usually), a body.
    text += pick(START_LINES);
    for (let k = Math.floor(rnd() * 4); k > 0; k--) text += pick(FIELD_LINES);
    if (rnd() < 0.9) text += '\r\n';
    text += pick(BODIES);
  }
  // Cut into pushes and a few gaps.
  const specs: ChunkSpec[] = [];
  let at = 0;
  while (at < text.length) {
    const len = 1 + Math.floor(rnd() * 40);
    if (rnd() < 0.08) specs.push({ gap: len });
    else specs.push(text.slice(at, at + len));
    at += len;
  }
  const ends: (StreamEnd | undefined)[] = ['fin', 'rst', 'capture-end', undefined];
  const rules: BodyRule[] = [];
  for (let i = 0; i < 8; i++) rules.push(rnd() < 0.8 ? 'default' : rnd() < 0.7 ? 'none' : 'tunnel');
  const c: CaseInput = {
    name: `seed ${seed}`,
    kind,
    chunks: specs,
    rules,
    http09: rnd() < 0.1,
    end: ends[Math.floor(rnd() * ends.length)],
    limits: rnd() < 0.5 ? { maxHeaderBytes: 64 + Math.floor(rnd() * 100), maxHeaders: 1 + Math.floor(rnd() * 4) } : {},
  };
  return { c, chunks: layout(specs) };
}

/** checkInvariants checks what must hold for any input: message ranges in order, counts consistent. */
function checkInvariants(recs: Rec[], label: string): void {
  const codes = new Set<string>(Object.values(HTTP1_ANOMALY));
  let lastEnd = 0;
  for (const r of recs) {
    if (r.t === 'anomaly') expect(codes.has(r.a.code), `${label}: ${r.a.code} is in HTTP1_ANOMALY`).toBe(true);
    if (r.t !== 'end') continue;
    const m = r.m;
    expect(m.startOffset, `${label}: messages in order`).toBeGreaterThanOrEqual(lastEnd);
    expect(m.endOffset, label).toBeGreaterThanOrEqual(m.head?.headerEndOffset ?? m.startOffset);
    expect(m.bodyBytes + m.gapBytes, label).toBeLessThanOrEqual(m.bodyWireBytes);
    if (m.complete) expect(m.gapBytes, label).toBe(0);
    lastEnd = m.endOffset;
  }
}

describe('Http1Parser fuzz', () => {
  it('never throws, and gives the same events for other splits of the same stream', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { c, chunks } = randomCase(seed);
      const label = `seed ${seed}`;
      const base = feed(c, chunks);
      checkInvariants(base.recs, label);
      checkRefs(base.recs, chunks, label);
      const want = render(coalesce(base.recs), false);
      const rnd = mulberry32(seed * 7919);
      const cuts = new Set<number>();
      const total = chunks.reduce((n, ch) => Math.max(n, ch.kind === 'data' ? ch.offset + ch.bytes.length : ch.offset + ch.length), 0);
      for (let i = 0; i < total; i++) if (rnd() < 0.3) cuts.add(i);
      for (const split of [resplit(chunks, cuts), resplit(chunks, new Set(Array.from({ length: total }, (_, i) => i)))]) {
        const rec = feed(c, split);
        expect(render(coalesce(rec.recs), false), label).toEqual(want);
        checkRefs(rec.recs, split, label);
      }
    }
  });
});

//#endregion
