// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { UdpView } from '../../../extension/core/wire/udp.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// tcpdump__LINKTYPE_IPV4.pcap frame 1 (IPV4, 228): UDP at 20. tshark -V: "Source Port: 12345,
// Destination Port: 53, Length: 37, Checksum: 0x1976".
// 17:59:32.592885 IP 192.168.1.100.12345 > 9.9.9.9.53: 4660+ A? example.com. (29)
const DNS = fromDump(`
	0x0000:  4500 0039 0001 0000 4011 a695 c0a8 0164
	0x0010:  0909 0909 3039 0035 0025 1976 1234 0100
	0x0020:  0001 0000 0000 0000 0765 7861 6d70 6c65
	0x0030:  0363 6f6d 0000 0100 01
`);
const UDP = DNS.subarray(20);

describe('UdpView', () => {
  it('decodes ports, length and payload', () => {
    const r = UdpView.tryFrom(UDP, 20);
    if (!r.ok) throw new Error(r.error.message);
    const udp = r.value;
    expect([udp.srcPort, udp.dstPort, udp.length, udp.checksum, udp.payloadLength, udp.payload.length]).toEqual([12345, 53, 37, 0x1976, 29, 29]);
    expect(udp.payload.byteOffset).toBe(UDP.byteOffset + 8);
  });

  it('trims bytes after the UDP length', () => {
    const r = UdpView.tryFrom(concat(UDP, fromHex('0000')), 0, 39);
    expect(r.ok && r.value.payload.length).toBe(29);
  });

  it('keeps the captured part when snapped', () => {
    const r = UdpView.tryFrom(UDP.subarray(0, 20), 20, 37);
    expect(r.ok && [r.value.payloadLength, r.value.payload.length]).toEqual([29, 12]);
  });

  it('is truncated below 8 captured bytes', () => {
    expect(UdpView.tryFrom(UDP.subarray(0, 7), 20, 37)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'udp', offset: 20, required: 8, actual: 7 },
    });
  });

  it('is malformed when the length is below 8 or above the IP payload', () => {
    const short = concat(UDP.subarray(0, 4), fromHex('0004'), UDP.subarray(6));
    expect(UdpView.tryFrom(short, 20)).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'udp', offset: 24 } });
    const r = UdpView.tryFrom(UDP, 20, 30);
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'udp', offset: 24 } });
    if (!r.ok) expect(r.error.message).toBe('UDP length 37 exceeds the 30-byte IP payload');
  });
});
