// SPDX-License-Identifier: MIT
//
// TLS record layer [RFC 8446 §5.1, RFC 5246 §6.2]: splits one direction of a TCP byte stream
// into records, without decrypting anything.
//
// Call order. The owner (TlsSession) creates one TlsRecordReader per direction and calls it in
// stream order, as the TCP reassembler delivers:
//   { push(bytes, streamOffset, at) | gap(streamOffset, length) }*  then  end(reason) once.
// The first call's streamOffset is where TLS begins: 0 normally, later when the exchange layer
// hands a connection over after an HTTP CONNECT or an Upgrade.
// From inside push/gap/end the reader calls its sink synchronously:
//   { onRecord | onAnomaly }*; nothing after end(), nor after an anomaly that stops the reader.
//
// Policies:
// - Memory. A record's payload is kept only when `keepPayload(contentType)` says so (by default
//   handshake, alert and change_cipher_spec records; application_data is counted, not kept). A
//   kept payload is a view of the caller's bytes when the whole record arrived in one push, else
//   a copy of exactly `length` bytes, which the header bounds to TLS_MAX_RECORD_LENGTH; it is
//   released as soon as onRecord returns. The key-log task will keep application_data too and
//   decrypt whole records (AEAD needs the whole ciphertext): that is why records are delivered
//   whole, with the frames their bytes came from (`chunks`).
// - Limits. A header whose length is over 2^14 + 2048 (RFC 5246 §6.2.3, the TLS 1.2 ciphertext
//   bound; RFC 8446 §5.2 allows only 2^14 + 256) is `tls.record-overflow`; a content type outside
//   20–24 or a legacy_version outside 0x0300–0x0304 is `tls.record-malformed` (`tls.not-tls` on
//   the first record of a side). All three stop the reader: without a trustworthy length there
//   is no next header to find.
// - Gaps. The record header carries the only framing: nothing in ciphertext marks where the next
//   record starts, so after bytes are lost the reader cannot resynchronise. Hence a gap that
//   reaches a record header, or crosses the end of the current record, stops the reader with
//   `tls.gap`. A gap that ends inside the current record's payload is different: the header
//   already said where the record ends, so the reader skips the missing bytes, delivers the
//   record with `missingBytes` set (and no payload), and goes on. This keeps long downloads with
//   a few lost segments (or snapped captures whose headers survived) analysable, where stopping
//   at every gap would lose the rest of such connections.
// - Alerts. A 2-byte alert record is parsed (RFC 5246 §7.2: level, description). After this side
//   sent ChangeCipherSpec, alert records are encrypted in TLS ≤ 1.2 (RFC 5246 §7.1) and are only
//   counted as encrypted; TlsSession clears `changeCipherSpecEncrypts` for TLS 1.3, where
//   ChangeCipherSpec is a no-op (RFC 8446 §5, Appendix D.4) and encrypted records all have outer
//   type application_data. A 2-byte alert is never a ciphertext (every TLS ≤ 1.2 cipher adds a
//   MAC or tag), so it is parsed even after ChangeCipherSpec.

import type { ChunkRef, ParserAnomaly, Side, StreamEnd } from '../http/streamTypes.js';
import { malformed, ok, truncated, type Decoded } from '../wire/decoded.js';
import { alertDescriptionName, tlsVersionName } from './tlsNames.js';

//#region wire format

/** TlsContentType holds the record content types of RFC 8446 §5.1 / RFC 5246 §6.2.1 (heartbeat: RFC 6520). */
export const TlsContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
} as const;

/** SSLV2_CLIENT_HELLO is the pseudo content type of a record that is an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2). */
export const SSLV2_CLIENT_HELLO = 0x80;

/** TLS_RECORD_HEADER_BYTES is the size of a record header: type, legacy_version, length (RFC 8446 §5.1). */
export const TLS_RECORD_HEADER_BYTES = 5;

/** TLS_MAX_RECORD_LENGTH is the largest record length accepted: 2^14 + 2048 (RFC 5246 §6.2.3). */
export const TLS_MAX_RECORD_LENGTH = 16384 + 2048;

/** TLS_MAX_PLAINTEXT_LENGTH is the largest plaintext fragment: 2^14 (RFC 8446 §5.1, RFC 5246 §6.2.1). */
export const TLS_MAX_PLAINTEXT_LENGTH = 16384;

/** TlsRecordHeader is the decoded 5-byte header of a TLS record. */
export interface TlsRecordHeader {
  contentType: number;
  /** legacy_record_version; 0x0301 or 0x0303 in practice, meaningless in TLS 1.3 (RFC 8446 §5.1). */
  version: number;
  /** Payload length in bytes, the header excluded. */
  length: number;
}

/** recordHeaderProblem says what is wrong with a record header's first bytes (as many as given, up to 5), or undefined. */
export function recordHeaderProblem(h: Uint8Array, offset = 0): 'content-type' | 'version' | 'length' | undefined {
  const n = h.length - offset;
  if (n >= 1) {
    const type = h[offset]!;
    if (type < TlsContentType.changeCipherSpec || type > TlsContentType.heartbeat) return 'content-type';
  }
  if (n >= 2 && h[offset + 1] !== 3) return 'version';
  if (n >= 3 && h[offset + 2]! > 4) return 'version';
  if (n >= 5 && ((h[offset + 3]! << 8) | h[offset + 4]!) > TLS_MAX_RECORD_LENGTH) return 'length';
  return undefined;
}

/** parseTlsRecordHeader decodes the record header at `offset`, checking content type, version and length. */
export function parseTlsRecordHeader(bytes: Uint8Array, offset = 0): Decoded<TlsRecordHeader> {
  if (bytes.length - offset < TLS_RECORD_HEADER_BYTES) {
    return truncated('tls', offset, TLS_RECORD_HEADER_BYTES, Math.max(0, bytes.length - offset), 'TLS record header');
  }
  // Bounds: ensured above (5 bytes from offset).
  const header: TlsRecordHeader = {
    contentType: bytes[offset]!,
    version: (bytes[offset + 1]! << 8) | bytes[offset + 2]!,
    length: (bytes[offset + 3]! << 8) | bytes[offset + 4]!,
  };
  switch (recordHeaderProblem(bytes, offset)) {
    case 'content-type':
      return malformed('tls', offset, `content type ${header.contentType} is not one of 20-24`);
    case 'version':
      return malformed('tls', offset + 1, `record version 0x${hex4(header.version)} is not 0x0300-0x0304`);
    case 'length':
      return malformed('tls', offset + 3, `record length ${header.length} exceeds 2^14 + 2048`);
    case undefined:
      return ok(header);
  }
}

//#endregion

//#region records, stats

/** RecordChunk says which chunk (frame) delivered a record's payload bytes from `payloadOffset` on. */
export interface RecordChunk {
  payloadOffset: number;
  at: ChunkRef;
}

/** TlsRecord is one complete record as delivered to a TlsRecordSink; `payload` is valid only during onRecord. */
export interface TlsRecord {
  side: Side;
  /** Record number on this side, from 0. */
  index: number;
  /** 20–24, or SSLV2_CLIENT_HELLO. */
  contentType: number;
  version: number;
  /** Payload length from the header. */
  length: number;
  /** Stream offset of the header's first byte; the payload starts `TLS_RECORD_HEADER_BYTES` later (2 for SSLv2). */
  streamOffset: number;
  /** Chunk that carried the header's first byte. */
  at: ChunkRef;
  /** Chunk that carried the record's last byte (or the last captured byte, when the end was lost in a gap). */
  endAt: ChunkRef;
  /** The payload, when kept and complete; a view valid only during onRecord. */
  payload: Uint8Array | undefined;
  /** Where each part of a kept payload came from, in payload order (empty when the payload is not kept). */
  chunks: readonly RecordChunk[];
  /** Payload bytes lost in capture gaps; when > 0, `payload` is undefined. */
  missingBytes: number;
  /** This side sent a ChangeCipherSpec before this record: in TLS ≤ 1.2 the record is encrypted (RFC 5246 §7.1). */
  afterChangeCipherSpec: boolean;
}

/** recordChunkAt gives the chunk that carried payload byte `payloadOffset` of a kept record. */
export function recordChunkAt(record: TlsRecord, payloadOffset: number): ChunkRef {
  let found = record.at;
  for (const c of record.chunks) {
    if (c.payloadOffset > payloadOffset) break;
    found = c.at;
  }
  return found;
}

/** TlsAlert is one alert a side sent: level and description when in clear, or just the fact when encrypted. */
export interface TlsAlert {
  side: Side;
  encrypted: boolean;
  /** 1 warning, 2 fatal (RFC 5246 §7.2); absent when encrypted. */
  level?: number;
  /** AlertDescription (RFC 8446 §6); absent when encrypted. */
  description?: number;
  /** RFC name of the description, e.g. `close_notify`; absent when encrypted. */
  name?: string;
  streamOffset: number;
  at: ChunkRef;
}

/** ContentTypeCount counts the records of one content type and their payload bytes (headers excluded). */
export interface ContentTypeCount {
  records: number;
  bytes: number;
}

/** TlsRecordStats are one side's record-layer totals. */
export interface TlsRecordStats {
  changeCipherSpec: ContentTypeCount;
  alert: ContentTypeCount;
  handshake: ContentTypeCount;
  applicationData: ContentTypeCount;
  heartbeat: ContentTypeCount;
  /** SSLv2-compatible ClientHello records (RFC 5246 Appendix E.2). */
  sslv2: ContentTypeCount;
  /** Chunk of the first application_data record's first byte. */
  firstApplicationDataAt?: ChunkRef;
  /** Chunk of the last application_data record's last byte. */
  lastApplicationDataAt?: ChunkRef;
  /** The first `maxAlerts` alerts. */
  alerts: TlsAlert[];
  /** All alerts, encrypted ones included. */
  alertCount: number;
  encryptedAlerts: number;
  /** Chunks of the first ChangeCipherSpec records (at most 8). */
  changeCipherSpecAt: ChunkRef[];
  /** Payload bytes lost in gaps that fell inside records (the reader went on after them). */
  gapBytes: number;
  /** Bytes of a record left unfinished when the stream ended (header included). */
  unfinishedRecordBytes: number;
  /** Code of the anomaly that stopped the reader, if one did. */
  stoppedBy?: string;
}

/** newTlsRecordStats returns zeroed stats. */
export function newTlsRecordStats(): TlsRecordStats {
  const zero = (): ContentTypeCount => ({ records: 0, bytes: 0 });
  return {
    changeCipherSpec: zero(),
    alert: zero(),
    handshake: zero(),
    applicationData: zero(),
    heartbeat: zero(),
    sslv2: zero(),
    alerts: [],
    alertCount: 0,
    encryptedAlerts: 0,
    changeCipherSpecAt: [],
    gapBytes: 0,
    unfinishedRecordBytes: 0,
  };
}

//#endregion

//#region reader

/** TlsRecordSink receives a TlsRecordReader's records and anomalies (call order at the top of tlsRecords.ts). */
export interface TlsRecordSink {
  onRecord(record: TlsRecord): void;
  onAnomaly(anomaly: ParserAnomaly): void;
}

/** TlsRecordReaderOptions tune what a TlsRecordReader keeps. */
export interface TlsRecordReaderOptions {
  /** Whether to keep (and deliver) the payload of records of a content type. Default: all but application_data and heartbeat. */
  keepPayload?: (contentType: number) => boolean;
  /** How many alerts `stats.alerts` lists (all are counted). Default 16. */
  maxAlerts?: number;
}

const MAX_CCS_REFS = 8;
const EMPTY = new Uint8Array(0);

function defaultKeep(contentType: number): boolean {
  return contentType !== TlsContentType.applicationData && contentType !== TlsContentType.heartbeat;
}

interface OpenRecord {
  contentType: number;
  version: number;
  length: number;
  streamOffset: number;
  /** Stream offset of the first payload byte. */
  payloadStart: number;
  at: ChunkRef;
  lastAt: ChunkRef;
  fill: number;
  keep: boolean;
  view: Uint8Array | undefined;
  buf: Uint8Array | undefined;
  chunks: RecordChunk[];
  missing: number;
}

/** TlsRecordReader splits one direction's byte stream into TLS records (call order and policies at the top of tlsRecords.ts). */
export class TlsRecordReader {
  /** Totals so far; the reader updates them in place. */
  readonly stats: TlsRecordStats = newTlsRecordStats();
  /**
   * Whether records after this side's ChangeCipherSpec are encrypted (TLS ≤ 1.2). TlsSession sets it to
   * false once TLS 1.3 is negotiated: there ChangeCipherSpec is a compatibility no-op (RFC 8446 Appendix D.4).
   */
  changeCipherSpecEncrypts = true;

  private readonly keep: (contentType: number) => boolean;
  private readonly maxAlerts: number;
  private readonly header = new Uint8Array(TLS_RECORD_HEADER_BYTES);
  private headerFill = 0;
  private headerOffset = 0;
  private headerAt: ChunkRef | undefined;
  private rec: OpenRecord | undefined;
  /** Next stream offset expected; -1 until the first push or gap anchors the stream. */
  private nextOffset = -1;
  private records = 0;
  private ccsSeen = false;
  private state: 'open' | 'stopped' | 'ended' = 'open';

  constructor(
    readonly side: Side,
    private readonly sink: TlsRecordSink,
    options: TlsRecordReaderOptions = {},
  ) {
    this.keep = options.keepPayload ?? defaultKeep;
    this.maxAlerts = options.maxAlerts ?? 16;
  }

  /** stopped says whether the reader gave up on this side (see `stats.stoppedBy`) or the stream ended. */
  get stopped(): boolean {
    return this.state !== 'open';
  }

  /** recordCount is the number of complete records delivered. */
  get recordCount(): number {
    return this.records;
  }

  /** push hands over the next bytes of the stream, all from the chunk `at`; `bytes` is read only during the call. */
  push(bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    if (this.state !== 'open' || bytes.length === 0) return;
    if (this.nextOffset < 0) this.nextOffset = streamOffset;
    if (streamOffset > this.nextOffset) {
      // The TCP layer reports holes with gap(); a jump in offsets without one is treated the same way.
      this.gap(this.nextOffset, streamOffset - this.nextOffset);
      if (this.state !== 'open') return;
    }
    // Bytes before nextOffset were delivered already (overlap): skip them.
    let i = Math.max(0, this.nextOffset - streamOffset);
    if (i >= bytes.length) return;
    this.nextOffset = streamOffset + bytes.length;
    while (i < bytes.length && this.state === 'open') {
      const rec = this.rec;
      if (rec === undefined) {
        if (this.headerFill === 0) {
          this.headerOffset = streamOffset + i;
          this.headerAt = at;
        }
        const take = Math.min(TLS_RECORD_HEADER_BYTES - this.headerFill, bytes.length - i);
        this.header.set(bytes.subarray(i, i + take), this.headerFill);
        this.headerFill += take;
        i += take;
        if (this.headerFill === TLS_RECORD_HEADER_BYTES) this.openRecord(at);
        continue;
      }
      const take = Math.min(rec.length - rec.fill, bytes.length - i);
      if (rec.keep && rec.missing === 0) {
        if (rec.fill === 0 && take === rec.length) {
          rec.view = bytes.subarray(i, i + take); // whole record in this push: no copy
        } else {
          // Bounds: rec.length ≤ TLS_MAX_RECORD_LENGTH (checked in openRecord), fill + take ≤ length.
          rec.buf ??= new Uint8Array(rec.length);
          rec.buf.set(bytes.subarray(i, i + take), rec.fill);
        }
        rec.chunks.push({ payloadOffset: rec.fill, at });
      }
      rec.fill += take;
      rec.lastAt = at;
      i += take;
      if (rec.fill === rec.length) this.closeRecord(at);
    }
  }

  /** gap says the next `length` bytes from `streamOffset` were sent but not captured (policy at the top of the file). */
  gap(streamOffset: number, length: number): void {
    if (this.state !== 'open' || length <= 0) return;
    if (this.nextOffset < 0) this.nextOffset = streamOffset;
    const end = streamOffset + length;
    if (end <= this.nextOffset) return;
    // A hole between nextOffset and streamOffset is missing too.
    const missing = end - this.nextOffset;
    const from = this.nextOffset;
    this.nextOffset = end;
    const rec = this.rec;
    if (rec !== undefined && missing <= rec.length - rec.fill) {
      // Bounds: the gap ends inside this record, whose end the header gave, so the next header is still found.
      rec.missing += missing;
      rec.fill += missing;
      rec.view = undefined;
      rec.buf = undefined;
      rec.chunks = [];
      this.stats.gapBytes += missing;
      if (rec.fill === rec.length) this.closeRecord(rec.lastAt);
      return;
    }
    this.stop(
      'tls.gap',
      from,
      this.rec?.lastAt ?? this.headerAt,
      `${missing} bytes were not captured at stream offset ${from}; TLS records cannot be found after a gap, parsing of this direction stops`,
    );
  }

  /** end says the stream ended; a record left unfinished by a FIN is `tls.truncated-record`. */
  end(reason: StreamEnd): void {
    if (this.state === 'ended') return;
    const wasOpen = this.state === 'open';
    this.state = 'ended';
    if (!wasOpen) return;
    const rec = this.rec;
    const unfinished = rec !== undefined ? rec.payloadStart - rec.streamOffset + rec.fill : this.headerFill;
    const notTls = rec === undefined && this.records === 0 && recordHeaderProblem(this.header.subarray(0, this.headerFill)) !== undefined;
    this.release();
    if (unfinished === 0) return;
    this.stats.unfinishedRecordBytes = unfinished;
    if (notTls) {
      this.anomaly('tls.not-tls', this.headerOffset, this.headerAt, `the stream's ${unfinished} bytes do not start a TLS record`);
      this.stats.stoppedBy = 'tls.not-tls';
      return;
    }
    if (reason === 'fin') {
      this.anomaly(
        'tls.truncated-record',
        rec?.streamOffset ?? this.headerOffset,
        rec?.lastAt ?? this.headerAt,
        rec !== undefined
          ? `the sender closed the connection ${rec.length - rec.fill} bytes before the end of a ${rec.length}-byte record`
          : `the sender closed the connection inside a record header (${unfinished} of 5 bytes)`,
      );
    }
  }

  private openRecord(at: ChunkRef): void {
    const h = this.header;
    const headerAt = this.headerAt ?? at;
    // RFC 5246 Appendix E.2: an SSLv2-compatible ClientHello starts with a 2-byte length whose high bit is set,
    // then msg_type 1 and a version; it can only be the first record a client sends.
    if (this.records === 0 && (h[0]! & 0x80) !== 0) {
      const length = ((h[0]! & 0x7f) << 8) | h[1]!;
      const version = (h[3]! << 8) | h[4]!;
      if (h[2] === 1 && (version === 0x0002 || h[3] === 3) && length >= 9) {
        this.anomaly(
          'tls.sslv2-client-hello',
          this.headerOffset,
          headerAt,
          `SSLv2-compatible ClientHello offering ${tlsVersionName(version)} (RFC 5246 Appendix E.2; RFC 6176 prohibits SSL 2.0)`,
        );
        const buf = new Uint8Array(length);
        buf.set(h.subarray(2, 5), 0);
        this.rec = {
          contentType: SSLV2_CLIENT_HELLO,
          version,
          length,
          streamOffset: this.headerOffset,
          payloadStart: this.headerOffset + 2,
          at: headerAt,
          lastAt: at,
          fill: 3,
          keep: true,
          view: undefined,
          buf,
          chunks: [{ payloadOffset: 0, at: headerAt }],
          missing: 0,
        };
        return;
      }
    }
    const problem = recordHeaderProblem(h);
    const type = h[0]!;
    const version = (h[1]! << 8) | h[2]!;
    const length = (h[3]! << 8) | h[4]!;
    if (problem === 'length') {
      this.stop('tls.record-overflow', this.headerOffset + 3, headerAt, `record length ${length} exceeds 2^14 + 2048 (RFC 5246 §6.2.3)`);
      return;
    }
    if (problem !== undefined) {
      const what =
        problem === 'content-type' ? `content type ${type} is not one of 20-24` : `record version 0x${hex4(version)} is not 0x0300-0x0304`;
      if (this.records === 0) this.stop('tls.not-tls', this.headerOffset, headerAt, `not a TLS record: ${what}`);
      else this.stop('tls.record-malformed', this.headerOffset, headerAt, `${what} (RFC 8446 §5.1)`);
      return;
    }
    this.rec = {
      contentType: type,
      version,
      length,
      streamOffset: this.headerOffset,
      payloadStart: this.headerOffset + TLS_RECORD_HEADER_BYTES,
      at: headerAt,
      lastAt: at,
      fill: 0,
      keep: this.keep(type),
      view: undefined,
      buf: undefined,
      chunks: [],
      missing: 0,
    };
    if (length === 0) this.closeRecord(at);
  }

  private closeRecord(endAt: ChunkRef): void {
    const rec = this.rec!;
    this.rec = undefined;
    this.headerFill = 0;
    const payload = rec.missing > 0 || !rec.keep ? undefined : (rec.view ?? rec.buf ?? EMPTY);
    const record: TlsRecord = {
      side: this.side,
      index: this.records++,
      contentType: rec.contentType,
      version: rec.version,
      length: rec.length,
      streamOffset: rec.streamOffset,
      at: rec.at,
      endAt,
      payload,
      chunks: rec.chunks,
      missingBytes: rec.missing,
      afterChangeCipherSpec: this.ccsSeen,
    };
    const s = this.stats;
    switch (rec.contentType) {
      case TlsContentType.changeCipherSpec:
        count(s.changeCipherSpec, rec.length);
        if (s.changeCipherSpecAt.length < MAX_CCS_REFS) s.changeCipherSpecAt.push(rec.at);
        // RFC 5246 §7.1, RFC 8446 §5: the message is the single byte 1.
        if (payload !== undefined && (payload.length !== 1 || payload[0] !== 1)) {
          this.anomaly('tls.ccs-malformed', rec.payloadStart, rec.at, `ChangeCipherSpec payload is ${payload.length} bytes, not the single byte 0x01`);
        }
        break;
      case TlsContentType.alert:
        count(s.alert, rec.length);
        this.alertRecord(record, rec.payloadStart);
        break;
      case TlsContentType.handshake:
        count(s.handshake, rec.length);
        break;
      case TlsContentType.applicationData:
        count(s.applicationData, rec.length);
        s.firstApplicationDataAt ??= rec.at;
        s.lastApplicationDataAt = endAt;
        break;
      case TlsContentType.heartbeat:
        count(s.heartbeat, rec.length);
        break;
      case SSLV2_CLIENT_HELLO:
        count(s.sslv2, rec.length);
        break;
    }
    this.sink.onRecord(record);
    if (rec.contentType === TlsContentType.changeCipherSpec) this.ccsSeen = true;
  }

  private alertRecord(record: TlsRecord, payloadStart: number): void {
    const s = this.stats;
    const p = record.payload;
    if (record.missingBytes > 0) return;
    if (record.afterChangeCipherSpec && this.changeCipherSpecEncrypts && record.length !== 2) {
      s.alertCount++;
      s.encryptedAlerts++;
      this.addAlert({ side: this.side, encrypted: true, streamOffset: record.streamOffset, at: record.at });
      return;
    }
    if (p === undefined) return;
    // RFC 5246 §7.2: an alert is level (1 byte) and description (1 byte); RFC 8446 §5.1 forbids coalescing them.
    if (p.length !== 2) {
      this.anomaly('tls.alert-malformed', payloadStart, record.at, `alert record of ${p.length} bytes; an alert is 2 bytes`);
    }
    for (let j = 0; j + 1 < p.length; j += 2) {
      const level = p[j]!;
      const description = p[j + 1]!;
      s.alertCount++;
      this.addAlert({
        side: this.side,
        encrypted: false,
        level,
        description,
        name: alertDescriptionName(description),
        streamOffset: payloadStart + j,
        at: recordChunkAt(record, j),
      });
    }
  }

  private addAlert(alert: TlsAlert): void {
    if (this.stats.alerts.length < this.maxAlerts) this.stats.alerts.push(alert);
  }

  private stop(code: string, offset: number, at: ChunkRef | undefined, message: string): void {
    this.anomaly(code, offset, at, message);
    this.stats.stoppedBy = code;
    this.state = 'stopped';
    this.release();
  }

  private release(): void {
    this.rec = undefined;
    this.headerFill = 0;
  }

  private anomaly(code: string, offset: number, at: ChunkRef | undefined, message: string): void {
    this.sink.onAnomaly(at === undefined ? { code, offset, message } : { code, offset, at, message });
  }
}

//#endregion

function count(c: ContentTypeCount, bytes: number): void {
  c.records++;
  c.bytes += bytes;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
