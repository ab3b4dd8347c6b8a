// SPDX-License-Identifier: MIT
// Entry point of dist/extension.js. Kept thin: registration only; the work happens in the
// capture editor and, off the host thread, in the analysis worker.
import * as vscode from 'vscode';
import { CaptureEditorProvider } from './captureEditor/captureEditorProvider.js';
import { runReport } from './exports/reports.js';

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
      const target = uri instanceof vscode.Uri ? uri : (CaptureEditorProvider.currentUri() ?? (await pickCapture(vscode.l10n.t('Analyze'))));
      if (target) await runReport(context, log, target, 'text');
    }),
  );
  for (const format of ['json', 'har', 'sarif'] as const) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`pcapHttpInspector.export.${format}`, async (arg?: unknown) => {
        const target = captureUriOf(arg) ?? CaptureEditorProvider.currentUri() ?? (await pickCapture(vscode.l10n.t('Export')));
        if (target) await runReport(context, log, target, format);
      }),
    );
  }
}

export function deactivate(): void {}

async function pickCapture(openLabel: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFiles: true, canSelectFolders: false, filters: { [vscode.l10n.t('Packet captures')]: ['pcap', 'pcapng', 'cap'] }, openLabel });
  return picked?.[0];
}

/** captureUriOf takes the capture a command was run on: an Explorer file, or a flow explorer node (the current capture). */
function captureUriOf(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}
