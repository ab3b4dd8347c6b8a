// SPDX-License-Identifier: MIT
import type { CaptureFormat, CaptureRecord, CaptureWarning, DecryptionSecrets, InterfaceInfo } from './captureRecord.js';

/**
 * CaptureReader yields the packet records of one capture file in file order.
 *
 * Call order: `next()` until it returns undefined; `warnings` holds every problem met so far
 * (each with its byte offset). A damaged file never throws: the reader keeps every record before
 * the damage, warns, and resynchronises where the format allows (pcapng) or stops (classic pcap).
 */
export interface CaptureReader {
  readonly format: CaptureFormat;
  /** Interfaces seen so far (pcapng adds them as IDBs are read; classic pcap has exactly one). */
  readonly interfaces: readonly InterfaceInfo[];
  readonly warnings: readonly CaptureWarning[];
  /** Decryption Secrets Blocks met so far (pcapng only). */
  readonly secrets: readonly DecryptionSecrets[];
  /** Decimal digits of timestamp precision the file carries (6 for µs, 9 for ns). */
  readonly timePrecisionDigits: number;
  /** File offset the reader has consumed up to (for progress). */
  readonly offset: number;
  /** next returns the next record, or undefined at the end of the file or after unrecoverable damage. */
  next(): CaptureRecord | undefined;
}

/** CaptureOpenError says why a file cannot be read at all, with the offset of the fault. */
export class CaptureOpenError extends Error {
  override readonly name = 'CaptureOpenError';
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`offset ${offset}: ${reason}`);
  }
}

/** Largest packet record we accept (bytes); larger lengths are corruption, never allocated. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD: a classic-pcap record longer than this and the snaplen is corrupt. */
export const MAX_STANDARD_PACKET_BYTES = 262_144;

/** hex8 formats a 32-bit value as 0x%08x for messages. */
export function hex8(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}
