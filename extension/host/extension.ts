// SPDX-License-Identifier: MIT
// Entry point of dist/extension.js. Kept thin: registration only; the work happens in the
// capture editor and, off the host thread, in the analysis worker.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureEditorProvider } from './captureEditor/captureEditorProvider.js';
import { runAnalysis } from './worker/analysisClient.js';
import { describeAnalysisError } from './worker/analysisErrors.js';

/** activate registers the capture editor and the commands. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('PCAP HTTP Inspector', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(CaptureEditorProvider.register(context, log));

  context.subscriptions.push(
    vscode.commands.registerCommand('pcapHttpInspector.openCapture', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : await pickCapture(vscode.l10n.t('Open Capture'));
      if (target) await CaptureEditorProvider.openWith(target);
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('pcapHttpInspector.analyzeCapture', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : await pickCapture(vscode.l10n.t('Analyze'));
      if (target) await showTextReport(context, log, target);
    }),
  );
}

export function deactivate(): void {}

async function pickCapture(openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFiles: true, canSelectFolders: false, filters: { [vscode.l10n.t('Packet captures')]: ['pcap', 'pcapng', 'cap'] }, openLabel });
  return picked?.[0];
}

/** showTextReport analyses `uri` in a worker and opens the CLI's text report in an untitled editor. */
async function showTextReport(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, uri: vscode.Uri): Promise<void> {
  const fileName = path.posix.basename(uri.path);
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: only files on disk can be analyzed.', fileName));
    return;
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
        includeTextReport: true,
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
  const document = await vscode.workspace.openTextDocument({ content: outcome.textReport ?? '', language: 'plaintext' });
  await vscode.window.showTextDocument(document, { preview: false });
}
