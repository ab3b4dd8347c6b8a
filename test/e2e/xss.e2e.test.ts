// SPDX-License-Identifier: MIT
// Capture content is text: a capture whose request targets, headers and bodies carry script and
// HTML payloads (fixtures/e2e/xss-payloads.pcap) shows them literally in the capture editor, and
// none of them runs.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, cellTexts, openWorkbench, quickOpen, saveScreenshot, tableRows, waitForAnalysis, type Workbench } from './support/workbench.js';
import { CAPTURES, cliAnalysis } from './support/workspace.js';

const PAYLOADS = ['<script>window.__pwned=1</script>', '"><img/src=x/onerror=window.__pwned=1>', 'javascript:window.__pwned=1'];

describe('script and HTML in a capture', () => {
  let wb: Workbench;

  beforeAll(async () => {
    wb = await openWorkbench(inject('e2e').workbenchUrl);
  });

  afterAll(async () => {
    await wb?.close();
  });

  it('renders the payloads as plain text and runs none of them', async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-xss').then(() => undefined));
    const expected = cliAnalysis(CAPTURES.xss);
    const messages = expected.findings.map((f) => f.message);
    // The fixture is what the test needs: each payload is quoted by a finding message.
    for (const p of PAYLOADS) expect(messages.some((m) => m.includes(p)), p).toBe(true);

    await quickOpen(wb.page, CAPTURES.xss);
    const view = captureWebview(wb.page);
    expect(await waitForAnalysis(view)).toBe('done');
    await expect.poll(() => tableRows(view, 'findings-table').count()).toBe(expected.findings.length);
    // As text: the table cells' text is the message, payloads included, character for character.
    expect(await cellTexts(view, 'findings-table', 2)).toEqual(messages);
    // The finding's detail (heading, message, explanation) too.
    await tableRows(view, 'findings-table').first().click();
    const detail = view.locator('.finding-detail');
    await expect.poll(() => detail.innerText()).toContain(messages[0]!);

    // No element was made from the payloads...
    expect(await view.locator('img[src="x"], img[onerror], a[href^="javascript:"], #root script').count()).toBe(0);
    // ...and nothing ran: no flag in any frame of the page (workbench, webview host, webview document),
    const frames = await Promise.all(
      wb.page.frames().map((frame) =>
        frame
          .evaluate(() => {
            const g = globalThis as unknown as { __pwned?: unknown; document?: { getElementById(id: string): unknown } };
            return { pwned: g.__pwned, hasRoot: !!g.document?.getElementById('root') };
          })
          .then((r) => ({ url: frame.url(), ...r })),
      ),
    );
    // (the check did reach the extension's document: the frame with #root)
    expect(frames.filter((f) => f.hasRoot)).toHaveLength(1);
    expect(frames.filter((f) => f.pwned !== undefined).map((f) => f.url)).toEqual([]);
    // no dialog, and no script blocked by the webview's Content-Security-Policy (which would mean
    // the markup reached the DOM and only the CSP stopped it).
    expect(wb.dialogs.map((d) => d.message())).toEqual([]);
    const blocked = wb.console.filter((m) => /Content Security Policy|Refused to (execute|load)/i.test(m.text()));
    expect(blocked.map((m) => m.text())).toEqual([]);
  });
});
