// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  SSLV2_CLIENT_HELLO,
  TLS_MAX_RECORD_LENGTH,
  TlsContentType,
  TlsRecordReader,
  parseTlsRecordHeader,
  recordChunkAt,
  recordHeaderProblem,
} from '../../../extension/core/tls/tlsRecords.js';
import { RecordCollector, ascii, bytes, chunk, record, u16 } from './build.js';
import { HTTP_400, ZEEK_TLS12_CLIENT_HELLO } from './captured.js';

const { changeCipherSpec: CCS, alert: ALERT, handshake: HS, applicationData: APP } = TlsContentType;

/** The ClientHello record of zeek__tls1.2.pcap frame 4 (tshark: "Content Type: Handshake (22), Version: TLS 1.0 (0x0301), Length: 317"). */
const ZEEK_CH_RECORD = ZEEK_TLS12_CLIENT_HELLO;

function reader(options?: ConstructorParameters<typeof TlsRecordReader>[2]): { r: TlsRecordReader; c: RecordCollector } {
  const c = new RecordCollector();
  return { r: new TlsRecordReader(0, c, options), c };
}

describe('parseTlsRecordHeader', () => {
  it('decodes the header tshark shows for zeek__tls1.2.pcap frame 4', () => {
    expect(parseTlsRecordHeader(ZEEK_CH_RECORD)).toEqual({ ok: true, value: { contentType: 22, version: 0x0301, length: 317 } });
  });

  it('is truncated with fewer than 5 bytes', () => {
    const r = parseTlsRecordHeader(ZEEK_CH_RECORD.subarray(0, 3));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'truncated', layer: 'tls', required: 5, actual: 3 });
  });

  it.each([
    ['impossible length 2^14 + 2049', bytes(23, u16(0x0303), u16(TLS_MAX_RECORD_LENGTH + 1)), 3],
    ['content type 25', bytes(25, u16(0x0303), u16(1)), 0],
    ['content type 19', bytes(19, u16(0x0303), u16(1)), 0],
    ['version 0x0305', bytes(22, u16(0x0305), u16(1)), 1],
    ['version 0x0203', bytes(22, u16(0x0203), u16(1)), 1],
  ])('is malformed for %s', (_name, header, offset) => {
    const r = parseTlsRecordHeader(header);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'malformed', offset });
  });

  it('accepts the largest allowed length', () => {
    expect(parseTlsRecordHeader(bytes(23, u16(0x0303), u16(TLS_MAX_RECORD_LENGTH))).ok).toBe(true);
  });

  it('judges partial headers on the bytes it has', () => {
    expect(recordHeaderProblem(ascii('H'))).toBe('content-type');
    expect(recordHeaderProblem(bytes(22, 3))).toBeUndefined();
    expect(recordHeaderProblem(bytes(22, 3, 9))).toBe('version');
  });
});

describe('TlsRecordReader', () => {
  it('splits records and keeps handshake payloads, zero-copy when a record is whole in one push', () => {
    const { r, c } = reader();
    r.push(bytes(ZEEK_CH_RECORD, record(ALERT, [1, 0])), 0, chunk(4));
    expect(c.anomalies).toEqual([]);
    expect(c.records.map((x) => [x.contentType, x.version, x.length, x.streamOffset])).toEqual([
      [HS, 0x0301, 317, 0],
      [ALERT, 0x0303, 2, 322],
    ]);
    expect(c.records[0]!.payload).toEqual(ZEEK_CH_RECORD.subarray(5));
    expect(r.stats.handshake).toEqual({ records: 1, bytes: 317 });
    expect(r.stats.alerts).toEqual([{ side: 0, encrypted: false, level: 1, description: 0, name: 'close_notify', streamOffset: 327, at: chunk(4) }]);
  });

  it('reassembles headers and payloads split at every byte, mapping bytes to their frames', () => {
    const stream = bytes(record(HS, '0100000401020304'), record(APP, 'aabbcc'));
    const { r, c } = reader();
    for (let i = 0; i < stream.length; i++) r.push(stream.subarray(i, i + 1), i, chunk(100 + i));
    expect(c.anomalies).toEqual([]);
    expect(c.records).toHaveLength(2);
    const hs = c.records[0]!;
    expect(hs.payload).toEqual(bytes('0100000401020304'));
    expect(hs.at).toEqual(chunk(100));
    expect(hs.endAt).toEqual(chunk(112));
    expect(recordChunkAt({ ...hs, payload: undefined }, 3)).toEqual(chunk(108));
    // application_data is counted, not kept.
    expect(c.records[1]).toMatchObject({ contentType: APP, payload: undefined, chunks: [], at: chunk(113), endAt: chunk(120) });
    expect(r.stats.applicationData).toEqual({ records: 1, bytes: 3 });
    expect(r.stats.firstApplicationDataAt).toEqual(chunk(113));
    expect(r.stats.lastApplicationDataAt).toEqual(chunk(120));
  });

  it('anchors at the first offset it is given (TLS after an HTTP CONNECT) and skips retransmitted bytes', () => {
    const rec = record(APP, 'aabbccdd');
    const { r, c } = reader();
    r.push(rec.subarray(0, 6), 84, chunk(8));
    r.push(rec.subarray(2, 9), 86, chunk(9)); // bytes 86..89 again, then new ones
    expect(c.anomalies).toEqual([]);
    expect(c.records).toMatchObject([{ streamOffset: 84, length: 4, at: chunk(8), endAt: chunk(9) }]);
  });

  it('counts alerts after ChangeCipherSpec as encrypted, except 2-byte ones', () => {
    const { r, c } = reader();
    r.push(bytes(record(ALERT, [2, 40]), record(CCS, [1]), record(ALERT, new Uint8Array(26)), record(ALERT, [1, 0])), 0, chunk(1));
    expect(c.anomalies).toEqual([]);
    expect(r.stats.alertCount).toBe(3);
    expect(r.stats.encryptedAlerts).toBe(1);
    expect(r.stats.alerts.map((a) => [a.encrypted, a.name])).toEqual([
      [false, 'handshake_failure'],
      [true, undefined],
      [false, 'close_notify'],
    ]);
    expect(r.stats.changeCipherSpecAt).toEqual([chunk(1)]);
    expect(c.records.map((x) => x.afterChangeCipherSpec)).toEqual([false, false, true, true]);
  });

  it('parses alerts after ChangeCipherSpec when told it does not encrypt (TLS 1.3)', () => {
    const { r, c } = reader();
    r.changeCipherSpecEncrypts = false;
    r.push(bytes(record(CCS, [1]), record(ALERT, [2, 70, 2, 80])), 0, chunk(1));
    // RFC 8446 §5.1: alerts must not be coalesced; both are still listed.
    expect(c.codes).toEqual(['tls.alert-malformed']);
    expect(r.stats.alerts.map((a) => a.name)).toEqual(['protocol_version', 'internal_error']);
  });

  it('flags a ChangeCipherSpec that is not the byte 1', () => {
    const { r, c } = reader();
    r.push(record(CCS, [1, 1]), 0, chunk(1));
    expect(c.codes).toEqual(['tls.ccs-malformed']);
  });

  it('stops at a record longer than 2^14 + 2048 (tls.record-overflow)', () => {
    const { r, c } = reader();
    r.push(bytes(record(APP, 'aa'), 23, u16(0x0303), u16(TLS_MAX_RECORD_LENGTH + 1), 'ffff'), 0, chunk(1));
    r.push(record(APP, 'bb'), 12, chunk(2));
    expect(c.codes).toEqual(['tls.record-overflow']);
    expect(c.anomalies[0]).toMatchObject({ offset: 9, at: chunk(1) });
    expect(c.records).toHaveLength(1);
    expect(r.stopped).toBe(true);
    expect(r.stats.stoppedBy).toBe('tls.record-overflow');
  });

  it('keeps a maximum-length record whole across pushes', () => {
    const { r, c } = reader({ keepPayload: () => true });
    const rec = record(APP, new Uint8Array(TLS_MAX_RECORD_LENGTH).fill(7));
    r.push(rec.subarray(0, 1000), 0, chunk(1));
    r.push(rec.subarray(1000), 1000, chunk(2));
    expect(c.anomalies).toEqual([]);
    expect(c.records[0]!.payload).toHaveLength(TLS_MAX_RECORD_LENGTH);
    expect(c.records[0]!.chunks).toEqual([
      { payloadOffset: 0, at: chunk(1) },
      { payloadOffset: 995, at: chunk(2) },
    ]);
  });

  it('says tls.not-tls when the first bytes are not a record (an HTTP answer to a ClientHello)', () => {
    // zeek__ssl-to-http-server.pcap frame 8: "HTTP/1.1 4…" where a ServerHello was expected.
    const { r, c } = reader();
    r.push(HTTP_400, 0, chunk(8));
    expect(c.codes).toEqual(['tls.not-tls']);
    expect(r.stopped).toBe(true);
  });

  it('says tls.not-tls for a stream too short for a header', () => {
    const { r, c } = reader();
    r.push(ascii('GE'), 0, chunk(1));
    r.end('fin');
    expect(c.codes).toEqual(['tls.not-tls']);
  });

  it('says tls.record-malformed for a bad header after good records', () => {
    const { r, c } = reader();
    r.push(bytes(record(HS, '0e000000'), record(25, 'aa')), 0, chunk(1));
    expect(c.codes).toEqual(['tls.record-malformed']);
    expect(c.anomalies[0]!.offset).toBe(9);
  });

  it('accepts a zero-length application_data record', () => {
    const { r, c } = reader();
    r.push(bytes(record(APP, ''), record(APP, 'aa')), 0, chunk(1));
    expect(c.anomalies).toEqual([]);
    expect(r.stats.applicationData).toEqual({ records: 2, bytes: 1 });
  });

  describe('gaps', () => {
    const big = record(APP, new Uint8Array(100));

    it('skips a gap inside an application_data record and finds the next header', () => {
      const { r, c } = reader();
      r.push(big.subarray(0, 20), 0, chunk(1));
      r.gap(20, 50);
      r.push(big.subarray(70), 70, chunk(3));
      r.push(record(APP, 'aa'), 105, chunk(4));
      expect(c.anomalies).toEqual([]);
      expect(c.records.map((x) => [x.length, x.missingBytes, x.endAt.frame])).toEqual([
        [100, 50, 3],
        [1, 0, 4],
      ]);
      expect(r.stats.gapBytes).toBe(50);
    });

    it('delivers a handshake record with a hole without its payload', () => {
      const { r, c } = reader();
      const rec = record(HS, new Uint8Array(40));
      r.push(rec.subarray(0, 10), 0, chunk(1));
      r.gap(10, 35);
      expect(c.records).toMatchObject([{ contentType: HS, payload: undefined, missingBytes: 35, endAt: chunk(1) }]);
      r.push(record(HS, '0e000000'), 45, chunk(2));
      expect(c.records[1]!.payload).toEqual(bytes('0e000000'));
    });

    it('stops with tls.gap when a gap reaches a record header (no way to resynchronise)', () => {
      const { r, c } = reader();
      r.push(big.subarray(0, 20), 0, chunk(1));
      r.gap(20, 90); // past the record's end at 105
      r.push(record(APP, 'aa'), 110, chunk(3));
      expect(c.codes).toEqual(['tls.gap']);
      expect(c.anomalies[0]!.offset).toBe(20);
      expect(c.records).toEqual([]);
      expect(r.stopped).toBe(true);
    });

    it('stops with tls.gap on a gap at a record boundary, and on a jump in offsets', () => {
      const a = reader();
      a.r.push(record(APP, 'aa'), 0, chunk(1));
      a.r.gap(6, 10);
      expect(a.c.codes).toEqual(['tls.gap']);
      const b = reader();
      b.r.push(record(APP, 'aa'), 0, chunk(1));
      b.r.push(record(APP, 'bb'), 10, chunk(2));
      expect(b.c.codes).toEqual(['tls.gap']);
      expect(b.c.records).toHaveLength(1);
    });
  });

  describe('end', () => {
    it('reports a record cut by the sender’s FIN (tls.truncated-record)', () => {
      const { r, c } = reader();
      r.push(record(APP, new Uint8Array(30)).subarray(0, 20), 0, chunk(1));
      r.end('fin');
      expect(c.codes).toEqual(['tls.truncated-record']);
      expect(r.stats.unfinishedRecordBytes).toBe(20);
    });

    it('only counts a record cut by the end of the capture or a reset', () => {
      for (const reason of ['capture-end', 'rst'] as const) {
        const { r, c } = reader();
        r.push(record(APP, new Uint8Array(30)).subarray(0, 3), 0, chunk(1));
        r.end(reason);
        expect(c.anomalies).toEqual([]);
        expect(r.stats.unfinishedRecordBytes).toBe(3);
      }
    });

    it('ignores calls after end', () => {
      const { r, c } = reader();
      r.end('fin');
      r.push(record(APP, 'aa'), 0, chunk(1));
      expect(c.records).toEqual([]);
    });
  });

  it('recognises an SSLv2-compatible ClientHello, then reads TLS records after it', () => {
    // RFC 5246 Appendix E.2: msg_length 0x801f, CLIENT-HELLO (1), version 0x0301, cipher_spec_length 6,
    // session_id_length 0, challenge_length 16, specs {00 00 2f} {01 00 80}, challenge 16 × 0xab.
    const v2 = bytes('801f 01 0301 0006 0000 0010 00002f 010080', new Uint8Array(16).fill(0xab));
    const { r, c } = reader();
    r.push(bytes(v2, record(HS, '10000000')), 0, chunk(1));
    expect(c.codes).toEqual(['tls.sslv2-client-hello']);
    expect(c.records.map((x) => [x.contentType, x.version, x.length, x.streamOffset])).toEqual([
      [SSLV2_CLIENT_HELLO, 0x0301, 31, 0],
      [HS, 0x0303, 4, 33],
    ]);
    expect(c.records[0]!.payload).toEqual(v2.subarray(2));
    expect(r.stats.sslv2).toEqual({ records: 1, bytes: 31 });
  });

  it('never throws on random bytes, pushed whole or in pieces', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 300; n++) {
      const stream = new Uint8Array(Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
      // Make some of them start like records so the payload paths run too.
      if (n % 2 === 0 && stream.length > 5) stream.set([20 + (n % 5), 3, n % 5, 0, Math.floor(rnd() * 40)]);
      const { r } = reader({ keepPayload: () => true });
      let off = 0;
      while (off < stream.length) {
        const len = 1 + Math.floor(rnd() * 40);
        if (rnd() < 0.1) r.gap(off, len);
        else r.push(stream.subarray(off, off + len), off, chunk(off));
        off += len;
      }
      expect(() => r.end('fin')).not.toThrow();
    }
  });
});
