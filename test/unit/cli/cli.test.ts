// SPDX-License-Identifier: MIT
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, VERSION, type CliIo } from '../../../extension/cli/main.js';
import { FIXTURES_DIR } from '../../helpers/corpus.js';
import { pcapFile } from '../../helpers/captureBuilder.js';

// Tests see a process without terminals unless a case says otherwise.
// eslint-disable-next-line no-control-regex
const SGR_RE = /\x1b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const PROGRESS_RE = /^\ranalysing 100% \(0\.0 of 0\.0 MiB\)\x1b\[K/;

const NO_TTY: Partial<CliIo> = { stdoutIsTty: false, stderrIsTty: false, stdinIsTty: false, env: {} };

function cliWith(io: Partial<CliIo>, ...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(argv, (s) => (out += s), (s) => (err += s), { ...NO_TTY, ...io });
  return { code, out, err };
}

function cli(...argv: string[]): { code: number; out: string; err: string } {
  return cliWith({}, ...argv);
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
    { args: ['analyze', 'a', '--set', 'nope=1'] },
    { args: ['analyze', 'a', '--set', 'holMinQueuedMs=-3'] },
    { args: ['analyze', 'a', '--set', 'holMinQueuedMs'] },
    { args: ['analyse', 'x'] },
    { args: ['analyze'] },
    { args: ['analyze', 'a', 'b'] },
    { args: ['analyze', 'a', '--format', 'xml'] },
    { args: ['analyze', 'a', '--frobnicate'] },
    { args: ['analyze', 'a', '--fail-on', 'info'] },
    { args: ['analyze', 'a', '--fail-on'] },
    { args: ['analyze', 'a', '--body-cap', '-1'] },
    { args: ['analyze', 'a', '--body-cap', '1e3x'] },
    { args: ['analyze', 'a', '--docs-uri', 'docs/findings.md'] },
    { args: ['analyze', 'a', '--output'] },
  ])('bad usage $args → 64 with the usage on stderr', ({ args }) => {
    const r = cli(...args);
    expect(r.code).toBe(64);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^pcap-inspect: .+\nusage: pcap-inspect analyze FILE/);
  });

  it.each([{ args: [] }, { args: ['--help'] }, { args: ['-h'] }, { args: ['analyze', 'x', '--help'] }])('$args prints the help with examples on stdout, exit 0', ({ args }) => {
    const r = cli(...args);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('usage: pcap-inspect analyze FILE');
    expect(r.out).toContain('examples:');
    for (const option of ['--format text|json|har|sarif', '--fail-on warning|error', '--quiet', '--output FILE', '--har-bodies', '--body-cap BYTES', '--version']) expect(r.out).toContain(option);
  });

  it.each([['--version'], ['-V']])('%s prints the version', (flag) => {
    const r = cli(flag);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`pcap-inspect ${VERSION}\n`);
  });

  describe('--fail-on', () => {
    // Severities present in each fixture decide the exit status (read from the JSON report, not hard-coded).
    const severities = (file: string) => new Set((JSON.parse(cli('analyze', file, '--format', 'json').out) as { findings: { severity: string }[] }).findings.map((f) => f.severity));
    it.each([
      { file: 'http/pipelining-hol.pcap', failOn: 'warning' },
      { file: 'http/pipelining-hol.pcap', failOn: 'error' },
      { file: 'tcp/refused.pcap', failOn: 'error' },
      { file: 'tcp/refused.pcap', failOn: 'warning' },
      { file: 'http/keepalive-get.pcap', failOn: 'warning' },
    ])('$file --fail-on $failOn', ({ file, failOn }) => {
      const path = join(FIXTURES_DIR, file);
      const found = severities(path);
      const fails = found.has('error') || (failOn === 'warning' && found.has('warning'));
      const r = cli('analyze', path, '--fail-on', failOn, '--format', 'sarif');
      expect(r.code).toBe(fails ? 1 : 0);
      // The report is written either way; the reason goes to stderr.
      expect(JSON.parse(r.out).version).toBe('2.1.0');
      if (fails) expect(r.err).toMatch(new RegExp(`^pcap-inspect: \\d+ findings? at or above ${failOn}`));
      else expect(r.err).toBe('');
    });

    it('the gate fails on a warning fixture and passes on its control (pipelining-hol vs keepalive-get)', () => {
      expect(cli('analyze', join(FIXTURES_DIR, 'http/pipelining-hol.pcap'), '--fail-on', 'warning', '-q').code).toBe(1);
      expect(cli('analyze', join(FIXTURES_DIR, 'http/keepalive-get.pcap'), '--fail-on', 'warning', '-q').code).toBe(0);
    });
  });

  describe('formats', () => {
    it.each(['json', 'har', 'sarif'])('--format %s writes one JSON document, the same as --output writes', (format) => {
      const r = cli('analyze', fixture, '--format', format);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.out)).not.toThrow();
      const file = join(scratch, `out.${format}`);
      const w = cli('analyze', fixture, `--format=${format}`, '--output', file);
      expect(w.code).toBe(0);
      expect(w.out).toBe('');
      expect(readFileSync(file, 'utf8')).toBe(r.out);
    });

    it('--format har carries the CLI version as creator, and bodies only with --har-bodies', () => {
      const plain = JSON.parse(cli('analyze', fixture, '--format', 'har').out);
      expect(plain.log.creator.version).toBe(VERSION);
      const texts = (har: { log: { entries: { response: { content: { text?: string } } }[] } }) => har.log.entries.filter((e) => e.response.content.text !== undefined).length;
      expect(texts(plain)).toBe(0);
      expect(texts(JSON.parse(cli('analyze', fixture, '--format', 'har', '--har-bodies').out))).toBeGreaterThan(0);
      // --body-cap implies --har-bodies; a cap of 0 leaves every non-empty body out.
      expect(texts(JSON.parse(cli('analyze', fixture, '--format', 'har', '--body-cap', '0').out))).toBe(0);
    });

    it('--format sarif takes --docs-uri for the rules\' helpUri', () => {
      const log = JSON.parse(cli('analyze', fixture, '--format', 'sarif', '--docs-uri', 'https://example.invalid/docs/findings.md').out);
      expect(log.runs[0].tool.driver.rules[0].helpUri).toMatch(/^https:\/\/example\.invalid\/docs\/findings\.md#/);
    });

    it('exits 73 when the output file cannot be written', () => {
      const r = cli('analyze', fixture, '--output', join(scratch, 'no-such-dir', 'out.txt'));
      expect(r.code).toBe(73);
      expect(r.err).toContain('no such file');
    });
  });

  describe('text on a terminal', () => {
    const pipelined = join(FIXTURES_DIR, 'http/pipelining-hol.pcap');
    it.each([
      { name: 'a terminal', io: { stdoutIsTty: true }, args: [], colour: true },
      { name: 'a pipe', io: {}, args: [], colour: false },
      { name: 'NO_COLOR', io: { stdoutIsTty: true, env: { NO_COLOR: '1' } }, args: [], colour: false },
      { name: '--no-color', io: { stdoutIsTty: true }, args: ['--no-color'], colour: false },
      { name: '--output', io: { stdoutIsTty: true }, args: ['--output', join(scratch, 'colour.txt')], colour: false },
    ] as { name: string; io: Partial<CliIo>; args: string[]; colour: boolean }[])('colour on $name: $colour', ({ io, args, colour }) => {
      const r = cliWith(io, 'analyze', pipelined, ...args);
      const text = args.includes('--output') ? readFileSync(args[1]!, 'utf8') : r.out;
      expect(text.includes('\x1b[')).toBe(colour);
      // Colour changes the look only: without the escapes it is the plain report.
      expect(text.replace(SGR_RE, '')).toBe(cli('analyze', pipelined).out);
    });

    it('--quiet prints only the findings, and nothing for a capture without any', () => {
      const full = cli('analyze', pipelined).out;
      const quiet = cli('analyze', pipelined, '--quiet');
      expect(quiet.code).toBe(0);
      const findings = (JSON.parse(cli('analyze', pipelined, '--format', 'json').out) as { findings: unknown[] }).findings;
      expect(quiet.out.trimEnd().split('\n')).toHaveLength(2 * findings.length);
      expect(findings.length).toBeGreaterThan(0);
      expect(full).toContain(quiet.out);
      expect(quiet.out).not.toContain('Connections');
      expect(cli('analyze', fixture, '-q').out).toBe('');
    });

    it('shows a progress line on a terminal stderr, then erases it', () => {
      let clock = 0;
      const r = cliWith({ stderrIsTty: true, now: () => (clock += 1500) }, 'analyze', fixture);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(PROGRESS_RE);
      expect(r.err.endsWith('\r\x1b[K')).toBe(true);
      // Not on a pipe, and not in quiet mode.
      expect(cliWith({ now: () => (clock += 1500) }, 'analyze', fixture).err).toBe('');
      expect(cliWith({ stderrIsTty: true, now: () => (clock += 1500) }, 'analyze', fixture, '-q').err).toBe('');
    });
  });

  describe('standard input (-)', () => {
    it.each(['text', 'json', 'har', 'sarif'])('--format %s from stdin equals the report from the file, except the name', (format) => {
      const bytes = readFileSync(fixture);
      const fromStdin = cliWith({ readStdin: () => bytes }, 'analyze', '-', '--format', format, '--har-bodies');
      const fromFile = cli('analyze', fixture, '--format', format, '--har-bodies');
      expect(fromStdin.code).toBe(0);
      expect(fromStdin.out.length).toBeGreaterThan(0);
      const anonymise = (s: string) => s.split(fixture).join('-').replace(/"uri": "-",\s*"index": 0/g, '"index": 0');
      if (format === 'sarif') {
        // A capture from stdin has no artifact URI; everything else is the same.
        const a = JSON.parse(fromStdin.out);
        const b = JSON.parse(fromFile.out);
        expect(a.runs[0].results).toHaveLength(b.runs[0].results.length);
        expect(a.runs[0].artifacts[0].location.uri).toBeUndefined();
      } else {
        expect(fromStdin.out).toBe(anonymise(fromFile.out));
      }
    });

    it('refuses a terminal on stdin (64) and reports an empty stdin as unreadable (2)', () => {
      const tty = cliWith({ stdinIsTty: true, readStdin: () => new Uint8Array(0) }, 'analyze', '-');
      expect(tty.code).toBe(64);
      expect(tty.err).toContain('standard input is a terminal');
      const empty = cliWith({ readStdin: () => new Uint8Array(0) }, 'analyze', '-');
      expect(empty.code).toBe(2);
      expect(empty.err.trim().split('\n')).toHaveLength(1);
      expect(empty.err).toContain('standard input');
    });
  });
});

function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}
