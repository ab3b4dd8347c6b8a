// SPDX-License-Identifier: MIT
// Text forms shared by the reports, the findings' messages and the extension's tables.
import { formatEpoch, type Timestamp } from '../capture/timestamp.js';

/** formatEndpoint is "ip:port", with IPv6 addresses in brackets (RFC 3986 §3.2.2) so the port stays readable. */
export function formatEndpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/**
 * formatIsoTime renders an exact time as "YYYY-MM-DD hh:mm:ss.fff… UTC", truncated to `digits` like
 * Wireshark; a time outside the Date range (a corrupt 64-bit pcapng timestamp) falls back to epoch seconds.
 */
export function formatIsoTime(t: Timestamp, digits: number): string {
  const date = new Date(t.sec * 1000);
  const base = Number.isNaN(date.getTime()) ? formatEpoch(t.sec, 0, 0) : date.toISOString().slice(0, 19).replace('T', ' ');
  const frac = String(t.nanos).padStart(9, '0').slice(0, Math.max(0, Math.min(9, digits)));
  return `${base}${frac ? '.' + frac : ''} UTC`;
}

/** formatDuration is b − a in seconds, subtracted seconds and nanoseconds apart so nanosecond captures keep every digit. */
export function formatDuration(a: Timestamp, b: Timestamp, digits: number): string {
  let sec = b.sec - a.sec;
  let nanos = b.nanos - a.nanos;
  if (nanos < 0) {
    sec -= 1;
    nanos += 1_000_000_000;
  }
  return formatEpoch(sec, nanos, digits);
}

/**
 * timestampFromRelative turns a time counted from the analysis base (CaptureAnalysis.timeBaseSec, a
 * small float exact far below a nanosecond) back into an exact epoch Timestamp.
 */
export function timestampFromRelative(baseSec: number, rel: number): Timestamp {
  const whole = Math.floor(rel);
  let nanos = Math.round((rel - whole) * 1e9);
  let sec = baseSec + whole;
  if (nanos >= 1e9) {
    sec += 1;
    nanos -= 1e9;
  }
  return { sec, nanos };
}

/**
 * formatRfc3339 renders an exact time as an RFC 3339 UTC date-time ("2023-11-14T22:13:20.123456Z"),
 * truncated to `digits` fractional digits, for HAR and SARIF; a time outside the Date range (a corrupt
 * pcapng timestamp) is clamped to the epoch so the document stays valid.
 */
export function formatRfc3339(t: Timestamp, digits: number): string {
  const date = new Date(t.sec * 1000);
  const valid = !Number.isNaN(date.getTime());
  const base = valid ? date.toISOString().slice(0, 19) : '1970-01-01T00:00:00';
  const frac = valid ? String(t.nanos).padStart(9, '0').slice(0, Math.max(0, Math.min(9, digits))) : '';
  return `${base}${frac ? '.' + frac : ''}Z`;
}
