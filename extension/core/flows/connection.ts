// SPDX-License-Identifier: MIT
import type { Timestamp } from '../capture/timestamp.js';
import type { AppLayerResult, AppProtocol } from '../http/httpConnection.js';
import type { HttpTransaction } from '../http/transaction.js';
import type { NagleStall } from './nagleDetector.js';

/** Endpoint is one side of a connection. */
export interface Endpoint {
  ip: string;
  port: number;
}

/**
 * HandshakeState says how the connection started, as seen at the capture point:
 * `complete` SYN, SYN/ACK and ACK seen; `refused` the SYN was answered by a RST; `incomplete` the SYN
 * was seen but the handshake did not finish; `not-captured` the client's SYN is not in the capture.
 */
export type HandshakeState = 'complete' | 'refused' | 'incomplete' | 'not-captured';

/** RoleSource says how the client was chosen: SYN sender, SYN/ACK receiver, HTTP request sender, or port heuristics. */
export type RoleSource = 'syn' | 'syn-ack' | 'request' | 'response' | 'port';

/** ZeekConnState is Zeek's conn.log `conn_state` (base/protocols/conn/main.zeek). */
export type ZeekConnState = 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/** RttSummary summarises RTT samples (data → ACK, Karn's rule) in milliseconds. */
export interface RttSummary {
  samples: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  /** True when there were more samples than kept, so the median comes from a uniform sample of them. */
  medianEstimated: boolean;
}

/**
 * HolStall is one head-of-line stall in one direction: bytes that had reached the receiver waited,
 * undeliverable, until a retransmission filled the hole before them (RFC 9293 §3.10.7.4: a receiver
 * delivers in order only).
 */
export interface HolStall {
  /** First held segment and the retransmission that released it; times in seconds since the time base. */
  heldSinceFrame: number;
  releasedFrame: number;
  heldSince: number;
  releasedAt: number;
  /** Data bytes held (a FIN is not counted), and for how long (ms). */
  heldBytes: number;
  stallMs: number;
  /** Stream offset (0 = first data byte) and length of the lost bytes; the held bytes follow them. Absent when unknown. */
  lostOffset?: number;
  lostBytes?: number;
  /** HTTP/2 (frames found from the stream's start): the streams the lost bytes and the held bytes belonged to. */
  http2?: { lostStreams: number[]; heldStreams: number[] };
}

/** DirectionSummary holds what one direction of a connection sent and how it went. */
export interface DirectionSummary {
  /** TCP segments sent, and frames that carried payload. */
  segments: number;
  dataSegments: number;
  /** Payload bytes sent, retransmissions included. */
  payloadBytes: number;
  /** Distinct stream bytes delivered in order (what the application received, gaps excluded). */
  streamBytes: number;
  /** Segments Wireshark flags as tcp.analysis.retransmission (fast and spurious included), and their payload bytes. */
  retransmissions: number;
  retransmittedBytes: number;
  fastRetransmissions: number;
  spuriousRetransmissions: number;
  /** Frames of the retransmissions (first 1000). */
  retransmissionFrames: number[];
  /** Total time the receiver waited for retransmitted data: original send (or the receiver's first ACK asking for it) → retransmission. */
  retransmissionWaitMs: number;
  /** Segments that arrived with a lower sequence number shortly after a higher one (tcp.analysis.out_of_order). */
  outOfOrder: number;
  /** Segments Wireshark flags as previous-segment-not-captured (tcp.analysis.lost_segment). */
  lostSegmentEvents: number;
  /** Stream holes that were never filled (bytes the peer received but the capture never saw, or never sent). */
  gaps: number;
  gapBytes: number;
  /** Where the holes are (first 100): stream offset (0 = first data byte) and length. */
  gapRanges: { streamOffset: number; length: number }[];
  /** Duplicate ACKs this side sent (tcp.analysis.duplicate_ack). */
  duplicateAcks: number;
  /** Segments advertising a zero window, zero-window probes sent, segments that filled the peer's window. */
  zeroWindows: number;
  /** Frames of the zero-window segments (first 20). */
  zeroWindowFrames: number[];
  /**
   * How long this side kept its window closed: from each zero-window advertisement to its next
   * non-zero window (the window update that let the sender go on), summed in ms; and the frames of
   * those window updates (first 20). A window still closed when the connection ends is not counted.
   */
  zeroWindowMs?: number;
  zeroWindowOpenFrames?: number[];
  zeroWindowProbes: number;
  windowFull: number;
  keepAlives: number;
  /** Options this side sent on its SYN (or SYN/ACK). */
  mss?: number;
  windowScale?: number;
  sackPermitted: boolean;
  timestamps: boolean;
  /**
   * Frame of this side's first FIN, and of its first RST that ended the connection: a RST outside the
   * peer's receive window, or one the peer ignored (it acknowledged data sent after it), is only noted.
   */
  finFrame?: number;
  rstFrame?: number;
  /** Data segments this side sent after its own FIN (ignored for the stream). */
  bytesAfterFin: number;
  rtt?: RttSummary;
  /**
   * Head-of-line stalls in this direction (first 100): data that had arrived was held back from the
   * receiving application until a retransmission filled the hole before it.
   */
  holStalls?: HolStall[];
  /** Nagle/delayed-ACK stalls this side suffered as a sender (first 100). */
  nagleStalls?: NagleStall[];
}

/** Connection is one TCP connection: two byte streams between a client and a server. */
export interface Connection {
  /** Index in the report, equal to `stream`. */
  id: number;
  /** Wireshark's tcp.stream number for this connection. */
  stream: number;
  client: Endpoint;
  server: Endpoint;
  roleSource: RoleSource;
  /** Application protocol, decided from the first bytes by the HTTP layer ('unknown' when nothing was recognised). */
  protocol: AppProtocol;
  /** HTTP transactions in request order (empty for other protocols). */
  transactions: HttpTransaction[];
  /** Protocol switch (101, CONNECT) and what crossed it. */
  tunnel?: AppLayerResult['tunnel'];
  /** TLS handshake facts (TLS connections and TLS inside CONNECT tunnels). */
  tls?: AppLayerResult['tls'];
  /** HTTP/2 connection facts: SETTINGS, GOAWAY, PINGs, flow-control stalls. */
  http2?: AppLayerResult['http2'];
  /** Application-layer anomalies (stable codes), capped. */
  appAnomalies?: AppLayerResult['anomalies'];
  firstFrame: number;
  lastFrame: number;
  startTime: Timestamp;
  endTime: Timestamp;
  durationMs: number;
  packets: number;
  handshake: HandshakeState;
  synFrame?: number;
  synAckFrame?: number;
  handshakeAckFrame?: number;
  /** SYNs the client sent before the SYN/ACK (1 = no retransmission). */
  synCount: number;
  /** Last SYN → SYN/ACK and SYN/ACK → ACK at the capture point, and first SYN → ACK (what the client waited). */
  synToSynAckMs?: number;
  synAckToAckMs?: number;
  connectMs?: number;
  /** Negotiated on the handshake: window scaling, SACK and timestamps only when both sides offered them (RFC 7323, 2018). */
  negotiated: { windowScale: boolean; sack: boolean; timestamps: boolean };
  clientToServer: DirectionSummary;
  serverToClient: DirectionSummary;
  /** Which side closed first and how; undefined while open at the end of the capture. */
  closedFirstBy?: 'client' | 'server';
  closeKind?: 'fin' | 'rst';
  /** A side kept sending data after the other side's FIN (a half-close, RFC 9293 §3.6). */
  halfClosed: boolean;
  connState: ZeekConnState;
  history: string;
  notes: string[];
}
