// SPDX-License-Identifier: MIT
//
// TLS handshake layer, in clear only: reassembles handshake messages from the payloads of
// handshake records, and parses ClientHello / ServerHello [RFC 8446 §4, RFC 5246 §7.4].
//
// Call order. TlsSession owns one HandshakeReader per direction and, for every plaintext
// handshake record, calls push() once per chunk of the record's payload, in stream order:
//   push(bytes, streamOffset, at)*  then  stop() when the rest of the side cannot be parsed
//   (encrypted, or a gap); nothing is delivered after stop().
// From inside push the reader calls its sink synchronously: { onMessage | onAnomaly }*.
//
// Policies:
// - Framing. A message is a 4-byte header (type, uint24 length) and a body. Record boundaries
//   mean nothing to it: a message can span records and a record can hold several messages
//   (RFC 5246 §6.2.1, RFC 8446 §5.1); even the 4-byte header can be split.
// - Memory. Only the bodies of hellos (and of types given in `keepTypes`) are kept, up to
//   `maxKeptBytes` (64 KiB): a view of the caller's bytes when the body lies in one push, else a
//   copy of exactly `length` bytes. Other messages, such as Certificate chains that may be far
//   larger, are skipped by length and never copied. A hello over the bound is
//   `tls.handshake-too-large` and is skipped the same way. Nothing is allocated from a length
//   field before its bytes are there.
// - Parsing. The parse functions never throw and never read past the message: every length
//   field is checked against what encloses it; a length that runs past is a problem with a
//   stable code, and the fields decoded before it are kept (lenient, like a stopError).

import type { ChunkRef, ParserAnomaly, Side } from '../http/streamTypes.js';
import { isTls13Version } from './tlsNames.js';

//#region message framing

/** HandshakeType holds the handshake message types used here (RFC 8446 §4, RFC 5246 §7.4). */
export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  endOfEarlyData: 5,
  encryptedExtensions: 8,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
  certificateStatus: 22,
  keyUpdate: 24,
} as const;

/** HANDSHAKE_HEADER_BYTES is the size of a handshake message header: msg_type and uint24 length (RFC 8446 §4). */
export const HANDSHAKE_HEADER_BYTES = 4;

/** MAX_HELLO_BYTES is the default bound on a kept hello body (real ClientHellos are under 2 KiB, even with post-quantum key shares). */
export const MAX_HELLO_BYTES = 64 * 1024;

/** HandshakeMessage is one complete handshake message as delivered to a HandshakeSink; `body` is valid only during onMessage. */
export interface HandshakeMessage {
  side: Side;
  type: number;
  /** Body length from the header. */
  length: number;
  /** The body, for kept types within the bound; a view valid only during onMessage. */
  body: Uint8Array | undefined;
  /** Stream offset of the header's first byte. */
  streamOffset: number;
  /** Chunk that carried the header's first byte. */
  startAt: ChunkRef;
  /** Chunk that carried the last byte (the message became complete there, as Wireshark labels it). */
  at: ChunkRef;
  /** locate maps an offset in `body` to its stream offset and chunk (exact across records and pushes). */
  locate(bodyOffset: number): { streamOffset: number; at: ChunkRef };
}

/** HandshakeSink receives a HandshakeReader's messages and anomalies (call order at the top of tlsHandshake.ts). */
export interface HandshakeSink {
  onMessage(message: HandshakeMessage): void;
  onAnomaly(anomaly: ParserAnomaly): void;
}

/** HandshakeReaderOptions tune which message bodies a HandshakeReader keeps. */
export interface HandshakeReaderOptions {
  /** Types whose bodies are kept. Default: ClientHello and ServerHello. */
  keepTypes?: readonly number[];
  /** Largest body kept; bigger ones are `tls.handshake-too-large` and skipped. Default MAX_HELLO_BYTES. */
  maxKeptBytes?: number;
}

interface Piece {
  bodyOffset: number;
  streamOffset: number;
  at: ChunkRef;
}

// A body arriving in more pieces than this (1-byte records…) maps its tail to the last piece: offsets stay
// monotonic but become approximate. Real hellos come in one to three pieces.
const MAX_PIECES = 256;

/** HandshakeReader reassembles one direction's handshake messages (call order and policies at the top of tlsHandshake.ts). */
export class HandshakeReader {
  private readonly keepTypes: ReadonlySet<number>;
  private readonly maxKept: number;
  private readonly header = new Uint8Array(HANDSHAKE_HEADER_BYTES);
  private headerFill = 0;
  private msgOffset = 0;
  private msgStartAt: ChunkRef | undefined;
  private type = 0;
  private length = 0;
  private fill = 0;
  private inBody = false;
  private keep = false;
  private view: Uint8Array | undefined;
  private buf: Uint8Array | undefined;
  private pieces: Piece[] = [];
  private done = false;
  private messages = 0;

  constructor(
    readonly side: Side,
    private readonly sink: HandshakeSink,
    options: HandshakeReaderOptions = {},
  ) {
    this.keepTypes = new Set(options.keepTypes ?? [HandshakeType.clientHello, HandshakeType.serverHello]);
    this.maxKept = options.maxKeptBytes ?? MAX_HELLO_BYTES;
  }

  /** stopped says whether stop() was called. */
  get stopped(): boolean {
    return this.done;
  }

  /** messageCount is the number of complete messages delivered. */
  get messageCount(): number {
    return this.messages;
  }

  /** pendingBytes is how many bytes of an unfinished message (header included) have arrived. */
  get pendingBytes(): number {
    return this.inBody ? HANDSHAKE_HEADER_BYTES + this.fill : this.headerFill;
  }

  /** pendingStreamOffset is the stream offset of the unfinished message's first byte (meaningful when pendingBytes > 0). */
  get pendingStreamOffset(): number {
    return this.msgOffset;
  }

  /** push hands over the next plaintext handshake bytes, all from chunk `at`; `bytes` is read only during the call. */
  push(bytes: Uint8Array, streamOffset: number, at: ChunkRef): void {
    let i = 0;
    while (i < bytes.length && !this.done) {
      if (!this.inBody) {
        if (this.headerFill === 0) {
          this.msgOffset = streamOffset + i;
          this.msgStartAt = at;
        }
        const take = Math.min(HANDSHAKE_HEADER_BYTES - this.headerFill, bytes.length - i);
        this.header.set(bytes.subarray(i, i + take), this.headerFill);
        this.headerFill += take;
        i += take;
        if (this.headerFill === HANDSHAKE_HEADER_BYTES) this.beginBody(at);
        continue;
      }
      const take = Math.min(this.length - this.fill, bytes.length - i);
      if (this.keep) {
        if (this.fill === 0 && take === this.length) {
          this.view = bytes.subarray(i, i + take); // whole body in this push: no copy
        } else {
          // Bounds: length ≤ maxKept (checked in beginBody), fill + take ≤ length.
          this.buf ??= new Uint8Array(this.length);
          this.buf.set(bytes.subarray(i, i + take), this.fill);
        }
        if (this.pieces.length < MAX_PIECES) this.pieces.push({ bodyOffset: this.fill, streamOffset: streamOffset + i, at });
      }
      this.fill += take;
      i += take;
      if (this.fill === this.length) this.complete(at);
    }
  }

  /** stop ends parsing on this side: the rest is encrypted or was lost. */
  stop(): void {
    this.done = true;
    this.view = undefined;
    this.buf = undefined;
    this.pieces = [];
  }

  private beginBody(at: ChunkRef): void {
    const h = this.header;
    this.type = h[0]!;
    this.length = (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    this.fill = 0;
    this.inBody = true;
    this.keep = this.keepTypes.has(this.type);
    if (this.keep && this.length > this.maxKept) {
      this.keep = false;
      this.sink.onAnomaly({
        code: 'tls.handshake-too-large',
        offset: this.msgOffset + 1,
        at: this.msgStartAt ?? at,
        message: `handshake message type ${this.type} of ${this.length} bytes is over the ${this.maxKept}-byte bound; skipped`,
      });
    }
    if (this.length === 0) this.complete(at);
  }

  private complete(at: ChunkRef): void {
    const startAt = this.msgStartAt ?? at;
    const pieces = this.pieces;
    const headerEnd = this.msgOffset + HANDSHAKE_HEADER_BYTES;
    const message: HandshakeMessage = {
      side: this.side,
      type: this.type,
      length: this.length,
      body: this.keep ? (this.view ?? this.buf ?? new Uint8Array(0)) : undefined,
      streamOffset: this.msgOffset,
      startAt,
      at,
      locate(bodyOffset: number) {
        let p: Piece | undefined;
        for (const q of pieces) {
          if (q.bodyOffset > bodyOffset) break;
          p = q;
        }
        return p === undefined
          ? { streamOffset: headerEnd + bodyOffset, at: startAt }
          : { streamOffset: p.streamOffset + (bodyOffset - p.bodyOffset), at: p.at };
      },
    };
    this.inBody = false;
    this.headerFill = 0;
    this.view = undefined;
    this.buf = undefined;
    this.pieces = [];
    this.messages++;
    this.sink.onMessage(message);
  }
}

//#endregion

//#region hello parsing

/** HelloProblem is a malformation found while parsing a hello: stable code, offset in the message body, and what was wrong. */
export interface HelloProblem {
  code: string;
  bodyOffset: number;
  message: string;
}

/** ParsedHello is what a hello parser returns: what decoded (undefined when not even the fixed fields did) and the problems. */
export interface ParsedHello<T> {
  value: T | undefined;
  problems: HelloProblem[];
}

/** ClientHello holds the fields of a ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) that the analysis uses. */
export interface ClientHello {
  legacyVersion: number;
  /** The 32-byte random in lower-case hex: key-log files name sessions by it (CLIENT_RANDOM). */
  random: string;
  /** legacy_session_id in hex ('' when empty). */
  sessionId: string;
  cipherSuites: number[];
  compressionMethods: number[];
  /** Extension types in order (GREASE included), e.g. for fingerprints. */
  extensionTypes: number[];
  /** server_name host_name (RFC 6066 §3); non-printable bytes are shown as \xNN. */
  serverName?: string;
  /** application_layer_protocol_negotiation protocol names (RFC 7301 §3.1). */
  alpn: string[];
  /** supported_versions (RFC 8446 §4.2.1). */
  supportedVersions: number[];
  /** supported_groups (RFC 8446 §4.2.7). */
  supportedGroups: number[];
  /** Groups of the key_share entries (RFC 8446 §4.2.8; extension 40 in drafts before 23). */
  keyShareGroups: number[];
  /** pre_shared_key is present (RFC 8446 §4.2.11). */
  pskOffered: boolean;
  /** early_data is present (RFC 8446 §4.2.10). */
  earlyData: boolean;
  /** session_ticket is present (RFC 5077 §3.2); `sessionTicketBytes` > 0 when a ticket is presented. */
  sessionTicket: boolean;
  sessionTicketBytes: number;
  /** The hello came in SSLv2-compatible form (RFC 5246 Appendix E.2). */
  sslv2: boolean;
}

/** ServerHello holds the fields of a ServerHello or HelloRetryRequest (RFC 8446 §4.1.3–4.1.4, RFC 5246 §7.4.1.3). */
export interface ServerHello {
  legacyVersion: number;
  /** The 32-byte random in lower-case hex. */
  random: string;
  /** legacy_session_id_echo in hex ('' when empty, or absent in TLS 1.3 drafts before 22). */
  sessionId: string;
  cipherSuite?: number;
  compressionMethod?: number;
  extensionTypes: number[];
  /** The random is the special HelloRetryRequest value (RFC 8446 §4.1.3). */
  helloRetryRequest: boolean;
  /** supported_versions selected_version (RFC 8446 §4.2.1). */
  selectedVersion?: number;
  /** The ALPN protocol selected (RFC 7301 §3.1); TLS 1.3 sends it encrypted, in EncryptedExtensions. */
  alpn?: string;
  /** key_share group (the selected group of a HelloRetryRequest). */
  keyShareGroup?: number;
  /** pre_shared_key selected_identity is present: the server accepted a PSK (RFC 8446 §4.2.11). */
  pskSelected: boolean;
  /** The random ends with the downgrade sentinel for TLS 1.2 or for ≤ 1.1 (RFC 8446 §4.1.3). */
  downgradeSentinel?: 'tls1.2' | 'tls1.1';
}

/** HELLO_RETRY_REQUEST_RANDOM is SHA-256("HelloRetryRequest"), the random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

// RFC 8446 §4.1.3: "DOWNGRD" followed by 01 (TLS 1.2) or 00 (TLS 1.1 and below).
const DOWNGRADE_PREFIX = '444f574e475244';

/** ExtensionType holds the extension code points parsed here (RFC 8446 §4.2, RFC 6066, RFC 7301, RFC 5077). */
export const ExtensionType = {
  serverName: 0,
  supportedGroups: 10,
  alpn: 16,
  sessionTicket: 35,
  draftKeyShare: 40,
  preSharedKey: 41,
  earlyData: 42,
  supportedVersions: 43,
  keyShare: 51,
} as const;

class Problems {
  readonly list: HelloProblem[] = [];
  add(code: string, bodyOffset: number, message: string): void {
    this.list.push({ code, bodyOffset, message });
  }
}

/** parseClientHello parses a ClientHello body (after the 4-byte handshake header); never throws. */
export function parseClientHello(body: Uint8Array): ParsedHello<ClientHello> {
  const problems = new Problems();
  const bad = (at: number, message: string): void => problems.add('tls.client-hello-malformed', at, message);
  const n = body.length;
  if (n < 34) {
    bad(0, `legacy_version and random need 34 bytes, the ClientHello has ${n}`);
    return { value: undefined, problems: problems.list };
  }
  const hello: ClientHello = {
    legacyVersion: u16(body, 0),
    random: toHex(body, 2, 34),
    sessionId: '',
    cipherSuites: [],
    compressionMethods: [],
    extensionTypes: [],
    alpn: [],
    supportedVersions: [],
    supportedGroups: [],
    keyShareGroups: [],
    pskOffered: false,
    earlyData: false,
    sessionTicket: false,
    sessionTicketBytes: 0,
    sslv2: false,
  };
  const result = { value: hello, problems: problems.list };
  let pos = 34;
  // legacy_session_id<0..32>
  const sid = readSessionId(body, pos, 'legacy_session_id', 'ClientHello', bad);
  if (sid === undefined) return result;
  hello.sessionId = sid.hex;
  pos = sid.next;
  // cipher_suites<2..2^16-2>
  if (pos + 2 > n) {
    bad(pos, 'the ClientHello ends before cipher_suites');
    return result;
  }
  const csLen = u16(body, pos);
  if (csLen < 2 || csLen % 2 !== 0) bad(pos, `cipher_suites length ${csLen} is not an even number ≥ 2`);
  if (pos + 2 + csLen > n) {
    bad(pos, `cipher_suites length ${csLen} runs past the ClientHello`);
    return result;
  }
  for (let p = pos + 2; p + 1 < pos + 2 + csLen; p += 2) hello.cipherSuites.push(u16(body, p));
  pos += 2 + csLen;
  // legacy_compression_methods<1..2^8-1>
  if (pos >= n) {
    bad(pos, 'the ClientHello ends before legacy_compression_methods');
    return result;
  }
  const cmLen = body[pos]!;
  if (cmLen === 0) bad(pos, 'legacy_compression_methods is empty');
  if (pos + 1 + cmLen > n) {
    bad(pos, `legacy_compression_methods length ${cmLen} runs past the ClientHello`);
    return result;
  }
  for (let p = pos + 1; p < pos + 1 + cmLen; p++) hello.compressionMethods.push(body[p]!);
  pos += 1 + cmLen;
  // RFC 5246 §7.4.1.2: extensions are present iff bytes follow the compression methods.
  if (pos === n) return result;
  const types = hello.extensionTypes;
  forEachExtension(body, pos, problems, 'tls.client-hello-malformed', types, (type, s, e) => {
    switch (type) {
      case ExtensionType.serverName:
        parseServerName(body, s, e, hello, problems);
        break;
      case ExtensionType.alpn:
        hello.alpn = parseAlpn(body, s, e, problems);
        break;
      case ExtensionType.supportedVersions:
        // RFC 8446 §4.2.1: ProtocolVersion versions<2..254> (1-byte length).
        hello.supportedVersions = parseU16List(body, s, e, 1, 'supported_versions', problems);
        break;
      case ExtensionType.supportedGroups:
        hello.supportedGroups = parseU16List(body, s, e, 2, 'supported_groups', problems);
        break;
      case ExtensionType.keyShare:
      case ExtensionType.draftKeyShare:
        if (type === ExtensionType.keyShare || hello.keyShareGroups.length === 0) {
          hello.keyShareGroups = parseClientKeyShares(body, s, e, problems);
        }
        break;
      case ExtensionType.preSharedKey:
        hello.pskOffered = true;
        break;
      case ExtensionType.earlyData:
        hello.earlyData = true;
        break;
      case ExtensionType.sessionTicket:
        hello.sessionTicket = true;
        hello.sessionTicketBytes = e - s;
        break;
    }
  });
  // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension in the ClientHello.
  const pskAt = types.indexOf(ExtensionType.preSharedKey);
  if (pskAt >= 0 && pskAt !== types.length - 1) {
    problems.add('tls.extension-malformed', pos, 'pre_shared_key is not the last extension (RFC 8446 §4.2.11)');
  }
  return result;
}

/** parseServerHello parses a ServerHello or HelloRetryRequest body (after the 4-byte handshake header); never throws. */
export function parseServerHello(body: Uint8Array): ParsedHello<ServerHello> {
  const problems = new Problems();
  const bad = (at: number, message: string): void => problems.add('tls.server-hello-malformed', at, message);
  const n = body.length;
  if (n < 34) {
    bad(0, `legacy_version and random need 34 bytes, the ServerHello has ${n}`);
    return { value: undefined, problems: problems.list };
  }
  const legacyVersion = u16(body, 0);
  const random = toHex(body, 2, 34);
  const tail = random.slice(48);
  const hello: ServerHello = {
    legacyVersion,
    random,
    sessionId: '',
    extensionTypes: [],
    helloRetryRequest: random === HELLO_RETRY_REQUEST_RANDOM,
    pskSelected: false,
  };
  if (tail === `${DOWNGRADE_PREFIX}01`) hello.downgradeSentinel = 'tls1.2';
  else if (tail === `${DOWNGRADE_PREFIX}00`) hello.downgradeSentinel = 'tls1.1';
  const result = { value: hello, problems: problems.list };
  // TLS 1.3 drafts before 22 had no session id echo nor compression method:
  // ServerHello { version, random, cipher_suite, extensions } (draft-ietf-tls-tls13-21 §4.1.3).
  const oldDraft = (legacyVersion & 0xff00) === 0x7f00 && (legacyVersion & 0xff) < 22;
  let pos = 34;
  if (!oldDraft) {
    const sid = readSessionId(body, pos, 'legacy_session_id_echo', 'ServerHello', bad);
    if (sid === undefined) return result;
    hello.sessionId = sid.hex;
    pos = sid.next;
  }
  if (pos + 2 > n) {
    bad(pos, 'the ServerHello ends before cipher_suite');
    return result;
  }
  hello.cipherSuite = u16(body, pos);
  pos += 2;
  if (!oldDraft) {
    if (pos >= n) {
      bad(pos, 'the ServerHello ends before legacy_compression_method');
      return result;
    }
    hello.compressionMethod = body[pos]!;
    pos += 1;
  }
  if (pos === n) return result;
  forEachExtension(body, pos, problems, 'tls.server-hello-malformed', hello.extensionTypes, (type, s, e) => {
    switch (type) {
      case ExtensionType.supportedVersions:
        // RFC 8446 §4.2.1: in a ServerHello, a single selected_version.
        if (e - s !== 2) problems.add('tls.extension-malformed', s, `supported_versions in a ServerHello is ${e - s} bytes, not 2`);
        if (e - s >= 2) hello.selectedVersion = u16(body, s);
        break;
      case ExtensionType.alpn: {
        const names = parseAlpn(body, s, e, problems);
        // RFC 7301 §3.1: the server's ProtocolNameList MUST contain exactly one name.
        if (names.length !== 1) {
          problems.add('tls.alpn-malformed', s, `the server's ALPN list has ${names.length} names; it must have exactly one`);
        }
        hello.alpn = names[0];
        break;
      }
      case ExtensionType.keyShare:
      case ExtensionType.draftKeyShare:
        // RFC 8446 §4.2.8: KeyShareServerHello { KeyShareEntry server_share }; HelloRetryRequest { NamedGroup selected_group }.
        if (e - s < 2) problems.add('tls.extension-malformed', s, 'key_share is shorter than a group');
        else hello.keyShareGroup = u16(body, s);
        if (!hello.helloRetryRequest && e - s >= 4 && s + 4 + u16(body, s + 2) !== e) {
          problems.add('tls.extension-malformed', s + 2, 'key_share key_exchange length does not match the extension');
        }
        break;
      case ExtensionType.preSharedKey:
        if (e - s !== 2) problems.add('tls.extension-malformed', s, `pre_shared_key in a ServerHello is ${e - s} bytes, not 2`);
        hello.pskSelected = true;
        break;
    }
  });
  return result;
}

/** parseSslv2ClientHello parses an SSLv2-compatible ClientHello record payload (msg_type first; RFC 5246 Appendix E.2); never throws. */
export function parseSslv2ClientHello(payload: Uint8Array): ParsedHello<ClientHello> {
  const problems = new Problems();
  const bad = (at: number, message: string): void => problems.add('tls.client-hello-malformed', at, message);
  const n = payload.length;
  if (n < 9 || payload[0] !== 1) {
    bad(0, `an SSLv2 CLIENT-HELLO needs msg_type 1 and 9 bytes of fixed fields; got ${n} bytes`);
    return { value: undefined, problems: problems.list };
  }
  const csLen = u16(payload, 3);
  const sidLen = u16(payload, 5);
  const challengeLen = u16(payload, 7);
  if (csLen % 3 !== 0) bad(3, `cipher_spec_length ${csLen} is not a multiple of 3`);
  if (challengeLen < 16 || challengeLen > 32) bad(7, `challenge_length ${challengeLen} is not 16-32`);
  if (9 + csLen + sidLen + challengeLen !== n) {
    bad(3, `cipher specs, session id and challenge (${csLen}+${sidLen}+${challengeLen} bytes) do not fill the ${n - 9} bytes after the fixed fields`);
  }
  const hello: ClientHello = {
    legacyVersion: u16(payload, 1),
    random: '',
    sessionId: '',
    cipherSuites: [],
    compressionMethods: [],
    extensionTypes: [],
    alpn: [],
    supportedVersions: [],
    supportedGroups: [],
    keyShareGroups: [],
    pskOffered: false,
    earlyData: false,
    sessionTicket: false,
    sessionTicketBytes: 0,
    sslv2: true,
  };
  // Bounds: each part is read only up to n.
  const csEnd = Math.min(n, 9 + csLen);
  // V2CipherSpec is 3 bytes; those with a zero first byte are TLS cipher suites.
  for (let p = 9; p + 3 <= csEnd; p += 3) {
    if (payload[p] === 0) hello.cipherSuites.push(u16(payload, p + 1));
  }
  const sidEnd = Math.min(n, csEnd + sidLen);
  hello.sessionId = toHex(payload, csEnd, sidEnd);
  const chEnd = Math.min(n, sidEnd + challengeLen);
  // The challenge is ClientHello.random with leading zero bytes to make 32 bytes.
  const challenge = toHex(payload, Math.max(sidEnd, chEnd - 32), chEnd);
  hello.random = challenge.padStart(64, '0');
  return { value: hello, problems: problems.list };
}

/** Walks an extensions block (RFC 8446 §4.2: Extension extensions<…>, each type, length, data). */
function forEachExtension(
  body: Uint8Array,
  pos: number,
  problems: Problems,
  trailingCode: string,
  types: number[],
  visit: (type: number, start: number, end: number) => void,
): void {
  const n = body.length;
  if (pos + 2 > n) {
    problems.add('tls.extension-overflow', pos, 'the extensions length is cut off by the end of the hello');
    return;
  }
  const blockLen = u16(body, pos);
  let end = pos + 2 + blockLen;
  if (end > n) {
    problems.add('tls.extension-overflow', pos, `extensions length ${blockLen} runs ${end - n} bytes past the end of the hello`);
    end = n;
  } else if (end < n) {
    problems.add(trailingCode, end, `${n - end} bytes follow the extensions`);
  }
  const seen = new Set<number>();
  let p = pos + 2;
  while (p < end) {
    if (end - p < 4) {
      problems.add('tls.extension-overflow', p, `${end - p} bytes left, too few for an extension header`);
      return;
    }
    const type = u16(body, p);
    const len = u16(body, p + 2);
    const s = p + 4;
    if (s + len > end) {
      problems.add('tls.extension-overflow', p + 2, `extension ${type} length ${len} runs ${s + len - end} bytes past the extensions`);
      return;
    }
    types.push(type);
    // RFC 8446 §4.2: there MUST NOT be more than one extension of the same type; the first one counts.
    if (seen.has(type)) problems.add('tls.extension-duplicate', p, `extension ${type} appears twice`);
    else visit(type, s, s + len);
    seen.add(type);
    p = s + len;
  }
}

/** RFC 6066 §3: ServerNameList { NameType name_type; HostName host_name<1..2^16-1> } server_name_list<1..2^16-1>. */
function parseServerName(body: Uint8Array, s: number, e: number, hello: ClientHello, problems: Problems): void {
  if (e - s < 2) {
    problems.add('tls.sni-malformed', s, 'server_name is too short for its list length');
    return;
  }
  const listLen = u16(body, s);
  let end = s + 2 + listLen;
  if (end !== e) {
    problems.add('tls.sni-malformed', s, `server_name list length ${listLen} but the extension holds ${e - s - 2} bytes`);
    end = Math.min(end, e);
  }
  if (listLen === 0) problems.add('tls.sni-malformed', s, 'server_name list is empty');
  let p = s + 2;
  while (p < end) {
    if (end - p < 3) {
      problems.add('tls.sni-malformed', p, 'server_name entry is cut off');
      return;
    }
    const nameType = body[p]!;
    const len = u16(body, p + 1);
    if (p + 3 + len > end) {
      problems.add('tls.sni-malformed', p + 1, `server name length ${len} runs past the list`);
      return;
    }
    if (nameType === 0) {
      if (len === 0) problems.add('tls.sni-malformed', p + 1, 'host_name is empty');
      else if (hello.serverName !== undefined) problems.add('tls.sni-malformed', p, 'more than one host_name (RFC 6066 §3)');
      else {
        hello.serverName = printable(body, p + 3, p + 3 + len);
        if (hello.serverName.includes('\\x')) problems.add('tls.sni-malformed', p + 3, 'host_name is not ASCII (RFC 6066 §3)');
      }
    }
    p += 3 + len;
  }
}

/** RFC 7301 §3.1: ProtocolName<1..2^8-1>; ProtocolNameList protocol_name_list<2..2^16-1>. */
function parseAlpn(body: Uint8Array, s: number, e: number, problems: Problems): string[] {
  const names: string[] = [];
  if (e - s < 2) {
    problems.add('tls.alpn-malformed', s, 'ALPN extension is too short for its list length');
    return names;
  }
  const listLen = u16(body, s);
  let end = s + 2 + listLen;
  if (end !== e) {
    problems.add('tls.alpn-malformed', s, `ALPN list length ${listLen} but the extension holds ${e - s - 2} bytes`);
    end = Math.min(end, e);
  }
  if (listLen < 2) problems.add('tls.alpn-malformed', s, 'ALPN protocol list is empty');
  let p = s + 2;
  while (p < end) {
    const len = body[p]!;
    if (len === 0) {
      problems.add('tls.alpn-malformed', p, 'empty ALPN protocol name (RFC 7301 §3.1)');
      p += 1;
      continue;
    }
    if (p + 1 + len > end) {
      problems.add('tls.alpn-malformed', p, `ALPN protocol name length ${len} runs past the list`);
      break;
    }
    names.push(printable(body, p + 1, p + 1 + len));
    p += 1 + len;
  }
  return names;
}

/** A list of uint16 with a 1- or 2-byte length prefix filling the extension. */
function parseU16List(body: Uint8Array, s: number, e: number, prefix: 1 | 2, name: string, problems: Problems): number[] {
  const list: number[] = [];
  if (e - s < prefix) {
    problems.add('tls.extension-malformed', s, `${name} is too short for its length`);
    return list;
  }
  const len = prefix === 1 ? body[s]! : u16(body, s);
  let end = s + prefix + len;
  if (end !== e || len % 2 !== 0) {
    problems.add('tls.extension-malformed', s, `${name} length ${len} does not fill the ${e - s - prefix}-byte extension with 2-byte values`);
    end = Math.min(end, e);
  }
  for (let p = s + prefix; p + 2 <= end; p += 2) list.push(u16(body, p));
  return list;
}

/** RFC 8446 §4.2.8: KeyShareClientHello { KeyShareEntry client_shares<0..2^16-1> }, entry = group, key_exchange<1..2^16-1>. */
function parseClientKeyShares(body: Uint8Array, s: number, e: number, problems: Problems): number[] {
  const groups: number[] = [];
  if (e - s < 2) {
    problems.add('tls.extension-malformed', s, 'key_share is too short for its length');
    return groups;
  }
  const len = u16(body, s);
  let end = s + 2 + len;
  if (end !== e) {
    problems.add('tls.extension-malformed', s, `key_share length ${len} but the extension holds ${e - s - 2} bytes`);
    end = Math.min(end, e);
  }
  let p = s + 2;
  while (p < end) {
    if (end - p < 4) {
      problems.add('tls.extension-malformed', p, 'key_share entry is cut off');
      break;
    }
    const keyLen = u16(body, p + 2);
    if (p + 4 + keyLen > end) {
      problems.add('tls.extension-malformed', p + 2, `key_exchange length ${keyLen} runs past key_share`);
      break;
    }
    groups.push(u16(body, p));
    p += 4 + keyLen;
  }
  return groups;
}

//#endregion

//#region helpers

/** negotiatedVersion is the version a ServerHello settles: supported_versions when present, else legacy_version (RFC 8446 §4.2.1). */
export function negotiatedVersion(hello: ServerHello): number {
  return hello.selectedVersion ?? hello.legacyVersion;
}

/** isTls13Hello says whether a ServerHello negotiates TLS 1.3 (or a draft of it); a HelloRetryRequest always does. */
export function isTls13Hello(hello: ServerHello): boolean {
  return hello.helloRetryRequest || isTls13Version(negotiatedVersion(hello));
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** toHex formats bytes [start, end) as lower-case hex. */
export function toHex(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[b[i]!]!;
  return s;
}

/** Printable ASCII as is, anything else as \xNN (names on the wire are bytes, not text). */
function printable(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${HEX[c]!}`;
  }
  return s;
}

//#endregion

/**
 * readSessionId reads a hello's session id, `opaque legacy_session_id<0..32>` (RFC 8446 §4.1.2):
 * its hex and the position after it, or undefined (with the problem reported) when it runs past the hello.
 */
function readSessionId(body: Uint8Array, pos: number, field: string, hello: string, bad: (at: number, message: string) => void): { hex: string; next: number } | undefined {
  if (pos >= body.length) {
    bad(pos, `the ${hello} ends before ${field}`);
    return undefined;
  }
  const length = body[pos]!;
  if (length > 32) bad(pos, `${field} length ${length} is over 32`);
  if (pos + 1 + length > body.length) {
    bad(pos, `${field} length ${length} runs past the ${hello}`);
    return undefined;
  }
  return { hex: toHex(body, pos + 1, pos + 1 + length), next: pos + 1 + length };
}
