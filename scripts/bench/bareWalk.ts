// SPDX-License-Identifier: MIT
// Benchmark baseline: the least work that can count the records of a classic pcap: read the file
// in 8 MiB chunks and hop from record header to record header. Nothing is decoded or checked.
import { closeSync, openSync, readSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: bareWalk FILE');
const t0 = process.hrtime.bigint();
const fd = openSync(file, 'r');
const chunk = Buffer.alloc(8 * 1024 * 1024);
let position = 24; // classic pcap file header
let packets = 0;
let bytes = 0;
let little = true;
readSync(fd, chunk, 0, 4, 0);
little = chunk.readUInt32LE(0) === 0xa1b2c3d4 || chunk.readUInt32LE(0) === 0xa1b23c4d;
for (;;) {
  const got = readSync(fd, chunk, 0, chunk.length, position);
  if (got < 16) break;
  let p = 0;
  while (p + 16 <= got) {
    const caplen = little ? chunk.readUInt32LE(p + 8) : chunk.readUInt32BE(p + 8);
    if (p + 16 + caplen > got) break;
    packets++;
    bytes += caplen;
    p += 16 + caplen;
  }
  if (p === 0) break;
  position += p;
}
closeSync(fd);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ packets, bytes, seconds, rssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
