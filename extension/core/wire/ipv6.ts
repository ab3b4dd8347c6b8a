// SPDX-License-Identifier: MIT
//
// IPv6 header view with the extension-header walk (RFC 8200 §4), and the
// RFC 5952 text form of IPv6 addresses.

import type { Decoded, DecodeError } from './decoded.js';
import { fail, malformed, ok, truncated } from './decoded.js';
import { readU16be, readU32be } from './bytes.js';
import { IpProtocol } from './ipProtocol.js';
import type { IpLengthStatus } from './ipv4.js';
import { formatIpv4 } from './ipv4.js';

/** IPV6_FIELD holds byte offsets within the fixed IPv6 header (RFC 8200 §3). */
export const IPV6_FIELD = {
  VERSION_CLASS_FLOW: 0,
  PAYLOAD_LENGTH: 4,
  NEXT_HEADER: 6,
  HOP_LIMIT: 7,
  SRC: 8,
  DST: 24,
  PAYLOAD: 40,
} as const;

/** IPV6_EXTENSION_FIELD holds byte offsets common to hop-by-hop, routing, destination-options and AH headers. */
export const IPV6_EXTENSION_FIELD = { NEXT_HEADER: 0, LENGTH: 1 } as const;

/** IPV6_FRAGMENT_FIELD holds byte offsets within the 8-byte Fragment header (RFC 8200 §4.5). */
export const IPV6_FRAGMENT_FIELD = { NEXT_HEADER: 0, RESERVED: 1, OFFSET_FLAGS: 2, IDENTIFICATION: 4, LENGTH: 8 } as const;

/** IPV6_HEADER_LENGTH is the length of the fixed IPv6 header. */
export const IPV6_HEADER_LENGTH = 40;

/** Ipv6Fragment is what a Fragment header says. */
export interface Ipv6Fragment {
  /** Offset of the Fragment header from the start of the IPv6 header. */
  headerOffset: number;
  /** Next Header of the fragmentable part (the reassembled payload's first header). */
  nextHeader: number;
  /** Offset of this fragment's data within the fragmentable part, in bytes. */
  offsetBytes: number;
  moreFragments: boolean;
  /** 32-bit Identification, unsigned. */
  identification: number;
  /** Offset 0 and M = 0: a whole datagram in one fragment, processed in isolation (RFC 6946 §4). */
  atomic: boolean;
}

/** Ipv6ExtensionWalk is where the extension-header chain ended and what it passed through. */
export interface Ipv6ExtensionWalk {
  /** Next Header value that ended the walk: the upper-layer protocol, 59 (no next header), or the fragmentable part's first header for a non-atomic fragment. */
  protocol: number;
  /** Offset where the walk ended (the upper-layer header), in the coordinates of the walked bytes. */
  offset: number;
  /** Extension header types passed, in order; shared empty array when there were none. */
  headers: readonly number[];
  fragment: Ipv6Fragment | undefined;
  /** Why the walk stopped early, if it did; `protocol` and `offset` then name the header that failed. */
  error: DecodeError | undefined;
}

const NO_HEADERS: readonly number[] = Object.freeze([]);

/**
 * walkIpv6Extensions follows the Next Header chain from `nextHeader` at `at` to the upper-layer header.
 *
 * `datagramEnd` is where the datagram ends according to its length field and `capturedEnd` where the captured
 * bytes end: a header past `datagramEnd` is malformed, one past only `capturedEnd` is truncated. `baseOffset`
 * converts offsets in `bytes` to packet offsets for errors. `first` says the chain starts right after the
 * fixed IPv6 header, the only place a hop-by-hop header may appear (RFC 8200 §4.1).
 */
export function walkIpv6Extensions(
  bytes: Uint8Array,
  at: number,
  nextHeader: number,
  datagramEnd: number,
  capturedEnd: number,
  baseOffset: number,
  first: boolean,
): Ipv6ExtensionWalk {
  let headers: number[] | null = null;
  let fragment: Ipv6Fragment | undefined;
  let nh = nextHeader;
  // Each iteration consumes at least 8 bytes, checked against both ends, so the loop ends.
  for (;;) {
    let length: number;
    switch (nh) {
      case IpProtocol.HOP_BY_HOP:
      case IpProtocol.IPV6_ROUTING:
      case IpProtocol.IPV6_DEST_OPTS:
      case IpProtocol.MOBILITY:
      case IpProtocol.HIP:
      case IpProtocol.SHIM6:
      case IpProtocol.AH:
      case IpProtocol.IPV6_FRAGMENT:
        break;
      default:
        // Upper layer, ESP (opaque), no next header (59) or unknown: the chain ends here.
        return { protocol: nh, offset: at, headers: headers ?? NO_HEADERS, fragment, error: undefined };
    }
    if (nh === IpProtocol.HOP_BY_HOP && !(first && headers === null)) {
      const error = makeError('malformed', baseOffset + at, 'IPv6 hop-by-hop options header is not directly after the IPv6 header (RFC 8200 §4.1)');
      return { protocol: nh, offset: at, headers: headers ?? NO_HEADERS, fragment, error };
    }
    if (datagramEnd - at < 2 || capturedEnd - at < 2) {
      const error = endError(at, 2, datagramEnd, capturedEnd, baseOffset, `IPv6 extension header ${nh}`);
      return { protocol: nh, offset: at, headers: headers ?? NO_HEADERS, fragment, error };
    }
    if (nh === IpProtocol.IPV6_FRAGMENT) length = IPV6_FRAGMENT_FIELD.LENGTH;
    // RFC 4302 §2.2: AH's Payload Len counts 4-byte words, minus 2.
    else if (nh === IpProtocol.AH) length = (bytes[at + IPV6_EXTENSION_FIELD.LENGTH]! + 2) * 4;
    // RFC 8200 §4.3-4.6: Hdr Ext Len counts 8-byte units, not including the first 8 bytes.
    else length = (bytes[at + IPV6_EXTENSION_FIELD.LENGTH]! + 1) * 8;
    if (datagramEnd - at < length || capturedEnd - at < length) {
      const error = endError(at, length, datagramEnd, capturedEnd, baseOffset, `IPv6 extension header ${nh} of ${length} bytes`);
      return { protocol: nh, offset: at, headers: headers ?? NO_HEADERS, fragment, error };
    }
    if (headers === null) headers = [];
    headers.push(nh);
    const headerNext = bytes[at]!;
    if (nh === IpProtocol.IPV6_FRAGMENT) {
      const offsetFlags = readU16be(bytes, at + IPV6_FRAGMENT_FIELD.OFFSET_FLAGS);
      const offsetBytes = offsetFlags & 0xfff8; // 13-bit offset in 8-byte units, already shifted by 3
      const moreFragments = (offsetFlags & 0x0001) !== 0;
      const atomic = offsetBytes === 0 && !moreFragments;
      fragment = {
        headerOffset: at,
        nextHeader: headerNext,
        offsetBytes,
        moreFragments,
        identification: readU32be(bytes, at + IPV6_FRAGMENT_FIELD.IDENTIFICATION),
        atomic,
      };
      if (!atomic) {
        // What follows is a piece of the fragmentable part; its headers can only be read after reassembly.
        return { protocol: headerNext, offset: at + length, headers, fragment, error: undefined };
      }
    }
    nh = headerNext;
    at += length;
  }
}

function endError(at: number, length: number, datagramEnd: number, capturedEnd: number, baseOffset: number, what: string): DecodeError {
  if (datagramEnd - at < length) {
    return makeError('malformed', baseOffset + at, `${what} runs past the end of the datagram (${Math.max(0, datagramEnd - at)} bytes left)`);
  }
  const actual = Math.max(0, capturedEnd - at);
  return { kind: 'truncated', layer: 'ipv6', offset: baseOffset + at, required: length, actual, message: `${what} needs ${length} bytes, only ${actual} captured` };
}

function makeError(kind: DecodeError['kind'], offset: number, message: string): DecodeError {
  return { kind, layer: 'ipv6', offset, message };
}

/**
 * Ipv6View is a bounds-checked view over an IPv6 datagram, with its extension headers walked.
 *
 * The view is valid once the fixed 40-byte header is; a broken extension header is reported in
 * `extensionError` (the addresses are still good), and `protocol`/`headerLength` then point at it.
 */
export class Ipv6View {
  /** The datagram: fixed header plus payload, trimmed to 40 + Payload Length (or everything captured, when snapped or TSO). */
  readonly bytes: Uint8Array;
  /** Datagram length in bytes: 40 + Payload Length, or the captured length for TSO, or the wire length when overlong. */
  readonly totalLength: number;
  readonly lengthStatus: IpLengthStatus;
  /** Bytes before the upper-layer header: 40 plus the extension headers walked. */
  readonly headerLength: number;
  /** Upper-layer protocol (see Ipv6ExtensionWalk.protocol). */
  readonly protocol: number;
  /** Extension header types in order. */
  readonly extensionHeaders: readonly number[];
  readonly fragment: Ipv6Fragment | undefined;
  readonly extensionError: DecodeError | undefined;
  /** Offset of this header from the start of the packet, added to error offsets. */
  readonly baseOffset: number;

  private constructor(bytes: Uint8Array, totalLength: number, lengthStatus: IpLengthStatus, walk: Ipv6ExtensionWalk, baseOffset: number) {
    this.bytes = bytes;
    this.totalLength = totalLength;
    this.lengthStatus = lengthStatus;
    this.headerLength = walk.offset;
    this.protocol = walk.protocol;
    this.extensionHeaders = walk.headers;
    this.fragment = walk.fragment;
    this.extensionError = walk.error;
    this.baseOffset = baseOffset;
  }

  /**
   * tryFrom checks `bytes` (starting at the IPv6 header, `baseOffset` bytes into the packet) and walks its extension headers.
   *
   * `wireLength` is as for Ipv4View.tryFrom: a Payload Length beyond it is `overlong`, not a snap.
   */
  static tryFrom(bytes: Uint8Array, baseOffset = 0, wireLength = Number.POSITIVE_INFINITY): Decoded<Ipv6View> {
    const captured = bytes.length;
    if (captured < IPV6_HEADER_LENGTH) return truncated('ipv6', baseOffset, IPV6_HEADER_LENGTH, captured, 'IPv6 header');
    const version = bytes[0]! >> 4;
    if (version !== 6) return malformed('ipv6', baseOffset, `IPv6 version field is ${version}, not 6`);
    const payloadLength = readU16be(bytes, IPV6_FIELD.PAYLOAD_LENGTH);
    const nextHeader = bytes[IPV6_FIELD.NEXT_HEADER]!;
    let totalLength = IPV6_HEADER_LENGTH + payloadLength;
    let status: IpLengthStatus;
    if (payloadLength === 0 && nextHeader === IpProtocol.HOP_BY_HOP) {
      // RFC 2675: a zero Payload Length with a hop-by-hop header announces a jumbogram (> 65535 bytes).
      return fail({
        kind: 'unsupported',
        layer: 'ipv6',
        offset: baseOffset + IPV6_FIELD.PAYLOAD_LENGTH,
        message: 'IPv6 jumbogram (payload length 0 with a hop-by-hop header, RFC 2675) not decoded',
      });
    } else if (payloadLength === 0 && nextHeader !== IpProtocol.NO_NEXT_HEADER && captured > IPV6_HEADER_LENGTH) {
      // Any other next header needs payload bytes, so 0 is not the real length: like IPv4's TSO case, the
      // packet was captured before segmentation offload (Linux "BIG TCP" GSO packets look like this).
      totalLength = captured;
      status = 'tso';
    } else if (totalLength < captured) {
      status = 'padded';
    } else if (totalLength > wireLength) {
      totalLength = Math.max(wireLength, captured);
      status = 'overlong';
    } else if (totalLength > captured) {
      status = 'snapped';
    } else {
      status = 'exact';
    }
    const view = totalLength < captured ? bytes.subarray(0, totalLength) : bytes;
    const walk = walkIpv6Extensions(view, IPV6_HEADER_LENGTH, nextHeader, totalLength, view.length, baseOffset, true);
    return ok(new Ipv6View(view, totalLength, status, walk, baseOffset));
  }

  get trafficClass(): number {
    return (readU16be(this.bytes, IPV6_FIELD.VERSION_CLASS_FLOW) >> 4) & 0xff;
  }
  get flowLabel(): number {
    return readU32be(this.bytes, IPV6_FIELD.VERSION_CLASS_FLOW) & 0x000fffff;
  }
  /** Payload Length field as written (extension headers included). */
  get payloadLengthField(): number {
    return readU16be(this.bytes, IPV6_FIELD.PAYLOAD_LENGTH);
  }
  /** Next Header field of the fixed header (the first extension header, if any). */
  get nextHeader(): number {
    return this.bytes[IPV6_FIELD.NEXT_HEADER]!;
  }
  get hopLimit(): number {
    return this.bytes[IPV6_FIELD.HOP_LIMIT]!;
  }
  /** Source address in RFC 5952 form. */
  get src(): string {
    return formatIpv6(this.bytes, IPV6_FIELD.SRC);
  }
  /** Destination address in RFC 5952 form. */
  get dst(): string {
    return formatIpv6(this.bytes, IPV6_FIELD.DST);
  }
  /** Upper-layer length in bytes according to the header; may exceed `payload.length` when the capture was snapped. */
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }
  /** The captured bytes after the extension headers. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLength);
  }
}

/**
 * formatIpv6 formats the 16 bytes at `at` in the RFC 5952 canonical form.
 *
 * §4.1 no leading zeros; §4.2 "::" replaces the longest run of two or more zero groups (the first on a tie,
 * never a single group); §4.3 lowercase; §5 IPv4-mapped addresses end in dotted-quad (::ffff:192.0.2.1).
 */
export function formatIpv6(b: Uint8Array, at: number): string {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (b[at + 2 * i] === 0 && b[at + 2 * i + 1] === 0) {
      if (runStart < 0) runStart = i;
      const runLength = i - runStart + 1;
      if (runLength > bestLength) {
        bestStart = runStart;
        bestLength = runLength;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestStart === 0 && bestLength === 5 && b[at + 10] === 0xff && b[at + 11] === 0xff) {
    return '::ffff:' + formatIpv4(b, at + 12);
  }
  let text = '';
  let needColon = false;
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      needColon = false;
      continue;
    }
    if (needColon) text += ':';
    text += readU16be(b, at + 2 * i).toString(16);
    needColon = true;
  }
  return text;
}
