// SPDX-License-Identifier: MIT
// Reading benchmark (issue: reading alone within 2x a bare record-header walk).
// Usage: node scripts/bench-read.mjs FILE [runs]
// Runs the bare walk, our reader (no analysis) and, when installed, `tcpdump -nn -r`
// on the same file in one run, alternating, and prints the median of each and the ratios.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';

const [file, runsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/bench-read.mjs FILE [runs]   (make a big capture with scripts/make-bench-capture.sh)');
  process.exit(64);
}
const runs = Number(runsArg ?? 5);
mkdirSync('bench/js', { recursive: true });
await build({
  entryPoints: { readOnly: 'scripts/bench/readOnly.ts', bareWalk: 'scripts/bench/bareWalk.ts' },
  outdir: 'bench/js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});

function timeNode(script) {
  const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
function timeCommand(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.error) return undefined;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = { bare: [], reader: [], tcpdump: [] };
let last;
// Warm the page cache once so every contender reads from memory.
timeNode('bench/js/bareWalk.js');
for (let i = 0; i < runs; i++) {
  results.bare.push(timeNode('bench/js/bareWalk.js'));
  last = timeNode('bench/js/readOnly.js');
  results.reader.push(last);
  const t = timeCommand('tcpdump', ['-nn', '-r', file]);
  if (t) results.tcpdump.push(t);
}
const bare = median(results.bare.map((r) => r.seconds));
const reader = median(results.reader.map((r) => r.seconds));
const mb = statSync(file).size / 1e6;
console.log(`file        ${file}: ${mb.toFixed(0)} MB, ${last.packets} packets, ${runs} runs, medians`);
console.log(`bare walk   ${bare.toFixed(3)} s  (${results.bare[0].packets} records)  RSS ${results.bare[0].rssMB} MB`);
console.log(`our reader  ${reader.toFixed(3)} s  RSS ${last.rssMB} MB  warnings ${last.warnings}`);
if (results.tcpdump.length) console.log(`tcpdump -r  ${median(results.tcpdump.map((r) => r.seconds)).toFixed(3)} s  (decode and print to /dev/null)`);
console.log(`ratio       reader / bare walk = ${(reader / bare).toFixed(2)}  (target ≤ 2)`);
if (last.packets !== results.bare[0].packets) {
  console.error(`MISMATCH: reader saw ${last.packets} packets, bare walk ${results.bare[0].packets}`);
  process.exit(1);
}
