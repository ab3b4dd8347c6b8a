// SPDX-License-Identifier: MIT
// Reads an HTTP body back from the capture file on demand, from the file spans the analysis
// recorded, so the analysis never keeps bodies in memory. Free of `vscode` (Node fs and zlib only)
// so it is unit-tested against tshark's view of the same bodies.
import { open } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { BodyDto, BodyLocationDto, HeaderDto } from '../../protocol/dto.js';

/** Bytes of hex dump per line. */
const HEX_LINE_BYTES = 16;

/**
 * readBody reads at most `maxBytes` of a body from the file, undoes a Content-Encoding the host
 * can decode (gzip, deflate, br; RFC 9110 §8.4.1), and renders it as text or a hex dump.
 * `totalBytes` is the body's payload size as the analysis counted it.
 */
export async function readBody(filePath: string, location: BodyLocationDto | undefined, totalBytes: number, headers: readonly HeaderDto[], maxBytes: number): Promise<BodyDto> {
  const body = await loadBody(filePath, location, totalBytes, headers, maxBytes);
  const shown = body.bytes.subarray(0, maxBytes);
  return {
    totalBytes,
    locatedBytes: body.locatedBytes,
    shownBytes: shown.length,
    ...(body.decoded ? { decoded: body.decoded } : {}),
    ...(body.decodeError ? { decodeError: body.decodeError } : {}),
    ...render(shown),
  };
}

/** LoadedBody is a body's bytes after undoing its Content-Encoding, when that worked. */
export interface LoadedBody {
  bytes: Uint8Array;
  locatedBytes: number;
  decoded?: string;
  decodeError?: string;
}

/** loadBody reads a body's bytes (about `maxBytes` of them) and undoes its Content-Encoding. */
export async function loadBody(filePath: string, location: BodyLocationDto | undefined, totalBytes: number, headers: readonly HeaderDto[], maxBytes: number): Promise<LoadedBody> {
  const spans = location?.spans ?? [];
  const locatedBytes = spans.reduce((n, s) => n + s.length, 0);
  const encoding = contentEncoding(headers);
  // Compressed bodies are read further (up to a bound) because the decoded bytes come from the whole stream.
  const readLimit = encoding ? Math.max(maxBytes, Math.min(locatedBytes, 16 * maxBytes)) : maxBytes;
  const raw = await readSpans(filePath, spans, readLimit);
  if (!encoding || raw.length === 0) return { bytes: raw, locatedBytes };
  try {
    const whole = location?.complete === true && raw.length === locatedBytes && locatedBytes === totalBytes;
    return { bytes: decode(encoding, raw, whole), locatedBytes, decoded: encoding };
  } catch (e) {
    return { bytes: raw, locatedBytes, decodeError: `${encoding}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** readSpans reads the spans in order, stopping after `limit` bytes. */
export async function readSpans(filePath: string, spans: readonly { fileOffset: number; length: number }[], limit: number): Promise<Uint8Array> {
  const total = Math.min(limit, spans.reduce((n, s) => n + s.length, 0));
  const out = new Uint8Array(total);
  if (total === 0) return out;
  const file = await open(filePath, 'r');
  try {
    let filled = 0;
    for (const span of spans) {
      if (filled >= total) break;
      const want = Math.min(span.length, total - filled);
      const { bytesRead } = await file.read(out, filled, want, span.fileOffset);
      // A file that shrank since the analysis: show what is there.
      filled += bytesRead;
      if (bytesRead < want) break;
    }
    return out.subarray(0, filled);
  } finally {
    await file.close();
  }
}

/** contentEncoding is the single coding the host can undo, or undefined (identity, unknown, or stacked codings). */
function contentEncoding(headers: readonly HeaderDto[]): 'gzip' | 'deflate' | 'br' | undefined {
  const codings = headers
    .filter((h) => h.name.toLowerCase() === 'content-encoding')
    .flatMap((h) => h.value.split(','))
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  if (codings.length !== 1) return undefined;
  const c = codings[0];
  return c === 'gzip' || c === 'x-gzip' ? 'gzip' : c === 'deflate' ? 'deflate' : c === 'br' ? 'br' : undefined;
}

function decode(encoding: 'gzip' | 'deflate' | 'br', raw: Uint8Array, whole: boolean): Uint8Array {
  // A body cut short still decodes up to the cut: ask zlib to flush rather than fail.
  const opts = whole ? {} : { finishFlush: 2 /* Z_SYNC_FLUSH */ };
  switch (encoding) {
    case 'gzip':
      return gunzipSync(raw, opts);
    case 'deflate':
      // "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate.
      try {
        return inflateSync(raw, opts);
      } catch {
        return inflateRawSync(raw, opts);
      }
    case 'br':
      return brotliDecompressSync(raw);
  }
}

/** render picks text for valid UTF-8 without control characters (tab, CR, LF allowed), else a hex dump. */
export function render(bytes: Uint8Array): Pick<BodyDto, 'kind' | 'content'> {
  if (bytes.length === 0) return { kind: 'empty', content: '' };
  const text = utf8(bytes);
  // eslint-disable-next-line no-control-regex
  if (text !== undefined && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return { kind: 'text', content: text };
  return { kind: 'hex', content: hexDump(bytes) };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    // A cut at the display limit may split a character: drop up to 3 trailing bytes of it.
    return new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(bytes));
  } catch {
    return undefined;
  }
}

function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) !== 0x80) {
      // Lead byte: keep it only if its sequence is whole.
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return need > back ? bytes.subarray(0, bytes.length - back) : bytes;
    }
  }
  return bytes;
}

/** hexDump renders offset, hex bytes and printable ASCII, 16 bytes a line, like `xxd`. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += HEX_LINE_BYTES) {
    const row = bytes.subarray(off, off + HEX_LINE_BYTES);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(HEX_LINE_BYTES * 3 - 1)}  ${ascii}`);
  }
  return lines.join('\n');
}
