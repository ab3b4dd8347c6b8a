// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeIeee80211, decodeRadiotap } from '../../../extension/core/wire/ieee80211.js';
import { concat, fromDump, fromHex } from './hexdump.js';

// arkime__80211http.pcap frame 1, `tcpdump -nn -xx` (IEEE802_11_RADIO, 127): 36-byte radiotap header with two
// present words, TSFT, and Flags = 0x10 (FCS at end); 802.11 data frame To-DS (FC 08 01), LLC/SNAP, IPv4
// (total length 60), then the 4-byte FCS 38ac82fa.
// 02:45:53.739049 ... IP 172.5.5.113.49417 > 14.17.32.211.80: Flags [S], seq 2524188118, win 65535, ... length 0
const RADIOTAP = fromDump(`
	0x0000:  0000 2400 2f40 00a0 2008 0000 0000 0000
	0x0010:  28eb 6828 0000 0000 1016 9e09 a000 ba00
	0x0020:  0000 ba00 0801 0201 8825 9340 6b6f f8a9
	0x0030:  d01e 90a3 8825 9340 6b6f 20b7 aaaa 0300
	0x0040:  0000 0800 4500 003c f931 4000 4006 6130
	0x0050:  ac05 0571 0e11 20d3 c109 0050 9674 0dd6
	0x0060:  0000 0000 a002 ffff 0d1b 0000 0204 05b4
	0x0070:  0402 080a ffff f4e7 0000 0000 0103 0306
	0x0080:  38ac 82fa
`);
const FRAME_80211 = RADIOTAP.subarray(36);

describe('decodeRadiotap', () => {
  it('skips the radiotap header, the 802.11 header and LLC/SNAP, and drops the FCS', () => {
    expect(decodeRadiotap(RADIOTAP, 0)).toEqual({
      ok: true,
      value: { linkType: 127, network: 'ipv4', networkOffset: 68, networkEnd: 128, etherType: 0x0800, addressFamily: undefined, vlanIds: [] },
    });
  });

  it('keeps the last 4 bytes when the packet was snapped (the FCS was not captured)', () => {
    const r = decodeRadiotap(RADIOTAP.subarray(0, 120), 0, RADIOTAP.length);
    expect(r.ok && r.value).toMatchObject({ networkOffset: 68, networkEnd: 120 });
  });

  it('is truncated below 8 bytes and below its own length', () => {
    expect(decodeRadiotap(RADIOTAP.subarray(0, 7), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'radiotap', offset: 0, required: 8, actual: 7 },
    });
    expect(decodeRadiotap(RADIOTAP.subarray(0, 30), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'radiotap', offset: 0, required: 36, actual: 30 },
    });
  });

  it('is malformed when its length is below the 8-byte fixed header', () => {
    const bad = RADIOTAP.slice();
    bad[2] = 4;
    bad[3] = 0;
    expect(decodeRadiotap(bad, 0)).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'radiotap', offset: 2 } });
  });
});

describe('decodeIeee80211', () => {
  it('decodes a To-DS data frame (24-byte header)', () => {
    const r = decodeIeee80211(FRAME_80211, 0, FRAME_80211.length - 4);
    expect(r.ok && r.value).toMatchObject({ linkType: 105, network: 'ipv4', networkOffset: 32, networkEnd: FRAME_80211.length - 4 });
  });

  it('adds the fourth address (WDS) and the QoS control field', () => {
    // FC 88 03: QoS data, To-DS and From-DS: 24 + 6 + 2 = 32 bytes of header.
    const frame = concat(fromHex('8803 0000'), new Uint8Array(26), fromHex('0000'), fromHex('aaaa03000000 86dd'));
    expect(decodeIeee80211(frame, 0, frame.length)).toMatchObject({ ok: true, value: { network: 'ipv6', networkOffset: 40 } });
  });

  it('reports management, control and null-data frames as other', () => {
    const beacon = concat(fromHex('8000'), new Uint8Array(30));
    const nullData = concat(fromHex('4801'), new Uint8Array(30));
    expect(decodeIeee80211(beacon, 0, beacon.length)).toMatchObject({ ok: true, value: { network: 'other' } });
    expect(decodeIeee80211(nullData, 0, nullData.length)).toMatchObject({ ok: true, value: { network: 'other' } });
  });

  it('does not decode protected (encrypted) data frames', () => {
    const frame = FRAME_80211.slice();
    frame[1] = 0x41;
    expect(decodeIeee80211(frame, 0, frame.length)).toMatchObject({
      ok: false,
      error: { kind: 'unsupported', layer: 'ieee80211', offset: 1, message: 'protected (encrypted) 802.11 data frame not decoded' },
    });
  });

  it('is truncated when the data header is cut short', () => {
    expect(decodeIeee80211(FRAME_80211, 0, 20)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'ieee80211', offset: 0, required: 24, actual: 20 },
    });
  });

  it('is malformed with a protocol version other than 0', () => {
    const frame = FRAME_80211.slice();
    frame[0] = 0x09;
    expect(decodeIeee80211(frame, 0, frame.length)).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'ieee80211' } });
  });
});
