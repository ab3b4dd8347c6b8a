// SPDX-License-Identifier: MIT
// HAR 1.2 export (http://www.softwareishard.com/blog/har-12-spec/, the format Chrome DevTools and
// Firefox import): one entry per HTTP transaction, with timings measured from the packets.
//
// Timings, all at the capture point, in milliseconds rounded to the microsecond:
// - connect: first SYN → the connection was ready (handshake ACK, or the end of the TLS handshake,
//   which `ssl` also gives; HAR 1.2 counts ssl inside connect). Only on the connection's first
//   transaction, when its SYN was captured; -1 on the others, as Chrome does for a reused socket.
// - blocked: time the request spent waiting that was not the server's work. On the first
//   transaction, the connection ready → the request's first byte (preface, SETTINGS, client think
//   time); on a pipelined HTTP/1.1 request, the time its response was queued behind the previous
//   response (RFC 9112 §9.3.2; the hol-blocking finding measures the same span). -1 otherwise.
// - send: first → last request byte; wait: last request byte → first response byte, less the queued
//   time; receive: first → last response byte.
// The phases are clamped to be consecutive, so `time` is their sum (HAR 1.2: the sum of the
// non-negative timings, ssl excluded) and startedDateTime + time is the last byte of the exchange.
import { gunzipSync, inflateRawSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { ByteSource } from '../capture/byteSource.js';
import type { Connection } from '../flows/connection.js';
import type { HeaderField, HttpMessage, HttpTransaction } from '../http/transaction.js';
import type { CaptureAnalysis } from '../model.js';
import { formatRfc3339, timestampFromRelative } from './format.js';
import { stringifyJson } from './jsonWriter.js';

/** HarOptions choose what a HAR export carries beyond headers and timings. */
export interface HarOptions {
  /** Version written as log.creator.version (the CLI passes its own). */
  creatorVersion?: string;
  /**
   * Include bodies, re-read from the capture through their file spans: bodies larger than
   * `capBytes` (as received, before decompression) are left out with a comment.
   */
  bodies?: { source: ByteSource; capBytes: number };
}

/** HAR_CREATOR is the log.creator.name of our exports. */
export const HAR_CREATOR = 'pcap-http-inspector';

/** renderHar renders an analysis as a HAR 1.2 log; entries are sorted by start time, then connection and order. */
export function renderHar(analysis: CaptureAnalysis, options: HarOptions = {}): string {
  const rows: { start: number; stream: number; index: number; entry: unknown }[] = [];
  for (const conn of analysis.connections) {
    for (const t of conn.transactions) {
      const { start, entry } = harEntry(analysis, conn, t, options);
      rows.push({ start, stream: conn.stream, index: t.index, entry });
    }
  }
  rows.sort((a, b) => a.start - b.start || a.stream - b.stream || a.index - b.index);
  return (
    stringifyJson({
      log: {
        version: '1.2',
        creator: { name: HAR_CREATOR, version: options.creatorVersion ?? '0.0.0-dev' },
        entries: rows.map((r) => r.entry),
        comment: `Rebuilt from the packets of ${analysis.capture.file}; timings are measured at the capture point.`,
      },
    }) + '\n'
  );
}

/** Milliseconds rounded to the microsecond, as in the JSON report. */
function ms(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

/** HarTimings are the HAR 1.2 timings object, -1 meaning "does not apply". */
interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  send: number;
  wait: number;
  receive: number;
  ssl: number;
}

/** harTimings measures the phases of one transaction (rules at the top of this file); times are seconds since the time base. */
export function harTimings(analysis: CaptureAnalysis, conn: Connection, t: HttpTransaction): { start: number; timings: HarTimings; time: number } {
  const req = t.request.timing;
  const res = t.response?.timing;
  let start = req.firstTime;
  let connect = -1;
  let ssl = -1;
  let blocked = -1;
  const first = conn.transactions[0] === t;
  if (first && conn.handshake === 'complete' && conn.connectMs !== undefined && conn.synFrame === conn.firstFrame) {
    const syn = conn.startTime.sec - analysis.timeBaseSec + conn.startTime.nanos / 1e9;
    let ready = syn + conn.connectMs / 1000;
    const tls = conn.tls;
    if (tls?.clientHelloAt && tls.handshakeDoneAt && tls.handshakeDoneAt.time <= req.firstTime) {
      ssl = ms(tls.handshakeDoneAt.time - tls.clientHelloAt.time);
      ready = Math.max(ready, tls.handshakeDoneAt.time);
    }
    // Clamped into [start, first request byte]: a capture's clock can run backwards.
    start = Math.min(syn, req.firstTime);
    ready = Math.min(Math.max(ready, start), req.firstTime);
    connect = ms(ready - start);
    blocked = ms(req.firstTime - ready);
  }
  // Consecutive, clamped boundaries: request first byte ≤ last byte ≤ response first ≤ last byte.
  const sendEnd = Math.max(req.lastTime, req.firstTime);
  const resFirst = res ? Math.max(res.firstTime, sendEnd) : sendEnd;
  const resLast = res ? Math.max(res.lastTime, resFirst) : resFirst;
  let queued = 0;
  const prev = conn.transactions[t.index - 1];
  if (t.streamId === undefined && t.outstandingAtSend > 0 && prev?.response) {
    queued = Math.min(Math.max(0, prev.response.timing.lastTime - sendEnd), resFirst - sendEnd);
    blocked = ms(Math.max(0, blocked) / 1000 + queued);
  }
  const timings: HarTimings = {
    blocked,
    dns: -1,
    connect,
    send: ms(sendEnd - req.firstTime),
    wait: ms(resFirst - sendEnd - queued),
    receive: ms(resLast - resFirst),
    ssl,
  };
  const time = ms([timings.blocked, timings.connect, timings.send, timings.wait, timings.receive].filter((v) => v > 0).reduce((a, b) => a + b, 0) / 1000);
  return { start, timings, time };
}

function harEntry(analysis: CaptureAnalysis, conn: Connection, t: HttpTransaction, options: HarOptions): { start: number; entry: unknown } {
  const { start, timings, time } = harTimings(analysis, conn, t);
  const digits = analysis.capture.timePrecisionDigits;
  const h2 = t.streamId !== undefined;
  const scheme = conn.tls ? 'https' : 'http';
  const res = t.response;
  const comments: string[] = [];
  if (!res) comments.push('no response in the capture');
  else if (!res.complete) comments.push(`response incomplete${res.truncatedBy ? ` (cut by ${res.truncatedBy})` : ''}`);
  if (!t.request.complete) comments.push('request incomplete');
  const request = {
    method: t.method,
    url: requestUrl(t, scheme, conn),
    httpVersion: t.version,
    cookies: requestCookies(t.request.headers),
    headers: headers(t.request.headers),
    queryString: queryString(t.target),
    postData: t.request.bodyBytes > 0 ? postData(t.request, options, comments) : undefined,
    // HAR 1.2: bytes up to and including the blank line; HTTP/2 has no such text (HPACK), hence -1.
    headersSize: h2 ? -1 : t.request.headerBytes,
    bodySize: t.request.bodyWireBytes,
  };
  const response = res
    ? {
        status: t.status ?? 0,
        statusText: t.reason ?? '',
        httpVersion: t.responseVersion ?? t.version,
        cookies: responseCookies(res.headers),
        headers: headers(res.headers),
        content: content(res, options, comments),
        redirectURL: header(res.headers, 'location') ?? '',
        headersSize: h2 ? -1 : res.headerBytes,
        bodySize: res.bodyWireBytes,
      }
    : { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1 };
  return {
    start,
    entry: {
      startedDateTime: formatRfc3339(timestampFromRelative(analysis.timeBaseSec, start), digits),
      time,
      request,
      response,
      cache: {},
      timings,
      serverIPAddress: conn.server.ip,
      // Chrome writes the socket id here; ours is Wireshark's tcp.stream, so `tcp.stream == N` finds it.
      connection: String(conn.stream),
      comment: comments.length ? comments.join('; ') : undefined,
      _streamId: t.streamId,
      _frames: { request: [t.request.timing.firstFrame, t.request.timing.lastFrame], response: res ? [res.timing.firstFrame, res.timing.lastFrame] : undefined },
    },
  };
}

//#region request line and headers

/**
 * requestUrl is the absolute URL of a request: absolute-form targets as sent, origin-form joined to
 * the Host (or :authority, or the server's address), authority-form (CONNECT) as scheme://host:port
 * (RFC 9112 §3.2). Characters a URI may not hold are percent-encoded so the HAR stays a valid URI.
 */
function requestUrl(t: HttpTransaction, scheme: string, conn: Connection): string {
  const target = t.target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return uriSafe(target);
  const h2Scheme = header(t.request.headers, ':scheme');
  const host = t.host || (conn.server.ip.includes(':') ? `[${conn.server.ip}]:${conn.server.port}` : `${conn.server.ip}:${conn.server.port}`);
  const base = `${h2Scheme ?? scheme}://${host}`;
  if (t.method === 'CONNECT') return uriSafe(`${h2Scheme ?? scheme}://${target || host}`);
  if (target === '*' || target === '') return uriSafe(base + '/');
  return uriSafe(base + (target.startsWith('/') ? target : '/' + target));
}

/** uriSafe percent-encodes what RFC 3986 does not allow in a URI, keeping existing %XX escapes. */
function uriSafe(s: string): string {
  return s.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c));
}

function headers(fields: HeaderField[]): { name: string; value: string }[] {
  return fields.map((f) => ({ name: f.name, value: f.value }));
}

function header(fields: HeaderField[], name: string): string | undefined {
  return fields.find((f) => f.name.toLowerCase() === name)?.value;
}

function decodeQueryPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** queryString splits the target's query (application/x-www-form-urlencoded style), as HAR viewers show it. */
function queryString(target: string): { name: string; value: string }[] {
  const q = target.indexOf('?');
  if (q < 0) return [];
  const hash = target.indexOf('#', q);
  const query = target.slice(q + 1, hash < 0 ? undefined : hash);
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: decodeQueryPart(pair), value: '' } : { name: decodeQueryPart(pair.slice(0, eq)), value: decodeQueryPart(pair.slice(eq + 1)) };
    });
}

/** requestCookies splits Cookie headers into name/value pairs (RFC 6265 §4.2.1; HTTP/2 may split them over several fields, RFC 9113 §8.2.3). */
function requestCookies(fields: HeaderField[]): { name: string; value: string }[] {
  return fields
    .filter((f) => f.name.toLowerCase() === 'cookie')
    .flatMap((f) => f.value.split(';'))
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: '', value: p } : { name: p.slice(0, eq), value: p.slice(eq + 1) };
    });
}

/** responseCookies reads each Set-Cookie's name, value and the attributes HAR has fields for (RFC 6265 §5.2). */
function responseCookies(fields: HeaderField[]): unknown[] {
  return fields
    .filter((f) => f.name.toLowerCase() === 'set-cookie')
    .map((f) => {
      const [pair = '', ...attrs] = f.value.split(';');
      const eq = pair.indexOf('=');
      const cookie: Record<string, unknown> = eq < 0 ? { name: '', value: pair.trim() } : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
      for (const a of attrs) {
        const i = a.indexOf('=');
        const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
        const value = i < 0 ? '' : a.slice(i + 1).trim();
        if (key === 'path') cookie.path = value;
        else if (key === 'domain') cookie.domain = value;
        else if (key === 'httponly') cookie.httpOnly = true;
        else if (key === 'secure') cookie.secure = true;
        else if (key === 'expires') {
          const d = new Date(value);
          if (!Number.isNaN(d.getTime())) cookie.expires = d.toISOString();
        }
      }
      return cookie;
    });
}

//#endregion

//#region bodies

/** content is a response's HAR content: sizes and type always, the body text only when asked for. */
function content(m: HttpMessage, options: HarOptions, comments: string[]): unknown {
  const out: Record<string, unknown> = { size: m.bodyBytes, mimeType: header(m.headers, 'content-type') ?? '' };
  if (!options.bodies || m.bodyBytes === 0) return out;
  const raw = readBody(m, options.bodies, comments, 'response');
  if (!raw) return out;
  const decoded = decodeContent(raw, header(m.headers, 'content-encoding'), options.bodies.capBytes);
  if (decoded === undefined) comments.push('response body kept encoded: its Content-Encoding could not be undone');
  const body = decoded ?? raw;
  // HAR 1.2: `size` is the decoded length and `compression` the bytes saved by the encoding.
  if (decoded) {
    out.size = decoded.length;
    if (decoded.length > raw.length) out.compression = decoded.length - raw.length;
  }
  const text = utf8Text(body);
  if (text !== undefined) out.text = text;
  else {
    out.text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64');
    out.encoding = 'base64';
  }
  return out;
}

/** postData is a request body; HAR 1.2 postData has no encoding field, so only UTF-8 text is included. */
function postData(m: HttpMessage, options: HarOptions, comments: string[]): unknown {
  const out: Record<string, unknown> = { mimeType: header(m.headers, 'content-type') ?? '' };
  if (!options.bodies) return out;
  const raw = readBody(m, options.bodies, comments, 'request');
  if (!raw) return out;
  const text = utf8Text(raw);
  if (text !== undefined) out.text = text;
  else comments.push('request body is not UTF-8 text and was left out');
  return out;
}

/**
 * readBody re-reads a message's payload from the capture through its file spans (chunk framing
 * already excluded); undefined, with a comment, when the spans do not cover the whole body or it is
 * over the cap. HTTP/2 bodies have no spans (DATA frames are not kept).
 */
function readBody(m: HttpMessage, bodies: NonNullable<HarOptions['bodies']>, comments: string[], which: string): Uint8Array | undefined {
  if (m.bodyBytes > bodies.capBytes) {
    comments.push(`${which} body (${m.bodyBytes} bytes) is over the body cap of ${bodies.capBytes} bytes`);
    return undefined;
  }
  if (m.gapBytes > 0) {
    comments.push(`${which} body not included: the capture misses ${m.gapBytes} bytes of it`);
    return undefined;
  }
  const spans = m.bodySpans ?? [];
  const total = spans.reduce((n, s) => n + s.length, 0);
  if (!m.bodySpansComplete || total !== m.bodyBytes) {
    comments.push(`${which} body not included: ${m.framing === 'h2' ? 'HTTP/2 bodies are not kept' : 'the capture does not hold all of it'}`);
    return undefined;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of spans) {
    const n = bodies.source.read(out, at, s.length, s.fileOffset);
    if (n !== s.length) {
      comments.push(`${which} body not included: the capture file ended inside it`);
      return undefined;
    }
    at += n;
  }
  return out;
}

/** decodeContent undoes gzip, deflate and br (RFC 9110 §8.4.1); undefined when it fails or exceeds `cap`. */
function decodeContent(raw: Uint8Array, encoding: string | undefined, cap: number): Uint8Array | undefined {
  const codings = (encoding ?? '')
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'identity');
  if (codings.length === 0) return raw;
  let data: Uint8Array = raw;
  const limit = { maxOutputLength: Math.max(cap, 1) };
  try {
    // Codings are listed in the order they were applied, so undo them from the last (RFC 9110 §8.4).
    for (const c of codings.reverse()) {
      if (c === 'gzip' || c === 'x-gzip') data = gunzipSync(data, limit);
      else if (c === 'br') data = brotliDecompressSync(data, limit);
      else if (c === 'deflate') {
        // "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate.
        try {
          data = inflateSync(data, limit);
        } catch {
          data = inflateRawSync(data, limit);
        }
      } else return undefined;
    }
  } catch {
    return undefined;
  }
  return data;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** utf8Text is the bytes as text when they are UTF-8 without control characters other than whitespace, else undefined. */
function utf8Text(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0e-\x1f\x7f]/.test(text) ? undefined : text;
}

//#endregion
