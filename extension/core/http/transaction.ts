// SPDX-License-Identifier: MIT
import type { ChunkRef, StreamEnd } from './streamTypes.js';

/** HeaderField is one header line as sent: raw name, value with surrounding whitespace trimmed. */
export interface HeaderField {
  name: string;
  value: string;
}

/** MessageTiming says which frames carried a message and when: its first and last byte, and its body's. */
export interface MessageTiming {
  firstFrame: number;
  /** Seconds since the analysis time base (see CaptureAnalysis.timeBaseSec). */
  firstTime: number;
  lastFrame: number;
  lastTime: number;
  /** Frame and time of the end of the header block. */
  headerEndFrame: number;
  headerEndTime: number;
  bodyFirstFrame?: number;
  bodyLastFrame?: number;
}

/** HttpMessage is one request or response as rebuilt from the byte stream. */
export interface HttpMessage {
  headers: HeaderField[];
  /** Stream offset of the first byte, and bytes of the start line plus header block. */
  streamOffset: number;
  headerBytes: number;
  /** Payload bytes received (after de-chunking), and body bytes on the wire. */
  bodyBytes: number;
  bodyWireBytes: number;
  /** Content-Length, when the message declared one. */
  expectedBodyBytes?: number;
  /** How the body was delimited (RFC 9112 §6.3). */
  framing: 'content-length' | 'chunked' | 'close-delimited' | 'none' | 'tunnel' | 'http09' | 'h2';
  timing: MessageTiming;
  complete: boolean;
  /** Set when the stream ended (FIN, RST or capture end) before the message did. */
  truncatedBy?: StreamEnd;
  /** Bytes of the message that were never captured. */
  gapBytes: number;
  trailers?: HeaderField[];
  /**
   * Where the body's payload bytes sit in the capture file (chunk framing excluded, in order), so a
   * viewer can re-read the body on demand instead of the analysis keeping it. At most
   * MAX_BODY_SPANS spans; `bodySpansComplete` is false when there were more or some file offsets
   * were unknown.
   */
  bodySpans?: { fileOffset: number; length: number }[];
  bodySpansComplete?: boolean;
}

/** Body spans kept per message; a body spread over more segments is marked incomplete (re-read by frames). */
export const MAX_BODY_SPANS = 256;

/** addBodySpan records that `length` body bytes at stream `offset` arrived in the chunk `at`. */
export function addBodySpan(m: HttpMessage, offset: number, length: number, at: ChunkRef): void {
  const spans = (m.bodySpans ??= []);
  if (m.bodySpansComplete === undefined) m.bodySpansComplete = true;
  const base = at.fileOffset;
  if (base === undefined || Number.isNaN(base) || at.streamOffset === undefined) {
    m.bodySpansComplete = false;
    return;
  }
  const fileOffset = base + (offset - at.streamOffset);
  const last = spans[spans.length - 1];
  if (last && last.fileOffset + last.length === fileOffset) last.length += length;
  else if (spans.length < MAX_BODY_SPANS) spans.push({ fileOffset, length });
  else m.bodySpansComplete = false;
}

/** InterimResponse is a 1xx response that came before the final one (RFC 9110 §15.2). */
export interface InterimResponse {
  status: number;
  frame: number;
  time: number;
}

/** HttpTransaction is a request paired with its response, on HTTP/1.x by order, on HTTP/2 by stream id. */
export interface HttpTransaction {
  /** 0-based order of the request on its connection. */
  index: number;
  /** HTTP/2 stream id. */
  streamId?: number;
  /** Request version ('HTTP/1.1', 'HTTP/0.9', 'HTTP/2'), and the response's when it differs or is known. */
  version: string;
  responseVersion?: string;
  method: string;
  target: string;
  /** Host header or :authority. */
  host?: string;
  status?: number;
  reason?: string;
  request: HttpMessage;
  response?: HttpMessage;
  interim: InterimResponse[];
  /** Requests sent earlier on this connection whose responses had not finished when this one was sent (HTTP/1.x pipelining depth). */
  outstandingAtSend: number;
  /** 1-based position in the pipeline run this request belongs to (1 when not pipelined). */
  pipelinePosition: number;
  /** Lowercase Connection tokens of the request and the response (hop-by-hop, RFC 9110 §7.6.1). */
  requestConnection: string[];
  responseConnection: string[];
  /** The connection switched protocols after this transaction: a 101 (websocket, h2c) or a 2xx to CONNECT. */
  upgrade?: 'websocket' | 'h2c' | 'tunnel' | 'other';
  /** HTTP/2: RST_STREAM that ended the stream. */
  reset?: { code: number; bySide: 'client' | 'server'; frame: number };
  /** Both messages complete. */
  complete: boolean;
  /** Stable codes of the anomalies found in this transaction's messages. */
  anomalies: string[];
}

/** messageTiming builds a MessageTiming from parser ChunkRefs. */
export function messageTiming(first: ChunkRef, headerEnd: ChunkRef, last: ChunkRef, bodyFirst?: ChunkRef, bodyLast?: ChunkRef): MessageTiming {
  return {
    firstFrame: first.frame,
    firstTime: first.time,
    lastFrame: last.frame,
    lastTime: last.time,
    headerEndFrame: headerEnd.frame,
    headerEndTime: headerEnd.time,
    bodyFirstFrame: bodyFirst?.frame,
    bodyLastFrame: bodyLast?.frame,
  };
}
