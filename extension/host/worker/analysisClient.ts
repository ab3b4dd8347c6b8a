// SPDX-License-Identifier: MIT
// Host side of the analysis worker. Free of `vscode` so it can be exercised from plain Node.
import { Worker } from 'node:worker_threads';
import { MessageChannel, ProtocolError, assertNever } from '../../protocol/channel.js';
import type { AnalysisErrorDto, AnalysisTablesDto, CaptureAnalysisDto, ConnectionPacketsQueryDto, LadderPacketDto } from '../../protocol/dto.js';
import type { AnalyzeRequest, FromWorker, ReportFormat, ToWorker } from '../../protocol/messages.js';

/** AnalysisOutcome is how one analysis ended; `runAnalysis` never rejects. */
export type AnalysisOutcome = { ok: true; analysis: CaptureAnalysisDto; tables: AnalysisTablesDto; report?: string } | { ok: false; error: AnalysisErrorDto };

/** RunAnalysisOptions describe one analysis run. */
export interface RunAnalysisOptions {
  /** Absolute path of dist/worker.js. */
  workerPath: string;
  filePath: string;
  fileName: string;
  /** Render the analysis in this format too (the reply's `report`). */
  report?: ReportFormat;
  /** SARIF: absolute URI of docs/findings.md for the rules' helpUri. */
  docsUri?: string;
  /** The extension's version, for the HAR creator and SARIF tool. */
  toolVersion?: string;
  /** Finding thresholds that differ from the defaults (from the user's settings). */
  findingOptions?: Record<string, number>;
  /** Called at most every ~200 ms with the bytes read so far. */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Aborting terminates the worker; the outcome is then a 'cancelled' error. */
  signal?: AbortSignal;
  /** Told about dropped messages and worker stderr-worthy events (for an output channel). */
  log?: (line: string) => void;
}

/**
 * runAnalysis starts a worker, asks it to analyse one file and resolves with the result or the
 * reason it failed. The worker is always terminated before the promise settles, whatever happens:
 * reply, error reply, cancel, uncaught exception in the worker, or an unexpected exit.
 */
export function runAnalysis(options: RunAnalysisOptions): Promise<AnalysisOutcome> {
  const request: AnalyzeRequest = {
    type: 'analyze',
    filePath: options.filePath,
    fileName: options.fileName,
    ...(options.report ? { report: options.report } : {}),
    ...(options.docsUri ? { docsUri: options.docsUri } : {}),
    ...(options.toolVersion ? { toolVersion: options.toolVersion } : {}),
    ...(options.findingOptions ? { findingOptions: options.findingOptions } : {}),
  };
  return runInWorker(options, request, 'analysisResult', (reply) => ({ ok: true, analysis: reply.analysis, tables: reply.tables, ...(reply.report !== undefined ? { report: reply.report } : {}) }));
}

/** PacketsOutcome is how one `readPackets` run ended. */
export type PacketsOutcome = { ok: true; packets: LadderPacketDto[]; truncated: boolean } | { ok: false; error: AnalysisErrorDto };

/** runPackets reads one connection's packets in a worker (for the ladder diagram); like runAnalysis it never rejects. */
export function runPackets(options: WorkerRunOptions & { filePath: string; query: ConnectionPacketsQueryDto }): Promise<PacketsOutcome> {
  return runInWorker(options, { type: 'readPackets', filePath: options.filePath, fileName: options.fileName, query: options.query }, 'packets', (reply) => ({ ok: true, packets: reply.packets, truncated: reply.truncated }));
}

/** WorkerRunOptions are what every worker run needs. */
export interface WorkerRunOptions {
  workerPath: string;
  fileName: string;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** runInWorker sends one request to a fresh worker and maps its reply; the worker is terminated before the promise settles. */
function runInWorker<T extends FromWorker['type'], R>(options: WorkerRunOptions, request: ToWorker, expect: T, ok: (reply: Extract<FromWorker, { type: T }>) => R): Promise<R | { ok: false; error: AnalysisErrorDto }> {
  type Outcome = R | { ok: false; error: AnalysisErrorDto };
  const { fileName, signal, log } = options;
  const fail = (code: AnalysisErrorDto['code'], reason: string): Outcome => ({ ok: false, error: { code, fileName, reason } });
  if (signal?.aborted) return Promise.resolve(fail('cancelled', 'analysis cancelled'));

  return new Promise<Outcome>((resolve) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(options.workerPath, { stdout: false, stderr: false });
    } catch (e) {
      resolve(fail('workerCrashed', `could not start the analysis worker: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }

    const channel = new MessageChannel<ToWorker, FromWorker>({
      post: (envelope) => worker.postMessage(envelope),
      handle: (body) => {
        switch (body.type) {
          case 'progress':
            options.onProgress?.(body.doneBytes, body.totalBytes);
            return undefined;
          case 'analysisResult':
          case 'packets':
          case 'error':
            // Replies are settled by `request`; arriving here means the worker sent one unasked.
            log?.(`analysis worker sent an unrequested '${body.type}'`);
            return undefined;
          default:
            return assertNever(body);
        }
      },
      onDropped: (reason) => log?.(`analysis worker message dropped: ${reason}`),
      requestTimeoutMs: 0, // Big captures take as long as they take; the user cancels instead.
    });

    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      channel.dispose();
      worker.removeAllListeners('message');
      void worker.terminate().catch(() => undefined);
      resolve(outcome);
    };
    const onAbort = (): void => finish(fail('cancelled', 'analysis cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (raw: unknown) => void channel.handleMessage(raw));
    worker.on('messageerror', (e) => log?.(`analysis worker message could not be deserialised: ${e.message}`));
    worker.on('error', (e) => finish(fail('workerCrashed', `the analysis worker failed: ${e.message}`)));
    worker.on('exit', (exitCode) => finish(fail('workerCrashed', `the analysis worker exited unexpectedly (exit code ${exitCode})`)));

    channel.request(request, expect).then(
      (reply) => finish(ok(reply)),
      (e: unknown) => {
        if (e instanceof ProtocolError && e.analysisError) finish({ ok: false, error: e.analysisError });
        else if (e instanceof ProtocolError && e.code === 'disposed') finish(fail('cancelled', 'analysis cancelled'));
        else finish(fail('internal', e instanceof Error ? e.message : String(e)));
      },
    );
  });
}
