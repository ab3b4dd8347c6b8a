// SPDX-License-Identifier: MIT
// Core model -> protocol DTO. Runs in the worker, so the webview never needs the core's types.
import { DIAGNOSTIC_CODES, type CatalogEntry } from '../../core/analysis/diagnosticCodes.js';
import type { Finding } from '../../core/analysis/finding.js';
import { linkTypeName } from '../../core/capture/linkTypes.js';
import { formatEpoch, type Timestamp } from '../../core/capture/timestamp.js';
import type { Connection, Endpoint } from '../../core/flows/connection.js';
import type { CaptureAnalysis } from '../../core/model.js';
import { relativeTime } from '../../core/render/json.js';
import type { AnalysisTablesDto, CaptureAnalysisDto, CaptureTimesDto, ConnectionRowDto, FindingDto, SeverityDto } from '../../protocol/dto.js';

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
  };
}

/** toConnectionRow is one connections-table row; `findings` are the findings on that connection. */
export function toConnectionRow(c: Connection, findings: readonly Finding[]): ConnectionRowDto {
  const up = c.clientToServer;
  const down = c.serverToClient;
  const row: ConnectionRowDto = {
    id: c.id,
    client: endpointText(c.client),
    server: endpointText(c.server),
    protocol: c.protocol,
    requests: c.transactions.length,
    durationMs: c.durationMs,
    connState: c.connState,
    bytesUp: up.payloadBytes,
    bytesDown: down.payloadBytes,
    retransmissions: up.retransmissions + down.retransmissions,
    findingCodes: [...new Set(findings.map((f) => f.code))].sort(),
    findingCount: findings.length,
  };
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

/** endpointText is "ip:port", with IPv6 addresses in brackets (RFC 3986 §3.2.2) so the port stays readable. */
export function endpointText(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
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
    firstIsoText: isoText(first, digits),
    firstEpochText: formatEpoch(first.sec, first.nanos, digits),
    durationSecondsText: durationText(first, last, digits),
  };
}

/** isoText renders an exact time as "YYYY-MM-DD hh:mm:ss.fff… UTC", truncated to `digits` like Wireshark. */
function isoText(t: Timestamp, digits: number): string {
  const date = new Date(t.sec * 1000);
  const base = Number.isNaN(date.getTime()) ? formatEpoch(t.sec, 0, 0) : date.toISOString().slice(0, 19).replace('T', ' ');
  const frac = String(t.nanos).padStart(9, '0').slice(0, Math.max(0, Math.min(9, digits)));
  return `${base}${frac ? '.' + frac : ''} UTC`;
}

/** durationText subtracts seconds and nanoseconds apart so nanosecond captures keep every digit. */
function durationText(a: Timestamp, b: Timestamp, digits: number): string {
  let sec = b.sec - a.sec;
  let nanos = b.nanos - a.nanos;
  if (nanos < 0) {
    sec -= 1;
    nanos += 1_000_000_000;
  }
  return formatEpoch(sec, nanos, digits);
}
