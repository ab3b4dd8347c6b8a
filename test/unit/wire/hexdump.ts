// SPDX-License-Identifier: MIT
//
// Test helpers: turn a pasted `tcpdump -xx`/`-XX` or `tshark -x` dump into
// bytes, so a test's bytes and the dump a reader can check are the same text.

import type { CaptureRecord } from '../../../extension/core/capture/captureRecord.js';

/** fromDump parses the hex columns of a tcpdump (`0x0010:  4500 0039 ...`) or tshark (`0010  45 00 ...`) dump; ASCII columns are ignored. */
export function fromDump(dump: string): Uint8Array {
  let hex = '';
  for (const rawLine of dump.split('\n')) {
    const line = rawLine.trim();
    const tcpdump = /^0x[0-9a-f]+:\s+(.*)$/i.exec(line);
    const tshark = tcpdump === null ? /^[0-9a-f]{4}\s\s(.*)$/i.exec(line) : null;
    const rest = tcpdump?.[1] ?? tshark?.[1];
    if (rest === undefined) continue;
    // The hex columns end at the first double space (before the ASCII column, if any).
    const columns = rest.split('  ')[0]!;
    hex += columns.replace(/\s+/g, '');
  }
  return fromHex(hex);
}

/** fromHex parses hex digits, ignoring whitespace. */
export function fromHex(text: string): Uint8Array {
  const hex = text.replace(/\s+/g, '');
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error(`bad hex: ${text}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** concat joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** makeRecord wraps bytes in a CaptureRecord (frame 1, Ethernet, not snapped) with any fields overridden. */
export function makeRecord(bytes: Uint8Array, fields: Partial<CaptureRecord> = {}): CaptureRecord {
  return {
    frame: 1,
    tsSec: 1_000_000_000,
    tsNanos: 0,
    hasTimestamp: true,
    capturedLength: bytes.length,
    originalLength: bytes.length,
    linkType: 1,
    interfaceId: 0,
    fileOffset: 0,
    bytes,
    ...fields,
  };
}
