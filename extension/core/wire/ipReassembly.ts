// SPDX-License-Identifier: MIT
//
// IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly.
//
// Policy, chosen to match what a receiving host does so later layers see the
// datagrams the host saw:
// - Keys: (src, dst, identification, protocol) for IPv4 (RFC 791 §3.2), and
//   (src, dst, identification) for IPv6 (RFC 8200 §4.5).
// - Fragments may arrive in any order. Data that repeats bytes already held,
//   with the same content, is an exact duplicate and is ignored (RFC 8200 §4.5
//   allows this for IPv6; it is harmless for IPv4).
// - Overlaps with different content: IPv4 keeps the bytes that arrived first
//   ("first-come wins", the classic BSD behaviour) and flags the datagram
//   `overlapped`; IPv6 discards the whole datagram (RFC 5722 §4). Fragments of
//   the same key that arrive later start a new datagram that will expire
//   incomplete, as they do in Linux. Both policies are options.
// - A non-final fragment whose length is not a multiple of 8 is discarded
//   (RFC 8200 §4.5; RFC 791 fragments on 8-octet boundaries); a datagram that
//   would exceed 65535 bytes, or whose final fragments disagree on its length,
//   is discarded.
// - Memory is bounded: at most `maxPending` datagrams and `maxBufferedBytes`
//   buffered (the oldest are evicted), and a datagram expires `timeoutSec`
//   seconds of capture time after its first fragment (RFC 791 suggests a
//   15 s lower bound; Linux uses 30 s, RFC 8200 §4.5 says 60 s).
// - Fragment payloads are copied: a record's bytes are only valid until the
//   next record is read.
//
// Call order: `add` for each fragment in capture order (it also expires old
// datagrams), optionally `expire(now)` on other packets so idle datagrams time
// out, and `flush()` once at the end of the capture.

/** OverlapPolicy says what to do with fragments that overlap held data with different content. */
export type OverlapPolicy = 'firstWins' | 'drop';

/** IpReassemblyOptions tunes the reassembler's limits and overlap policies. */
export interface IpReassemblyOptions {
  /** Largest reassembled payload in bytes (fragment offset + length); default 65535 (RFC 8200 §4.5). */
  maxDatagramBytes?: number;
  /** Most datagrams held at once; the oldest is evicted to make room. Default 1024. */
  maxPending?: number;
  /** Most fragment bytes held at once; the oldest datagrams are evicted to stay below it. Default 16 MiB. */
  maxBufferedBytes?: number;
  /** Seconds of capture time after its first fragment before an incomplete datagram is discarded. Default 60. */
  timeoutSec?: number;
  /** IPv4 overlap policy; default `firstWins`. */
  ipv4Overlap?: OverlapPolicy;
  /** IPv6 overlap policy; default `drop` (RFC 5722). */
  ipv6Overlap?: OverlapPolicy;
  /** Called once for each datagram discarded before completion (expired, evicted, overlapping, too long, flushed). */
  onDiscard?: (datagram: DiscardedDatagram) => void;
}

/** FragmentInput is one fragment handed to the reassembler; `payload` is copied. */
export interface FragmentInput {
  version: 4 | 6;
  src: string;
  dst: string;
  identification: number;
  /** IPv4 protocol, or the IPv6 Fragment header's Next Header (taken from the offset-0 fragment). */
  protocol: number;
  offsetBytes: number;
  moreFragments: boolean;
  /** The fragment's data: the IPv4 payload, or the bytes after the IPv6 Fragment header. */
  payload: Uint8Array;
  frame: number;
  /** Capture time in seconds. */
  timeSec: number;
}

/** ReassembledDatagram is a completed datagram's payload and where its pieces came from. */
export interface ReassembledDatagram {
  version: 4 | 6;
  src: string;
  dst: string;
  identification: number;
  /** Upper-layer protocol (IPv4) or the first Next Header of the reassembled fragmentable part (IPv6). */
  protocol: number;
  /** The reassembled payload, owned by the caller (not a view into a record). */
  payload: Uint8Array;
  /** Frame numbers of the fragments used, in arrival order. */
  frames: readonly number[];
  /** True when an IPv4 fragment overlapped held data with different content (first-come won). */
  overlapped: boolean;
}

/** DiscardReason says why a datagram was discarded before completion. */
export type DiscardReason = 'timeout' | 'evicted' | 'overlap' | 'tooLong' | 'inconsistent' | 'flushed';

/** DiscardedDatagram describes a datagram discarded before completion. */
export interface DiscardedDatagram {
  version: 4 | 6;
  src: string;
  dst: string;
  identification: number;
  protocol: number;
  frames: readonly number[];
  reason: DiscardReason;
  /** Bytes held when discarded. */
  receivedBytes: number;
  /** Payload length once the final fragment was seen. */
  totalLength: number | undefined;
}

/**
 * ReassemblyResult is what happened to one fragment.
 *
 * - `held`: kept, waiting for the rest.
 * - `duplicate`: repeated bytes already held; ignored.
 * - `complete`: this fragment completed `datagram`.
 * - `dropped`: the fragment was not kept; `reason` says why (the datagram may have been discarded with it).
 */
export type ReassemblyResult =
  | { status: 'held' }
  | { status: 'duplicate' }
  | { status: 'complete'; datagram: ReassembledDatagram }
  | { status: 'dropped'; reason: string };

interface Piece {
  offset: number;
  data: Uint8Array;
}

interface Pending {
  key: string;
  version: 4 | 6;
  src: string;
  dst: string;
  identification: number;
  protocol: number;
  firstTimeSec: number;
  /** Sorted by offset, non-overlapping. */
  pieces: Piece[];
  receivedBytes: number;
  /** Payload length, known once the final fragment arrived; -1 before. */
  totalLength: number;
  frames: number[];
  overlapped: boolean;
}

const HELD: ReassemblyResult = Object.freeze({ status: 'held' });
const DUPLICATE: ReassemblyResult = Object.freeze({ status: 'duplicate' });

/** IpReassembler is bounded-memory IPv4/IPv6 fragment reassembly keyed per RFC 791 and RFC 8200. */
export class IpReassembler {
  private readonly pending = new Map<string, Pending>();
  private bufferedBytes = 0;
  private readonly maxDatagramBytes: number;
  private readonly maxPending: number;
  private readonly maxBufferedBytes: number;
  private readonly timeoutSec: number;
  private readonly ipv4Overlap: OverlapPolicy;
  private readonly ipv6Overlap: OverlapPolicy;
  private readonly onDiscard: ((datagram: DiscardedDatagram) => void) | undefined;

  constructor(options: IpReassemblyOptions = {}) {
    this.maxDatagramBytes = options.maxDatagramBytes ?? 65535;
    this.maxPending = Math.max(1, options.maxPending ?? 1024);
    this.maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.timeoutSec = options.timeoutSec ?? 60;
    this.ipv4Overlap = options.ipv4Overlap ?? 'firstWins';
    this.ipv6Overlap = options.ipv6Overlap ?? 'drop';
    this.onDiscard = options.onDiscard;
  }

  /** Number of datagrams waiting for fragments. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Bytes of fragment data currently held. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  /** add takes one fragment and says whether it was held, ignored, dropped or completed a datagram. */
  add(fragment: FragmentInput): ReassemblyResult {
    this.expire(fragment.timeSec);
    const length = fragment.payload.length;
    const start = fragment.offsetBytes;
    const end = start + length;
    if (fragment.moreFragments && length % 8 !== 0) {
      return { status: 'dropped', reason: `non-final fragment of ${length} bytes is not a multiple of 8 bytes` };
    }
    const key =
      fragment.version === 4
        ? `4 ${fragment.src} ${fragment.dst} ${fragment.identification} ${fragment.protocol}`
        : `6 ${fragment.src} ${fragment.dst} ${fragment.identification}`;
    let entry = this.pending.get(key);
    if (end > this.maxDatagramBytes) {
      if (entry !== undefined) this.discard(entry, 'tooLong');
      return { status: 'dropped', reason: `fragment ends at byte ${end}, past the ${this.maxDatagramBytes}-byte datagram limit` };
    }
    if (entry === undefined) {
      if (this.pending.size >= this.maxPending) this.evictOldest();
      entry = {
        key,
        version: fragment.version,
        src: fragment.src,
        dst: fragment.dst,
        identification: fragment.identification,
        protocol: fragment.protocol,
        firstTimeSec: fragment.timeSec,
        pieces: [],
        receivedBytes: 0,
        totalLength: -1,
        frames: [],
        overlapped: false,
      };
      this.pending.set(key, entry);
    }
    // RFC 8200 §4.5: the final fragment fixes the length; everything must fit inside it.
    if (!fragment.moreFragments) {
      if (entry.totalLength >= 0 && entry.totalLength !== end) {
        this.discard(entry, 'inconsistent');
        return { status: 'dropped', reason: `final fragment says the datagram is ${end} bytes, an earlier one said ${entry.totalLength}` };
      }
      const lastPiece = entry.pieces[entry.pieces.length - 1];
      if (lastPiece !== undefined && lastPiece.offset + lastPiece.data.length > end) {
        this.discard(entry, 'inconsistent');
        return { status: 'dropped', reason: `final fragment ends at byte ${end} but data up to byte ${lastPiece.offset + lastPiece.data.length} was received` };
      }
    } else if (entry.totalLength >= 0 && end > entry.totalLength) {
      this.discard(entry, 'inconsistent');
      return { status: 'dropped', reason: `fragment ends at byte ${end}, past the ${entry.totalLength}-byte datagram length` };
    }
    const insert = this.insert(entry, start, fragment.payload);
    if (insert === 'duplicate') return DUPLICATE;
    if (insert === 'overlap') {
      const policy = entry.version === 4 ? this.ipv4Overlap : this.ipv6Overlap;
      if (policy === 'drop') {
        this.discard(entry, 'overlap');
        return { status: 'dropped', reason: 'fragment overlaps data already received with different content (RFC 5722)' };
      }
      entry.overlapped = true;
    }
    if (!fragment.moreFragments) entry.totalLength = end;
    // RFC 8200 §4.5: the offset-0 fragment's Next Header is the reassembled packet's.
    if (start === 0) entry.protocol = fragment.protocol;
    entry.frames.push(fragment.frame);
    if (entry.totalLength >= 0 && entry.receivedBytes === entry.totalLength) return this.complete(entry);
    this.enforceBufferLimit(entry);
    return HELD;
  }

  /** expire discards datagrams whose first fragment is more than `timeoutSec` older than `nowSec`. */
  expire(nowSec: number): void {
    // Map iteration is insertion order, i.e. by first fragment; stop at the first datagram still in time.
    for (const entry of this.pending.values()) {
      if (nowSec - entry.firstTimeSec <= this.timeoutSec) break;
      this.discard(entry, 'timeout');
    }
  }

  /** flush discards every pending datagram (end of capture) and returns them. */
  flush(): DiscardedDatagram[] {
    const discarded: DiscardedDatagram[] = [];
    for (const entry of this.pending.values()) discarded.push(this.discard(entry, 'flushed'));
    return discarded;
  }

  /**
   * insert stores the parts of [start, start + data.length) not yet held (first-come wins) and reports
   * whether the fragment was new, an exact duplicate of held bytes, or an overlap with different bytes.
   */
  private insert(entry: Pending, start: number, data: Uint8Array): 'new' | 'duplicate' | 'overlap' {
    const end = start + data.length;
    const pieces = entry.pieces;
    let overlapped = false;
    let added = 0;
    let cursor = start;
    let i = 0;
    while (i < pieces.length && pieces[i]!.offset + pieces[i]!.data.length <= start) i++;
    const newPieces: Piece[] = [];
    for (; i < pieces.length && cursor < end; i++) {
      const piece = pieces[i]!;
      const pieceEnd = piece.offset + piece.data.length;
      if (piece.offset > cursor) {
        const gapEnd = Math.min(piece.offset, end);
        newPieces.push({ offset: cursor, data: data.slice(cursor - start, gapEnd - start) });
        added += gapEnd - cursor;
        cursor = gapEnd;
      }
      if (cursor >= end) break;
      const sharedEnd = Math.min(pieceEnd, end);
      if (!overlapped && !sameBytes(piece.data, cursor - piece.offset, data, cursor - start, sharedEnd - cursor)) overlapped = true;
      cursor = sharedEnd;
    }
    if (cursor < end) {
      // slice, not subarray: the record's bytes are reused after this call.
      newPieces.push({ offset: cursor, data: data.slice(cursor - start) });
      added += end - cursor;
    }
    if (added === 0 && data.length > 0) return overlapped ? 'overlap' : 'duplicate';
    if (overlapped && (entry.version === 4 ? this.ipv4Overlap : this.ipv6Overlap) === 'drop') return 'overlap';
    if (newPieces.length > 0) {
      for (const piece of newPieces) pieces.push(piece);
      pieces.sort(byOffset);
    }
    entry.receivedBytes += added;
    this.bufferedBytes += added;
    return overlapped ? 'overlap' : 'new';
  }

  private complete(entry: Pending): ReassemblyResult {
    this.pending.delete(entry.key);
    this.bufferedBytes -= entry.receivedBytes;
    const payload = new Uint8Array(entry.totalLength);
    for (const piece of entry.pieces) payload.set(piece.data, piece.offset);
    const datagram: ReassembledDatagram = {
      version: entry.version,
      src: entry.src,
      dst: entry.dst,
      identification: entry.identification,
      protocol: entry.protocol,
      payload,
      frames: entry.frames,
      overlapped: entry.overlapped,
    };
    return { status: 'complete', datagram };
  }

  private discard(entry: Pending, reason: DiscardReason): DiscardedDatagram {
    this.pending.delete(entry.key);
    this.bufferedBytes -= entry.receivedBytes;
    const discarded: DiscardedDatagram = {
      version: entry.version,
      src: entry.src,
      dst: entry.dst,
      identification: entry.identification,
      protocol: entry.protocol,
      frames: entry.frames,
      reason,
      receivedBytes: entry.receivedBytes,
      totalLength: entry.totalLength >= 0 ? entry.totalLength : undefined,
    };
    this.onDiscard?.(discarded);
    return discarded;
  }

  private evictOldest(): void {
    const oldest = this.pending.values().next();
    if (!oldest.done) this.discard(oldest.value, 'evicted');
  }

  /** Evicts the oldest datagrams, but never `current`, until the buffered bytes fit. */
  private enforceBufferLimit(current: Pending): void {
    while (this.bufferedBytes > this.maxBufferedBytes && this.pending.size > 1) {
      const oldest = this.pending.values().next();
      if (oldest.done) return;
      if (oldest.value === current) {
        // Re-insert the current datagram at the end so the next-oldest is evicted instead.
        this.pending.delete(current.key);
        this.pending.set(current.key, current);
        continue;
      }
      this.discard(oldest.value, 'evicted');
    }
  }
}

function byOffset(a: Piece, b: Piece): number {
  return a.offset - b.offset;
}

function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a[aAt + k] !== b[bAt + k]) return false;
  return true;
}
