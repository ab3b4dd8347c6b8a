// SPDX-License-Identifier: MIT
// HAR 1.2 export: every fixture validates against the har-schema JSON schemas (ajv), keeps the HAR
// rules the schema cannot express, agrees with tshark on the number of requests, and a few fixtures
// have golden files (update with `npx vitest run test/unit/render -u` and review the diff).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../../extension/core/analyze.js';
import { MemorySource } from '../../../extension/core/capture/byteSource.js';
import { harTimings, renderHar } from '../../../extension/core/render/har.js';
import { pcapFile, type PcapPacket } from '../../helpers/captureBuilder.js';
import { REPO_ROOT, hasWiresharkTools } from '../../helpers/corpus.js';
import { analysed, fixtureNames, withSource } from './fixtureAnalyses.js';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** validateHar compiles har-schema's har.json with every schema it references (draft-06). */
function harValidator() {
  // har-schema uses `min` where it means `minimum` and an `optional` keyword: not strict JSON Schema,
  // so strict mode is off and the timing bounds are checked by hand below.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  const schemas = require('har-schema') as Record<string, object>;
  for (const [name, schema] of Object.entries(schemas)) if (name !== 'har') ajv.addSchema(schema);
  return ajv.compile(schemas.har!);
}
const validateHar = harValidator();

interface HarEntry {
  startedDateTime: string;
  time: number;
  connection: string;
  serverIPAddress: string;
  request: { method: string; url: string; httpVersion: string; headersSize: number; bodySize: number; postData?: { text?: string } };
  response: { status: number; httpVersion: string; bodySize: number; headers: { name: string; value: string }[]; content: { size: number; text?: string; encoding?: string } };
  timings: Record<'blocked' | 'dns' | 'connect' | 'send' | 'wait' | 'receive' | 'ssl', number>;
  comment?: string;
}
const entriesOf = (har: string) => (JSON.parse(har) as { log: { entries: HarEntry[] } }).log.entries;

const names = fixtureNames();

describe('HAR export', () => {
  it('has fixtures', () => expect(names.length).toBeGreaterThan(0));

  it.each(names)('%s validates against har-schema and the HAR 1.2 rules', (name) => {
    const analysis = analysed(name);
    const har = renderHar(analysis);
    const doc = JSON.parse(har);
    const ok = validateHar(doc);
    expect(validateHar.errors ?? [], JSON.stringify(validateHar.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
    const entries = entriesOf(har);
    expect(entries).toHaveLength(analysis.connections.reduce((n, c) => n + c.transactions.length, 0));
    let previous = -Infinity;
    for (const e of entries) {
      // HAR 1.2: send, wait and receive are required and non-negative; the others are -1 when they do not apply.
      for (const k of ['send', 'wait', 'receive'] as const) expect(e.timings[k]).toBeGreaterThanOrEqual(0);
      for (const v of Object.values(e.timings)) expect(v === -1 || v >= 0, JSON.stringify(e.timings)).toBe(true);
      // `time` is the sum of the non-negative timings, ssl excluded (it is part of connect).
      const sum = Object.entries(e.timings)
        .filter(([k, v]) => k !== 'ssl' && v > 0)
        .reduce((n, [, v]) => n + v, 0);
      expect(e.time).toBeCloseTo(sum, 3);
      if (e.timings.ssl >= 0) expect(e.timings.ssl).toBeLessThanOrEqual(e.timings.connect);
      // Sorted by start (HAR 1.2 recommends it for importers).
      const started = Date.parse(e.startedDateTime);
      expect(started).toBeGreaterThanOrEqual(previous);
      previous = started;
      const conn = analysis.connections[Number(e.connection)];
      expect(conn?.server.ip).toBe(e.serverIPAddress);
    }
    // Deterministic: a second rendering is byte-identical.
    expect(renderHar(analysis)).toBe(har);
  });

  it.each(names)('%s: connect only on the first transaction of a connection whose SYN was captured', (name) => {
    const analysis = analysed(name);
    for (const conn of analysis.connections) {
      conn.transactions.forEach((t, i) => {
        const { timings } = harTimings(analysis, conn, t);
        if (i > 0 || conn.handshake !== 'complete') expect(timings.connect).toBe(-1);
        else expect(timings.connect).toBeCloseTo(conn.connectMs ?? NaN, 3);
      });
    }
  });

  it('a pipelined request is blocked for as long as the hol-blocking finding measured', () => {
    const name = 'fixtures/http/pipelining-hol.pcap';
    const analysis = analysed(name);
    const entries = entriesOf(renderHar(analysis));
    const holFindings = analysis.findings.filter((f) => f.code === 'hol-blocking');
    expect(holFindings.length).toBeGreaterThan(0);
    const conn = analysis.connections[0]!;
    for (const f of holFindings) {
      const t = conn.transactions[f.transaction!]!;
      const e = entries.find((x) => x.request.url.endsWith(t.target) && x.connection === String(conn.stream))!;
      expect(e.timings.blocked).toBeCloseTo(f.delayMs!, 3);
      expect(e.timings.connect).toBe(-1);
    }
    // The second request went out while the first was unanswered, and waited behind it.
    expect(conn.transactions[1]!.outstandingAtSend).toBeGreaterThan(0);
    expect(harTimings(analysis, conn, conn.transactions[1]!).timings.blocked).toBeGreaterThan(0);
  });

  it.each(['fixtures/h2/h2c-prior-knowledge.pcap', 'fixtures/findings/tcp-hol.pcap'])('%s: HTTP/2 entries say HTTP/2 and have no HTTP/1 header size', (name) => {
    const entries = entriesOf(renderHar(analysed(name)));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.request.httpVersion).toBe('HTTP/2');
      expect(e.response.httpVersion).toBe('HTTP/2');
      expect(e.request.headersSize).toBe(-1);
      expect(e.request.url).toMatch(/^http:\/\/[^/]+\//);
    }
  });

  it('h2c upgrade: the upgrading request is HTTP/1.1, the answer to it arrives over HTTP/2', () => {
    const entries = entriesOf(renderHar(analysed('fixtures/h2/h2c-upgrade.pcap')));
    expect(entries.map((e) => e.request.httpVersion)).toEqual(expect.arrayContaining(['HTTP/1.1', 'HTTP/2']));
  });

  it('an unanswered request keeps a HAR-valid empty response and says why', () => {
    const entries = entriesOf(renderHar(analysed('fixtures/findings/keep-alive-hang.pcap')));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.response.status).toBe(0);
    expect(entries[0]!.comment).toContain('no response');
  });

  describe('bodies', () => {
    const render = (name: string, capBytes: number) => withSource(name, (source) => renderHar(analysed(name), { bodies: { source, capBytes } }));

    it.each(names)('%s: with bodies the HAR still validates and each text has the body length', (name) => {
      const har = render(name, 1 << 20);
      expect(validateHar(JSON.parse(har)), JSON.stringify(validateHar.errors?.slice(0, 3))).toBe(true);
      for (const e of entriesOf(har)) {
        const c = e.response.content;
        if (c.text === undefined) continue;
        const bytes = c.encoding === 'base64' ? Buffer.from(c.text, 'base64').length : Buffer.byteLength(c.text);
        expect(bytes).toBe(c.size);
        const length = e.response.headers.find((h) => h.name.toLowerCase() === 'content-length');
        // A message cut short (FIN, RST, capture end) keeps what arrived; a complete one has all Content-Length bytes.
        if (length && !e.comment?.includes('response incomplete')) expect(bytes).toBe(Number(length.value));
        else if (length) expect(bytes).toBeLessThanOrEqual(Number(length.value));
      }
    });

    it('de-chunks a chunked body (RFC 9112 §7.1)', () => {
      const name = 'fixtures/http1/chunked-trailers.pcap';
      const t = analysed(name).connections[0]!.transactions[0]!;
      expect(t.response!.framing).toBe('chunked');
      const e = entriesOf(render(name, 1 << 20))[0]!;
      expect(Buffer.byteLength(e.response.content.text!)).toBe(t.response!.bodyBytes);
      expect(e.response.content.text).not.toMatch(/^[0-9a-f]+\r\n/i);
      expect(e.response.bodySize).toBe(t.response!.bodyWireBytes);
      expect(e.response.bodySize).toBeGreaterThan(t.response!.bodyBytes);
    });

    it('leaves out a body over the cap, with a comment', () => {
      const name = 'fixtures/findings/graceful-close-control.pcap';
      const e = entriesOf(render(name, 100)).find((x) => x.response.content.size > 100)!;
      expect(e.response.content.text).toBeUndefined();
      expect(e.comment).toContain('over the body cap of 100 bytes');
    });

    it('without the option no body is read', () => {
      for (const e of entriesOf(renderHar(analysed('fixtures/http/keepalive-get.pcap')))) expect(e.response.content.text).toBeUndefined();
    });
  });

  describe('a synthetic exchange: cookies, query, POST body, gzip and binary bodies', () => {
    // Raw-IPv4 (LINKTYPE_RAW 101) frames of one keep-alive connection, 10.0.0.1:40000 → 10.0.0.2:80.
    const text = JSON.stringify({ greeting: 'hello', n: [1, 2, 3] }).repeat(20);
    const gz = gzipSync(Buffer.from(text));
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const post = '{"a":1}';
    const reqHead = `POST /api?q=a%20b&x=1&flag HTTP/1.1\r\nHost: example.test\r\nCookie: sid=abc; theme=dark\r\nContent-Type: application/json\r\nContent-Length: ${post.length}\r\n\r\n`;
    const resHead = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nSet-Cookie: sid=xyz; Path=/; HttpOnly; Expires=Wed, 21 Oct 2037 07:28:00 GMT\r\nContent-Length: ${gz.length}\r\n\r\n`;
    const req2 = 'GET /bin HTTP/1.1\r\nHost: example.test\r\n\r\n';
    const res2Head = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${binary.length}\r\n\r\n`;
    const enc = (s: string) => Buffer.from(s, 'latin1');
    const c2s = [enc(reqHead + post), enc(req2)];
    const s2c = [Buffer.concat([enc(resHead), gz]), Buffer.concat([enc(res2Head), binary])];
    const frame = (ms: number, fromClient: boolean, flags: number, seq: number, ack: number, payload: Uint8Array = new Uint8Array(0)): PcapPacket => {
      const [src, dst, sport, dport] = fromClient ? [[10, 0, 0, 1], [10, 0, 0, 2], 40000, 80] : [[10, 0, 0, 2], [10, 0, 0, 1], 80, 40000];
      const ip = [0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, ...(src as number[]), ...(dst as number[])];
      const total = 40 + payload.length;
      ip[2] = total >> 8;
      ip[3] = total & 0xff;
      let sum = 0;
      for (let i = 0; i < 20; i += 2) sum += (ip[i]! << 8) | ip[i + 1]!;
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      ip[10] = (~sum >> 8) & 0xff;
      ip[11] = ~sum & 0xff;
      const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
      const tcp = [(sport as number) >> 8, (sport as number) & 0xff, (dport as number) >> 8, (dport as number) & 0xff, ...u32(seq), ...u32(ack), 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
      return { sec: 1_700_000_000, frac: ms * 1000, data: [...ip, ...tcp, ...payload] };
    };
    const SYN = 0x02, ACK = 0x10, PSH = 0x08;
    let cs = 1000;
    let ss = 5000;
    const packets: PcapPacket[] = [frame(0, true, SYN, cs++, 0), frame(1, false, SYN | ACK, ss++, cs), frame(2, true, ACK, cs, ss)];
    [3, 20].forEach((ms, i) => {
      packets.push(frame(ms, true, PSH | ACK, cs, ss, c2s[i]));
      cs += c2s[i]!.length;
      packets.push(frame(ms + 7, false, PSH | ACK, ss, cs, s2c[i]));
      ss += s2c[i]!.length;
      packets.push(frame(ms + 8, true, ACK, cs, ss));
    });
    const bytes = pcapFile({ linkType: 101, packets });
    const source = new MemorySource(bytes);
    const analysis = analyzeCapture(source, { fileName: 'synthetic.pcap' });
    const har = renderHar(analysis, { bodies: { source, capBytes: 1 << 20 } });
    const entries = entriesOf(har);

    it('is one connection with two transactions, and a valid HAR', () => {
      expect(analysis.connections).toHaveLength(1);
      expect(entries).toHaveLength(2);
      expect(validateHar(JSON.parse(har)), JSON.stringify(validateHar.errors?.slice(0, 3))).toBe(true);
    });

    it('splits the query string and the cookies, and keeps the POST body as text', () => {
      const e = JSON.parse(har).log.entries[0];
      expect(e.request.url).toBe('http://example.test/api?q=a%20b&x=1&flag');
      expect(e.request.queryString).toEqual([{ name: 'q', value: 'a b' }, { name: 'x', value: '1' }, { name: 'flag', value: '' }]);
      expect(e.request.cookies).toEqual([{ name: 'sid', value: 'abc' }, { name: 'theme', value: 'dark' }]);
      expect(e.request.postData).toEqual({ mimeType: 'application/json', text: post });
      expect(e.request.headersSize).toBe(reqHead.length);
      expect(e.request.bodySize).toBe(post.length);
      expect(e.response.cookies).toEqual([{ name: 'sid', value: 'xyz', path: '/', httpOnly: true, expires: '2037-10-21T07:28:00.000Z' }]);
    });

    it('undoes gzip: text is the original, size the decoded length, compression the bytes saved (HAR 1.2)', () => {
      const c = JSON.parse(har).log.entries[0].response;
      expect(c.content.text).toBe(text);
      expect(c.content.size).toBe(text.length);
      expect(c.content.compression).toBe(text.length - gz.length);
      expect(c.bodySize).toBe(gz.length);
      expect(c.headersSize).toBe(resHead.length);
    });

    it('writes a binary body as base64', () => {
      const c = entries[1]!.response.content;
      expect(c.encoding).toBe('base64');
      expect(Buffer.from(c.text!, 'base64')).toEqual(Buffer.from(binary));
    });

    it('measures the timings from the frames: connect from the handshake on the first request only', () => {
      // SYN at 0 ms, handshake ACK at 2 ms, request at 3 ms, response at 10 ms; second request at 20 ms, response 27 ms.
      expect(entries[0]!.timings).toMatchObject({ connect: 2, blocked: 1, send: 0, wait: 7, receive: 0, dns: -1, ssl: -1 });
      expect(entries[0]!.time).toBe(10);
      expect(entries[0]!.startedDateTime).toBe('2023-11-14T22:13:20.000000Z');
      expect(entries[1]!.timings).toMatchObject({ connect: -1, blocked: -1, send: 0, wait: 7, receive: 0 });
      expect(entries[1]!.startedDateTime).toBe('2023-11-14T22:13:20.020000Z');
    });
  });

  describe('agrees with tshark on the number of requests', () => {
    const tshark = hasWiresharkTools();
    // A tshark run costs about a second: a sample covering pipelining, HTTP/2 (prior knowledge,
    // upgrade, several connections), a mid-stream start and a CONNECT tunnel, not every fixture.
    const sample = [
      'fixtures/http/pipelining-hol.pcap',
      'fixtures/http1/pipeline-get-post-get.pcap',
      'fixtures/h2/h2c-prior-knowledge.pcap',
      'fixtures/h2/h2c-upgrade.pcap',
      'fixtures/findings/tcp-hol.pcap',
      'fixtures/tcp/midstream.pcap',
      'fixtures/http1/connect-tunnel.pcap',
    ];
    it.skipIf(!tshark).each(sample)('%s', (name) => {
      const analysis = analysed(name);
      // tshark decodes what a snapped capture cut short, we do not: compare whole captures only.
      if (analysis.capture.capturedBytes < analysis.capture.bytes) return;
      const out = execFileSync('tshark', ['-r', `${REPO_ROOT}/${name}`, '-T', 'fields', '-e', 'http.request.method', '-e', 'http2.headers.method', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=,'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const requests = out.split(/[,\n]/).filter(Boolean).length;
      expect(entriesOf(renderHar(analysis))).toHaveLength(requests);
    });
  });

  it.each(['fixtures/http/pipelining-hol.pcap', 'fixtures/h2/h2c-prior-knowledge.pcap', 'fixtures/http1/expect-100-continue.pcap', 'fixtures/http/reset-unread.pcap'])('golden %s', async (name) => {
    await expect(renderHar(analysed(name), { creatorVersion: 'golden' })).toMatchFileSnapshot(`__golden__/${name.replace(/^fixtures\//, '')}.har`);
  });
});
