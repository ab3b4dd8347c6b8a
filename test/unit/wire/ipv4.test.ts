// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { Ipv4View, formatIpv4 } from '../../../extension/core/wire/ipv4.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// tcpdump__LINKTYPE_IPV4.pcap frame 1 (IPV4, 228), `tcpdump -nn -v -xx`:
// 17:59:32.592885 IP (tos 0x0, ttl 64, id 1, offset 0, flags [none], proto UDP (17), length 57)
//     192.168.1.100.12345 > 9.9.9.9.53: 4660+ A? example.com. (29)
const DNS = fromDump(`
	0x0000:  4500 0039 0001 0000 4011 a695 c0a8 0164
	0x0010:  0909 0909 3039 0035 0025 1976 1234 0100
	0x0020:  0001 0000 0000 0000 0765 7861 6d70 6c65
	0x0030:  0363 6f6d 0000 0100 01
`);

// zeek__tcp-http-with-padding.pcap frame 6 (Ethernet): IPv4 total length 53 in a 69-byte frame;
// tshark: "Total Length: 53", Ethernet "Trailer: ffff".
// 15:42:38.813183 IP 167.221.30.181.59406 > 217.207.159.63.27272: Flags [P.], seq 2:3, ack 1, win 2070, ... length 1
const PADDED_FRAME = fromDump(`
	0x0000:  4cd9 8f8b 4075 182a d32f 15f0 0800 4500
	0x0010:  0035 0000 4000 3206 0922 a7dd 1eb5 d9cf
	0x0020:  9f3f e80e 6a88 5323 ca3f a15a 58ce 8018
	0x0030:  0816 8798 0000 0101 080a bbfd ff60 f3e0
	0x0040:  4901 45ff ff
`);

// tcpdump__tcp_rst_data-trunc.pcap frame 1 (Ethernet): caplen 111 < wire length 112; IPv4 total length 98.
// 22:03:19.190965 IP 199.204.31.89.80 > 172.16.133.41.52875: Flags [R.], seq 1617159969:1617160027, ack 1936660873, win 5785, length 58: HTTP
const SNAPPED_FRAME = fromDump(`
	0x0000:  0021 7067 6f50 0090 7f3e 02d0 0800 4520
	0x0010:  0062 2033 4000 f306 4ee3 c7cc 1f59 ac10
	0x0020:  8529 0050 ce8b 6063 e721 736f 1989 5014
	0x0030:  1699 8471 0000 4249 472d 4950 3a20 5b30
	0x0040:  7831 3163 3536 3732 3a33 3034 355d 207b
	0x0050:  7065 6572 7d20 5443 5020 5253 5420 6672
	0x0060:  6f6d 2072 656d 6f74 6520 7379 7374 65
`);

// tcpdump__ipv4_tcp_http_xml_tso.pcap frame 1, first 64 of 2030 bytes: total length 0 (TSO).
// tcpdump -v: "IP bad-len 0"; tshark: "Total Length: 2016 bytes (reported as 0, presumed to be because of
// "TCP segmentation offload" (TSO))".
const TSO_FRAME_START = fromDump(`
	0x0000:  0000 0c07 ac01 78e7 d164 f800 0800 4500
	0x0010:  0000 42c9 4000 8006 0000 1e07 b579 c72b
	0x0020:  44a3 9a84 1f90 70bb 89c8 2b5b 50d7 5018
	0x0030:  0100 df55 0000 504f 5354 2068 7474 703a
`);

// zeek__ip4-trunc.pcap frame 1: only 6 bytes of the IPv4 header captured. tcpdump: "IP  [|ip]".
const TRUNCATED_FRAME = fromDump(`
	0x0000:  0010 db88 d2ef c8bc c896 d2a0 0800 4500
	0x0010:  0020 0001
`);

function view(bytes: Uint8Array, baseOffset = 0, wireLength?: number): Ipv4View {
  const r = Ipv4View.tryFrom(bytes, baseOffset, wireLength);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('Ipv4View', () => {
  it('decodes every header field', () => {
    const ip = view(DNS);
    expect({
      headerLength: ip.headerLength,
      totalLength: ip.totalLength,
      lengthStatus: ip.lengthStatus,
      dscp: ip.dscp,
      ecn: ip.ecn,
      identification: ip.identification,
      dontFragment: ip.dontFragment,
      moreFragments: ip.moreFragments,
      fragmentOffsetBytes: ip.fragmentOffsetBytes,
      isFragment: ip.isFragment,
      ttl: ip.ttl,
      protocol: ip.protocol,
      checksum: ip.checksum,
      src: ip.src,
      dst: ip.dst,
      payloadLength: ip.payloadLength,
    }).toEqual({
      headerLength: 20,
      totalLength: 57,
      lengthStatus: 'exact',
      dscp: 0,
      ecn: 0,
      identification: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffsetBytes: 0,
      isFragment: false,
      ttl: 64,
      protocol: 17,
      checksum: 0xa695,
      src: '192.168.1.100',
      dst: '9.9.9.9',
      payloadLength: 37,
    });
    expect(ip.options.length).toBe(0);
    expect(Array.from(ip.payload.subarray(0, 4))).toEqual([0x30, 0x39, 0x00, 0x35]);
  });

  it('returns views into the caller bytes, not copies', () => {
    const ip = view(DNS);
    expect(ip.payload.buffer).toBe(DNS.buffer);
    expect(ip.payload.byteOffset).toBe(DNS.byteOffset + 20);
  });

  it('reads DSCP and ECN from the former TOS byte', () => {
    // tos 0x20 = DSCP 8 (CS1), ECN 0.
    const ip = view(SNAPPED_FRAME.subarray(14));
    expect([ip.dscp, ip.ecn]).toEqual([8, 0]);
  });

  it('skips options (IHL 6)', () => {
    const withOptions = concat(fromHex('4600 003d'), DNS.subarray(4, 20), fromHex('01010100'), DNS.subarray(20));
    const ip = view(withOptions);
    expect([ip.headerLength, ip.payloadLength, ip.lengthStatus]).toEqual([24, 37, 'exact']);
    expect(Array.from(ip.options)).toEqual([1, 1, 1, 0]);
    expect(ip.payload[0]).toBe(0x30);
  });

  it('trims Ethernet padding after the total length', () => {
    const ip = view(PADDED_FRAME.subarray(14), 14);
    expect([ip.totalLength, ip.lengthStatus, ip.bytes.length, ip.payload.length]).toEqual([53, 'padded', 53, 33]);
  });

  it('keeps the captured part of a snapped datagram and reports the full length', () => {
    const ip = view(SNAPPED_FRAME.subarray(14), 14);
    expect([ip.totalLength, ip.lengthStatus, ip.payloadLength, ip.payload.length]).toEqual([98, 'snapped', 78, 77]);
  });

  it('tells a total length beyond the wire length (overlong) from a snap', () => {
    // All 97 bytes were on the wire (nothing snapped), yet the header claims 98: Wireshark's
    // "IPv4 total length exceeds packet length".
    const ip = view(SNAPPED_FRAME.subarray(14), 14, 97);
    expect([ip.totalLengthField, ip.totalLength, ip.lengthStatus, ip.payloadLength]).toEqual([98, 97, 'overlong', 77]);
    expect(view(SNAPPED_FRAME.subarray(14), 14, 98).lengthStatus).toBe('snapped');
  });

  it('uses the captured length when the total length is 0 (TSO)', () => {
    const ip = view(TSO_FRAME_START.subarray(14), 14);
    expect([ip.totalLengthField, ip.totalLength, ip.lengthStatus, ip.payloadLength]).toEqual([0, 50, 'tso', 30]);
  });

  it('decodes the fragment fields', () => {
    // MF set, offset 185 × 8 = 1480 bytes, id 0x1234.
    const fragment = DNS.slice();
    fragment.set(fromHex('1234 20b9'), 4);
    const ip = view(fragment);
    expect([ip.identification, ip.moreFragments, ip.fragmentOffsetBytes, ip.isFragment, ip.dontFragment]).toEqual([0x1234, true, 1480, true, false]);
    fragment.set(fromHex('0000'), 6);
    expect(view(fragment).isFragment).toBe(false);
    fragment.set(fromHex('0001'), 6); // last fragment: offset 8, MF clear
    expect(view(fragment).isFragment).toBe(true);
  });

  it('is truncated when fewer than 20 bytes were captured, with the packet offset', () => {
    const r = Ipv4View.tryFrom(TRUNCATED_FRAME.subarray(14), 14);
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ipv4', offset: 14, required: 20, actual: 6 } });
    if (!r.ok) expect(r.error.message).toBe('IPv4 header needs 20 bytes, only 6 captured');
  });

  it('is truncated when the options run past the capture', () => {
    const r = Ipv4View.tryFrom(concat(fromHex('4f00 0050'), DNS.subarray(4, 40)));
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ipv4', offset: 0, required: 60, actual: 40 } });
  });

  it('is malformed with IHL 3', () => {
    const r = Ipv4View.tryFrom(concat(fromHex('43'), DNS.subarray(1)));
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ipv4', offset: 0 } });
    if (!r.ok) expect(r.error.message).toBe('IPv4 IHL 3 words (12 bytes) is below the minimum of 5');
  });

  it('is malformed when the total length is shorter than the header', () => {
    const r = Ipv4View.tryFrom(concat(fromHex('4500 000a'), DNS.subarray(4)), 14);
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ipv4', offset: 16 } });
  });

  it('is malformed when the version is not 4', () => {
    expect(Ipv4View.tryFrom(concat(fromHex('65'), DNS.subarray(1)))).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ipv4' } });
  });
});

describe('formatIpv4', () => {
  it('formats dotted quads', () => {
    expect(formatIpv4(fromHex('00000000 ffffffff'), 0)).toBe('0.0.0.0');
    expect(formatIpv4(fromHex('00000000 ffffffff'), 4)).toBe('255.255.255.255');
  });
});
