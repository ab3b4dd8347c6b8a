// SPDX-License-Identifier: MIT
// The typed contract between the extension host, the webview and the analysis worker.
// Imports nothing but dto.ts: the host (Node), the webview (browser) and the worker all compile it.
import type { AnalysisErrorDto, AnalysisStateDto, AnalysisTablesDto, BodyDto, CaptureAnalysisDto, ConnectionDetailDto, ConnectionPacketsQueryDto, LadderDto, LadderPacketDto, LocalizedStrings, RevealTarget, RowsPageDto, SortSpec, TableId } from './dto.js';

/** PROTOCOL_VERSION is bumped on any incompatible change to the messages below. */
export const PROTOCOL_VERSION = 3;

//#region envelope

/**
 * Envelope wraps every message on every channel.
 *
 * `messageId` is unique per sender. A reply carries the id of the request it answers in `inReplyTo`.
 * `request` marks a message that must be answered: the receiver always replies, with the result or
 * with an `error` body, so a request never hangs (hexeditor's protocol never rejected, so a throwing
 * handler left the caller waiting forever).
 */
export interface Envelope<T> {
  messageId: number;
  inReplyTo?: number;
  request?: true;
  body: T;
}

/**
 * ChannelErrorCode says why a request failed.
 * - `unknownMessage`: the receiver does not know the body's `type`;
 * - `badMessage`: the envelope or body is malformed;
 * - `noReply`: the receiver's handler gave no answer to a request;
 * - `unexpectedReply`: the answer had the wrong `type`;
 * - `handlerFailed`: the receiver's handler threw;
 * - `notReady`: the receiver cannot answer yet (rows asked for before an analysis finished);
 * - `notFound`: the request names something the analysis does not have;
 * - `timeout`: no answer in time; `disposed`: the channel closed first.
 */
export type ChannelErrorCode = 'unknownMessage' | 'badMessage' | 'noReply' | 'unexpectedReply' | 'handlerFailed' | 'notReady' | 'notFound' | 'timeout' | 'disposed';

/** ErrorCode is any code an `error` reply can carry. */
export type ErrorCode = ChannelErrorCode | AnalysisErrorDto['code'];

/** ErrorBody is the reply to a request that failed. Sent by whichever side received the request. */
export interface ErrorBody {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** Set when the failure is an analysis error, so the receiver can show file, offset and reason. */
  analysisError?: AnalysisErrorDto;
}

//#endregion

//#region host -> webview

/**
 * ToWebview is every message the host sends to a capture editor webview.
 * - `init`: reply to `ready`; everything the first paint needs.
 * - `ack`: reply to a request that has nothing else to say (`reanalyze`).
 * - `analysisState`: event, sent when an analysis starts, finishes or fails.
 * - `analysisProgress`: event, at most one every ~200 ms while an analysis runs.
 * - `fileChanged`: event, sent when the file changed on disk after it was analysed.
 * - `rows`: reply to `getRows`; `analysisId` names the analysis the page was cut from.
 * - `rowIndex`: reply to `locateRow`; -1 when the row is not in the sorted, filtered view.
 * - `reveal`: event, sent when a command (revealFinding) asks the editor to select something;
 *   a reveal asked for before `ready` travels in `init` instead.
 * - `error`: reply to a request that failed.
 */
export type ToWebview =
  | { type: 'init'; protocolVersion: number; strings: LocalizedStrings; state: AnalysisStateDto; fileChanged: boolean; reveal?: RevealTarget }
  | { type: 'ack' }
  | { type: 'rows'; analysisId: number; page: RowsPageDto }
  | { type: 'rowIndex'; analysisId: number; index: number }
  | { type: 'connection'; analysisId: number; detail: ConnectionDetailDto | null }
  | { type: 'body'; analysisId: number; body: BodyDto }
  | { type: 'ladder'; analysisId: number; ladder: LadderDto }
  | { type: 'reveal'; target: RevealTarget }
  | { type: 'analysisState'; state: AnalysisStateDto }
  | { type: 'analysisProgress'; doneBytes: number; totalBytes: number }
  | { type: 'fileChanged' }
  | ErrorBody;

//#endregion

//#region webview -> host

/**
 * FromWebview is every message a capture editor webview sends to the host.
 * - `ready`: request, sent once the webview script has loaded; answered by `init`.
 * - `reanalyze`: request, sent when the user asks to analyse the file again; answered by `ack`.
 * - `getRows`: request, sent when a table needs rows it has not cached; answered by `rows`
 *   (or `error` while no analysis is done). The host sorts and filters its cached rows.
 * - `locateRow`: request, sent to scroll a table to one row (a connection picked from a finding);
 *   answered by `rowIndex`. `id` is the connection id or the finding index.
 * - `getConnection`: request, sent when the user opens a connection; answered by `connection`
 *   (its row, transactions with headers and timings, findings; null for an unknown id).
 * - `getBody`: request, sent when the user asks to see a body; answered by `body`: the host reads
 *   it from the capture file by the recorded spans, capped at the display limit setting.
 * - `getLadder`: request, sent when the user opens a connection's packets; answered by `ladder`:
 *   the host has a worker read the connection's packets from the file (at most MAX_LADDER_PACKETS).
 * - `select`: event, sent when the user selects a connection or finding (the host remembers it).
 * - `action`: event, sent when the user asks to copy the Wireshark display filter of a connection
 *   or finding (the host writes the clipboard) or to reveal it in the flow explorer.
 * - `error`: reply to a host request that failed (the host sends none yet; kept for symmetry).
 */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reanalyze' }
  | ({ type: 'getRows' } & RowsQuery)
  | { type: 'locateRow'; table: TableId; id: number; sort?: SortSpec; filter?: string }
  | { type: 'getConnection'; connection: number }
  | { type: 'getBody'; connection: number; transaction: number; side: 'request' | 'response' }
  | { type: 'getLadder'; connection: number }
  | { type: 'select'; target: RevealTarget }
  | { type: 'action'; action: 'copyFilter' | 'revealInFlows'; target: RevealTarget }
  | ErrorBody;

/** MAX_LADDER_PACKETS bounds one ladder diagram. */
export const MAX_LADDER_PACKETS = 2_000;

/** MAX_DETAIL_TRANSACTIONS bounds the transactions one `connection` reply carries. */
export const MAX_DETAIL_TRANSACTIONS = 1_000;

/** RowsQuery asks for `count` rows from `start` of a table after filtering and sorting. */
export interface RowsQuery {
  table: TableId;
  start: number;
  count: number;
  sort?: SortSpec;
  /** Case-insensitive substring; empty or absent keeps every row. */
  filter?: string;
}

/** MAX_PAGE_ROWS bounds one `getRows` answer, whatever `count` asks for. */
export const MAX_PAGE_ROWS = 500;

//#endregion

//#region host -> worker

/** ReportFormat is a rendering of a whole analysis, shared with the CLI's --format. */
export type ReportFormat = 'text' | 'json' | 'har' | 'sarif';

/** AnalyzeRequest asks the worker to analyse one file. */
export interface AnalyzeRequest {
  type: 'analyze';
  /** Absolute path on the worker's file system. */
  filePath: string;
  /** Base name used in results and messages. */
  fileName: string;
  /** Also render the analysis in this format (as the CLI would print it) into the reply's `report`. */
  report?: ReportFormat;
  /** Minimum milliseconds between `progress` events (default 200). */
  progressIntervalMs?: number;
  /** SARIF: absolute URI of docs/findings.md, for each rule's helpUri. */
  docsUri?: string;
  /** The extension's version, written as the HAR creator and SARIF tool version. */
  toolVersion?: string;
  /** Finding thresholds that differ from the core's defaults (the user's settings). */
  findingOptions?: Record<string, number>;
}

/**
 * ToWorker is every message the host sends to the analysis worker.
 * - `analyze`: request, sent once per worker; answered by `analysisResult` or by `error`
 *   (whose `analysisError` names the file, offset and reason). Cancel by terminating the worker.
 * - `readPackets`: request, sent once per worker; answered by `packets` (one connection's TCP
 *   segments for the ladder diagram) or by `error`.
 */
export type ToWorker = AnalyzeRequest | { type: 'readPackets'; filePath: string; fileName: string; query: ConnectionPacketsQueryDto } | ErrorBody;

//#endregion

//#region worker -> host

/**
 * FromWorker is every message the analysis worker sends to the host.
 * - `progress`: event, at most one per `progressIntervalMs` while reading the file.
 * - `analysisResult`: reply to `analyze`.
 * - `error`: reply to `analyze` when the file could not be analysed.
 */
export type FromWorker =
  | { type: 'progress'; doneBytes: number; totalBytes: number }
  | { type: 'analysisResult'; analysis: CaptureAnalysisDto; tables: AnalysisTablesDto; report?: string }
  | { type: 'packets'; packets: LadderPacketDto[]; truncated: boolean }
  | ErrorBody;

//#endregion

//#region guards

/** isEnvelope checks the shape every channel relies on before a message is dispatched. */
export function isEnvelope(value: unknown): value is Envelope<{ type: string }> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.messageId !== 'number' || !Number.isInteger(v.messageId)) return false;
  if (v.inReplyTo !== undefined && (typeof v.inReplyTo !== 'number' || !Number.isInteger(v.inReplyTo))) return false;
  if (v.request !== undefined && v.request !== true) return false;
  const body = v.body;
  return typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>).type === 'string';
}

//#endregion
