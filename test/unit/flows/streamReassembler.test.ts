// SPDX-License-Identifier: MIT
//
// Table-driven tests for StreamReassembler [gopacket reassembly tests]: each case is a list of events
// (segments, ACKs, RST, capture end) and the sink calls they must produce, written as lines:
//   data <streamOffset> f<frame> "<bytes as latin1>"     gap <streamOffset>+<length>     end <reason>
// Lines for direction 1 start with "< ". An event's frame is its 1-based position in `events`, and
// frame F's time is timeOf(F); the recorder checks every onData call against both, and checks that
// calls are contiguous and that onEnd comes once, last.
import { describe, expect, it } from 'vitest';
import type {
  DeliveredChunk,
  Direction,
  SegmentResult,
  StreamCounters,
  StreamNoteCode,
  StreamReassemblerOptions,
  StreamSink,
} from '../../../extension/core/flows/streamReassembler.js';
import { StreamReassembler } from '../../../extension/core/flows/streamReassembler.js';
import { TcpFlag } from '../../../extension/core/wire/tcp.js';
import { mulberry32 } from '../../helpers/prng.js';

//#region harness

type Event =
  | { kind: 'syn'; dir: Direction; seq: number }
  | { kind: 'seg'; dir: Direction; seq: number; data: Uint8Array; length: number; flags: number; want?: Partial<SegmentResult> }
  | { kind: 'ack'; dir: Direction; ack: number }
  | { kind: 'rst'; dir: Direction }
  | { kind: 'finish'; dir: Direction };

interface SegOptions {
  /** Flag letters: S F R A P. */
  flags?: string;
  /** payloadLength when it differs from the data length (snapped or impossible). */
  length?: number;
  dir?: Direction;
  want?: Partial<SegmentResult>;
}

const FLAG_LETTERS: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, R: TcpFlag.RST, A: TcpFlag.ACK, P: TcpFlag.PSH };

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

function seg(seq: number, data: string, o: SegOptions = {}): Event {
  let flags = 0;
  for (const letter of o.flags ?? '') flags |= FLAG_LETTERS[letter] ?? 0;
  const bytes = latin1(data);
  return { kind: 'seg', dir: o.dir ?? 0, seq, data: bytes, length: o.length ?? bytes.length, flags, want: o.want };
}
const syn = (seq: number, dir: Direction = 0): Event => ({ kind: 'syn', dir, seq });
/** An ACK sent by the other side, acknowledging direction `dir`'s bytes. */
const ack = (n: number, dir: Direction = 0): Event => ({ kind: 'ack', dir, ack: n });
const rst = (dir: Direction = 0): Event => ({ kind: 'rst', dir });
const finish = (dir: Direction = 0): Event => ({ kind: 'finish', dir });

const timeOf = (frame: number): number => 1_700_000_000 + frame * 0.25;

class Recorder implements StreamSink {
  readonly lines: string[] = [];
  private readonly nextOffset = [0, 0];
  private readonly ended = [false, false];

  onData(dir: Direction, bytes: Uint8Array, at: DeliveredChunk): void {
    this.check(dir, at.streamOffset);
    expect(bytes.length, 'onData with no bytes').toBeGreaterThan(0);
    expect(at.time, `time of frame ${at.frame}`).toBe(timeOf(at.frame));
    this.nextOffset[dir] = at.streamOffset + bytes.length;
    this.lines.push(`${dir === 1 ? '< ' : ''}data ${at.streamOffset} f${at.frame} ${JSON.stringify(String.fromCharCode(...bytes))}`);
  }

  onGap(dir: Direction, streamOffset: number, length: number): void {
    this.check(dir, streamOffset);
    expect(length, 'gap length').toBeGreaterThan(0);
    this.nextOffset[dir] = streamOffset + length;
    this.lines.push(`${dir === 1 ? '< ' : ''}gap ${streamOffset}+${length}`);
  }

  onEnd(dir: Direction, reason: 'fin' | 'rst' | 'capture-end'): void {
    expect(this.ended[dir], 'onEnd twice').toBe(false);
    this.ended[dir] = true;
    this.lines.push(`${dir === 1 ? '< ' : ''}end ${reason}`);
  }

  private check(dir: Direction, streamOffset: number): void {
    expect(this.ended[dir], 'delivery after onEnd').toBe(false);
    expect(streamOffset, 'calls must be contiguous').toBe(this.nextOffset[dir]);
  }
}

interface Case {
  name: string;
  options?: StreamReassemblerOptions;
  events: Event[];
  want: string[];
  /** Counters of direction 0 to check. */
  counters?: Partial<StreamCounters>;
  /** Note codes of direction 0, in order (default: none). */
  notes?: StreamNoteCode[];
}

function run(c: Case): { recorder: Recorder; streams: [StreamReassembler, StreamReassembler] } {
  const recorder = new Recorder();
  const streams: [StreamReassembler, StreamReassembler] = [
    new StreamReassembler(0, recorder, c.options),
    new StreamReassembler(1, recorder, c.options),
  ];
  c.events.forEach((e, i) => {
    const frame = i + 1;
    const s = streams[e.dir];
    switch (e.kind) {
      case 'syn':
        s.onSyn(e.seq);
        break;
      case 'seg': {
        const r = s.onSegment(e.seq, e.data, e.length, e.flags, frame, timeOf(frame));
        if (e.want) expect({ ...r }, `result of event ${frame}`).toMatchObject(e.want);
        break;
      }
      case 'ack':
        s.onAck(e.ack);
        break;
      case 'rst':
        s.onRst(frame, timeOf(frame));
        break;
      case 'finish':
        s.finish();
        break;
    }
  });
  return { recorder, streams };
}

function check(c: Case): void {
  const { recorder, streams } = run(c);
  expect(recorder.lines).toEqual(c.want);
  if (c.counters) expect({ ...streams[0].counters }).toMatchObject(c.counters);
  expect(streams[0].streamNotes.map((n) => n.code)).toEqual(c.notes ?? []);
}

//#endregion

const ISN = 1000; // stream offset 0 is seq 1001

describe('StreamReassembler: ordering, retransmissions and overlaps', () => {
  const cases: Case[] = [
    {
      name: 'in-order segments, FIN ends the stream',
      events: [syn(ISN), seg(1001, 'GET '), seg(1005, '/ HTTP'), seg(1011, '/1.1', { flags: 'FP' }), finish()],
      want: ['data 0 f2 "GET "', 'data 4 f3 "/ HTTP"', 'data 10 f4 "/1.1"', 'end fin'],
      counters: { bytesDelivered: 14, gaps: 0, duplicateBytes: 0, maxBufferedBytes: 0 },
    },
    {
      name: 'out-of-order, reversed: buffered pieces keep their own frames',
      events: [
        syn(ISN),
        seg(1009, 'ccc', { want: { newBytes: 3, outOfOrder: true } }),
        seg(1005, 'bbbb', { want: { newBytes: 4, outOfOrder: true } }),
        seg(1001, 'aaaa', { want: { newBytes: 4, outOfOrder: false } }),
        finish(),
      ],
      want: ['data 0 f4 "aaaa"', 'data 4 f3 "bbbb"', 'data 8 f2 "ccc"', 'end capture-end'],
      counters: { bytesDelivered: 11, maxBufferedBytes: 7 },
    },
    {
      name: 'exact retransmission is counted, not delivered again',
      events: [syn(ISN), seg(1001, 'abc'), seg(1001, 'abc', { want: { newBytes: 0, duplicateBytes: 3, differed: false } }), seg(1004, 'de'), finish()],
      want: ['data 0 f2 "abc"', 'data 3 f4 "de"', 'end capture-end'],
      counters: { duplicateBytes: 3, differingOverlaps: 0 },
    },
    {
      name: 'partial overlap: only the new tail is delivered, mapped to the retransmitting frame',
      events: [syn(ISN), seg(1001, 'abcde'), seg(1004, 'deXYZ', { want: { newBytes: 3, duplicateBytes: 2 } }), finish()],
      want: ['data 0 f2 "abcde"', 'data 5 f3 "XYZ"', 'end capture-end'],
      counters: { duplicateBytes: 2 },
    },
    {
      name: 'overlap of delivered bytes with different content: first copy wins, counted (recent-bytes ring)',
      events: [syn(ISN), seg(1001, 'abcd'), seg(1001, 'abXd', { want: { duplicateBytes: 4, differed: true } }), seg(1005, 'e'), finish()],
      want: ['data 0 f2 "abcd"', 'data 4 f4 "e"', 'end capture-end'],
      counters: { differingOverlaps: 1 },
      notes: ['tcp.overlap-differs'],
    },
    {
      name: 'overlap of buffered bytes with different content: first copy wins, counted',
      events: [syn(ISN), seg(1005, 'efgh'), seg(1005, 'eFgh', { want: { duplicateBytes: 4, newBytes: 0, differed: true } }), seg(1001, 'abcd'), finish()],
      want: ['data 0 f4 "abcd"', 'data 4 f2 "efgh"', 'end capture-end'],
      counters: { differingOverlaps: 1, duplicateBytes: 4 },
      notes: ['tcp.overlap-differs'],
    },
    {
      name: 'without the recent-bytes ring, delivered bytes are not compared',
      options: { recentBytesWindow: 0 },
      events: [syn(ISN), seg(1001, 'abcd'), seg(1001, 'abXd', { want: { duplicateBytes: 4, differed: false } }), finish()],
      want: ['data 0 f2 "abcd"', 'end capture-end'],
      counters: { differingOverlaps: 0, duplicateBytes: 4 },
    },
    {
      name: 'compareOverlaps: false compares nothing',
      options: { compareOverlaps: false },
      events: [syn(ISN), seg(1005, 'efgh'), seg(1005, 'EFGH', { want: { differed: false } }), seg(1001, 'abcd'), finish()],
      want: ['data 0 f4 "abcd"', 'data 4 f2 "efgh"', 'end capture-end'],
      counters: { differingOverlaps: 0 },
    },
    {
      name: 'in-order retransmission spanning buffered pieces: delivered in turns, buffered copies win',
      events: [
        syn(ISN),
        seg(1001, 'ab'),
        seg(1005, 'EF'),
        seg(1009, 'IJ'),
        seg(1003, 'cdefghijkl', { want: { newBytes: 6, duplicateBytes: 4, differed: true } }),
        finish(),
      ],
      want: ['data 0 f2 "ab"', 'data 2 f5 "cd"', 'data 4 f3 "EF"', 'data 6 f5 "gh"', 'data 8 f4 "IJ"', 'data 10 f5 "kl"', 'end capture-end'],
      notes: ['tcp.overlap-differs'],
    },
    {
      name: 'out-of-order segment spanning a buffered piece is split around it',
      events: [syn(ISN), seg(1001, 'a'), seg(1005, 'EF'), seg(1003, 'cdefgh', { want: { newBytes: 4, duplicateBytes: 2, outOfOrder: true } }), seg(1002, 'b'), finish()],
      want: ['data 0 f2 "a"', 'data 1 f5 "b"', 'data 2 f4 "cd"', 'data 4 f3 "EF"', 'data 6 f4 "gh"', 'end capture-end'],
      notes: ['tcp.overlap-differs'],
    },
    {
      name: 'zero-length segments deliver nothing',
      events: [
        syn(ISN),
        seg(1001, '', { want: { newBytes: 0, duplicateBytes: 0, keepAlive: false } }),
        seg(1001, 'abc'),
        seg(1004, ''),
        seg(2000, '', { want: { newBytes: 0, outOfOrder: false } }),
        finish(),
      ],
      want: ['data 0 f3 "abc"', 'end capture-end'],
      counters: { bytesDelivered: 3, duplicateBytes: 0 },
    },
    {
      name: 'keep-alive (one garbage byte at SND.NXT - 1, already acknowledged) is not delivered twice nor a differing copy',
      events: [
        syn(ISN),
        seg(1001, 'abc'),
        ack(1004),
        seg(1003, '\0', { want: { keepAlive: true, duplicateBytes: 1, newBytes: 0, differed: false } }),
        seg(1003, '', { want: { keepAlive: true } }),
        seg(1004, 'd'),
        finish(),
      ],
      want: ['data 0 f2 "abc"', 'data 3 f6 "d"', 'end capture-end'],
      counters: { differingOverlaps: 0, duplicateBytes: 1, gaps: 0 },
    },
    {
      name: 'keep-alive before any data sits on the ISN',
      events: [syn(ISN), ack(1001), seg(1000, '\0', { want: { keepAlive: true, duplicateBytes: 1 } }), finish()],
      want: ['end capture-end'],
      counters: { bytesDelivered: 0, gaps: 0 },
    },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('StreamReassembler: gaps', () => {
  const cases: Case[] = [
    {
      name: 'ACK beyond a hole declares the hole a gap and delivers what follows',
      events: [syn(ISN), seg(1001, 'abc'), seg(1010, 'xyz'), ack(1013), finish()],
      want: ['data 0 f2 "abc"', 'gap 3+6', 'data 9 f3 "xyz"', 'end capture-end'],
      counters: { gaps: 1, gapBytes: 6, bytesDelivered: 6 },
    },
    {
      name: 'ACK inside a hole declares only what it covers',
      events: [syn(ISN), seg(1001, 'abc'), seg(1010, 'xyz'), ack(1006), seg(1006, 'fghi'), finish()],
      want: ['data 0 f2 "abc"', 'gap 3+2', 'data 5 f5 "fghi"', 'data 9 f3 "xyz"', 'end capture-end'],
      counters: { gaps: 1, gapBytes: 2 },
    },
    {
      name: 'one ACK over several holes',
      events: [syn(ISN), seg(1001, 'a'), seg(1004, 'd'), seg(1007, 'g'), ack(1008), finish()],
      want: ['data 0 f2 "a"', 'gap 1+2', 'data 3 f3 "d"', 'gap 4+2', 'data 6 f4 "g"', 'end capture-end'],
      counters: { gaps: 2, gapBytes: 4 },
    },
    {
      name: 'ACK of bytes never seen (lost tail); the data turning up afterwards is late, not delivered',
      events: [syn(ISN), seg(1001, 'abc'), ack(1010), seg(1004, 'defghi', { want: { lateBytes: 6, duplicateBytes: 0, newBytes: 0 } }), seg(1010, 'j'), finish()],
      want: ['data 0 f2 "abc"', 'gap 3+6', 'data 9 f5 "j"', 'end capture-end'],
      counters: { lateBytes: 6, gapBytes: 6 },
      notes: ['tcp.late-data'],
    },
    {
      name: 'ACK of the FIN declares the bytes before it, not the FIN itself',
      events: [syn(ISN), seg(1001, 'ab'), seg(1006, '', { flags: 'F' }), ack(1007), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+3', 'end fin'],
      counters: { gapBytes: 3 },
    },
    {
      name: 'holes at capture end become gaps before each buffered piece',
      events: [syn(ISN), seg(1001, 'ab'), seg(1005, 'ef'), seg(1010, 'j'), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+2', 'data 4 f3 "ef"', 'gap 6+3', 'data 9 f4 "j"', 'end capture-end'],
      counters: { gaps: 2, gapBytes: 5 },
    },
    {
      name: 'snapped segment: captured bytes delivered, the tail is a gap, the stream advances by the full length',
      events: [syn(ISN), seg(1001, 'abc', { length: 10, want: { newBytes: 10 } }), seg(1011, 'k'), finish()],
      want: ['data 0 f2 "abc"', 'gap 3+7', 'data 10 f3 "k"', 'end capture-end'],
      counters: { gapBytes: 7, snappedBytes: 7, gaps: 1 },
    },
    {
      name: 'snapped segment buffered out of order keeps its tail gap',
      events: [syn(ISN), seg(1011, 'kl', { length: 5 }), seg(1001, 'abcdefghij'), finish()],
      want: ['data 0 f3 "abcdefghij"', 'data 10 f2 "kl"', 'gap 12+3', 'end capture-end'],
      counters: { snappedBytes: 3, maxBufferedBytes: 2 },
    },
    {
      name: 'payloadLength below the captured length is impossible: clamp to it, note',
      events: [syn(ISN), seg(1001, 'abcdef', { length: 3, want: { newBytes: 3 } }), seg(1004, 'd'), finish()],
      want: ['data 0 f2 "abc"', 'data 3 f3 "d"', 'end capture-end'],
      notes: ['tcp.impossible-length'],
    },
    {
      name: 'payloadLength of 2^31 is impossible: only captured bytes count, the missing data is a gap',
      events: [syn(ISN), seg(1001, 'abc', { length: 2 ** 31, want: { newBytes: 3 } }), seg(1100, 'xyz'), finish()],
      want: ['data 0 f2 "abc"', 'gap 3+96', 'data 99 f3 "xyz"', 'end capture-end'],
      counters: { maxBufferedBytes: 3, gapBytes: 96, snappedBytes: 0 },
      notes: ['tcp.impossible-length'],
    },
    {
      name: 'out-of-order buffer over its cap: the lowest hole becomes a gap',
      options: { maxBufferedBytes: 8 },
      events: [syn(ISN), seg(1001, 'ab'), seg(1005, 'efgh'), seg(1011, 'klmno'), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+2', 'data 4 f3 "efgh"', 'gap 8+2', 'data 10 f4 "klmno"', 'end capture-end'],
      counters: { oooBufferCapHits: 1, maxBufferedBytes: 9 },
      notes: ['tcp.ooo-buffer-cap'],
    },
    {
      name: 'implausible ACK (beyond any window) is ignored',
      events: [syn(ISN), seg(1001, 'a'), ack(1002 + 2 ** 30 + 10), finish()],
      want: ['data 0 f2 "a"', 'end capture-end'],
      counters: { gaps: 0 },
      notes: ['tcp.implausible-ack'],
    },
    {
      name: 'segment beyond any window is ignored',
      events: [syn(ISN), seg(1001, 'a'), seg(1002 + 2 ** 30 + 10, 'zz', { want: { ignoredBytes: 2, newBytes: 0 } }), finish()],
      want: ['data 0 f2 "a"', 'end capture-end'],
      notes: ['tcp.out-of-window'],
    },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('StreamReassembler: start and end', () => {
  const cases: Case[] = [
    {
      name: 'SYN carrying data: the payload starts at seq + 1',
      events: [seg(ISN, 'hello', { flags: 'S' }), seg(1006, 'world', { flags: 'FA' }), finish()],
      want: ['data 0 f1 "hello"', 'data 5 f2 "world"', 'end fin'],
    },
    {
      name: 'retransmitted SYN with data (TFO) is a duplicate',
      events: [seg(ISN, 'hello', { flags: 'S' }), seg(ISN, 'hello', { flags: 'S', want: { duplicateBytes: 5, newBytes: 0 } }), finish()],
      want: ['data 0 f1 "hello"', 'end capture-end'],
    },
    {
      name: 'SYN with another ISN is ignored with a note',
      events: [syn(ISN), seg(3000, 'x', { flags: 'S', want: { ignoredBytes: 1 } }), seg(1001, 'a'), finish()],
      want: ['data 0 f3 "a"', 'end capture-end'],
      notes: ['tcp.syn-isn-mismatch'],
    },
    {
      name: 'data after FIN is ignored, counted and noted',
      events: [
        syn(ISN),
        seg(1001, 'abc', { flags: 'F' }),
        seg(1004, 'xyz', { want: { beyondFin: true, ignoredBytes: 3, newBytes: 0 } }),
        seg(1002, 'bcXY', { want: { duplicateBytes: 2, ignoredBytes: 2, beyondFin: true } }),
        finish(),
      ],
      want: ['data 0 f2 "abc"', 'end fin'],
      counters: { bytesAfterFin: 5 },
      notes: ['tcp.data-after-fin'],
    },
    {
      name: 'a FIN drops buffered bytes beyond it',
      events: [syn(ISN), seg(1008, 'zzz'), seg(1001, 'abc', { flags: 'F' }), finish()],
      want: ['data 0 f3 "abc"', 'end fin'],
      counters: { bytesAfterFin: 3, maxBufferedBytes: 3 },
      notes: ['tcp.data-after-fin'],
    },
    {
      name: 'retransmitted FIN is a no-op',
      events: [
        syn(ISN),
        seg(1001, 'abc', { flags: 'F' }),
        seg(1001, 'abc', { flags: 'F', want: { duplicateBytes: 3, beyondFin: false } }),
        seg(1004, '', { flags: 'F' }),
        finish(),
      ],
      want: ['data 0 f2 "abc"', 'end fin'],
      counters: { duplicateBytes: 3, bytesAfterFin: 0 },
    },
    {
      name: 'FIN out of order waits for the data before it',
      events: [syn(ISN), seg(1004, 'def', { flags: 'F' }), seg(1001, 'abc'), finish()],
      want: ['data 0 f3 "abc"', 'data 3 f2 "def"', 'end fin'],
    },
    {
      name: 'a second FIN at another position is noted; the first is kept',
      events: [syn(ISN), seg(1001, 'ab'), seg(1010, '', { flags: 'F' }), seg(1006, '', { flags: 'F' }), ack(1011), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+7', 'end fin'],
      notes: ['tcp.fin-inconsistent'],
    },
    {
      name: 'RST in the middle: buffered data delivered after a gap, then end rst; later data is late or ignored',
      events: [
        syn(ISN),
        seg(1001, 'abc'),
        seg(1008, 'hij'),
        rst(),
        seg(1004, 'defg', { want: { lateBytes: 4 } }),
        seg(1011, 'k', { want: { ignoredBytes: 1 } }),
        finish(),
      ],
      want: ['data 0 f2 "abc"', 'gap 3+4', 'data 7 f3 "hij"', 'end rst'],
      counters: { lateBytes: 4, bytesAfterEnd: 1 },
      notes: ['tcp.late-data', 'tcp.data-after-end'],
    },
    {
      name: 'RST segment: its payload is diagnostic text, not stream data',
      events: [syn(ISN), seg(1001, 'abc'), seg(1004, 'BIG-IP: reset', { flags: 'RA', want: { ignoredBytes: 13, newBytes: 0 } }), finish()],
      want: ['data 0 f2 "abc"', 'end rst'],
      counters: { bytesDelivered: 3 },
    },
    {
      name: 'RST after a FIN with a hole before it: the hole is a gap and the stream ends by its FIN',
      events: [syn(ISN), seg(1001, 'ab'), seg(1005, 'ef', { flags: 'F' }), rst(), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+2', 'data 4 f3 "ef"', 'end fin'],
    },
    {
      name: 'capture end with a FIN seen but a hole before it: gap up to the FIN, end fin',
      events: [syn(ISN), seg(1001, 'ab'), seg(1008, '', { flags: 'F' }), finish()],
      want: ['data 0 f2 "ab"', 'gap 2+5', 'end fin'],
    },
    {
      name: 'mid-stream start: the first data segment is offset 0; earlier bytes are noted, not delivered',
      events: [
        seg(5000, 'world'),
        seg(4995, 'hello', { want: { ignoredBytes: 5, newBytes: 0 } }),
        seg(4998, 'loworl', { want: { ignoredBytes: 2, duplicateBytes: 4 } }),
        seg(5005, '!'),
        finish(),
      ],
      want: ['data 0 f1 "world"', 'data 5 f4 "!"', 'end capture-end'],
      counters: { bytesBeforeStart: 7 },
      notes: ['tcp.data-before-stream-start'],
    },
    {
      name: 'mid-stream start: a bare ACK or a keep-alive below the peer ACK does not anchor the stream',
      events: [ack(5000), seg(4999, '', {}), seg(4999, '\0', { want: { keepAlive: true } }), seg(5000, 'data'), ack(5004), finish()],
      want: ['data 0 f4 "data"', 'end capture-end'],
      counters: { gaps: 0, bytesBeforeStart: 0 },
    },
    {
      name: 'mid-stream start with a FIN only',
      events: [seg(7000, '', { flags: 'FA' }), seg(7000, 'x', { want: { beyondFin: true } }), finish()],
      want: ['end fin'],
      notes: ['tcp.data-after-fin'],
    },
    {
      name: 'data after capture end is ignored',
      events: [syn(ISN), seg(1001, 'a'), finish(), seg(1002, 'b', { want: { ignoredBytes: 1 } })],
      want: ['data 0 f2 "a"', 'end capture-end'],
      counters: { bytesAfterEnd: 1 },
      notes: ['tcp.data-after-end'],
    },
    {
      name: 'an empty stream still ends once',
      events: [finish(), finish()],
      want: ['end capture-end'],
    },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('StreamReassembler: sequence wrap-around', () => {
  it('ISN near 2^32: in order and out of order across the wrap', () => {
    check({
      name: 'wrap',
      events: [
        syn(0xffff_fff0),
        seg(0xffff_fff1, 'abcdefgh'),
        seg(5, 'uv', { want: { outOfOrder: true } }),
        seg(0xffff_fff9, 'ijklmnopqrst'),
        ack(7),
        seg(7, '', { flags: 'F' }),
        ack(8),
        finish(),
      ],
      want: ['data 0 f2 "abcdefgh"', 'data 8 f4 "ijklmnopqrst"', 'data 20 f3 "uv"', 'end fin'],
      counters: { gaps: 0, bytesDelivered: 22 },
    });
  });

  it('stream offsets keep counting past 4 GiB', () => {
    const step = 2 ** 30; // the largest plausible segment
    const events: Event[] = [seg(0xffff_ff00, 'a', { length: step })];
    for (let i = 1; i <= 4; i++) events.push(seg((0xffff_ff00 + i * step) % 2 ** 32, 'a', { length: step }));
    events.push(seg((0xffff_ff00 + 5 * step) % 2 ** 32, 'z'), finish());
    const want: string[] = [];
    for (let i = 0; i < 5; i++) want.push(`data ${i * step} f${i + 1} "a"`, `gap ${i * step + 1}+${step - 1}`);
    want.push(`data ${5 * step} f6 "z"`, 'end capture-end');
    const { recorder, streams } = run({ name: '4 GiB', events, want });
    expect(recorder.lines).toEqual(want);
    expect(streams[0].nextOffset).toBe(5 * step + 1);
    expect(streams[0].midStream).toBe(true);
    expect(streams[0].counters.maxBufferedBytes).toBe(0);
  });
});

describe('StreamReassembler: both directions', () => {
  it('simultaneous open and simultaneous close', () => {
    check({
      name: 'simultaneous',
      events: [
        seg(ISN, '', { flags: 'S' }),
        seg(5000, '', { flags: 'S', dir: 1 }),
        seg(ISN, '', { flags: 'SA' }), // SYN-ACK repeats the ISN (RFC 9293 §3.5, figure 8)
        seg(5000, '', { flags: 'SA', dir: 1 }),
        ack(5001, 1),
        ack(1001, 0),
        seg(1001, 'ping', { flags: 'A' }),
        seg(5001, 'pong', { flags: 'A', dir: 1 }),
        ack(1005, 0),
        ack(5005, 1),
        seg(1005, '', { flags: 'FA' }),
        seg(5005, '', { flags: 'FA', dir: 1 }),
        ack(1006, 0),
        ack(5006, 1),
        finish(0),
        finish(1),
      ],
      want: ['data 0 f7 "ping"', '< data 0 f8 "pong"', 'end fin', '< end fin'],
      counters: { gaps: 0, bytesDelivered: 4 },
    });
  });
});

describe('StreamReassembler: memory and lifetimes', () => {
  it('hands in-order payloads to the sink uncopied, with a reused chunk object', () => {
    const seen: { bytes: Uint8Array; at: DeliveredChunk }[] = [];
    const r = new StreamReassembler(0, { onData: (_d, bytes, at) => seen.push({ bytes, at }), onGap() {}, onEnd() {} });
    r.onSyn(ISN);
    const a = latin1('abc');
    const b = latin1('def');
    r.onSegment(1001, a, 3, TcpFlag.ACK, 2, 2);
    r.onSegment(1004, b, 3, TcpFlag.ACK, 3, 3);
    expect(seen[0]?.bytes).toBe(a);
    expect(seen[1]?.bytes).toBe(b);
    expect(seen[0]?.at).toBe(seen[1]?.at);
  });

  it('copies out-of-order payloads: the caller may reuse its buffer', () => {
    const recorder = new Recorder();
    const r = new StreamReassembler(0, recorder);
    r.onSyn(ISN);
    const record = latin1('def');
    r.onSegment(1004, record, 3, 0, 2, timeOf(2));
    record.fill(0x3f); // the capture reader overwrites the record
    r.onSegment(1001, latin1('abc'), 3, 0, 3, timeOf(3));
    expect(recorder.lines).toEqual(['data 0 f3 "abc"', 'data 3 f2 "def"']);
    expect(r.bufferedBytes).toBe(0);
  });

  it('releases buffers when the stream ends', () => {
    const r = new StreamReassembler(0, new Recorder());
    r.onSyn(ISN);
    r.onSegment(1101, new Uint8Array(50), 50, 0, 2, timeOf(2));
    expect(r.bufferedBytes).toBe(50);
    r.onRst(3, timeOf(3));
    expect(r.bufferedBytes).toBe(0);
    expect(r.endReason).toBe('rst');
    expect(r.endFrame).toBe(3);
  });

  it('compares retransmissions beyond the first ring size as the ring grows, and only within the window', () => {
    const recorder = new Recorder();
    const r = new StreamReassembler(0, recorder, { recentBytesWindow: 16 * 1024 });
    r.onSyn(0);
    const data = new Uint8Array(40 * 1024).map((_, i) => (i * 7) & 0xff);
    for (let off = 0, frame = 1; off < data.length; off += 1000, frame++) {
      r.onSegment(1 + off, data.subarray(off, off + 1000), Math.min(1000, data.length - off), 0, frame, timeOf(frame));
    }
    const changed = (off: number): Uint8Array => {
      const copy = data.slice(off, off + 100);
      copy[50] = (copy[50] ?? 0) ^ 0xff;
      return copy;
    };
    // Inside the last 16 KiB: compared.
    expect(r.onSegment(1 + data.length - 1000, changed(data.length - 1000), 100, 0, 100, timeOf(100)).differed).toBe(true);
    // Older than the window: counted, not compared.
    const old = r.onSegment(1 + 1000, changed(1000), 100, 0, 101, timeOf(101));
    expect(old.duplicateBytes).toBe(100);
    expect(old.differed).toBe(false);
    // Identical copies within the window do not differ.
    expect(r.onSegment(1 + data.length - 5000, data.subarray(data.length - 5000, data.length - 4000), 1000, 0, 102, timeOf(102)).differed).toBe(false);
    expect(r.counters.differingOverlaps).toBe(1);
  });
});

describe('StreamReassembler: random segmentation, order and loss', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: delivered bytes and gaps match what was sent and lost`, () => {
      const rand = mulberry32(seed);
      const isn = seed % 2 === 0 ? 0xffff_f000 + seed : (rand() * 2 ** 32) >>> 0; // even seeds wrap
      const data = Uint8Array.from({ length: 20_000 }, () => (rand() * 256) | 0);
      // Cut into segments; some are lost for good, the rest arrive shuffled within a window, some twice.
      const segments: { off: number; len: number }[] = [];
      for (let off = 0; off < data.length; ) {
        const len = Math.min(data.length - off, 1 + ((rand() * 1460) | 0));
        segments.push({ off, len });
        off += len;
      }
      const lost = new Set<number>();
      segments.forEach((_, i) => {
        if (i > 0 && i < segments.length - 1 && rand() < 0.05) lost.add(i);
      });
      const order = segments.map((_, i) => i).filter((i) => !lost.has(i));
      for (let i = 0; i < order.length; i++) {
        const j = Math.min(order.length - 1, i + ((rand() * 4) | 0));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const arrivals = order.flatMap((i) => (rand() < 0.1 ? [i, i] : [i]));

      const got = new Uint8Array(data.length);
      const gaps: string[] = [];
      let ended = '';
      const r = new StreamReassembler(0, {
        onData: (_d, bytes, at) => got.set(bytes, at.streamOffset),
        onGap: (_d, off, len) => gaps.push(`${off}+${len}`),
        onEnd: (_d, reason) => (ended = reason),
      });
      r.onSyn(isn);
      arrivals.forEach((i, k) => {
        const s = segments[i]!;
        const fin = i === segments.length - 1 ? TcpFlag.FIN : 0;
        r.onSegment(seqOf(isn, 1 + s.off), data.subarray(s.off, s.off + s.len), s.len, TcpFlag.ACK | fin, k + 1, timeOf(k + 1));
      });
      r.onAck(seqOf(isn, 1 + data.length + 1)); // the peer acknowledges everything, FIN included
      r.finish();

      const want: Uint8Array = data.slice();
      const wantGaps: string[] = [];
      for (const i of [...lost].sort((a, b) => a - b)) {
        const s = segments[i]!;
        want.fill(0, s.off, s.off + s.len);
        const prev = wantGaps.at(-1);
        const [po, pl] = prev ? prev.split('+').map(Number) : [-1, 0];
        if (prev && po! + pl! === s.off) wantGaps[wantGaps.length - 1] = `${po}+${pl! + s.len}`;
        else wantGaps.push(`${s.off}+${s.len}`);
      }
      expect(ended).toBe('fin');
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      // Adjacent lost segments form one hole, which may be reported in more than one onGap call.
      expect(mergeGaps(gaps)).toEqual(wantGaps);
      expect(r.counters.bytesDelivered + r.counters.gapBytes).toBe(data.length);
      expect(r.counters.differingOverlaps).toBe(0);
    });
  }

  function seqOf(isn: number, offset: number): number {
    return (isn + offset) % 2 ** 32;
  }

  function mergeGaps(gaps: string[]): string[] {
    const out: [number, number][] = [];
    for (const g of gaps) {
      const [o, l] = g.split('+').map(Number) as [number, number];
      const last = out.at(-1);
      if (last && last[0] + last[1] === o) last[1] += l;
      else out.push([o, l]);
    }
    return out.map(([o, l]) => `${o}+${l}`);
  }
});
