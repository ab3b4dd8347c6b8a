// SPDX-License-Identifier: MIT
// The recorded TCP lifecycle fixtures (fixtures/tcp, fixtures/README.md) show what their recorders
// did: these tests pin the connection facts to what was measured when they were made.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import type { Connection } from '../../extension/core/flows/connection.js';
import { FIXTURES_DIR } from '../helpers/corpus.js';

function connections(name: string): Connection[] {
  const source = FileSource.open(join(FIXTURES_DIR, name));
  try {
    return analyzeCapture(source, { fileName: name }).connections;
  } finally {
    source.close();
  }
}

describe('TCP lifecycle fixtures', () => {
  it('refused.pcap: two SYNs refused by RST/ACK, then a served GET', () => {
    const c = connections('tcp/refused.pcap');
    expect(c.map((x) => [x.handshake, x.connState, x.server.port])).toEqual([
      ['refused', 'REJ', 8081],
      ['refused', 'REJ', 8081],
      ['complete', 'SF', 80],
    ]);
    expect(c[0]!.client.port).not.toBe(c[1]!.client.port);
  });

  it('syn-timeout.pcap: four unanswered SYNs about a second apart (S0)', () => {
    const [c, ...rest] = connections('tcp/syn-timeout.pcap');
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ handshake: 'incomplete', connState: 'S0', synCount: 4, history: 'ST' });
    expect(c!.clientToServer.retransmissions).toBe(3);
  });

  it('port-reuse.pcap: one 4-tuple, four streams, each with its own handshake', () => {
    const c = connections('tcp/port-reuse.pcap');
    expect(c).toHaveLength(4);
    expect(new Set(c.map((x) => `${x.client.ip}:${x.client.port}>${x.server.ip}:${x.server.port}`)).size).toBe(1);
    expect(c.every((x) => x.handshake === 'complete')).toBe(true);
    expect(c.map((x) => x.closeKind)).toEqual(['rst', 'fin', 'fin', 'fin']);
    expect(c.map((x) => x.closedFirstBy)).toEqual(['client', 'server', 'client', 'client']);
  });

  it('midstream.pcap: no handshake, no close (OTH), roles from the HTTP request', () => {
    const [c] = connections('tcp/midstream.pcap');
    expect(c).toMatchObject({ handshake: 'not-captured', connState: 'OTH', roleSource: 'request', server: { port: 80 } });
    expect(c!.closeKind).toBeUndefined();
  });

  it('midstream-close.pcap: no handshake but both FINs (SF, as Zeek says)', () => {
    const [c] = connections('tcp/midstream-close.pcap');
    expect(c).toMatchObject({ handshake: 'not-captured', connState: 'SF', closedFirstBy: 'client', closeKind: 'fin' });
  });

  it('rst-by-client.pcap: the client aborts the download (RSTO)', () => {
    const [c] = connections('tcp/rst-by-client.pcap');
    expect(c).toMatchObject({ connState: 'RSTO', closedFirstBy: 'client', closeKind: 'rst' });
    expect(c!.serverToClient.payloadBytes).toBe(20_110);
  });

  it('rst-by-server.pcap: the server aborts mid-response (RSTR)', () => {
    const [c] = connections('tcp/rst-by-server.pcap');
    expect(c).toMatchObject({ connState: 'RSTR', closedFirstBy: 'server', closeKind: 'rst' });
  });

  it('half-close.pcap: the response comes after the client FIN', () => {
    const [c] = connections('tcp/half-close.pcap');
    expect(c).toMatchObject({ halfClosed: true, closedFirstBy: 'client', closeKind: 'fin', connState: 'SF' });
  });

  it('capture-loss.pcap: the three removed frames are one gap of exactly their bytes', () => {
    const [c] = connections('tcp/capture-loss.pcap');
    // fixtures/README.md: frames 50-52 removed = server stream offset 43440, 4344 bytes.
    expect(c!.serverToClient).toMatchObject({ gaps: 1, gapBytes: 4344, gapRanges: [{ streamOffset: 43_440, length: 4344 }], retransmissions: 0 });
    expect(c!.clientToServer.gaps).toBe(0);
  });

  it('lossy-input-drop.pcap: 13 packets dropped by nft, 14 retransmissions, nothing missing from the capture', () => {
    const [c] = connections('tcp/lossy-input-drop.pcap');
    const retrans = c!.clientToServer.retransmissions + c!.serverToClient.retransmissions;
    expect(retrans).toBe(14);
    expect(c!.serverToClient.gaps).toBe(0);
    expect(c!.serverToClient.retransmissionWaitMs).toBeGreaterThan(0);
  });
});
