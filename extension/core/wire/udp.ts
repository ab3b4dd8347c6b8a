// SPDX-License-Identifier: MIT
//
// UDP header view (RFC 768). UDP is recognised and passed over: nothing above
// it is decoded here. The checksum is not verified.

import type { Decoded } from './decoded.js';
import { malformed, ok, truncated } from './decoded.js';
import { readU16be } from './bytes.js';

/** UDP_FIELD holds byte offsets within a UDP header (RFC 768). */
export const UDP_FIELD = { SRC_PORT: 0, DST_PORT: 2, LENGTH: 4, CHECKSUM: 6, PAYLOAD: 8 } as const;

/** UDP_HEADER_LENGTH is the fixed UDP header length. */
export const UDP_HEADER_LENGTH = 8;

/** UdpView is a bounds-checked view over a UDP header and the captured part of its payload. */
export class UdpView {
  /** Header plus captured payload, trimmed to the UDP length. */
  readonly bytes: Uint8Array;
  /** Offset of this header from the start of the packet, added to error offsets. */
  readonly baseOffset: number;

  private constructor(bytes: Uint8Array, baseOffset: number) {
    this.bytes = bytes;
    this.baseOffset = baseOffset;
  }

  /**
   * tryFrom checks a UDP datagram once and wraps it without copying.
   *
   * `segmentLength` is the IP payload length (defaults to what was captured); a UDP length field that
   * is below 8 or larger than it is malformed.
   */
  static tryFrom(bytes: Uint8Array, baseOffset = 0, segmentLength: number = bytes.length): Decoded<UdpView> {
    const captured = Math.min(bytes.length, segmentLength);
    if (captured < UDP_HEADER_LENGTH) {
      if (segmentLength < UDP_HEADER_LENGTH) {
        return malformed('udp', baseOffset, `IP payload of ${segmentLength} bytes is shorter than the ${UDP_HEADER_LENGTH}-byte UDP header`);
      }
      return truncated('udp', baseOffset, UDP_HEADER_LENGTH, captured, 'UDP header');
    }
    const length = readU16be(bytes, UDP_FIELD.LENGTH);
    if (length < UDP_HEADER_LENGTH) {
      return malformed('udp', baseOffset + UDP_FIELD.LENGTH, `UDP length ${length} is below the ${UDP_HEADER_LENGTH}-byte header`);
    }
    if (length > segmentLength) {
      return malformed('udp', baseOffset + UDP_FIELD.LENGTH, `UDP length ${length} exceeds the ${segmentLength}-byte IP payload`);
    }
    return ok(new UdpView(bytes.length > length ? bytes.subarray(0, length) : bytes, baseOffset));
  }

  get srcPort(): number {
    return readU16be(this.bytes, UDP_FIELD.SRC_PORT);
  }
  get dstPort(): number {
    return readU16be(this.bytes, UDP_FIELD.DST_PORT);
  }
  /** Length field: header plus payload bytes. */
  get length(): number {
    return readU16be(this.bytes, UDP_FIELD.LENGTH);
  }
  get checksum(): number {
    return readU16be(this.bytes, UDP_FIELD.CHECKSUM);
  }
  /** Payload length according to the header; may exceed `payload.length` when the capture was snapped. */
  get payloadLength(): number {
    return this.length - UDP_HEADER_LENGTH;
  }
  /** The captured payload bytes. */
  get payload(): Uint8Array {
    return this.bytes.subarray(UDP_HEADER_LENGTH);
  }
}
