// SPDX-License-Identifier: MIT
// SARIF 2.1.0 export (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/), so code-scanning UIs
// list capture findings: one run, one rule per catalog code, one result per finding.
import { DIAGNOSTIC_CODES, type FindingCode } from '../analysis/diagnosticCodes.js';
import type { Severity } from '../analysis/finding.js';
import type { CaptureAnalysis } from '../model.js';
import { formatEndpoint, formatRfc3339 } from './format.js';
import { relativeTime } from './json.js';
import { stringifyJson } from './jsonWriter.js';

/** SarifOptions say where the tool and its documentation live; neither is known to the core. */
export interface SarifOptions {
  /** Tool version written as tool.driver.version. */
  toolVersion?: string;
  /**
   * Absolute URI of docs/findings.md; each rule's helpUri is this plus `#code`. SARIF requires an
   * absolute URI there (§3.49.12), so without it rules carry the relative link in help.markdown only.
   */
  docsUri?: string;
}

/** SARIF_TOOL is tool.driver.name. */
export const SARIF_TOOL = 'pcap-http-inspector';

/** FINDINGS_DOC is the repository path of the findings documentation the rules point at. */
export const FINDINGS_DOC = 'docs/findings.md';

/** STDIN_FILE is the file name the CLI reports for a capture read from standard input. */
export const STDIN_FILE = '-';

/** SARIF levels for our severities (§3.27.10): info is a note. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * renderSarif renders an analysis' findings as a SARIF 2.1.0 log. Rules are the whole catalog in its
 * order (so ruleIndex is stable across captures); results keep the findings' order (by time).
 */
export function renderSarif(analysis: CaptureAnalysis, options: SarifOptions = {}): string {
  const codes = Object.keys(DIAGNOSTIC_CODES) as FindingCode[];
  const ruleIndex = new Map(codes.map((c, i) => [c as string, i]));
  const digits = analysis.capture.timePrecisionDigits;
  const rel = (t: number) => relativeTime(analysis.timeBaseSec, t, digits);
  const artifact = artifactLocation(analysis.capture.file);
  // One logical location per connection a finding names, in connection order: `tcp.stream N` is the
  // Wireshark display filter that shows it.
  const streams = [...new Set(analysis.findings.map((f) => f.connection))].sort((a, b) => a - b);
  const logicalIndex = new Map(streams.map((s, i) => [s, i]));
  const logicalLocations = streams.map((s) => {
    const conn = analysis.connections[s];
    return {
      name: `tcp.stream ${s}`,
      fullyQualifiedName: `tcp.stream ${s}`,
      kind: 'connection',
      properties: conn ? { client: formatEndpoint(conn.client), server: formatEndpoint(conn.server), protocol: conn.protocol } : undefined,
    };
  });
  const results = analysis.findings.map((f) => {
    const entry = DIAGNOSTIC_CODES[f.code as FindingCode];
    const index = ruleIndex.get(f.code);
    return {
      ruleId: f.code,
      ruleIndex: index,
      level: LEVEL[f.severity],
      // The catalog's severity is the rule's default; a finding may differ (§3.27.10 level overrides it).
      message: { text: f.message },
      locations: [
        {
          physicalLocation: { artifactLocation: artifact },
          logicalLocations: [{ index: logicalIndex.get(f.connection), fullyQualifiedName: `tcp.stream ${f.connection}` }],
          message: { text: `frames ${f.frames.join(', ')}` },
        },
      ],
      // Stable across reruns on the same capture, so code scanning matches results between runs.
      partialFingerprints: { 'captureFinding/v1': `${f.code}:${f.connection}:${f.transaction ?? '-'}:${f.streamId ?? '-'}:${f.frames[0] ?? '-'}` },
      properties: {
        severity: f.severity,
        title: entry?.title,
        connection: f.connection,
        transaction: f.transaction,
        streamId: f.streamId,
        frames: f.frames,
        wiresharkFilter: `tcp.stream == ${f.connection} && frame.number in {${f.frames.join(',')}}`,
        startTime: rel(f.startTime),
        endTime: rel(f.endTime),
        delayMs: f.delayMs === undefined ? undefined : Math.round(f.delayMs * 1000) / 1000,
        count: f.count,
        bytes: f.bytes,
      },
    };
  });
  return (
    stringifyJson({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: SARIF_TOOL,
              version: options.toolVersion,
              informationUri: options.docsUri,
              semanticVersion: options.toolVersion && /^\d+\.\d+\.\d+/.test(options.toolVersion) ? options.toolVersion : undefined,
              rules: codes.map((code) => {
                const e: (typeof DIAGNOSTIC_CODES)[FindingCode] = DIAGNOSTIC_CODES[code];
                return {
                  id: code,
                  // SARIF1001: a name equal to the id (as for "retransmission") must be left out.
                  name: ruleName(code).toLowerCase() === code.toLowerCase() ? undefined : ruleName(code),
                  shortDescription: { text: e.title },
                  fullDescription: { text: e.explanation },
                  help: { text: `${e.advice}\n\nSee ${FINDINGS_DOC}#${e.doc}.`, markdown: `${e.advice}\n\nSee [${FINDINGS_DOC}#${e.doc}](${FINDINGS_DOC}#${e.doc}).` },
                  helpUri: options.docsUri ? `${options.docsUri}#${e.doc}` : undefined,
                  defaultConfiguration: { level: LEVEL[e.severity] },
                };
              }),
            },
          },
          artifacts: [{ location: artifact, mimeType: mimeType(analysis.capture.format) }],
          logicalLocations,
          results,
          properties: {
            packets: analysis.capture.packets,
            connections: analysis.connections.length,
            firstTime: analysis.capture.firstTime ? formatRfc3339(analysis.capture.firstTime, digits) : undefined,
          },
        },
      ],
    }) + '\n'
  );
}

/** ruleName is the code in PascalCase, the form SARIF viewers show beside the id (§3.49.7). */
function ruleName(code: string): string {
  return code.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

/**
 * artifactLocation points at the capture: its path as given, as a URI reference (§3.4.3, percent-
 * encoded per segment); a capture read from standard input has no URI, only a description.
 */
function artifactLocation(file: string): Record<string, unknown> {
  if (file === STDIN_FILE) return { index: 0, description: { text: 'capture read from standard input' } };
  const path = file.replace(/\\/g, '/');
  const uri = path
    .split('/')
    .map((seg, i) => (i === 0 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  return { uri: /^[A-Za-z]:\//.test(path) ? `file:///${uri}` : uri, index: 0 };
}

/** mimeType is the capture's media type (IANA: application/vnd.tcpdump.pcap, and the pcapng draft's). */
function mimeType(format: string): string {
  return format === 'pcapng' ? 'application/x-pcapng' : 'application/vnd.tcpdump.pcap';
}
