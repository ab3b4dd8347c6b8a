// SPDX-License-Identifier: MIT
// The phases of each transaction on a connection, as the waterfall draws them. Pure (no DOM), so
// the unit tests check the arithmetic on recorded fixtures.
import type { TransactionRowDto } from '../../extension/protocol/dto.js';

/**
 * Phase names follow HAR's timings: `send` the request's first to last byte, `blocked` time the
 * finished request sat in an HTTP/1.1 pipeline behind an earlier response (RFC 9112 §9.3.2: responses
 * come back in request order), `wait` from then to the response's first byte, `receive` the response's
 * first to last byte.
 */
export type PhaseKind = 'send' | 'blocked' | 'wait' | 'receive';

export interface Phase {
  kind: PhaseKind;
  startMs: number;
  endMs: number;
}

/** WaterfallRow is one transaction's phases in ms since the connection's first packet. */
export interface WaterfallRow {
  row: TransactionRowDto;
  phases: Phase[];
  /** First and last instant the row covers. */
  startMs: number;
  endMs: number;
  /** Sum of each phase kind, for the detail view. */
  totals: Record<PhaseKind, number>;
}

/** waterfall computes every row's phases and the span of the time axis. */
export function waterfall(transactions: readonly TransactionRowDto[]): { rows: WaterfallRow[]; spanMs: number } {
  const rows: WaterfallRow[] = [];
  // HTTP/1.x answers in order: a response cannot start before the previous one ended.
  let previousResponseEnd: number | undefined;
  let spanMs = 0;
  for (const t of transactions) {
    const phases: Phase[] = [];
    const add = (kind: PhaseKind, startMs: number, endMs: number): void => {
      if (endMs > startMs) phases.push({ kind, startMs, endMs });
    };
    add('send', t.requestStartMs, t.requestEndMs);
    let waitFrom = t.requestEndMs;
    const inOrder = t.streamId === undefined;
    if (inOrder && previousResponseEnd !== undefined && previousResponseEnd > t.requestEndMs) {
      const blockedEnd = t.responseStartMs !== undefined ? Math.min(previousResponseEnd, t.responseStartMs) : previousResponseEnd;
      add('blocked', t.requestEndMs, blockedEnd);
      waitFrom = blockedEnd;
    }
    if (t.responseStartMs !== undefined) {
      add('wait', waitFrom, t.responseStartMs);
      add('receive', t.responseStartMs, t.responseEndMs ?? t.responseStartMs);
    }
    if (inOrder && t.responseEndMs !== undefined) previousResponseEnd = Math.max(previousResponseEnd ?? 0, t.responseEndMs);
    const endMs = Math.max(t.requestEndMs, t.responseEndMs ?? 0, ...phases.map((p) => p.endMs));
    spanMs = Math.max(spanMs, endMs);
    const totals: Record<PhaseKind, number> = { send: 0, blocked: 0, wait: 0, receive: 0 };
    for (const p of phases) totals[p.kind] += p.endMs - p.startMs;
    rows.push({ row: t, phases, startMs: t.requestStartMs, endMs, totals });
  }
  return { rows, spanMs };
}
