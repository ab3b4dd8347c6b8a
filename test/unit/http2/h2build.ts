// SPDX-License-Identifier: MIT
// Test helpers: build HTTP/2 frames (RFC 9113 §4.1) and simple HPACK field blocks (RFC 7541 §6.2.2
// literals without indexing, raw strings), so synthetic session tests read like a frame trace.
import type { ChunkRef, Side } from '../../../extension/core/http/streamTypes.js';
import { CLIENT_PREFACE, FrameFlag, FrameType } from '../../../extension/core/http2/frames.js';
import type { Http2Session } from '../../../extension/core/http2/http2Session.js';

export { CLIENT_PREFACE, FrameFlag as F, FrameType as T };

/** frame builds a frame: 9-octet header and payload. */
export function frame(type: number, flags: number, streamId: number, payload: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out[0] = (payload.length >> 16) & 0xff;
  out[1] = (payload.length >> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  out.set(u32(streamId), 5);
  out.set(payload, 9);
  return out;
}

/** u32 encodes a 32-bit big-endian integer. */
export function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** hpackInt encodes an integer with an N-bit prefix (RFC 7541 §5.1), `flags` in the first octet's high bits. */
export function hpackInt(value: number, prefixBits: number, flags = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function raw(s: string): number[] {
  const out = hpackInt(s.length, 7);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff);
  return out;
}

/** block encodes fields as literals without indexing with raw names (RFC 7541 §6.2.2): no dynamic table state. */
export function block(fields: [string, string][]): number[] {
  const out: number[] = [];
  for (const [name, value] of fields) out.push(0x00, ...raw(name), ...raw(value));
  return out;
}

/** indexedLiteral encodes one field as a literal with incremental indexing (RFC 7541 §6.2.1). */
export function indexedLiteral(name: string, value: string): number[] {
  return [0x40, ...raw(name), ...raw(value)];
}

/** settings builds a SETTINGS payload from [id, value] pairs. */
export function settings(...pairs: [number, number][]): number[] {
  return pairs.flatMap(([id, value]) => [(id >> 8) & 0xff, id & 0xff, ...u32(value)]);
}

export const GET: [string, string][] = [
  [':method', 'GET'],
  [':scheme', 'http'],
  [':path', '/'],
  [':authority', 'example.com'],
];

/** Feeder pushes frames into a session side by side, one frame number per push, with running offsets. */
export class Feeder {
  readonly offsets: [number, number] = [0, 0];
  frameNo = 0;
  constructor(readonly session: Http2Session) {}

  /** push sends octets from `side` as one chunk (one capture frame); returns its ChunkRef. */
  push(side: Side, ...parts: (Uint8Array | number[])[]): ChunkRef {
    const n = parts.reduce((sum, p) => sum + p.length, 0);
    const bytes = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    this.frameNo++;
    const ref: ChunkRef = { frame: this.frameNo, time: this.frameNo / 1000 };
    this.session.push(side, bytes, this.offsets[side], ref);
    this.offsets[side] += n;
    return ref;
  }

  /** start sends the client preface + empty SETTINGS and the server's empty SETTINGS, and both ACKs. */
  start(clientSettings: number[] = [], serverSettings: number[] = []): void {
    this.push(0, CLIENT_PREFACE, frame(FrameType.SETTINGS, 0, 0, clientSettings));
    this.push(1, frame(FrameType.SETTINGS, 0, 0, serverSettings), frame(FrameType.SETTINGS, FrameFlag.ACK, 0));
    this.push(0, frame(FrameType.SETTINGS, FrameFlag.ACK, 0));
  }

  /** end ends both directions with FIN. */
  end(): void {
    this.session.end(0, 'fin');
    this.session.end(1, 'fin');
  }
}
