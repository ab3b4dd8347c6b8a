// SPDX-License-Identifier: MIT
// Oracle: our reader agrees with Wireshark's capinfos on packet count, format, link types, data size
// and time span for every capture in the public corpus and in fixtures/, and refuses what it refuses.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import { CaptureOpenError } from '../../extension/core/capture/captureReader.js';
import { formatEpoch } from '../../extension/core/capture/timestamp.js';
import { CORPUS_DIR, corpusFiles, fixtureFiles, hasWiresharkTools } from '../helpers/corpus.js';

interface CapInfo {
  type: string;
  packets: number;
  dataBytes: number;
  start: string;
  end: string;
  /** Wireshark encapsulation short names of the file's interfaces, e.g. `ether`, `linux-sll2`. */
  encapsulations: string[];
}

/** LINKTYPE_ number → Wireshark's encapsulation short name (wiretap/pcap-common.c), for the link types in the corpus. */
const WTAP_NAME: Record<number, string> = {
  0: 'null',
  1: 'ether',
  12: 'rawip',
  14: 'rawip',
  101: 'rawip',
  108: 'loop',
  113: 'linux-sll',
  127: 'ieee-802-11-radiotap',
  129: 'arcnet_linux',
  192: 'ppi',
  228: 'rawip4',
  229: 'rawip6',
  239: 'nflog',
  258: 'pktap',
  274: 'ether-mpacket',
  276: 'linux-sll2',
};

/**
 * Where capinfos (Wireshark 4.0.17) and we disagree on purpose. Each entry says who is right and why.
 */
const KNOWN_DIFFERENCES: Record<string, { times?: string; opens?: string }> = {
  // Fractions ≥ 10^6 µs / 10^9 ns are invalid; capinfos prints them verbatim ("1418145370.1000000"),
  // we carry them into the seconds and warn, so times stay comparable.
  'tcpdump__timestamp_invalid_micro.pcap': { times: 'capinfos prints an out-of-range fraction verbatim' },
  'tcpdump__timestamp_invalid_nano.pcap': { times: 'capinfos prints an out-of-range fraction verbatim' },
  // capinfos leaves the time span unknown ("n/a") when the first record is a Simple Packet Block (no
  // timestamp), even though later EPBs have times; we report the earliest and latest real times.
  'pcapngtestgen__le_test011.pcapng': { times: 'first record is an SPB' },
  'pcapngtestgen__le_test102.pcapng': { times: 'first record is an SPB' },
  'pcapngtestgen__be_test202.pcapng': { times: 'first record is an SPB' },
};

function capinfos(files: string[]): { infos: Map<string, CapInfo>; errors: Map<string, string> } {
  const infos = new Map<string, CapInfo>();
  const errors = new Map<string, string>();
  let stdout = '';
  let stderr = '';
  try {
    stdout = execFileSync('capinfos', ['-T', '-M', '-r', '-t', '-c', '-d', '-S', '-a', '-e', ...files], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // capinfos exits non-zero when any file fails, but still prints the others.
    const err = e as { stdout?: string; stderr?: string };
    stdout = err.stdout ?? '';
    stderr = err.stderr ?? '';
  }
  for (const line of stdout.split('\n')) {
    const [file, type, packets, dataBytes, start, end] = line.split('\t');
    if (!file || !type) continue;
    infos.set(basename(file), { type, packets: Number(packets), dataBytes: Number(dataBytes), start: start ?? '', end: end ?? '', encapsulations: [] });
  }
  // "capinfos: An error occurred after reading 6 packets from "F"." then "capinfos: The file "F" ..." then "(reason)".
  const partial = new Map<string, number>();
  for (const m of stderr.matchAll(/An error occurred after reading (\d+) packets from "([^"]+)"/g)) partial.set(basename(m[2]!), Number(m[1]));
  for (const m of stderr.matchAll(/capinfos: The file "([^"]+)"[^\n]*\n\((.*)\)\n/g)) {
    const name = basename(m[1]!);
    errors.set(name, m[2]!);
    const packets = partial.get(name);
    if (packets !== undefined && !infos.has(name)) infos.set(name, { type: '', packets, dataBytes: -1, start: '', end: '', encapsulations: [] });
  }
  // Link types per file from the interface report ("Encapsulation = Ethernet (1 - ether)").
  for (const file of files) {
    const info = infos.get(basename(file));
    if (!info || errors.has(basename(file))) continue;
    const report = execFileSync('capinfos', ['-I', '-M', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    info.encapsulations = [...report.matchAll(/Encapsulation = .*\(\d+ - ([^)]+)\)/g)].map((m) => m[1]!);
  }
  return { infos, errors };
}

/** capinfos shows times with each file's precision; compare our exact time truncated to the same digits. */
function sameTime(ours: { sec: number; nanos: number } | undefined, theirs: string): void {
  if (theirs === 'n/a') {
    expect(ours).toBeUndefined();
    return;
  }
  const digits = theirs.split('.')[1]?.length ?? 0;
  expect(ours && formatEpoch(ours.sec, ours.nanos, digits)).toBe(theirs);
}

const files = [...corpusFiles(), ...fixtureFiles()];
const tools = files.length > 0 && hasWiresharkTools();

describe.skipIf(!tools)(`capinfos oracle over ${files.length} captures (${CORPUS_DIR} and fixtures/)`, () => {
  const { infos, errors } = tools ? capinfos(files) : { infos: new Map<string, CapInfo>(), errors: new Map<string, string>() };
  const libpcapErrors = tools ? readFileSync(`${CORPUS_DIR}/libpcap__expected-errors.txt`, 'utf8') : '';

  it.each(files.map((f) => [basename(f), f]))('%s', (name, file) => {
    const info = infos.get(name);
    const source = FileSource.open(file);
    let analysis;
    try {
      analysis = analyzeCapture(source, { fileName: name });
    } catch (e) {
      // We refuse to open only what capinfos refuses too (and libpcap lists as a reject).
      expect(e).toBeInstanceOf(CaptureOpenError);
      expect(info, `capinfos reads ${name} but we refuse it: ${(e as Error).message}`).toBeUndefined();
      expect(errors.get(name), `capinfos error for ${name}`).toBeDefined();
      expect(libpcapErrors).toContain(name);
      return;
    } finally {
      source.close();
    }
    const c = analysis.capture;
    const damaged = errors.get(name);
    expect(info, `no capinfos line for ${name}`).toBeDefined();
    if (!info) return;
    if (damaged) {
      // capinfos stops at the damage after some packets: we keep the same packets and say where the damage is.
      expect(c.warnings.length, `${name}: capinfos says "${damaged}", we gave no warning`).toBeGreaterThan(0);
      expect(c.packets).toBe(info.packets);
      return;
    }
    expect(c.packets).toBe(info.packets);
    expect(c.format).toBe(info.type === 'pcapng' ? 'pcapng' : 'pcap');
    // capinfos names nanosecond classic pcap "nsecpcap"; for pcapng the time comparison below checks the digits.
    if (c.format === 'pcap') expect(c.timePrecisionDigits).toBe(info.type === 'nsecpcap' ? 9 : 6);
    expect(c.bytes).toBe(info.dataBytes);
    expect(c.linkTypes.map((t) => WTAP_NAME[t] ?? `linktype ${t}`)).toEqual([...new Set(info.encapsulations)]);
    if (!KNOWN_DIFFERENCES[name]?.times) {
      sameTime(c.firstTime, info.start);
      sameTime(c.lastTime, info.end);
    }
  });
});
