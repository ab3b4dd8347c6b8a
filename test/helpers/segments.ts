// SPDX-License-Identifier: MIT
// Builds DecodedPackets for TCP segments between a client C (10.0.0.1:40000) and a server S
// (10.0.0.2:80), so connection-tracker tests read like a packet trace.
import { NO_TCP_OPTIONS, TcpFlag, type TcpOptions } from '../../extension/core/wire/tcp.js';
import type { DecodedPacket } from '../../extension/core/wire/packet.js';

export const C = { ip: '10.0.0.1', port: 40000 };
export const S = { ip: '10.0.0.2', port: 80 };

export interface Seg {
  /** Sender: 'C' client, 'S' server, or an explicit endpoint pair for other tuples. */
  from: 'C' | 'S';
  /** Flags as letters: S SYN, A ACK, F FIN, R RST, P PSH. */
  flags: string;
  seq: number;
  ack?: number;
  /** Payload length, or the payload itself. */
  data?: number | string;
  /** Milliseconds since the start. */
  ms: number;
  win?: number;
  options?: Partial<TcpOptions>;
  /** Client port override (for port-reuse and multi-connection cases). */
  clientPort?: number;
}

const FLAG_LETTERS: Record<string, number> = { S: TcpFlag.SYN, A: TcpFlag.ACK, F: TcpFlag.FIN, R: TcpFlag.RST, P: TcpFlag.PSH };

/** packets turns a trace into DecodedPackets numbered from frame 1. */
export function packets(trace: Seg[], startSec = 1_700_000_000): DecodedPacket[] {
  return trace.map((s, i) => {
    const client = { ...C, port: s.clientPort ?? C.port };
    const [src, dst] = s.from === 'C' ? [client, S] : [S, client];
    const payload = typeof s.data === 'string' ? new TextEncoder().encode(s.data) : new Uint8Array(s.data ?? 0);
    let flags = 0;
    for (const ch of s.flags) flags |= FLAG_LETTERS[ch] ?? 0;
    const nanos = Math.round(s.ms * 1e6);
    return {
      frame: i + 1,
      tsSec: startSec + Math.floor(nanos / 1e9),
      tsNanos: nanos % 1e9,
      hasTimestamp: true,
      capturedLength: 54 + payload.length,
      originalLength: 54 + payload.length,
      linkType: 1,
      interfaceId: 0,
      fileOffset: 0,
      link: undefined,
      vlanIds: [],
      network: {
        version: 4,
        src: src.ip,
        dst: dst.ip,
        protocol: 6,
        ttl: 64,
        headerOffset: 14,
        headerLength: 20,
        totalLength: 40 + payload.length,
        lengthStatus: 'exact',
        identification: 0,
        extensionHeaders: [],
        fragment: undefined,
      },
      transport: {
        kind: 'tcp',
        srcPort: src.port,
        dstPort: dst.port,
        seq: s.seq >>> 0,
        ack: (s.ack ?? 0) >>> 0,
        flags,
        window: s.win ?? 1024,
        urgentPointer: 0,
        options: { ...NO_TCP_OPTIONS, ...s.options },
        headerLength: 20,
        payloadLength: payload.length,
        payload,
        payloadOffset: 54,
      },
      error: undefined,
    } as DecodedPacket;
  });
}
