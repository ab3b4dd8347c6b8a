// SPDX-License-Identifier: MIT
//
// Http2Session follows one HTTP/2 connection (RFC 9113) from the outside: both directions' frames,
// both HPACK decoders, the SETTINGS each side advertised, stream states, flow-control windows, and
// turns every stream into an Http2Transaction.
//
// Call order. The exchange layer creates the session once it knows the connection speaks HTTP/2,
// then calls, synchronously and in capture order across both directions:
//   adoptUpgradedRequest(head, at)?   h2c upgrade (RFC 7540 §3.2): stream 1 is the HTTP/1.1
//                                      request; call before pushing the server's first frame
//   { push(side, …) | gap(side, …) }*  each side's bytes in stream order, consecutive offsets,
//                                      starting where HTTP/2 starts on that side (side 0 with the
//                                      client preface, unless `clientPreface: false`)
//   end(side, reason)                  once per side
// and reads result() after both ends (once both sides ended, stalls still open are settled).
//
// Observer's view of SETTINGS (RFC 9113 §6.5.3). Settings that side A advertises bind what B
// sends once B has processed them, which B signals with its SETTINGS ACK; the frames B sent before
// that ACK may still follow the old values. So limits checked on B's frames (frame size, HPACK
// table size) use the larger of the acknowledged and the pending values, while the flow-control
// change of SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2) is applied to B's stream windows at B's ACK.
//
// Flow control (RFC 9113 §6.9). Every side's send windows are tracked: the connection window and
// one per stream, starting at 65,535 and the peer's SETTINGS_INITIAL_WINDOW_SIZE, less each DATA
// frame's whole payload (padding included, §6.9.1), plus the peer's WINDOW_UPDATE increments. A
// stall starts when a DATA frame leaves a window at ≤ 0 (a stream's only without END_STREAM). It is
// recorded when the window reopened (`endAt`: the WINDOW_UPDATE or SETTINGS ACK) and the side then
// sent more DATA on it (`resumedAt`), or when both directions ended while the side still had a
// stream open (with `endAt` if it reopened). DATA sent while the window is still exhausted is
// `http2.flow-control-exceeded` (once per window until it reopens), not a stall. After a gap stops
// the peer's direction its WINDOW_UPDATEs are unseen, so the side's windows are no longer judged.
//
// Errors never throw out of the session: protocol violations become ParserAnomaly entries with
// stable `http2.*` codes (HTTP2_ANOMALY_CODES), and everything is bounded (streams, records,
// anomalies, field block sizes).

import type { ChunkRef, ParserAnomaly, Side, StreamEnd } from '../http/streamTypes.js';
import {
  DEFAULT_MAX_FRAME_SIZE,
  FRAME_HEADER_LENGTH,
  FrameFlag,
  FrameReader,
  FrameType,
  MAX_ALLOWED_FRAME_SIZE,
  SettingId,
  dataPadding,
  decodeFramePayload,
  decodeSettings,
  errorCodeName,
  frameTypeName,
  settingName,
  type FrameContext,
  type FrameHeader,
  type FrameSink,
  type Http2Frame,
  type PriorityFields,
} from './frames.js';
import { DEFAULT_HEADER_TABLE_SIZE, DEFAULT_MAX_HEADER_LIST_SIZE, HpackDecoder, type HeaderField } from './hpack.js';

//#region public types

/** HTTP2_ANOMALY_CODES lists every anomaly code the HTTP/2 parser reports, with a one-line explanation. */
export const HTTP2_ANOMALY_CODES = {
  'http2.bad-preface': 'The client did not start with the connection preface (RFC 9113 §3.4); its direction is not parsed.',
  'http2.missing-settings': 'The first frame of a side was not SETTINGS (RFC 9113 §3.4).',
  'http2.frame-too-large': 'A frame exceeded the SETTINGS_MAX_FRAME_SIZE the receiver advertised (RFC 9113 §4.2); skipped.',
  'http2.frame-not-buffered': 'A non-DATA frame was larger than the parser buffers; skipped.',
  'http2.frame-size': 'A frame had a length its type does not allow (RFC 9113 §6, FRAME_SIZE_ERROR).',
  'http2.bad-stream-id': 'A frame was on stream 0 when it must not be, or the reverse, or a stream id had the wrong parity (RFC 9113 §5.1.1, §6).',
  'http2.bad-padding': 'Padding was as long as the payload or longer (RFC 9113 §6.1, §6.2, §6.6).',
  'http2.bad-priority': 'A stream was made to depend on itself (RFC 9113 §5.3.1).',
  'http2.continuation-without-headers': 'A CONTINUATION frame did not follow an unfinished field block on the same stream (RFC 9113 §6.10).',
  'http2.interleaved-header-block': 'Another frame came in the middle of a field block (RFC 9113 §4.3, §6.10).',
  'http2.continuation-flood': 'A field block was split over more CONTINUATION frames than the limit (CVE-2024-27316 style flood).',
  'http2.header-block-too-large': 'A field block exceeded the buffering limit; it was not decoded.',
  'http2.header-decode-error': 'HPACK decoding failed (RFC 7541; RFC 9113 §4.3 COMPRESSION_ERROR).',
  'http2.header-list-too-large': 'A decoded field list exceeded the size limit; the excess fields were dropped.',
  'http2.hpack-desync': 'A field block was lost or undecodable, so later blocks of that side cannot be decoded.',
  'http2.malformed-headers': 'A message broke the field rules of RFC 9113 §8.2-§8.3 (pseudo-headers, case, trailers).',
  'http2.connection-specific-header': 'A connection-specific header field (Connection, Keep-Alive, Transfer-Encoding...) was sent (RFC 9113 §8.2.2).',
  'http2.content-length-mismatch': 'DATA octets differed from content-length (RFC 9113 §8.1.1).',
  'http2.frame-on-idle-stream': 'A frame other than HEADERS/PRIORITY was sent on a stream never opened (RFC 9113 §5.1).',
  'http2.frame-on-closed-stream': 'A side sent a frame on a stream it had already ended or reset (RFC 9113 §5.1).',
  'http2.stream-id-regression': 'A new stream id was not larger than every earlier one of its initiator (RFC 9113 §5.1.1).',
  'http2.too-many-streams': 'More streams than the parser tracks; later streams are not recorded.',
  'http2.max-concurrent-streams-exceeded': 'More streams were open than the peer allowed with SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2).',
  'http2.push-not-allowed': 'PUSH_PROMISE from a client or after the client disabled push (RFC 9113 §6.6, §8.4).',
  'http2.bad-setting': 'A SETTINGS value out of its allowed range (RFC 9113 §6.5.2).',
  'http2.bad-http2-settings': 'The HTTP2-Settings header of an h2c upgrade was not base64url SETTINGS (RFC 7540 §3.2.1).',
  'http2.unexpected-settings-ack': 'A SETTINGS ACK with no SETTINGS waiting for one (RFC 9113 §6.5.3).',
  'http2.window-overflow': 'A flow-control window went above 2^31-1 (RFC 9113 §6.9.1, FLOW_CONTROL_ERROR).',
  'http2.zero-window-increment': 'A WINDOW_UPDATE with increment 0 (RFC 9113 §6.9).',
  'http2.flow-control-exceeded': 'A DATA frame was larger than the sender\'s flow-control window (RFC 9113 §6.9.1).',
  'http2.goaway-last-stream-increased': 'A later GOAWAY raised the last stream id (RFC 9113 §6.8).',
  'http2.gap': 'Octets were lost between frames; this direction is not parsed any further.',
  'http2.truncated-frame': 'The direction ended (FIN/RST) inside a frame.',
  'http2.header-block-unterminated': 'The direction ended (FIN/RST) inside a field block (no END_HEADERS).',
} as const;

/** Http2AnomalyCode is a stable code of HTTP2_ANOMALY_CODES. */
export type Http2AnomalyCode = keyof typeof HTTP2_ANOMALY_CODES;

/** Http2SessionOptions are the limits of an Http2Session; every field has a default. */
export interface Http2SessionOptions {
  /** Streams recorded as transactions (and tracked); later ones are counted (default 10,000). */
  maxStreams?: number;
  /** Decoded field list limit per block, RFC 9113 §6.5.2 octets (default 64 KiB). */
  maxHeaderListSize?: number;
  /** Largest compressed field block buffered across HEADERS + CONTINUATION frames (default 256 KiB). */
  maxHeaderBlockBytes?: number;
  /** CONTINUATION frames per field block before `http2.continuation-flood` (default 1,000). */
  maxContinuationFrames?: number;
  /** Entries kept per record list (settings, pings, window updates, GOAWAYs, stalls) (default 10,000). */
  maxRecords?: number;
  /** Anomalies kept per code (default 100); all are counted in `anomalyCounts`. */
  maxAnomaliesPerCode?: number;
  /** Side 0 starts with the client preface (default true). */
  clientPreface?: boolean;
}

/** Http2Settings are the SETTINGS values one side advertised and the peer acknowledged (RFC 9113 §6.5.2). */
export interface Http2Settings {
  headerTableSize: number;
  enablePush: number;
  /** Unlimited when absent. */
  maxConcurrentStreams?: number;
  initialWindowSize: number;
  maxFrameSize: number;
  /** Unlimited when absent. */
  maxHeaderListSize?: number;
}

/** Http2SettingsRecord is one SETTINGS frame (or the HTTP2-Settings header of an h2c upgrade) as seen. */
export interface Http2SettingsRecord {
  /** The side that sent it. */
  side: Side;
  ack: boolean;
  /** Parameters in wire order; empty for an ACK. */
  values: { id: number; name: string; value: number }[];
  source: 'frame' | 'http2-settings-header';
  /** Stream offset of the frame (absent for the upgrade header). */
  offset?: number;
  at: ChunkRef;
  /** The peer's SETTINGS ACK that acknowledged it (not for ACKs; the 101 acknowledges the upgrade header). */
  ackedAt?: ChunkRef;
}

/** Http2GoAway is one GOAWAY frame (RFC 9113 §6.8). */
export interface Http2GoAway {
  side: Side;
  lastStreamId: number;
  errorCode: number;
  errorName: string;
  /** Additional debug data as Latin-1, at most 256 chars. */
  debugData: string;
  offset: number;
  at: ChunkRef;
}

/** Http2Ping is one PING frame (RFC 9113 §6.7); a PING's ACK from the peer is linked as `ackAt`. */
export interface Http2Ping {
  side: Side;
  ack: boolean;
  /** The 8 opaque octets as hex. */
  opaqueData: string;
  offset: number;
  at: ChunkRef;
  /** For a PING: the peer's PING ACK with the same data. */
  ackAt?: ChunkRef;
}

/** Http2WindowUpdate is one WINDOW_UPDATE frame (RFC 9113 §6.9) and the window it opened. */
export interface Http2WindowUpdate {
  /** The side that sent it (the receiver of the data it allows). */
  side: Side;
  /** 0 for the connection window. */
  streamId: number;
  increment: number;
  /** The other side's send window after the increment (absent when the stream is not tracked). */
  windowAfter?: number;
  offset: number;
  at: ChunkRef;
}

/** Http2FlowControlStall is a time a side had DATA to send but no flow-control window (RFC 9113 §6.9). */
export interface Http2FlowControlStall {
  /** The side whose sending was blocked (the DATA sender). */
  side: Side;
  /** 0 for the connection window, else the stream whose window ran out. */
  streamId: number;
  /** The window after the DATA frame that exhausted it (≤ 0). */
  window: number;
  /** Stream offset and last chunk of the DATA frame that exhausted the window. */
  startOffset: number;
  startAt: ChunkRef;
  /** The WINDOW_UPDATE or SETTINGS ACK that made the window positive again; absent if none was seen. */
  endAt?: ChunkRef;
  /** The first chunk of the next DATA frame with payload the side sent on that window; absent if none. */
  resumedAt?: ChunkRef;
}

/** Http2InterimResponse is a 1xx field block before the final response (RFC 9113 §8.1). */
export interface Http2InterimResponse {
  status: number;
  headers: HeaderField[];
  at: ChunkRef;
}

/** Http2Request is the client's half of a stream (or the promised request of a PUSH_PROMISE). */
export interface Http2Request {
  /** Decoded fields in wire order, pseudo-headers included (HTTP/1.1 fields for an upgraded stream 1). */
  headers: HeaderField[];
  method?: string;
  path?: string;
  authority?: string;
  scheme?: string;
  trailers?: HeaderField[];
  /** Stream offset of the first frame. */
  offset?: number;
  /** First chunk of the first HEADERS frame; last chunk of the frame that ended the request (END_STREAM). */
  firstAt?: ChunkRef;
  lastAt?: ChunkRef;
  /** Octets of the frames (9-octet headers included) that carried the header block, CONTINUATIONs included. */
  headerBytes: number;
  /** DATA octets, padding excluded. */
  bodyBytes: number;
  dataFrames: number;
  /** First and last chunk of DATA frames that carried payload. */
  bodyFirstAt?: ChunkRef;
  bodyLastAt?: ChunkRef;
  /** END_STREAM was seen. */
  ended: boolean;
}

/** Http2Response is the server's half of a stream. */
export interface Http2Response {
  status?: number;
  headers: HeaderField[];
  trailers?: HeaderField[];
  interim: Http2InterimResponse[];
  offset?: number;
  /** First chunk of the final (non-1xx) response's HEADERS; last chunk of the END_STREAM frame. */
  firstAt?: ChunkRef;
  lastAt?: ChunkRef;
  /** Octets of the frames carrying the final response's header block. */
  headerBytes: number;
  bodyBytes: number;
  dataFrames: number;
  /** First and last chunk of DATA frames that carried payload. */
  bodyFirstAt?: ChunkRef;
  bodyLastAt?: ChunkRef;
  ended: boolean;
}

/** Http2Transaction is one HTTP/2 stream as a request/response exchange. */
export interface Http2Transaction {
  streamId: number;
  request: Http2Request;
  response: Http2Response;
  /** The first RST_STREAM that closed the stream. */
  rstStream?: { code: number; codeName: string; side: Side; offset: number; at: ChunkRef };
  /** Parent stream of a server push (the stream that carried the PUSH_PROMISE). */
  pushPromised?: number;
  /** Stream 1 of an h2c upgrade: the request was HTTP/1.1. */
  upgraded?: boolean;
  /** The peer's GOAWAY named a lower last stream id: the stream was not (or will not be) processed (RFC 9113 §6.8). */
  beyondGoAway?: boolean;
  /** Both sides ended the stream with END_STREAM and no RST_STREAM came first. */
  complete: boolean;
  /** Codes of the anomalies found on this stream. */
  anomalies: string[];
}

/** Http2DirectionStats counts what one direction carried. */
export interface Http2DirectionStats {
  frames: number;
  /** Frames per type name (unknown types as "0x..."). */
  framesByType: Record<string, number>;
  /** DATA payload octets, padding included. */
  dataBytes: number;
  /** Octets lost in gaps inside frames. */
  missingBytes: number;
  /** Octets not parsed after the direction stopped. */
  ignoredBytes: number;
  /** Frames on streams closed by the other side (allowed races, RFC 9113 §5.1). */
  framesOnClosedStreams: number;
  /** The direction stopped early (gap between frames, bad preface). */
  stopped: boolean;
}

/** Http2SessionResult is everything an Http2Session found on one connection. */
export interface Http2SessionResult {
  /** Streams in the order they were opened. */
  transactions: Http2Transaction[];
  settings: Http2SettingsRecord[];
  /** Settings in force per side (acknowledged by the peer). */
  settingsInForce: [Http2Settings, Http2Settings];
  goaways: Http2GoAway[];
  pings: Http2Ping[];
  windowUpdates: Http2WindowUpdate[];
  stalls: Http2FlowControlStall[];
  anomalies: ParserAnomaly[];
  /** Occurrences per anomaly code, including those not kept. */
  anomalyCounts: Record<string, number>;
  stats: [Http2DirectionStats, Http2DirectionStats];
  /** Streams not recorded (over maxStreams). */
  droppedStreams: number;
  /** Records not kept (over maxRecords), all lists together. */
  droppedRecords: number;
}

/** Http2UpgradeRequest is the HTTP/1.1 request of an h2c upgrade, which becomes stream 1 (RFC 7540 §3.2). */
export interface Http2UpgradeRequest {
  method: string;
  target: string;
  /** HTTP/1.1 fields in wire order; `Host` gives the authority, `HTTP2-Settings` the client's SETTINGS. */
  headers: readonly HeaderField[];
  /** Octets of the request line and header block, and of the body. */
  headerBytes: number;
  bodyBytes?: number;
  /** Stream offset of the request's first octet. */
  offset?: number;
  /** Last chunk of the request (default: the `at` given with it). */
  lastAt?: ChunkRef;
}

//#endregion

const MAX_WINDOW = 0x7fff_ffff;
const DEFAULT_WINDOW = 65_535;
const MAX_DEBUG_CHARS = 256;
const MAX_PENDING_SETTINGS = 64;
const EMPTY_FRAGMENT = new Uint8Array(0);
/** Index in frame counters for unknown frame types. */
const UNKNOWN_TYPE_SLOT = 10;

function defaultSettings(): Http2Settings {
  return { headerTableSize: DEFAULT_HEADER_TABLE_SIZE, enablePush: 1, initialWindowSize: DEFAULT_WINDOW, maxFrameSize: DEFAULT_MAX_FRAME_SIZE };
}

/** applySetting sets one parameter on a settings object (RFC 9113 §6.5.2); unknown ids are ignored (§6.5.2). */
function applySetting(s: Http2Settings, id: number, value: number): void {
  switch (id) {
    case SettingId.HEADER_TABLE_SIZE:
      s.headerTableSize = value;
      break;
    case SettingId.ENABLE_PUSH:
      s.enablePush = value;
      break;
    case SettingId.MAX_CONCURRENT_STREAMS:
      s.maxConcurrentStreams = value;
      break;
    case SettingId.INITIAL_WINDOW_SIZE:
      s.initialWindowSize = value;
      break;
    case SettingId.MAX_FRAME_SIZE:
      s.maxFrameSize = value;
      break;
    case SettingId.MAX_HEADER_LIST_SIZE:
      s.maxHeaderListSize = value;
      break;
    default:
      break;
  }
}

function other(side: Side): Side {
  return side === 0 ? 1 : 0;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

function latin1(bytes: Uint8Array, max: number): string {
  let s = '';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** base64url decodes RFC 4648 §5 text (padding and the standard alphabet tolerated); undefined when invalid. */
function base64url(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 71;
    else if (c >= 48 && c <= 57) v = c + 4;
    else if (c === 45 || c === 43) v = 62;
    else if (c === 95 || c === 47) v = 63;
    else if (c === 61 || c === 32 || c === 9) continue;
    else return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** PendingBlock is a field block waiting for CONTINUATION frames (RFC 9113 §6.10). */
interface PendingBlock {
  kind: 'headers' | 'push-promise';
  streamId: number;
  promisedStreamId: number;
  endStream: boolean;
  offset: number;
  startAt: ChunkRef;
  /** Frame octets (headers included) so far. */
  frameBytes: number;
  continuations: number;
  chunks: Uint8Array[];
  length: number;
  /** Too large to buffer: will not be decoded. */
  dropped: boolean;
}

/** StreamState is the session's view of one stream, recorded or not. */
interface StreamState {
  id: number;
  tx: Http2Transaction | undefined;
  /** END_STREAM sent, per side. */
  ended: [boolean, boolean];
  /** The side that sent the first RST_STREAM. */
  resetBy: Side | undefined;
  closed: boolean;
  /** Send windows per sending side (RFC 9113 §6.9). */
  window: [number, number];
  stall: [Http2FlowControlStall | undefined, Http2FlowControlStall | undefined];
  /** flow-control-exceeded was reported for the window, per sending side (until it reopens). */
  exceeded: [boolean, boolean];
  /** Header blocks seen from each side (request headers; final response headers). */
  headersDone: [boolean, boolean];
  /** content-length declared per side. */
  contentLength: [number | undefined, number | undefined];
}

/** SideState is one direction: its frame reader, the HPACK decoder of its field blocks, its settings. */
interface SideState {
  reader: FrameReader;
  decoder: HpackDecoder;
  /** Settings this side advertised that the peer acknowledged. */
  settings: Http2Settings;
  /** SETTINGS this side sent that wait for the peer's ACK, oldest first. */
  pendingSettings: { record: Http2SettingsRecord; values: { id: number; value: number }[] }[];
  sawFrame: boolean;
  pendingBlock: PendingBlock | undefined;
  /** Connection send window (RFC 9113 §6.9.1). */
  connWindow: number;
  connStall: Http2FlowControlStall | undefined;
  connExceeded: boolean;
  /** Highest stream id this side initiated (odd for the client, even promised by the server). */
  maxStreamId: number;
  /** Streams this side initiated that are open. */
  openStreams: number;
  /** Lowest last-stream-id of the GOAWAYs this side sent. */
  goAwayLastStreamId: number | undefined;
  desyncReported: boolean;
  frameCounts: number[];
  dataBytes: number;
  missingBytes: number;
  framesOnClosedStreams: number;
  ended: boolean;
  /** PINGs waiting for the peer's ACK, by opaque data. */
  openPings: Map<string, Http2Ping>;
}

/** Http2Session parses one HTTP/2 connection seen from the outside (see the file header for the call order). */
export class Http2Session {
  private readonly sides: [SideState, SideState];
  private readonly streams = new Map<number, StreamState>();
  private readonly transactions: Http2Transaction[] = [];
  private readonly settingsRecords: Http2SettingsRecord[] = [];
  private readonly goaways: Http2GoAway[] = [];
  private readonly pings: Http2Ping[] = [];
  private readonly windowUpdates: Http2WindowUpdate[] = [];
  private readonly stalls: Http2FlowControlStall[] = [];
  private readonly anomalies: ParserAnomaly[] = [];
  private readonly anomalyCounts: Record<string, number> = {};
  private droppedStreams = 0;
  private droppedRecords = 0;
  /** Closed streams still in `streams` (pruned when the stream limit is reached). */
  private closedInMap = 0;
  /** Some streams were pruned or never tracked: an unknown lower stream id may be one of them. */
  private forgotStreams = false;
  /** A side stopped early (gap between frames, bad preface). */
  private readonly stoppedEarly: [boolean, boolean] = [false, false];
  private finished = false;
  private readonly maxStreams: number;
  private readonly maxHeaderBlockBytes: number;
  private readonly maxContinuationFrames: number;
  private readonly maxRecords: number;
  private readonly maxAnomaliesPerCode: number;

  constructor(options: Http2SessionOptions = {}) {
    this.maxStreams = options.maxStreams ?? 10_000;
    this.maxHeaderBlockBytes = options.maxHeaderBlockBytes ?? 256 * 1024;
    this.maxContinuationFrames = options.maxContinuationFrames ?? 1000;
    this.maxRecords = options.maxRecords ?? 10_000;
    this.maxAnomaliesPerCode = options.maxAnomaliesPerCode ?? 100;
    const maxHeaderListSize = options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
    const makeSide = (side: Side, expectPreface: boolean): SideState => ({
      reader: new FrameReader(this.sinkFor(side), { expectPreface }),
      decoder: new HpackDecoder({ maxHeaderListSize }),
      settings: defaultSettings(),
      pendingSettings: [],
      sawFrame: false,
      pendingBlock: undefined,
      connWindow: DEFAULT_WINDOW,
      connStall: undefined,
      connExceeded: false,
      maxStreamId: 0,
      openStreams: 0,
      goAwayLastStreamId: undefined,
      desyncReported: false,
      frameCounts: new Array<number>(UNKNOWN_TYPE_SLOT + 1).fill(0),
      dataBytes: 0,
      missingBytes: 0,
      framesOnClosedStreams: 0,
      ended: false,
      openPings: new Map(),
    });
    this.sides = [makeSide(0, options.clientPreface ?? true), makeSide(1, false)];
  }

  //#region input

  /**
   * adoptUpgradedRequest makes the HTTP/1.1 request of an h2c upgrade stream 1, half-closed by the
   * client (RFC 7540 §3.2), and applies its HTTP2-Settings header as the client's acknowledged
   * SETTINGS. Call it before pushing the server's first HTTP/2 octet. `switchedAt` is the 101 response,
   * which acknowledges those settings (RFC 7540 §3.2.1); default `at`.
   */
  adoptUpgradedRequest(head: Http2UpgradeRequest, at: ChunkRef, switchedAt?: ChunkRef): void {
    const stream = this.openStream(1, 0, head.offset ?? 0, at);
    if (stream === undefined) return;
    stream.ended[0] = true;
    stream.headersDone[0] = true;
    const tx = stream.tx;
    if (tx !== undefined) {
      tx.upgraded = true;
      const r = tx.request;
      r.headers = head.headers.map((f) => ({ name: f.name, value: f.value }));
      r.method = head.method;
      r.path = head.target;
      r.scheme = 'http';
      r.authority = head.headers.find((f) => f.name.toLowerCase() === 'host')?.value;
      r.offset = head.offset;
      r.firstAt = at;
      r.lastAt = head.lastAt ?? at;
      r.headerBytes = head.headerBytes;
      r.bodyBytes = head.bodyBytes ?? 0;
      r.ended = true;
    }
    const settingsHeader = head.headers.find((f) => f.name.toLowerCase() === 'http2-settings');
    if (settingsHeader === undefined) return;
    const payload = base64url(settingsHeader.value.trim());
    if (payload === undefined || payload.length % 6 !== 0) {
      this.anomaly('http2.bad-http2-settings', head.offset ?? 0, at, `HTTP2-Settings "${settingsHeader.value.slice(0, 64)}" is not base64url SETTINGS`);
      return;
    }
    const values = decodeSettings(payload, 0, payload.length);
    const record: Http2SettingsRecord = {
      side: 0,
      ack: false,
      values: values.map((v) => ({ id: v.id, name: settingName(v.id), value: v.value })),
      source: 'http2-settings-header',
      at,
      ackedAt: switchedAt ?? at,
    };
    this.record(this.settingsRecords, record);
    this.checkSettings(0, values, head.offset ?? 0, at);
    // RFC 7540 §3.2.1: the 101 response acknowledges these settings.
    this.applyAcked(0, values, head.offset ?? 0, at);
  }

  /** push delivers the next octets of `side`'s stream; `bytes` is only read during the call. */
  push(side: Side, bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    this.sides[side].reader.push(bytes, streamOffset, at);
  }

  /** gap reports `length` octets of `side`'s stream that were not captured. */
  gap(side: Side, streamOffset: number, length: number): void {
    const s = this.sides[side];
    const before = s.reader.stopped;
    s.reader.gap(streamOffset, length);
    if (!before && s.reader.stopped && s.pendingBlock !== undefined) s.pendingBlock = undefined;
  }

  /** end reports that `side`'s stream ended; once both sides ended, open stalls are settled. */
  end(side: Side, reason: StreamEnd): void {
    const s = this.sides[side];
    if (s.ended) return;
    s.ended = true;
    if (s.pendingBlock !== undefined && !s.reader.midFrame && !s.reader.stopped && reason !== 'capture-end') {
      this.anomaly('http2.header-block-unterminated', s.pendingBlock.offset, s.pendingBlock.startAt, `stream ended (${reason}) inside the field block of stream ${s.pendingBlock.streamId}`, s.pendingBlock.streamId);
    }
    s.reader.end(reason);
    if (this.sides[0].ended && this.sides[1].ended) this.finish();
  }

  /** result returns what the session found; complete once both sides ended. */
  result(): Http2SessionResult {
    const stats = this.sides.map((s): Http2DirectionStats => {
      const framesByType: Record<string, number> = {};
      for (let t = 0; t < s.frameCounts.length; t++) {
        const n = s.frameCounts[t]!;
        if (n > 0) framesByType[t === UNKNOWN_TYPE_SLOT ? 'unknown' : frameTypeName(t)] = n;
      }
      return {
        frames: s.reader.frames,
        framesByType,
        dataBytes: s.dataBytes,
        missingBytes: s.missingBytes,
        ignoredBytes: s.reader.ignoredBytes,
        framesOnClosedStreams: s.framesOnClosedStreams,
        stopped: false,
      };
    }) as [Http2DirectionStats, Http2DirectionStats];
    // A reader is also "stopped" after end(); report early stops only.
    stats[0].stopped = this.stoppedEarly[0];
    stats[1].stopped = this.stoppedEarly[1];
    return {
      transactions: this.transactions,
      settings: this.settingsRecords,
      settingsInForce: [{ ...this.sides[0].settings }, { ...this.sides[1].settings }],
      goaways: this.goaways,
      pings: this.pings,
      windowUpdates: this.windowUpdates,
      stalls: this.stalls,
      anomalies: this.anomalies,
      anomalyCounts: { ...this.anomalyCounts },
      stats,
      droppedStreams: this.droppedStreams,
      droppedRecords: this.droppedRecords,
    };
  }

  //#endregion

  //#region frames

  private sinkFor(side: Side): FrameSink {
    return {
      onFrame: (h, payload, ctx) => this.onFrame(side, h, payload, ctx),
      onAnomaly: (code, offset, at, message) => {
        if (code === 'http2.gap' || code === 'http2.bad-preface') this.stoppedEarly[side] = true;
        this.anomaly(code, offset, at, message);
      },
    };
  }

  private onFrame(side: Side, h: FrameHeader, payload: Uint8Array | undefined, ctx: FrameContext): void {
    const s = this.sides[side];
    s.frameCounts[h.type < UNKNOWN_TYPE_SLOT ? h.type : UNKNOWN_TYPE_SLOT]!++;
    s.missingBytes += ctx.missingBytes;
    if (!s.sawFrame) {
      s.sawFrame = true;
      // RFC 9113 §3.4: each side's preface ends with a SETTINGS frame.
      if (h.type !== FrameType.SETTINGS) this.anomaly('http2.missing-settings', ctx.offset, ctx.startAt, `first frame of side ${side} is ${frameTypeName(h.type)}, not SETTINGS`);
    }
    // RFC 9113 §6.10: a field block's frames are contiguous on the connection.
    const block = s.pendingBlock;
    if (block !== undefined && (h.type !== FrameType.CONTINUATION || h.streamId !== block.streamId)) {
      this.anomaly('http2.interleaved-header-block', ctx.offset, ctx.startAt, `${frameTypeName(h.type)} on stream ${h.streamId} inside the field block of stream ${block.streamId}`, block.streamId);
      s.pendingBlock = undefined;
      this.desync(side, ctx, 'a field block was interrupted');
      if (h.type === FrameType.CONTINUATION) return;
    }
    if (h.type === FrameType.DATA) {
      if (h.streamId === 0) {
        this.anomaly('http2.bad-stream-id', ctx.offset, ctx.startAt, 'DATA frame on stream 0');
        return;
      }
      const pad = dataPadding(h, ctx.padLengthOctet);
      if (!pad.ok) this.anomaly(pad.error.code, ctx.offset, ctx.startAt, pad.error.message, h.streamId);
      const dataLength = pad.ok ? pad.value.dataLength : Math.max(0, h.length - 1);
      this.onData(side, h, dataLength, ctx);
      return;
    }
    if (payload === undefined) {
      // Skipped (too large, or partly lost): only field blocks matter, as HPACK state is lost with them.
      this.lostBlockFrame(side, h, ctx, `a ${frameTypeName(h.type)} frame was ${ctx.skipped === 'gap' ? 'partly lost in a gap' : 'too large to read'}`);
      return;
    }
    const decoded = decodeFramePayload(h, payload);
    if (!decoded.ok) {
      const e = decoded.error;
      this.anomaly(e.code, ctx.offset + e.offset, ctx.startAt, e.message, h.streamId === 0 ? undefined : h.streamId);
      this.lostBlockFrame(side, h, ctx, `a ${frameTypeName(h.type)} frame could not be decoded`);
      return;
    }
    this.dispatch(side, decoded.value, ctx);
  }

  /**
   * lostBlockFrame handles a HEADERS, PUSH_PROMISE or CONTINUATION frame whose fragment is unknown:
   * HPACK state is lost, but the block's frames are still followed to its END_HEADERS (so its
   * CONTINUATIONs are not reported as strays) and its stream still opens and ends.
   */
  private lostBlockFrame(side: Side, h: FrameHeader, ctx: FrameContext, why: string): void {
    if (h.type !== FrameType.HEADERS && h.type !== FrameType.PUSH_PROMISE && h.type !== FrameType.CONTINUATION) return;
    const s = this.sides[side];
    this.desync(side, ctx, why);
    const endHeaders = (h.flags & FrameFlag.END_HEADERS) !== 0;
    if (h.type === FrameType.CONTINUATION) {
      // (One on another stream than the pending block was reported as interleaving.)
      const pending = s.pendingBlock;
      if (pending === undefined) return;
      pending.dropped = true;
      pending.chunks = [];
      this.onContinuation(side, h, EMPTY_FRAGMENT, endHeaders, ctx);
      return;
    }
    const block: PendingBlock = {
      kind: h.type === FrameType.HEADERS ? 'headers' : 'push-promise',
      streamId: h.streamId,
      promisedStreamId: 0,
      endStream: h.type === FrameType.HEADERS && (h.flags & FrameFlag.END_STREAM) !== 0,
      offset: ctx.offset,
      startAt: ctx.startAt,
      frameBytes: FRAME_HEADER_LENGTH + h.length,
      continuations: 0,
      chunks: [],
      length: 0,
      dropped: true,
    };
    if (endHeaders) this.droppedBlockEnded(side, block, ctx);
    else s.pendingBlock = block;
  }

  /** droppedBlockEnded ends a field block that could not be decoded (HPACK state is lost). */
  private droppedBlockEnded(side: Side, block: PendingBlock, ctx: FrameContext): void {
    this.desync(side, ctx, `the field block of stream ${block.streamId} could not be decoded`);
    if (block.kind === 'headers') this.headersUndecoded(side, block.streamId, block.endStream, block.frameBytes, block.offset, block.startAt, ctx.endAt);
  }

  private dispatch(side: Side, f: Http2Frame, ctx: FrameContext): void {
    switch (f.kind) {
      case 'headers':
        this.onHeaders(side, f, ctx);
        break;
      case 'continuation':
        this.onContinuation(side, f.header, f.fragment, f.endHeaders, ctx);
        break;
      case 'push-promise':
        this.onPushPromise(side, f, ctx);
        break;
      case 'priority':
        this.checkPriority(f.header, f.priority, ctx);
        break;
      case 'rst-stream':
        this.onRstStream(side, f.header, f.errorCode, ctx);
        break;
      case 'settings':
        this.onSettings(side, f.ack, f.settings, ctx);
        break;
      case 'ping':
        this.onPing(side, f.ack, f.opaqueData, ctx);
        break;
      case 'goaway':
        this.onGoAway(side, f.lastStreamId, f.errorCode, f.debugData, ctx);
        break;
      case 'window-update':
        this.onWindowUpdate(side, f.header.streamId, f.increment, ctx);
        break;
      case 'data':
      case 'unknown':
        // DATA never reaches here (handled without payload); unknown types are ignored (RFC 9113 §5.5).
        break;
    }
  }

  //#endregion

  //#region streams

  /** openStream creates the state of a new stream initiated by `initiator`; undefined when over the limit. */
  private openStream(id: number, initiator: Side, offset: number, at: ChunkRef): StreamState | undefined {
    const init = this.sides[initiator];
    if (id <= init.maxStreamId) {
      this.anomaly('http2.stream-id-regression', offset, at, `new stream ${id} not above the previous stream ${init.maxStreamId}`, id);
    } else {
      init.maxStreamId = id;
    }
    if (this.streams.size >= this.maxStreams && this.closedInMap > 0) this.pruneClosedStreams();
    if (this.streams.size >= this.maxStreams) {
      this.droppedStreams++;
      this.forgotStreams = true;
      this.anomaly('http2.too-many-streams', offset, at, `more than ${this.maxStreams} streams; stream ${id} not tracked`, id);
      return undefined;
    }
    const peer = this.sides[other(initiator)];
    init.openStreams++;
    // RFC 9113 §5.1.2: the peer's SETTINGS_MAX_CONCURRENT_STREAMS limits the streams this side opens.
    const limit = this.largestPending(other(initiator), SettingId.MAX_CONCURRENT_STREAMS, peer.settings.maxConcurrentStreams ?? Infinity);
    if (init.openStreams > limit) {
      this.anomaly('http2.max-concurrent-streams-exceeded', offset, at, `${init.openStreams} streams open, peer allows ${limit}`, id);
    }
    let tx: Http2Transaction | undefined;
    if (this.transactions.length < this.maxStreams) {
      tx = {
        streamId: id,
        request: { headers: [], headerBytes: 0, bodyBytes: 0, dataFrames: 0, ended: false },
        response: { headers: [], interim: [], headerBytes: 0, bodyBytes: 0, dataFrames: 0, ended: false },
        complete: false,
        anomalies: [],
      };
      // RFC 9113 §6.8: streams above the peer's GOAWAY last stream id are not processed.
      const goAway = peer.goAwayLastStreamId;
      if (goAway !== undefined && id > goAway) tx.beyondGoAway = true;
      this.transactions.push(tx);
    } else {
      this.droppedStreams++;
      this.anomaly('http2.too-many-streams', offset, at, `more than ${this.maxStreams} streams; stream ${id} not recorded`, id);
    }
    const stream: StreamState = {
      id,
      tx,
      ended: [false, false],
      resetBy: undefined,
      closed: false,
      // Each side's send window starts at the receiver's acknowledged SETTINGS_INITIAL_WINDOW_SIZE.
      window: [this.sides[1].settings.initialWindowSize, this.sides[0].settings.initialWindowSize],
      stall: [undefined, undefined],
      exceeded: [false, false],
      headersDone: [false, false],
      contentLength: [undefined, undefined],
    };
    this.streams.set(id, stream);
    return stream;
  }

  /** pruneClosedStreams forgets closed streams to make room (their transactions stay recorded). */
  private pruneClosedStreams(): void {
    for (const [id, s] of this.streams) if (s.closed) this.streams.delete(id);
    this.closedInMap = 0;
    this.forgotStreams = true;
  }

  /** initiatorOf says which side opens a stream id: odd ids the client, even ids the server (RFC 9113 §5.1.1). */
  private static initiatorOf(streamId: number): Side {
    return (streamId & 1) === 1 ? 0 : 1;
  }

  /**
   * lookupStream finds the stream a non-HEADERS frame refers to, reporting frames on idle streams
   * and counting frames on closed ones.
   */
  private lookupStream(side: Side, type: number, streamId: number, ctx: FrameContext): StreamState | undefined {
    const stream = this.streams.get(streamId);
    if (stream !== undefined) {
      if (stream.closed || stream.ended[side]) {
        // Frames after one's own END_STREAM or RST_STREAM are errors; after the peer's, races (§5.1).
        if ((stream.ended[side] || stream.resetBy === side) && type === FrameType.DATA) {
          this.anomaly('http2.frame-on-closed-stream', ctx.offset, ctx.startAt, `DATA on stream ${streamId} after this side ended it`, streamId);
        } else if (stream.closed) {
          this.sides[side].framesOnClosedStreams++;
        }
      }
      return stream;
    }
    const initiator = Http2Session.initiatorOf(streamId);
    if (streamId > this.sides[initiator].maxStreamId) {
      this.anomaly('http2.frame-on-idle-stream', ctx.offset, ctx.startAt, `${frameTypeName(type)} on idle stream ${streamId}`, streamId);
    } else {
      this.sides[side].framesOnClosedStreams++;
    }
    return undefined;
  }

  private endStream(stream: StreamState, side: Side, at: ChunkRef): void {
    if (stream.ended[side]) return;
    stream.ended[side] = true;
    // A side that ended the stream has nothing more to send on it.
    stream.stall[side] = undefined;
    const tx = stream.tx;
    if (tx !== undefined) {
      const msg = side === 0 ? tx.request : tx.response;
      msg.ended = true;
      msg.lastAt = at;
      const declared = stream.contentLength[side];
      if (declared !== undefined && declared !== msg.bodyBytes && stream.resetBy === undefined) {
        this.txAnomaly(tx, 'http2.content-length-mismatch', `${side === 0 ? 'request' : 'response'} content-length ${declared}, DATA carried ${msg.bodyBytes}`, at);
      }
    }
    if (stream.ended[0] && stream.ended[1]) {
      if (tx !== undefined && stream.resetBy === undefined) tx.complete = true;
      this.closeStream(stream);
    }
  }

  private closeStream(stream: StreamState): void {
    if (stream.closed) return;
    stream.closed = true;
    this.closedInMap++;
    stream.stall[0] = stream.stall[1] = undefined;
    const init = this.sides[Http2Session.initiatorOf(stream.id)];
    init.openStreams--;
  }

  //#endregion

  //#region DATA and flow control

  private onData(side: Side, h: FrameHeader, dataLength: number, ctx: FrameContext): void {
    const s = this.sides[side];
    s.dataBytes += h.length;
    const stream = this.lookupStream(side, FrameType.DATA, h.streamId, ctx);
    // RFC 9113 §6.9.1: the whole payload, padding included, counts against both windows.
    if (h.length > 0) {
      // Once the peer's direction stopped (gap), its WINDOW_UPDATEs are unseen: windows are unknown.
      const tracking = !this.stoppedEarly[other(side)];
      if (s.connStall !== undefined) {
        this.resumeStall(s.connStall, ctx);
        s.connStall = undefined;
      }
      const streamStall = stream?.stall[side];
      if (streamStall !== undefined) {
        this.resumeStall(streamStall, ctx);
        stream!.stall[side] = undefined;
      }
      const connBefore = s.connWindow;
      s.connWindow -= h.length;
      let streamBefore = Infinity;
      if (stream !== undefined) {
        streamBefore = stream.window[side];
        stream.window[side] -= h.length;
      }
      // Reported once per window until it opens again, so a sender ignoring flow control is one anomaly.
      if (tracking && h.length > connBefore && !s.connExceeded) {
        s.connExceeded = true;
        this.anomaly('http2.flow-control-exceeded', ctx.offset, ctx.startAt, `DATA of ${h.length} octets on stream ${h.streamId} exceeds the connection window ${connBefore}`, h.streamId);
      } else if (tracking && stream !== undefined && h.length > streamBefore && !stream.exceeded[side]) {
        stream.exceeded[side] = true;
        this.anomaly('http2.flow-control-exceeded', ctx.offset, ctx.startAt, `DATA of ${h.length} octets on stream ${h.streamId} exceeds the stream window ${streamBefore}`, h.streamId);
      }
      const endStream = (h.flags & FrameFlag.END_STREAM) !== 0;
      if (tracking && s.connWindow <= 0) s.connStall = this.newStall(side, 0, s.connWindow, ctx);
      if (tracking && stream !== undefined && !endStream && stream.window[side] <= 0) {
        stream.stall[side] = this.newStall(side, h.streamId, stream.window[side], ctx);
      }
    }
    if (stream === undefined) return;
    const tx = stream.tx;
    if (tx !== undefined) {
      const msg = side === 0 ? tx.request : tx.response;
      msg.bodyBytes += dataLength;
      msg.dataFrames++;
      msg.offset ??= ctx.offset;
      msg.firstAt ??= ctx.startAt;
      if (dataLength > 0) {
        msg.bodyFirstAt ??= ctx.startAt;
        msg.bodyLastAt = ctx.endAt;
      }
    }
    if ((h.flags & FrameFlag.END_STREAM) !== 0) this.endStream(stream, side, ctx.endAt);
  }

  private newStall(side: Side, streamId: number, window: number, ctx: FrameContext): Http2FlowControlStall {
    return { side, streamId, window, startOffset: ctx.offset, startAt: ctx.endAt };
  }

  /**
   * resumeStall records a pending stall when the side sends DATA on the blocked window again, if
   * the window had reopened: DATA sent while it was still exhausted means the side did not wait
   * (reported as flow-control-exceeded), so it is no evidence of a stall.
   */
  private resumeStall(stall: Http2FlowControlStall, ctx: FrameContext): void {
    if (stall.endAt === undefined) return;
    stall.resumedAt = ctx.startAt;
    this.record(this.stalls, stall);
  }

  /** reopen marks a pending stall's end when its window becomes positive. */
  private static reopen(stall: Http2FlowControlStall | undefined, window: number, at: ChunkRef): void {
    if (stall !== undefined && stall.endAt === undefined && window > 0) stall.endAt = at;
  }

  /** reopenStream notes that a stream's send window of `sender` changed (WINDOW_UPDATE, SETTINGS). */
  private static reopenStream(stream: StreamState, sender: Side, at: ChunkRef): void {
    const window = stream.window[sender];
    if (window > 0) stream.exceeded[sender] = false;
    Http2Session.reopen(stream.stall[sender], window, at);
  }

  private onWindowUpdate(side: Side, streamId: number, increment: number, ctx: FrameContext): void {
    const sender = other(side);
    const peer = this.sides[sender];
    const rec: Http2WindowUpdate = { side, streamId, increment, offset: ctx.offset, at: ctx.endAt };
    if (increment === 0) {
      // RFC 9113 §6.9: an increment of 0 is a PROTOCOL_ERROR.
      this.anomaly('http2.zero-window-increment', ctx.offset, ctx.startAt, `WINDOW_UPDATE with increment 0 on stream ${streamId}`, streamId === 0 ? undefined : streamId);
    }
    if (streamId === 0) {
      peer.connWindow += increment;
      rec.windowAfter = peer.connWindow;
      if (peer.connWindow > MAX_WINDOW) this.anomaly('http2.window-overflow', ctx.offset, ctx.startAt, `connection window of side ${sender} at ${peer.connWindow}, above 2^31-1`);
      if (peer.connWindow > 0) peer.connExceeded = false;
      Http2Session.reopen(peer.connStall, peer.connWindow, ctx.endAt);
    } else {
      const stream = this.lookupStream(side, FrameType.WINDOW_UPDATE, streamId, ctx);
      if (stream !== undefined && !stream.closed) {
        stream.window[sender] += increment;
        rec.windowAfter = stream.window[sender];
        if (stream.window[sender] > MAX_WINDOW) {
          this.anomaly('http2.window-overflow', ctx.offset, ctx.startAt, `stream ${streamId} window of side ${sender} at ${stream.window[sender]}, above 2^31-1`, streamId);
        }
        Http2Session.reopenStream(stream, sender, ctx.endAt);
      }
    }
    this.record(this.windowUpdates, rec);
  }

  //#endregion

  //#region field blocks

  private onHeaders(side: Side, f: Extract<Http2Frame, { kind: 'headers' }>, ctx: FrameContext): void {
    const h = f.header;
    if (f.priority !== undefined) this.checkPriority(h, f.priority, ctx);
    this.startBlock(side, 'headers', h, 0, f.endStream, f.fragment, f.endHeaders, ctx);
  }

  private onPushPromise(side: Side, f: Extract<Http2Frame, { kind: 'push-promise' }>, ctx: FrameContext): void {
    // RFC 9113 §8.4: only servers push, and only while the client allows it (SETTINGS_ENABLE_PUSH).
    const clientAllows = this.largestPending(0, SettingId.ENABLE_PUSH, this.sides[0].settings.enablePush);
    if (side === 0 || clientAllows === 0) {
      this.anomaly('http2.push-not-allowed', ctx.offset, ctx.startAt, side === 0 ? 'PUSH_PROMISE sent by the client' : 'PUSH_PROMISE after the client disabled push', f.header.streamId);
    }
    if ((f.promisedStreamId & 1) !== 0 || f.promisedStreamId === 0) {
      this.anomaly('http2.bad-stream-id', ctx.offset, ctx.startAt, `PUSH_PROMISE promises stream ${f.promisedStreamId}, which is not a server (even, non-zero) stream id`, f.header.streamId);
    }
    this.startBlock(side, 'push-promise', f.header, f.promisedStreamId, false, f.fragment, f.endHeaders, ctx);
  }

  private startBlock(
    side: Side,
    kind: PendingBlock['kind'],
    h: FrameHeader,
    promisedStreamId: number,
    endStream: boolean,
    fragment: Uint8Array,
    endHeaders: boolean,
    ctx: FrameContext,
  ): void {
    if (endHeaders) {
      this.completeBlock(side, kind, h.streamId, promisedStreamId, endStream, fragment, FRAME_HEADER_LENGTH + h.length, ctx.offset, ctx.startAt, ctx);
      return;
    }
    // The fragment is a view valid only during this call: copy it (bounded by maxHeaderBlockBytes).
    const dropped = fragment.length > this.maxHeaderBlockBytes;
    if (dropped) {
      this.anomaly('http2.header-block-too-large', ctx.offset, ctx.startAt, `field block of stream ${h.streamId} above ${this.maxHeaderBlockBytes} octets; not decoded`, h.streamId);
    }
    this.sides[side].pendingBlock = {
      kind,
      streamId: h.streamId,
      promisedStreamId,
      endStream,
      offset: ctx.offset,
      startAt: ctx.startAt,
      frameBytes: FRAME_HEADER_LENGTH + h.length,
      continuations: 0,
      chunks: dropped ? [] : [fragment.slice()],
      length: fragment.length,
      dropped,
    };
  }

  private onContinuation(side: Side, h: FrameHeader, fragment: Uint8Array, endHeaders: boolean, ctx: FrameContext): void {
    const s = this.sides[side];
    const block = s.pendingBlock;
    if (block === undefined) {
      // (A CONTINUATION on another stream than the pending block's was handled as interleaving.)
      this.anomaly('http2.continuation-without-headers', ctx.offset, ctx.startAt, `CONTINUATION on stream ${h.streamId} without an unfinished HEADERS or PUSH_PROMISE`, h.streamId);
      this.desync(side, ctx, 'a CONTINUATION frame had no field block to continue');
      return;
    }
    block.continuations++;
    block.frameBytes += FRAME_HEADER_LENGTH + h.length;
    if (block.continuations === this.maxContinuationFrames + 1) {
      this.anomaly('http2.continuation-flood', ctx.offset, ctx.startAt, `field block of stream ${block.streamId} split over more than ${this.maxContinuationFrames} CONTINUATION frames`, block.streamId);
    }
    if (!block.dropped) {
      if (block.length + fragment.length > this.maxHeaderBlockBytes) {
        block.dropped = true;
        block.chunks = [];
        this.anomaly('http2.header-block-too-large', ctx.offset, ctx.startAt, `field block of stream ${block.streamId} above ${this.maxHeaderBlockBytes} octets; not decoded`, block.streamId);
      } else if (fragment.length > 0) {
        block.chunks.push(fragment.slice());
        block.length += fragment.length;
      }
    }
    if (!endHeaders) return;
    s.pendingBlock = undefined;
    if (block.dropped) {
      this.droppedBlockEnded(side, block, ctx);
      return;
    }
    let whole: Uint8Array;
    if (block.chunks.length === 1) {
      whole = block.chunks[0]!;
    } else {
      whole = new Uint8Array(block.length);
      let at = 0;
      for (const c of block.chunks) {
        whole.set(c, at);
        at += c.length;
      }
    }
    this.completeBlock(side, block.kind, block.streamId, block.promisedStreamId, block.endStream, whole, block.frameBytes, block.offset, block.startAt, ctx);
  }

  /** completeBlock decodes a whole field block (always, to keep HPACK in step) and applies it to its stream. */
  private completeBlock(
    side: Side,
    kind: PendingBlock['kind'],
    streamId: number,
    promisedStreamId: number,
    endStream: boolean,
    block: Uint8Array,
    frameBytes: number,
    offset: number,
    startAt: ChunkRef,
    ctx: FrameContext,
  ): void {
    const s = this.sides[side];
    const result = s.decoder.decode(block);
    let headers = result.headers;
    let decodeProblem: string | undefined;
    if (!result.ok) {
      const e = result.error;
      if (e.code === 'header-list-too-large') {
        this.anomaly('http2.header-list-too-large', offset, startAt, `field block of stream ${streamId}: ${e.message}`, streamId);
      } else if (e.code === 'decoder-failed') {
        this.desync(side, ctx, 'an earlier field block was lost or undecodable');
        decodeProblem = e.code;
        headers = [];
      } else {
        this.anomaly('http2.header-decode-error', offset + e.offset, startAt, `field block of stream ${streamId}: HPACK ${e.code}: ${e.message}`, streamId);
        // The error already reported is the cause of every later block's failure.
        s.desyncReported = true;
        decodeProblem = e.code;
      }
    }
    const endAt = ctx.endAt;
    if (kind === 'push-promise') {
      this.applyPushPromise(side, streamId, promisedStreamId, headers, frameBytes, offset, startAt, endAt, decodeProblem === undefined);
      return;
    }
    let stream = this.streams.get(streamId);
    if (stream === undefined) {
      const initiator = Http2Session.initiatorOf(streamId);
      if (side === 0 && initiator === 0 && streamId > this.sides[0].maxStreamId) {
        stream = this.openStream(streamId, 0, offset, startAt);
      } else if (side === 0 && initiator === 1) {
        this.anomaly('http2.bad-stream-id', offset, startAt, `client HEADERS on even stream ${streamId}`, streamId);
        return;
      } else if (streamId > this.sides[initiator].maxStreamId) {
        this.anomaly('http2.frame-on-idle-stream', offset, startAt, `server HEADERS on idle stream ${streamId}`, streamId);
        return;
      } else if (side === 0 && !this.forgotStreams) {
        this.anomaly('http2.stream-id-regression', offset, startAt, `HEADERS on stream ${streamId}, below the previous stream ${this.sides[0].maxStreamId}`, streamId);
        return;
      } else {
        s.framesOnClosedStreams++;
        return;
      }
      if (stream === undefined) return;
    } else if (stream.ended[side] || stream.resetBy === side) {
      this.anomaly('http2.frame-on-closed-stream', offset, startAt, `HEADERS on stream ${streamId} after this side ended it`, streamId);
    } else if (stream.closed) {
      s.framesOnClosedStreams++;
    }
    const tx = stream.tx;
    if (tx !== undefined && decodeProblem === undefined) this.applyHeaders(side, stream, tx, headers, endStream, frameBytes, offset, startAt);
    else this.messageStarted(stream, side, frameBytes, offset, startAt);
    if (endStream) this.endStream(stream, side, endAt);
  }

  /**
   * headersUndecoded handles a HEADERS field block that was lost (gap, too large): its stream still
   * opened, its message started, and END_STREAM still ends it.
   */
  private headersUndecoded(side: Side, streamId: number, endStream: boolean, frameBytes: number, offset: number, startAt: ChunkRef, endAt: ChunkRef): void {
    let stream = this.streams.get(streamId);
    if (stream === undefined && side === 0 && (streamId & 1) === 1 && streamId > this.sides[0].maxStreamId) {
      stream = this.openStream(streamId, 0, offset, startAt);
    }
    if (stream === undefined) return;
    this.messageStarted(stream, side, frameBytes, offset, startAt);
    if (endStream) this.endStream(stream, side, endAt);
  }

  /** messageStarted notes a field block whose fields are unknown: it still says when the message started. */
  private messageStarted(stream: StreamState, side: Side, frameBytes: number, offset: number, at: ChunkRef): void {
    const tx = stream.tx;
    if (tx === undefined || stream.headersDone[side]) return;
    const msg = side === 0 ? tx.request : tx.response;
    if (msg.firstAt !== undefined) return;
    msg.offset = offset;
    msg.firstAt = at;
    msg.headerBytes += frameBytes;
  }

  private applyHeaders(side: Side, stream: StreamState, tx: Http2Transaction, headers: HeaderField[], endStream: boolean, frameBytes: number, offset: number, at: ChunkRef): void {
    if (side === 0) {
      const r = tx.request;
      if (!stream.headersDone[0]) {
        stream.headersDone[0] = true;
        r.headers = headers;
        r.offset = offset;
        r.firstAt = at;
        r.headerBytes += frameBytes;
        this.validateFields(tx, headers, 'request', at);
        for (const f of headers) {
          if (f.name === ':method') r.method ??= f.value;
          else if (f.name === ':path') r.path ??= f.value;
          else if (f.name === ':authority') r.authority ??= f.value;
          else if (f.name === ':scheme') r.scheme ??= f.value;
          else if (f.name === 'host') r.authority ??= f.value;
        }
        stream.contentLength[0] = contentLength(headers);
      } else {
        r.trailers = headers;
        this.validateTrailers(tx, headers, endStream, at);
      }
      return;
    }
    const r = tx.response;
    if (!stream.headersDone[1]) {
      const statusText = headers.find((f) => f.name === ':status')?.value;
      const status = statusText !== undefined && statusText.length === 3 ? Number(statusText) : NaN;
      if (!Number.isInteger(status) || status < 100) {
        // (A missing :status is reported by validateFields.)
        if (statusText !== undefined) this.txAnomaly(tx, 'http2.malformed-headers', `response :status "${statusText}" is not a 3-digit code`, at);
      } else if (status < 200) {
        // RFC 9113 §8.1: interim responses; 101 is not allowed in HTTP/2 (§8.6).
        if (status === 101) this.txAnomaly(tx, 'http2.malformed-headers', '101 (Switching Protocols) in HTTP/2', at);
        r.interim.push({ status, headers, at });
        if (endStream) this.txAnomaly(tx, 'http2.malformed-headers', `${status} interim response with END_STREAM`, at);
        return;
      }
      stream.headersDone[1] = true;
      if (Number.isInteger(status)) r.status = status;
      r.headers = headers;
      r.offset = offset;
      r.firstAt = at;
      r.headerBytes += frameBytes;
      this.validateFields(tx, headers, 'response', at);
      // RFC 9110 §8.6: HEAD responses and 204/304 carry no content whatever content-length says.
      if (tx.request.method !== 'HEAD' && status !== 204 && status !== 304) stream.contentLength[1] = contentLength(headers);
    } else {
      r.trailers = headers;
      this.validateTrailers(tx, headers, endStream, at);
    }
  }

  private applyPushPromise(
    side: Side,
    parentId: number,
    promisedId: number,
    headers: HeaderField[],
    frameBytes: number,
    offset: number,
    startAt: ChunkRef,
    endAt: ChunkRef,
    decoded: boolean,
  ): void {
    const parent = this.streams.get(parentId);
    if (parent === undefined) {
      this.anomaly(parentId > this.sides[Http2Session.initiatorOf(parentId)].maxStreamId ? 'http2.frame-on-idle-stream' : 'http2.frame-on-closed-stream', offset, startAt, `PUSH_PROMISE on stream ${parentId}, which is not open`, parentId);
    }
    if (side !== 1 || (promisedId & 1) !== 0 || promisedId === 0) return;
    if (this.streams.has(promisedId)) {
      this.anomaly('http2.stream-id-regression', offset, startAt, `PUSH_PROMISE promises stream ${promisedId}, already in use`, promisedId);
      return;
    }
    const stream = this.openStream(promisedId, 1, offset, startAt);
    if (stream === undefined) return;
    // RFC 9113 §5.1: a promised stream is reserved; the client never sends on it.
    stream.ended[0] = true;
    stream.headersDone[0] = true;
    const tx = stream.tx;
    if (tx === undefined) return;
    tx.pushPromised = parentId;
    const r = tx.request;
    r.offset = offset;
    r.firstAt = startAt;
    r.lastAt = endAt;
    r.headerBytes = frameBytes;
    r.ended = true;
    if (!decoded) return;
    r.headers = headers;
    for (const f of headers) {
      if (f.name === ':method') r.method ??= f.value;
      else if (f.name === ':path') r.path ??= f.value;
      else if (f.name === ':authority') r.authority ??= f.value;
      else if (f.name === ':scheme') r.scheme ??= f.value;
    }
    this.validateFields(tx, headers, 'request', startAt);
  }

  /** validateFields checks the field rules of RFC 9113 §8.2-§8.3 on a request or response header block. */
  private validateFields(tx: Http2Transaction, headers: HeaderField[], kind: 'request' | 'response', at: ChunkRef): void {
    let regularSeen = false;
    let problem: string | undefined;
    let connectionSpecific: string | undefined;
    let method: string | undefined;
    let hasScheme = false;
    let hasPath = false;
    let hasStatus = false;
    for (const f of headers) {
      const name = f.name;
      if (name.length > 0 && name.charCodeAt(0) === 0x3a) {
        // §8.3: pseudo-header fields come first and are the defined ones for the message kind.
        if (regularSeen) problem ??= `pseudo-header ${name} after regular fields`;
        if (kind === 'request') {
          if (name === ':method') method = f.value;
          else if (name === ':scheme') hasScheme = true;
          else if (name === ':path') hasPath = true;
          else if (name !== ':authority' && name !== ':protocol') problem ??= `unknown request pseudo-header ${name}`;
        } else if (name === ':status') {
          hasStatus = true;
        } else {
          problem ??= `unknown response pseudo-header ${name}`;
        }
        continue;
      }
      regularSeen = true;
      // §8.2.1: field names are lowercase.
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (c >= 0x41 && c <= 0x5a) {
          problem ??= `field name ${name} has uppercase characters`;
          break;
        }
      }
      // §8.2.2: connection-specific fields; TE only with "trailers".
      if (name === 'connection' || name === 'keep-alive' || name === 'proxy-connection' || name === 'transfer-encoding' || name === 'upgrade') {
        connectionSpecific ??= name;
      } else if (name === 'te' && f.value.trim().toLowerCase() !== 'trailers') {
        connectionSpecific ??= `te: ${f.value}`;
      }
    }
    if (kind === 'request') {
      // §8.3.1: CONNECT (without :protocol) has neither :scheme nor :path.
      if (method === undefined) problem ??= 'request without :method';
      else if (method !== 'CONNECT' && (!hasScheme || !hasPath)) problem ??= 'request without :scheme or :path';
    } else if (!hasStatus) {
      problem ??= 'response without :status';
    }
    if (problem !== undefined) this.txAnomaly(tx, 'http2.malformed-headers', `${kind}: ${problem}`, at);
    if (connectionSpecific !== undefined) this.txAnomaly(tx, 'http2.connection-specific-header', `${kind} carries ${connectionSpecific}`, at);
  }

  private validateTrailers(tx: Http2Transaction, headers: HeaderField[], endStream: boolean, at: ChunkRef): void {
    // RFC 9113 §8.1: trailers end the stream and carry no pseudo-headers.
    if (!endStream) this.txAnomaly(tx, 'http2.malformed-headers', 'second field block (trailers) without END_STREAM', at);
    else if (headers.some((f) => f.name.startsWith(':'))) this.txAnomaly(tx, 'http2.malformed-headers', 'pseudo-header in trailers', at);
  }

  /** desync reports, once per side, that its HPACK state is lost, and marks the decoder failed. */
  private desync(side: Side, ctx: FrameContext, why: string): void {
    const s = this.sides[side];
    s.decoder.markFailed();
    if (s.desyncReported) return;
    s.desyncReported = true;
    this.anomaly('http2.hpack-desync', ctx.offset, ctx.startAt, `side ${side}: ${why}; later field blocks of this side cannot be decoded`);
  }

  //#endregion

  //#region other frames

  private checkPriority(h: FrameHeader, p: PriorityFields, ctx: FrameContext): void {
    if (p.dependency === h.streamId) this.anomaly('http2.bad-priority', ctx.offset, ctx.startAt, `stream ${h.streamId} depends on itself`, h.streamId);
  }

  private onRstStream(side: Side, h: FrameHeader, code: number, ctx: FrameContext): void {
    const stream = this.lookupStream(side, FrameType.RST_STREAM, h.streamId, ctx);
    if (stream === undefined) return;
    const tx = stream.tx;
    if (tx !== undefined && tx.rstStream === undefined) {
      tx.rstStream = { code, codeName: errorCodeName(code), side, offset: ctx.offset, at: ctx.endAt };
    }
    if (stream.resetBy === undefined && !stream.closed) {
      stream.resetBy = side;
      this.closeStream(stream);
    }
  }

  private onSettings(side: Side, ack: boolean, values: { id: number; value: number }[], ctx: FrameContext): void {
    const rec: Http2SettingsRecord = {
      side,
      ack,
      values: values.map((v) => ({ id: v.id, name: settingName(v.id), value: v.value })),
      source: 'frame',
      offset: ctx.offset,
      at: ctx.endAt,
    };
    this.record(this.settingsRecords, rec);
    if (!ack) {
      this.checkSettings(side, values, ctx.offset, ctx.startAt);
      const pending = this.sides[side].pendingSettings;
      // Bounded: a peer that never acknowledges must not make the queue grow without end.
      if (pending.length >= MAX_PENDING_SETTINGS) pending.shift();
      pending.push({ record: rec, values });
      this.updateLimits(side);
      return;
    }
    // An ACK acknowledges the peer's oldest unacknowledged SETTINGS (RFC 9113 §6.5.3).
    const peerSide = other(side);
    const pending = this.sides[peerSide].pendingSettings.shift();
    if (pending === undefined) {
      this.anomaly('http2.unexpected-settings-ack', ctx.offset, ctx.startAt, `SETTINGS ACK from side ${side} with no SETTINGS to acknowledge`);
      return;
    }
    pending.record.ackedAt = ctx.endAt;
    this.applyAcked(peerSide, pending.values, ctx.offset, ctx.endAt);
  }

  /** checkSettings reports out-of-range SETTINGS values (RFC 9113 §6.5.2). */
  private checkSettings(side: Side, values: { id: number; value: number }[], offset: number, at: ChunkRef): void {
    for (const { id, value } of values) {
      let problem: string | undefined;
      if (id === SettingId.ENABLE_PUSH && value > 1) problem = `ENABLE_PUSH ${value} is neither 0 nor 1`;
      else if (id === SettingId.ENABLE_PUSH && value === 1 && side === 1) problem = 'a server sent ENABLE_PUSH 1';
      else if (id === SettingId.INITIAL_WINDOW_SIZE && value > MAX_WINDOW) problem = `INITIAL_WINDOW_SIZE ${value} above 2^31-1`;
      else if (id === SettingId.MAX_FRAME_SIZE && (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_ALLOWED_FRAME_SIZE)) problem = `MAX_FRAME_SIZE ${value} outside 16384..16777215`;
      if (problem !== undefined) this.anomaly('http2.bad-setting', offset, at, problem);
    }
  }

  /** applyAcked puts acknowledged SETTINGS of `side` in force, adjusting the peer's stream windows (RFC 9113 §6.9.2). */
  private applyAcked(side: Side, values: { id: number; value: number }[], offset: number, at: ChunkRef): void {
    const s = this.sides[side];
    const sender = other(side);
    const oldWindow = s.settings.initialWindowSize;
    for (const { id, value } of values) applySetting(s.settings, id, value);
    const delta = s.settings.initialWindowSize - oldWindow;
    if (delta !== 0) {
      for (const stream of this.streams.values()) {
        if (stream.closed) continue;
        stream.window[sender] += delta;
        if (stream.window[sender] > MAX_WINDOW) {
          this.anomaly('http2.window-overflow', offset, at, `stream ${stream.id} window of side ${sender} at ${stream.window[sender]} after SETTINGS_INITIAL_WINDOW_SIZE`, stream.id);
        }
        Http2Session.reopenStream(stream, sender, at);
      }
    }
    this.updateLimits(side);
  }

  /** largestPending is the largest value of a setting `side` advertised, acknowledged or not (observer leniency). */
  private largestPending(side: Side, id: number, acked: number): number {
    let v = acked;
    for (const p of this.sides[side].pendingSettings) for (const x of p.values) if (x.id === id && x.value > v) v = x.value;
    return v;
  }

  /** updateLimits sets the limits that `side`'s settings put on the peer's frames: frame size and HPACK table size. */
  private updateLimits(side: Side): void {
    const s = this.sides[side];
    const peer = this.sides[other(side)];
    peer.reader.maxFrameSize = this.largestPending(side, SettingId.MAX_FRAME_SIZE, s.settings.maxFrameSize);
    peer.decoder.setTableSizeLimit(this.largestPending(side, SettingId.HEADER_TABLE_SIZE, s.settings.headerTableSize));
  }

  private onPing(side: Side, ack: boolean, opaque: Uint8Array, ctx: FrameContext): void {
    const data = toHex(opaque);
    const rec: Http2Ping = { side, ack, opaqueData: data, offset: ctx.offset, at: ctx.endAt };
    if (ack) {
      const open = this.sides[other(side)].openPings;
      const ping = open.get(data);
      if (ping !== undefined) {
        ping.ackAt = ctx.endAt;
        open.delete(data);
      }
    } else if (this.pings.length < this.maxRecords) {
      this.sides[side].openPings.set(data, rec);
    }
    this.record(this.pings, rec);
  }

  private onGoAway(side: Side, lastStreamId: number, code: number, debug: Uint8Array, ctx: FrameContext): void {
    const s = this.sides[side];
    this.record(this.goaways, {
      side,
      lastStreamId,
      errorCode: code,
      errorName: errorCodeName(code),
      debugData: latin1(debug, MAX_DEBUG_CHARS),
      offset: ctx.offset,
      at: ctx.endAt,
    });
    if (s.goAwayLastStreamId !== undefined && lastStreamId > s.goAwayLastStreamId) {
      this.anomaly('http2.goaway-last-stream-increased', ctx.offset, ctx.startAt, `GOAWAY last stream ${lastStreamId} above the earlier ${s.goAwayLastStreamId}`);
      return;
    }
    s.goAwayLastStreamId = lastStreamId;
    // Streams the peer opened above lastStreamId were not processed (RFC 9113 §6.8).
    const peer = other(side);
    for (const stream of this.streams.values()) {
      if (stream.id > lastStreamId && Http2Session.initiatorOf(stream.id) === peer && stream.tx !== undefined) stream.tx.beyondGoAway = true;
    }
  }

  //#endregion

  //#region bookkeeping

  /** finish settles stalls still open when both sides ended: kept if the side still had a stream to send on. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const stillSending: [boolean, boolean] = [false, false];
    for (const stream of this.streams.values()) {
      if (stream.closed) continue;
      for (const side of [0, 1] as const) {
        if (stream.ended[side]) continue;
        stillSending[side] = true;
        const stall = stream.stall[side];
        if (stall !== undefined && !this.stoppedEarly[other(side)]) this.record(this.stalls, stall);
        stream.stall[side] = undefined;
      }
    }
    for (const side of [0, 1] as const) {
      const s = this.sides[side];
      if (s.connStall !== undefined && stillSending[side] && !this.stoppedEarly[other(side)]) this.record(this.stalls, s.connStall);
      s.connStall = undefined;
    }
  }

  private record<T>(list: T[], item: T): void {
    if (list.length < this.maxRecords) list.push(item);
    else this.droppedRecords++;
  }

  private txAnomaly(tx: Http2Transaction, code: Http2AnomalyCode, message: string, at: ChunkRef): void {
    this.anomaly(code, tx.request.offset ?? tx.response.offset ?? 0, at, `stream ${tx.streamId}: ${message}`, tx.streamId);
  }

  private anomaly(code: string, offset: number, at: ChunkRef | undefined, message: string, streamId?: number): void {
    const n = (this.anomalyCounts[code] ?? 0) + 1;
    this.anomalyCounts[code] = n;
    if (streamId !== undefined) {
      const tx = this.streams.get(streamId)?.tx;
      if (tx !== undefined && !tx.anomalies.includes(code)) tx.anomalies.push(code);
    }
    if (n > this.maxAnomaliesPerCode) return;
    const a: ParserAnomaly = { code, offset, message };
    if (at !== undefined) a.at = at;
    this.anomalies.push(a);
  }

  //#endregion
}

/** contentLength reads the first content-length field as a non-negative integer, if it is one. */
function contentLength(headers: HeaderField[]): number | undefined {
  for (const f of headers) {
    if (f.name !== 'content-length') continue;
    const v = f.value.trim();
    if (v.length === 0 || v.length > 15) return undefined;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return undefined;
    }
    return Number(v);
  }
  return undefined;
}
