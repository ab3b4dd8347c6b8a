// SPDX-License-Identifier: MIT
// Builds small classic-pcap and pcapng files byte by byte for the reader's table-driven tests.

/** Bytes is a growable little/big-endian byte writer. */
export class Bytes {
  private parts: number[] = [];
  constructor(private readonly little = true) {}

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.little ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.little ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i] ?? 0);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface PcapPacket {
  sec: number;
  frac: number;
  data: number[];
  originalLength?: number;
  capturedLength?: number;
}

/** pcapFile builds a classic pcap file. */
export function pcapFile(opts: { little?: boolean; nanos?: boolean; snap?: number; linkType?: number; major?: number; minor?: number; packets: PcapPacket[] }): Uint8Array {
  const b = new Bytes(opts.little ?? true);
  b.u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(opts.major ?? 2).u16(opts.minor ?? 4).u32(0).u32(0).u32(opts.snap ?? 65535).u32(opts.linkType ?? 1);
  for (const p of opts.packets) {
    b.u32(p.sec).u32(p.frac).u32(p.capturedLength ?? p.data.length).u32(p.originalLength ?? p.data.length).raw(p.data);
  }
  return b.build();
}

/** block builds one pcapng block (type, body padded to 4, matching header/trailer lengths unless overridden). */
export function block(little: boolean, type: number, body: Bytes | number[], trailerLength?: number): number[] {
  const bodyBytes = Array.from(body instanceof Bytes ? body.build() : body);
  while (bodyBytes.length % 4) bodyBytes.push(0);
  const total = 12 + bodyBytes.length;
  const b = new Bytes(little).u32(type).u32(total).raw(bodyBytes).u32(trailerLength ?? total);
  return Array.from(b.build());
}

export function shb(little = true, major = 1, minor = 0): number[] {
  return block(little, 0x0a0d0d0a, new Bytes(little).u32(0x1a2b3c4d).u16(major).u16(minor).u32(0xffffffff).u32(0xffffffff));
}

export function idb(little: boolean, linkType: number, snap = 0, options: { code: number; value: number[] }[] = []): number[] {
  const b = new Bytes(little).u16(linkType).u16(0).u32(snap);
  for (const o of options) b.u16(o.code).u16(o.value.length).raw(o.value).pad4();
  if (options.length) b.u16(0).u16(0);
  return block(little, 1, b);
}

export function epb(little: boolean, iface: number, tsHigh: number, tsLow: number, data: number[], originalLength = data.length, capturedLength = data.length): number[] {
  const b = new Bytes(little).u32(iface).u32(tsHigh).u32(tsLow).u32(capturedLength).u32(originalLength).raw(data).pad4();
  return block(little, 6, b);
}

export function spb(little: boolean, originalLength: number, data: number[]): number[] {
  return block(little, 3, new Bytes(little).u32(originalLength).raw(data).pad4());
}
