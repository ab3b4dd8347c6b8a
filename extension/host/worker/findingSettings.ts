// SPDX-License-Identifier: MIT
// The findings' thresholds as VS Code settings (`pcapHttpInspector.thresholds.<name>`), one per
// key of the core's DEFAULT_FINDING_OPTIONS, the same names the CLI's `--set` takes. Free of
// `vscode`: the host reads the configuration, this module checks it.
import { DEFAULT_FINDING_OPTIONS, type FindingOptions } from '../../core/analysis/engine.js';

/** THRESHOLDS_SECTION is the settings prefix of the thresholds. */
export const THRESHOLDS_SECTION = 'pcapHttpInspector.thresholds';

/** findingOptions keeps the known thresholds that are finite and non-negative: settings are user input. */
export function findingOptions(raw: Record<string, unknown> | undefined): Partial<FindingOptions> {
  const out: Partial<FindingOptions> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (Object.hasOwn(DEFAULT_FINDING_OPTIONS, name) && typeof value === 'number' && Number.isFinite(value) && value >= 0) out[name as keyof FindingOptions] = value;
  }
  return out;
}
