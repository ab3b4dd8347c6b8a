// SPDX-License-Identifier: MIT
// Oracle: our connections are Wireshark's TCP streams (same tcp.stream numbers, 4-tuples and first
// frames), and our retransmissions are the frames tshark flags tcp.analysis.retransmission, on every
// capture of the public corpus and of fixtures/. Where we differ on purpose, KNOWN_DIFFERENCES says why.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../extension/core/analyze.js';
import { FileSource } from '../../extension/core/capture/byteSource.js';
import type { Connection } from '../../extension/core/flows/connection.js';
import { corpusFiles, fixtureFiles, hasWiresharkTools } from '../helpers/corpus.js';

const run = promisify(execFile);

interface TsharkStream {
  stream: number;
  firstFrame: number;
  endpoints: string[];
  retransmissions: number[];
}

/** Streams tshark sees: tcp.stream → first frame, the two endpoints, retransmitted frames. */
async function tsharkStreams(file: string): Promise<Map<number, TsharkStream>> {
  const fields = ['frame.number', 'tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', 'tcp.analysis.retransmission', 'icmp.type', 'icmpv6.type'];
  // tshark exits non-zero on a damaged file after printing the packets before the damage: keep those.
  const stdout = await run('tshark', ['-n', '-r', file, '-Y', 'tcp', '-T', 'fields', '-E', 'occurrence=l', ...fields.flatMap((f) => ['-e', f])], { maxBuffer: 256 << 20 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const streams = new Map<number, TsharkStream>();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [frame, stream, ip4src, ip6src, sport, ip4dst, ip6dst, dport, retrans, icmp, icmp6] = line.split('\t');
    // TCP headers quoted inside ICMP errors get a tcp.stream in Wireshark but are not segments of the connection.
    if (icmp || icmp6) continue;
    const id = Number(stream);
    let s = streams.get(id);
    if (!s) {
      s = { stream: id, firstFrame: Number(frame), endpoints: [`${ip4src || ip6src}:${sport}`, `${ip4dst || ip6dst}:${dport}`].sort(), retransmissions: [] };
      streams.set(id, s);
    }
    if (retrans) s.retransmissions.push(Number(frame));
  }
  return streams;
}

function ours(file: string): Connection[] {
  const source = FileSource.open(file);
  try {
    return analyzeCapture(source, { fileName: basename(file) }).connections;
  } catch {
    return [];
  } finally {
    source.close();
  }
}

/** Streams tshark finds that we do not decode, and why. */
const NOT_DECODED: Record<string, { streams: number[]; why: string }> = {
  'dpkt__nb6-http.pcap': { streams: [2], why: 'TCP over IPv6 inside L2TP/UDP inside PPPoE: tunnels are not decoded' },
  'tcpdump__arcnet-rfc1051-arp-icmp-http.pcap': { streams: [0], why: 'link type 129 (ARCNET_LINUX) is not decoded' },
};

const files = [...corpusFiles(), ...fixtureFiles()];
const tools = files.length > 0 && hasWiresharkTools();

describe.skipIf(!tools)(`tcp.stream oracle over ${files.length} captures`, () => {
  it.concurrent.each(files.map((f) => [basename(f), f]))('%s', async (_name, file) => {
    const theirs = await tsharkStreams(file);
    const mine = ours(file);
    const got = mine.map((c) => ({
      stream: c.stream,
      firstFrame: c.firstFrame,
      endpoints: [`${c.client.ip}:${c.client.port}`, `${c.server.ip}:${c.server.port}`].sort(),
      retransmissions: [...c.clientToServer.retransmissionFrames, ...c.serverToClient.retransmissionFrames].sort((a, b) => a - b),
    }));
    const skipped = NOT_DECODED[basename(file)]?.streams ?? [];
    const want = [...theirs.values()].filter((t) => !skipped.includes(t.stream)).sort((a, b) => a.stream - b.stream);
    expect(got).toEqual(want);
  });
});
