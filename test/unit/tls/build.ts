// SPDX-License-Identifier: MIT
// Builders for synthetic TLS bytes, so hand-made cases read like the structures of RFC 8446 / 5246.
import type { ChunkRef, ParserAnomaly } from '../../../extension/core/http/streamTypes.js';
import type { HandshakeMessage, HandshakeSink } from '../../../extension/core/tls/tlsHandshake.js';
import type { TlsRecord, TlsRecordSink } from '../../../extension/core/tls/tlsRecords.js';
import { concat, fromHex } from '../wire/hexdump.js';

/** Part is a piece of a byte string: a byte, a list of bytes, bytes, or hex text. */
export type Part = number | number[] | Uint8Array | string;

/** bytes concatenates parts (a number is one byte, a string is hex). */
export function bytes(...parts: Part[]): Uint8Array {
  return concat(
    ...parts.map((p) => (typeof p === 'number' ? Uint8Array.of(p) : typeof p === 'string' ? fromHex(p) : Array.isArray(p) ? Uint8Array.from(p) : p)),
  );
}

/** u16 is a big-endian uint16. */
export function u16(n: number): Uint8Array {
  return Uint8Array.of(n >> 8, n & 0xff);
}

/** u24 is a big-endian uint24. */
export function u24(n: number): Uint8Array {
  return Uint8Array.of((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

/** vec8 is a vector with a 1-byte length. */
export function vec8(...parts: Part[]): Uint8Array {
  const b = bytes(...parts);
  return bytes(b.length, b);
}

/** vec16 is a vector with a 2-byte length. */
export function vec16(...parts: Part[]): Uint8Array {
  const b = bytes(...parts);
  return bytes(u16(b.length), b);
}

/** ascii encodes text as bytes. */
export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** record is a TLS record: type, version, length, payload (RFC 8446 §5.1). */
export function record(type: number, payload: Part, version = 0x0303): Uint8Array {
  const p = bytes(payload);
  return bytes(type, u16(version), u16(p.length), p);
}

/** handshake is a handshake message: type, uint24 length, body (RFC 8446 §4). */
export function handshake(type: number, body: Part): Uint8Array {
  const b = bytes(body);
  return bytes(type, u24(b.length), b);
}

/** ext is an extension: type, length, data (RFC 8446 §4.2). */
export function ext(type: number, ...data: Part[]): Uint8Array {
  return bytes(u16(type), vec16(...data));
}

/** sniExt is a server_name extension with one host_name (RFC 6066 §3). */
export function sniExt(host: string): Uint8Array {
  return ext(0, vec16(0, vec16(ascii(host))));
}

/** alpnExt is an ALPN extension (RFC 7301 §3.1). */
export function alpnExt(...names: string[]): Uint8Array {
  return ext(16, vec16(...names.map((n) => vec8(ascii(n)))));
}

/** A random of 32 bytes of `fill`. */
export function random(fill: number): Uint8Array {
  return new Uint8Array(32).fill(fill);
}

/** ClientHelloFields are the fields clientHelloBody writes. */
export interface ClientHelloFields {
  version?: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  suites?: number[];
  compression?: number[];
  /** undefined: no extensions block at all (TLS ≤ 1.2 may omit it). */
  extensions?: Uint8Array[];
}

/** clientHelloBody is a ClientHello body (RFC 8446 §4.1.2). */
export function clientHelloBody(f: ClientHelloFields = {}): Uint8Array {
  const suites = f.suites ?? [0x1301, 0xc02f];
  return bytes(
    u16(f.version ?? 0x0303),
    f.random ?? random(0x11),
    vec8(f.sessionId ?? new Uint8Array(0)),
    vec16(...suites.map(u16)),
    vec8(f.compression ?? [0]),
    f.extensions === undefined ? new Uint8Array(0) : vec16(...f.extensions),
  );
}

/** ServerHelloFields are the fields serverHelloBody writes. */
export interface ServerHelloFields {
  version?: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  suite?: number;
  extensions?: Uint8Array[];
}

/** serverHelloBody is a ServerHello body (RFC 8446 §4.1.3). */
export function serverHelloBody(f: ServerHelloFields = {}): Uint8Array {
  return bytes(
    u16(f.version ?? 0x0303),
    f.random ?? random(0x22),
    vec8(f.sessionId ?? new Uint8Array(0)),
    u16(f.suite ?? 0x1301),
    0,
    f.extensions === undefined ? new Uint8Array(0) : vec16(...f.extensions),
  );
}

/** HRR_RANDOM is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
export const HRR_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');

/** chunk makes the ChunkRef of frame `frame` at `time` seconds. */
export function chunk(frame: number, time = frame / 1000): ChunkRef {
  return { frame, time };
}

/** RecordCollector keeps what a TlsRecordReader delivers, copying payloads (they are views valid only during the call). */
export class RecordCollector implements TlsRecordSink {
  readonly records: (Omit<TlsRecord, 'payload'> & { payload: Uint8Array | undefined })[] = [];
  readonly anomalies: ParserAnomaly[] = [];
  onRecord(r: TlsRecord): void {
    this.records.push({ ...r, payload: r.payload?.slice(), chunks: [...r.chunks] });
  }
  onAnomaly(a: ParserAnomaly): void {
    this.anomalies.push(a);
  }
  get codes(): string[] {
    return this.anomalies.map((a) => a.code);
  }
}

/** MessageCollector keeps what a HandshakeReader delivers, copying bodies and resolving a few body offsets. */
export class MessageCollector implements HandshakeSink {
  readonly messages: (Omit<HandshakeMessage, 'body' | 'locate'> & { body: Uint8Array | undefined; lastByte: { streamOffset: number; at: ChunkRef } })[] =
    [];
  readonly anomalies: ParserAnomaly[] = [];
  onMessage(m: HandshakeMessage): void {
    const { locate, body, ...rest } = m;
    this.messages.push({ ...rest, body: body?.slice(), lastByte: locate(Math.max(0, m.length - 1)) });
  }
  onAnomaly(a: ParserAnomaly): void {
    this.anomalies.push(a);
  }
  get codes(): string[] {
    return this.anomalies.map((a) => a.code);
  }
}
