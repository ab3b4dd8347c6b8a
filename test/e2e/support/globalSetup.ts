// SPDX-License-Identifier: MIT
// Vitest global setup of the end-to-end tests: installs code-server and packages the extension
// (scripts/e2e/setup.sh), installs the .vsix into a fresh profile, starts one code-server on a free
// loopback port for all test files, and stops it (by its process group) when the run ends, passed
// or failed. Every wait is bounded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { E2E_DIR, hermeticEnv, OUTPUT_DIR, ROOT, RUN_DIR, WORKSPACE_DIR } from './paths.js';
import { prepareWorkspace } from './workspace.js';

/** E2eContext is what the test files get through `inject('e2e')`. */
export interface E2eContext {
  /** The workbench URL with the workspace folder open. */
  workbenchUrl: string;
  workspaceDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}

const SETUP_TIMEOUT_MS = 20 * 60_000;
const INSTALL_EXTENSION_TIMEOUT_MS = 120_000;
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const PID_FILE = path.join(RUN_DIR, 'code-server.pid');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  stopLeftover();
  const started = Date.now();
  const tools = runSetupScript();
  const setupSeconds = ((Date.now() - started) / 1000).toFixed(1);

  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  const env = hermeticEnv();
  for (const dir of [env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME, env.XDG_STATE_HOME, env.TMPDIR]) fs.mkdirSync(dir!, { recursive: true });
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  prepareWorkspace();

  const userDataDir = path.join(RUN_DIR, 'user-data');
  const extensionsDir = path.join(RUN_DIR, 'extensions');
  writeUserSettings(userDataDir);
  const profileArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', path.join(RUN_DIR, 'config.yaml')];

  const install = spawnSync(tools.node24, [tools.codeServer, ...profileArgs, '--install-extension', tools.vsix], { env, encoding: 'utf8', timeout: INSTALL_EXTENSION_TIMEOUT_MS });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  const logPath = path.join(OUTPUT_DIR, 'code-server.log');
  const log = fs.openSync(logPath, 'w');
  const child = spawn(
    tools.node24,
    [tools.codeServer, ...profileArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', WORKSPACE_DIR],
    // Its own process group, so stopping it also stops the extension host and the other children it forks.
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error('code-server did not start');
  fs.writeFileSync(PID_FILE, String(child.pid));
  const stop = once(() => stopGroup(child));
  // A run interrupted with Ctrl+C still stops the server.
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  try {
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, child, logPath);
  } catch (e) {
    await stop();
    throw e;
  }
  console.log(`e2e: setup ${setupSeconds} s; code-server pid ${child.pid} on 127.0.0.1:${port} (log ${path.relative(ROOT, logPath)})`);
  project.provide('e2e', { workbenchUrl: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE_DIR)}`, workspaceDir: WORKSPACE_DIR });
  return stop;
}

interface Tools {
  node24: string;
  codeServer: string;
  vsix: string;
}

function runSetupScript(): Tools {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'e2e', 'setup.sh')], { env: { ...process.env, E2E_DIR }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: SETUP_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`scripts/e2e/setup.sh failed (${result.status ?? result.signal})`);
  const vars = Object.fromEntries(result.stdout.split('\n').map((line) => line.split('=', 2)).filter((kv) => kv.length === 2)) as Record<string, string>;
  const { NODE24: node24, CODE_SERVER: codeServer, VSIX: vsix } = vars;
  if (!node24 || !codeServer || !vsix) throw new Error(`scripts/e2e/setup.sh did not name its outputs:\n${result.stdout}`);
  return { node24, codeServer, vsix };
}

/** writeUserSettings keeps the workbench quiet: no welcome page, tips, update checks or AI side panel. */
function writeUserSettings(userDataDir: string): void {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'window.restoreWindows': 'none',
    'files.hotExit': 'off',
    'git.enabled': false,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}); see ${logPath}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer ${url} within ${HEALTH_TIMEOUT_MS / 1000} s; see ${logPath}`);
}

/** stopGroup stops code-server's process group: SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  // Children that outlive the server (or all of it, when it did not stop in time) are killed.
  signalGroup(pid, 'SIGKILL');
  if (!inTime) await Promise.race([exited, sleep(2_000)]);
  fs.rmSync(PID_FILE, { force: true });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** stopLeftover stops the code-server of an earlier run that was killed before its teardown. */
function stopLeftover(): void {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(PID_FILE, 'utf8'));
  } catch {
    return;
  }
  // Only if that PID still is our code-server (PIDs are reused).
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Not running.
  }
  if (pid > 1 && cmdline.includes(RUN_DIR)) signalGroup(pid, 'SIGKILL');
  fs.rmSync(PID_FILE, { force: true });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
