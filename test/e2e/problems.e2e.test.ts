// SPDX-License-Identifier: MIT
// The Problems pane in a real VS Code: the open captures' findings are listed with their codes;
// clicking one opens its block in the findings document, whose code lens selects the finding in
// the capture editor.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { captureWebview, openProblems, openWorkbench, quickOpen, saveScreenshot, waitForAnalysis, type Workbench } from './support/workbench.js';
import { CAPTURES, cliAnalysis } from './support/workspace.js';

describe('Problems pane', () => {
  let wb: Workbench;

  beforeAll(async () => {
    wb = await openWorkbench(inject('e2e').workbenchUrl);
  });

  afterAll(async () => {
    await wb?.close();
  });

  it('lists the findings of the open captures with their codes; clicking one lands on the finding', async () => {
    onTestFailed(() => saveScreenshot(wb.page, 'failed-problems').then(() => undefined));
    const page = wb.page;
    const nagle = cliAnalysis(CAPTURES.nagle);
    const pipelining = cliAnalysis(CAPTURES.pipelining);

    await quickOpen(page, CAPTURES.nagle);
    expect(await waitForAnalysis(captureWebview(page))).toBe('done');
    await quickOpen(page, CAPTURES.pipelining);
    expect(await waitForAnalysis(captureWebview(page))).toBe('done');

    const rows = await openProblems(page);
    const markerRows = rows.filter({ has: page.locator('.marker-code, .code') });
    const all = [...nagle.findings, ...pipelining.findings];
    await expect.poll(() => markerRows.count()).toBe(all.length);
    const texts = await markerRows.allInnerTexts();
    for (const f of all) expect(texts.filter((t) => t.includes(f.message) && t.includes(f.code)), f.message).toHaveLength(1);

    // A capture has no text lines: a problem points at its block in a read-only findings document
    // (`<capture>.findings.txt`); clicking it opens that document with the cursor on the finding's heading.
    const second = nagle.findings[1]!;
    const row = markerRows.filter({ hasText: second.message });
    const position = /\[Ln (\d+), Col (\d+)\]/.exec(await row.innerText());
    expect(position, 'the problem names a line').not.toBeNull();
    await row.click();
    await page.locator('.tabs-container .tab.active', { hasText: `${CAPTURES.nagle}.findings.txt` }).waitFor({ state: 'visible' });
    const editor = page.locator('.part.editor .editor-instance .monaco-editor').first();
    await expect.poll(() => page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first().innerText()).toMatch(new RegExp(`^Ln ${position![1]}\\b`));
    // The heading line of the finding: the line whose number the problem named.
    const lineNumber = editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${position![1]}$`) });
    // The editor scrolls to the line after it opens: read the line's text once its place is stable.
    const lineText = async (): Promise<string> => {
      const top = (await lineNumber.boundingBox())?.y;
      if (top === undefined) return '';
      return editor.locator('.view-line').evaluateAll((lines, y) => lines.find((l) => Math.abs(l.getBoundingClientRect().top - y) < 3)?.textContent ?? '', top);
    };
    await expect.poll(lineText).toContain(second.code);

    // The finding's code lens "Reveal in capture editor" (just above the heading) selects it in the
    // capture editor. Lenses render a moment after the text, and push the lines down when they do.
    const lenses = editor.locator('.codelens-decoration a', { hasText: 'Reveal in capture editor' });
    const lensAbove = async (): Promise<number> => {
      const lineTop = (await lineNumber.boundingBox())?.y;
      if (lineTop === undefined) return -1;
      const tops = await lenses.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      const above = tops.map((top, i) => ({ top, i })).filter((b) => b.top < lineTop && lineTop - b.top < 40);
      return above.length === 1 ? above[0]!.i : -1;
    };
    await expect.poll(lensAbove, { message: 'a code lens right above the finding' }).toBeGreaterThanOrEqual(0);
    await lenses.nth(await lensAbove()).click();
    await page.locator('.tabs-container .tab.active', { hasText: new RegExp(`^${CAPTURES.nagle.replace('.', '\\.')}$`) }).waitFor({ state: 'visible' });
    const view = captureWebview(page);
    expect(await waitForAnalysis(view)).toBe('done');
    const selected = view.locator('.findings-table .vt-row[aria-selected="true"]');
    await expect.poll(() => selected.count()).toBe(1);
    expect(await selected.locator('[role="gridcell"]').nth(2).innerText()).toBe(second.message);
    const selectedConnection = view.locator('.connections-table .vt-row[aria-selected="true"]');
    await expect.poll(() => selectedConnection.locator('[role="gridcell"]').first().innerText()).toBe(String(second.connection));
  });
});
