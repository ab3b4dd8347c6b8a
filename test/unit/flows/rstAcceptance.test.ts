// SPDX-License-Identifier: MIT
// Which RST ends a connection (connectionTracker.ts reset/rstAcceptable): one in the peer's receive
// window that the peer did not ignore (RFC 9293 §3.10.7.4, RFC 5961 §3). Each case is a capture built
// byte by byte (Ethernet/IPv4/TCP in a classic pcap) and analysed end to end, so the HTTP layer's view
// of the streams is checked too: a RST the server ignored must not hide the exchange after it.
import { describe, expect, it } from 'vitest';
import { analyze, type Frame } from './builtCapture.js';

// Client ISN 1000, server ISN 5000; no window scaling, windows of 1024 bytes.
const HANDSHAKE: Frame[] = [
  { from: 'C', flags: 'S', seq: 1000, ms: 0 },
  { from: 'S', flags: 'SA', seq: 5000, ack: 1001, ms: 1 },
  { from: 'C', flags: 'A', seq: 1001, ack: 5001, ms: 2 },
];
const GET = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n'; // 28 bytes
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'; // 43 bytes
const PARTIAL = 'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'; // 40 bytes, the body never comes

/** The exchange that follows a RST the server ignored: GET (frame n), ACK, response, FINs. */
function exchangeAfter(ms: number): Frame[] {
  return [
    { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms },
    { from: 'S', flags: 'A', seq: 5001, ack: 1029, ms: ms + 1 },
    { from: 'S', flags: 'PA', seq: 5001, ack: 1029, data: RESPONSE, ms: ms + 2 },
    { from: 'C', flags: 'A', seq: 1029, ack: 5044, ms: ms + 3 },
    { from: 'C', flags: 'FA', seq: 1029, ack: 5044, ms: ms + 4 },
    { from: 'S', flags: 'FA', seq: 5044, ack: 1030, ms: ms + 5 },
    { from: 'C', flags: 'A', seq: 1030, ack: 5045, ms: ms + 6 },
  ];
}

interface Want {
  closedFirstBy: 'client' | 'server';
  closeKind: 'fin' | 'rst';
  clientRstFrame: number | undefined;
  serverRstFrame: number | undefined;
  /** The transaction: status (undefined = no response) and whether the response completed. */
  status: number | undefined;
  responseComplete: boolean | undefined;
  codes: string[];
}

describe('RST acceptance (table-driven, built captures)', () => {
  const cases: { name: string; trace: Frame[]; want: Want }[] = [
    {
      // suricata security-4710-01: a RST with a TCP-MD5 option the server cannot verify (RFC 2385 §2.0
      // says to drop such a segment), then the GET and its answer on the same connection.
      name: 'RST with a TCP-MD5 option that the server ignored: the exchange after it is kept',
      trace: [...HANDSHAKE, { from: 'C', flags: 'RA', seq: 1001, ack: 5001, md5: true, ms: 3 }, ...exchangeAfter(4)],
      want: { closedFirstBy: 'client', closeKind: 'fin', clientRstFrame: undefined, serverRstFrame: undefined, status: 200, responseComplete: true, codes: [] },
    },
    {
      name: 'RST below the receive window (seq < the peer’s ACK): dropped, the exchange goes on',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms: 3 },
        { from: 'S', flags: 'A', seq: 5001, ack: 1029, ms: 4 },
        { from: 'C', flags: 'R', seq: 1001, ms: 5 },
        ...exchangeAfter(6).slice(2),
      ],
      want: { closedFirstBy: 'client', closeKind: 'fin', clientRstFrame: undefined, serverRstFrame: undefined, status: 200, responseComplete: true, codes: [] },
    },
    {
      name: 'RST beyond the receive window (seq ≥ RCV.NXT + RCV.WND): dropped, the exchange goes on',
      trace: [...HANDSHAKE, { from: 'C', flags: 'R', seq: 1001 + 1024, ms: 3 }, ...exchangeAfter(4)],
      want: { closedFirstBy: 'client', closeKind: 'fin', clientRstFrame: undefined, serverRstFrame: undefined, status: 200, responseComplete: true, codes: [] },
    },
    {
      name: 'RST in the window with nothing after it ends the connection there',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms: 3 },
        { from: 'S', flags: 'PA', seq: 5001, ack: 1029, data: PARTIAL, ms: 4 },
        { from: 'C', flags: 'RA', seq: 1029, ack: 5041, ms: 5 },
      ],
      want: { closedFirstBy: 'client', closeKind: 'rst', clientRstFrame: 6, serverRstFrame: undefined, status: 200, responseComplete: false, codes: ['reset-mid-message'] },
    },
    {
      // The rest of the response and the server's FIN were already on their way when the client's RST
      // left: the RST still closed first, and the response (complete on the wire) is not cut.
      name: 'RST crossing the rest of the response and the peer’s FIN: the RST is the first close',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: GET, ms: 3 },
        { from: 'S', flags: 'PA', seq: 5001, ack: 1029, data: PARTIAL, ms: 4 },
        { from: 'C', flags: 'RA', seq: 1029, ack: 5041, ms: 5 },
        { from: 'S', flags: 'FPA', seq: 5041, ack: 1029, data: 500, ms: 6 },
      ],
      want: { closedFirstBy: 'client', closeKind: 'rst', clientRstFrame: 6, serverRstFrame: undefined, status: 200, responseComplete: true, codes: [] },
    },
    {
      // The client keeps writing after its RST; the server, which took the RST, answers that data with
      // RST (RFC 9293 §3.10.7.1): the first RST was accepted, not ignored.
      name: 'RST taken by the peer, which resets the data sent after it',
      trace: [
        ...HANDSHAKE,
        { from: 'C', flags: 'RA', seq: 1001, ack: 5001, ms: 3 },
        { from: 'C', flags: 'PA', seq: 1001, ack: 5001, data: 10, ms: 4 },
        { from: 'S', flags: 'R', seq: 5001, ms: 5 },
      ],
      want: { closedFirstBy: 'client', closeKind: 'rst', clientRstFrame: 4, serverRstFrame: 6, status: undefined, responseComplete: undefined, codes: [] },
    },
  ];

  it.each(cases)('$name', ({ trace, want }) => {
    const a = analyze(trace);
    expect(a.connections).toHaveLength(1);
    const c = a.connections[0]!;
    const t = c.transactions[0];
    expect({
      closedFirstBy: c.closedFirstBy,
      closeKind: c.closeKind,
      clientRstFrame: c.clientToServer.rstFrame,
      serverRstFrame: c.serverToClient.rstFrame,
      status: t?.status,
      responseComplete: t?.response?.complete,
      codes: a.findings.map((f) => f.code),
    }).toEqual(want);
  });

  it('names the RST frame as evidence when a RST in the window cuts a response', () => {
    const a = analyze(cases[3]!.trace);
    expect(a.findings[0]).toMatchObject({ code: 'reset-mid-message', connection: 0, transaction: 0, frames: [5, 6] });
  });
});
