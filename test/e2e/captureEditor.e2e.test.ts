// SPDX-License-Identifier: MIT
// The capture editor in a real VS Code: a capture with known problems opens in the custom editor,
// whose webview lists the connections and the findings the CLI reports for the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, saveScreenshot, showFlows, cellTexts, closeAllEditors, openWorkbench, quickOpen, tableRows, waitForAnalysis, type Workbench } from './support/workbench.js';
import { ROOT } from './support/paths.js';
import { CAPTURES, cliAnalysis } from './support/workspace.js';

describe('capture editor', () => {
  let wb: Workbench;

  beforeAll(async () => {
    wb = await openWorkbench(inject('e2e').workbenchUrl);
  });

  afterAll(async () => {
    await wb?.close();
  });

  it.each([CAPTURES.nagle, CAPTURES.pipelining, CAPTURES.notReused])('%s: connections and finding codes as the CLI reports them', async (file) => {
    onTestFailed(() => saveScreenshot(wb.page, `failed-${file}`).then(() => undefined));
    const expected = cliAnalysis(file);
    expect(expected.findings.length, 'the fixture has findings').toBeGreaterThan(0);

    await quickOpen(wb.page, file);
    const view = captureWebview(wb.page);
    expect(await waitForAnalysis(view)).toBe('done');
    await expect.poll(() => view.locator('.capture-header h1').textContent()).toBe(file);

    // Connections table: one row per connection, identified by its stream number and endpoints.
    await expect.poll(() => tableRows(view, 'connections-table').count()).toBe(expected.connections.length);
    const streams = await cellTexts(view, 'connections-table', 0);
    expect(streams).toEqual(expected.connections.map((c) => String(c.id)));
    const servers = await cellTexts(view, 'connections-table', 2);
    expect(servers).toEqual(expected.connections.map((c) => `${c.server.ip}:${c.server.port}`));

    // Findings table: the same codes in the same order as the CLI's JSON.
    await expect.poll(() => tableRows(view, 'findings-table').count()).toBe(expected.findings.length);
    expect(await cellTexts(view, 'findings-table', 1)).toEqual(expected.findings.map((f) => f.code));

    await closeAllEditors(wb.page);
  });

  it('screenshot of the editor on a real capture (test-output/e2e/editor.png; docs/images/editor.png with UPDATE_DOCS_SCREENSHOT=1)', async () => {
    const page = wb.page;
    const expected = cliAnalysis(CAPTURES.nagle);
    await quickOpen(page, CAPTURES.nagle);
    const view = captureWebview(page);
    expect(await waitForAnalysis(view)).toBe('done');
    // The Flows view beside it, its server expanded.
    await showFlows(page);
    const server = page.locator('.part.sidebar .pane-body .monaco-list-row').first();
    await server.click();
    if ((await server.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    // The first finding selected: its explanation shows under the findings, its connection is selected.
    await tableRows(view, 'findings-table').first().click();
    await expect.poll(() => view.locator('.finding-detail h3').innerText()).not.toBe('');
    expect(await view.locator('.finding-detail').innerText()).toContain(expected.findings[0]!.message);
    await view.locator('section.findings h2').evaluate((h) => h.scrollIntoView({ block: 'start' }));
    // Let the scroll and the virtual rows settle before the picture.
    await view.locator('.vt-row[aria-busy="true"]').first().waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    const file = await saveScreenshot(page, 'editor');
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
      fs.copyFileSync(file, path.join(ROOT, 'docs', 'images', 'editor.png'));
    }
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    await closeAllEditors(page);
  });
});
