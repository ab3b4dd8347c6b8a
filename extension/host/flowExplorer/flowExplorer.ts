// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import type { RevealTarget } from '../../protocol/dto.js';
import type { CaptureDocument } from '../captureEditor/captureDocument.js';
import { DisposableStore } from '../util/dispose.js';
import { FlowTree, wiresharkFilter, type FlowNode } from './flowTree.js';

/** FlowExplorerHost is what the explorer needs of the capture editor. */
export interface FlowExplorerHost {
  /** Fires with the capture the user is working on: the last capture editor that had focus (undefined when none is open). */
  readonly onDidChangeCurrentDocument: vscode.Event<CaptureDocument | undefined>;
  readonly currentDocument: CaptureDocument | undefined;
  /** Fires when the user selects a row in a capture editor. */
  readonly onDidSelect: vscode.Event<{ document: CaptureDocument; target: RevealTarget }>;
  /** Fires when the user asks the editor to show a connection or finding in this tree. */
  readonly onDidRequestFlowReveal: vscode.Event<{ document: CaptureDocument; target: RevealTarget }>;
  /** reveal selects a connection (and finding) in the document's editor without taking focus. */
  reveal(document: CaptureDocument, target: RevealTarget): Promise<void>;
}

const SEVERITY_ICON = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
} as const;

/** Zeek states where the connection ended by a reset or never got established. */
const ABNORMAL_STATES = new Set(['REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'S0', 'OTH']);

/**
 * FlowExplorer is the side-bar tree of the current capture: server (host:port) → connection →
 * transactions → findings. Selecting a node selects it in the capture editor; selecting a row in
 * the editor reveals it here.
 */
export class FlowExplorer implements vscode.TreeDataProvider<FlowNode>, vscode.Disposable {
  static readonly viewId = 'pcapHttpInspector.flowExplorer';

  private readonly store = new DisposableStore();
  private readonly changeEmitter = this.store.add(new vscode.EventEmitter<FlowNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<FlowNode>;
  private document: CaptureDocument | undefined;
  private documentListeners: vscode.Disposable | undefined;
  private tree: FlowTree | undefined;
  /** The node being revealed because the editor selected it; its selection event must not echo back. */
  private revealing: string | undefined;

  constructor(private readonly host: FlowExplorerHost) {
    this.view = this.store.add(vscode.window.createTreeView(FlowExplorer.viewId, { treeDataProvider: this, showCollapseAll: true }));
    this.store.add(host.onDidChangeCurrentDocument((d) => this.follow(d)));
    this.store.add(host.onDidSelect(({ document, target }) => void this.revealTarget(document, target)));
    this.store.add(host.onDidRequestFlowReveal(({ document, target }) => void this.revealTarget(document, target, true)));
    this.store.add(this.view.onDidChangeSelection((e) => this.onSelection(e.selection)));
    this.follow(host.currentDocument);

    this.store.add(
      vscode.commands.registerCommand('pcapHttpInspector.flowExplorer.copyFilter', async (node?: FlowNode) => {
        const target = node ?? this.view.selection[0];
        const filter = target && wiresharkFilter(target);
        if (!filter) return;
        await vscode.env.clipboard.writeText(filter);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied Wireshark filter: {0}', filter), 4_000);
      }),
    );
    this.store.add(
      vscode.commands.registerCommand('pcapHttpInspector.flowExplorer.reveal', (node?: FlowNode) => {
        const target = node ?? this.view.selection[0];
        const reveal = target && revealTargetOf(target);
        if (reveal && this.document) void this.host.reveal(this.document, reveal);
      }),
    );
  }

  dispose(): void {
    this.documentListeners?.dispose();
    this.store.dispose();
  }

  getTreeItem(node: FlowNode): vscode.TreeItem {
    const collapsible = this.tree?.hasChildren(node) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(label(node), collapsible);
    item.id = node.id;
    item.contextValue = node.kind;
    switch (node.kind) {
      case 'server':
        item.description = vscode.l10n.t('{0} connections', node.connections) + (node.findings > 0 ? ` · ${vscode.l10n.t('{0} findings', node.findings)}` : '');
        item.iconPath = node.worstSeverity ? SEVERITY_ICON[node.worstSeverity] : new vscode.ThemeIcon('server');
        break;
      case 'connection': {
        const r = node.row;
        const parts = [r.protocol, vscode.l10n.t('{0} requests', r.requests), r.connState];
        if (r.findingCount > 0) parts.push(vscode.l10n.t('{0} findings', r.findingCount));
        item.description = parts.join(' · ');
        item.tooltip = `tcp.stream ${r.id}\n${r.client} → ${r.server}\n${r.protocol}, ${r.connState}, ${r.durationMs} ms\n${r.findingCodes.join(', ')}`;
        item.iconPath = r.worstSeverity ? SEVERITY_ICON[r.worstSeverity] : new vscode.ThemeIcon(ABNORMAL_STATES.has(r.connState) ? 'debug-disconnect' : 'plug');
        break;
      }
      case 'transaction': {
        const r = node.row;
        const total = r.responseEndMs !== undefined ? `${round(r.responseEndMs - r.requestStartMs)} ms` : vscode.l10n.t('no response');
        item.description = [r.status !== undefined ? String(r.status) : '—', total, r.streamId !== undefined ? vscode.l10n.t('stream {0}', r.streamId) : ''].filter(Boolean).join(' · ');
        item.tooltip = `${r.method} ${r.target}${r.host ? `\nHost: ${r.host}` : ''}\n${r.version}${r.status !== undefined ? ` → ${r.status}` : ''}\nframes ${r.requestFirstFrame}–${r.responseLastFrame ?? r.requestLastFrame}`;
        item.iconPath = node.worstSeverity ? SEVERITY_ICON[node.worstSeverity] : new vscode.ThemeIcon('arrow-swap');
        break;
      }
      case 'finding':
        item.description = node.row.message;
        item.tooltip = `${node.row.title}\n\n${node.row.message}`;
        item.iconPath = SEVERITY_ICON[node.row.severity];
        break;
      case 'more':
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.tooltip = vscode.l10n.t('Filter the connections table in the capture editor to see the rest.');
        break;
    }
    return item;
  }

  getChildren(node?: FlowNode): FlowNode[] {
    return this.tree?.children(node) ?? [];
  }

  getParent(node: FlowNode): FlowNode | undefined {
    return this.tree?.parentOf(node);
  }

  private follow(document: CaptureDocument | undefined): void {
    if (document === this.document) return;
    this.documentListeners?.dispose();
    this.document = document;
    const rebuild = (): void => {
      const tables = document?.tables;
      this.tree = tables ? new FlowTree(tables.connections.rows, tables.transactions, tables.findings.rows) : undefined;
      this.view.description = document?.fileName;
      this.view.message = !document
        ? vscode.l10n.t('Open a .pcap or .pcapng capture to see its servers and connections.')
        : document.state.status === 'running'
          ? vscode.l10n.t('Analyzing {0}…', document.fileName)
          : document.state.status === 'failed'
            ? vscode.l10n.t('{0} could not be analyzed.', document.fileName)
            : undefined;
      this.changeEmitter.fire(undefined);
    };
    this.documentListeners = document?.onDidChangeState(rebuild);
    rebuild();
  }

  private onSelection(selection: readonly FlowNode[]): void {
    const node = selection[0];
    if (!node || !this.document) return;
    if (node.id === this.revealing) {
      this.revealing = undefined;
      return;
    }
    const target = revealTargetOf(node);
    if (target) void this.host.reveal(this.document, target);
  }

  /**
   * revealTarget shows the editor's selection in the tree: quietly when the tree is on screen, or,
   * when the user asked for it (`focus`), by opening the view and moving focus to the node.
   */
  private async revealTarget(document: CaptureDocument, target: RevealTarget, focus = false): Promise<void> {
    if (focus && document !== this.document) this.follow(document);
    if (document !== this.document || !this.tree || (!focus && !this.view.visible)) return;
    const node = target.finding !== undefined ? this.tree.finding(target.finding) : this.tree.connection(target.connection);
    if (!node || (!focus && this.view.selection[0]?.id === node.id)) return;
    if (focus) await vscode.commands.executeCommand(`${FlowExplorer.viewId}.focus`);
    this.revealing = node.id;
    try {
      await this.view.reveal(node, { select: true, focus, expand: focus });
    } catch {
      // The tree may have been rebuilt in between; nothing to show then.
      this.revealing = undefined;
    }
  }
}

function label(node: FlowNode): string {
  switch (node.kind) {
    case 'server':
      return node.server;
    case 'connection':
      return `#${node.row.id}  ${node.row.client}`;
    case 'transaction':
      return `${node.row.method} ${node.row.target}`;
    case 'finding':
      return node.row.code;
    case 'more':
      return vscode.l10n.t('{0} more…', node.hidden);
  }
}

function revealTargetOf(node: FlowNode): RevealTarget | undefined {
  switch (node.kind) {
    case 'connection':
      return { connection: node.row.id };
    case 'transaction':
      return { connection: node.row.connection };
    case 'finding':
      return { connection: node.row.connection, finding: node.row.index };
    default:
      return undefined;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
