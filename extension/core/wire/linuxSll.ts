// SPDX-License-Identifier: MIT
//
// Linux "cooked" capture headers, written by libpcap for the `any` device and
// for interfaces without a usable link header: SLL (LINKTYPE_LINUX_SLL, 113)
// and SLL2 (LINKTYPE_LINUX_SLL2, 276). See tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html
// and LINKTYPE_LINUX_SLL2.html. The address-length field is not trusted: the
// address field is always 8 bytes (captures with bogus lengths exist).

import type { Decoded } from './decoded.js';
import { ok, truncated } from './decoded.js';
import { readU16be } from './bytes.js';
import { decodeEtherTypeChain } from './ethernet.js';
import type { LinkLayer } from './linkLayer.js';
import { LinkType, NO_VLANS, makeLinkLayer } from './linkLayer.js';

/** SLL_FIELD holds byte offsets within a 16-byte Linux cooked (v1) header. */
export const SLL_FIELD = { PACKET_TYPE: 0, ARPHRD_TYPE: 2, ADDRESS_LENGTH: 4, ADDRESS: 6, PROTOCOL: 14, PAYLOAD: 16 } as const;

/** SLL2_FIELD holds byte offsets within a 20-byte Linux cooked v2 header. */
export const SLL2_FIELD = {
  PROTOCOL: 0,
  RESERVED: 2,
  INTERFACE_INDEX: 4,
  ARPHRD_TYPE: 8,
  PACKET_TYPE: 10,
  ADDRESS_LENGTH: 11,
  ADDRESS: 12,
  PAYLOAD: 20,
} as const;

/** ARPHRD_NETLINK: the protocol field holds a netlink family, not an EtherType. */
const ARPHRD_NETLINK = 824;

/** decodeLinuxSll decodes a Linux cooked (v1) header at `start`. */
export function decodeLinuxSll(bytes: Uint8Array, start: number, linkType: number = LinkType.LINUX_SLL): Decoded<LinkLayer> {
  const available = bytes.length - start;
  if (available < SLL_FIELD.PAYLOAD) return truncated('sll', start, SLL_FIELD.PAYLOAD, available, 'Linux cooked header');
  if (readU16be(bytes, start + SLL_FIELD.ARPHRD_TYPE) === ARPHRD_NETLINK) {
    return ok(makeLinkLayer(linkType, 'other', start + SLL_FIELD.PAYLOAD, bytes.length, undefined, undefined, NO_VLANS));
  }
  const protocol = readU16be(bytes, start + SLL_FIELD.PROTOCOL);
  return decodeEtherTypeChain(bytes, protocol, start + SLL_FIELD.PAYLOAD, bytes.length, linkType, 'sll');
}

/** decodeLinuxSll2 decodes a Linux cooked v2 header at `start`; the protocol comes first and the payload at 20. */
export function decodeLinuxSll2(bytes: Uint8Array, start: number, linkType: number = LinkType.LINUX_SLL2): Decoded<LinkLayer> {
  const available = bytes.length - start;
  if (available < SLL2_FIELD.PAYLOAD) return truncated('sll2', start, SLL2_FIELD.PAYLOAD, available, 'Linux cooked v2 header');
  if (readU16be(bytes, start + SLL2_FIELD.ARPHRD_TYPE) === ARPHRD_NETLINK) {
    return ok(makeLinkLayer(linkType, 'other', start + SLL2_FIELD.PAYLOAD, bytes.length, undefined, undefined, NO_VLANS));
  }
  const protocol = readU16be(bytes, start + SLL2_FIELD.PROTOCOL);
  return decodeEtherTypeChain(bytes, protocol, start + SLL2_FIELD.PAYLOAD, bytes.length, linkType, 'sll');
}
