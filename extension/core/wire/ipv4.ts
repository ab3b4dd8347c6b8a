// SPDX-License-Identifier: MIT
//
// IPv4 header view (RFC 791). The header checksum is not verified: capture
// hosts with checksum offload record wrong checksums on every sent packet.

import type { Decoded } from './decoded.js';
import { malformed, ok, truncated } from './decoded.js';
import { readU16be } from './bytes.js';

/** IPV4_FIELD holds byte offsets within an IPv4 header (RFC 791 §3.1). */
export const IPV4_FIELD = {
  VERSION_IHL: 0,
  DSCP_ECN: 1,
  TOTAL_LENGTH: 2,
  IDENTIFICATION: 4,
  FLAGS_FRAGMENT_OFFSET: 6,
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: 10,
  SRC: 12,
  DST: 16,
  OPTIONS: 20,
} as const;

/** IPV4_MIN_HEADER_LENGTH is the length of an IPv4 header without options (IHL 5). */
export const IPV4_MIN_HEADER_LENGTH = 20;

/**
 * IpLengthStatus says how the IP length field compares with the captured bytes.
 *
 * - `exact`: they agree.
 * - `padded`: bytes follow the datagram (Ethernet pads frames to 60 bytes); they were trimmed off.
 * - `snapped`: the datagram is longer than what was captured (snap length); the captured part is kept.
 * - `tso`: the length field is 0 while data follows: the packet was captured before TCP segmentation
 *   offload filled it in (tcpdump prints "[was 0, presumed TSO]"), so the captured length is used.
 * - `overlong`: the length field claims more than the packet had on the wire (Wireshark: "IPv4 total length
 *   exceeds packet length"); the wire length is used instead.
 */
export type IpLengthStatus = 'exact' | 'padded' | 'snapped' | 'tso' | 'overlong';

const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;

/** Ipv4View is a bounds-checked view over an IPv4 datagram: its header and the captured part of its payload. */
export class Ipv4View {
  /** The datagram: header plus payload, trimmed to the total length (or everything captured, when snapped or TSO). */
  readonly bytes: Uint8Array;
  /** Header length in bytes (IHL × 4), options included. */
  readonly headerLength: number;
  /** Datagram length in bytes: the Total Length field, or the captured length when it was 0 (TSO), or the wire length when it claimed more (overlong). */
  readonly totalLength: number;
  /** How the Total Length field compares with what was captured. */
  readonly lengthStatus: IpLengthStatus;
  /** Offset of this header from the start of the packet, added to error offsets. */
  readonly baseOffset: number;

  private constructor(bytes: Uint8Array, headerLength: number, totalLength: number, lengthStatus: IpLengthStatus, baseOffset: number) {
    this.bytes = bytes;
    this.headerLength = headerLength;
    this.totalLength = totalLength;
    this.lengthStatus = lengthStatus;
    this.baseOffset = baseOffset;
  }

  /**
   * tryFrom checks `bytes` (starting at the IPv4 header, `baseOffset` bytes into the packet) once and wraps them without copying.
   *
   * `wireLength` is how many bytes the datagram could have had on the wire (captured plus snapped-off bytes);
   * when unknown, a total length beyond the captured bytes is taken as a snap.
   */
  static tryFrom(bytes: Uint8Array, baseOffset = 0, wireLength = Number.POSITIVE_INFINITY): Decoded<Ipv4View> {
    const captured = bytes.length;
    if (captured < IPV4_MIN_HEADER_LENGTH) return truncated('ipv4', baseOffset, IPV4_MIN_HEADER_LENGTH, captured, 'IPv4 header');
    const versionIhl = bytes[0]!;
    const version = versionIhl >> 4;
    if (version !== 4) return malformed('ipv4', baseOffset, `IPv4 version field is ${version}, not 4`);
    const headerLength = (versionIhl & 0x0f) * 4;
    if (headerLength < IPV4_MIN_HEADER_LENGTH) {
      return malformed('ipv4', baseOffset, `IPv4 IHL ${headerLength / 4} words (${headerLength} bytes) is below the minimum of 5`);
    }
    if (captured < headerLength) return truncated('ipv4', baseOffset, headerLength, captured, 'IPv4 header with options');
    const totalLengthField = readU16be(bytes, IPV4_FIELD.TOTAL_LENGTH);
    let totalLength = totalLengthField;
    let status: IpLengthStatus;
    if (totalLengthField === 0 && captured > headerLength) {
      totalLength = captured;
      status = 'tso';
    } else if (totalLengthField < headerLength) {
      return malformed('ipv4', baseOffset + IPV4_FIELD.TOTAL_LENGTH, `IPv4 total length ${totalLengthField} is below the header length ${headerLength}`);
    } else if (totalLengthField < captured) {
      status = 'padded';
    } else if (totalLengthField > wireLength) {
      totalLength = Math.max(wireLength, captured);
      status = 'overlong';
    } else if (totalLengthField > captured) {
      status = 'snapped';
    } else {
      status = 'exact';
    }
    // Bounds: every getter below reads within [0, headerLength) ⊆ [0, captured).
    const view = totalLength < captured ? bytes.subarray(0, totalLength) : bytes;
    return ok(new Ipv4View(view, headerLength, totalLength, status, baseOffset));
  }

  /** DSCP, the upper 6 bits of the former TOS byte (RFC 2474). */
  get dscp(): number {
    return this.bytes[IPV4_FIELD.DSCP_ECN]! >> 2;
  }
  /** ECN codepoint, the lower 2 bits of the former TOS byte (RFC 3168). */
  get ecn(): number {
    return this.bytes[IPV4_FIELD.DSCP_ECN]! & 0x03;
  }
  /** Total Length field as written (0 for TSO). */
  get totalLengthField(): number {
    return readU16be(this.bytes, IPV4_FIELD.TOTAL_LENGTH);
  }
  /** Identification field; only meaningful for fragments (RFC 6864 §4). */
  get identification(): number {
    return readU16be(this.bytes, IPV4_FIELD.IDENTIFICATION);
  }
  get dontFragment(): boolean {
    return (readU16be(this.bytes, IPV4_FIELD.FLAGS_FRAGMENT_OFFSET) & FLAG_DF) !== 0;
  }
  get moreFragments(): boolean {
    return (readU16be(this.bytes, IPV4_FIELD.FLAGS_FRAGMENT_OFFSET) & FLAG_MF) !== 0;
  }
  /** Fragment offset in bytes (the field counts 8-byte units, RFC 791 §3.1). */
  get fragmentOffsetBytes(): number {
    return (readU16be(this.bytes, IPV4_FIELD.FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * 8;
  }
  /** True when this datagram is a fragment: MF set or a non-zero offset (RFC 791 §3.2). */
  get isFragment(): boolean {
    return (readU16be(this.bytes, IPV4_FIELD.FLAGS_FRAGMENT_OFFSET) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) !== 0;
  }
  get ttl(): number {
    return this.bytes[IPV4_FIELD.TTL]!;
  }
  /** Protocol number of the payload (6 TCP, 17 UDP...). */
  get protocol(): number {
    return this.bytes[IPV4_FIELD.PROTOCOL]!;
  }
  /** Header checksum as written; never verified here. */
  get checksum(): number {
    return readU16be(this.bytes, IPV4_FIELD.CHECKSUM);
  }
  /** Source address in dotted-quad form. */
  get src(): string {
    return formatIpv4(this.bytes, IPV4_FIELD.SRC);
  }
  /** Destination address in dotted-quad form. */
  get dst(): string {
    return formatIpv4(this.bytes, IPV4_FIELD.DST);
  }
  /** Options bytes (empty when IHL is 5). */
  get options(): Uint8Array {
    return this.bytes.subarray(IPV4_FIELD.OPTIONS, this.headerLength);
  }
  /** Payload length in bytes according to the header; may exceed `payload.length` when the capture was snapped. */
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }
  /** The captured payload bytes. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLength);
  }
}

/** formatIpv4 formats the 4 bytes at `at` as a dotted-quad address. */
export function formatIpv4(b: Uint8Array, at: number): string {
  return `${b[at]!}.${b[at + 1]!}.${b[at + 2]!}.${b[at + 3]!}`;
}
