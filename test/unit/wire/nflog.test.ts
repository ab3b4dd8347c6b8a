// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { decodeNflog } from '../../../extension/core/wire/nflog.js';
import { fromDump, fromHex } from './hexdump.js';

// zeek__nflog-http.pcap frame 1, `tcpdump -nn -xx` (NFLOG, 239): family 2, version 0, resource id 42,
// then little-endian TLVs: PACKET_HDR(1) len 8, PREFIX(10) len 5 (+3 padding), type 5 len 8, UID(11) len 8,
// GID(14) len 8, PAYLOAD(9) len 64 = 4 + the 60-byte IPv4 packet.
// 12:59:39.148133 IP 10.0.2.15.49762 > 93.184.216.34.80: Flags [S], seq 1060289233, win 29200, ... length 0
const NFLOG = fromDump(`
	0x0000:  0200 002a 0800 0100 0000 0300 0500 0a00
	0x0010:  0000 0000 0800 0500 0000 0002 0800 0b00
	0x0020:  0000 0000 0800 0e00 0000 0000 4000 0900
	0x0030:  4500 003c e8ef 4000 4006 0fe3 0a00 020f
	0x0040:  5db8 d822 c262 0050 3f32 bad1 0000 0000
	0x0050:  a002 7210 4218 0000 0204 05b4 0402 080a
	0x0060:  0027 523e 0000 0000 0103 0307
`);
const TLV_OFFSETS = [4, 12, 20, 28, 36, 44];

/** The same packet as a big-endian host would have written it: each TLV's length and type byte-swapped. */
function bigEndian(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (const at of TLV_OFFSETS) {
    for (const field of [at, at + 2]) {
      out[field] = bytes[field + 1]!;
      out[field + 1] = bytes[field]!;
    }
  }
  return out;
}

describe('decodeNflog', () => {
  it('finds the IPv4 packet in the NFULA_PAYLOAD TLV (little-endian TLVs)', () => {
    expect(decodeNflog(NFLOG, 0)).toEqual({
      ok: true,
      value: { linkType: 239, network: 'ipv4', networkOffset: 48, networkEnd: 108, etherType: undefined, addressFamily: 2, vlanIds: [] },
    });
  });

  it('detects big-endian TLVs by their small type values', () => {
    const r = decodeNflog(bigEndian(NFLOG), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 48, networkEnd: 108 });
  });

  it('takes IPv6 from family AF_INET6 (10)', () => {
    const v6 = NFLOG.slice();
    v6[0] = 10;
    expect(decodeNflog(v6, 0)).toMatchObject({ ok: true, value: { network: 'ipv6', addressFamily: 10 } });
  });

  it('ends the network layer at the payload TLV, not the end of the record', () => {
    // A payload TLV of 12 bytes followed by a trailing TLV: the trailing TLV is not IP data.
    const bytes = fromHex('02000001 0c000900 45000008 deadbeef 08000100 00000000');
    expect(decodeNflog(bytes, 0)).toMatchObject({ ok: true, value: { networkOffset: 8, networkEnd: 16 } });
  });

  it('keeps a payload TLV cut short by the snap length (IP reports the snap)', () => {
    const r = decodeNflog(NFLOG.subarray(0, 70), 0);
    expect(r.ok && r.value).toMatchObject({ network: 'ipv4', networkOffset: 48, networkEnd: 70 });
  });

  it('reports a record without a payload TLV as other', () => {
    expect(decodeNflog(NFLOG.subarray(0, 44), 0)).toMatchObject({ ok: true, value: { network: 'other', networkOffset: 44 } });
  });

  it('is truncated below the 4-byte header', () => {
    expect(decodeNflog(NFLOG.subarray(0, 3), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'nflog', offset: 0, required: 4, actual: 3 },
    });
  });

  it('is truncated when a TLV before the payload runs past the capture', () => {
    expect(decodeNflog(NFLOG.subarray(0, 16), 0)).toMatchObject({
      ok: false,
      error: { kind: 'truncated', layer: 'nflog', offset: 12, required: 5, actual: 4 },
    });
  });

  it('is malformed when a TLV length is below its own 4-byte header', () => {
    const bad = NFLOG.slice();
    bad[12] = 2; // PREFIX TLV length 2
    const r = decodeNflog(bad, 0);
    expect(r).toMatchObject({ ok: false, error: { kind: 'malformed', layer: 'nflog', offset: 12 } });
    if (!r.ok) expect(r.error.message).toBe('NFLOG TLV length 2 is below the 4-byte TLV header');
  });

  it('does not decode an unknown NFLOG version', () => {
    const bad = NFLOG.slice();
    bad[1] = 1;
    expect(decodeNflog(bad, 0)).toMatchObject({ ok: false, error: { kind: 'unsupported', layer: 'nflog', offset: 1 } });
  });
});
