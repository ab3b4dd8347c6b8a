// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { DiscardReason, IpReassemblyOptions, ReassemblyResult } from '../../../extension/core/wire/ipReassembly.js';
import { IpReassembler } from '../../../extension/core/wire/ipReassembly.js';

/** The datagram every case reassembles: bytes 0..23. */
const DATA = Uint8Array.from({ length: 24 }, (_, i) => i);
/** Different content for the same offsets, to make overlaps visible. */
const OTHER = Uint8Array.from({ length: 24 }, (_, i) => 0xa0 + i);

interface Step {
  frame: number;
  offset: number;
  length: number;
  more: boolean;
  /** Source of the bytes (default DATA). */
  from?: Uint8Array;
  t?: number;
  id?: number;
  version?: 4 | 6;
  protocol?: number;
}

interface Case {
  name: string;
  options?: IpReassemblyOptions;
  steps: Step[];
  /** Status of each step's result. */
  want: ReassemblyResult['status'][];
  /** The completed datagram (from the last 'complete'). */
  datagram?: { payload: Uint8Array; frames: number[]; overlapped: boolean };
  /** Reasons passed to onDiscard, in order. */
  discarded?: DiscardReason[];
}

const f = (frame: number, offset: number, length: number, more: boolean, extra: Partial<Step> = {}): Step => ({ frame, offset, length, more, ...extra });

const CASES: Case[] = [
  {
    name: 'in order',
    steps: [f(1, 0, 8, true), f(2, 8, 8, true), f(3, 16, 8, false)],
    want: ['held', 'held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2, 3], overlapped: false },
  },
  {
    name: 'reversed',
    steps: [f(1, 16, 8, false), f(2, 8, 8, true), f(3, 0, 8, true)],
    want: ['held', 'held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2, 3], overlapped: false },
  },
  {
    name: 'last fragment in the middle',
    steps: [f(4, 0, 8, true), f(5, 16, 8, false), f(6, 8, 8, true)],
    want: ['held', 'held', 'complete'],
    datagram: { payload: DATA, frames: [4, 5, 6], overlapped: false },
  },
  {
    name: 'exact duplicate ignored (RFC 8200 §4.5)',
    steps: [f(1, 0, 8, true), f(2, 0, 8, true), f(3, 8, 16, false)],
    want: ['held', 'duplicate', 'complete'],
    datagram: { payload: DATA, frames: [1, 3], overlapped: false },
  },
  {
    name: 'IPv4 overlap with different bytes: first-come wins, flagged',
    steps: [f(1, 0, 16, true), f(2, 8, 16, false, { from: OTHER })],
    want: ['held', 'complete'],
    datagram: { payload: Uint8Array.from([...DATA.subarray(0, 16), ...OTHER.subarray(16)]), frames: [1, 2], overlapped: true },
  },
  {
    name: 'IPv4 overlap that adds nothing new still completes the datagram',
    steps: [f(1, 0, 24, true), f(2, 16, 8, false, { from: OTHER })],
    want: ['held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2], overlapped: true },
  },
  {
    name: 'IPv6 overlap with different bytes: datagram dropped (RFC 5722), later fragments start afresh',
    steps: [f(1, 0, 16, true, { version: 6 }), f(2, 8, 16, false, { version: 6, from: OTHER }), f(3, 16, 8, false, { version: 6 })],
    want: ['held', 'dropped', 'held'],
    discarded: ['overlap'],
  },
  {
    name: 'IPv6 overlap with identical bytes is not an overlap',
    steps: [f(1, 0, 16, true, { version: 6 }), f(2, 8, 16, false, { version: 6 })],
    want: ['held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2], overlapped: false },
  },
  {
    name: 'IPv6 overlap policy can be first-come-wins',
    options: { ipv6Overlap: 'firstWins' },
    steps: [f(1, 0, 16, true, { version: 6 }), f(2, 8, 16, false, { version: 6, from: OTHER })],
    want: ['held', 'complete'],
    datagram: { payload: Uint8Array.from([...DATA.subarray(0, 16), ...OTHER.subarray(16)]), frames: [1, 2], overlapped: true },
  },
  {
    name: 'non-final fragment not a multiple of 8 bytes is discarded (RFC 8200 §4.5)',
    steps: [f(1, 0, 12, true), f(2, 0, 8, true), f(3, 8, 16, false)],
    want: ['dropped', 'held', 'complete'],
    datagram: { payload: DATA, frames: [2, 3], overlapped: false },
  },
  {
    name: 'final fragments that disagree on the length discard the datagram',
    steps: [f(1, 16, 8, false), f(2, 8, 8, false)],
    want: ['held', 'dropped'],
    discarded: ['inconsistent'],
  },
  {
    name: 'a fragment past the known end discards the datagram',
    steps: [f(1, 8, 8, false), f(2, 16, 8, true)],
    want: ['held', 'dropped'],
    discarded: ['inconsistent'],
  },
  {
    name: 'a datagram beyond 65535 bytes is discarded',
    steps: [f(1, 0, 8, true), f(2, 65528, 16, false, { from: new Uint8Array(65544) })],
    want: ['held', 'dropped'],
    discarded: ['tooLong'],
  },
  {
    name: 'too many pending datagrams: the oldest is evicted',
    options: { maxPending: 2 },
    steps: [f(1, 0, 8, true, { id: 1 }), f(2, 0, 8, true, { id: 2 }), f(3, 0, 8, true, { id: 3 }), f(4, 8, 16, false, { id: 1 }), f(5, 8, 16, false, { id: 3 })],
    want: ['held', 'held', 'held', 'held', 'complete'],
    datagram: { payload: DATA, frames: [3, 5], overlapped: false },
    // id 1 evicted by id 3; id 1's second fragment then evicts id 2.
    discarded: ['evicted', 'evicted'],
  },
  {
    name: 'expiry after the timeout in capture time',
    options: { timeoutSec: 60 },
    steps: [f(1, 0, 8, true, { t: 0 }), f(2, 8, 16, false, { t: 61 })],
    want: ['held', 'held'],
    discarded: ['timeout'],
  },
  {
    name: 'no expiry within the timeout',
    options: { timeoutSec: 60 },
    steps: [f(1, 0, 8, true, { t: 0 }), f(2, 8, 16, false, { t: 59.5 })],
    want: ['held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2], overlapped: false },
  },
  {
    name: 'buffered-bytes limit evicts the oldest other datagram',
    options: { maxBufferedBytes: 16 },
    steps: [f(1, 0, 16, true, { id: 1 }), f(2, 0, 16, true, { id: 2 }), f(3, 16, 8, false, { id: 2 })],
    want: ['held', 'held', 'complete'],
    datagram: { payload: DATA, frames: [2, 3], overlapped: false },
    discarded: ['evicted'],
  },
  {
    name: 'IPv4 keys include the protocol',
    steps: [f(1, 0, 8, true, { protocol: 6 }), f(2, 8, 16, false, { protocol: 17 })],
    want: ['held', 'held'],
  },
  {
    name: 'IPv6 keys ignore the Next Header; the offset-0 fragment sets it',
    steps: [f(1, 8, 16, false, { version: 6, protocol: 17 }), f(2, 0, 8, true, { version: 6, protocol: 6 })],
    want: ['held', 'complete'],
    datagram: { payload: DATA, frames: [1, 2], overlapped: false },
  },
  {
    name: 'a single whole fragment (offset 0, last) completes at once, as an atomic fragment would',
    steps: [f(7, 0, 24, false, { version: 6 })],
    want: ['complete'],
    datagram: { payload: DATA, frames: [7], overlapped: false },
  },
];

describe('IpReassembler', () => {
  it.each(CASES)('$name', (c) => {
    const discarded: DiscardReason[] = [];
    const reassembler = new IpReassembler({ ...c.options, onDiscard: (d) => discarded.push(d.reason) });
    const statuses: string[] = [];
    let last: ReassemblyResult | undefined;
    for (const s of c.steps) {
      const from = s.from ?? DATA;
      const result = reassembler.add({
        version: s.version ?? 4,
        src: s.version === 6 ? '2001:db8::1' : '192.0.2.1',
        dst: s.version === 6 ? '2001:db8::2' : '192.0.2.2',
        identification: s.id ?? 0x1234,
        protocol: s.protocol ?? 6,
        offsetBytes: s.offset,
        moreFragments: s.more,
        payload: from.subarray(s.offset, s.offset + s.length),
        frame: s.frame,
        timeSec: s.t ?? 0,
      });
      statuses.push(result.status);
      if (result.status === 'complete') last = result;
    }
    expect(statuses).toEqual(c.want);
    expect(discarded).toEqual(c.discarded ?? []);
    if (c.datagram !== undefined) {
      expect(last?.status).toBe('complete');
      if (last?.status === 'complete') {
        expect(Array.from(last.datagram.payload)).toEqual(Array.from(c.datagram.payload));
        expect(last.datagram.frames).toEqual(c.datagram.frames);
        expect(last.datagram.overlapped).toBe(c.datagram.overlapped);
      }
    }
  });

  it('copies fragment bytes (record views are reused) and frees them on completion', () => {
    const reassembler = new IpReassembler();
    const buffer = DATA.slice();
    const base = { version: 4 as const, src: 'a', dst: 'b', identification: 1, protocol: 6, frame: 1, timeSec: 0 };
    reassembler.add({ ...base, offsetBytes: 0, moreFragments: true, payload: buffer.subarray(0, 8) });
    expect(reassembler.pendingBytes).toBe(8);
    buffer.fill(0xff); // the reader reuses its buffer for the next record
    const result = reassembler.add({ ...base, offsetBytes: 8, moreFragments: false, payload: DATA.subarray(8) });
    expect(result.status === 'complete' && Array.from(result.datagram.payload)).toEqual(Array.from(DATA));
    expect([reassembler.pendingCount, reassembler.pendingBytes]).toEqual([0, 0]);
  });

  it('reports the protocol of the completed datagram and everything still pending at flush', () => {
    const reassembler = new IpReassembler();
    const base = { version: 6 as const, src: '2001:db8::1', dst: '2001:db8::2', protocol: 6, timeSec: 0 };
    reassembler.add({ ...base, identification: 1, offsetBytes: 0, moreFragments: true, payload: DATA.subarray(0, 8), frame: 1 });
    reassembler.add({ ...base, identification: 2, offsetBytes: 8, moreFragments: false, payload: DATA.subarray(8, 16), frame: 2 });
    const flushed = reassembler.flush();
    expect(flushed.map((d) => [d.identification, d.reason, d.frames, d.receivedBytes, d.totalLength])).toEqual([
      [1, 'flushed', [1], 8, undefined],
      [2, 'flushed', [2], 8, 16],
    ]);
    expect(reassembler.pendingCount).toBe(0);
  });
});
