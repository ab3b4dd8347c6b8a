// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { HPACK_STATIC_TABLE, HpackDecoder, huffmanCodes, type HeaderField, type HpackErrorCode } from '../../../extension/core/http2/hpack.js';
import { fromHex } from '../wire/hexdump.js';

function pairs(list: readonly [string, string][]): HeaderField[] {
  return list.map(([name, value]) => ({ name, value }));
}

interface Step {
  block: string;
  headers: [string, string][];
  /** Dynamic table after the block, newest first. */
  table: [string, string][];
  size: number;
}

function runSeries(tableSizeLimit: number, steps: Step[]): void {
  const d = new HpackDecoder({ tableSizeLimit });
  for (const step of steps) {
    const r = d.decode(fromHex(step.block));
    expect(r.ok).toBe(true);
    expect(r.headers).toEqual(pairs(step.headers));
    expect(d.dynamicTable()).toEqual(pairs(step.table));
    expect(d.tableSize).toBe(step.size);
  }
}

// RFC 7541 Appendix C.3 / C.4: the same three requests, without and with Huffman coding.
const REQ1: [string, string][] = [
  [':method', 'GET'],
  [':scheme', 'http'],
  [':path', '/'],
  [':authority', 'www.example.com'],
];
const REQ2: [string, string][] = [...REQ1, ['cache-control', 'no-cache']];
const REQ3: [string, string][] = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/index.html'],
  [':authority', 'www.example.com'],
  ['custom-key', 'custom-value'],
];
const REQ_TABLES: [string, string][][] = [
  [[':authority', 'www.example.com']],
  [
    ['cache-control', 'no-cache'],
    [':authority', 'www.example.com'],
  ],
  [
    ['custom-key', 'custom-value'],
    ['cache-control', 'no-cache'],
    [':authority', 'www.example.com'],
  ],
];

// RFC 7541 Appendix C.5 / C.6: three responses with SETTINGS_HEADER_TABLE_SIZE 256 (evictions).
const DATE1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const DATE2 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const LOCATION = 'https://www.example.com';
const COOKIE = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const RESP1: [string, string][] = [
  [':status', '302'],
  ['cache-control', 'private'],
  ['date', DATE1],
  ['location', LOCATION],
];
const RESP2: [string, string][] = [
  [':status', '307'],
  ['cache-control', 'private'],
  ['date', DATE1],
  ['location', LOCATION],
];
const RESP3: [string, string][] = [
  [':status', '200'],
  ['cache-control', 'private'],
  ['date', DATE2],
  ['location', LOCATION],
  ['content-encoding', 'gzip'],
  ['set-cookie', COOKIE],
];
const RESP_TABLES: [string, string][][] = [
  [
    ['location', LOCATION],
    ['date', DATE1],
    ['cache-control', 'private'],
    [':status', '302'],
  ],
  [
    [':status', '307'],
    ['location', LOCATION],
    ['date', DATE1],
    ['cache-control', 'private'],
  ],
  [
    ['set-cookie', COOKIE],
    ['content-encoding', 'gzip'],
    ['date', DATE2],
  ],
];

describe('HPACK RFC 7541 Appendix C vectors', () => {
  it('C.2.1 literal with indexing', () => {
    runSeries(4096, [
      {
        block: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572',
        headers: [['custom-key', 'custom-header']],
        table: [['custom-key', 'custom-header']],
        size: 55,
      },
    ]);
  });

  it('C.2.2 literal without indexing, C.2.3 never indexed, C.2.4 indexed', () => {
    runSeries(4096, [{ block: '040c 2f73 616d 706c 652f 7061 7468', headers: [[':path', '/sample/path']], table: [], size: 0 }]);
    runSeries(4096, [{ block: '1008 7061 7373 776f 7264 0673 6563 7265 74', headers: [['password', 'secret']], table: [], size: 0 }]);
    runSeries(4096, [{ block: '82', headers: [[':method', 'GET']], table: [], size: 0 }]);
  });

  it('C.3 requests without Huffman coding', () => {
    runSeries(4096, [
      { block: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', headers: REQ1, table: REQ_TABLES[0]!, size: 57 },
      { block: '8286 84be 5808 6e6f 2d63 6163 6865', headers: REQ2, table: REQ_TABLES[1]!, size: 110 },
      { block: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65', headers: REQ3, table: REQ_TABLES[2]!, size: 164 },
    ]);
  });

  it('C.4 requests with Huffman coding', () => {
    runSeries(4096, [
      { block: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', headers: REQ1, table: REQ_TABLES[0]!, size: 57 },
      { block: '8286 84be 5886 a8eb 1064 9cbf', headers: REQ2, table: REQ_TABLES[1]!, size: 110 },
      { block: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf', headers: REQ3, table: REQ_TABLES[2]!, size: 164 },
    ]);
  });

  it('C.5 responses without Huffman coding (table size 256, evictions)', () => {
    runSeries(256, [
      {
        block: `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
        headers: RESP1,
        table: RESP_TABLES[0]!,
        size: 222,
      },
      { block: '4803 3330 37c1 c0bf', headers: RESP2, table: RESP_TABLES[1]!, size: 222 },
      {
        block: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`,
        headers: RESP3,
        table: RESP_TABLES[2]!,
        size: 215,
      },
    ]);
  });

  it('C.6 responses with Huffman coding (table size 256, evictions)', () => {
    runSeries(256, [
      {
        block: `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        headers: RESP1,
        table: RESP_TABLES[0]!,
        size: 222,
      },
      { block: '4883 640e ffc1 c0bf', headers: RESP2, table: RESP_TABLES[1]!, size: 222 },
      {
        block: `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
        headers: RESP3,
        table: RESP_TABLES[2]!,
        size: 215,
      },
    ]);
  });
});

describe('HPACK tables and Huffman code', () => {
  it('has the 61 static entries of Appendix A', () => {
    expect(HPACK_STATIC_TABLE).toHaveLength(61);
    expect(HPACK_STATIC_TABLE[0]).toEqual({ name: ':authority', value: '' });
    expect(HPACK_STATIC_TABLE[7]).toEqual({ name: ':status', value: '200' });
    expect(HPACK_STATIC_TABLE[60]).toEqual({ name: 'www-authenticate', value: '' });
  });

  it('rebuilds the canonical codes of Appendix B', () => {
    const codes = huffmanCodes();
    // Spot checks against RFC 7541 Appendix B, across code lengths 5..30.
    expect(codes[48]).toEqual([0x0, 5]); // '0'
    expect(codes[32]).toEqual([0x14, 6]); // ' '
    expect(codes[0]).toEqual([0x1ff8, 13]);
    expect(codes[10]).toEqual([0x3ffffffc, 30]); // '\n'
    expect(codes[255]).toEqual([0x3ffffee, 26]);
    expect(codes[256]).toEqual([0x3fffffff, 30]); // EOS
    // Kraft equality: a complete prefix code.
    expect(codes.reduce((sum, [, len]) => sum + 2 ** -len, 0)).toBe(1);
  });

  it('decodes every octet value through the Huffman code (round trip with a test encoder)', () => {
    const codes = huffmanCodes();
    const octets = Array.from({ length: 256 }, (_, i) => i);
    const huff = huffmanEncode(octets, codes);
    // Literal without indexing, new name "x" (raw), Huffman value.
    const block = [0x00, 0x01, 0x78, ...hpackInt(huff.length, 7, 0x80), ...huff];
    const r = new HpackDecoder().decode(new Uint8Array(block));
    expect(r.ok).toBe(true);
    expect(r.headers[0]!.value).toBe(String.fromCharCode(...octets));
  });
});

function huffmanEncode(octets: number[], codes: [number, number][]): number[] {
  let bits = '';
  for (const o of octets) {
    const [code, len] = codes[o]!;
    bits += code.toString(2).padStart(len, '0');
  }
  while (bits.length % 8 !== 0) bits += '1';
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return out;
}

/** hpackInt encodes an integer with an N-bit prefix (RFC 7541 §5.1), `flags` in the prefix octet's high bits. */
function hpackInt(value: number, prefixBits: number, flags: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [flags | value];
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

describe('HPACK malformed input', () => {
  const cases: { name: string; block: string; code: HpackErrorCode; limit?: number }[] = [
    { name: 'index 0', block: '80', code: 'index-zero' },
    { name: 'index beyond static + empty dynamic table', block: 'be', code: 'index-out-of-range' },
    { name: 'name index beyond the table', block: '7f 00 01 61', code: 'index-out-of-range' },
    { name: 'integer truncated after the prefix', block: 'ff', code: 'truncated' },
    { name: 'integer truncated in continuation octets', block: 'ff 80 80', code: 'truncated' },
    { name: 'integer above 2^32-1', block: 'ff ff ff ff ff 0f', code: 'integer-overflow' },
    { name: 'integer with 6 continuation octets (zero padding)', block: 'ff 80 80 80 80 80 00', code: 'integer-overflow' },
    { name: 'string length past the block', block: '40 05 61 62', code: 'truncated' },
    { name: 'value string missing', block: '40 01 61', code: 'truncated' },
    { name: 'impossible string length (2^32-1)', block: '40 7f ff ff ff ff 0f', code: 'integer-overflow' },
    { name: 'size update above the advertised maximum', block: '3f e2 1f', code: 'table-size-above-max' },
    { name: 'size update above a lowered maximum', block: '3f 01', code: 'table-size-above-max', limit: 16 },
    { name: 'size update after a field', block: '82 20', code: 'table-size-update-misplaced' },
    // 30 one-bits are EOS; then two padding ones.
    { name: 'EOS inside a Huffman string', block: '00 01 61 84 ff ff ff ff', code: 'huffman-eos' },
    // 'a' = 00011, then 11 one-bits of padding.
    { name: 'Huffman padding longer than 7 bits', block: '00 01 61 82 1f ff', code: 'huffman-padding-too-long' },
    // 'a' = 00011, then 000 padding.
    { name: 'Huffman padding not all ones', block: '00 01 61 81 18', code: 'huffman-padding-not-eos' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = new HpackDecoder(c.limit === undefined ? {} : { tableSizeLimit: c.limit });
      const r = d.decode(fromHex(c.block));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(c.code);
      // Fatal: the dynamic table is unknown from now on (RFC 9113 §4.3).
      expect(d.failed).toBe(true);
      const next = d.decode(fromHex('82'));
      expect(next.ok ? undefined : next.error.code).toBe('decoder-failed');
    });
  }

  it('accepts valid Huffman padding of 1..7 one-bits and an empty Huffman string', () => {
    const d = new HpackDecoder();
    // 'a' (5 bits) + 3 ones; "aa" would be 10 bits + 6 ones.
    expect(d.decode(fromHex('00 01 61 81 1f')).headers).toEqual(pairs([['a', 'a']]));
    expect(d.decode(fromHex('00 01 61 82 18 ff')).headers).toEqual(pairs([['a', 'aa']]));
    expect(d.decode(fromHex('00 01 61 80')).headers).toEqual(pairs([['a', '']]));
  });

  it('applies size updates at the start of a block and evicts', () => {
    const d = new HpackDecoder();
    d.decode(fromHex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(d.tableSize).toBe(55);
    // Size update to 0 then back to 4096 (two updates allowed, RFC 7541 §4.2), then index 62 is gone.
    const r = d.decode(fromHex('20 3f e1 1f be'));
    expect(r.ok ? undefined : r.error.code).toBe('index-out-of-range');
    const d2 = new HpackDecoder();
    d2.decode(fromHex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'));
    expect(d2.decode(fromHex('3f e1 1f be')).headers).toEqual(pairs([['custom-key', 'custom-header']]));
    expect(d2.tableMaxSize).toBe(4096);
  });

  it('drops an entry larger than the table and empties it (RFC 7541 §4.4)', () => {
    const d = new HpackDecoder({ tableSizeLimit: 64 });
    d.decode(fromHex('40 01 61 01 62')); // a: b, 34 octets
    expect(d.tableSize).toBe(34);
    const big = [0x40, 0x01, 0x63, 0x28, ...new Array<number>(40).fill(0x7a)]; // c: 40 z's, 73 octets
    const r = d.decode(new Uint8Array(big));
    expect(r.ok).toBe(true);
    expect(d.tableSize).toBe(0);
    expect(d.dynamicTable()).toEqual([]);
  });

  it('stops an HPACK bomb at the header list limit without losing table state', () => {
    const d = new HpackDecoder({ maxHeaderListSize: 64 * 1024 });
    // One 4000-octet entry, then 10,000 references to it (index 62): 40 MB if materialized.
    const value = new Array<number>(4000).fill(0x78);
    const first = new Uint8Array([0x40, 0x01, 0x62, ...hpackInt(4000, 7, 0), ...value]);
    const refs = new Uint8Array(10_000).fill(0xbe);
    const block = new Uint8Array(first.length + refs.length);
    block.set(first);
    block.set(refs, first.length);
    const r = d.decode(block);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('header-list-too-large');
    // 64 KiB / (1 + 4000 + 32) octets per field → 16 fields kept.
    expect(r.headers.length).toBe(16);
    expect(r.listSize).toBe(10_001 * 4033);
    // Not fatal: the table still matches the encoder's.
    expect(d.failed).toBe(false);
    expect(d.decode(fromHex('be')).headers[0]!.name).toBe('b');
  });

  it('rejects string literals above the length limit', () => {
    const d = new HpackDecoder({ maxStringLength: 4 });
    const r = d.decode(fromHex('00 01 61 05 6162636465'));
    expect(r.ok ? undefined : r.error.code).toBe('string-too-long');
    const d2 = new HpackDecoder({ maxStringLength: 4 });
    // Huffman "www.example.com" decodes to 15 octets.
    const r2 = d2.decode(fromHex('00 01 61 8c f1e3 c2e5 f23a 6ba0 ab90 f4ff'));
    expect(r2.ok ? undefined : r2.error.code).toBe('string-too-long');
    // 16 Huffman octets decode to at least 16 × 8 / 30 > 4 octets: rejected before decoding.
    const d3 = new HpackDecoder({ maxStringLength: 4 });
    const r3 = d3.decode(fromHex('00 01 61 90 ffffffffffffffffffffffffffffffff'));
    expect(r3.ok ? undefined : r3.error.code).toBe('string-too-long');
  });

  it('never throws on random input', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(1 + (rand() % 64));
      for (let j = 0; j < bytes.length; j++) bytes[j] = rand() & 0xff;
      const d = new HpackDecoder();
      expect(() => d.decode(bytes)).not.toThrow();
    }
  });
});
