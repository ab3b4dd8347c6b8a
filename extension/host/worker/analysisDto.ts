// SPDX-License-Identifier: MIT
// Core model -> protocol DTO. Runs in the worker, so the webview never needs the core's types.
import { DIAGNOSTIC_CODES, type CatalogEntry } from '../../core/analysis/diagnosticCodes.js';
import type { Finding } from '../../core/analysis/finding.js';
import { linkTypeName } from '../../core/capture/linkTypes.js';
import { formatDuration, formatEndpoint, formatIsoTime } from '../../core/render/format.js';
import { formatEpoch, type Timestamp } from '../../core/capture/timestamp.js';
import type { Connection } from '../../core/flows/connection.js';
import type { CaptureAnalysis } from '../../core/model.js';
import { relativeTime } from '../../core/render/json.js';
import type { HeaderField, HttpMessage, HttpTransaction } from '../../core/http/transaction.js';
import { HEADER_LIMITS, type AnalysisTablesDto, type BodyLocationDto, type HeaderDto, type CaptureAnalysisDto, type CaptureTimesDto, type ConnectionRowDto, type FindingDto, type SeverityDto, type TransactionRowDto } from '../../protocol/dto.js';

/** toAnalysisDto copies an analysis into the JSON shape the webview renders. */
export function toAnalysisDto(analysis: CaptureAnalysis, fileName: string, fileSizeBytes: number): CaptureAnalysisDto {
  const c = analysis.capture;
  const d = analysis.decode;
  return {
    schemaVersion: analysis.schemaVersion,
    capture: {
      fileName,
      format: c.format,
      linkTypes: c.linkTypes.map((value) => ({ value, name: linkTypeName(value) })),
      packets: c.packets,
      capturedBytes: c.capturedBytes,
      fileSizeBytes,
      ...(c.firstTime && c.lastTime ? { times: toTimes(c.firstTime, c.lastTime, c.timePrecisionDigits) } : {}),
      warnings: c.warnings.map((w) => ({ byteOffset: w.offset, message: w.message })),
    },
    decode: {
      ipv4: d.ipv4,
      ipv6: d.ipv6,
      tcp: d.tcp,
      udp: d.udp,
      other: d.other,
      fragments: d.fragments,
      reassembled: d.reassembled,
      errorsByLayer: Object.entries(d.errorsByLayer)
        .map(([layer, count]) => ({ layer, count }))
        .sort((a, b) => (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : 0)),
      errors: d.errors.map((e) => ({ frame: e.frame, layer: e.layer, byteOffset: e.offset, message: e.message })),
      notes: [...d.notes],
    },
    connectionCount: analysis.connections.length,
    findingCount: analysis.findings.length,
    findingsBySeverity: countBySeverity(analysis.findings),
  };
}

/** toTablesDto builds every row of the connections and findings tables; the host keeps them and serves pages. */
export function toTablesDto(analysis: CaptureAnalysis): AnalysisTablesDto {
  const byConnection = new Map<number, Finding[]>();
  for (const f of analysis.findings) {
    const list = byConnection.get(f.connection);
    if (list) list.push(f);
    else byConnection.set(f.connection, [f]);
  }
  const digits = analysis.capture.timePrecisionDigits;
  return {
    connections: analysis.connections.map((c) => toConnectionRow(c, byConnection.get(c.id) ?? [])),
    findings: analysis.findings.map((f, index) => toFindingDto(f, index, analysis.timeBaseSec, digits)),
    transactions: analysis.connections.flatMap((c) => {
      // Transaction times count from the time base; the rows count from the connection's first packet.
      const startSec = c.startTime.sec - analysis.timeBaseSec + c.startTime.nanos / 1e9;
      return c.transactions.map((t) => toTransactionRow(c.id, t, startSec));
    }),
  };
}

/** toTransactionRow is one transaction with its times in ms since `connectionStartSec` (seconds since the time base). */
export function toTransactionRow(connection: number, t: HttpTransaction, connectionStartSec: number): TransactionRowDto {
  const ms = (sec: number): number => Math.round((sec - connectionStartSec) * 1e6) / 1e3;
  const q = t.request.timing;
  const row: TransactionRowDto = {
    connection,
    index: t.index,
    method: t.method,
    target: t.target,
    version: t.version,
    requestFirstFrame: q.firstFrame,
    requestLastFrame: q.lastFrame,
    requestStartMs: ms(q.firstTime),
    requestEndMs: ms(q.lastTime),
    requestBodyBytes: t.request.bodyBytes,
    complete: t.complete,
    pipelinePosition: t.pipelinePosition,
    requestHeaders: toHeaders(t.request.headers),
    requestFraming: t.request.framing,
  };
  if (t.request.expectedBodyBytes !== undefined) row.requestExpectedBodyBytes = t.request.expectedBodyBytes;
  const requestBody = toBodyLocation(t.request);
  if (requestBody) row.requestBody = requestBody;
  if (t.reason !== undefined) row.reason = t.reason;
  if (t.responseVersion !== undefined) row.responseVersion = t.responseVersion;
  if (t.streamId !== undefined) row.streamId = t.streamId;
  if (t.host !== undefined) row.host = t.host;
  if (t.status !== undefined) row.status = t.status;
  const r = t.response;
  if (r) {
    row.responseFirstFrame = r.timing.firstFrame;
    row.responseLastFrame = r.timing.lastFrame;
    row.responseStartMs = ms(r.timing.firstTime);
    row.responseEndMs = ms(r.timing.lastTime);
    row.responseBodyBytes = r.bodyBytes;
    row.responseHeaders = toHeaders(r.headers);
    row.responseFraming = r.framing;
    if (r.expectedBodyBytes !== undefined) row.responseExpectedBodyBytes = r.expectedBodyBytes;
    const body = toBodyLocation(r);
    if (body) row.responseBody = body;
  }
  return row;
}

function toHeaders(fields: readonly HeaderField[]): HeaderDto[] {
  return fields.slice(0, HEADER_LIMITS.fields).map((h) => (h.value.length > HEADER_LIMITS.valueChars ? { name: h.name, value: h.value.slice(0, HEADER_LIMITS.valueChars), cut: true } : { name: h.name, value: h.value }));
}

function toBodyLocation(m: HttpMessage): BodyLocationDto | undefined {
  if (!m.bodySpans || m.bodyBytes === 0) return undefined;
  return { spans: m.bodySpans.map((s) => ({ fileOffset: s.fileOffset, length: s.length })), complete: m.bodySpansComplete ?? false };
}

/** toConnectionRow is one connections-table row; `findings` are the findings on that connection. */
export function toConnectionRow(c: Connection, findings: readonly Finding[]): ConnectionRowDto {
  const up = c.clientToServer;
  const down = c.serverToClient;
  const row: ConnectionRowDto = {
    id: c.id,
    client: formatEndpoint(c.client),
    server: formatEndpoint(c.server),
    protocol: c.protocol,
    requests: c.transactions.length,
    durationMs: c.durationMs,
    connState: c.connState,
    bytesUp: up.payloadBytes,
    bytesDown: down.payloadBytes,
    retransmissions: up.retransmissions + down.retransmissions,
    findingCodes: [...new Set(findings.map((f) => f.code))].sort(),
    findingCount: findings.length,
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    packets: c.packets,
  };
  const retransmissions = [...up.retransmissionFrames, ...down.retransmissionFrames].sort((a, b) => a - b);
  if (retransmissions.length) row.retransmissionFrames = retransmissions;
  const zeroWindows = [...up.zeroWindowFrames, ...down.zeroWindowFrames].sort((a, b) => a - b);
  if (zeroWindows.length) row.zeroWindowFrames = zeroWindows;
  const worst = worstSeverity(findings);
  if (worst) row.worstSeverity = worst;
  return row;
}

/** toFindingDto joins a finding with its catalog entry; unknown codes (a newer core) get neutral text. */
export function toFindingDto(f: Finding, index: number, timeBaseSec: number, digits: number): FindingDto {
  const entry: CatalogEntry | undefined = (DIAGNOSTIC_CODES as Record<string, CatalogEntry>)[f.code];
  const dto: FindingDto = {
    index,
    code: f.code,
    severity: f.severity,
    title: entry?.title ?? f.code,
    message: f.message,
    connection: f.connection,
    frames: [...f.frames],
    startEpochText: relativeTime(timeBaseSec, f.startTime, digits).text,
    explanation: entry?.explanation ?? '',
    advice: entry?.advice ?? '',
    docAnchor: entry?.doc ?? f.code,
  };
  if (f.transaction !== undefined) dto.transaction = f.transaction;
  if (f.delayMs !== undefined) dto.delayMs = f.delayMs;
  return dto;
}

const SEVERITY_RANK: Record<SeverityDto, number> = { error: 3, warning: 2, info: 1 };

function worstSeverity(findings: readonly Finding[]): SeverityDto | undefined {
  let worst: SeverityDto | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

function countBySeverity(findings: readonly Finding[]): Record<SeverityDto, number> {
  const counts: Record<SeverityDto, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

function toTimes(first: Timestamp, last: Timestamp, digits: number): CaptureTimesDto {
  return {
    first: { sec: first.sec, nanos: first.nanos },
    last: { sec: last.sec, nanos: last.nanos },
    precisionDigits: digits,
    firstIsoText: formatIsoTime(first, digits),
    firstEpochText: formatEpoch(first.sec, first.nanos, digits),
    durationSecondsText: formatDuration(first, last, digits),
  };
}
