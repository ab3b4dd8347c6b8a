// SPDX-License-Identifier: MIT
// Differential test against pcap-parser (the design card's package) on every classic microsecond
// pcap: same records, same timestamps, same bytes. pcap-parser reads only 2.4 µs files and silently
// drops a truncated tail; where it stops early we must have kept the same records and warned.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../../extension/core/capture/byteSource.js';
import type { CaptureRecord } from '../../extension/core/capture/captureRecord.js';
import { openCapture } from '../../extension/core/capture/openCapture.js';
import { corpusFiles, fixtureFiles } from '../helpers/corpus.js';

interface Rec {
  sec: number;
  micros: number;
  capturedLength: number;
  originalLength: number;
  hex: string;
}

function viaPcapParser(bytes: Uint8Array): Promise<Rec[]> {
  return new Promise((resolve, reject) => {
    const out: Rec[] = [];
    const parser = pcapParser.parse(Readable.from([Buffer.from(bytes)]));
    parser.on('packet', (p: { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }; data: Buffer }) => {
      out.push({
        sec: p.header.timestampSeconds,
        micros: p.header.timestampMicroseconds,
        capturedLength: p.header.capturedLength,
        originalLength: p.header.originalLength,
        hex: p.data.toString('hex'),
      });
    });
    parser.on('end', () => resolve(out));
    parser.on('error', reject);
  });
}

function viaOurReader(bytes: Uint8Array): { records: Rec[]; warnings: number } {
  const reader = openCapture(new MemorySource(bytes));
  const records: Rec[] = [];
  for (let r: CaptureRecord | undefined = reader.next(); r; r = reader.next()) {
    records.push({ sec: r.tsSec, micros: r.tsNanos / 1000, capturedLength: r.capturedLength, originalLength: r.originalLength, hex: Buffer.from(r.bytes).toString('hex') });
  }
  return { records, warnings: reader.warnings.length };
}

/** Classic pcap, microsecond magic, version 2.4, valid timestamps: the files pcap-parser claims to read. */
function pcapParserCanRead(bytes: Uint8Array): boolean {
  if (bytes.length < 24) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = v.getUint32(0, true) === 0xa1b2c3d4;
  const be = v.getUint32(0, false) === 0xa1b2c3d4;
  return (le || be) && v.getUint16(4, le) === 2 && v.getUint16(6, le) === 4 && (v.getUint32(20, le) & 0xffff0000) === 0;
}

const files = [...corpusFiles(), ...fixtureFiles()].filter((f) => pcapParserCanRead(readFileSync(f)));

describe.skipIf(files.length === 0)(`pcap-parser differential on ${files.length} classic µs pcaps`, () => {
  it.each(files.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const bytes = readFileSync(file);
    const theirs = await viaPcapParser(bytes);
    const ours = viaOurReader(bytes);
    // Invalid fractions (tcpdump's timestamp_invalid_micro) are normalised by us, raw in pcap-parser.
    const normalised = theirs.map((r) => (r.micros >= 1e6 ? { ...r, sec: r.sec + Math.floor(r.micros / 1e6), micros: r.micros % 1e6 } : r));
    if (ours.records.length !== normalised.length) {
      // pcap-parser drops a damaged tail without a word: we keep at least as much and warn.
      expect(ours.warnings).toBeGreaterThan(0);
      expect(ours.records.slice(0, normalised.length)).toEqual(normalised);
    } else {
      expect(ours.records).toEqual(normalised);
    }
  });

  it('keeps a truncated tail that pcap-parser drops silently', async () => {
    const file = files.find((f) => f.endsWith('zeek__get.pcap'));
    if (!file) return;
    const bytes = readFileSync(file).subarray(0, -10);
    const theirs = await viaPcapParser(bytes);
    const ours = viaOurReader(bytes);
    expect(theirs).toHaveLength(13);
    expect(ours.records).toHaveLength(13);
    expect(ours.warnings).toBe(1);
  });
});
