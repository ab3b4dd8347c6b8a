// SPDX-License-Identifier: MIT
// Chrome DevTools' own HAR importer (front_end/models/har, bundled in Chromium and loaded from
// devtools://devtools/bundled/) reads every fixture's HAR: the same code the Network panel's
// "Import HAR file" runs. Needs Debian's chromium and playwright-core; skips visibly without them.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHar } from '../../../extension/core/render/har.js';
import { analysed, fixtureNames, withSource } from './fixtureAnalyses.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`SKIPPED: Chrome DevTools HAR import check, no Chromium at ${CHROMIUM} (apt-get install chromium)`);

interface Imported {
  url: string;
  status: number;
  issueTime: number;
  endTime: number;
}

describe.skipIf(!available)("Chrome DevTools' HAR importer", () => {
  let browser: Browser;
  let importHars: (hars: string[]) => Promise<Imported[][]>;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    await page.goto('devtools://devtools/bundled/devtools_app.html');
    // The page script is a string: vitest would rewrite a dynamic import() written in this file.
    const script = `async (texts) => {
      const HAR = await import('./models/har/har.js');
      return texts.map((text) => HAR.Importer.Importer.requestsFromHARLog(new HAR.HARFormat.HARRoot(JSON.parse(text)).log).map((r) => ({
        url: r.url(), status: r.statusCode, issueTime: r.issueTime(), endTime: r.endTime,
      })));
    }`;
    importHars = (hars) => page.evaluate(`(${script})(${JSON.stringify(hars)})`) as Promise<Imported[][]>;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('imports every fixture: one request per entry, same URL, status, start and duration', async () => {
    const names = fixtureNames();
    const hars = names.map((name) => withSource(name, (source) => renderHar(analysed(name), { bodies: { source, capBytes: 1 << 20 } })));
    const imported = await importHars(hars);
    let requests = 0;
    names.forEach((name, i) => {
      const entries = (JSON.parse(hars[i]!) as { log: { entries: { startedDateTime: string; time: number; request: { url: string }; response: { status: number } }[] } }).log.entries;
      const got = imported[i]!;
      expect(got.length, name).toBe(entries.length);
      got.forEach((r, j) => {
        const e = entries[j]!;
        expect(r.url).toBe(e.request.url);
        expect(r.status).toBe(e.response.status);
        // DevTools keeps milliseconds of startedDateTime and adds `time` to it for the end.
        expect(r.issueTime).toBeCloseTo(Date.parse(e.startedDateTime) / 1000, 3);
        expect((r.endTime - r.issueTime) * 1000).toBeCloseTo(e.time, 1);
      });
      requests += got.length;
    });
    expect(requests).toBeGreaterThan(0);
  }, 60_000);
});
