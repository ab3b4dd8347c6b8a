// SPDX-License-Identifier: MIT
// Core model -> protocol DTO. Runs in the worker, so the webview never needs the core's types.
import { linkTypeName } from '../../core/capture/linkTypes.js';
import { formatEpoch, type Timestamp } from '../../core/capture/timestamp.js';
import type { CaptureAnalysis } from '../../core/model.js';
import type { CaptureAnalysisDto, CaptureTimesDto } from '../../protocol/dto.js';

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
  };
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
