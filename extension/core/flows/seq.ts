// SPDX-License-Identifier: MIT
//
// Wrap-safe arithmetic on 32-bit TCP sequence numbers. RFC 9293 §3.4: "all
// arithmetic dealing with sequence numbers must be performed modulo 2**32",
// and comparisons mean "which comes first within half the number space"
// (serial number arithmetic, RFC 1982 §3.2) [gopacket Sequence.Difference,
// smoltcp SeqNumber].
//
// Sequence numbers are plain JS numbers holding unsigned 32-bit values (as
// TcpSegment.seq/ack are). Two numbers exactly 2^31 apart are ambiguous
// (RFC 1982 §3.2 leaves them undefined); seqDiff calls that distance +2^31,
// so each of them is "greater" than the other. TCP never compares numbers
// that far apart: a window is at most 2^30 (RFC 7323 §2.3).

/** SEQ_SPACE is the size of the sequence number space, 2^32. */
export const SEQ_SPACE = 0x1_0000_0000;

const HALF_SPACE = 0x8000_0000;

/** seqDiff is the signed distance from `b` to `a` (a − b modulo 2^32), in (−2^31, 2^31]. */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) >>> 0;
  return d > HALF_SPACE ? d - SEQ_SPACE : d;
}

/** seqAdd is `seq + n` modulo 2^32; `n` may be negative or larger than 2^32 (any safe integer). */
export function seqAdd(seq: number, n: number): number {
  // ToUint32 reduces the exact sum modulo 2^32 (exact while |seq + n| < 2^53).
  return (seq + n) >>> 0;
}

/** seqLt says whether `a` comes before `b`. */
export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

/** seqLte says whether `a` comes before `b` or equals it. */
export function seqLte(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

/** seqGt says whether `a` comes after `b`. */
export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** seqGte says whether `a` comes after `b` or equals it. */
export function seqGte(a: number, b: number): boolean {
  return seqDiff(a, b) >= 0;
}

/** seqMax is whichever of `a` and `b` comes later. */
export function seqMax(a: number, b: number): number {
  return seqDiff(a, b) >= 0 ? a : b;
}

/** seqMin is whichever of `a` and `b` comes first. */
export function seqMin(a: number, b: number): number {
  return seqDiff(a, b) <= 0 ? a : b;
}
