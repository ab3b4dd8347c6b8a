// SPDX-License-Identifier: MIT
// Entry point of dist/worker.js: a worker_threads worker that analyses one capture so the core
// never runs on the extension host's thread. One worker per analysis; the host cancels by
// terminating it, which stops the synchronous core loop mid-file.
import { parentPort } from 'node:worker_threads';
import { analyzeCapture } from '../../core/analyze.js';
import { FileSource } from '../../core/capture/byteSource.js';
import { readConnectionPackets } from '../../core/flows/connectionPackets.js';
import { renderHar } from '../../core/render/har.js';
import { renderJson } from '../../core/render/json.js';
import { renderSarif } from '../../core/render/sarif.js';
import { renderText } from '../../core/render/text.js';
import type { CaptureAnalysis } from '../../core/model.js';
import { assertNever, MessageChannel, ProtocolError } from '../../protocol/channel.js';
import type { AnalyzeRequest, FromWorker, ReportFormat, ToWorker } from '../../protocol/messages.js';
import { toAnalysisDto, toTablesDto } from './analysisDto.js';
import { describeAnalysisError, toAnalysisError } from './analysisErrors.js';
import { findingOptions } from './findingSettings.js';

/** Packets between progress checks; the time throttle below decides whether one is posted. */
const PROGRESS_CHECK_PACKETS = 2_000;
const DEFAULT_PROGRESS_INTERVAL_MS = 200;

function analyze(request: AnalyzeRequest, channel: MessageChannel<FromWorker, ToWorker>): FromWorker {
  const { filePath, fileName } = request;
  const intervalMs = request.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let source: FileSource;
  try {
    source = FileSource.open(filePath);
  } catch (e) {
    throw analysisFailure(e, fileName);
  }
  try {
    let lastPostMs = Date.now();
    // Worker postMessage is delivered without this thread yielding, so progress flows while the synchronous core runs.
    const onProgress = (doneBytes: number, totalBytes: number): void => {
      const now = Date.now();
      if (now - lastPostMs < intervalMs) return;
      lastPostMs = now;
      channel.sendEvent({ type: 'progress', doneBytes, totalBytes });
    };
    channel.sendEvent({ type: 'progress', doneBytes: 0, totalBytes: source.size });
    const analysis = analyzeCapture(source, { fileName, onProgress, progressEvery: PROGRESS_CHECK_PACKETS, findings: findingOptions(request.findingOptions) });
    channel.sendEvent({ type: 'progress', doneBytes: source.size, totalBytes: source.size });
    const reply: FromWorker = { type: 'analysisResult', analysis: toAnalysisDto(analysis, fileName, source.size), tables: toTablesDto(analysis) };
    if (request.report) reply.report = renderReport(request, analysis);
    return reply;
  } catch (e) {
    throw analysisFailure(e, fileName);
  } finally {
    source.close();
  }
}

/** renderReport renders like the CLI: the same core renderers, so an export equals `pcap-inspect --format`. */
function renderReport(request: AnalyzeRequest, analysis: CaptureAnalysis): string {
  const format: ReportFormat = request.report ?? 'text';
  const version = request.toolVersion ? { toolVersion: request.toolVersion } : {};
  switch (format) {
    case 'text':
      return renderText(analysis);
    case 'json':
      return renderJson(analysis);
    case 'har':
      // Bodies are left out, as Chrome's "Export HAR (sanitized)" does: a HAR is often shared.
      return renderHar(analysis, request.toolVersion ? { creatorVersion: request.toolVersion } : {});
    case 'sarif':
      return renderSarif(analysis, { ...version, ...(request.docsUri ? { docsUri: request.docsUri } : {}) });
    default:
      return assertNever(format);
  }
}

/** readPackets reads one connection's segments again for the ladder diagram. */
function readPackets(request: Extract<ToWorker, { type: 'readPackets' }>): FromWorker {
  let source: FileSource;
  try {
    source = FileSource.open(request.filePath);
  } catch (e) {
    throw analysisFailure(e, request.fileName);
  }
  try {
    return { type: 'packets', ...readConnectionPackets(source, request.query) };
  } catch (e) {
    throw analysisFailure(e, request.fileName);
  } finally {
    source.close();
  }
}

function analysisFailure(e: unknown, fileName: string): ProtocolError {
  const error = toAnalysisError(e, fileName);
  return new ProtocolError(error.code, describeAnalysisError(error), error);
}

function main(): void {
  const port = parentPort;
  if (!port) {
    process.stderr.write('analysisWorker: must run as a worker thread\n');
    process.exitCode = 1;
    return;
  }
  const channel: MessageChannel<FromWorker, ToWorker> = new MessageChannel<FromWorker, ToWorker>({
    post: (envelope) => port.postMessage(envelope),
    handle: (body): FromWorker | undefined => {
      switch (body.type) {
        case 'analyze':
          return analyze(body, channel);
        case 'readPackets':
          return readPackets(body);
        case 'error':
          return undefined;
        default:
          return assertNever(body);
      }
    },
    onDropped: (reason) => process.stderr.write(`analysisWorker: dropped message: ${reason}\n`),
  });
  port.on('message', (raw: unknown) => void channel.handleMessage(raw));
}

main();
