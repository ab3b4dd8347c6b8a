// SPDX-License-Identifier: MIT
// Host-side paging of table rows (STYLE §5: pull pages, don't push the model). Free of `vscode`, so
// the unit tests run it in plain Node. A capture can have 100k connections: the webview never holds
// more than the pages it shows, and sorting or filtering happens here, once per distinct view.
import type { SortSpec } from '../../protocol/dto.js';

/** SortValue is what a column compares by; undefined sorts last in both directions. */
export type SortValue = number | string | undefined;

/** TableSpec describes one table to RowTable: how to sort, search and identify its rows. */
export interface TableSpec<Row> {
  /** Sortable columns by name. Unknown names in a SortSpec leave the natural order. */
  columns: Record<string, (row: Row) => SortValue>;
  /** The text a filter searches (case-insensitively). */
  searchText(row: Row): string;
  /** The row's id, as `locate` receives it. */
  id(row: Row): number;
}

/** RowQuery asks for a window of a sorted, filtered table. */
export interface RowQuery {
  start: number;
  count: number;
  sort?: SortSpec;
  filter?: string;
}

/** RowPage is one window: the rows and how many rows the filtered view holds. */
export interface RowPage<Row> {
  start: number;
  total: number;
  rows: Row[];
}

/** Distinct sorted/filtered views kept; scrolling one view reuses it, switching back and forth stays cheap. */
const MAX_CACHED_VIEWS = 4;

/** Numeric-aware, so "10.0.0.9:80" sorts before "10.0.0.10:80". */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * RowTable serves pages of an immutable row array in any sort order and under any text filter.
 * A view (sort + filter) is computed once as an index array and cached, so paging through it
 * costs only the slice.
 */
export class RowTable<Row> {
  private readonly views = new Map<string, Uint32Array>();
  private lowered: string[] | undefined;

  constructor(
    readonly rows: readonly Row[],
    private readonly spec: TableSpec<Row>,
    private readonly maxPageRows = 500,
  ) {}

  /** query returns rows [start, start+count) of the view, clamped to the view and to maxPageRows. */
  query(q: RowQuery): RowPage<Row> {
    const view = this.view(q.sort, q.filter);
    const start = clampInt(q.start, 0, view.length);
    const count = clampInt(q.count, 0, this.maxPageRows);
    const end = Math.min(view.length, start + count);
    const rows: Row[] = [];
    for (let i = start; i < end; i++) rows.push(this.rows[view[i]!]!);
    return { start, total: view.length, rows };
  }

  /** locate returns the position of the row with `id` in the view, or -1 when the filter hides it. */
  locate(id: number, sort?: SortSpec, filter?: string): number {
    const view = this.view(sort, filter);
    for (let i = 0; i < view.length; i++) if (this.spec.id(this.rows[view[i]!]!) === id) return i;
    return -1;
  }

  private view(sort: SortSpec | undefined, filter: string | undefined): Uint32Array {
    const needle = (filter ?? '').trim().toLowerCase();
    const accessor = sort ? this.spec.columns[sort.column] : undefined;
    const key = `${accessor && sort ? `${sort.column}:${sort.descending ? 'd' : 'a'}` : ''}\u0000${needle}`;
    const cached = this.views.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.views.delete(key);
      this.views.set(key, cached);
      return cached;
    }
    let indexes: number[] = [];
    if (needle) {
      const texts = (this.lowered ??= this.rows.map((r) => this.spec.searchText(r).toLowerCase()));
      for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(needle)) indexes.push(i);
    } else {
      indexes = Array.from(this.rows.keys());
    }
    if (accessor && sort) {
      const values = indexes.map((i) => accessor(this.rows[i]!));
      const order = Array.from(values.keys());
      const sign = sort.descending ? -1 : 1;
      order.sort((a, b) => {
        const va = values[a];
        const vb = values[b];
        if (va === undefined || vb === undefined) return va === vb ? a - b : va === undefined ? 1 : -1;
        const c = compare(va, vb);
        // Ties keep the natural order in both directions.
        return c !== 0 ? c * sign : a - b;
      });
      indexes = order.map((o) => indexes[o]!);
    }
    const view = Uint32Array.from(indexes);
    this.views.set(key, view);
    if (this.views.size > MAX_CACHED_VIEWS) this.views.delete(this.views.keys().next().value!);
    return view;
  }
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return collator.compare(String(a), String(b));
}

function clampInt(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.max(min, Math.min(max, Math.floor(n)));
}
