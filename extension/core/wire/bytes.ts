// SPDX-License-Identifier: MIT
//
// Manual fixed-endian readers shared by the wire decoders. They do no bounds
// checking: every caller has checked the length once (in its `tryFrom`/decode
// function) before reading, so a read past the end is a bug in that check.
// Plain functions over a Uint8Array avoid allocating a DataView per packet and
// are inlined by V8.

/** readU16be reads an unsigned 16-bit big-endian (network order) integer at `at`. */
export function readU16be(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** readU16le reads an unsigned 16-bit little-endian integer at `at`. */
export function readU16le(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

/** readU32be reads an unsigned 32-bit big-endian (network order) integer at `at`. */
export function readU32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** readU32le reads an unsigned 32-bit little-endian integer at `at`. */
export function readU32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
