// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import { assertNever, MessageChannel } from '../../protocol/channel.js';
import { PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../../protocol/messages.js';
import { DisposableStore } from '../util/dispose.js';
import { CaptureDocument } from './captureDocument.js';
import { localizedStrings } from './localizedStrings.js';
import { webviewHtml, webviewOptions } from './webviewHtml.js';

/**
 * CaptureEditorProvider shows .pcap/.pcapng/.cap files in a read-only webview editor.
 *
 * Each document analyses its file once in a worker (see CaptureDocument); each webview asks for
 * the current state with `ready` and then follows the document's events. Webviews are not kept
 * alive while hidden (no retainContextWhenHidden): a shown-again webview reloads and asks again.
 */
export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  private static readonly viewType = 'pcapHttpInspector.captureEditor';

  /** register registers the provider and its commands; dispose the result to unregister. */
  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
    const provider = new CaptureEditorProvider(context, log);
    const store = new DisposableStore();
    store.add(
      vscode.window.registerCustomEditorProvider(CaptureEditorProvider.viewType, provider, {
        supportsMultipleEditorsPerDocument: true,
        webviewOptions: { retainContextWhenHidden: false, enableFindWidget: true },
      }),
    );
    store.add(
      vscode.commands.registerCommand('pcapHttpInspector.captureEditor.reanalyze', () => {
        provider.activeDocument?.analyze();
      }),
    );
    return store;
  }

  /** openWith opens `uri` in the capture editor. */
  static openWith(uri: vscode.Uri): Thenable<unknown> {
    return vscode.commands.executeCommand('vscode.openWith', uri, CaptureEditorProvider.viewType);
  }

  private activePanel: { panel: vscode.WebviewPanel; document: CaptureDocument } | undefined;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** activeDocument is the document of the capture editor that has focus, if any. */
  get activeDocument(): CaptureDocument | undefined {
    return this.activePanel?.panel.active ? this.activePanel.document : undefined;
  }

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    const document = new CaptureDocument(uri, {
      workerPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath,
      log: this.log,
    });
    document.analyze();
    return document;
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const store = new DisposableStore();
    panel.webview.options = webviewOptions(this.context.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.context.extensionUri);

    // Events go out only after the webview said `ready`; until then `init` carries the state.
    let ready = false;
    const channel = new MessageChannel<ToWebview, FromWebview>({
      post: (envelope) => panel.webview.postMessage(envelope),
      handle: (body): ToWebview | undefined => {
        switch (body.type) {
          case 'ready':
            ready = true;
            return { type: 'init', protocolVersion: PROTOCOL_VERSION, strings: localizedStrings(), state: document.state, fileChanged: document.fileChanged };
          case 'reanalyze':
            document.analyze();
            return { type: 'ack' };
          case 'error':
            return undefined;
          default:
            return assertNever(body);
        }
      },
      onDropped: (reason) => this.log.warn(`${document.fileName}: webview message dropped: ${reason}`),
    });
    store.add({ dispose: () => channel.dispose() });
    store.add(panel.webview.onDidReceiveMessage((raw: unknown) => void channel.handleMessage(raw)));
    store.add(document.onDidChangeState((state) => ready && channel.sendEvent({ type: 'analysisState', state })));
    store.add(document.onDidProgress(({ doneBytes, totalBytes }) => ready && channel.sendEvent({ type: 'analysisProgress', doneBytes, totalBytes })));
    store.add(document.onDidChangeOnDisk(() => ready && channel.sendEvent({ type: 'fileChanged' })));

    const track = (): void => {
      if (panel.active) this.activePanel = { panel, document };
      else if (this.activePanel?.panel === panel) this.activePanel = undefined;
      // A hidden webview is torn down; it says `ready` again when shown.
      if (!panel.visible) ready = false;
    };
    track();
    store.add(panel.onDidChangeViewState(track));
    store.add(
      panel.onDidDispose(() => {
        if (this.activePanel?.panel === panel) this.activePanel = undefined;
        store.dispose();
      }),
    );
  }
}
