// SPDX-License-Identifier: MIT
// The ladder (sequence) diagram of one connection: client on the left, server on the right, one
// arrow per TCP segment in capture order, with the flags, sizes and relative numbers Wireshark
// shows. Resets, retransmissions and zero windows are coloured; the findings' evidence frames are
// marked with their codes; pauses of 10 ms or more get a line of their own, so a 40 ms delayed ACK
// stands out. Text nodes only; no capture bytes are shown here, just numbers.
import type { LadderDto, LocalizedStrings } from '../../extension/protocol/dto.js';
import { el } from '../dom.js';
import { fill, formatOffset } from '../format.js';
import { segmentLabel } from './ladderModel.js';

/** A pause at least this long (ms) between two packets gets a gap line. */
export const GAP_MS = 10;

/** renderLadder builds the diagram for `ladder`; `client`/`server` are the endpoints' texts. */
export function renderLadder(s: LocalizedStrings, ladder: LadderDto, client: string, server: string): HTMLElement {
  const retransmitted = new Set(ladder.retransmissionFrames);
  const zeroWindow = new Set(ladder.zeroWindowFrames);
  const evidence = new Map(ladder.evidence.map((e) => [e.frame, e.codes]));
  const rows: HTMLElement[] = [
    el('div', { className: 'ld-frame ld-head' }),
    el('div', { className: 'ld-time ld-head' }),
    el('div', { className: 'ld-ends ld-head' }, el('span', null, fill(s.ladderClient, client)), el('span', null, fill(s.ladderServer, server))),
  ];
  let previous: number | undefined;
  for (const p of ladder.packets) {
    if (previous !== undefined && p.timeMs - previous >= GAP_MS) {
      rows.push(el('div', { className: 'ld-gap', attrs: { role: 'note' } }, `⋯ ${fill(s.ladderGap, (p.timeMs - previous).toFixed(3))}`));
    }
    previous = p.timeMs;
    const classes = ['ld-arrow', p.fromClient ? 'to-server' : 'to-client'];
    if ((p.flags & 0x004) !== 0) classes.push('rst');
    if ((p.flags & 0x003) !== 0) classes.push('syn-fin');
    if (retransmitted.has(p.frame)) classes.push('retransmission');
    if (zeroWindow.has(p.frame)) classes.push('zero-window');
    const codes = evidence.get(p.frame);
    const marks = [retransmitted.has(p.frame) ? 'retransmission' : '', zeroWindow.has(p.frame) ? 'zero window' : '', ...(codes ?? [])].filter(Boolean);
    const label = segmentLabel(p) + (marks.length ? `  ⟵ ${marks.join(', ')}` : '');
    rows.push(
      el('div', { className: `ld-frame${codes ? ' evidence' : ''}` }, formatOffset(p.frame)),
      el('div', { className: 'ld-time' }, p.timeMs.toFixed(3)),
      el('div', { className: 'ld-track' }, el('div', { className: classes.join(' '), attrs: { title: label } }, el('span', { className: 'ld-label' }, label))),
    );
  }
  const out = el('div', { className: 'ladder', attrs: { role: 'list', 'aria-label': s.ladderHeading } }, ...rows);
  return ladder.truncated ? el('div', null, out, el('p', { className: 'note' }, fill(s.ladderTruncated, String(ladder.packets.length)))) : out;
}
