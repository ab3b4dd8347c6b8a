// SPDX-License-Identifier: MIT
//
// StreamReassembler turns the segments that ONE side of a TCP connection sent
// back into the byte stream its application wrote, and pushes it to an
// application analyzer (StreamSink) [Zeek TCP_Reassembler: DeliverStream /
// Undelivered / EndpointEOF; gopacket reassembly.Stream].
//
// Call order. The connection tracker owns one reassembler per direction and
// calls it in capture order:
//   onSyn(seq)?               this side's SYN (onSegment does it for SYN segments)
//   { onSegment(…) | onAck(ack) }*
//                             onSegment for every segment this side sent with
//                             data, SYN, FIN or RST (bare ACKs may be skipped:
//                             they can only be classified as keep-alives);
//                             onAck for every segment of the OTHER side that
//                             has the ACK flag
//   onRst(frame, time)?       this side reset the connection (onSegment does it
//                             for RST segments)
//   finish()                  once, at the end of the capture
// From inside those calls the reassembler calls its sink synchronously:
//   { onData | onGap }*  then  onEnd exactly once; nothing after onEnd.
// onData and onGap calls are contiguous: the first starts at streamOffset 0 and
// each starts where the previous one ended. One onData call carries bytes of
// one frame, so consecutive calls map every byte to its frame exactly. The
// sink must not call back into the reassembler.
//
// Policies:
// - Offsets. streamOffset 0 is the byte after the ISN: the SYN occupies the
//   ISN, before the first data byte (RFC 9293 §3.4). Offsets are JS numbers
//   (streams may pass 4 GiB). A sequence number is placed by its signed
//   distance from the next byte to deliver, exact while segments lie within
//   2^31 of it; windows are at most 2^30 (RFC 7323 §2.3), and segments more
//   than that ahead are ignored with a note.
// - Mid-stream start. Without a SYN, the first segment carrying data (or a
//   FIN) defines offset 0 and sets `midStream`. Bytes seen later before it are
//   counted (`bytesBeforeStart`, note), not delivered: what follows them has
//   already been delivered. A bare ACK does not anchor the stream, nor does a
//   1-byte segment just below the peer's ACK (a keep-alive, RFC 9293 §3.8.4).
// - Overlaps. The first captured copy of a byte wins (as in Zeek). Later
//   copies are counted as duplicates and compared with the first copy while it
//   is at hand: buffered out-of-order data always, delivered data within the
//   last `recentBytesWindow` bytes. A keep-alive's garbage octet is not compared.
// - Gaps. Bytes that were on the wire but not captured are reported with
//   onGap, and delivery goes on after them. A gap is declared when the peer
//   acknowledges bytes never seen (an ACK covers every byte before it, RFC 9293
//   §3.4, so they were sent; Zeek's content gap), for the uncaptured tail of a
//   snapped segment, when the out-of-order buffer goes over its cap, and at RST
//   or capture end before buffered data and a seen FIN. Bytes that turn up
//   after their range was reported as a gap are counted (`lateBytes`, note).
// - FIN. It occupies the sequence number after its segment's data (RFC 9293
//   §3.4). onEnd('fin') comes once every byte before it is delivered or
//   reported as a gap, whatever triggers that (an ACK, RST, capture end).
//   Bytes beyond it are ignored and counted (`bytesAfterFin`, note). A
//   repeated FIN is a no-op; a FIN at another position is noted and ignored.
// - RST. Its payload is diagnostic text, not stream data (RFC 9293 §3.5.3).
//   Buffered data is delivered with a gap before each hole, then onEnd('rst'),
//   or onEnd('fin') after a gap up to the FIN when this side had sent one.
// - Memory. In-order data reaches the sink as a view of the caller's bytes,
//   uncopied: the sink copies what it keeps and only counts bodies it does not
//   need. Out-of-order data is copied (the caller's bytes are only valid during
//   the call) up to `maxBufferedBytes`; a ring of recently delivered bytes
//   grows with the stream up to `recentBytesWindow`. Both are released when the
//   stream ends, so retransmissions after that are counted, not compared.

import { TcpFlag } from '../wire/tcp.js';
import { seqAdd, seqDiff, seqGt } from './seq.js';

/** Direction says which side sent a stream: 0 = client→server, 1 = server→client. */
export type Direction = 0 | 1;

/** DeliveredChunk says where delivered bytes sit in the stream and which frame carried them. */
export interface DeliveredChunk {
  /** Offset of the first byte in the stream; 0 is the first data byte. */
  streamOffset: number;
  /** The capture frame that carried these bytes (the first captured copy of them). */
  frame: number;
  /** That frame's capture time (seconds since the tracker's time base). */
  time: number;
  /** File offset of the first byte, so a body can be re-read from the capture later; NaN when unknown (rebuilt IP fragments). */
  fileOffset: number;
}

/** StreamEndReason says why a stream ended: its FIN, a RST, or the end of the capture. */
export type StreamEndReason = 'fin' | 'rst' | 'capture-end';

/** StreamSink is the push interface of an application analyzer fed by a StreamReassembler (call order in streamReassembler.ts). */
export interface StreamSink {
  /** Next bytes of the stream, all from one frame. `bytes` and `at` are valid only during the call: copy what you keep. */
  onData(dir: Direction, bytes: Uint8Array, at: DeliveredChunk): void;
  /** The next `length` bytes, from `streamOffset`, were sent but not captured. */
  onGap(dir: Direction, streamOffset: number, length: number): void;
  /** The stream ended; called exactly once, last. */
  onEnd(dir: Direction, reason: StreamEndReason): void;
}

/** StreamReassemblerOptions tunes a StreamReassembler's memory bounds. */
export interface StreamReassemblerOptions {
  /** Cap on copied out-of-order bytes; above it the holes before them become gaps. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Compare overlapping copies of bytes to count `differingOverlaps`. Default true. */
  compareOverlaps?: boolean;
  /** How many recently delivered bytes to keep for comparing retransmissions (rounded up to a power of two; 0 keeps none). Default 64 KiB. */
  recentBytesWindow?: number;
}

/** SegmentResult classifies one segment's bytes; counts are sequence-space bytes, captured or not. */
export interface SegmentResult {
  /** Bytes never seen before: delivered now or buffered. */
  newBytes: number;
  /** Bytes already delivered or buffered (retransmitted), or the garbage octet of a keep-alive. */
  duplicateBytes: number;
  /** Bytes of a range already reported as a gap. */
  lateBytes: number;
  /** Bytes not part of the stream: before its start, after its FIN or end, on a RST, on a SYN with another ISN, out of window. */
  ignoredBytes: number;
  /** Some new bytes were buffered because a hole precedes them. */
  outOfOrder: boolean;
  /** Some bytes lay beyond the FIN. */
  beyondFin: boolean;
  /** Some bytes differed from the first captured copy. */
  differed: boolean;
  /** A keep-alive probe: at most one byte, ending at the next byte to deliver (SEG.SEQ = SND.NXT − 1, RFC 9293 §3.8.4). */
  keepAlive: boolean;
}

/** StreamCounters are a stream's running totals. */
export interface StreamCounters {
  bytesDelivered: number;
  /** Bytes reported with onGap, `snappedBytes` included. */
  gapBytes: number;
  /** Number of onGap calls. */
  gaps: number;
  /** Gap bytes that were the uncaptured tails of snapped segments. */
  snappedBytes: number;
  /** Retransmitted bytes that were already delivered or buffered. */
  duplicateBytes: number;
  /** Segments with at least one byte that differed from the first copy. */
  differingOverlaps: number;
  lateBytes: number;
  bytesAfterFin: number;
  /** Bytes that arrived after the stream ended by RST or capture end. */
  bytesAfterEnd: number;
  bytesBeforeStart: number;
  /** Times the out-of-order buffer went over its cap. */
  oooBufferCapHits: number;
  /** High-water mark of copied out-of-order bytes. */
  maxBufferedBytes: number;
}

/** StreamNoteCode names an unusual fact about a stream; the tracker maps codes to diagnostics. */
export type StreamNoteCode =
  | 'tcp.data-before-stream-start'
  | 'tcp.data-after-fin'
  | 'tcp.data-after-end'
  | 'tcp.fin-inconsistent'
  | 'tcp.syn-isn-mismatch'
  | 'tcp.overlap-differs'
  | 'tcp.late-data'
  | 'tcp.ooo-buffer-cap'
  | 'tcp.impossible-length'
  | 'tcp.out-of-window'
  | 'tcp.implausible-ack';

/** StreamNote is the first occurrence of a StreamNoteCode in a stream; the counters hold the totals. */
export interface StreamNote {
  code: StreamNoteCode;
  frame: number | undefined;
  streamOffset: number | undefined;
  message: string;
}

/** Largest window, and so the farthest a valid segment or ACK can lie ahead (RFC 7323 §2.3). */
const MAX_WINDOW = 0x4000_0000;
const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEFAULT_RECENT_BYTES_WINDOW = 64 * 1024;
const MIN_RING_BYTES = 4 * 1024;
/** Gap ranges remembered for recognizing late bytes; older gaps' late bytes count as duplicates. */
const MAX_RECENT_GAPS = 16;
const NO_BYTES = new Uint8Array(0);

/** A copied out-of-order range: [start, end) in stream offsets, of which `bytes` holds the captured prefix. */
interface BufferedPiece {
  start: number;
  end: number;
  bytes: Uint8Array;
  frame: number;
  time: number;
  /** File offset of the piece's first byte (NaN when unknown). */
  fileOffset: number;
}

/** StreamReassembler reassembles one direction of a TCP connection into a StreamSink (see the file header). */
export class StreamReassembler {
  /** Running totals (live, updated by every call). */
  readonly counters: Readonly<StreamCounters>;
  private readonly c: StreamCounters = {
    bytesDelivered: 0,
    gapBytes: 0,
    gaps: 0,
    snappedBytes: 0,
    duplicateBytes: 0,
    differingOverlaps: 0,
    lateBytes: 0,
    bytesAfterFin: 0,
    bytesAfterEnd: 0,
    bytesBeforeStart: 0,
    oooBufferCapHits: 0,
    maxBufferedBytes: 0,
  };
  private readonly noteList: StreamNote[] = [];

  private readonly dir: Direction;
  private readonly sink: StreamSink;
  private readonly maxBuffered: number;
  private readonly compare: boolean;
  private readonly recentWindow: number;

  private hasBase = false;
  /** Sequence number of stream offset 0. */
  private base = 0;
  /** Stream offset of the next byte to deliver: everything before it was delivered or reported as a gap. */
  private next = 0;
  private nextSeqNumber = 0;
  private sawSyn = false;
  private isMidStream = false;
  private fin: number | undefined;
  private finFrame: number | undefined;
  private finTime: number | undefined;
  private ended: StreamEndReason | undefined;
  private endedFrame: number | undefined;
  private endedTime: number | undefined;
  /** Latest peer ACK seen before the stream had a base (mid-stream keep-alive detection). */
  private preBaseAck: number | undefined;

  /** Out-of-order pieces sorted by start, disjoint, all starting at or after `next`; live from `bufHead`. */
  private buf: BufferedPiece[] = [];
  private bufHead = 0;
  private buffered = 0;

  /** Recently delivered bytes, byte at offset o at ring[o & (size − 1)]. */
  private ring: Uint8Array | undefined;
  /** Ring bytes are valid from here (the end of the last gap) up to `next`. */
  private ringValidFrom = 0;
  /** Recent gap ranges as flat [start, end] pairs. */
  private readonly recentGaps: number[] = [];

  // Reused for every call: see the lifetime notes on StreamSink.onData and onSegment.
  private readonly chunk: DeliveredChunk = { streamOffset: 0, frame: 0, time: 0, fileOffset: NaN };
  /** File offset of the current segment's first payload byte (NaN when unknown). */
  private segmentFileOffset = NaN;
  private readonly result: SegmentResult = {
    newBytes: 0,
    duplicateBytes: 0,
    lateBytes: 0,
    ignoredBytes: 0,
    outOfOrder: false,
    beyondFin: false,
    differed: false,
    keepAlive: false,
  };

  constructor(dir: Direction, sink: StreamSink, options: StreamReassemblerOptions = {}) {
    this.dir = dir;
    this.sink = sink;
    this.counters = this.c;
    this.maxBuffered = Math.max(0, options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
    this.compare = options.compareOverlaps ?? true;
    const window = this.compare ? (options.recentBytesWindow ?? DEFAULT_RECENT_BYTES_WINDOW) : 0;
    let size = 0;
    if (window > 0) {
      size = 1;
      while (size < window && size < MAX_WINDOW) size *= 2;
    }
    this.recentWindow = size;
  }

  //#region state

  /** Stream offset of the next byte to deliver; every byte before it was delivered or reported as a gap. */
  get nextOffset(): number {
    return this.next;
  }

  /** Sequence number of stream offset 0 (ISN + 1, or the first captured data byte), once known. */
  get baseSeq(): number | undefined {
    return this.hasBase ? this.base : undefined;
  }

  /** Whether this side's SYN was seen. */
  get synSeen(): boolean {
    return this.sawSyn;
  }

  /** Whether the stream was picked up without its SYN: offset 0 is the first captured data byte. */
  get midStream(): boolean {
    return this.isMidStream;
  }

  /** Stream offset of the FIN (the number of data bytes before it), once seen. */
  get finOffset(): number | undefined {
    return this.fin;
  }

  /** Why the stream ended, once onEnd was called. */
  get endReason(): StreamEndReason | undefined {
    return this.ended;
  }

  /** Frame of the FIN or RST that ended the stream; undefined for capture end. */
  get endFrame(): number | undefined {
    return this.endedFrame;
  }

  /** Capture time of `endFrame`, epoch seconds. */
  get endTime(): number | undefined {
    return this.endedTime;
  }

  /** First occurrence of each note code, in order (the counters hold the totals). */
  get streamNotes(): readonly StreamNote[] {
    return this.noteList;
  }

  /** streamNotes as text, "code (frame F, offset O): message". */
  get notes(): string[] {
    return this.noteList.map(formatStreamNote);
  }

  // Shorthands for the counters the connection tracker reads.
  get bytesDelivered(): number {
    return this.c.bytesDelivered;
  }
  get gapBytes(): number {
    return this.c.gapBytes;
  }
  get gaps(): number {
    return this.c.gaps;
  }
  get duplicateBytes(): number {
    return this.c.duplicateBytes;
  }
  get differingOverlaps(): number {
    return this.c.differingOverlaps;
  }
  get bytesAfterFin(): number {
    return this.c.bytesAfterFin;
  }
  get oooBufferCapHits(): number {
    return this.c.oooBufferCapHits;
  }

  /** Stream offset of the first out-of-order byte waiting behind a hole (undefined when none waits). */
  get firstBufferedOffset(): number | undefined {
    return this.buf[this.bufHead]?.start;
  }

  /** Arrival of the earliest out-of-order piece still waiting for a hole to fill: its frame and time. */
  get oldestBuffered(): { frame: number; time: number } | undefined {
    let oldest: BufferedPiece | undefined;
    for (let i = this.bufHead; i < this.buf.length; i++) {
      const p = this.buf[i]!;
      if (!oldest || p.time < oldest.time) oldest = p;
    }
    return oldest && { frame: oldest.frame, time: oldest.time };
  }

  /** Copied out-of-order bytes held right now. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** offsetOf is the stream offset of a sequence number (it may be negative), once the base is known. */
  offsetOf(seq: number): number | undefined {
    return this.hasBase ? this.offsetOfKnown(seq) : undefined;
  }

  /** seqOf is the sequence number of a stream offset, once the base is known. */
  seqOf(streamOffset: number): number | undefined {
    return this.hasBase ? seqAdd(this.base, streamOffset) : undefined;
  }

  //#endregion

  //#region events

  /** onSyn records this side's SYN: the stream starts at seq + 1. Returns false (and notes it) for a SYN with another ISN. */
  onSyn(seq: number): boolean {
    const start = seqAdd(seq, 1);
    if (!this.hasBase) {
      if (this.ended !== undefined) return false;
      this.setBase(start);
      this.sawSyn = true;
      return true;
    }
    if (start === this.base) {
      // A retransmitted SYN, or one captured after data picked up as mid-stream: it confirms offset 0.
      this.sawSyn = true;
      this.isMidStream = false;
      return true;
    }
    this.note('tcp.syn-isn-mismatch', undefined, undefined, `SYN with sequence number ${seq} does not match the stream start ${this.base} (ISN + 1); ignored`);
    return false;
  }

  /**
   * onSegment takes one segment this side sent. `payload` holds the captured bytes and is only read during the
   * call; `payloadLength` is the length from the IP header (more than `payload.length` when snapped). The result
   * object is reused: it is valid until the next call.
   */
  onSegment(seq: number, payload: Uint8Array, payloadLength: number, flags: number, frame: number, time: number, fileOffset = NaN): SegmentResult {
    const r = this.result;
    this.segmentFileOffset = fileOffset;
    r.newBytes = 0;
    r.duplicateBytes = 0;
    r.lateBytes = 0;
    r.ignoredBytes = 0;
    r.outOfOrder = false;
    r.beyondFin = false;
    r.differed = false;
    r.keepAlive = false;
    if (
      seq === this.nextSeqNumber &&
      this.hasBase &&
      (flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) === 0 &&
      payloadLength > 0 &&
      payload.length === payloadLength &&
      this.bufHead === this.buf.length &&
      this.fin === undefined &&
      this.ended === undefined
    ) {
      // Hot path: the next bytes with nothing buffered; the caller's view goes straight to the sink.
      r.newBytes = payloadLength;
      this.emitData(payload, frame, time, fileOffset);
      return r;
    }
    this.segment(seq, payload, payloadLength, flags, frame, time);
    return r;
  }

  /**
   * onAck takes an acknowledgment number the OTHER side sent. Bytes it covers that were never seen were sent but not
   * captured: they become a gap and delivery goes on after them. The FIN's sequence number is not a byte, so an ACK
   * of the FIN declares at most the bytes before it.
   */
  onAck(ack: number): void {
    if (this.ended !== undefined) return;
    if (!this.hasBase) {
      if (this.preBaseAck === undefined || seqGt(ack, this.preBaseAck)) this.preBaseAck = ack;
      return;
    }
    let target = this.offsetOfKnown(ack);
    if (this.fin !== undefined && target > this.fin) target = this.fin;
    if (target <= this.next) return;
    if (target - this.next > MAX_WINDOW) {
      this.note('tcp.implausible-ack', undefined, target, `ACK ${ack} lies ${target - this.next} bytes beyond the next byte, more than any window (RFC 7323 §2.3); ignored`);
      return;
    }
    while (this.next < target) {
      const head = this.buf[this.bufHead];
      const gapEnd = head !== undefined ? Math.min(target, head.start) : target;
      if (gapEnd > this.next) this.emitGap(gapEnd - this.next, false);
      this.deliverBuffered();
    }
    this.checkFinEnd();
  }

  /** onRst ends the stream because this side sent an accepted RST: buffered data is delivered with gaps, then onEnd. */
  onRst(frame: number, time: number): void {
    if (this.ended !== undefined) return;
    this.flush();
    if (this.fin === undefined) this.end('rst', frame, time);
  }

  /** finish ends the stream at the end of the capture: buffered data is delivered with gaps, then onEnd if not ended yet. */
  finish(): void {
    if (this.ended !== undefined) return;
    this.flush();
    if (this.fin === undefined) this.end('capture-end', undefined, undefined);
  }

  //#endregion

  //#region segment processing

  private segment(seq: number, payload: Uint8Array, payloadLength: number, flags: number, frame: number, time: number): void {
    const r = this.result;
    if ((flags & TcpFlag.RST) !== 0) {
      r.ignoredBytes = payloadLength;
      this.onRst(frame, time);
      return;
    }
    let length = payloadLength;
    let bytes = payload;
    if (!(Number.isInteger(length) && length >= 0 && length <= MAX_WINDOW)) {
      // No allocation ever depends on payloadLength: only captured bytes are copied.
      this.note('tcp.impossible-length', frame, undefined, `payload length ${payloadLength} is larger than any window (RFC 7323 §2.3); only the ${payload.length} captured bytes are used`);
      length = Math.min(bytes.length, MAX_WINDOW);
      bytes = bytes.subarray(0, length);
    } else if (bytes.length > length) {
      this.note('tcp.impossible-length', frame, undefined, `${payload.length} payload bytes captured but the IP lengths say ${length}; the extra bytes are ignored`);
      bytes = bytes.subarray(0, length);
    }

    let dataSeq = seq;
    if ((flags & TcpFlag.SYN) !== 0) {
      if (!this.onSyn(seq)) {
        r.ignoredBytes = length;
        return;
      }
      // RFC 9293 §3.4: the SYN comes before the first data byte of its segment.
      dataSeq = seqAdd(seq, 1);
    }
    const isFin = (flags & TcpFlag.FIN) !== 0;
    if (!this.hasBase) {
      if (this.ended !== undefined) {
        this.ignoreAfterEnd(length, frame, undefined);
        return;
      }
      // A bare segment cannot anchor the stream: a keep-alive's seq is SND.NXT − 1 (RFC 9293 §3.8.4).
      if (length === 0 && !isFin) return;
      if (length === 1 && !isFin && this.preBaseAck !== undefined && seqAdd(dataSeq, 1) === this.preBaseAck) {
        r.keepAlive = true;
        r.duplicateBytes = 1;
        this.c.duplicateBytes += 1;
        return;
      }
      this.setBase(dataSeq);
      this.isMidStream = true;
    }

    const start = this.offsetOfKnown(dataSeq);
    if (start - this.next > MAX_WINDOW) {
      r.ignoredBytes = length;
      this.note('tcp.out-of-window', frame, start, `segment lies ${start - this.next} bytes beyond the next byte, more than any window (RFC 7323 §2.3); ignored`);
      return;
    }
    let end = start + length;
    if (isFin && this.ended === undefined) this.recordFin(end, frame, time);
    if ((flags & (TcpFlag.SYN | TcpFlag.FIN)) === 0 && length <= 1 && start + 1 === this.next) r.keepAlive = true;

    let cursor = start;
    if (cursor < 0) {
      const to = Math.min(end, 0);
      const n = to - cursor;
      if (this.sawSyn) {
        // At or before the ISN: sequence space already consumed (a keep-alive before any data).
        r.duplicateBytes += n;
        this.c.duplicateBytes += n;
      } else {
        r.ignoredBytes += n;
        this.c.bytesBeforeStart += n;
        this.note('tcp.data-before-stream-start', frame, cursor, `${n} bytes before the first captured data of a mid-stream capture are not delivered`);
      }
      cursor = to;
    }
    if (this.fin !== undefined && end > this.fin) {
      const from = Math.max(cursor, this.fin);
      const n = end - from;
      r.beyondFin = true;
      r.ignoredBytes += n;
      this.c.bytesAfterFin += n;
      this.note('tcp.data-after-fin', frame, from, `${n} bytes after the FIN (offset ${this.fin}) are ignored (RFC 9293 §3.4)`);
      end = from;
    }
    if (cursor < end && cursor < this.next) {
      const to = Math.min(end, this.next);
      this.olderBytes(bytes, start, cursor, to, r.keepAlive, frame);
      cursor = to;
    }
    if (this.ended !== undefined) {
      if (cursor < end) this.ignoreAfterEnd(end - cursor, frame, cursor);
    } else {
      // In order: deliver from the caller's view, giving way to buffered pieces (first copy wins).
      while (cursor < end && cursor === this.next) {
        const head = this.buf[this.bufHead];
        if (head !== undefined && head.start <= cursor) {
          const to = Math.min(end, head.end);
          this.overlapBuffered(head, bytes, start, cursor, to);
          this.deliverHead();
          cursor = to;
        } else {
          const to = head !== undefined ? Math.min(end, head.start) : end;
          r.newBytes += to - cursor;
          this.deliverRange(bytes, start, cursor, to, frame, time, this.segmentFileOffset);
          cursor = to;
        }
      }
      if (cursor < end) this.bufferRange(bytes, start, cursor, end, frame, time);
      this.deliverBuffered();
      this.enforceCap(frame);
    }
    if (r.differed) {
      this.c.differingOverlaps += 1;
      this.note('tcp.overlap-differs', frame, start, 'a retransmission carried bytes that differ from the first captured copy; the first copy was kept');
    }
    this.checkFinEnd();
  }

  /** Bytes [from, to) lie before `next`: late if reported as a gap, else duplicates, compared with the ring. */
  private olderBytes(bytes: Uint8Array, segStart: number, from: number, to: number, keepAlive: boolean, frame: number): void {
    const r = this.result;
    let late = 0;
    const gaps = this.recentGaps;
    for (let i = 0; i + 1 < gaps.length; i += 2) {
      const overlap = Math.min(to, gaps[i + 1] ?? 0) - Math.max(from, gaps[i] ?? 0);
      if (overlap > 0) late += overlap;
    }
    if (late > 0) {
      r.lateBytes += late;
      this.c.lateBytes += late;
      this.note('tcp.late-data', frame, from, `${late} bytes arrived after their range was reported as a gap (ACKed before captured?); not delivered`);
    }
    const duplicates = to - from - late;
    r.duplicateBytes += duplicates;
    this.c.duplicateBytes += duplicates;

    // A keep-alive's octet is garbage by design (RFC 9293 §3.8.4): not a differing copy.
    const ring = this.ring;
    if (ring === undefined || keepAlive || r.differed) return;
    const lo = Math.max(from, this.ringValidFrom, this.next - ring.length);
    const hi = Math.min(to, segStart + bytes.length);
    const mask = ring.length - 1;
    for (let o = lo; o < hi; o++) {
      if (ring[o & mask] !== bytes[o - segStart]) {
        r.differed = true;
        return;
      }
    }
  }

  /** Bytes [from, to) of a new segment overlap buffered piece `p`: duplicates, compared where both were captured. */
  private overlapBuffered(p: BufferedPiece, bytes: Uint8Array, segStart: number, from: number, to: number): void {
    const r = this.result;
    r.duplicateBytes += to - from;
    this.c.duplicateBytes += to - from;
    if (!this.compare || r.differed) return;
    const hi = Math.min(to, p.start + p.bytes.length, segStart + bytes.length);
    for (let o = from; o < hi; o++) {
      if (p.bytes[o - p.start] !== bytes[o - segStart]) {
        r.differed = true;
        return;
      }
    }
  }

  /** Buffers the parts of [from, to) (all after `next`) that no piece holds yet; the rest overlaps pieces. */
  private bufferRange(bytes: Uint8Array, segStart: number, from: number, to: number, frame: number, time: number): void {
    let i = this.firstPieceEndingAfter(from);
    let cursor = from;
    while (cursor < to) {
      const p = this.buf[i];
      if (p === undefined || p.start >= to) {
        this.insertPiece(i, bytes, segStart, cursor, to, frame, time);
        return;
      }
      if (p.start > cursor) {
        this.insertPiece(i, bytes, segStart, cursor, p.start, frame, time);
        i++;
        cursor = p.start;
      }
      const end = Math.min(to, p.end);
      this.overlapBuffered(p, bytes, segStart, cursor, end);
      cursor = end;
      i++;
    }
  }

  private insertPiece(i: number, bytes: Uint8Array, segStart: number, from: number, to: number, frame: number, time: number): void {
    const dataEnd = Math.min(to, segStart + bytes.length);
    // Copy: the caller's bytes are a view into a record that the next read overwrites.
    const copy = from < dataEnd ? bytes.slice(from - segStart, dataEnd - segStart) : NO_BYTES;
    const piece: BufferedPiece = { start: from, end: to, bytes: copy, frame, time, fileOffset: this.segmentFileOffset + (from - segStart) };
    if (i === this.buf.length) this.buf.push(piece);
    else this.buf.splice(i, 0, piece);
    this.buffered += copy.length;
    if (this.buffered > this.c.maxBufferedBytes) this.c.maxBufferedBytes = this.buffered;
    this.result.newBytes += to - from;
    this.result.outOfOrder = true;
  }

  /** Index of the first live piece whose end is after `offset` (pieces are disjoint and sorted, so ends are too). */
  private firstPieceEndingAfter(offset: number): number {
    let lo = this.bufHead;
    let hi = this.buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.buf[mid]?.end ?? Infinity) > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Over the cap, the lowest holes become gaps until the buffered data fits again. */
  private enforceCap(frame: number): void {
    if (this.buffered <= this.maxBuffered) return;
    this.c.oooBufferCapHits += 1;
    this.note('tcp.ooo-buffer-cap', frame, this.next, `more than ${this.maxBuffered} out-of-order bytes buffered; the hole at offset ${this.next} is reported as a gap`);
    while (this.buffered > this.maxBuffered) {
      const head = this.buf[this.bufHead];
      if (head === undefined) break;
      if (head.start > this.next) this.emitGap(head.start - this.next, false);
      this.deliverBuffered();
    }
  }

  private recordFin(end: number, frame: number, time: number): void {
    if (this.fin === undefined) {
      if (end < this.next) {
        this.note('tcp.fin-inconsistent', frame, end, `FIN at offset ${end} but bytes up to ${this.next} were already delivered; the stream ends at ${this.next}`);
        end = this.next;
      }
      this.fin = end;
      this.finFrame = frame;
      this.finTime = time;
      this.trimBufferAfterFin(frame);
    } else if (end !== this.fin) {
      this.note('tcp.fin-inconsistent', frame, end, `FIN at offset ${end} after one at offset ${this.fin}; the first is kept`);
    }
  }

  /** Buffered bytes beyond a newly seen FIN were never part of the stream (RFC 9293 §3.4). */
  private trimBufferAfterFin(frame: number): void {
    const fin = this.fin ?? Infinity;
    let dropped = 0;
    while (this.buf.length > this.bufHead) {
      const last = this.buf[this.buf.length - 1];
      if (last === undefined || last.end <= fin) break;
      if (last.start >= fin) {
        dropped += last.end - last.start;
        this.buffered -= last.bytes.length;
        this.buf.pop();
      } else {
        dropped += last.end - fin;
        const kept = last.bytes.subarray(0, Math.min(last.bytes.length, fin - last.start));
        this.buffered -= last.bytes.length - kept.length;
        last.bytes = kept;
        last.end = fin;
      }
    }
    if (dropped > 0) {
      this.c.bytesAfterFin += dropped;
      this.note('tcp.data-after-fin', frame, fin, `${dropped} buffered bytes after the FIN (offset ${fin}) are ignored (RFC 9293 §3.4)`);
    }
  }

  private ignoreAfterEnd(n: number, frame: number, streamOffset: number | undefined): void {
    this.result.ignoredBytes += n;
    this.c.bytesAfterEnd += n;
    this.note('tcp.data-after-end', frame, streamOffset, `${n} bytes arrived after the stream ended (${this.ended ?? 'unknown'}); ignored`);
  }

  //#endregion

  //#region delivery

  /** Delivers stream range [from, to) of a segment starting at `segStart`: its captured bytes, then the snapped tail as a gap. */
  private deliverRange(bytes: Uint8Array, segStart: number, from: number, to: number, frame: number, time: number, segFileOffset: number): void {
    const capturedEnd = segStart + bytes.length;
    if (from < capturedEnd) {
      const dataEnd = Math.min(to, capturedEnd);
      this.emitData(from === segStart && dataEnd === capturedEnd ? bytes : bytes.subarray(from - segStart, dataEnd - segStart), frame, time, segFileOffset + (from - segStart));
    }
    if (this.next < to) this.emitGap(to - this.next, true);
  }

  /** Delivers the pieces that start at or before `next`. */
  private deliverBuffered(): void {
    for (let head = this.buf[this.bufHead]; head !== undefined && head.start <= this.next; head = this.buf[this.bufHead]) {
      this.deliverHead();
    }
  }

  /** Removes the first piece and delivers the part of it after `next`. */
  private deliverHead(): void {
    const p = this.buf[this.bufHead];
    if (p === undefined) return;
    this.bufHead++;
    this.buffered -= p.bytes.length;
    if (this.bufHead === this.buf.length) {
      this.buf.length = 0;
      this.bufHead = 0;
    } else if (this.bufHead >= 1024) {
      this.buf.splice(0, this.bufHead);
      this.bufHead = 0;
    }
    if (p.end > this.next) this.deliverRange(p.bytes, p.start, Math.max(this.next, p.start), p.end, p.frame, p.time, p.fileOffset);
  }

  /** Delivers everything buffered, with a gap before each hole, and then the gap before a seen FIN. */
  private flush(): void {
    for (let head = this.buf[this.bufHead]; head !== undefined; head = this.buf[this.bufHead]) {
      if (head.start > this.next) this.emitGap(head.start - this.next, false);
      this.deliverBuffered();
    }
    if (this.fin !== undefined && this.next < this.fin) this.emitGap(this.fin - this.next, false);
    this.checkFinEnd();
  }

  private emitData(bytes: Uint8Array, frame: number, time: number, fileOffset: number): void {
    const n = bytes.length;
    if (this.recentWindow > 0) this.remember(bytes);
    const at = this.chunk;
    at.streamOffset = this.next;
    at.frame = frame;
    at.time = time;
    at.fileOffset = fileOffset;
    this.next += n;
    this.nextSeqNumber = seqAdd(this.nextSeqNumber, n);
    this.c.bytesDelivered += n;
    this.sink.onData(this.dir, bytes, at);
  }

  private emitGap(length: number, snapped: boolean): void {
    const start = this.next;
    this.next += length;
    this.nextSeqNumber = seqAdd(this.nextSeqNumber, length);
    this.ringValidFrom = this.next;
    const gaps = this.recentGaps;
    const last = gaps.length - 1;
    if (last > 0 && gaps[last] === start) gaps[last] = this.next;
    else {
      if (gaps.length >= 2 * MAX_RECENT_GAPS) gaps.splice(0, 2);
      gaps.push(start, this.next);
    }
    this.c.gapBytes += length;
    this.c.gaps += 1;
    if (snapped) this.c.snappedBytes += length;
    this.sink.onGap(this.dir, start, length);
  }

  private checkFinEnd(): void {
    if (this.fin !== undefined && this.ended === undefined && this.next >= this.fin) this.end('fin', this.finFrame, this.finTime);
  }

  private end(reason: StreamEndReason, frame: number | undefined, time: number | undefined): void {
    this.ended = reason;
    this.endedFrame = frame;
    this.endedTime = time;
    this.buf = [];
    this.bufHead = 0;
    this.buffered = 0;
    this.ring = undefined;
    this.sink.onEnd(this.dir, reason);
  }

  //#endregion

  //#region recent bytes ring

  /** Copies delivered bytes (about to sit at `next`) into the ring, growing it with the stream up to the window. */
  private remember(bytes: Uint8Array): void {
    const n = bytes.length;
    let ring = this.ring;
    const span = this.next + n - this.ringValidFrom;
    if (ring === undefined || (ring.length < this.recentWindow && span > ring.length)) ring = this.growRing(span);
    const size = ring.length;
    let src = bytes;
    let at = this.next;
    if (n > size) {
      src = bytes.subarray(n - size);
      at += n - size;
    }
    // Bounds: size is a power of two ≤ 2^30, so `at & (size − 1)` is `at mod size` for any offset below 2^53.
    const pos = at & (size - 1);
    const room = size - pos;
    if (src.length <= room) ring.set(src, pos);
    else {
      ring.set(src.subarray(0, room), pos);
      ring.set(src.subarray(room), 0);
    }
  }

  private growRing(span: number): Uint8Array {
    let size = Math.min(MIN_RING_BYTES, this.recentWindow);
    while (size < span && size < this.recentWindow) size *= 2;
    const ring = new Uint8Array(size);
    const old = this.ring;
    if (old === undefined) {
      this.ringValidFrom = this.next;
    } else {
      // Re-place the still valid bytes: positions depend on the ring size.
      const from = Math.max(this.ringValidFrom, this.next - old.length);
      for (let o = from; o < this.next; ) {
        const oldPos = o & (old.length - 1);
        const newPos = o & (size - 1);
        const n = Math.min(this.next - o, old.length - oldPos, size - newPos);
        ring.set(old.subarray(oldPos, oldPos + n), newPos);
        o += n;
      }
      this.ringValidFrom = from;
    }
    this.ring = ring;
    return ring;
  }

  //#endregion

  private setBase(seq: number): void {
    this.hasBase = true;
    this.base = seq;
    this.next = 0;
    this.nextSeqNumber = seq;
  }

  private offsetOfKnown(seq: number): number {
    return this.next + seqDiff(seq, this.nextSeqNumber);
  }

  private note(code: StreamNoteCode, frame: number | undefined, streamOffset: number | undefined, message: string): void {
    for (const n of this.noteList) if (n.code === code) return;
    this.noteList.push({ code, frame, streamOffset, message });
  }
}

/** formatStreamNote renders a note as one line of text. */
export function formatStreamNote(n: StreamNote): string {
  const where: string[] = [];
  if (n.frame !== undefined) where.push(`frame ${n.frame}`);
  if (n.streamOffset !== undefined) where.push(`offset ${n.streamOffset}`);
  return where.length > 0 ? `${n.code} (${where.join(', ')}): ${n.message}` : `${n.code}: ${n.message}`;
}
