// SPDX-License-Identifier: MIT
// The Flows view (side bar, PCAP HTTP Inspector container) in a real VS Code: it shows the open
// capture's servers and connections, and selecting a connection selects it in the capture editor.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, showFlows, openWorkbench, quickOpen, saveScreenshot, waitForAnalysis, type Workbench } from './support/workbench.js';
import { CAPTURES, cliAnalysis } from './support/workspace.js';

describe('flow explorer', () => {
  let wb: Workbench;

  beforeAll(async () => {
    wb = await openWorkbench(inject('e2e').workbenchUrl);
  });

  afterAll(async () => {
    await wb?.close();
  });

  it("shows the capture's servers and connections; selecting a connection reveals it in the editor", async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-flow-explorer').then(() => undefined));
    const page = wb.page;
    const expected = cliAnalysis(CAPTURES.notReused);
    const servers = [...new Set(expected.connections.map((c) => `${c.server.ip}:${c.server.port}`))];
    expect(servers).toHaveLength(1);

    await quickOpen(page, CAPTURES.notReused);
    const view = captureWebview(page);
    expect(await waitForAnalysis(view)).toBe('done');

    await showFlows(page);
    const tree = page.locator('.part.sidebar .pane-body .monaco-list[aria-label]');
    const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
    const serverRow = rows.filter({ hasText: servers[0]! });
    await serverRow.waitFor({ state: 'visible' });
    expect(await rows.count()).toBe(servers.length);
    expect(await serverRow.innerText()).toContain(`${expected.connections.length} connections`);

    // Expand the server: one row per connection, "#<stream>  <client>".
    await serverRow.click();
    if ((await serverRow.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await expect.poll(() => rows.count()).toBe(servers.length + expected.connections.length);
    const labels = await rows.locator('.label-name').allInnerTexts();
    expect(labels.slice(1).map((l) => l.replace(/\s+/g, ' '))).toEqual(expected.connections.map((c) => `#${c.id} ${c.client.ip}:${c.client.port}`));
    await tree.first().waitFor({ state: 'visible' });

    // Select a connection in the tree: the capture editor selects the same connection.
    const target = expected.connections[2]!;
    await rows.filter({ hasText: `#${target.id}` }).first().click();
    const selected = view.locator('.connections-table .vt-row[aria-selected="true"]');
    await expect.poll(() => selected.count()).toBe(1);
    expect(await selected.locator('[role="gridcell"]').first().innerText()).toBe(String(target.id));
    expect(await selected.locator('[role="gridcell"]').nth(1).innerText()).toBe(`${target.client.ip}:${target.client.port}`);
    await saveScreenshot(page, 'flow-explorer');
  });
});
