// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { RowTable, type TableSpec } from '../../../extension/host/tables/rowTable.js';

interface Row {
  id: number;
  name: string;
  size?: number;
}

const SPEC: TableSpec<Row> = {
  columns: { id: (r) => r.id, name: (r) => r.name, size: (r) => r.size },
  searchText: (r) => r.name,
  id: (r) => r.id,
};

const ROWS: Row[] = [
  { id: 0, name: '10.0.0.10:80', size: 5 },
  { id: 1, name: '10.0.0.9:80', size: 7 },
  { id: 2, name: 'Alpha', size: 5 },
  { id: 3, name: 'beta' },
  { id: 4, name: 'alpha-2', size: 1 },
];

const ids = (rows: Row[]) => rows.map((r) => r.id);

describe('RowTable', () => {
  it('pages the natural order and clamps the window', () => {
    const t = new RowTable(ROWS, SPEC, 2);
    expect(t.query({ start: 0, count: 10 })).toMatchObject({ start: 0, total: 5 });
    expect(ids(t.query({ start: 0, count: 10 }).rows)).toEqual([0, 1]); // maxPageRows
    expect(ids(t.query({ start: 4, count: 2 }).rows)).toEqual([4]);
    expect(t.query({ start: 99, count: 2 })).toEqual({ start: 5, total: 5, rows: [] });
    expect(t.query({ start: -3, count: Number.NaN })).toEqual({ start: 0, total: 5, rows: [] });
  });

  it.each([
    { sort: { column: 'id', descending: true }, want: [4, 3, 2, 1, 0] },
    // Numeric-aware text order: .9 before .10; case-insensitive.
    { sort: { column: 'name', descending: false }, want: [1, 0, 2, 4, 3] },
    // Ties keep the natural order in both directions; undefined sorts last both ways.
    { sort: { column: 'size', descending: false }, want: [4, 0, 2, 1, 3] },
    { sort: { column: 'size', descending: true }, want: [1, 0, 2, 4, 3] },
    // Unknown columns leave the natural order.
    { sort: { column: 'nope', descending: true }, want: [0, 1, 2, 3, 4] },
  ])('sorts by $sort.column descending=$sort.descending', ({ sort, want }) => {
    const t = new RowTable(ROWS, SPEC);
    expect(ids(t.query({ start: 0, count: 10, sort }).rows)).toEqual(want);
  });

  it('filters case-insensitively, then sorts and pages the filtered view', () => {
    const t = new RowTable(ROWS, SPEC);
    const page = t.query({ start: 1, count: 10, filter: '  ALPHA ', sort: { column: 'size', descending: false } });
    expect(page.total).toBe(2);
    expect(ids(page.rows)).toEqual([2]);
    expect(t.query({ start: 0, count: 10, filter: 'zzz' })).toEqual({ start: 0, total: 0, rows: [] });
  });

  it('locates a row in a view, -1 when filtered out', () => {
    const t = new RowTable(ROWS, SPEC);
    expect(t.locate(3, { column: 'id', descending: true })).toBe(1);
    expect(t.locate(3, undefined, 'alpha')).toBe(-1);
    expect(t.locate(42)).toBe(-1);
  });

  it('serves 100k rows a page at a time from a cached view', () => {
    const many: Row[] = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `host${i % 977}`, size: (i * 7919) % 1000 }));
    const t = new RowTable(many, SPEC, 500);
    const sort = { column: 'size', descending: true };
    const first = t.query({ start: 0, count: 100, sort });
    expect(first.total).toBe(100_000);
    expect(first.rows).toHaveLength(100);
    expect(first.rows[0]!.size).toBe(999);
    const started = performance.now();
    for (let start = 0; start < 100_000; start += 500) t.query({ start, count: 500, sort });
    // Paging a cached view is a slice, not a re-sort.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
