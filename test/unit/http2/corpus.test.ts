// SPDX-License-Identifier: MIT
// Http2Session on the two larger h2c captures of the public corpus, read in place at test time (too
// big to paste: 18 KB of request fields, 410 KB of DATA). tshark cuts them into TCP payloads and
// decodes the fields we compare with. Skips visibly without the corpus or tshark (errors in CI), as
// test/helpers/corpus.ts does for every corpus test.
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeaderField } from '../../../extension/core/http2/hpack.js';
import { Http2Session, type Http2SessionResult } from '../../../extension/core/http2/http2Session.js';
import { corpusFiles, hasWiresharkTools } from '../../helpers/corpus.js';

const files = corpusFiles();
const tools = files.length > 0 && hasWiresharkTools();
const NGHTTP2 = files.find((f) => basename(f) === 'arkime__http2-nghttp2.pcap');
const KEYWORDS = files.find((f) => basename(f) === 'suricata__http2-keywords__input.pcap');

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/** run feeds one TCP connection's payloads, in capture order, to a session (client = `clientPort`). */
function run(file: string, stream: number, clientPort: number): Http2SessionResult {
  const out = tshark(['-n', '-r', file, '-Y', `tcp.stream==${stream} && tcp.len>0`, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'tcp.srcport', '-e', 'tcp.seq', '-e', 'tcp.payload']);
  const session = new Http2Session();
  const next: [number, number] = [0, 0];
  for (const line of out.trim().split('\n')) {
    const [frame, time, port, seq, hex] = line.split('\t');
    const side = Number(port) === clientPort ? 0 : 1;
    const offset = Number(seq) - 1;
    // Retransmissions would repeat octets; these captures have none, but keep the contract anyway.
    if (offset < next[side]) continue;
    if (offset > next[side]) session.gap(side, next[side], offset - next[side]);
    const bytes = Buffer.from(hex!, 'hex');
    session.push(side, bytes, offset, { frame: Number(frame), time: Number(time) });
    next[side] = offset + bytes.length;
  }
  session.end(0, 'fin');
  session.end(1, 'fin');
  return session.result();
}

interface TsharkFrame {
  'http2.streamid': string;
  'http2.type': string;
  'http2.header'?: TsharkField | TsharkField[];
}
interface TsharkField {
  'http2.header.name': string;
  'http2.header.value': string;
}

function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** tsharkHeaders lists the fields tshark decoded per stream id of the HEADERS/PUSH_PROMISE frame that carried them, in frame order. */
function tsharkHeaders(file: string, decodeAs: string[]): Map<number, HeaderField[]> {
  // --no-duplicate-keys turns a packet's repeated http2 layers and fields into arrays.
  const out = tshark(['-n', '-r', file, ...decodeAs, '-Y', 'http2.header', '-T', 'json', '--no-duplicate-keys', '-J', 'http2']);
  const packets = JSON.parse(out) as { _source: { layers: { http2: { 'http2.stream': TsharkFrame } | { 'http2.stream': TsharkFrame }[] } } }[];
  const byStream = new Map<number, HeaderField[]>();
  for (const p of packets) {
    for (const layer of asArray(p._source.layers.http2)) {
      for (const f of asArray(layer['http2.stream'])) {
        const fields = asArray(f['http2.header']);
        if (fields.length === 0) continue;
        const id = Number(f['http2.streamid']);
        const list = byStream.get(id) ?? [];
        for (const h of fields) list.push({ name: h['http2.header.name'], value: h['http2.header.value'] });
        byStream.set(id, list);
      }
    }
  }
  return byStream;
}

describe.skipIf(!tools || KEYWORDS === undefined)('6 parallel downloads with flow-control stalls (suricata__http2-keywords__input.pcap)', () => {
  const file = KEYWORDS!;
  const r = run(file, 0, 56508);

  it('decodes every field block as tshark does', () => {
    expect(r.anomalies).toEqual([]);
    const want = tsharkHeaders(file, ['-d', 'tcp.port==3000,http2']);
    expect(r.transactions.map((t) => t.streamId)).toEqual([...want.keys()].sort((a, b) => a - b));
    for (const tx of r.transactions) expect([...tx.request.headers, ...tx.response.headers], `stream ${tx.streamId}`).toEqual(want.get(tx.streamId));
  });

  it('counts every body octet and completes every stream', () => {
    // content-length of each response (checked by the session too: no content-length-mismatch).
    expect(r.transactions.map((t) => [t.streamId, t.response.status, t.response.bodyBytes, t.complete])).toEqual([
      [1, 200, 22617, true],
      [3, 200, 85592, true],
      [5, 200, 252879, true],
      [7, 200, 41417, true],
      [9, 200, 6680, true],
      [11, 200, 1675, true],
    ]);
    expect(r.stats[1].dataBytes).toBe(22617 + 85592 + 252879 + 41417 + 6680 + 1675);
  });

  it('finds the server blocked on the connection window, each stall ended by the client WINDOW_UPDATE', () => {
    // nghttpd sends until the 65,535-octet connection window is spent: stream 1 (22,617) + stream 3
    // (42,918) → 0 at the DATA frame ending in frame 16; nghttp's WINDOW_UPDATE in frame 17 reopens it.
    expect(r.stalls.length).toBe(9);
    expect(r.stalls[0]).toMatchObject({ side: 1, streamId: 0, window: 0, startAt: { frame: 16 }, endAt: { frame: 17 }, resumedAt: { frame: 19 } });
    expect(r.stalls.filter((s) => s.streamId !== 0).map((s) => [s.streamId, s.startAt.frame, s.endAt?.frame])).toEqual([[5, 33, 34]]);
    for (const s of r.stalls) expect(s.endAt!.time).toBeGreaterThanOrEqual(s.startAt.time);
    expect(r.windowUpdates.length).toBe(21);
  });

  it('records the client SETTINGS that resets the HPACK table (0 then 4096) and its ACK', () => {
    expect(r.settings.filter((s) => s.side === 0 && !s.ack).map((s) => [s.values.map((v) => `${v.name}=${v.value}`).join(' '), s.at.frame, s.ackedAt?.frame])).toEqual([
      ['MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=65535', 6, 10],
      ['HEADER_TABLE_SIZE=0 HEADER_TABLE_SIZE=4096', 13, 16],
    ]);
    expect(r.goaways).toMatchObject([{ side: 0, lastStreamId: 0, errorName: 'NO_ERROR', at: { frame: 52 } }]);
  });
});

describe.skipIf(!tools || NGHTTP2 === undefined)('server push and an 18 KB field block (arkime__http2-nghttp2.pcap)', () => {
  const file = NGHTTP2!;
  const r = run(file, 0, 49570);

  it('decodes the request fields split over HEADERS (16,384 octets) and CONTINUATION, which tshark cannot', () => {
    expect(r.anomalies).toEqual([]);
    const tx = r.transactions[0]!;
    expect(tx.streamId).toBe(13);
    expect(tx.request.headers.slice(0, 7)).toEqual([
      { name: ':method', value: 'GET' },
      { name: ':path', value: '/' },
      { name: ':scheme', value: 'http' },
      { name: ':authority', value: 'nghttp2.org' },
      { name: 'accept', value: '*/*' },
      { name: 'accept-encoding', value: 'gzip, deflate' },
      { name: 'user-agent', value: 'nghttp2/1.41.0' },
    ]);
    expect(tx.request.headers.slice(7).map((f) => [f.name, f.value.length])).toEqual([1, 2, 3, 4, 5, 6].map((i) => [`continuation-test-${i}`, 4096]));
    // The block spans frames 4..24; the client ACKs the server SETTINGS only after it (frame 24).
    expect(tx.request).toMatchObject({ headerBytes: 9 + 16384 + 9 + 2192, firstAt: { frame: 4 }, lastAt: { frame: 24 } });
    expect(tx.response).toMatchObject({ status: 200, bodyBytes: 6616, firstAt: { frame: 28 } });
  });

  it('turns the PUSH_PROMISE into stream 2 with the fields tshark shows', () => {
    const want = tsharkHeaders(file, []);
    const pushed = r.transactions[1]!;
    expect(pushed).toMatchObject({ streamId: 2, pushPromised: 13, complete: true });
    // tshark lists the PUSH_PROMISE fields under stream 13 after the (undecoded) request, then both responses.
    const onParent = want.get(13)!;
    expect(pushed.request.headers).toEqual(onParent.slice(0, 6));
    expect(r.transactions[0]!.response.headers).toEqual(onParent.slice(6));
    expect(pushed.response.headers).toEqual(want.get(2));
    expect(pushed.request).toMatchObject({ method: 'GET', path: '/stylesheets/screen.css', firstAt: { frame: 26 } });
    expect(pushed.response).toMatchObject({ status: 200, bodyBytes: 16384 + 9437 + 13261 });
  });

  it('records both streams\' windows reopened by the client and its GOAWAY', () => {
    expect(r.windowUpdates.map((w) => [w.side, w.streamId, w.increment])).toEqual([
      [0, 0, 0x82e6],
      [0, 2, 0x8380],
    ]);
    expect(r.stalls).toEqual([]);
    expect(r.goaways).toMatchObject([{ side: 0, lastStreamId: 2, errorCode: 0 }]);
    expect(r.stats[0].framesByType).toEqual({ SETTINGS: 2, PRIORITY: 5, HEADERS: 1, CONTINUATION: 1, WINDOW_UPDATE: 2, GOAWAY: 1 });
  });
});
