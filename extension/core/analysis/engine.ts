// SPDX-License-Identifier: MIT
//
// The findings engine reads the facts the flow and HTTP layers measured and names the problems in
// them. Rules are pure functions over one connection (or all connections, for cross-connection
// rules); each returns findings with evidence frames and the measured quantity. Thresholds are
// options with defaults; the CLI and, later, VS Code settings can change them.

import type { Connection, HolStall } from '../flows/connection.js';
import { DEFAULT_NAGLE_OPTIONS, type NagleOptions } from '../flows/nagleDetector.js';
import type { HttpTransaction } from '../http/transaction.js';
import { formatEndpoint } from '../render/format.js';
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
  /** connection-not-reused: this many connections opened one after another to one server... */
  notReusedMinConnections: number;
  /** ...each within this many seconds of the previous one's end. */
  notReusedMaxIdleSec: number;
  /** time-wait-churn: at least this many client-closed connections to one server... */
  churnMinConnections: number;
  /** ...within this many seconds. */
  churnWindowSec: number;
  /** keep-alive-hang: a request left unanswered at least this long before the connection closed (ms). */
  hangMinMs: number;
  /** nagle-delayed-ack: the ACK held at least this long beyond the round trip (ms)... */
  nagleMinAckDelayMs: number;
  /** ...and at most this long (RFC 1122 §4.2.3.2 caps the delayed-ACK timer at 500 ms). */
  nagleMaxAckDelayMs: number;
  /** nagle-delayed-ack: the held segment leaves within this many ms of the ACK (or 1.5 RTT, or a quarter of the ACK delay). */
  nagleReleaseSlackMs: number;
  /** nagle-delayed-ack: segments below this many bytes count as small; 0 = below a full-sized segment (the peer's MSS). */
  nagleSmallSegmentBytes: number;
}

export const DEFAULT_FINDING_OPTIONS: FindingOptions = {
  holMinQueuedMs: 10,
  maxParallelConnections: 6,
  retransmissionMinWaitMs: 0,
  notReusedMinConnections: 3,
  notReusedMaxIdleSec: 5,
  churnMinConnections: 100,
  churnWindowSec: 10,
  hangMinMs: 1000,
  nagleMinAckDelayMs: DEFAULT_NAGLE_OPTIONS.minAckDelayMs,
  nagleMaxAckDelayMs: DEFAULT_NAGLE_OPTIONS.maxAckDelayMs,
  nagleReleaseSlackMs: DEFAULT_NAGLE_OPTIONS.releaseSlackMs,
  nagleSmallSegmentBytes: DEFAULT_NAGLE_OPTIONS.smallSegmentBytes,
};

/**
 * nagleOptions picks the Nagle detector's thresholds out of the finding options: the detector runs in
 * the connection tracker, while the packets go by, so analyzeCapture hands them to it.
 */
export function nagleOptions(options: Partial<FindingOptions> = {}): NagleOptions {
  const o = { ...DEFAULT_FINDING_OPTIONS, ...options };
  return { minAckDelayMs: o.nagleMinAckDelayMs, maxAckDelayMs: o.nagleMaxAckDelayMs, releaseSlackMs: o.nagleReleaseSlackMs, smallSegmentBytes: o.nagleSmallSegmentBytes };
}

/** Hop-by-hop fields (RFC 9110 §7.6.1), besides those a Connection field names. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade', 'proxy-authenticate', 'proxy-authorization'];

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
  reuseAndChurn(connections, o, emit);
  hopByHop(connections, emit);
  return out.sort((a, b) => a.startTime - b.startTime || a.connection - b.connection || a.code.localeCompare(b.code));
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
/** Time base of the run (rules are called synchronously from runFindings). */
let base = 0;
/** rel turns an exact connection timestamp into seconds since the time base, like every other finding time. */
const rel = (t: { sec: number; nanos: number }) => t.sec - base + t.nanos / 1e9;

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
      message: `${formatEndpoint(c.client)} → ${formatEndpoint(c.server)}: the SYN was answered by a RST (port ${c.server.port} refused the connection).`,
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
  for (const [sender, d] of [['client', c.clientToServer], ['server', c.serverToClient]] as const) {
    for (const h of d.holStalls ?? []) {
      const v = holVictims(c, sender, h);
      emit({
        code: 'tcp-hol-blocking',
        connection: c.id,
        ...(v.lost.length ? { transaction: v.lost[0]!.index, ...(v.lost[0]!.streamId !== undefined ? { streamId: v.lost[0]!.streamId } : {}) } : {}),
        ...(v.held.length ? { transactions: v.held.map((t) => t.index) } : {}),
        ...(h.http2 && v.heldStreams.length ? { streamIds: v.heldStreams } : {}),
        frames: [h.heldSinceFrame, h.releasedFrame],
        startTime: h.heldSince,
        endTime: h.releasedAt,
        delayMs: h.stallMs,
        bytes: h.heldBytes,
        message: `${h.heldBytes} bytes the ${sender} sent after a lost segment (from frame ${h.heldSinceFrame}) could not reach the application for ${ms(h.stallMs)}, until the retransmission in frame ${h.releasedFrame} filled the hole${v.text}.`,
      });
    }
  }
  for (const [receiver, d] of [['client', c.clientToServer], ['server', c.serverToClient]] as const) {
    if (d.zeroWindows > 0) {
      const stopped = d.zeroWindowMs !== undefined ? `; its window stayed closed ${ms(d.zeroWindowMs)} in total (first reopened in frame ${d.zeroWindowOpenFrames![0]})` : '';
      emit({
        code: 'zero-window',
        connection: c.id,
        // The zero windows and the window updates that reopened them.
        frames: [...new Set([...d.zeroWindowFrames, ...(d.zeroWindowOpenFrames ?? [])])].sort((a, b) => a - b).slice(0, 20),
        startTime: rel(c.startTime),
        endTime: rel(c.endTime),
        ...(d.zeroWindowMs !== undefined ? { delayMs: d.zeroWindowMs } : {}),
        count: d.zeroWindows,
        message: `The ${receiver} advertised a zero window ${d.zeroWindows} times (first in frame ${d.zeroWindowFrames[0] ?? '?'}): it stopped reading and the ${receiver === 'client' ? 'server' : 'client'} had to wait${stopped}.`,
      });
    }
  }
}

/**
 * holVictims names what a head-of-line stall delayed: on HTTP/2, the streams whose frames the lost
 * bytes carried and those whose frames arrived after them and waited (RFC 9113 §5: streams share
 * one TCP byte stream, so one loss stalls them all); on HTTP/1.x, the messages of the sending side
 * whose bytes lie in the lost and the held ranges. Nothing is named when the ranges are unknown.
 */
function holVictims(c: Connection, sender: 'client' | 'server', h: HolStall): { lost: HttpTransaction[]; held: HttpTransaction[]; heldStreams: number[]; text: string } {
  const none = { lost: [], held: [], heldStreams: [] };
  if (h.http2) {
    const byStream = (ids: number[]) => ids.flatMap((id) => c.transactions.filter((t) => t.streamId === id));
    const { lostStreams, heldStreams } = h.http2;
    const list = (ids: number[]) => (ids.length === 1 ? `stream ${ids[0]}` : `streams ${ids.join(', ')}`);
    const text = lostStreams.length || heldStreams.length
      ? `; the lost bytes carried HTTP/2 ${lostStreams.length ? list(lostStreams) : 'no stream data'}${heldStreams.length ? `, and ${list(heldStreams)} waited behind them` : ''}`
      : '';
    return { lost: byStream(lostStreams), held: byStream(heldStreams), heldStreams, text };
  }
  if (c.protocol === 'h2c') return { ...none, text: ' (every HTTP/2 stream on the connection waited; its frames could not be located)' };
  if (h.lostOffset === undefined || h.lostBytes === undefined) return { ...none, text: '' };
  const heldFrom = h.lostOffset + h.lostBytes;
  const what = sender === 'client' ? 'request' : 'response';
  const message = (t: HttpTransaction) => (sender === 'client' ? t.request : t.response);
  const overlaps = (t: HttpTransaction, from: number, to: number) => {
    const m = message(t);
    return m !== undefined && t.streamId === undefined && m.streamOffset < to && m.streamOffset + m.headerBytes + m.bodyWireBytes > from;
  };
  const lost = c.transactions.filter((t) => overlaps(t, h.lostOffset!, heldFrom));
  const held = c.transactions.filter((t) => overlaps(t, heldFrom, heldFrom + h.heldBytes));
  const name = (ts: HttpTransaction[]) => `${what}${ts.length === 1 ? '' : 's'} to ${ts.map((t) => `#${t.index} (${t.method} ${t.target.length > 60 ? `${t.target.slice(0, 57)}...` : t.target})`).join(', ')}`;
  const same = lost.length === held.length && lost.every((t, i) => held[i] === t);
  let text = '';
  if (same && lost.length) text = `; the lost and the held bytes were all part of the ${name(lost)}`;
  else if (lost.length || held.length) text = `; the lost bytes were part of ${lost.length ? `the ${name(lost)}` : `no ${what}`}${held.length ? `, and the ${name(held)} waited behind them` : ''}`;
  return { lost, held, heldStreams: [], text };
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
    if (!res && t.method && unansweredBecause(c, t, o, emit)) continue;
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
 * unansweredBecause explains a request without response when the close shows why: the server reset
 * with the request unread, the server's idle close crossed it, or the connection sat silent until a
 * timeout closed it. Returns true when it emitted a more specific finding than unanswered-request.
 */
/** Per connection: the latest response end among transactions 0..i-1, built once (a pipeline of 300k unanswered requests must stay linear). */
const responseEndPrefix = new WeakMap<Connection, (number | undefined)[]>();

function lastResponseEndBefore(c: Connection, index: number): number | undefined {
  let prefix = responseEndPrefix.get(c);
  if (!prefix) {
    const byIndex = new Map(c.transactions.map((x) => [x.index, x.response?.timing.lastTime]));
    const maxIndex = c.transactions.reduce((m, x) => Math.max(m, x.index), -1);
    prefix = [undefined];
    let latest: number | undefined;
    for (let i = 0; i <= maxIndex; i++) {
      const end = byIndex.get(i);
      if (end !== undefined) latest = latest === undefined ? end : Math.max(latest, end);
      prefix.push(latest);
    }
    responseEndPrefix.set(c, prefix);
  }
  return prefix[Math.min(index, prefix.length - 1)];
}

function unansweredBecause(c: Connection, t: HttpTransaction, o: FindingOptions, emit: Emit): boolean {
  const req = t.request.timing;
  const serverFin = c.serverToClient.finFrame;
  const serverRst = c.serverToClient.rstFrame;
  const lastResponseEnd = lastResponseEndBefore(c, t.index);
  // The server closed first with a FIN while idle, and this request was sent after (or across) it.
  if (c.closedFirstBy === 'server' && c.closeKind === 'fin' && serverFin !== undefined && req.firstFrame > serverFin && lastResponseEnd !== undefined) {
    const idleMs = (req.firstTime - lastResponseEnd) * 1000;
    emit({
      code: 'idle-close-race',
      connection: c.id,
      transaction: t.index,
      frames: [serverFin, req.firstFrame, ...(serverRst !== undefined ? [serverRst] : [])],
      startTime: lastResponseEnd,
      endTime: req.firstTime,
      delayMs: idleMs,
      message: `${t.method} ${t.target} (frame ${req.firstFrame}) was sent on a connection the server had closed (FIN in frame ${serverFin}) after ${ms(idleMs)} idle${serverRst !== undefined ? `; the server answered with RST (frame ${serverRst})` : ''}.`,
    });
    return true;
  }
  // The server reset while this complete request sat unread: its kernel sent RST, not FIN.
  if (serverRst !== undefined && t.request.complete && req.lastFrame < serverRst && c.serverToClient.finFrame === undefined) {
    emit({
      code: 'reset-with-unread-data',
      connection: c.id,
      transaction: t.index,
      frames: [req.firstFrame, serverRst],
      startTime: req.lastTime,
      endTime: rel(c.endTime),
      message: `The server reset the connection (frame ${serverRst}) with ${t.method} ${t.target} (frame ${req.firstFrame}) received but unread and unanswered: it closed without draining its input.`,
    });
    return true;
  }
  // Silence after the request until the connection was closed.
  const closeFrame = c.clientToServer.finFrame ?? c.serverToClient.finFrame ?? c.clientToServer.rstFrame ?? c.serverToClient.rstFrame;
  const waitMs = (rel(c.endTime) - req.lastTime) * 1000;
  const persistent = t.version === 'HTTP/1.1' ? !t.requestConnection.includes('close') : t.requestConnection.includes('keep-alive');
  if (persistent && closeFrame !== undefined && waitMs >= o.hangMinMs) {
    emit({
      code: 'keep-alive-hang',
      connection: c.id,
      transaction: t.index,
      frames: [req.firstFrame, closeFrame],
      startTime: req.lastTime,
      endTime: rel(c.endTime),
      delayMs: waitMs,
      message: `${t.method} ${t.target} (frame ${req.firstFrame}) got no response for ${ms(waitMs)} until the connection was closed (frame ${closeFrame}).`,
    });
    return true;
  }
  return false;
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
      message: `${first.client.ip} had ${peak} connections open to ${formatEndpoint(first.server)} at once (streams ${peakSet.map((c) => c.id).sort((a, b) => a - b).slice(0, 12).join(', ')}${peakSet.length > 12 ? ', ...' : ''}); more than ${o.maxParallelConnections}.`,
    });
  }
}

/** Connections of one client to one server, in start order. */
function byPair(connections: readonly Connection[]): Connection[][] {
  const groups = new Map<string, Connection[]>();
  for (const c of connections) {
    const key = `${c.client.ip}|${c.server.ip}|${c.server.port}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  return [...groups.values()];
}

/**
 * reuseAndChurn finds clients that open a new connection for each exchange: HTTP connections opened
 * one after another, each soon after the previous closed (connection-not-reused), and many short
 * client-closed connections in a window (time-wait-churn).
 */
function reuseAndChurn(connections: readonly Connection[], o: FindingOptions, emit: Emit): void {
  for (const list of byPair(connections)) {
    const http = list.filter((c) => c.transactions.length > 0 && c.handshake === 'complete');
    let run: Connection[] = [];
    const flush = () => {
      if (run.length >= o.notReusedMinConnections) {
        const extra = run.slice(1);
        const costMs = extra.reduce((sum, c) => sum + (c.connectMs ?? 0), 0);
        const first = run[0]!;
        emit({
          code: 'connection-not-reused',
          connection: first.id,
          frames: run.map((c) => c.synFrame ?? c.firstFrame).slice(0, 20),
          startTime: rel(first.startTime),
          endTime: rel(run[run.length - 1]!.endTime),
          delayMs: costMs,
          count: run.length,
          message: `${first.client.ip} opened ${run.length} connections one after another to ${formatEndpoint(first.server)} (streams ${run.map((c) => c.id).slice(0, 12).join(', ')}${run.length > 12 ? ', ...' : ''}), each after the previous closed; the extra handshakes cost ${ms(costMs)}.`,
        });
      }
      run = [];
    };
    for (const c of http) {
      const prev = run[run.length - 1];
      // Sequential: it starts after the previous one ended, within the idle limit.
      if (prev && rel(c.startTime) >= rel(prev.endTime) && rel(c.startTime) - rel(prev.endTime) <= o.notReusedMaxIdleSec && prev.closeKind !== undefined) run.push(c);
      else {
        flush();
        run = [c];
      }
    }
    flush();

    // TIME_WAIT churn: client-closed connections in a sliding window.
    const closed = list.filter((c) => c.closedFirstBy === 'client' && c.closeKind === 'fin').sort((a, b) => rel(a.endTime) - rel(b.endTime));
    let best: { from: number; to: number } | undefined;
    for (let i = 0, j = 0; j < closed.length; j++) {
      while (rel(closed[j]!.endTime) - rel(closed[i]!.endTime) > o.churnWindowSec) i++;
      if (j - i + 1 >= o.churnMinConnections && (!best || j - i > best.to - best.from)) best = { from: i, to: j };
    }
    if (best) {
      const window = closed.slice(best.from, best.to + 1);
      const ports = window.map((c) => c.client.port);
      const spanSec = rel(window[window.length - 1]!.endTime) - rel(window[0]!.startTime);
      const first = window[0]!;
      emit({
        code: 'time-wait-churn',
        connection: first.id,
        frames: [first.firstFrame, window[window.length - 1]!.lastFrame],
        startTime: rel(first.startTime),
        endTime: rel(window[window.length - 1]!.endTime),
        count: window.length,
        message: `${first.client.ip} opened and closed ${window.length} connections to ${formatEndpoint(first.server)} in ${spanSec.toFixed(1)} s (${(window.length / Math.max(spanSec, 0.001)).toFixed(0)}/s, client ports ${ports.reduce((m, p) => Math.min(m, p))}-${ports.reduce((m, p) => Math.max(m, p))}); each leaves a TIME_WAIT socket on the client for 60 s.`,
      });
    }
  }
}

/**
 * hopByHop finds hop-by-hop fields that went further than one hop: Proxy-Connection in a request to an
 * origin server (origin-form target), and, when both legs of a proxy are in the capture, a request
 * forwarded with the hop-by-hop fields of the request it came from.
 */
function hopByHop(connections: readonly Connection[], emit: Emit): void {
  const all = connections.flatMap((c) => c.transactions.filter((t) => t.method && t.streamId === undefined).map((t) => ({ c, t })));
  const flagged = new Set<HttpTransaction>();
  // Candidates for the forwarded leg, by (its client address, method, origin-form path): looking
  // them up instead of scanning every pair keeps a capture of many requests linear.
  const pathOf = (t: HttpTransaction): string => t.target.replace(/^[a-z]+:\/\/[^/]+/i, '') || '/';
  const legs = new Map<string, { c: Connection; t: HttpTransaction }[]>();
  for (const x of all) {
    const key = `${x.c.client.ip} ${x.t.method} ${pathOf(x.t)}`;
    const list = legs.get(key);
    if (list) list.push(x);
    else legs.set(key, [x]);
  }
  // Both legs: the same request seen again on another connection shortly after, still carrying
  // hop-by-hop fields of the first hop.
  for (const { c: c1, t: t1 } of all) {
    const hop = new Set([...HOP_BY_HOP, ...t1.requestConnection]);
    // The forwarded leg starts at the proxy: its client is the first leg's server.
    for (const { c: c2, t: t2 } of legs.get(`${c1.server.ip} ${t1.method} ${pathOf(t1)}`) ?? []) {
      if (c2 === c1) continue;
      const dt = t2.request.timing.firstTime - t1.request.timing.firstTime;
      if (dt < 0 || dt > 5 || c2.server.port === c1.server.port && c2.server.ip === c1.server.ip) continue;
      const leaked = t2.request.headers.filter((h) => hop.has(h.name.toLowerCase()) && h.name.toLowerCase() !== 'connection').map((h) => h.name);
      const connectionField = t2.request.headers.find((h) => h.name.toLowerCase() === 'connection');
      const forwardedOptions = connectionField ? t1.requestConnection.filter((tok) => !['close', 'keep-alive'].includes(tok) && t2.requestConnection.includes(tok)) : [];
      if (leaked.length === 0 && forwardedOptions.length === 0) continue;
      flagged.add(t2);
      emit({
        code: 'hop-by-hop-header-forwarded',
        connection: c2.id,
        transaction: t2.index,
        frames: [t1.request.timing.firstFrame, t2.request.timing.firstFrame],
        startTime: t1.request.timing.firstTime,
        endTime: t2.request.timing.firstTime,
        message: `${t2.method} ${t2.target} was forwarded on stream ${c2.id} (frame ${t2.request.timing.firstFrame}) with hop-by-hop fields from stream ${c1.id} (frame ${t1.request.timing.firstFrame}): ${[...leaked, ...forwardedOptions.map((o) => `Connection: ${o}`)].join(', ')}.`,
      });
      break;
    }
  }
  for (const { c, t } of all) {
    const names = new Set(t.request.headers.map((h) => h.name.toLowerCase()));
    // Already reported with the request it was forwarded from.
    if (t.target.startsWith('/') && names.has('proxy-connection') && !flagged.has(t)) {
      emit({
        code: 'hop-by-hop-header-forwarded',
        connection: c.id,
        transaction: t.index,
        frames: [t.request.timing.firstFrame],
        startTime: t.request.timing.firstTime,
        endTime: t.request.timing.lastTime,
        message: `${t.method} ${t.target} (frame ${t.request.timing.firstFrame}) to the origin server ${formatEndpoint(c.server)} carries Proxy-Connection, a field meant for proxies only.`,
      });
    }
  }
}
