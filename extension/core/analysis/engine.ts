// SPDX-License-Identifier: MIT
//
// The findings engine reads the facts the flow and HTTP layers measured and names the problems in
// them. Rules are pure functions over one connection (or all connections, for cross-connection
// rules); each returns findings with evidence frames and the measured quantity. Thresholds are
// options with defaults; the CLI and, later, VS Code settings can change them.

import type { Connection } from '../flows/connection.js';
import type { HttpTransaction } from '../http/transaction.js';
import { DIAGNOSTIC_CODES, type FindingCode } from './diagnosticCodes.js';
import type { Finding } from './finding.js';

/** FindingOptions are the thresholds of the rules. */
export interface FindingOptions {
  /** hol-blocking: a response queued at least this long behind an earlier one (ms). */
  holMinQueuedMs: number;
  /** excessive-parallel-connections: more than this many at once from one client to one server. */
  maxParallelConnections: number;
  /** retransmission: report a connection when its retransmissions cost at least this much (ms) in total. */
  retransmissionMinWaitMs: number;
}

export const DEFAULT_FINDING_OPTIONS: FindingOptions = { holMinQueuedMs: 10, maxParallelConnections: 6, retransmissionMinWaitMs: 0 };

/** Idempotent methods (RFC 9110 §9.2.2); others must not be pipelined blindly. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

type Emit = (f: Omit<Finding, 'severity'> & { code: FindingCode }) => void;

/** runFindings applies every rule and returns the findings sorted by time, then connection. */
export function runFindings(connections: readonly Connection[], timeBaseSec: number, options: Partial<FindingOptions> = {}): Finding[] {
  const o = { ...DEFAULT_FINDING_OPTIONS, ...options };
  base = timeBaseSec;
  const out: Finding[] = [];
  const emit: Emit = (f) => out.push({ ...f, severity: DIAGNOSTIC_CODES[f.code].severity });
  for (const c of connections) {
    nagle(c, emit);
    handshake(c, emit);
    tcpCosts(c, o, emit);
    http(c, o, emit);
  }
  parallelConnections(connections, o, emit);
  return out.sort((a, b) => a.startTime - b.startTime || a.connection - b.connection || a.code.localeCompare(b.code));
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
/** Time base of the run (rules are called synchronously from runFindings). */
let base = 0;
/** rel turns an exact connection timestamp into seconds since the time base, like every other finding time. */
const rel = (t: { sec: number; nanos: number }) => t.sec - base + t.nanos / 1e9;
const endpoint = (e: { ip: string; port: number }) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

//#region TCP rules

function nagle(c: Connection, emit: Emit): void {
  for (const [sender, d] of [['client', c.clientToServer], ['server', c.serverToClient]] as const) {
    for (const s of d.nagleStalls ?? []) {
      emit({
        code: 'nagle-delayed-ack',
        connection: c.id,
        frames: [s.firstFrame, s.ackFrame, s.releasedFrame],
        startTime: s.firstTime,
        endTime: s.releasedTime,
        delayMs: s.stallMs,
        bytes: s.releasedBytes,
        message: `The ${sender} held ${s.releasedBytes} bytes (frame ${s.releasedFrame}) for ${ms(s.stallMs)} until the ${sender === 'client' ? 'server' : 'client'} acknowledged its previous ${s.firstBytes}-byte segment (frame ${s.firstFrame}) with an ACK delayed ${ms(s.ackDelayMs)} (frame ${s.ackFrame}).`,
      });
    }
  }
}

function handshake(c: Connection, emit: Emit): void {
  if (c.handshake === 'refused') {
    emit({
      code: 'connection-refused',
      connection: c.id,
      frames: [c.synFrame ?? c.firstFrame, c.serverToClient.rstFrame ?? c.lastFrame],
      startTime: rel(c.startTime),
      endTime: rel(c.endTime),
      message: `${endpoint(c.client)} → ${endpoint(c.server)}: the SYN was answered by a RST (port ${c.server.port} refused the connection).`,
    });
  }
  if (c.synCount > 1 && c.synFrame !== undefined) {
    const done = c.connectMs !== undefined;
    emit({
      code: 'syn-retransmission',
      connection: c.id,
      frames: [c.synFrame, ...c.clientToServer.retransmissionFrames.slice(0, c.synCount - 1), ...(c.handshakeAckFrame !== undefined ? [c.handshakeAckFrame] : [])],
      startTime: rel(c.startTime),
      endTime: rel(c.startTime) + (c.connectMs ?? c.durationMs) / 1000,
      delayMs: c.connectMs,
      count: c.synCount,
      message: done
        ? `The client sent ${c.synCount} SYNs; connecting took ${ms(c.connectMs!)} instead of one round trip (${ms((c.synToSynAckMs ?? 0) + (c.synAckToAckMs ?? 0))}).`
        : `The client sent ${c.synCount} SYNs and the handshake never completed.`,
    });
  }
}

function tcpCosts(c: Connection, o: FindingOptions, emit: Emit): void {
  for (const [sender, d] of [['client', c.clientToServer], ['server', c.serverToClient]] as const) {
    // SYN retransmissions are reported by syn-retransmission; spurious ones (data already acknowledged,
    // often capture reordering) cost the receiver nothing.
    const data = d.retransmissions - d.spuriousRetransmissions - (sender === 'client' ? Math.max(0, c.synCount - 1) : 0);
    if (data > 0 && d.retransmissionWaitMs > o.retransmissionMinWaitMs && d.retransmittedBytes > 0) {
      emit({
        code: 'retransmission',
        connection: c.id,
        frames: d.retransmissionFrames.slice(0, 20),
        startTime: rel(c.startTime),
        endTime: rel(c.endTime),
        delayMs: d.retransmissionWaitMs,
        count: data,
        bytes: d.retransmittedBytes,
        message: `The ${sender} retransmitted ${data} segments (${d.retransmittedBytes} bytes); the ${sender === 'client' ? 'server' : 'client'} waited ${ms(d.retransmissionWaitMs)} in total for them.`,
      });
    }
  }
  for (const [receiver, d] of [['client', c.clientToServer], ['server', c.serverToClient]] as const) {
    if (d.zeroWindows > 0) {
      emit({
        code: 'zero-window',
        connection: c.id,
        frames: d.zeroWindowFrames,
        startTime: rel(c.startTime),
        endTime: rel(c.endTime),
        count: d.zeroWindows,
        message: `The ${receiver} advertised a zero window ${d.zeroWindows} times (first in frame ${d.zeroWindowFrames[0] ?? '?'}): it stopped reading and the ${receiver === 'client' ? 'server' : 'client'} had to wait.`,
      });
    }
  }
}

//#endregion

//#region HTTP rules

function http(c: Connection, o: FindingOptions, emit: Emit): void {
  const ts = c.transactions;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const req = t.request.timing;
    if (t.outstandingAtSend > 0 && !IDEMPOTENT.has(t.method) && t.method && !t.streamId) {
      emit({
        code: 'non-idempotent-pipelined',
        connection: c.id,
        transaction: t.index,
        frames: [req.firstFrame],
        startTime: req.firstTime,
        endTime: req.lastTime,
        count: t.outstandingAtSend,
        message: `${t.method} ${t.target} was sent while ${t.outstandingAtSend} earlier request(s) were unanswered.`,
      });
    }
    holBlocking(c, ts, i, o, emit);
    const res = t.response;
    for (const [what, m] of [['request', t.request], ['response', res]] as const) {
      if (!m || m.complete) continue;
      // A RST from either side ends both directions: the side that did not reset sees its message cut too.
      const rstFrame = Math.min(c.clientToServer.rstFrame ?? Infinity, c.serverToClient.rstFrame ?? Infinity);
      if (rstFrame !== Infinity && rstFrame >= m.timing.firstFrame && m.truncatedBy !== 'fin') {
        const expected = m.expectedBodyBytes !== undefined ? ` of ${m.expectedBodyBytes}` : '';
        const bySide = rstFrame === c.clientToServer.rstFrame ? 'client' : 'server';
        emit({
          code: 'reset-mid-message',
          connection: c.id,
          transaction: t.index,
          frames: [...new Set([m.timing.firstFrame, m.timing.lastFrame, rstFrame])].sort((a, b) => a - b),
          startTime: m.timing.firstTime,
          endTime: m.timing.lastTime,
          bytes: m.bodyBytes,
          message: `The ${what} to ${t.method || '?'} ${t.target || '?'} was cut by a RST from the ${bySide} (frame ${rstFrame}) after ${m.bodyBytes}${expected} body bytes.`,
        });
      } else if (m.truncatedBy === 'fin' && m.expectedBodyBytes !== undefined && m.bodyBytes < m.expectedBodyBytes) {
        emit({
          code: 'truncated-body',
          connection: c.id,
          transaction: t.index,
          frames: [m.timing.firstFrame, m.timing.lastFrame],
          startTime: m.timing.firstTime,
          endTime: m.timing.lastTime,
          bytes: m.expectedBodyBytes - m.bodyBytes,
          message: `The ${what} body ended after ${m.bodyBytes} of ${m.expectedBodyBytes} bytes (Content-Length) when the connection closed.`,
        });
      }
    }
    if (!res && t.method) {
      emit({
        code: 'unanswered-request',
        connection: c.id,
        transaction: t.index,
        frames: [req.firstFrame, c.lastFrame],
        startTime: req.firstTime,
        endTime: req.lastTime,
        message: `${t.method} ${t.target} (frame ${req.firstFrame}) got no response before the connection ended (frame ${c.lastFrame}).`,
      });
    }
  }
}

/**
 * holBlocking reports a pipelined HTTP/1.1 response that could not start before the previous
 * response finished: from its request's arrival to the end of the previous response it was queued.
 * The blocker named is the earlier outstanding request the server took longest to start answering.
 */
function holBlocking(c: Connection, ts: readonly HttpTransaction[], i: number, o: FindingOptions, emit: Emit): void {
  const t = ts[i]!;
  const prev = ts[i - 1];
  if (!prev || t.outstandingAtSend === 0 || t.streamId !== undefined || !t.response || !prev.response) return;
  const queuedFrom = t.request.timing.lastTime;
  const blockerEnd = prev.response.timing.lastTime;
  const queuedMs = (blockerEnd - queuedFrom) * 1000;
  if (queuedMs < o.holMinQueuedMs) return;
  let blocker = prev;
  let blockerServiceMs = -Infinity;
  for (let j = Math.max(0, i - t.outstandingAtSend); j < i; j++) {
    const b = ts[j]!;
    if (!b.response) continue;
    const ready = Math.max(b.request.timing.lastTime, ts[j - 1]?.response?.timing.lastTime ?? -Infinity);
    const service = (b.response.timing.firstTime - ready) * 1000;
    if (service > blockerServiceMs) {
      blocker = b;
      blockerServiceMs = service;
    }
  }
  const frames = [...new Set([t.request.timing.lastFrame, blocker.response!.timing.firstFrame, prev.response.timing.lastFrame, t.response.timing.firstFrame])].sort((a, b) => a - b);
  emit({
    code: 'hol-blocking',
    connection: c.id,
    transaction: t.index,
    frames,
    startTime: queuedFrom,
    endTime: blockerEnd,
    delayMs: queuedMs,
    message:
      `${t.method} ${t.target} (request complete in frame ${t.request.timing.lastFrame}) waited ${ms(queuedMs)} in the pipeline behind ` +
      `${blocker.method} ${blocker.target}, whose response took ${ms(blockerServiceMs)} to start; it could start only after frame ${prev.response.timing.lastFrame}.`,
  });
}

//#endregion

/** parallelConnections finds moments when one client held more connections to one server than the threshold. */
function parallelConnections(connections: readonly Connection[], o: FindingOptions, emit: Emit): void {
  const groups = new Map<string, Connection[]>();
  for (const c of connections) {
    if (c.handshake === 'refused') continue;
    const key = `${c.client.ip}|${c.server.ip}|${c.server.port}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    if (list.length <= o.maxParallelConnections) continue;
    // Sweep over start (+1) and end (-1) events; times are the connections' first and last packets.
    const events = list.flatMap((c) => [
      { t: c.startTime.sec + c.startTime.nanos / 1e9, d: 1, c },
      { t: c.endTime.sec + c.endTime.nanos / 1e9, d: -1, c },
    ]);
    events.sort((a, b) => a.t - b.t || b.d - a.d);
    let open = 0;
    let peak = 0;
    let peakAt: (typeof events)[number] | undefined;
    const live = new Set<Connection>();
    let peakSet: Connection[] = [];
    for (const e of events) {
      open += e.d;
      if (e.d > 0) live.add(e.c);
      else live.delete(e.c);
      if (open > peak) {
        peak = open;
        peakAt = e;
        peakSet = [...live];
      }
    }
    if (peak <= o.maxParallelConnections || !peakAt) continue;
    const first = list[0]!;
    emit({
      code: 'excessive-parallel-connections',
      connection: peakAt.c.id,
      frames: peakSet.map((c) => c.firstFrame).sort((a, b) => a - b).slice(0, 20),
      startTime: peakAt.t - base,
      endTime: peakAt.t - base,
      count: peak,
      message: `${first.client.ip} had ${peak} connections open to ${endpoint(first.server)} at once (streams ${peakSet.map((c) => c.id).sort((a, b) => a - b).slice(0, 12).join(', ')}${peakSet.length > 12 ? ', ...' : ''}); more than ${o.maxParallelConnections}.`,
    });
  }
}
