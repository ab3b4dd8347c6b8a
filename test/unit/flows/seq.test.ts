// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { SEQ_SPACE, seqAdd, seqDiff, seqGt, seqGte, seqLt, seqLte, seqMax, seqMin } from '../../../extension/core/flows/seq.js';

const MAX = 0xffff_ffff;
const HALF = 0x8000_0000;

describe('seqDiff', () => {
  const cases: { name: string; a: number; b: number; want: number }[] = [
    { name: 'equal', a: 1000, b: 1000, want: 0 },
    { name: 'ahead', a: 1010, b: 1000, want: 10 },
    { name: 'behind', a: 1000, b: 1010, want: -10 },
    { name: 'ahead across the wrap', a: 5, b: 0xffff_fff0, want: 21 },
    { name: 'behind across the wrap', a: 0xffff_fff0, b: 5, want: -21 },
    { name: 'MAX then 0', a: 0, b: MAX, want: 1 },
    { name: 'largest positive distance is +2^31 (the ambiguous antipode)', a: HALF, b: 0, want: HALF },
    { name: 'antipode the other way round is also +2^31', a: 0, b: HALF, want: HALF },
    { name: 'one short of the antipode is negative', a: 0, b: HALF - 1, want: -(HALF - 1) },
    { name: 'one past the antipode is negative', a: HALF + 1, b: 0, want: -(HALF - 1) },
  ];
  for (const c of cases) {
    it(c.name, () => expect(seqDiff(c.a, c.b)).toBe(c.want));
  }
});

describe('seqAdd', () => {
  const cases: { name: string; seq: number; n: number; want: number }[] = [
    { name: 'small', seq: 1000, n: 24, want: 1024 },
    { name: 'wraps', seq: 0xffff_fff0, n: 0x20, want: 0x10 },
    { name: 'negative', seq: 5, n: -10, want: MAX - 4 },
    { name: 'exactly 2^32 is a no-op', seq: 77, n: SEQ_SPACE, want: 77 },
    { name: 'stream offsets beyond 4 GiB', seq: 0xffff_fff1, n: 5 * 2 ** 30 + 3, want: (0xffff_fff1 + 5 * 2 ** 30 + 3) % SEQ_SPACE },
  ];
  for (const c of cases) {
    it(c.name, () => expect(seqAdd(c.seq, c.n)).toBe(c.want));
  }
});

describe('comparisons', () => {
  const cases: { name: string; a: number; b: number; lt: boolean; lte: boolean; gt: boolean; gte: boolean }[] = [
    { name: 'plain less', a: 1, b: 2, lt: true, lte: true, gt: false, gte: false },
    { name: 'equal', a: 7, b: 7, lt: false, lte: true, gt: false, gte: true },
    { name: 'greater across the wrap', a: 3, b: MAX, lt: false, lte: false, gt: true, gte: true },
    { name: 'less across the wrap', a: MAX, b: 3, lt: true, lte: true, gt: false, gte: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect([seqLt(c.a, c.b), seqLte(c.a, c.b), seqGt(c.a, c.b), seqGte(c.a, c.b)]).toEqual([c.lt, c.lte, c.gt, c.gte]);
    });
  }

  it('seqMax and seqMin pick by sequence order, not numeric order', () => {
    expect(seqMax(MAX, 4)).toBe(4);
    expect(seqMin(MAX, 4)).toBe(MAX);
    expect(seqMax(10, 20)).toBe(20);
    expect(seqMin(10, 20)).toBe(10);
  });
});
