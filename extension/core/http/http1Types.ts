// SPDX-License-Identifier: MIT
//
// The contract of Http1Parser (http1Parser.ts): what it reports about the HTTP/1.x messages of one
// direction of a connection, and the hooks through which it reports them.

import type { ChunkRef, ParserAnomaly, StreamEnd } from './streamTypes.js';

/** Http1Header is one field line as sent: the raw name (case kept) and the value with surrounding OWS trimmed (RFC 9112 §5). */
export interface Http1Header {
  name: string;
  value: string;
}

/** Http1Head is a parsed message head: start line, fields in wire order (duplicates kept), where it lay in the stream, and its framing fields. */
export interface Http1Head {
  kind: 'request' | 'response';
  /** Request line (RFC 9112 §3). */
  method?: string;
  target?: string;
  /** Status line (RFC 9112 §4); `reason` may be empty. */
  status?: number;
  reason?: string;
  /** As sent (`HTTP/1.1`, `HTTP/1.0`, even `HTTP/2.0` for an h2c preface), or `HTTP/0.9` for a simple request without version. */
  version: string;
  headers: Http1Header[];
  /** Stream offset of the first byte of the start line (leading empty lines excluded). */
  startOffset: number;
  /** Stream offset of the first byte after the empty line that ends the head. */
  headerEndOffset: number;
  /** headerEndOffset − startOffset. */
  headerBytes: number;
  /** ChunkRef of the first byte of the start line. */
  startAt: ChunkRef;
  /** ChunkRef of the last byte of the head (the LF of its empty line). */
  headerEndAt: ChunkRef;
  /** The Content-Length when valid (RFC 9110 §8.6: one value, or a list of identical values). */
  contentLength?: number;
  /** Transfer-Encoding is present and its final coding is chunked (RFC 9112 §6.1). */
  chunked: boolean;
  /** Lower-case tokens of Connection and Proxy-Connection, in order (RFC 9110 §7.6.1). */
  connectionTokens: string[];
  /** The raw Keep-Alive value (values of repeated fields joined with ", "). */
  keepAlive?: string;
}

/**
 * BodyRule is the exchange layer's verdict on a head, returned by `onHead`: 'default' applies RFC 9112
 * §6.3 to this message alone (including "1xx, 204 and 304 responses have no body"); 'none' means no body
 * whatever the fields say (a response to HEAD); 'tunnel' means the message ends with its head and the rest
 * of this direction is not HTTP (after 101, or a 2xx to CONNECT).
 */
export type BodyRule = 'default' | 'none' | 'tunnel';

/** Http1Framing says how a message's body was delimited (RFC 9112 §6.3). */
export type Http1Framing = 'content-length' | 'chunked' | 'close-delimited' | 'none' | 'tunnel' | 'http09';

/** Http1Anomaly is a ParserAnomaly with the byte counts of `http.resync` and `http.unparsed-tail`. */
export interface Http1Anomaly extends ParserAnomaly {
  /** Captured bytes skipped while hunting for a message start. */
  skippedBytes?: number;
  /** Uncaptured (gap) bytes inside the hunted range. */
  gapBytes?: number;
}

/** Http1MessageEnd describes a message once it has ended, completely or not. */
export interface Http1MessageEnd {
  /** The head; undefined for an HTTP/0.9 response (framing 'http09') and for a message cut inside its head. */
  head: Http1Head | undefined;
  framing: Http1Framing;
  /** Stream offset and ChunkRef of the message's first byte (= head.startOffset/startAt when there is a head). */
  startOffset: number;
  startAt: ChunkRef;
  /** Payload bytes received (after de-chunking; gap bytes excluded). */
  bodyBytes: number;
  /** Body bytes on the wire, chunk framing, trailers and gap bytes included: endOffset − head.headerEndOffset. */
  bodyWireBytes: number;
  /** The Content-Length, when the body was delimited by it. */
  expectedBodyBytes?: number;
  /** Trailer fields of a chunked body (RFC 9112 §7.1.2). */
  trailers: Http1Header[];
  /** Stream offset of the first byte after the message (after what was received, for a cut message). */
  endOffset: number;
  /** ChunkRef of the message's last received byte. */
  endAt: ChunkRef;
  /** ChunkRefs of the first and last payload bytes received. */
  firstBodyAt?: ChunkRef;
  lastBodyAt?: ChunkRef;
  /** False when the message was cut (FIN/RST/capture end, lost sync), had uncaptured bytes, or could not be framed. */
  complete: boolean;
  /** The stream ended inside the message (a close-delimited or HTTP/0.9 body that ends at a FIN is not truncated). */
  truncatedBy?: StreamEnd;
  /** The ChunkRef passed to `end()` when the message was truncated by it. */
  truncatedAt?: ChunkRef;
  /** The parser lost sync inside the message: at a gap it could not count through, or at malformed framing. */
  desync?: 'gap' | 'malformed';
  /** Uncaptured bytes counted inside the body. */
  gapBytes: number;
}

/**
 * Http1Hooks receives a parser's events, synchronously from push/gap/end. Per message, in stream order:
 * anomalies of the head, `onHead` (not for an HTTP/0.9 response or a message cut inside its head), then
 * `onBody`* and anomalies of the body, then `onMessageEnd` exactly once. After a message ended with
 * framing 'tunnel' (or after `startTunnel()`), only `onTunnelData`/`onTunnelGap` follow. Hooks must not
 * call push/gap/end/startTunnel on the parser that is calling them.
 */
export interface Http1Hooks {
  /** A head is complete; the returned rule decides the body (see BodyRule). */
  onHead(head: Http1Head): BodyRule;
  /** Payload bytes, in order: `bytes` is a view of them, valid only during the call. Chunk framing is never reported. */
  onBody?(offset: number, length: number, at: ChunkRef, bytes: Uint8Array): void;
  /** A message ended (completely or not). */
  onMessageEnd(msg: Http1MessageEnd): void;
  onAnomaly(a: Http1Anomaly): void;
  /** Bytes after a tunnel started, in order: `bytes` is a view, valid only during the call. */
  onTunnelData?(offset: number, length: number, at: ChunkRef, bytes: Uint8Array): void;
  /** Uncaptured bytes after a tunnel started. */
  onTunnelGap?(offset: number, length: number): void;
  /**
   * Asked (response parsers only) once per response, when its first byte arrives (not after a resync):
   * true if the request it answers was HTTP/0.9, whose response is a bare body that ends when the
   * connection closes.
   */
  isHttp09Response?(): boolean;
}

/** Http1Limits bounds what a parser keeps of a head; above them it reports `http.header-too-large` and resynchronises. */
export interface Http1Limits {
  /** Bytes of a head (start line to the empty line), of a trailer section, or of a chunk-size line. Default 64 KiB, at least 64. */
  maxHeaderBytes?: number;
  /** Field lines in a head or a trailer section. Default 256. */
  maxHeaders?: number;
}

/** HTTP1_ANOMALY lists the stable codes Http1Parser reports through `onAnomaly` (tests and the diagnostics catalog use these). */
export const HTTP1_ANOMALY = {
  /** Transfer-Encoding and Content-Length both present; Transfer-Encoding wins (RFC 9112 §6.3 item 3). */
  contentLengthAndChunked: 'http.content-length-and-chunked',
  /** Content-Length not 1*DIGIT, too large, or differing values (RFC 9112 §6.3 item 5). */
  invalidContentLength: 'http.invalid-content-length',
  /** A request's Transfer-Encoding does not end in chunked: its length cannot be determined (RFC 9112 §6.3 item 4). */
  badTransferEncoding: 'http.bad-transfer-encoding',
  /** Transfer-Encoding in an HTTP/1.0 message: framing is faulty (RFC 9112 §6.1). */
  transferEncodingInHttp10: 'http.transfer-encoding-http10',
  /** A chunk size above 2^53 − 1. */
  chunkSizeOverflow: 'http.chunk-size-overflow',
  /** A chunk-size line that is not hex digits with optional extensions. */
  badChunkSize: 'http.bad-chunk-size',
  /** Malformed chunk extensions (the chunk is still used). */
  badChunkExtension: 'http.bad-chunk-extension',
  /** Chunk data not followed by CRLF. */
  badChunkEnd: 'http.bad-chunk-end',
  /** A line ended by LF alone (RFC 9112 §2.2); reported once per message. */
  bareLf: 'http.bare-lf',
  /** Obsolete line folding, unfolded into the previous field value (RFC 9112 §5.2). */
  obsFold: 'http.obs-fold',
  /** A head or trailer section over maxHeaderBytes or maxHeaders. */
  headerTooLarge: 'http.header-too-large',
  /** A field line without colon or with an invalid name; skipped (RFC 9112 §5.1). */
  badHeaderLine: 'http.bad-header-line',
  /** Bytes where a message should start that are not HTTP at all (binary, TLS, …). */
  notHttp: 'http.not-http',
  /** A malformed request line (RFC 9112 §3). */
  badRequestLine: 'http.bad-request-line',
  /** A malformed status line (RFC 9112 §4). */
  badStatusLine: 'http.bad-status-line',
  /** Whitespace inside a request target (accepted, RFC 9112 §3.2 forbids it). */
  spaceInTarget: 'http.space-in-target',
  /** A request line without a request target (`OPTIONS HTTP/1.1`); kept as a request so its answer pairs with it. */
  emptyTarget: 'http.empty-target',
  /** A request line whose version is `HTTP/` followed by something other than DIGIT "." DIGIT; kept as a request. */
  badVersion: 'http.bad-version',
  /** The parser found a message start again after losing sync; skippedBytes/gapBytes say what was lost. */
  resync: 'http.resync',
  /** The direction ended (or became a tunnel) while hunting for a message start; skippedBytes/gapBytes say what was never parsed. */
  unparsedTail: 'http.unparsed-tail',
} as const;

/** Http1AnomalyCode is one of the codes in HTTP1_ANOMALY. */
export type Http1AnomalyCode = (typeof HTTP1_ANOMALY)[keyof typeof HTTP1_ANOMALY];
