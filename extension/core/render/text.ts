// SPDX-License-Identifier: MIT
import { linkTypeName } from '../capture/linkTypes.js';
import { formatEpoch, type Timestamp } from '../capture/timestamp.js';
import type { CaptureAnalysis } from '../model.js';

/**
 * renderText renders an analysis as the human report the CLI prints and the golden files hold.
 * Deterministic: no wall-clock time, no absolute paths beyond the file name the caller gave.
 */
export function renderText(analysis: CaptureAnalysis): string {
  const c = analysis.capture;
  const d = analysis.decode;
  const lines: string[] = [];
  lines.push(`Capture ${c.file}`);
  lines.push(`  format      ${c.format}, ${c.linkTypes.map(linkTypeName).join(', ') || 'no interfaces'}`);
  lines.push(`  packets     ${c.packets}, ${c.bytes} bytes` + (c.capturedBytes < c.bytes ? ` (${c.capturedBytes} captured)` : ''));
  if (c.firstTime && c.lastTime) {
    lines.push(`  first       ${isoTime(c.firstTime, c.timePrecisionDigits)} (${formatEpoch(c.firstTime.sec, c.firstTime.nanos, c.timePrecisionDigits)})`);
    lines.push(`  duration    ${formatDuration(c.firstTime, c.lastTime, c.timePrecisionDigits)} s`);
  }
  lines.push(`  decoded     IPv4 ${d.ipv4}, IPv6 ${d.ipv6}, TCP ${d.tcp}, UDP ${d.udp}, other ${d.other}` + (d.fragments ? `, IP fragments ${d.fragments} (${d.reassembled} datagrams rebuilt)` : ''));
  const errorLayers = Object.entries(d.errorsByLayer);
  if (errorLayers.length) lines.push(`  undecoded   ${errorLayers.map(([layer, n]) => `${layer} ${n}`).join(', ')}`);
  for (const note of d.notes) lines.push(`  note        ${note}`);
  if (c.warnings.length) {
    lines.push('', `File warnings (${c.warnings.length})`);
    for (const w of c.warnings) lines.push(`  offset ${w.offset}: ${w.message}`);
  }
  if (d.errors.length) {
    lines.push('', `Decode errors (first ${d.errors.length})`);
    for (const e of d.errors) lines.push(`  frame ${e.frame}: ${e.layer} at byte ${e.offset}: ${e.message}`);
  }
  return lines.join('\n') + '\n';
}

function isoTime(t: Timestamp, digits: number): string {
  const base = new Date(t.sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const frac = String(t.nanos).padStart(9, '0').slice(0, Math.min(9, digits));
  return `${base}${frac ? '.' + frac : ''} UTC`;
}

/** formatDuration subtracts exactly (seconds and nanoseconds apart) so nanosecond captures keep their digits. */
function formatDuration(a: Timestamp, b: Timestamp, digits: number): string {
  let sec = b.sec - a.sec;
  let nanos = b.nanos - a.nanos;
  if (nanos < 0) {
    sec -= 1;
    nanos += 1e9;
  }
  return formatEpoch(sec, nanos, digits);
}
