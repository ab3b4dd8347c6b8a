// SPDX-License-Identifier: MIT
//
// HPACK decoder (RFC 7541) for a passive observer: one HpackDecoder per direction of an HTTP/2
// connection decodes the field blocks that direction's encoder produced.
//
// Guarantees:
// - Decoding never throws: every failure is an HpackResult with a stable HpackErrorCode.
// - Strings are decoded as Latin-1 (one char per octet). That is lossless, so the entry sizes of
//   RFC 7541 §4.1 (octets of name and value + 32) are `name.length + value.length + 32`; values
//   that are UTF-8 on the wire show as mojibake, as in HTTP/1 parsers that keep octets.
// - Memory is bounded: the dynamic table holds at most the size the decoding side advertised
//   (SETTINGS_HEADER_TABLE_SIZE, RFC 9113 §6.5.2), string literals at most `maxStringLength`
//   octets, and a field block yields headers only up to `maxHeaderListSize` (RFC 9113 §6.5.2
//   accounting). Past that limit the block is still decoded, so that the dynamic table stays in
//   step with the encoder's, but no more fields are emitted: a "HPACK bomb" (many references to one
//   big dynamic entry) costs one table lookup per reference and allocates nothing.
// - After a fatal error (anything but `header-list-too-large`) the dynamic table no longer matches
//   the encoder's, so every later block fails with `decoder-failed` (RFC 9113 §4.3: a decoding
//   error is a connection error of type COMPRESSION_ERROR).

/** HeaderField is one decoded field line, name and value as Latin-1 strings (same shape as http/transaction.ts). */
export interface HeaderField {
  name: string;
  value: string;
}

/** HpackErrorCode names why a field block could not be decoded; stable, tests assert on it. */
export type HpackErrorCode =
  /** The block ends inside a representation, or a string length runs past its end (RFC 7541 §5.1, §5.2). */
  | 'truncated'
  /** An integer above 2^32-1, or with more than 5 continuation octets (RFC 7541 §5.1, §7.2.1 note on overflow). */
  | 'integer-overflow'
  /** Index 0 in an indexed field (RFC 7541 §6.1). */
  | 'index-zero'
  /** An index beyond the static plus dynamic table (RFC 7541 §2.3.3). */
  | 'index-out-of-range'
  /** A dynamic table size update above the advertised SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3). */
  | 'table-size-above-max'
  /** A dynamic table size update after a field representation (RFC 7541 §4.2). */
  | 'table-size-update-misplaced'
  /** A string literal longer than `maxStringLength` octets. */
  | 'string-too-long'
  /** The EOS symbol inside a Huffman string (RFC 7541 §5.2). */
  | 'huffman-eos'
  /** Huffman padding longer than 7 bits (RFC 7541 §5.2). */
  | 'huffman-padding-too-long'
  /** Huffman padding that is not a prefix of EOS, i.e. not all 1 bits (RFC 7541 §5.2). */
  | 'huffman-padding-not-eos'
  /** The decoded field list is larger than `maxHeaderListSize` (RFC 9113 §6.5.2 accounting); not fatal. */
  | 'header-list-too-large'
  /** An earlier fatal error left the dynamic table unknown (RFC 9113 §4.3). */
  | 'decoder-failed';

/** HpackError says what went wrong in a field block and where (octet offset from the block's start). */
export interface HpackError {
  code: HpackErrorCode;
  offset: number;
  message: string;
}

/**
 * HpackResult is the outcome of decoding one field block: the fields in wire order, or an error
 * with the fields decoded before it (and, for `header-list-too-large`, the ones within the limit).
 */
export type HpackResult =
  | { ok: true; headers: HeaderField[]; listSize: number }
  | { ok: false; error: HpackError; headers: HeaderField[]; listSize: number };

/** HpackDecoderOptions are the limits of an HpackDecoder; every field has a default. */
export interface HpackDecoderOptions {
  /** SETTINGS_HEADER_TABLE_SIZE advertised by the decoding side (RFC 9113 §6.5.2); default 4096. */
  tableSizeLimit?: number;
  /** Largest decoded field list, in RFC 9113 §6.5.2 octets (name + value + 32 per field); default 64 KiB. */
  maxHeaderListSize?: number;
  /** Largest string literal, in octets after Huffman decoding; default 64 KiB. */
  maxStringLength?: number;
}

/** DEFAULT_HEADER_TABLE_SIZE is the initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/** DEFAULT_MAX_HEADER_LIST_SIZE is the decoded field list size past which fields are dropped. */
export const DEFAULT_MAX_HEADER_LIST_SIZE = 64 * 1024;
/** HPACK_ENTRY_OVERHEAD is the per-entry overhead of RFC 7541 §4.1 (also used by RFC 9113 §6.5.2). */
export const HPACK_ENTRY_OVERHEAD = 32;

//#region static table (RFC 7541 Appendix A)

/** HPACK_STATIC_TABLE is the static table of RFC 7541 Appendix A; index i (1-based) is element i-1. */
export const HPACK_STATIC_TABLE: readonly Readonly<HeaderField>[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
].map(([name, value]) => Object.freeze({ name: name!, value: value! }));

const STATIC_COUNT = 61;

//#endregion

//#region Huffman code (RFC 7541 Appendix B)

// Code lengths in bits of symbols 0..255 and EOS (256), from RFC 7541 Appendix B. The code is
// canonical: within a length, codes are consecutive in symbol order, and each length's first code
// follows the previous length's last one. So the lengths alone determine every code.
const HUFFMAN_CODE_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];
const EOS = 256;

/** huffmanCodes returns the code of every symbol (0..256) as [code, lengthBits] pairs, rebuilt canonically from the lengths. */
export function huffmanCodes(): [number, number][] {
  const symbols = HUFFMAN_CODE_LENGTHS.map((_, s) => s);
  symbols.sort((a, b) => HUFFMAN_CODE_LENGTHS[a]! - HUFFMAN_CODE_LENGTHS[b]! || a - b);
  const codes: [number, number][] = new Array<[number, number]>(symbols.length);
  let code = 0;
  let prevLength = HUFFMAN_CODE_LENGTHS[symbols[0]!]!;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    const length = HUFFMAN_CODE_LENGTHS[s]!;
    // Multiplication, not <<: codes are up to 30 bits and the shift can reach past bit 31.
    if (i > 0) code = (code + 1) * 2 ** (length - prevLength);
    prevLength = length;
    codes[s] = [code, length];
  }
  return codes;
}

// The decoder is a 4-bit state machine [the nghttp2 approach]: a state is an internal node of the
// code tree (the bits read since the last symbol); each of its 16 transitions says the next state
// and whether one symbol was completed (at most one, as no code is shorter than 5 bits) or EOS was
// reached. 256 internal nodes × 16 nibbles → 4096 packed Int32 entries:
//   bits 0-7 next state, bits 8-15 symbol, bit 16 emits a symbol, bit 17 reached EOS.
const HUFF_EMIT = 1 << 16;
const HUFF_FAIL = 1 << 17;
/** For each state: the depth of its node when it lies on the all-ones path from the root (valid padding), else -1. */
const HUFF_ONES_DEPTH = new Int8Array(256);
const HUFF_TABLE = buildHuffmanTable();

function buildHuffmanTable(): Int32Array {
  // children[2n + bit]: > 0 internal node id, < 0 leaf -(symbol + 1), 0 unset (the root is never a child).
  const children = new Int32Array(512);
  HUFF_ONES_DEPTH.fill(-1);
  HUFF_ONES_DEPTH[0] = 0;
  let nodes = 1;
  const codes = huffmanCodes();
  for (let s = 0; s < codes.length; s++) {
    const [code, length] = codes[s]!;
    let node = 0;
    let ones = true;
    for (let bit = length - 1; bit >= 0; bit--) {
      const b = Math.floor(code / 2 ** bit) % 2;
      ones &&= b === 1;
      const slot = node * 2 + b;
      if (bit === 0) {
        children[slot] = -(s + 1);
        break;
      }
      if (children[slot] === 0) {
        children[slot] = nodes;
        HUFF_ONES_DEPTH[nodes] = ones ? length - bit : -1;
        nodes++;
      }
      node = children[slot]!;
    }
  }
  const table = new Int32Array(256 * 16);
  for (let state = 0; state < nodes; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let k = 3; k >= 0; k--) {
        const next = children[node * 2 + ((nibble >> k) & 1)]!;
        if (next >= 0) {
          node = next;
          continue;
        }
        const symbol = -next - 1;
        if (symbol === EOS) {
          entry |= HUFF_FAIL;
          break;
        }
        entry |= HUFF_EMIT | (symbol << 8);
        node = 0;
      }
      table[state * 16 + nibble] = entry | node;
    }
  }
  return table;
}

let huffmanScratch = new Uint8Array(1024);

//#endregion

/** latin1 turns octets into a string of the same length, one char per octet. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  let s = '';
  for (let i = start; i < end; i += 8192) {
    // apply with a typed array avoids building a number[]; chunks keep the argument count small.
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return s;
}

// Integer reader results below 0 (RFC 7541 §5.1 values are ≥ 0).
const INT_TRUNCATED = -1;
const INT_OVERFLOW = -2;
const MAX_INTEGER = 0xffff_ffff;

/** HpackDecoder decodes the field blocks of one direction, keeping that direction's dynamic table (RFC 7541 §2.3.2). */
export class HpackDecoder {
  /** Dynamic table, oldest first from `head`; the newest entry (dynamic index 1) is the last. */
  private entries: (HeaderField | undefined)[] = [];
  private head = 0;
  private size = 0;
  private maxSize: number;
  private limit: number;
  private readonly maxHeaderListSize: number;
  private readonly maxStringLength: number;
  private isFailed = false;

  // Decoding cursor, valid during decode().
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private error: HpackError | undefined;

  constructor(options: HpackDecoderOptions = {}) {
    this.limit = options.tableSizeLimit ?? DEFAULT_HEADER_TABLE_SIZE;
    // RFC 7541 §4.2: the table starts at the protocol's initial limit.
    this.maxSize = Math.min(this.limit, DEFAULT_HEADER_TABLE_SIZE);
    this.maxHeaderListSize = options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
    this.maxStringLength = options.maxStringLength ?? 64 * 1024;
  }

  /** failed is true once a fatal error made the dynamic table unknown; later blocks fail with `decoder-failed`. */
  get failed(): boolean {
    return this.isFailed;
  }

  /** tableSize is the dynamic table's current size in RFC 7541 §4.1 octets. */
  get tableSize(): number {
    return this.size;
  }

  /** tableMaxSize is the dynamic table's maximum size, as last set by a size update (RFC 7541 §4.2). */
  get tableMaxSize(): number {
    return this.maxSize;
  }

  /** tableSizeLimit is the largest size a size update may set (the decoding side's SETTINGS_HEADER_TABLE_SIZE). */
  get tableSizeLimit(): number {
    return this.limit;
  }

  /** setTableSizeLimit changes the limit for size updates, e.g. when SETTINGS_HEADER_TABLE_SIZE changes (RFC 9113 §6.5.2). */
  setTableSizeLimit(limit: number): void {
    this.limit = limit;
  }

  /** markFailed makes every later block fail, e.g. when a field block was lost in a capture gap. */
  markFailed(): void {
    this.isFailed = true;
  }

  /** dynamicTable lists the dynamic table's entries, newest (dynamic index 1, absolute index 62) first. */
  dynamicTable(): HeaderField[] {
    const out: HeaderField[] = [];
    for (let i = this.entries.length - 1; i >= this.head; i--) {
      const e = this.entries[i]!;
      out.push({ name: e.name, value: e.value });
    }
    return out;
  }

  /** decode decodes one complete field block (`block[start, end)`); never throws. */
  decode(block: Uint8Array, start = 0, end = block.length): HpackResult {
    const headers: HeaderField[] = [];
    if (this.isFailed) {
      return { ok: false, error: { code: 'decoder-failed', offset: 0, message: 'an earlier HPACK error left the dynamic table unknown' }, headers, listSize: 0 };
    }
    this.buf = block;
    this.pos = start;
    this.end = end;
    this.error = undefined;
    let listSize = 0;
    let overLimit: HpackError | undefined;
    let sawField = false;
    while (this.pos < end && this.error === undefined) {
      const at = this.pos;
      const b = block[at]!;
      let name: string;
      let value: string;
      if ((b & 0x80) !== 0) {
        // RFC 7541 §6.1 indexed field.
        const index = this.readInt(7);
        if (index < 0) break;
        const field = this.lookup(index, at);
        if (field === undefined) break;
        name = field.name;
        value = field.value;
      } else if ((b & 0xc0) === 0x40 || (b & 0xe0) === 0) {
        // RFC 7541 §6.2.1 literal with incremental indexing (01), §6.2.2 without indexing (0000),
        // §6.2.3 never indexed (0001).
        const indexing = (b & 0x40) !== 0;
        const nameIndex = this.readInt(indexing ? 6 : 4);
        if (nameIndex < 0) break;
        if (nameIndex === 0) {
          const s = this.readString();
          if (s === undefined) break;
          name = s;
        } else {
          const field = this.lookup(nameIndex, at);
          if (field === undefined) break;
          name = field.name;
        }
        const s = this.readString();
        if (s === undefined) break;
        value = s;
        if (indexing) this.add(name, value);
      } else {
        // RFC 7541 §6.3 dynamic table size update (001); §4.2: only at the start of a block.
        if (sawField) {
          this.fail('table-size-update-misplaced', at, 'dynamic table size update after a field representation');
          break;
        }
        const newSize = this.readInt(5);
        if (newSize < 0) break;
        if (newSize > this.limit) {
          this.fail('table-size-above-max', at, `dynamic table size update to ${newSize} above the advertised limit ${this.limit}`);
          break;
        }
        this.maxSize = newSize;
        this.evict(0);
        continue;
      }
      sawField = true;
      listSize += name.length + value.length + HPACK_ENTRY_OVERHEAD;
      if (listSize <= this.maxHeaderListSize) {
        headers.push({ name, value });
      } else if (overLimit === undefined) {
        overLimit = { code: 'header-list-too-large', offset: at, message: `field list larger than ${this.maxHeaderListSize} octets` };
      }
    }
    this.buf = EMPTY;
    if (this.error !== undefined) {
      this.isFailed = true;
      return { ok: false, error: this.error, headers, listSize };
    }
    if (overLimit !== undefined) return { ok: false, error: overLimit, headers, listSize };
    return { ok: true, headers, listSize };
  }

  //#region internals

  private fail(code: HpackErrorCode, offset: number, message: string): void {
    this.error ??= { code, offset, message };
  }

  /** readInt reads an integer with an N-bit prefix at `pos` (RFC 7541 §5.1); on error records it and returns < 0. */
  private readInt(prefixBits: number): number {
    const start = this.pos;
    const mask = (1 << prefixBits) - 1;
    // Bounds: callers only call with pos < end.
    let value = this.buf[this.pos++]! & mask;
    if (value < mask) return value;
    let scale = 1;
    for (let octets = 1; ; octets++) {
      if (this.pos >= this.end) {
        this.fail('truncated', start, 'field block ends inside an integer');
        return INT_TRUNCATED;
      }
      const b = this.buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (value > MAX_INTEGER || (octets >= 5 && (b & 0x80) !== 0)) {
        this.fail('integer-overflow', start, 'integer above 2^32-1 or longer than 5 continuation octets');
        return INT_OVERFLOW;
      }
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  /** readString reads a string literal (RFC 7541 §5.2); on error records it and returns undefined. */
  private readString(): string | undefined {
    const start = this.pos;
    if (start >= this.end) {
      this.fail('truncated', start, 'field block ends before a string literal');
      return undefined;
    }
    const huffman = (this.buf[start]! & 0x80) !== 0;
    const length = this.readInt(7);
    if (length < 0) return undefined;
    if (length > this.end - this.pos) {
      this.fail('truncated', start, `string length ${length} runs past the end of the field block (${this.end - this.pos} octets left)`);
      return undefined;
    }
    const from = this.pos;
    this.pos += length;
    // A Huffman code is at most 30 bits, so n octets decode to at least 8n/30: reject before decoding
    // what must be too long (this also bounds the scratch buffer to 6 × maxStringLength).
    if (huffman ? length * 8 > this.maxStringLength * 30 : length > this.maxStringLength) {
      this.fail('string-too-long', start, `string literal of ${length} octets above the limit ${this.maxStringLength}`);
      return undefined;
    }
    if (!huffman) return latin1(this.buf, from, from + length);
    return this.huffmanString(from, from + length, start);
  }

  /** huffmanString decodes a Huffman-coded string (RFC 7541 §5.2, Appendix B) with the nibble state machine. */
  private huffmanString(from: number, to: number, at: number): string | undefined {
    // Every symbol is ≥ 5 bits, so n octets decode to at most 8n/5 symbols.
    const bound = Math.floor(((to - from) * 8) / 5);
    if (huffmanScratch.length < bound) huffmanScratch = new Uint8Array(Math.max(bound, huffmanScratch.length * 2));
    const out = huffmanScratch;
    const buf = this.buf;
    let n = 0;
    let state = 0;
    for (let i = from; i < to; i++) {
      const b = buf[i]!;
      let t = HUFF_TABLE[(state << 4) | (b >> 4)]!;
      if ((t & HUFF_EMIT) !== 0) out[n++] = (t >> 8) & 0xff;
      if ((t & HUFF_FAIL) === 0) {
        state = t & 0xff;
        t = HUFF_TABLE[(state << 4) | (b & 0x0f)]!;
        if ((t & HUFF_EMIT) !== 0) out[n++] = (t >> 8) & 0xff;
      }
      if ((t & HUFF_FAIL) !== 0) {
        this.fail('huffman-eos', at, 'EOS symbol inside a Huffman-coded string');
        return undefined;
      }
      state = t & 0xff;
    }
    // RFC 7541 §5.2: padding is the most significant bits of EOS (all ones), fewer than 8 bits.
    const onesDepth = HUFF_ONES_DEPTH[state]!;
    if (onesDepth < 0) {
      this.fail('huffman-padding-not-eos', at, 'Huffman padding is not a prefix of EOS (not all 1 bits)');
      return undefined;
    }
    if (onesDepth > 7) {
      this.fail('huffman-padding-too-long', at, `Huffman padding of ${onesDepth} bits (at most 7 allowed)`);
      return undefined;
    }
    if (n > this.maxStringLength) {
      this.fail('string-too-long', at, `string literal of ${n} octets above the limit ${this.maxStringLength}`);
      return undefined;
    }
    return latin1(out, 0, n);
  }

  /** lookup resolves an index in the static then dynamic table (RFC 7541 §2.3.3); on error records it. */
  private lookup(index: number, at: number): HeaderField | undefined {
    if (index === 0) {
      this.fail('index-zero', at, 'index 0 is not a valid table index');
      return undefined;
    }
    if (index <= STATIC_COUNT) return HPACK_STATIC_TABLE[index - 1];
    const fromEnd = index - STATIC_COUNT;
    const count = this.entries.length - this.head;
    if (fromEnd > count) {
      this.fail('index-out-of-range', at, `index ${index} beyond the ${STATIC_COUNT} static and ${count} dynamic entries`);
      return undefined;
    }
    return this.entries[this.entries.length - fromEnd];
  }

  /** add inserts an entry at the front of the dynamic table, evicting as needed (RFC 7541 §4.4). */
  private add(name: string, value: string): void {
    const entrySize = name.length + value.length + HPACK_ENTRY_OVERHEAD;
    if (entrySize > this.maxSize) {
      // §4.4: an entry larger than the table empties it and is not added.
      this.evict(this.maxSize + 1);
      return;
    }
    this.evict(entrySize);
    this.entries.push({ name, value });
    this.size += entrySize;
  }

  /** evict drops the oldest entries until `room` more octets fit within the maximum size (RFC 7541 §4.3, §4.4). */
  private evict(room: number): void {
    while (this.size + room > this.maxSize && this.head < this.entries.length) {
      const e = this.entries[this.head]!;
      this.size -= e.name.length + e.value.length + HPACK_ENTRY_OVERHEAD;
      this.entries[this.head] = undefined;
      this.head++;
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  //#endregion
}

const EMPTY = new Uint8Array(0);
