// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { ChunkRef, Side, StreamEnd } from '../../../extension/core/http/streamTypes.js';
import { HandshakeType } from '../../../extension/core/tls/tlsHandshake.js';
import { TlsContentType, type TlsRecord } from '../../../extension/core/tls/tlsRecords.js';
import { TlsSession, looksLikeTls, type TlsInfo, type TlsSessionOptions } from '../../../extension/core/tls/tlsSession.js';
import {
  HRR_RANDOM,
  alpnExt,
  bytes,
  clientHelloBody,
  ext,
  handshake,
  random,
  record,
  serverHelloBody,
  sniExt,
  u16,
  vec16,
  vec8,
  type Part,
} from './build.js';
import {
  ALPN_H2_CLIENT_HELLO,
  ALPN_H2_SERVER_HELLO,
  DRAFT18_CLIENT_HELLO,
  DRAFT18_SERVER_APP_DATA,
  DRAFT18_SERVER_HELLO,
  HTTP_400,
  NSS_TLS13_CLIENT_HELLO,
  NSS_TLS13_SERVER_CCS,
  NSS_TLS13_SERVER_HELLO,
  SSL_ON_PORT_80_CLIENT_HELLO,
  ZEEK_TLS12_CLIENT_HELLO,
  ZEEK_TLS12_SERVER_HELLO,
} from './captured.js';

const { changeCipherSpec: CCS, alert: ALERT, handshake: HS, applicationData: APP } = TlsContentType;
const { clientHello: CH, serverHello: SH, certificate: CERT, serverHelloDone: SHD, clientKeyExchange: CKE } = HandshakeType;
const C: Side = 0;
const S: Side = 1;

/** Conn feeds a TlsSession like the TCP layer: per side, consecutive offsets, one push per frame. */
class Conn {
  readonly session: TlsSession;
  private readonly offsets: [number, number] = [0, 0];

  constructor(options?: TlsSessionOptions) {
    this.session = new TlsSession(options);
  }

  /** send pushes the concatenated parts as one frame from `side`. */
  send(side: Side, frame: number, time: number, ...parts: Part[]): this {
    const b = bytes(...parts);
    this.session.push(side, b, this.offsets[side], at(frame, time));
    this.offsets[side] += b.length;
    return this;
  }

  lose(side: Side, length: number): this {
    this.session.gap(side, this.offsets[side], length);
    this.offsets[side] += length;
    return this;
  }

  end(client: StreamEnd = 'fin', server: StreamEnd = 'fin'): TlsInfo {
    this.session.end(C, client);
    this.session.end(S, server);
    return this.session.info();
  }
}

function at(frame: number, time: number): ChunkRef {
  return { frame, time };
}

function frames(refs: (ChunkRef | undefined)[]): (number | undefined)[] {
  return refs.map((r) => r?.frame);
}

function codes(info: TlsInfo): string[] {
  return info.anomalies.map((a) => a.code);
}

describe('TlsSession on captured connections', () => {
  it('zeek__tls1.2.pcap: full TLS 1.2 handshake, application data, encrypted alert', () => {
    // Record layout and times of the capture (tshark -T fields -e frame.number -e frame.time_epoch -e tls.record.length);
    // the hellos are the captured bytes, the Certificate and encrypted records are same-size fillers.
    const T = 1357328848;
    const cert = record(HS, handshake(CERT, new Uint8Array(3823))); // tshark: record 3827, message 3823
    const serverApp = bytes(record(APP, new Uint8Array(1464)), record(APP, new Uint8Array(592)));
    const info = new Conn()
      .send(C, 4, T + 0.54937, ZEEK_TLS12_CLIENT_HELLO)
      .send(S, 5, T + 0.590455, ZEEK_TLS12_SERVER_HELLO, cert.subarray(0, 1262))
      .send(S, 6, T + 0.591056, cert.subarray(1262, 2610))
      .send(S, 8, T + 0.591964, cert.subarray(2610), record(HS, handshake(SHD, '')))
      .send(C, 10, T + 0.593103, record(HS, handshake(CKE, new Uint8Array(258))), record(CCS, [1]), record(HS, new Uint8Array(32)))
      .send(S, 11, T + 0.630157, record(CCS, [1]), record(HS, new Uint8Array(32)))
      .send(C, 13, T + 3.579601, record(APP, new Uint8Array(31)))
      .send(C, 15, T + 3.71544, record(APP, new Uint8Array(17)))
      .send(S, 16, T + 3.768589, serverApp.subarray(0, 1348))
      .send(S, 18, T + 3.768934, serverApp.subarray(1348))
      .send(C, 20, T + 3.769303, record(ALERT, new Uint8Array(18)))
      .end('fin', 'capture-end');
    expect(codes(info)).toEqual([]);
    // tshark: ServerHello cipher 0x0004, handshake.version 0x0303, no supported_versions.
    expect(info).toMatchObject({
      version: 'TLS 1.2',
      versionCode: 0x0303,
      cipherSuite: { code: 0x0004, name: 'TLS_RSA_WITH_RC4_128_MD5' },
      alpnOffered: [],
      clientRandom: '50e731d038d05540f1aa6d49b553450b82a4e09e47f3dd1fee79a65bccd70490',
      serverRandom: '52c1f4efa702f42726055d7c63834b4eb00e3646be7abb0e79bf0f8570838d58',
      // The server's session id is new (the client sent none): a full handshake.
      sessionResumed: false,
      helloRetryRequest: false,
      serverCertificate: true,
      serverHelloDone: true,
      // tshark: Application Data records 31, 17 (client) and 1464, 592 (server).
      applicationData: { clientBytes: 48, serverBytes: 2056, clientRecords: 2, serverRecords: 2 },
    });
    expect(info.sni).toBeUndefined();
    expect(info.alpn).toBeUndefined();
    // tshark Info column: 4 Client Hello, 5 Server Hello, 8 Certificate, Server Hello Done, 10 Client Key Exchange, …
    expect(info.handshakeMessages.map((m) => [m.side, m.name, m.at.frame])).toEqual([
      [C, 'client_hello', 4],
      [S, 'server_hello', 5],
      [S, 'certificate', 8],
      [S, 'server_hello_done', 8],
      [C, 'client_key_exchange', 10],
    ]);
    expect(frames([info.clientHelloAt, info.serverHelloAt, info.clientFinishedAt, info.serverFinishedAt, info.handshakeDoneAt])).toEqual([4, 5, 10, 11, 11]);
    expect(info.handshakeMs).toBe(80.787);
    // tshark: frame 20 "Encrypted Alert".
    expect(info.alerts).toEqual([{ side: C, encrypted: true, streamOffset: 690, at: at(20, T + 3.769303) }]);
    expect(info.records.client.changeCipherSpecAt).toEqual([at(10, T + 0.593103)]);
    expect(frames([info.records.server.firstApplicationDataAt, info.records.server.lastApplicationDataAt])).toEqual([16, 18]);
  });

  it('arkime__tls-alpn-h2.pcap: TLS 1.2 with SNI, ALPN h2 chosen', () => {
    const info = new Conn()
      .send(C, 4, 1593980608.666633, ALPN_H2_CLIENT_HELLO)
      .send(S, 6, 1593980608.696217, ALPN_H2_SERVER_HELLO)
      .end('capture-end', 'capture-end');
    // tshark: www.cloudflare.com | h2,http/1.1 (client) ; h2 | 0xcca9 (server)
    expect(codes(info)).toEqual([]);
    expect(info).toMatchObject({
      version: 'TLS 1.2',
      cipherSuite: { code: 0xcca9, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256' },
      sni: 'www.cloudflare.com',
      alpnOffered: ['h2', 'http/1.1'],
      alpn: 'h2',
      // The server echoes nothing the client sent (client session id empty).
      sessionResumed: false,
    });
    // The sentinel only matters when the client offered TLS 1.3, which this one did not.
    expect(info.serverHello!.downgradeSentinel).toBe('tls1.2');
    expect(info.handshakeDoneAt).toBeUndefined();
  });

  it('scapy__tls_nss_example.pcap stream 1: TLS 1.3; done at the client’s first record after the server flight', () => {
    const T = 1749547124;
    const info = new Conn()
      .send(C, 22, T + 0.393257, NSS_TLS13_CLIENT_HELLO)
      // tshark frame 24: records 22 (122), 20 (1), 23 (23, 960, 281, 69)
      .send(S, 24, T + 0.399423, NSS_TLS13_SERVER_HELLO, NSS_TLS13_SERVER_CCS, ...[23, 960, 281, 69].map((n) => record(APP, new Uint8Array(n))))
      // tshark frame 26: records 20 (1), 23 (69)
      .send(C, 26, T + 0.401463, record(CCS, [1]), record(APP, new Uint8Array(69)))
      .send(S, 27, T + 0.401602, record(APP, new Uint8Array(250)))
      .send(S, 28, T + 0.401635, record(APP, new Uint8Array(250)))
      .send(C, 30, T + 0.402813, record(APP, new Uint8Array(49)))
      .send(S, 31, T + 0.405532, record(APP, new Uint8Array(1794)))
      .send(S, 32, T + 0.405564, record(APP, new Uint8Array(19)))
      .send(C, 34, T + 0.40566, record(APP, new Uint8Array(19)))
      .end();
    expect(codes(info)).toEqual([]);
    // tshark: ServerHello 0x1302, supported_version 0x0304; randoms 74ef9557…10f2 / e2a60a74…3bb1
    expect(info).toMatchObject({
      version: 'TLS 1.3',
      versionCode: 0x0304,
      cipherSuite: { code: 0x1302, name: 'TLS_AES_256_GCM_SHA384' },
      clientRandom: '74ef95570af6a305910ee6cb0f98fc5bcec0c5d5dffe5f293ae9a4d7ba2110f2',
      serverRandom: 'e2a60a74b5dbb5904de79fae2d1c2625e782d9abe661d999161ce4b96f123bb1',
      // TLS 1.3 echoes the session id for middlebox compatibility: that is not resumption.
      sessionResumed: false,
      applicationData: { clientBytes: 137, serverBytes: 3646, clientRecords: 3, serverRecords: 8 },
      alerts: [],
    });
    expect(frames([info.clientHelloAt, info.serverHelloAt, info.handshakeDoneAt])).toEqual([22, 24, 26]);
    expect(info.handshakeMs).toBe(8.206);
    expect(info.clientFinishedAt).toBeUndefined();
  });

  it('arkime__tls13.pcap: TLS 1.3 draft 18', () => {
    const info = new Conn()
      .send(C, 4, 1483560476.246553, DRAFT18_CLIENT_HELLO)
      .send(S, 6, 1483560476.263899, DRAFT18_SERVER_HELLO, DRAFT18_SERVER_APP_DATA)
      .end('capture-end', 'capture-end');
    expect(codes(info)).toEqual([]);
    // tshark: "Version: TLS 1.3 (draft 18) (0x7f12)", cipher 0x1301, blog.cloudflare.com, h2,http/1.1
    expect(info).toMatchObject({
      version: 'TLS 1.3 (draft 18)',
      versionCode: 0x7f12,
      cipherSuite: { code: 0x1301, name: 'TLS_AES_128_GCM_SHA256' },
      sni: 'blog.cloudflare.com',
      alpnOffered: ['h2', 'http/1.1'],
      applicationData: { clientBytes: 0, serverBytes: 32, clientRecords: 0, serverRecords: 1 },
    });
    // TLS 1.3 sends the chosen ALPN encrypted (EncryptedExtensions).
    expect(info.alpn).toBeUndefined();
  });

  it('zeek__ssl-to-http-server.pcap: a ClientHello answered in HTTP is tls.not-tls on the server side', () => {
    const info = new Conn()
      .send(C, 3, 1677078951.956073, SSL_ON_PORT_80_CLIENT_HELLO)
      .send(S, 8, 1677078952.00371, HTTP_400)
      .end();
    expect(info.anomalies).toMatchObject([{ code: 'tls.not-tls', offset: 0, at: { frame: 8 } }]);
    expect(info.sni).toBe('vk.com');
    expect(info.version).toBeUndefined();
    expect(info.records.server.stoppedBy).toBe('tls.not-tls');
  });
});

describe('TlsSession framing', () => {
  it('parses a ClientHello split across two records and two TCP pushes like the unsplit one', () => {
    const whole = new Conn().send(C, 1, 1, NSS_TLS13_CLIENT_HELLO).end();
    const msg = NSS_TLS13_CLIENT_HELLO.subarray(5);
    const stream = bytes(record(HS, msg.subarray(0, 150), 0x0301), record(HS, msg.subarray(150), 0x0301));
    const split = new Conn().send(C, 1, 1, stream.subarray(0, 100)).send(C, 2, 2, stream.subarray(100)).end();
    expect(codes(split)).toEqual([]);
    expect(split.clientHello).toEqual(whole.clientHello);
    expect(split.records.client.handshake).toEqual({ records: 2, bytes: 220 });
    expect(split.clientHelloAt).toEqual(at(1, 1));
    expect(split.handshakeMessages[0]!.at).toEqual(at(2, 2));
  });

  it('maps a hello problem to its stream offset across a record header', () => {
    const body = clientHelloBody({ extensions: [alpnExt('h2', '')] });
    const msg = handshake(CH, body);
    const info = new Conn().send(C, 1, 1, record(HS, msg.subarray(0, 40)), record(HS, msg.subarray(40))).end();
    // The empty name's length byte is the body's last byte; the second record's payload starts at 5 + 40 + 5.
    expect(info.anomalies).toMatchObject([{ code: 'tls.alpn-malformed', offset: 50 + (4 + body.length - 1 - 40) }]);
    expect(info.alpnOffered).toEqual(['h2']);
  });

  it('reads ServerHello, Certificate and ServerHelloDone sharing one record', () => {
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody())))
      .send(S, 2, 2, record(HS, bytes(handshake(SH, serverHelloBody({ suite: 0xc02f })), handshake(CERT, new Uint8Array(500)), handshake(SHD, ''))))
      .end();
    expect(codes(info)).toEqual([]);
    expect(info).toMatchObject({ version: 'TLS 1.2', cipherSuite: { name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, serverCertificate: true, serverHelloDone: true });
  });
});

describe('TlsSession handshake variants', () => {
  const keyShare = (group: number): Uint8Array => ext(51, vec16(u16(group), vec16(new Uint8Array(32))));
  const tls13Hello = (group: number): Uint8Array =>
    clientHelloBody({ random: random(0x11), suites: [0x1301], extensions: [sniExt('hrr.example'), ext(43, vec8(u16(0x0304))), keyShare(group)] });

  it('follows a HelloRetryRequest (RFC 8446 §4.1.4), with a compatibility ChangeCipherSpec before the second ClientHello', () => {
    const info = new Conn()
      .send(C, 1, 1.0, record(HS, handshake(CH, tls13Hello(29)), 0x0301))
      .send(S, 2, 1.01, record(HS, handshake(SH, serverHelloBody({ random: HRR_RANDOM, extensions: [ext(43, u16(0x0304)), ext(51, u16(23))] }))), record(CCS, [1]))
      // RFC 8446 Appendix D.4: the client's CCS may come first; the second ClientHello after it is still in clear.
      .send(C, 3, 1.02, record(CCS, [1]), record(HS, handshake(CH, tls13Hello(23))))
      .send(S, 4, 1.03, record(HS, handshake(SH, serverHelloBody({ random: random(0x22), extensions: [ext(43, u16(0x0304)), ext(51, u16(23), vec16(new Uint8Array(65)))] }))), record(APP, new Uint8Array(100)))
      .send(C, 5, 1.045, record(APP, new Uint8Array(53)))
      .end();
    expect(codes(info)).toEqual([]);
    expect(info).toMatchObject({
      helloRetryRequest: true,
      version: 'TLS 1.3',
      sni: 'hrr.example',
      clientRandom: '11'.repeat(32),
      serverRandom: '22'.repeat(32),
      alerts: [],
    });
    expect(info.handshakeMessages.map((m) => [m.side, m.type, m.at.frame])).toEqual([
      [C, CH, 1],
      [S, SH, 2],
      [C, CH, 3],
      [S, SH, 4],
    ]);
    expect(frames([info.serverHelloAt, info.handshakeDoneAt])).toEqual([4, 5]);
    expect(info.handshakeMs).toBe(45);
  });

  it('sees TLS 1.2 resumption: session id echoed, abbreviated handshake done at the client’s Finished (RFC 5246 §7.3)', () => {
    const sid = new Uint8Array(32).fill(0x5a);
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody({ sessionId: sid, extensions: [sniExt('resume.example')] }))))
      .send(S, 2, 1.02, record(HS, handshake(SH, serverHelloBody({ sessionId: sid, suite: 0xc030 }))), record(CCS, [1]), record(HS, new Uint8Array(40)))
      .send(C, 3, 1.03, record(CCS, [1]), record(HS, new Uint8Array(40)), record(APP, new Uint8Array(30)))
      .end();
    expect(codes(info)).toEqual([]);
    expect(info).toMatchObject({ sessionResumed: true, serverCertificate: false, version: 'TLS 1.2' });
    expect(frames([info.serverFinishedAt, info.clientFinishedAt, info.handshakeDoneAt])).toEqual([2, 3, 3]);
    expect(info.handshakeMs).toBe(30);
  });

  it('sees TLS 1.3 resumption: pre_shared_key in the ServerHello (RFC 8446 §4.2.11)', () => {
    const chBody = clientHelloBody({ extensions: [ext(43, vec8(u16(0x0304))), keyShare(29), ext(41, vec16(vec16('aa'), new Uint8Array(4)), vec16(vec8(new Uint8Array(32))))] });
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, chBody)))
      .send(S, 2, 2, record(HS, handshake(SH, serverHelloBody({ extensions: [ext(43, u16(0x0304)), ext(41, u16(0))] }))))
      .end();
    expect(codes(info)).toEqual([]);
    expect(info.clientHello!.pskOffered).toBe(true);
    expect(info.sessionResumed).toBe(true);
  });

  it('flags the downgrade sentinel when the client offered TLS 1.3 (RFC 8446 §4.1.3)', () => {
    const sentinel = bytes(new Uint8Array(24).fill(7), '444f574e47524401');
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody({ extensions: [ext(43, vec8(u16(0x0304), u16(0x0303)))] }))))
      .send(S, 2, 2, record(HS, handshake(SH, serverHelloBody({ random: sentinel, suite: 0xc02f }))))
      .end();
    expect(info.version).toBe('TLS 1.2');
    // The sentinel is the last 8 bytes of the random: body offset 26, after the 5 + 4 header bytes.
    expect(info.anomalies).toMatchObject([{ code: 'tls.downgrade-sentinel', offset: 9 + 26 }]);
  });

  it('reads an SSLv2-compatible ClientHello and the TLS records after it', () => {
    const v2 = bytes('801f 01 0301 0006 0000 0010 00002f 010080', new Uint8Array(16).fill(0xab));
    const info = new Conn()
      .send(C, 1, 1, v2)
      .send(S, 2, 2, record(HS, handshake(SH, serverHelloBody({ version: 0x0301, suite: 0x002f })), 0x0301))
      .send(C, 3, 3, record(HS, handshake(CKE, new Uint8Array(130)), 0x0301))
      .end();
    expect(codes(info)).toEqual(['tls.sslv2-client-hello']);
    expect(info).toMatchObject({ version: 'TLS 1.0', clientRandom: '00'.repeat(16) + 'ab'.repeat(16), cipherSuite: { name: 'TLS_RSA_WITH_AES_128_CBC_SHA' } });
    expect(info.clientHello!.sslv2).toBe(true);
    expect(info.handshakeMessages.map((m) => m.type)).toEqual([SH, CKE]);
  });

  it('flags hellos from the wrong side and repeated ServerHellos (tls.unexpected-handshake)', () => {
    const info = new Conn()
      .send(C, 1, 1, record(HS, bytes(handshake(CH, clientHelloBody()), handshake(SH, serverHelloBody()))))
      .send(S, 2, 2, record(HS, bytes(handshake(SH, serverHelloBody()), handshake(SH, serverHelloBody()), handshake(CH, clientHelloBody()))))
      .end();
    expect(codes(info)).toEqual(['tls.unexpected-handshake', 'tls.unexpected-handshake', 'tls.unexpected-handshake']);
  });

  it('flags a handshake message cut by the sender’s FIN (tls.truncated-handshake)', () => {
    const msg = handshake(CERT, new Uint8Array(100));
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody())))
      .send(S, 2, 2, record(HS, handshake(SH, serverHelloBody())), record(HS, msg.subarray(0, 50)))
      .end('fin', 'fin');
    expect(info.anomalies).toMatchObject([{ code: 'tls.truncated-handshake', offset: 5 + 4 + serverHelloBody().length + 5 }]);
  });
});

describe('TlsSession gaps', () => {
  const hello = (): Conn => new Conn().send(C, 1, 1, record(HS, handshake(CH, clientHelloBody()))).send(S, 2, 2, record(HS, handshake(SH, serverHelloBody({ suite: 0xc02f }))));

  it('stops the server side at a gap on a record boundary (tls.gap); the client side goes on', () => {
    const info = hello()
      .lose(S, 1000)
      .send(S, 4, 4, record(CCS, [1]), record(HS, new Uint8Array(40)))
      .send(C, 5, 5, record(HS, handshake(CKE, new Uint8Array(33))), record(CCS, [1]), record(HS, new Uint8Array(40)), record(APP, new Uint8Array(60)))
      .end();
    expect(info.anomalies).toMatchObject([{ code: 'tls.gap', offset: 5 + 4 + serverHelloBody().length }]);
    expect(info.records.server.stoppedBy).toBe('tls.gap');
    expect(info.applicationData).toEqual({ clientBytes: 60, serverBytes: 0, clientRecords: 1, serverRecords: 0 });
    expect(info.clientFinishedAt?.frame).toBe(5);
    expect(info.serverFinishedAt).toBeUndefined();
  });

  it('skips a gap inside the Certificate record: handshake parsing stops, records go on', () => {
    const cert = record(HS, handshake(CERT, new Uint8Array(3000)));
    const info = hello()
      .send(S, 3, 3, cert.subarray(0, 1000))
      .lose(S, 1500)
      .send(S, 5, 5, cert.subarray(2500), record(HS, handshake(SHD, '')))
      .send(C, 6, 6, record(HS, handshake(CKE, new Uint8Array(33))), record(CCS, [1]), record(HS, new Uint8Array(40)))
      .send(S, 7, 7, record(CCS, [1]), record(HS, new Uint8Array(40)))
      .end();
    expect(codes(info)).toEqual(['tls.gap']);
    expect(info.records.server.gapBytes).toBe(1500);
    expect(info.records.server.stoppedBy).toBeUndefined();
    // ServerHelloDone came after the hole: not parsed. The Finished records are still seen.
    expect(info.serverHelloDone).toBe(false);
    expect(frames([info.clientFinishedAt, info.serverFinishedAt, info.handshakeDoneAt])).toEqual([6, 7, 7]);
  });
});

describe('TlsSession options and robustness', () => {
  it('hands every record to onRecord, with application data kept when asked', () => {
    const seen: [number, number, number | undefined][] = [];
    const hook = (r: TlsRecord): void => void seen.push([r.side, r.contentType, r.payload?.length]);
    new Conn({ onRecord: hook, keepPayload: () => true })
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody())), record(APP, 'aabb'))
      .send(S, 2, 2, record(ALERT, [2, 40]))
      .end();
    expect(seen).toEqual([
      [C, HS, 4 + clientHelloBody().length],
      [C, APP, 2],
      [S, ALERT, 2],
    ]);
  });

  it('lists plaintext alerts of both sides in capture order', () => {
    const info = new Conn()
      .send(C, 1, 1, record(HS, handshake(CH, clientHelloBody())))
      .send(S, 2, 2, record(ALERT, [2, 40]))
      .send(C, 3, 3, record(ALERT, [1, 0]))
      .end();
    expect(info.alerts.map((a) => [a.side, a.level, a.name, a.at.frame])).toEqual([
      [S, 2, 'handshake_failure', 2],
      [C, 1, 'close_notify', 3],
    ]);
  });

  it('caps the anomaly list and counts the rest', () => {
    const s = new TlsSession({ maxAnomalies: 1 });
    s.push(C, record(HS, handshake(CH, clientHelloBody({ extensions: [alpnExt('', ''), sniExt('')] }))), 0, at(1, 1));
    const info = s.info();
    expect(info.anomalies).toHaveLength(1);
    expect(info.anomaliesDropped).toBe(2);
  });

  it('never throws on truncated, corrupted or gappy versions of a real connection', () => {
    const client = bytes(ZEEK_TLS12_CLIENT_HELLO, record(CCS, [1]), record(APP, new Uint8Array(40)));
    const server = bytes(ZEEK_TLS12_SERVER_HELLO, record(HS, handshake(CERT, new Uint8Array(300))), record(HS, handshake(SHD, '')));
    let seed = 7;
    const rnd = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * n);
    for (let round = 0; round < 400; round++) {
      const s = new TlsSession();
      const sides: [Uint8Array, Uint8Array] = [client.slice(), server.slice()];
      for (const b of sides) for (let k = rnd(4); k > 0; k--) b[rnd(b.length)] = rnd(256);
      const offsets = [0, 0];
      for (let step = 0; step < 40; step++) {
        const side = rnd(2) as Side;
        const b = sides[side];
        const off = offsets[side]!;
        if (off >= b.length) continue;
        const len = 1 + rnd(120);
        if (rnd(20) === 0) s.gap(side, off, len);
        else s.push(side, b.subarray(off, off + len), off, at(step, step));
        offsets[side] = off + len;
      }
      s.end(C, 'fin');
      s.end(S, rnd(2) === 0 ? 'fin' : 'rst');
      expect(() => s.info()).not.toThrow();
    }
  });
});

describe('looksLikeTls', () => {
  it.each<[string, Uint8Array, boolean]>([
    ['a ClientHello (zeek__tls1.2.pcap frame 4)', ZEEK_TLS12_CLIENT_HELLO, true],
    ['a ServerHello first (server side seen first)', ZEEK_TLS12_SERVER_HELLO, true],
    ['just a 5-byte handshake header', ZEEK_TLS12_CLIENT_HELLO.subarray(0, 5), true],
    ['an SSLv2-compatible ClientHello', bytes('801f 01 0301 0006'), true],
    ['4 bytes', ZEEK_TLS12_CLIENT_HELLO.subarray(0, 4), false],
    ['an HTTP request', new TextEncoder().encode('GET / HTTP/1.1\r\n'), false],
    ['an HTTP response (zeek__ssl-to-http-server.pcap frame 8)', HTTP_400, false],
    ['application data', record(APP, 'aabbcc'), false],
    ['version 0x0305', bytes(22, u16(0x0305), u16(100), 1), false],
    ['an empty handshake record', bytes(22, u16(0x0301), u16(0)), false],
    ['a handshake record over 2^14', bytes(22, u16(0x0303), u16(16385), 1), false],
    ['a Certificate first', bytes(22, u16(0x0303), u16(100), CERT), false],
  ])('%s → %s', (_what, first, want) => {
    expect(looksLikeTls(first)).toBe(want);
  });
});
