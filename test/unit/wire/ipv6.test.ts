// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { IpProtocol } from '../../../extension/core/wire/ipProtocol.js';
import { Ipv6View, formatIpv6, walkIpv6Extensions } from '../../../extension/core/wire/ipv6.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// arkime__v6-http.pcap frame 46 (Ethernet). tshark -V: "Next Header: TCP (6), Hop Limit: 64,
// Source Address: 2001:6f8:102d:0:2d0:9ff:fee3:e8de, Destination Address: 2001:6f8:900:7c0::2".
// 19:16:44.189852 IP6 2001:6f8:102d:0:2d0:9ff:fee3:e8de.59201 > 2001:6f8:900:7c0::2.80: Flags [S], seq 2883376736, ...
const SYN_FRAME = fromDump(`
	0x0000:  0011 2582 95b5 00d0 09e3 e8de 86dd 6000
	0x0010:  0000 0028 0640 2001 06f8 102d 0000 02d0
	0x0020:  09ff fee3 e8de 2001 06f8 0900 07c0 0000
	0x0030:  0000 0000 0002 e741 0050 abdc d660 0000
	0x0040:  0000 a002 1680 41a2 0000 0204 05a0 0402
	0x0050:  080a 000a 22a8 0000 0000 0103 0305
`);
const SYN = SYN_FRAME.subarray(14);

// zeek__ipv6-http-atomic-frag.pcap frame 16, `tshark -x`: Fragment header with offset 0, M = 0, id 0 (an atomic
// fragment, RFC 6946). tshark -V: "Fragment Header for IPv6, Next header: TCP (6), Identification: 0x00000000".
// 16:44:13.377890 IP6 2001:db8:1::2 > 2001:db8:1::1: frag (0|35) 59694 > 80: Flags [P.], seq 1:16, ack 1, win 8192, length 15
const ATOMIC_FRAME = fromDump(`
0000  aa 00 04 00 0a 04 00 10 18 95 31 6a 86 dd 60 00   ..........1j..\`.
0010  00 00 00 2b 2c 40 20 01 0d b8 00 01 00 00 00 00   ...+,@ .........
0020  00 00 00 00 00 02 20 01 0d b8 00 01 00 00 00 00   ...... .........
0030  00 00 00 00 00 01 06 00 00 00 00 00 00 00 e9 2e   ................
0040  00 50 69 81 79 06 fe 46 32 0c 50 18 20 00 f2 dd   .Pi.y..F2.P. ...
0050  00 00 47 45 54 20 2f 62 61 64 2e 68 74 6d 6c 0d   ..GET /bad.html.
0060  0a                                                .
`);
const ATOMIC = ATOMIC_FRAME.subarray(14);

// The same capture, an earlier connection: an 8-byte Destination Options header (PadN) before TCP.
// 16:44:12.526696 IP6 2001:db8:1::2 > 2001:db8:1::1: DSTOPT 36951 > 80: Flags [P.], seq 1:16, ack 1, win 8192, length 15
const DSTOPT_FRAME = fromDump(`
	0x0000:  aa00 0400 0a04 0010 1895 316a 86dd 6000
	0x0010:  0000 002b 3c40 2001 0db8 0001 0000 0000
	0x0020:  0000 0000 0002 2001 0db8 0001 0000 0000
	0x0030:  0000 0000 0001 0600 0104 0000 0000 9057
	0x0040:  0050 e31e bd4f bddb f815 5018 2000 0830
	0x0050:  0000 4745 5420 2f62 6164 2e68 746d 6c0d
	0x0060:  0a
`);
const DSTOPT = DSTOPT_FRAME.subarray(14);

const ADDRESSES = SYN.subarray(8, 40);
const TCP_HEADER = SYN.subarray(40);

/** ipv6 builds a datagram from a first Next Header and the bytes after the fixed header. */
function ipv6(nextHeader: number, rest: Uint8Array, payloadLength = rest.length): Uint8Array {
  const fixed = fromHex('60000000 0000 00 40');
  fixed[4] = payloadLength >> 8;
  fixed[5] = payloadLength & 0xff;
  fixed[6] = nextHeader;
  return concat(fixed, ADDRESSES, rest);
}

function view(bytes: Uint8Array, baseOffset = 0, wireLength?: number): Ipv6View {
  const r = Ipv6View.tryFrom(bytes, baseOffset, wireLength);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Ipv6View', () => {
  it('decodes the fixed header', () => {
    const ip = view(SYN, 14);
    expect({
      trafficClass: ip.trafficClass,
      flowLabel: ip.flowLabel,
      payloadLengthField: ip.payloadLengthField,
      nextHeader: ip.nextHeader,
      hopLimit: ip.hopLimit,
      src: ip.src,
      dst: ip.dst,
      protocol: ip.protocol,
      headerLength: ip.headerLength,
      totalLength: ip.totalLength,
      payloadLength: ip.payloadLength,
      lengthStatus: ip.lengthStatus,
      extensionHeaders: ip.extensionHeaders,
      fragment: ip.fragment,
      extensionError: ip.extensionError,
    }).toEqual({
      trafficClass: 0,
      flowLabel: 0,
      payloadLengthField: 40,
      nextHeader: 6,
      hopLimit: 64,
      src: '2001:6f8:102d:0:2d0:9ff:fee3:e8de',
      dst: '2001:6f8:900:7c0::2',
      protocol: 6,
      headerLength: 40,
      totalLength: 80,
      payloadLength: 40,
      lengthStatus: 'exact',
      extensionHeaders: [],
      fragment: undefined,
      extensionError: undefined,
    });
    expect(ip.payload.byteOffset).toBe(SYN.byteOffset + 40);
  });

  it('reads traffic class and flow label across byte boundaries', () => {
    const ip = view(concat(fromHex('6abcdef1'), SYN.subarray(4)));
    expect([ip.trafficClass, ip.flowLabel]).toEqual([0xab, 0xcdef1]);
  });

  it('walks a destination options header (Hdr Ext Len in 8-byte units, RFC 8200 §4.6)', () => {
    const ip = view(DSTOPT);
    expect([ip.protocol, ip.headerLength, ip.extensionHeaders, ip.payloadLength, ip.fragment]).toEqual([6, 48, [60], 35, undefined]);
  });

  it('continues through an atomic fragment (RFC 6946) to TCP', () => {
    const ip = view(ATOMIC);
    expect([ip.protocol, ip.headerLength, ip.extensionHeaders]).toEqual([6, 48, [44]]);
    expect(ip.fragment).toEqual({ headerOffset: 40, nextHeader: 6, offsetBytes: 0, moreFragments: false, identification: 0, atomic: true });
  });

  it('stops at a real fragment: what follows is only a piece of the fragmentable part', () => {
    // Fragment header: next TCP, offset 0, M = 1, id 0xdeadbeef; then the first 8 bytes of the fragmentable part.
    const ip = view(ipv6(44, concat(fromHex('0600 0001 deadbeef'), TCP_HEADER.subarray(0, 8))));
    expect([ip.protocol, ip.headerLength, ip.payloadLength]).toEqual([6, 48, 8]);
    expect(ip.fragment).toMatchObject({ offsetBytes: 0, moreFragments: true, identification: 0xdeadbeef, atomic: false });
    const later = view(ipv6(44, concat(fromHex('0600 05a9 deadbeef'), new Uint8Array(8))));
    expect(later.fragment).toMatchObject({ offsetBytes: 1448, moreFragments: true });
  });

  it('walks hop-by-hop, routing, AH (length in 4-byte units + 2, RFC 4302) and destination options', () => {
    const chain = concat(
      fromHex('2b00 010400000000'), // hop-by-hop: next 43, 8 bytes (PadN)
      fromHex('3301 0000 00000000'), // routing: next 51, Hdr Ext Len 1 → 16 bytes
      new Uint8Array(8),
      fromHex('3c04 0000'), // AH: next 60, Payload Len 4 → (4 + 2) × 4 = 24 bytes
      new Uint8Array(20),
      fromHex('0600 010400000000'), // destination options: next TCP, 8 bytes
      TCP_HEADER,
    );
    const ip = view(ipv6(0, chain));
    expect([ip.protocol, ip.headerLength, ip.extensionHeaders, ip.extensionError]).toEqual([6, 96, [0, 43, 51, 60], undefined]);
    expect(ip.payload[0]).toBe(0xe7);
  });

  it('ends at No Next Header (59) and at ESP (50)', () => {
    const none = view(ipv6(60, fromHex('3b00 010400000000')));
    expect([none.protocol, none.headerLength, none.payload.length]).toEqual([IpProtocol.NO_NEXT_HEADER, 48, 0]);
    const esp = view(ipv6(50, fromHex('00001000 00000001')));
    expect([esp.protocol, esp.headerLength]).toEqual([IpProtocol.ESP, 40]);
  });

  it('trims padding after the payload length and keeps the captured part of a snapped datagram', () => {
    const padded = view(concat(SYN, fromHex('000000000000')));
    expect([padded.lengthStatus, padded.totalLength, padded.bytes.length]).toEqual(['padded', 80, 80]);
    const snapped = view(SYN.subarray(0, 60));
    expect([snapped.lengthStatus, snapped.totalLength, snapped.payloadLength, snapped.payload.length]).toEqual(['snapped', 80, 40, 20]);
  });

  it('tells a payload length beyond the wire length (overlong) from a snap', () => {
    const ip = view(SYN.subarray(0, 60), 0, 60);
    expect([ip.lengthStatus, ip.totalLength, ip.payloadLength]).toEqual(['overlong', 60, 20]);
  });

  it('uses the captured length when the payload length is 0 but a TCP header follows (TSO/GSO)', () => {
    const ip = view(ipv6(6, TCP_HEADER, 0));
    expect([ip.lengthStatus, ip.totalLength, ip.payloadLength]).toEqual(['tso', 80, 40]);
  });

  it('treats payload length 0 with No Next Header as an empty datagram plus padding', () => {
    const ip = view(ipv6(59, new Uint8Array(6), 0));
    expect([ip.lengthStatus, ip.totalLength, ip.protocol]).toEqual(['padded', 40, 59]);
  });

  it('does not decode jumbograms (RFC 2675)', () => {
    const jumbo = ipv6(0, fromHex('0600 c204 00012000'), 0);
    expect(Ipv6View.tryFrom(jumbo, 14)).toMatchObject({ ok: false, error: { kind: 'unsupported', layer: 'ipv6', offset: 18 } });
  });

  it('is truncated below 40 bytes', () => {
    expect(Ipv6View.tryFrom(SYN.subarray(0, 39), 14)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'ipv6', offset: 14, required: 40, actual: 39 },
    });
  });

  it('is malformed when the version is not 6', () => {
    expect(Ipv6View.tryFrom(concat(fromHex('45'), SYN.subarray(1)))).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ipv6' } });
  });

  it('reports an extension header running past the datagram as malformed, keeping the fixed header', () => {
    // Routing header says 8 × (10 + 1) = 88 bytes; the payload length is 24.
    const ip = view(ipv6(43, concat(fromHex('060a 0000 00000000'), new Uint8Array(16))), 14);
    expect(ip.src).toBe('2001:6f8:102d:0:2d0:9ff:fee3:e8de');
    expect([ip.protocol, ip.headerLength]).toEqual([43, 40]);
    expect(ip.extensionError).toMatchObject({ kind: 'malformed', layer: 'ipv6', offset: 54 });
    expect(ip.extensionError?.message).toBe('IPv6 extension header 43 of 88 bytes runs past the end of the datagram (24 bytes left)');
  });

  it('reports an extension header cut by the snap length as truncated', () => {
    const full = ipv6(60, concat(fromHex('0602 0000 00000000'), new Uint8Array(16), TCP_HEADER));
    const ip = view(full.subarray(0, 50));
    expect(ip.extensionError).toMatchObject({ kind: 'truncated', layer: 'ipv6', offset: 40, required: 24, actual: 10 });
  });

  it('rejects a hop-by-hop header that is not first (RFC 8200 §4.1)', () => {
    const ip = view(ipv6(60, concat(fromHex('0000 010400000000'), fromHex('0600 010400000000'), TCP_HEADER)));
    expect(ip.extensionError).toMatchObject({ kind: 'malformed', offset: 48 });
  });
});

describe('walkIpv6Extensions', () => {
  it('walks a reassembled fragmentable part that starts with destination options', () => {
    const part = concat(fromHex('0600 010400000000'), TCP_HEADER);
    const walk = walkIpv6Extensions(part, 0, 60, part.length, part.length, 0, false);
    expect(walk).toEqual({ protocol: 6, offset: 8, headers: [60], fragment: undefined, error: undefined });
  });
});

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000000', '2001:db8::'],
    // §4.2.2: a single zero group is not shortened.
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    // §4.2.3: the longest run is shortened, and the first of equal runs.
    ['20010000000000010000000000000001', '2001:0:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    // §4.1 no leading zeros, §4.3 lowercase.
    ['20010DB800AB0C0D00000000000A0B0C', '2001:db8:ab:c0d::a:b0c'],
    ['fe800000000000000211 25fffe8295b5', 'fe80::211:25ff:fe82:95b5'],
    // §5: IPv4-mapped addresses end in dotted-quad.
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['ff0200000000000000000001ff8295b5', 'ff02::1:ff82:95b5'],
  ])('%s → %s', (hex, text) => {
    expect(formatIpv6(fromHex(hex), 0)).toBe(text);
  });
});
