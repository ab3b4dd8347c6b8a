// SPDX-License-Identifier: MIT
//
// NagleDetector finds, in one direction of a connection, the signature of Nagle's algorithm waiting
// on a delayed ACK (RFC 9293 §3.7.4 sender side, RFC 1122 §4.2.3.2 receiver side):
//   1. the sender sends a small segment A with nothing else unacknowledged;
//   2. the peer's next pure ACK covering A comes late (its delayed-ACK timer: ~40 ms on Linux,
//      up to 200 ms on Windows), because it had nothing to send back;
//   3. the sender's next small segment B, continuing right after A, leaves as soon as that ACK arrives.
// B waiting for the ACK is what Nagle does; B leaving long after the ACK is the application being
// slow, and B leaving before the ACK is TCP_NODELAY: neither is reported. Nor is B after data from
// the peer (B may answer it), nor an ACK that came one round trip after A (a prompt ACK seen from
// the sender's end of the path): only ACK delay beyond the connection's baseline RTT counts.
//
// Call order: for each segment of the connection, in capture order, `onData` for the sender's data
// segments (new data only: not retransmissions or keep-alives) and `onAck` for the peer's pure ACKs.

import { seqDiff } from './seq.js';

/** NagleStall is one measured Nagle/delayed-ACK stall: A, the delayed ACK, and the released B. */
export interface NagleStall {
  firstFrame: number;
  ackFrame: number;
  releasedFrame: number;
  /** Times in seconds since the analysis time base. */
  firstTime: number;
  ackTime: number;
  releasedTime: number;
  /** A → B: what the stall cost. */
  stallMs: number;
  /** A → ACK: how long the peer held its ACK. */
  ackDelayMs: number;
  firstBytes: number;
  releasedBytes: number;
}

/** NagleOptions are the detector's thresholds (FindingOptions nagle* in analysis/engine.ts, so `--set` reaches them). */
export interface NagleOptions {
  /** The ACK must come at least this late after A (ms); below it there is no delayed-ACK timer at work. */
  minAckDelayMs: number;
  /** A delayed ACK is held at most this long beyond the round trip: RFC 1122 §4.2.3.2 caps the timer at 0.5 s. */
  maxAckDelayMs: number;
  /** B must leave within this many ms of the ACK, or within 1.5 round trips or a quarter of the ACK delay if larger. */
  releaseSlackMs: number;
  /**
   * A and B count as small (Nagle holds only those, RFC 9293 §3.7.4) below this many bytes; 0 means
   * below a full-sized segment (the peer's MSS less options, or the sender's largest segment when a
   * smaller path MTU shows). A value above full size changes nothing: full-sized segments are never held.
   */
  smallSegmentBytes: number;
}

export const DEFAULT_NAGLE_OPTIONS: NagleOptions = { minAckDelayMs: 15, maxAckDelayMs: 500, releaseSlackMs: 5, smallSegmentBytes: 0 };

const MAX_STALLS = 100;

/** NagleDetector watches one direction (see the file header). */
export class NagleDetector {
  readonly stalls: NagleStall[] = [];
  /** Stalls found beyond the listed ones. */
  more = 0;
  private pending: { endSeq: number; time: number; frame: number; bytes: number } | undefined;
  private ack: { time: number; frame: number } | undefined;

  constructor(private readonly options: NagleOptions = DEFAULT_NAGLE_OPTIONS) {}

  /**
   * onData is called for each new-data segment the sender sends.
   * @param alone nothing else of the sender's was unacknowledged when it left
   * @param small it was shorter than a full-sized segment (the only kind Nagle holds back)
   */
  onData(seq: number, length: number, endSeq: number, time: number, frame: number, alone: boolean, small: boolean, baselineRttMs: number): void {
    const p = this.pending;
    const a = this.ack;
    if (p && a && seq === p.endSeq && small) {
      const ackDelayMs = (a.time - p.time) * 1000;
      const releaseMs = (time - a.time) * 1000;
      // An ACK one round trip after A is a prompt ACK seen from the sender's side of the path; only the
      // time beyond the connection's round trip can be a delayed-ACK timer.
      const heldMs = ackDelayMs - baselineRttMs;
      if (heldMs >= this.options.minAckDelayMs && heldMs <= this.options.maxAckDelayMs && releaseMs >= 0 && releaseMs <= Math.max(this.options.releaseSlackMs, baselineRttMs * 1.5, ackDelayMs / 4)) {
        const stall: NagleStall = {
          firstFrame: p.frame,
          ackFrame: a.frame,
          releasedFrame: frame,
          firstTime: p.time,
          ackTime: a.time,
          releasedTime: time,
          stallMs: (time - p.time) * 1000,
          ackDelayMs,
          firstBytes: p.bytes,
          releasedBytes: length,
        };
        if (this.stalls.length < MAX_STALLS) this.stalls.push(stall);
        else this.more++;
      }
    }
    this.ack = undefined;
    this.pending = small && alone ? { endSeq, time, frame, bytes: length } : undefined;
  }

  /** onAck is called for each pure ACK (no data) of the peer. */
  onAck(ack: number, time: number, frame: number): void {
    if (this.pending && !this.ack && seqDiff(ack, this.pending.endSeq) >= 0) this.ack = { time, frame };
  }

  /**
   * onPeerData is called when the peer sends data: before the ACK, the ACK rides on data (no timer held
   * it); after it, the sender's next segment may answer that data rather than be a held write.
   */
  onPeerData(): void {
    this.pending = undefined;
    this.ack = undefined;
  }
}
