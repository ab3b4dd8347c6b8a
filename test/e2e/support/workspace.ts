// SPDX-License-Identifier: MIT
// The workspace folder code-server opens: copies of the fixtures the tests open, and the damaged
// captures made from them. Made before code-server starts so its file search sees every file.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, WORKSPACE_DIR } from './paths.js';

/** CAPTURES are the files of the workspace by role; the tests open them by file name. */
export const CAPTURES = {
  /** One keep-alive connection with four Nagle/delayed-ACK stalls. */
  nagle: 'nagle-delayed-ack.pcap',
  /** Four pipelined requests behind a slow first one: hol-blocking. */
  pipelining: 'pipelining-hol.pcap',
  /** Five connections to one server, one request each: connection-not-reused. */
  notReused: 'connection-not-reused.pcap',
  /** Two connections, no findings: the capture that must still open after the damaged ones. */
  keepalive: 'keepalive-get.pcap',
  /** HTTP whose request line, headers and bodies carry script/HTML payloads (fixtures/e2e). */
  xss: 'xss-payloads.pcap',
  /** keepalive-get.pcap cut in the middle of a record. */
  truncated: 'truncated-mid-packet.pcap',
  /** keepalive-get.pcap with its file header overwritten by text. */
  garbage: 'garbage-header.pcap',
} as const;

const SOURCES: Record<string, string> = {
  [CAPTURES.nagle]: 'fixtures/http/nagle-delayed-ack.pcap',
  [CAPTURES.pipelining]: 'fixtures/http/pipelining-hol.pcap',
  [CAPTURES.notReused]: 'fixtures/findings/connection-not-reused.pcap',
  [CAPTURES.keepalive]: 'fixtures/http/keepalive-get.pcap',
  [CAPTURES.xss]: 'fixtures/e2e/xss-payloads.pcap',
};

/** TRUNCATED_AT_RECORD is the (1-based) record the truncated capture ends inside. */
export const TRUNCATED_AT_RECORD = 30;

/** workspacePath is the absolute path of a workspace file. */
export function workspacePath(name: string): string {
  return path.join(WORKSPACE_DIR, name);
}

/** prepareWorkspace (re)creates the workspace folder. */
export function prepareWorkspace(): void {
  fs.rmSync(WORKSPACE_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(WORKSPACE_DIR, '.vscode'), { recursive: true });
  for (const [name, source] of Object.entries(SOURCES)) fs.copyFileSync(path.join(ROOT, source), workspacePath(name));

  const keepalive = fs.readFileSync(path.join(ROOT, SOURCES[CAPTURES.keepalive]!));
  // Cut inside a record's data: the file header, the records before it, its header and half its data.
  const start = recordOffset(keepalive, TRUNCATED_AT_RECORD);
  const capturedLength = keepalive.readUInt32LE(start + 8);
  fs.writeFileSync(workspacePath(CAPTURES.truncated), keepalive.subarray(0, start + 16 + Math.floor(capturedLength / 2)));

  const garbage = Buffer.from(keepalive);
  garbage.write('<html>not a capture at all</html>', 0, 'latin1');
  fs.writeFileSync(workspacePath(CAPTURES.garbage), garbage);
}

/** recordOffset is the byte offset of record `n` (1-based) of a little-endian microsecond pcap. */
function recordOffset(pcap: Buffer, n: number): number {
  if (pcap.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('expected a little-endian microsecond pcap');
  let offset = 24;
  for (let i = 1; i < n; i++) offset += 16 + pcap.readUInt32LE(offset + 8);
  if (offset + 16 > pcap.length) throw new Error(`the capture has fewer than ${n} records`);
  return offset;
}

/** CliAnalysis is the part of `pcap-inspect analyze --format json` the tests compare with. */
export interface CliAnalysis {
  capture: { packets: number; warnings: { message: string }[] };
  connections: { id: number; client: { ip: string; port: number }; server: { ip: string; port: number } }[];
  findings: { code: string; connection: number; message: string }[];
}

/** cliAnalysis runs the CLI (dist/cli.js, built by the setup) on a workspace file. */
export function cliAnalysis(name: string): CliAnalysis {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'analyze', workspacePath(name), '--format', 'json'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out) as CliAnalysis;
}

/** cliError runs the CLI on a workspace file it must reject and returns its error line (stderr). */
export function cliError(name: string): string {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'analyze', workspacePath(name), '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  if (result.status === 0) throw new Error(`the CLI accepted ${name}`);
  return result.stderr.trim();
}
