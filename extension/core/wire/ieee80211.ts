// SPDX-License-Identifier: MIT
//
// IEEE 802.11 data frames (LINKTYPE_IEEE802_11, 105) and the radiotap header
// that often precedes them (LINKTYPE_IEEE802_11_RADIOTAP, 127). Only what is
// needed to reach an IP packet is decoded: unencrypted data frames whose body
// starts with LLC/SNAP (RFC 1042). Management and control frames, null-data
// frames, protected (encrypted) frames and A-MSDUs are not decoded.

import type { Decoded } from './decoded.js';
import { fail, malformed, ok, truncated } from './decoded.js';
import { readU16le, readU32le } from './bytes.js';
import { decodeLlc } from './ethernet.js';
import type { LinkLayer } from './linkLayer.js';
import { LinkType, NO_VLANS, makeLinkLayer } from './linkLayer.js';

/** IEEE80211_FIELD holds byte offsets within an 802.11 MAC header (IEEE 802.11-2020 §9.3.2.1). */
export const IEEE80211_FIELD = {
  FRAME_CONTROL: 0,
  FLAGS: 1,
  DURATION: 2,
  ADDR1: 4,
  ADDR2: 10,
  ADDR3: 16,
  SEQUENCE_CONTROL: 22,
  /** Present only when both To DS and From DS are set (WDS/mesh). */
  ADDR4: 24,
} as const;

/** RADIOTAP_FIELD holds byte offsets within the fixed part of a radiotap header (radiotap.org), little-endian. */
export const RADIOTAP_FIELD = { VERSION: 0, PAD: 1, LENGTH: 2, PRESENT: 4, FIELDS: 8 } as const;

const FC_TYPE_DATA = 2;
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80;
const SUBTYPE_QOS = 0x8;
const SUBTYPE_NO_DATA = 0x4;
const QOS_AMSDU_PRESENT = 0x80;
const BASE_HEADER_LENGTH = 24;
const FCS_LENGTH = 4;

/** Radiotap present-bitmap bits and Flags-field bits used here. */
const RT_PRESENT_TSFT = 1 << 0;
const RT_PRESENT_FLAGS = 1 << 1;
const RT_PRESENT_EXT = 1 << 31;
const RT_FLAG_DATAPAD = 0x20;
const RT_FLAG_FCS = 0x10;

/**
 * decodeIeee80211 decodes an 802.11 MAC header at `start` and the LLC/SNAP header of a data frame.
 *
 * `end` excludes a trailing FCS when the caller knows there is one; `dataPad` says the header is
 * padded to a 4-byte boundary (radiotap Flags DATAPAD).
 */
export function decodeIeee80211(
  bytes: Uint8Array,
  start: number,
  end: number,
  linkType: number = LinkType.IEEE802_11,
  dataPad = false,
): Decoded<LinkLayer> {
  if (end - start < 2) return truncated('ieee80211', start, 2, Math.max(0, end - start), '802.11 frame control');
  const fc = bytes[start]!;
  const flags = bytes[start + IEEE80211_FIELD.FLAGS]!;
  if ((fc & 0x03) !== 0) return malformed('ieee80211', start, `802.11 protocol version ${fc & 0x03} is not 0`);
  const type = (fc >> 2) & 0x03;
  const subtype = fc >> 4;
  if (type !== FC_TYPE_DATA || (subtype & SUBTYPE_NO_DATA) !== 0) {
    // Management, control and null-data frames carry no network layer.
    return ok(makeLinkLayer(linkType, 'other', start, end, undefined, undefined, NO_VLANS));
  }
  let headerLength = BASE_HEADER_LENGTH;
  if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) headerLength += 6;
  const qosAt = start + headerLength;
  if ((subtype & SUBTYPE_QOS) !== 0) {
    headerLength += 2;
    // The HT Control field follows QoS Control when the Order bit is set in a QoS data frame.
    if ((flags & FLAG_ORDER) !== 0) headerLength += 4;
  }
  if (dataPad) headerLength = (headerLength + 3) & ~3;
  if (end - start < headerLength) return truncated('ieee80211', start, headerLength, end - start, '802.11 data header');
  if ((flags & FLAG_PROTECTED) !== 0) {
    return fail({ kind: 'unsupported', layer: 'ieee80211', offset: start + IEEE80211_FIELD.FLAGS, message: 'protected (encrypted) 802.11 data frame not decoded' });
  }
  if ((subtype & SUBTYPE_QOS) !== 0 && (bytes[qosAt]! & QOS_AMSDU_PRESENT) !== 0) {
    return fail({ kind: 'unsupported', layer: 'ieee80211', offset: qosAt, message: '802.11 A-MSDU aggregate not decoded' });
  }
  return decodeLlc(bytes, start + headerLength, end, linkType);
}

/**
 * decodeRadiotap decodes a radiotap header at `start` and the 802.11 frame after it, honouring the FCS and DATAPAD flags.
 *
 * `wireLength` is the packet's original length: the FCS is only dropped when it was captured.
 */
export function decodeRadiotap(
  bytes: Uint8Array,
  start: number,
  wireLength: number = bytes.length,
  linkType: number = LinkType.IEEE802_11_RADIOTAP,
): Decoded<LinkLayer> {
  const available = bytes.length - start;
  if (available < RADIOTAP_FIELD.FIELDS) return truncated('radiotap', start, RADIOTAP_FIELD.FIELDS, available, 'radiotap header');
  const version = bytes[start]!;
  if (version !== 0) return malformed('radiotap', start, `radiotap version ${version} is not 0`);
  const length = readU16le(bytes, start + RADIOTAP_FIELD.LENGTH);
  if (length < RADIOTAP_FIELD.FIELDS) {
    return malformed('radiotap', start + RADIOTAP_FIELD.LENGTH, `radiotap length ${length} is below the 8-byte minimum`);
  }
  if (available < length) return truncated('radiotap', start, length, available, 'radiotap header');
  const present = readU32le(bytes, start + RADIOTAP_FIELD.PRESENT);
  let flags = 0;
  if ((present & RT_PRESENT_FLAGS) !== 0) {
    // Fields start after the chain of present words; TSFT (8 bytes, 8-aligned) is the only field before Flags.
    let at = RADIOTAP_FIELD.PRESENT;
    while (at + 4 <= length && (readU32le(bytes, start + at) & RT_PRESENT_EXT) !== 0) at += 4;
    at += 4;
    if ((present & RT_PRESENT_TSFT) !== 0) at = ((at + 7) & ~7) + 8;
    if (at < length) flags = bytes[start + at]!;
  }
  const end = (flags & RT_FLAG_FCS) !== 0 ? endBeforeFcs(bytes.length, wireLength, start + length) : bytes.length;
  return decodeIeee80211(bytes, start + length, end, linkType, (flags & RT_FLAG_DATAPAD) !== 0);
}

/** endBeforeFcs returns where the frame body ends when a 4-byte FCS trails it: the FCS is only in the capture if nothing was snapped. */
export function endBeforeFcs(capturedLength: number, wireLength: number, bodyStart: number): number {
  if (capturedLength < wireLength) return capturedLength;
  return Math.max(bodyStart, capturedLength - FCS_LENGTH);
}
