// SPDX-License-Identifier: MIT
//
// Pure syntax helpers of Http1Parser: byte classes, latin1 decoding, start lines, field lines,
// chunk-size lines and the framing fields of a head (RFC 9112, RFC 9110). No regular expressions:
// every function is one linear pass over input that an attacker controls.

import type { Http1Header } from './http1Types.js';

//#region bytes

/** Byte values used by the parser. */
export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;

/** TCHAR[b] is 1 when b is a token character (RFC 9110 §5.6.2). */
export const TCHAR: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const ch of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** HEX[b] is the value of hex digit b, or 255. */
export const HEX: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

/** isLineCtl says whether b may not appear inside a start line: a control other than HTAB and CR, or DEL (obs-text is allowed). */
export function isLineCtl(b: number): boolean {
  return (b < SP && b !== HTAB && b !== CR) || b === 0x7f;
}

/** isMethodChar says whether b may be part of a method when hunting for a request line (upper-case letters, '-', '_'). */
export function isMethodChar(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x5f;
}

/** latin1 decodes `bytes[from, to)` one byte per UTF-16 unit (header bytes are bounded by the head limit). */
export function latin1(bytes: Uint8Array, from = 0, to = bytes.length): string {
  // Not TextDecoder('latin1'): WHATWG maps that label to windows-1252, which rewrites 0x80–0x9f.
  let s = '';
  for (let i = from; i < to; i += 4096) {
    const part = bytes.subarray(i, Math.min(to, i + 4096));
    s += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return s;
}

/** trimOws removes leading and trailing SP and HTAB (OWS, RFC 9110 §5.6.3). */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === SP || s.charCodeAt(a) === HTAB)) a++;
  while (b > a && (s.charCodeAt(b - 1) === SP || s.charCodeAt(b - 1) === HTAB)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TCHAR[c] !== 1) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** isHttpVersion says whether s is `HTTP/` DIGIT `.` DIGIT (RFC 9112 §2.3). */
export function isHttpVersion(s: string): boolean {
  return s.length === 8 && s.startsWith('HTTP/') && isDigit(s.charCodeAt(5)) && s.charCodeAt(6) === 0x2e && isDigit(s.charCodeAt(7));
}

//#endregion

//#region start lines

/** Methods accepted in a version-less HTTP/0.9 simple request (RFC 1945 §4.1 has only GET; Zeek also accepts POST). */
const HTTP09_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** RequestLine is a parsed request line; `spaceInTarget` flags a target with whitespace (accepted). */
export type RequestLine =
  | { ok: true; method: string; target: string; version: string; spaceInTarget: boolean; emptyTarget?: boolean; badVersion?: boolean }
  | { ok: false; why: string };

/** parseRequestLine parses `method SP target SP version` (RFC 9112 §3), or `method SP target` as HTTP/0.9; `line` has no CRLF. */
export function parseRequestLine(line: string): RequestLine {
  if (line.indexOf('\r') !== -1) return { ok: false, why: 'bare CR in request line' };
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) return { ok: false, why: 'no method' };
  const method = line.slice(0, sp1);
  if (!isToken(method)) return { ok: false, why: 'method is not a token' };
  const spLast = line.lastIndexOf(' ');
  if (spLast === sp1) {
    const target = line.slice(sp1 + 1);
    if (target.length === 0) return { ok: false, why: 'no request target' };
    // `METHOD HTTP/1.1`: the target is missing, not the version. Invalid (RFC 9112 §3.2), but a server
    // answers it (usually 400), so keep it as a request to pair that answer with, as Zeek does.
    if (isHttpVersion(target)) return { ok: true, method, target: '', version: target, spaceInTarget: false, emptyTarget: true };
    if (!HTTP09_METHODS.has(method)) return { ok: false, why: 'no HTTP version' };
    return { ok: true, method, target, version: 'HTTP/0.9', spaceInTarget: false };
  }
  const version = line.slice(spLast + 1);
  const target = line.slice(sp1 + 1, spLast);
  // `GET / HTTP/1.`: a malformed version is still a request the server answers; keep it, flagged.
  if (!isHttpVersion(version)) {
    if (version.startsWith('HTTP/') && target.length > 0 && isToken(method)) return { ok: true, method, target, version, spaceInTarget: false, badVersion: true };
    return { ok: false, why: 'bad HTTP version' };
  }
  if (target.length === 0) return { ok: true, method, target: '', version, spaceInTarget: false, emptyTarget: true };
  return { ok: true, method, target, version, spaceInTarget: target.indexOf(' ') !== -1 || target.indexOf('\t') !== -1 };
}

/** StatusLine is a parsed status line. */
export type StatusLine = { ok: true; version: string; status: number; reason: string } | { ok: false; why: string };

/** parseStatusLine parses `HTTP/1.x SP 3DIGIT [SP reason]` (RFC 9112 §4; a missing SP before an empty reason is tolerated); `line` has no CRLF. */
export function parseStatusLine(line: string): StatusLine {
  if (line.indexOf('\r') !== -1) return { ok: false, why: 'bare CR in status line' };
  const version = line.slice(0, 8);
  if (!isHttpVersion(version) || version.charCodeAt(5) !== 0x31) return { ok: false, why: 'not HTTP/1.x' };
  if (line.charCodeAt(8) !== SP) return { ok: false, why: 'no SP after version' };
  const d0 = line.charCodeAt(9);
  const d1 = line.charCodeAt(10);
  const d2 = line.charCodeAt(11);
  if (!isDigit(d0) || !isDigit(d1) || !isDigit(d2)) return { ok: false, why: 'status code is not 3 digits' };
  if (line.length > 12 && line.charCodeAt(12) !== SP) return { ok: false, why: 'status code is not 3 digits' };
  const status = (d0 - 0x30) * 100 + (d1 - 0x30) * 10 + (d2 - 0x30);
  return { ok: true, version, status, reason: line.slice(13) };
}

//#endregion

//#region field lines

/** FieldLine says what a field line (CRLF removed) is: a field, an obs-fold continuation, or invalid. */
export type FieldLine = { kind: 'field'; header: Http1Header } | { kind: 'fold'; value: string } | { kind: 'bad'; why: string };

/** parseFieldLine parses `name ":" OWS value OWS` (RFC 9112 §5); a line starting with SP/HTAB is obs-fold (§5.2). */
export function parseFieldLine(line: string): FieldLine {
  const c0 = line.charCodeAt(0);
  if (c0 === SP || c0 === HTAB) return { kind: 'fold', value: trimOws(line) };
  const colon = line.indexOf(':');
  if (colon === -1) return { kind: 'bad', why: 'field line without colon' };
  const name = line.slice(0, colon);
  // RFC 9112 §5.1: no whitespace is allowed between the name and the colon.
  if (!isToken(name)) return { kind: 'bad', why: colon === 0 ? 'empty field name' : 'field name is not a token' };
  return { kind: 'field', header: { name, value: trimOws(line.slice(colon + 1)) } };
}

//#endregion

//#region chunk-size lines

/** ChunkSizeLine is a parsed chunk-size line: its size and whether its extensions were well-formed. */
export type ChunkSizeLine = { ok: true; size: number; badExtension: boolean } | { ok: false; overflow: boolean };

/**
 * parseChunkSizeLine parses `1*HEXDIG *(BWS ";" BWS name [BWS "=" BWS (token / quoted-string)])` (RFC 9112 §7.1.1);
 * `line` excludes the CRLF. Trailing whitespace after the size is tolerated.
 */
export function parseChunkSizeLine(line: Uint8Array): ChunkSizeLine {
  let i = 0;
  let size = 0;
  while (i < line.length && HEX[line[i]!]! !== 255) {
    // Exact while size ≤ 2^53 − 1: size * 16 + 15 stays below 2^57, where doubles still compare correctly.
    size = size * 16 + HEX[line[i]!]!;
    if (size > Number.MAX_SAFE_INTEGER) return { ok: false, overflow: true };
    i++;
  }
  if (i === 0) return { ok: false, overflow: false };
  i = skipWs(line, i);
  if (i === line.length) return { ok: true, size, badExtension: false };
  if (line[i] !== 0x3b) return { ok: false, overflow: false };
  return { ok: true, size, badExtension: !extensionsValid(line, i) };
}

function skipWs(b: Uint8Array, i: number): number {
  while (i < b.length && (b[i] === SP || b[i] === HTAB)) i++;
  return i;
}

function skipToken(b: Uint8Array, i: number): number {
  while (i < b.length && TCHAR[b[i]!] === 1) i++;
  return i;
}

/** extensionsValid checks chunk extensions from the first ';' at `i`. */
function extensionsValid(b: Uint8Array, i: number): boolean {
  while (i < b.length) {
    if (b[i] !== 0x3b) return false;
    i = skipWs(b, i + 1);
    const nameEnd = skipToken(b, i);
    if (nameEnd === i) return false;
    i = skipWs(b, nameEnd);
    if (i < b.length && b[i] === 0x3d) {
      i = skipWs(b, i + 1);
      if (i < b.length && b[i] === 0x22) {
        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4)
        i++;
        for (;;) {
          if (i >= b.length) return false;
          const c = b[i]!;
          if (c === 0x22) break;
          if (c === 0x5c) i++;
          else if (c < SP && c !== HTAB) return false;
          i++;
        }
        i++;
      } else {
        const valEnd = skipToken(b, i);
        if (valEnd === i) return false;
        i = valEnd;
      }
      i = skipWs(b, i);
    }
  }
  return true;
}

//#endregion

//#region framing fields

/** FramingFields is what a head's fields say about its framing and connection (before any BodyRule). */
export interface FramingFields {
  /** A Transfer-Encoding field is present. */
  transferEncoding: boolean;
  /** Its final coding is chunked. */
  chunked: boolean;
  /** A Content-Length field is present (valid or not). */
  contentLengthPresent: boolean;
  /** The valid Content-Length, if any. */
  contentLength?: number;
  /** Why Content-Length is invalid, if it is. */
  contentLengthProblem?: string;
  connectionTokens: string[];
  keepAlive?: string;
}

/** readFramingFields reads Transfer-Encoding, Content-Length, Connection, Proxy-Connection and Keep-Alive from `headers`. */
export function readFramingFields(headers: readonly Http1Header[]): FramingFields {
  let transferEncoding = false;
  let lastCoding = '';
  let clPresent = false;
  let cl: number | undefined;
  let clProblem: string | undefined;
  const connectionTokens: string[] = [];
  let keepAlive: string | undefined;
  for (const h of headers) {
    // Only names of these lengths can matter: skip the lower-casing of all others.
    const n = h.name.length;
    if (n !== 10 && n !== 14 && n !== 16 && n !== 17) continue;
    const name = h.name.toLowerCase();
    if (name === 'transfer-encoding') {
      transferEncoding = true;
      for (const part of h.value.split(',')) {
        // A coding may carry parameters (RFC 9110 §10.1.4); only its name matters here.
        const coding = trimOws(part.split(';')[0] ?? '').toLowerCase();
        if (coding !== '') lastCoding = coding;
      }
    } else if (name === 'content-length') {
      clPresent = true;
      // RFC 9110 §8.6: a list of identical values (or repeated identical fields) may be accepted.
      for (const part of h.value.split(',')) {
        const v = trimOws(part);
        const n = parseDigits(v);
        if (n === undefined) clProblem ??= `Content-Length "${h.value}" is not a non-negative integer below 2^53`;
        else if (cl !== undefined && cl !== n) clProblem ??= `Content-Length values differ (${cl} and ${n})`;
        else cl = n;
      }
    } else if (name === 'connection' || name === 'proxy-connection') {
      for (const part of h.value.split(',')) {
        const t = trimOws(part).toLowerCase();
        if (t !== '') connectionTokens.push(t);
      }
    } else if (name === 'keep-alive') {
      keepAlive = keepAlive === undefined ? h.value : `${keepAlive}, ${h.value}`;
    }
  }
  const out: FramingFields = { transferEncoding, chunked: lastCoding === 'chunked', contentLengthPresent: clPresent, connectionTokens };
  if (clPresent && clProblem === undefined && cl !== undefined) out.contentLength = cl;
  if (clProblem !== undefined) out.contentLengthProblem = clProblem;
  if (keepAlive !== undefined) out.keepAlive = keepAlive;
  return out;
}

/** parseDigits parses 1*DIGIT up to 2^53 − 1. */
function parseDigits(s: string): number | undefined {
  if (s.length === 0) return undefined;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    n = n * 10 + (c - 0x30);
    if (n > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return n;
}

//#endregion
