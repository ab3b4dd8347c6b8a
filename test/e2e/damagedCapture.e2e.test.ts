// SPDX-License-Identifier: MIT
// Damaged captures in a real VS Code: a capture cut inside a record shows what it holds and says
// where it ends; a file that is no capture at all gets a clear failure; the extension host
// survives both, so another capture still opens.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, cellTexts, closeAllEditors, openWorkbench, quickOpen, saveScreenshot, tableRows, waitForAnalysis, type Workbench } from './support/workbench.js';
import { CAPTURES, cliAnalysis, cliError, TRUNCATED_AT_RECORD } from './support/workspace.js';

describe('damaged captures', () => {
  let wb: Workbench;

  beforeAll(async () => {
    wb = await openWorkbench(inject('e2e').workbenchUrl);
  });

  afterAll(async () => {
    await wb?.close();
  });

  it('a capture cut inside a record: the partial analysis and a warning saying where the file ends', async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-truncated').then(() => undefined));
    const expected = cliAnalysis(CAPTURES.truncated);
    expect(expected.capture.packets).toBe(TRUNCATED_AT_RECORD - 1);
    expect(expected.capture.warnings).toHaveLength(1);

    await quickOpen(wb.page, CAPTURES.truncated);
    const view = captureWebview(wb.page);
    expect(await waitForAnalysis(view)).toBe('done');
    const warnings = view.locator('section.warnings');
    await warnings.waitFor({ state: 'visible' });
    expect(await warnings.locator('h2').innerText()).toMatch(/\(1\)$/);
    expect(await warnings.locator('tbody td').nth(1).innerText()).toBe(expected.capture.warnings[0]!.message);
    expect(expected.capture.warnings[0]!.message).toContain(`record ${TRUNCATED_AT_RECORD}`);
    // The records before the cut are analysed: packets, connections and their rows.
    const facts = await view.locator('section.summary dl.facts').innerText();
    expect(facts).toMatch(new RegExp(`Packets\\s+${expected.capture.packets}\\b`));
    await expect.poll(() => tableRows(view, 'connections-table').count()).toBe(expected.connections.length);
    expect(await cellTexts(view, 'connections-table', 0)).toEqual(expected.connections.map((c) => String(c.id)));
    await closeAllEditors(wb.page);
  });

  it('a file that is not a capture: a failure that says why, with a way to retry', async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-garbage').then(() => undefined));
    const cliMessage = cliError(CAPTURES.garbage);
    expect(cliMessage).toContain('not a pcap or pcapng file');

    await quickOpen(wb.page, CAPTURES.garbage);
    const view = captureWebview(wb.page);
    expect(await waitForAnalysis(view)).toBe('failed');
    const failure = view.locator('section.failure[role="alert"]');
    await failure.waitFor({ state: 'visible' });
    const text = await failure.innerText();
    expect(text).toContain(CAPTURES.garbage);
    // The reason the CLI gives ("offset 0: not a pcap or pcapng file (first four bytes …)").
    expect(text).toContain(cliMessage.slice(cliMessage.indexOf('not a pcap')));
    await expect(failure.locator('vscode-button').count()).resolves.toBe(1);
    await closeAllEditors(wb.page);
  });

  it('the extension host survives: another capture still opens and is analysed', async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-after-damaged').then(() => undefined));
    const expected = cliAnalysis(CAPTURES.keepalive);
    await quickOpen(wb.page, CAPTURES.keepalive);
    const view = captureWebview(wb.page);
    expect(await waitForAnalysis(view)).toBe('done');
    await expect.poll(() => tableRows(view, 'connections-table').count()).toBe(expected.connections.length);
    await closeAllEditors(wb.page);
  });
});
