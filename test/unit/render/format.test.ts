// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { formatDuration, formatEndpoint, formatIsoTime, formatRfc3339, timestampFromRelative } from '../../../extension/core/render/format.js';

describe('format', () => {
  it.each([
    { e: { ip: '192.0.2.1', port: 80 }, text: '192.0.2.1:80' },
    { e: { ip: '2001:db8::1', port: 443 }, text: '[2001:db8::1]:443' },
  ])('formatEndpoint $text', ({ e, text }) => expect(formatEndpoint(e)).toBe(text));

  it.each([
    { t: { sec: 1_700_000_000, nanos: 123_456_789 }, digits: 9, text: '2023-11-14 22:13:20.123456789 UTC' },
    { t: { sec: 1_700_000_000, nanos: 123_456_789 }, digits: 6, text: '2023-11-14 22:13:20.123456 UTC' },
    { t: { sec: 0, nanos: 0 }, digits: 0, text: '1970-01-01 00:00:00 UTC' },
    // Beyond what Date can hold (a corrupt 64-bit pcapng timestamp): epoch seconds instead of a RangeError.
    { t: { sec: 1e15, nanos: 5 }, digits: 9, text: '1000000000000000.000000005 UTC' },
  ])('formatIsoTime $text', ({ t, digits, text }) => expect(formatIsoTime(t, digits)).toBe(text));

  it.each([
    { t: { sec: 1_700_000_000, nanos: 123_456_789 }, digits: 6, text: '2023-11-14T22:13:20.123456Z' },
    { t: { sec: 1_700_000_000, nanos: 123_456_789 }, digits: 9, text: '2023-11-14T22:13:20.123456789Z' },
    { t: { sec: 0, nanos: 0 }, digits: 0, text: '1970-01-01T00:00:00Z' },
    // A time Date cannot hold still gives a valid RFC 3339 date-time (HAR and SARIF require one).
    { t: { sec: 1e15, nanos: 5 }, digits: 9, text: '1970-01-01T00:00:00Z' },
  ])('formatRfc3339 $text', ({ t, digits, text }) => expect(formatRfc3339(t, digits)).toBe(text));

  it.each([
    { base: 1_700_000_000, rel: 0.25, t: { sec: 1_700_000_000, nanos: 250_000_000 } },
    { base: 1_700_000_000, rel: 2.000000001, t: { sec: 1_700_000_002, nanos: 1 } },
    // Rounding up to a whole second carries into the seconds.
    { base: 10, rel: 0.9999999999, t: { sec: 11, nanos: 0 } },
  ])('timestampFromRelative $base + $rel', ({ base, rel, t }) => expect(timestampFromRelative(base, rel)).toEqual(t));

  it('formatDuration borrows a second when the nanoseconds go negative', () => {
    expect(formatDuration({ sec: 10, nanos: 900_000_000 }, { sec: 12, nanos: 100_000_000 }, 9)).toBe('1.200000000');
  });
});
