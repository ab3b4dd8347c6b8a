// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { NO_TCP_OPTIONS, TcpFlag, TcpView, formatTcpFlags, hasTcpFlags, parseTcpOptions } from '../../../extension/core/wire/tcp.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// zeek__http-qinq-0.pcap frame 1 (Ethernet, two 802.1Q tags, IPv4 at 22, TCP at 42). tshark -V:
// "Source Port: 59856, Destination Port: 80, Sequence Number (raw): 4263588410, Header Length: 44 bytes (11),
//  Flags: 0x002 (SYN), Window: 65535, Urgent Pointer: 0, Options: (24 bytes), Maximum segment size: 1460 bytes,
//  No-Operation (NOP), Window scale: 4, No-Operation (NOP), No-Operation (NOP), Timestamps: TSval 374005024,
//  TSecr 0, SACK permitted, End of Option List (EOL), End of Option List (EOL)".
const QINQ_SYN_FRAME = fromDump(`
	0x0000:  0010 db88 d2ef c8bc c896 d2a0 8100 b000
	0x0010:  8100 b000 0800 4500 0040 df8e 4000 4006
	0x0020:  6dd3 8d8e e405 c096 bb2b e9d0 0050 fe21
	0x0030:  323a 0000 0000 b002 ffff 3bc0 0000 0204
	0x0040:  05b4 0103 0304 0101 080a 164a dd20 0000
	0x0050:  0000 0402 0000
`);
const QINQ_SYN = QINQ_SYN_FRAME.subarray(42);

// tcpreplay__test.pcap frame 9 (Ethernet, TCP at 34), `tcpdump -nn -v -xx`:
// 74.125.19.17.443 > 172.16.11.12.64565: Flags [.], cksum 0x9017 (correct), ack 28, win 283,
//   options [nop,nop,TS val 935804984 ecr 444433452,nop,nop,sack 1 {27:28}], length 0
const SACK_FRAME = fromDump(`
	0x0000:  f81e dfe5 843a 001f f33c e113 0800 4520
	0x0010:  0040 ab52 0000 3606 c49b 4a7d 1311 ac10
	0x0020:  0b0c 01bb fc35 c51e 2dc0 c6d9 14ec b010
	0x0030:  011b 9017 0000 0101 080a 37c7 4038 1a7d
	0x0040:  842c 0101 050a c6d9 14eb c6d9 14ec
`);
const SACK = SACK_FRAME.subarray(34);

// arkime__http2-nghttp2.pcap frame 1 (NULL, TCP at 24); tshark: "Flags: 0x0c2 (SYN, ECE, CWR)".
// 00:34:41.271406 IP 10.89.85.15.49570 > 139.162.123.134.80: Flags [SEW], seq 2262989232, win 65535, ...
const ECN_SYN_FRAME = fromDump(`
	0x0000:  0200 0000 4500 0040 0000 4000 4006 d427
	0x0010:  0a59 550f 8ba2 7b86 c1a2 0050 86e2 79b0
	0x0020:  0000 0000 b0c2 ffff ad8f 0000 0204 0556
	0x0030:  0103 0306 0101 080a 6f4c f0a7 0000 0000
	0x0040:  0402 0000
`);
const ECN_SYN = ECN_SYN_FRAME.subarray(24);

// suricata__security-4710-01__input.pcap frame 4 (SLL, TCP at 36); tshark: "TCP MD5 signature, Kind: 19, Length: 18".
// 05:54:40.600506 IP 192.168.111.128.56369 > 192.168.112.136.80: Flags [R.], seq 1, ack 1, win 8192, options [md5 ...,eol]
const MD5_FRAME = fromDump(`
	0x0000:  0004 0001 0006 000c 2923 c8fd 0000 0800
	0x0010:  4500 003c 0001 0000 4006 1962 c0a8 6f80
	0x0020:  c0a8 7088 dc31 0050 0000 8fd6 41bc 9eea
	0x0030:  a014 2000 d25b 0000 1312 c573 f6bc 7dba
	0x0040:  9cf6 c695 d68a ff10 38e2 0000
`);
const MD5 = MD5_FRAME.subarray(36);

// tcpdump__tcp_rst_data-trunc.pcap frame 1, TCP segment only (frame bytes 34..110, offsets re-based to 0):
// IPv4 total length 98 → a 78-byte segment, of which 77 bytes were captured. tcpdump: "Flags [R.], seq 1617159969:1617160027, ack 1936660873, win 5785, length 58".
const SNAPPED_RST = fromDump(`
	0x0000:  0050 ce8b 6063 e721 736f 1989 5014 1699
	0x0010:  8471 0000 4249 472d 4950 3a20 5b30 7831
	0x0020:  3163 3536 3732 3a33 3034 355d 207b 7065
	0x0030:  6572 7d20 5443 5020 5253 5420 6672 6f6d
	0x0040:  2072 656d 6f74 6520 7379 7374 65
`);

function view(bytes: Uint8Array, baseOffset = 0, segmentLength = bytes.length): TcpView {
  const r = TcpView.tryFrom(bytes, baseOffset, segmentLength);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A 20-byte header followed by `options`, with the data offset set to cover them. */
function withOptions(options: string): Uint8Array {
  const opt = fromHex(options);
  const header = QINQ_SYN.slice(0, 20);
  header[12] = ((20 + opt.length) / 4) << 4;
  return concat(header, opt);
}

describe('TcpView', () => {
  it('decodes the header fields as tshark shows them', () => {
    const tcp = view(QINQ_SYN, 42);
    expect({
      srcPort: tcp.srcPort,
      dstPort: tcp.dstPort,
      seq: tcp.seq,
      ack: tcp.ack,
      dataOffset: tcp.dataOffset,
      headerLength: tcp.headerLength,
      flags: tcp.flags,
      window: tcp.window,
      checksum: tcp.checksum,
      urgentPointer: tcp.urgentPointer,
      payloadLength: tcp.payloadLength,
    }).toEqual({
      srcPort: 59856,
      dstPort: 80,
      seq: 4263588410,
      ack: 0,
      dataOffset: 11,
      headerLength: 44,
      flags: TcpFlag.SYN,
      window: 65535,
      checksum: 0x3bc0,
      urgentPointer: 0,
      payloadLength: 0,
    });
    expect([tcp.syn, tcp.hasAck, tcp.fin, tcp.rst, tcp.psh, tcp.urg]).toEqual([true, false, false, false, false, false]);
    expect(tcp.parseOptions()).toEqual({
      mss: 1460,
      windowScale: 4,
      sackPermitted: true,
      sackBlocks: [],
      timestamps: { value: 374005024, echoReply: 0 },
      unknown: [],
      error: undefined,
    });
  });

  it('decodes timestamps and a SACK block (RFC 2018 §3) with unsigned 32-bit edges', () => {
    const tcp = view(SACK);
    expect([tcp.flags, tcp.ack]).toEqual([TcpFlag.ACK, 0xc6d914ec]);
    expect(tcp.parseOptions()).toMatchObject({
      timestamps: { value: 935804984, echoReply: 444433452 },
      sackBlocks: [{ left: 0xc6d914eb, right: 0xc6d914ec }],
    });
  });

  it('decodes ECE and CWR', () => {
    const tcp = view(ECN_SYN);
    expect(tcp.flags).toBe(0x0c2);
    expect(formatTcpFlags(tcp.flags)).toBe('SYN,ECE,CWR');
    expect(hasTcpFlags(tcp.flags, TcpFlag.SYN | TcpFlag.ECE)).toBe(true);
    expect(hasTcpFlags(tcp.flags, TcpFlag.SYN | TcpFlag.ACK)).toBe(false);
  });

  it('reads the AE bit (formerly NS) from byte 12', () => {
    const header = QINQ_SYN.slice(0, 20);
    header[12] = 0x51;
    header[13] = 0x10;
    expect(view(header).flags).toBe(TcpFlag.AE | TcpFlag.ACK);
    expect(formatTcpFlags(TcpFlag.AE | TcpFlag.ACK)).toBe('ACK,AE');
  });

  it('keeps unknown option kinds with their length (TCP-MD5, kind 19)', () => {
    const tcp = view(MD5);
    expect([tcp.rst, tcp.hasAck]).toEqual([true, true]);
    expect(tcp.parseOptions()).toMatchObject({ unknown: [{ kind: 19, length: 18 }], error: undefined });
  });

  it('shares one empty options object for a 20-byte header', () => {
    expect(view(SNAPPED_RST, 0, 78).parseOptions()).toBe(NO_TCP_OPTIONS);
  });

  it('reports the payload length from IP even when the capture was snapped', () => {
    const tcp = view(SNAPPED_RST, 34, 78);
    expect([tcp.headerLength, tcp.payloadLength, tcp.payload.length]).toEqual([20, 58, 57]);
    expect(new TextDecoder().decode(tcp.payload.subarray(0, 6))).toBe('BIG-IP');
    expect(tcp.payload.buffer).toBe(SNAPPED_RST.buffer);
  });

  it('trims captured bytes beyond the segment length', () => {
    const tcp = view(concat(SNAPPED_RST, fromHex('ffff')), 0, 30);
    expect([tcp.payloadLength, tcp.payload.length]).toEqual([10, 10]);
  });

  it('is truncated when fewer than 20 bytes were captured', () => {
    const r = TcpView.tryFrom(QINQ_SYN.subarray(0, 19), 42, 44);
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'tcp', offset: 42, required: 20, actual: 19 } });
    if (!r.ok) expect(r.error.message).toBe('TCP header needs 20 bytes, only 19 captured');
  });

  it('keeps the fixed header when the options were cut by the snap length, reporting the truncation', () => {
    // zeek__truncated-header.pcap (snaplen 68) has such SYNs; tshark still shows their ports and sequence numbers.
    const tcp = view(QINQ_SYN.subarray(0, 27), 42, 44);
    const truncation = { kind: 'truncated', layer: 'tcp', offset: 42, required: 44, actual: 27 };
    expect(tcp.truncation).toMatchObject(truncation);
    expect([tcp.srcPort, tcp.seq, tcp.flags, tcp.headerLength, tcp.payloadLength, tcp.payload.length]).toEqual([59856, 4263588410, TcpFlag.SYN, 44, 0, 0]);
    // MSS (bytes 20-23) and the NOP were captured; the window-scale option (bytes 25-27) was cut after 2 bytes.
    expect(tcp.parseOptions()).toMatchObject({ mss: 1460, windowScale: undefined, error: truncation });
  });

  it('is malformed when the data offset exceeds the segment (15 words in 40 bytes)', () => {
    const bytes = concat(QINQ_SYN.subarray(0, 12), fromHex('f0'), QINQ_SYN.subarray(13, 40));
    const r = TcpView.tryFrom(bytes, 42);
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'tcp', offset: 54 } });
    if (!r.ok) expect(r.error.message).toBe('TCP data offset 15 words (60 bytes) exceeds the 40-byte segment');
    // With a longer segment announced by IP, the same 40 captured bytes are merely truncated.
    expect(view(bytes, 42, 100).truncation).toMatchObject({ kind: 'truncated', required: 60, actual: 40 });
  });

  it('is malformed with a data offset below 5', () => {
    const bytes = concat(QINQ_SYN.subarray(0, 12), fromHex('40'), QINQ_SYN.subarray(13, 20));
    const r = TcpView.tryFrom(bytes);
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'tcp', offset: 12 } });
    if (!r.ok) expect(r.error.message).toBe('TCP data offset 4 words is below the minimum of 5');
  });

  it('is malformed when IP leaves less than 20 bytes for the header', () => {
    expect(TcpView.tryFrom(QINQ_SYN, 0, 12)).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'tcp', offset: 0 } });
  });
});

describe('parseTcpOptions', () => {
  it.each([
    ['length 0', '0204 05b4 0300 0000', { mss: 1460, errorOffset: 25, message: 'TCP option kind 3 length 0 is below 2' }],
    ['length 1', '0101 0801 0000 0000', { mss: undefined, errorOffset: 23, message: 'TCP option kind 8 length 1 is below 2' }],
    ['length past the header', '0204 05b4 080a 0000', { mss: 1460, errorOffset: 25, message: 'TCP option kind 8 length 10 runs past the header (4 bytes left)' }],
    ['no length byte', '0101 0101 0101 0108', { mss: undefined, errorOffset: 27, message: 'TCP option kind 8 has no length byte before the end of the header' }],
  ])('stops at a bad option %s, keeping the options before it', (_name, options, want) => {
    const tcp = view(withOptions(options));
    const parsed = tcp.parseOptions();
    expect(parsed.mss).toBe(want.mss);
    expect(parsed.error).toEqual({ kind: 'malformed', layer: 'tcp', offset: want.errorOffset, message: want.message });
  });

  it('skips a known kind with the wrong length, records it, and goes on', () => {
    const parsed = parseTcpOptions(fromHex('0203 05 0303 07 01 01'), 0, 8, 100);
    expect(parsed).toMatchObject({ mss: undefined, windowScale: 7 });
    expect(parsed.error).toMatchObject({ offset: 101, message: 'TCP option kind 2 length 3 should be 4' });
  });

  it('rejects a SACK option whose length is not 2 + 8n', () => {
    const parsed = parseTcpOptions(fromHex('050c 00000001 00000002 0000'), 0, 12);
    expect(parsed.sackBlocks).toEqual([]);
    expect(parsed.error?.message).toBe('TCP option kind 5 length 12 should be 10, 18, 26 or 34');
  });

  it('stops at End of Option List', () => {
    expect(parseTcpOptions(fromHex('0000 0204 05b4'), 0, 6).mss).toBeUndefined();
  });
});
