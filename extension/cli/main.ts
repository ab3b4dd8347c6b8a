// SPDX-License-Identifier: MIT
import { DEFAULT_FINDING_OPTIONS, type FindingOptions } from '../core/analysis/engine.js';
import { analyzeCapture } from '../core/analyze.js';
import { FileSource } from '../core/capture/byteSource.js';
import { CaptureOpenError } from '../core/capture/captureReader.js';
import { renderJson } from '../core/render/json.js';
import { renderText } from '../core/render/text.js';

const USAGE = `usage: pcap-inspect analyze FILE [--format text|json] [--set NAME=VALUE ...]

Reads a .pcap or .pcapng capture and prints what happened on its connections.
--set changes a finding threshold; NAME is one of:
${Object.entries(DEFAULT_FINDING_OPTIONS)
  .map(([k, v]) => `  ${k} (default ${v})`)
  .join('\n')}
Exit status: 0 analysed (findings are not errors), 2 the file cannot be read, 64 bad usage.`;

/** EXIT codes of the CLI; 64 is EX_USAGE from sysexits.h. */
const EXIT = { ok: 0, unreadable: 2, usage: 64 } as const;

interface Args {
  command: string;
  file: string;
  format: 'text' | 'json';
  findings: Partial<FindingOptions>;
}

function parseArgs(argv: string[]): Args | string {
  const positional: string[] = [];
  let format: Args['format'] = 'text';
  const findings: Partial<FindingOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--format' || a.startsWith('--format=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value !== 'text' && value !== 'json') return `unknown format '${value ?? ''}' (text or json)`;
      format = value;
    } else if (a === '--set' || a.startsWith('--set=')) {
      const setting = a.includes('=') && a.startsWith('--set=') ? a.slice('--set='.length) : argv[++i];
      const [name, value] = (setting ?? '').split('=');
      if (!name || !(name in DEFAULT_FINDING_OPTIONS)) return `unknown threshold '${name ?? ''}'`;
      const n = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) return `threshold ${name} needs a number ≥ 0, got '${value ?? ''}'`;
      findings[name as keyof FindingOptions] = n;
    } else if (a === '--json') {
      format = 'json';
    } else if (a === '-h' || a === '--help') {
      return '';
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option '${a}'`;
    } else {
      positional.push(a);
    }
  }
  const [command, file, ...extra] = positional;
  if (command !== 'analyze') return command ? `unknown command '${command}'` : '';
  if (!file) return 'analyze needs a FILE';
  if (extra.length) return `unexpected argument '${extra[0]}'`;
  return { command, file, format, findings };
}

/** run executes the CLI and returns its exit code; output goes through the given writers so tests can capture it. */
export function run(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) err(`pcap-inspect: ${args}\n`);
    err(USAGE + '\n');
    return args ? EXIT.usage : EXIT.ok;
  }
  let source: FileSource;
  try {
    source = FileSource.open(args.file);
  } catch (e) {
    err(`pcap-inspect: ${args.file}: ${describeFsError(e)}\n`);
    return EXIT.unreadable;
  }
  try {
    const analysis = analyzeCapture(source, { fileName: args.file, findings: args.findings });
    out(args.format === 'json' ? renderJson(analysis) : renderText(analysis));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CaptureOpenError) {
      err(`pcap-inspect: ${args.file}: ${e.message}\n`);
      return EXIT.unreadable;
    }
    throw e;
  } finally {
    source.close();
  }
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
