// SPDX-License-Identifier: MIT
import type { ByteSource } from './capture/byteSource.js';
import { openCapture } from './capture/openCapture.js';
import { SCHEMA_VERSION, type CaptureAnalysis, type CaptureSummary } from './model.js';
import { nagleOptions, runFindings, type FindingOptions } from './analysis/engine.js';
import { ConnectionTracker } from './flows/connectionTracker.js';
import { HttpConnection } from './http/httpConnection.js';
import { PacketStats } from './packetStats.js';

/** AnalyzeOptions tune one analysis run. */
export interface AnalyzeOptions {
  /** Name reported as `capture.file`. */
  fileName: string;
  /** Called every `progressEvery` packets with the file offset reached, so a UI can show progress. */
  onProgress?: (offset: number, size: number) => void;
  progressEvery?: number;
  /** Thresholds of the finding rules (defaults in analysis/engine.ts). */
  findings?: Partial<FindingOptions>;
}

/**
 * analyzeCapture reads a capture from `source` and analyses it.
 *
 * Throws CaptureOpenError only when the file cannot be read at all; any later damage becomes a
 * warning in `capture.warnings` and the analysis covers every packet before it.
 */
export function analyzeCapture(source: ByteSource, options: AnalyzeOptions): CaptureAnalysis {
  const reader = openCapture(source);
  const stats = new PacketStats();
  const apps = new Map<number, HttpConnection>();
  let tracker: ConnectionTracker | undefined;
  const capture: CaptureSummary = {
    file: options.fileName,
    format: reader.format,
    linkTypes: [],
    packets: 0,
    bytes: 0,
    capturedBytes: 0,
    timePrecisionDigits: 6,
    warnings: [],
  };
  const every = options.progressEvery ?? 50_000;
  let first: { sec: number; nanos: number } | undefined;
  let last: { sec: number; nanos: number } | undefined;
  for (let record = reader.next(); record; record = reader.next()) {
    capture.packets++;
    capture.bytes += record.originalLength;
    capture.capturedBytes += record.capturedLength;
    // capinfos' first/last are the earliest and latest times, not those of the first and last records.
    if (record.hasTimestamp) {
      if (!first || record.tsSec < first.sec || (record.tsSec === first.sec && record.tsNanos < first.nanos)) {
        first = { sec: record.tsSec, nanos: record.tsNanos };
      }
      if (!last || record.tsSec > last.sec || (record.tsSec === last.sec && record.tsNanos > last.nanos)) {
        last = { sec: record.tsSec, nanos: record.tsNanos };
      }
    }
    // Connection times count from the first packet's whole second (see CaptureAnalysis.timeBaseSec).
    tracker ??= new ConnectionTracker((stream, clientSide, ports) => {
      const app = new HttpConnection(clientSide, ports);
      apps.set(stream, app);
      return app;
    }, record.tsSec, nagleOptions(options.findings));
    tracker.add(stats.add(record));
    if (options.onProgress && capture.packets % every === 0) options.onProgress(reader.offset, source.size);
  }
  capture.firstTime = first;
  capture.lastTime = last;
  capture.linkTypes = [...new Set(reader.interfaces.map((i) => i.linkType))];
  capture.timePrecisionDigits = reader.timePrecisionDigits;
  capture.warnings = [...reader.warnings];
  options.onProgress?.(source.size, source.size);
  const connections = tracker?.finish() ?? [];
  for (const c of connections) {
    const app = apps.get(c.stream)?.result();
    if (!app) continue;
    c.protocol = app.protocol;
    c.transactions = app.transactions;
    c.tunnel = app.tunnel;
    c.tls = app.tls;
    c.http2 = app.http2;
    if (app.anomalies.length) c.appAnomalies = app.anomalies;
  }
  const timeBaseSec = tracker?.timeBase ?? 0;
  return { schemaVersion: SCHEMA_VERSION, capture, timeBaseSec, decode: stats.summary(), connections, findings: runFindings(connections, timeBaseSec, options.findings) };
}
