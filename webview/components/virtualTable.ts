// SPDX-License-Identifier: MIT
// VirtualTable: a sortable, filterable table whose rows live on the host. It renders only the
// visible rows plus some overscan, at a fixed row height, positioned with translateY inside a
// spacer as tall as the whole table (hexeditor's virtualScrollContainer; @tanstack/virtual-core
// does the range arithmetic). Rows are fetched a page at a time and kept in an LRU PageCache.
// Native scrolling is kept: at 24 px a row, browsers' ~16M px element height cap is ~700k rows,
// well past the captures this editor opens.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualizerOptions } from '@tanstack/virtual-core';
import type { SortSpec } from '../../extension/protocol/dto.js';
import { el, type Child } from '../dom.js';
import { fill, formatCount } from '../format.js';
import { PageCache } from '../state/pageCache.js';

/** ROW_HEIGHT_PX is the height of every row, header included (styles/main.css agrees). */
export const ROW_HEIGHT_PX = 24;
const PAGE_SIZE = 100;
const MAX_PAGES = 20;
const OVERSCAN_ROWS = 10;
const FILTER_DEBOUNCE_MS = 150;

/** Column describes one column: its header, its grid track and how to render a cell. */
export interface Column<Row> {
  /** Column id as the host sorts by it. */
  id: string;
  label: string;
  kind: 'text' | 'number';
  /** CSS grid track, e.g. '6em' or 'minmax(16em, 1fr)'. */
  width: string;
  sortable: boolean;
  cell(row: Row): Child;
  /** Extra class on the cell (severity colours). */
  cellClass?(row: Row): string;
}

/** TableView is the sort and filter a table shows; persisted by the page. */
export interface TableView {
  sort?: SortSpec;
  filter?: string;
}

/** VirtualTableOptions configure one table. */
export interface VirtualTableOptions<Row> {
  className: string;
  label: string;
  columns: Column<Row>[];
  rowKey(row: Row): number;
  /** Fetches rows [start, start+count) of `view`; resolves undefined when the answer is stale. */
  fetch(start: number, count: number, view: TableView): Promise<{ total: number; rows: Row[] } | undefined>;
  /** Fetches the position of the row with `key` in `view` (-1 when filtered out). */
  locate(key: number, view: TableView): Promise<number | undefined>;
  onSelect(row: Row): void;
  onViewChange(view: TableView): void;
  /** Rows before any filter, for the "{0} of {1} rows" line. */
  unfilteredTotal: number;
  maxVisibleRows: number;
  initialView: TableView;
  strings: { filterPlaceholder: string; loading: string; noRows: string; noMatches: string; rowsShown: string; sortBy: string };
}

/**
 * VirtualTable is one paged, virtualized table with a filter box and sortable headers.
 *
 * Call order: construct; insert `element` into the document; `dispose()` before dropping it.
 */
export class VirtualTable<Row> {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly header: HTMLElement;
  private readonly rowsLayer: HTMLElement;
  private readonly status: HTMLElement;
  private readonly filterField: HTMLElementTagNameMap['vscode-textfield'];
  private readonly cache = new PageCache<Row>(PAGE_SIZE, MAX_PAGES);
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  private readonly virtualizerOptions: VirtualizerOptions<HTMLElement, HTMLElement>;
  private readonly cleanup: () => void;
  private view: TableView;
  private generation = 0;
  private total: number | undefined;
  private selectedKey: number | undefined;
  private selectedIndex: number | undefined;
  /** A selection by index waiting for its page to arrive (keyboard or reveal). */
  private pendingSelectIndex: number | undefined;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: VirtualTableOptions<Row>) {
    this.view = { ...options.initialView };
    const columns = options.columns;

    this.header = el('div', { className: 'vt-header', attrs: { role: 'row', 'aria-rowindex': '1' } }, ...columns.map((c) => this.headerCell(c)));
    this.rowsLayer = el('div', { className: 'vt-rows', attrs: { role: 'rowgroup' } });
    this.spacer = el('div', { className: 'vt-spacer' }, this.header, this.rowsLayer);
    this.scroller = el('div', { className: 'vt-scroll', attrs: { role: 'grid', 'aria-label': options.label, tabindex: '0' } }, this.spacer);
    this.scroller.style.setProperty('--vt-columns', columns.map((c) => c.width).join(' '));
    this.scroller.style.setProperty('--vt-row-height', `${ROW_HEIGHT_PX}px`);
    this.scroller.addEventListener('keydown', (e) => this.onKeyDown(e));

    const filter = el('vscode-textfield', { attrs: { placeholder: options.strings.filterPlaceholder, 'aria-label': options.strings.filterPlaceholder } });
    this.filterField = filter;
    filter.value = this.view.filter ?? '';
    filter.addEventListener('input', () => this.onFilterInput(filter.value));
    this.status = el('span', { className: 'vt-status', attrs: { role: 'status' } });
    this.element = el('div', { className: `vt ${options.className}` }, el('div', { className: 'vt-toolbar' }, filter, this.status), this.scroller);

    this.virtualizerOptions = {
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT_PX,
      // The header occupies the first row of the spacer.
      paddingStart: ROW_HEIGHT_PX,
      overscan: OVERSCAN_ROWS,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      initialRect: { width: 800, height: options.maxVisibleRows * ROW_HEIGHT_PX },
      onChange: () => this.renderRows(),
    };
    this.virtualizer = new Virtualizer(this.virtualizerOptions);
    this.cleanup = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.reload();
  }

  /** currentView is the sort and filter shown. */
  get currentView(): TableView {
    return { ...this.view };
  }

  /**
   * reveal selects the row with `key` and scrolls to it. When the filter hides it, the filter is
   * cleared first; `notify` also tells onSelect (false when the caller already acted on it).
   */
  async reveal(key: number, notify = false): Promise<void> {
    let index = await this.options.locate(key, this.view);
    if (index === -1 && this.view.filter) {
      this.setFilter('');
      index = await this.options.locate(key, this.view);
    }
    if (index === undefined || index < 0 || this.disposed) return;
    this.selectedKey = key;
    this.selectedIndex = index;
    this.virtualizer.scrollToIndex(index, { align: 'center' });
    if (notify) this.pendingSelectIndex = index;
    this.renderRows();
  }

  dispose(): void {
    this.disposed = true;
    if (this.filterTimer !== undefined) clearTimeout(this.filterTimer);
    this.cleanup();
  }

  //#region view changes

  private onFilterInput(value: string): void {
    if (this.filterTimer !== undefined) clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => {
      this.filterTimer = undefined;
      this.setFilter(value);
    }, FILTER_DEBOUNCE_MS);
  }

  private setFilter(value: string): void {
    const filter = value.trim();
    if ((this.view.filter ?? '') === filter) return;
    this.view = { ...this.view, ...(filter ? { filter } : { filter: undefined }) };
    if (!filter) delete this.view.filter;
    if (this.filterField.value !== value) this.filterField.value = value;
    this.changed();
  }

  private toggleSort(column: Column<Row>): void {
    if (!column.sortable) return;
    const current = this.view.sort;
    const sort: SortSpec = current?.column === column.id ? { column: column.id, descending: !current.descending } : { column: column.id, descending: column.kind === 'number' };
    this.view = { ...this.view, sort };
    for (const cell of Array.from(this.header.children)) this.updateHeaderCell(cell as HTMLElement);
    this.changed();
  }

  private changed(): void {
    this.options.onViewChange(this.currentView);
    this.selectedIndex = undefined;
    this.reload();
    this.virtualizer.scrollToOffset(0);
  }

  /** reload drops every cached page and fetches the first one, which also tells the view's row count. */
  private reload(): void {
    this.generation++;
    this.cache.clear();
    this.total = undefined;
    this.setCount(0);
    this.fetchPages(0, 1);
  }

  //#endregion

  //#region fetching

  private fetchPages(start: number, end: number): void {
    const generation = this.generation;
    for (const page of this.cache.claimMissing(start, end)) {
      this.options.fetch(page * PAGE_SIZE, PAGE_SIZE, this.view).then(
        (result) => {
          if (this.disposed || generation !== this.generation) return;
          if (!result) {
            this.cache.release(page);
            return;
          }
          this.cache.put(page, result.rows);
          if (this.total !== result.total) {
            this.total = result.total;
            this.setCount(result.total);
          }
          this.renderRows();
        },
        (e: unknown) => {
          if (generation === this.generation) this.cache.release(page);
          console.error('pcap-http-inspector webview: page fetch failed', e);
        },
      );
    }
  }

  private setCount(count: number): void {
    this.virtualizer.setOptions({ ...this.virtualizerOptions, count });
    this.virtualizer._willUpdate();
    const visible = Math.max(2, Math.min(count, this.options.maxVisibleRows) + 1);
    this.scroller.style.height = `${visible * ROW_HEIGHT_PX + 2}px`;
    this.scroller.setAttribute('aria-rowcount', String(count + 1));
    this.renderRows();
  }

  //#endregion

  //#region rendering

  private renderRows(): void {
    if (this.disposed) return;
    this.spacer.style.height = `${this.virtualizer.getTotalSize()}px`;
    const items = this.virtualizer.getVirtualItems();
    const first = items[0];
    const last = items[items.length - 1];
    if (first && last) this.fetchPages(first.index, last.index + 1);

    const rows: HTMLElement[] = [];
    for (const item of items) {
      const row = this.cache.row(item.index);
      if (row !== undefined && this.pendingSelectIndex === item.index) {
        this.pendingSelectIndex = undefined;
        this.select(row, item.index);
      }
      rows.push(this.rowElement(row, item.index, item.start));
    }
    this.rowsLayer.replaceChildren(...rows);
    this.renderStatus();
  }

  private rowElement(row: Row | undefined, index: number, startPx: number): HTMLElement {
    const selected = row !== undefined && this.options.rowKey(row) === this.selectedKey;
    const element = el(
      'div',
      { className: selected ? 'vt-row selected' : 'vt-row', attrs: { role: 'row', 'aria-rowindex': String(index + 2), 'aria-selected': String(selected) } },
      ...this.options.columns.map((c) =>
        el('div', { className: `vt-cell ${c.kind}${row !== undefined && c.cellClass ? ` ${c.cellClass(row)}` : ''}`, attrs: { role: 'gridcell' } }, row !== undefined ? c.cell(row) : ''),
      ),
    );
    // CSSOM property, not a style attribute: allowed by the page's CSP.
    element.style.transform = `translateY(${startPx}px)`;
    if (row === undefined) {
      element.classList.add('loading');
      element.setAttribute('aria-busy', 'true');
    } else {
      element.addEventListener('click', () => this.select(row, index));
    }
    return element;
  }

  private select(row: Row, index: number): void {
    this.selectedKey = this.options.rowKey(row);
    this.selectedIndex = index;
    this.options.onSelect(row);
    for (const element of Array.from(this.rowsLayer.children)) {
      const i = Number(element.getAttribute('aria-rowindex')) - 2;
      const on = i === index;
      element.classList.toggle('selected', on);
      element.setAttribute('aria-selected', String(on));
    }
  }

  private renderStatus(): void {
    const s = this.options.strings;
    let text: string;
    if (this.total === undefined) text = s.loading;
    else if (this.total === 0) text = this.view.filter ? s.noMatches : s.noRows;
    else text = fill(s.rowsShown, formatCount(this.total), formatCount(this.options.unfilteredTotal));
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  private headerCell(column: Column<Row>): HTMLElement {
    const cell = el('div', { className: `vt-cell vt-head ${column.kind}`, attrs: { role: 'columnheader', 'data-column': column.id } }, column.label);
    if (column.sortable) {
      cell.classList.add('sortable');
      cell.setAttribute('tabindex', '0');
      cell.setAttribute('title', fill(this.options.strings.sortBy, column.label));
      cell.addEventListener('click', () => this.toggleSort(column));
      cell.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.toggleSort(column);
        }
      });
    }
    this.updateHeaderCell(cell);
    return cell;
  }

  private updateHeaderCell(cell: HTMLElement): void {
    const id = cell.getAttribute('data-column');
    const sort = this.view.sort;
    const state = sort && sort.column === id ? (sort.descending ? 'descending' : 'ascending') : 'none';
    if (cell.classList.contains('sortable')) cell.setAttribute('aria-sort', state);
  }

  //#endregion

  //#region keyboard

  private onKeyDown(e: KeyboardEvent): void {
    const total = this.total ?? 0;
    if (total === 0) return;
    const current = this.selectedIndex ?? -1;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(total - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'PageDown':
        next = Math.min(total - 1, current + this.options.maxVisibleRows);
        break;
      case 'PageUp':
        next = Math.max(0, current - this.options.maxVisibleRows);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.virtualizer.scrollToIndex(next, { align: 'auto' });
    const row = this.cache.row(next);
    if (row !== undefined) this.select(row, next);
    else {
      this.selectedIndex = next;
      this.pendingSelectIndex = next;
    }
  }

  //#endregion
}
