// SPDX-License-Identifier: MIT
import type { RttSummary } from './connection.js';

/** Samples kept per direction; beyond this a uniform reservoir keeps memory per connection fixed. */
const MAX_KEPT = 512;

/** RttSamples collects RTT samples with bounded memory: exact min/max, and a median exact up to MAX_KEPT samples. */
export class RttSamples {
  private kept: number[] = [];
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  /** Deterministic LCG so reports are reproducible run to run. */
  private seed = 0x2545f491;

  /** Smallest sample so far (Infinity before the first). */
  get minMs(): number {
    return this.min;
  }

  add(ms: number): void {
    this.count++;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    if (this.kept.length < MAX_KEPT) {
      this.kept.push(ms);
      return;
    }
    // Reservoir sampling (Vitter's algorithm R): each sample stays with probability MAX_KEPT / count.
    this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
    const slot = this.seed % this.count;
    if (slot < MAX_KEPT) this.kept[slot] = ms;
  }

  summary(): RttSummary | undefined {
    if (this.count === 0) return undefined;
    const sorted = [...this.kept].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return { samples: this.count, minMs: this.min, medianMs: median, maxMs: this.max, medianEstimated: this.count > MAX_KEPT };
  }
}
