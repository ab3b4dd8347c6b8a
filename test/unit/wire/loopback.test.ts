// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeLoopback } from '../../../extension/core/wire/loopback.js';
import { fromDump, fromHex } from './hexdump.js';

// gopacket__test_loopback.pcap frame 1, first 16 bytes (NULL, 0): AF 30 (macOS AF_INET6) little-endian.
// 17:22:32.275121 IP6 ::1.58799 > ::1.8080: Flags [P.], seq 144119398:144119882, ... length 484
const MACOS_V6 = fromDump(`
	0x0000:  1e00 0000 6000 0000 0204 0640 0000 0000
`);

// arkime__http2-nghttp2.pcap frame 1, first 16 bytes (NULL, 0); tshark: "Null/Loopback, Family: IP (2)".
const MACOS_V4 = fromDump(`
	0x0000:  0200 0000 4500 0040 0000 4000 4006 d427
`);

describe('decodeLoopback', () => {
  it('reads AF_INET in host (little-endian) order', () => {
    const r = decodeLoopback(MACOS_V4, 0, 0, false);
    expect(r).toEqual({
      ok: true,
      value: { linkType: 0, network: 'ipv4', networkOffset: 4, networkEnd: 16, etherType: undefined, addressFamily: 2, vlanIds: [] },
    });
  });

  it.each([
    ['Linux', 10],
    ['NetBSD/OpenBSD', 24],
    ['FreeBSD', 28],
    ['macOS', 30],
  ])('reads the %s AF_INET6 value %i as IPv6', (_os, family) => {
    const bytes = MACOS_V6.slice();
    bytes[0] = family;
    const r = decodeLoopback(bytes, 0, 0, false);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv6', networkOffset: 4, addressFamily: family });
  });

  it('detects a big-endian writer by value', () => {
    const r = decodeLoopback(fromHex('0000001e 60000000'), 0, 0, false);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv6', addressFamily: 30 });
  });

  it('reads LINKTYPE_LOOP in network order, tolerating a little-endian writer', () => {
    expect(decodeLoopback(fromHex('00000002 4500'), 0, 108, true)).toMatchObject({ ok: true, value: { network: 'ipv4', linkType: 108 } });
    expect(decodeLoopback(fromHex('02000000 4500'), 0, 108, true)).toMatchObject({ ok: true, value: { network: 'ipv4', addressFamily: 2 } });
  });

  it('reports other address families as other', () => {
    const r = decodeLoopback(fromHex('07000000 ffff'), 0, 0, false);
    expect(r.ok && r.value).toMatchObject({ network: 'other', addressFamily: 7 });
  });

  it('is truncated below 4 bytes', () => {
    expect(decodeLoopback(fromHex('1e0000'), 0, 0, false)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'loopback', offset: 0, required: 4, actual: 3 },
    });
  });
});
