// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { EtherType, decodeEthernet } from '../../../extension/core/wire/ethernet.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// arkime__twovlan.pcap frame 1, `tcpdump -nn -xx`: two stacked 802.1Q tags (VLAN 201 outer, 200 inner, PCP 4)
// 08:22:01.641303 IP 10.0.0.1.54422 > 10.0.0.2.80: Flags [S], seq 3240623591, win 29200, options [...], length 0
const TWO_VLAN = fromDump(`
	0x0000:  0009 0fdb f43e 000c 29c1 2d24 8100 00c9
	0x0010:  8100 90c8 0800 4500 003c 13e4 4000 4006
	0x0020:  ef4c 0a00 0001 0a00 0002 d496 0050 c127
	0x0030:  fde7 0000 0000 a002 7210 37ba 0000 0204
	0x0040:  05b4 0402 080a 3f02 ee03 0000 0000 0103
	0x0050:  0307
`);

// zeek__ip4-trunc.pcap frame 1: untagged Ethernet II, IPv4 header cut short after 6 bytes.
// 16:01:35.895421 IP  [|ip]
const PLAIN = fromDump(`
	0x0000:  0010 db88 d2ef c8bc c896 d2a0 0800 4500
	0x0010:  0020 0001
`);

// arkime__v6-http.pcap frame 46, first 22 bytes: Ethernet II carrying IPv6.
const V6_START = fromDump(`
	0x0000:  0011 2582 95b5 00d0 09e3 e8de 86dd 6000
	0x0010:  0000 0028 0640
`);

const MACS = fromHex('0180c2000000 001122334455');

describe('decodeEthernet', () => {
  it('finds IPv4 after an untagged header', () => {
    const r = decodeEthernet(PLAIN, 0);
    expect(r).toEqual({
      ok: true,
      value: { linkType: 1, network: 'ipv4', networkOffset: 14, networkEnd: 20, etherType: 0x0800, addressFamily: undefined, vlanIds: [] },
    });
  });

  it('finds IPv6', () => {
    const r = decodeEthernet(V6_START, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv6', networkOffset: 14, etherType: EtherType.IPV6 });
  });

  it('walks a stack of two 802.1Q tags, outermost first, ignoring PCP/DEI', () => {
    // Wireshark: "802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 201" then "PRI: 4, DEI: 1, ID: 200".
    const r = decodeEthernet(TWO_VLAN, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 22, vlanIds: [201, 200], etherType: 0x0800 });
  });

  it.each([
    ['802.1ad outer tag', 0x88a8],
    ['legacy 0x9100 outer tag', 0x9100],
  ])('walks a QinQ stack with an %s', (_name, tpid) => {
    const frame = TWO_VLAN.slice();
    frame[12] = tpid >> 8;
    frame[13] = tpid & 0xff;
    const r = decodeEthernet(frame, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 22, vlanIds: [201, 200] });
  });

  it('reports a non-IP EtherType as other', () => {
    const arp = concat(MACS, fromHex('0806 0001 0800 0604 0001'));
    const r = decodeEthernet(arp, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'other', networkOffset: 14, etherType: EtherType.ARP });
  });

  it('reports an 802.3 length-field frame with plain LLC (STP) as other', () => {
    const stp = concat(MACS, fromHex('0026 424203 0000 0000'));
    const r = decodeEthernet(stp, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'other', networkOffset: 14, etherType: undefined });
  });

  it('follows an 802.3 frame with LLC/SNAP (RFC 1042) to IPv4', () => {
    const snap = concat(MACS, fromHex('0030 aaaa03 000000 0800 4500'));
    const r = decodeEthernet(snap, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 22, etherType: 0x0800 });
  });

  it('treats the undefined type/length values 1501..1535 as an unknown EtherType', () => {
    const r = decodeEthernet(concat(MACS, fromHex('05dd 0000')), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'other', etherType: 0x05dd });
  });

  it('honours a start offset (Ethernet inside another header) and reports offsets from the packet start', () => {
    const r = decodeEthernet(concat(fromHex('deadbeef'), PLAIN), 4);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 18 });
    const bad = decodeEthernet(concat(fromHex('deadbeef'), PLAIN.subarray(0, 10)), 4);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ethernet', offset: 4, required: 14, actual: 10 } });
  });

  it('is truncated when the 14-byte header is not all there', () => {
    const r = decodeEthernet(PLAIN.subarray(0, 13), 0);
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'ethernet', offset: 0, required: 14, actual: 13 } });
    if (!r.ok) expect(r.error.message).toBe('Ethernet header needs 14 bytes, only 13 captured');
  });

  it('is truncated when a VLAN tag announces more than the frame holds', () => {
    // Outer tag complete, inner TPID present, inner TCI cut after 2 bytes.
    const r = decodeEthernet(TWO_VLAN.subarray(0, 20), 0);
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'vlan', offset: 18, required: 4, actual: 2 } });
  });

  it('stops at the end of the frame for a stack of tags that never reaches a payload', () => {
    // 0x8100 repeated: every tag announces another tag until the bytes run out.
    const endless = concat(MACS, fromHex('8100 0001 8100 0002 8100 0003 8100'));
    const r = decodeEthernet(endless, 0);
    expect(r).toMatchObject({ ok: false, error: { kind: 'truncated', layer: 'vlan', offset: 26, required: 4, actual: 0 } });
  });
});
