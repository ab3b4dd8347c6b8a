// SPDX-License-Identifier: MIT
// Access to the public capture corpus (../shared/captures/public) and to the tshark oracle.
// The corpus is never copied into the repo (licences vary): tests read it in place and skip
// visibly when it is absent. In CI (CI=true) a missing corpus or tshark is an error, not a skip.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const CORPUS_DIR = resolve(REPO_ROOT, '../shared/captures/public');
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');
const inCi = process.env.CI === 'true';

/** corpusFiles lists the capture files of the public corpus, or [] when it is absent. */
export function corpusFiles(): string[] {
  if (!existsSync(CORPUS_DIR)) {
    if (inCi) throw new Error(`CI: the public capture corpus is missing at ${CORPUS_DIR}`);
    console.warn(`SKIPPED: public capture corpus not found at ${CORPUS_DIR}`);
    return [];
  }
  return readdirSync(CORPUS_DIR)
    .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .sort()
    .map((f) => join(CORPUS_DIR, f));
}

/** fixtureFiles lists every capture under fixtures/, recursively. */
export function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(pcap|pcapng|cap)$/.test(e.name)) out.push(p);
    }
  };
  walk(FIXTURES_DIR);
  return out.sort();
}

let toolCache: boolean | undefined;
/** hasWiresharkTools tells whether tshark and capinfos are installed (required in CI). */
export function hasWiresharkTools(): boolean {
  if (toolCache !== undefined) return toolCache;
  try {
    execFileSync('capinfos', ['-v'], { stdio: 'ignore' });
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    toolCache = true;
  } catch {
    if (inCi) throw new Error('CI: tshark/capinfos are not installed (.ci/run installs the tshark package)');
    console.warn('SKIPPED: tshark/capinfos not installed (apt-get install tshark)');
    toolCache = false;
  }
  return toolCache;
}
