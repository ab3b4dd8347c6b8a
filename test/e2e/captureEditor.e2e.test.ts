// SPDX-License-Identifier: MIT
// The capture editor in a real VS Code: a capture with known problems opens in the custom editor,
// whose webview lists the connections and the findings the CLI reports for the same file.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, saveScreenshot, cellTexts, closeAllEditors, openWorkbench, quickOpen, tableRows, waitForAnalysis, type Workbench } from './support/workbench.js';
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
});
