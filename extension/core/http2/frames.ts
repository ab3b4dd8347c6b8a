// SPDX-License-Identifier: MIT
//
// HTTP/2 framing (RFC 9113 §4, §6): the 9-octet frame header, payload decoders for every frame type
// of RFC 9113, and FrameReader, the per-direction push parser that cuts a byte stream into frames.
//
// Decoders never throw: they return FrameDecoded, whose error carries the stable anomaly code the
// session reports (`http2.frame-size`, `http2.bad-stream-id`, `http2.bad-padding`). Offsets in
// errors are relative to the frame's first octet (its header).

import type { ChunkRef, StreamEnd } from '../http/streamTypes.js';
import type { DecodeError } from '../wire/decoded.js';

//#region constants

/** FRAME_HEADER_LENGTH is the size of every frame header (RFC 9113 §4.1). */
export const FRAME_HEADER_LENGTH = 9;

/** DEFAULT_MAX_FRAME_SIZE is the initial SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;

/** MAX_ALLOWED_FRAME_SIZE is the largest SETTINGS_MAX_FRAME_SIZE a peer may advertise, 2^24-1 (RFC 9113 §6.5.2). */
export const MAX_ALLOWED_FRAME_SIZE = 16_777_215;

/** CLIENT_PREFACE is the connection preface a client sends first (RFC 9113 §3.4), as octets. */
export const CLIENT_PREFACE = new Uint8Array([
  0x50, 0x52, 0x49, 0x20, 0x2a, 0x20, 0x48, 0x54, 0x54, 0x50, 0x2f, 0x32, 0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a, 0x53, 0x4d, 0x0d, 0x0a, 0x0d,
  0x0a,
]);

/** FrameType holds the frame type codes of RFC 9113 §6 (§11.2 registry). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** FrameFlag holds the frame flags of RFC 9113 §6; a flag's meaning depends on the frame type. */
export const FrameFlag = {
  /** DATA, HEADERS. */
  END_STREAM: 0x1,
  /** SETTINGS, PING. */
  ACK: 0x1,
  /** HEADERS, PUSH_PROMISE, CONTINUATION. */
  END_HEADERS: 0x4,
  /** DATA, HEADERS, PUSH_PROMISE. */
  PADDED: 0x8,
  /** HEADERS. */
  PRIORITY: 0x20,
} as const;

/** SettingId holds the SETTINGS parameter identifiers (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1). */
export const SettingId = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
} as const;

const FRAME_TYPE_NAMES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];
const SETTING_NAMES: Record<number, string> = {
  1: 'HEADER_TABLE_SIZE',
  2: 'ENABLE_PUSH',
  3: 'MAX_CONCURRENT_STREAMS',
  4: 'INITIAL_WINDOW_SIZE',
  5: 'MAX_FRAME_SIZE',
  6: 'MAX_HEADER_LIST_SIZE',
  8: 'ENABLE_CONNECT_PROTOCOL',
  9: 'NO_RFC7540_PRIORITIES',
};
const ERROR_CODE_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** frameTypeName names a frame type, e.g. "HEADERS", or "0xa" for an unknown one. */
export function frameTypeName(type: number): string {
  return FRAME_TYPE_NAMES[type] ?? hex(type);
}

/** settingName names a SETTINGS parameter, e.g. "INITIAL_WINDOW_SIZE", or "0x10" for an unknown one. */
export function settingName(id: number): string {
  return SETTING_NAMES[id] ?? hex(id);
}

/** errorCodeName names an RST_STREAM/GOAWAY error code (RFC 9113 §7), e.g. "CANCEL", or "0x1f" for an unknown one. */
export function errorCodeName(code: number): string {
  return ERROR_CODE_NAMES[code] ?? hex(code);
}

//#endregion

//#region decoders

/** FrameHeader is a decoded frame header (RFC 9113 §4.1); the reserved bit of the stream id is dropped. */
export interface FrameHeader {
  /** Payload length in octets (24 bits). */
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

/** Http2FrameErrorCode is the anomaly code of a frame that breaks RFC 9113 §6. */
export type Http2FrameErrorCode = 'http2.frame-size' | 'http2.bad-stream-id' | 'http2.bad-padding';

/**
 * FrameError is the DecodeError of a frame (layer `http2`): `truncated` for too few octets,
 * `malformed` for an impossible field, plus the anomaly code; `offset` counts from the frame's first octet.
 */
export interface FrameError extends DecodeError {
  kind: 'truncated' | 'malformed';
  layer: 'http2';
  /** Anomaly code for the session's report. */
  code: Http2FrameErrorCode;
}

/** FrameDecoded is the result of a frame decoder (a Decoded<T> with a FrameError): a value or an error, never an exception. */
export type FrameDecoded<T> = { ok: true; value: T } | { ok: false; error: FrameError };

/** PriorityFields are the deprecated stream dependency fields of HEADERS and PRIORITY (RFC 9113 §5.3.2, §6.3). */
export interface PriorityFields {
  exclusive: boolean;
  dependency: number;
  /** 1..256 (the octet plus one). */
  weight: number;
}

/** SettingValue is one SETTINGS parameter (RFC 9113 §6.5.1). */
export interface SettingValue {
  id: number;
  value: number;
}

/**
 * Http2Frame is a decoded frame payload. Uint8Array members are views into the payload passed to
 * decodeFramePayload and valid only as long as it is.
 */
export type Http2Frame =
  | { kind: 'data'; header: FrameHeader; endStream: boolean; padLength: number; dataLength: number }
  | { kind: 'headers'; header: FrameHeader; endStream: boolean; endHeaders: boolean; padLength: number; priority?: PriorityFields; fragment: Uint8Array }
  | { kind: 'priority'; header: FrameHeader; priority: PriorityFields }
  | { kind: 'rst-stream'; header: FrameHeader; errorCode: number }
  | { kind: 'settings'; header: FrameHeader; ack: boolean; settings: SettingValue[] }
  | { kind: 'push-promise'; header: FrameHeader; endHeaders: boolean; padLength: number; promisedStreamId: number; fragment: Uint8Array }
  | { kind: 'ping'; header: FrameHeader; ack: boolean; opaqueData: Uint8Array }
  | { kind: 'goaway'; header: FrameHeader; lastStreamId: number; errorCode: number; debugData: Uint8Array }
  | { kind: 'window-update'; header: FrameHeader; increment: number }
  | { kind: 'continuation'; header: FrameHeader; endHeaders: boolean; fragment: Uint8Array }
  | { kind: 'unknown'; header: FrameHeader };

function ok<T>(value: T): FrameDecoded<T> {
  return { ok: true, value };
}

function err<T>(kind: FrameError['kind'], code: Http2FrameErrorCode, offset: number, message: string): FrameDecoded<T> {
  return { ok: false, error: { kind, layer: 'http2', code, offset, message } };
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** parseFrameHeader reads a frame header at `at`; the caller guarantees 9 octets are there. */
export function parseFrameHeader(b: Uint8Array, at: number): FrameHeader {
  return {
    length: (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!,
    type: b[at + 3]!,
    flags: b[at + 4]!,
    // RFC 9113 §4.1: the reserved bit is ignored on receipt.
    streamId: u32(b, at + 5) & 0x7fff_ffff,
  };
}

/** decodeFrameHeader decodes the frame header at the start of `bytes` (RFC 9113 §4.1). */
export function decodeFrameHeader(bytes: Uint8Array): FrameDecoded<FrameHeader> {
  if (bytes.length < FRAME_HEADER_LENGTH) {
    return err('truncated', 'http2.frame-size', 0, `frame header needs ${FRAME_HEADER_LENGTH} octets, only ${bytes.length} present`);
  }
  return ok(parseFrameHeader(bytes, 0));
}

/** dataPadding checks a DATA frame's padding (RFC 9113 §6.1) from its Pad Length octet (ignored unless PADDED). */
export function dataPadding(h: FrameHeader, padLengthOctet: number): FrameDecoded<{ padLength: number; dataLength: number }> {
  if ((h.flags & FrameFlag.PADDED) === 0) return ok({ padLength: 0, dataLength: h.length });
  if (h.length < 1) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, 'PADDED DATA frame without a Pad Length octet');
  // §6.1: padding that is the length of the payload or greater is a PROTOCOL_ERROR.
  if (padLengthOctet > h.length - 1) {
    return err('malformed', 'http2.bad-padding', FRAME_HEADER_LENGTH, `Pad Length ${padLengthOctet} not below the ${h.length}-octet payload`);
  }
  return ok({ padLength: padLengthOctet, dataLength: h.length - 1 - padLengthOctet });
}

/** streamIdError checks that a frame is (streamBound) or is not (connection frames) on a stream other than 0 (RFC 9113 §6). */
function streamIdError<T>(h: FrameHeader, streamBound: boolean): FrameDecoded<T> | undefined {
  if (streamBound && h.streamId === 0) return err('malformed', 'http2.bad-stream-id', 5, `${frameTypeName(h.type)} frame on stream 0`);
  if (!streamBound && h.streamId !== 0) return err('malformed', 'http2.bad-stream-id', 5, `${frameTypeName(h.type)} frame on stream ${h.streamId}, must be 0`);
  return undefined;
}

function exactLength<T>(h: FrameHeader, want: number, payloadLength: number): FrameDecoded<T> | undefined {
  if (h.length !== want) return err(h.length < want ? 'truncated' : 'malformed', 'http2.frame-size', 0, `${frameTypeName(h.type)} frame of ${h.length} octets, must be ${want}`);
  if (payloadLength < want) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `${frameTypeName(h.type)} payload needs ${want} octets, only ${payloadLength} present`);
  return undefined;
}

function priorityAt(p: Uint8Array, at: number): PriorityFields {
  const word = u32(p, at);
  return { exclusive: word >>> 31 === 1, dependency: word & 0x7fff_ffff, weight: p[at + 4]! + 1 };
}

/**
 * paddedFragment finds the field block fragment of a HEADERS or PUSH_PROMISE payload after the
 * optional Pad Length octet and `fixed` more octets (priority, promised stream id) (RFC 9113 §6.2, §6.6).
 */
function paddedFragment(h: FrameHeader, p: Uint8Array, fixed: number): FrameDecoded<{ padLength: number; start: number; end: number }> {
  const padded = (h.flags & FrameFlag.PADDED) !== 0;
  const before = (padded ? 1 : 0) + fixed;
  if (h.length < before || p.length < before) {
    return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `${frameTypeName(h.type)} payload of ${h.length} octets shorter than its ${before} fixed octets`);
  }
  const padLength = padded ? p[0]! : 0;
  if (padLength > h.length - before) {
    return err('malformed', 'http2.bad-padding', FRAME_HEADER_LENGTH, `Pad Length ${padLength} exceeds the ${h.length - before} octets after the fixed fields`);
  }
  const end = h.length - padLength;
  if (p.length < end) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `${frameTypeName(h.type)} payload needs ${h.length} octets, only ${p.length} present`);
  return ok({ padLength, start: before, end });
}

/**
 * decodeFramePayload decodes a frame's payload (RFC 9113 §6) and checks the stream-id and length
 * rules of its type. `payload` holds the octets after the header (at least `header.length` of them,
 * except for DATA, where only the Pad Length octet is read). Unknown types decode as `unknown`
 * (§5.5: they are ignored).
 */
export function decodeFramePayload(h: FrameHeader, payload: Uint8Array): FrameDecoded<Http2Frame> {
  const p = payload;
  switch (h.type) {
    case FrameType.DATA: {
      const bad = streamIdError<Http2Frame>(h, true);
      if (bad) return bad;
      if ((h.flags & FrameFlag.PADDED) !== 0 && h.length >= 1 && p.length < 1) {
        return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, 'DATA payload needs its Pad Length octet');
      }
      const pad = dataPadding(h, p[0] ?? 0);
      if (!pad.ok) return pad;
      return ok({ kind: 'data', header: h, endStream: (h.flags & FrameFlag.END_STREAM) !== 0, ...pad.value });
    }
    case FrameType.HEADERS: {
      const bad = streamIdError<Http2Frame>(h, true);
      if (bad) return bad;
      const hasPriority = (h.flags & FrameFlag.PRIORITY) !== 0;
      const frag = paddedFragment(h, p, hasPriority ? 5 : 0);
      if (!frag.ok) return frag;
      const { padLength, start, end } = frag.value;
      return ok({
        kind: 'headers',
        header: h,
        endStream: (h.flags & FrameFlag.END_STREAM) !== 0,
        endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0,
        padLength,
        priority: hasPriority ? priorityAt(p, start - 5) : undefined,
        fragment: p.subarray(start, end),
      });
    }
    case FrameType.PRIORITY: {
      const bad = streamIdError<Http2Frame>(h, true) ?? exactLength<Http2Frame>(h, 5, p.length);
      if (bad) return bad;
      return ok({ kind: 'priority', header: h, priority: priorityAt(p, 0) });
    }
    case FrameType.RST_STREAM: {
      const bad = streamIdError<Http2Frame>(h, true) ?? exactLength<Http2Frame>(h, 4, p.length);
      if (bad) return bad;
      return ok({ kind: 'rst-stream', header: h, errorCode: u32(p, 0) });
    }
    case FrameType.SETTINGS: {
      const bad = streamIdError<Http2Frame>(h, false);
      if (bad) return bad;
      const ack = (h.flags & FrameFlag.ACK) !== 0;
      // §6.5: an ACK with a payload, or a length not a multiple of 6, is a FRAME_SIZE_ERROR.
      if (ack && h.length !== 0) return err('malformed', 'http2.frame-size', 0, `SETTINGS ACK with a ${h.length}-octet payload`);
      if (h.length % 6 !== 0) return err('malformed', 'http2.frame-size', 0, `SETTINGS payload of ${h.length} octets is not a multiple of 6`);
      if (p.length < h.length) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `SETTINGS payload needs ${h.length} octets, only ${p.length} present`);
      return ok({ kind: 'settings', header: h, ack, settings: decodeSettings(p, 0, h.length) });
    }
    case FrameType.PUSH_PROMISE: {
      const bad = streamIdError<Http2Frame>(h, true);
      if (bad) return bad;
      const frag = paddedFragment(h, p, 4);
      if (!frag.ok) return frag;
      const { padLength, start, end } = frag.value;
      return ok({
        kind: 'push-promise',
        header: h,
        endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0,
        padLength,
        promisedStreamId: u32(p, start - 4) & 0x7fff_ffff,
        fragment: p.subarray(start, end),
      });
    }
    case FrameType.PING: {
      const bad = streamIdError<Http2Frame>(h, false) ?? exactLength<Http2Frame>(h, 8, p.length);
      if (bad) return bad;
      return ok({ kind: 'ping', header: h, ack: (h.flags & FrameFlag.ACK) !== 0, opaqueData: p.subarray(0, 8) });
    }
    case FrameType.GOAWAY: {
      const bad = streamIdError<Http2Frame>(h, false);
      if (bad) return bad;
      if (h.length < 8) return err('truncated', 'http2.frame-size', 0, `GOAWAY frame of ${h.length} octets, needs at least 8`);
      if (p.length < h.length) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `GOAWAY payload needs ${h.length} octets, only ${p.length} present`);
      return ok({ kind: 'goaway', header: h, lastStreamId: u32(p, 0) & 0x7fff_ffff, errorCode: u32(p, 4), debugData: p.subarray(8, h.length) });
    }
    case FrameType.WINDOW_UPDATE: {
      const bad = exactLength<Http2Frame>(h, 4, p.length);
      if (bad) return bad;
      return ok({ kind: 'window-update', header: h, increment: u32(p, 0) & 0x7fff_ffff });
    }
    case FrameType.CONTINUATION: {
      const bad = streamIdError<Http2Frame>(h, true);
      if (bad) return bad;
      if (p.length < h.length) return err('truncated', 'http2.frame-size', FRAME_HEADER_LENGTH, `CONTINUATION payload needs ${h.length} octets, only ${p.length} present`);
      return ok({ kind: 'continuation', header: h, endHeaders: (h.flags & FrameFlag.END_HEADERS) !== 0, fragment: p.subarray(0, h.length) });
    }
    default:
      return ok({ kind: 'unknown', header: h });
  }
}

/** decodeSettings reads SETTINGS parameters from `p[start, end)`; the caller checked the length is a multiple of 6 (RFC 9113 §6.5.1). */
export function decodeSettings(p: Uint8Array, start: number, end: number): SettingValue[] {
  const settings: SettingValue[] = [];
  for (let at = start; at + 6 <= end; at += 6) settings.push({ id: (p[at]! << 8) | p[at + 1]!, value: u32(p, at + 2) });
  return settings;
}

//#endregion

//#region FrameReader

/** FrameContext says where a frame sat in its direction's byte stream and what the reader could keep of it. */
export interface FrameContext {
  /** Stream offset of the frame's first octet (its header). */
  offset: number;
  /** Chunk that carried the frame's first octet. */
  startAt: ChunkRef;
  /** Chunk that carried its last octet (or the last chunk seen, when the frame ended inside a gap). */
  endAt: ChunkRef;
  /** DATA: the Pad Length octet (0 unless PADDED, or when it was not captured). */
  padLengthOctet: number;
  /** Payload octets that were never captured (a gap inside the frame). */
  missingBytes: number;
  /** Why the payload is absent although the type is buffered: too large, or partly lost in a gap. */
  skipped?: 'too-large' | 'gap';
}

/** FrameSink receives what a FrameReader finds, synchronously from push/gap/end. */
export interface FrameSink {
  /**
   * onFrame delivers a whole frame once its last octet arrived. `payload` is the complete payload
   * for every type but DATA, as a view valid only during the call; it is undefined for DATA
   * (payloads are counted, never buffered) and for frames the reader skipped (see ctx.skipped).
   */
  onFrame(header: FrameHeader, payload: Uint8Array | undefined, ctx: FrameContext): void;
  /** onAnomaly reports a framing problem (`http2.bad-preface`, `http2.frame-too-large`, `http2.gap`, ...). */
  onAnomaly(code: string, offset: number, at: ChunkRef | undefined, message: string): void;
}

/** FrameReaderOptions tune a FrameReader. */
export interface FrameReaderOptions {
  /** Expect the 24-octet client preface (RFC 9113 §3.4) before the first frame (the client's direction). */
  expectPreface: boolean;
  /** Largest non-DATA payload buffered; larger ones are skipped (default 1 MiB). */
  maxBufferedPayload?: number;
}

const enum ReaderState {
  Preface,
  Header,
  /** Collecting a non-DATA payload. */
  Buffer,
  /** DATA: waiting for the Pad Length octet. */
  DataPad,
  /** Counting a DATA payload or a skipped payload. */
  Count,
  Stopped,
}

/**
 * FrameReader cuts one direction's byte stream into frames (RFC 9113 §4) and hands them to a
 * FrameSink. Only the 9-octet header and non-DATA payloads are copied (and only when they span
 * pushes); DATA payloads are counted.
 *
 * Call order: { push | gap }* in stream order, then end() once. The sink must not call back into
 * the reader, except to set `maxFrameSize`, which applies from the next frame header.
 *
 * Gaps. Frame boundaries cannot be found again after lost octets (HTTP/2 has no resync marker), so
 * a gap stops the direction with `http2.gap`, unless it lies wholly inside the payload of the
 * current frame: then the frame is delivered with `missingBytes` (and, for buffered types,
 * without payload, skipped 'gap') and parsing goes on at the next frame.
 */
export class FrameReader {
  /** Largest frame payload the receiver allows (its SETTINGS_MAX_FRAME_SIZE); larger frames are reported and skipped. */
  maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private state: ReaderState;
  private readonly maxBuffered: number;
  private prefaceFill = 0;
  private readonly headerBuf = new Uint8Array(FRAME_HEADER_LENGTH);
  private headerFill = 0;
  private header: FrameHeader | undefined;
  private payload: Uint8Array | undefined;
  private payloadFill = 0;
  /** Count state: payload octets still to come. */
  private remaining = 0;
  private frameOffset = 0;
  private frameStartAt: ChunkRef | undefined;
  private padLengthOctet = 0;
  private missing = 0;
  private skipped: FrameContext['skipped'];
  private lastAt: ChunkRef | undefined;
  /** Stream offset of the next octet expected; undefined before the first push. */
  private nextOffset: number | undefined;
  /** Octets ignored after the reader stopped. */
  ignoredBytes = 0;
  /** Frames delivered. */
  frames = 0;

  constructor(
    private readonly sink: FrameSink,
    options: FrameReaderOptions,
  ) {
    this.state = options.expectPreface ? ReaderState.Preface : ReaderState.Header;
    this.maxBuffered = options.maxBufferedPayload ?? 1024 * 1024;
  }

  /** stopped is true once a gap or a bad preface ended parsing of this direction. */
  get stopped(): boolean {
    return this.state === ReaderState.Stopped;
  }

  /** midFrame is true while a frame (or the preface) has started but not ended. */
  get midFrame(): boolean {
    return this.state === ReaderState.Preface ? this.prefaceFill > 0 : this.state === ReaderState.Header ? this.headerFill > 0 : this.state !== ReaderState.Stopped;
  }

  /** push delivers the next octets of the stream; `bytes` is only read during the call. */
  push(bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    let pos = 0;
    if (this.nextOffset !== undefined && streamOffset !== this.nextOffset) {
      // Defensive: the contract is consecutive offsets. A hole is a gap; an overlap is skipped.
      if (streamOffset > this.nextOffset) this.gap(this.nextOffset, streamOffset - this.nextOffset);
      else pos = Math.min(bytes.length, this.nextOffset - streamOffset);
    }
    this.nextOffset = streamOffset + bytes.length;
    this.lastAt = at;
    const len = bytes.length;
    while (pos < len) {
      switch (this.state) {
        case ReaderState.Stopped:
          this.ignoredBytes += len - pos;
          return;
        case ReaderState.Preface: {
          // RFC 9113 §3.4: the client preface, compared octet by octet (it may span pushes).
          while (pos < len && this.prefaceFill < CLIENT_PREFACE.length) {
            if (bytes[pos] !== CLIENT_PREFACE[this.prefaceFill]) {
              this.stop('http2.bad-preface', streamOffset + pos, at, 'client connection preface (PRI * HTTP/2.0...) missing or wrong');
              break;
            }
            pos++;
            this.prefaceFill++;
          }
          if (this.prefaceFill === CLIENT_PREFACE.length) this.state = ReaderState.Header;
          break;
        }
        case ReaderState.Header: {
          if (this.headerFill === 0 && len - pos >= FRAME_HEADER_LENGTH) {
            this.beginFrame(parseFrameHeader(bytes, pos), streamOffset + pos, at);
            pos += FRAME_HEADER_LENGTH;
          } else {
            const take = Math.min(FRAME_HEADER_LENGTH - this.headerFill, len - pos);
            if (this.headerFill === 0) {
              this.frameOffset = streamOffset + pos;
              this.frameStartAt = at;
            }
            this.headerBuf.set(bytes.subarray(pos, pos + take), this.headerFill);
            this.headerFill += take;
            pos += take;
            if (this.headerFill === FRAME_HEADER_LENGTH) {
              this.headerFill = 0;
              this.beginFrame(parseFrameHeader(this.headerBuf, 0), this.frameOffset, this.frameStartAt!);
            }
          }
          break;
        }
        case ReaderState.Buffer: {
          const h = this.header!;
          if (this.payload === undefined && this.payloadFill === 0 && len - pos >= h.length) {
            // The whole payload is in this push: hand out a view, no copy.
            const view = bytes.subarray(pos, pos + h.length);
            pos += h.length;
            this.complete(view, at);
          } else {
            this.payload ??= new Uint8Array(h.length);
            const take = Math.min(h.length - this.payloadFill, len - pos);
            this.payload.set(bytes.subarray(pos, pos + take), this.payloadFill);
            this.payloadFill += take;
            pos += take;
            if (this.payloadFill === h.length) this.complete(this.payload, at);
          }
          break;
        }
        case ReaderState.DataPad: {
          this.padLengthOctet = bytes[pos]!;
          pos++;
          this.remaining--;
          this.state = ReaderState.Count;
          if (this.remaining === 0) this.complete(undefined, at);
          break;
        }
        case ReaderState.Count: {
          const take = Math.min(this.remaining, len - pos);
          this.remaining -= take;
          pos += take;
          if (this.remaining === 0) this.complete(undefined, at);
          break;
        }
      }
    }
  }

  /** gap reports `length` octets at `streamOffset` that were on the wire but not captured. */
  gap(streamOffset: number, length: number): void {
    if (length <= 0) return;
    this.nextOffset = streamOffset + length;
    const at = this.lastAt;
    switch (this.state) {
      case ReaderState.Stopped:
        this.ignoredBytes += length;
        return;
      case ReaderState.Buffer:
      case ReaderState.DataPad:
      case ReaderState.Count: {
        const left = this.state === ReaderState.Buffer ? this.header!.length - this.payloadFill : this.remaining;
        if (length <= left) {
          // The gap ends inside (or at the end of) this frame's payload: the next frame header is known.
          if (this.state === ReaderState.Buffer) {
            this.skipped = 'gap';
            this.payload = undefined;
          }
          this.state = ReaderState.Count;
          this.remaining = left - length;
          this.missing += length;
          if (this.remaining === 0 && at !== undefined) this.complete(undefined, at);
          return;
        }
        break;
      }
      default:
        break;
    }
    this.stop('http2.gap', streamOffset, at, `${length} octets not captured at a frame boundary or across frames: frames cannot be found again, parsing of this direction stops`);
    this.ignoredBytes += length;
  }

  /** end reports that the direction ended; a frame cut short by FIN or RST is reported as `http2.truncated-frame`. */
  end(reason: StreamEnd): void {
    if (this.midFrame && reason !== 'capture-end') {
      this.sink.onAnomaly('http2.truncated-frame', this.frameOffset, this.lastAt, `stream ended (${reason}) inside a frame`);
    }
    this.state = ReaderState.Stopped;
  }

  private stop(code: string, offset: number, at: ChunkRef | undefined, message: string): void {
    this.state = ReaderState.Stopped;
    this.payload = undefined;
    this.sink.onAnomaly(code, offset, at, message);
  }

  private beginFrame(h: FrameHeader, offset: number, at: ChunkRef): void {
    this.header = h;
    this.frameOffset = offset;
    this.frameStartAt = at;
    this.payload = undefined;
    this.payloadFill = 0;
    this.padLengthOctet = 0;
    this.missing = 0;
    this.skipped = undefined;
    this.remaining = h.length;
    if (h.length > this.maxFrameSize) {
      // RFC 9113 §4.2: a FRAME_SIZE_ERROR; the length is still right, so skip the payload.
      this.sink.onAnomaly('http2.frame-too-large', offset, at, `${frameTypeName(h.type)} frame of ${h.length} octets above SETTINGS_MAX_FRAME_SIZE ${this.maxFrameSize}`);
      this.skipped = 'too-large';
      this.state = ReaderState.Count;
    } else if (h.type === FrameType.DATA) {
      this.state = (h.flags & FrameFlag.PADDED) !== 0 && h.length > 0 ? ReaderState.DataPad : ReaderState.Count;
    } else if (h.length > this.maxBuffered) {
      this.sink.onAnomaly('http2.frame-not-buffered', offset, at, `${frameTypeName(h.type)} frame of ${h.length} octets above the ${this.maxBuffered}-octet buffering limit, skipped`);
      this.skipped = 'too-large';
      this.state = ReaderState.Count;
    } else {
      this.state = ReaderState.Buffer;
    }
    if (h.length === 0) this.complete(h.type === FrameType.DATA || this.skipped !== undefined ? undefined : EMPTY, at);
  }

  private complete(payload: Uint8Array | undefined, endAt: ChunkRef): void {
    const h = this.header!;
    const ctx: FrameContext = {
      offset: this.frameOffset,
      startAt: this.frameStartAt!,
      endAt,
      padLengthOctet: this.padLengthOctet,
      missingBytes: this.missing,
    };
    if (this.skipped !== undefined) ctx.skipped = this.skipped;
    this.state = ReaderState.Header;
    this.payload = undefined;
    this.frames++;
    this.sink.onFrame(h, h.type === FrameType.DATA ? undefined : payload, ctx);
  }
}

const EMPTY = new Uint8Array(0);

//#endregion
