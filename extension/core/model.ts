// SPDX-License-Identifier: MIT
import type { CaptureFormat, CaptureWarning } from './capture/captureRecord.js';
import type { Timestamp } from './capture/timestamp.js';
import type { Finding } from './analysis/finding.js';
import type { Connection } from './flows/connection.js';

/** SCHEMA_VERSION is the version of the JSON report; bump it on any breaking change to its shape. */
export const SCHEMA_VERSION = 1;

/** CaptureSummary is what the file itself holds: format, link types, packet and byte counts, time span, damage. */
export interface CaptureSummary {
  /** File name as given by the caller (the CLI passes the path it was given). */
  file: string;
  format: CaptureFormat;
  /** Distinct LINKTYPE_ numbers in interface order. */
  linkTypes: number[];
  packets: number;
  /** Sum of the packets' original (wire) lengths: capinfos' "data size". */
  bytes: number;
  /** Sum of the captured lengths (less than `bytes` when the capture was snapped). */
  capturedBytes: number;
  /** Earliest and latest packet time (undefined for an empty capture). */
  firstTime?: Timestamp;
  lastTime?: Timestamp;
  /** Fractional digits the file's timestamps carry (6 µs, 9 ns), used when rendering times. */
  timePrecisionDigits: number;
  /** Problems in the file container, each with its byte offset. */
  warnings: CaptureWarning[];
}

/** DecodeSummary counts what the packet decoders found, so a user sees what was and was not analysed. */
export interface DecodeSummary {
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  /** Packets whose network or transport layer is something else (ARP, ICMP, ...). */
  other: number;
  /** IP fragments seen, and datagrams rebuilt from them. */
  fragments: number;
  reassembled: number;
  /** Packets whose decoding stopped on an error, by layer. */
  errorsByLayer: Record<string, number>;
  /** The first decode errors with their frame numbers (capped), for the report. */
  errors: { frame: number; layer: string; offset: number; message: string }[];
  /** Once-per-capture decoder notes, e.g. "link type 147 not decoded (12 packets)". */
  notes: string[];
}

/** CaptureAnalysis is the whole result of analysing one capture; later layers fill connections and findings. */
export interface CaptureAnalysis {
  schemaVersion: typeof SCHEMA_VERSION;
  capture: CaptureSummary;
  /** Whole epoch second that connection and HTTP times (seconds, floats) count from. */
  timeBaseSec: number;
  decode: DecodeSummary;
  /** TCP connections in Wireshark tcp.stream order. */
  connections: Connection[];
  /** Named problems with evidence, sorted by time. */
  findings: Finding[];
}
