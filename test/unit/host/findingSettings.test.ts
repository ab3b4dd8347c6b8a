// SPDX-License-Identifier: MIT
// The VS Code settings and the core's thresholds must not drift apart: one setting per option,
// with the core's default, and user input that is not a number ≥ 0 is ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FINDING_OPTIONS } from '../../../extension/core/analysis/engine.js';
import { findingOptions, THRESHOLDS_SECTION } from '../../../extension/host/worker/findingSettings.js';
import { REPO_ROOT } from '../../helpers/corpus.js';

interface SettingSchema {
  type: string;
  default: number;
  minimum?: number;
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SettingSchema> } } };
const settings = manifest.contributes.configuration.properties;

describe('threshold settings', () => {
  it('has exactly one number setting per finding option, defaulting to the core default', () => {
    const declared = Object.keys(settings)
      .filter((k) => k.startsWith(`${THRESHOLDS_SECTION}.`))
      .map((k) => k.slice(THRESHOLDS_SECTION.length + 1))
      .sort();
    expect(declared).toEqual(Object.keys(DEFAULT_FINDING_OPTIONS).sort());
    for (const [name, value] of Object.entries(DEFAULT_FINDING_OPTIONS)) {
      expect(settings[`${THRESHOLDS_SECTION}.${name}`]).toMatchObject({ type: 'number', default: value, minimum: 0 });
    }
  });

  it.each([
    ['a valid value', { holMinQueuedMs: 50 }, { holMinQueuedMs: 50 }],
    ['zero', { hangMinMs: 0 }, { hangMinMs: 0 }],
    ['unset (undefined)', { holMinQueuedMs: undefined }, {}],
    ['negative', { holMinQueuedMs: -1 }, {}],
    ['not a number', { holMinQueuedMs: '50' }, {}],
    ['infinite', { holMinQueuedMs: Infinity }, {}],
    ['unknown name', { noSuchThing: 3 }, {}],
    ['inherited name', { toString: 3 }, {}],
  ])('%s', (_name, raw, expected) => {
    expect(findingOptions(raw)).toEqual(expected);
  });
});
