// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeLink } from '../../../extension/core/wire/link.js';
import { decodePpi } from '../../../extension/core/wire/ppi.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// libpcap__http_PPI.pcap frame 5, `tcpdump -nn -xx` (PPI, 192). tshark -V: "PPI version 0, 84 bytes, Flags: 0x00,
// Header length: 84, DLT: 105"; 802.11-Common "Flags: 0x0001" (FCS present); "IEEE 802.11 QoS Data, Flags: .......TC".
// 22:30:37.042881 IP 192.168.1.132.3827 > 130.192.73.1.80: Flags [S], seq 888888568, win 65535, ... length 0
const PPI = fromDump(`
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

describe('decodePpi', () => {
  it('reads the header length, inner DLT and the 802.11-Common FCS flag', () => {
    expect(decodePpi(PPI, 0)).toEqual({ ok: true, value: { headerLength: 84, innerLinkType: 105, fcsPresent: true } });
  });

  it('is truncated below 8 bytes and below its header length', () => {
    expect(decodePpi(PPI.subarray(0, 7), 0)).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ppi', required: 8, actual: 7 } });
    expect(decodePpi(PPI.subarray(0, 60), 0)).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ppi', required: 84, actual: 60 } });
  });

  it('is malformed when the header length is below 8', () => {
    const bad = PPI.slice();
    bad[2] = 4;
    expect(decodePpi(bad, 0)).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ppi', offset: 2 } });
  });
});

describe('decodeLink with PPI', () => {
  it('recurses into the inner 802.11 frame and drops the FCS the PPI header announced', () => {
    // 84 (PPI) + 26 (QoS data header) + 8 (LLC/SNAP) = 118; IPv4 total length 64 ends at 182, FCS 2cba2cff follows.
    expect(decodeLink(192, PPI)).toEqual({
      ok: true,
      value: { linkType: 105, network: 'ipv4', networkOffset: 118, networkEnd: 182, etherType: 0x0800, addressFamily: undefined, vlanIds: [] },
    });
  });

  it('recurses into an inner Ethernet frame', () => {
    const bytes = concat(fromHex('0000 0800 01000000'), new Uint8Array(12), fromHex('0800 4500'));
    expect(decodeLink(192, bytes)).toMatchObject({ ok: true, value: { linkType: 1, network: 'ipv4', networkOffset: 22 } });
  });

  it('names an inner link type it does not decode', () => {
    const bytes = fromHex('0000 0800 93000000 00');
    expect(decodeLink(192, bytes)).toMatchObject({
      ok: false,
      error: { kind: 'unsupported', layer: 'link', offset: 8, message: 'PPI inner link type 147 not decoded' },
    });
  });
});
