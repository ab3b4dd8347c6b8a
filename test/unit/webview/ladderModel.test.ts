// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { LadderPacketDto } from '../../../extension/protocol/dto.js';
import { flagNames, segmentLabel } from '../../../webview/views/ladderModel.js';

const packet = (flags: number, extra: Partial<LadderPacketDto> = {}): LadderPacketDto => ({ frame: 1, timeMs: 0, fromClient: true, flags, seq: 0, ack: 0, length: 0, window: 64240, ...extra });

describe('ladder labels', () => {
  it.each([
    [0x002, 'SYN'],
    [0x012, 'SYN, ACK'],
    [0x018, 'PSH, ACK'],
    [0x011, 'FIN, ACK'],
    [0x014, 'RST, ACK'],
    [0x0c2, 'SYN, ECE, CWR'],
    [0x000, ''],
  ])('flags 0x%s read %s', (flags, names) => {
    expect(flagNames(flags)).toBe(names);
  });

  it('shows Ack only when the ACK flag is set, like Wireshark', () => {
    expect(segmentLabel(packet(0x002))).toBe('[SYN] Seq=0 Win=64240 Len=0');
    expect(segmentLabel(packet(0x018, { seq: 1, ack: 79, length: 120, window: 502 }))).toBe('[PSH, ACK] Seq=1 Ack=79 Win=502 Len=120');
    expect(segmentLabel(packet(0x000))).toBe('[none] Seq=0 Win=64240 Len=0');
  });
});
