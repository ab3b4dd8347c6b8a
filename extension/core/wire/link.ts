// SPDX-License-Identifier: MIT
//
// decodeLink: from a record's LINKTYPE_ to where its network layer starts.
// Each link type's header is decoded in its own file; raw-IP link types,
// which have no header, are handled here.

import type { Decoded } from './decoded.js';
import { fail, malformed, ok, truncated } from './decoded.js';
import { decodeEthernet } from './ethernet.js';
import { decodeIeee80211, decodeRadiotap, endBeforeFcs } from './ieee80211.js';
import type { LinkLayer } from './linkLayer.js';
import { LinkType, NO_VLANS, makeLinkLayer } from './linkLayer.js';
import { decodeLinuxSll, decodeLinuxSll2 } from './linuxSll.js';
import { decodeLoopback } from './loopback.js';
import { decodeNflog } from './nflog.js';
import { decodePpi } from './ppi.js';

// Re-exported so that callers of decodeLink need only this module.
export type { LinkLayer, NetworkKind } from './linkLayer.js';
export { LinkType } from './linkLayer.js';

/**
 * decodeLink is the link-layer dispatcher: it finds where the network layer of `bytes` starts and what it is.
 *
 * `wireLength` is the record's original length; it only matters for trailers (an 802.11 FCS) that are
 * dropped when they were captured. A link type that is not decoded yields an `unsupported` error on
 * layer `link` whose message names the number, so the caller can warn once per link type.
 */
export function decodeLink(linkType: number, bytes: Uint8Array, wireLength: number = bytes.length): Decoded<LinkLayer> {
  return decodeLinkAt(linkType, bytes, 0, wireLength, false);
}

function decodeLinkAt(linkType: number, bytes: Uint8Array, start: number, wireLength: number, insidePpi: boolean): Decoded<LinkLayer> {
  switch (linkType) {
    case LinkType.ETHERNET:
      return decodeEthernet(bytes, start, linkType);
    case LinkType.LINUX_SLL:
      return decodeLinuxSll(bytes, start, linkType);
    case LinkType.LINUX_SLL2:
      return decodeLinuxSll2(bytes, start, linkType);
    case LinkType.RAW:
    case LinkType.RAW_12:
    case LinkType.RAW_14:
      return decodeRawIp(bytes, start, linkType);
    case LinkType.IPV4:
      return ok(makeLinkLayer(linkType, 'ipv4', start, bytes.length, undefined, undefined, NO_VLANS));
    case LinkType.IPV6:
      return ok(makeLinkLayer(linkType, 'ipv6', start, bytes.length, undefined, undefined, NO_VLANS));
    case LinkType.NULL:
      return decodeLoopback(bytes, start, linkType, false);
    case LinkType.LOOP:
      return decodeLoopback(bytes, start, linkType, true);
    case LinkType.NFLOG:
      return decodeNflog(bytes, start, linkType);
    case LinkType.IEEE802_11:
      return decodeIeee80211(bytes, start, bytes.length, linkType);
    case LinkType.IEEE802_11_RADIOTAP:
      return decodeRadiotap(bytes, start, wireLength, linkType);
    case LinkType.PPI:
      if (!insidePpi) return decodePpiFrame(bytes, start, wireLength);
      return malformed('ppi', start, 'PPI header nested inside PPI');
    default:
      return fail({
        kind: 'unsupported',
        layer: 'link',
        offset: start,
        message: insidePpi ? `PPI inner link type ${linkType} not decoded` : `link type ${linkType} not decoded`,
      });
  }
}

function decodePpiFrame(bytes: Uint8Array, start: number, wireLength: number): Decoded<LinkLayer> {
  const ppi = decodePpi(bytes, start);
  if (!ppi.ok) return ppi;
  const { headerLength, innerLinkType, fcsPresent } = ppi.value;
  const innerStart = start + headerLength;
  if (innerLinkType === LinkType.IEEE802_11 && fcsPresent) {
    return decodeIeee80211(bytes, innerStart, endBeforeFcs(bytes.length, wireLength, innerStart), innerLinkType);
  }
  return decodeLinkAt(innerLinkType, bytes, innerStart, wireLength, true);
}

/** RFC 791 §3.1 / RFC 8200 §3: the first nibble is the IP version, which is all a raw-IP link type has to go on. */
function decodeRawIp(bytes: Uint8Array, start: number, linkType: number): Decoded<LinkLayer> {
  if (bytes.length - start < 1) return truncated('raw', start, 1, 0, 'raw IP version nibble');
  const version = bytes[start]! >> 4;
  if (version === 4) return ok(makeLinkLayer(linkType, 'ipv4', start, bytes.length, undefined, undefined, NO_VLANS));
  if (version === 6) return ok(makeLinkLayer(linkType, 'ipv6', start, bytes.length, undefined, undefined, NO_VLANS));
  return malformed('raw', start, `raw IP version nibble ${version} is neither 4 nor 6`);
}
