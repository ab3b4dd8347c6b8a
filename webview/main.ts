// SPDX-License-Identifier: MIT
// Entry point of dist/webview.js (and, through the CSS import, dist/webview.css): the capture
// editor's page. It says `ready`, renders the `init` state, then follows the host's events.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import './styles/main.css';
import { assertNever, ProtocolError } from '../extension/protocol/channel.js';
import type { AnalysisStateDto, LocalizedStrings, RevealTarget } from '../extension/protocol/dto.js';
import { PROTOCOL_VERSION, type ToWebview } from '../extension/protocol/messages.js';
import { el } from './dom.js';
import { connectToHost, type HostChannel } from './rpc.js';
import { ProgressView, renderAnalysis, renderChangedBanner, renderFailure, renderFatal } from './views/captureView.js';
import { ConnectionView } from './views/connectionView.js';
import { TablesView, type TablesState } from './views/tablesView.js';
import { vscodeApi, type WebviewApi } from './vscodeApi.js';

/** PersistedState survives the webview being hidden and shown again (no retainContextWhenHidden). */
interface PersistedState {
  scrollTop: number;
  /** Sort, filter and selection of the tables, for the analysis they were made in. */
  tables?: TablesState;
  analysisId?: number;
}

/** Shown only when the host never answered `ready`, so no localized strings exist yet. */
const NO_HOST_MESSAGE = 'The extension did not respond. Close and reopen the editor.';

/**
 * CaptureEditorApp holds the page's state and renders it.
 *
 * Call order: `start()` once; then `onMessage` for each host event. Whole-view renders happen on
 * state changes only; progress updates the existing bar in place.
 */
class CaptureEditorApp {
  private strings: LocalizedStrings | undefined;
  private state: AnalysisStateDto | undefined;
  private fileChanged = false;
  private progressView: ProgressView | undefined;
  private restoreScrollTop: number | undefined;
  private tablesView: TablesView | undefined;
  private tablesState: TablesState;
  private tablesAnalysisId: number | undefined;
  /** A reveal that arrived before the tables existed. */
  private pendingReveal: RevealTarget | undefined;
  private readonly channel: HostChannel;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: WebviewApi<PersistedState>,
  ) {
    this.channel = connectToHost(api as WebviewApi<unknown>, (body) => this.onMessage(body));
    const persisted = api.getState();
    this.restoreScrollTop = persisted?.scrollTop;
    this.tablesState = persisted?.tables ?? {};
    this.tablesAnalysisId = persisted?.analysisId;
  }

  start(): void {
    // Until `init` arrives: an unlabelled busy bar (the labels come from the host).
    this.root.replaceChildren(el('vscode-progress-bar'));
    this.trackScroll();
    this.channel.request({ type: 'ready' }, 'init').then(
      (init) => this.onInit(init),
      (e: unknown) => {
        console.error('pcap-http-inspector webview: no init', e);
        this.showFatal(e instanceof ProtocolError && e.code !== 'timeout' ? e.message : NO_HOST_MESSAGE);
      },
    );
  }

  private onInit(init: Extract<ToWebview, { type: 'init' }>): void {
    if (init.protocolVersion !== PROTOCOL_VERSION) {
      this.showFatal(init.strings.protocolMismatch);
      return;
    }
    this.strings = init.strings;
    this.state = init.state;
    this.fileChanged = init.fileChanged;
    this.pendingReveal = init.reveal;
    this.render();
  }

  private onMessage(body: ToWebview): undefined {
    switch (body.type) {
      case 'analysisState':
        this.state = body.state;
        // A new run starts from the file as it is now.
        if (body.state.status === 'running') this.fileChanged = false;
        this.render();
        return undefined;
      case 'analysisProgress':
        if (this.state?.status === 'running') {
          this.state = { status: 'running', doneBytes: body.doneBytes, totalBytes: body.totalBytes };
          this.progressView?.update(body.doneBytes, body.totalBytes);
        }
        return undefined;
      case 'fileChanged':
        this.fileChanged = true;
        this.render();
        return undefined;
      case 'reveal':
        if (this.tablesView) this.tablesView.reveal(body.target);
        else this.pendingReveal = body.target;
        return undefined;
      case 'init':
      case 'ack':
      case 'rows':
      case 'rowIndex':
      case 'connection':
      case 'body':
      case 'ladder':
      case 'error':
        // Replies; they reach `request`, not this handler, unless they arrive unasked.
        return undefined;
      default:
        return assertNever(body);
    }
  }

  private render(): void {
    const s = this.strings;
    const state = this.state;
    if (!s || !state) return;
    const scrollTop = this.restoreScrollTop ?? document.scrollingElement?.scrollTop ?? 0;
    const reanalyze = (): void => this.reanalyze();
    this.progressView = undefined;
    this.tablesView?.dispose();
    this.tablesView = undefined;
    let content: HTMLElement;
    switch (state.status) {
      case 'running':
        this.progressView = new ProgressView(s);
        this.progressView.update(state.doneBytes, state.totalBytes);
        content = this.progressView.element;
        break;
      case 'done': {
        content = renderAnalysis(s, state.analysis);
        // Created first: restoring the tables' selection shows its connection at once.
        const connection = new ConnectionView({ strings: s, channel: this.channel, analysisId: state.analysisId });
        content.append(this.createTables(s, state, connection).element, connection.element);
        break;
      }
      case 'failed':
        content = renderFailure(s, state.error, reanalyze);
        break;
      default:
        content = assertNever(state, 'analysis state');
    }
    const banner = this.fileChanged && state.status !== 'running' ? renderChangedBanner(s, reanalyze) : undefined;
    this.root.replaceChildren(...(banner ? [banner] : []), content);
    this.root.setAttribute('aria-busy', String(state.status === 'running'));
    // createTables set it above; TypeScript still narrows the field to undefined here.
    const tables = this.tablesView as TablesView | undefined;
    if (tables && this.pendingReveal) {
      tables.reveal(this.pendingReveal);
      this.pendingReveal = undefined;
    }
    if (state.status !== 'running') {
      // Restore the persisted position once, after the first real content; later renders keep the current one.
      this.restoreScrollTop = undefined;
      if (document.scrollingElement) document.scrollingElement.scrollTop = scrollTop;
    }
  }

  private createTables(s: LocalizedStrings, state: Extract<AnalysisStateDto, { status: 'done' }>, connection: ConnectionView): TablesView {
    // Sort and filter carry over to a new analysis; a selection names rows of the old one only.
    if (this.tablesAnalysisId !== state.analysisId) {
      const { selection: _dropped, ...views } = this.tablesState;
      this.tablesState = views;
      this.tablesAnalysisId = state.analysisId;
      this.persist();
    }
    this.tablesView = new TablesView({
      strings: s,
      channel: this.channel,
      analysisId: state.analysisId,
      connectionCount: state.analysis.connectionCount,
      findingCount: state.analysis.findingCount,
      initial: this.tablesState,
      onStateChange: (tables) => {
        this.tablesState = tables;
        this.persist();
      },
      onSelect: (target, finding) => connection.show(target.connection, finding?.transaction),
    });
    return this.tablesView;
  }

  private persist(): void {
    this.api.setState({ scrollTop: document.scrollingElement?.scrollTop ?? 0, tables: this.tablesState, ...(this.tablesAnalysisId !== undefined ? { analysisId: this.tablesAnalysisId } : {}) });
  }

  private reanalyze(): void {
    this.channel.request({ type: 'reanalyze' }, 'ack').catch((e: unknown) => console.error('pcap-http-inspector webview: reanalyze failed', e));
  }

  private showFatal(message: string): void {
    this.root.replaceChildren(renderFatal(message));
    this.root.setAttribute('aria-busy', 'false');
  }

  private trackScroll(): void {
    let scheduled = false;
    window.addEventListener(
      'scroll',
      () => {
        if (scheduled) return;
        scheduled = true;
        requestAnimationFrame(() => {
          scheduled = false;
          this.persist();
        });
      },
      { passive: true },
    );
  }
}

const root = document.getElementById('root');
if (root) new CaptureEditorApp(root, vscodeApi<PersistedState>()).start();
