// SPDX-License-Identifier: MIT
// JSON payloads that cross a thread or webview boundary. Plain data only: no classes, no Maps, no
// typed arrays, so structured clone and JSON serialisation give the same result on both sides.

//#region analysis result

/** TimestampDto is an exact epoch time: whole seconds plus nanoseconds (a double would round nanoseconds away). */
export interface TimestampDto {
  sec: number;
  nanos: number;
}

/** LinkTypeDto is one LINKTYPE_ number with its display name ("ETHERNET (1)"). */
export interface LinkTypeDto {
  value: number;
  name: string;
}

/** CaptureWarningDto is a problem in the capture file itself, at an absolute byte offset. */
export interface CaptureWarningDto {
  byteOffset: number;
  message: string;
}

/** CaptureTimesDto is the capture's time span, with display text already formatted at the file's own precision. */
export interface CaptureTimesDto {
  first: TimestampDto;
  last: TimestampDto;
  /** Fractional digits the file's timestamps carry (6 µs, 9 ns). */
  precisionDigits: number;
  /** First packet time as "YYYY-MM-DD hh:mm:ss.ffffff UTC". */
  firstIsoText: string;
  /** First packet time as decimal epoch seconds ("1320279566.452687"). */
  firstEpochText: string;
  /** last − first in seconds, exact ("0.000345"). */
  durationSecondsText: string;
}

/** CaptureSummaryDto is what the capture file itself holds. */
export interface CaptureSummaryDto {
  /** File name shown to the user (a base name, never an absolute path). */
  fileName: string;
  format: 'pcap' | 'pcapng';
  linkTypes: LinkTypeDto[];
  packets: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Size of the file on disk. */
  fileSizeBytes: number;
  /** Undefined for a capture without packets. */
  times?: CaptureTimesDto;
  warnings: CaptureWarningDto[];
}

/** DecodeErrorDto is one packet whose decoding stopped, with where and why. */
export interface DecodeErrorDto {
  frame: number;
  layer: string;
  byteOffset: number;
  message: string;
}

/** DecodeSummaryDto counts what the packet decoders found. */
export interface DecodeSummaryDto {
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  other: number;
  fragments: number;
  reassembled: number;
  /** Packets whose decoding stopped, by layer, sorted by layer name. */
  errorsByLayer: { layer: string; count: number }[];
  /** The first decode errors (capped by the core). */
  errors: DecodeErrorDto[];
  notes: string[];
}

/** CaptureAnalysisDto is the whole analysis result as the webview sees it. */
export interface CaptureAnalysisDto {
  /** The core's JSON report schema version the result was built from. */
  schemaVersion: number;
  capture: CaptureSummaryDto;
  decode: DecodeSummaryDto;
  connectionCount: number;
  findingCount: number;
  /** Findings by severity, for badges. */
  findingsBySeverity: Record<SeverityDto, number>;
}

//#endregion

//#region tables

/** Severity is how bad a finding is: error breaks something, warning costs time, info is worth knowing. */
export type SeverityDto = 'error' | 'warning' | 'info';

/**
 * ConnectionRowDto is one row of the connections table: one TCP connection (Wireshark tcp.stream).
 * Bytes are payload bytes as sent, retransmissions included.
 */
export interface ConnectionRowDto {
  /** Connection id, equal to Wireshark's tcp.stream; findings refer to it. */
  id: number;
  /** "ip:port" of the client and the server ("[v6]:port" for IPv6). */
  client: string;
  server: string;
  /** Application protocol: 'http/1.1', 'h2c', 'tls', 'unknown', ... */
  protocol: string;
  requests: number;
  durationMs: number;
  /** Zeek conn_state (SF, REJ, RSTO, ...). */
  connState: string;
  bytesUp: number;
  bytesDown: number;
  retransmissions: number;
  /** Distinct finding codes on the connection, sorted. */
  findingCodes: string[];
  findingCount: number;
  /** The worst severity of the connection's findings, if any. */
  worstSeverity?: SeverityDto;
  /** Frame range and packet count (what `tcp.stream eq N` selects). */
  firstFrame: number;
  lastFrame: number;
  packets: number;
  /** Frames Wireshark would flag as retransmissions and zero windows (capped), for the ladder diagram. */
  retransmissionFrames?: number[];
  zeroWindowFrames?: number[];
}

/** ConnectionPacketsQueryDto asks for one connection's packets, by endpoints and frame range. */
export interface ConnectionPacketsQueryDto {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  firstFrame: number;
  lastFrame: number;
  max: number;
}

/** LadderPacketDto is one TCP segment for the ladder diagram (times in ms since the connection's first packet; relative seq/ack). */
export interface LadderPacketDto {
  frame: number;
  timeMs: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  length: number;
  window: number;
}

/** LadderDto is the ladder diagram's data: the packets (capped) and the frames to highlight. */
export interface LadderDto {
  connection: number;
  packets: LadderPacketDto[];
  truncated: boolean;
  retransmissionFrames: number[];
  zeroWindowFrames: number[];
  /** Evidence frames of the connection's findings, with the finding codes that name them. */
  evidence: { frame: number; codes: string[] }[];
}

/** FindingDto is one finding with its evidence and the catalog text that explains it. */
export interface FindingDto {
  /** Position in the analysis' findings (time order); stable for one analysis. */
  index: number;
  code: string;
  severity: SeverityDto;
  title: string;
  message: string;
  connection: number;
  transaction?: number;
  frames: number[];
  /** Start time as decimal epoch seconds with the capture's precision ("1320279566.452687"). */
  startEpochText: string;
  delayMs?: number;
  explanation: string;
  advice: string;
  /** Anchor in docs/findings.md (no '#'). */
  docAnchor: string;
}

/** TableId names a table the webview pages through. */
export type TableId = 'connections' | 'findings';

/** ConnectionColumn is a sortable column of the connections table. */
export type ConnectionColumn = 'id' | 'client' | 'server' | 'protocol' | 'requests' | 'durationMs' | 'connState' | 'bytesUp' | 'bytesDown' | 'retransmissions' | 'findingCount';

/** FindingColumn is a sortable column of the findings table. */
export type FindingColumn = 'index' | 'severity' | 'code' | 'connection' | 'delayMs';

/** SortSpec orders a table by one column; ties keep the table's natural order. */
export interface SortSpec {
  column: string;
  descending: boolean;
}

/** RowsPageDto is one page of a sorted, filtered table. `total` counts rows after filtering. */
export type RowsPageDto =
  | { table: 'connections'; start: number; total: number; rows: ConnectionRowDto[] }
  | { table: 'findings'; start: number; total: number; rows: FindingDto[] };

/**
 * TransactionRowDto is one HTTP request with its response (HTTP/1.x by order, HTTP/2 by stream id),
 * with its timings in milliseconds since its connection's first packet.
 */
export interface TransactionRowDto {
  connection: number;
  /** 0-based order of the request on its connection; findings refer to it. */
  index: number;
  /** HTTP/2 stream id. */
  streamId?: number;
  method: string;
  target: string;
  host?: string;
  version: string;
  status?: number;
  /** Frames of the request's first and last byte, and the response's. */
  requestFirstFrame: number;
  requestLastFrame: number;
  responseFirstFrame?: number;
  responseLastFrame?: number;
  /** Request first byte, request last byte, response first byte, response last byte (ms since the connection's first packet). */
  requestStartMs: number;
  requestEndMs: number;
  responseStartMs?: number;
  responseEndMs?: number;
  requestBodyBytes: number;
  responseBodyBytes?: number;
  /** Both messages complete. */
  complete: boolean;
  /** 1-based position in an HTTP/1.1 pipeline run (1 when not pipelined). */
  pipelinePosition: number;
  reason?: string;
  responseVersion?: string;
  /** Header fields as sent (capped, long values cut; see HEADER_LIMITS). */
  requestHeaders: HeaderDto[];
  responseHeaders?: HeaderDto[];
  /** How each body was delimited: 'content-length', 'chunked', 'close-delimited', 'none', 'h2', ... */
  requestFraming: string;
  responseFraming?: string;
  /** Content-Length when declared. */
  requestExpectedBodyBytes?: number;
  responseExpectedBodyBytes?: number;
  /** Where the bodies' payload bytes sit in the capture file, for reading them on demand. */
  requestBody?: BodyLocationDto;
  responseBody?: BodyLocationDto;
}

/** HeaderDto is one header field; `cut` tells that the value was shortened for display. */
export interface HeaderDto {
  name: string;
  value: string;
  cut?: boolean;
}

/** HEADER_LIMITS bound what one message's headers may cost in memory and on screen. */
export const HEADER_LIMITS = { fields: 100, valueChars: 4_096 } as const;

/** BodyLocationDto: file spans of a body's payload bytes, in order; `complete` is false when some bytes could not be located. */
export interface BodyLocationDto {
  spans: { fileOffset: number; length: number }[];
  complete: boolean;
}

/** BodyDto is a body read back from the capture for display, capped at the user's limit. */
export interface BodyDto {
  /** Payload bytes the message carried, and how many of them the capture file holds (located). */
  totalBytes: number;
  locatedBytes: number;
  /** Bytes shown (after decoding), at most the display limit. */
  shownBytes: number;
  /** Content-Encoding that was undone ('gzip', 'deflate', 'br'), or the reason it could not be. */
  decoded?: string;
  decodeError?: string;
  /** 'text' when the bytes are UTF-8 without control characters, else a hex dump. */
  kind: 'text' | 'hex' | 'empty';
  content: string;
}

/** ConnectionDetailDto is what the connection view shows: the row, its transactions (capped) and its findings. */
export interface ConnectionDetailDto {
  row: ConnectionRowDto;
  transactions: TransactionRowDto[];
  transactionsTotal: number;
  findings: FindingDto[];
}

/** AnalysisTablesDto holds every row of every table; it stays on the host, which serves pages of it. */
export interface AnalysisTablesDto {
  connections: ConnectionRowDto[];
  findings: FindingDto[];
  /** Every transaction, in connection order then request order. */
  transactions: TransactionRowDto[];
}

/** RevealTarget is a selection: a connection, and optionally the finding (by index) that led to it. */
export interface RevealTarget {
  connection: number;
  finding?: number;
}

//#endregion

//#region analysis errors and state

/**
 * AnalysisErrorCode says why an analysis produced no result.
 * - `fileNotFound`, `accessDenied`, `notAFile`, `readFailed`: the file system refused;
 * - `notACapture`: the bytes are not a pcap/pcapng capture that can be read at all;
 * - `unsupportedLocation`: the document is not on a file system the worker can read;
 * - `cancelled`: the user cancelled; `workerCrashed`: the worker thread died; `internal`: a bug.
 */
export type AnalysisErrorCode =
  | 'fileNotFound'
  | 'accessDenied'
  | 'notAFile'
  | 'readFailed'
  | 'notACapture'
  | 'unsupportedLocation'
  | 'cancelled'
  | 'workerCrashed'
  | 'internal';

/** AnalysisErrorDto says why a file could not be analysed: which file, where in it (if known) and why. */
export interface AnalysisErrorDto {
  code: AnalysisErrorCode;
  /** Base name of the file. */
  fileName: string;
  /** Byte offset of the fault, when the fault is in the file's content. */
  byteOffset?: number;
  /** The reason alone, e.g. "not a pcap or pcapng file (first four bytes 0x3c21444f)". */
  reason: string;
}

/** AnalysisStateDto is where one document's analysis stands. */
export type AnalysisStateDto =
  | { status: 'running'; doneBytes: number; totalBytes: number }
  /** `analysisId` distinguishes one analysis of the document from the next, so the webview drops stale pages. */
  | { status: 'done'; analysis: CaptureAnalysisDto; analysisId: number }
  | { status: 'failed'; error: AnalysisErrorDto };

//#endregion

//#region localized strings

/**
 * STRING_KEYS lists every user-visible string of the webview. The host fills them with
 * `vscode.l10n.t` and sends them in `init`, so the webview never holds English text of its own.
 * `{0}` placeholders are filled in by the webview.
 */
export const STRING_KEYS = [
  'captureHeading',
  'file',
  'format',
  'linkTypes',
  'noInterfaces',
  'packets',
  'capturedBytes',
  'fileSize',
  'firstPacket',
  'duration',
  'durationSeconds',
  'noPackets',
  'decodedHeading',
  'ipv4',
  'ipv6',
  'tcp',
  'udp',
  'otherProtocols',
  'ipFragments',
  'datagramsRebuilt',
  'undecodedHeading',
  'notesHeading',
  'connections',
  'findings',
  'fileWarningsHeading',
  'decodeErrorsHeading',
  'offset',
  'message',
  'frame',
  'layer',
  'count',
  'moreRowsNotShown',
  'firstOfTotal',
  'analyzing',
  'analyzingProgress',
  'analysisFailedHeading',
  'analysisCancelledHeading',
  'errorFile',
  'errorOffset',
  'errorReason',
  'reanalyze',
  'fileChangedOnDisk',
  'hostNotResponding',
  'protocolMismatch',
  'colStream',
  'colClient',
  'colServer',
  'colProtocol',
  'colRequests',
  'colDurationMs',
  'colState',
  'colBytesUp',
  'colBytesDown',
  'colRetransmissions',
  'colFindings',
  'colSeverity',
  'colCode',
  'colConnection',
  'colDelayMs',
  'filterConnections',
  'filterFindings',
  'noFindings',
  'noConnections',
  'noMatches',
  'loadingRows',
  'severityError',
  'severityWarning',
  'severityInfo',
  'findingExplanation',
  'findingAdvice',
  'findingFrames',
  'findingStart',
  'findingTransaction',
  'findingConnection',
  'sortBy',
  'rowsShown',
  'clearFilter',
  'connectionHeading',
  'transactionsHeading',
  'noTransactions',
  'moreTransactions',
  'phaseSend',
  'phaseBlocked',
  'phaseWait',
  'phaseReceive',
  'requestHeading',
  'responseHeading',
  'noResponse',
  'frames',
  'framing',
  'bodyBytes',
  'bodyBytesOfExpected',
  'showBody',
  'bodyShown',
  'bodyNotLocated',
  'bodyDecoded',
  'bodyDecodeFailed',
  'bodyEmpty',
  'bodyUnavailable',
  'timingsHeading',
  'streamId',
  'pipelinePosition',
  'findingsOnTransaction',
  'closeDetail',
  'headerCut',
  'copyFilter',
  'revealInFlows',
  'ladderHeading',
  'showLadder',
  'ladderTruncated',
  'ladderLoading',
  'ladderGap',
  'ladderClient',
  'ladderServer',
] as const;

/** StringKey names one localized string. */
export type StringKey = (typeof STRING_KEYS)[number];

/** LocalizedStrings maps every StringKey to its text in the display language. */
export type LocalizedStrings = Record<StringKey, string>;

//#endregion
