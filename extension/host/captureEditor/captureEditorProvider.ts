// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import { assertNever, MessageChannel, ProtocolError } from '../../protocol/channel.js';
import type { RevealTarget } from '../../protocol/dto.js';
import { MAX_LADDER_PACKETS, PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../../protocol/messages.js';
import { readBody } from '../bodies/bodyReader.js';
import { CaptureDiagnostics } from '../diagnostics/captureDiagnostics.js';
import { resolveReveal, type RevealRequest } from '../tables/analysisTables.js';
import { FlowExplorer, type FlowExplorerHost } from '../flowExplorer/flowExplorer.js';
import { wiresharkFilter } from '../flowExplorer/flowTree.js';
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
export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument>, FlowExplorerHost {
  private static readonly viewType = 'pcapHttpInspector.captureEditor';

  /** register registers the provider and its commands; dispose the result to unregister. */
  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
    const store = new DisposableStore();
    // The diagnostics reveal findings through the provider, which needs them first: bind late.
    const diagnostics: CaptureDiagnostics = store.add(
      new CaptureDiagnostics(context.extensionUri, { revealFinding: (uri, finding, onlyIfVisible) => provider.revealFindingIn(uri, finding, onlyIfVisible) }),
    );
    const provider: CaptureEditorProvider = new CaptureEditorProvider(context, log, diagnostics);
    store.add(provider.currentEmitter);
    store.add(provider.selectEmitter);
    store.add(provider.flowRevealEmitter);
    store.add(new FlowExplorer(provider));
    CaptureEditorProvider.instance = provider;
    store.add({ dispose: () => (CaptureEditorProvider.instance = undefined) });
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
    store.add(vscode.commands.registerCommand('pcapHttpInspector.captureEditor.revealFinding', (arg?: unknown) => provider.revealFinding(arg)));
    return store;
  }

  private static instance: CaptureEditorProvider | undefined;

  /** currentUri is the capture the user works on (see currentDocument), for commands run from the palette. */
  static currentUri(): vscode.Uri | undefined {
    return CaptureEditorProvider.instance?.currentDocument?.uri;
  }

  /** openWith opens `uri` in the capture editor. */
  static openWith(uri: vscode.Uri): Thenable<unknown> {
    return vscode.commands.executeCommand('vscode.openWith', uri, CaptureEditorProvider.viewType);
  }

  private activePanel: { panel: vscode.WebviewPanel; document: CaptureDocument } | undefined;
  /** The capture the user works on: the last one whose editor had focus, kept while the side bar has it. */
  private current: CaptureDocument | undefined;
  private readonly currentEmitter = new vscode.EventEmitter<CaptureDocument | undefined>();
  readonly onDidChangeCurrentDocument = this.currentEmitter.event;
  private readonly selectEmitter = new vscode.EventEmitter<{ document: CaptureDocument; target: RevealTarget }>();
  readonly onDidSelect = this.selectEmitter.event;
  private readonly flowRevealEmitter = new vscode.EventEmitter<{ document: CaptureDocument; target: RevealTarget }>();
  readonly onDidRequestFlowReveal = this.flowRevealEmitter.event;

  get currentDocument(): CaptureDocument | undefined {
    return this.current;
  }

  private setCurrent(document: CaptureDocument | undefined): void {
    if (this.current === document) return;
    this.current = document;
    this.currentEmitter.fire(document);
  }

  /** reveal selects `target` in the document's editors, opening one if none is ready, keeping focus where it is. */
  reveal(document: CaptureDocument, target: RevealTarget): Promise<void> {
    return this.revealFinding({ uri: document.uri, connection: target.connection, ...(target.finding !== undefined ? { finding: target.finding } : {}) }, true);
  }
  /** Open documents by URI string, with their editors and a reveal waiting for an editor to be ready. */
  private readonly documents = new Map<string, DocumentEntry>();

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly diagnostics: CaptureDiagnostics,
  ) {}

  /**
   * revealFinding selects a finding's connection in the capture editor, opening the editor if needed.
   * Argument: `{uri, finding?, connection?}` (uri as vscode.Uri or string); without a uri, the
   * active capture editor. `finding` is the finding's index in the analysis; `connection` alone selects
   * the connection.
   */
  async revealFinding(arg: unknown, preserveFocus = false): Promise<void> {
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { uri?: unknown; finding?: unknown; connection?: unknown };
    const uri = a.uri instanceof vscode.Uri ? a.uri : typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : this.activeDocument?.uri;
    const request: RevealRequest = {
      ...(isIndex(a.finding) ? { finding: a.finding } : {}),
      ...(isIndex(a.connection) ? { connection: a.connection } : {}),
    };
    if (!uri || (request.finding === undefined && request.connection === undefined)) return;
    const entry = this.documents.get(uri.toString());
    const tables = entry?.document.tables;
    const ready = entry ? [...entry.editors].filter((e) => e.isReady()) : [];
    if (tables && ready.length > 0) {
      const target = resolveReveal(request, tables);
      if (!target) return;
      for (const editor of ready) editor.reveal(target);
      ready[0]?.panel.reveal(undefined, preserveFocus);
      return;
    }
    // No editor can take it yet (not open, hidden, or still analysing): the next `init` or the end of the analysis delivers it.
    if (entry) entry.pendingReveal = request;
    else this.pendingByUri.set(uri.toString(), request);
    await vscode.commands.executeCommand('vscode.openWith', uri, CaptureEditorProvider.viewType, { preserveFocus });
  }

  /**
   * revealFindingIn selects a finding in the capture's editor. With `onlyIfVisible`, only editors
   * already on screen follow, without taking focus (the findings document's cursor drives them).
   */
  revealFindingIn(uri: vscode.Uri, finding: number, onlyIfVisible: boolean): void {
    if (!onlyIfVisible) {
      void this.revealFinding({ uri, finding });
      return;
    }
    const entry = this.documents.get(uri.toString());
    const tables = entry?.document.tables;
    if (!entry || !tables) return;
    const target = resolveReveal({ finding }, tables);
    if (!target) return;
    for (const editor of entry.editors) if (editor.isReady() && editor.panel.visible) editor.reveal(target);
  }

  /** Reveals asked for before the document was opened. */
  private readonly pendingByUri = new Map<string, RevealRequest>();

  /** activeDocument is the document of the capture editor that has focus, if any. */
  get activeDocument(): CaptureDocument | undefined {
    return this.activePanel?.panel.active ? this.activePanel.document : undefined;
  }

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    const document = new CaptureDocument(uri, {
      workerPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'worker.js').fsPath,
      log: this.log,
    });
    const key = uri.toString();
    const entry: DocumentEntry = { document, editors: new Set<EditorHandle>(), pendingReveal: this.pendingByUri.get(key) };
    this.pendingByUri.delete(key);
    this.documents.set(key, entry);
    const tracking = this.diagnostics.track(document);
    document.onDidDispose(() => {
      tracking.dispose();
      if (this.documents.get(key)?.document === document) this.documents.delete(key);
      if (this.current === document) this.setCurrent(this.activePanel?.document);
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
    const entry = this.documents.get(document.uri.toString());
    /** A pending reveal is handed to the first ready editor once the analysis is done (it needs the rows). */
    const takeReveal = (): RevealTarget | undefined => {
      const tables = document.tables;
      if (!entry?.pendingReveal || !tables) return undefined;
      const request = entry.pendingReveal;
      entry.pendingReveal = undefined;
      return resolveReveal(request, tables);
    };
    const doneTables = () => {
      const state = document.state;
      const tables = document.tables;
      if (state.status !== 'done' || !tables) throw new ProtocolError('notReady', 'no analysis result yet');
      return { tables, analysisId: state.analysisId };
    };
    const handle: EditorHandle = {
      panel,
      isReady: () => ready,
      reveal: (target) => channel.sendEvent({ type: 'reveal', target }),
    };
    entry?.editors.add(handle);
    store.add({ dispose: () => entry?.editors.delete(handle) });
    const channel = new MessageChannel<ToWebview, FromWebview>({
      post: (envelope) => panel.webview.postMessage(envelope),
      handle: (body): ToWebview | undefined | Promise<ToWebview> => {
        switch (body.type) {
          case 'ready': {
            ready = true;
            const reveal = takeReveal();
            return { type: 'init', protocolVersion: PROTOCOL_VERSION, strings: localizedStrings(), state: document.state, fileChanged: document.fileChanged, ...(reveal ? { reveal } : {}) };
          }
          case 'reanalyze':
            document.analyze();
            return { type: 'ack' };
          case 'getRows': {
            const { tables, analysisId } = doneTables();
            const { type: _type, ...query } = body;
            return { type: 'rows', analysisId, page: tables.getRows(query) };
          }
          case 'locateRow': {
            const { tables, analysisId } = doneTables();
            return { type: 'rowIndex', analysisId, index: tables.locateRow(body.table, body.id, body.sort, body.filter) };
          }
          case 'getConnection': {
            const { tables, analysisId } = doneTables();
            return { type: 'connection', analysisId, detail: tables.connectionDetail(body.connection) ?? null };
          }
          case 'getLadder': {
            const { tables, analysisId } = doneTables();
            const query = tables.ladderQuery(body.connection, MAX_LADDER_PACKETS);
            if (!query) throw new ProtocolError('notFound', `no connection ${body.connection}`);
            return document.readPackets(query).then(({ packets, truncated }): ToWebview => ({ type: 'ladder', analysisId, ladder: tables.ladder(body.connection, packets, truncated) }));
          }
          case 'getBody': {
            const { tables, analysisId } = doneTables();
            const t = tables.transaction(body.connection, body.transaction);
            if (!t) throw new ProtocolError('notFound', `no transaction ${body.transaction} on connection ${body.connection}`);
            const request = body.side === 'request';
            const maxBytes = vscode.workspace.getConfiguration('pcapHttpInspector').get<number>('maxBodyDisplayBytes', DEFAULT_MAX_BODY_DISPLAY_BYTES);
            return readBody(
              document.uri.fsPath,
              request ? t.requestBody : t.responseBody,
              (request ? t.requestBodyBytes : t.responseBodyBytes) ?? 0,
              (request ? t.requestHeaders : t.responseHeaders) ?? [],
              Math.max(1, Math.floor(maxBytes)),
            ).then(
              (b): ToWebview => ({ type: 'body', analysisId, body: b }),
              (e: unknown) => {
                throw new ProtocolError('readFailed', `${document.fileName}: could not read the body: ${e instanceof Error ? e.message : String(e)}`);
              },
            );
          }
          case 'select':
            if (entry) entry.selection = body.target;
            this.selectEmitter.fire({ document, target: body.target });
            return undefined;
          case 'action':
            if (body.action === 'revealInFlows') this.flowRevealEmitter.fire({ document, target: body.target });
            else void copyFilter(document, body.target);
            return undefined;
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
    store.add(
      document.onDidChangeState((state) => {
        if (!ready) return;
        channel.sendEvent({ type: 'analysisState', state });
        const reveal = takeReveal();
        if (reveal) channel.sendEvent({ type: 'reveal', target: reveal });
      }),
    );
    store.add(document.onDidProgress(({ doneBytes, totalBytes }) => ready && channel.sendEvent({ type: 'analysisProgress', doneBytes, totalBytes })));
    store.add(document.onDidChangeOnDisk(() => ready && channel.sendEvent({ type: 'fileChanged' })));

    const track = (): void => {
      if (panel.active) {
        this.activePanel = { panel, document };
        this.setCurrent(document);
      } else if (this.activePanel?.panel === panel) this.activePanel = undefined;
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

/** copyFilter puts the Wireshark display filter of a finding (its frames) or a connection on the clipboard. */
async function copyFilter(document: CaptureDocument, target: RevealTarget): Promise<void> {
  const tables = document.tables;
  const finding = target.finding !== undefined ? tables?.finding(target.finding) : undefined;
  const filter = finding ? wiresharkFilter({ kind: 'finding', id: '', row: finding }) : `tcp.stream eq ${target.connection}`;
  if (!filter) return;
  await vscode.env.clipboard.writeText(filter);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied Wireshark filter: {0}', filter), 4_000);
}

/** Default of the pcapHttpInspector.maxBodyDisplayBytes setting. */
const DEFAULT_MAX_BODY_DISPLAY_BYTES = 256 * 1024; // package.json's default too

/** EditorHandle is what revealFinding needs of one open capture editor. */
interface EditorHandle {
  panel: vscode.WebviewPanel;
  isReady(): boolean;
  reveal(target: RevealTarget): void;
}

/** DocumentEntry is one open capture with its editors, the user's last selection and a reveal waiting for an editor. */
interface DocumentEntry {
  document: CaptureDocument;
  editors: Set<EditorHandle>;
  pendingReveal?: RevealRequest | undefined;
  /** What the user last selected in any editor of the document (reported by `select`). */
  selection?: RevealTarget;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
