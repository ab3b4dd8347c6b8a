// SPDX-License-Identifier: MIT
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_FINDING_OPTIONS, type FindingOptions } from '../core/analysis/engine.js';
import type { Severity } from '../core/analysis/finding.js';
import { analyzeCapture } from '../core/analyze.js';
import { FileSource, MemorySource, type ByteSource } from '../core/capture/byteSource.js';
import { CaptureOpenError } from '../core/capture/captureReader.js';
import { renderHar } from '../core/render/har.js';
import { renderJson } from '../core/render/json.js';
import { renderSarif, STDIN_FILE } from '../core/render/sarif.js';
import { renderText } from '../core/render/text.js';

// Replaced by scripts/build.mjs (esbuild `define`) with package.json's version; unbundled runs (tests) have none.
declare const __PCAP_INSPECTOR_VERSION__: string | undefined;
/** VERSION is the package version the bundle was built from. */
export const VERSION = typeof __PCAP_INSPECTOR_VERSION__ === 'string' ? __PCAP_INSPECTOR_VERSION__ : '0.0.0-dev';

const FORMATS = ['text', 'json', 'har', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const DEFAULT_BODY_CAP = 1 << 20;

const USAGE = `usage: pcap-inspect analyze FILE|- [options]

Reads a .pcap or .pcapng capture (- reads it from standard input) and prints what happened on its
TCP connections and HTTP messages, and the problems found there.

options:
  --format text|json|har|sarif   report format (default text; --json is --format json)
                                 text   the human report (colour on a terminal unless NO_COLOR is set)
                                 json   the schema-versioned report (docs/json-schema.md)
                                 har    HAR 1.2, one entry per HTTP transaction (Chrome DevTools can import it)
                                 sarif  SARIF 2.1.0, one result per finding (code-scanning UIs)
  -o, --output FILE              write the report to FILE instead of standard output
  -q, --quiet                    text: print only the findings (nothing when there are none)
  --no-color                     text: no colours even on a terminal
  --fail-on warning|error        exit 1 when a finding of that severity or worse exists (CI gates)
  --har-bodies                   har: include message bodies (re-read from the capture)
  --body-cap BYTES               har: leave out bodies larger than BYTES (default ${DEFAULT_BODY_CAP}; implies --har-bodies)
  --docs-uri URI                 sarif: absolute URI of docs/findings.md for the rules' helpUri
                                 (default: the file beside this program, when it is there)
  --set NAME=VALUE               change a finding threshold; NAME is one of:
${Object.entries(DEFAULT_FINDING_OPTIONS)
  .map(([k, v]) => `                                   ${k} (default ${v})`)
  .join('\n')}
  -h, --help                     this text
  -V, --version                  the version

examples:
  pcap-inspect analyze capture.pcapng                          # report on a terminal
  pcap-inspect analyze capture.pcap --fail-on warning -q       # CI gate: findings only, exit 1 on any warning
  pcap-inspect analyze capture.pcap --format har -o out.har    # open out.har in Chrome DevTools (Network ▸ Import HAR)
  pcap-inspect analyze capture.pcap --format sarif -o capture.sarif
  tcpdump -i eth0 -w - -c 1000 port 80 | pcap-inspect analyze - --format json

exit status: 0 analysed (findings are not errors unless --fail-on), 1 --fail-on matched,
2 the capture cannot be read, 64 bad usage, 73 the output file cannot be written.`;

/** EXIT codes of the CLI; 64 and 73 are EX_USAGE and EX_CANTCREAT from sysexits.h. */
const EXIT = { ok: 0, failOn: 1, unreadable: 2, usage: 64, cantCreate: 73 } as const;

interface Args {
  file: string;
  format: Format;
  output?: string;
  quiet: boolean;
  color: boolean;
  failOn?: Exclude<Severity, 'info'>;
  bodies: boolean;
  bodyCap: number;
  docsUri?: string;
  findings: Partial<FindingOptions>;
}

/** CliIo is the CLI's access to the process, replaceable in tests. */
export interface CliIo {
  stdoutIsTty: boolean;
  stderrIsTty: boolean;
  stdinIsTty: boolean;
  env: Record<string, string | undefined>;
  readStdin(): Uint8Array;
  writeFile(path: string, text: string): void;
  /** Milliseconds, for pacing the progress line. */
  now(): number;
}

// Getters: touching process.stdin creates its stream, so only a run that reads stdin should.
const processIo: CliIo = {
  get stdoutIsTty() {
    return Boolean(process.stdout.isTTY);
  },
  get stderrIsTty() {
    return Boolean(process.stderr.isTTY);
  },
  get stdinIsTty() {
    return Boolean(process.stdin.isTTY);
  },
  env: process.env,
  readStdin: () => readFileSync(0),
  writeFile: (path, text) => writeFileSync(path, text),
  now: () => Date.now(),
};

function parseArgs(argv: string[]): Args | { help: true } | { version: true } | string {
  const positional: string[] = [];
  const args: Omit<Args, 'file'> = { format: 'text', quiet: false, color: true, bodies: false, bodyCap: DEFAULT_BODY_CAP, findings: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    // The option's value: after '=' or the next argument.
    const value = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--format': {
        const v = value();
        if (!FORMATS.includes(v as Format)) return `unknown format '${v ?? ''}' (${FORMATS.join(', ')})`;
        args.format = v as Format;
        break;
      }
      case '--json':
        args.format = 'json';
        break;
      case '-o':
      case '--output': {
        const v = value();
        if (!v) return `${name} needs a FILE`;
        args.output = v;
        break;
      }
      case '-q':
      case '--quiet':
        args.quiet = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      case '--fail-on': {
        const v = value();
        if (v !== 'warning' && v !== 'error') return `--fail-on needs warning or error, got '${v ?? ''}'`;
        args.failOn = v;
        break;
      }
      case '--har-bodies':
        args.bodies = true;
        break;
      case '--body-cap': {
        const v = value();
        const n = Number(v);
        if (!v || !Number.isSafeInteger(n) || n < 0) return `--body-cap needs a byte count, got '${v ?? ''}'`;
        args.bodies = true;
        args.bodyCap = n;
        break;
      }
      case '--docs-uri': {
        const v = value();
        if (!v || !/^[a-z][a-z0-9+.-]*:/i.test(v)) return `--docs-uri needs an absolute URI, got '${v ?? ''}'`;
        args.docsUri = v;
        break;
      }
      case '--set': {
        const [key, v] = (value() ?? '').split('=');
        if (!key || !(key in DEFAULT_FINDING_OPTIONS)) return `unknown threshold '${key ?? ''}'`;
        const n = Number(v);
        if (v === undefined || v === '' || !Number.isFinite(n) || n < 0) return `threshold ${key} needs a number ≥ 0, got '${v ?? ''}'`;
        args.findings[key as keyof FindingOptions] = n;
        break;
      }
      case '-h':
      case '--help':
        return { help: true };
      case '-V':
      case '--version':
        return { version: true };
      default:
        if (a.startsWith('-') && a !== '-') return `unknown option '${a}'`;
        positional.push(a);
    }
  }
  const [command, file, ...extra] = positional;
  if (command !== 'analyze') return command ? `unknown command '${command}'` : { help: true };
  if (!file) return 'analyze needs a FILE (or - for standard input)';
  if (extra.length) return `unexpected argument '${extra[0]}'`;
  return { ...args, file };
}

/**
 * run executes the CLI and returns its exit code. Reports go to `out` (or --output), messages and the
 * progress line to `err`; `io` stands in for the process in tests.
 */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void, io: Partial<CliIo> = {}): number {
  // Descriptors, not a spread, so processIo's getters stay lazy.
  const sys = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(processIo), ...Object.getOwnPropertyDescriptors(io) }) as CliIo;
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    err(`pcap-inspect: ${args}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if ('help' in args) {
    out(USAGE + '\n');
    return EXIT.ok;
  }
  if ('version' in args) {
    out(`pcap-inspect ${VERSION}\n`);
    return EXIT.ok;
  }
  let source: ByteSource;
  if (args.file === STDIN_FILE) {
    // A capture is binary: refuse a terminal rather than wait for the user to type one.
    if (sys.stdinIsTty) {
      err(`pcap-inspect: standard input is a terminal; pipe a capture into it\n${USAGE}\n`);
      return EXIT.usage;
    }
    try {
      // Buffered whole: the readers need random access, and a pipe has none.
      source = new MemorySource(sys.readStdin());
    } catch (e) {
      err(`pcap-inspect: standard input: ${describeFsError(e)}\n`);
      return EXIT.unreadable;
    }
  } else {
    try {
      source = FileSource.open(args.file);
    } catch (e) {
      err(`pcap-inspect: ${args.file}: ${describeFsError(e)}\n`);
      return EXIT.unreadable;
    }
  }
  try {
    const progress = progressLine(sys, err, args.quiet);
    let analysis;
    try {
      analysis = analyzeCapture(source, { fileName: args.file, findings: args.findings, onProgress: progress.update, progressEvery: 20_000 });
    } finally {
      progress.clear();
    }
    const toTerminal = args.output === undefined && sys.stdoutIsTty;
    let report: string;
    switch (args.format) {
      case 'json':
        report = renderJson(analysis);
        break;
      case 'har':
        report = renderHar(analysis, { creatorVersion: VERSION, bodies: args.bodies ? { source, capBytes: args.bodyCap } : undefined });
        break;
      case 'sarif':
        report = renderSarif(analysis, { toolVersion: VERSION, docsUri: args.docsUri ?? defaultDocsUri() });
        break;
      case 'text':
        // NO_COLOR (https://no-color.org): any non-empty value turns colour off.
        report = renderText(analysis, { quiet: args.quiet, color: toTerminal && args.color && !sys.env.NO_COLOR });
        break;
    }
    if (args.output !== undefined) {
      try {
        sys.writeFile(args.output, report);
      } catch (e) {
        err(`pcap-inspect: ${args.output}: ${describeFsError(e)}\n`);
        return EXIT.cantCreate;
      }
    } else {
      out(report);
    }
    if (args.failOn) {
      const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
      const failing = analysis.findings.filter((f) => rank[f.severity] >= rank[args.failOn!]);
      if (failing.length) {
        err(`pcap-inspect: ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${args.failOn} (--fail-on ${args.failOn})\n`);
        return EXIT.failOn;
      }
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CaptureOpenError) {
      err(`pcap-inspect: ${args.file === STDIN_FILE ? 'standard input' : args.file}: ${e.message}\n`);
      return EXIT.unreadable;
    }
    throw e;
  } finally {
    source.close();
  }
}

/**
 * progressLine shows "analysing NN% (x of y MiB)" on stderr, rewritten in place, when stderr is a
 * terminal and the analysis has run for a second: short runs and logs stay clean.
 */
function progressLine(sys: CliIo, err: (s: string) => void, quiet: boolean): { update?: (offset: number, size: number) => void; clear: () => void } {
  if (!sys.stderrIsTty || quiet) return { clear: () => {} };
  const start = sys.now();
  let last = 0;
  let shown = false;
  return {
    update: (offset, size) => {
      const now = sys.now();
      if (now - start < 1000 || now - last < 200 || size <= 0) return;
      last = now;
      shown = true;
      const mib = (n: number) => (n / 1048576).toFixed(1);
      err(`\ranalysing ${Math.floor((100 * offset) / size)}% (${mib(offset)} of ${mib(size)} MiB)\x1b[K`);
    },
    // Erase the line so the report (or a message) starts on a clean one.
    clear: () => {
      if (shown) err('\r\x1b[K');
    },
  };
}

/** defaultDocsUri is the file URI of docs/findings.md beside the bundled CLI (dist/../docs), when it is there. */
function defaultDocsUri(): string | undefined {
  if (typeof __dirname === 'undefined') return undefined;
  const path = resolve(__dirname, '..', 'docs', 'findings.md');
  return existsSync(path) ? pathToFileURL(path).href : undefined;
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
    case 'ENOTFILE':
      return 'not a regular file';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

// Only when run as the bundled CLI, not when imported by tests.
if (process.argv[1] && /cli\.(c?js|mjs)$/.test(process.argv[1])) {
  process.exitCode = run(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
