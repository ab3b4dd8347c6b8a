// SPDX-License-Identifier: MIT

/**
 * flowKey is the direction-independent key of a TCP 4-tuple: A→B and B→A give the same string
 * (gopacket Flow.FastHash is symmetric for the same reason). The lower endpoint comes first.
 */
export function flowKey(srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  const forward = srcIp < dstIp || (srcIp === dstIp && srcPort <= dstPort);
  return forward ? `${srcIp}|${srcPort}|${dstIp}|${dstPort}` : `${dstIp}|${dstPort}|${srcIp}|${srcPort}`;
}
