// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { LinkType, decodeLink } from '../../../extension/core/wire/link.js';
import { fromDump, fromHex } from './hexdump.js';

// tcpdump__LINKTYPE_RAW_ipv6.pcap frame 1 (RAW, 101): a bare IPv6 packet.
// 17:59:17.215270 IP6 2001:db8::1.12345 > 2620:fe::9.53: 4660+ A? example.com. (29)
const RAW_V6 = fromDump(`
	0x0000:  6000 0000 0025 1140 2001 0db8 0000 0000
	0x0010:  0000 0000 0000 0001 2620 00fe 0000 0000
	0x0020:  0000 0000 0000 0009 3039 0035 0025 98b3
	0x0030:  1234 0100 0001 0000 0000 0000 0765 7861
	0x0040:  6d70 6c65 0363 6f6d 0000 0100 01
`);

// tcpdump__LINKTYPE_IPV4.pcap frame 1 (IPV4, 228); the same packet is in LINKTYPE_RAW_ipv4.pcap (101).
// 17:59:32.592885 IP 192.168.1.100.12345 > 9.9.9.9.53: 4660+ A? example.com. (29)
const RAW_V4 = fromDump(`
	0x0000:  4500 0039 0001 0000 4011 a695 c0a8 0164
	0x0010:  0909 0909 3039 0035 0025 1976 1234 0100
	0x0020:  0001 0000 0000 0000 0765 7861 6d70 6c65
	0x0030:  0363 6f6d 0000 0100 01
`);

describe('decodeLink', () => {
  it.each([
    [LinkType.RAW, RAW_V4, 'ipv4'],
    [LinkType.RAW, RAW_V6, 'ipv6'],
    [LinkType.RAW_12, RAW_V4, 'ipv4'],
    [LinkType.RAW_14, RAW_V6, 'ipv6'],
    [LinkType.IPV4, RAW_V4, 'ipv4'],
    [LinkType.IPV6, RAW_V6, 'ipv6'],
  ])('link type %i starts the network layer at byte 0 (%#)', (linkType, bytes, network) => {
    expect(decodeLink(linkType, bytes)).toEqual({
      ok: true,
      value: { linkType, network, networkOffset: 0, networkEnd: bytes.length, etherType: undefined, addressFamily: undefined, vlanIds: [] },
    });
  });

  it('rejects a raw IP packet whose version nibble is neither 4 nor 6', () => {
    const r = decodeLink(LinkType.RAW, fromHex('5500'));
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'raw', offset: 0 } });
    if (!r.ok) expect(r.error.message).toBe('raw IP version nibble 5 is neither 4 nor 6');
  });

  it('is truncated for an empty raw IP packet', () => {
    expect(decodeLink(LinkType.RAW, new Uint8Array(0))).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'raw', offset: 0, required: 1, actual: 0 },
    });
  });

  it('dispatches the header-carrying link types', () => {
    expect(decodeLink(LinkType.ETHERNET, fromHex('000000000000 000000000000 0800'))).toMatchObject({ ok: true, value: { networkOffset: 14 } });
    expect(decodeLink(LinkType.NULL, fromHex('02000000'))).toMatchObject({ ok: true, value: { networkOffset: 4, network: 'ipv4' } });
    expect(decodeLink(LinkType.LOOP, fromHex('00000018'))).toMatchObject({ ok: true, value: { networkOffset: 4, network: 'ipv6' } });
    expect(decodeLink(LinkType.LINUX_SLL, fromHex('0000 0001 0006 0000000000000000 86dd'))).toMatchObject({
      ok: true,
      value: { networkOffset: 16, network: 'ipv6' },
    });
    expect(decodeLink(LinkType.LINUX_SLL2, fromHex('0800 0000 00000001 0001 00 06 0000000000000000'))).toMatchObject({
      ok: true,
      value: { networkOffset: 20, network: 'ipv4' },
    });
    expect(decodeLink(LinkType.NFLOG, fromHex('0a000000 08000900 60000000'))).toMatchObject({
      ok: true,
      value: { networkOffset: 8, network: 'ipv6' },
    });
  });

  it('names a link type it does not decode', () => {
    // DLT_USER0 (147): the caller warns once, "link type 147 not decoded".
    expect(decodeLink(147, fromHex('00'))).toEqual({
      ok: false,
      error: { kind: 'unsupported', layer: 'link', offset: 0, message: 'link type 147 not decoded' },
    });
  });
});
