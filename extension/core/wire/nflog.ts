// SPDX-License-Identifier: MIT
//
// Linux netfilter log messages, LINKTYPE_NFLOG (239), per
// tcpdump.org/linktypes/LINKTYPE_NFLOG.html: a 4-byte nfgenmsg header (family,
// version, big-endian resource id) and then TLVs whose length and type are in
// the byte order of the host that captured. libpcap swaps them when reading a
// foreign-endian file, but we read the file's raw bytes and are not told the
// writer's order, so it is detected from the first TLV: TLV types are small
// (NFULA_* < 0x100), so the order that yields a small type is the right one.
// Each TLV's length includes its 4-byte header and is padded to 4 bytes.

import type { Decoded } from './decoded.js';
import { fail, malformed, ok, truncated } from './decoded.js';
import { readU16be, readU16le } from './bytes.js';
import type { LinkLayer } from './linkLayer.js';
import { LinkType, NO_VLANS, makeLinkLayer } from './linkLayer.js';
import { networkForAddressFamily } from './loopback.js';

/** NFLOG_FIELD holds byte offsets within the 4-byte NFLOG header. */
export const NFLOG_FIELD = { FAMILY: 0, VERSION: 1, RESOURCE_ID: 2, TLVS: 4 } as const;

/** NFLOG_TLV_FIELD holds byte offsets within one NFLOG TLV. */
export const NFLOG_TLV_FIELD = { LENGTH: 0, TYPE: 2, VALUE: 4 } as const;

/** NFULA_PAYLOAD is the TLV type that carries the logged packet, starting at its network header. */
export const NFULA_PAYLOAD = 9;

/** Bits 15 (NLA_F_NESTED) and 14 (NLA_F_NET_BYTEORDER) of a netlink attribute type are flags, not type. */
const NLA_TYPE_MASK = 0x3fff;

/** decodeNflog decodes an NFLOG header and TLV list at `start`; the network layer is the NFULA_PAYLOAD value. */
export function decodeNflog(bytes: Uint8Array, start: number, linkType: number = LinkType.NFLOG): Decoded<LinkLayer> {
  const end = bytes.length;
  if (end - start < NFLOG_FIELD.TLVS) return truncated('nflog', start, NFLOG_FIELD.TLVS, end - start, 'NFLOG header');
  const version = bytes[start + NFLOG_FIELD.VERSION]!;
  if (version !== 0) {
    return fail({ kind: 'unsupported', layer: 'nflog', offset: start + NFLOG_FIELD.VERSION, message: `NFLOG version ${version} not decoded (only version 0 exists)` });
  }
  const family = bytes[start + NFLOG_FIELD.FAMILY]!;
  let at = start + NFLOG_FIELD.TLVS;
  let littleEndian = true;
  if (end - at >= 4) {
    const leType = readU16le(bytes, at + NFLOG_TLV_FIELD.TYPE) & NLA_TYPE_MASK;
    const beType = readU16be(bytes, at + NFLOG_TLV_FIELD.TYPE) & NLA_TYPE_MASK;
    littleEndian = leType < 0x100 || beType >= 0x100;
  }
  while (end - at >= 4) {
    const tlvLength = littleEndian ? readU16le(bytes, at) : readU16be(bytes, at);
    const type = (littleEndian ? readU16le(bytes, at + NFLOG_TLV_FIELD.TYPE) : readU16be(bytes, at + NFLOG_TLV_FIELD.TYPE)) & NLA_TYPE_MASK;
    if (tlvLength < 4) return malformed('nflog', at, `NFLOG TLV length ${tlvLength} is below the 4-byte TLV header`);
    if (type === NFULA_PAYLOAD) {
      // A snapped capture cuts the payload TLV short; the IP layer reports that, not us.
      const payloadEnd = Math.min(at + tlvLength, end);
      const network = networkForAddressFamily(family);
      return ok(makeLinkLayer(linkType, network, at + NFLOG_TLV_FIELD.VALUE, payloadEnd, undefined, family, NO_VLANS));
    }
    if (end - at < tlvLength) return truncated('nflog', at, tlvLength, end - at, `NFLOG TLV type ${type}`);
    at += (tlvLength + 3) & ~3;
  }
  // No payload TLV (e.g. logged with a zero copy range): nothing to decode above the link layer.
  return ok(makeLinkLayer(linkType, 'other', end, end, undefined, family, NO_VLANS));
}
