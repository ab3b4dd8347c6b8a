// SPDX-License-Identifier: MIT
//
// BSD loopback encapsulation: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108). A
// 4-byte address family precedes the packet. For NULL it is in the byte order
// of the host that captured, which the file does not record, so the order is
// detected by value: address families are small, so a value above 0xFFFF must
// be byte-swapped. LOOP is specified as network byte order, but the same
// detection is applied because some writers got it wrong and it costs nothing.

import type { Decoded } from './decoded.js';
import { ok, truncated } from './decoded.js';
import { readU32be, readU32le } from './bytes.js';
import type { LinkLayer, NetworkKind } from './linkLayer.js';
import { NO_VLANS, makeLinkLayer } from './linkLayer.js';

/** LOOPBACK_FIELD holds byte offsets within the 4-byte BSD loopback header. */
export const LOOPBACK_FIELD = { ADDRESS_FAMILY: 0, PAYLOAD: 4 } as const;

/** BsdAddressFamily holds the AF_ values found in loopback headers; AF_INET6 differs per OS (tcpdump.org LINKTYPE_NULL). */
export const BsdAddressFamily = {
  INET: 2,
  /** Linux AF_INET6 (also NFLOG's family). */
  INET6_LINUX: 10,
  /** NetBSD, OpenBSD, BSD/OS. */
  INET6_BSD: 24,
  INET6_FREEBSD: 28,
  /** macOS/iOS. */
  INET6_DARWIN: 30,
} as const;

/** networkForAddressFamily maps an AF_ value to the network layer it announces. */
export function networkForAddressFamily(family: number): NetworkKind {
  if (family === BsdAddressFamily.INET) return 'ipv4';
  if (
    family === BsdAddressFamily.INET6_LINUX ||
    family === BsdAddressFamily.INET6_BSD ||
    family === BsdAddressFamily.INET6_FREEBSD ||
    family === BsdAddressFamily.INET6_DARWIN
  ) {
    return 'ipv6';
  }
  return 'other';
}

/** decodeLoopback decodes a BSD loopback header at `start`; `networkOrder` is true for LINKTYPE_LOOP. */
export function decodeLoopback(bytes: Uint8Array, start: number, linkType: number, networkOrder: boolean): Decoded<LinkLayer> {
  const available = bytes.length - start;
  if (available < LOOPBACK_FIELD.PAYLOAD) {
    return truncated('loopback', start, LOOPBACK_FIELD.PAYLOAD, available, 'loopback address family');
  }
  let family = networkOrder ? readU32be(bytes, start) : readU32le(bytes, start);
  if (family > 0xffff) family = networkOrder ? readU32le(bytes, start) : readU32be(bytes, start);
  const network = networkForAddressFamily(family);
  return ok(makeLinkLayer(linkType, network, start + LOOPBACK_FIELD.PAYLOAD, bytes.length, undefined, family, NO_VLANS));
}
