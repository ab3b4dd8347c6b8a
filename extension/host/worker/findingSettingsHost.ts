// SPDX-License-Identifier: MIT
import * as vscode from 'vscode';
import { DEFAULT_FINDING_OPTIONS } from '../../core/analysis/engine.js';
import { findingOptions, THRESHOLDS_SECTION } from './findingSettings.js';

/** currentFindingOptions reads the user's threshold settings (checked: numbers ≥ 0 only). */
export function currentFindingOptions(): Record<string, number> {
  const settings = vscode.workspace.getConfiguration(THRESHOLDS_SECTION);
  return findingOptions(Object.fromEntries(Object.keys(DEFAULT_FINDING_OPTIONS).map((k) => [k, settings.get<unknown>(k)]))) as Record<string, number>;
}
