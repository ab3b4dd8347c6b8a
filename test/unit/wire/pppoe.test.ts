// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeEthernet } from '../../../extension/core/wire/ethernet.js';
import { decodePppoeSession } from '../../../extension/core/wire/pppoe.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// dpkt__nb6-http.pcap frame 1, `tcpdump -nn -e -xx`: PPPoE session 0x3b1a, Length 75, PPP protocol 0x0021 (IPv4).
// 08:37:49.848747 e0:a1:d7:18:c2:73 > 00:17:33:61:00:00, ethertype PPPoE S (0x8864), length 95: PPPoE  [ses 0x3b1a]
//   IP (0x0021), length 75: 95.136.242.99.37535 > 109.0.66.10.53: 2+ AAAA? ncdn.nb6dsl.neufbox.neuf.fr. (45)
const PPPOE = fromDump(`
	0x0000:  0017 3361 0000 e0a1 d718 c273 8864 1100
	0x0010:  3b1a 004b 0021 4500 0049 643f 4000 4011
	0x0020:  d56e 5f88 f263 6d00 420a 929f 0035 0035
	0x0030:  e693 0002 0100 0001 0000 0000 0000 046e
	0x0040:  6364 6e06 6e62 3664 736c 076e 6575 6662
	0x0050:  6f78 046e 6575 6602 6672 0000 1c00 01
`);

describe('decodePppoeSession', () => {
  it('finds the PPP payload and its protocol', () => {
    expect(decodePppoeSession(PPPOE, 14, PPPOE.length)).toEqual({
      ok: true,
      value: { network: 'ipv4', pppProtocol: 0x0021, payloadOffset: 22, payloadEnd: 95 },
    });
  });

  it('is reached from Ethernet, which ends the network layer at the PPPoE length (trimming padding)', () => {
    const padded = concat(PPPOE, fromHex('000000'));
    expect(decodeEthernet(padded, 0)).toMatchObject({ ok: true, value: { network: 'ipv4', networkOffset: 22, networkEnd: 95, etherType: 0x8864 } });
  });

  it('maps PPP 0x0057 to IPv6 and control protocols (LCP 0xc021) to other', () => {
    const v6 = PPPOE.slice();
    v6[21] = 0x57;
    expect(decodePppoeSession(v6, 14, v6.length)).toMatchObject({ ok: true, value: { network: 'ipv6' } });
    const lcp = concat(PPPOE.subarray(0, 18), fromHex('0006 c021 0101 0004'));
    expect(decodePppoeSession(lcp, 14, lcp.length)).toMatchObject({ ok: true, value: { network: 'other', pppProtocol: 0xc021 } });
  });

  it('is truncated below the 8 bytes of PPPoE and PPP headers', () => {
    expect(decodePppoeSession(PPPOE.subarray(0, 20), 14, 20)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'pppoe', offset: 14, required: 8, actual: 6 },
    });
  });

  it('is malformed with a bad version/type or a length too short for the PPP protocol field', () => {
    const badVersion = PPPOE.slice();
    badVersion[14] = 0x21;
    expect(decodePppoeSession(badVersion, 14, badVersion.length)).toMatchObject({ ok: false, error: { kind: 'malformed', offset: 14 } });
    const shortLength = PPPOE.slice();
    shortLength[18] = 0;
    shortLength[19] = 1;
    expect(decodePppoeSession(shortLength, 14, shortLength.length)).toMatchObject({ ok: false, error: { kind: 'malformed', offset: 18 } });
  });
});
