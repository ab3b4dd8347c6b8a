// SPDX-License-Identifier: MIT

/** JsonNumberText is a number already rendered as JSON text, for values a double cannot hold exactly (epoch nanoseconds). */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/**
 * stringifyJson renders a value as JSON like JSON.stringify(value, null, indent), except that
 * JsonNumberText is written verbatim and undefined properties are left out. Key order is insertion
 * order, so reports are deterministic and diffable.
 */
export function stringifyJson(value: unknown, indent = 2): string {
  const out: string[] = [];
  write(value, '', indent > 0 ? ' '.repeat(indent) : '', out);
  return out.join('');
}

function write(value: unknown, pad: string, step: string, out: string[]): void {
  if (value instanceof JsonNumberText) {
    out.push(value.text);
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value ?? null));
    return;
  }
  const inner = pad + step;
  const nl = step ? '\n' : '';
  const sep = step ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', nl);
    value.forEach((item, i) => {
      out.push(inner);
      write(item, inner, step, out);
      out.push(i < value.length - 1 ? ',' : '', nl);
    });
    out.push(pad, ']');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{', nl);
  entries.forEach(([k, v], i) => {
    out.push(inner, JSON.stringify(k), sep);
    write(v, inner, step, out);
    out.push(i < entries.length - 1 ? ',' : '', nl);
  });
  out.push(pad, '}');
}
