// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import type { ChunkRef } from '../../../extension/core/http/streamTypes.js';
import {
  CLIENT_PREFACE,
  FrameReader,
  decodeFrameHeader,
  decodeFramePayload,
  errorCodeName,
  frameTypeName,
  parseFrameHeader,
  settingName,
  type FrameContext,
  type FrameHeader,
  type Http2Frame,
} from '../../../extension/core/http2/frames.js';
import { concat, fromHex } from '../wire/hexdump.js';

/** decode parses a whole frame (header + payload) given as hex. */
function decode(hex: string): ReturnType<typeof decodeFramePayload> {
  const bytes = fromHex(hex);
  const h = decodeFrameHeader(bytes);
  if (!h.ok) return h;
  return decodeFramePayload(h.value, bytes.subarray(9));
}

function value(hex: string): Http2Frame {
  const r = decode(hex);
  if (!r.ok) throw new Error(`unexpected ${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('frame header (RFC 9113 §4.1)', () => {
  it('decodes length, type, flags and stream id, ignoring the reserved bit', () => {
    // scapy__http2_h2c.pcap: server HEADERS on stream 1, 196-octet payload, END_HEADERS.
    expect(parseFrameHeader(fromHex('0000c4 01 04 00000001'), 0)).toEqual({ length: 196, type: 1, flags: 4, streamId: 1 });
    expect(parseFrameHeader(fromHex('ffffff 00 01 80000003'), 0)).toEqual({ length: 0xffffff, type: 0, flags: 1, streamId: 3 });
  });

  it('reports a truncated header', () => {
    const r = decodeFrameHeader(fromHex('000004 08 00 000000'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'truncated', code: 'http2.frame-size' });
  });

  it('names types, settings and error codes', () => {
    expect(frameTypeName(9)).toBe('CONTINUATION');
    expect(frameTypeName(0x10)).toBe('0x10');
    expect(settingName(4)).toBe('INITIAL_WINDOW_SIZE');
    expect(errorCodeName(8)).toBe('CANCEL');
    expect(errorCodeName(0x99)).toBe('0x99');
  });
});

describe('frame payloads (RFC 9113 §6)', () => {
  it('decodes valid frames of every type', () => {
    // DATA, stream 1, END_STREAM (scapy__http2_h2c.pcap, "not found").
    expect(value('000009 00 01 00000003 6e6f7420666f756e64')).toMatchObject({ kind: 'data', endStream: true, padLength: 0, dataLength: 9 });
    // DATA, PADDED: pad length 2, 3 data octets, 2 padding octets.
    expect(value('000006 00 08 00000001 02 616263 0000')).toMatchObject({ kind: 'data', endStream: false, padLength: 2, dataLength: 3 });
    // HEADERS with PADDED|PRIORITY|END_HEADERS: pad 1, exclusive dependency on 3, weight 16, fragment 82.
    const headers = value('000008 01 2c 00000005 01 80000003 0f 82 00');
    expect(headers).toMatchObject({ kind: 'headers', endHeaders: true, endStream: false, padLength: 1, priority: { exclusive: true, dependency: 3, weight: 16 } });
    expect(headers.kind === 'headers' && Array.from(headers.fragment)).toEqual([0x82]);
    // PRIORITY (arkime__http2-nghttp2.pcap frame 4: stream 3 depends on 0, weight 201).
    expect(value('000005 02 00 00000003 00000000 c8')).toMatchObject({ kind: 'priority', priority: { exclusive: false, dependency: 0, weight: 201 } });
    // RST_STREAM NO_ERROR (suricata__http2-continuation__input.pcap).
    expect(value('000004 03 00 00000001 00000000')).toMatchObject({ kind: 'rst-stream', errorCode: 0 });
    // SETTINGS (scapy__http2_h2c.pcap server): MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 1048576, ENABLE_PUSH 0.
    expect(value('000012 04 00 00000000 0003 00000064 0004 00100000 0002 00000000')).toMatchObject({
      kind: 'settings',
      ack: false,
      settings: [
        { id: 3, value: 100 },
        { id: 4, value: 0x100000 },
        { id: 2, value: 0 },
      ],
    });
    expect(value('000000 04 01 00000000')).toMatchObject({ kind: 'settings', ack: true, settings: [] });
    // PUSH_PROMISE on stream 13 promising stream 2, fragment 82.
    expect(value('000005 05 04 0000000d 00000002 82')).toMatchObject({ kind: 'push-promise', endHeaders: true, promisedStreamId: 2, padLength: 0 });
    // PING ACK.
    const ping = value('000008 06 01 00000000 0102030405060708');
    expect(ping).toMatchObject({ kind: 'ping', ack: true });
    expect(ping.kind === 'ping' && Array.from(ping.opaqueData)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // GOAWAY last stream 1, PROTOCOL_ERROR, debug "hi".
    const goaway = value('00000a 07 00 00000000 00000001 00000001 6869');
    expect(goaway).toMatchObject({ kind: 'goaway', lastStreamId: 1, errorCode: 1 });
    expect(goaway.kind === 'goaway' && Array.from(goaway.debugData)).toEqual([0x68, 0x69]);
    // WINDOW_UPDATE (scapy__http2_h2c.pcap): connection, 1073676289.
    expect(value('000004 08 00 00000000 3fff0001')).toMatchObject({ kind: 'window-update', increment: 0x3fff0001 });
    // CONTINUATION END_HEADERS.
    expect(value('000001 09 04 00000001 84')).toMatchObject({ kind: 'continuation', endHeaders: true });
    // Unknown type 0x0a (ALTSVC-like) is ignored (§5.5).
    expect(value('000002 0a 00 00000000 0000')).toMatchObject({ kind: 'unknown' });
  });

  // Every type: a truncated payload and an impossible length or field.
  const bad: { name: string; hex: string; code: string; kind?: 'truncated' | 'malformed' }[] = [
    { name: 'DATA on stream 0', hex: '000001 00 00 00000000 61', code: 'http2.bad-stream-id' },
    { name: 'DATA PADDED without Pad Length', hex: '000000 00 08 00000001', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'DATA padding as long as the payload', hex: '000003 00 08 00000001 03 0000', code: 'http2.bad-padding', kind: 'malformed' },
    { name: 'HEADERS on stream 0', hex: '000001 01 04 00000000 82', code: 'http2.bad-stream-id' },
    { name: 'HEADERS PRIORITY shorter than 5 octets', hex: '000003 01 24 00000001 000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'HEADERS PADDED and PRIORITY with only 5 octets', hex: '000005 01 2c 00000001 00 00000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'HEADERS padding beyond the payload', hex: '000003 01 0c 00000001 05 8286', code: 'http2.bad-padding' },
    { name: 'HEADERS payload shorter than its length', hex: '000005 01 04 00000001 8286', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'PRIORITY on stream 0', hex: '000005 02 00 00000000 00000001 0f', code: 'http2.bad-stream-id' },
    { name: 'PRIORITY of 4 octets', hex: '000004 02 00 00000003 00000001', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'PRIORITY of 6 octets', hex: '000006 02 00 00000003 00000001 0f00', code: 'http2.frame-size', kind: 'malformed' },
    { name: 'RST_STREAM on stream 0', hex: '000004 03 00 00000000 00000008', code: 'http2.bad-stream-id' },
    { name: 'RST_STREAM of 3 octets', hex: '000003 03 00 00000001 000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'RST_STREAM of 8 octets', hex: '000008 03 00 00000001 00000008 00000000', code: 'http2.frame-size', kind: 'malformed' },
    { name: 'SETTINGS on stream 1', hex: '000000 04 00 00000001', code: 'http2.bad-stream-id' },
    { name: 'SETTINGS not a multiple of 6', hex: '000005 04 00 00000000 0003000000', code: 'http2.frame-size' },
    { name: 'SETTINGS ACK with a payload', hex: '000006 04 01 00000000 000300000064', code: 'http2.frame-size' },
    { name: 'SETTINGS payload shorter than its length', hex: '00000c 04 00 00000000 000300000064', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'PUSH_PROMISE on stream 0', hex: '000004 05 04 00000000 00000002', code: 'http2.bad-stream-id' },
    { name: 'PUSH_PROMISE without the promised stream id', hex: '000003 05 04 00000001 000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'PUSH_PROMISE padding beyond the payload', hex: '000006 05 0c 00000001 02 00000002 82', code: 'http2.bad-padding' },
    { name: 'PING on stream 1', hex: '000008 06 00 00000001 0000000000000000', code: 'http2.bad-stream-id' },
    { name: 'PING of 7 octets', hex: '000007 06 00 00000000 00000000000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'PING of 9 octets', hex: '000009 06 00 00000000 000000000000000000', code: 'http2.frame-size', kind: 'malformed' },
    { name: 'GOAWAY on stream 1', hex: '000008 07 00 00000001 00000000 00000000', code: 'http2.bad-stream-id' },
    { name: 'GOAWAY of 7 octets', hex: '000007 07 00 00000000 00000000 000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'GOAWAY payload shorter than its length', hex: '00000c 07 00 00000000 00000000 00000000', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'WINDOW_UPDATE of 3 octets', hex: '000003 08 00 00000000 000001', code: 'http2.frame-size', kind: 'truncated' },
    { name: 'WINDOW_UPDATE of 5 octets', hex: '000005 08 00 00000000 0000000100', code: 'http2.frame-size', kind: 'malformed' },
    { name: 'CONTINUATION on stream 0', hex: '000001 09 04 00000000 82', code: 'http2.bad-stream-id' },
    { name: 'CONTINUATION payload shorter than its length', hex: '000004 09 04 00000001 82', code: 'http2.frame-size', kind: 'truncated' },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => {
      const r = decode(c.hex);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(c.code);
      if (c.kind !== undefined) expect(r.error.kind).toBe(c.kind);
    });
  }

  it('keeps WINDOW_UPDATE increment 0 decodable (the session reports it)', () => {
    expect(value('000004 08 00 00000001 00000000')).toMatchObject({ kind: 'window-update', increment: 0 });
  });
});

interface Seen {
  header: FrameHeader;
  payload?: number[];
  ctx: FrameContext;
}

function collect(expectPreface = false): { reader: FrameReader; frames: Seen[]; anomalies: string[] } {
  const frames: Seen[] = [];
  const anomalies: string[] = [];
  const reader = new FrameReader(
    {
      onFrame(header, payload, ctx) {
        // Copy: payload views are only valid during the call.
        frames.push({ header, payload: payload && Array.from(payload), ctx });
      },
      onAnomaly(code) {
        anomalies.push(code);
      },
    },
    { expectPreface },
  );
  return { reader, frames, anomalies };
}

function ref(frame: number): ChunkRef {
  return { frame, time: frame / 10 };
}

// suricata__http2-continuation__input.pcap, client: preface, SETTINGS, WINDOW_UPDATE (first 24+27+13 octets).
const CLIENT_START = fromHex(`
  505249202a20485454502f322e300d0a0d0a534d0d0a0d0a
  000012040000000000000300000100000402000000000200000000
  000004080000000000000f0001`);

describe('FrameReader', () => {
  it('reads the preface and frames whether they come whole or one octet at a time', () => {
    for (const step of [CLIENT_START.length, 1, 5, 9, 10]) {
      const { reader, frames, anomalies } = collect(true);
      let frame = 1;
      for (let at = 0; at < CLIENT_START.length; at += step) reader.push(CLIENT_START.subarray(at, at + step), at, ref(frame++));
      expect(anomalies).toEqual([]);
      expect(frames.map((f) => f.header.type)).toEqual([4, 8]);
      expect(frames[0]!.ctx.offset).toBe(24);
      expect(frames[0]!.payload).toHaveLength(18);
      expect(frames[1]!.ctx.offset).toBe(24 + 27);
      expect(frames[1]!.payload).toEqual([0, 0x0f, 0, 1]);
    }
  });

  it('maps a frame spanning pushes to its first and last chunk', () => {
    const { reader, frames } = collect();
    const bytes = fromHex('000004 08 00 00000000 00010000');
    reader.push(bytes.subarray(0, 4), 100, ref(1));
    reader.push(bytes.subarray(4, 11), 104, ref(2));
    reader.push(bytes.subarray(11), 111, ref(3));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.ctx).toMatchObject({ offset: 100, startAt: ref(1), endAt: ref(3) });
  });

  it('reports a bad preface and stops', () => {
    const { reader, frames, anomalies } = collect(true);
    reader.push(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 0, ref(1));
    expect(anomalies).toEqual(['http2.bad-preface']);
    expect(frames).toEqual([]);
    expect(reader.stopped).toBe(true);
    expect(reader.ignoredBytes).toBe(18);
    expect(CLIENT_PREFACE).toHaveLength(24);
  });

  it('counts DATA payloads without buffering them and reads the Pad Length octet', () => {
    const { reader, frames } = collect();
    const data = concat(fromHex('004000 00 09 00000001 10'), new Uint8Array(0x3fff)); // 16384 octets, pad 16
    for (let at = 0; at < data.length; at += 1000) reader.push(data.subarray(at, at + 1000), at, ref(at));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.payload).toBeUndefined();
    expect(frames[0]!.ctx.padLengthOctet).toBe(16);
  });

  it('skips frames above SETTINGS_MAX_FRAME_SIZE by their length', () => {
    const { reader, frames, anomalies } = collect();
    const big = concat(fromHex('004001 01 04 00000001'), new Uint8Array(0x4001), fromHex('000000 04 01 00000000'));
    reader.push(big, 0, ref(1));
    expect(anomalies).toEqual(['http2.frame-too-large']);
    expect(frames.map((f) => [f.header.type, f.ctx.skipped])).toEqual([
      [1, 'too-large'],
      [4, undefined],
    ]);
    reader.maxFrameSize = 0x4001;
    reader.push(big, big.length, ref(2));
    expect(anomalies).toEqual(['http2.frame-too-large']);
    expect(frames[2]!.payload).toHaveLength(0x4001);
  });

  it('survives a gap inside a DATA payload, then stops at a gap across frames', () => {
    const { reader, frames, anomalies } = collect();
    const data = concat(fromHex('000064 00 01 00000001'), new Uint8Array(100), fromHex('000000 04 01 00000000'));
    reader.push(data.subarray(0, 30), 0, ref(1));
    reader.gap(30, 50); // inside the 100-octet payload
    reader.push(data.subarray(80), 80, ref(2));
    expect(anomalies).toEqual([]);
    expect(frames.map((f) => [f.header.type, f.ctx.missingBytes])).toEqual([
      [0, 50],
      [4, 0],
    ]);
    reader.gap(data.length, 20);
    expect(anomalies).toEqual(['http2.gap']);
    reader.push(fromHex('000000 04 01 00000000'), data.length + 20, ref(3));
    expect(frames).toHaveLength(2);
    expect(reader.ignoredBytes).toBe(20 + 9);
  });

  it('delivers a buffered frame partly lost in a gap without its payload', () => {
    const { reader, frames, anomalies } = collect();
    reader.push(fromHex('000006 01 05 00000001 8286'), 0, ref(1));
    reader.gap(11, 4);
    reader.push(fromHex('000000 04 01 00000000'), 15, ref(2));
    expect(anomalies).toEqual([]);
    expect(frames.map((f) => [f.header.type, f.ctx.skipped, f.payload])).toEqual([
      [1, 'gap', undefined],
      [4, undefined, []],
    ]);
  });

  it('reports a frame cut by FIN, not one cut by the capture end', () => {
    const a = collect();
    a.reader.push(fromHex('000004 08 00'), 0, ref(1));
    a.reader.end('fin');
    expect(a.anomalies).toEqual(['http2.truncated-frame']);
    const b = collect();
    b.reader.push(fromHex('000004 08 00'), 0, ref(1));
    b.reader.end('capture-end');
    expect(b.anomalies).toEqual([]);
  });

  it('never throws on random input', () => {
    let seed = 99;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const { reader } = collect(i % 2 === 0);
      let offset = 0;
      for (let k = 0; k < 5; k++) {
        const bytes = new Uint8Array(rand() % 64);
        for (let j = 0; j < bytes.length; j++) bytes[j] = rand() & 0xff;
        expect(() => reader.push(bytes, offset, ref(k))).not.toThrow();
        offset += bytes.length;
      }
    }
  });
});
