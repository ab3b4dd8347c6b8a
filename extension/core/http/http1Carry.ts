// SPDX-License-Identifier: MIT
//
// ByteCarry holds the few stream bytes a push parser must keep between pushes (a partial line, the
// tail where a message start may begin) together with the ChunkRef of every byte, so that those bytes
// can be handed back to the parser ("replayed") with their original frames [gopacket: "copy anything
// you need"]. Callers bound its size; it never holds body bytes.

import type { ChunkRef } from './streamTypes.js';

/** CarrySegment is a run of stream bytes from one chunk: `bytes[0]` is at stream offset `offset`. */
export interface CarrySegment {
  bytes: Uint8Array;
  offset: number;
  at: ChunkRef;
}

const INITIAL_CAPACITY = 256;
/** Buffers grown past this are released when emptied, so idle parsers stay small. */
const KEEP_CAPACITY = 16 * 1024;

/** ByteCarry is a growable copy of contiguous stream bytes with the ChunkRef of each byte. */
export class ByteCarry {
  private buf: Uint8Array | undefined;
  /** Number of bytes held. */
  length = 0;
  /** Stream offset of the first byte held (meaningful when length > 0). */
  startOffset = 0;
  /** Where each chunk's bytes begin, ascending; refs[0].offset === startOffset. */
  private refs: { offset: number; at: ChunkRef }[] = [];

  /** Stream offset just after the last byte held. */
  get endOffset(): number {
    return this.startOffset + this.length;
  }

  /** bytes returns a view of the bytes held, valid until the next append/clear/detach. */
  bytes(): Uint8Array {
    return this.buf === undefined ? new Uint8Array(0) : this.buf.subarray(0, this.length);
  }

  /** byteAt returns the i-th byte held (0 ≤ i < length). */
  byteAt(i: number): number {
    // Bounds: callers index below `length`, and `buf` exists whenever length > 0.
    return this.buf![i]!;
  }

  /** append copies `bytes[from, to)`, whose first byte is at stream offset `offset`, after the bytes held (which must end at `offset`). */
  append(bytes: Uint8Array, from: number, to: number, offset: number, at: ChunkRef): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.length === 0) {
      this.startOffset = offset;
      this.refs.length = 0;
    }
    const need = this.length + n;
    if (this.buf === undefined || this.buf.length < need) {
      let cap = Math.max(INITIAL_CAPACITY, this.buf?.length ?? 0);
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      if (this.buf !== undefined) grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bytes.subarray(from, to), this.length);
    const last = this.refs[this.refs.length - 1];
    if (last === undefined || last.at !== at) this.refs.push({ offset, at });
    this.length = need;
  }

  /** clear drops the bytes held. */
  clear(): void {
    if (this.length === 0 && this.refs.length === 0) return; // the common case: called once per line
    this.length = 0;
    this.refs.length = 0;
    if (this.buf !== undefined && this.buf.length > KEEP_CAPACITY) this.buf = undefined;
  }

  /** refAt returns the ChunkRef of the byte at stream offset `offset` (which must be held). */
  refAt(offset: number): ChunkRef | undefined {
    for (let i = this.refs.length - 1; i >= 0; i--) {
      const r = this.refs[i]!;
      if (r.offset <= offset) return r.at;
    }
    return undefined;
  }

  /** lastRef returns the ChunkRef of the last byte held. */
  lastRef(): ChunkRef | undefined {
    return this.refs[this.refs.length - 1]?.at;
  }

  /** keepLast drops all but the last `n` bytes held. */
  keepLast(n: number): void {
    if (n >= this.length || this.buf === undefined) return;
    const drop = this.length - n;
    this.buf.copyWithin(0, drop, this.length);
    this.length = n;
    this.startOffset += drop;
    let first = 0;
    while (first + 1 < this.refs.length && this.refs[first + 1]!.offset <= this.startOffset) first++;
    this.refs.splice(0, first);
    this.refs[0]!.offset = this.startOffset;
  }

  /**
   * detachFrom hands over the bytes held from stream offset `offset` on as segments (one per chunk) and
   * empties the carry; the segments own their memory, so the carry can be reused while they are replayed.
   */
  detachFrom(offset: number): CarrySegment[] {
    const out: CarrySegment[] = [];
    const buf = this.buf;
    if (buf !== undefined && this.length > 0) {
      const end = this.endOffset;
      const from = Math.max(offset, this.startOffset);
      for (let i = 0; i < this.refs.length; i++) {
        const r = this.refs[i]!;
        const segEnd = this.refs[i + 1]?.offset ?? end;
        const a = Math.max(from, r.offset);
        if (a >= segEnd) continue;
        out.push({ bytes: buf.subarray(a - this.startOffset, segEnd - this.startOffset), offset: a, at: r.at });
      }
    }
    // The segments keep viewing the old buffer: never write into it again.
    this.buf = undefined;
    this.length = 0;
    this.refs = [];
    return out;
  }
}
