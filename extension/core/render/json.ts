// SPDX-License-Identifier: MIT
import { formatEpoch, type Timestamp } from '../capture/timestamp.js';
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
      connections: analysis.connections,
      findings: analysis.findings,
    }) + '\n'
  );
}
