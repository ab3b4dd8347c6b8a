// SPDX-License-Identifier: MIT
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisStateDto, ConnectionPacketsQueryDto, LadderPacketDto } from '../../protocol/dto.js';
import { AnalysisTables } from '../tables/analysisTables.js';
import { ProtocolError } from '../../protocol/channel.js';
import { runAnalysis, runPackets } from '../worker/analysisClient.js';
import { THRESHOLDS_SECTION } from '../worker/findingSettings.js';
import { currentFindingOptions } from '../worker/findingSettingsHost.js';
import { DisposableStore } from '../util/dispose.js';

/** Analyses that finish sooner than this show no progress notification (it would only flash). */
const NOTIFICATION_DELAY_MS = 1_000;
/** File watchers fire several times per write; wait this long for them to settle. */
const CHANGE_DEBOUNCE_MS = 500;

/** CaptureDocumentContext is what a document needs from the extension. */
export interface CaptureDocumentContext {
  workerPath: string;
  log: vscode.LogOutputChannel;
}

/**
 * CaptureDocument is one capture file opened in the capture editor. It owns the file's single
 * analysis: every editor (tab, split) of the same file shares it, and a webview that is hidden and
 * shown again gets the cached result instead of a re-parse.
 *
 * Call order: `analyze()` once after construction (and again to re-analyze, which cancels a run
 * in progress); listen to the events; `dispose()` when VS Code closes the last editor.
 */
export class CaptureDocument implements vscode.CustomDocument {
  private readonly store = new DisposableStore();
  private readonly stateEmitter = this.store.add(new vscode.EventEmitter<AnalysisStateDto>());
  private readonly progressEmitter = this.store.add(new vscode.EventEmitter<{ doneBytes: number; totalBytes: number }>());
  private readonly changedOnDiskEmitter = this.store.add(new vscode.EventEmitter<void>());
  private readonly disposeEmitter = this.store.add(new vscode.EventEmitter<void>());
  private currentState: AnalysisStateDto = { status: 'running', doneBytes: 0, totalBytes: 0 };
  private run: AbortController | undefined;
  private changedOnDisk = false;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private offeringReanalyze = false;
  private currentTables: AnalysisTables | undefined;
  private analysisCount = 0;

  /** Fires when an analysis starts, finishes or fails. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires at most every ~200 ms while an analysis runs. */
  readonly onDidProgress = this.progressEmitter.event;
  /** Fires when the file changed on disk after the current analysis started. */
  readonly onDidChangeOnDisk = this.changedOnDiskEmitter.event;
  /** Fires once, when VS Code disposes the document (its last editor closed). */
  readonly onDidDispose = this.disposeEmitter.event;

  /** fileName is the base name shown to the user. */
  readonly fileName: string;

  constructor(
    readonly uri: vscode.Uri,
    private readonly context: CaptureDocumentContext,
  ) {
    this.fileName = path.posix.basename(uri.path) || uri.path;
    if (uri.scheme === 'file') this.watch();
    // New thresholds change the findings: analyse again (the file is re-read; results are not kept per threshold).
    this.store.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(THRESHOLDS_SECTION) && this.analyze()));
  }

  get state(): AnalysisStateDto {
    return this.currentState;
  }

  /** tables holds every row of the current analysis; undefined unless the state is 'done'. */
  get tables(): AnalysisTables | undefined {
    return this.currentState.status === 'done' ? this.currentTables : undefined;
  }

  get fileChanged(): boolean {
    return this.changedOnDisk;
  }

  /** analyze starts a fresh analysis in a worker, cancelling any run in progress. Never throws. */
  analyze(): void {
    this.run?.abort();
    if (this.store.isDisposed) return;
    const run = new AbortController();
    this.run = run;
    this.changedOnDisk = false;
    this.setState({ status: 'running', doneBytes: 0, totalBytes: 0 });

    if (this.uri.scheme !== 'file') {
      this.setState({
        status: 'failed',
        error: { code: 'unsupportedLocation', fileName: this.fileName, reason: vscode.l10n.t('only files on disk can be analyzed (this one is a {0} resource)', this.uri.scheme) },
      });
      return;
    }

    const finished = runAnalysis({
      workerPath: this.context.workerPath,
      filePath: this.uri.fsPath,
      fileName: this.fileName,
      findingOptions: currentFindingOptions(),
      signal: run.signal,
      onProgress: (doneBytes, totalBytes) => {
        if (this.run !== run) return;
        this.currentState = { status: 'running', doneBytes, totalBytes };
        this.progressEmitter.fire({ doneBytes, totalBytes });
      },
      log: (line) => this.context.log.warn(`${this.fileName}: ${line}`),
    }).then((outcome) => {
      if (this.run !== run || this.store.isDisposed) return;
      this.run = undefined;
      if (outcome.ok) {
        this.currentTables = new AnalysisTables(outcome.tables);
        this.setState({ status: 'done', analysis: outcome.analysis, analysisId: ++this.analysisCount });
      } else {
        if (outcome.error.code !== 'cancelled') this.context.log.warn(`analysis failed: ${outcome.error.fileName}: ${outcome.error.reason}`);
        this.setState({ status: 'failed', error: outcome.error });
      }
    });

    const timer = setTimeout(() => this.showProgressNotification(run, finished), NOTIFICATION_DELAY_MS);
    void finished.finally(() => clearTimeout(timer));
  }

  /**
   * readPackets has a worker read one connection's packets from the file (the ladder diagram).
   * Rejects with a ProtocolError naming the file when it cannot; disposing the document cancels it.
   */
  async readPackets(query: ConnectionPacketsQueryDto): Promise<{ packets: LadderPacketDto[]; truncated: boolean }> {
    const abort = new AbortController();
    const listener = this.onDidDispose(() => abort.abort());
    try {
      const outcome = await runPackets({ workerPath: this.context.workerPath, filePath: this.uri.fsPath, fileName: this.fileName, query, signal: abort.signal, log: (line) => this.context.log.warn(`${this.fileName}: ${line}`) });
      if (!outcome.ok) throw new ProtocolError(outcome.error.code, `${outcome.error.fileName}: ${outcome.error.reason}`);
      return { packets: outcome.packets, truncated: outcome.truncated };
    } finally {
      listener.dispose();
    }
  }

  /** cancel stops the analysis in progress; its state becomes a 'cancelled' failure. */
  cancel(): void {
    this.run?.abort();
  }

  dispose(): void {
    this.run?.abort();
    this.run = undefined;
    this.currentTables = undefined;
    if (this.changeTimer !== undefined) clearTimeout(this.changeTimer);
    this.disposeEmitter.fire();
    this.store.dispose();
  }

  private setState(state: AnalysisStateDto): void {
    if (state.status !== 'done') this.currentTables = undefined;
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  private showProgressNotification(run: AbortController, finished: Promise<void>): void {
    if (this.run !== run || run.signal.aborted) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Analyzing {0}', this.fileName), cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => {
          if (this.run === run) run.abort();
        });
        let reportedPercent = 0;
        const listener = this.onDidProgress(({ doneBytes, totalBytes }) => {
          if (totalBytes <= 0) return;
          const percent = Math.min(100, Math.floor((doneBytes / totalBytes) * 100));
          if (percent > reportedPercent) {
            progress.report({ increment: percent - reportedPercent, message: `${percent}%` });
            reportedPercent = percent;
          }
        });
        return finished.finally(() => listener.dispose());
      },
    );
  }

  private watch(): void {
    const dir = vscode.Uri.joinPath(this.uri, '..');
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, path.basename(this.uri.fsPath)), false, false, true));
    const onChange = (): void => {
      if (this.changeTimer !== undefined) clearTimeout(this.changeTimer);
      this.changeTimer = setTimeout(() => {
        this.changeTimer = undefined;
        this.onFileChanged();
      }, CHANGE_DEBOUNCE_MS);
    };
    this.store.add(watcher.onDidChange(onChange));
    this.store.add(watcher.onDidCreate(onChange));
  }

  private onFileChanged(): void {
    if (this.store.isDisposed) return;
    this.changedOnDisk = true;
    this.changedOnDiskEmitter.fire();
    // One notification at a time: a capture still being written changes constantly.
    if (this.offeringReanalyze) return;
    this.offeringReanalyze = true;
    const reanalyze = vscode.l10n.t('Re-analyze');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} changed on disk.', this.fileName), reanalyze).then(
      (choice) => {
        this.offeringReanalyze = false;
        // The banner in the editor may have re-analysed already; then the answer is stale.
        if (choice === reanalyze && this.changedOnDisk && !this.store.isDisposed) this.analyze();
      },
      () => {
        this.offeringReanalyze = false;
      },
    );
  }
}
