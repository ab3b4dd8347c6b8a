// SPDX-License-Identifier: MIT
// The selected connection: its HTTP transactions as a waterfall on the connection's time axis, and
// the detail of one transaction (request and response heads as text, timings, findings, bodies on
// demand). Header values, targets and bodies come from the capture: text nodes only (dom.ts); bar
// positions are set through the CSSOM, which the page's CSP allows, never through markup.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { BodyDto, ConnectionDetailDto, FindingDto, HeaderDto, LocalizedStrings, TransactionRowDto } from '../../extension/protocol/dto.js';
import { append, el, type Child } from '../dom.js';
import { fill, formatCount, formatOffset } from '../format.js';
import type { HostChannel } from '../rpc.js';
import { renderLadder } from './ladderView.js';
import { actionBar } from './tablesView.js';

/** Reading a connection's packets walks the file up to its last frame: allow a big capture time. */
const LADDER_TIMEOUT_MS = 120_000;
import { waterfall, type PhaseKind, type WaterfallRow } from './waterfallModel.js';

/** ConnectionViewOptions wire the view to the host. */
export interface ConnectionViewOptions {
  strings: LocalizedStrings;
  channel: HostChannel;
  analysisId: number;
}

/**
 * ConnectionView shows one connection at a time. Call `show(id)` when the selection changes; a
 * slower answer for an earlier selection is dropped.
 */
export class ConnectionView {
  readonly element: HTMLElement;
  private shownId: number | undefined;
  private request = 0;

  constructor(private readonly options: ConnectionViewOptions) {
    this.element = el('section', { className: 'block connection-view', attrs: { hidden: '', 'aria-live': 'polite' } });
  }

  /** show fetches and renders connection `id` (and selects transaction `transaction` if given). */
  show(id: number, transaction?: number): void {
    if (id === this.shownId && transaction === undefined) return;
    this.shownId = id;
    const ticket = ++this.request;
    this.options.channel.request({ type: 'getConnection', connection: id }, 'connection').then(
      (reply) => {
        if (ticket !== this.request || reply.analysisId !== this.options.analysisId) return;
        if (!reply.detail) {
          this.element.hidden = true;
          return;
        }
        this.render(reply.detail, transaction);
      },
      (e: unknown) => console.warn('pcap-http-inspector webview: connection not loaded', e),
    );
  }

  private render(detail: ConnectionDetailDto, selectTransaction?: number): void {
    const s = this.options.strings;
    const r = detail.row;
    const headingId = 'connection-heading';
    const summary = `${r.client} → ${r.server} · ${r.protocol} · ${r.connState} · ${formatCount(r.durationMs)} ms · ↑${formatCount(r.bytesUp)} B ↓${formatCount(r.bytesDown)} B`;
    const detailPane = el('div', { className: 'transaction-detail' });
    const { rows, spanMs } = waterfall(detail.transactions);
    const findingsBy = new Map<number, FindingDto[]>();
    for (const f of detail.findings) if (f.transaction !== undefined) findingsBy.set(f.transaction, [...(findingsBy.get(f.transaction) ?? []), f]);

    let selected: HTMLElement | undefined;
    const open = (w: WaterfallRow, line: HTMLElement): void => {
      selected?.setAttribute('aria-selected', 'false');
      line.setAttribute('aria-selected', 'true');
      selected = line;
      detailPane.replaceChildren(this.transactionDetail(w, findingsBy.get(w.row.index) ?? []));
    };

    const lines = rows.map((w) => {
      const line = el(
        'div',
        { className: 'wf-row', attrs: { role: 'row', tabindex: '0', 'aria-selected': 'false' } },
        el('span', { className: 'wf-label', attrs: { role: 'cell', title: `${w.row.method} ${w.row.target}` } }, `[${w.row.index}] ${w.row.method} ${w.row.target}`),
        el('span', { className: 'wf-status', attrs: { role: 'cell' } }, w.row.status !== undefined ? String(w.row.status) : '—', (findingsBy.get(w.row.index)?.length ?? 0) > 0 ? ' ⚠' : ''),
        this.track(w, spanMs),
      );
      line.addEventListener('click', () => open(w, line));
      line.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open(w, line);
        }
      });
      return { w, line };
    });

    this.element.replaceChildren();
    append(
      this.element,
      el('h2', { attrs: { id: headingId } }, fill(s.connectionHeading, formatOffset(r.id))),
      el('p', { className: 'note' }, summary),
      actionBar(this.options.channel, s, { connection: r.id }),
      this.ladderSection(r.id, r.client, r.server),
      el('h3', null, s.transactionsHeading),
      rows.length === 0
        ? el('p', { className: 'note' }, s.noTransactions)
        : el('div', { className: 'waterfall', attrs: { role: 'table', 'aria-label': s.transactionsHeading } }, this.legend(), ...lines.map((l) => l.line)),
      detail.transactionsTotal > detail.transactions.length ? el('p', { className: 'note' }, fill(s.moreTransactions, formatCount(detail.transactions.length), formatCount(detail.transactionsTotal))) : null,
      detailPane,
    );
    this.element.setAttribute('aria-labelledby', headingId);
    this.element.hidden = false;
    const initial = lines.find((l) => l.w.row.index === selectTransaction) ?? (lines.length === 1 ? lines[0] : undefined);
    if (initial) open(initial.w, initial.line);
  }

  /** ladderSection offers the packets of the connection; they are read from the file only when asked for. */
  private ladderSection(id: number, client: string, server: string): HTMLElement {
    const s = this.options.strings;
    const out = el('div', { className: 'ladder-view' });
    const button = el('vscode-button', { attrs: { secondary: '' } }, s.showLadder);
    button.addEventListener('click', () => {
      out.replaceChildren(el('p', { className: 'note', attrs: { role: 'status' } }, s.ladderLoading));
      this.options.channel.request({ type: 'getLadder', connection: id }, 'ladder', { timeoutMs: LADDER_TIMEOUT_MS }).then(
        (reply) => {
          if (reply.analysisId !== this.options.analysisId || this.shownId !== id) return;
          out.replaceChildren(el('h3', null, s.ladderHeading), renderLadder(s, reply.ladder, client, server));
        },
        (e: unknown) => out.replaceChildren(el('p', { className: 'note' }, e instanceof Error ? e.message : String(e))),
      );
    });
    out.append(button);
    return out;
  }

  private legend(): HTMLElement {
    const s = this.options.strings;
    const item = (kind: PhaseKind, label: string): HTMLElement => el('span', { className: 'wf-legend-item' }, el('span', { className: `wf-swatch phase-${kind}` }), label);
    return el('div', { className: 'wf-legend' }, item('send', s.phaseSend), item('blocked', s.phaseBlocked), item('wait', s.phaseWait), item('receive', s.phaseReceive));
  }

  private track(w: WaterfallRow, spanMs: number): HTMLElement {
    const track = el('span', { className: 'wf-track', attrs: { role: 'cell' } });
    const pct = (ms: number): string => `${spanMs > 0 ? (ms / spanMs) * 100 : 0}%`;
    for (const p of w.phases) {
      const bar = el('span', { className: `wf-bar phase-${p.kind}`, attrs: { title: `${p.kind} ${round(p.endMs - p.startMs)} ms` } });
      bar.style.left = pct(p.startMs);
      bar.style.width = pct(p.endMs - p.startMs);
      track.append(bar);
    }
    return track;
  }

  private transactionDetail(w: WaterfallRow, findings: FindingDto[]): HTMLElement {
    const s = this.options.strings;
    const t = w.row;
    const facts: [string, Child][] = [
      [s.frames, `${t.requestFirstFrame}–${t.requestLastFrame}${t.responseFirstFrame !== undefined ? ` / ${t.responseFirstFrame}–${t.responseLastFrame ?? t.responseFirstFrame}` : ''}`],
      [s.framing, `${t.requestFraming}${t.responseFraming ? ` / ${t.responseFraming}` : ''}`],
      [s.bodyBytes, `${bodySize(s, t.requestBodyBytes, t.requestExpectedBodyBytes)} / ${t.responseBodyBytes !== undefined ? bodySize(s, t.responseBodyBytes, t.responseExpectedBodyBytes) : '—'}`],
      [s.timingsHeading, (['send', 'blocked', 'wait', 'receive'] as const).map((k) => `${phaseLabel(s, k)} ${round(w.totals[k])}`).join(' · ')],
    ];
    if (t.streamId !== undefined) facts.push([s.streamId, String(t.streamId)]);
    if (t.pipelinePosition > 1) facts.push([s.pipelinePosition, String(t.pipelinePosition)]);
    const requestHead = `${t.method} ${t.target} ${t.version}\n${headerLines(t.requestHeaders)}`;
    const responseHead = t.responseHeaders ? `${t.responseVersion ?? t.version} ${t.status ?? ''} ${t.reason ?? ''}`.trimEnd() + `\n${headerLines(t.responseHeaders)}` : undefined;
    const cut = [...t.requestHeaders, ...(t.responseHeaders ?? [])].some((h) => h.cut);
    return el(
      'div',
      null,
      el('dl', { className: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)])),
      findings.length ? el('div', null, el('h4', null, s.findingsOnTransaction), el('ul', { className: 'notes' }, ...findings.map((f) => el('li', null, el('code', null, f.code), ' ', f.message)))) : null,
      el('h4', null, s.requestHeading),
      el('pre', { className: 'http-head' }, requestHead),
      this.bodySection(t, 'request'),
      el('h4', null, s.responseHeading),
      responseHead !== undefined ? el('pre', { className: 'http-head' }, responseHead) : el('p', { className: 'note' }, s.noResponse),
      responseHead !== undefined ? this.bodySection(t, 'response') : null,
      cut ? el('p', { className: 'note' }, s.headerCut) : null,
    );
  }

  private bodySection(t: TransactionRowDto, side: 'request' | 'response'): HTMLElement | null {
    const s = this.options.strings;
    const bytes = side === 'request' ? t.requestBodyBytes : (t.responseBodyBytes ?? 0);
    if (bytes === 0) return null;
    const location = side === 'request' ? t.requestBody : t.responseBody;
    if (!location) return el('p', { className: 'note' }, s.bodyUnavailable);
    const out = el('div', { className: 'body-view' });
    const button = el('vscode-button', { attrs: { secondary: '' } }, s.showBody);
    button.addEventListener('click', () => {
      button.remove();
      this.options.channel.request({ type: 'getBody', connection: t.connection, transaction: t.index, side }, 'body').then(
        (reply) => {
          out.replaceChildren();
          append(out, ...renderBody(s, reply.body));
        },
        (e: unknown) => out.replaceChildren(el('p', { className: 'note' }, e instanceof Error ? e.message : String(e))),
      );
    });
    out.append(button);
    return out;
  }
}

function renderBody(s: LocalizedStrings, b: BodyDto): Child[] {
  if (b.kind === 'empty') return [el('p', { className: 'note' }, s.bodyEmpty)];
  const notes = [fill(s.bodyShown, formatCount(b.shownBytes), formatCount(b.totalBytes))];
  if (b.locatedBytes < b.totalBytes) notes.push(fill(s.bodyNotLocated, formatCount(b.locatedBytes)));
  if (b.decoded) notes.push(fill(s.bodyDecoded, b.decoded));
  if (b.decodeError) notes.push(fill(s.bodyDecodeFailed, b.decodeError));
  return [el('p', { className: 'note' }, notes.join(' · ')), el('pre', { className: `http-body body-${b.kind}` }, b.content)];
}

function headerLines(headers: readonly HeaderDto[]): string {
  return headers.map((h) => `${h.name}: ${h.value}${h.cut ? '…' : ''}`).join('\n');
}

function bodySize(s: LocalizedStrings, bytes: number, expected: number | undefined): string {
  return expected !== undefined && expected !== bytes ? fill(s.bodyBytesOfExpected, formatCount(bytes), formatCount(expected)) : formatCount(bytes);
}

function phaseLabel(s: LocalizedStrings, kind: PhaseKind): string {
  return kind === 'send' ? s.phaseSend : kind === 'blocked' ? s.phaseBlocked : kind === 'wait' ? s.phaseWait : s.phaseReceive;
}

function round(ms: number): string {
  return (Math.round(ms * 1000) / 1000).toString();
}
