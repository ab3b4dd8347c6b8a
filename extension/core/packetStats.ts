// SPDX-License-Identifier: MIT
import type { CaptureRecord } from './capture/captureRecord.js';
import type { DecodeSummary } from './model.js';
import { PacketDecoder, type DecodedPacket } from './wire/packet.js';

/** How many individual decode errors the report lists (the counts by layer cover the rest). */
const MAX_LISTED_ERRORS = 20;

/**
 * PacketStats decodes every record and keeps the totals the report shows.
 *
 * Call order: `add(record)` for each record in file order, then `summary()` once.
 */
export class PacketStats {
  private readonly decoder = new PacketDecoder();
  private readonly errors: DecodeSummary['errors'] = [];

  /** add decodes one record and returns the decoded packet for the layers above. */
  add(record: CaptureRecord): DecodedPacket {
    const packet = this.decoder.decode(record);
    const e = packet.error;
    // Truncation by the snaplen is normal input, not an error worth listing.
    if (e && this.errors.length < MAX_LISTED_ERRORS && !(e.kind === 'truncated' && record.capturedLength < record.originalLength)) {
      this.errors.push({ frame: record.frame, layer: e.layer, offset: e.offset, message: e.message });
    }
    return packet;
  }

  summary(): DecodeSummary {
    this.decoder.finish();
    const c = this.decoder.counters;
    return {
      ipv4: c.ipv4,
      ipv6: c.ipv6,
      tcp: c.tcp,
      udp: c.udp,
      other: c.otherNetwork + c.otherTransport,
      fragments: c.fragments,
      reassembled: c.reassembled,
      errorsByLayer: { ...c.errors },
      errors: this.errors,
      notes: this.decoder.warnings,
    };
  }
}
