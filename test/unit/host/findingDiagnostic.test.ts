// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { findingDiagnosticSpec, findingDiagnosticSpecs } from '../../../extension/host/diagnostics/findingDiagnostic.js';
import type { FindingDto } from '../../../extension/protocol/dto.js';

function finding(index: number, severity: FindingDto['severity']): FindingDto {
  return {
    index,
    code: 'zero-window',
    severity,
    title: 'Receiver window closed',
    message: `message ${index}`,
    connection: 3,
    frames: [10, 11],
    startEpochText: '1.000000',
    explanation: 'e',
    advice: 'a',
    docAnchor: 'zero-window',
  };
}

describe('findingDiagnosticSpec', () => {
  it.each([
    { severity: 'error', want: 'error' },
    { severity: 'warning', want: 'warning' },
    { severity: 'info', want: 'information' },
  ] as const)('maps $severity to $want and keeps code, anchor and message', ({ severity, want }) => {
    expect(findingDiagnosticSpec(finding(7, severity))).toEqual({ message: 'message 7', severity: want, code: 'zero-window', docAnchor: 'zero-window', findingIndex: 7, connection: 3 });
  });

  it('caps the Problems pane and counts the rest', () => {
    const all = Array.from({ length: 5 }, (_, i) => finding(i, 'warning'));
    const { specs, omitted } = findingDiagnosticSpecs(all, 3);
    expect(specs.map((s) => s.findingIndex)).toEqual([0, 1, 2]);
    expect(omitted).toBe(2);
    expect(findingDiagnosticSpecs(all).omitted).toBe(0);
  });
});
