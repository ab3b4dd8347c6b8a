// SPDX-License-Identifier: MIT
// One esbuild script for every runtime bundle (hexeditor's .esbuild.config.js): type-checking is `npm run typecheck`.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  target: 'node20',
};

/** Each bundle: entry, output, and the runtime it runs in. */
const bundles = [
  { entryPoints: ['extension/host/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['extension/host/worker/analysisWorker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs' },
  {
    entryPoints: ['extension/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // `pcap-inspect --version` and the HAR/SARIF creator version: fixed at build time, so the bundle needs no package.json beside it.
    define: { __PCAP_INSPECTOR_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version) },
  },
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

const missing = bundles.flatMap((b) => b.entryPoints).filter((e) => !existsSync(e));
if (missing.length) {
  console.error(`build: missing entry points: ${missing.join(', ')}`);
  process.exit(1);
}
await Promise.all(bundles.map((b) => build({ ...common, ...b })));
