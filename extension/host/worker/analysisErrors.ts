// SPDX-License-Identifier: MIT
import { CaptureOpenError } from '../../core/capture/captureReader.js';
import type { AnalysisErrorDto } from '../../protocol/dto.js';

/**
 * toAnalysisError classifies anything thrown while opening or reading a capture: a
 * CaptureOpenError (with the offset of the fault), a Node fs error (by its `code`), or a bug.
 */
export function toAnalysisError(e: unknown, fileName: string): AnalysisErrorDto {
  if (e instanceof CaptureOpenError) {
    return { code: 'notACapture', fileName, byteOffset: e.offset, reason: e.reason };
  }
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ENOENT':
      return { code: 'fileNotFound', fileName, reason: 'no such file' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'accessDenied', fileName, reason: 'permission denied' };
    case 'EISDIR':
    case 'ENOTFILE':
      return { code: 'notAFile', fileName, reason: 'not a regular file' };
  }
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
    return { code: 'readFailed', fileName, reason: e instanceof Error ? e.message : code };
  }
  return { code: 'internal', fileName, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}

/** describeAnalysisError renders an error as one line naming the file, the offset (if any) and the reason. */
export function describeAnalysisError(error: AnalysisErrorDto): string {
  return error.byteOffset !== undefined ? `${error.fileName}: offset ${error.byteOffset}: ${error.reason}` : `${error.fileName}: ${error.reason}`;
}
