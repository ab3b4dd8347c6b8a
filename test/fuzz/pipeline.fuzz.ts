// SPDX-License-Identifier: MIT
// `npm run fuzz`: the whole pipeline (reader → TCP → HTTP → findings → every renderer and the
// extension's DTOs) on hostile input. Seeds are every fixture and every public capture (up to
// SEED_MAX_BYTES); mutations cut them at every record boundary and at random offsets, flip bits,
// overwrite byte runs and set length fields to 0, 1, 2^31-1 and 2^32-1. Crafted cases add what
// mutation rarely finds: a 100 MB header line, millions of tiny headers, absurd chunk sizes and
// Content-Lengths, HPACK bombs, broken IP and TCP headers.
//
// Invariants: nothing but CaptureOpenError (the file is not a capture at all) leaves the core;
// every renderer finishes; warnings name offsets inside the file; a cut inside a record is
// reported; time per MB stays bounded. FUZZ_SECONDS (default 60) bounds the mutation loop;
// FUZZ_SEED replays a run. A failing input is written to test-output/fuzz/ for minimising.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { MemorySource } from '../../extension/core/capture/byteSource.js';
import { CaptureOpenError } from '../../extension/core/capture/captureReader.js';
import { renderHar } from '../../extension/core/render/har.js';
import { renderJson } from '../../extension/core/render/json.js';
import { renderSarif } from '../../extension/core/render/sarif.js';
import { renderText } from '../../extension/core/render/text.js';
import { renderFindingsReport } from '../../extension/host/diagnostics/findingsReport.js';
import { FlowTree } from '../../extension/host/flowExplorer/flowTree.js';
import { toAnalysisDto, toTablesDto } from '../../extension/host/worker/analysisDto.js';
import { corpusFiles, fixtureFiles, REPO_ROOT } from '../helpers/corpus.js';
import { ascii, concat, h2Frame, H2_PREFACE, PcapWriter, tcpFrame, tcpSession } from './craft.js';
import { mulberry32 } from '../helpers/prng.js';

const SEED_MAX_BYTES = 4 << 20;
const BUDGET_MS = Number(process.env.FUZZ_SECONDS ?? 60) * 1000;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
/** Allowed CPU time per input: generous, so a slow CI machine passes, but a quadratic blow-up does not. */
const MS_PER_MB = 3_000;
const MS_FIXED = 1_500;
const OUT_DIR = join(REPO_ROOT, 'test-output', 'fuzz');

/** Stats of the run, printed at the end (the closing note quotes them). */
const stats = { inputs: 0, opened: 0, rejected: 0, bytes: 0, slowestMBps: Infinity, slowestInput: '' };

/** Outcome of one pipeline run. */
interface Outcome {
  opened: boolean;
  warnings: { offset: number; message: string }[];
}

/** pipeline runs everything a user's open runs: analysis, renderers, the extension's DTOs and tree. */
function pipeline(bytes: Uint8Array, name: string): Outcome {
  const source = new MemorySource(bytes);
  // CPU time, not wall time: the bound must hold on a busy CI machine too.
  const started = process.cpuUsage();
  let analysis;
  try {
    analysis = analyzeCapture(source, { fileName: name });
  } catch (e) {
    if (e instanceof CaptureOpenError) {
      // Even a refusal must say where and why.
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      return { opened: false, warnings: [] };
    }
    throw e;
  }
  renderText(analysis);
  renderJson(analysis);
  renderHar(analysis, { bodies: { source, capBytes: 1 << 20 } });
  renderSarif(analysis);
  const tables = toTablesDto(analysis);
  toAnalysisDto(analysis, name, bytes.length);
  const tree = new FlowTree(tables.connections, tables.transactions, tables.findings);
  for (const server of tree.children()) tree.children(server);
  renderFindingsReport(name, tables.findings, 2_000);
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  const mb = bytes.length / (1 << 20);
  expect(ms, `${name}: ${ms.toFixed(0)} ms for ${mb.toFixed(2)} MB`).toBeLessThan(MS_FIXED + MS_PER_MB * mb);
  if (mb >= 0.5) {
    const mbps = mb / (ms / 1000);
    if (mbps < stats.slowestMBps) {
      stats.slowestMBps = mbps;
      stats.slowestInput = name;
    }
  }
  for (const w of analysis.capture.warnings) {
    expect(w.offset, `${name}: warning offset`).toBeGreaterThanOrEqual(0);
    expect(w.offset, `${name}: warning offset`).toBeLessThanOrEqual(bytes.length);
  }
  return { opened: true, warnings: analysis.capture.warnings };
}

/** check runs the pipeline and keeps a failing input for minimising. */
function check(bytes: Uint8Array, name: string): Outcome {
  stats.inputs++;
  stats.bytes += bytes.length;
  try {
    const outcome = pipeline(bytes, name);
    if (outcome.opened) stats.opened++;
    else stats.rejected++;
    return outcome;
  } catch (e) {
    mkdirSync(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.pcap`);
    writeFileSync(file, bytes);
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)} (input kept in ${relative(REPO_ROOT, file)})`, { cause: e });
  }
}

/** Record boundaries (offset of each record or block) and the offsets of their length fields. */
interface Layout {
  boundaries: number[];
  lengthFields: number[];
  little: boolean;
}

/** layout walks record headers (classic pcap) or block headers (pcapng) without trusting them beyond the file. */
function layout(b: Uint8Array): Layout | undefined {
  if (b.length < 24) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magicLe = v.getUint32(0, true);
  const out: Layout = { boundaries: [], lengthFields: [], little: true };
  if (magicLe === 0x0a0d0d0a) {
    out.little = v.getUint32(8, true) === 0x1a2b3c4d;
    for (let off = 0; off + 12 <= b.length; ) {
      const len = v.getUint32(off + 4, out.little);
      out.boundaries.push(off);
      out.lengthFields.push(off + 4);
      if (len < 12 || len % 4 !== 0) break;
      off += len;
    }
    return out;
  }
  const classic = [0xa1b2c3d4, 0xa1b23c4d];
  if (classic.includes(magicLe)) out.little = true;
  else if (classic.includes(v.getUint32(0, false))) out.little = false;
  else return undefined;
  for (let off = 24; off + 16 <= b.length; ) {
    out.boundaries.push(off);
    out.lengthFields.push(off + 8, off + 12);
    off += 16 + v.getUint32(off + 8, out.little);
  }
  return out;
}

const LENGTH_VALUES = [0, 1, 0x7fffffff, 0xffffffff];

function seeds(): string[] {
  return [...fixtureFiles(), ...corpusFiles()].filter((f) => statSync(f).size <= SEED_MAX_BYTES);
}

describe('fuzz: every seed as it is', () => {
  it('analyses every fixture and public capture without an uncaught error', () => {
    for (const file of seeds()) check(new Uint8Array(readFileSync(file)), basename(file));
  });
});

describe('fuzz: cut at every record boundary', () => {
  it('ends cleanly at a boundary, and reports a cut inside a record', () => {
    const rand = mulberry32(SEED);
    for (const file of seeds()) {
      const bytes = new Uint8Array(readFileSync(file));
      const l = layout(bytes);
      if (!l) continue;
      // Every boundary for small files; a sample of 64 for larger ones.
      const cuts = l.boundaries.length <= 64 ? l.boundaries : Array.from({ length: 64 }, () => l.boundaries[Math.floor(rand() * l.boundaries.length)]!);
      for (const cut of cuts) {
        check(bytes.subarray(0, cut), `${basename(file)}@${cut}`);
        // Seven bytes into the record: inside its header, so the reader must warn.
        const inside = cut + 7;
        if (inside < bytes.length && cut > 24) {
          const o = check(bytes.subarray(0, inside), `${basename(file)}@${inside}`);
          if (o.opened) expect(o.warnings.length, `${basename(file)} cut at ${inside}`).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('fuzz: mutations', () => {
  it(`survives random mutations for ${BUDGET_MS / 1000} s (seed ${SEED})`, () => {
    const rand = mulberry32(SEED);
    const files = seeds();
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
    const deadline = Date.now() + BUDGET_MS;
    let round = 0;
    while (Date.now() < deadline) {
      const file = files[round++ % files.length]!;
      const original = new Uint8Array(readFileSync(file));
      const bytes = original.slice();
      const l = layout(bytes);
      const kind = Math.floor(rand() * 5);
      let what: string;
      if (kind === 0) {
        const cut = Math.floor(rand() * bytes.length);
        check(bytes.subarray(0, cut), `${basename(file)}:cut@${cut}`);
        continue;
      } else if (kind === 1) {
        const flips = 1 + Math.floor(rand() * 16);
        for (let i = 0; i < flips; i++) bytes[Math.floor(rand() * bytes.length)]! ^= 1 << Math.floor(rand() * 8);
        what = `flip${flips}`;
      } else if (kind === 2) {
        const start = Math.floor(rand() * bytes.length);
        const run = 1 + Math.floor(rand() * 64);
        const fill = pick([0x00, 0xff, 0x7f, 0x80, -1]);
        for (let i = start; i < Math.min(bytes.length, start + run); i++) bytes[i] = fill < 0 ? Math.floor(rand() * 256) : fill;
        what = `run${run}@${start}`;
      } else if (kind === 3 && l && l.lengthFields.length) {
        const at = pick(l.lengthFields);
        const value = pick(LENGTH_VALUES);
        new DataView(bytes.buffer).setUint32(at, value, l.little);
        what = `len${value}@${at}`;
      } else {
        // Duplicate or drop a slice: records that overlap or run past the end.
        const a = Math.floor(rand() * bytes.length);
        const b = Math.min(bytes.length, a + Math.floor(rand() * 4096));
        const mutated = rand() < 0.5 ? concat(bytes.subarray(0, b), bytes.subarray(a)) : concat(bytes.subarray(0, a), bytes.subarray(b));
        check(mutated, `${basename(file)}:splice${a}-${b}`);
        continue;
      }
      check(bytes, `${basename(file)}:${what}`);
    }
    console.log(`fuzz: ${stats.inputs} inputs (${stats.opened} analysed, ${stats.rejected} refused as not a capture), ${(stats.bytes / (1 << 20)).toFixed(1)} MB; slowest ${stats.slowestMBps.toFixed(1)} MB/s (${stats.slowestInput}); seed ${SEED}`);
  }, BUDGET_MS + 120_000);
});

/** Crafted application payloads, each carried by a well-formed TCP session. */
const CRAFTED: [string, () => Uint8Array][] = [
  ['header line of 100 MB', () => tcpSession([{ fromClient: true, bytes: concat(ascii('GET / HTTP/1.1\r\nX-Big: '), new Uint8Array(100 << 20).fill(0x61), ascii('\r\n\r\n')) }])],
  ['a million tiny headers', () => tcpSession([{ fromClient: true, bytes: concat(ascii('GET / HTTP/1.1\r\n'), ascii('a:b\r\n'.repeat(1_000_000)), ascii('\r\n')) }])],
  [
    'chunk size ffffffffffffffff',
    () => tcpSession([{ fromClient: true, bytes: ascii('GET / HTTP/1.1\r\nHost: x\r\n\r\n') }, { fromClient: false, bytes: ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n') }]),
  ],
  ['chunk size of 1000 hex digits', () => tcpSession([{ fromClient: true, bytes: ascii('GET / HTTP/1.1\r\n\r\n') }, { fromClient: false, bytes: ascii(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'f'.repeat(1000)}\r\nabc`) }])],
  ['Content-Length overflow', () => tcpSession([{ fromClient: true, bytes: ascii('GET / HTTP/1.1\r\n\r\n') }, { fromClient: false, bytes: ascii('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\nabc') }])],
  ['Content-Length negative', () => tcpSession([{ fromClient: true, bytes: ascii('POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\nabc') }, { fromClient: false, bytes: ascii('HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n') }])],
  ['conflicting Content-Lengths', () => tcpSession([{ fromClient: true, bytes: ascii('GET / HTTP/1.1\r\n\r\n') }, { fromClient: false, bytes: ascii('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 2000000000\r\n\r\nabc') }])],
  ['20,000 pipelined requests, none answered', () => tcpSession([{ fromClient: true, bytes: ascii('GET / HTTP/1.1\r\n\r\n'.repeat(20_000)) }])],
  ['HPACK table size update to 2^32-1', () => h2Session(new Uint8Array([0x3f, 0xe1, 0xff, 0xff, 0xff, 0x0f, 0x82]))],
  ['HPACK Huffman string of 2^31 bytes declared', () => h2Session(new Uint8Array([0x40, 0xff, 0x81, 0xff, 0xff, 0xff, 0x07, 0x61]))],
  ['HPACK literal name of 16 MB', () => h2Session(concat(new Uint8Array([0x40, 0x7f, 0x81, 0x80, 0x80, 0x08]), new Uint8Array(16 << 20).fill(0x61), new Uint8Array([0x01, 0x62])), 16 << 20)],
  ['HPACK index past the table', () => h2Session(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]))],
  ['HTTP/2 frame length lies', () => tcpSession([{ fromClient: true, bytes: concat(H2_PREFACE, h2Frame(4, 0, 0, new Uint8Array(0)), h2Frame(1, 0x04, 1, new Uint8Array([0x82]), 0xffffff)) }])],
  ['HTTP/2 CONTINUATION flood', () => tcpSession([{ fromClient: true, bytes: concat(H2_PREFACE, h2Frame(4, 0, 0, new Uint8Array(0)), h2Frame(1, 0, 1, new Uint8Array([0x82])), ...Array.from({ length: 100_000 }, () => h2Frame(9, 0, 1, new Uint8Array([0x82])))) }])],
  ['broken IP and TCP headers', brokenHeaders],
];

/** h2Session carries one HEADERS frame with `block` after the preface and SETTINGS. */
function h2Session(block: Uint8Array, maxFrame = 1 << 14): Uint8Array {
  const frames: Uint8Array[] = [H2_PREFACE, h2Frame(4, 0, 0, new Uint8Array(0))];
  // Split like a real sender: HEADERS then CONTINUATIONs of at most maxFrame bytes.
  for (let off = 0, first = true; off < block.length || first; off += maxFrame, first = false) {
    const part = block.subarray(off, off + maxFrame);
    const last = off + maxFrame >= block.length;
    frames.push(h2Frame(first ? 1 : 9, last ? 0x04 | (first ? 0x01 : 0) : 0, 1, part));
  }
  return tcpSession([{ fromClient: true, bytes: concat(...frames) }]);
}

/** brokenHeaders writes packets whose IPv4 and TCP headers contradict themselves and the frame. */
function brokenHeaders(): Uint8Array {
  const w = new PcapWriter();
  const ACK = 0x10;
  const cases: Parameters<typeof tcpFrame>[0][] = [
    { fromClient: true, seq: 1, ack: 1, flags: 0x02, options: [2, 0] },
    { fromClient: true, seq: 1, ack: 1, flags: 0x02, options: [2, 1, 0, 0] },
    { fromClient: true, seq: 1, ack: 1, flags: 0x02, options: [3, 255, 1, 1] },
    { fromClient: true, seq: 1, ack: 1, flags: 0x02, options: [8, 10, 0, 0, 0, 0, 0, 0, 0] },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, dataOffsetWords: 2 },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, dataOffsetWords: 15 },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, ihl: 2 },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, ihl: 15 },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, ipTotalLength: 10 },
    { fromClient: true, seq: 1, ack: 1, flags: ACK, ipTotalLength: 65535, payload: ascii('GET / HTTP/1.1\r\n') },
    { fromClient: false, seq: 0xffffffff, ack: 0xffffffff, flags: 0xff, payload: ascii('HTTP/1.1 200 OK\r\n\r\n') },
  ];
  for (const c of cases) w.packet(tcpFrame(c));
  // A record whose original length is smaller than its captured length.
  w.packet(tcpFrame({ fromClient: true, seq: 2, ack: 1, flags: ACK }), 10);
  return w.bytes();
}

describe('fuzz: crafted hostile payloads', () => {
  it.each(CRAFTED)('%s', (name, make) => {
    const outcome = check(make(), name);
    expect(outcome.opened).toBe(true);
  }, 120_000);
});
