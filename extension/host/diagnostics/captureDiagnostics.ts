// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import type { CaptureDocument } from '../captureEditor/captureDocument.js';
import { DisposableStore } from '../util/dispose.js';
import { DIAGNOSTIC_SOURCE, findingDiagnosticSpecs, MAX_DIAGNOSTICS_PER_CAPTURE, type DiagnosticSeverityName } from './findingDiagnostic.js';
import { blockAt, renderFindingsReport, type FindingsReport } from './findingsReport.js';

const SEVERITY: Record<DiagnosticSeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** URI scheme of the read-only findings documents. */
export const FINDINGS_SCHEME = 'pcap-findings';

/** What CaptureDiagnostics needs of the capture editor. */
export interface FindingRevealer {
  /** reveal selects the finding in the capture's editor; `onlyIfVisible` leaves a hidden editor alone and keeps focus. */
  revealFinding(capture: vscode.Uri, finding: number, onlyIfVisible: boolean): void;
}

interface ReportEntry {
  capture: vscode.Uri;
  report: FindingsReport;
}

/**
 * CaptureDiagnostics feeds the Problems pane with the findings of each open capture. A capture has
 * no lines to point at, so the diagnostics hang on a read-only findings document (scheme
 * `pcap-findings`), one block per finding: clicking a problem opens the finding's evidence,
 * explanation and advice. Code lenses there reveal the finding in the capture editor, and moving
 * the cursor through the blocks follows along in a capture editor that is on screen.
 * Diagnostics are replaced on every analysis and removed when the capture's document closes.
 */
export class CaptureDiagnostics implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly collection = this.store.add(vscode.languages.createDiagnosticCollection('pcapHttpInspector'));
  private readonly docsUri: vscode.Uri;
  private readonly reports = new Map<string, ReportEntry>();
  private readonly contentEmitter = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  private readonly lensEmitter = this.store.add(new vscode.EventEmitter<void>());

  constructor(
    extensionUri: vscode.Uri,
    private readonly revealer: FindingRevealer,
  ) {
    this.docsUri = vscode.Uri.joinPath(extensionUri, 'docs', 'findings.md');
    this.store.add(
      vscode.workspace.registerTextDocumentContentProvider(FINDINGS_SCHEME, {
        onDidChange: this.contentEmitter.event,
        provideTextDocumentContent: (uri) => this.reports.get(uri.toString())?.report.text ?? vscode.l10n.t('The capture of these findings is no longer open.\n'),
      }),
    );
    this.store.add(
      vscode.languages.registerCodeLensProvider(
        { scheme: FINDINGS_SCHEME },
        {
          onDidChangeCodeLenses: this.lensEmitter.event,
          provideCodeLenses: (document) => this.codeLenses(document.uri),
        },
      ),
    );
    this.store.add(vscode.window.onDidChangeTextEditorSelection((e) => this.followCursor(e)));
  }

  /** reportUri is the findings document of a capture. */
  static reportUri(capture: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: FINDINGS_SCHEME, path: `${capture.path}.findings.txt`, query: capture.toString() });
  }

  /** track follows one document until it is disposed; dispose the result to stop earlier. */
  track(document: CaptureDocument): vscode.Disposable {
    const store = new DisposableStore();
    const reportUri = CaptureDiagnostics.reportUri(document.uri);
    const key = reportUri.toString();
    const update = (): void => {
      const tables = document.tables;
      if (document.state.status === 'done' && tables) {
        const findings = tables.findings.rows;
        const report = renderFindingsReport(document.fileName, findings, MAX_DIAGNOSTICS_PER_CAPTURE);
        this.reports.set(key, { capture: document.uri, report });
        this.collection.set(reportUri, this.diagnostics(findings, report));
      } else {
        this.reports.delete(key);
        this.collection.delete(reportUri);
      }
      this.contentEmitter.fire(reportUri);
      this.lensEmitter.fire();
    };
    update();
    store.add(document.onDidChangeState(update));
    store.add(
      document.onDidDispose(() => {
        this.reports.delete(key);
        this.collection.delete(reportUri);
        this.contentEmitter.fire(reportUri);
        store.dispose();
      }),
    );
    return store;
  }

  dispose(): void {
    this.store.dispose();
  }

  private diagnostics(findings: Parameters<typeof findingDiagnosticSpecs>[0], report: FindingsReport): vscode.Diagnostic[] {
    const { specs, omitted } = findingDiagnosticSpecs(findings);
    const result = specs.map((spec, i) => {
      const block = report.blocks[i];
      const range = block ? new vscode.Range(block.headingLine, 0, block.headingLine, block.headingLength) : new vscode.Range(0, 0, 0, 0);
      const d = new vscode.Diagnostic(range, spec.message, SEVERITY[spec.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: spec.code, target: this.docsUri.with({ fragment: spec.docAnchor }) };
      return d;
    });
    if (omitted > 0) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t('{0} more findings are listed in the capture editor only.', omitted), vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      result.push(d);
    }
    return result;
  }

  private codeLenses(uri: vscode.Uri): vscode.CodeLens[] {
    const entry = this.reports.get(uri.toString());
    if (!entry) return [];
    return entry.report.blocks.flatMap((b) => {
      const range = new vscode.Range(b.headingLine, 0, b.headingLine, 0);
      return [
        new vscode.CodeLens(range, { title: vscode.l10n.t('Reveal in capture editor'), command: 'pcapHttpInspector.captureEditor.revealFinding', arguments: [{ uri: entry.capture.toString(), finding: b.findingIndex }] }),
        new vscode.CodeLens(range, { title: vscode.l10n.t('Show connection {0}', b.connection), command: 'pcapHttpInspector.captureEditor.revealFinding', arguments: [{ uri: entry.capture.toString(), connection: b.connection }] }),
      ];
    });
  }

  /** followCursor reveals the finding under the cursor in a capture editor that is on screen. */
  private followCursor(e: vscode.TextEditorSelectionChangeEvent): void {
    const uri = e.textEditor.document.uri;
    if (uri.scheme !== FINDINGS_SCHEME) return;
    const entry = this.reports.get(uri.toString());
    const line = e.selections[0]?.active.line;
    const block = entry && line !== undefined ? blockAt(entry.report.blocks, line) : undefined;
    if (entry && block) this.revealer.revealFinding(entry.capture, block.findingIndex, true);
  }
}
