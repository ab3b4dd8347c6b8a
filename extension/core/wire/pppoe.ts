// SPDX-License-Identifier: MIT
//
// PPPoE session stage (RFC 2516 §4/§5, EtherType 0x8864) and the PPP protocol
// field after it (RFC 1661 §2), as DSL routers capture on their WAN side.
// Discovery (0x8863) carries no IP and is not decoded.

import type { Decoded } from './decoded.js';
import { malformed, ok, truncated } from './decoded.js';
import { readU16be } from './bytes.js';
import type { NetworkKind } from './linkLayer.js';

/** PPPOE_FIELD holds byte offsets within a PPPoE session header followed by the PPP protocol field. */
export const PPPOE_FIELD = { VERSION_TYPE: 0, CODE: 1, SESSION_ID: 2, LENGTH: 4, PPP_PROTOCOL: 6, PAYLOAD: 8 } as const;

/** PppProtocol holds the PPP protocol numbers that lead to IP (IANA PPP DLL protocol numbers). */
export const PppProtocol = { IPV4: 0x0021, IPV6: 0x0057 } as const;

/** PppoeSession is where a PPPoE session frame's payload is and what it carries. */
export interface PppoeSession {
  network: NetworkKind;
  /** PPP protocol number (0xc021 LCP, 0x8021 IPCP...). */
  pppProtocol: number;
  /** Offset of the PPP payload. */
  payloadOffset: number;
  /** End of the PPP payload per the PPPoE Length field, clipped to `end`. */
  payloadEnd: number;
}

/** decodePppoeSession decodes the PPPoE session header at `at` (right after its EtherType) and the PPP protocol field. */
export function decodePppoeSession(bytes: Uint8Array, at: number, end: number): Decoded<PppoeSession> {
  const available = end - at;
  if (available < PPPOE_FIELD.PAYLOAD) return truncated('pppoe', at, PPPOE_FIELD.PAYLOAD, Math.max(0, available), 'PPPoE session header');
  // RFC 2516 §4: VER and TYPE are both 1; CODE is 0 for session data.
  const versionType = bytes[at]!;
  if (versionType !== 0x11) return malformed('pppoe', at, `PPPoE version/type 0x${versionType.toString(16)} is not 0x11`);
  const length = readU16be(bytes, at + PPPOE_FIELD.LENGTH);
  if (length < 2) return malformed('pppoe', at + PPPOE_FIELD.LENGTH, `PPPoE length ${length} leaves no room for the PPP protocol field`);
  const pppProtocol = readU16be(bytes, at + PPPOE_FIELD.PPP_PROTOCOL);
  const network: NetworkKind = pppProtocol === PppProtocol.IPV4 ? 'ipv4' : pppProtocol === PppProtocol.IPV6 ? 'ipv6' : 'other';
  const payloadEnd = Math.min(end, at + PPPOE_FIELD.PPP_PROTOCOL + length);
  return ok({ network, pppProtocol, payloadOffset: at + PPPOE_FIELD.PAYLOAD, payloadEnd });
}
