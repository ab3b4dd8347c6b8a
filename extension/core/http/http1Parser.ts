// SPDX-License-Identifier: MIT
//
// Http1Parser is an incremental push parser for the HTTP/1.0 and HTTP/1.1 messages (RFC 9112) of ONE
// direction of a TCP connection [Zeek HTTP analyzer: DeliverStream / Undelivered / EndpointEOF; undici
// llhttp glue]. The exchange layer owns a request parser and a response parser per connection, pairs
// their messages, and answers what needs the other direction through the BodyRule returned by onHead
// (HEAD, 101, CONNECT), `isHttp09Response` and `startTunnel()`.
//
// Call order. The TCP layer calls, in stream order:
//   { push(bytes, streamOffset, at) | gap(streamOffset, length) }*   contiguous: each starts where the
//                                                                    previous one ended (a jump forward
//                                                                    is taken as a gap, bytes already
//                                                                    seen are dropped)
//   end(reason, at?)                                                 once; later calls are ignored
// The exchange layer may call startTunnel() between those calls (never from this parser's own hooks).
// Hooks are called synchronously from inside them, in the order documented on Http1Hooks.
//
// Policies:
// - Memory. Bodies are never copied: they are counted by arithmetic, and onBody/onTunnelData get views of
//   the caller's bytes. Only the partial line of a head, chunk-size line or trailer section is copied
//   (ByteCarry), bounded by maxHeaderBytes, plus the bytes kept while hunting for a message start
//   (at most 2 × maxHeaderBytes).
// - Split invariance. Events (offsets, codes, fields) do not depend on how the stream is cut into pushes:
//   every decision is taken at a fixed stream offset (limits are offsets, not "end of this push"), and
//   ChunkRefs are those of the bytes the event points at.
// - Lenience. Lines may end with a bare LF (`http.bare-lf`, once per message); empty lines before a start
//   line are skipped in both directions (RFC 9112 §2.2); obs-fold is unfolded (`http.obs-fold`); a field
//   line without colon or with an invalid name is skipped (`http.bad-header-line`). A request line without
//   version is HTTP/0.9 for GET, HEAD and POST (RFC 1945 §4.1; Zeek also takes POST) and is the whole
//   request. A start line that is not one (`http.not-http` when its first bytes cannot start one,
//   `http.bad-request-line`, `http.bad-status-line`) is not a message: the hunt starts at its second byte.
// - Framing (RFC 9112 §6.3), after the BodyRule: Transfer-Encoding ending in chunked → chunked (with
//   Content-Length too: `http.content-length-and-chunked`); other Transfer-Encoding → close-delimited for
//   a response, and for a request (`http.bad-transfer-encoding`, the server must answer 400 and close) the
//   rest of the direction is taken as its body, never complete; valid Content-Length → that many bytes;
//   invalid or differing Content-Length (`http.invalid-content-length`, llhttp and Zeek reject it) →
//   close-delimited for a response, no body for a request, and the message is not complete; otherwise a
//   request has no body and a response is close-delimited. Anomalies about framing fields are reported
//   whatever the BodyRule, at the head's first byte (field lines do not keep their offsets).
// - Losing sync. Malformed framing, a head over the limits, or a gap that cannot be counted through (in a
//   head, in chunk framing, between messages) ends the current message incomplete and starts a hunt for
//   the next plausible message start: a request line `METHOD SP target SP HTTP/1.x CRLF` or a status
//   line `HTTP/1.x SP 3DIGIT`. Gaps inside a Content-Length body or inside chunk data are counted
//   (`gapBytes`) and keep sync. The hunt reports `http.resync` with what it skipped, or
//   `http.unparsed-tail` if the direction ends first.
// - Errors. Nothing here throws on input: malformed bytes are anomalies (STYLE §4).

import { ByteCarry, type CarrySegment } from './http1Carry.js';
import {
  CR,
  HEX,
  LF,
  SP,
  TCHAR,
  isLineCtl,
  isMethodChar,
  latin1,
  parseChunkSizeLine,
  parseFieldLine,
  parseRequestLine,
  parseStatusLine,
  readFramingFields,
  type FieldLine,
} from './http1Syntax.js';
import {
  HTTP1_ANOMALY,
  type Http1Anomaly,
  type Http1Framing,
  type Http1Head,
  type Http1Header,
  type Http1Hooks,
  type Http1Limits,
  type Http1MessageEnd,
} from './http1Types.js';
import type { ChunkRef, StreamEnd } from './streamTypes.js';

export type {
  BodyRule,
  Http1Anomaly,
  Http1AnomalyCode,
  Http1Framing,
  Http1Head,
  Http1Header,
  Http1Hooks,
  Http1Limits,
  Http1MessageEnd,
} from './http1Types.js';
export { HTTP1_ANOMALY } from './http1Types.js';

/** Default bound on the bytes of a head, a trailer section or a chunk-size line. */
export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
/** Default bound on the field lines of a head or a trailer section. */
export const DEFAULT_MAX_HEADERS = 256;

//#region states

// Numbers rather than strings: step() switches on the state once per push or line.
const IDLE = 0; // between messages: skipping empty lines, asking isHttp09Response
const HEAD = 1; // start line and field lines
const BODY_LENGTH = 2; // Content-Length body: m.remaining bytes left
const BODY_CLOSE = 3; // close-delimited body
const CHUNK_SIZE = 4; // chunk-size line
const CHUNK_DATA = 5; // chunk data: m.remaining bytes left
const CHUNK_CR = 6; // CRLF after chunk data
const CHUNK_LF = 7;
const TRAILERS = 8; // trailer section after the last chunk
const HTTP09 = 9; // HTTP/0.9 response body, until the stream ends
const TUNNEL = 10; // not HTTP any more
const HUNT = 11; // looking for a message start after losing sync
const ENDED = 12;

/** readLine results besides "index after the LF". */
const CARRIED = -1;
const TOO_LONG = -2;

const EMPTY = new Uint8Array(0);

/** The message being parsed. */
class Message {
  firstLineDone = false;
  /** Start-line scanner: phase and count (see scanStartLine). */
  scanPhase = 0;
  scanCount = 0;
  method: string | undefined = undefined;
  target: string | undefined = undefined;
  status = 0;
  reason: string | undefined = undefined;
  version = '';
  headers: Http1Header[] = [];
  head: Http1Head | undefined = undefined;
  framing: Http1Framing = 'none';
  /** Bytes left in a Content-Length body or the current chunk. */
  remaining = 0;
  bodyBytes = 0;
  gapBytes = 0;
  expected: number | undefined = undefined;
  trailers: Http1Header[] = [];
  /** Stream offset where the head (or trailer section) goes over maxHeaderBytes. */
  sectionLimit: number;
  /** ChunkRef of the last byte consumed into this message (carried partial lines excluded). */
  lastAt: ChunkRef;
  firstBodyAt: ChunkRef | undefined = undefined;
  lastBodyAt: ChunkRef | undefined = undefined;
  bareLf = false;
  /** The body length could not be determined reliably: the message is never complete. */
  unframeable = false;

  constructor(
    readonly startOffset: number,
    readonly startAt: ChunkRef,
    maxHeaderBytes: number,
  ) {
    this.sectionLimit = startOffset + maxHeaderBytes;
    this.lastAt = startAt;
  }
}

interface EndDetails {
  truncatedBy?: StreamEnd;
  truncatedAt?: ChunkRef;
  desync?: 'gap' | 'malformed';
}

//#endregion

/** Http1Parser is an incremental push parser for the HTTP/1.x messages of one direction of a connection (call order at the top of http1Parser.ts). */
export class Http1Parser {
  private readonly maxHeaderBytes: number;
  private readonly maxHeaders: number;
  private state = IDLE;
  /** Stream offset of the next byte expected from push/gap. */
  private nextOffset = 0;
  /** ChunkRef of the last pushed chunk: the last byte received. */
  private pushAt: ChunkRef | undefined;
  private msg: Message | undefined;
  /** Partial line of the current message (head, chunk-size or trailer line). */
  private readonly carry = new ByteCarry();
  /** Bytes kept while hunting: a partial status-line candidate, or the run since the last control byte. */
  private readonly huntCarry = new ByteCarry();
  /** huntCarry lost its start (kept only its tail), so a request line cannot start at its first byte. */
  private huntTruncated = false;
  private huntStart = 0;
  private huntGap = 0;
  /** isHttp09Response was asked for the response that is starting. */
  private asked09 = false;
  /** Bytes to process again before the rest of the current chunk (set by a step that changed its mind). */
  private replay: CarrySegment[] | undefined;
  /** The line found by readLine (LF excluded, CR included), and its stream offset. */
  private line: Uint8Array = EMPTY;
  private lineStart = 0;

  constructor(
    readonly kind: 'request' | 'response',
    private readonly hooks: Http1Hooks,
    limits: Http1Limits = {},
  ) {
    this.maxHeaderBytes = Math.max(64, limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES);
    this.maxHeaders = Math.max(1, limits.maxHeaders ?? DEFAULT_MAX_HEADERS);
  }

  //#region public API

  /** betweenMessages tells whether the last message ended and the next has not started: a gap now hides the start of a message. */
  get betweenMessages(): boolean {
    return this.state === IDLE;
  }

  /** push delivers the next bytes of the stream, all from one chunk; `bytes` is only read during the call. */
  push(bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    if (this.state === ENDED || bytes.length === 0) return;
    if (streamOffset > this.nextOffset) this.gap(this.nextOffset, streamOffset - this.nextOffset);
    let from = 0;
    if (streamOffset < this.nextOffset) {
      from = this.nextOffset - streamOffset;
      if (from >= bytes.length) return;
    }
    this.pushAt = at;
    this.nextOffset = streamOffset + bytes.length;
    this.run(bytes, from, streamOffset, at);
  }

  /** gap says the next `length` bytes of the stream, from `streamOffset`, were sent but not captured. */
  gap(streamOffset: number, length: number): void {
    if (this.state === ENDED) return;
    let offset = streamOffset;
    let len = length;
    if (offset > this.nextOffset) {
      len += offset - this.nextOffset;
      offset = this.nextOffset;
    } else if (offset < this.nextOffset) {
      len -= this.nextOffset - offset;
      offset = this.nextOffset;
    }
    if (len <= 0) return;
    this.nextOffset = offset + len;
    const m = this.msg;
    switch (this.state) {
      case IDLE:
        this.enterHunt(offset, len);
        return;
      case BODY_LENGTH:
      case CHUNK_DATA: {
        // Counted through: the length of what is missing is known (Content-Length or chunk size).
        const inBody = Math.min(len, m!.remaining);
        m!.gapBytes += inBody;
        m!.remaining -= inBody;
        if (m!.remaining > 0) return;
        if (this.state === CHUNK_DATA && inBody === len) {
          this.state = CHUNK_CR;
          return;
        }
        const chunked = this.state === CHUNK_DATA;
        this.endMessage(m!, offset + inBody, m!.lastAt, !chunked, chunked ? { desync: 'gap' } : {});
        if (len > inBody) this.enterHunt(offset + inBody, len - inBody);
        return;
      }
      case BODY_CLOSE:
      case HTTP09:
        m!.gapBytes += len;
        return;
      case TUNNEL:
        this.hooks.onTunnelGap?.(offset, len);
        return;
      case HUNT:
        // What follows a gap cannot continue a candidate: the gap acts like a control byte.
        this.huntGap += len;
        this.huntCarry.clear();
        this.huntTruncated = false;
        return;
      default:
        // HEAD, CHUNK_SIZE, CHUNK_CR, CHUNK_LF, TRAILERS: framing bytes are missing.
        this.endMessage(m!, offset, this.carry.lastRef() ?? m!.lastAt, false, { desync: 'gap' });
        this.carry.clear();
        this.enterHunt(offset, len);
    }
  }

  /** end says the stream ended; a message in progress ends (complete only for a close-delimited or HTTP/0.9 body at a FIN). */
  end(reason: StreamEnd, at?: ChunkRef): void {
    if (this.state === ENDED) return;
    const m = this.msg;
    const cut: EndDetails = { truncatedBy: reason };
    if (at !== undefined) cut.truncatedAt = at;
    switch (this.state) {
      case IDLE:
      case TUNNEL:
        break;
      case HUNT:
        this.reportUnparsed();
        break;
      case BODY_CLOSE:
      case HTTP09:
        // RFC 9112 §6.3 item 8: a close-delimited body ends when the connection closes, cleanly only at a FIN.
        if (reason === 'fin') this.endMessage(m!, this.nextOffset, this.pushAt ?? m!.lastAt, true, {});
        else this.endMessage(m!, this.nextOffset, this.pushAt ?? m!.lastAt, false, cut);
        break;
      default:
        this.endMessage(m!, this.nextOffset, this.pushAt ?? m!.lastAt, false, cut);
    }
    this.state = ENDED;
    this.msg = undefined;
    this.carry.clear();
    this.huntCarry.clear();
  }

  /**
   * startTunnel switches this direction to tunnel data from the next byte on (the exchange layer calls it
   * on the request parser after a 101 or a 2xx to CONNECT). Bytes of a start line already received are
   * reported as tunnel data; a message further along ends incomplete; a hunt reports what it skipped.
   */
  startTunnel(): void {
    const m = this.msg;
    switch (this.state) {
      case ENDED:
      case TUNNEL:
        return;
      case IDLE:
        break;
      case HUNT:
        this.reportUnparsed();
        this.huntCarry.clear();
        break;
      case HEAD:
        if (!m!.firstLineDone) {
          this.msg = undefined;
          for (const s of this.carry.detachFrom(m!.startOffset)) this.hooks.onTunnelData?.(s.offset, s.bytes.length, s.at, s.bytes);
          break;
        }
        this.endMessage(m!, this.nextOffset, this.pushAt ?? m!.lastAt, false, { desync: 'malformed' });
        break;
      default:
        this.endMessage(m!, this.nextOffset, this.pushAt ?? m!.lastAt, false, { desync: 'malformed' });
    }
    this.carry.clear();
    this.msg = undefined;
    this.state = TUNNEL;
  }

  //#endregion

  //#region driver

  /** run processes `bytes[pos..]` (stream offset of bytes[0] = base), then any bytes a step asked to replay, in stream order. */
  private run(bytes: Uint8Array, pos: number, base: number, at: ChunkRef): void {
    let queue: CarrySegment[] | undefined;
    for (;;) {
      while (pos < bytes.length) {
        pos = this.step(bytes, pos, base, at);
        const replay = this.replay;
        if (replay !== undefined) {
          // Iterative, not recursive: a replayed byte may itself trigger a replay.
          this.replay = undefined;
          const rest: CarrySegment[] = pos < bytes.length ? [{ bytes: bytes.subarray(pos), offset: base + pos, at }] : [];
          queue = queue === undefined ? [...replay, ...rest] : [...replay, ...rest, ...queue];
          pos = bytes.length;
        }
      }
      const next = queue?.shift();
      if (next === undefined) return;
      bytes = next.bytes;
      pos = 0;
      base = next.offset;
      at = next.at;
    }
  }

  /** step consumes bytes from `pos` in the current state and returns where it stopped (it may change state without consuming). */
  private step(bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    switch (this.state) {
      case IDLE:
        return this.stepIdle(bytes, pos, base, at);
      case HEAD:
        return this.msg!.firstLineDone ? this.stepFieldLine(this.msg!, bytes, pos, base, at) : this.stepStartLine(this.msg!, bytes, pos, base, at);
      case BODY_LENGTH:
      case CHUNK_DATA:
        return this.stepCounted(this.msg!, bytes, pos, base, at);
      case BODY_CLOSE:
      case HTTP09:
        this.body(this.msg!, bytes, pos, bytes.length - pos, base, at);
        return bytes.length;
      case CHUNK_SIZE:
        return this.stepChunkSize(this.msg!, bytes, pos, base, at);
      case CHUNK_CR:
      case CHUNK_LF:
        return this.stepChunkEnd(this.msg!, bytes, pos, base, at);
      case TRAILERS:
        return this.stepTrailers(this.msg!, bytes, pos, base, at);
      case TUNNEL:
        this.hooks.onTunnelData?.(base + pos, bytes.length - pos, at, bytes.subarray(pos));
        return bytes.length;
      case HUNT:
        return this.kind === 'response' ? this.stepHuntStatus(bytes, pos, base, at) : this.stepHuntRequest(bytes, pos, base, at);
      default:
        return bytes.length;
    }
  }

  //#endregion

  //#region heads

  private stepIdle(bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    if (this.kind === 'response' && !this.asked09) {
      this.asked09 = true;
      if (this.hooks.isHttp09Response?.() === true) {
        // RFC 1945 §4.1: an HTTP/0.9 response is the entity body alone, up to the close.
        const m = new Message(base + pos, at, this.maxHeaderBytes);
        m.framing = 'http09';
        this.msg = m;
        this.state = HTTP09;
        return pos;
      }
    }
    // RFC 9112 §2.2: ignore empty lines received before a start line.
    while (pos < bytes.length && (bytes[pos] === CR || bytes[pos] === LF)) pos++;
    if (pos < bytes.length) {
      this.msg = new Message(base + pos, at, this.maxHeaderBytes);
      this.state = HEAD;
    }
    return pos;
  }

  private stepStartLine(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const lf = bytes.indexOf(LF, pos);
    const stop = Math.min(lf === -1 ? bytes.length : lf, m.sectionLimit - base);
    const bad = this.scanStartLine(m, bytes, pos, stop);
    if (bad !== -1) {
      const b = bytes[bad]!;
      const notHttp = this.kind === 'request' ? m.scanPhase === 0 && m.scanCount === 0 && b !== SP : m.scanPhase < 5;
      const code = notHttp ? HTTP1_ANOMALY.notHttp : this.kind === 'request' ? HTTP1_ANOMALY.badRequestLine : HTTP1_ANOMALY.badStatusLine;
      const why = `byte 0x${b.toString(16).padStart(2, '0')} at offset ${base + bad} cannot be part of a ${this.kind === 'request' ? 'request' : 'status'} line`;
      return this.badStartLine(m, code, why, bytes, pos, base);
    }
    const next = this.readLine(bytes, pos, base, at, m.sectionLimit, lf);
    if (next === CARRIED) return bytes.length;
    if (next === TOO_LONG) return this.headTooLarge(m, bytes, pos, base, at);
    const line = this.line;
    const bare = line.length === 0 || line[line.length - 1] !== CR;
    const text = latin1(line, 0, bare ? line.length : line.length - 1);
    if (this.kind === 'request') {
      const r = parseRequestLine(text);
      if (!r.ok) return this.badStartLine(m, HTTP1_ANOMALY.badRequestLine, `${r.why}: ${JSON.stringify(text.slice(0, 80))}`, bytes, next - 1, base);
      m.method = r.method;
      m.target = r.target;
      m.version = r.version;
      if (r.spaceInTarget) this.anomaly(HTTP1_ANOMALY.spaceInTarget, m.startOffset, m.startAt, 'whitespace inside the request target (RFC 9112 §3.2)');
      if (r.badVersion) this.anomaly(HTTP1_ANOMALY.badVersion, m.startOffset, m.startAt, `malformed HTTP version ${JSON.stringify(r.version.slice(0, 16))} (RFC 9112 §2.3)`);
      if (r.emptyTarget) this.anomaly(HTTP1_ANOMALY.emptyTarget, m.startOffset, m.startAt, 'the request line has no request target (RFC 9112 §3.2)');
    } else {
      const s = parseStatusLine(text);
      if (!s.ok) return this.badStartLine(m, HTTP1_ANOMALY.badStatusLine, `${s.why}: ${JSON.stringify(text.slice(0, 80))}`, bytes, next - 1, base);
      m.version = s.version;
      m.status = s.status;
      m.reason = s.reason;
    }
    this.carry.clear();
    m.firstLineDone = true;
    m.lastAt = at;
    if (bare) this.bareLf(m, base + next - 1, at);
    // An HTTP/0.9 simple request is its request line alone (RFC 1945 §4.1).
    if (m.version === 'HTTP/0.9') return this.finishHead(m, base + next, at, next);
    return next;
  }

  /**
   * scanStartLine checks start-line bytes as they arrive, so that non-HTTP bytes are rejected without
   * waiting for a LF; it returns the index of the first bad byte, or -1. It accepts a prefix of every
   * line that parseRequestLine/parseStatusLine accept, so the verdict does not depend on the split.
   */
  private scanStartLine(m: Message, bytes: Uint8Array, from: number, to: number): number {
    let phase = m.scanPhase;
    let count = m.scanCount;
    let bad = -1;
    if (this.kind === 'request') {
      // phase 0: method = token, then SP; phase 1: the rest of the line, no controls (RFC 9112 §3).
      for (let i = from; i < to; i++) {
        const b = bytes[i]!;
        if (phase === 0) {
          if (TCHAR[b] === 1) count++;
          else if (b === SP && count > 0) phase = 1;
          else {
            bad = i;
            break;
          }
        } else if (isLineCtl(b)) {
          bad = i;
          break;
        }
      }
    } else {
      // phases 0–4: "HTTP/"; phase 5: the rest of the line, no controls (RFC 9112 §4).
      for (let i = from; i < to; i++) {
        const b = bytes[i]!;
        if (phase < 5) {
          if (b !== HTTP_SLASH[phase]) {
            bad = i;
            break;
          }
          phase++;
        } else if (isLineCtl(b)) {
          bad = i;
          break;
        }
      }
    }
    m.scanPhase = phase;
    m.scanCount = count;
    return bad;
  }

  /** badStartLine reports a start line that is not one and hunts from its second byte; `consumed` is where the bytes not yet carried begin. */
  private badStartLine(m: Message, code: string, why: string, bytes: Uint8Array, consumed: number, base: number): number {
    this.anomaly(code, m.startOffset, m.startAt, why);
    this.msg = undefined;
    this.enterHunt(m.startOffset, 0);
    return this.resumeFrom(m.startOffset + 1, bytes, consumed, base);
  }

  private stepFieldLine(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const next = this.readLine(bytes, pos, base, at, m.sectionLimit, bytes.indexOf(LF, pos));
    if (next === CARRIED) return bytes.length;
    if (next === TOO_LONG) return this.headTooLarge(m, bytes, pos, base, at);
    const line = this.line;
    const lineStart = this.lineStart;
    const lineAt = this.carry.length > 0 ? (this.carry.refAt(lineStart) ?? at) : at;
    const bare = line.length === 0 || line[line.length - 1] !== CR;
    if (bare) this.bareLf(m, base + next - 1, at);
    const end = bare ? line.length : line.length - 1;
    m.lastAt = at;
    if (end === 0) {
      this.carry.clear();
      return this.finishHead(m, base + next, at, next);
    }
    const field = parseFieldLine(latin1(line, 0, end));
    this.carry.clear();
    if (this.addField(m.headers, field, lineStart, lineAt)) return next;
    this.anomaly(HTTP1_ANOMALY.headerTooLarge, lineStart, lineAt, `more than ${this.maxHeaders} field lines`);
    this.endMessage(m, base + next, at, false, { desync: 'malformed' });
    this.enterHunt(base + next, 0);
    return next;
  }

  /** addField adds a parsed field line to `list`, or unfolds it into the previous field; false when the list is full. */
  private addField(list: Http1Header[], field: FieldLine, lineStart: number, lineAt: ChunkRef): boolean {
    if (field.kind === 'bad') {
      this.anomaly(HTTP1_ANOMALY.badHeaderLine, lineStart, lineAt, `${field.why} (skipped)`);
      return true;
    }
    if (field.kind === 'fold') {
      const prev = list[list.length - 1];
      if (prev === undefined) {
        // RFC 9112 §2.2: whitespace between the start line and the first field line.
        this.anomaly(HTTP1_ANOMALY.badHeaderLine, lineStart, lineAt, 'line starting with whitespace before the first field (skipped)');
        return true;
      }
      // RFC 9112 §5.2: replace each obs-fold with SP.
      this.anomaly(HTTP1_ANOMALY.obsFold, lineStart, lineAt, `obsolete line folding in ${prev.name}`);
      if (field.value !== '') prev.value = prev.value === '' ? field.value : `${prev.value} ${field.value}`;
      return true;
    }
    if (list.length >= this.maxHeaders) return false;
    list.push(field.header);
    return true;
  }

  /** headTooLarge ends a head that reached maxHeaderBytes and hunts from the limit. */
  private headTooLarge(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const limit = m.sectionLimit;
    const limitAt = limit - base > pos ? at : (this.carry.lastRef() ?? m.lastAt);
    this.anomaly(HTTP1_ANOMALY.headerTooLarge, limit, at, `head longer than ${this.maxHeaderBytes} bytes`);
    this.carry.clear();
    this.endMessage(m, limit, limitAt, false, { desync: 'malformed' });
    this.enterHunt(limit, 0);
    return limit - base;
  }

  /** finishHead builds the head, asks the exchange layer for the BodyRule and sets up the body (RFC 9112 §6.3). */
  private finishHead(m: Message, headerEndOffset: number, at: ChunkRef, next: number): number {
    const f = readFramingFields(m.headers);
    const isRequest = this.kind === 'request';
    const head: Http1Head = {
      kind: this.kind,
      version: m.version,
      headers: m.headers,
      startOffset: m.startOffset,
      headerEndOffset,
      headerBytes: headerEndOffset - m.startOffset,
      startAt: m.startAt,
      headerEndAt: at,
      chunked: f.chunked,
      connectionTokens: f.connectionTokens,
    };
    if (isRequest) {
      head.method = m.method;
      head.target = m.target;
    } else {
      head.status = m.status;
      head.reason = m.reason;
    }
    if (f.contentLength !== undefined) head.contentLength = f.contentLength;
    if (f.keepAlive !== undefined) head.keepAlive = f.keepAlive;
    m.head = head;
    // Field anomalies point at the start of the head: field lines are not kept with their offsets.
    if (f.transferEncoding && f.contentLengthPresent) {
      const why = 'Transfer-Encoding and Content-Length: Transfer-Encoding wins (RFC 9112 §6.3)';
      this.anomaly(HTTP1_ANOMALY.contentLengthAndChunked, m.startOffset, m.startAt, why);
    }
    if (f.transferEncoding && m.version === 'HTTP/1.0') {
      const why = 'Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1)';
      this.anomaly(HTTP1_ANOMALY.transferEncodingInHttp10, m.startOffset, m.startAt, why);
    }
    if (f.contentLengthProblem !== undefined) this.anomaly(HTTP1_ANOMALY.invalidContentLength, m.startOffset, m.startAt, f.contentLengthProblem);
    if (isRequest && f.transferEncoding && !f.chunked) {
      const why = 'request Transfer-Encoding does not end in chunked: length unknown (RFC 9112 §6.3)';
      this.anomaly(HTTP1_ANOMALY.badTransferEncoding, m.startOffset, m.startAt, why);
    }

    const rule = this.hooks.onHead(head);
    let framing: Http1Framing;
    if (rule === 'tunnel') framing = 'tunnel';
    else if (rule === 'none' || m.version === 'HTTP/0.9') framing = 'none';
    // RFC 9112 §6.3 item 1: 1xx, 204 and 304 responses end with their head.
    else if (!isRequest && (m.status < 200 || m.status === 204 || m.status === 304)) framing = 'none';
    else if (f.transferEncoding) {
      // Items 3–4: chunked as final coding, else close-delimited (a request cannot be framed).
      framing = f.chunked ? 'chunked' : 'close-delimited';
      if (!f.chunked && isRequest) m.unframeable = true;
    } else if (f.contentLength !== undefined) {
      framing = 'content-length';
      m.expected = f.contentLength;
    } else if (f.contentLengthPresent) {
      // Item 5: an invalid Content-Length is an unrecoverable framing error.
      framing = isRequest ? 'none' : 'close-delimited';
      m.unframeable = true;
    } else {
      // Items 6–8: a request without framing fields has no body; a response runs to the close.
      framing = isRequest ? 'none' : 'close-delimited';
    }
    m.framing = framing;
    switch (framing) {
      case 'tunnel':
        this.endMessage(m, headerEndOffset, at, true, {});
        this.state = TUNNEL;
        break;
      case 'content-length':
        if (m.expected === 0) this.endMessage(m, headerEndOffset, at, true, {});
        else {
          m.remaining = m.expected!;
          this.state = BODY_LENGTH;
        }
        break;
      case 'chunked':
        this.state = CHUNK_SIZE;
        break;
      case 'close-delimited':
        this.state = BODY_CLOSE;
        break;
      default:
        this.endMessage(m, headerEndOffset, at, true, {});
    }
    return next;
  }

  //#endregion

  //#region bodies

  /** body reports payload bytes `bytes[pos, pos+n)`. */
  private body(m: Message, bytes: Uint8Array, pos: number, n: number, base: number, at: ChunkRef): void {
    m.bodyBytes += n;
    m.firstBodyAt ??= at;
    m.lastBodyAt = at;
    m.lastAt = at;
    if (this.hooks.onBody !== undefined) this.hooks.onBody(base + pos, n, at, bytes.subarray(pos, pos + n));
  }

  /** stepCounted consumes Content-Length body or chunk data bytes by arithmetic. */
  private stepCounted(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const n = Math.min(m.remaining, bytes.length - pos);
    this.body(m, bytes, pos, n, base, at);
    m.remaining -= n;
    const end = pos + n;
    if (m.remaining === 0) {
      if (this.state === CHUNK_DATA) this.state = CHUNK_CR;
      else this.endMessage(m, base + end, at, true, {});
    }
    return end;
  }

  private stepChunkSize(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    // Reject a line that cannot be a chunk size at its first byte, without waiting for a LF.
    if (this.carry.length === 0 && HEX[bytes[pos]!] === 255) {
      return this.chunkFail(m, HTTP1_ANOMALY.badChunkSize, 'chunk-size line does not start with a hex digit', base + pos, bytes, pos, base, at);
    }
    const lineStart = this.carry.length > 0 ? this.carry.startOffset : base + pos;
    const limit = lineStart + this.maxHeaderBytes;
    const next = this.readLine(bytes, pos, base, at, limit, bytes.indexOf(LF, pos));
    if (next === CARRIED) return bytes.length;
    if (next === TOO_LONG) {
      this.anomaly(HTTP1_ANOMALY.badChunkSize, lineStart, this.carry.refAt(lineStart) ?? at, `chunk-size line longer than ${this.maxHeaderBytes} bytes`);
      this.carry.clear();
      this.endMessage(m, lineStart, m.lastAt, false, { desync: 'malformed' });
      this.enterHunt(lineStart, 0);
      return limit - base;
    }
    const line = this.line;
    const bare = line.length === 0 || line[line.length - 1] !== CR;
    const r = parseChunkSizeLine(bare ? line : line.subarray(0, line.length - 1));
    if (!r.ok) {
      const text = JSON.stringify(latin1(line, 0, Math.min(line.length, 40)));
      return r.overflow
        ? this.chunkFail(m, HTTP1_ANOMALY.chunkSizeOverflow, `chunk size ${text} is above 2^53 − 1`, lineStart, bytes, next - 1, base, at)
        : this.chunkFail(m, HTTP1_ANOMALY.badChunkSize, `bad chunk-size line ${text}`, lineStart, bytes, next - 1, base, at);
    }
    if (r.badExtension) {
      this.anomaly(HTTP1_ANOMALY.badChunkExtension, lineStart, this.carry.refAt(lineStart) ?? at, 'malformed chunk extension (RFC 9112 §7.1.1)');
    }
    if (bare) this.bareLf(m, base + next - 1, at);
    this.carry.clear();
    m.lastAt = at;
    if (r.size === 0) {
      // RFC 9112 §7.1.2: last-chunk, then the trailer section and an empty line.
      m.sectionLimit = base + next + this.maxHeaderBytes;
      this.state = TRAILERS;
    } else {
      m.remaining = r.size;
      this.state = CHUNK_DATA;
    }
    return next;
  }

  private stepChunkEnd(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const b = bytes[pos]!;
    if (this.state === CHUNK_CR && b === CR) {
      this.state = CHUNK_LF;
      m.lastAt = at;
      return pos + 1;
    }
    if (b === LF) {
      if (this.state === CHUNK_CR) this.bareLf(m, base + pos, at);
      this.state = CHUNK_SIZE;
      m.lastAt = at;
      return pos + 1;
    }
    return this.chunkFail(m, HTTP1_ANOMALY.badChunkEnd, 'chunk data not followed by CRLF (RFC 9112 §7.1)', base + pos, bytes, pos, base, at);
  }

  /** chunkFail ends a chunked message at `failOffset` and hunts from there. */
  private chunkFail(m: Message, code: string, why: string, failOffset: number, bytes: Uint8Array, consumed: number, base: number, at: ChunkRef): number {
    this.anomaly(code, failOffset, failOffset >= base ? at : (this.carry.refAt(failOffset) ?? at), why);
    this.endMessage(m, failOffset, m.lastAt, false, { desync: 'malformed' });
    this.enterHunt(failOffset, 0);
    return this.resumeFrom(failOffset, bytes, consumed, base);
  }

  private stepTrailers(m: Message, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const next = this.readLine(bytes, pos, base, at, m.sectionLimit, bytes.indexOf(LF, pos));
    if (next === CARRIED) return bytes.length;
    if (next === TOO_LONG) {
      const limit = m.sectionLimit;
      const limitAt = limit - base > pos ? at : (this.carry.lastRef() ?? m.lastAt);
      this.anomaly(HTTP1_ANOMALY.headerTooLarge, limit, at, `trailer section longer than ${this.maxHeaderBytes} bytes`);
      this.carry.clear();
      this.endMessage(m, limit, limitAt, false, { desync: 'malformed' });
      this.enterHunt(limit, 0);
      return limit - base;
    }
    const line = this.line;
    const lineStart = this.lineStart;
    const lineAt = this.carry.length > 0 ? (this.carry.refAt(lineStart) ?? at) : at;
    const bare = line.length === 0 || line[line.length - 1] !== CR;
    if (bare) this.bareLf(m, base + next - 1, at);
    const end = bare ? line.length : line.length - 1;
    m.lastAt = at;
    if (end === 0) {
      this.carry.clear();
      this.endMessage(m, base + next, at, true, {});
      return next;
    }
    const field = parseFieldLine(latin1(line, 0, end));
    this.carry.clear();
    if (this.addField(m.trailers, field, lineStart, lineAt)) return next;
    this.anomaly(HTTP1_ANOMALY.headerTooLarge, lineStart, lineAt, `more than ${this.maxHeaders} trailer field lines`);
    this.endMessage(m, base + next, at, false, { desync: 'malformed' });
    this.enterHunt(base + next, 0);
    return next;
  }

  //#endregion

  //#region hunting

  /** enterHunt starts looking for a message start; bytes from `start` on that are skipped count as lost, `gapBytes` of them already uncaptured. */
  private enterHunt(start: number, gapBytes: number): void {
    this.msg = undefined;
    this.state = HUNT;
    this.huntStart = start;
    this.huntGap = gapBytes;
    this.huntCarry.clear();
    this.huntTruncated = false;
  }

  /**
   * stepHuntStatus looks for `HTTP/1.x SP 3DIGIT (SP/CR/LF)` anywhere (a response may follow a body
   * directly). The carry holds a candidate that the previous chunk cut short, at most 12 bytes.
   */
  private stepHuntStatus(bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const c = this.huntCarry;
    const cl = c.length;
    const total = cl + bytes.length - pos;
    const get = (j: number): number => (j < cl ? c.byteAt(j) : bytes[pos + j - cl]!);
    let partial = -1;
    for (let j = 0; j < cl && partial === -1; j++) {
      if (c.byteAt(j) !== 0x48) continue;
      const r = matchStatusStart(get, j, total);
      if (r === 1) return this.huntFound(j, bytes, pos, base, at);
      if (r === -1) partial = j;
    }
    if (partial === -1) {
      for (let i = bytes.indexOf(0x48, pos); i !== -1; i = bytes.indexOf(0x48, i + 1)) {
        const j = cl + i - pos;
        const r = matchStatusStart(get, j, total);
        if (r === 1) return this.huntFound(j, bytes, pos, base, at);
        if (r === -1) {
          partial = j;
          break;
        }
      }
    }
    if (partial === -1) c.clear();
    else if (partial < cl) {
      c.keepLast(cl - partial);
      c.append(bytes, pos, bytes.length, base + pos, at);
    } else {
      c.clear();
      const i = pos + partial - cl;
      c.append(bytes, i, bytes.length, base + i, at);
    }
    return bytes.length;
  }

  /**
   * stepHuntRequest looks for `METHOD SP target SP HTTP/1.x [CR] LF` at each LF, walking back over the
   * target and an upper-case method. A request line holds no control bytes, so the carry keeps the run
   * since the last control byte; past 2 × maxHeaderBytes it keeps only the last maxHeaderBytes + 1 bytes
   * (any longer line would be over the head limit anyway).
   */
  private stepHuntRequest(bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const c = this.huntCarry;
    const cl = c.length;
    const get = (j: number): number => (j < cl ? c.byteAt(j) : bytes[pos + j - cl]!);
    for (let i = bytes.indexOf(LF, pos); i !== -1; i = bytes.indexOf(LF, i + 1)) {
      const s = this.matchRequestBefore(get, cl + i - pos);
      if (s >= 0) return this.huntFound(s, bytes, pos, base, at);
    }
    let b = bytes.length - 1;
    while (b >= pos && !isHuntBreak(bytes[b]!)) b--;
    if (b >= pos) {
      c.clear();
      this.huntTruncated = false;
      c.append(bytes, b + 1, bytes.length, base + b + 1, at);
    } else {
      c.append(bytes, pos, bytes.length, base + pos, at);
      if (c.length > 2 * (this.maxHeaderBytes + 1)) {
        c.keepLast(this.maxHeaderBytes + 1);
        this.huntTruncated = true;
      }
    }
    return bytes.length;
  }

  /** matchRequestBefore returns the index where a request line ending with the LF at `k` starts, or -1. */
  private matchRequestBefore(get: (j: number) => number, k: number): number {
    const minJ = Math.max(0, k - this.maxHeaderBytes);
    let p = k - 1;
    if (p >= minJ && get(p) === CR) p--;
    // p is the minor version digit of "HTTP/1.x", p - 8 the SP before it.
    if (p - 8 < minJ || !isDigitByte(get(p))) return -1;
    for (let i = 0; i < 7; i++) if (get(p - 7 + i) !== HTTP_1_DOT[i]) return -1;
    if (get(p - 8) !== SP) return -1;
    const targetEnd = p - 9;
    let q = targetEnd;
    while (q >= minJ && isTargetByte(get(q))) q--;
    if (q === targetEnd || q < minJ || get(q) !== SP) return -1;
    const methodEnd = q - 1;
    let r = methodEnd;
    while (r >= minJ && isMethodChar(get(r))) r--;
    if (r === methodEnd) return -1;
    // Ran into the start of what is kept: fine only if that is right after a control byte or a gap.
    if (r < minJ && (minJ > 0 || this.huntTruncated)) return -1;
    return r + 1;
  }

  /** huntFound resumes parsing at hunt index `j` (huntCarry bytes, then bytes[pos..]). */
  private huntFound(j: number, bytes: Uint8Array, pos: number, base: number, at: ChunkRef): number {
    const c = this.huntCarry;
    const cl = c.length;
    const offset = base + pos - cl + j;
    const foundAt = j < cl ? (c.refAt(offset) ?? at) : at;
    const skipped = offset - this.huntStart - this.huntGap;
    if (skipped > 0 || this.huntGap > 0) {
      this.anomaly(HTTP1_ANOMALY.resync, offset, foundAt, `resynchronised after ${skipped} skipped and ${this.huntGap} uncaptured bytes`, {
        skippedBytes: skipped,
        gapBytes: this.huntGap,
      });
    }
    this.state = IDLE;
    // What was found starts with a method or "HTTP/": not an HTTP/0.9 response.
    this.asked09 = true;
    this.huntTruncated = false;
    if (j < cl) {
      this.replay = c.detachFrom(offset);
      return pos;
    }
    c.clear();
    return pos + j - cl;
  }

  /** reportUnparsed reports the bytes a hunt skipped when the direction ends (or turns into a tunnel) before it found a message start. */
  private reportUnparsed(): void {
    const skipped = this.nextOffset - this.huntStart - this.huntGap;
    if (skipped <= 0 && this.huntGap <= 0) return;
    this.hooks.onAnomaly({
      code: HTTP1_ANOMALY.unparsedTail,
      offset: this.huntStart,
      message: `no message start found in the last ${skipped} bytes (${this.huntGap} more uncaptured)`,
      skippedBytes: skipped,
      gapBytes: this.huntGap,
    });
  }

  //#endregion

  //#region helpers

  /**
   * readLine finds the LF ending the line that starts at `pos` (or in the carry) within the limit, and
   * returns the index after it with the line (CR kept, LF dropped) in this.line/this.lineStart; or
   * CARRIED after copying an unfinished line into the carry; or TOO_LONG when the line reaches `limitOffset`.
   */
  private readLine(bytes: Uint8Array, pos: number, base: number, at: ChunkRef, limitOffset: number, lf: number): number {
    const limitIdx = limitOffset - base;
    if (lf !== -1 && lf < limitIdx) {
      if (this.carry.length === 0) {
        this.line = bytes.subarray(pos, lf);
        this.lineStart = base + pos;
      } else {
        this.carry.append(bytes, pos, lf, base + pos, at);
        this.line = this.carry.bytes();
        this.lineStart = this.carry.startOffset;
      }
      return lf + 1;
    }
    if (lf === -1 && bytes.length <= limitIdx) {
      this.carry.append(bytes, pos, bytes.length, base + pos, at);
      return CARRIED;
    }
    return TOO_LONG;
  }

  /**
   * resumeFrom returns the index to continue at so that the next state sees the stream from `offset`:
   * bytes of the carry from there are queued for replay (then bytes[consumed..]), or, when `offset` lies
   * in this chunk, its index. The carry always ends where bytes[consumed..] begins.
   */
  private resumeFrom(offset: number, bytes: Uint8Array, consumed: number, base: number): number {
    if (this.carry.length === 0 || offset >= base) {
      this.carry.clear();
      return Math.min(offset - base, bytes.length);
    }
    this.replay = this.carry.detachFrom(offset);
    return consumed;
  }

  private bareLf(m: Message, offset: number, at: ChunkRef): void {
    if (m.bareLf) return;
    m.bareLf = true;
    this.anomaly(HTTP1_ANOMALY.bareLf, offset, at, 'line ended by LF without CR (RFC 9112 §2.2)');
  }

  private anomaly(code: string, offset: number, at: ChunkRef, message: string, extra?: Partial<Http1Anomaly>): void {
    this.hooks.onAnomaly({ code, offset, at, message, ...extra });
  }

  /** endMessage reports the end of `m` and returns to IDLE (callers may then switch to HUNT or TUNNEL). */
  private endMessage(m: Message, endOffset: number, endAt: ChunkRef, complete: boolean, details: EndDetails): void {
    const head = m.head;
    const bodyStart = head !== undefined ? head.headerEndOffset : m.framing === 'http09' ? m.startOffset : endOffset;
    const out: Http1MessageEnd = {
      head,
      framing: m.framing,
      startOffset: m.startOffset,
      startAt: m.startAt,
      bodyBytes: m.bodyBytes,
      bodyWireBytes: endOffset - bodyStart,
      trailers: m.trailers,
      endOffset,
      endAt,
      complete: complete && m.gapBytes === 0 && !m.unframeable,
      gapBytes: m.gapBytes,
    };
    if (m.expected !== undefined) out.expectedBodyBytes = m.expected;
    if (m.firstBodyAt !== undefined) out.firstBodyAt = m.firstBodyAt;
    if (m.lastBodyAt !== undefined) out.lastBodyAt = m.lastBodyAt;
    if (details.truncatedBy !== undefined) out.truncatedBy = details.truncatedBy;
    if (details.truncatedAt !== undefined) out.truncatedAt = details.truncatedAt;
    if (details.desync !== undefined) out.desync = details.desync;
    this.msg = undefined;
    this.state = IDLE;
    this.asked09 = false;
    this.hooks.onMessageEnd(out);
  }

  //#endregion
}

//#region byte patterns

/** "HTTP/" as bytes. */
const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f];
/** "HTTP/1." as bytes. */
const HTTP_1_DOT = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e];

function isDigitByte(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** A byte of a request target while hunting: visible ASCII or obs-text. */
function isTargetByte(b: number): boolean {
  return b > SP && b !== 0x7f;
}

/** Bytes that cannot occur in a request line (CR can, just before LF). */
function isHuntBreak(b: number): boolean {
  return (b < SP && b !== CR) || b === 0x7f;
}

/** matchStatusStart says whether `HTTP/1.x SP 3DIGIT (SP/CR/LF)` starts at hunt index j: 1 yes, 0 no, -1 not enough bytes to tell. */
function matchStatusStart(get: (j: number) => number, j: number, total: number): number {
  for (let k = 0; k < 13; k++) {
    if (j + k >= total) return -1;
    const b = get(j + k);
    let ok: boolean;
    if (k < 7) ok = b === HTTP_1_DOT[k];
    else if (k === 8) ok = b === SP;
    else if (k === 12) ok = b === SP || b === CR || b === LF;
    else ok = isDigitByte(b);
    if (!ok) return 0;
  }
  return 1;
}

//#endregion
