// SPDX-License-Identifier: MIT
// Text of the ladder diagram's arrows. Pure (no DOM), so it is unit-tested in Node.
import type { LadderPacketDto } from '../../extension/protocol/dto.js';

/** TCP flag bits (RFC 9293 §3.1), as the wire has them. */
const FLAGS: [number, string][] = [
  [0x002, 'SYN'],
  [0x001, 'FIN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
];

/** flagNames lists a segment's flags in Wireshark's order ("SYN, ACK"). */
export function flagNames(flags: number): string {
  return FLAGS.filter(([bit]) => (flags & bit) !== 0)
    .map(([, name]) => name)
    .join(', ');
}

/** segmentLabel is the text on one arrow: flags, then Seq/Ack/Len/Win as Wireshark's Info column has them. */
export function segmentLabel(p: LadderPacketDto): string {
  const parts = [`[${flagNames(p.flags) || 'none'}]`, `Seq=${p.seq}`];
  if ((p.flags & 0x010) !== 0) parts.push(`Ack=${p.ack}`);
  parts.push(`Win=${p.window}`, `Len=${p.length}`);
  return parts.join(' ');
}
