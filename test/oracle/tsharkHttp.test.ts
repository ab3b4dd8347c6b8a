// SPDX-License-Identifier: MIT
// Oracle: our HTTP messages are Wireshark's, on every capture of the public corpus and of fixtures/:
// - HTTP/1.x: the same requests (method, URI) and responses (status) on the same tcp.stream and frame,
//   and the same pairing (http.response_in / http.request_in);
// - HTTP/2 (h2c): the same HEADERS and PUSH_PROMISE (stream id, method, path, status) in the same frame;
// - TLS: the same ClientHello SNI and offered ALPN.
// Where tshark is wrong, or the two tools define a thing differently, a KNOWN entry names the lines and
// says why; each entry is a test of its own, which fails once the difference is gone.
//
// Which frame a message is in. With TCP reassembly on (tshark's default) tshark shows an HTTP/1 message
// in the frame where its reassembled PDU completes: the frame of its last byte, or the FIN for a body
// that ends at the close. That is our `timing.lastFrame`, except for the FIN (KNOWN). A message with
// bytes missing (cut by RST, FIN or capture end, or with uncaptured bytes) never completes, so tshark
// does not show it at all (KNOWN, checked to be incomplete on our side). An HTTP/2 frame is shown in
// the segment where it completes; we time a message from the first byte of its first HEADERS
// (`request.timing.firstFrame`, `response.timing.headerEndFrame`): the same frame unless a HEADERS
// frame spans segments (KNOWN). Trailers end the stream, so they are in `timing.lastFrame`.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import type { Connection } from '../../extension/core/flows/connection.js';
import type { HttpTransaction } from '../../extension/core/http/transaction.js';
import { corpusFiles, fixtureFiles, hasWiresharkTools } from '../helpers/corpus.js';

const run = promisify(execFile);

//#region tshark

type Json = string | Json[] | { [key: string]: Json };

/** values collects every value of `key` anywhere under `node`, in document order. */
function values(node: Json | undefined, key: string, out: string[] = []): string[] {
  if (node === undefined || typeof node === 'string') return out;
  if (Array.isArray(node)) {
    for (const n of node) values(n, key, out);
    return out;
  }
  for (const [k, v] of Object.entries(node)) {
    if (k === key) for (const s of [v].flat()) if (typeof s === 'string') out.push(s);
    values(v, key, out);
  }
  return out;
}

/** tshark's http.tcp.port range (4.0): HTTP elsewhere needs a decode-as. */
const TSHARK_HTTP_PORTS = new Set([80, 1900, 2710, 2869, 3128, 3132, 5985, 8080, 8088, 11371]);

/**
 * theirs runs tshark once (two passes, so http.response_in is known on requests) and lists the HTTP
 * messages, HTTP/2 HEADERS and PUSH_PROMISE frames and ClientHellos it decoded, as comparable lines.
 * Where we found HTTP/1 off tshark's HTTP ports, h2c with prior knowledge, or TLS off 443, the port is
 * decoded as such (`-d`), so tshark looks where we do.
 */
async function theirs(file: string, connections: Connection[]): Promise<string[]> {
  const decodeAs = new Set<string>();
  for (const c of connections) {
    const p = c.server.port;
    if ((c.protocol === 'http/1.0' || c.protocol === 'http/1.1') && !TSHARK_HTTP_PORTS.has(p)) decodeAs.add(`tcp.port==${p},http`);
    // After an h2c upgrade tshark's HTTP dissector hands over to HTTP/2 by itself.
    if (c.protocol === 'h2c' && !c.transactions.some(upgraded)) decodeAs.add(`tcp.port==${p},http2`);
    if (c.protocol === 'tls' && p !== 443) decodeAs.add(`tcp.port==${p},tls`);
  }
  const filter = 'http || http2.type == 1 || http2.type == 5 || tls.handshake.type == 1';
  const args = ['-n', '-2', '-r', file, ...[...decodeAs].flatMap((d) => ['-d', d]), '-Y', filter, '-T', 'json', '--no-duplicate-keys', '-J', 'frame tcp http http2 tls'];
  // tshark exits non-zero on a damaged file after printing the packets before the damage: keep those.
  const stdout = await run('tshark', args, { maxBuffer: 1 << 30 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const lines: string[] = [];
  if (!stdout.trim()) return lines;
  for (const p of JSON.parse(stdout) as { _source: { layers: Record<string, Json> } }[]) {
    const l = p._source.layers;
    const at = `@${values(l.frame, 'frame.number')[0]}`;
    // The outer TCP header; ICMP errors quote inner ones.
    const s = `s${values([l.tcp ?? []].flat()[0], 'tcp.stream')[0]}`;
    for (const h of [l.http ?? []].flat()) {
      const one = (k: string) => values(h, k)[0];
      if (one('http.request') !== undefined) lines.push(`${s} > ${one('http.request.method')} ${one('http.request.uri')} ${at} -> ${one('http.response_in') ?? '-'}`);
      if (one('http.response') !== undefined) lines.push(`${s} < ${one('http.response.code')} ${at} <- ${one('http.request_in') ?? '-'}`);
    }
    for (const h of [l.http2 ?? []].flat()) {
      for (const f of [(h as Record<string, Json>)['http2.stream'] ?? []].flat()) {
        const one = (k: string) => values(f, k)[0] ?? '';
        const type = one('http2.type');
        if (type === '1') lines.push(`${s} h2 #${one('http2.streamid')} ${one('http2.headers.method')} ${one('http2.headers.path')} ${one('http2.headers.status')} ${at}`);
        if (type === '5') lines.push(`${s} h2 #${one('http2.push_promise.promised_stream_id')} ${one('http2.headers.method')} ${one('http2.headers.path')}  ${at}`);
      }
    }
    for (const t of [l.tls ?? []].flat()) {
      if (!values(t, 'tls.handshake.type').includes('1')) continue;
      lines.push(`${s} tls sni=${values(t, 'tls.handshake.extensions_server_name')[0] ?? '-'} alpn=${values(t, 'tls.handshake.extensions_alpn_str').join(',')} ${at}`);
    }
  }
  return lines;
}

//#endregion

//#region ours

/** upgraded tells whether an HTTP/2 transaction is stream 1 of an h2c upgrade, whose request was HTTP/1.1. */
function upgraded(t: HttpTransaction): boolean {
  return t.upgrade === 'h2c' && t.streamId === 1;
}

/** mine lists our messages in the form of theirs. */
function mine(connections: Connection[]): string[] {
  const lines: string[] = [];
  for (const c of connections) {
    const s = `s${c.stream}`;
    for (const t of c.transactions) {
      const req = t.request.timing;
      if (t.streamId !== undefined && !upgraded(t)) {
        const id = `${s} h2 #${t.streamId}`;
        if (req.firstFrame > 0) lines.push(`${id} ${t.method} ${t.target}  @${req.firstFrame}`);
        if (t.request.trailers) lines.push(`${id}    @${req.lastFrame}`);
        for (const i of t.interim) lines.push(`${id}   ${i.status} @${i.frame}`);
        if (t.response) lines.push(`${id}   ${t.status} @${t.response.timing.headerEndFrame}`);
        if (t.response?.trailers) lines.push(`${id}    @${t.response.timing.lastFrame}`);
        continue;
      }
      // tshark pairs a request with its final response, and an h2c upgrade request with the 101.
      const reqFrame = t.method ? req.lastFrame : undefined;
      if (upgraded(t)) {
        const switched = t.interim.find((i) => i.status === 101);
        lines.push(`${s} > ${t.method} ${t.target} @${reqFrame} -> ${switched?.frame ?? '-'}`);
        if (switched) lines.push(`${s} < 101 @${switched.frame} <- ${reqFrame}`);
        if (t.response) lines.push(`${s} h2 #1   ${t.status} @${t.response.timing.headerEndFrame}`);
        if (t.response?.trailers) lines.push(`${s} h2 #1    @${t.response.timing.lastFrame}`);
        continue;
      }
      const resFrame = t.response?.timing.lastFrame;
      if (t.method) lines.push(`${s} > ${t.method} ${t.target} @${reqFrame} -> ${resFrame ?? '-'}`);
      for (const i of t.interim) lines.push(`${s} < ${i.status} @${i.frame} <- ${reqFrame ?? '-'}`);
      // An HTTP/0.9 response has no status line: it is a bare body.
      if (t.response && t.response.framing !== 'http09') lines.push(`${s} < ${t.status} @${resFrame} <- ${reqFrame ?? '-'}`);
    }
    if (c.tls?.clientHelloAt) lines.push(`${s} tls sni=${c.tls.sni ?? '-'} alpn=${c.tls.alpnOffered.join(',')} @${c.tls.clientHelloAt.frame}`);
  }
  return lines;
}

//#endregion

//#region known differences

interface Known {
  file: string;
  /** Lines only tshark prints, and lines only we print. */
  tshark?: string[];
  ours?: string[];
  why: string;
  /** [stream, frame]: our response there is incomplete (tshark shows only complete messages). */
  incomplete?: [number, number];
}

const NOT_REASSEMBLED = 'tshark shows a message only once all its bytes are reassembled';
const PIPELINE = 'tshark 4.0 gives every request of a pipelined segment the first response (http.response_in) and the later responses no http.request_in';
const CONTINUE = 'the 100 Continue comes before the request body ends: tshark links a response only to a request that ended before it';
const HTTP09 = 'an HTTP/0.9 request (no version, RFC 1945 §4.1): tshark 4.0 does not dissect it';

const KNOWN: Known[] = [
  {
    file: 'arkime__http-tcp-seq-issue.pcap',
    ours: ['s0 > POST /xxxxxxxxx/xxxxxx/xxxxxxxxxxx/xxxxxxxxxx/xxx/xxxxxxxxx.xxx?Command=FileUpload&Type=File&CurrentFolder=%2F @3 -> 7'],
    why: 'bytes 486-785 of the request came first (frame 3), bytes 1-785 later (frame 5): tshark does not reassemble out-of-order segments by default (tcp.reassemble_out_of_order)',
  },
  {
    file: 'arkime__http-tcp-seq-issue.pcap',
    ours: ['s0 < 200 @7 <- 3'],
    why: `only the first 1444-byte segment of the response was captured: ${NOT_REASSEMBLED}`,
    incomplete: [0, 7],
  },
  {
    file: 'arkime__http2-nghttp2.pcap',
    tshark: ['s0 h2 #13 GET /  @22'],
    ours: ['s0 h2 #13 GET /  @4'],
    why: "stream 13's HEADERS frame spans the segments of frames 4-22: we time the request from its first byte, tshark shows the frame where it completes",
  },
  {
    file: 'arkime__twovlan.pcap',
    tshark: ['s0 > GET / @4 -> -'],
    ours: ['s0 > GET / @4 -> 6', 's0 < 200 @6 <- 4'],
    why: `the capture ends 3,347 bytes into a 104,548-byte body: ${NOT_REASSEMBLED}`,
    incomplete: [0, 6],
  },
  {
    file: 'arkime__wireshark-retrans.pcap',
    tshark: ['s0 < 200 @42 <- -', 's0 < 200 @86 <- -'],
    why: 'frames 42 and 86 are fast retransmissions of frames 41 and 85 (same Seq, same 144 bytes): tshark dissects each copy again as another response',
  },
  {
    file: 'capture-loss.pcap',
    tshark: ['s0 > GET /download/data.bin @4 -> -'],
    ours: ['s0 > GET /download/data.bin @4 -> 93', 's0 < 200 @93 <- 4'],
    why: `4,344 bytes of the body were never captured: ${NOT_REASSEMBLED}`,
    incomplete: [0, 93],
  },
  {
    file: 'chrissanders__http_espn.pcapng',
    tshark: ['s3 > GET /photo/2010/0405/trv_detroit_134.jpg @578 -> -'],
    ours: ['s3 > GET /photo/2010/0405/trv_detroit_134.jpg @578 -> 612', 's3 < 200 @612 <- 578'],
    why: `3,038 bytes of the 5,328-byte body were never captured: ${NOT_REASSEMBLED}`,
    incomplete: [3, 612],
  },
  {
    file: 'close-delimited.pcap',
    tshark: ['s0 > GET /notes.txt @4 -> 14', 's0 < 200 @14 <- 4'],
    ours: ['s0 > GET /notes.txt @4 -> 12', 's0 < 200 @12 <- 4'],
    why: "the body has no length and ends at the server's FIN (RFC 9112 §6.3 rule 8): tshark shows the response in the FIN's frame 14, we in the frame of its last byte, 12",
  },
  {
    file: 'dpkt__nb6-http.pcap',
    tshark: ['s2 > GET / @56 -> 58', 's2 < 200 @58 <- 56'],
    why: 'TCP over IPv6 inside L2TP/UDP inside PPPoE: tunnels are not decoded (tsharkStreams NOT_DECODED)',
  },
  { file: 'expect-100-continue.pcap', tshark: ['s0 < 100 @6 <- -'], ours: ['s0 < 100 @6 <- 11'], why: CONTINUE },
  {
    file: 'gopacket__test301.pcapng',
    tshark: ['s0 > GET /s?wd=ccc @16 -> -'],
    why: 'tshark decrypts the TLS with the keys of the pcapng Decryption Secrets Block; we do not decrypt',
  },
  {
    file: 'pipeline-get-head-get.pcap',
    ours: ['s0 < 200 @8 <- 4', 's0 < 200 @8 <- 4'],
    why: 'the HEAD response announces Content-Length: 18000 and has no body (RFC 9112 §6.3 rule 1): tshark waits for that body, so it shows neither that response nor the next',
  },
  {
    file: 'graceful-close-control.pcap',
    tshark: ['s0 > GET /next.txt @4 -> 28'],
    ours: ['s0 > GET /next.txt @4 -> -'],
    why: `${PIPELINE}; the server answered only the first request (Connection: close) and closed`,
  },
  {
    file: 'pipeline-get-post-get.pcap',
    tshark: ['s0 > GET /img/logo.svg @4 -> 6', 's0 < 200 @6 <- -', 's0 < 200 @6 <- -', 's0 < 200 @8 <- -'],
    ours: ['s0 > GET /img/logo.svg @4 -> 8', 's0 < 200 @6 <- 4', 's0 < 200 @6 <- 4', 's0 < 200 @8 <- 4'],
    why: PIPELINE,
  },
  {
    file: 'pipelining-hol.pcap',
    tshark: ['s0 > GET /a @4 -> 6', 's0 > GET /b @4 -> 6', 's0 > GET /c @4 -> 6', 's0 < 200 @8 <- -', 's0 < 200 @10 <- -', 's0 < 200 @12 <- -'],
    ours: ['s0 > GET /a @4 -> 8', 's0 > GET /b @4 -> 10', 's0 > GET /c @4 -> 12', 's0 < 200 @8 <- 4', 's0 < 200 @10 <- 4', 's0 < 200 @12 <- 4'],
    why: PIPELINE,
  },
  {
    file: 'reset-unread.pcap',
    tshark: ['s0 > GET /report.txt @4 -> -'],
    ours: ['s0 > GET /report.txt @4 -> 9', 's0 < 200 @9 <- 4'],
    why: `the server's RST (frame 10) cut the body after 4,233 of 20,000 bytes: ${NOT_REASSEMBLED}`,
    incomplete: [0, 9],
  },
  {
    file: 'rst-by-client.pcap',
    tshark: ['s0 > GET /download/big.bin @4 -> -'],
    ours: ['s0 > GET /download/big.bin @4 -> 36', 's0 < 200 @36 <- 4'],
    why: `the client's RST (frame 38) cut the body after 20,000 of 80,000 bytes: ${NOT_REASSEMBLED}`,
    incomplete: [0, 36],
  },
  {
    file: 'rst-by-server.pcap',
    tshark: ['s0 > GET /download/report.bin @4 -> -'],
    ours: ['s0 > GET /download/report.bin @4 -> 24', 's0 < 200 @24 <- 4'],
    why: `the server's RST (frame 26) cut the body after 16,000 of 65,536 bytes: ${NOT_REASSEMBLED}`,
    incomplete: [0, 24],
  },
  {
    file: 'suricata__firewall-88-default-accept-tx-pipeline__input.pcap',
    tshark: ['s0 > GET /foo/ @4 -> 6', 's0 < 200 @8 <- -'],
    ours: ['s0 > GET /foo/ @4 -> 8', 's0 < 200 @8 <- 4'],
    why: PIPELINE,
  },
  {
    file: 'suricata__http2-errorcode__input.pcap',
    tshark: ['s0 h2 #1 POST /helloworld.GreeterService/SayHello  @21', 's0 h2 #1   200 @35', 's0 h2 #1    @39'],
    why: 'the CONNECT tunnel of stream 0 carries h2c (gRPC): tshark follows it, we look only for TLS inside a tunnel',
  },
  {
    file: 'tcpdump__arcnet-rfc1051-arp-icmp-http.pcap',
    tshark: ['s0 > GET / @14 -> 18', 's0 < 301 @18 <- 14'],
    why: 'link type 129 (ARCNET_LINUX) is not decoded (tsharkStreams NOT_DECODED)',
  },
  {
    file: 'truncated-body.pcap',
    tshark: ['s0 > GET /download/report.bin @4 -> -'],
    ours: ['s0 > GET /download/report.bin @4 -> 10', 's0 < 200 @10 <- 4'],
    why: `the server closed (FIN, frame 12) after 2,500 of 6,000 body bytes: ${NOT_REASSEMBLED}`,
    incomplete: [0, 10],
  },
  { file: 'zeek__100-continue.pcap', tshark: ['s0 < 100 @6 <- -'], ours: ['s0 < 100 @6 <- 10'], why: CONTINUE },
  {
    file: 'zeek__bro.org.pcap',
    tshark: ['s2 > GET /js/jquery.cycle.all.min.js @58 -> -'],
    ours: ['s2 > GET /js/jquery.cycle.all.min.js @58 -> 207', 's2 < 200 @207 <- 58'],
    why: `7,240 bytes of the 31,052-byte body were never captured: ${NOT_REASSEMBLED}`,
    incomplete: [2, 207],
  },
  {
    file: 'zeek__communityid-tcp.pcap',
    tshark: ['s0 > GET /images/sf.net_box.gif @4 -> 6', 's0 < 200 @6 <- 4'],
    why: 'snaplen 96 cuts every segment after about 30 payload bytes: tshark parses each fragment as a message, we see heads cut by uncaptured bytes and report none',
  },
  {
    file: 'zeek__content-range-gap.pcap',
    tshark: ['s0 > GET /images/misc/static/2012/11/ifdata-welcome-0.png @4 -> -'],
    ours: ['s0 > GET /images/misc/static/2012/11/ifdata-welcome-0.png @4 -> 21', 's0 < 206 @21 <- 4'],
    why: `1,380 bytes of the 10,353-byte body were never captured: ${NOT_REASSEMBLED}`,
    incomplete: [0, 21],
  },
  {
    file: 'zeek__http-body-match.pcap',
    tshark: ['s0 < 100 @48 <- -', 's4 < 100 @62 <- -', 's5 < 100 @60 <- -'],
    ours: ['s0 < 100 @48 <- 90', 's4 < 100 @62 <- 113', 's5 < 100 @60 <- 111'],
    why: CONTINUE,
  },
  {
    file: 'zeek__http-desync-request-response-5.pcap',
    tshark: ['s1 < 200 @16 <- -'],
    ours: ['s1 < 200 @16 <- 6'],
    why: 'three responses arrive in frame 16 for one request: tshark sets http.response_in on the request but http.request_in on none of them',
  },
  { file: 'zeek__http_09.pcap', ours: ['s0 > GET /zeek.html @4 -> 6', 's1 > POST /zeek.html @14 -> 16'], why: HTTP09 },
  { file: 'zeek__ipv6-http-atomic-frag.pcap', ours: ['s1 > GET /bad.html @16 -> 18', 's2 > GET /bad.html @26 -> 28', 's3 > GET /bad.html @36 -> 38'], why: HTTP09 },
  {
    file: 'zeek__methods.pcap',
    tshark: ['s1 > OPTIONS HTTP/1.1 @14 -> 16'],
    ours: ['s1 > OPTIONS  @14 -> 16'],
    why: '"OPTIONS HTTP/1.1" has no request target: tshark takes the version for the URI, we keep an empty target (http.empty-target)',
  },
  {
    file: 'zeek__methods.pcap',
    tshark: [
      's3 > OPTIONS  @34 -> 36',
      's3 < 400 @36 <- 34',
      's16 > CCM_POST /HTTP/1.1 @329 -> 331',
      's16 < 400 @331 <- 329',
      's21 > CONNECT /HTTP/1.1 @379 -> 381',
      's21 < 400 @381 <- 379',
      's26 > TRACE /HTTP/1.1 @429 -> 431',
      's26 < 400 @431 <- 429',
      's31 > DELETE /HTTP/1.1 @479 -> 481',
      's31 < 400 @481 <- 479',
      's36 > PUT /HTTP/1.1 @529 -> 531',
      's36 < 411 @531 <- 529',
    ],
    ours: ['s3 < 400 @36 <- -', 's16 < 400 @331 <- -', 's21 < 400 @381 <- -', 's26 < 400 @431 <- -', 's31 < 400 @481 <- -', 's36 < 411 @531 <- -'],
    why: 'a line without version whose method is not GET, HEAD or POST is no request (RFC 9112 §3; HTTP/0.9 had only those): we report the server\'s 400/411 alone, tshark pairs it with the line',
  },
  {
    file: 'zeek__methods.pcap',
    tshark: ['s6 < 403 @174 <- 172', 's41 < 411 @581 <- 579', 's46 < 400 @631 <- 629'],
    why: '"GET /HTTP/1.1" (also POST, HEAD) has no version, so it is HTTP/0.9 and, as Zeek does, we take what the server sent as a bare 0.9 body; tshark parses its status line',
  },
];

//#endregion

const corpus = corpusFiles();
const files = [...corpus, ...fixtureFiles()];
const tools = files.length > 0 && hasWiresharkTools();

interface Result {
  connections: Connection[];
  got: string[];
  want: string[];
}

const results = new Map<string, Promise<Result>>();

/** compare analyses one capture both ways, once (the file's test and its KNOWN tests share it). */
function compare(file: string): Promise<Result> {
  let r = results.get(file);
  if (!r) {
    const source = FileSource.open(file);
    let connections: Connection[] = [];
    try {
      connections = analyzeCapture(source, { fileName: basename(file) }).connections;
    } catch {
      // A file we refuse (tshark refuses it too: the lists stay empty on both sides).
    } finally {
      source.close();
    }
    r = theirs(file, connections).then((want) => ({ connections, got: mine(connections), want }));
    results.set(file, r);
  }
  return r;
}

/** without removes one occurrence of each of `drop` from `lines`. */
function without(lines: string[], drop: string[]): string[] {
  const rest = [...lines];
  for (const d of drop) {
    const i = rest.indexOf(d);
    if (i >= 0) rest.splice(i, 1);
  }
  return rest;
}

/** count says how often each line occurs. */
function count(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

const order = (a: string, b: string): number => {
  const key = (l: string) => [Number(/^s(\d+)/.exec(l)?.[1]), Number(/@(\d+)/.exec(l)?.[1])];
  const [x, y] = [key(a), key(b)];
  return x[0]! - y[0]! || x[1]! - y[1]! || a.localeCompare(b);
};

const byName = new Map(files.map((f) => [basename(f), f]));

/**
 * Captures recorded with a tiny snaplen (80 bytes: fixtures/README.md, time-wait-churn): every
 * request and response head is cut after a few bytes. tshark prints the partial start lines; we
 * report no message, since the rest of each head was never captured (a gap), and check that here.
 */
const SNAPPED: Record<string, string> = {
  'time-wait-churn.pcap': 'snaplen 80: heads cut after 14 bytes',
  'time-wait-churn-control.pcap': 'snaplen 80: heads cut after 14 bytes',
};

describe.skipIf(!tools)(`tshark HTTP oracle over ${files.length} captures`, () => {
  it.concurrent.each(files.map((f) => [basename(f), f]))('%s', async (name, file) => {
    const { got, want, connections } = await compare(file);
    if (SNAPPED[name]) {
      expect(got).toEqual([]);
      expect(want.length).toBeGreaterThan(0);
      expect(connections.every((c) => c.clientToServer.gapBytes > 0)).toBe(true);
      return;
    }
    const known = KNOWN.filter((k) => k.file === name);
    expect(without(got, known.flatMap((k) => k.ours ?? [])).sort(order)).toEqual(without(want, known.flatMap((k) => k.tshark ?? [])).sort(order));
  });

  it.skipIf(corpus.length === 0)('KNOWN names only captures that exist', () => {
    expect(KNOWN.map((k) => k.file).filter((f) => !byName.has(f))).toEqual([]);
  });

  // A KNOWN entry holds while tshark prints its lines (and we do not), and we print ours (and tshark does not).
  it.concurrent.each(KNOWN.filter((k) => byName.has(k.file)).map((k) => [`${k.file}: ${k.why}`, k] as const))('known: %s', async (_name, k) => {
    const { connections, got, want } = await compare(byName.get(k.file)!);
    const [g, w] = [count(got), count(want)];
    const excess = (a: Map<string, number>, b: Map<string, number>, line: string) => (a.get(line) ?? 0) - (b.get(line) ?? 0);
    for (const [line, n] of count(k.tshark ?? [])) expect({ line, tsharkOnly: excess(w, g, line) }).toEqual({ line, tsharkOnly: n });
    for (const [line, n] of count(k.ours ?? [])) expect({ line, oursOnly: excess(g, w, line) }).toEqual({ line, oursOnly: n });
    if (k.incomplete) {
      const [stream, frame] = k.incomplete;
      const t = connections.find((c) => c.stream === stream)?.transactions.find((x) => x.response?.timing.lastFrame === frame);
      expect(t?.response?.complete).toBe(false);
    }
  });
});
