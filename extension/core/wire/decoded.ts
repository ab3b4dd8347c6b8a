// SPDX-License-Identifier: MIT

/** DecodeError is what a decoder returns instead of throwing: which layer, where, and what was wrong. */
export interface DecodeError {
  /** `truncated`: fewer bytes than the header needs; `malformed`: a field is impossible; `unsupported`: valid but not decoded. */
  kind: 'truncated' | 'malformed' | 'unsupported';
  /** Protocol layer that failed, e.g. `ipv4`, `tcp`, `ethernet`. */
  layer: string;
  /** Byte offset of the failing field, relative to the start of the packet (the link-layer header). */
  offset: number;
  /** What was expected, in words with the numbers in it, e.g. "TCP data offset 3 words is below the minimum of 5". */
  message: string;
  /** Bytes the decoder needed (for `truncated`). */
  required?: number;
  /** Bytes that were there (for `truncated`). */
  actual?: number;
}

/** Decoded is the result of every decoder: a value or a DecodeError, never an exception. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

/** ok wraps a decoded value. */
export function ok<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/** fail wraps a decode error. */
export function fail<T>(error: DecodeError): Decoded<T> {
  return { ok: false, error };
}

/** truncated builds the error for a header that needs `required` bytes where only `actual` were captured. */
export function truncated<T>(layer: string, offset: number, required: number, actual: number, what: string): Decoded<T> {
  return fail({
    kind: 'truncated',
    layer,
    offset,
    required,
    actual,
    message: `${what} needs ${required} bytes, only ${actual} captured`,
  });
}

/** malformed builds the error for a field whose value is impossible. */
export function malformed<T>(layer: string, offset: number, message: string): Decoded<T> {
  return fail({ kind: 'malformed', layer, offset, message });
}
