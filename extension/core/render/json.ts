// SPDX-License-Identifier: MIT
import { formatEpoch, type Timestamp } from '../capture/timestamp.js';
import type { Connection, DirectionSummary } from '../flows/connection.js';
import type { CaptureAnalysis } from '../model.js';
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
      connections: analysis.connections.map((conn) => connectionJson(conn, time)),
      findings: analysis.findings,
    }) + '\n'
  );
}

/** Milliseconds rounded to the microsecond: captures do not measure finer, and reports stay diffable. */
function ms(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 1000) / 1000;
}

function connectionJson(c: Connection, time: (t: Timestamp) => JsonNumberText | null): unknown {
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
    transactions: [],
  };
}

function directionJson(d: DirectionSummary): unknown {
  return {
    ...d,
    retransmissionWaitMs: ms(d.retransmissionWaitMs),
    rtt: d.rtt ? { ...d.rtt, minMs: ms(d.rtt.minMs), medianMs: ms(d.rtt.medianMs), maxMs: ms(d.rtt.maxMs) } : undefined,
  };
}
