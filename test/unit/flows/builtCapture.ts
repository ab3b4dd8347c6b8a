// SPDX-License-Identifier: MIT
// Builds a classic pcap byte by byte from a segment trace (test/helpers/segments.ts's Seg: client C,
// server S) and analyses it end to end, for flow-layer tests that need the HTTP layer's view too.
import { analyzeCapture } from '../../../extension/core/analyze.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { MemorySource } from '../../../extension/core/capture/byteSource.js';
import { pcapFile, type PcapPacket } from '../../helpers/captureBuilder.js';
import { C, S, type Seg } from '../../helpers/segments.js';

const FLAGS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** A TCP-MD5 signature option (RFC 2385 §3.0: kind 19, length 18, a 16-byte digest), padded with two NOPs. */
const MD5_OPTION = [19, 18, ...Array.from({ length: 16 }, (_, i) => 0xa0 + i), 1, 1];

/** Frame is a Seg that may carry a TCP-MD5 option, and raw payload octets (`bytes`, instead of `data`). */
export type Frame = Seg & { md5?: boolean; bytes?: number[] };

function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

/** frame serialises one segment as Ethernet + IPv4 + TCP (checksums zero: the analyzer does not verify them). */
function frame(s: Frame): PcapPacket {
  const [src, dst] = s.from === 'C' ? [C, S] : [S, C];
  const payload = s.bytes ?? (typeof s.data === 'string' ? [...new TextEncoder().encode(s.data)] : new Array<number>(s.data ?? 0).fill(0x41));
  const options = s.md5 ? MD5_OPTION : [];
  const tcpLength = 20 + options.length;
  const total = 20 + tcpLength + payload.length;
  let flags = 0;
  for (const ch of s.flags) flags |= FLAGS[ch] ?? 0;
  const u16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];
  const u32 = (v: number) => [...u16(v >>> 16), ...u16(v & 0xffff)];
  const data = [
    ...[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00],
    ...[0x45, 0, ...u16(total), 0, 0, 0x40, 0, 64, 6, 0, 0, ...ip4(src.ip), ...ip4(dst.ip)],
    ...[...u16(src.port), ...u16(dst.port), ...u32(s.seq >>> 0), ...u32((s.ack ?? 0) >>> 0), (tcpLength / 4) << 4, flags, ...u16(s.win ?? 1024), 0, 0, 0, 0],
    ...options,
    ...payload,
  ];
  const micros = Math.round(s.ms * 1000);
  return { sec: 1_700_000_000 + Math.floor(micros / 1e6), frac: micros % 1e6, data };
}

export function analyze(trace: Frame[]): CaptureAnalysis {
  return analyzeCapture(new MemorySource(pcapFile({ packets: trace.map(frame) })), { fileName: 'built.pcap' });
}

