// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import type { CaptureDocument } from '../captureEditor/captureDocument.js';
import { DisposableStore } from '../util/dispose.js';
import { DIAGNOSTIC_SOURCE, findingDiagnosticSpecs, type DiagnosticSeverityName } from './findingDiagnostic.js';

const SEVERITY: Record<DiagnosticSeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** Captures have no text lines: every diagnostic sits on line 0. */
const NO_RANGE = new vscode.Range(0, 0, 0, 0);

/**
 * CaptureDiagnostics feeds the Problems pane with the findings of each open capture: one
 * diagnostic per finding, replaced on every analysis and removed when the document closes.
 */
export class CaptureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pcapHttpInspector');
  private readonly docsUri: vscode.Uri;

  constructor(extensionUri: vscode.Uri) {
    this.docsUri = vscode.Uri.joinPath(extensionUri, 'docs', 'findings.md');
  }

  /** track follows one document until it is disposed; dispose the result to stop earlier. */
  track(document: CaptureDocument): vscode.Disposable {
    const store = new DisposableStore();
    const update = (): void => {
      const tables = document.tables;
      if (document.state.status === 'done' && tables) this.collection.set(document.uri, this.diagnostics(tables.findings.rows));
      else this.collection.delete(document.uri);
    };
    update();
    store.add(document.onDidChangeState(update));
    store.add(
      document.onDidDispose(() => {
        this.collection.delete(document.uri);
        store.dispose();
      }),
    );
    return store;
  }

  dispose(): void {
    this.collection.dispose();
  }

  private diagnostics(findings: Parameters<typeof findingDiagnosticSpecs>[0]): vscode.Diagnostic[] {
    const { specs, omitted } = findingDiagnosticSpecs(findings);
    const result = specs.map((spec) => {
      const d = new vscode.Diagnostic(NO_RANGE, spec.message, SEVERITY[spec.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: spec.code, target: this.docsUri.with({ fragment: spec.docAnchor }) };
      d.relatedInformation = [];
      return d;
    });
    if (omitted > 0) {
      const d = new vscode.Diagnostic(NO_RANGE, vscode.l10n.t('{0} more findings are listed in the capture editor only.', omitted), vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      result.push(d);
    }
    return result;
  }
}
