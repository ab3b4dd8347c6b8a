// SPDX-License-Identifier: MIT
// The read-only "findings" text document the Problems pane points at. A capture has no text lines,
// so a diagnostic on the capture itself would lead nowhere; each diagnostic sits instead on its
// finding's block in this document, which holds the evidence, the explanation and the advice.
// Free of `vscode`, so the layout and the line ranges are unit-tested in Node.
import type { FindingDto } from '../../protocol/dto.js';
import { wiresharkFilter } from '../flowExplorer/flowTree.js';

/** FindingBlock is where one finding sits in the report: its heading line and its last line (0-based, inclusive). */
export interface FindingBlock {
  findingIndex: number;
  connection: number;
  headingLine: number;
  endLine: number;
  /** Length of the heading line, for the diagnostic's range. */
  headingLength: number;
}

/** FindingsReport is the document text and where each finding's block is. */
export interface FindingsReport {
  text: string;
  blocks: FindingBlock[];
}

/**
 * renderFindingsReport lays out the findings of one capture, one block each, in analysis order
 * (the same order and cap as the Problems pane). Header values and URIs come from the capture:
 * this is plain text, shown by a text editor, never HTML.
 */
export function renderFindingsReport(fileName: string, findings: readonly FindingDto[], max: number): FindingsReport {
  const lines: string[] = [];
  const blocks: FindingBlock[] = [];
  const shown = findings.slice(0, Math.max(0, max));
  lines.push(`Findings of ${fileName}: ${findings.length}${shown.length < findings.length ? ` (first ${shown.length} shown)` : ''}`);
  lines.push('Each block: what was measured, the evidence frames, why it costs time and what to change.');
  for (const f of shown) {
    lines.push('');
    const headingLine = lines.length;
    const heading = oneLine(`${f.severity.toUpperCase()} ${f.code}: ${f.title}`);
    lines.push(heading);
    lines.push(`  ${oneLine(f.message)}`);
    lines.push(`  connection  tcp.stream ${f.connection}${f.transaction !== undefined ? `, transaction ${f.transaction}` : ''}`);
    lines.push(`  start       ${f.startEpochText}${f.delayMs !== undefined ? `   delay ${f.delayMs} ms` : ''}`);
    if (f.frames.length > 0) lines.push(`  frames      ${f.frames.join(', ')}`);
    lines.push(`  wireshark   ${wiresharkFilter({ kind: 'finding', id: '', row: f })}`);
    if (f.explanation) lines.push(...wrap(`  why         `, f.explanation));
    if (f.advice) lines.push(...wrap(`  change      `, f.advice));
    blocks.push({ findingIndex: f.index, connection: f.connection, headingLine, endLine: lines.length - 1, headingLength: heading.length });
  }
  return { text: lines.join('\n') + '\n', blocks };
}

/** blockAt is the block holding `line`, if any (blocks are in line order). */
export function blockAt(blocks: readonly FindingBlock[], line: number): FindingBlock | undefined {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid]!;
    if (line < b.headingLine) hi = mid - 1;
    else if (line > b.endLine) lo = mid + 1;
    else return b;
  }
  return undefined;
}

/** oneLine escapes control characters: a message quoting capture bytes must not add lines and shift every range below it. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f\x85\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const WRAP_COLUMNS = 100;

/** wrap breaks a paragraph at spaces into lines of at most WRAP_COLUMNS, the first after `label`. */
function wrap(label: string, text: string): string[] {
  const indent = ' '.repeat(label.length);
  const out: string[] = [];
  let line = label;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean).map(oneLine)) {
    if (!empty && line.length + 1 + word.length > WRAP_COLUMNS) {
      out.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  out.push(line);
  return out;
}
