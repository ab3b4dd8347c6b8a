// SPDX-License-Identifier: MIT
//
// Per-Packet Information header, LINKTYPE_PPI (192): a little-endian wrapper
// that names the link type of the frame after it (usually 802.11). Defined by
// the "Per-Packet Information Header Specification" v1.0.10 (CACE
// Technologies, 2007). Only the outer header and the 802.11-common field's
// FCS flag are read; `decodeLink` recurses on the inner link type.

import type { Decoded } from './decoded.js';
import { malformed, ok, truncated } from './decoded.js';
import { readU16le, readU32le } from './bytes.js';

/** PPI_FIELD holds byte offsets within the 8-byte PPI packet header (all little-endian). */
export const PPI_FIELD = { VERSION: 0, FLAGS: 1, LENGTH: 2, DLT: 4, FIELDS: 8 } as const;

/** PPI_FIELD_HEADER holds byte offsets within one PPI field header that precedes each field's data. */
export const PPI_FIELD_HEADER = { TYPE: 0, LENGTH: 2, DATA: 4 } as const;

/** PPI field type 2: 802.11-Common; its flags word at data offset 8 has bit 0 "FCS present". */
const PPI_80211_COMMON = 2;
const COMMON_FLAGS_OFFSET = 8;
const COMMON_FLAG_FCS = 0x0001;

/** PpiHeader is what the PPI header says about the frame that follows it. */
export interface PpiHeader {
  /** Bytes of PPI header (and fields) before the inner frame. */
  headerLength: number;
  /** LINKTYPE_ of the inner frame. */
  innerLinkType: number;
  /** True when an 802.11-Common field says the inner frame ends with a 4-byte FCS. */
  fcsPresent: boolean;
}

/** decodePpi decodes a PPI header at `start`. */
export function decodePpi(bytes: Uint8Array, start: number): Decoded<PpiHeader> {
  const available = bytes.length - start;
  if (available < PPI_FIELD.FIELDS) return truncated('ppi', start, PPI_FIELD.FIELDS, available, 'PPI header');
  const version = bytes[start]!;
  if (version !== 0) return malformed('ppi', start, `PPI version ${version} is not 0`);
  const headerLength = readU16le(bytes, start + PPI_FIELD.LENGTH);
  if (headerLength < PPI_FIELD.FIELDS) {
    return malformed('ppi', start + PPI_FIELD.LENGTH, `PPI header length ${headerLength} is below the 8-byte minimum`);
  }
  if (available < headerLength) return truncated('ppi', start, headerLength, available, 'PPI header');
  const innerLinkType = readU32le(bytes, start + PPI_FIELD.DLT);
  // Flags bit 0: fields are padded to 32-bit boundaries.
  const aligned = (bytes[start + PPI_FIELD.FLAGS]! & 0x01) !== 0;
  let fcsPresent = false;
  // Walk the fields; a field running past the header just ends the walk (the FCS flag is advisory).
  let at = start + PPI_FIELD.FIELDS;
  const end = start + headerLength;
  while (end - at >= PPI_FIELD_HEADER.DATA) {
    const type = readU16le(bytes, at);
    const length = readU16le(bytes, at + PPI_FIELD_HEADER.LENGTH);
    const data = at + PPI_FIELD_HEADER.DATA;
    if (end - data < length) break;
    if (type === PPI_80211_COMMON && length >= COMMON_FLAGS_OFFSET + 2) {
      fcsPresent = (readU16le(bytes, data + COMMON_FLAGS_OFFSET) & COMMON_FLAG_FCS) !== 0;
    }
    at = data + length;
    if (aligned) at = start + ((at - start + 3) & ~3);
  }
  return ok({ headerLength, innerLinkType, fcsPresent });
}
