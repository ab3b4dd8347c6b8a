// SPDX-License-Identifier: MIT
import type { CaptureRecord, CaptureWarning, DecryptionSecrets, InterfaceInfo } from './captureRecord.js';
import { CaptureOpenError, MAX_RECORD_BYTES, hex8, type CaptureReader } from './captureReader.js';
import type { ChunkBuffer } from './chunkBuffer.js';
import { timestampFromUnits } from './timestamp.js';

// pcapng: draft-ietf-opsawg-pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html)
export const SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK = {
  idb: 0x00000001,
  pb: 0x00000002, // obsolete Packet Block
  spb: 0x00000003,
  nrb: 0x00000004,
  isb: 0x00000005,
  epb: 0x00000006,
  systemdJournal: 0x00000009,
  dsb: 0x0000000a,
  custom: 0x00000bad,
  customNoCopy: 0x40000bad,
} as const;
const KNOWN_BLOCKS = new Set<number>([SHB_TYPE, ...Object.values(BLOCK)]);
const BLOCK_NAMES: Record<number, string> = {
  [SHB_TYPE]: 'SHB',
  [BLOCK.idb]: 'IDB',
  [BLOCK.pb]: 'PB',
  [BLOCK.spb]: 'SPB',
  [BLOCK.nrb]: 'NRB',
  [BLOCK.isb]: 'ISB',
  [BLOCK.epb]: 'EPB',
  [BLOCK.dsb]: 'DSB',
};
/** Header (type + length) plus trailer (length) of every block. */
const BLOCK_OVERHEAD = 12;
const OPTION = { endOfOpt: 0, ifName: 2, ifDescription: 3, ifTsresol: 9, ifTsoffset: 14 } as const;

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block type ${hex8(type)}`;
}

/** PcapngReader reads pcapng files: every section with its own byte order, every interface, EPB/SPB/PB, DSB. */
export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng' as const;
  readonly interfaces: InterfaceInfo[] = [];
  readonly warnings: CaptureWarning[] = [];
  readonly secrets: DecryptionSecrets[] = [];
  /** Interfaces of the current section (IDB interface ids are per section). */
  private section: InterfaceInfo[] = [];
  private little = true;
  private frame = 0;
  private done = false;

  /** Reads the first Section Header Block; throws CaptureOpenError if the file does not start with a valid one. */
  constructor(private readonly chunk: ChunkBuffer) {
    const problem = this.readSectionHeader(true);
    if (problem) throw new CaptureOpenError(problem.offset, problem.message);
  }

  get offset(): number {
    return this.chunk.offset;
  }

  get timePrecisionDigits(): number {
    let digits = 0;
    for (const i of this.interfaces) digits = Math.max(digits, i.tsResolution.base === 10 ? Math.min(9, i.tsResolution.exponent) : 9);
    return digits || 6;
  }

  next(): CaptureRecord | undefined {
    const c = this.chunk;
    while (!this.done) {
      const start = c.offset;
      const got = c.ensure(8);
      if (got < 8) {
        if (got > 0) this.warn(start, `file ends with ${got} stray bytes after the last block`);
        this.done = true;
        break;
      }
      const type = c.view.getUint32(c.pos, this.little);
      if (type === SHB_TYPE) {
        const problem = this.readSectionHeader(false);
        if (problem) {
          this.warn(problem.offset, problem.message);
          this.resync(start);
        }
        continue;
      }
      const length = c.view.getUint32(c.pos + 4, this.little);
      const bad = this.checkBlockLength(type, length, start);
      if (bad === 'end') break;
      if (bad) {
        this.warn(start, bad);
        this.resync(start);
        continue;
      }
      const p = c.pos;
      const body = p + 8;
      const bodyLength = length - BLOCK_OVERHEAD;
      let record: CaptureRecord | undefined;
      switch (type) {
        case BLOCK.epb:
          record = this.enhancedPacket(start, body, bodyLength);
          break;
        case BLOCK.spb:
          record = this.simplePacket(start, body, bodyLength);
          break;
        case BLOCK.pb:
          record = this.obsoletePacket(start, body, bodyLength);
          break;
        case BLOCK.idb:
          this.interfaceDescription(start, body, bodyLength);
          break;
        case BLOCK.dsb:
          this.decryptionSecrets(start, body, bodyLength);
          break;
        case BLOCK.custom:
        case BLOCK.customNoCopy:
        case BLOCK.systemdJournal:
          // Wireshark shows these blocks as frames of their own, so they take a frame number (capinfos does not count them).
          this.frame++;
          break;
        default:
          // NRB, ISB and unknown blocks: skipped by their length, as the spec allows.
          break;
      }
      c.pos = p + length;
      if (record) return record;
    }
    return undefined;
  }

  /**
   * checkBlockLength validates a block's total length and makes the whole block readable.
   * Returns undefined when it is fine, 'end' when the file ends inside it, or the reason it is corrupt.
   */
  private checkBlockLength(type: number, length: number, start: number): string | 'end' | undefined {
    const c = this.chunk;
    if (length < BLOCK_OVERHEAD || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
      return `${blockName(type)} has impossible total length ${length} (must be a multiple of 4, at least ${BLOCK_OVERHEAD}, at most ${MAX_RECORD_BYTES})`;
    }
    const have = c.ensure(length);
    if (have < length) {
      this.warn(start, `file ends inside ${blockName(type)} (frame ${this.frame + 1} if a packet): ${have} of ${length} bytes present`);
      this.done = true;
      return 'end';
    }
    const trailer = c.view.getUint32(c.pos + length - 4, this.little);
    if (trailer !== length) return `${blockName(type)} total length ${length} in its header and ${trailer} in its trailer do not match`;
    return undefined;
  }

  /**
   * resync skips a damaged block by scanning forward, 4 bytes at a time, for the next offset that holds a
   * known block type with a consistent header and trailer length.
   */
  private resync(badStart: number): void {
    const c = this.chunk;
    for (;;) {
      c.skip(4);
      if (c.ensure(12) < 12) {
        this.warn(badStart, `no valid block after offset ${badStart}: the rest of the file (${c.offset - badStart + c.remaining} bytes) is skipped`);
        this.done = true;
        return;
      }
      const v = c.view;
      const type = v.getUint32(c.pos, this.little);
      if (!KNOWN_BLOCKS.has(type)) continue;
      let little = this.little;
      if (type === SHB_TYPE) {
        const magic = v.getUint32(c.pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) little = true;
        else if (magic === 0x4d3c2b1a) little = false;
        else continue;
      }
      const length = v.getUint32(c.pos + 4, little);
      if (length < BLOCK_OVERHEAD || length % 4 !== 0 || length > MAX_RECORD_BYTES) continue;
      if (c.ensure(length) < length) continue;
      if (c.view.getUint32(c.pos + length - 4, little) !== length) continue;
      this.warn(badStart, `skipped ${c.offset - badStart} damaged bytes; resynchronised at the ${blockName(type)} at offset ${c.offset}`);
      return;
    }
  }

  /** readSectionHeader reads an SHB at the cursor; returns the problem, if any, without consuming a bad block. */
  private readSectionHeader(first: boolean): CaptureWarning | undefined {
    const c = this.chunk;
    const start = c.offset;
    if (c.ensure(28) < 28) {
      if (first) return { offset: start, message: `file is ${c.remaining} bytes, shorter than a pcapng Section Header Block (28)` };
      this.warn(start, `file ends inside a Section Header Block`);
      this.done = true;
      return undefined;
    }
    const v = c.view;
    const magic = v.getUint32(c.pos + 8, true);
    if (magic === BYTE_ORDER_MAGIC) this.little = true;
    else if (magic === 0x4d3c2b1a) this.little = false;
    else return { offset: start + 8, message: `Section Header Block has byte-order magic ${hex8(magic)}, expected 0x1a2b3c4d` };
    const length = v.getUint32(c.pos + 4, this.little);
    const major = v.getUint16(c.pos + 12, this.little);
    const minor = v.getUint16(c.pos + 14, this.little);
    // Version 1.0 is current; 1.2 was written by early tools and is read by libpcap and Wireshark alike.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      return { offset: start + 12, message: `unsupported pcapng section version ${major}.${minor} (1.0 is defined)` };
    }
    if (length < 28 || length % 4 !== 0 || length > MAX_RECORD_BYTES) {
      return { offset: start + 4, message: `Section Header Block has impossible total length ${length}` };
    }
    if (c.ensure(length) < length) {
      if (first) return { offset: start, message: `file ends inside the Section Header Block (${c.remaining} of ${length} bytes)` };
      this.warn(start, `file ends inside a Section Header Block`);
      this.done = true;
      return undefined;
    }
    const trailer = c.view.getUint32(c.pos + length - 4, this.little);
    if (trailer !== length) {
      return { offset: start + length - 4, message: `Section Header Block total length ${length} in its header and ${trailer} in its trailer do not match` };
    }
    this.section = [];
    c.pos += length;
    return undefined;
  }

  private interfaceDescription(start: number, body: number, bodyLength: number): void {
    const v = this.chunk.view;
    if (bodyLength < 8) {
      this.warn(start, `Interface Description Block body is ${bodyLength} bytes, shorter than 8`);
      return;
    }
    const info: InterfaceInfo = {
      linkType: v.getUint16(body, this.little),
      snapLength: v.getUint32(body + 4, this.little),
      tsResolution: { base: 10, exponent: 6 },
      tsOffsetSec: 0,
    };
    this.forEachOption(start, body + 8, body + bodyLength, (code, at, length) => {
      const bytes = this.chunk.buf;
      if (code === OPTION.ifTsresol && length >= 1) {
        const r = bytes[at] ?? 6;
        info.tsResolution = r & 0x80 ? { base: 2, exponent: r & 0x7f } : { base: 10, exponent: r };
      } else if (code === OPTION.ifTsoffset && length >= 8) {
        info.tsOffsetSec = Number(v.getBigInt64(at, this.little));
      } else if (code === OPTION.ifName) {
        info.name = utf8(bytes.subarray(at, at + length));
      } else if (code === OPTION.ifDescription) {
        info.description = utf8(bytes.subarray(at, at + length));
      }
    });
    this.section.push(info);
    this.interfaces.push(info);
  }

  /** forEachOption walks a TLV option list, warning (not throwing) on an option that runs past its block. */
  private forEachOption(start: number, from: number, to: number, visit: (code: number, at: number, length: number) => void): void {
    const v = this.chunk.view;
    let p = from;
    while (p + 4 <= to) {
      const code = v.getUint16(p, this.little);
      const length = v.getUint16(p + 2, this.little);
      if (code === OPTION.endOfOpt) return;
      if (p + 4 + length > to) {
        this.warn(this.chunk.base + p, `option ${code} of the block at offset ${start} has length ${length}, running past the end of the block`);
        return;
      }
      visit(code, p + 4, length);
      p += 4 + ((length + 3) & ~3);
    }
  }

  private enhancedPacket(start: number, body: number, bodyLength: number): CaptureRecord | undefined {
    const v = this.chunk.view;
    const little = this.little;
    if (bodyLength < 20) {
      this.warn(start, `Enhanced Packet Block body is ${bodyLength} bytes, shorter than its 20-byte fixed part`);
      return undefined;
    }
    const interfaceId = v.getUint32(body, little);
    const capturedLength = v.getUint32(body + 12, little);
    const originalLength = v.getUint32(body + 16, little);
    if (capturedLength > bodyLength - 20) {
      this.warn(start + 20, `Enhanced Packet Block claims ${capturedLength} captured bytes but the block holds ${bodyLength - 20}`);
      return undefined;
    }
    return this.packet(start, interfaceId, v.getUint32(body + 4, little), v.getUint32(body + 8, little), capturedLength, originalLength, body + 20);
  }

  private simplePacket(start: number, body: number, bodyLength: number): CaptureRecord | undefined {
    if (bodyLength < 4) {
      this.warn(start, `Simple Packet Block body is ${bodyLength} bytes, shorter than 4`);
      return undefined;
    }
    const originalLength = this.chunk.view.getUint32(body, this.little);
    const snap = this.section[0]?.snapLength ?? 0;
    // SPB: the captured length is the original length cut to interface 0's snaplen and to the block (pcapng §4.4).
    let capturedLength = Math.min(originalLength, bodyLength - 4);
    if (snap > 0) capturedLength = Math.min(capturedLength, snap);
    return this.packet(start, 0, 0, 0, capturedLength, originalLength, body + 4, false);
  }

  private obsoletePacket(start: number, body: number, bodyLength: number): CaptureRecord | undefined {
    const v = this.chunk.view;
    if (bodyLength < 20) {
      this.warn(start, `Packet Block body is ${bodyLength} bytes, shorter than its 20-byte fixed part`);
      return undefined;
    }
    const capturedLength = v.getUint32(body + 12, this.little);
    if (capturedLength > bodyLength - 20) {
      this.warn(start + 20, `Packet Block claims ${capturedLength} captured bytes but the block holds ${bodyLength - 20}`);
      return undefined;
    }
    const interfaceId = v.getUint16(body, this.little);
    return this.packet(start, interfaceId, v.getUint32(body + 4, this.little), v.getUint32(body + 8, this.little), capturedLength, v.getUint32(body + 16, this.little), body + 20);
  }

  private packet(
    start: number,
    interfaceId: number,
    tsHigh: number,
    tsLow: number,
    capturedLength: number,
    originalLength: number,
    data: number,
    hasTimestamp = true,
  ): CaptureRecord | undefined {
    const info = this.section[interfaceId];
    if (!info) {
      this.warn(start, `packet block refers to interface ${interfaceId}, but the section has ${this.section.length} interface(s): packet skipped`);
      return undefined;
    }
    // An SPB has no timestamp: Wireshark leaves its time empty and capinfos skips it for the time span.
    const ts = hasTimestamp ? timestampFromUnits(tsHigh, tsLow, info.tsResolution.base, info.tsResolution.exponent) : { sec: 0, nanos: 0 };
    const c = this.chunk;
    return {
      frame: ++this.frame,
      tsSec: hasTimestamp ? ts.sec + info.tsOffsetSec : 0,
      tsNanos: ts.nanos,
      hasTimestamp,
      capturedLength,
      originalLength,
      linkType: info.linkType,
      interfaceId,
      fileOffset: c.base + data,
      bytes: c.buf.subarray(data, data + capturedLength),
    };
  }

  private decryptionSecrets(start: number, body: number, bodyLength: number): void {
    const v = this.chunk.view;
    if (bodyLength < 8) {
      this.warn(start, `Decryption Secrets Block body is ${bodyLength} bytes, shorter than 8`);
      return;
    }
    const secretsType = v.getUint32(body, this.little);
    const length = v.getUint32(body + 4, this.little);
    if (length > bodyLength - 8) {
      this.warn(start + 12, `Decryption Secrets Block claims ${length} bytes of secrets but holds ${bodyLength - 8}`);
      return;
    }
    // Copied: the chunk window moves on, and the TLS layer needs these after the whole file is read.
    this.secrets.push({ secretsType, data: this.chunk.buf.slice(body + 8, body + 8 + length), offset: start });
  }

  private warn(offset: number, message: string): void {
    this.warnings.push({ offset, message });
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });
function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/\0+$/, '');
}
