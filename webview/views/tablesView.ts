// SPDX-License-Identifier: MIT
// The findings list and the connections table of a finished analysis. Rows come from the host a
// page at a time (getRows); every capture-derived string reaches the DOM as a text node (dom.ts).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ConnectionRowDto, FindingDto, LocalizedStrings, RevealTarget, SeverityDto, TableId } from '../../extension/protocol/dto.js';
import type { HostChannel } from '../rpc.js';
import { el, type Child } from '../dom.js';
import { formatCount, formatOffset } from '../format.js';
import { VirtualTable, type Column, type TableView } from '../components/virtualTable.js';

/** TablesState is what the page persists about the tables (sort, filter, selection). */
export interface TablesState {
  findings?: TableView;
  connections?: TableView;
  selection?: RevealTarget;
}

/** TablesViewOptions wire the view to the host and to the page's persisted state. */
export interface TablesViewOptions {
  strings: LocalizedStrings;
  channel: HostChannel;
  analysisId: number;
  connectionCount: number;
  findingCount: number;
  initial: TablesState;
  onStateChange(state: TablesState): void;
  /** Called when the user (or a reveal) selects a connection or finding. */
  onSelect?(target: RevealTarget, finding?: FindingDto): void;
}

/** RowOf is the row type of each table. */
interface RowOf {
  connections: ConnectionRowDto;
  findings: FindingDto;
}

/** Findings evidence frames listed before "…". */
const MAX_FRAMES_SHOWN = 30;

/**
 * TablesView is the findings and connections sections. Selecting a finding shows its explanation
 * and selects its connection in the connections table.
 *
 * Call order: construct; insert `element`; `reveal` any time; `dispose()` before dropping it.
 */
export class TablesView {
  readonly element: HTMLElement;
  private readonly findings: VirtualTable<FindingDto> | undefined;
  private readonly connections: VirtualTable<ConnectionRowDto> | undefined;
  private readonly detail: HTMLElement;
  private state: TablesState;

  constructor(private readonly options: TablesViewOptions) {
    const s = options.strings;
    this.state = { ...options.initial };
    this.detail = el('div', { className: 'finding-detail', attrs: { 'aria-live': 'polite' } });

    this.findings =
      options.findingCount > 0
        ? new VirtualTable<FindingDto>({
            className: 'findings-table',
            label: s.findings,
            columns: this.findingColumns(),
            rowKey: (r) => r.index,
            fetch: (start, count, view) => this.fetch('findings', start, count, view),
            locate: (key, view) => this.locate('findings', key, view),
            onSelect: (r) => this.onFindingSelected(r),
            onViewChange: (view) => this.update({ findings: view }),
            unfilteredTotal: options.findingCount,
            maxVisibleRows: 8,
            initialView: options.initial.findings ?? {},
            strings: this.tableStrings(s.filterFindings, s.noFindings),
          })
        : undefined;

    this.connections =
      options.connectionCount > 0
        ? new VirtualTable<ConnectionRowDto>({
            className: 'connections-table',
            label: s.connections,
            columns: this.connectionColumns(),
            rowKey: (r) => r.id,
            fetch: (start, count, view) => this.fetch('connections', start, count, view),
            locate: (key, view) => this.locate('connections', key, view),
            onSelect: (r) => this.onConnectionSelected(r),
            onViewChange: (view) => this.update({ connections: view }),
            unfilteredTotal: options.connectionCount,
            maxVisibleRows: 16,
            initialView: options.initial.connections ?? {},
            strings: this.tableStrings(s.filterConnections, s.noConnections),
          })
        : undefined;

    this.element = el(
      'div',
      { className: 'tables' },
      section('findings', s.findings, options.findingCount, this.findings ? [this.findings.element, this.detail] : [el('p', { className: 'note' }, s.noFindings)]),
      section('connections', s.connections, options.connectionCount, this.connections ? [this.connections.element] : [el('p', { className: 'note' }, s.noConnections)]),
    );

    // Restore the selection (and the finding's explanation) the page had before it was hidden.
    const selection = options.initial.selection;
    if (selection) this.reveal(selection);
  }

  /** reveal selects a connection (and the finding that points at it) and scrolls both into view. */
  reveal(target: RevealTarget): void {
    if (target.finding !== undefined) void this.findings?.reveal(target.finding, true);
    else void this.connections?.reveal(target.connection, true);
  }

  dispose(): void {
    this.findings?.dispose();
    this.connections?.dispose();
  }

  //#region selection

  private onFindingSelected(f: FindingDto): void {
    this.renderDetail(f);
    void this.connections?.reveal(f.connection);
    this.select({ connection: f.connection, finding: f.index }, f);
  }

  private onConnectionSelected(c: ConnectionRowDto): void {
    this.select({ connection: c.id });
  }

  private select(target: RevealTarget, finding?: FindingDto): void {
    this.update({ selection: target });
    this.options.channel.sendEvent({ type: 'select', target });
    this.options.onSelect?.(target, finding);
  }

  private update(change: Partial<TablesState>): void {
    this.state = { ...this.state, ...change };
    this.options.onStateChange(this.state);
  }

  private renderDetail(f: FindingDto): void {
    const s = this.options.strings;
    const frames = f.frames.slice(0, MAX_FRAMES_SHOWN).map(formatOffset).join(', ') + (f.frames.length > MAX_FRAMES_SHOWN ? ', …' : '');
    const facts: [string, Child][] = [
      [s.colSeverity, severityLabel(s, f.severity)],
      [s.colCode, el('code', null, f.code)],
      [s.findingConnection, formatOffset(f.connection)],
      ...(f.transaction !== undefined ? ([[s.findingTransaction, formatOffset(f.transaction)]] as [string, Child][]) : []),
      [s.findingStart, f.startEpochText],
      ...(f.delayMs !== undefined ? ([[s.colDelayMs, formatMs(f.delayMs)]] as [string, Child][]) : []),
      [s.findingFrames, frames],
    ];
    const list = el('dl', { className: 'facts' });
    for (const [term, value] of facts) list.append(el('dt', null, term), el('dd', null, value));
    this.detail.replaceChildren(
      el('h3', { className: `sev-${f.severity}` }, f.title),
      el('p', null, f.message),
      list,
      f.explanation && el('h4', null, s.findingExplanation),
      f.explanation && el('p', null, f.explanation),
      f.advice && el('h4', null, s.findingAdvice),
      f.advice && el('p', null, f.advice),
      actionBar(this.options.channel, s, { connection: f.connection, finding: f.index }),
    );
  }

  //#endregion

  //#region host requests

  private async fetch<T extends TableId>(table: T, start: number, count: number, view: TableView): Promise<{ total: number; rows: RowOf[T][] } | undefined> {
    const reply = await this.options.channel.request({ type: 'getRows', table, start, count, ...(view.sort ? { sort: view.sort } : {}), ...(view.filter ? { filter: view.filter } : {}) }, 'rows');
    // A page from an earlier analysis, or for the other table, is stale.
    if (reply.analysisId !== this.options.analysisId || reply.page.table !== table) return undefined;
    return { total: reply.page.total, rows: reply.page.rows as RowOf[T][] };
  }

  private async locate(table: TableId, id: number, view: TableView): Promise<number | undefined> {
    const reply = await this.options.channel.request({ type: 'locateRow', table, id, ...(view.sort ? { sort: view.sort } : {}), ...(view.filter ? { filter: view.filter } : {}) }, 'rowIndex');
    return reply.analysisId === this.options.analysisId ? reply.index : undefined;
  }

  //#endregion

  //#region columns

  private findingColumns(): Column<FindingDto>[] {
    const s = this.options.strings;
    return [
      { id: 'severity', label: s.colSeverity, kind: 'text', width: '7em', sortable: true, cell: (r) => severityLabel(s, r.severity), cellClass: (r) => `sev-${r.severity}` },
      { id: 'code', label: s.colCode, kind: 'text', width: '14em', sortable: true, cell: (r) => r.code },
      { id: 'message', label: s.message, kind: 'text', width: 'minmax(24em, 1fr)', sortable: false, cell: (r) => el('span', { attrs: { title: r.message } }, r.message) },
      { id: 'connection', label: s.colConnection, kind: 'number', width: '7em', sortable: true, cell: (r) => formatOffset(r.connection) },
      { id: 'delayMs', label: s.colDelayMs, kind: 'number', width: '7em', sortable: true, cell: (r) => (r.delayMs !== undefined ? formatMs(r.delayMs) : '') },
    ];
  }

  private connectionColumns(): Column<ConnectionRowDto>[] {
    const s = this.options.strings;
    return [
      { id: 'id', label: s.colStream, kind: 'number', width: '6.5em', sortable: true, cell: (r) => formatOffset(r.id) },
      { id: 'client', label: s.colClient, kind: 'text', width: 'minmax(12em, 1fr)', sortable: true, cell: (r) => el('span', { attrs: { title: r.client } }, r.client) },
      { id: 'server', label: s.colServer, kind: 'text', width: 'minmax(12em, 1fr)', sortable: true, cell: (r) => el('span', { attrs: { title: r.server } }, r.server) },
      { id: 'protocol', label: s.colProtocol, kind: 'text', width: '6em', sortable: true, cell: (r) => r.protocol },
      { id: 'requests', label: s.colRequests, kind: 'number', width: '6em', sortable: true, cell: (r) => formatCount(r.requests) },
      { id: 'durationMs', label: s.colDurationMs, kind: 'number', width: '8em', sortable: true, cell: (r) => formatMs(r.durationMs) },
      { id: 'connState', label: s.colState, kind: 'text', width: '5em', sortable: true, cell: (r) => r.connState },
      { id: 'bytesUp', label: s.colBytesUp, kind: 'number', width: '7em', sortable: true, cell: (r) => formatCount(r.bytesUp) },
      { id: 'bytesDown', label: s.colBytesDown, kind: 'number', width: '7em', sortable: true, cell: (r) => formatCount(r.bytesDown) },
      { id: 'retransmissions', label: s.colRetransmissions, kind: 'number', width: '8em', sortable: true, cell: (r) => formatCount(r.retransmissions) },
      {
        id: 'findingCount',
        label: s.colFindings,
        kind: 'text',
        width: 'minmax(10em, 1fr)',
        sortable: true,
        cell: (r) => (r.findingCount > 0 ? el('span', { attrs: { title: r.findingCodes.join(', ') } }, el('vscode-badge', { attrs: { variant: 'counter' } }, formatCount(r.findingCount)), ' ', r.findingCodes.join(', ')) : ''),
        cellClass: (r) => (r.worstSeverity ? `sev-${r.worstSeverity}` : ''),
      },
    ];
  }

  private tableStrings(filterPlaceholder: string, noRows: string): ConstructorParameters<typeof VirtualTable>[0]['strings'] {
    const s = this.options.strings;
    return { filterPlaceholder, loading: s.loadingRows, noRows, noMatches: s.noMatches, rowsShown: s.rowsShown, sortBy: s.sortBy };
  }

  //#endregion
}

/** actionBar offers the host-side actions on a connection or finding (the host owns the clipboard and the tree). */
export function actionBar(channel: HostChannel, s: LocalizedStrings, target: RevealTarget): HTMLElement {
  const button = (label: string, action: 'copyFilter' | 'revealInFlows'): HTMLElement => {
    const b = el('vscode-button', { attrs: { secondary: '' } }, label);
    b.addEventListener('click', () => channel.sendEvent({ type: 'action', action, target }));
    return b;
  };
  return el('div', { className: 'actions' }, button(s.copyFilter, 'copyFilter'), button(s.revealInFlows, 'revealInFlows'));
}

function section(id: string, heading: string, count: number, content: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return el(
    'section',
    { className: `block ${id}`, attrs: { 'aria-labelledby': headingId } },
    el('h2', { attrs: { id: headingId } }, heading, ' ', el('vscode-badge', { attrs: { variant: 'counter' } }, formatCount(count))),
    ...content,
  );
}

function severityLabel(s: LocalizedStrings, severity: SeverityDto): string {
  return severity === 'error' ? s.severityError : severity === 'warning' ? s.severityWarning : s.severityInfo;
}

const msFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, { minimumFractionDigits: 1, maximumFractionDigits: 3 });

/** formatMs renders milliseconds with up to microsecond digits ("43.217"). */
function formatMs(ms: number): string {
  return msFormat.format(ms);
}
