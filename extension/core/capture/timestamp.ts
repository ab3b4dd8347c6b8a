// SPDX-License-Identifier: MIT

/** Timestamp is an exact epoch time: whole seconds plus nanoseconds. */
export interface Timestamp {
  sec: number;
  nanos: number;
}

const TWO_32 = 4294967296;

/**
 * timestampFromUnits converts a pcapng 64-bit timestamp (high and low 32-bit halves, counted in
 * units of base^-exponent seconds) into exact seconds and nanoseconds.
 *
 * Epoch nanoseconds exceed 2^53, so the 64-bit count cannot go through a double. For decimal
 * resolutions up to 10^9 (the common 10^6 and 10^9) this divides with 16-bit limbs, every
 * intermediate staying below 2^53; rarer resolutions use BigInt.
 */
export function timestampFromUnits(high: number, low: number, base: 2 | 10, exponent: number): Timestamp {
  if (base === 10 && exponent <= 9) {
    const units = POW10[exponent] ?? 1;
    // Long division of (high·2^32 + low) by `units`: remainders are < units ≤ 10^9 < 2^30, so r·2^16 < 2^46.
    const q1 = Math.floor(high / units);
    let r = high - q1 * units;
    let x = r * 65536 + (low >>> 16);
    const q2 = Math.floor(x / units);
    r = x - q2 * units;
    x = r * 65536 + (low & 0xffff);
    const q3 = Math.floor(x / units);
    r = x - q3 * units;
    return { sec: q1 * TWO_32 + q2 * 65536 + q3, nanos: r * (POW10[9 - exponent] ?? 1) };
  }
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  const units = base === 10 ? 10n ** BigInt(exponent) : 1n << BigInt(exponent);
  const sec = ticks / units;
  const nanos = ((ticks - sec * units) * 1_000_000_000n) / units;
  return { sec: Number(sec), nanos: Number(nanos) };
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/** formatEpoch renders an exact time as decimal epoch seconds with `digits` fractional digits (truncated, as Wireshark does). */
export function formatEpoch(sec: number, nanos: number, digits: number): string {
  if (digits <= 0) return String(sec);
  const frac = String(nanos).padStart(9, '0').slice(0, Math.min(9, digits));
  if (sec < 0 && nanos > 0) {
    // -1 s + 0.25 s = -0.75 s: decimal text needs the borrow.
    const n = 1e9 - nanos;
    const text = String(n).padStart(9, '0').slice(0, Math.min(9, digits));
    return `${sec + 1 === 0 ? '-0' : String(sec + 1)}.${text}`;
  }
  return `${sec}.${frac}`;
}
