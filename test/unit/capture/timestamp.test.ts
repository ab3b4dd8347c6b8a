// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { formatEpoch, timestampFromUnits } from '../../../extension/core/capture/timestamp.js';

function split(ticks: bigint): [number, number] {
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

describe('timestampFromUnits', () => {
  it.each([
    { ticks: 1_700_000_000_123_456n, base: 10 as const, exp: 6, sec: 1_700_000_000, nanos: 123_456_000 },
    { ticks: 1_700_000_000_123_456_789n, base: 10 as const, exp: 9, sec: 1_700_000_000, nanos: 123_456_789 },
    { ticks: 18_446_744_073_709_551_615n, base: 10 as const, exp: 9, sec: 18_446_744_073, nanos: 709_551_615 },
    { ticks: 0n, base: 10 as const, exp: 0, sec: 0, nanos: 0 },
    { ticks: 1_700_000_000_123_456_789_012n & 0xffffffffffffffffn, base: 10 as const, exp: 12, sec: -1, nanos: -1 },
    { ticks: (5n << 20n) | (1n << 18n), base: 2 as const, exp: 20, sec: 5, nanos: 250_000_000 },
  ])('$ticks at $base^-$exp', ({ ticks, base, exp, sec, nanos }) => {
    const [hi, lo] = split(ticks);
    const got = timestampFromUnits(hi, lo, base, exp);
    // Oracle: exact BigInt arithmetic.
    const units = base === 10 ? 10n ** BigInt(exp) : 1n << BigInt(exp);
    const wantSec = ticks / units;
    const wantNanos = ((ticks % units) * 1_000_000_000n) / units;
    expect(got).toEqual({ sec: Number(wantSec), nanos: Number(wantNanos) });
    if (sec >= 0) expect(got).toEqual({ sec, nanos });
  });

  it('agrees with BigInt on random 64-bit values at every decimal resolution', () => {
    let seed = 12345;
    const rand32 = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 2000; i++) {
      const hi = rand32();
      const lo = rand32();
      const exp = i % 10;
      const ticks = (BigInt(hi) << 32n) | BigInt(lo);
      const units = 10n ** BigInt(exp);
      expect(timestampFromUnits(hi, lo, 10, exp)).toEqual({ sec: Number(ticks / units), nanos: Number(((ticks % units) * 1_000_000_000n) / units) });
    }
  });
});

describe('formatEpoch', () => {
  it.each([
    { sec: 1_700_000_000, nanos: 123_456_789, digits: 9, text: '1700000000.123456789' },
    { sec: 1_700_000_000, nanos: 123_456_789, digits: 6, text: '1700000000.123456' },
    { sec: 1, nanos: 5_000, digits: 6, text: '1.000005' },
    { sec: 7, nanos: 0, digits: 0, text: '7' },
    { sec: -1, nanos: 250_000_000, digits: 3, text: '-0.750' },
    { sec: -2, nanos: 250_000_000, digits: 2, text: '-1.75' },
  ])('$sec s + $nanos ns → $text', ({ sec, nanos, digits, text }) => {
    expect(formatEpoch(sec, nanos, digits)).toBe(text);
  });
});
