// SPDX-License-Identifier: MIT
//
// Tests for the syntax helpers of Http1Parser (extension/core/http/http1Syntax.ts) and its ByteCarry:
// table-driven, `{in, want}` [gopacket].
import { describe, expect, it } from 'vitest';
import { ByteCarry } from '../../../extension/core/http/http1Carry.js';
import {
  latin1,
  parseChunkSizeLine,
  parseFieldLine,
  parseRequestLine,
  parseStatusLine,
  readFramingFields,
  trimOws,
} from '../../../extension/core/http/http1Syntax.js';
import type { Http1Header } from '../../../extension/core/http/http1Types.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

describe('parseChunkSizeLine (RFC 9112 §7.1)', () => {
  it.each([
    { in: '1a', want: { ok: true, size: 26, badExtension: false } },
    { in: '1A ', want: { ok: true, size: 26, badExtension: false } },
    { in: '0000000000000000000005', want: { ok: true, size: 5, badExtension: false } },
    { in: '1fffffffffffff', want: { ok: true, size: 2 ** 53 - 1, badExtension: false } },
    { in: '20000000000000', want: { ok: false, overflow: true } },
    { in: 'ffffffffffffffff', want: { ok: false, overflow: true } },
    { in: '4;name=value', want: { ok: true, size: 4, badExtension: false } },
    { in: '4 ; a ; b = "x;\\"y" ;c=d', want: { ok: true, size: 4, badExtension: false } },
    { in: '4;=v', want: { ok: true, size: 4, badExtension: true } },
    { in: '4;a="open', want: { ok: true, size: 4, badExtension: true } },
    { in: '4;a=', want: { ok: true, size: 4, badExtension: true } },
    { in: '', want: { ok: false, overflow: false } },
    { in: 'x1', want: { ok: false, overflow: false } },
    { in: '0x1a', want: { ok: false, overflow: false } },
    { in: '1 2', want: { ok: false, overflow: false } },
  ])('$in', (c) => {
    expect(parseChunkSizeLine(bytes(c.in))).toEqual(c.want);
  });
});

describe('parseRequestLine (RFC 9112 §3)', () => {
  it.each([
    { in: 'GET /a?b=c HTTP/1.1', want: { ok: true, method: 'GET', target: '/a?b=c', version: 'HTTP/1.1', spaceInTarget: false } },
    { in: 'CONNECT h:443 HTTP/1.0', want: { ok: true, method: 'CONNECT', target: 'h:443', version: 'HTTP/1.0', spaceInTarget: false } },
    { in: 'PRI * HTTP/2.0', want: { ok: true, method: 'PRI', target: '*', version: 'HTTP/2.0', spaceInTarget: false } },
    { in: 'GET /a b HTTP/1.1', want: { ok: true, method: 'GET', target: '/a b', version: 'HTTP/1.1', spaceInTarget: true } },
    { in: 'GET /zeek.html', want: { ok: true, method: 'GET', target: '/zeek.html', version: 'HTTP/0.9', spaceInTarget: false } },
    { in: 'POST /zeek.html', want: { ok: true, method: 'POST', target: '/zeek.html', version: 'HTTP/0.9', spaceInTarget: false } },
    { in: 'bad method', want: { ok: false } },
    { in: 'T / HTTP', want: { ok: false } },
    { in: 'GET ', want: { ok: false } },
    // No target: invalid, but kept as a request (with http.empty-target) so the server's 400 pairs with it.
    { in: 'GET  HTTP/1.1', want: { ok: true, method: 'GET', target: '', version: 'HTTP/1.1', emptyTarget: true } },
    { in: 'OPTIONS HTTP/1.1', want: { ok: true, method: 'OPTIONS', target: '', version: 'HTTP/1.1', emptyTarget: true } },
    { in: ' GET / HTTP/1.1', want: { ok: false } },
    { in: 'GET / HTTP/1.1 ', want: { ok: false } },
    { in: 'GET / HTTP/1.1\r', want: { ok: false } },
    { in: 'GE(T / HTTP/1.1', want: { ok: false } },
  ])('$in', (c) => {
    expect(parseRequestLine(c.in)).toMatchObject(c.want);
  });
});

describe('parseStatusLine (RFC 9112 §4)', () => {
  it.each([
    { in: 'HTTP/1.1 200 OK', want: { ok: true, version: 'HTTP/1.1', status: 200, reason: 'OK' } },
    { in: 'HTTP/1.0 404 Not Found', want: { ok: true, version: 'HTTP/1.0', status: 404, reason: 'Not Found' } },
    { in: 'HTTP/1.1 204', want: { ok: true, status: 204, reason: '' } },
    { in: 'HTTP/1.1 204 ', want: { ok: true, status: 204, reason: '' } },
    { in: 'HTTP/1.1 200 \xe9t\xe9', want: { ok: true, status: 200, reason: '\xe9t\xe9' } },
    { in: 'HTTP/2 200', want: { ok: false } },
    { in: 'HTTP/2.0 200 OK', want: { ok: false } },
    { in: 'HTTP/1.1 2000 OK', want: { ok: false } },
    { in: 'HTTP/1.1 20 OK', want: { ok: false } },
    { in: 'HTTP/1.1  200 OK', want: { ok: false } },
  ])('$in', (c) => {
    expect(parseStatusLine(c.in)).toMatchObject(c.want);
  });
});

describe('parseFieldLine (RFC 9112 §5)', () => {
  it.each([
    { in: 'Host: example.com', want: { kind: 'field', header: { name: 'Host', value: 'example.com' } } },
    { in: 'X-A:\t v \t', want: { kind: 'field', header: { name: 'X-A', value: 'v' } } },
    { in: 'X-Empty:', want: { kind: 'field', header: { name: 'X-Empty', value: '' } } },
    { in: 'X-Colon: a:b', want: { kind: 'field', header: { name: 'X-Colon', value: 'a:b' } } },
    { in: '  folded  ', want: { kind: 'fold', value: 'folded' } },
    { in: '\tfolded', want: { kind: 'fold', value: 'folded' } },
    { in: 'Content-Length : 5', want: { kind: 'bad' } },
    { in: ': v', want: { kind: 'bad' } },
    { in: 'no colon', want: { kind: 'bad' } },
  ])('$in', (c) => {
    expect(parseFieldLine(c.in)).toMatchObject(c.want);
  });
});

describe('readFramingFields (RFC 9112 §6, RFC 9110 §8.6)', () => {
  const h = (...pairs: [string, string][]): Http1Header[] => pairs.map(([name, value]) => ({ name, value }));
  it.each([
    { name: 'none', in: h(['Host', 'a']), want: { transferEncoding: false, chunked: false, contentLengthPresent: false } },
    { name: 'chunked', in: h(['Transfer-Encoding', 'Chunked']), want: { transferEncoding: true, chunked: true } },
    { name: 'chunked last of a list', in: h(['Transfer-Encoding', 'gzip, chunked']), want: { chunked: true } },
    { name: 'chunked in a later field', in: h(['Transfer-Encoding', 'gzip'], ['transfer-encoding', 'chunked']), want: { chunked: true } },
    { name: 'chunked not last', in: h(['Transfer-Encoding', 'chunked, gzip']), want: { transferEncoding: true, chunked: false } },
    { name: 'coding with parameters', in: h(['Transfer-Encoding', 'gzip;q=1, chunked ;x=y']), want: { chunked: true } },
    { name: 'trailing empty list element', in: h(['Transfer-Encoding', 'chunked, ']), want: { chunked: true } },
    { name: 'CL', in: h(['Content-Length', '42']), want: { contentLengthPresent: true, contentLength: 42 } },
    { name: 'CL identical list', in: h(['Content-Length', '42, 42'], ['content-length', '42']), want: { contentLength: 42 } },
    { name: 'CL differing', in: h(['Content-Length', '42'], ['Content-Length', '43']), want: { contentLengthPresent: true }, invalid: true },
    { name: 'CL sign', in: h(['Content-Length', '+5']), want: { contentLengthPresent: true }, invalid: true },
    { name: 'CL empty', in: h(['Content-Length', '']), want: { contentLengthPresent: true }, invalid: true },
    { name: 'CL above 2^53', in: h(['Content-Length', '9007199254740992']), want: { contentLengthPresent: true }, invalid: true },
    { name: 'CL 2^53 − 1', in: h(['Content-Length', '9007199254740991']), want: { contentLength: 2 ** 53 - 1 } },
    {
      name: 'connection tokens',
      in: h(['Connection', 'Keep-Alive, ,Upgrade'], ['Proxy-Connection', 'close'], ['Keep-Alive', 'timeout=1']),
      want: { connectionTokens: ['keep-alive', 'upgrade', 'close'], keepAlive: 'timeout=1' },
    },
  ])('$name', (c) => {
    const got = readFramingFields(c.in);
    expect(got).toMatchObject(c.want);
    if ('invalid' in c) {
      expect(got.contentLength).toBeUndefined();
      expect(got.contentLengthProblem).toBeDefined();
    } else expect(got.contentLengthProblem).toBeUndefined();
  });
});

describe('text helpers', () => {
  it('latin1 keeps every byte value, also 0x80–0x9f and past 4096 bytes', () => {
    const all = Uint8Array.from({ length: 9000 }, (_, i) => i % 256);
    const s = latin1(all);
    expect(s.length).toBe(9000);
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== i % 256) expect.fail(`char ${i}`);
    expect(latin1(all, 0x80, 0xa0)).toBe(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 0x80 + i)));
  });

  it('trimOws trims SP and HTAB only', () => {
    expect(trimOws(' \t a b \t ')).toBe('a b');
    expect(trimOws('\r a')).toBe('\r a');
    expect(trimOws('')).toBe('');
  });
});

describe('ByteCarry', () => {
  const r1 = { frame: 1, time: 1 };
  const r2 = { frame: 2, time: 2 };
  const r3 = { frame: 3, time: 3 };

  it('keeps the ChunkRef of every byte across appends', () => {
    const c = new ByteCarry();
    c.append(bytes('xxabc'), 2, 5, 100, r1);
    c.append(bytes('de'), 0, 2, 103, r2);
    c.append(bytes('f'), 0, 1, 105, r3);
    expect(latin1(c.bytes())).toBe('abcdef');
    expect([c.startOffset, c.endOffset]).toEqual([100, 106]);
    expect([99, 100, 102, 103, 105].map((o) => c.refAt(o)?.frame)).toEqual([undefined, 1, 1, 2, 3]);
    expect(c.lastRef()).toBe(r3);
  });

  it('keepLast drops the oldest bytes and their refs', () => {
    const c = new ByteCarry();
    c.append(bytes('abc'), 0, 3, 0, r1);
    c.append(bytes('def'), 0, 3, 3, r2);
    c.keepLast(2);
    expect(latin1(c.bytes())).toBe('ef');
    expect(c.startOffset).toBe(4);
    expect(c.refAt(4)).toBe(r2);
    c.append(bytes('g'), 0, 1, 6, r3);
    expect(latin1(c.bytes())).toBe('efg');
  });

  it('detachFrom hands over segments per chunk and leaves the carry empty and reusable', () => {
    const c = new ByteCarry();
    c.append(bytes('abc'), 0, 3, 10, r1);
    c.append(bytes('de'), 0, 2, 13, r2);
    const segs = c.detachFrom(11);
    expect(segs.map((s) => [latin1(s.bytes), s.offset, s.at.frame])).toEqual([
      ['bc', 11, 1],
      ['de', 13, 2],
    ]);
    expect(c.length).toBe(0);
    c.append(bytes('zz'), 0, 2, 50, r3);
    expect(segs.map((s) => latin1(s.bytes))).toEqual(['bc', 'de']);
  });

  it('grows past its initial capacity and releases big buffers when cleared', () => {
    const c = new ByteCarry();
    const big = new Uint8Array(40_000).fill(0x61);
    c.append(big, 0, big.length, 0, r1);
    c.append(big, 0, 10, 40_000, r2);
    expect(c.length).toBe(40_010);
    c.clear();
    expect(c.length).toBe(0);
    expect(c.bytes().length).toBe(0);
  });
});
