// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeLinuxSll, decodeLinuxSll2 } from '../../../extension/core/wire/linuxSll.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// suricata__security-4710-01__input.pcap frame 1, `tcpdump -nn -xx` (LINUX_SLL, 113):
// 05:54:40.522629 IP 192.168.111.128.56369 > 192.168.112.136.80: Flags [S], seq 36821, win 8192, length 0
const SLL = fromDump(`
	0x0000:  0004 0001 0006 000c 2923 c8fd 0000 0800
	0x0010:  4500 0028 0001 0000 4006 1976 c0a8 6f80
	0x0020:  c0a8 7088 dc31 0050 0000 8fd5 0000 0000
	0x0030:  5002 2000 c231 0000
`);

// lwerdna__simple_http_sll2.pcap frame 1 (LINUX_SLL2, 276); tshark: "Protocol: IPv4 (0x0800), Interface index: 1,
// Link-layer address type: Loopback (772), Packet type: Unicast to us (0), Link-layer address length: 6".
// 14:45:35.227290 lo    In  IP 127.0.0.1.37614 > 127.0.0.1.8000: Flags [S], seq 139636242, win 65495, ...
const SLL2 = fromDump(`
	0x0000:  0800 0000 0000 0001 0304 0006 0000 0000
	0x0010:  0000 0000 4500 003c 34ff 4000 4006 07bb
	0x0020:  7f00 0001 7f00 0001 92ee 1f40 0852 ae12
	0x0030:  0000 0000 a002 ffd7 fe30 0000 0204 ffd7
	0x0040:  0402 080a 1e93 c7f7 0000 0000 0103 0307
`);

describe('decodeLinuxSll', () => {
  it('finds IPv4 at offset 16 from the protocol at offset 14', () => {
    const r = decodeLinuxSll(SLL, 0);
    expect(r).toEqual({
      ok: true,
      value: { linkType: 113, network: 'ipv4', networkOffset: 16, networkEnd: SLL.length, etherType: 0x0800, addressFamily: undefined, vlanIds: [] },
    });
  });

  it('walks a VLAN tag left in the payload (protocol 0x8100)', () => {
    const header = SLL.slice(0, 16);
    header[14] = 0x81;
    header[15] = 0x00;
    const r = decodeLinuxSll(concat(header, fromHex('0064 86dd'), new Uint8Array(40)), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv6', networkOffset: 20, vlanIds: [100] });
  });

  it('follows ETH_P_802_2 (0x0004) through LLC/SNAP', () => {
    const header = SLL.slice(0, 16);
    header[15] = 0x04;
    header[14] = 0x00;
    const r = decodeLinuxSll(concat(header, fromHex('aaaa03 000000 0800'), SLL.subarray(16)), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 24 });
  });

  it('treats other Linux pseudo-protocols (< 0x0600) as other, keeping the value', () => {
    const header = SLL.slice(0, 16);
    header[14] = 0x00;
    header[15] = 0x0c; // ETH_P_CAN
    const r = decodeLinuxSll(header, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'other', etherType: 0x000c });
  });

  it('does not read a netlink family (ARPHRD_NETLINK 824) as an EtherType', () => {
    const netlink = fromHex('0004 0338 0000 0000000000000000 0800');
    const r = decodeLinuxSll(concat(netlink, new Uint8Array(20)), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'other', networkOffset: 16, etherType: undefined });
  });

  it('ignores a bogus address length (the address field is always 8 bytes)', () => {
    const bogus = SLL.slice();
    bogus[4] = 0xc5;
    bogus[5] = 0x06; // 50438, as in gopacket__linux_sll_oversized_addr.pcapng
    const r = decodeLinuxSll(bogus, 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 16 });
  });

  it('is truncated below 16 bytes', () => {
    expect(decodeLinuxSll(SLL.subarray(0, 15), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'sll', offset: 0, required: 16, actual: 15 },
    });
  });
});

describe('decodeLinuxSll2', () => {
  it('finds IPv4 at offset 20 from the protocol at offset 0', () => {
    const r = decodeLinuxSll2(SLL2, 0);
    expect(r.ok && r.value).toMatchObject({ linkType: 276, network: 'ipv4', networkOffset: 20, etherType: 0x0800 });
  });

  it('is truncated below 20 bytes', () => {
    expect(decodeLinuxSll2(SLL2.subarray(0, 19), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'sll2', offset: 0, required: 20, actual: 19 },
    });
  });

  it('walks a VLAN tag that starts at the payload', () => {
    const header = SLL2.slice(0, 20);
    header[0] = 0x81;
    header[1] = 0x00;
    const r = decodeLinuxSll2(concat(header, fromHex('0007 0800'), SLL2.subarray(20)), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 24, vlanIds: [7] });
  });
});
