// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../../../extension/core/capture/byteSource.js';
import { CaptureOpenError, type CaptureReader } from '../../../extension/core/capture/captureReader.js';
import type { CaptureRecord } from '../../../extension/core/capture/captureRecord.js';
import { openCapture } from '../../../extension/core/capture/openCapture.js';
import { Bytes, block, epb, idb, pcapFile, shb, spb } from '../../helpers/captureBuilder.js';

interface Seen {
  frame: number;
  tsSec: number;
  tsNanos: number;
  capturedLength: number;
  originalLength: number;
  linkType: number;
  interfaceId: number;
  fileOffset: number;
  bytes: number[];
}

/** readAll reads every record, copying bytes (views are only valid until the next record). */
function readAll(file: Uint8Array, chunkBytes?: number): { reader: CaptureReader; records: Seen[] } {
  const reader = openCapture(new MemorySource(file), chunkBytes);
  const records: Seen[] = [];
  for (let r: CaptureRecord | undefined = reader.next(); r; r = reader.next()) {
    records.push({ ...r, bytes: Array.from(r.bytes) });
  }
  return { reader, records };
}

function openError(file: Uint8Array): CaptureOpenError {
  try {
    openCapture(new MemorySource(file));
  } catch (e) {
    if (e instanceof CaptureOpenError) return e;
    throw e;
  }
  throw new Error('expected CaptureOpenError');
}

describe('classic pcap', () => {
  const packets = [
    { sec: 1_700_000_000, frac: 123_456, data: [1, 2, 3, 4, 5] },
    { sec: 1_700_000_001, frac: 999_999, data: [6, 7], originalLength: 60 },
  ];

  it.each([
    { name: 'little-endian µs', little: true, nanos: false },
    { name: 'big-endian µs', little: false, nanos: false },
    { name: 'little-endian ns', little: true, nanos: true },
    { name: 'big-endian ns', little: false, nanos: true },
  ])('$name', ({ little, nanos }) => {
    const { reader, records } = readAll(pcapFile({ little, nanos, linkType: 113, packets }));
    expect(reader.format).toBe('pcap');
    expect(reader.timePrecisionDigits).toBe(nanos ? 9 : 6);
    expect(reader.warnings).toEqual([]);
    expect(records.map((r) => [r.frame, r.tsSec, r.tsNanos, r.capturedLength, r.originalLength, r.linkType, r.fileOffset, r.bytes])).toEqual([
      [1, 1_700_000_000, nanos ? 123_456 : 123_456_000, 5, 5, 113, 40, [1, 2, 3, 4, 5]],
      [2, 1_700_000_001, nanos ? 999_999 : 999_999_000, 2, 60, 113, 61, [6, 7]],
    ]);
  });

  it('reads records that straddle chunk boundaries', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ sec: i, frac: i, data: Array.from({ length: 37 + i }, (_, j) => (i + j) & 0xff) }));
    const whole = readAll(pcapFile({ packets: many })).records;
    const tiny = readAll(pcapFile({ packets: many }), 64).records;
    expect(tiny).toEqual(whole);
    expect(whole).toHaveLength(50);
  });

  it('keeps the packets before a truncated record and says where the file ends', () => {
    const file = pcapFile({ packets });
    const { reader, records } = readAll(file.subarray(0, file.length - 1));
    expect(records).toHaveLength(1);
    expect(reader.warnings).toEqual([{ offset: 45, message: expect.stringContaining('file ends inside record 2') }]);
  });

  it('reports a record header cut short', () => {
    const file = pcapFile({ packets });
    const { reader, records } = readAll(file.subarray(0, 45 + 10));
    expect(records).toHaveLength(1);
    expect(reader.warnings[0]).toMatchObject({ offset: 45, message: expect.stringContaining('inside the header of record 2') });
  });

  it('stops at an impossible captured length without allocating it', () => {
    const file = pcapFile({ packets: [packets[0]!, { sec: 1, frac: 0, data: [1], capturedLength: 0x7fffffff }] });
    const { reader, records } = readAll(file);
    expect(records).toHaveLength(1);
    expect(reader.warnings[0]).toMatchObject({ offset: 45 + 8, message: expect.stringContaining('2147483647 captured bytes') });
  });

  it('warns once when captured length exceeds the snaplen but is plausible', () => {
    const { reader, records } = readAll(pcapFile({ snap: 4, packets }));
    expect(records).toHaveLength(2);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]!.message).toContain("snaplen of 4");
  });

  it('carries an out-of-range microsecond fraction into the seconds (tcpdump timestamp_invalid_micro)', () => {
    const { reader, records } = readAll(pcapFile({ packets: [{ sec: 10, frac: 1_000_000, data: [0] }, { sec: 10, frac: 2_147_483_648, data: [0] }] }));
    // tshark 4.0 prints 10.1000000000 for the first; we normalise and warn instead of emitting an impossible fraction.
    expect(records.map((r) => [r.tsSec, r.tsNanos])).toEqual([
      [11, 0],
      [2_157, 483_648_000],
    ]);
    expect(reader.warnings).toHaveLength(1);
  });

  it.each([
    { name: 'empty file', file: new Uint8Array(0), offset: 0, reason: 'file is empty' },
    { name: 'too short', file: Uint8Array.of(0xd4, 0xc3), offset: 0, reason: 'too short' },
    { name: 'header cut', file: pcapFile({ packets: [] }).subarray(0, 20), offset: 0, reason: 'shorter than the 24-byte pcap header' },
    { name: 'version 1.4', file: pcapFile({ major: 1, packets: [] }), offset: 4, reason: 'unsupported pcap version 1.4' },
    { name: 'reserved link bits', file: pcapFile({ linkType: 0x00300001, packets: [] }), offset: 20, reason: 'reserved bits' },
    { name: 'gzip', file: Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0), offset: 0, reason: 'gzip' },
    { name: 'text', file: new TextEncoder().encode('hello world'), offset: 0, reason: 'not a pcap or pcapng file' },
  ])('refuses to open: $name', ({ file, offset, reason }) => {
    const e = openError(file);
    expect(e.offset).toBe(offset);
    expect(e.reason).toContain(reason);
  });

  it('reads a header-only file as zero packets', () => {
    const { reader, records } = readAll(pcapFile({ packets: [] }));
    expect(records).toEqual([]);
    expect(reader.warnings).toEqual([]);
  });
});

describe('pcapng', () => {
  const data = [0xde, 0xad, 0xbe, 0xef, 0x01];

  it.each([true, false])('reads EPB and SPB in a %s-endian section', (little) => {
    const file = Uint8Array.from([
      ...shb(little),
      ...idb(little, 1, 3),
      ...epb(little, 0, 0x00060a24, 0x18202240, data, 70),
      ...spb(little, 5, data),
    ]);
    const { reader, records } = readAll(file);
    expect(reader.format).toBe('pcapng');
    expect(reader.warnings).toEqual([]);
    // 0x00060a2418202240 µs = 1700000000.123456 s
    expect(records[0]).toMatchObject({ frame: 1, tsSec: 1_700_000_000, tsNanos: 123_456_000, capturedLength: 5, originalLength: 70, linkType: 1, bytes: data });
    // SPB: captured length is cut to interface 0's snaplen (3).
    expect(records[1]).toMatchObject({ frame: 2, tsSec: 0, tsNanos: 0, capturedLength: 3, originalLength: 5, bytes: data.slice(0, 3) });
  });

  it('applies if_tsresol (10^-9 and 2^-20) and if_tsoffset per interface', () => {
    const le = true;
    const ns = 1_700_000_000_123_456_789n;
    const file = Uint8Array.from([
      ...shb(le),
      ...idb(le, 1, 0, [{ code: 9, value: [9] }]),
      ...idb(le, 101, 0, [{ code: 9, value: [0x80 | 20] }, { code: 14, value: [100, 0, 0, 0, 0, 0, 0, 0] }]),
      ...epb(le, 0, Number(ns >> 32n), Number(ns & 0xffffffffn), data),
      ...epb(le, 1, 0, (3 << 20) | (1 << 19), data), // 3.5 s in 2^-20 units, +100 s offset
    ]);
    const { reader, records } = readAll(file);
    expect(reader.timePrecisionDigits).toBe(9);
    expect(records.map((r) => [r.linkType, r.tsSec, r.tsNanos, r.interfaceId])).toEqual([
      [1, 1_700_000_000, 123_456_789, 0],
      [101, 103, 500_000_000, 1],
    ]);
    expect(reader.interfaces.map((i) => i.linkType)).toEqual([1, 101]);
  });

  it('starts a new section with its own byte order and interfaces', () => {
    const file = Uint8Array.from([...shb(true), ...idb(true, 1), ...epb(true, 0, 0, 1, data), ...shb(false), ...idb(false, 228), ...epb(false, 0, 0, 2, data)]);
    const { reader, records } = readAll(file);
    expect(reader.warnings).toEqual([]);
    expect(records.map((r) => [r.frame, r.linkType, r.tsNanos])).toEqual([
      [1, 1, 1000],
      [2, 228, 2000],
    ]);
  });

  it('skips NRB, ISB, custom and unknown blocks by length, and keeps Decryption Secrets', () => {
    const secret = Array.from(new TextEncoder().encode('CLIENT_RANDOM 00 11\n'));
    const file = Uint8Array.from([
      ...shb(true),
      ...idb(true, 1),
      ...block(true, 4, [0, 0, 0, 0]),
      ...block(true, 0x0bad, [1, 2, 3, 4, 5, 6, 7, 8]),
      ...block(true, 0x1234, [9, 9, 9, 9]),
      ...block(true, 0x0a, new Bytes(true).u32(0x544c534b).u32(secret.length).raw(secret)),
      ...epb(true, 0, 0, 1, data),
      ...block(true, 5, new Bytes(true).u32(0).u32(0).u32(0)),
    ]);
    const { reader, records } = readAll(file);
    expect(reader.warnings).toEqual([]);
    expect(records).toHaveLength(1);
    expect(reader.secrets).toHaveLength(1);
    expect(reader.secrets[0]!.secretsType).toBe(0x544c534b);
    expect(new TextDecoder().decode(reader.secrets[0]!.data)).toBe('CLIENT_RANDOM 00 11\n');
  });

  it('keeps the packets before a truncated block and names the offset', () => {
    const head = [...shb(true), ...idb(true, 1), ...epb(true, 0, 0, 1, data)];
    const file = Uint8Array.from([...head, ...epb(true, 0, 0, 2, data)]);
    const { reader, records } = readAll(file.subarray(0, file.length - 3));
    expect(records).toHaveLength(1);
    expect(reader.warnings).toEqual([{ offset: head.length, message: expect.stringContaining('file ends inside EPB') }]);
  });

  it('resynchronises after a block whose trailer does not match its header', () => {
    const head = [...shb(true), ...idb(true, 1)];
    const bad = block(true, 6, [0, 0, 0, 0, 1, 2, 3, 4], 999);
    const file = Uint8Array.from([...head, ...bad, ...epb(true, 0, 0, 7, data)]);
    const { reader, records } = readAll(file);
    expect(records.map((r) => r.tsNanos)).toEqual([7000]);
    expect(reader.warnings.map((w) => w.offset)).toEqual([head.length, head.length]);
    expect(reader.warnings[0]!.message).toContain('999 in its trailer');
    expect(reader.warnings[1]!.message).toContain(`resynchronised at the EPB at offset ${head.length + bad.length}`);
  });

  it.each([
    { name: 'zero', length: 0 },
    { name: 'not a multiple of 4', length: 13 },
    { name: 'huge', length: 0xfffffff0 },
  ])('treats an impossible block length ($name) as damage without allocating it', ({ length }) => {
    const head = [...shb(true), ...idb(true, 1)];
    const badHeader = Array.from(new Bytes(true).u32(6).u32(length).build());
    const { reader, records } = readAll(Uint8Array.from([...head, ...badHeader, ...epb(true, 0, 0, 3, data)]));
    expect(records.map((r) => r.tsNanos)).toEqual([3000]);
    expect(reader.warnings[0]).toMatchObject({ offset: head.length, message: expect.stringContaining(`impossible total length ${length}`) });
  });

  it('skips a packet on an interface that was never described', () => {
    const { reader, records } = readAll(Uint8Array.from([...shb(true), ...idb(true, 1), ...epb(true, 3, 0, 1, data)]));
    expect(records).toEqual([]);
    expect(reader.warnings[0]!.message).toContain('interface 3');
  });

  it('rejects an EPB whose captured length runs past its block', () => {
    const { reader, records } = readAll(Uint8Array.from([...shb(true), ...idb(true, 1), ...epb(true, 0, 0, 1, data, 5, 4000)]));
    expect(records).toEqual([]);
    expect(reader.warnings[0]!.message).toContain('claims 4000 captured bytes');
  });

  it('warns about an IDB option that runs past its block', () => {
    const b = new Bytes(true).u16(1).u16(0).u32(0).u16(2).u16(200).raw([65, 66, 67, 68]);
    const { reader } = readAll(Uint8Array.from([...shb(true), ...block(true, 1, b)]));
    expect(reader.interfaces).toHaveLength(1);
    expect(reader.warnings[0]!.message).toContain('length 200');
  });

  it.each([
    { name: 'version 0.1', file: Uint8Array.from(shb(true, 0, 1)), offset: 12, reason: 'unsupported pcapng section version 0.1' },
    { name: 'version 1.1', file: Uint8Array.from(shb(true, 1, 1)), offset: 12, reason: 'version 1.1' },
    { name: 'bad byte-order magic', file: Uint8Array.from([...shb(true)].map((b, i) => (i === 8 ? 0 : b))), offset: 8, reason: 'byte-order magic' },
    { name: 'trailer mismatch', file: Uint8Array.from(block(true, 0x0a0d0d0a, new Bytes(true).u32(0x1a2b3c4d).u16(1).u16(0).u32(0).u32(0), 808464432)), offset: 24, reason: '808464432 in its trailer' },
    { name: 'SHB cut short', file: Uint8Array.from(shb(true)).subarray(0, 20), offset: 0, reason: 'shorter than a pcapng Section Header Block' },
  ])('refuses to open: $name', ({ file, offset, reason }) => {
    const e = openError(file);
    expect(e.offset).toBe(offset);
    expect(e.reason).toContain(reason);
  });
});
