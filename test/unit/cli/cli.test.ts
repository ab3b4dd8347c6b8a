// SPDX-License-Identifier: MIT
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../extension/cli/main.js';
import { FIXTURES_DIR } from '../../helpers/corpus.js';
import { pcapFile } from '../../helpers/captureBuilder.js';

function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(argv, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const scratch = mkdtempSync(join(tmpdir(), 'pcap-inspect-cli-'));
const fixture = join(FIXTURES_DIR, 'http/keepalive-get.pcap');

describe('pcap-inspect CLI', () => {
  it('prints the text report and exits 0', () => {
    const r = cli('analyze', fixture);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('format      pcap, ETHERNET (1)');
  });

  it('prints schema-version-1 JSON with exact epoch times', () => {
    const r = cli('analyze', fixture, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.schemaVersion).toBe(1);
    expect(report.capture).toMatchObject({ format: 'pcap', linkTypes: [1] });
    expect(Object.keys(report)).toEqual(['schemaVersion', 'capture', 'decode', 'connections', 'findings']);
    // Six fractional digits for a microsecond file, written verbatim (not through a double).
    expect(r.out).toMatch(/"firstTime": \d{10}\.\d{6},/);
  });

  it('keeps nanosecond precision in JSON', () => {
    const r = cli('analyze', join(FIXTURES_DIR, 'capture/keepalive-get-nano.pcap'), '--format=json');
    expect(r.out).toMatch(/"firstTime": \d{10}\.\d{9},/);
  });

  it.each([
    { name: 'missing file', args: ['analyze', join(scratch, 'nope.pcap')], reason: 'no such file' },
    { name: 'directory', args: ['analyze', scratch], reason: 'not a regular file' },
    { name: 'not a capture', args: ['analyze', writeTemp('text.pcap', new TextEncoder().encode('GET / HTTP/1.1\r\n'))], reason: 'offset 0: not a pcap or pcapng file' },
    { name: 'bad version', args: ['analyze', writeTemp('v1.pcap', pcapFile({ major: 1, packets: [] }))], reason: 'offset 4: unsupported pcap version 1.4' },
  ])('exits 2 with one line naming the file for $name', ({ args, reason }) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(args[1]!);
    expect(r.err).toContain(reason);
  });

  it('analyses a truncated capture, reporting the damage as a warning (exit 0)', () => {
    const file = writeTemp('cut.pcap', pcapFile({ packets: [{ sec: 1, frac: 0, data: [1, 2, 3] }, { sec: 2, frac: 0, data: [4, 5, 6, 7] }] }).subarray(0, -2));
    const r = cli('analyze', file, '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.capture.packets).toBe(1);
    expect(report.capture.warnings).toEqual([{ offset: 43, message: expect.stringContaining('file ends inside record 2') }]);
  });

  it('--set changes a finding threshold', () => {
    const nagle = join(FIXTURES_DIR, 'http/nagle-delayed-ack.pcap');
    const count = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings.length;
    expect(count(cli('analyze', nagle, '--format', 'json').out)).toBe(4);
    // hol-blocking is not about this capture; a threshold on it changes nothing here.
    expect(count(cli('analyze', nagle, '--format', 'json', '--set', 'holMinQueuedMs=1').out)).toBe(4);
    const pipeline = join(FIXTURES_DIR, 'http/pipelining-hol.pcap');
    expect(count(cli('analyze', pipeline, '--format', 'json').out)).toBe(3);
    expect(count(cli('analyze', pipeline, '--format', 'json', '--set=holMinQueuedMs=1000').out)).toBe(0);
  });

  it.each([
    { args: [], code: 0 },
    { args: ['analyze', 'a', '--set', 'nope=1'], code: 64 },
    { args: ['analyze', 'a', '--set', 'holMinQueuedMs=-3'], code: 64 },
    { args: ['analyze', 'a', '--set', 'holMinQueuedMs'], code: 64 },
    { args: ['--help'], code: 0 },
    { args: ['analyse', 'x'], code: 64 },
    { args: ['analyze'], code: 64 },
    { args: ['analyze', 'a', 'b'], code: 64 },
    { args: ['analyze', 'a', '--format', 'xml'], code: 64 },
    { args: ['analyze', 'a', '--frobnicate'], code: 64 },
  ])('usage $args → $code', ({ args, code }) => {
    const r = cli(...args);
    expect(r.code).toBe(code);
    expect(r.err).toContain('usage: pcap-inspect analyze FILE');
  });
});

function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}
