// SPDX-License-Identifier: MIT
// Drives the code-server workbench in Debian's Chromium through playwright-core: open the
// workspace, open a file, run a command, reach a custom editor's webview, the Problems pane and
// the side bar. Selectors and timings: ../shared/E2E-NOTES.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Dialog, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { hermeticEnv, OUTPUT_DIR, RUN_DIR } from './paths.js';

const CHROMIUM = '/usr/bin/chromium';
/** The workbench shows 4-7 s after load on this machine; more when the two cores are busy. */
const WORKBENCH_TIMEOUT_MS = 60_000;
/** The extension's commands register some seconds after the workbench shows. */
const COMMAND_TIMEOUT_MS = 45_000;
/** Analysis of a fixture plus the webview's first paint. */
export const WEBVIEW_TIMEOUT_MS = 30_000;

/** Workbench is one Chromium with the workspace open, and what the page said while the test ran. */
export interface Workbench {
  context: BrowserContext;
  page: Page;
  console: ConsoleMessage[];
  dialogs: Dialog[];
  pageErrors: Error[];
  close(): Promise<void>;
}

let launches = 0;

/** openWorkbench starts a fresh Chromium profile and loads the workbench; close() it in afterAll. */
export async function openWorkbench(url: string): Promise<Workbench> {
  const userDataDir = path.join(RUN_DIR, `chromium-${process.pid}-${launches++}`);
  fs.mkdirSync(userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: hermeticEnv() as Record<string, string>,
    viewport: { width: 1280, height: 800 },
    timeout: 30_000,
  });
  const workbench: Workbench = {
    context,
    page: context.pages()[0] ?? (await context.newPage()),
    console: [],
    dialogs: [],
    pageErrors: [],
    close: async () => {
      // Closing the persistent context stops the Chromium it started (Playwright kills it by PID).
      await context.close().catch(() => undefined);
    },
  };
  try {
    const page = workbench.page;
    page.on('console', (m) => workbench.console.push(m));
    page.on('pageerror', (e) => workbench.pageErrors.push(e));
    page.on('dialog', (d) => {
      workbench.dialogs.push(d);
      void d.dismiss().catch(() => undefined);
    });
    page.setDefaultTimeout(WEBVIEW_TIMEOUT_MS);
    await page.goto(url, { timeout: WORKBENCH_TIMEOUT_MS });
    await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
    // The explorer lists the workspace once the file service is up.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  } catch (e) {
    await workbench.close();
    throw e;
  }
  return workbench;
}

/** quickOpen opens a workspace file by name with Ctrl+P (custom editors open as they would for a user). */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 5 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ state: 'visible' });
}

/**
 * runCommand runs a command palette entry by its title. Until the extension has activated its
 * commands are missing ("No matching commands"): it retries until COMMAND_TIMEOUT_MS.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + COMMAND_TIMEOUT_MS;
  const input = page.locator('.quick-input-widget input');
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      await input.press('Enter');
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`command not found within ${COMMAND_TIMEOUT_MS / 1000} s: ${title}`, { cause: e });
      await page.waitForTimeout(1_000);
    }
  }
}

/** closeAllEditors closes every editor group's editors (Ctrl+K Ctrl+W is the default binding). */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
}

/**
 * captureWebview is the document of the visible capture editor's webview: the outer
 * `iframe.webview.ready` holds the `#active-frame` the extension's HTML is loaded into.
 */
export function captureWebview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready:visible').contentFrame().locator('#active-frame').contentFrame();
}

/** waitForAnalysis waits until the webview shows a finished analysis or a failure, and returns which. */
export async function waitForAnalysis(view: FrameLocator): Promise<'done' | 'failed'> {
  const done = view.locator('#root .analysis');
  const failed = view.locator('#root .failure');
  await done.or(failed).first().waitFor({ state: 'visible', timeout: WEBVIEW_TIMEOUT_MS });
  return (await failed.count()) > 0 ? 'failed' : 'done';
}

/** tableRows are the rendered rows of one of the webview's tables ('findings-table' or 'connections-table'). */
export function tableRows(view: FrameLocator, table: 'findings-table' | 'connections-table'): Locator {
  return view.locator(`.${table} .vt-rows .vt-row`);
}

/** cellTexts reads one column of the rendered rows (0-based column index), waiting until no row is still loading. */
export async function cellTexts(view: FrameLocator, table: 'findings-table' | 'connections-table', column: number): Promise<string[]> {
  const rows = tableRows(view, table);
  await rows.first().waitFor({ state: 'visible' });
  await view.locator(`.${table} .vt-rows .vt-row[aria-busy="true"]`).first().waitFor({ state: 'detached' });
  return rows.evaluateAll((els, c) => els.map((r) => r.querySelectorAll('[role="gridcell"]')[c]?.textContent?.trim() ?? ''), column);
}

/** openProblems shows the Problems pane and returns its marker rows (not the file rows). */
export async function openProblems(page: Page): Promise<Locator> {
  await runCommand(page, 'View: Focus Problems');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible' });
  return panel.locator('.monaco-list-row');
}

/** saveScreenshot writes the whole workbench to test-output/e2e/NAME.png and returns the path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(OUTPUT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, timeout: 10_000 });
  return file;
}

/** showFlows opens the extension's activity-bar container, whose view is the Flows tree. */
export async function showFlows(page: Page): Promise<void> {
  await page.locator('.part.activitybar .action-item .action-label[aria-label^="PCAP HTTP Inspector"]').first().click();
  // The only view of its container: its header is in the DOM but hidden; its tree rows show.
  await page.locator('.part.sidebar .pane-header[aria-label^="Flows"]').first().waitFor({ state: 'attached' });
  await page.locator('.part.sidebar .pane-body .monaco-list-row').first().waitFor({ state: 'visible' });
}
