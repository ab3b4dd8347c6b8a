// SPDX-License-Identifier: MIT
// Where the end-to-end run keeps its things. Everything it writes is under `.e2e/` (scratch,
// gitignored) or `test-output/e2e/` (screenshots and logs kept as CI artifacts, gitignored).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ROOT is the repository's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** E2E_DIR holds the installed Node 24, code-server and the packaged .vsix (kept between runs). */
export const E2E_DIR = process.env.E2E_DIR ?? path.join(ROOT, '.e2e');
/** RUN_DIR is one run's code-server profile, workspace, browser profiles and temp files (wiped at each start). */
export const RUN_DIR = path.join(E2E_DIR, 'run');
/** WORKSPACE_DIR is the folder code-server opens: copies of the fixtures the tests open, and the corrupt captures. */
export const WORKSPACE_DIR = path.join(RUN_DIR, 'workspace');
/** OUTPUT_DIR receives screenshots and the code-server log. */
export const OUTPUT_DIR = path.join(ROOT, 'test-output', 'e2e');

/** hermeticEnv points every per-user folder of a child process (code-server, Chromium) into RUN_DIR. */
export function hermeticEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(RUN_DIR, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(RUN_DIR, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(RUN_DIR, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(RUN_DIR, 'xdg', 'state'),
    TMPDIR: path.join(RUN_DIR, 'tmp'),
  };
}
