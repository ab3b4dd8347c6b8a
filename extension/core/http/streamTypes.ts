// SPDX-License-Identifier: MIT
// Types shared by the application-layer parsers (HTTP/1, HTTP/2, TLS) that sit on the TCP byte streams.

/**
 * ChunkRef says where a delivered chunk of stream bytes came from: the frame that carried it, its
 * time, and the file offset of the chunk's first byte when known (absent for
 * bytes rebuilt from IP fragments). Parsers attach the ChunkRef of the byte that triggered an event,
 * so every event maps to a frame and a time. Callers create one ChunkRef per chunk and never reuse it:
 * parsers may keep references (e.g. the first byte of a message).
 */
export interface ChunkRef {
  frame: number;
  /** Seconds since the analysis' time base (the whole second of the capture's first packet), as a float: exact to well below a nanosecond, unlike epoch seconds in a double. */
  time: number;
  /** File offset of the chunk's first byte (absent or NaN when unknown, e.g. bytes rebuilt from IP fragments). */
  fileOffset?: number;
  /** Stream offset of the chunk's first byte, so a byte's file offset is fileOffset + (offset − streamOffset). */
  streamOffset?: number;
}

/** StreamEnd says how a direction of a connection ended (from the TCP reassembler). */
export type StreamEnd = 'fin' | 'rst' | 'capture-end';

/** ParserAnomaly is a protocol violation or oddity found by a parser, with a stable code (tests assert on codes). */
export interface ParserAnomaly {
  /** Stable code, e.g. `http.content-length-and-chunked`, `http2.frame-too-large`, `tls.record-overflow`. */
  code: string;
  /** Stream offset of the offending byte. */
  offset: number;
  at?: ChunkRef;
  message: string;
}

/** Direction of a connection's byte stream: 0 client→server, 1 server→client. */
export type Side = 0 | 1;
