// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  HandshakeReader,
  HandshakeType,
  MAX_HELLO_BYTES,
  parseClientHello,
  parseServerHello,
  parseSslv2ClientHello,
  type ParsedHello,
} from '../../../extension/core/tls/tlsHandshake.js';
import { HRR_RANDOM, MessageCollector, alpnExt, bytes, chunk, clientHelloBody, ext, handshake, serverHelloBody, sniExt, u16, vec16, vec8 } from './build.js';
import {
  ALPN_H2_CLIENT_HELLO,
  ALPN_H2_SERVER_HELLO,
  DRAFT18_CLIENT_HELLO,
  DRAFT18_SERVER_HELLO,
  NSS_TLS13_CLIENT_HELLO,
  NSS_TLS13_SERVER_HELLO,
  SSL_ON_PORT_80_CLIENT_HELLO,
  ZEEK_TLS12_CLIENT_HELLO,
  ZEEK_TLS12_SERVER_HELLO,
  helloBody,
} from './captured.js';

function value<T>(parsed: ParsedHello<T>): T {
  expect(parsed.value).toBeDefined();
  return parsed.value!;
}

function codes(parsed: ParsedHello<unknown>): string[] {
  return parsed.problems.map((p) => p.code);
}

const { clientHello: CH, serverHello: SH, certificate: CERT, serverHelloDone: SHD } = HandshakeType;

describe('parseClientHello on captured hellos (expectations = tshark -T fields)', () => {
  it('zeek__tls1.2.pcap frame 4: TLS 1.2, no SNI nor ALPN, two compression methods', () => {
    const p = parseClientHello(helloBody(ZEEK_TLS12_CLIENT_HELLO));
    expect(p.problems).toEqual([]);
    const h = value(p);
    // tshark: version 0x0303, random 50e731d0…0490, session_id empty, comp_method 1,0, extension.type 11,10,35,13,15
    expect(h).toMatchObject({
      legacyVersion: 0x0303,
      random: '50e731d038d05540f1aa6d49b553450b82a4e09e47f3dd1fee79a65bccd70490',
      sessionId: '',
      compressionMethods: [1, 0],
      extensionTypes: [11, 10, 35, 13, 15],
      alpn: [],
      supportedVersions: [],
      sessionTicket: true,
      sessionTicketBytes: 0,
      sslv2: false,
    });
    expect(h.serverName).toBeUndefined();
    // tshark: 0xc030,0xc02c,…,0x0003,0x00ff — 80 suites.
    expect(h.cipherSuites).toHaveLength(80);
    expect(h.cipherSuites.slice(0, 2)).toEqual([0xc030, 0xc02c]);
    expect(h.cipherSuites.slice(-2)).toEqual([0x0003, 0x00ff]);
    // tshark: supported_group 0x000e,0x000d,0x0019,…,0x0011 (25 groups).
    expect(h.supportedGroups).toHaveLength(25);
    expect(h.supportedGroups.slice(0, 3)).toEqual([0x0e, 0x0d, 0x19]);
  });

  it('arkime__tls-alpn-h2.pcap frame 4: TLS 1.2 with SNI and ALPN', () => {
    const p = parseClientHello(helloBody(ALPN_H2_CLIENT_HELLO));
    expect(p.problems).toEqual([]);
    const h = value(p);
    // tshark: www.cloudflare.com | h2,http/1.1 | 0xc030,…,0x00ff (46) | 858226c0…9c70; extension.type 0,11,10,13,16
    expect(h).toMatchObject({
      serverName: 'www.cloudflare.com',
      alpn: ['h2', 'http/1.1'],
      random: '858226c04fbaeddef4246093b4cfdab38f9dcfef145360e417686575cac49c70',
      extensionTypes: [0, 11, 10, 13, 16],
      supportedGroups: [0x1d, 0x17, 0x18],
      compressionMethods: [0],
    });
    expect(h.cipherSuites).toHaveLength(46);
    expect(h.cipherSuites.slice(-3)).toEqual([0x0016, 0x000a, 0x00ff]);
  });

  it('scapy__tls_nss_example.pcap frame 22: TLS 1.3', () => {
    const h = value(parseClientHello(helloBody(NSS_TLS13_CLIENT_HELLO)));
    // tshark: | | 0x1302,0x1303,0x1301,0x00ff | 74ef9557…10f2 | 0x0304; key_share_group 29; extension.type 11,10,35,22,23,13,43,45,51
    expect(h).toMatchObject({
      cipherSuites: [0x1302, 0x1303, 0x1301, 0x00ff],
      random: '74ef95570af6a305910ee6cb0f98fc5bcec0c5d5dffe5f293ae9a4d7ba2110f2',
      sessionId: 'bafd6cd1e537cb38b7a988cabe5393cbfe399fd17a96c65d299eb5c9c9f83457',
      supportedVersions: [0x0304],
      keyShareGroups: [29],
      supportedGroups: [0x1d, 0x17, 0x1e, 0x19, 0x18, 0x100, 0x101, 0x102, 0x103, 0x104],
      extensionTypes: [11, 10, 35, 22, 23, 13, 43, 45, 51],
      pskOffered: false,
      earlyData: false,
    });
  });

  it('arkime__tls13.pcap frame 4: TLS 1.3 draft 18 with GREASE and key_share in extension 40', () => {
    const p = parseClientHello(helloBody(DRAFT18_CLIENT_HELLO));
    expect(p.problems).toEqual([]);
    const h = value(p);
    // tshark: blog.cloudflare.com | h2,http/1.1 | 0x4a4a,0x1301,… (19) | 4355d402…1d8d | 0xcaca,0x7f12,0x0303,0x0302,0x0301
    expect(h).toMatchObject({
      serverName: 'blog.cloudflare.com',
      alpn: ['h2', 'http/1.1'],
      random: '4355d402c132771a9386b6e9994ae37069e0621af504c26673b1343843c21d8d',
      supportedVersions: [0xcaca, 0x7f12, 0x0303, 0x0302, 0x0301],
      // tshark: key_share_group 23130,29; supported_group 0x5a5a,0x001d,0x0017,0x0018
      keyShareGroups: [23130, 29],
      supportedGroups: [0x5a5a, 0x1d, 0x17, 0x18],
      extensionTypes: [56026, 65281, 0, 23, 35, 13, 5, 18, 16, 30032, 11, 40, 45, 43, 10, 2570, 21],
    });
    expect(h.cipherSuites).toHaveLength(19);
    expect(h.cipherSuites[0]).toBe(0x4a4a);
  });

  it('zeek__ssl-to-http-server.pcap frame 3: TLS 1.0 hello with SNI', () => {
    const h = value(parseClientHello(helloBody(SSL_ON_PORT_80_CLIENT_HELLO)));
    // tshark (decode-as tls): vk.com | 0x002f,0x0035,0x000a,0xc013,0xc014,0xc009,0xc00a,0x0032,0x0038,0x0013; version 0x0301
    expect(h).toMatchObject({
      legacyVersion: 0x0301,
      serverName: 'vk.com',
      cipherSuites: [0x2f, 0x35, 0x0a, 0xc013, 0xc014, 0xc009, 0xc00a, 0x32, 0x38, 0x13],
      random: '63f6315dfd0bf853f1ff54a5c4d5bddce5245f8f00121ca6f818e49ab6dca3eb',
    });
  });
});

describe('parseServerHello on captured hellos (expectations = tshark -T fields)', () => {
  it('zeek__tls1.2.pcap frame 5: TLS 1.2, RC4-MD5, session id', () => {
    const p = parseServerHello(helloBody(ZEEK_TLS12_SERVER_HELLO));
    expect(p.problems).toEqual([]);
    // tshark: 2 | | | 0x0004 | 52c1f4ef…8d58; session_id fa283db6…07cf; comp_method 0; extension.type 65281
    expect(value(p)).toEqual({
      legacyVersion: 0x0303,
      random: '52c1f4efa702f42726055d7c63834b4eb00e3646be7abb0e79bf0f8570838d58',
      sessionId: 'fa283db6334ef9973bf89aaa913c784c3d4fd57a954864a5aef82a01aae807cf',
      cipherSuite: 0x0004,
      compressionMethod: 0,
      extensionTypes: [65281],
      helloRetryRequest: false,
      pskSelected: false,
    });
  });

  it('arkime__tls-alpn-h2.pcap frame 6: ALPN h2 chosen, downgrade sentinel', () => {
    const h = value(parseServerHello(helloBody(ALPN_H2_SERVER_HELLO)));
    // tshark: 2 | | h2 | 0xcca9 | 5f0236c0…4e47524401
    expect(h).toMatchObject({
      cipherSuite: 0xcca9,
      alpn: 'h2',
      random: '5f0236c07f47bfb12dc2da706ecb3fe7f9eeac9968cc2ddf444f574e47524401',
      extensionTypes: [0, 65281, 11, 16],
      downgradeSentinel: 'tls1.2',
    });
  });

  it('scapy__tls_nss_example.pcap frame 24: TLS 1.3 via supported_versions', () => {
    const h = value(parseServerHello(helloBody(NSS_TLS13_SERVER_HELLO)));
    // tshark: 2 | | | 0x1302 | e2a60a74…3bb1 | 0x0304; key_share_group 29; extension.type 43,51
    expect(h).toMatchObject({
      legacyVersion: 0x0303,
      selectedVersion: 0x0304,
      cipherSuite: 0x1302,
      keyShareGroup: 29,
      extensionTypes: [43, 51],
      random: 'e2a60a74b5dbb5904de79fae2d1c2625e782d9abe661d999161ce4b96f123bb1',
      sessionId: 'bafd6cd1e537cb38b7a988cabe5393cbfe399fd17a96c65d299eb5c9c9f83457',
    });
    expect(h.downgradeSentinel).toBeUndefined();
  });

  it('arkime__tls13.pcap frame 6: draft-18 layout without session id nor compression', () => {
    const p = parseServerHello(helloBody(DRAFT18_SERVER_HELLO));
    expect(p.problems).toEqual([]);
    // tshark: version 0x7f12 "TLS 1.3 (draft 18)", cipher 0x1301, random 3ef1609f…1bf6, key_share (40) group 29
    expect(value(p)).toEqual({
      legacyVersion: 0x7f12,
      random: '3ef1609fd3f4fa8668aac5822d500fb0639b22671d0fb7258597355795511bf6',
      sessionId: '',
      cipherSuite: 0x1301,
      extensionTypes: [40],
      keyShareGroup: 29,
      helloRetryRequest: false,
      pskSelected: false,
    });
  });

  it('recognises a HelloRetryRequest by its random (RFC 8446 §4.1.3)', () => {
    const body = serverHelloBody({ random: HRR_RANDOM, extensions: [ext(43, u16(0x0304)), ext(51, u16(0x0017))] });
    const p = parseServerHello(body);
    expect(p.problems).toEqual([]);
    expect(value(p)).toMatchObject({ helloRetryRequest: true, random: HELLO_RETRY_REQUEST_RANDOM, selectedVersion: 0x0304, keyShareGroup: 0x17 });
  });

  it('sees an accepted PSK and a TLS 1.1 downgrade sentinel', () => {
    const rnd = bytes(new Uint8Array(24), '444f574e47524400');
    const h = value(parseServerHello(serverHelloBody({ random: rnd, extensions: [ext(41, u16(0))] })));
    expect(h).toMatchObject({ pskSelected: true, downgradeSentinel: 'tls1.1' });
  });
});

describe('malformed hellos', () => {
  const good = (extensions: Uint8Array[]): Uint8Array => clientHelloBody({ extensions });

  it('never throws on any truncation of the captured hellos, and keeps what decoded', () => {
    for (const rec of [ZEEK_TLS12_CLIENT_HELLO, ALPN_H2_CLIENT_HELLO, NSS_TLS13_CLIENT_HELLO, DRAFT18_CLIENT_HELLO]) {
      const body = helloBody(rec);
      const full = value(parseClientHello(body));
      for (let cut = 0; cut < body.length; cut++) {
        const p = parseClientHello(body.subarray(0, cut));
        if (cut < 34) expect(p.value).toBeUndefined();
        else expect(p.value!.random).toBe(full.random);
        // A hello cut right after the compression methods is a valid extension-less TLS 1.2 hello (RFC 5246 §7.4.1.2).
        if (p.problems.length === 0) expect(p.value!.extensionTypes).toEqual([]);
      }
    }
    for (const rec of [ZEEK_TLS12_SERVER_HELLO, ALPN_H2_SERVER_HELLO, NSS_TLS13_SERVER_HELLO, DRAFT18_SERVER_HELLO]) {
      const body = helloBody(rec);
      for (let cut = 0; cut < body.length; cut++) expect(() => parseServerHello(body.subarray(0, cut))).not.toThrow();
    }
  });

  it('reports the field where a truncated hello ends', () => {
    const body = clientHelloBody({ suites: [0x1301, 0x1302, 0x1303] });
    expect(parseClientHello(body.subarray(0, 20)).problems).toMatchObject([{ code: 'tls.client-hello-malformed', bodyOffset: 0 }]);
    // Cut inside cipher_suites (which start at 35).
    const p = parseClientHello(body.subarray(0, 39));
    expect(p.problems).toMatchObject([{ code: 'tls.client-hello-malformed', bodyOffset: 35 }]);
    expect(p.value!.cipherSuites).toEqual([]);
    expect(codes(parseServerHello(serverHelloBody().subarray(0, 36)))).toEqual(['tls.server-hello-malformed']);
  });

  it('keeps the extensions that fit when the extensions length runs past the hello (tls.extension-overflow)', () => {
    const body = helloBody(ALPN_H2_CLIENT_HELLO).slice();
    // The extensions length (0x005f) sits 2 bytes before the first extension; claim 10 more bytes.
    const at = body.length - 0x5f - 2;
    expect(body[at + 1]).toBe(0x5f);
    body[at + 1] = 0x5f + 10;
    const p = parseClientHello(body);
    expect(p.problems).toMatchObject([{ code: 'tls.extension-overflow', bodyOffset: at }]);
    expect(p.value).toMatchObject({ serverName: 'www.cloudflare.com', alpn: ['h2', 'http/1.1'] });
  });

  it('stops at an extension whose length runs past the extensions block', () => {
    const body = good([sniExt('a.example'), bytes(u16(16), u16(200), vec16(vec8('6832')))]);
    const p = parseClientHello(body);
    expect(codes(p)).toEqual(['tls.extension-overflow']);
    expect(p.value).toMatchObject({ serverName: 'a.example', alpn: [], extensionTypes: [0] });
  });

  it('flags a server_name list length that lies (RFC 6066 §3)', () => {
    // list length 0x20 where the extension holds 0x0e bytes after it
    const p = parseClientHello(good([ext(0, u16(0x20), 0, vec16('612e6578616d706c65'))]));
    expect(codes(p)).toEqual(['tls.sni-malformed']);
    expect(p.value!.serverName).toBe('a.example');
    const tooLong = parseClientHello(good([ext(0, vec16(0, u16(50), '61'))]));
    expect(codes(tooLong)).toEqual(['tls.sni-malformed']);
    expect(tooLong.value!.serverName).toBeUndefined();
    expect(codes(parseClientHello(good([ext(0, vec16(0, vec16()))])))).toEqual(['tls.sni-malformed']);
    expect(codes(parseClientHello(good([ext(0, vec16(0, vec16('6162ff')))])))).toEqual(['tls.sni-malformed']);
    expect(codes(parseClientHello(good([ext(0, 5)])))).toEqual(['tls.sni-malformed']);
  });

  it('flags an empty ALPN protocol name and keeps the others (RFC 7301 §3.1)', () => {
    const p = parseClientHello(good([alpnExt('h2', '', 'http/1.1')]));
    expect(codes(p)).toEqual(['tls.alpn-malformed']);
    expect(p.value!.alpn).toEqual(['h2', 'http/1.1']);
    expect(codes(parseClientHello(good([ext(16, vec16(5, '6832'))])))).toEqual(['tls.alpn-malformed']);
    expect(codes(parseClientHello(good([ext(16, u16(9), vec8('6832'))])))).toEqual(['tls.alpn-malformed']);
    expect(codes(parseClientHello(good([ext(16, vec16())])))).toEqual(['tls.alpn-malformed']);
    // The server must choose exactly one.
    expect(codes(parseServerHello(serverHelloBody({ extensions: [alpnExt('h2', 'http/1.1')] })))).toEqual(['tls.alpn-malformed']);
  });

  it.each([
    ['a duplicate extension (RFC 8446 §4.2; the first counts)', good([sniExt('a'), sniExt('b')]), ['tls.extension-duplicate']],
    ['pre_shared_key not last (RFC 8446 §4.2.11)', good([ext(41, vec16()), sniExt('a')]), ['tls.extension-malformed']],
    ['an odd supported_versions list', good([ext(43, vec8('0304 03'))]), ['tls.extension-malformed']],
    ['a key_share entry past the extension', good([ext(51, vec16(u16(29), u16(32), '00'))]), ['tls.extension-malformed']],
    ['a session id of 33 bytes', clientHelloBody({ sessionId: new Uint8Array(33) }), ['tls.client-hello-malformed']],
    ['an odd cipher_suites length', bytes(u16(0x0303), new Uint8Array(32), 0, vec16('130113'), vec8(0)), ['tls.client-hello-malformed']],
    ['no compression methods', clientHelloBody({ compression: [] }), ['tls.client-hello-malformed']],
    ['bytes after the extensions', bytes(good([sniExt('a')]), 'ff'), ['tls.client-hello-malformed']],
    ['three bytes where an extension header goes', bytes(u16(0x0303), new Uint8Array(32), 0, vec16(u16(0x1301)), vec8(0), vec16('000000')), ['tls.extension-overflow']],
  ])('flags %s', (_what, body, want) => {
    const p = parseClientHello(body);
    expect(codes(p)).toEqual(want);
    expect(p.value).toBeDefined();
  });

  it('flags a ServerHello supported_versions that is not one version', () => {
    expect(codes(parseServerHello(serverHelloBody({ extensions: [ext(43, '030403')] })))).toEqual(['tls.extension-malformed']);
  });
});

describe('parseSslv2ClientHello', () => {
  it('takes TLS suites and pads the challenge into the random (RFC 5246 Appendix E.2)', () => {
    const payload = bytes('01 0301 0006 0000 0010 00002f 010080', new Uint8Array(16).fill(0xab));
    const p = parseSslv2ClientHello(payload);
    expect(p.problems).toEqual([]);
    expect(value(p)).toMatchObject({ legacyVersion: 0x0301, cipherSuites: [0x002f], sessionId: '', random: '00'.repeat(16) + 'ab'.repeat(16), sslv2: true });
  });

  it('flags lengths that do not add up', () => {
    const p = parseSslv2ClientHello(bytes('01 0301 0004 0000 0040 00002f 01', new Uint8Array(8)));
    expect(codes(p)).toEqual(['tls.client-hello-malformed', 'tls.client-hello-malformed', 'tls.client-hello-malformed']);
    expect(parseSslv2ClientHello(bytes('01 0301')).value).toBeUndefined();
  });
});

describe('HandshakeReader', () => {
  function reader(options?: ConstructorParameters<typeof HandshakeReader>[2]): { r: HandshakeReader; c: MessageCollector } {
    const c = new MessageCollector();
    return { r: new HandshakeReader(1, c, options), c };
  }

  it('delivers several messages from one push, keeping only hello bodies', () => {
    const shBody = serverHelloBody();
    const { r, c } = reader();
    r.push(bytes(handshake(SH, shBody), handshake(CERT, new Uint8Array(300)), handshake(SHD, '')), 1000, chunk(5));
    expect(c.anomalies).toEqual([]);
    expect(c.messages.map((m) => [m.type, m.length, m.streamOffset, m.body?.length])).toEqual([
      [SH, shBody.length, 1000, shBody.length],
      [CERT, 300, 1004 + shBody.length, undefined],
      [SHD, 0, 1308 + shBody.length, undefined],
    ]);
  });

  it('reassembles a ClientHello split across two records (two pushes from two frames)', () => {
    const msg = handshake(CH, helloBody(ALPN_H2_CLIENT_HELLO));
    const { r, c } = reader();
    // The second record's header sits between the two fragments in the stream: 5 bytes of offset.
    r.push(msg.subarray(0, 100), 5, chunk(4));
    r.push(msg.subarray(100), 110, chunk(5));
    expect(c.messages).toHaveLength(1);
    const m = c.messages[0]!;
    expect(m.body).toEqual(helloBody(ALPN_H2_CLIENT_HELLO));
    expect(m).toMatchObject({ startAt: chunk(4), at: chunk(5), streamOffset: 5 });
    // The last body byte lies in the second fragment: offset 110 + (msg.length − 100) − 1.
    expect(m.lastByte).toEqual({ streamOffset: 110 + msg.length - 101, at: chunk(5) });
  });

  it('reassembles a header split at every byte', () => {
    const stream = bytes(handshake(SHD, ''), handshake(CH, clientHelloBody()), handshake(SHD, ''));
    const { r, c } = reader();
    for (let i = 0; i < stream.length; i++) r.push(stream.subarray(i, i + 1), i, chunk(i));
    expect(c.messages.map((m) => m.type)).toEqual([SHD, CH, SHD]);
    expect(c.messages[1]!.body).toEqual(clientHelloBody());
    expect(c.messages[1]!.startAt).toEqual(chunk(4));
  });

  it('skips a hello over the bound (tls.handshake-too-large) and finds the next message', () => {
    const huge = handshake(CH, new Uint8Array(MAX_HELLO_BYTES + 1));
    const { r, c } = reader();
    for (let off = 0; off < huge.length; off += 16384) r.push(huge.subarray(off, off + 16384), off, chunk(off));
    r.push(handshake(SHD, ''), huge.length, chunk(99));
    expect(c.codes).toEqual(['tls.handshake-too-large']);
    expect(c.messages.map((m) => [m.type, m.body])).toEqual([
      [CH, undefined],
      [SHD, undefined],
    ]);
  });

  it('skips a 1 MiB certificate by length without keeping it', () => {
    const { r, c } = reader();
    const header = bytes(CERT, '100000'); // uint24 length 0x100000
    r.push(header, 0, chunk(1));
    expect(r.pendingBytes).toBe(4);
    const piece = new Uint8Array(16384);
    for (let off = 0; off < 0x100000; off += piece.length) r.push(piece, 4 + off, chunk(2));
    expect(c.messages).toMatchObject([{ type: CERT, length: 0x100000, body: undefined, at: chunk(2) }]);
    expect(r.pendingBytes).toBe(0);
  });

  it('keeps other types when asked, and nothing after stop()', () => {
    const { r, c } = reader({ keepTypes: [CERT], maxKeptBytes: 10 });
    r.push(bytes(handshake(CERT, '0102'), handshake(CERT, new Uint8Array(11))), 0, chunk(1));
    expect(c.messages.map((m) => m.body)).toEqual([bytes('0102'), undefined]);
    expect(c.codes).toEqual(['tls.handshake-too-large']);
    r.stop();
    r.push(handshake(CERT, '01'), 100, chunk(2));
    expect(c.messages).toHaveLength(2);
  });

  it('maps body offsets to stream offsets across pushes (for anomaly offsets)', () => {
    const body = clientHelloBody({ extensions: [alpnExt('h2', '')] });
    const msg = handshake(CH, body);
    const c = new MessageCollector();
    let located: { streamOffset: number } | undefined;
    const r = new HandshakeReader(0, {
      onMessage: (m) => {
        c.onMessage(m);
        located = m.locate(body.length - 1);
      },
      onAnomaly: (a) => c.onAnomaly(a),
    });
    r.push(msg.subarray(0, 30), 0, chunk(1));
    r.push(msg.subarray(30), 1000, chunk(2));
    expect(located).toEqual({ streamOffset: 1000 + msg.length - 30 - 1, at: chunk(2) });
  });
});
