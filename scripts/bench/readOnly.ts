// SPDX-License-Identifier: MIT
// Benchmark body: read every record of a capture with our reader and touch each record's bytes
// (no decoding, no analysis). Prints JSON {packets, bytes, seconds, rssMB}.
import { FileSource } from '../../extension/core/capture/byteSource.js';
import { openCapture } from '../../extension/core/capture/openCapture.js';

const file = process.argv[2];
if (!file) throw new Error('usage: readOnly FILE');
const t0 = process.hrtime.bigint();
const source = FileSource.open(file);
const reader = openCapture(source);
let packets = 0;
let bytes = 0;
let checksum = 0;
for (let r = reader.next(); r; r = reader.next()) {
  packets++;
  bytes += r.capturedLength;
  checksum ^= r.bytes[0] ?? 0; // touch the view so the work cannot be skipped
}
source.close();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ packets, bytes, seconds, rssMB: Math.round(process.resourceUsage().maxRSS / 1024), checksum, warnings: reader.warnings.length }));
