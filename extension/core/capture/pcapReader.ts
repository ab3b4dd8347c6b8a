// SPDX-License-Identifier: MIT
import type { CaptureRecord, CaptureWarning, DecryptionSecrets, InterfaceInfo } from './captureRecord.js';
import { CaptureOpenError, MAX_RECORD_BYTES, MAX_STANDARD_PACKET_BYTES, hex8, type CaptureReader } from './captureReader.js';
import type { ChunkBuffer } from './chunkBuffer.js';

// Classic libpcap format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** Field offsets of the classic pcap file header and record header. */
const FIELD = {
  magic: 0,
  versionMajor: 4,
  versionMinor: 6,
  snapLength: 16,
  linkTypeAndFcs: 20,
  rec: { tsSec: 0, tsFrac: 4, capturedLength: 8, originalLength: 12 },
} as const;

/** isPcapMagic tells whether the first four bytes (read big-endian) are a classic pcap magic in either byte order. */
export function isPcapMagic(be: number): boolean {
  const le = swap32(be);
  return be === MAGIC_MICROS || be === MAGIC_NANOS || le === MAGIC_MICROS || le === MAGIC_NANOS;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** PcapReader reads classic pcap files: both byte orders, microsecond and nanosecond magic. */
export class PcapReader implements CaptureReader {
  readonly format = 'pcap' as const;
  readonly interfaces: InterfaceInfo[];
  readonly warnings: CaptureWarning[] = [];
  readonly secrets: DecryptionSecrets[] = [];
  readonly timePrecisionDigits: number;
  private readonly little: boolean;
  private readonly nanos: boolean;
  private readonly linkType: number;
  private readonly maxCaptured: number;
  private frame = 0;
  private done = false;
  private warnedSnap = false;
  private warnedFraction = false;

  /** Reads and checks the file header; throws CaptureOpenError if this is not a readable classic pcap. */
  constructor(private readonly chunk: ChunkBuffer) {
    if (chunk.ensure(FILE_HEADER_BYTES) < FILE_HEADER_BYTES) {
      throw new CaptureOpenError(0, `file is ${chunk.remaining} bytes, shorter than the ${FILE_HEADER_BYTES}-byte pcap header`);
    }
    const v = chunk.view;
    const magicBe = v.getUint32(chunk.pos + FIELD.magic, false);
    this.little = magicBe !== MAGIC_MICROS && magicBe !== MAGIC_NANOS;
    const magic = this.little ? swap32(magicBe) : magicBe;
    this.nanos = magic === MAGIC_NANOS;
    this.timePrecisionDigits = this.nanos ? 9 : 6;
    const major = v.getUint16(chunk.pos + FIELD.versionMajor, this.little);
    const minor = v.getUint16(chunk.pos + FIELD.versionMinor, this.little);
    // Wireshark reads 2.x for any minor (libpcap writes 2.4; 2.2 and 2.3 exist in old files); libpcap rejects 2.5.
    if (major !== 2) throw new CaptureOpenError(FIELD.versionMajor, `unsupported pcap version ${major}.${minor} (only 2.x is defined)`);
    const snapLength = v.getUint32(chunk.pos + FIELD.snapLength, this.little);
    const linkField = v.getUint32(chunk.pos + FIELD.linkTypeAndFcs, this.little);
    // Bits 16-25 are reserved and must be zero; bits 26-31 carry the FCS length (draft-ietf-opsawg-pcap §4).
    if ((linkField & 0x03ff0000) !== 0) {
      throw new CaptureOpenError(FIELD.linkTypeAndFcs, `link type field ${hex8(linkField)}: reserved bits 16-25 are not zero`);
    }
    this.linkType = linkField & 0xffff;
    this.maxCaptured = Math.min(MAX_RECORD_BYTES, Math.max(snapLength, MAX_STANDARD_PACKET_BYTES));
    this.interfaces = [
      {
        linkType: this.linkType,
        snapLength,
        tsResolution: { base: 10, exponent: this.nanos ? 9 : 6 },
        tsOffsetSec: 0,
      },
    ];
    chunk.skip(FILE_HEADER_BYTES);
  }

  get offset(): number {
    return this.chunk.offset;
  }

  next(): CaptureRecord | undefined {
    if (this.done) return undefined;
    const c = this.chunk;
    const start = c.offset;
    const got = c.ensure(RECORD_HEADER_BYTES);
    if (got < RECORD_HEADER_BYTES) {
      if (got > 0) this.warn(start, `file ends inside the header of record ${this.frame + 1}: ${got} of ${RECORD_HEADER_BYTES} bytes`);
      return this.stop();
    }
    const v = c.view;
    const p = c.pos;
    const little = this.little;
    let tsSec = v.getUint32(p + FIELD.rec.tsSec, little);
    const frac = v.getUint32(p + FIELD.rec.tsFrac, little);
    const capturedLength = v.getUint32(p + FIELD.rec.capturedLength, little);
    const originalLength = v.getUint32(p + FIELD.rec.originalLength, little);
    if (capturedLength > this.maxCaptured) {
      this.warn(
        start + FIELD.rec.capturedLength,
        `record ${this.frame + 1} claims ${capturedLength} captured bytes, more than the maximum of ${this.maxCaptured}: the file is corrupt from here on`,
      );
      return this.stop();
    }
    const interfaceInfo = this.interfaces[0];
    if (!this.warnedSnap && interfaceInfo && interfaceInfo.snapLength > 0 && capturedLength > interfaceInfo.snapLength) {
      this.warnedSnap = true;
      this.warn(start + FIELD.rec.capturedLength, `record ${this.frame + 1} has ${capturedLength} captured bytes, more than the file's snaplen of ${interfaceInfo.snapLength}`);
    }
    const total = RECORD_HEADER_BYTES + capturedLength;
    const have = c.ensure(total);
    if (have < total) {
      this.warn(start, `file ends inside record ${this.frame + 1}: ${have - RECORD_HEADER_BYTES} of ${capturedLength} captured bytes present`);
      return this.stop();
    }
    let tsNanos = this.nanos ? frac : frac * 1000;
    if (tsNanos >= 1e9) {
      // Out-of-range fractions exist in the wild (tcpdump's timestamp_invalid tests); carry them into the seconds.
      if (!this.warnedFraction) {
        this.warnedFraction = true;
        this.warn(start + FIELD.rec.tsFrac, `record ${this.frame + 1}: timestamp fraction ${frac} is out of range for ${this.nanos ? 'nanoseconds' : 'microseconds'}`);
      }
      tsSec += Math.floor(tsNanos / 1e9);
      tsNanos %= 1e9;
    }
    const dataStart = c.pos + RECORD_HEADER_BYTES;
    const record: CaptureRecord = {
      frame: ++this.frame,
      tsSec,
      tsNanos,
      hasTimestamp: true,
      capturedLength,
      originalLength,
      linkType: this.linkType,
      interfaceId: 0,
      fileOffset: start + RECORD_HEADER_BYTES,
      bytes: c.buf.subarray(dataStart, dataStart + capturedLength),
    };
    c.pos += total;
    return record;
  }

  private warn(offset: number, message: string): void {
    this.warnings.push({ offset, message });
  }

  private stop(): undefined {
    this.done = true;
    return undefined;
  }
}
