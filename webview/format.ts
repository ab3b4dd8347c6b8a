// SPDX-License-Identifier: MIT

const counts = new Intl.NumberFormat(document.documentElement.lang || undefined);

/** formatCount renders a count with the display language's digit grouping ("12,345"). */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** formatOffset renders a byte offset or frame number as plain digits, as the CLI report does, so it can be searched for. */
export function formatOffset(n: number): string {
  return String(n);
}

/** fill replaces `{0}`, `{1}`… in a localized template with the given values. */
export function fill(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}
