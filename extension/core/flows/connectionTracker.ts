// SPDX-License-Identifier: MIT
//
// ConnectionTracker turns decoded TCP segments into connections (RFC 9293), numbered exactly as
// Wireshark numbers tcp.stream, with the per-direction analysis Wireshark's tcp.analysis.* flags
// give (retransmissions, out-of-order, duplicate ACKs, zero windows, keep-alives), handshake and
// close facts, RTT samples, and Zeek's conn_state/history.
//
// A RST ends the connection only when the peer would have taken it: its sequence number in the peer's
// receive window (RFC 9293 §3.10.7.4, RFC 5961 §3), and not ignored by the peer, which shows by
// acknowledging data sent after it (a TCP-MD5 RST the peer cannot verify, RFC 2385; an injected one).
// An accepted RST is known only later, so it ends its stream when the peer resets too or at capture end.
//
// Call order: `add(packet)` for every decoded packet in file order, then `finish()` once, which
// ends every stream (onEnd 'capture-end') and returns the connections in stream order.

import type { Timestamp } from '../capture/timestamp.js';
import type { DecodedPacket, TcpSegment } from '../wire/packet.js';
import { TcpFlag } from '../wire/tcp.js';
import type { Connection, DirectionSummary, HandshakeState, HolStall, RoleSource, ZeekConnState } from './connection.js';
import { flowKey } from './flowKey.js';
import { Http2FrameIndex } from './http2FrameIndex.js';
import { DEFAULT_NAGLE_OPTIONS, NagleDetector, type NagleOptions } from './nagleDetector.js';
import { RttSamples } from './rttSamples.js';
import { seqDiff } from './seq.js';
import { StreamReassembler, type Direction, type StreamSink } from './streamReassembler.js';

const { FIN, SYN, RST, ACK } = TcpFlag;

/** Unacknowledged data segments remembered per direction for RTT and retransmission wait (Wireshark keeps a similar list). */
const MAX_UNACKED = 4096;
const MAX_LISTED_FRAMES = 1000;
const MAX_NOTES = 20;
const MAX_LISTED_GAPS = 100;

/** Zeek's TCP endpoint states (analyzer/protocol/tcp/TCP_Endpoint.h), driving conn_state. */
const enum EndpointState {
  Inactive,
  SynSent,
  SynAckSent,
  Partial,
  Established,
  Closed,
  Reset,
}

interface Unacked {
  endSeq: number;
  seq: number;
  time: number;
  frame: number;
  retransmitted: boolean;
}

const NULL_SINK: StreamSink = { onData() {}, onGap() {}, onEnd() {} };

/** SideState is one endpoint of a connection and the direction of data it sends. */
class SideState {
  readonly summary: DirectionSummary = {
    segments: 0,
    dataSegments: 0,
    payloadBytes: 0,
    streamBytes: 0,
    retransmissions: 0,
    retransmittedBytes: 0,
    fastRetransmissions: 0,
    spuriousRetransmissions: 0,
    retransmissionFrames: [],
    retransmissionWaitMs: 0,
    outOfOrder: 0,
    lostSegmentEvents: 0,
    gaps: 0,
    gapBytes: 0,
    gapRanges: [],
    duplicateAcks: 0,
    zeroWindows: 0,
    zeroWindowFrames: [],
    zeroWindowProbes: 0,
    windowFull: 0,
    keepAlives: 0,
    sackPermitted: false,
    timestamps: false,
    bytesAfterFin: 0,
  };
  state = EndpointState.Inactive;
  /** Wireshark's base_seq: the first sequence number seen from this side (its ISN when the SYN was seen). */
  baseSeq: number | undefined;
  sawSyn = false;
  synCount = 0;
  firstSynTime = 0;
  lastSynTime = 0;
  synFrame: number | undefined;
  /** Highest sequence number sent + 1 (Wireshark's nextseq), when and where it last advanced. */
  nextSeq: number | undefined;
  nextSeqTime = 0;
  maxSeqToBeAcked: number | undefined;
  /** Last ACK number and raw window this side sent; when the ACK number last changed. */
  lastAck: number | undefined;
  lastAckChangeTime = 0;
  lastAckTime = 0;
  window: number | undefined;
  /** Window scale shift to apply to this side's windows: undefined = unknown (handshake not seen). */
  windowShift: number | undefined;
  dupAckRun = 0;
  /** The zero-window advertisement this side has not yet followed with a non-zero window. */
  zeroSince: { frame: number; time: number } | undefined;
  finSeq: number | undefined;
  /**
   * A RST this side sent that was acceptable (in the peer's receive window) but has not ended the
   * connection yet: it does once the peer shows it took it (its own RST) or at capture end, and it
   * never does when the peer acknowledges data this side sent after it (see ConnectionTracker.reset).
   */
  pendingRst: { frame: number; time: number; seq: number; dataSeqAfter: number | undefined } | undefined;
  firstPayload: Uint8Array | undefined;
  unacked: Unacked[] = [];
  readonly rtt = new RttSamples();
  readonly nagle: NagleDetector;
  /** Largest payload this side has sent. */
  maxSegment = 0;
  readonly holStalls: NonNullable<DirectionSummary['holStalls']> = [];
  /** Where this side's HTTP/2 frames lie, to name the streams a stall held (undefined: not HTTP/2 from offset 0). */
  h2: Http2FrameIndex | undefined;
  h2Checked = false;
  readonly reassembler: StreamReassembler;
  /** History letters with how often each counting letter has occurred. */
  readonly letterCounts = new Map<string, number>();

  constructor(
    readonly ip: string,
    readonly port: number,
    index: Direction,
    sink: StreamSink,
    bytesRead: boolean,
    nagle: NagleOptions,
  ) {
    this.nagle = new NagleDetector(nagle);
    // Without an application reading the bytes there is no need to keep them for comparing retransmissions.
    this.reassembler = new StreamReassembler(index, sink, bytesRead ? undefined : { recentBytesWindow: 0 });
  }
}

/**
 * ConnectionSinkFactory lets the layer above (HTTP) receive a connection's byte streams. Directions
 * are tracker sides: 0 sent the connection's first packet. `clientSide` is known when that packet was
 * a SYN (0) or a SYN/ACK (1); `ports` are the sides' ports.
 */
export type ConnectionSinkFactory = (stream: number, clientSide: 0 | 1 | undefined, ports: [number, number]) => StreamSink | undefined;

/** ConnectionState is a connection being tracked. Side 0 sent the first packet seen. */
class ConnectionState {
  readonly sides: [SideState, SideState];
  packets = 0;
  firstFrame: number;
  lastFrame: number;
  startTime: Timestamp;
  endTime: Timestamp;
  firstTimeValue: number;
  lastTimeValue = 0;
  synAckFrame: number | undefined;
  synAckTime = 0;
  handshakeAckFrame: number | undefined;
  handshakeAckTime = 0;
  /** Wireshark's first RTT (latest SYN → first ACK), the out-of-order threshold once known. */
  firstRttSeconds: number | undefined;
  lastSynTime: number | undefined;
  firstClose: { side: 0 | 1; kind: 'fin' | 'rst'; frame: number } | undefined;
  halfClosed = false;
  refused = false;
  /** History events in order: side and letter. */
  readonly history: { side: 0 | 1; letter: string }[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly stream: number,
    packet: DecodedPacket,
    segment: TcpSegment,
    time: number,
    sink: StreamSink,
    nagle: NagleOptions,
  ) {
    const net = packet.network!;
    // The tracker listens to gaps on the way to the application sink, to report where bytes are missing.
    // Adjacent gap reports (an ACK uncovering a hole in steps) are one hole to a reader.
    const sides: SideState[] = [];
    const lastGapEnd = [-1, -1];
    const recording: StreamSink = {
      onData: (dir, bytes, at) => {
        lastGapEnd[dir] = -1;
        const side = sides[dir]!;
        if (!side.h2Checked) {
          side.h2Checked = true;
          if (at.streamOffset === 0) side.h2 = Http2FrameIndex.detect(bytes);
        }
        side.h2?.feed(at.streamOffset, bytes);
        sink.onData(dir, bytes, at);
      },
      onGap: (dir, offset, length) => {
        sides[dir]!.h2Checked = true;
        sides[dir]!.h2?.gap();
        const summary = sides[dir]!.summary;
        const list = summary.gapRanges;
        const last = list[list.length - 1];
        if (offset === lastGapEnd[dir] && last && last.streamOffset + last.length === offset) last.length += length;
        else if (offset !== lastGapEnd[dir]) {
          summary.gaps++;
          if (list.length < MAX_LISTED_GAPS) list.push({ streamOffset: offset, length });
        }
        summary.gapBytes += length;
        lastGapEnd[dir] = offset + length;
        sink.onGap(dir, offset, length);
      },
      onEnd: (dir, reason) => sink.onEnd(dir, reason),
    };
    const read = sink !== NULL_SINK;
    this.sides = [new SideState(net.src, segment.srcPort, 0, recording, read, nagle), new SideState(net.dst, segment.dstPort, 1, recording, read, nagle)];
    sides.push(...this.sides);
    this.firstFrame = packet.frame;
    this.lastFrame = packet.frame;
    this.startTime = { sec: packet.tsSec, nanos: packet.tsNanos };
    this.endTime = this.startTime;
    this.firstTimeValue = time;
  }

  note(message: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(message);
  }

  /** letter records a Zeek history letter: once per side, except C/G/T/W which repeat at 1, 10, 100, ... occurrences. */
  letter(side: 0 | 1, letter: string): void {
    const counts = this.sides[side].letterCounts;
    const n = (counts.get(letter) ?? 0) + 1;
    counts.set(letter, n);
    const repeating = letter === 'G' || letter === 'T' || letter === 'W';
    if (n === 1 || (repeating && isPowerOf10(n))) this.history.push({ side, letter });
  }
}

function isPowerOf10(n: number): boolean {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}

/** ConnectionTracker groups TCP segments into connections; see the call order at the top of the file. */
export class ConnectionTracker {
  private readonly open = new Map<string, ConnectionState>();
  private readonly all: ConnectionState[] = [];
  private readonly nagle: NagleOptions;

  /**
   * @param sinkFactory gives the layer above a connection's byte streams.
   * @param timeBaseSec whole epoch second that times are counted from (default: the first packet's), so
   *   time differences are computed from small floats and stay exact to far below a nanosecond.
   * @param nagle the Nagle/delayed-ACK detector's thresholds (defaults: DEFAULT_NAGLE_OPTIONS).
   */
  constructor(
    private readonly sinkFactory: ConnectionSinkFactory = () => undefined,
    private timeBaseSec?: number,
    nagle: Partial<NagleOptions> = {},
  ) {
    this.nagle = { ...DEFAULT_NAGLE_OPTIONS, ...nagle };
  }

  /** timeBase is the whole epoch second connection times count from (undefined before the first packet). */
  get timeBase(): number | undefined {
    return this.timeBaseSec;
  }

  /** add processes one packet; packets that are not TCP over IP are ignored. */
  add(packet: DecodedPacket): void {
    const segment = packet.transport;
    const net = packet.network;
    if (!segment || segment.kind !== 'tcp' || !net) return;
    this.timeBaseSec ??= packet.tsSec;
    const time = packet.tsSec - this.timeBaseSec + packet.tsNanos / 1e9;
    const key = flowKey(net.src, segment.srcPort, net.dst, segment.dstPort);
    let conn = this.open.get(key);
    const side: 0 | 1 = conn && conn.sides[0].ip === net.src && conn.sides[0].port === segment.srcPort ? 0 : 1;
    // Wireshark starts a new tcp.stream on a SYN whose sequence number differs from the base sequence
    // number of the same direction in the existing conversation: the 4-tuple was reused (RFC 9293 §3.4.1).
    if (conn && (segment.flags & (SYN | ACK)) === SYN) {
      const s = conn.sides[side];
      if (s.baseSeq !== undefined && segment.seq !== s.baseSeq) {
        conn.note(`frame ${packet.frame}: a new SYN reused this 4-tuple; it starts stream ${this.all.length}`);
        conn = undefined;
      }
    }
    if (!conn) {
      const stream = this.all.length;
      const synFlags = segment.flags & (SYN | ACK);
      const clientSide = synFlags === SYN ? 0 : synFlags === (SYN | ACK) ? 1 : undefined;
      conn = new ConnectionState(stream, packet, segment, time, this.sinkFactory(stream, clientSide, [segment.srcPort, segment.dstPort]) ?? NULL_SINK, this.nagle);
      this.open.set(key, conn);
      this.all.push(conn);
      this.process(conn, 0, packet, segment, time);
      return;
    }
    this.process(conn, side, packet, segment, time);
  }

  /** finish ends every stream at the end of the capture and returns the connections in stream order. */
  finish(): Connection[] {
    return this.all.map((c) => {
      // A RST nothing contradicted by the end of the capture ended the connection where it was sent.
      for (const s of c.sides) if (s.pendingRst) this.confirmRst(c, s);
      for (const s of c.sides) {
        s.reassembler.finish();
        collectGaps(c, s);
      }
      return summarize(c);
    });
  }

  private process(conn: ConnectionState, side: 0 | 1, packet: DecodedPacket, seg: TcpSegment, time: number): void {
    const fwd = conn.sides[side];
    const rev = conn.sides[side === 0 ? 1 : 0];
    const flags = seg.flags;
    const seq = seg.seq;
    const seglen = seg.payloadLength;
    const frame = packet.frame;
    const s = fwd.summary;
    conn.packets++;
    conn.lastFrame = frame;
    conn.endTime = { sec: packet.tsSec, nanos: packet.tsNanos };
    conn.lastTimeValue = time;
    s.segments++;
    if (seglen > 0) {
      s.dataSegments++;
      s.payloadBytes += seglen;
      if (!fwd.firstPayload && seg.payload.length > 0) fwd.firstPayload = seg.payload.slice(0, 16);
    }
    if (fwd.baseSeq === undefined) fwd.baseSeq = seq;
    // Judged before analyze(): a RST's sequence number moves this side's nextseq there, as in Wireshark.
    const rstAcceptable = flags & RST ? this.rstAcceptable(fwd, rev, seq) : false;

    this.handshake(conn, side, fwd, rev, seg, time, frame);
    const alone = fwd.unacked.length === 0;
    const retransmissionsBefore = s.retransmissions;
    const keepAlivesBefore = s.keepAlives;
    this.analyze(conn, side, fwd, rev, seg, time, frame);
    this.watchNagle(conn, fwd, rev, seg, time, frame, alone, s.retransmissions === retransmissionsBefore && s.keepAlives === keepAlivesBefore);
    this.history(conn, side, seg);
    this.endpointStates(fwd, rev, flags);

    // Close facts.
    if (flags & FIN) {
      if (s.finFrame === undefined) s.finFrame = frame;
      if (fwd.finSeq === undefined) fwd.finSeq = (seq + seglen) >>> 0;
      conn.firstClose ??= { side, kind: 'fin', frame };
    }
    this.reset(conn, fwd, rev, seg, frame, time, rstAcceptable);
    if (seglen > 0 && rev.finSeq !== undefined && !(flags & RST)) conn.halfClosed = true;
    if (seglen > 0 && fwd.finSeq !== undefined && seqDiff(seq, fwd.finSeq) >= 0 && !(flags & FIN)) s.bytesAfterFin += seglen;

    // Stream delivery: the reassembler orders bytes; the ACK from this side may reveal holes in the other side's stream.
    if (flags & SYN) fwd.reassembler.onSyn(seq);
    // The payload's file offset lets a body be re-read from the capture on demand (unknown for rebuilt fragments).
    const fileOffset = seg.payloadOffset !== undefined ? packet.fileOffset + seg.payloadOffset : NaN;
    const heldBefore = fwd.reassembler.bufferedBytes;
    const oldest = heldBefore > 0 ? fwd.reassembler.oldestBuffered : undefined;
    // The hole: from the next byte to deliver up to the first byte waiting behind it.
    const holeOffset = fwd.reassembler.nextOffset;
    const heldOffset = fwd.reassembler.firstBufferedOffset;
    // A RST's payload is diagnostic text, not stream data (RFC 9293 §3.5.3); the RST itself ends the stream in reset().
    if ((seglen > 0 || flags & FIN) && !(flags & RST)) fwd.reassembler.onSegment(seq, seg.payload, seglen, flags, frame, time, fileOffset);
    // A retransmission that filled a hole released data the receiver already had: it was head-of-line blocked.
    const released = heldBefore - fwd.reassembler.bufferedBytes;
    if (oldest && released > 0 && s.retransmissions > retransmissionsBefore) {
      const stall = { heldSinceFrame: oldest.frame, releasedFrame: frame, heldBytes: released, stallMs: (time - oldest.time) * 1000, heldSince: oldest.time, releasedAt: time };
      this.holStall(fwd, stall, holeOffset, heldOffset !== undefined ? heldOffset - holeOffset : undefined);
    }
    if (flags & ACK) rev.reassembler.onAck(seg.ack);
  }

  /**
   * rstAcceptable says whether a RST from `fwd` could have reset the peer: RFC 9293 §3.10.7.4 (and
   * RFC 5961 §3.2, which narrows it further) accepts a RST in a synchronized state only when its
   * sequence number lies in the receiver's window, RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; any other
   * RST is dropped (RFC 5961 answers an in-window one that is not exactly RCV.NXT with a challenge
   * ACK, which a capture cannot tell from a reset, so the whole window counts). RCV.NXT is the peer's
   * last ACK as captured; the peer's RCV.NXT may since have reached everything `fwd` sent, so the
   * right edge is at least `fwd`'s nextseq. Before the peer acknowledged anything (a RST answering a
   * SYN, checked by its ACK instead, §3.10.7.3; a capture that starts mid-stream) it is accepted.
   */
  private rstAcceptable(fwd: SideState, rev: SideState, seq: number): boolean {
    if (rev.lastAck === undefined || rev.window === undefined) return true;
    // Without the handshake the scale is unknown: any shift up to 14 (RFC 7323 §2.3) may apply.
    const window = rev.window * 2 ** (rev.windowShift ?? 14);
    const d = seqDiff(seq, rev.lastAck);
    const sent = fwd.nextSeq !== undefined ? seqDiff(fwd.nextSeq, rev.lastAck) : 0;
    return d >= 0 && d <= Math.max(window - 1, sent, 0);
  }

  /**
   * reset decides what a RST does to the connection. A RST outside the receive window is dropped by
   * the peer (rstAcceptable) and changes nothing. An acceptable one is pending until the capture
   * shows whether the peer took it: a peer that acknowledges data the RST's sender sent after the
   * RST still has the connection, so the RST was ignored (the classic case is a RST carrying a TCP-MD5
   * option, RFC 2385 §2.0, that the peer cannot verify, or one injected by a middlebox). A RST from
   * the peer, or the end of the capture, confirms it (confirmRst).
   */
  private reset(conn: ConnectionState, fwd: SideState, rev: SideState, seg: TcpSegment, frame: number, time: number, acceptable: boolean): void {
    const flags = seg.flags;
    // The peer's pending RST is refuted when this side acknowledges bytes the peer sent after it.
    const peer = rev.pendingRst;
    if (peer && flags & ACK && !(flags & RST) && peer.dataSeqAfter !== undefined && seqDiff(seg.ack, peer.dataSeqAfter) > 0) {
      conn.note(`frame ${peer.frame}: RST ignored: the peer acknowledged data sent after it (frame ${frame}) and the connection went on`);
      rev.pendingRst = undefined;
    }
    const own = fwd.pendingRst;
    if (own && !(flags & RST) && seg.payloadLength > 0 && own.dataSeqAfter === undefined && seqDiff(seg.seq, own.seq) >= 0) own.dataSeqAfter = seg.seq;
    if (!(flags & RST)) return;
    if (!acceptable) {
      conn.note(`frame ${frame}: RST outside the peer's receive window (RFC 9293 §3.10.7.4): ignored`);
      return;
    }
    // The peer resets too: it no longer had the connection, or gave it up; either way it is over.
    if (peer) this.confirmRst(conn, rev);
    if (!own && fwd.summary.rstFrame === undefined) fwd.pendingRst = { frame, time, seq: seg.seq, dataSeqAfter: undefined };
  }

  /** confirmRst ends the connection at `side`'s pending RST: its stream ends there, and it may be the first close. */
  private confirmRst(conn: ConnectionState, side: SideState): void {
    const rst = side.pendingRst!;
    side.pendingRst = undefined;
    side.summary.rstFrame ??= rst.frame;
    const index = conn.sides[0] === side ? 0 : 1;
    if (!conn.firstClose || conn.firstClose.frame > rst.frame) conn.firstClose = { side: index, kind: 'rst', frame: rst.frame };
    side.reassembler.onRst(rst.frame, rst.time);
  }

  private handshake(conn: ConnectionState, side: 0 | 1, fwd: SideState, rev: SideState, seg: TcpSegment, time: number, frame: number): void {
    const flags = seg.flags;
    if (flags & SYN) {
      const o = seg.options;
      if (o.mss !== undefined) fwd.summary.mss = o.mss;
      if (o.windowScale !== undefined) fwd.summary.windowScale = o.windowScale;
      if (o.sackPermitted) fwd.summary.sackPermitted = true;
      if (o.timestamps) fwd.summary.timestamps = true;
    }
    if ((flags & (SYN | ACK)) === SYN) {
      if (!fwd.sawSyn) {
        fwd.sawSyn = true;
        fwd.firstSynTime = time;
        fwd.synFrame = frame;
      }
      fwd.synCount++;
      fwd.lastSynTime = time;
      conn.lastSynTime = time;
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      if (conn.synAckFrame === undefined) conn.synAckFrame = frame;
      conn.synAckTime = time;
      fwd.sawSyn = true;
      // Window scaling applies only when both SYNs carried the option (RFC 7323 §2.2).
      const both = fwd.summary.windowScale !== undefined && rev.summary.windowScale !== undefined;
      fwd.windowShift = both ? Math.min(14, fwd.summary.windowScale!) : 0;
      rev.windowShift = both ? Math.min(14, rev.summary.windowScale!) : 0;
    } else if (flags & ACK && conn.synAckFrame !== undefined && conn.handshakeAckFrame === undefined && rev.sawSyn && fwd.synFrame !== undefined && !(flags & RST)) {
      conn.handshakeAckFrame = frame;
      conn.handshakeAckTime = time;
    }
    if (flags & ACK && !(flags & SYN) && conn.firstRttSeconds === undefined && conn.lastSynTime !== undefined) conn.firstRttSeconds = time - conn.lastSynTime;
    if (flags & RST && conn.synAckFrame === undefined && rev.synFrame !== undefined && fwd.synFrame === undefined) conn.refused = true;
    void side;
  }

  /** analyze classifies the segment the way Wireshark's tcp_analyze_sequence_number does, so counts agree with tcp.analysis.*. */
  private analyze(conn: ConnectionState, _side: 0 | 1, fwd: SideState, rev: SideState, seg: TcpSegment, time: number, frame: number): void {
    const flags = seg.flags;
    const seq = seg.seq;
    const ack = seg.ack;
    const seglen = seg.payloadLength;
    const s = fwd.summary;
    let zeroWindowProbe = false;
    let keepAlive = false;
    let duplicateAck = false;

    if (seglen === 1 && fwd.nextSeq !== undefined && seq === fwd.nextSeq && rev.window === 0) {
      zeroWindowProbe = true;
      s.zeroWindowProbes++;
    }
    if (seg.window === 0 && !(flags & (RST | FIN | SYN))) {
      s.zeroWindows++;
      if (s.zeroWindowFrames.length < 20) s.zeroWindowFrames.push(frame);
      fwd.zeroSince ??= { frame, time };
    } else if (fwd.zeroSince && seg.window > 0 && !(flags & RST)) {
      // The window opened again (RFC 9293 §3.8.6.1): the sender was stopped from the zero window until now.
      // Rounded to the nanosecond, the finest capture timestamp: a sum of float differences drifts below it.
      s.zeroWindowMs = Math.round(((s.zeroWindowMs ?? 0) + (time - fwd.zeroSince.time) * 1000) * 1e6) / 1e6;
      const opened = (s.zeroWindowOpenFrames ??= []);
      if (opened.length < 20) opened.push(frame);
      fwd.zeroSince = undefined;
    }
    if (fwd.nextSeq !== undefined && seqDiff(seq, fwd.nextSeq) > 0 && !(flags & RST)) s.lostSegmentEvents++;
    if (seglen <= 1 && !(flags & (FIN | SYN | RST)) && fwd.nextSeq !== undefined && seq === ((fwd.nextSeq - 1) >>> 0)) {
      keepAlive = true;
      s.keepAlives++;
    }
    if (
      seglen > 0 &&
      rev.windowShift !== undefined &&
      rev.window !== undefined &&
      rev.lastAck !== undefined &&
      seqDiff((seq + seglen) >>> 0, (rev.lastAck + rev.window * 2 ** rev.windowShift) >>> 0) === 0 &&
      !(flags & (SYN | FIN | RST))
    ) {
      s.windowFull++;
    }
    if (
      seglen === 0 &&
      seg.window !== 0 &&
      seg.window === fwd.window &&
      fwd.nextSeq !== undefined &&
      seq === fwd.nextSeq &&
      ack === fwd.lastAck &&
      !(flags & (SYN | FIN | RST))
    ) {
      duplicateAck = true;
      fwd.dupAckRun++;
      s.duplicateAcks++;
    }
    if (!duplicateAck) fwd.dupAckRun = 0;

    // Retransmission, fast retransmission, spurious retransmission or out-of-order, in Wireshark's order:
    // spurious first (the data was already acknowledged), then only segments that do not advance the
    // highest sequence number sent.
    let retransmission = false;
    const spuriousBefore = s.spuriousRetransmissions;
    if ((seglen > 0 || flags & (SYN | FIN)) && !keepAlive) {
      let notAdvanced = fwd.nextSeq !== undefined && fwd.nextSeq !== 0 && seqDiff(seq, fwd.nextSeq) < 0;
      // One byte below nextseq with more than one byte of data follows a zero-window probe: new data.
      if (seglen > 1 && fwd.nextSeq !== undefined && seq === ((fwd.nextSeq - 1) >>> 0)) notAdvanced = false;
      if (seglen > 0 && rev.lastAck !== undefined && rev.lastAck !== 0 && seqDiff((seq + seglen) >>> 0, rev.lastAck) <= 0) {
        retransmission = true;
        s.spuriousRetransmissions++;
      } else if (notAdvanced) {
        const threshold = conn.firstRttSeconds ?? 0.003;
        if (rev.dupAckRun >= 2 && rev.lastAck === seq && time - rev.lastAckTime < 0.02) {
          retransmission = true;
          s.fastRetransmissions++;
        } else if (time - fwd.nextSeqTime < threshold && fwd.nextSeq !== ((seq + seglen + (flags & (SYN | FIN) ? 1 : 0)) >>> 0)) {
          s.outOfOrder++;
        } else {
          retransmission = true;
        }
      }
    }
    if (retransmission) {
      s.retransmissions++;
      s.retransmittedBytes += seglen;
      if (s.retransmissionFrames.length < MAX_LISTED_FRAMES) s.retransmissionFrames.push(frame);
      conn.letter(_side, 'T');
      // The wait: from the original transmission, or from the receiver's first ACK asking for this byte.
      const original = fwd.unacked.find((u) => seqDiff(seq, u.seq) >= 0 && seqDiff(seq, u.endSeq) < 0);
      if (original) {
        original.retransmitted = true;
        s.retransmissionWaitMs += (time - original.time) * 1000;
        // Seen from the sender's side of the loss: everything sent after the lost segment reached the
        // receiver but waited there, undeliverable, until this retransmission filled the hole.
        // A FIN occupies a sequence number but is no data the application waits for (RFC 9293 §3.4).
        const dataEnd = (end: number) => (fwd.finSeq !== undefined && seqDiff(end, fwd.finSeq) > 0 ? fwd.finSeq : end);
        const i = fwd.unacked.indexOf(original);
        const after = fwd.unacked[i + 1];
        const lostEnd = dataEnd(original.endSeq);
        const heldBytes = fwd.nextSeq !== undefined ? seqDiff(dataEnd(fwd.nextSeq), lostEnd) : 0;
        const lostOffset = fwd.reassembler.offsetOf(original.seq);
        if (after && heldBytes > 0 && !(s.spuriousRetransmissions > spuriousBefore)) {
          this.holStall(fwd, { heldSinceFrame: after.frame, releasedFrame: frame, heldBytes, stallMs: (time - after.time) * 1000, heldSince: after.time, releasedAt: time }, lostOffset, seqDiff(lostEnd, original.seq));
        }
      } else if (rev.lastAck === seq) {
        s.retransmissionWaitMs += (time - rev.lastAckChangeTime) * 1000;
      }
    }

    // nextseq / maxseqtobeacked, and the unacked list for RTT.
    let nextSeq = (seq + seglen) >>> 0;
    if ((seglen > 0 || flags & (SYN | FIN)) && !retransmission && !keepAlive && fwd.unacked.length < MAX_UNACKED) {
      const end = (nextSeq + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
      if (fwd.nextSeq === undefined || seqDiff(end, fwd.nextSeq) > 0) fwd.unacked.push({ seq, endSeq: end, time, frame, retransmitted: false });
    }
    if (flags & (SYN | FIN)) nextSeq = (nextSeq + 1) >>> 0;
    if ((fwd.nextSeq === undefined || seqDiff(nextSeq, fwd.nextSeq) > 0) && !zeroWindowProbe) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqTime = time;
    }
    if ((fwd.maxSeqToBeAcked === undefined || seq === fwd.maxSeqToBeAcked) && !zeroWindowProbe) fwd.maxSeqToBeAcked = fwd.nextSeq;

    // RTT: this ACK acknowledges the other side's data (Karn's rule: never a retransmitted segment).
    if (flags & ACK && rev.unacked.length) {
      let acked: Unacked | undefined;
      let n = 0;
      while (n < rev.unacked.length && seqDiff(rev.unacked[n]!.endSeq, ack) <= 0) acked = rev.unacked[n++];
      if (n) rev.unacked.splice(0, n);
      if (acked && acked.endSeq === ack && !acked.retransmitted) rev.rtt.add((time - acked.time) * 1000);
    }
    if (ack !== fwd.lastAck) fwd.lastAckChangeTime = time;
    fwd.window = seg.window;
    fwd.lastAckTime = time;
    if (flags & ACK) fwd.lastAck = ack;
  }

  /**
   * holStall records a head-of-line stall with where it sits in the stream: the lost bytes at
   * `lostOffset` (`lostBytes` long) and the held bytes right after them; on HTTP/2, the streams whose
   * frames the lost and the held bytes carried.
   */
  private holStall(fwd: SideState, stall: Omit<HolStall, 'lostOffset' | 'lostBytes' | 'http2'>, lostOffset: number | undefined, lostBytes: number | undefined): void {
    if (fwd.holStalls.length >= 100) return;
    const known = lostOffset !== undefined && lostBytes !== undefined && lostBytes > 0;
    const held = known ? { lostOffset, lostBytes } : {};
    const h2 = known && fwd.h2 ? { http2: { lostStreams: fwd.h2.streamsIn(lostOffset, lostOffset + lostBytes), heldStreams: fwd.h2.streamsIn(lostOffset + lostBytes, lostOffset + lostBytes + stall.heldBytes) } } : {};
    fwd.holStalls.push({ ...stall, ...held, ...h2 });
  }

  /** watchNagle feeds both directions' Nagle detectors with this segment. */
  private watchNagle(conn: ConnectionState, fwd: SideState, rev: SideState, seg: TcpSegment, time: number, frame: number, alone: boolean, newData: boolean): void {
    const len = seg.payloadLength;
    if (len > 0) {
      rev.nagle.onPeerData();
      if (newData && !(seg.flags & (SYN | RST))) {
        // Nagle holds only less-than-full-sized segments: full size is the peer's MSS less the timestamp
        // option, or the sender's largest segment so far when it is near that (a path with a smaller MTU).
        const mssSize = (rev.summary.mss ?? 536) - (fwd.summary.timestamps && rev.summary.timestamps ? 12 : 0);
        const fullSize = fwd.maxSegment >= 0.75 * mssSize ? Math.min(mssSize, fwd.maxSegment) : mssSize;
        const small = len < (this.nagle.smallSegmentBytes > 0 ? Math.min(fullSize, this.nagle.smallSegmentBytes) : fullSize);
        // A segment that reaches the right edge of the peer's window is small because the window is
        // (flow control, RFC 9293 §3.8.6), and what follows waits for a window update, not for Nagle.
        const windowLimited =
          rev.lastAck !== undefined && rev.window !== undefined && rev.windowShift !== undefined && seqDiff((seg.seq + len) >>> 0, (rev.lastAck + rev.window * 2 ** rev.windowShift) >>> 0) >= 0;
        fwd.nagle.onData(seg.seq, len, (seg.seq + len) >>> 0, time, frame, alone, small && !windowLimited, this.baselineRttMs(conn, fwd, rev));
      }
    } else if (seg.flags & ACK && !(seg.flags & (SYN | FIN | RST))) {
      rev.nagle.onAck(seg.ack, time, frame);
    }
    if (len > fwd.maxSegment) fwd.maxSegment = len;
  }

  /**
   * baselineRttMs is the round trip the connection shows without any timer: the handshake's
   * (SYN → ACK at the capture point) or, without one, the smallest ACK RTT sample so far.
   */
  private baselineRttMs(conn: ConnectionState, fwd: SideState, rev: SideState): number {
    if (conn.firstRttSeconds !== undefined) return conn.firstRttSeconds * 1000;
    return Math.min(fwd.rtt.minMs, rev.rtt.minMs, Infinity) || 0;
  }

  private history(conn: ConnectionState, side: 0 | 1, seg: TcpSegment): void {
    const f = seg.flags;
    if (f & SYN && f & RST) conn.letter(side, 'I');
    else if (f & SYN && f & FIN) conn.letter(side, 'Q');
    else if (f & SYN) conn.letter(side, f & ACK ? 'H' : 'S');
    if (f & FIN) conn.letter(side, 'F');
    if (f & RST) conn.letter(side, 'R');
    if (seg.payloadLength > 0) conn.letter(side, 'D');
    else if (f & ACK && !(f & (SYN | FIN | RST))) conn.letter(side, 'A');
    if (seg.window === 0 && !(f & (SYN | FIN | RST))) conn.letter(side, 'W');
  }

  /** endpointStates follows Zeek's TCP endpoint state machine closely enough for conn_state. */
  private endpointStates(fwd: SideState, rev: SideState, flags: number): void {
    if (fwd.state === EndpointState.Reset) return;
    if (flags & RST) {
      fwd.state = EndpointState.Reset;
      return;
    }
    if ((flags & (SYN | ACK)) === SYN) {
      if (fwd.state === EndpointState.Inactive) fwd.state = EndpointState.SynSent;
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      if (fwd.state === EndpointState.Inactive || fwd.state === EndpointState.SynSent) fwd.state = EndpointState.SynAckSent;
      if (rev.state === EndpointState.SynSent) rev.state = EndpointState.Established;
    } else {
      if (fwd.state === EndpointState.Inactive) fwd.state = EndpointState.Partial;
      else if ((fwd.state === EndpointState.SynSent || fwd.state === EndpointState.SynAckSent) && flags & ACK) fwd.state = EndpointState.Established;
      if (flags & ACK && fwd.state === EndpointState.Established && rev.state === EndpointState.SynAckSent) rev.state = EndpointState.Established;
    }
    if (flags & FIN) fwd.state = EndpointState.Closed;
  }
}

function collectGaps(conn: ConnectionState, side: SideState): void {
  const r = side.reassembler;
  const s = side.summary;
  s.streamBytes = r.bytesDelivered;
  const index = conn.sides[0] === side ? 0 : 1;
  for (let i = 0; i < s.gaps; i++) conn.letter(index, 'G');
  for (const n of r.notes) conn.note(n);
}

const HTTP_METHODS = /^[A-Z][A-Z0-9_-]{0,19} \S/;

function text(bytes: Uint8Array | undefined): string {
  return bytes ? String.fromCharCode(...bytes) : '';
}

/** roles picks the client side: SYN sender, else SYN/ACK receiver, else request sender, else the higher (ephemeral) port. */
function roles(c: ConnectionState): { client: 0 | 1; source: RoleSource } {
  const [a, b] = c.sides;
  const synOnly = (s: SideState) => s.synFrame !== undefined;
  if (synOnly(a) !== synOnly(b)) return { client: synOnly(a) ? 0 : 1, source: 'syn' };
  if (c.synAckFrame !== undefined) {
    // The SYN/ACK sender saw its SYN counted in sawSyn; the other side is the client.
    return { client: a.sawSyn && !b.sawSyn ? 1 : 0, source: 'syn-ack' };
  }
  const ta = text(a.firstPayload);
  const tb = text(b.firstPayload);
  if (HTTP_METHODS.test(ta) !== HTTP_METHODS.test(tb)) return { client: HTTP_METHODS.test(ta) ? 0 : 1, source: 'request' };
  if (ta.startsWith('HTTP/') !== tb.startsWith('HTTP/')) return { client: ta.startsWith('HTTP/') ? 1 : 0, source: 'response' };
  // Servers listen on the lower, usually well-known, port; clients use an ephemeral one.
  return { client: a.port > b.port ? 0 : b.port > a.port ? 1 : 0, source: 'port' };
}

function handshakeState(c: ConnectionState, client: SideState): HandshakeState {
  if (client.synFrame === undefined) return 'not-captured';
  if (c.handshakeAckFrame !== undefined) return 'complete';
  if (c.refused) return 'refused';
  return 'incomplete';
}

/** connState is Zeek's conn_state function (base/protocols/conn/main.zeek) over our endpoint states. */
function connState(orig: SideState, resp: SideState, history: string): ZeekConnState {
  const os = orig.state;
  const rs = resp.state;
  const oInactive = os === EndpointState.Inactive || os === EndpointState.Partial;
  const rInactive = rs === EndpointState.Inactive || rs === EndpointState.Partial;
  if (rs === EndpointState.Reset) {
    if (os === EndpointState.SynSent || os === EndpointState.SynAckSent || (os === EndpointState.Reset && orig.summary.payloadBytes === 0 && resp.summary.payloadBytes === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === EndpointState.Reset) {
    if (rInactive) return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === EndpointState.Closed && os === EndpointState.Closed) return 'SF';
  if (os === EndpointState.Closed) return rInactive ? 'SH' : 'S2';
  if (rs === EndpointState.Closed) return oInactive ? 'SHR' : 'S3';
  if (os === EndpointState.SynSent && rs === EndpointState.Inactive) return 'S0';
  if (os === EndpointState.Established && rs === EndpointState.Established) return 'S1';
  return 'OTH';
}

function summarize(c: ConnectionState): Connection {
  const { client: ci, source } = roles(c);
  const client = c.sides[ci];
  const server = c.sides[ci === 0 ? 1 : 0];
  let history = ci === 1 ? '^' : '';
  for (const h of c.history) history += h.side === ci ? h.letter : h.letter.toLowerCase();
  const ms = (a: number, b: number) => (b - a) * 1000;
  const negotiatedScale = client.summary.windowScale !== undefined && server.summary.windowScale !== undefined;
  return {
    id: c.stream,
    stream: c.stream,
    client: { ip: client.ip, port: client.port },
    server: { ip: server.ip, port: server.port },
    roleSource: source,
    protocol: 'unknown',
    transactions: [],
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    startTime: c.startTime,
    endTime: c.endTime,
    durationMs: ms(c.firstTimeValue, c.lastTimeValue || c.firstTimeValue),
    packets: c.packets,
    handshake: handshakeState(c, client),
    synFrame: client.synFrame,
    synAckFrame: c.synAckFrame,
    handshakeAckFrame: c.handshakeAckFrame,
    synCount: client.synCount,
    synToSynAckMs: client.synFrame !== undefined && c.synAckFrame !== undefined ? ms(client.lastSynTime, c.synAckTime) : undefined,
    synAckToAckMs: c.handshakeAckFrame !== undefined ? ms(c.synAckTime, c.handshakeAckTime) : undefined,
    connectMs: c.handshakeAckFrame !== undefined && client.synFrame !== undefined ? ms(client.firstSynTime, c.handshakeAckTime) : undefined,
    negotiated: {
      windowScale: negotiatedScale,
      sack: client.summary.sackPermitted && server.summary.sackPermitted,
      timestamps: client.summary.timestamps && server.summary.timestamps,
    },
    clientToServer: { ...client.summary, rtt: client.rtt.summary(), nagleStalls: client.nagle.stalls, holStalls: client.holStalls },
    serverToClient: { ...server.summary, rtt: server.rtt.summary(), nagleStalls: server.nagle.stalls, holStalls: server.holStalls },
    closedFirstBy: c.firstClose ? (c.firstClose.side === ci ? 'client' : 'server') : undefined,
    closeKind: c.firstClose?.kind,
    halfClosed: c.halfClosed,
    connState: connState(client, server, history),
    history,
    notes: c.notes,
  };
}
