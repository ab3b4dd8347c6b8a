// SPDX-License-Identifier: MIT
//
// TCP header view (RFC 9293 §3.1) and option parsing: MSS (RFC 9293 §3.2),
// window scale and timestamps (RFC 7323), SACK (RFC 2018). The checksum is not
// verified (checksum offload makes it wrong on every packet the capturing host sent).

import type { Decoded, DecodeError } from './decoded.js';
import { malformed, ok, truncated } from './decoded.js';
import { readU16be, readU32be } from './bytes.js';

/** TCP_FIELD holds byte offsets within a TCP header (RFC 9293 §3.1). */
export const TCP_FIELD = {
  SRC_PORT: 0,
  DST_PORT: 2,
  SEQ: 4,
  ACK: 8,
  /** Data offset in the high nibble; the low nibble holds 3 reserved bits and AE. */
  DATA_OFFSET: 12,
  FLAGS: 13,
  WINDOW: 14,
  CHECKSUM: 16,
  URGENT_POINTER: 18,
  OPTIONS: 20,
} as const;

/** TCP_MIN_HEADER_LENGTH is the length of a TCP header without options (data offset 5). */
export const TCP_MIN_HEADER_LENGTH = 20;

/** TcpFlag holds the TCP control bits as they sit in the 9 low bits of bytes 12-13. */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  /** ECN-Echo (RFC 3168). */
  ECE: 0x040,
  /** Congestion Window Reduced (RFC 3168). */
  CWR: 0x080,
  /** Accurate ECN (formerly the experimental NS bit of RFC 3540). */
  AE: 0x100,
} as const;

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [TcpFlag.FIN, 'FIN'],
  [TcpFlag.SYN, 'SYN'],
  [TcpFlag.RST, 'RST'],
  [TcpFlag.PSH, 'PSH'],
  [TcpFlag.ACK, 'ACK'],
  [TcpFlag.URG, 'URG'],
  [TcpFlag.ECE, 'ECE'],
  [TcpFlag.CWR, 'CWR'],
  [TcpFlag.AE, 'AE'],
];

/** formatTcpFlags names the set flags, e.g. "SYN,ACK" (empty string for none); meant for reports, not the per-packet path. */
export function formatTcpFlags(flags: number): string {
  let text = '';
  for (const [bit, name] of FLAG_NAMES) {
    if ((flags & bit) !== 0) text += text.length > 0 ? ',' + name : name;
  }
  return text;
}

/** TcpOptionKind holds the option kinds that are decoded; others are kept as TcpUnknownOption. */
export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WINDOW_SCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMPS: 8,
} as const;

/** TcpSackBlock is one SACK block: the sequence numbers of its first byte and of the byte after its last (RFC 2018 §3). */
export interface TcpSackBlock {
  left: number;
  right: number;
}

/** TcpTimestamps is the TCP timestamps option (RFC 7323 §3.2). */
export interface TcpTimestamps {
  value: number;
  echoReply: number;
}

/** TcpUnknownOption is an option kind this decoder does not interpret, kept with its length. */
export interface TcpUnknownOption {
  kind: number;
  length: number;
}

/** TcpOptions is the decoded options of one TCP header. */
export interface TcpOptions {
  /** Maximum segment size (kind 2), on SYNs. */
  mss: number | undefined;
  /** Window scale shift count (kind 3) as sent; RFC 7323 §2.3 says to treat values above 14 as 14. */
  windowScale: number | undefined;
  /** SACK-permitted (kind 4), on SYNs. */
  sackPermitted: boolean;
  /** SACK blocks (kind 5); shared empty array when absent. */
  sackBlocks: readonly TcpSackBlock[];
  timestamps: TcpTimestamps | undefined;
  /** Options of other kinds (MD5 19, TCP-AO 29, MPTCP 30, TFO 34...); shared empty array when none. */
  unknown: readonly TcpUnknownOption[];
  /** Why option parsing stopped or what option was malformed; the segment itself is still valid. */
  error: DecodeError | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

/** NO_TCP_OPTIONS is the shared result for a header without options. */
export const NO_TCP_OPTIONS: Readonly<TcpOptions> = Object.freeze({
  mss: undefined,
  windowScale: undefined,
  sackPermitted: false,
  sackBlocks: NONE,
  timestamps: undefined,
  unknown: NONE,
  error: undefined,
});

/** TcpView is a bounds-checked view over a TCP header and the captured part of its payload. */
export class TcpView {
  /** The segment as captured: header plus whatever payload bytes were captured. */
  readonly bytes: Uint8Array;
  /** Header length in bytes (data offset × 4), options included. */
  readonly headerLength: number;
  /** Payload length according to the IP layer; may exceed `payload.length` when the capture was snapped. */
  readonly payloadLength: number;
  /** Offset of this header from the start of the packet, added to error offsets. */
  readonly baseOffset: number;
  /**
   * Set when the capture ends inside the options (snap length): the fixed 20 bytes are valid, the options
   * are parsed as far as they were captured, and there is no payload. Snapped SYNs look like this.
   */
  readonly truncation: DecodeError | undefined;

  private constructor(bytes: Uint8Array, headerLength: number, payloadLength: number, baseOffset: number, truncation: DecodeError | undefined) {
    this.bytes = bytes;
    this.headerLength = headerLength;
    this.payloadLength = payloadLength;
    this.baseOffset = baseOffset;
    this.truncation = truncation;
  }

  /**
   * tryFrom checks a TCP segment once and wraps it without copying.
   *
   * `bytes` are the captured segment bytes, `baseOffset` their offset in the packet, and `segmentLength`
   * the segment length the IP layer announces (IP payload length; defaults to what was captured).
   */
  static tryFrom(bytes: Uint8Array, baseOffset = 0, segmentLength: number = bytes.length): Decoded<TcpView> {
    const captured = Math.min(bytes.length, segmentLength);
    if (captured < TCP_MIN_HEADER_LENGTH) {
      if (segmentLength < TCP_MIN_HEADER_LENGTH) {
        return malformed('tcp', baseOffset, `IP payload of ${segmentLength} bytes is shorter than the ${TCP_MIN_HEADER_LENGTH}-byte TCP header`);
      }
      return truncated('tcp', baseOffset, TCP_MIN_HEADER_LENGTH, captured, 'TCP header');
    }
    const dataOffset = bytes[TCP_FIELD.DATA_OFFSET]! >> 4;
    const headerLength = dataOffset * 4;
    if (dataOffset < 5) {
      return malformed('tcp', baseOffset + TCP_FIELD.DATA_OFFSET, `TCP data offset ${dataOffset} words is below the minimum of 5`);
    }
    if (headerLength > segmentLength) {
      return malformed(
        'tcp',
        baseOffset + TCP_FIELD.DATA_OFFSET,
        `TCP data offset ${dataOffset} words (${headerLength} bytes) exceeds the ${segmentLength}-byte segment`,
      );
    }
    let truncation: DecodeError | undefined;
    if (headerLength > captured) {
      truncation = {
        kind: 'truncated',
        layer: 'tcp',
        offset: baseOffset,
        required: headerLength,
        actual: captured,
        message: `TCP header with options needs ${headerLength} bytes, only ${captured} captured`,
      };
    }
    // Bounds: fixed-field getters read within [0, 20) ⊆ [0, captured); option and payload views are clamped to `bytes`.
    const view = bytes.length > segmentLength ? bytes.subarray(0, segmentLength) : bytes;
    return ok(new TcpView(view, headerLength, segmentLength - headerLength, baseOffset, truncation));
  }

  get srcPort(): number {
    return readU16be(this.bytes, TCP_FIELD.SRC_PORT);
  }
  get dstPort(): number {
    return readU16be(this.bytes, TCP_FIELD.DST_PORT);
  }
  /** Sequence number, unsigned 32-bit. */
  get seq(): number {
    return readU32be(this.bytes, TCP_FIELD.SEQ);
  }
  /** Acknowledgment number, unsigned 32-bit (meaningful only with ACK set). */
  get ack(): number {
    return readU32be(this.bytes, TCP_FIELD.ACK);
  }
  /** Data offset in 32-bit words. */
  get dataOffset(): number {
    return this.bytes[TCP_FIELD.DATA_OFFSET]! >> 4;
  }
  /** Control bits as a TcpFlag bit field (9 bits, AE included). */
  get flags(): number {
    return readU16be(this.bytes, TCP_FIELD.DATA_OFFSET) & 0x01ff;
  }
  /** Window field as sent, before any window scaling (RFC 7323 §2.2). */
  get window(): number {
    return readU16be(this.bytes, TCP_FIELD.WINDOW);
  }
  get checksum(): number {
    return readU16be(this.bytes, TCP_FIELD.CHECKSUM);
  }
  get urgentPointer(): number {
    return readU16be(this.bytes, TCP_FIELD.URGENT_POINTER);
  }
  get fin(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.FIN) !== 0;
  }
  get syn(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.SYN) !== 0;
  }
  get rst(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.RST) !== 0;
  }
  get psh(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.PSH) !== 0;
  }
  get hasAck(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.ACK) !== 0;
  }
  get urg(): boolean {
    return (this.bytes[TCP_FIELD.FLAGS]! & TcpFlag.URG) !== 0;
  }
  /** Raw option bytes as captured (empty for a 20-byte header; short when `truncation` is set). */
  get optionBytes(): Uint8Array {
    return this.bytes.subarray(TCP_FIELD.OPTIONS, this.headerLength);
  }
  /** The captured payload bytes (may be shorter than `payloadLength`; empty when `truncation` is set). */
  get payload(): Uint8Array {
    return this.bytes.subarray(Math.min(this.headerLength, this.bytes.length));
  }
  /** parseOptions decodes the options; it parses on every call, so keep the result. */
  parseOptions(): TcpOptions {
    if (this.headerLength === TCP_MIN_HEADER_LENGTH) return NO_TCP_OPTIONS;
    const options = parseTcpOptions(this.bytes, TCP_FIELD.OPTIONS, this.headerLength, this.baseOffset, this.bytes.length);
    if (this.truncation !== undefined && options.error === undefined) options.error = this.truncation;
    return options;
  }
}

/** hasTcpFlags says whether every flag in `mask` is set in `flags`. */
export function hasTcpFlags(flags: number, mask: number): boolean {
  return (flags & mask) === mask;
}

/**
 * parseTcpOptions decodes the options in `b[start, end)` (RFC 9293 §3.2).
 *
 * A length byte that is missing, below 2 or past the header makes the rest unparseable, so parsing stops there
 * with `error` set. A known kind with the wrong length is skipped by its length, with `error` set. When the
 * capture ends at `capturedEnd` before `end`, parsing stops quietly at the first option that is not all there
 * (the caller reports the truncation).
 */
export function parseTcpOptions(b: Uint8Array, start: number, end: number, baseOffset = 0, capturedEnd = end): TcpOptions {
  const options: TcpOptions = {
    mss: undefined,
    windowScale: undefined,
    sackPermitted: false,
    sackBlocks: NONE,
    timestamps: undefined,
    unknown: NONE,
    error: undefined,
  };
  let at = start;
  while (at < end) {
    if (at >= capturedEnd) break;
    const kind = b[at]!;
    if (kind === TcpOptionKind.EOL) break;
    if (kind === TcpOptionKind.NOP) {
      at++;
      continue;
    }
    if (end - at >= 2 && capturedEnd - at < 2) break;
    if (end - at < 2) {
      options.error = optionError(baseOffset + at, `TCP option kind ${kind} has no length byte before the end of the header`);
      break;
    }
    const length = b[at + 1]!;
    if (length < 2) {
      options.error = optionError(baseOffset + at + 1, `TCP option kind ${kind} length ${length} is below 2`);
      break;
    }
    if (length > end - at) {
      options.error = optionError(baseOffset + at + 1, `TCP option kind ${kind} length ${length} runs past the header (${end - at} bytes left)`);
      break;
    }
    if (length > capturedEnd - at) break;
    let expected = -1;
    switch (kind) {
      case TcpOptionKind.MSS:
        if (length === 4) options.mss = readU16be(b, at + 2);
        else expected = 4;
        break;
      case TcpOptionKind.WINDOW_SCALE:
        if (length === 3) options.windowScale = b[at + 2]!;
        else expected = 3;
        break;
      case TcpOptionKind.SACK_PERMITTED:
        if (length === 2) options.sackPermitted = true;
        else expected = 2;
        break;
      case TcpOptionKind.SACK:
        if (length >= 10 && (length - 2) % 8 === 0) {
          const blocks: TcpSackBlock[] = [];
          for (let p = at + 2; p < at + length; p += 8) blocks.push({ left: readU32be(b, p), right: readU32be(b, p + 4) });
          options.sackBlocks = blocks;
        } else {
          expected = 10;
        }
        break;
      case TcpOptionKind.TIMESTAMPS:
        if (length === 10) options.timestamps = { value: readU32be(b, at + 2), echoReply: readU32be(b, at + 6) };
        else expected = 10;
        break;
      default:
        if (options.unknown === NONE) options.unknown = [];
        (options.unknown as TcpUnknownOption[]).push({ kind, length });
    }
    if (expected >= 0 && options.error === undefined) {
      const rule = kind === TcpOptionKind.SACK ? '10, 18, 26 or 34' : String(expected);
      options.error = optionError(baseOffset + at + 1, `TCP option kind ${kind} length ${length} should be ${rule}`);
    }
    at += length;
  }
  return options;
}

function optionError(offset: number, message: string): DecodeError {
  return { kind: 'malformed', layer: 'tcp', offset, message };
}
