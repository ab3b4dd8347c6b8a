// SPDX-License-Identifier: MIT
// The recorded HTTP framing fixtures (fixtures/http1, fixtures/h2; fixtures/README.md says how each was
// made and what tshark measured): these tests pin what our analyzer reports to the frames, statuses
// and byte counts on the wire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import type { Connection } from '../../extension/core/flows/connection.js';
import type { HttpMessage, HttpTransaction } from '../../extension/core/http/transaction.js';
import { FIXTURES_DIR } from '../helpers/corpus.js';

function connections(name: string): Connection[] {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return analyzeCapture(source, { fileName: name }).connections;
  } finally {
    source.close();
  }
}

/** only returns the single connection of a fixture. */
function only(name: string): Connection {
  const c = connections(name);
  expect(c).toHaveLength(1);
  return c[0]!;
}

/** frames gives a message's [first frame, header end, first body frame, last body frame, last frame]. */
function frames(m: HttpMessage | undefined): (number | undefined)[] {
  const t = m?.timing;
  return [t?.firstFrame, t?.headerEndFrame, t?.bodyFirstFrame, t?.bodyLastFrame, t?.lastFrame];
}

/** line summarises a transaction as [method, target, status]. */
const line = (t: HttpTransaction) => [t.method, t.target, t.status];

function header(m: HttpMessage | undefined, name: string): string | undefined {
  return m?.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

describe('HTTP/1.x framing fixtures', () => {
  it('pipeline-get-head-get.pcap: GET, HEAD, GET in one segment, answered in order; the HEAD response has no body', () => {
    const c = only('http1/pipeline-get-head-get.pcap');
    expect(c.protocol).toBe('http/1.1');
    const t = c.transactions;
    expect(t.map(line)).toEqual([
      ['GET', '/index.html', 200],
      ['HEAD', '/js/app.js', 200],
      ['GET', '/api/status.json', 200],
    ]);
    expect(t.map((x) => [x.outstandingAtSend, x.pipelinePosition])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    // All three requests are in frame 4 (290 bytes).
    expect(t.map((x) => frames(x.request))).toEqual([
      [4, 4, undefined, undefined, 4],
      [4, 4, undefined, undefined, 4],
      [4, 4, undefined, undefined, 4],
    ]);
    // Frame 6: head 1 (239 B) + 1209 body bytes; frame 8: 228 body bytes, the HEAD response, response 3.
    expect(t.map((x) => frames(x.response))).toEqual([
      [6, 6, 6, 8, 8],
      [8, 8, undefined, undefined, 8],
      [8, 8, 8, 8, 8],
    ]);
    expect(t[0]!.response).toMatchObject({ framing: 'content-length', headerBytes: 239, bodyBytes: 1437, expectedBodyBytes: 1437, complete: true });
    // The HEAD response announces Content-Length: 18000 but carries nothing (RFC 9112 §6.3 rule 1);
    // Wireshark 4.0 takes the 18000 bytes as a body and never shows response 3.
    expect(header(t[1]!.response, 'content-length')).toBe('18000');
    expect(t[1]!.response).toMatchObject({ framing: 'none', headerBytes: 254, bodyBytes: 0, complete: true });
    expect(t[2]!.response).toMatchObject({ framing: 'content-length', headerBytes: 243, bodyBytes: 54, complete: true });
    expect(t.every((x) => x.complete && x.anomalies.length === 0)).toBe(true);
    expect(c.serverToClient.streamBytes).toBe(239 + 1437 + 254 + 243 + 54);
  });

  it('pipeline-get-post-get.pcap: a POST with a 27-byte body between two GETs in one segment', () => {
    const c = only('http1/pipeline-get-post-get.pcap');
    const t = c.transactions;
    expect(t.map(line)).toEqual([
      ['GET', '/api/status.json', 200],
      ['POST', '/api/submit', 200],
      ['GET', '/img/logo.svg', 200],
    ]);
    expect(t.map((x) => x.pipelinePosition)).toEqual([1, 2, 3]);
    expect(t[1]!.request).toMatchObject({ framing: 'content-length', bodyBytes: 27, expectedBodyBytes: 27, complete: true });
    expect(frames(t[1]!.request)).toEqual([4, 4, 4, 4, 4]);
    expect(t.map((x) => x.response?.bodyBytes)).toEqual([54, 19, 1587]);
    // Frame 6 holds responses 1 and 2 and the start of 3 (Wireshark 4.0 pairs all three with /img/logo.svg).
    expect(t.map((x) => frames(x.response))).toEqual([
      [6, 6, 6, 6, 6],
      [6, 6, 6, 6, 6],
      [6, 6, 6, 8, 8],
    ]);
    expect(t.every((x) => x.complete)).toBe(true);
  });

  it('chunked-trailers.pcap: chunk extensions and trailer fields, then a plain response on the same connection', () => {
    const c = only('http1/chunked-trailers.pcap');
    const [a, b] = c.transactions;
    expect(c.transactions).toHaveLength(2);
    expect(line(a!)).toEqual(['GET', '/stream', 200]);
    // Chunks 26 + 64 + 2000 + 12 = 2102 payload bytes; 2294 bytes from the end of the head to the end of the trailers.
    expect(a!.response).toMatchObject({ framing: 'chunked', headerBytes: 176, bodyBytes: 2102, bodyWireBytes: 2294, complete: true });
    expect(a!.response!.expectedBodyBytes).toBeUndefined();
    // Head frame 6; chunks in frames 8, 10, 12-14, 16; last chunk and trailers in frame 18.
    expect(frames(a!.response)).toEqual([6, 6, 8, 16, 18]);
    expect(a!.response!.trailers?.map((h) => h.name)).toEqual(['X-Content-SHA256', 'Server-Timing']);
    expect(a!.response!.trailers?.[0]!.value).toMatch(/^[0-9a-f]{64}$/);
    expect(a!.response!.trailers?.[1]!.value).toBe('app;dur=12.5');
    // `;seq=1`, `;seq=2;note="quoted, with spaces"` and `;done` are valid chunk extensions (RFC 9112 §7.1.1).
    expect(a!.anomalies).toEqual([]);
    expect(c.appAnomalies).toBeUndefined();
    expect(line(b!)).toEqual(['GET', '/api/status.json', 200]);
    expect(frames(b!.request)).toEqual([20, 20, undefined, undefined, 20]);
    expect(frames(b!.response)).toEqual([21, 21, 22, 22, 22]);
    expect(b!.response).toMatchObject({ framing: 'content-length', bodyBytes: 54, complete: true });
  });

  it('expect-100-continue.pcap: 100 Continue (frame 6) before the 3000-byte body, then 201', () => {
    const c = only('http1/expect-100-continue.pcap');
    expect(c.transactions).toHaveLength(1);
    const t = c.transactions[0]!;
    expect(line(t)).toEqual(['POST', '/upload', 201]);
    expect(header(t.request, 'expect')).toBe('100-continue');
    expect(t.interim.map((i) => [i.status, i.frame])).toEqual([[100, 6]]);
    expect(t.request).toMatchObject({ framing: 'content-length', headerBytes: 169, bodyBytes: 3000, expectedBodyBytes: 3000, complete: true });
    // Head frame 4; body frames 8, 9, 11 (1448 + 1448 + 104 bytes), after the 100.
    expect(frames(t.request)).toEqual([4, 4, 8, 11, 11]);
    expect(t.response).toMatchObject({ framing: 'content-length', headerBytes: 137, bodyBytes: 49, complete: true });
    expect(frames(t.response)).toEqual([12, 12, 13, 13, 13]);
    expect(t.complete).toBe(true);
  });

  it('no-content-not-modified.pcap: a 304 and a 204 with a Content-Length and no body keep the connection in step', () => {
    const c = only('http1/no-content-not-modified.pcap');
    const t = c.transactions;
    expect(t.map(line)).toEqual([
      ['GET', '/index.html', 200],
      ['GET', '/index.html', 304],
      ['DELETE', '/api/items/7', 204],
      ['GET', '/api/status.json', 200],
    ]);
    expect(t.map((x) => x.request.timing.firstFrame)).toEqual([4, 10, 12, 14]);
    expect(header(t[1]!.request, 'if-none-match')).toBeDefined();
    // The 304 repeats the 200's Content-Length: 1437 (allowed), the 204 sends Content-Length: 27 (not allowed):
    // neither has a body, so the next response starts right after each head.
    expect(header(t[1]!.response, 'content-length')).toBe('1437');
    expect(header(t[2]!.response, 'content-length')).toBe('27');
    expect(t[1]!.response).toMatchObject({ framing: 'none', headerBytes: 180, bodyBytes: 0, complete: true });
    expect(t[2]!.response).toMatchObject({ framing: 'none', headerBytes: 108, bodyBytes: 0, complete: true });
    expect(t.map((x) => frames(x.response))).toEqual([
      [6, 6, 8, 8, 8],
      [11, 11, undefined, undefined, 11],
      [13, 13, undefined, undefined, 13],
      [15, 15, 16, 16, 16],
    ]);
    expect(t[3]!.response).toMatchObject({ framing: 'content-length', bodyBytes: 54, complete: true });
    expect(t.every((x) => x.complete && x.outstandingAtSend === 0)).toBe(true);
  });

  it('close-delimited.pcap: HTTP/1.0 response without Content-Length, complete at the server FIN', () => {
    const c = only('http1/close-delimited.pcap');
    expect(c.protocol).toBe('http/1.0');
    expect(c).toMatchObject({ closedFirstBy: 'server', closeKind: 'fin' });
    const [t] = c.transactions;
    expect(c.transactions).toHaveLength(1);
    expect(t).toMatchObject({ method: 'GET', target: '/notes.txt', version: 'HTTP/1.0', responseVersion: 'HTTP/1.0', status: 200, complete: true });
    expect(t!.response).toMatchObject({ framing: 'close-delimited', headerBytes: 106, bodyBytes: 3000, complete: true });
    expect(t!.response!.truncatedBy).toBeUndefined();
    expect(t!.response!.expectedBodyBytes).toBeUndefined();
    // Head frame 6; body frames 8, 10, 12; FIN at frame 14.
    expect(frames(t!.response)).toEqual([6, 6, 8, 12, 12]);
  });

  it('truncated-body.pcap: Content-Length 6000, 2500 bytes, then FIN', () => {
    const c = only('http1/truncated-body.pcap');
    expect(c).toMatchObject({ closedFirstBy: 'server', closeKind: 'fin' });
    const [t] = c.transactions;
    expect(line(t!)).toEqual(['GET', '/download/report.bin', 200]);
    expect(t!.complete).toBe(false);
    expect(t!.response).toMatchObject({ framing: 'content-length', expectedBodyBytes: 6000, bodyBytes: 2500, complete: false, truncatedBy: 'fin', gapBytes: 0 });
    expect(frames(t!.response)).toEqual([6, 6, 8, 10, 10]);
  });

  it('connect-tunnel.pcap: CONNECT 200, then TLS 1.2 inside the tunnel', () => {
    const c = only('http1/connect-tunnel.pcap');
    expect(c.server.port).toBe(3128);
    expect(c.protocol).toBe('http/1.1');
    expect(c.transactions).toHaveLength(1);
    const t = c.transactions[0]!;
    expect(t).toMatchObject({ method: 'CONNECT', target: 'localhost:8443', status: 200, reason: 'Connection established', upgrade: 'tunnel', complete: true });
    expect(frames(t.request)).toEqual([4, 4, undefined, undefined, 4]);
    expect(t.response).toMatchObject({ framing: 'none', headerBytes: 39, bodyBytes: 0 });
    expect(frames(t.response)).toEqual([6, 6, undefined, undefined, 6]);
    // 758 bytes up (frames 8, 10, 12, 16), 2424 down (9, 11, 13, 14) after the 200.
    expect(c.tunnel).toEqual({ kind: 'tunnel', frame: 6, clientBytes: 758, serverBytes: 2424 });
    expect(c.tls).toMatchObject({
      version: 'TLS 1.2',
      cipherSuite: { code: 0xc02c },
      sni: 'localhost',
      alpnOffered: ['h2', 'http/1.1'],
      alpn: 'http/1.1',
      sessionResumed: false,
      clientHelloAt: { frame: 8 },
      serverHelloAt: { frame: 9 },
      handshakeDoneAt: { frame: 11 },
      serverCertificate: true,
    });
    // The client's close_notify (encrypted) at frame 16.
    expect(c.tls!.alerts.map((a) => [a.side, a.encrypted, a.at.frame])).toEqual([[0, true, 16]]);
  });

  it('websocket-upgrade.pcap: 101 with the first frame in the same segment, then frames both ways', () => {
    const c = only('http1/websocket-upgrade.pcap');
    expect(c.protocol).toBe('http/1.1');
    expect(c.transactions).toHaveLength(1);
    const t = c.transactions[0]!;
    expect(t).toMatchObject({ method: 'GET', target: '/chat', status: 101, upgrade: 'websocket', complete: true });
    expect(t.requestConnection).toEqual(['upgrade']);
    expect(t.response).toMatchObject({ framing: 'none', headerBytes: 129, bodyBytes: 0 });
    expect(frames(t.response)).toEqual([6, 6, undefined, undefined, 6]);
    // Frame 6 carries the 101 head (129 B) and the 9-byte "welcome" frame: 9 + 22 + 8 + 10 + 7 bytes of frames from
    // the server, 26 + 12 + 14 + 11 from the client.
    expect(c.tunnel).toEqual({ kind: 'websocket', frame: 6, clientBytes: 63, serverBytes: 56 });
    expect(c).toMatchObject({ closedFirstBy: 'server', closeKind: 'fin' });
  });
});

describe('h2c fixtures', () => {
  it('h2c-prior-knowledge.pcap: six concurrent streams (13-23) on one connection', () => {
    const c = only('h2/h2c-prior-knowledge.pcap');
    expect(c.protocol).toBe('h2c');
    expect(c.client).toEqual({ ip: '127.0.0.2', port: 42200 });
    const t = c.transactions;
    expect(t.map((x) => [x.streamId, x.method, x.target, x.status, x.response?.bodyBytes])).toEqual([
      [13, 'GET', '/index.html', 200, 1437],
      [15, 'GET', '/css/style.css', 200, 4200],
      [17, 'GET', '/img/logo.svg', 200, 1587],
      [19, 'GET', '/api/data.json', 200, 8000],
      [21, 'GET', '/api/items.json', 200, 1600],
      [23, 'GET', '/api/status.json', 200, 54],
    ]);
    expect(t.every((x) => x.version === 'HTTP/2' && x.request.framing === 'h2' && x.complete)).toBe(true);
    // All six HEADERS in frame 4 and all six responses' HEADERS in frame 9; each DATA with END_STREAM ends at 10, 15, 16, 21, 22, 22.
    expect(t.map((x) => x.request.timing.firstFrame)).toEqual([4, 4, 4, 4, 4, 4]);
    expect(t.map((x) => x.response?.timing.headerEndFrame)).toEqual([9, 9, 9, 9, 9, 9]);
    expect(t.map((x) => x.response?.timing.lastFrame)).toEqual([10, 15, 16, 21, 22, 22]);
    // Client SETTINGS in frame 4 (acknowledged in 9), server SETTINGS in frame 6 (acknowledged in 8).
    const settings = c.http2!.settings.filter((s) => !s.ack).map((s) => [s.side, s.at.frame, s.ackedAt?.frame]);
    expect(settings).toEqual([
      [0, 4, 9],
      [1, 6, 8],
    ]);
    expect(c.http2!.goaways.map((g) => [g.side, g.at.frame, g.lastStreamId, g.errorCode])).toEqual([[0, 24, 0, 0]]);
    expect(c.http2!.anomalies).toEqual([]);
  });

  it('h2c-prior-knowledge.pcap: response timing gives the frames of the DATA payload', () => {
    const t = only('h2/h2c-prior-knowledge.pcap').transactions;
    expect(t.map((x) => [x.response?.timing.bodyFirstFrame, x.response?.timing.bodyLastFrame])).toEqual([
      [9, 10],
      [10, 15],
      [15, 16],
      [16, 21],
      [21, 22],
      [22, 22],
    ]);
  });

  it('h2c-upgrade.pcap: the upgraded request is stream 1, the second URI stream 13', () => {
    const c = only('h2/h2c-upgrade.pcap');
    expect(c.protocol).toBe('h2c');
    const t = c.transactions;
    expect(t.map((x) => [x.streamId, x.method, x.target, x.status, x.response?.bodyBytes])).toEqual([
      [1, 'GET', '/index.html', 200, 1437],
      [13, 'GET', '/api/status.json', 200, 54],
    ]);
    // Stream 1: the HTTP/1.1 request in frame 4; HEADERS frame 8, DATA ends in frame 10.
    expect(t[0]!.request.timing.firstFrame).toBe(4);
    expect(header(t[0]!.request, 'upgrade')).toBe('h2c');
    expect([t[0]!.response?.timing.headerEndFrame, t[0]!.response?.timing.lastFrame]).toEqual([8, 10]);
    // Stream 13: HEADERS in frame 12 (after the client preface), response HEADERS + DATA in frame 14.
    expect(frames(t[1]!.request).slice(0, 1)).toEqual([12]);
    expect([t[1]!.response?.timing.headerEndFrame, t[1]!.response?.timing.lastFrame]).toEqual([14, 14]);
    expect(t.every((x) => x.complete)).toBe(true);
    // Server SETTINGS right after the 101 in frame 6 (ACK frame 12), the client's preface SETTINGS in 12 (ACK 13).
    const frameSettings = c.http2!.settings.filter((s) => !s.ack && s.source === 'frame').map((s) => [s.side, s.at.frame, s.ackedAt?.frame]);
    expect(frameSettings).toEqual([
      [1, 6, 12],
      [0, 12, 13],
    ]);
    expect(c.http2!.anomalies).toEqual([]);
  });

  it('h2c-upgrade.pcap: stream 1 says the connection switched to h2c with the 101 at frame 6', () => {
    const c = only('h2/h2c-upgrade.pcap');
    expect(c.transactions[0]!.upgrade).toBe('h2c');
  });

  it('h2c-upgrade.pcap: the HTTP2-Settings header is acknowledged by the 101 (frame 6)', () => {
    const c = only('h2/h2c-upgrade.pcap');
    const header = c.http2!.settings.filter((s) => s.source === 'http2-settings-header');
    expect(header.map((s) => [s.side, s.at.frame, s.ackedAt?.frame])).toEqual([[0, 4, 6]]);
  });

  it('h2c-upgrade.pcap: stream 1 request is an HTTP/1.1 request without a body', () => {
    const t = only('h2/h2c-upgrade.pcap').transactions[0]!;
    expect([t.version, t.responseVersion, t.request.framing, t.request.bodyBytes]).toEqual(['HTTP/1.1', 'HTTP/2', 'none', 0]);
  });

  it('h2c-upgrade.pcap: response timing gives the frames of the DATA payload', () => {
    const t = only('h2/h2c-upgrade.pcap').transactions;
    expect(t.map((x) => [x.response?.timing.bodyFirstFrame, x.response?.timing.bodyLastFrame])).toEqual([
      [8, 10],
      [14, 14],
    ]);
  });
});

describe('bodies are located, not kept', () => {
  it('chunked-trailers.pcap: the body spans re-read from the file give the de-chunked body', () => {
    const t = only('http1/chunked-trailers.pcap').transactions[0]!;
    const spans = t.response!.bodySpans!;
    expect(t.response!.bodySpansComplete).toBe(true);
    const file = readFileSync(join(FIXTURES_DIR, 'http1/chunked-trailers.pcap'));
    const body = Buffer.concat(spans.map((s) => file.subarray(s.fileOffset, s.fileOffset + s.length)));
    expect(body.length).toBe(t.response!.bodyBytes);
    expect(body.subarray(0, 26).toString('latin1')).toBe('first chunk: 26 bytes....\n');
    expect(body.subarray(-12).toString('latin1')).toBe('last piece.\n');
  });
});
