// SPDX-License-Identifier: MIT
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * ByteSource is random-access, synchronous input for the capture readers.
 *
 * Synchronous on purpose: the core runs in a worker thread or the CLI, where a blocking
 * 8 MiB read costs less than a promise per chunk, and it keeps the readers plain loops.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Copies up to `length` bytes from `position` into `target[targetOffset..]`; returns the count (0 at the end). */
  read(target: Uint8Array, targetOffset: number, length: number, position: number): number;
  close(): void;
}

/** FileSource is a ByteSource over a file descriptor. */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;

  private constructor(fd: number) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  /** open opens `path` for reading; throws the fs error (ENOENT, EISDIR, EACCES) for the caller to report. */
  static open(path: string): FileSource {
    const fd = openSync(path, 'r');
    try {
      if (!fstatSync(fd).isFile()) {
        throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
      }
      return new FileSource(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    if (this.fd === undefined) throw new Error('FileSource is closed');
    return readSync(this.fd, target, targetOffset, length, position);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** MemorySource is a ByteSource over bytes already in memory (tests, small files, webview drops). */
export class MemorySource implements ByteSource {
  readonly size: number;

  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    if (position >= this.size) return 0;
    const n = Math.min(length, this.size - position);
    target.set(this.bytes.subarray(position, position + n), targetOffset);
    return n;
  }

  close(): void {}
}
