// SPDX-License-Identifier: MIT
// LRU cache of table pages (hexeditor's rawDataPages): the webview keeps only the pages it showed
// recently, and asks the host for each missing page once.

/** PageCache holds pages of one table view (one analysis, sort and filter); `clear` when the view changes. */
export class PageCache<Row> {
  private readonly pages = new Map<number, Row[]>();
  private readonly inFlight = new Set<number>();

  constructor(
    readonly pageSize: number,
    private readonly maxPages: number,
  ) {}

  /** row returns the cached row at `index`, refreshing its page in the LRU order; undefined when not loaded. */
  row(index: number): Row | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  /** missingPages lists the pages of [start, end) that are neither cached nor being fetched, and marks them as being fetched. */
  claimMissing(start: number, end: number): number[] {
    const missing: number[] = [];
    if (end <= start) return missing;
    for (let p = Math.floor(start / this.pageSize); p <= Math.floor((end - 1) / this.pageSize); p++) {
      if (this.pages.has(p) || this.inFlight.has(p)) continue;
      this.inFlight.add(p);
      missing.push(p);
    }
    return missing;
  }

  /** put stores a fetched page; `release` alone gives up a failed fetch so it can be retried. */
  put(page: number, rows: Row[]): void {
    this.inFlight.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value!);
  }

  release(page: number): void {
    this.inFlight.delete(page);
  }

  clear(): void {
    this.pages.clear();
    this.inFlight.clear();
  }
}
