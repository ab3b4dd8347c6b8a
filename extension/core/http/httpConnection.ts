// SPDX-License-Identifier: MIT
//
// HttpConnection is the application-layer analyzer of one TCP connection: it decides what the
// connection carries from its first bytes (HTTP/1.x, h2c, TLS, or unknown), routes each
// direction's bytes to the matching parser, and pairs HTTP/1.x requests and responses strictly in
// order (RFC 9112 §9.3.2), whatever the number of requests in one segment.
//
// Pairing across gaps. A gap between two messages hides the start of the next one: it counts as one
// request (or response) that was not captured, so the k-th response still answers the k-th request.
// The two directions are delivered in the order their reassemblers release bytes, not in wire order
// (a side's bytes wait for a hole that the other side's ACK later declares lost), so a response may
// be parsed before the request it answers: it waits in `early` for that request.
//
// Call order: it is a StreamSink, so the TCP reassembler calls onData/onGap per direction in stream
// order and onEnd once per direction; `result()` once after both directions ended.

import type { DeliveredChunk, Direction, StreamEndReason, StreamSink } from '../flows/streamReassembler.js';
import { Http1Parser, type Http1Head, type Http1MessageEnd, type BodyRule } from './http1Parser.js';
import { Http2Session, type Http2SessionResult, type Http2Transaction } from '../http2/http2Session.js';
import { TlsSession, looksLikeTls, type TlsInfo } from '../tls/tlsSession.js';
import type { ChunkRef, ParserAnomaly, Side } from './streamTypes.js';
import { addBodySpan, messageTiming, type HttpMessage, type HttpTransaction } from './transaction.js';

/** AppProtocol is what a connection carries, decided from its first bytes. */
export type AppProtocol = 'http/1.0' | 'http/1.1' | 'h2c' | 'tls' | 'unknown';

/** Bytes of client data held while an Upgrade or CONNECT request waits for its response. */
const MAX_HELD_BYTES = 256 * 1024;
const MAX_ANOMALIES = 50;
const RESPONSE_WITHOUT_REQUEST = 'http.response-without-request';
/** A request's final response started in bytes that were not captured (a gap between two responses). */
const RESPONSE_NOT_CAPTURED = 'http.response-not-captured';

/** AppLayerResult is what the application layer found on one connection. */
export interface AppLayerResult {
  protocol: AppProtocol;
  /** Which tracker side (0 = first packet's sender) is the client, when the bytes told. */
  clientSide?: Side;
  transactions: HttpTransaction[];
  /** After a protocol switch (101, CONNECT): where it happened and the bytes each way after it. */
  tunnel?: { kind: 'websocket' | 'h2c' | 'tunnel' | 'other'; frame: number; clientBytes: number; serverBytes: number };
  /** TLS handshake facts: for a TLS connection, or for TLS inside a CONNECT tunnel. */
  tls?: TlsInfo;
  /** HTTP/2 connection-level facts (SETTINGS, GOAWAY, flow-control stalls), for h2c. */
  http2?: Omit<Http2SessionResult, 'transactions'>;
  anomalies: { code: string; frame?: number; message: string }[];
}

const METHOD = /^[A-Z][A-Z0-9_-]{0,19} /;
const PREFACE = 'PRI * HTTP/2.0\r\n';

interface Held {
  bytes: Uint8Array;
  offset: number;
  at: ChunkRef;
}

/** Route is where one direction's bytes go. */
type Route = 'detect' | 'http1' | 'hold' | 'tunnel' | 'tls' | 'h2' | 'unknown';

/** What the first bytes of a direction say. */
type Verdict = 'request' | 'response' | 'tls-client' | 'tls-server' | 'h2-preface' | 'unknown' | 'need-more';

/** Bytes kept per direction while the first bytes are too few to decide (one byte per segment happens). */
const DETECT_BYTES = 24;

/** HttpConnection analyses the application layer of one TCP connection (see the file header). */
export class HttpConnection implements StreamSink {
  private protocol: AppProtocol = 'unknown';
  private clientSide: Side | undefined;
  private readonly routes: [Route, Route] = ['detect', 'detect'];
  private requestParser: Http1Parser | undefined;
  private responseParser: Http1Parser | undefined;
  private readonly transactions: HttpTransaction[] = [];
  /** Transactions still waiting for their final response, oldest first. */
  private readonly awaiting: HttpTransaction[] = [];
  private readonly heads = new WeakMap<HttpTransaction, Http1Head>();
  /** Placeholders in `awaiting` for requests that started in a gap; they never reach `transactions` themselves. */
  private readonly uncaptured = new WeakSet<HttpTransaction>();
  /**
   * Final responses parsed while no request awaited one, oldest first: an orphan transaction, or
   * undefined for a response that started in a gap. The next request slot takes the first of them.
   */
  private readonly early: (HttpTransaction | undefined)[] = [];
  /** The transaction of the request being parsed. */
  private requestTx: HttpTransaction | undefined;
  private held: Held[] = [];
  private heldBytes = 0;
  private tunnel: AppLayerResult['tunnel'];
  private readonly anomalies: AppLayerResult['anomalies'] = [];
  private pipelineRun = 0;
  private tls: TlsSession | undefined;
  private h2: Http2Session | undefined;
  /** Chunks seen while undecided, in arrival order, and each direction's first bytes. */
  private pending: { dir: Direction; bytes: Uint8Array; offset: number; at: ChunkRef }[] = [];
  private readonly prefix: [number[], number[]] = [[], []];
  private pendingBytes = 0;
  /** How each side's stream ended, once it did. */
  private readonly ended: [StreamEndReason | undefined, StreamEndReason | undefined] = [undefined, undefined];
  /** Sides whose first bytes were not recognised, waiting for the other side to tell. */
  private readonly unknownSide = [false, false];
  /** Whether the bytes after a CONNECT were checked for TLS. */
  private tunnelChecked = false;
  /** The final response whose body is arriving (for its body spans). */
  private responseMessage: HttpMessage | undefined;
  /** Stream offset where the server's HTTP/1 ends after a 101 or a 2xx to CONNECT. */
  private switchAt: number | undefined;

  /**
   * @param clientSideHint the tracker side that sent the SYN, when the handshake was captured.
   * @param ports the tracker sides' ports, for the last-resort guess of who the client is.
   */
  constructor(
    clientSideHint: Side | undefined,
    private readonly ports: [number, number],
  ) {
    this.clientSide = clientSideHint;
  }

  onData(dir: Direction, bytes: Uint8Array, at: DeliveredChunk): void {
    const ref: ChunkRef = { frame: at.frame, time: at.time, fileOffset: at.fileOffset, streamOffset: at.streamOffset };
    if (this.routes[dir] === 'detect') {
      this.pendingBytes += bytes.length;
      this.pending.push({ dir, bytes: bytes.slice(), offset: at.streamOffset, at: ref });
      const p = this.prefix[dir];
      for (let i = 0; i < bytes.length && p.length < DETECT_BYTES; i++) p.push(bytes[i]!);
      let verdict = classify(Uint8Array.from(p));
      if (verdict === 'need-more' && p.length < DETECT_BYTES) return;
      if (verdict === 'need-more') verdict = 'unknown';
      // Unrecognised first bytes from one side (a malformed request line, a banner) do not settle the
      // connection while the other side may still answer in HTTP; hold them, within a bound.
      if (verdict === 'unknown' && !this.unknownSide[dir === 0 ? 1 : 0] && this.pendingBytes < MAX_HELD_BYTES) {
        this.unknownSide[dir] = true;
        return;
      }
      this.decide(dir, verdict);
      return;
    }
    this.route(dir, bytes, at.streamOffset, ref);
  }

  onGap(dir: Direction, streamOffset: number, length: number): void {
    if (this.routes[dir] === 'detect') this.decide(dir, 'unknown');
    const route = this.routes[dir];
    if (route === 'http1') this.http1Gap(dir, streamOffset, length);
    else if (route === 'hold') this.releaseHeld(false);
    else if (route === 'tls' || route === 'tunnel') this.tls?.gap(dir === this.clientSide ? 0 : 1, streamOffset, length);
    else if (route === 'h2') this.h2?.gap(dir === this.clientSide ? 0 : 1, streamOffset, length);
  }

  onEnd(dir: Direction, reason: StreamEndReason): void {
    this.ended[dir] = reason;
    const other: Direction = dir === 0 ? 1 : 0;
    if (this.routes[dir] === 'detect') {
      // Undecided at its end: wait for the other side while it may still speak (a server answers a
      // malformed request after the client's FIN); decide once both sides are done.
      if (this.routes[other] === 'detect' && this.ended[other] === undefined && this.prefix[dir].length > 0) return;
      this.unknownSide[dir] = this.unknownSide[other] = false;
      this.decide(dir, this.prefix[dir].length ? finalVerdict(Uint8Array.from(this.prefix[dir])) : 'unknown');
      return;
    }
    this.endDelivered[dir] = true;
    this.endRoute(dir, reason);
  }

  private readonly endDelivered = [false, false];

  private endRoute(dir: Direction, reason: StreamEndReason): void {
    if (this.routes[dir] === 'hold') this.releaseHeld(false);
    const route = this.routes[dir];
    const side = dir === this.clientSide ? 0 : 1;
    if (route === 'http1') this.parserFor(dir)?.end(reason);
    else if (route === 'tls' || route === 'tunnel') this.tls?.end(side, reason);
    else if (route === 'h2') this.h2?.end(side, reason);
  }

  /** result returns what was found; call once after both directions ended. */
  result(): AppLayerResult {
    let transactions = this.transactions;
    let http2: AppLayerResult['http2'];
    if (this.h2) {
      const { transactions: streams, ...rest } = this.h2.result();
      http2 = rest;
      // An h2c upgrade's HTTP/1.1 exchange is stream 1 now; earlier HTTP/1.1 transactions stay.
      const before = this.transactions.filter((t) => t.upgrade !== 'h2c');
      const upgraded = this.transactions.find((t) => t.upgrade === 'h2c');
      transactions = [...before, ...streams.map((st, i) => fromHttp2(st, before.length + i, st.upgraded ? upgraded : undefined))];
      for (const a of rest.anomalies) if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code: a.code, frame: a.at?.frame, message: a.message });
    }
    return { protocol: this.protocol, clientSide: this.clientSide, transactions, tunnel: this.tunnel, tls: this.tls?.info(), http2, anomalies: this.anomalies };
  }

  //#region protocol detection and routing

  /**
   * decide fixes the connection's protocol from a direction's first bytes (or, if the other direction
   * already decided, just opens this one), then replays the chunks held while undecided.
   */
  private decide(dir: Direction, verdict: Exclude<Verdict, 'need-more'>): void {
    const other: Direction = dir === 0 ? 1 : 0;
    if (this.unknownSide[other] && verdict === 'unknown') this.unknownSide[other] = false;
    if (this.routes[other] !== 'detect') {
      this.routes[dir] = this.routes[other] === 'hold' ? 'http1' : this.routes[other];
    } else {
      switch (verdict) {
        case 'request':
          this.clientSide ??= dir;
          this.startHttp1();
          break;
        case 'response':
          this.clientSide ??= other;
          this.startHttp1();
          break;
        case 'tls-client':
        case 'tls-server':
          // TLS is recognised on any port by its first record (RFC 8446 §5.1).
          this.clientSide ??= verdict === 'tls-client' ? dir : other;
          this.protocol = 'tls';
          this.tls = new TlsSession();
          this.routes[0] = this.routes[1] = 'tls';
          break;
        case 'h2-preface':
          // HTTP/2 with prior knowledge starts with the client connection preface (RFC 9113 §3.4).
          this.clientSide ??= dir;
          this.protocol = 'h2c';
          this.h2 = new Http2Session();
          this.routes[0] = this.routes[1] = 'h2';
          break;
        case 'unknown':
          this.clientSide ??= this.ports[0] > this.ports[1] ? 0 : 1;
          this.routes[0] = this.routes[1] = 'unknown';
          break;
      }
    }
    // A side held as unknown follows the protocol the other side revealed.
    if (this.unknownSide[other] && this.routes[other] === 'detect') this.routes[other] = this.routes[dir];
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const p of pending) {
      if (this.routes[p.dir] === 'detect') this.pending.push(p);
      else this.route(p.dir, p.bytes, p.offset, p.at);
    }
    // Sides that ended while undecided end now, after their bytes.
    for (const d of [0, 1] as const) {
      const reason = this.ended[d];
      if (reason !== undefined && this.routes[d] !== 'detect' && !this.endDelivered[d]) {
        this.endDelivered[d] = true;
        this.endRoute(d, reason);
      }
    }
  }

  private startHttp1(): void {
    this.protocol = 'http/1.1';
    this.routes[0] = this.routes[1] = 'http1';
    this.requestParser = new Http1Parser('request', {
      onHead: (head) => this.onRequestHead(head),
      onBody: (offset, length, at) => {
        if (this.requestTx) addBodySpan(this.requestTx.request, offset, length, at);
      },
      onMessageEnd: (end) => this.onRequestEnd(end),
      onAnomaly: (a) => this.anomaly(a),
    });
    this.responseParser = new Http1Parser('response', {
      onHead: (head) => this.onResponseHead(head),
      onBody: (offset, length, at) => {
        if (this.responseMessage) addBodySpan(this.responseMessage, offset, length, at);
      },
      onMessageEnd: (end) => this.onResponseEnd(end),
      onAnomaly: (a) => this.anomaly(a),
      isHttp09Response: () => this.awaiting[0]?.version === 'HTTP/0.9',
    });
  }

  private parserFor(dir: Direction): Http1Parser | undefined {
    return dir === this.clientSide ? this.requestParser : this.responseParser;
  }

  private route(dir: Direction, bytes: Uint8Array, offset: number, at: ChunkRef): void {
    switch (this.routes[dir]) {
      case 'http1': {
        this.parserFor(dir)?.push(bytes, offset, at);
        const switchAt = this.switchAt;
        if (switchAt !== undefined && dir !== this.clientSide) {
          // The response that switched protocols ended inside this chunk: what follows is no longer HTTP/1.
          this.switchAt = undefined;
          this.switchProtocols();
          const rest = switchAt - offset;
          if (rest >= 0 && rest < bytes.length) this.route(dir, bytes.subarray(rest), switchAt, at);
        }
        return;
      }
      case 'hold':
        if (this.heldBytes + bytes.length > MAX_HELD_BYTES) {
          // Nobody answered the switch in time: keep parsing the client side as HTTP/1.
          this.releaseHeld(false);
          this.route(dir, bytes, offset, at);
          return;
        }
        this.held.push({ bytes: bytes.slice(), offset, at });
        this.heldBytes += bytes.length;
        return;
      case 'tunnel':
        if (this.tunnel) {
          if (dir === this.clientSide) this.tunnel.clientBytes += bytes.length;
          else this.tunnel.serverBytes += bytes.length;
          // HTTPS through a proxy: the tunnel after CONNECT usually starts with a ClientHello.
          if (!this.tunnelChecked && this.tunnel.kind === 'tunnel') {
            this.tunnelChecked = true;
            if (looksLikeTls(bytes)) this.tls = new TlsSession();
          }
          this.tls?.push(dir === this.clientSide ? 0 : 1, bytes, offset, at);
        }
        return;
      case 'tls':
        this.tls?.push(dir === this.clientSide ? 0 : 1, bytes, offset, at);
        return;
      case 'h2':
        this.h2?.push(dir === this.clientSide ? 0 : 1, bytes, offset, at);
        return;
      case 'detect':
      case 'unknown':
        return;
    }
  }

  /** releaseHeld ends the wait after an Upgrade/CONNECT request: the held client bytes go to the tunnel or back to HTTP/1. */
  private releaseHeld(next: Route | false): void {
    const client = this.clientSide;
    if (client === undefined) return;
    this.routes[client] = next || 'http1';
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const h of held) this.route(client, h.bytes, h.offset, h.at);
  }

  //#endregion

  //#region HTTP/1.x pairing

  private onRequestHead(head: Http1Head): BodyRule {
    // A response parsed before this request answers it, unless it started earlier in the capture:
    // then it answers a request that was not captured.
    while (this.early[0] !== undefined && this.early[0].request.timing.firstFrame < head.startAt.frame) this.early.shift();
    const answered = this.early.length > 0;
    const early = this.early.shift();
    if (early !== undefined) return this.adoptRequest(early, head);
    const outstanding = this.awaiting.length;
    this.pipelineRun = outstanding === 0 ? 1 : this.pipelineRun + 1;
    const t: HttpTransaction = {
      index: this.transactions.length,
      version: head.version,
      method: head.method ?? '',
      target: head.target ?? '',
      host: headerValue(head, 'host'),
      request: messageFromHead(head),
      interim: [],
      outstandingAtSend: outstanding,
      pipelinePosition: this.pipelineRun,
      requestConnection: head.connectionTokens,
      responseConnection: [],
      complete: false,
      anomalies: [],
    };
    if (head.version === 'HTTP/1.0' && this.transactions.length === 0) this.protocol = 'http/1.0';
    this.transactions.push(t);
    this.heads.set(t, head);
    this.requestTx = t;
    // Its response started in a gap before this request was parsed.
    if (answered) this.responseLost(t);
    else this.awaiting.push(t);
    return 'default';
  }

  /** adoptRequest gives an orphan response (parsed before its request, see `early`) the request it answers. */
  private adoptRequest(t: HttpTransaction, head: Http1Head): BodyRule {
    const orphanAt = t.request.timing.firstFrame;
    t.version = head.version;
    t.method = head.method ?? '';
    t.target = head.target ?? '';
    t.host = headerValue(head, 'host');
    t.request = messageFromHead(head);
    t.requestConnection = head.connectionTokens;
    t.anomalies = t.anomalies.filter((c) => c !== RESPONSE_WITHOUT_REQUEST);
    const i = this.anomalies.findIndex((a) => a.code === RESPONSE_WITHOUT_REQUEST && a.frame === orphanAt);
    if (i >= 0) this.anomalies.splice(i, 1);
    this.heads.set(t, head);
    this.requestTx = t;
    return 'default';
  }

  /** http1Gap passes a gap to the direction's parser; one between two messages hides the start of the next (see the file header). */
  private http1Gap(dir: Direction, streamOffset: number, length: number): void {
    const parser = this.parserFor(dir);
    const hidesStart = parser?.betweenMessages === true;
    parser?.gap(streamOffset, length);
    if (!hidesStart) return;
    if (dir === this.clientSide) this.requestNotCaptured();
    else this.responseNotCaptured();
  }

  /** requestNotCaptured counts a request that started in a gap: it takes the next response. */
  private requestNotCaptured(): void {
    // Its response was parsed already (it stays an orphan) or started in a gap too.
    if (this.early.length > 0) {
      this.early.shift();
      return;
    }
    const t = orphanTransaction(this.transactions.length, undefined);
    this.uncaptured.add(t);
    this.awaiting.push(t);
  }

  /** responseNotCaptured counts a final response that started in a gap: it answers the oldest waiting request. */
  private responseNotCaptured(): void {
    const t = this.awaiting.shift();
    if (t === undefined) this.early.push(undefined);
    else if (!this.uncaptured.has(t)) this.responseLost(t);
  }

  private responseLost(t: HttpTransaction): void {
    if (!t.anomalies.includes(RESPONSE_NOT_CAPTURED)) t.anomalies.push(RESPONSE_NOT_CAPTURED);
    if (this.anomalies.length < MAX_ANOMALIES) {
      this.anomalies.push({ code: RESPONSE_NOT_CAPTURED, frame: t.request.timing.firstFrame, message: `the response to ${t.method} ${t.target.slice(0, 80)} started in bytes that were not captured` });
    }
  }

  private onRequestEnd(end: Http1MessageEnd): void {
    const t = this.requestTx;
    if (!end.head) {
      // A request cut inside its head by a gap still takes a response.
      if (end.desync === 'gap') this.requestNotCaptured();
      return;
    }
    if (!t) return;
    finishMessage(t.request, end);
    // A client waits for the answer to Upgrade or CONNECT before it sends anything else (RFC 9110 §7.8, §9.3.6).
    const head = this.heads.get(t);
    if (head && (t.method === 'CONNECT' || headerValue(head, 'upgrade') !== undefined) && this.clientSide !== undefined && this.awaiting.includes(t)) {
      this.routes[this.clientSide] = 'hold';
    }
  }

  private onResponseHead(head: Http1Head): BodyRule {
    const status = head.status ?? 0;
    let t = this.awaiting[0];
    if (!t || this.uncaptured.has(t)) {
      const uncaptured = t !== undefined;
      if (t !== undefined) {
        // Take the uncaptured request's place, keeping transactions in request order.
        const orphan = orphanTransaction(t.index, head);
        this.transactions.splice(t.index, 0, orphan);
        for (let i = t.index + 1; i < this.transactions.length; i++) this.transactions[i]!.index = i;
        for (const w of this.awaiting) if (this.uncaptured.has(w) && w.index >= t.index) w.index++;
        t = this.awaiting[0] = orphan;
      } else {
        t = orphanTransaction(this.transactions.length, head);
        this.transactions.push(t);
        this.awaiting.push(t);
        this.early.push(t);
      }
      const why = uncaptured ? 'to a request that was not captured' : 'with no request before it';
      if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code: RESPONSE_WITHOUT_REQUEST, frame: head.startAt.frame, message: `a ${status} response ${why}` });
    }
    // 1xx other than 101 are interim: the final response is still to come (RFC 9110 §15.2).
    if (status >= 100 && status < 200 && status !== 101) {
      t.interim.push({ status, frame: head.startAt.frame, time: head.startAt.time });
      return 'none';
    }
    t.status = status;
    t.reason = head.reason;
    t.responseVersion = head.version;
    t.response = messageFromHead(head);
    this.responseMessage = t.response;
    t.responseConnection = head.connectionTokens;
    const switched = status === 101 || (t.method === 'CONNECT' && status >= 200 && status < 300);
    if (switched) {
      const upgrade = (headerValue(head, 'upgrade') ?? '').toLowerCase();
      t.upgrade = t.method === 'CONNECT' ? 'tunnel' : upgrade.includes('websocket') ? 'websocket' : upgrade.includes('h2c') ? 'h2c' : 'other';
      if (t.upgrade === 'h2c') {
        // h2c upgrade (RFC 7540 §3.2): the request becomes stream 1, answered in HTTP/2 after the 101.
        const request = this.heads.get(t);
        this.protocol = 'h2c';
        this.h2 = new Http2Session();
        if (request) {
          this.h2.adoptUpgradedRequest(
            {
              method: t.method,
              target: t.target,
              headers: request.headers,
              headerBytes: request.headerBytes,
              bodyBytes: t.request.bodyBytes,
              offset: request.startOffset,
              lastAt: { frame: t.request.timing.lastFrame, time: t.request.timing.lastTime },
            },
            request.startAt,
            head.startAt,
          );
        }
      } else {
        this.tunnel = { kind: t.upgrade, frame: head.headerEndAt.frame, clientBytes: 0, serverBytes: 0 };
      }
      t.response.complete = true;
      t.complete = t.request.complete;
      this.awaiting.shift();
      this.switchAt = head.headerEndOffset;
      return 'tunnel';
    }
    if (this.routes[this.clientSide ?? 0] === 'hold') this.releaseHeld(false);
    // No body after HEAD, 1xx, 204 or 304, whatever the headers say (RFC 9112 §6.3 rule 1).
    if (t.method === 'HEAD' || status === 204 || status === 304) return 'none';
    return 'default';
  }

  /** switchProtocols moves both directions off HTTP/1 after a 101 or a 2xx to CONNECT. */
  private switchProtocols(): void {
    const server: Direction = this.clientSide === 0 ? 1 : 0;
    const next: Route = this.h2 ? 'h2' : 'tunnel';
    this.routes[server] = next;
    if (this.routes[this.clientSide ?? 0] === 'hold') this.releaseHeld(next);
    else if (this.clientSide !== undefined) this.routes[this.clientSide] = next;
  }

  private onResponseEnd(end: Http1MessageEnd): void {
    if (end.framing === 'tunnel') return; // the switching response was settled at its head
    const t = this.awaiting[0];
    if (!t) {
      // A response cut inside its head while no request waited: it answers a request still to come.
      if (!end.head) this.early.push(undefined);
      return;
    }
    if (!end.head) {
      // An HTTP/0.9 response: the whole stream is its body.
      t.response = messageFromEnd(end);
    } else if (t.response === undefined || (end.head.status ?? 0) < 200 && end.head.status !== 101) {
      return; // an interim response ended
    } else {
      finishMessage(t.response, end);
    }
    this.awaiting.shift();
    t.complete = t.request.complete && (t.response?.complete ?? false);
  }

  //#endregion

  private anomaly(a: ParserAnomaly): void {
    if (this.anomalies.length < MAX_ANOMALIES) this.anomalies.push({ code: a.code, frame: a.at?.frame, message: a.message });
    const t = this.transactions[this.transactions.length - 1];
    if (t && !t.anomalies.includes(a.code)) t.anomalies.push(a.code);
  }
}

function headerValue(head: Http1Head, lowerName: string): string | undefined {
  return head.headers.find((h) => h.name.toLowerCase() === lowerName)?.value;
}

function messageFromHead(head: Http1Head): HttpMessage {
  return {
    headers: head.headers,
    streamOffset: head.startOffset,
    headerBytes: head.headerBytes,
    bodyBytes: 0,
    bodyWireBytes: 0,
    expectedBodyBytes: head.contentLength,
    framing: head.chunked ? 'chunked' : head.contentLength !== undefined ? 'content-length' : 'none',
    timing: messageTiming(head.startAt, head.headerEndAt, head.headerEndAt),
    complete: false,
    gapBytes: 0,
  };
}

function finishMessage(m: HttpMessage, end: Http1MessageEnd): void {
  m.bodyBytes = end.bodyBytes;
  m.bodyWireBytes = end.bodyWireBytes;
  m.framing = end.framing;
  m.expectedBodyBytes = end.expectedBodyBytes;
  m.complete = end.complete;
  m.truncatedBy = end.truncatedBy;
  m.gapBytes = end.gapBytes;
  if (end.trailers.length) m.trailers = end.trailers;
  const head = end.head!;
  m.timing = messageTiming(head.startAt, head.headerEndAt, end.endAt, end.firstBodyAt, end.lastBodyAt);
}

function messageFromEnd(end: Http1MessageEnd): HttpMessage {
  const first = end.firstBodyAt ?? end.endAt;
  return {
    headers: [],
    streamOffset: end.endOffset - end.bodyWireBytes,
    headerBytes: 0,
    bodyBytes: end.bodyBytes,
    bodyWireBytes: end.bodyWireBytes,
    framing: end.framing,
    timing: messageTiming(first, first, end.endAt, end.firstBodyAt, end.lastBodyAt),
    complete: end.complete,
    truncatedBy: end.truncatedBy,
    gapBytes: end.gapBytes,
  };
}

/** orphanTransaction is a transaction whose request was not captured: for a response without request, or a placeholder (no head). */
function orphanTransaction(index: number, head: Http1Head | undefined): HttpTransaction {
  const at = head?.startAt ?? ZERO_REF;
  return {
    index,
    version: head?.version ?? '',
    method: '',
    target: '',
    request: { headers: [], streamOffset: 0, headerBytes: 0, bodyBytes: 0, bodyWireBytes: 0, framing: 'none', timing: messageTiming(at, at, at), complete: false, gapBytes: 0 },
    interim: [],
    outstandingAtSend: 0,
    pipelinePosition: 1,
    requestConnection: [],
    responseConnection: [],
    complete: false,
    anomalies: [RESPONSE_WITHOUT_REQUEST],
  };
}

/** classify says what a direction's first bytes are, or that more bytes are needed to tell. */
function classify(b: Uint8Array): Verdict {
  if (b.length === 0) return 'need-more';
  const text = String.fromCharCode(...b);
  if (PREFACE.startsWith(text.slice(0, PREFACE.length))) return text.length >= PREFACE.length ? 'h2-preface' : 'need-more';
  if (b[0] === 0x16) {
    if (b.length < 6) return 'need-more';
    if (looksLikeTls(b)) return b[5] === 2 ? 'tls-server' : 'tls-client';
    return 'unknown';
  }
  if ('HTTP/'.startsWith(text.slice(0, 5))) return text.length >= 5 ? 'response' : 'need-more';
  // A request line starts with a method token (RFC 9110 §9: case-sensitive, conventionally uppercase) and a space.
  const space = text.indexOf(' ');
  if (space < 0) return /^[A-Z][A-Z0-9_-]*$/.test(text) && text.length < 20 ? 'need-more' : 'unknown';
  return METHOD.test(text) ? 'request' : 'unknown';
}

/** finalVerdict decides from a direction's last few bytes at its end. */
function finalVerdict(b: Uint8Array): Exclude<Verdict, 'need-more'> {
  const v = classify(b);
  return v === 'need-more' ? 'unknown' : v;
}

/** fromHttp2 turns an HTTP/2 stream into a transaction; `switched` is the 101 that answered an upgraded stream 1. */
/**
 * fromHttp2 turns an HTTP/2 stream into a transaction. For stream 1 of an h2c upgrade, `upgraded` is
 * the HTTP/1.1 exchange that started it: its request (sent as HTTP/1.1) and its 101 are kept as they
 * were on the wire, and the HTTP/2 response completes it (RFC 7540 §3.2).
 */
function fromHttp2(st: Http2Transaction, index: number, upgraded?: HttpTransaction): HttpTransaction {
  const req = st.request;
  const res = st.response;
  const reqFirst = req.firstAt ?? res.firstAt;
  const request: HttpMessage = upgraded?.request ?? {
    headers: req.headers,
    streamOffset: req.offset ?? 0,
    headerBytes: req.headerBytes,
    bodyBytes: req.bodyBytes,
    bodyWireBytes: req.bodyBytes,
    framing: 'h2',
    timing: reqFirst ? messageTiming(reqFirst, reqFirst, req.lastAt ?? reqFirst, req.bodyFirstAt, req.bodyLastAt) : messageTiming(ZERO_REF, ZERO_REF, ZERO_REF),
    complete: req.ended,
    gapBytes: 0,
    trailers: req.trailers,
  };
  const responseFirst = res.interim[0]?.at ?? res.firstAt;
  const response: HttpMessage | undefined = res.firstAt
    ? {
        headers: res.headers,
        streamOffset: res.offset ?? 0,
        headerBytes: res.headerBytes,
        bodyBytes: res.bodyBytes,
        bodyWireBytes: res.bodyBytes,
        framing: 'h2',
        timing: messageTiming(responseFirst ?? res.firstAt, res.firstAt, res.lastAt ?? res.firstAt, res.bodyFirstAt, res.bodyLastAt),
        complete: res.ended,
        gapBytes: 0,
        trailers: res.trailers,
      }
    : undefined;
  const switched = upgraded?.response?.timing;
  return {
    index,
    streamId: st.streamId,
    version: upgraded?.version ?? 'HTTP/2',
    responseVersion: upgraded ? 'HTTP/2' : undefined,
    method: req.method ?? '',
    target: req.path ?? '',
    host: req.authority,
    status: res.status,
    request,
    response,
    interim: [
      ...(switched ? [{ status: 101, frame: switched.firstFrame, time: switched.firstTime }] : []),
      ...res.interim.map((i) => ({ status: i.status, frame: i.at.frame, time: i.at.time })),
    ],
    outstandingAtSend: upgraded?.outstandingAtSend ?? 0,
    pipelinePosition: upgraded?.pipelinePosition ?? 1,
    requestConnection: upgraded?.requestConnection ?? [],
    responseConnection: upgraded?.responseConnection ?? [],
    upgrade: upgraded ? 'h2c' : undefined,
    reset: st.rstStream ? { code: st.rstStream.code, bySide: st.rstStream.side === 0 ? 'client' : 'server', frame: st.rstStream.at.frame } : undefined,
    complete: st.complete,
    anomalies: [...(upgraded?.anomalies ?? []), ...st.anomalies],
  };
}

const ZERO_REF: ChunkRef = { frame: 0, time: 0 };
