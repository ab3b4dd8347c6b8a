// SPDX-License-Identifier: MIT
import type { ByteSource } from './byteSource.js';

/** Default chunk size: large enough that read syscalls are rare, small enough to stay out of the RSS budget. */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * ChunkBuffer is a sliding window over a ByteSource for the record readers.
 *
 * Readers ask `ensure(n)` for the next n bytes at the cursor; the window refills in large
 * chunks and moves the unread tail to the front, so a view handed out earlier is only valid
 * until the next `ensure`. The window grows only for a record bigger than a chunk, and never
 * beyond what the caller asked for, so a corrupt length cannot make it allocate: readers check
 * lengths against their own caps before calling `ensure`.
 */
export class ChunkBuffer {
  buf: Uint8Array;
  view: DataView;
  /** Cursor: index in `buf` of the next unread byte. */
  pos = 0;
  /** Number of valid bytes in `buf`. */
  end = 0;
  /** File offset of `buf[0]`. */
  base = 0;

  constructor(
    private readonly source: ByteSource,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.buf = new Uint8Array(Math.max(64, Math.min(chunkBytes, Math.max(64, source.size))));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** File offset of the cursor. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes left in the source after the cursor. */
  get remaining(): number {
    return this.source.size - this.offset;
  }

  /** ensure makes `n` bytes at the cursor readable and returns how many are (less than n only at the end of the source). */
  ensure(n: number): number {
    const have = this.end - this.pos;
    if (have >= n) return n;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(n);
      bigger.set(this.buf.subarray(this.pos, this.end));
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    } else {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.end = have;
    this.pos = 0;
    while (this.end < this.buf.length) {
      const got = this.source.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (got <= 0) break;
      this.end += got;
    }
    return Math.min(n, this.end);
  }

  /** skip advances the cursor by `n` bytes, reading past the window without buffering what is skipped. */
  skip(n: number): void {
    const have = this.end - this.pos;
    if (n <= have) {
      this.pos += n;
      return;
    }
    this.base += this.pos + n;
    this.pos = 0;
    this.end = 0;
  }
}
