// SPDX-License-Identifier: MIT
// The text report and the JSON / HAR / SARIF exports of a capture, rendered in a worker by the same
// core renderers as the CLI's --format, so an export from VS Code equals `pcap-inspect --format`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReportFormat } from '../../protocol/messages.js';
import { runAnalysis } from '../worker/analysisClient.js';
import { describeAnalysisError } from '../worker/analysisErrors.js';
import { currentFindingOptions } from '../worker/findingSettingsHost.js';

/** File extension and save-dialog filter of each export. */
const EXPORTS: Record<Exclude<ReportFormat, 'text'>, { extension: string; filter: string }> = {
  json: { extension: 'json', filter: 'JSON' },
  har: { extension: 'har', filter: 'HAR 1.2' },
  sarif: { extension: 'sarif', filter: 'SARIF 2.1.0' },
};

/**
 * runReport analyses `uri` in a worker with a cancellable progress notification, then opens the
 * text report in an untitled editor, or asks where to save an export and writes it there.
 */
export async function runReport(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, uri: vscode.Uri, format: ReportFormat): Promise<void> {
  const fileName = path.posix.basename(uri.path);
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: only files on disk can be analyzed.', fileName));
    return;
  }
  let target: vscode.Uri | undefined;
  if (format !== 'text') {
    const { extension, filter } = EXPORTS[format];
    target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${uri.fsPath}.${extension}`), filters: { [filter]: [extension] }, saveLabel: vscode.l10n.t('Export') });
    if (!target) return;
  }
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Analyzing {0}', fileName), cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      return runAnalysis({
        workerPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
        filePath: uri.fsPath,
        fileName,
        report: format,
        docsUri: vscode.Uri.joinPath(context.extensionUri, 'docs', 'findings.md').toString(),
        toolVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? ''),
        findingOptions: currentFindingOptions(),
        signal: abort.signal,
        onProgress: (done, total) => {
          const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
          if (percent > reported) progress.report({ increment: percent - reported });
          reported = Math.max(reported, percent);
        },
        log: (line) => log.warn(`${fileName}: ${line}`),
      });
    },
  );
  if (!outcome.ok) {
    if (outcome.error.code !== 'cancelled') {
      log.warn(`analysis failed: ${describeAnalysisError(outcome.error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not analyze {0}', describeAnalysisError(outcome.error)));
    }
    return;
  }
  const report = outcome.report ?? '';
  if (!target) {
    const document = await vscode.workspace.openTextDocument({ content: report, language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: false });
    return;
  }
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(report));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}', target.fsPath, e instanceof Error ? e.message : String(e)));
    return;
  }
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}.', path.basename(target.fsPath)), open);
  if (choice === open) await vscode.window.showTextDocument(target, { preview: false });
}
