// SPDX-License-Identifier: MIT
// Http2Session on real h2c captures of the public corpus (/work/shared/captures/public, provenance in
// its SOURCES.md), pasted as TCP payloads per frame, checked against what tshark decodes:
//   tshark -r F [-d tcp.port==P,http2] -Y http2.header -T fields -e frame.number -e http2.header.name
//          -e http2.header.value -E separator='|' -E aggregator='^'
// Payloads: tshark -r F -Y 'tcp.len>0' -T fields -e frame.number -e frame.time_epoch -e tcp.srcport -e tcp.payload
import { describe, expect, it } from 'vitest';
import type { ChunkRef, Side } from '../../../extension/core/http/streamTypes.js';
import type { HeaderField } from '../../../extension/core/http2/hpack.js';
import { Http2Session, type Http2SessionResult } from '../../../extension/core/http2/http2Session.js';
import { fromHex } from '../wire/hexdump.js';

/** One TCP segment's payload: frame number, epoch time, side (0 client), hex. */
type Segment = [number, number, Side, string];

/** tshark gives names and values joined by ^ (the aggregator); values here hold no ^. */
function tsharkFields(names: string, values: string): HeaderField[] {
  const n = names.split('^');
  const v = values.split('^');
  return n.map((name, i) => ({ name, value: v[i]! }));
}

/** feed pushes segments into a session, side 0 from `start[0]`, side 1 from `start[1]` (stream offsets). */
function feed(session: Http2Session, segments: Segment[], start: [number, number] = [0, 0], skip: [number, number] = [0, 0]): Http2SessionResult {
  const offsets: [number, number] = [...start];
  for (const [frame, time, side, hex] of segments) {
    let bytes = fromHex(hex);
    if (skip[side] > 0) {
      bytes = bytes.subarray(skip[side]);
      skip[side] = 0;
    }
    session.push(side, bytes, offsets[side], { frame, time });
    offsets[side] += bytes.length;
  }
  session.end(0, 'fin');
  session.end(1, 'fin');
  return session.result();
}

function at(frame: number, time: number): ChunkRef {
  return { frame, time };
}

// scapy__http2_h2c.pcap: curl 7.61.0 → nghttp2.org:80 with `Upgrade: h2c` (RFC 7540 §3.2). Frame 1 is the
// HTTP/1.1 request (given to the session with adoptUpgradedRequest); frame 2 is the 101 (71 octets)
// followed by the server's SETTINGS; the client sends the preface in frame 3.
const H2C_UPGRADE: Segment[] = [
  [2, 1534095042.293875, 1, `485454502f312e312031303120537769746368696e672050726f746f636f6c730d0a436f6e6e656374696f6e3a20557067726164650d0a5570
     67726164653a206832630d0a0d0a000012040000000000000300000064000400100000000100002000`],
  [3, 1534095042.294261, 0, '505249202a20485454502f322e300d0a0d0a534d0d0a0d0a'],
  [4, 1534095042.294337, 0, '000012040000000000000300000064000440000000000200000000'],
  [5, 1534095042.294371, 0, '000000040100000000'],
  [6, 1534095042.294392, 1, `0000c4010400000001886196dd6d5f4a044a436cca08017940bb71905c682a62d1bf5f87497ca58ae819aa6c96df697e9403ca681fa504
     00bca059b8db3704253168df0f138bfe5b1ca11c7209664bfcff52848fd24a8f0f0d023632408ff2b4632752d522d3947216c5ac4a7f8602e0009c69bf7686aa69d29afc
     ff7c8712954d3a535f9f408bf2b4b60e92ac7ad263d48f89dd0e8c1ab6e4c5934f408cf2b794216aec3a4a4498f57f8a0fda949e42c11d07275f4090f2b10f524b52564f
     aacab1eb498f523f85a8e8a8d2cb00003e000100000001557365722d6167656e743a202a0a446973616c6c6f773a200a0a536974656d61703a202f2f6e67687474703
     22e6f72672f736974656d61702e786d6c200a`],
  [7, 1534095042.294399, 0, '0000040800000000003fff0001'],
  [8, 1534095042.295103, 0, '0000280105000000033fe11f820488627b691d485d3e53864188aa69d29ac4b9ec9b7a8825b650c3abb815c153032a2f2a'],
  [9, 1534095042.6061, 1, '000000040100000000'],
  [10, 1534095042.610209, 1, `00003f0104000000038d6196dd6d5f4a044a436cca08017940bb71905c684a62d1bf5f92497ca58ae819aafb50938ec415305a99567b0f
      0d01397f068602e0005f75dfc5c4c3c2c10000090001000000036e6f7420666f756e64`],
];

describe('h2c upgrade (scapy__http2_h2c.pcap)', () => {
  const session = new Http2Session();
  // Frame 1, as the exchange layer hands it over: "GET /robots.txt HTTP/1.1", 178 octets, no body.
  session.adoptUpgradedRequest(
    {
      method: 'GET',
      target: '/robots.txt',
      headers: [
        { name: 'Host', value: 'nghttp2.org' },
        { name: 'User-Agent', value: 'curl/7.61.0' },
        { name: 'Accept', value: '*/*' },
        { name: 'Connection', value: 'Upgrade, HTTP2-Settings' },
        { name: 'Upgrade', value: 'h2c' },
        { name: 'HTTP2-Settings', value: 'AAMAAABkAARAAAAAAAIAAAAA' },
      ],
      headerBytes: 178,
      offset: 0,
    },
    at(1, 1534095041.693796),
  );
  const r = feed(session, H2C_UPGRADE, [178, 71], [0, 71]);

  it('finds no anomalies', () => {
    expect(r.anomalies).toEqual([]);
  });

  it('makes the upgraded request stream 1 and pairs it with the HTTP/2 response', () => {
    const tx = r.transactions[0]!;
    expect(tx).toMatchObject({ streamId: 1, upgraded: true, complete: true });
    expect(tx.request).toMatchObject({ method: 'GET', path: '/robots.txt', authority: 'nghttp2.org', scheme: 'http', ended: true, firstAt: at(1, 1534095041.693796) });
    // tshark frame 6 (13 fields); DATA of 62 octets with END_STREAM in the same frame.
    expect(tx.response.headers).toEqual(
      tsharkFields(
        ':status^date^content-type^last-modified^etag^accept-ranges^content-length^x-backend-header-rtt^server^via^x-frame-options^x-xss-protection^x-content-type-options',
        '200^Sun, 12 Aug 2018 17:30:41 GMT^text/plain^Tue, 08 May 2018 13:53:22 GMT^"5af1abd2-3e"^bytes^62^0.002645^nghttpx^2 nghttpx^SAMEORIGIN^1; mode=block^nosniff',
      ),
    );
    expect(tx.response).toMatchObject({ status: 200, bodyBytes: 62, dataFrames: 1, headerBytes: 9 + 196, ended: true, firstAt: at(6, 1534095042.294392), lastAt: at(6, 1534095042.294392) });
  });

  it('decodes stream 3 with the dynamic table and Huffman strings as tshark does', () => {
    const tx = r.transactions[1]!;
    expect(tx.streamId).toBe(3);
    // Frame 8 starts with a dynamic table size update (3fe11f: 4096), allowed by the server's 8192.
    expect(tx.request.headers).toEqual(tsharkFields(':method^:path^:scheme^:authority^user-agent^accept', 'GET^/humans.txt^http^nghttp2.org^curl/7.61.0^*/*'));
    expect(tx.request).toMatchObject({ method: 'GET', path: '/humans.txt', ended: true, firstAt: at(8, 1534095042.295103), lastAt: at(8, 1534095042.295103), headerBytes: 49 });
    expect(tx.response.headers).toEqual(
      tsharkFields(
        ':status^date^content-type^content-length^x-backend-header-rtt^server^via^x-frame-options^x-xss-protection^x-content-type-options',
        '404^Sun, 12 Aug 2018 17:30:42 GMT^text/plain; charset=utf-8^9^0.001977^nghttpx^2 nghttpx^SAMEORIGIN^1; mode=block^nosniff',
      ),
    );
    expect(tx.response).toMatchObject({ status: 404, bodyBytes: 9, lastAt: at(10, 1534095042.610209) });
    expect(tx.complete).toBe(true);
  });

  it('records every SETTINGS, including the HTTP2-Settings header, and what each ACK acknowledged', () => {
    expect(r.settings.map((s) => [s.side, s.ack, s.source, s.at.frame, s.ackedAt?.frame, s.values.map((v) => `${v.name}=${v.value}`).join(' ')])).toEqual([
      [0, false, 'http2-settings-header', 1, 1, 'MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=1073741824 ENABLE_PUSH=0'],
      [1, false, 'frame', 2, 5, 'MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=1048576 HEADER_TABLE_SIZE=8192'],
      [0, false, 'frame', 4, 9, 'MAX_CONCURRENT_STREAMS=100 INITIAL_WINDOW_SIZE=1073741824 ENABLE_PUSH=0'],
      [0, true, 'frame', 5, undefined, ''],
      [1, true, 'frame', 9, undefined, ''],
    ]);
    expect(r.settingsInForce[1]).toMatchObject({ headerTableSize: 8192, initialWindowSize: 1048576, maxConcurrentStreams: 100 });
    expect(r.settingsInForce[0]).toMatchObject({ initialWindowSize: 1073741824, enablePush: 0 });
  });

  it('records the WINDOW_UPDATE and the window it opened', () => {
    // Frame 6 already used 62 octets of the server's connection window.
    expect(r.windowUpdates).toEqual([{ side: 0, streamId: 0, increment: 0x3fff0001, windowAfter: 65535 - 62 + 0x3fff0001, offset: 178 + 24 + 27 + 9, at: at(7, 1534095042.294399) }]);
    expect(r.stalls).toEqual([]);
    expect(r.stats[1].framesByType).toEqual({ HEADERS: 2, DATA: 2, SETTINGS: 2 });
  });
});

// suricata__http2-continuation__input.pcap: a crafted client sends its request fields over HEADERS
// + 2 CONTINUATION frames (the first with the undefined flag 0x1) and never ends the request; the Go
// server answers, then resets the stream with NO_ERROR (RFC 9113 §8.1).
const CONTINUATION: Segment[] = [
  [5, 1703017866.757535, 0, '505249202a20485454502f322e300d0a0d0a534d0d0a0d0a'],
  [6, 1703017866.757543, 0, '000012040000000000000300000100000402000000000200000000'],
  [9, 1703017866.757747, 1, '00001e0400000000000005001000000003000000fa000600100140000100001000000400100000'],
  [11, 1703017866.757773, 1, '000000040100000000000004080000000000000f0001'],
  [13, 1703017866.757803, 0, '000000040100000000'],
  [14, 1703017866.757811, 0, '000023010000000001820484612348ff86418a089d5c0b8170dc780f037a8825b650c3abbafae153032a2f2a'],
  [15, 1703017866.757818, 0, '000034090100000001'],
  [16, 1703017866.757823, 0, '409ca87496a1d25a87496a1d25a87496a1d25a87496a1d25a87496a1d25fc9ee3a2d2f71d1697b8e8b4bdc745a5ee3a2d2f71d16'],
  [18, 1703017866.757828, 0, '000034090400000001'],
  [19, 1703017866.757832, 0, '97b8e8b4bdc745a5ee3a2d2f71d1697b8e8b4bdc745a5ee3a2d2f71d1697b8e8b4bdc745a5ee3a2d2f71d1697b8e8b4bdc745a5f'],
  [25, 1703017866.758041, 1, `000031010400000001885f92497ca58ae819aafb50938ec415305a99567b5c0231336196df697e940bea5f29141004ca8205c643700e2
      98b46ff00000d00010000000148656c6c6f2c202f746174610a00000403000000000100000000`],
];

describe('HEADERS + CONTINUATION (suricata__http2-continuation__input.pcap)', () => {
  const r = feed(new Http2Session(), CONTINUATION);

  it('joins the field block across frames (tshark frames 14 and 19)', () => {
    expect(r.anomalies).toEqual([]);
    const tx = r.transactions[0]!;
    expect(tx.request.headers).toEqual([
      ...tsharkFields(':method^:path^:scheme^:authority^user-agent^accept', 'GET^/tata^http^127.0.0.1:8080^curl/7.79.1^*/*'),
      { name: 'name'.repeat(10), value: 'value'.repeat(20) },
    ]);
    // The block starts in frame 14 and ends in frame 19: 3 frames of 9 + 35, 9 + 52, 9 + 52 octets.
    expect(tx.request).toMatchObject({ path: '/tata', firstAt: at(14, 1703017866.757811), headerBytes: 44 + 61 + 61, ended: false });
    expect(tx.request.lastAt).toBeUndefined();
  });

  it('sees the response and the server reset of the unfinished request', () => {
    const tx = r.transactions[0]!;
    expect(tx.response.headers).toEqual(tsharkFields(':status^content-type^content-length^date', '200^text/plain; charset=utf-8^13^Tue, 19 Dec 2023 20:31:06 GMT'));
    expect(tx.response).toMatchObject({ status: 200, bodyBytes: 13, ended: true, lastAt: at(25, 1703017866.758041) });
    expect(tx.rstStream).toEqual({ code: 0, codeName: 'NO_ERROR', side: 1, offset: 39 + 22 + 58 + 22, at: at(25, 1703017866.758041) });
    expect(tx.complete).toBe(false);
  });

  it('applies SETTINGS at the ACK: the server allows 1 MiB frames and 1 MiB stream windows', () => {
    expect(r.settingsInForce[1]).toMatchObject({ maxFrameSize: 1048576, maxConcurrentStreams: 250, maxHeaderListSize: 1048896, initialWindowSize: 1048576 });
    expect(r.settingsInForce[0]).toMatchObject({ maxConcurrentStreams: 256, initialWindowSize: 33554432, enablePush: 0 });
    expect(r.windowUpdates).toMatchObject([{ side: 1, streamId: 0, increment: 983041, windowAfter: 65535 + 983041 }]);
  });
});

// suricata__http2-errorcode__input.pcap tcp.stream 1 (127.0.0.1:63578 → 127.0.0.1:6233): gRPC over
// h2c with prior knowledge (grpc-node 1.10.7); decode with `-d tcp.port==6233,http2`. The server
// speaks first; the client never acknowledges its SETTINGS; both sides send GOAWAY.
const GRPC: Segment[] = [
  [13, 1715280754.461033, 1, '000000040000000000'],
  [23, 1715280754.461553, 0, `505249202a20485454502f322e300d0a0d0a534d0d0a0d0a00000004000000000000007b010400000001418a089d5c0b8170dc704cb
      383049a6272d141fc1eca245f15852a4b66e2d9dcc42b1b87eb1968a0ff86408e9acac8b0c842d6958b510f21aa9b903485a9264fafa90b2d03497ea6f66aff508634
      85a9264faf7a8e9acac8b54790ab7443015c205ddf5f8b1d75d0620d263d4c4d656440027465864d833505b11f00000c00000000000100000000070a05776f726c64`],
  [27, 1715280754.461589, 0, '000000000100000001'],
  [29, 1715280754.461688, 1, '000000040100000000'],
  [32, 1715280754.461766, 1, `000060010400000001885f901d75d0620d263d4c4d6564ff75d8749f408e9acac8b0c842d6958b510f21aa9b903485a9264fafa90b2d0
      3497ea6f66aff408a9acac8b16a21e435537f863485a9264faf6197df3dbf4a01f5340fd282009a502f5c6c5719694c5a37ff000013000000000001000000000e0a0c4
      8656c6c6f2c20776f726c64`],
  [37, 1715280754.461828, 1, '00001a01050000000140889acac8b21234da8f013040899acac8b5254207317f024f4b'],
  [43, 1715280754.462321, 0, '0000080700000000000000000000000002'],
  [45, 1715280754.462385, 1, '0000080700000000000000000100000000'],
];

describe('gRPC over h2c (suricata__http2-errorcode__input.pcap)', () => {
  const r = feed(new Http2Session(), GRPC);

  it('decodes request, response and trailers as tshark does', () => {
    expect(r.anomalies).toEqual([]);
    const tx = r.transactions[0]!;
    expect(tx.request.headers).toEqual(
      tsharkFields(
        ':authority^:method^:path^:scheme^grpc-accept-encoding^accept-encoding^user-agent^content-type^te',
        '127.0.0.1:6233^POST^/helloworld.GreeterService/SayHello^http^identity,deflate,gzip^identity^grpc-node-js/1.10.7^application/grpc^trailers',
      ),
    );
    // 12 octets of DATA, then an empty DATA frame with END_STREAM (frame 27).
    expect(tx.request).toMatchObject({ method: 'POST', bodyBytes: 12, dataFrames: 2, ended: true, lastAt: at(27, 1715280754.461589) });
    expect(tx.response.headers).toEqual(
      tsharkFields(':status^content-type^grpc-accept-encoding^grpc-encoding^date', '200^application/grpc+proto^identity,deflate,gzip^identity^Thu, 09 May 2024 18:52:34 GMT'),
    );
    expect(tx.response.trailers).toEqual(tsharkFields('grpc-status^grpc-message', '0^OK'));
    expect(tx.response).toMatchObject({ status: 200, bodyBytes: 19, ended: true, firstAt: at(32, 1715280754.461766), lastAt: at(37, 1715280754.461828) });
    expect(tx.complete).toBe(true);
  });

  it('records both GOAWAYs (tshark http2.goaway.error 2 and 0)', () => {
    expect(r.goaways).toEqual([
      { side: 0, lastStreamId: 0, errorCode: 2, errorName: 'INTERNAL_ERROR', debugData: '', offset: 186 + 9, at: at(43, 1715280754.462321) },
      { side: 1, lastStreamId: 1, errorCode: 0, errorName: 'NO_ERROR', debugData: '', offset: 9 + 9 + 133 + 35, at: at(45, 1715280754.462385) },
    ]);
    // The client's SETTINGS was acknowledged; the server's never was.
    expect(r.settings.filter((s) => !s.ack).map((s) => [s.side, s.ackedAt?.frame])).toEqual([
      [1, undefined],
      [0, 29],
    ]);
  });
});
