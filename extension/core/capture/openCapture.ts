// SPDX-License-Identifier: MIT
import type { ByteSource } from './byteSource.js';
import { CaptureOpenError, hex8, type CaptureReader } from './captureReader.js';
import { ChunkBuffer, DEFAULT_CHUNK_BYTES } from './chunkBuffer.js';
import { PcapReader, isPcapMagic } from './pcapReader.js';
import { PcapngReader, SHB_TYPE } from './pcapngReader.js';

/** openCapture detects the format from the first bytes and returns a reader; throws CaptureOpenError if neither format fits. */
export function openCapture(source: ByteSource, chunkBytes = DEFAULT_CHUNK_BYTES): CaptureReader {
  const chunk = new ChunkBuffer(source, chunkBytes);
  const have = chunk.ensure(4);
  if (have === 0) throw new CaptureOpenError(0, 'file is empty');
  if (have < 4) throw new CaptureOpenError(0, `file is ${have} bytes, too short for any capture format`);
  const magic = chunk.view.getUint32(chunk.pos, false);
  if (magic === SHB_TYPE) return new PcapngReader(chunk);
  if (isPcapMagic(magic)) return new PcapReader(chunk);
  if ((magic >>> 16) === 0x1f8b) throw new CaptureOpenError(0, 'file is gzip-compressed; decompress it first (gunzip)');
  throw new CaptureOpenError(0, `not a pcap or pcapng file (first four bytes ${hex8(magic)})`);
}
