// SPDX-License-Identifier: MIT
import { linkTypeName } from '../capture/linkTypes.js';
import { formatDuration, formatEndpoint, formatIsoTime } from './format.js';
import { formatEpoch } from '../capture/timestamp.js';
import type { Connection } from '../flows/connection.js';
import type { HttpTransaction } from '../http/transaction.js';
import type { CaptureAnalysis } from '../model.js';

/** TextOptions change how the report looks, never what it says. */
export interface TextOptions {
  /** ANSI colours (SGR, ECMA-48 §8.3.117) for a terminal: severities and section titles. */
  color?: boolean;
  /** Only the findings, two lines each (nothing when there are none), for scripts and CI logs. */
  quiet?: boolean;
}

const SGR = { bold: '1', red: '31', yellow: '33', cyan: '36' } as const;

/**
 * renderText renders an analysis as the human report the CLI prints and the golden files hold.
 * Deterministic: no wall-clock time, no absolute paths beyond the file name the caller gave.
 */
export function renderText(analysis: CaptureAnalysis, options: TextOptions = {}): string {
  const paint = (style: keyof typeof SGR, text: string) => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  if (options.quiet) {
    const lines = findingLines(analysis, paint);
    return lines.length ? lines.join('\n') + '\n' : '';
  }
  const c = analysis.capture;
  const d = analysis.decode;
  const lines: string[] = [];
  lines.push(paint('bold', `Capture ${c.file}`));
  lines.push(`  format      ${c.format}, ${c.linkTypes.map(linkTypeName).join(', ') || 'no interfaces'}`);
  lines.push(`  packets     ${c.packets}, ${c.bytes} bytes` + (c.capturedBytes < c.bytes ? ` (${c.capturedBytes} captured)` : ''));
  if (c.firstTime && c.lastTime) {
    lines.push(`  first       ${formatIsoTime(c.firstTime, c.timePrecisionDigits)} (${formatEpoch(c.firstTime.sec, c.firstTime.nanos, c.timePrecisionDigits)})`);
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
  if (analysis.findings.length) {
    lines.push('', paint('bold', `Findings (${analysis.findings.length})`));
    for (const line of findingLines(analysis, paint)) lines.push(line);
  }
  if (analysis.connections.length) {
    lines.push('', paint('bold', `Connections (${analysis.connections.length})`));
    // One push per line: spreading a connection of 300k transactions overflows the call stack.
    for (const conn of analysis.connections) for (const line of connectionLines(conn)) lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/**
 * findingLines is each finding as a line of severity, code, connection[transaction] and frames, then its
 * message: errors first, then warnings, then info, each group in time order (the analysis' order).
 */
function findingLines(analysis: CaptureAnalysis, paint: (style: keyof typeof SGR, text: string) => string): string[] {
  const colour = { error: 'red', warning: 'yellow', info: 'cyan' } as const;
  const rank = { error: 0, warning: 1, info: 2 } as const;
  // Array.prototype.sort is stable (ES2019), so time order survives within a severity.
  const findings = [...analysis.findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
  return findings.flatMap((f) => [
    `  ${paint(colour[f.severity], f.severity.padEnd(7))} ${f.code}  #${f.connection}${f.transaction !== undefined ? `[${f.transaction}]` : ''}  frames ${f.frames.join(',')}`,
    `          ${f.message}`,
  ]);
}

function fixed(ms: number | undefined, digits = 1): string {
  return ms === undefined ? '-' : ms.toFixed(digits);
}

/** connectionLines renders one connection as a readable line, plus an indented line of problems when there are any. */
function connectionLines(c: Connection): string[] {
  const up = c.clientToServer;
  const down = c.serverToClient;
  const close = c.closeKind ? `${c.closeKind.toUpperCase()} by ${c.closedFirstBy}` : 'open';
  const head =
    `  #${c.stream} ${formatEndpoint(c.client)} → ${formatEndpoint(c.server)}  ${c.protocol}  frames ${c.firstFrame}-${c.lastFrame} (${c.packets})` +
    `  ${fixed(c.durationMs)} ms  ${c.connState} ${c.history}  handshake ${c.handshake}` +
    (c.synToSynAckMs !== undefined ? ` (SYN→SYN/ACK ${fixed(c.synToSynAckMs, 3)} ms${c.synCount > 1 ? `, ${c.synCount} SYNs` : ''})` : '') +
    `  ↑${up.payloadBytes} B ↓${down.payloadBytes} B  ${close}`;
  const problems: string[] = [];
  for (const [name, d] of [['client', up], ['server', down]] as const) {
    const parts: string[] = [];
    if (d.retransmissions) parts.push(`${d.retransmissions} retransmissions (${d.retransmittedBytes} B, waited ${fixed(d.retransmissionWaitMs)} ms)`);
    if (d.outOfOrder) parts.push(`${d.outOfOrder} out of order`);
    if (d.gaps) parts.push(`${d.gaps} gaps (${d.gapBytes} B never captured)`);
    if (d.duplicateAcks) parts.push(`${d.duplicateAcks} duplicate ACKs`);
    if (d.zeroWindows) parts.push(`${d.zeroWindows} zero windows`);
    if (d.windowFull) parts.push(`${d.windowFull} window full`);
    if (d.keepAlives) parts.push(`${d.keepAlives} keep-alives`);
    if (d.rtt) parts.push(`RTT ${fixed(d.rtt.minMs, 3)}/${fixed(d.rtt.medianMs, 3)}/${fixed(d.rtt.maxMs, 3)} ms`);
    if (parts.length) problems.push(`      ${name} sent: ${parts.join(', ')}`);
  }
  for (const n of c.notes) problems.push(`      note: ${n}`);
  const lines = [head, ...problems];
  if (c.tls) {
    const t = c.tls;
    lines.push(
      `      TLS ${t.version ?? '?'} ${t.cipherSuite?.name ?? ''}${t.sni ? ` sni ${t.sni}` : ''}` +
        `${t.alpnOffered.length ? ` alpn offered ${t.alpnOffered.join(',')}` : ''}${t.alpn ? ` chosen ${t.alpn}` : ''}` +
        `${t.handshakeMs !== undefined ? `  handshake ${fixed(t.handshakeMs, 3)} ms` : ''}${t.sessionResumed ? '  resumed' : ''}` +
        `${t.alerts.length ? `  alerts ${t.alerts.length}` : ''}`,
    );
  }
  for (const t of c.transactions) lines.push(transactionLine(t));
  if (c.tunnel) lines.push(`      ${c.tunnel.kind} from frame ${c.tunnel.frame}: ↑${c.tunnel.clientBytes} B ↓${c.tunnel.serverBytes} B not parsed as HTTP`);
  for (const a of c.appAnomalies ?? []) lines.push(`      anomaly ${a.code}${a.frame !== undefined ? ` (frame ${a.frame})` : ''}: ${a.message}`);
  return lines;
}

/** transactionLine shows one exchange: request, response, frames and the waits a reader cares about. */
function transactionLine(t: HttpTransaction): string {
  const req = t.request.timing;
  const res = t.response?.timing;
  const wait = res ? ` wait ${fixed((res.firstTime - req.lastTime) * 1000, 3)} ms` : '';
  const status = t.status !== undefined ? `${t.status}${t.reason ? ' ' + t.reason : ''}` : 'no response';
  const body = t.response ? ` ${t.response.bodyBytes} B ${t.response.framing}` : '';
  const pipeline = t.outstandingAtSend ? ` pipelined #${t.pipelinePosition} (${t.outstandingAtSend} outstanding)` : '';
  const flags = [!t.complete ? 'incomplete' : '', t.response?.truncatedBy ? `cut by ${t.response.truncatedBy}` : '', t.upgrade ? `upgrade ${t.upgrade}` : '', ...t.anomalies].filter(Boolean);
  return (
    `      [${t.index}]${t.streamId !== undefined ? ` stream ${t.streamId}` : ''} ${t.method || '-'} ${t.target || '-'} ${t.version} → ${status}${body}` +
    `  frames ${req.firstFrame}-${req.lastFrame}${res ? ` / ${res.firstFrame}-${res.lastFrame}` : ''}${wait}${pipeline}` +
    (t.interim.length ? `  interim ${t.interim.map((i) => i.status).join(',')}` : '') +
    (flags.length ? `  (${flags.join(', ')})` : '')
  );
}
