// SPDX-License-Identifier: MIT
// Hostile captures built in memory for the fuzz run: a TCP session carrying whatever bytes a case
// needs (a 100 MB header line, an HPACK bomb), and raw packets with broken IP and TCP headers.
// Written straight into one Uint8Array: the big cases are too large for number[] builders.

const MSS = 1448;
const ETH_IP4 = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];

/** PcapWriter appends classic pcap records (microsecond, Ethernet) to a growing buffer. */
export class PcapWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private micros = 0;

  constructor() {
    const h = new DataView(new ArrayBuffer(24));
    h.setUint32(0, 0xa1b2c3d4, true);
    h.setUint16(4, 2, true);
    h.setUint16(6, 4, true);
    h.setUint32(16, 262144, true);
    h.setUint32(20, 1, true);
    this.append(new Uint8Array(h.buffer));
  }

  /** packet appends one record of `data`, 100 µs after the previous one. */
  packet(data: Uint8Array, originalLength = data.length): void {
    this.micros += 100;
    const h = new DataView(new ArrayBuffer(16));
    h.setUint32(0, 1_700_000_000 + Math.floor(this.micros / 1e6), true);
    h.setUint32(4, this.micros % 1e6, true);
    h.setUint32(8, data.length, true);
    h.setUint32(12, originalLength, true);
    this.append(new Uint8Array(h.buffer));
    this.append(data);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  private append(b: Uint8Array): void {
    if (this.len + b.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + b.length));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(b, this.len);
    this.len += b.length;
  }
}

/** IPv4/TCP fields a case may break. */
export interface RawTcp {
  fromClient: boolean;
  seq: number;
  ack: number;
  flags: number;
  payload?: Uint8Array;
  /** TCP options bytes (not padded: a case may want a bad length). */
  options?: number[];
  /** Override the TCP data offset (in 32-bit words) and the IPv4 IHL and total length. */
  dataOffsetWords?: number;
  ihl?: number;
  ipTotalLength?: number;
}

/** tcpFrame serialises one Ethernet + IPv4 + TCP frame between 10.0.0.1:40000 and 10.0.0.2:80. */
export function tcpFrame(t: RawTcp): Uint8Array {
  const payload = t.payload ?? new Uint8Array(0);
  const options = t.options ?? [];
  const tcpLen = 20 + options.length;
  const out = new Uint8Array(14 + 20 + tcpLen + payload.length);
  out.set(ETH_IP4, 0);
  const v = new DataView(out.buffer);
  const [src, dst] = t.fromClient ? [[10, 0, 0, 1], [10, 0, 0, 2]] : [[10, 0, 0, 2], [10, 0, 0, 1]];
  v.setUint8(14, 0x40 | (t.ihl ?? 5));
  v.setUint16(16, t.ipTotalLength ?? Math.min(0xffff, 20 + tcpLen + payload.length));
  v.setUint8(22, 64);
  v.setUint8(23, 6);
  out.set(src!, 26);
  out.set(dst!, 30);
  v.setUint16(34, t.fromClient ? 40000 : 80);
  v.setUint16(36, t.fromClient ? 80 : 40000);
  v.setUint32(38, t.seq >>> 0);
  v.setUint32(42, t.ack >>> 0);
  v.setUint8(46, (t.dataOffsetWords ?? Math.ceil(tcpLen / 4)) << 4);
  v.setUint8(47, t.flags);
  v.setUint16(48, 65535);
  out.set(options, 54);
  out.set(payload, 34 + tcpLen);
  return out;
}

/**
 * tcpSession writes a handshake, then each message split into MSS-sized segments (each ACKed by
 * the peer), then a FIN exchange: a well-formed TCP conversation around hostile application bytes.
 */
export function tcpSession(messages: { fromClient: boolean; bytes: Uint8Array }[]): Uint8Array {
  const w = new PcapWriter();
  let cSeq = 1000;
  let sSeq = 5000;
  const SYN = 0x02;
  const ACK = 0x10;
  const PSH = 0x08;
  const FIN = 0x01;
  w.packet(tcpFrame({ fromClient: true, seq: cSeq, ack: 0, flags: SYN }));
  w.packet(tcpFrame({ fromClient: false, seq: sSeq, ack: cSeq + 1, flags: SYN | ACK }));
  cSeq++;
  sSeq++;
  w.packet(tcpFrame({ fromClient: true, seq: cSeq, ack: sSeq, flags: ACK }));
  for (const m of messages) {
    for (let off = 0; off < m.bytes.length; off += MSS) {
      const payload = m.bytes.subarray(off, off + MSS);
      if (m.fromClient) {
        w.packet(tcpFrame({ fromClient: true, seq: cSeq, ack: sSeq, flags: ACK | PSH, payload }));
        cSeq += payload.length;
        w.packet(tcpFrame({ fromClient: false, seq: sSeq, ack: cSeq, flags: ACK }));
      } else {
        w.packet(tcpFrame({ fromClient: false, seq: sSeq, ack: cSeq, flags: ACK | PSH, payload }));
        sSeq += payload.length;
        w.packet(tcpFrame({ fromClient: true, seq: cSeq, ack: sSeq, flags: ACK }));
      }
    }
  }
  w.packet(tcpFrame({ fromClient: true, seq: cSeq, ack: sSeq, flags: FIN | ACK }));
  w.packet(tcpFrame({ fromClient: false, seq: sSeq, ack: cSeq + 1, flags: FIN | ACK }));
  w.packet(tcpFrame({ fromClient: true, seq: cSeq + 1, ack: sSeq + 1, flags: ACK }));
  return w.bytes();
}

/** ascii encodes a string as bytes. */
export function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** concat joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** h2Frame builds one HTTP/2 frame (RFC 9113 §4.1) with a declared length that may lie. */
export function h2Frame(type: number, flags: number, streamId: number, payload: Uint8Array, declaredLength = payload.length): Uint8Array {
  const h = new Uint8Array(9);
  h[0] = (declaredLength >>> 16) & 0xff;
  h[1] = (declaredLength >>> 8) & 0xff;
  h[2] = declaredLength & 0xff;
  h[3] = type;
  h[4] = flags;
  new DataView(h.buffer).setUint32(5, streamId & 0x7fffffff);
  return concat(h, payload);
}

/** H2_PREFACE is the client connection preface (RFC 9113 §3.4). */
export const H2_PREFACE = ascii('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
