// SPDX-License-Identifier: MIT
//
// End-to-end PacketDecoder tests on real packets. Each expected value was
// checked against `tshark -V` (Wireshark 4.0.17) for the same frame; the
// relevant tshark lines are quoted next to the packet.

import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../../extension/core/wire/tcp.js';
import type { DecodedPacket, TcpSegment, UdpDatagram } from '../../../extension/core/wire/packet.js';
import { PacketDecoder } from '../../../extension/core/wire/packet.js';
import { concat, fromDump, fromHex, makeRecord } from './hexdump.js';

// zeek__http-qinq-0.pcap frame 1. tshark -V: "802.1Q Virtual LAN, PRI: 5, DEI: 1, ID: 0" twice;
// "Internet Protocol Version 4, Src: 141.142.228.5, Dst: 192.150.187.43, Total Length: 64,
//  Identification: 0xdf8e (57230), Time to Live: 64, Protocol: TCP (6)"; "Src Port: 59856, Dst Port: 80,
//  Sequence Number (raw): 4263588410, Header Length: 44 bytes (11), Flags: 0x002 (SYN), Window: 65535,
//  MSS 1460, Window scale: 4, Timestamps: TSval 374005024, TSecr 0, SACK permitted".
const QINQ_SYN = fromDump(`
	0x0000:  0010 db88 d2ef c8bc c896 d2a0 8100 b000
	0x0010:  8100 b000 0800 4500 0040 df8e 4000 4006
	0x0020:  6dd3 8d8e e405 c096 bb2b e9d0 0050 fe21
	0x0030:  323a 0000 0000 b002 ffff 3bc0 0000 0204
	0x0040:  05b4 0103 0304 0101 080a 164a dd20 0000
	0x0050:  0000 0402 0000
`);

// arkime__v6-http.pcap frame 46. tshark -V: "Source Address: 2001:6f8:102d:0:2d0:9ff:fee3:e8de,
// Destination Address: 2001:6f8:900:7c0::2, Hop Limit: 64"; "Src Port: 59201, Dst Port: 80,
// Sequence Number (raw): 2883376736, Window: 5760, MSS 1440, SACK permitted, TSval 664232, Window scale: 5".
const V6_SYN = fromDump(`
	0x0000:  0011 2582 95b5 00d0 09e3 e8de 86dd 6000
	0x0010:  0000 0028 0640 2001 06f8 102d 0000 02d0
	0x0020:  09ff fee3 e8de 2001 06f8 0900 07c0 0000
	0x0030:  0000 0000 0002 e741 0050 abdc d660 0000
	0x0040:  0000 a002 1680 41a2 0000 0204 05a0 0402
	0x0050:  080a 000a 22a8 0000 0000 0103 0305
`);

// zeek__ipv6-http-atomic-frag.pcap frame 16. tshark -V: "Next Header: Fragment Header for IPv6 (44)",
// "Fragment Header for IPv6, Next header: TCP (6), Identification: 0x00000000"; "Src Port: 59694, Dst Port: 80,
// Sequence Number (raw): 1770092806, Acknowledgment number (raw): 4266013196, Window: 8192, TCP payload (15 bytes)".
const ATOMIC = fromDump(`
0000  aa 00 04 00 0a 04 00 10 18 95 31 6a 86 dd 60 00
0010  00 00 00 2b 2c 40 20 01 0d b8 00 01 00 00 00 00
0020  00 00 00 00 00 02 20 01 0d b8 00 01 00 00 00 00
0030  00 00 00 00 00 01 06 00 00 00 00 00 00 00 e9 2e
0040  00 50 69 81 79 06 fe 46 32 0c 50 18 20 00 f2 dd
0050  00 00 47 45 54 20 2f 62 61 64 2e 68 74 6d 6c 0d
0060  0a
`);

// lwerdna__simple_http_sll2.pcap frame 1 (LINUX_SLL2). tshark -V: "Linux cooked capture v2, Protocol: IPv4 (0x0800)";
// "Src: 127.0.0.1, Dst: 127.0.0.1, Time to Live: 64"; "Src Port: 37614, Dst Port: 8000, Sequence Number (raw):
// 139636242, Flags: 0x002 (SYN), Window: 65495, MSS 65495, SACK permitted, TSval 513001463".
const SLL2_SYN = fromDump(`
	0x0000:  0800 0000 0000 0001 0304 0006 0000 0000
	0x0010:  0000 0000 4500 003c 34ff 4000 4006 07bb
	0x0020:  7f00 0001 7f00 0001 92ee 1f40 0852 ae12
	0x0030:  0000 0000 a002 ffd7 fe30 0000 0204 ffd7
	0x0040:  0402 080a 1e93 c7f7 0000 0000 0103 0307
`);

// zeek__nflog-http.pcap frame 1 (NFLOG). tshark -V: "Linux Netfilter NFLOG, Family: IPv4 (2), Resource id: 42";
// "Src: 10.0.2.15, Dst: 93.184.216.34"; "Src Port: 49762, Dst Port: 80, Sequence Number (raw): 1060289233,
// Window: 29200, MSS 1460, SACK permitted, TSval 2576958".
const NFLOG_SYN = fromDump(`
	0x0000:  0200 002a 0800 0100 0000 0300 0500 0a00
	0x0010:  0000 0000 0800 0500 0000 0002 0800 0b00
	0x0020:  0000 0000 0800 0e00 0000 0000 4000 0900
	0x0030:  4500 003c e8ef 4000 4006 0fe3 0a00 020f
	0x0040:  5db8 d822 c262 0050 3f32 bad1 0000 0000
	0x0050:  a002 7210 4218 0000 0204 05b4 0402 080a
	0x0060:  0027 523e 0000 0000 0103 0307
`);

// libpcap__http_PPI.pcap frame 5 (PPI → 802.11 QoS data). tshark -V: "Src: 192.168.1.132, Dst: 130.192.73.1,
// Time to Live: 128"; "Src Port: 3827, Dst Port: 80, Sequence Number (raw): 888888568, Window: 65535,
// MSS 1460, Window scale: 3, Timestamps: TSval 0, TSecr 0, SACK permitted".
const PPI_SYN = fromDump(`
	0x0000:  0000 5400 6900 0000 0200 1400 a791 cdf3
	0x0010:  0000 0000 0100 5802 7609 c000 0000 c7a0
	0x0020:  0400 3000 0600 0000 0200 0000 000f 0227
	0x0030:  2220 1dff 2326 20ff 8a09 c000 c2a0 c0a0
	0x0040:  bda0 8080 1818 2719 1911 241c 2321 1a17
	0x0050:  0000 0000 8801 2c00 0014 a5cd 747b 0014
	0x0060:  a5cb 6e1a 0001 0227 f9b2 b0ed 0000 aaaa
	0x0070:  0300 0000 0800 4500 0040 8d07 4000 8006
	0x0080:  dfc2 c0a8 0184 82c0 4901 0ef3 0050 34fb
	0x0090:  5cf8 0000 0000 b002 ffff 06da 0000 0204
	0x00a0:  05b4 0103 0303 0101 080a 0000 0000 0000
	0x00b0:  0000 0101 0402 2cba 2cff
`);

// zeek__ip4-trunc.pcap frame 1: tshark shows "Ethernet II" then "[Packet size limited during capture: IPv4 truncated]".
const IP4_TRUNC = fromDump(`
	0x0000:  0010 db88 d2ef c8bc c896 d2a0 0800 4500
	0x0010:  0020 0001
`);

// zeek__truncated-header.pcap frame 1: 74 bytes on the wire, 68 captured (snaplen 68), so the SYN's options are cut.
// tshark -V still shows "Src Port: 60827, Dst Port: 25, Sequence Number (raw): 1041724894, Header Length: 40 bytes (10),
// Flags: 0x0c2 (SYN, ECE, CWR), Window: 5840".
// 19:43:41.634774 IP 201.186.157.67.60827 > 128.3.26.249.25: Flags [SEW], seq 1041724894, win 5840, options [mss 1460,sackOK,TS [|tcp]>
const SNAPPED_SYN = fromDump(`
	0x0000:  eaf6 1c2d 9fd2 800b 983b b9ec 0800 4500
	0x0010:  003c 38e0 4000 3306 0ce2 c9ba 9d43 8003
	0x0020:  1af9 ed9b 0019 3e17 75de 0000 0000 a0c2
	0x0030:  16d0 90d6 0000 0204 05b4 0402 0808 0000
	0x0040:  0001 0000
`);

// gopacket__linux_sll_oversized_addr.pcapng frame 87 (LINUX_SLL), 56 bytes on the wire and captured. tshark -V:
// "Total Length: 52 ... [IPv4 total length exceeds packet length (40 bytes)]"; TCP "Header Length: 32 bytes (8)",
// "[Malformed Packet: TCP]" (short segment).
const OVERLONG = fromDump(`
0000  00 04 00 01 00 06 a6 58 43 f2 48 06 00 00 08 00   .......XC.H.....
0010  45 00 00 34 01 c5 40 00 40 06 d3 5e c0 a8 91 93   E..4..@.@..^....
0020  0a d1 08 94 c8 12 55 ef 3b fb 64 f6 dd 92 15 2b   ......U.;.d....+
0030  81 10 21 3b 8c 8b 00 00                           ..!;....
`);

const ETH_V4 = fromHex('000000000002 000000000001 0800');
const ETH_V6 = fromHex('000000000002 000000000001 86dd');

function tcpOf(p: DecodedPacket): TcpSegment {
  if (p.transport?.kind !== 'tcp') throw new Error(`frame ${p.frame}: no TCP (${p.error?.message ?? p.transport?.kind})`);
  return p.transport;
}

function udpOf(p: DecodedPacket): UdpDatagram {
  if (p.transport?.kind !== 'udp') throw new Error(`frame ${p.frame}: no UDP (${p.error?.message ?? p.transport?.kind})`);
  return p.transport;
}

/** An IPv4 header (checksum left 0: it is not verified) for a fragment of `payload`. */
function ipv4Fragment(id: number, offsetBytes: number, more: boolean, protocol: number, payload: Uint8Array): Uint8Array {
  const header = fromHex('4500 0000 0000 0000 4000 0000 c0000201 c0000202');
  const total = 20 + payload.length;
  header[2] = total >> 8;
  header[3] = total & 0xff;
  header[4] = id >> 8;
  header[5] = id & 0xff;
  const flagsOffset = (more ? 0x2000 : 0) | (offsetBytes / 8);
  header[6] = flagsOffset >> 8;
  header[7] = flagsOffset & 0xff;
  header[9] = protocol;
  return concat(ETH_V4, header, payload);
}

/** An IPv6 packet with a Fragment header carrying `data`. */
function ipv6Fragment(id: number, offsetBytes: number, more: boolean, nextHeader: number, data: Uint8Array): Uint8Array {
  const fixed = fromHex('60000000 0000 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002');
  const payloadLength = 8 + data.length;
  fixed[4] = payloadLength >> 8;
  fixed[5] = payloadLength & 0xff;
  const fragment = new Uint8Array(8);
  fragment[0] = nextHeader;
  const offsetFlags = offsetBytes | (more ? 1 : 0);
  fragment[2] = offsetFlags >> 8;
  fragment[3] = offsetFlags & 0xff;
  new DataView(fragment.buffer).setUint32(4, id);
  return concat(ETH_V6, fixed, fragment, data);
}

describe('PacketDecoder on real packets (checked against tshark -V)', () => {
  it('QinQ Ethernet, IPv4, TCP SYN with options', () => {
    const decoder = new PacketDecoder();
    const record = makeRecord(QINQ_SYN, { frame: 1, tsSec: 1258594926, tsNanos: 869344000 });
    const p = decoder.decode(record);
    expect(p).toMatchObject({
      frame: 1,
      tsSec: 1258594926,
      tsNanos: 869344000,
      capturedLength: 86,
      originalLength: 86,
      linkType: 1,
      vlanIds: [0, 0],
      error: undefined,
      network: {
        version: 4,
        src: '141.142.228.5',
        dst: '192.150.187.43',
        protocol: 6,
        ttl: 64,
        headerOffset: 22,
        headerLength: 20,
        totalLength: 64,
        lengthStatus: 'exact',
        identification: 0xdf8e,
        fragment: undefined,
      },
      transport: {
        kind: 'tcp',
        srcPort: 59856,
        dstPort: 80,
        seq: 4263588410,
        ack: 0,
        flags: TcpFlag.SYN,
        window: 65535,
        urgentPointer: 0,
        headerLength: 44,
        payloadLength: 0,
        payloadOffset: 86,
        options: { mss: 1460, windowScale: 4, sackPermitted: true, timestamps: { value: 374005024, echoReply: 0 } },
      },
    });
    expect(decoder.counters).toMatchObject({ packets: 1, ipv4: 1, tcp: 1, errors: {} });
  });

  it('Ethernet, IPv6, TCP SYN', () => {
    const p = new PacketDecoder().decode(makeRecord(V6_SYN, { frame: 46 }));
    expect(p.network).toMatchObject({ version: 6, src: '2001:6f8:102d:0:2d0:9ff:fee3:e8de', dst: '2001:6f8:900:7c0::2', ttl: 64, protocol: 6, headerLength: 40 });
    const tcp = tcpOf(p);
    expect([tcp.srcPort, tcp.dstPort, tcp.seq, tcp.window, tcp.options.mss, tcp.options.windowScale, tcp.options.timestamps?.value]).toEqual([
      59201, 80, 2883376736, 5760, 1440, 5, 664232,
    ]);
  });

  it('IPv6 atomic fragment: decoded at once, no reassembly wait', () => {
    const decoder = new PacketDecoder();
    const p = decoder.decode(makeRecord(ATOMIC, { frame: 16 }));
    expect(p.network).toMatchObject({
      src: '2001:db8:1::2',
      dst: '2001:db8:1::1',
      protocol: 6,
      headerLength: 48,
      identification: 0,
      extensionHeaders: [44],
      fragment: { identification: 0, offsetBytes: 0, moreFragments: false, status: 'atomic', frames: [16] },
    });
    const tcp = tcpOf(p);
    expect([tcp.srcPort, tcp.dstPort, tcp.seq, tcp.ack, tcp.flags, tcp.window, tcp.payloadLength, tcp.payloadOffset]).toEqual([
      59694, 80, 1770092806, 4266013196, TcpFlag.PSH | TcpFlag.ACK, 8192, 15, 82,
    ]);
    expect(new TextDecoder().decode(tcp.payload)).toBe('GET /bad.html\r\n');
    expect(tcp.payload.buffer).toBe(ATOMIC.buffer);
    expect(decoder.counters).toMatchObject({ fragments: 1, reassembled: 0, tcp: 1 });
  });

  it.each([
    ['Linux SLL2', 276, SLL2_SYN, '127.0.0.1', '127.0.0.1', 37614, 8000, 139636242, 65495],
    ['NFLOG', 239, NFLOG_SYN, '10.0.2.15', '93.184.216.34', 49762, 80, 1060289233, 29200],
    ['PPI + 802.11', 192, PPI_SYN, '192.168.1.132', '130.192.73.1', 3827, 80, 888888568, 65535],
  ])('%s (link type %i) down to TCP', (_name, linkType, bytes, src, dst, srcPort, dstPort, seq, window) => {
    const p = new PacketDecoder().decode(makeRecord(bytes, { linkType }));
    expect(p.error).toBeUndefined();
    expect(p.network).toMatchObject({ version: 4, src, dst, lengthStatus: 'exact' });
    const tcp = tcpOf(p);
    expect([tcp.srcPort, tcp.dstPort, tcp.seq, tcp.flags, tcp.window]).toEqual([srcPort, dstPort, seq, TcpFlag.SYN, window]);
  });
});

describe('PacketDecoder leniency', () => {
  it('keeps the link layer when IPv4 is truncated, and counts the error by layer', () => {
    const decoder = new PacketDecoder();
    const p = decoder.decode(makeRecord(IP4_TRUNC, { originalLength: 60 }));
    expect(p.link).toMatchObject({ network: 'ipv4', networkOffset: 14 });
    expect(p.network).toBeUndefined();
    expect(p.error).toMatchObject({ kind: 'truncated', layer: 'ipv4', offset: 14, required: 20, actual: 6 });
    expect(decoder.counters.errors).toEqual({ ipv4: 1 });
  });

  it('keeps IPv6 addresses when an extension header is broken', () => {
    // Routing header claiming 88 bytes in a 24-byte payload.
    const bytes = concat(V6_SYN.subarray(0, 18), fromHex('0018 2b40'), V6_SYN.subarray(22, 54), fromHex('060a 0000 00000000'), new Uint8Array(16));
    const p = new PacketDecoder().decode(makeRecord(bytes));
    expect(p.network).toMatchObject({ version: 6, src: '2001:6f8:102d:0:2d0:9ff:fee3:e8de', protocol: 43 });
    expect(p.transport).toBeUndefined();
    expect(p.error).toMatchObject({ kind: 'malformed', layer: 'ipv6', offset: 54 });
  });

  it('keeps the network layer when TCP is malformed', () => {
    const bad = QINQ_SYN.slice();
    bad[54] = 0x30; // data offset 3
    const p = new PacketDecoder().decode(makeRecord(bad));
    expect(p.network).toMatchObject({ src: '141.142.228.5' });
    expect(p.transport).toBeUndefined();
    expect(p.error).toMatchObject({ kind: 'malformed', layer: 'tcp', offset: 54 });
  });

  it('keeps a snapped SYN whose options were cut, and reports the truncation', () => {
    const decoder = new PacketDecoder();
    const p = decoder.decode(makeRecord(SNAPPED_SYN, { originalLength: 74 }));
    const tcp = tcpOf(p);
    expect([tcp.srcPort, tcp.dstPort, tcp.seq, tcp.headerLength, tcp.flags, tcp.window]).toEqual([
      60827, 25, 1041724894, 40, TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR, 5840,
    ]);
    expect(tcp.options).toMatchObject({ mss: 1460, sackPermitted: true, timestamps: undefined });
    expect(p.error).toMatchObject({ kind: 'truncated', layer: 'tcp', offset: 34, required: 40, actual: 34 });
    expect(decoder.counters).toMatchObject({ tcp: 1, errors: { tcp: 1 } });
  });

  it('limits an IPv4 total length that exceeds the packet on the wire, like Wireshark', () => {
    const p = new PacketDecoder().decode(makeRecord(OVERLONG, { linkType: 113 }));
    expect(p.network).toMatchObject({ src: '192.168.145.147', dst: '10.209.8.148', totalLength: 40, lengthStatus: 'overlong' });
    expect(p.transport).toBeUndefined();
    expect(p.error).toMatchObject({ kind: 'malformed', layer: 'tcp', message: 'TCP data offset 8 words (32 bytes) exceeds the 20-byte segment' });
  });

  it('warns once per undecoded link type, with a packet count', () => {
    const decoder = new PacketDecoder();
    for (let frame = 1; frame <= 3; frame++) decoder.decode(makeRecord(fromHex('00'), { frame, linkType: 147 }));
    decoder.decode(makeRecord(fromHex('00'), { frame: 4, linkType: 148 }));
    expect(decoder.warnings).toEqual(['link type 147 not decoded (3 packets)', 'link type 148 not decoded (1 packet)']);
    expect(decoder.counters.errors).toEqual({ link: 4 });
  });

  it('counts non-IP link payloads and non-TCP/UDP protocols', () => {
    const decoder = new PacketDecoder();
    decoder.decode(makeRecord(concat(ETH_V4.subarray(0, 12), fromHex('0806'), new Uint8Array(28))));
    const icmp = decoder.decode(makeRecord(ipv4Fragment(1, 0, false, 1, fromHex('0800f7ff00000000'))));
    expect(icmp.transport).toEqual({ kind: 'other', protocol: 1 });
    expect(decoder.counters).toMatchObject({ otherNetwork: 1, ipv4: 1, otherTransport: 1 });
  });
});

describe('PacketDecoder fragment reassembly', () => {
  // A 24-byte UDP datagram (8-byte header + "0123456789abcdef") split at byte 16.
  const UDP = concat(fromHex('3039 0035 0018 0000'), new TextEncoder().encode('0123456789abcdef'));

  it('holds IPv4 fragments and decodes the datagram on the one that completes it', () => {
    const decoder = new PacketDecoder();
    const second = decoder.decode(makeRecord(ipv4Fragment(7, 16, false, 17, UDP.subarray(16)), { frame: 10 }));
    expect(second.network?.fragment).toMatchObject({ status: 'held', offsetBytes: 16, moreFragments: false, frames: [10] });
    expect(second.transport).toBeUndefined();
    const first = decoder.decode(makeRecord(ipv4Fragment(7, 0, true, 17, UDP.subarray(0, 16)), { frame: 11 }));
    expect(first.network?.fragment).toMatchObject({ status: 'reassembled', identification: 7, frames: [10, 11] });
    const udp = udpOf(first);
    expect([udp.srcPort, udp.dstPort, udp.length, udp.payloadLength, udp.payloadOffset]).toEqual([12345, 53, 24, 16, undefined]);
    expect(new TextDecoder().decode(udp.payload)).toBe('0123456789abcdef');
    expect(decoder.counters).toMatchObject({ fragments: 2, reassembled: 1, udp: 1, ipv4: 2 });
  });

  it('reassembles IPv6 fragments whose fragmentable part starts with destination options', () => {
    const decoder = new PacketDecoder();
    const part = concat(fromHex('1100 010400000000'), UDP); // destination options → UDP
    decoder.decode(makeRecord(ipv6Fragment(0xabcdef01, 0, true, 60, part.subarray(0, 16)), { frame: 1 }));
    const p = decoder.decode(makeRecord(ipv6Fragment(0xabcdef01, 16, false, 60, part.subarray(16)), { frame: 2 }));
    expect(p.network).toMatchObject({ protocol: 17, extensionHeaders: [44, 60], fragment: { status: 'reassembled', frames: [1, 2] } });
    expect(new TextDecoder().decode(udpOf(p).payload)).toBe('0123456789abcdef');
  });

  it('decodes only the first fragment when reassembly is off', () => {
    const decoder = new PacketDecoder({ reassemble: false });
    const first = decoder.decode(makeRecord(ipv4Fragment(7, 0, true, 17, UDP.subarray(0, 16))));
    expect(first.network?.fragment?.status).toBe('notReassembled');
    // The UDP length describes the whole datagram; only 8 of its 16 payload bytes are in this fragment.
    expect(udpOf(first)).toMatchObject({ srcPort: 12345, length: 24, payloadLength: 16 });
    expect(udpOf(first).payload.length).toBe(8);
    const second = decoder.decode(makeRecord(ipv4Fragment(7, 16, false, 17, UDP.subarray(16))));
    expect([second.network?.fragment?.status, second.transport]).toEqual(['notReassembled', undefined]);
  });

  it('does not reassemble a fragment cut by the snap length', () => {
    const decoder = new PacketDecoder();
    const full = ipv4Fragment(7, 0, true, 17, UDP.subarray(0, 16));
    const p = decoder.decode(makeRecord(full.subarray(0, 40), { originalLength: full.length }));
    expect(p.network?.fragment).toMatchObject({ status: 'dropped', reason: 'fragment was cut short by the capture snap length' });
    expect(decoder.counters.fragmentsDropped).toBe(1);
  });

  it('reports datagrams left incomplete at the end of the capture', () => {
    const decoder = new PacketDecoder();
    decoder.decode(makeRecord(ipv4Fragment(7, 0, true, 17, UDP.subarray(0, 16))));
    decoder.finish();
    expect(decoder.counters.datagramsDiscarded).toBe(1);
    expect(decoder.warnings).toEqual(['1 fragmented IPv4 datagram discarded incomplete (flushed)']);
  });

  it('expires a datagram after 60 s of capture time, even if only other packets follow', () => {
    const decoder = new PacketDecoder();
    decoder.decode(makeRecord(ipv4Fragment(7, 0, true, 17, UDP.subarray(0, 16)), { tsSec: 100 }));
    decoder.decode(makeRecord(QINQ_SYN, { tsSec: 161 }));
    expect(decoder.counters.datagramsDiscarded).toBe(1);
    expect(decoder.warnings).toEqual(['1 fragmented IPv4 datagram discarded incomplete (timeout)']);
  });
});
