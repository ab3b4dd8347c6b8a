// SPDX-License-Identifier: MIT
// Bodies read back from the capture file by their recorded spans must be the bodies tshark
// exports (File > Export Objects > HTTP): de-chunked and, for gzip, decompressed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { FileSource } from '../../../extension/core/capture/byteSource.js';
import { hexDump, loadBody, readBody, render } from '../../../extension/host/bodies/bodyReader.js';
import { toTablesDto } from '../../../extension/host/worker/analysisDto.js';
import type { TransactionRowDto } from '../../../extension/protocol/dto.js';
import { CORPUS_DIR, FIXTURES_DIR, hasWiresharkTools } from '../../helpers/corpus.js';

function transactionsOf(path: string): TransactionRowDto[] {
  const source = FileSource.open(path);
  try {
    return toTablesDto(analyzeCapture(source, { fileName: path })).transactions;
  } finally {
    source.close();
  }
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('render', () => {
  it.each([
    ['empty', new Uint8Array(0), 'empty'],
    ['utf-8 text with newlines', new TextEncoder().encode('héllo\r\n\tworld'), 'text'],
    ['a NUL byte', Uint8Array.of(0x61, 0x00, 0x62), 'hex'],
    ['invalid utf-8', Uint8Array.of(0xff, 0xfe, 0x41), 'hex'],
    ['a character cut at the end', new TextEncoder().encode('ab€').subarray(0, 4), 'text'],
  ])('%s', (_name, bytes, kind) => {
    expect(render(bytes).kind).toBe(kind);
  });

  it('dumps 16 bytes a line with offsets and printable ASCII', () => {
    const dump = hexDump(Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i));
    expect(dump.split('\n')).toEqual([
      '00000000  41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP',
      '00000010  51 52 53 54                                      QRST',
    ]);
  });
});

describe('readBody', () => {
  it('caps what it shows and says how much there is', async () => {
    const path = join(FIXTURES_DIR, 'http/keepalive-get.pcap');
    const t = transactionsOf(path).find((x) => (x.responseBodyBytes ?? 0) > 1_000)!;
    const body = await readBody(path, t.responseBody, t.responseBodyBytes!, t.responseHeaders!, 100);
    expect(body).toMatchObject({ totalBytes: t.responseBodyBytes, locatedBytes: t.responseBodyBytes, shownBytes: 100, kind: 'text' });
    expect(body.content.length).toBeLessThanOrEqual(100);
  });

  it('reports a gzip body it cannot decode instead of failing', async () => {
    const path = join(FIXTURES_DIR, 'http/keepalive-get.pcap');
    const t = transactionsOf(path).find((x) => (x.responseBodyBytes ?? 0) > 0)!;
    const body = await loadBody(path, t.responseBody, t.responseBodyBytes!, [{ name: 'Content-Encoding', value: 'gzip' }], 1_000);
    expect(body.decodeError).toMatch(/^gzip: /);
    expect(body.bytes.length).toBeGreaterThan(0);
  });
});

describe.runIf(hasWiresharkTools())('bodies equal tshark --export-objects http', () => {
  const files = [join(FIXTURES_DIR, 'http/keepalive-get.pcap'), join(FIXTURES_DIR, 'http1/chunked-trailers.pcap'), join(CORPUS_DIR, 'chrissanders__http_espn.pcapng')].filter((f) => {
    if (existsSync(f)) return true;
    console.warn(`SKIPPED: ${f} not found`);
    return false;
  });

  it.each(files)('%s', async (path) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcap-export-'));
    try {
      execFileSync('tshark', ['-r', path, '--export-objects', `http,${dir}`], { stdio: 'ignore' });
      const exported = readdirSync(dir).map((f) => sha(readFileSync(join(dir, f))));
      expect(exported.length).toBeGreaterThan(0);
      const ours: string[] = [];
      for (const t of transactionsOf(path)) {
        // tshark exports only complete messages (a body cut by the capture end or a FIN is left out).
        if (!t.complete || !t.responseBody?.complete || !t.responseBodyBytes) continue;
        const body = await loadBody(path, t.responseBody, t.responseBodyBytes, t.responseHeaders ?? [], 64 << 20);
        expect(body.decodeError).toBeUndefined();
        ours.push(sha(body.bytes));
      }
      // Every complete response body we locate is one tshark exports, and we miss none of tshark's.
      expect(ours.sort()).toEqual(exported.sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
