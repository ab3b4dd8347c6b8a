// SPDX-License-Identifier: MIT
// The packets of one connection, read again from the capture on demand for the ladder diagram, so
// the analysis never keeps per-packet records for every connection (a capture may hold millions).
import type { ByteSource } from '../capture/byteSource.js';
import { openCapture } from '../capture/openCapture.js';
import { PacketDecoder } from '../wire/packet.js';
import { TcpFlag } from '../wire/tcp.js';
import type { Endpoint } from './connection.js';

/** LadderPacket is one TCP segment of a connection as the ladder diagram draws it. */
export interface LadderPacket {
  frame: number;
  /** Milliseconds since the connection's first packet. */
  timeMs: number;
  fromClient: boolean;
  /** TcpFlag bits. */
  flags: number;
  /** Sequence and acknowledgment numbers relative to each side's first sequence number (Wireshark's "relative"). */
  seq: number;
  ack: number;
  /** Payload bytes (from the IP length, so a snapped capture still shows the size sent). */
  length: number;
  /** Window field before scaling. */
  window: number;
}

/** ConnectionPacketsQuery names one connection: its endpoints and its frame range (Wireshark's tcp.stream has the same). */
export interface ConnectionPacketsQuery {
  client: Endpoint;
  server: Endpoint;
  firstFrame: number;
  lastFrame: number;
  /** Stop after this many packets. */
  max: number;
}

/** Frames decoded before `firstFrame`, so a first packet rebuilt from IP fragments has its earlier fragments. */
const FRAGMENT_LEAD_FRAMES = 64;

/**
 * readConnectionPackets walks the capture up to the connection's last frame and returns its TCP
 * segments, both directions, in capture order. `truncated` says `max` cut the list.
 */
export function readConnectionPackets(source: ByteSource, q: ConnectionPacketsQuery): { packets: LadderPacket[]; truncated: boolean } {
  const reader = openCapture(source);
  const decoder = new PacketDecoder();
  const packets: LadderPacket[] = [];
  const base: { client?: number; server?: number } = {};
  let startNs: bigint | undefined;
  for (let record = reader.next(); record; record = reader.next()) {
    if (record.frame > q.lastFrame) break;
    if (record.frame < q.firstFrame - FRAGMENT_LEAD_FRAMES) continue;
    const p = decoder.decode(record);
    if (record.frame < q.firstFrame) continue;
    const ip = p.network;
    const tcp = p.transport?.kind === 'tcp' ? p.transport : undefined;
    if (!ip || !tcp) continue;
    const fromClient = ip.src === q.client.ip && tcp.srcPort === q.client.port && ip.dst === q.server.ip && tcp.dstPort === q.server.port;
    const toClient = ip.src === q.server.ip && tcp.srcPort === q.server.port && ip.dst === q.client.ip && tcp.dstPort === q.client.port;
    if (!fromClient && !toClient) continue;
    if (packets.length >= q.max) return { packets, truncated: true };
    const ns = BigInt(record.tsSec) * 1_000_000_000n + BigInt(record.tsNanos);
    startNs ??= ns;
    // Relative numbers count from each side's ISN, so the first data byte is 1. Without the SYN,
    // Wireshark takes the first segment seen as relative 1 (its base is one below); so do we.
    const own = fromClient ? 'client' : 'server';
    const peer = fromClient ? 'server' : 'client';
    base[own] ??= (tcp.flags & TcpFlag.SYN) !== 0 ? tcp.seq : (tcp.seq - 1) >>> 0;
    // An ACK before the peer's first segment tells its next byte: Wireshark makes that relative 1 too.
    if ((tcp.flags & TcpFlag.ACK) !== 0) base[peer] ??= (tcp.ack - 1) >>> 0;
    packets.push({
      frame: record.frame,
      timeMs: Number(ns - startNs) / 1e6,
      fromClient,
      flags: tcp.flags,
      seq: rel(tcp.seq, base[own]),
      ack: (tcp.flags & TcpFlag.ACK) !== 0 ? rel(tcp.ack, base[peer] ?? tcp.ack) : 0,
      length: tcp.payloadLength,
      window: tcp.window,
    });
  }
  return { packets, truncated: false };
}

/** rel is `value - base` modulo 2^32 (sequence space wraps, RFC 9293 §3.4). */
function rel(value: number, base: number): number {
  return (value - base) >>> 0;
}
