// SPDX-License-Identifier: MIT
//
// Http2FrameIndex remembers, for one direction of a TCP connection that speaks HTTP/2, which stream
// each frame's octets belong to, so a TCP event located by stream offsets (a lost segment and the
// data held behind it, tcp-hol-blocking) can name the HTTP/2 streams it delayed. Only the frame
// layout is read (RFC 9113 §4.1: a 9-octet header of length 24 bits, type, flags, R + stream id 31
// bits, then `length` octets); the HTTP layer does the real parsing.
//
// Where frames start: the client's stream with the connection preface (RFC 9113 §3.4), right after
// its 24 octets; the server's stream at offset 0 when it opens with a SETTINGS frame, the server's
// preface. Anything else (HTTP/1.1 with an h2c upgrade, TLS) is not indexed. Indexing stops at a gap:
// frame boundaries after missing bytes are unknown.
//
// Call order: `feed(offset, bytes)` for each delivered chunk in stream order, `gap()` for a gap.

/** The client connection preface (RFC 9113 §3.4). */
const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const FRAME_HEADER = 9;
/** SETTINGS (RFC 9113 §6.5) and the frame types that carry a stream's octets: DATA, HEADERS, PUSH_PROMISE, CONTINUATION. */
const SETTINGS = 0x4;
const STREAM_FRAME_TYPES = new Set([0x0, 0x1, 0x5, 0x9]);
/**
 * Runs remembered (the most recent): consecutive frames of one stream are one run, so a bulk transfer
 * costs one entry; a stall reaches back at most one receive window, a few thousand interleaved frames.
 */
const MAX_FRAMES = 4096;

/** IndexedFrame is a run of adjacent frames that carried one stream's octets: [start, end) in stream offsets. */
interface IndexedFrame {
  start: number;
  end: number;
  streamId: number;
}

/** Http2FrameIndex indexes one direction (see the file header). */
export class Http2FrameIndex {
  private readonly frames: IndexedFrame[] = [];
  private head = 0;
  /** Offset of the next frame header; its first `have` octets are in `header`. */
  private nextHeader: number;
  private readonly header = new Uint8Array(FRAME_HEADER);
  private have = 0;
  private stopped = false;

  private constructor(start: number) {
    this.nextHeader = start;
  }

  /**
   * detect returns an index for a direction whose first delivered chunk (at stream offset 0) opens an
   * HTTP/2 connection: the client preface, or a server SETTINGS frame on stream 0 whose length is a
   * multiple of 6 (RFC 9113 §6.5); otherwise undefined.
   */
  static detect(first: Uint8Array): Http2FrameIndex | undefined {
    if (first.length >= PREFACE.length && String.fromCharCode(...first.subarray(0, PREFACE.length)) === PREFACE) return new Http2FrameIndex(PREFACE.length);
    if (first.length < FRAME_HEADER) return undefined;
    const length = (first[0]! << 16) | (first[1]! << 8) | first[2]!;
    const streamId = ((first[5]! & 0x7f) << 24) | (first[6]! << 16) | (first[7]! << 8) | first[8]!;
    if (first[3] === SETTINGS && streamId === 0 && length % 6 === 0) return new Http2FrameIndex(0);
    return undefined;
  }

  /** feed reads the frame headers in the next delivered chunk, which starts at stream offset `offset`. */
  feed(offset: number, bytes: Uint8Array): void {
    if (this.stopped) return;
    const end = offset + bytes.length;
    while (this.nextHeader < end) {
      const from = Math.max(this.nextHeader + this.have, offset);
      const take = Math.min(FRAME_HEADER - this.have, end - from);
      this.header.set(bytes.subarray(from - offset, from - offset + take), this.have);
      this.have += take;
      if (this.have < FRAME_HEADER) return;
      const h = this.header;
      const length = (h[0]! << 16) | (h[1]! << 8) | h[2]!;
      const streamId = ((h[5]! & 0x7f) << 24) | (h[6]! << 16) | (h[7]! << 8) | h[8]!;
      const frameEnd = this.nextHeader + FRAME_HEADER + length;
      if (STREAM_FRAME_TYPES.has(h[3]!) && streamId !== 0) this.remember({ start: this.nextHeader, end: frameEnd, streamId });
      this.nextHeader = frameEnd;
      this.have = 0;
    }
  }

  /** gap stops indexing: after missing octets the next frame header cannot be found. */
  gap(): void {
    this.stopped = true;
  }

  /** streamsIn lists the streams (ascending) whose frames have octets in [from, to). */
  streamsIn(from: number, to: number): number[] {
    const ids = new Set<number>();
    for (let i = this.head; i < this.frames.length; i++) {
      const f = this.frames[i]!;
      if (f.start < to && f.end > from) ids.add(f.streamId);
    }
    return [...ids].sort((a, b) => a - b);
  }

  private remember(f: IndexedFrame): void {
    const last = this.frames[this.frames.length - 1];
    if (last && this.frames.length > this.head && last.streamId === f.streamId && last.end === f.start) {
      last.end = f.end;
      return;
    }
    this.frames.push(f);
    if (this.frames.length - this.head > MAX_FRAMES) this.head++;
    // Compact now and then so the array does not grow with the connection.
    if (this.head >= MAX_FRAMES) {
      this.frames.splice(0, this.head);
      this.head = 0;
    }
  }
}
