// SPDX-License-Identifier: MIT
//
// TlsSession combines both directions of one TCP connection into TLS metadata (TlsInfo), without
// decrypting: versions, cipher suite, SNI, ALPN, randoms, resumption, timings, alerts, volumes.
//
// Call order. The exchange layer, once `looksLikeTls` accepted the connection's first bytes, feeds
// each direction in stream order as the TCP layer delivers it (side 0 client→server, 1
// server→client); calls for the two sides interleave in capture order:
//   { push(side, bytes, streamOffset, at) | gap(side, streamOffset, length) }*  then  end(side, reason) once per side
// A side's first call may start at any stream offset (TLS after an HTTP CONNECT starts where the
// 200 response ended). info() may be called at any time and returns a snapshot. Nothing throws:
// malformed input becomes anomalies (stable codes, listed below) and parsing of the affected side
// stops or goes on as the layers describe.
//
// Timing (all ChunkRefs point at the frame that carried the byte):
// - clientHelloAt: first byte of the first ClientHello, when the client started the handshake.
// - serverHelloAt: first byte of the ServerHello (after any HelloRetryRequest).
// - handshakeDoneAt, TLS ≤ 1.2: the last byte of the second of the two Finished messages, i.e. the
//   first handshake record each side sends after its ChangeCipherSpec (RFC 5246 §7.4.9). In a full
//   handshake that is the server's Finished, in an abbreviated (resumed) one the client's.
// - handshakeDoneAt, TLS 1.3: Finished is encrypted, so the proxy is the first byte of the client's
//   first application_data record sent after the server's first flight (its ServerHello and at
//   least one encrypted record): that record carries the client's Finished (RFC 8446 §2, Figure 1),
//   usually in the same segment as the first request. 0-RTT data sent before the ServerHello is
//   not counted.
// - handshakeMs = handshakeDoneAt − clientHelloAt.
//
// Anomaly codes: tls.not-tls, tls.sslv2-client-hello, tls.record-overflow, tls.record-malformed,
// tls.gap, tls.truncated-record, tls.truncated-handshake, tls.ccs-malformed, tls.alert-malformed,
// tls.handshake-too-large, tls.client-hello-malformed, tls.server-hello-malformed,
// tls.extension-overflow, tls.extension-duplicate, tls.extension-malformed, tls.sni-malformed,
// tls.alpn-malformed, tls.unexpected-handshake, tls.downgrade-sentinel.

import type { ChunkRef, ParserAnomaly, Side, StreamEnd } from '../http/streamTypes.js';
import {
  HandshakeReader,
  HandshakeType,
  isTls13Hello,
  negotiatedVersion,
  parseClientHello,
  parseServerHello,
  parseSslv2ClientHello,
  type ClientHello,
  type HandshakeMessage,
  type HelloProblem,
  type ParsedHello,
  type ServerHello,
} from './tlsHandshake.js';
import { cipherSuiteName, handshakeTypeName, isTls13Version, tlsVersionName } from './tlsNames.js';
import {
  SSLV2_CLIENT_HELLO,
  TLS_MAX_PLAINTEXT_LENGTH,
  TlsContentType,
  TlsRecordReader,
  type TlsAlert,
  type TlsRecord,
  type TlsRecordStats,
} from './tlsRecords.js';

/** HandshakeMessageSeen is a plaintext handshake message a side sent: type, size and where it completed. */
export interface HandshakeMessageSeen {
  side: Side;
  type: number;
  name: string;
  length: number;
  at: ChunkRef;
}

/** TlsInfo is the TLS metadata of one connection (field timing rules at the top of tlsSession.ts). */
export interface TlsInfo {
  /** Negotiated version: supported_versions of the ServerHello when present, else its legacy_version ('TLS 1.3', 'TLS 1.2', …). */
  version?: string;
  versionCode?: number;
  cipherSuite?: { code: number; name: string };
  /** server_name host_name the client sent (RFC 6066 §3). */
  sni?: string;
  /** ALPN protocols the client offered (RFC 7301). */
  alpnOffered: string[];
  /** ALPN protocol the server chose; unknown (undefined) in TLS 1.3, where it travels encrypted in EncryptedExtensions. */
  alpn?: string;
  /** ClientHello.random, hex: the key of CLIENT_RANDOM lines in key-log files. */
  clientRandom?: string;
  serverRandom?: string;
  /** TLS ≤ 1.2: the server echoed the client's non-empty session id; TLS 1.3: the server accepted a pre_shared_key. */
  sessionResumed: boolean;
  helloRetryRequest: boolean;
  clientHelloAt?: ChunkRef;
  serverHelloAt?: ChunkRef;
  handshakeDoneAt?: ChunkRef;
  handshakeMs?: number;
  /** Alerts of both sides in capture order (each side lists at most 16). */
  alerts: TlsAlert[];
  /** application_data records and payload bytes per side; in TLS 1.3 they include the encrypted handshake messages. */
  applicationData: { clientBytes: number; serverBytes: number; clientRecords: number; serverRecords: number };
  anomalies: ParserAnomaly[];
  /** Anomalies not listed because the list was full. */
  anomaliesDropped: number;
  /** TLS ≤ 1.2 flight facts: the server sent a Certificate / ServerHelloDone in clear. */
  serverCertificate: boolean;
  serverHelloDone: boolean;
  /** TLS ≤ 1.2: the first handshake record after each side's ChangeCipherSpec (its Finished). */
  clientFinishedAt?: ChunkRef;
  serverFinishedAt?: ChunkRef;
  /** The first plaintext handshake messages of both sides, in arrival order (at most 32). */
  handshakeMessages: HandshakeMessageSeen[];
  /** The first ClientHello and the ServerHello (not the HelloRetryRequest), as parsed. */
  clientHello?: ClientHello;
  serverHello?: ServerHello;
  records: { client: TlsRecordStats; server: TlsRecordStats };
}

/** TlsSessionOptions hook a TlsSession for the later decryption layer. */
export interface TlsSessionOptions {
  /** Called for every record of either side, after the session has used it; `record.payload` is valid only during the call. */
  onRecord?: (record: TlsRecord) => void;
  /** Which records' payloads the record readers keep (see TlsRecordReaderOptions); handshake records must stay kept. */
  keepPayload?: (contentType: number) => boolean;
  /** Cap on listed anomalies. Default 64. */
  maxAnomalies?: number;
}

const MAX_MESSAGES_SEEN = 32;

/** TlsSession turns both directions of a TLS connection into TlsInfo (call order and rules at the top of tlsSession.ts). */
export class TlsSession {
  private readonly readers: [TlsRecordReader, TlsRecordReader];
  private readonly handshakes: [HandshakeReader, HandshakeReader];
  private readonly anomalies: ParserAnomaly[] = [];
  private anomaliesDropped = 0;
  private readonly maxAnomalies: number;
  private readonly onRecordHook: ((record: TlsRecord) => void) | undefined;
  private readonly messagesSeen: HandshakeMessageSeen[] = [];

  private clientHello: ClientHello | undefined;
  private clientHellos = 0;
  private serverHello: ServerHello | undefined;
  private helloRetry: ServerHello | undefined;
  private clientHelloAt: ChunkRef | undefined;
  private serverHelloAt: ChunkRef | undefined;
  private tls13 = false;
  private serverFlightSeen = false;
  private serverCertificate = false;
  private serverHelloDone = false;
  private readonly finishedAt: [ChunkRef | undefined, ChunkRef | undefined] = [undefined, undefined];
  private doneAt: ChunkRef | undefined;

  constructor(options: TlsSessionOptions = {}) {
    this.maxAnomalies = options.maxAnomalies ?? 64;
    this.onRecordHook = options.onRecord;
    const recordSink = { onRecord: (r: TlsRecord) => this.onRecord(r), onAnomaly: (a: ParserAnomaly) => this.anomaly(a) };
    const readerOptions = options.keepPayload ? { keepPayload: options.keepPayload } : {};
    this.readers = [new TlsRecordReader(0, recordSink, readerOptions), new TlsRecordReader(1, recordSink, readerOptions)];
    const handshakeSink = { onMessage: (m: HandshakeMessage) => this.onMessage(m), onAnomaly: (a: ParserAnomaly) => this.anomaly(a) };
    this.handshakes = [new HandshakeReader(0, handshakeSink), new HandshakeReader(1, handshakeSink)];
  }

  /** push hands over the next bytes of one direction, all from chunk `at`; `bytes` is read only during the call. */
  push(side: Side, bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    this.readers[side].push(bytes, streamOffset, at);
  }

  /** gap says `length` bytes of one direction, from `streamOffset`, were sent but not captured. */
  gap(side: Side, streamOffset: number, length: number): void {
    this.readers[side].gap(streamOffset, length);
  }

  /** end says one direction ended; a handshake message left unfinished by a FIN is `tls.truncated-handshake`. */
  end(side: Side, reason: StreamEnd): void {
    this.readers[side].end(reason);
    const hs = this.handshakes[side];
    if (!hs.stopped && hs.pendingBytes > 0 && reason === 'fin') {
      this.anomaly({
        code: 'tls.truncated-handshake',
        offset: hs.pendingStreamOffset,
        message: `the ${side === 0 ? 'client' : 'server'} closed the connection ${hs.pendingBytes} bytes into a handshake message`,
      });
    }
    hs.stop();
  }

  /** info returns a snapshot of what is known so far. */
  info(): TlsInfo {
    const ch = this.clientHello;
    const sh = this.serverHello ?? this.helloRetry;
    const [client, server] = [this.readers[0].stats, this.readers[1].stats];
    const info: TlsInfo = {
      alpnOffered: ch ? [...ch.alpn] : [],
      sessionResumed: this.sessionResumed(),
      helloRetryRequest: this.helloRetry !== undefined,
      // Frames are numbered in capture order; the sort is stable, so each side keeps its order.
      alerts: [...client.alerts, ...server.alerts].sort((a, b) => a.at.frame - b.at.frame),
      applicationData: {
        clientBytes: client.applicationData.bytes,
        serverBytes: server.applicationData.bytes,
        clientRecords: client.applicationData.records,
        serverRecords: server.applicationData.records,
      },
      anomalies: [...this.anomalies],
      anomaliesDropped: this.anomaliesDropped,
      serverCertificate: this.serverCertificate,
      serverHelloDone: this.serverHelloDone,
      handshakeMessages: [...this.messagesSeen],
      records: { client: copyStats(client), server: copyStats(server) },
    };
    if (sh) {
      const v = negotiatedVersion(sh);
      info.version = tlsVersionName(v);
      info.versionCode = v;
    }
    if (this.serverHello?.cipherSuite !== undefined) {
      const code = this.serverHello.cipherSuite;
      info.cipherSuite = { code, name: cipherSuiteName(code) };
    }
    if (ch?.serverName !== undefined) info.sni = ch.serverName;
    if (this.serverHello?.alpn !== undefined) info.alpn = this.serverHello.alpn;
    if (ch) info.clientRandom = ch.random;
    if (this.serverHello) info.serverRandom = this.serverHello.random;
    if (this.clientHelloAt) info.clientHelloAt = this.clientHelloAt;
    if (this.serverHelloAt) info.serverHelloAt = this.serverHelloAt;
    if (this.doneAt) {
      info.handshakeDoneAt = this.doneAt;
      if (this.clientHelloAt) info.handshakeMs = Math.round((this.doneAt.time - this.clientHelloAt.time) * 1e6) / 1e3;
    }
    if (this.finishedAt[0]) info.clientFinishedAt = this.finishedAt[0];
    if (this.finishedAt[1]) info.serverFinishedAt = this.finishedAt[1];
    if (ch) info.clientHello = ch;
    if (this.serverHello) info.serverHello = this.serverHello;
    return info;
  }

  private sessionResumed(): boolean {
    const ch = this.clientHello;
    const sh = this.serverHello;
    if (!sh) return false;
    if (this.tls13) return sh.pskSelected;
    // RFC 5246 §7.4.1.3: the server resumes by answering with the session id the client proposed.
    return ch !== undefined && sh.sessionId !== '' && sh.sessionId === ch.sessionId;
  }

  private onRecord(record: TlsRecord): void {
    const side = record.side;
    switch (record.contentType) {
      case TlsContentType.handshake:
        // TLS ≤ 1.2: handshake records after ChangeCipherSpec are encrypted, the first one is Finished.
        // TLS 1.3 encrypts with outer type application_data, so its handshake records are always in clear.
        if (record.afterChangeCipherSpec && !this.tls13) this.encryptedHandshake(record);
        else this.plainHandshake(record);
        break;
      case TlsContentType.applicationData:
        if (side === 1 && this.serverHello !== undefined) this.serverFlightSeen = true;
        if (side === 0 && this.tls13 && this.serverFlightSeen) this.doneAt ??= record.at;
        break;
      case SSLV2_CLIENT_HELLO:
        if (record.payload !== undefined) this.sslv2Hello(record, record.payload);
        break;
    }
    this.onRecordHook?.(record);
  }

  private plainHandshake(record: TlsRecord): void {
    const hs = this.handshakes[record.side];
    if (hs.stopped) return;
    const payload = record.payload;
    if (payload === undefined) {
      if (record.missingBytes > 0) {
        hs.stop();
        this.anomaly({
          code: 'tls.gap',
          offset: record.streamOffset,
          at: record.at,
          message: `${record.missingBytes} bytes of a handshake record were not captured; handshake parsing of this direction stops`,
        });
      }
      return;
    }
    // RFC 8446 §5.1: plaintext fragments are at most 2^14 bytes (the record layer allowed ciphertext sizes).
    if (record.length > TLS_MAX_PLAINTEXT_LENGTH) {
      this.anomaly({
        code: 'tls.record-overflow',
        offset: record.streamOffset + 3,
        at: record.at,
        message: `plaintext handshake record of ${record.length} bytes is over 2^14 (RFC 8446 §5.1)`,
      });
    }
    const base = record.streamOffset + 5;
    const chunks = record.chunks;
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k]!;
      const end = chunks[k + 1]?.payloadOffset ?? payload.length;
      hs.push(payload.subarray(c.payloadOffset, end), base + c.payloadOffset, c.at);
    }
  }

  private encryptedHandshake(record: TlsRecord): void {
    const side = record.side;
    if (this.finishedAt[side] !== undefined) return;
    this.finishedAt[side] = record.endAt;
    this.handshakes[side].stop();
    if (this.finishedAt[0] !== undefined && this.finishedAt[1] !== undefined) this.doneAt ??= record.endAt;
  }

  private onMessage(m: HandshakeMessage): void {
    if (this.messagesSeen.length < MAX_MESSAGES_SEEN) {
      this.messagesSeen.push({ side: m.side, type: m.type, name: handshakeTypeName(m.type), length: m.length, at: m.at });
    }
    const fromClient = m.side === 0;
    switch (m.type) {
      case HandshakeType.clientHello:
        if (!fromClient) return this.unexpected(m, 'a ClientHello from the server');
        if (m.body === undefined) {
          this.clientHelloAt ??= m.startAt;
          return;
        }
        this.clientHelloParsed(this.report(parseClientHello(m.body), m), m.startAt, m);
        return;
      case HandshakeType.serverHello:
        if (fromClient) return this.unexpected(m, 'a ServerHello from the client');
        if (m.body === undefined) return;
        this.serverHelloParsed(this.report(parseServerHello(m.body), m), m);
        return;
      case HandshakeType.certificate:
        if (!fromClient) this.serverCertificate = true;
        return;
      case HandshakeType.serverHelloDone:
        if (!fromClient) this.serverHelloDone = true;
        return;
    }
  }

  private sslv2Hello(record: TlsRecord, payload: Uint8Array): void {
    if (record.side !== 0 || this.clientHellos > 0) return;
    const parsed = parseSslv2ClientHello(payload);
    for (const p of parsed.problems) {
      this.anomaly({ code: p.code, offset: record.streamOffset + 2 + p.bodyOffset, at: record.at, message: p.message });
    }
    this.clientHelloParsed(parsed.value, record.at, undefined);
  }

  private clientHelloParsed(hello: ClientHello | undefined, startAt: ChunkRef, m: HandshakeMessage | undefined): void {
    this.clientHellos++;
    if (this.clientHellos === 1) {
      this.clientHello = hello;
      this.clientHelloAt = startAt;
      return;
    }
    // RFC 8446 §4.1.4: the client answers a HelloRetryRequest with a second ClientHello; anything else
    // in clear is odd (TLS ≤ 1.2 renegotiation happens encrypted).
    if (!(this.clientHellos === 2 && this.helloRetry !== undefined) && m !== undefined) {
      this.unexpected(m, `ClientHello number ${this.clientHellos}`);
    }
  }

  private serverHelloParsed(hello: ServerHello | undefined, m: HandshakeMessage): void {
    if (hello === undefined) return;
    if (hello.helloRetryRequest) {
      // RFC 8446 §4.1.4: at most one HelloRetryRequest, before the ServerHello.
      if (this.helloRetry !== undefined || this.serverHello !== undefined) return this.unexpected(m, 'a second HelloRetryRequest');
      this.helloRetry = hello;
      this.setTls13();
      return;
    }
    if (this.serverHello !== undefined) return this.unexpected(m, 'a second ServerHello');
    this.serverHello = hello;
    this.serverHelloAt = m.startAt;
    if (isTls13Hello(hello)) this.setTls13();
    // RFC 8446 §4.1.3: a TLS 1.3 client that sees the downgrade sentinel in a ≤ 1.2 ServerHello MUST abort.
    const offered13 = this.clientHello?.supportedVersions.some(isTls13Version) ?? false;
    if (hello.downgradeSentinel !== undefined && offered13 && !this.tls13) {
      const where = m.locate(26);
      this.anomaly({
        code: 'tls.downgrade-sentinel',
        offset: where.streamOffset,
        at: where.at,
        message: `the client offered TLS 1.3 but the server chose ${tlsVersionName(negotiatedVersion(hello))} with the downgrade sentinel in its random`,
      });
    }
  }

  private setTls13(): void {
    this.tls13 = true;
    this.readers[0].changeCipherSpecEncrypts = false;
    this.readers[1].changeCipherSpecEncrypts = false;
  }

  private report<T>(parsed: ParsedHello<T>, m: HandshakeMessage): T | undefined {
    for (const p of parsed.problems) this.problem(p, m);
    return parsed.value;
  }

  private problem(p: HelloProblem, m: HandshakeMessage): void {
    const where = m.locate(p.bodyOffset);
    this.anomaly({ code: p.code, offset: where.streamOffset, at: where.at, message: p.message });
  }

  private unexpected(m: HandshakeMessage, what: string): void {
    this.anomaly({ code: 'tls.unexpected-handshake', offset: m.streamOffset, at: m.startAt, message: `unexpected ${what}` });
  }

  private anomaly(a: ParserAnomaly): void {
    if (this.anomalies.length < this.maxAnomalies) this.anomalies.push(a);
    else this.anomaliesDropped++;
  }
}

function copyStats(s: TlsRecordStats): TlsRecordStats {
  return {
    ...s,
    changeCipherSpec: { ...s.changeCipherSpec },
    alert: { ...s.alert },
    handshake: { ...s.handshake },
    applicationData: { ...s.applicationData },
    heartbeat: { ...s.heartbeat },
    sslv2: { ...s.sslv2 },
    alerts: [...s.alerts],
    changeCipherSpecAt: [...s.changeCipherSpecAt],
  };
}

/** looksLikeTls is the fast detector the exchange layer runs on the first bytes of a direction, on any port. */
export function looksLikeTls(firstBytes: Uint8Array): boolean {
  // Accepts a handshake record header (0x16, version 0x0300–0x0304, length 4..2^14) followed, when the
  // 6th byte is there, by a ClientHello or ServerHello type (the server side may be seen first); or an
  // SSLv2-compatible ClientHello (RFC 5246 Appendix E.2). It needs the 5-byte header: with fewer bytes
  // it answers false, so callers give it at least 5 bytes when the stream has them.
  const b = firstBytes;
  if (b.length < 5) return false;
  if (b[0] === TlsContentType.handshake) {
    if (b[1] !== 3 || b[2]! > 4) return false;
    const length = (b[3]! << 8) | b[4]!;
    // RFC 8446 §5.1: a plaintext record holds at most 2^14 bytes, and a handshake message has a 4-byte header.
    if (length < 4 || length > TLS_MAX_PLAINTEXT_LENGTH) return false;
    return b.length < 6 || b[5] === HandshakeType.clientHello || b[5] === HandshakeType.serverHello;
  }
  if ((b[0]! & 0x80) !== 0) {
    const length = ((b[0]! & 0x7f) << 8) | b[1]!;
    return b[2] === 1 && ((b[3] === 0 && b[4] === 2) || b[3] === 3) && length >= 9;
  }
  return false;
}
