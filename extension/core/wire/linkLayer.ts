// SPDX-License-Identifier: MIT
//
// The result type shared by every link-layer decoder (ethernet.ts, linuxSll.ts,
// loopback.ts, nflog.ts, ieee80211.ts, link.ts). It lives in its own file so
// those decoders and the `decodeLink` dispatcher do not import each other.

/** LinkType holds the LINKTYPE_ numbers (tcpdump.org/linktypes.html) that `decodeLink` understands. */
export const LinkType = {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  NULL: 0,
  ETHERNET: 1,
  /** DLT_RAW as numbered on OpenBSD (12); LINKTYPE_RAW (101) is the portable number. */
  RAW_12: 12,
  /** DLT_RAW as numbered on BSD/OS (14). */
  RAW_14: 14,
  RAW: 101,
  IEEE802_11: 105,
  /** OpenBSD loopback: like NULL but the address family is in network byte order. */
  LOOP: 108,
  LINUX_SLL: 113,
  IEEE802_11_RADIOTAP: 127,
  PPI: 192,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  LINUX_SLL2: 276,
} as const;

/** NetworkKind is what the link layer says follows it. */
export type NetworkKind = 'ipv4' | 'ipv6' | 'other';

/** LinkLayer is where a packet's network layer starts and ends and what the link layer says it is. */
export interface LinkLayer {
  /** LINKTYPE_ that was decoded: the record's own, or the inner one for PPI. */
  linkType: number;
  network: NetworkKind;
  /** Byte offset of the network-layer header from the start of the packet (may equal `networkEnd` when nothing follows). */
  networkOffset: number;
  /** Byte offset just past the network-layer bytes: the captured length, less trailers the link layer delimits (NFLOG TLVs, an 802.11 FCS, the PPPoE length). */
  networkEnd: number;
  /** EtherType (Ethernet, SLL, SLL2, 802.11 SNAP) that selected the network layer, after VLAN tags (0x8864 for PPPoE); for SLL, values below 0x0600 are Linux `ETH_P_` pseudo-protocols. */
  etherType: number | undefined;
  /** Address family (BSD loopback, NFLOG) that selected the network layer. */
  addressFamily: number | undefined;
  /** 802.1Q/802.1ad VLAN ids, outermost first; empty when untagged. */
  vlanIds: readonly number[];
}

/** NO_VLANS is the shared empty VLAN list, so untagged packets allocate nothing for it. */
export const NO_VLANS: readonly number[] = Object.freeze([]);

/** makeLinkLayer builds a LinkLayer with every property set in one order, so V8 sees a single object shape. */
export function makeLinkLayer(
  linkType: number,
  network: NetworkKind,
  networkOffset: number,
  networkEnd: number,
  etherType: number | undefined,
  addressFamily: number | undefined,
  vlanIds: readonly number[],
): LinkLayer {
  return { linkType, network, networkOffset, networkEnd, etherType, addressFamily, vlanIds };
}
