// SPDX-License-Identifier: MIT
// The text report's options: findings grouped by severity, --quiet's findings-only form, and colour
// that changes only the look. Each fixture's full report is pinned by test/golden.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../extension/core/analysis/finding.js';
import type { CaptureAnalysis } from '../../../extension/core/model.js';
import { renderText } from '../../../extension/core/render/text.js';
import { analysed } from './fixtureAnalyses.js';

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/** withFindings is a fixture's analysis with the given findings (severity and time varied). */
function withFindings(findings: Partial<Finding>[]): CaptureAnalysis {
  const base = analysed('fixtures/http/pipelining-hol.pcap');
  const model = base.findings[0]!;
  return { ...base, findings: findings.map((f, i) => ({ ...model, frames: [i + 1], message: `finding ${i}`, ...f })) };
}

const severityOrder = (text: string) => [...text.matchAll(/^ {2}(error|warning|info) +\S+ .*frames (\d+)$/gm)].map((m) => `${m[1]}:${m[2]}`);

describe('text report', () => {
  it.each([
    { in: ['info', 'warning', 'error', 'warning'], want: ['error:3', 'warning:2', 'warning:4', 'info:1'] },
    { in: ['warning', 'warning'], want: ['warning:1', 'warning:2'] },
    { in: ['error', 'info', 'error'], want: ['error:1', 'error:3', 'info:2'] },
  ])('groups findings by severity, time order within: $in', ({ in: severities, want }) => {
    const analysis = withFindings(severities.map((severity) => ({ severity: severity as Finding['severity'] })));
    expect(severityOrder(renderText(analysis))).toEqual(want);
    expect(severityOrder(renderText(analysis, { quiet: true }))).toEqual(want);
  });

  it('quiet is exactly the findings section of the full report, two lines a finding', () => {
    const analysis = withFindings([{ severity: 'warning' }, { severity: 'error' }]);
    const quiet = renderText(analysis, { quiet: true });
    expect(quiet.trimEnd().split('\n')).toHaveLength(4);
    expect(renderText(analysis)).toContain(`Findings (2)\n${quiet}`);
    expect(renderText({ ...analysis, findings: [] }, { quiet: true })).toBe('');
  });

  it('colour paints severities and titles and nothing else', () => {
    const analysis = withFindings([{ severity: 'error' }, { severity: 'warning' }, { severity: 'info' }]);
    const coloured = renderText(analysis, { color: true });
    expect(coloured).toContain('\x1b[31merror  \x1b[0m');
    expect(coloured).toContain('\x1b[33mwarning\x1b[0m');
    expect(coloured).toContain('\x1b[36minfo   \x1b[0m');
    expect(coloured).toContain('\x1b[1mFindings (3)\x1b[0m');
    expect(coloured.replace(SGR, '')).toBe(renderText(analysis));
    expect(renderText(analysis)).not.toMatch(SGR);
  });
});
