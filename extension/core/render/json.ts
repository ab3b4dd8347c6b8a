// SPDX-License-Identifier: MIT
import { formatEpoch, type Timestamp } from '../capture/timestamp.js';
import type { Connection, DirectionSummary } from '../flows/connection.js';
import type { HttpMessage, HttpTransaction } from '../http/transaction.js';
import type { TlsInfo } from '../tls/tlsSession.js';
import { DIAGNOSTIC_CODES, type FindingCode } from '../analysis/diagnosticCodes.js';
import type { Finding } from '../analysis/finding.js';
import type { CaptureAnalysis } from '../model.js';
import { timestampFromRelative } from './format.js';
import { JsonNumberText, stringifyJson } from './jsonWriter.js';

/**
 * renderJson renders an analysis as the schema-version-1 JSON report.
 *
 * Times are epoch seconds written with the capture's own precision (a double would round
 * nanoseconds away), so `jq` and Wireshark's frame.time_epoch agree digit for digit.
 */
export function renderJson(analysis: CaptureAnalysis): string {
  const c = analysis.capture;
  const time = (t: Timestamp | undefined) => (t ? new JsonNumberText(formatEpoch(t.sec, t.nanos, c.timePrecisionDigits)) : null);
  return (
    stringifyJson({
      schemaVersion: analysis.schemaVersion,
      capture: {
        file: c.file,
        format: c.format,
        linkTypes: c.linkTypes,
        packets: c.packets,
        bytes: c.bytes,
        capturedBytes: c.capturedBytes,
        firstTime: time(c.firstTime),
        lastTime: time(c.lastTime),
        warnings: c.warnings.map((w) => ({ offset: w.offset, message: w.message })),
      },
      decode: analysis.decode,
      connections: analysis.connections.map((conn) => connectionJson(conn, time, (rel) => relativeTime(analysis.timeBaseSec, rel, c.timePrecisionDigits))),
      findings: analysis.findings.map((f) => findingJson(f, (r) => relativeTime(analysis.timeBaseSec, r, c.timePrecisionDigits))),
    }) + '\n'
  );
}

/** Milliseconds rounded to the microsecond: captures do not measure finer, and reports stay diffable. */
function ms(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 1000) / 1000;
}

/**
 * relativeTime turns a time counted from the analysis base (a small float, exact to far below a
 * nanosecond) back into epoch seconds with the capture's precision.
 */
export function relativeTime(baseSec: number, rel: number, digits: number): JsonNumberText {
  const t = timestampFromRelative(baseSec, rel);
  return new JsonNumberText(formatEpoch(t.sec, t.nanos, digits));
}

type RelTime = (rel: number) => JsonNumberText;

function connectionJson(c: Connection, time: (t: Timestamp) => JsonNumberText | null, rel: RelTime): unknown {
  return {
    id: c.id,
    stream: c.stream,
    client: c.client,
    server: c.server,
    roleSource: c.roleSource,
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    startTime: time(c.startTime),
    endTime: time(c.endTime),
    durationMs: ms(c.durationMs),
    packets: c.packets,
    handshake: c.handshake,
    synFrame: c.synFrame,
    synAckFrame: c.synAckFrame,
    handshakeAckFrame: c.handshakeAckFrame,
    synCount: c.synCount,
    synToSynAckMs: ms(c.synToSynAckMs),
    synAckToAckMs: ms(c.synAckToAckMs),
    connectMs: ms(c.connectMs),
    negotiated: c.negotiated,
    closedFirstBy: c.closedFirstBy ?? null,
    closeKind: c.closeKind ?? null,
    halfClosed: c.halfClosed,
    connState: c.connState,
    history: c.history,
    protocol: c.protocol,
    clientToServer: directionJson(c.clientToServer),
    serverToClient: directionJson(c.serverToClient),
    notes: c.notes,
    tunnel: c.tunnel,
    tls: c.tls ? tlsJson(c.tls, rel) : undefined,
    http2: c.http2 ? http2Json(c.http2) : undefined,
    anomalies: c.appAnomalies,
    transactions: c.transactions.map((t) => transactionJson(t, rel)),
  };
}

function directionJson(d: DirectionSummary): unknown {
  return {
    ...d,
    retransmissionWaitMs: ms(d.retransmissionWaitMs),
    rtt: d.rtt ? { ...d.rtt, minMs: ms(d.rtt.minMs), medianMs: ms(d.rtt.medianMs), maxMs: ms(d.rtt.maxMs) } : undefined,
  };
}

function transactionJson(t: HttpTransaction, rel: RelTime): unknown {
  return {
    index: t.index,
    streamId: t.streamId,
    version: t.version,
    responseVersion: t.responseVersion,
    method: t.method,
    target: t.target,
    host: t.host,
    status: t.status ?? null,
    reason: t.reason,
    outstandingAtSend: t.outstandingAtSend,
    pipelinePosition: t.pipelinePosition,
    upgrade: t.upgrade,
    reset: t.reset,
    complete: t.complete,
    anomalies: t.anomalies,
    interim: t.interim.map((i) => ({ status: i.status, frame: i.frame, time: rel(i.time) })),
    request: messageJson(t.request, rel),
    response: t.response ? messageJson(t.response, rel) : null,
    requestConnection: t.requestConnection,
    responseConnection: t.responseConnection,
  };
}

function messageJson(m: HttpMessage, rel: RelTime): unknown {
  const w = m.timing;
  return {
    firstFrame: w.firstFrame,
    firstTime: rel(w.firstTime),
    headerEndFrame: w.headerEndFrame,
    lastFrame: w.lastFrame,
    lastTime: rel(w.lastTime),
    bodyFirstFrame: w.bodyFirstFrame,
    bodyLastFrame: w.bodyLastFrame,
    streamOffset: m.streamOffset,
    headerBytes: m.headerBytes,
    framing: m.framing,
    bodyBytes: m.bodyBytes,
    bodyWireBytes: m.bodyWireBytes,
    expectedBodyBytes: m.expectedBodyBytes,
    complete: m.complete,
    truncatedBy: m.truncatedBy,
    gapBytes: m.gapBytes,
    headers: m.headers,
    trailers: m.trailers,
    bodySpans: m.bodySpans,
    bodySpansComplete: m.bodySpansComplete,
  };
}

/** tlsJson is the report's view of a TLS handshake: what was negotiated, where and how long it took. */
function tlsJson(t: TlsInfo, rel: RelTime): unknown {
  return {
    version: t.version,
    cipherSuite: t.cipherSuite,
    sni: t.sni,
    alpnOffered: t.alpnOffered,
    alpn: t.alpn,
    sessionResumed: t.sessionResumed,
    helloRetryRequest: t.helloRetryRequest,
    clientHelloFrame: t.clientHelloAt?.frame,
    clientHelloTime: t.clientHelloAt ? rel(t.clientHelloAt.time) : undefined,
    serverHelloFrame: t.serverHelloAt?.frame,
    handshakeDoneFrame: t.handshakeDoneAt?.frame,
    handshakeMs: ms(t.handshakeMs),
    clientRandom: t.clientRandom,
    alerts: t.alerts.map((a) => ({ side: a.side === 0 ? 'client' : 'server', encrypted: a.encrypted, level: a.level, description: a.description, name: a.name, frame: a.at.frame })),
    applicationData: t.applicationData,
    anomalies: t.anomalies.map((a) => ({ code: a.code, frame: a.at?.frame, message: a.message })),
  };
}

/** http2Json keeps the HTTP/2 connection facts a reader needs: settings, GOAWAYs, stalls (frames, not internals). */
function http2Json(h: NonNullable<Connection['http2']>): unknown {
  const side = (s: 0 | 1) => (s === 0 ? 'client' : 'server');
  return {
    settings: h.settings.filter((r) => !r.ack).map((r) => ({ side: side(r.side), frame: r.at.frame, values: Object.fromEntries(r.values.map((v) => [v.name, v.value])), ackedFrame: r.ackedAt?.frame })),
    goaways: h.goaways.map((g) => ({ side: side(g.side), frame: g.at.frame, lastStreamId: g.lastStreamId, error: g.errorName })),
    stalls: h.stalls.map((st) => ({ side: side(st.side), streamId: st.streamId, window: st.window, frame: st.startAt.frame, reopenedFrame: st.endAt?.frame, resumedFrame: st.resumedAt?.frame })),
    pings: h.pings.length,
    windowUpdates: h.windowUpdates.length,
    anomalyCounts: h.anomalyCounts,
  };
}

/** findingJson is one finding with its evidence and the catalog's explanation and advice. */
function findingJson(f: Finding, rel: RelTime): unknown {
  const entry = DIAGNOSTIC_CODES[f.code as FindingCode];
  return {
    code: f.code,
    severity: f.severity,
    connection: f.connection,
    transaction: f.transaction,
    streamId: f.streamId,
    frames: f.frames,
    startTime: rel(f.startTime),
    endTime: rel(f.endTime),
    delayMs: ms(f.delayMs),
    count: f.count,
    bytes: f.bytes,
    message: f.message,
    title: entry?.title,
    explanation: entry?.explanation,
    advice: entry?.advice,
  };
}
