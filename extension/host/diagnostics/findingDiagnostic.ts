// SPDX-License-Identifier: MIT
// Finding -> Problems pane entry, as plain data. Free of `vscode` so the mapping is unit-tested in
// Node; captureDiagnostics.ts turns these specs into vscode.Diagnostic objects.
import type { FindingDto, SeverityDto } from '../../protocol/dto.js';

/** DIAGNOSTIC_SOURCE is the "source" column of every diagnostic the extension reports. */
export const DIAGNOSTIC_SOURCE = 'pcap-http-inspector';

/** MAX_DIAGNOSTICS_PER_CAPTURE bounds the Problems pane; a capture with more findings gets one summary entry for the rest. */
export const MAX_DIAGNOSTICS_PER_CAPTURE = 2_000;

/** DiagnosticSeverityName mirrors vscode.DiagnosticSeverity without importing it. */
export type DiagnosticSeverityName = 'error' | 'warning' | 'information';

/** FindingDiagnosticSpec is everything a vscode.Diagnostic for one finding needs. */
export interface FindingDiagnosticSpec {
  message: string;
  severity: DiagnosticSeverityName;
  /** The finding code, shown in the Problems pane and linked to `docAnchor` of docs/findings.md. */
  code: string;
  docAnchor: string;
  /** Index of the finding in the analysis, for revealFinding. */
  findingIndex: number;
  connection: number;
}

const SEVERITY: Record<SeverityDto, DiagnosticSeverityName> = { error: 'error', warning: 'warning', info: 'information' };

/** findingDiagnosticSpec maps one finding; the message is the finding's own one-line message. */
export function findingDiagnosticSpec(f: FindingDto): FindingDiagnosticSpec {
  return { message: f.message, severity: SEVERITY[f.severity], code: f.code, docAnchor: f.docAnchor, findingIndex: f.index, connection: f.connection };
}

/**
 * findingDiagnosticSpecs maps the findings of one capture, capped at `max`: the findings past the
 * cap are counted in `omitted` so the caller can say so, instead of flooding the Problems pane.
 */
export function findingDiagnosticSpecs(findings: readonly FindingDto[], max = MAX_DIAGNOSTICS_PER_CAPTURE): { specs: FindingDiagnosticSpec[]; omitted: number } {
  const kept = findings.slice(0, Math.max(0, max));
  return { specs: kept.map(findingDiagnosticSpec), omitted: findings.length - kept.length };
}
