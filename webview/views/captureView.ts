// SPDX-License-Identifier: MIT
// Builds the capture editor's views. All capture content goes through `el`/text nodes (dom.ts).
import type { AnalysisErrorDto, CaptureAnalysisDto, LocalizedStrings } from '../../extension/protocol/dto.js';
import { el, type Child } from '../dom.js';
import { fill, formatCount, formatOffset } from '../format.js';

/** MAX_TABLE_ROWS caps each table; a damaged pcapng can warn thousands of times. */
export const MAX_TABLE_ROWS = 1_000;

//#region progress

/** ProgressView is the "analysing" state: a progress bar and its label, updated in place. */
export class ProgressView {
  readonly element: HTMLElement;
  private readonly bar: HTMLElementTagNameMap['vscode-progress-bar'];
  private readonly label: HTMLElement;

  constructor(private readonly strings: LocalizedStrings) {
    this.bar = el('vscode-progress-bar', { attrs: { 'aria-label': strings.analyzing } });
    this.label = el('p', { className: 'progress-label', attrs: { role: 'status' } }, strings.analyzing);
    this.element = el('section', { className: 'progress' }, this.bar, this.label);
  }

  /** update shows `doneBytes / totalBytes`; an unknown total keeps the bar indeterminate. */
  update(doneBytes: number, totalBytes: number): void {
    if (totalBytes > 0) {
      const percent = Math.min(100, Math.floor((doneBytes / totalBytes) * 100));
      this.bar.max = 100;
      this.bar.value = percent;
      this.label.textContent = fill(this.strings.analyzingProgress, percent);
    } else {
      this.bar.value = undefined;
      this.label.textContent = this.strings.analyzing;
    }
  }
}

//#endregion

//#region result

/** renderAnalysis builds the summary of a finished analysis. */
export function renderAnalysis(s: LocalizedStrings, a: CaptureAnalysisDto): HTMLElement {
  const c = a.capture;
  const d = a.decode;
  const undecoded = d.errorsByLayer.reduce((sum, e) => sum + e.count, 0);
  const linkTypes = c.linkTypes.length ? c.linkTypes.map((l) => l.name).join(', ') : s.noInterfaces;

  const summary = definitionList([
    [s.format, c.format],
    [s.linkTypes, linkTypes],
    [s.packets, formatCount(c.packets)],
    [s.capturedBytes, formatCount(c.capturedBytes)],
    [s.fileSize, formatCount(c.fileSizeBytes)],
    ...(c.times
      ? ([
          [s.firstPacket, timeElement(c.times.firstIsoText, c.times.firstEpochText)],
          [s.duration, fill(s.durationSeconds, c.times.durationSecondsText)],
        ] as [string, Child][])
      : []),
    [s.connections, formatCount(a.connectionCount)],
    [s.findings, formatCount(a.findingCount)],
  ]);

  const decoded = definitionList([
    [s.ipv4, formatCount(d.ipv4)],
    [s.ipv6, formatCount(d.ipv6)],
    [s.tcp, formatCount(d.tcp)],
    [s.udp, formatCount(d.udp)],
    [s.otherProtocols, formatCount(d.other)],
    ...(d.fragments
      ? ([
          [s.ipFragments, formatCount(d.fragments)],
          [s.datagramsRebuilt, formatCount(d.reassembled)],
        ] as [string, Child][])
      : []),
  ]);

  return el(
    'div',
    { className: 'analysis' },
    el('header', { className: 'capture-header' }, el('h1', null, c.fileName)),
    c.packets === 0 && el('p', { className: 'note' }, s.noPackets),
    section('summary', s.captureHeading, summary),
    section('decoded', s.decodedHeading, decoded),
    d.errorsByLayer.length > 0 &&
      section(
        'undecoded',
        s.undecodedHeading,
        table(
          [s.layer, s.count],
          ['text', 'number'],
          d.errorsByLayer.map((e) => [e.layer, formatCount(e.count)]),
          s,
        ),
      ),
    d.notes.length > 0 && section('notes', s.notesHeading, el('ul', { className: 'notes' }, ...d.notes.map((n) => el('li', null, n)))),
    c.warnings.length > 0 &&
      section(
        'warnings',
        `${s.fileWarningsHeading} (${formatCount(c.warnings.length)})`,
        table(
          [s.offset, s.message],
          ['offset', 'text'],
          c.warnings.map((w) => [formatOffset(w.byteOffset), w.message]),
          s,
        ),
      ),
    d.errors.length > 0 &&
      section(
        'decode-errors',
        `${s.decodeErrorsHeading} (${formatCount(Math.max(undecoded, d.errors.length))})`,
        // The core keeps only the first errors; say so rather than let the table look complete.
        undecoded > d.errors.length && el('p', { className: 'note' }, fill(s.firstOfTotal, formatCount(d.errors.length), formatCount(undecoded))),
        table(
          [s.frame, s.layer, s.offset, s.message],
          ['offset', 'text', 'offset', 'text'],
          d.errors.map((e) => [formatOffset(e.frame), e.layer, formatOffset(e.byteOffset), e.message]),
          s,
        ),
      ),
  );
}

function timeElement(isoText: string, epochText: string): HTMLElement {
  // The epoch form is what Wireshark's frame.time_epoch shows; offer it on hover.
  return el('span', { attrs: { title: epochText } }, isoText);
}

//#endregion

//#region failure

/** renderFailure builds the "could not analyse" state: which file, where and why, and a way to retry. */
export function renderFailure(s: LocalizedStrings, error: AnalysisErrorDto, onReanalyze: () => void): HTMLElement {
  const cancelled = error.code === 'cancelled';
  const details = definitionList([
    [s.errorFile, error.fileName],
    ...(error.byteOffset !== undefined ? ([[s.errorOffset, formatOffset(error.byteOffset)]] as [string, Child][]) : []),
    ...(!cancelled ? ([[s.errorReason, error.reason]] as [string, Child][]) : []),
  ]);
  return el(
    'section',
    { className: cancelled ? 'failure cancelled' : 'failure', attrs: { role: cancelled ? 'status' : 'alert', 'data-error-code': error.code } },
    el('h1', null, cancelled ? s.analysisCancelledHeading : s.analysisFailedHeading),
    details,
    button(s.reanalyze, onReanalyze),
  );
}

/** renderFatal shows a problem with the editor itself (no host reply, version mismatch). */
export function renderFatal(message: string): HTMLElement {
  return el('section', { className: 'failure', attrs: { role: 'alert' } }, el('p', null, message));
}

//#endregion

//#region banner

/** renderChangedBanner tells the user the file changed on disk and offers to analyse it again. */
export function renderChangedBanner(s: LocalizedStrings, onReanalyze: () => void): HTMLElement {
  return el('div', { className: 'banner', attrs: { role: 'status' } }, el('span', null, s.fileChangedOnDisk), button(s.reanalyze, onReanalyze, true));
}

//#endregion

//#region building blocks

function section(id: string, heading: string, ...content: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return el('section', { className: `block ${id}`, attrs: { 'aria-labelledby': headingId } }, el('h2', { attrs: { id: headingId } }, heading), ...content);
}

function definitionList(rows: [string, Child][]): HTMLElement {
  const list = el('dl', { className: 'facts' });
  for (const [term, value] of rows) list.append(el('dt', null, term), el('dd', null, value));
  return list;
}

type ColumnKind = 'text' | 'number' | 'offset';

function table(headers: string[], kinds: ColumnKind[], rows: string[][], s: LocalizedStrings): HTMLElement {
  const head = el('thead', null, el('tr', null, ...headers.map((h, i) => el('th', { className: kinds[i] ?? 'text', attrs: { scope: 'col' } }, h))));
  const body = el('tbody');
  for (const row of rows.slice(0, MAX_TABLE_ROWS)) {
    body.append(el('tr', null, ...row.map((cell, i) => el('td', { className: kinds[i] ?? 'text' }, cell))));
  }
  const hidden = rows.length - MAX_TABLE_ROWS;
  return el('div', { className: 'table-wrap' }, el('table', { className: 'data' }, head, body), hidden > 0 && el('p', { className: 'note' }, fill(s.moreRowsNotShown, formatCount(hidden))));
}

function button(label: string, onClick: () => void, secondary = false): HTMLElement {
  const b = el('vscode-button', secondary ? { attrs: { secondary: '' } } : null, label);
  b.addEventListener('click', onClick);
  return b;
}

//#endregion
