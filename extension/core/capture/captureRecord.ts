// SPDX-License-Identifier: MIT

/**
 * CaptureRecord is one packet as read from a capture file.
 *
 * `bytes` is a view into the reader's chunk buffer and stays valid only until the
 * reader's next `next()` call: copy anything you keep (gopacket's rule for ScatterGather).
 */
export interface CaptureRecord {
  /** Frame number, 1-based, counting every packet record in file order exactly as Wireshark numbers frames. */
  frame: number;
  /** Whole seconds since the Unix epoch (may be negative for odd captures). */
  tsSec: number;
  /** Nanoseconds within `tsSec`, 0..999,999,999; finer resolutions are truncated to nanoseconds as Wireshark does. */
  tsNanos: number;
  /** False for records that carry no time (pcapng Simple Packet Blocks): tsSec and tsNanos are then 0. */
  hasTimestamp: boolean;
  /** Bytes of the packet present in the file. */
  capturedLength: number;
  /** Bytes of the packet on the wire (≥ capturedLength unless the file is odd). */
  originalLength: number;
  /** LINKTYPE_ number of the packet's interface. */
  linkType: number;
  /** Interface index within the pcapng section (0 for classic pcap). */
  interfaceId: number;
  /** Absolute file offset of the first packet byte, so later layers can re-read bodies lazily. */
  fileOffset: number;
  /** The captured bytes; a view valid until the next record is read. */
  bytes: Uint8Array;
}

/** CaptureWarning is a problem in the file itself, with the absolute byte offset where it was found. */
export interface CaptureWarning {
  offset: number;
  message: string;
}

/** CaptureFormat names the container format. */
export type CaptureFormat = 'pcap' | 'pcapng';

/** InterfaceInfo describes one capture interface (one per classic pcap file; one per IDB in pcapng). */
export interface InterfaceInfo {
  linkType: number;
  snapLength: number;
  /** Timestamp units per second as a power: `base ** exponent` units = 1 s (pcapng if_tsresol). */
  tsResolution: { base: 2 | 10; exponent: number };
  /** Seconds added to every timestamp (pcapng if_tsoffset). */
  tsOffsetSec: number;
  name?: string;
  description?: string;
}

/** DecryptionSecrets is a pcapng Decryption Secrets Block (e.g. a TLS key log), kept for the TLS layer. */
export interface DecryptionSecrets {
  /** Secrets type, e.g. 0x544c534b ("TLSK") for an NSS key log. */
  secretsType: number;
  data: Uint8Array;
  offset: number;
}

/** timeSeconds returns a record's time as floating-point epoch seconds (for arithmetic, not for display). */
export function timeSeconds(record: Pick<CaptureRecord, 'tsSec' | 'tsNanos'>): number {
  return record.tsSec + record.tsNanos / 1e9;
}
