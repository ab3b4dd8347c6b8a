// SPDX-License-Identifier: MIT
//
// Ethernet II / IEEE 802.3 framing, 802.1Q/802.1ad VLAN tag stacks,
// 802.2 LLC/SNAP, and PPPoE sessions (pppoe.ts). The EtherType walk is shared with Linux cooked capture and
// 802.11, whose headers also end in an EtherType or an LLC header.

import type { Decoded } from './decoded.js';
import { ok, truncated } from './decoded.js';
import { readU16be } from './bytes.js';
import type { LinkLayer } from './linkLayer.js';
import { LinkType, NO_VLANS, makeLinkLayer } from './linkLayer.js';
import { decodePppoeSession } from './pppoe.js';

/** EtherType holds the EtherType values the decoders act on. */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  /** IEEE 802.1Q customer VLAN tag. */
  VLAN: 0x8100,
  IPV6: 0x86dd,
  /** IEEE 802.1ad service VLAN tag (QinQ outer tag). */
  QINQ: 0x88a8,
  /** Pre-standard QinQ outer tag used by some switches. */
  QINQ_LEGACY: 0x9100,
  /** PPPoE session stage (RFC 2516). */
  PPPOE_SESSION: 0x8864,
} as const;

/** ETHERNET_FIELD holds byte offsets within an Ethernet II header. */
export const ETHERNET_FIELD = { DST: 0, SRC: 6, ETHER_TYPE: 12, PAYLOAD: 14 } as const;

/** VLAN_FIELD holds byte offsets within the 4 bytes that follow an 802.1Q TPID (the EtherType 0x8100 that announced the tag). */
export const VLAN_FIELD = { TCI: 0, ETHER_TYPE: 2, PAYLOAD: 4 } as const;

/** LLC_SNAP_FIELD holds byte offsets within an 802.2 LLC header with a SNAP extension. */
export const LLC_SNAP_FIELD = { DSAP: 0, SSAP: 1, CONTROL: 2, OUI: 3, ETHER_TYPE: 6, PAYLOAD: 8 } as const;

/** Largest 802.3 length field; EtherTypes start at 0x0600 and 1501..1535 are undefined (IEEE 802.3 §3.2.6). */
const MAX_8023_LENGTH = 1500;
/** Linux ETH_P_802_2: an SLL protocol value that means "an 802.2 LLC header follows". */
const SLL_P_802_2 = 0x0004;

/** decodeEthernet decodes an Ethernet II or 802.3 header at `start`, walking any VLAN tags. */
export function decodeEthernet(bytes: Uint8Array, start: number, linkType: number = LinkType.ETHERNET): Decoded<LinkLayer> {
  const available = bytes.length - start;
  if (available < ETHERNET_FIELD.PAYLOAD) {
    return truncated('ethernet', start, ETHERNET_FIELD.PAYLOAD, available, 'Ethernet header');
  }
  const etherType = readU16be(bytes, start + ETHERNET_FIELD.ETHER_TYPE);
  return decodeEtherTypeChain(bytes, etherType, start + ETHERNET_FIELD.PAYLOAD, bytes.length, linkType, 'length');
}

/**
 * decodeEtherTypeChain follows `etherType`, whose payload starts at `at`, through VLAN tags and LLC/SNAP to the network layer.
 *
 * `smallTypes` says what a value below 0x0600 means: an 802.3 length (Ethernet) or a Linux
 * `ETH_P_` pseudo-protocol (cooked capture), of which only ETH_P_802_2 is followed.
 */
export function decodeEtherTypeChain(
  bytes: Uint8Array,
  etherType: number,
  payloadAt: number,
  end: number,
  linkType: number,
  smallTypes: 'length' | 'sll',
): Decoded<LinkLayer> {
  let type = etherType;
  let at = payloadAt;
  let vlans: number[] | null = null;
  // Every iteration that continues consumes at least 4 bytes it has checked, so the loop ends.
  for (;;) {
    if (type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_LEGACY) {
      // IEEE 802.1Q §9.6: TCI = PCP(3) DEI(1) VID(12), then the inner EtherType.
      if (end - at < VLAN_FIELD.PAYLOAD) {
        return truncated('vlan', at, VLAN_FIELD.PAYLOAD, Math.max(0, end - at), '802.1Q VLAN tag');
      }
      if (vlans === null) vlans = [];
      vlans.push(readU16be(bytes, at + VLAN_FIELD.TCI) & 0x0fff);
      type = readU16be(bytes, at + VLAN_FIELD.ETHER_TYPE);
      at += VLAN_FIELD.PAYLOAD;
      continue;
    }
    if (type === EtherType.IPV4) return ok(makeLinkLayer(linkType, 'ipv4', at, end, type, undefined, vlans ?? NO_VLANS));
    if (type === EtherType.IPV6) return ok(makeLinkLayer(linkType, 'ipv6', at, end, type, undefined, vlans ?? NO_VLANS));
    if (type === EtherType.PPPOE_SESSION) {
      const session = decodePppoeSession(bytes, at, end);
      if (!session.ok) return session;
      const { network, payloadOffset, payloadEnd } = session.value;
      return ok(makeLinkLayer(linkType, network, payloadOffset, payloadEnd, type, undefined, vlans ?? NO_VLANS));
    }
    const isLlc = smallTypes === 'length' ? type <= MAX_8023_LENGTH : type === SLL_P_802_2;
    if (isLlc) {
      const snapType = readSnapEtherType(bytes, at, end);
      if (snapType >= 0) {
        type = snapType;
        at += LLC_SNAP_FIELD.PAYLOAD;
        continue;
      }
      // Plain 802.2 LLC (STP, NetBIOS, IPX...): not IP, nothing more to decode.
      return ok(makeLinkLayer(linkType, 'other', at, end, undefined, undefined, vlans ?? NO_VLANS));
    }
    return ok(makeLinkLayer(linkType, 'other', at, end, type, undefined, vlans ?? NO_VLANS));
  }
}

/** decodeLlc decodes an 802.2 LLC header at `at` (as in 802.11 data frames): SNAP leads on to an EtherType, anything else is "other". */
export function decodeLlc(bytes: Uint8Array, at: number, end: number, linkType: number): Decoded<LinkLayer> {
  const snapType = readSnapEtherType(bytes, at, end);
  if (snapType < 0) return ok(makeLinkLayer(linkType, 'other', at, end, undefined, undefined, NO_VLANS));
  // Continue the chain from the SNAP EtherType so VLAN tags inside SNAP are walked too.
  return decodeEtherTypeChain(bytes, snapType, at + LLC_SNAP_FIELD.PAYLOAD, end, linkType, 'length');
}

/**
 * readSnapEtherType returns the EtherType of an LLC/SNAP header at `at`, or -1 if there is none.
 * RFC 1042: DSAP = SSAP = 0xAA, control 0x03 (UI), OUI 00-00-00; 802.1H bridge tunnel uses OUI 00-00-F8.
 */
function readSnapEtherType(bytes: Uint8Array, at: number, end: number): number {
  if (end - at < LLC_SNAP_FIELD.PAYLOAD) return -1;
  if (bytes[at] !== 0xaa || bytes[at + 1] !== 0xaa || bytes[at + 2] !== 0x03) return -1;
  if (bytes[at + 3] !== 0 || bytes[at + 4] !== 0) return -1;
  const oui3 = bytes[at + 5];
  if (oui3 !== 0x00 && oui3 !== 0xf8) return -1;
  return readU16be(bytes, at + LLC_SNAP_FIELD.ETHER_TYPE);
}
