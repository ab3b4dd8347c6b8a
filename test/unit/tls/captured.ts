// SPDX-License-Identifier: MIT
// Frames of public captures that carry TLS hellos (/work/shared/captures/public, provenance in its SOURCES.md), as
// `tshark -x` dumps (ASCII column dropped: it can hold backticks), with what tshark decoded next to them. Tests take the TCP payload with `payload(frame, offset)`.
import { fromDump } from '../wire/hexdump.js';

/** payload is the TCP payload of a dumped frame: the bytes from `offset` on, optionally `length` of them. */
export function payload(frame: Uint8Array, offset: number, length?: number): Uint8Array {
  return frame.subarray(offset, length === undefined ? undefined : offset + length);
}

// zeek__tls1.2.pcap frame 4 (Ethernet/IPv4/TCP with timestamps: TLS at 66), 10.0.0.80:56637 → 68.233.76.12:443,
// time 1357328848.549370. `tshark -x`. tshark -T fields (-e tls.handshake.type … supported_version):
//   1 | (no SNI) | (no ALPN) | 0xc030,0xc02c,…,0x0003,0x00ff (80 suites) | 50e731d038d05540f1aa6d49b553450b82a4e09e47f3dd1fee79a65bccd70490 | (none)
// and: version 0x0303, session_id empty, comp_method 1,0, extension.type 11,10,35,13,15,
//   supported_group 0x000e,0x000d,0x0019,…,0x0011 (25 groups). Record: 22, 0x0301, length 317; message length 313.
export const ZEEK_TLS12_CLIENT_HELLO_FRAME = fromDump(`
0000  d8 30 62 48 c5 b5 b8 f6 b1 16 11 6d 08 00 45 00
0010  01 76 e6 11 40 00 40 06 b8 2b 0a 00 00 50 44 e9
0020  4c 0c dd 3d 01 bb 56 ed ba 52 20 da 7b 50 80 18
0030  20 40 81 7f 00 00 01 01 08 0a 30 38 65 15 07 1a
0040  66 78 16 03 01 01 3d 01 00 01 39 03 03 50 e7 31
0050  d0 38 d0 55 40 f1 aa 6d 49 b5 53 45 0b 82 a4 e0
0060  9e 47 f3 dd 1f ee 79 a6 5b cc d7 04 90 00 00 a0
0070  c0 30 c0 2c c0 28 c0 24 c0 14 c0 0a c0 22 c0 21
0080  00 a3 00 9f 00 6b 00 6a 00 39 00 38 00 88 00 87
0090  c0 32 c0 2e c0 2a c0 26 c0 0f c0 05 00 9d 00 3d
00a0  00 35 00 84 c0 12 c0 08 c0 1c c0 1b 00 16 00 13
00b0  c0 0d c0 03 00 0a c0 2f c0 2b c0 27 c0 23 c0 13
00c0  c0 09 c0 1f c0 1e 00 a2 00 9e 00 67 00 40 00 33
00d0  00 32 00 9a 00 99 00 45 00 44 c0 31 c0 2d c0 29
00e0  c0 25 c0 0e c0 04 00 9c 00 3c 00 2f 00 96 00 41
00f0  00 07 c0 11 c0 07 c0 0c c0 02 00 05 00 04 00 15
0100  00 12 00 09 00 14 00 11 00 08 00 06 00 03 00 ff
0110  02 01 00 00 6f 00 0b 00 04 03 00 01 02 00 0a 00
0120  34 00 32 00 0e 00 0d 00 19 00 0b 00 0c 00 18 00
0130  09 00 0a 00 16 00 17 00 08 00 06 00 07 00 14 00
0140  15 00 04 00 05 00 12 00 13 00 01 00 02 00 03 00
0150  0f 00 10 00 11 00 23 00 00 00 0d 00 22 00 20 06
0160  01 06 02 06 03 05 01 05 02 05 03 04 01 04 02 04
0170  03 03 01 03 02 03 03 02 01 02 02 02 03 01 01 00
0180  0f 00 01 01
`);

// zeek__tls1.2.pcap frame 5, first 10 lines of `tshark -x` (the ServerHello record, 86 bytes at 66; the Certificate
// record that follows is cut off). Time 1357328848.590455. tshark -T fields:
//   2 | | | 0x0004 | 52c1f4efa702f42726055d7c63834b4eb00e3646be7abb0e79bf0f8570838d58 | (none)
// and: version 0x0303, session_id fa283db6334ef9973bf89aaa913c784c3d4fd57a954864a5aef82a01aae807cf, comp_method 0,
//   extension.type 65281. Record: 22, 0x0303, length 81; message length 77.
export const ZEEK_TLS12_SERVER_HELLO_FRAME = fromDump(`
0000  b8 f6 b1 16 11 6d d8 30 62 48 c5 b5 08 00 45 00
0010  05 78 ce 88 00 00 f2 06 59 b2 44 e9 4c 0c 0a 00
0020  00 50 01 bb dd 3d 20 da 7b 50 56 ed bb 94 80 10
0030  0f f0 23 89 00 00 01 01 08 0a 07 1a 66 a1 30 38
0040  65 15 16 03 03 00 51 02 00 00 4d 03 03 52 c1 f4
0050  ef a7 02 f4 27 26 05 5d 7c 63 83 4b 4e b0 0e 36
0060  46 be 7a bb 0e 79 bf 0f 85 70 83 8d 58 20 fa 28
0070  3d b6 33 4e f9 97 3b f8 9a aa 91 3c 78 4c 3d 4f
0080  d5 7a 95 48 64 a5 ae f8 2a 01 aa e8 07 cf 00 04
0090  00 00 05 ff 01 00 01 00 16 03 03 0e f3 0b 00 0e
`);

// arkime__tls-alpn-h2.pcap frame 4 (NULL/IPv6/TCP: TLS at 64), [2001:4998:ef83:14:8000::100d]:64034 → [2606:4700::6811:d209]:443,
// time 1593980608.666633. `tshark -x`. tshark -T fields:
//   1 | www.cloudflare.com | h2,http/1.1 | 0xc030,0xc02c,…,0x000a,0x00ff (46 suites) | 858226c04fbaeddef4246093b4cfdab38f9dcfef145360e417686575cac49c70 | (none)
// and: version 0x0303, session_id empty, comp_method 0, extension.type 0,11,10,13,16, supported_group 0x001d,0x0017,0x0018.
// Record: 22, 0x0301, length 232; message length 228. (zeek__tls1.2.pcap has no SNI nor ALPN: this is the TLS 1.2 one that has.)
export const ALPN_H2_CLIENT_HELLO_FRAME = fromDump(`
0000  1e 00 00 00 60 02 5b ab 01 01 06 40 20 01 49 98
0010  ef 83 00 14 80 00 00 00 00 00 10 0d 26 06 47 00
0020  00 00 00 00 00 00 00 00 68 11 d2 09 fa 22 01 bb
0030  33 15 2f 2b 60 c8 39 da 50 18 10 00 be 30 00 00
0040  16 03 01 00 e8 01 00 00 e4 03 03 85 82 26 c0 4f
0050  ba ed de f4 24 60 93 b4 cf da b3 8f 9d cf ef 14
0060  53 60 e4 17 68 65 75 ca c4 9c 70 00 00 5c c0 30
0070  c0 2c c0 28 c0 24 c0 14 c0 0a 00 9f 00 6b 00 39
0080  cc a9 cc a8 cc aa ff 85 00 c4 00 88 00 81 00 9d
0090  00 3d 00 35 00 c0 00 84 c0 2f c0 2b c0 27 c0 23
00a0  c0 13 c0 09 00 9e 00 67 00 33 00 be 00 45 00 9c
00b0  00 3c 00 2f 00 ba 00 41 c0 11 c0 07 00 05 00 04
00c0  c0 12 c0 08 00 16 00 0a 00 ff 01 00 00 5f 00 00
00d0  00 17 00 15 00 00 12 77 77 77 2e 63 6c 6f 75 64
00e0  66 6c 61 72 65 2e 63 6f 6d 00 0b 00 02 01 00 00
00f0  0a 00 08 00 06 00 1d 00 17 00 18 00 0d 00 1c 00
0100  1a 06 01 06 03 ef ef 05 01 05 03 04 01 04 03 ee
0110  ee ed ed 03 01 03 03 02 01 02 03 00 10 00 0e 00
0120  0c 02 68 32 08 68 74 74 70 2f 31 2e 31
`);

// arkime__tls-alpn-h2.pcap frame 6, first 11 lines of `tshark -x` (ServerHello record, 105 bytes at 64).
// Time 1593980608.696217. tshark -T fields:
//   2 | | h2 | 0xcca9 | 5f0236c07f47bfb12dc2da706ecb3fe7f9eeac9968cc2ddf444f574e47524401 | (none)
// and: version 0x0303, session_id b89ff1ab695278c69b8a73f76242ef755e0b13dc6d459aaaa784fec9c2dfce34, comp_method 0,
//   extension.type 0,65281,11,16. The random ends with "DOWNGRD\x01" (RFC 8446 §4.1.3): a TLS 1.3 server answering a 1.2-only client.
export const ALPN_H2_SERVER_HELLO_FRAME = fromDump(`
0000  1e 00 00 00 60 0c ab 42 05 56 06 3b 26 06 47 00
0010  00 00 00 00 00 00 00 00 68 11 d2 09 20 01 49 98
0020  ef 83 00 14 80 00 00 00 00 00 10 0d 01 bb fa 22
0030  60 c8 39 da 33 15 30 18 50 10 00 42 89 33 00 00
0040  16 03 03 00 64 02 00 00 60 03 03 5f 02 36 c0 7f
0050  47 bf b1 2d c2 da 70 6e cb 3f e7 f9 ee ac 99 68
0060  cc 2d df 44 4f 57 4e 47 52 44 01 20 b8 9f f1 ab
0070  69 52 78 c6 9b 8a 73 f7 62 42 ef 75 5e 0b 13 dc
0080  6d 45 9a aa a7 84 fe c9 c2 df ce 34 cc a9 00 00
0090  18 00 00 00 00 ff 01 00 01 00 00 0b 00 02 01 00
00a0  00 10 00 05 00 03 02 68 32 16 03 03 0a 0c 0b 00
`);

// scapy__tls_nss_example.pcap frame 22 (Ethernet/IPv4/TCP with timestamps: TLS at 66), 127.0.0.1:41402 → :443,
// time 1749547124.393257. `tshark -x`. tshark -T fields:
//   1 | | | 0x1302,0x1303,0x1301,0x00ff | 74ef95570af6a305910ee6cb0f98fc5bcec0c5d5dffe5f293ae9a4d7ba2110f2 | 0x0304
// and: version 0x0303, session_id bafd6cd1e537cb38b7a988cabe5393cbfe399fd17a96c65d299eb5c9c9f83457, comp_method 0,
//   extension.type 11,10,35,22,23,13,43,45,51, supported_group 0x001d,0x0017,0x001e,0x0019,0x0018,0x0100-0x0104,
//   key_share_group 29. Record: 22, 0x0301, length 220; message length 216.
export const NSS_TLS13_CLIENT_HELLO_FRAME = fromDump(`
0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00
0010  01 15 6a 77 40 00 40 06 d1 69 7f 00 00 01 7f 00
0020  00 01 a1 ba 01 bb a2 86 3f 56 51 cb 1c ac 80 18
0030  02 00 ff 09 00 00 01 01 08 0a 27 21 42 32 27 21
0040  42 32 16 03 01 00 dc 01 00 00 d8 03 03 74 ef 95
0050  57 0a f6 a3 05 91 0e e6 cb 0f 98 fc 5b ce c0 c5
0060  d5 df fe 5f 29 3a e9 a4 d7 ba 21 10 f2 20 ba fd
0070  6c d1 e5 37 cb 38 b7 a9 88 ca be 53 93 cb fe 39
0080  9f d1 7a 96 c6 5d 29 9e b5 c9 c9 f8 34 57 00 08
0090  13 02 13 03 13 01 00 ff 01 00 00 87 00 0b 00 04
00a0  03 00 01 02 00 0a 00 16 00 14 00 1d 00 17 00 1e
00b0  00 19 00 18 01 00 01 01 01 02 01 03 01 04 00 23
00c0  00 00 00 16 00 00 00 17 00 00 00 0d 00 1e 00 1c
00d0  04 03 05 03 06 03 08 07 08 08 08 09 08 0a 08 0b
00e0  08 04 08 05 08 06 04 01 05 01 06 01 00 2b 00 03
00f0  02 03 04 00 2d 00 02 01 01 00 33 00 26 00 24 00
0100  1d 00 20 8c 33 aa 94 08 b8 33 b5 00 f4 09 33 f2
0110  d0 61 ca 71 ee c3 f1 70 d2 68 83 7f 5c c2 77 3a
0120  b6 89 00
`);

// scapy__tls_nss_example.pcap frame 24, first 13 lines of `tshark -x`: ServerHello record (127 bytes at 66), ChangeCipherSpec
// record (6 bytes), and the header of the first encrypted record (17 03 03 00 17, cut off). Time 1749547124.399423.
// tshark -T fields:
//   2 | | | 0x1302 | e2a60a74b5dbb5904de79fae2d1c2625e782d9abe661d999161ce4b96f123bb1 | 0x0304
// and: version 0x0303, session_id bafd6cd1…f83457 (echo), comp_method 0, extension.type 43,51, key_share_group 29.
// Records in the frame: 22 (122), 20 (1), 23 (23, 960, 281, 69).
export const NSS_TLS13_SERVER_FLIGHT_FRAME = fromDump(`
0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00
0010  06 02 ab 1a 40 00 40 06 8b d9 7f 00 00 01 7f 00
0020  00 01 01 bb a1 ba 51 cb 1c ac a2 86 40 37 80 18
0030  02 00 03 f7 00 00 01 01 08 0a 27 21 42 38 27 21
0040  42 32 16 03 03 00 7a 02 00 00 76 03 03 e2 a6 0a
0050  74 b5 db b5 90 4d e7 9f ae 2d 1c 26 25 e7 82 d9
0060  ab e6 61 d9 99 16 1c e4 b9 6f 12 3b b1 20 ba fd
0070  6c d1 e5 37 cb 38 b7 a9 88 ca be 53 93 cb fe 39
0080  9f d1 7a 96 c6 5d 29 9e b5 c9 c9 f8 34 57 13 02
0090  00 00 2e 00 2b 00 02 03 04 00 33 00 24 00 1d 00
00a0  20 bd 91 0a 5b 23 28 08 95 cf 35 38 9d ef ac 67
00b0  f9 79 a5 7b 73 65 bf dc fc 03 06 cd 31 20 9a 5e
00c0  48 14 03 03 00 01 01 17 03 03 00 17 99 3d cd fd
`);

// arkime__tls13.pcap frame 4 (Ethernet/IPv6/TCP: TLS at 74), port 62510 → 443, time 1483560476.246553. `tshark -x`.
// tshark -T fields:
//   1 | blog.cloudflare.com | h2,http/1.1 | 0x4a4a,0x1301,0x1302,0x1303,0xc02b,…,0x000a (19 suites) |
//   4355d402c132771a9386b6e9994ae37069e0621af504c26673b1343843c21d8d | 0xcaca,0x7f12,0x0303,0x0302,0x0301
// and: session_id empty, extension.type 56026,65281,0,23,35,13,5,18,16,30032,11,40,45,43,10,2570,21,
//   supported_group 0x5a5a,0x001d,0x0017,0x0018, key_share_group 23130,29 (in extension 40, the drafts' key_share).
export const DRAFT18_CLIENT_HELLO_FRAME = fromDump(`
0000  00 26 55 d1 4d 97 c8 f7 33 1d 84 95 86 dd 60 00
0010  00 00 02 19 06 40 20 01 16 d8 ff ce 00 10 ac a8
0020  35 3c 29 1d a9 b3 24 00 cb 00 20 48 00 01 00 00
0030  00 00 68 13 c2 66 f4 2e 01 bb 2b 06 b6 29 73 f2
0040  ea 1e 50 18 01 01 13 ac 00 00 16 03 01 02 00 01
0050  00 01 fc 03 03 43 55 d4 02 c1 32 77 1a 93 86 b6
0060  e9 99 4a e3 70 69 e0 62 1a f5 04 c2 66 73 b1 34
0070  38 43 c2 1d 8d 00 00 26 4a 4a 13 01 13 02 13 03
0080  c0 2b c0 2f c0 2c c0 30 cc a9 cc a8 cc 14 cc 13
0090  c0 13 c0 14 00 9c 00 9d 00 2f 00 35 00 0a 01 00
00a0  01 ad da da 00 00 ff 01 00 01 00 00 00 00 18 00
00b0  16 00 00 13 62 6c 6f 67 2e 63 6c 6f 75 64 66 6c
00c0  61 72 65 2e 63 6f 6d 00 17 00 00 00 23 00 00 00
00d0  0d 00 14 00 12 04 03 08 04 04 01 05 03 08 05 05
00e0  01 08 06 06 01 02 01 00 05 00 05 01 00 00 00 00
00f0  00 12 00 00 00 10 00 0e 00 0c 02 68 32 08 68 74
0100  74 70 2f 31 2e 31 75 50 00 00 00 0b 00 02 01 00
0110  00 28 00 2b 00 29 5a 5a 00 01 00 00 1d 00 20 cf
0120  78 b9 16 7a f0 54 b9 22 a9 67 52 b4 39 73 10 7b
0130  2a 57 76 63 57 dd 28 8b 2b 42 ab 5d f3 0e 08 00
0140  2d 00 02 01 01 00 2b 00 0b 0a ca ca 7f 12 03 03
0150  03 02 03 01 00 0a 00 0a 00 08 5a 5a 00 1d 00 17
0160  00 18 0a 0a 00 01 00 00 15 00 e4 00 00 00 00 00
0170  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0180  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0190  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01a0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01b0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01c0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01d0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01e0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
01f0  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0200  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0210  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0220  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0230  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
0240  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
`);

// arkime__tls13.pcap frame 6, first 13 lines of `tshark -x`: a TLS 1.3 draft-18 ServerHello record (87 bytes at 74) and a
// 37-byte application_data record. Time 1483560476.263899. tshark -T fields:
//   2 | | | 0x1301 | 3ef1609fd3f4fa8668aac5822d500fb0639b22671d0fb7258597355795511bf6 | (none)
// and: version 0x7f12 ("TLS 1.3 (draft 18)"), no session id nor compression (draft ≤ 21 format), extension.type 40,
//   key_share_group 29. Records: 22 (82), 23 (32).
export const DRAFT18_SERVER_HELLO_FRAME = fromDump(`
0000  c8 f7 33 1d 84 95 00 26 55 d1 4d 97 86 dd 60 02
0010  6f 68 04 d8 06 3a 24 00 cb 00 20 48 00 01 00 00
0020  00 00 68 13 c2 66 20 01 16 d8 ff ce 00 10 ac a8
0030  35 3c 29 1d a9 b3 01 bb f4 2e 73 f2 ea 1e 2b 06
0040  b8 2e 50 10 00 19 dd 90 00 00 16 03 01 00 52 02
0050  00 00 4e 7f 12 3e f1 60 9f d3 f4 fa 86 68 aa c5
0060  82 2d 50 0f b0 63 9b 22 67 1d 0f b7 25 85 97 35
0070  57 95 51 1b f6 13 01 00 28 00 28 00 24 00 1d 00
0080  20 ae 0e 28 2a 3b 7a 46 3e 71 06 4e cb af 67 15
0090  86 e9 79 b0 ed be bf 7a 47 35 c3 16 78 c7 0f 66
00a0  0c 17 03 01 00 20 d6 02 bd a7 a3 93 6e 23 66 41
00b0  b7 d2 29 d8 22 4a c4 a4 27 8b 27 59 5c 24 40 52
00c0  7b 7d 10 f9 6d 3b 17 03 01 0b a1 12 47 65 9a 1c
`);

// zeek__ssl-to-http-server.pcap frame 8, first 4 lines of `tshark -x`: the HTTP server's answer to a ClientHello
// ("HTTP/1.1 400 Bad Request"), payload at 54.
export const HTTP_400_FRAME = fromDump(`
0000  08 00 27 d0 07 30 18 e8 29 b2 2d 28 08 00 45 02
0010  01 7d 1b 89 40 00 34 06 8b a3 57 f0 84 48 c0 a8
0020  01 6c 00 50 f4 61 2d bd 99 3a e9 f2 fc 9b 50 18
0030  00 53 49 c5 00 00 48 54 54 50 2f 31 2e 31 20 34
`);

// zeek__ssl-to-http-server.pcap frame 3: a TLS 1.0 ClientHello sent to port 80 (payload at 54), time 1677078951.956073.
// tshark -d tcp.port==80,tls -T fields: 1 | vk.com | | 0x002f,0x0035,0x000a,0xc013,0xc014,0xc009,0xc00a,0x0032,0x0038,0x0013 |
//   63f6315dfd0bf853f1ff54a5c4d5bddce5245f8f00121ca6f818e49ab6dca3eb | (none); handshake version 0x0301.
export const SSL_ON_PORT_80_CLIENT_HELLO_FRAME = fromDump(`
0000  18 e8 29 b2 2d 28 08 00 27 d0 07 30 08 00 45 02
0010  00 9f 05 62 40 00 80 06 56 a8 c0 a8 01 6c 57 f0
0020  84 48 f4 61 00 50 e9 f2 fc 24 2d bd 99 3a 50 18
0030  04 00 e1 94 00 00 16 03 01 00 72 01 00 00 6e 03
0040  01 63 f6 31 5d fd 0b f8 53 f1 ff 54 a5 c4 d5 bd
0050  dc e5 24 5f 8f 00 12 1c a6 f8 18 e4 9a b6 dc a3
0060  eb 00 00 14 00 2f 00 35 00 0a c0 13 c0 14 c0 09
0070  c0 0a 00 32 00 38 00 13 01 00 00 31 ff 01 00 01
0080  00 00 00 00 0b 00 09 00 00 06 76 6b 2e 63 6f 6d
0090  00 05 00 05 01 00 00 00 00 00 0a 00 06 00 04 00
00a0  17 00 18 00 0b 00 02 01 00 00 23 00 00
`);

//#region TLS bytes of the frames above (each a whole number of records)

/** zeek__tls1.2.pcap frame 4: one 322-byte record holding the ClientHello. */
export const ZEEK_TLS12_CLIENT_HELLO = payload(ZEEK_TLS12_CLIENT_HELLO_FRAME, 66);
/** zeek__tls1.2.pcap frame 5: the 86-byte ServerHello record. */
export const ZEEK_TLS12_SERVER_HELLO = payload(ZEEK_TLS12_SERVER_HELLO_FRAME, 66, 86);
/** arkime__tls-alpn-h2.pcap frame 4: one 237-byte record holding the ClientHello. */
export const ALPN_H2_CLIENT_HELLO = payload(ALPN_H2_CLIENT_HELLO_FRAME, 64);
/** arkime__tls-alpn-h2.pcap frame 6: the 105-byte ServerHello record. */
export const ALPN_H2_SERVER_HELLO = payload(ALPN_H2_SERVER_HELLO_FRAME, 64, 105);
/** scapy__tls_nss_example.pcap frame 22: one 225-byte record holding the ClientHello. */
export const NSS_TLS13_CLIENT_HELLO = payload(NSS_TLS13_CLIENT_HELLO_FRAME, 66);
/** scapy__tls_nss_example.pcap frame 24: the 127-byte ServerHello record. */
export const NSS_TLS13_SERVER_HELLO = payload(NSS_TLS13_SERVER_FLIGHT_FRAME, 66, 127);
/** scapy__tls_nss_example.pcap frame 24: the 6-byte ChangeCipherSpec record after the ServerHello. */
export const NSS_TLS13_SERVER_CCS = payload(NSS_TLS13_SERVER_FLIGHT_FRAME, 66 + 127, 6);
/** arkime__tls13.pcap frame 4: one 517-byte record holding the ClientHello. */
export const DRAFT18_CLIENT_HELLO = payload(DRAFT18_CLIENT_HELLO_FRAME, 74);
/** arkime__tls13.pcap frame 6: the 87-byte draft-18 ServerHello record. */
export const DRAFT18_SERVER_HELLO = payload(DRAFT18_SERVER_HELLO_FRAME, 74, 87);
/** arkime__tls13.pcap frame 6: the 37-byte application_data record after the ServerHello. */
export const DRAFT18_SERVER_APP_DATA = payload(DRAFT18_SERVER_HELLO_FRAME, 74 + 87, 37);
/** zeek__ssl-to-http-server.pcap frame 3: one 119-byte record holding a TLS 1.0 ClientHello. */
export const SSL_ON_PORT_80_CLIENT_HELLO = payload(SSL_ON_PORT_80_CLIENT_HELLO_FRAME, 54);
/** zeek__ssl-to-http-server.pcap frame 8: the first 10 bytes of the HTTP answer. */
export const HTTP_400 = payload(HTTP_400_FRAME, 54);

/** helloBody is the body of the single handshake message of a one-message record (after 5 + 4 header bytes). */
export function helloBody(rec: Uint8Array): Uint8Array {
  return rec.subarray(9);
}

//#endregion
