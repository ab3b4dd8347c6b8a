// SPDX-License-Identifier: MIT

/** Severity of a finding: error breaks something, warning costs time, info is worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * Finding is one named, measured fact about the capture, with its evidence: the connection, the
 * frames a user can jump to in Wireshark, when it happened, and the measured quantity.
 */
export interface Finding {
  /** Stable code from the catalog (diagnosticCodes.ts). */
  code: string;
  severity: Severity;
  /** Connection id (Wireshark tcp.stream). */
  connection: number;
  /** Index of the HTTP transaction on the connection, when the finding is about one. */
  transaction?: number;
  /** HTTP/2 stream id, when it applies. */
  streamId?: number;
  /**
   * When a finding is about several transactions or HTTP/2 streams (the victims of a head-of-line
   * stall), their indices and stream ids, ascending; `transaction`/`streamId` then name the cause.
   */
  transactions?: number[];
  streamIds?: number[];
  /** Evidence frames in capture order. */
  frames: number[];
  /** Seconds since the analysis time base (CaptureAnalysis.timeBaseSec). */
  startTime: number;
  endTime: number;
  /** The measured delay the finding is about, in milliseconds. */
  delayMs?: number;
  count?: number;
  bytes?: number;
  /** One line with the numbers in it. */
  message: string;
}
