// SPDX-License-Identifier: MIT
// The only way webview code creates DOM. Text goes in through text nodes and attributes through
// an allow-list, so capture content (file names, warnings, later headers and URIs) can never
// become markup, script, a URL or an event handler. Never use innerHTML/outerHTML/insertAdjacentHTML.

/** Child is a node or a string that becomes a text node. */
export type Child = Node | string | null | undefined | false;

/** Attributes that carry no URL, script or style. Anything else throws at run time. */
const SAFE_ATTRIBUTES = new Set(['id', 'class', 'title', 'role', 'scope', 'colspan', 'lang', 'dir', 'tabindex', 'hidden', 'secondary', 'value', 'max', 'headers', 'datetime', 'placeholder', 'variant']);

/** ElementProps are the properties `el` may set. */
export interface ElementProps {
  className?: string;
  /** Plain attributes from the allow-list, plus any `aria-*` or `data-*` attribute. */
  attrs?: Record<string, string>;
}

/** el creates an element with safe attributes and text or element children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: ElementProps | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props?.className) node.className = props.className;
  if (props?.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      if (!isSafeAttribute(name)) throw new Error(`el: attribute '${name}' is not allowed`);
      node.setAttribute(name, value);
    }
  }
  append(node, ...children);
  return node;
}

/** append adds children to `parent`; strings become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

function isSafeAttribute(name: string): boolean {
  const lower = name.toLowerCase();
  if (SAFE_ATTRIBUTES.has(lower)) return true;
  return /^(aria|data)-[a-z0-9-]+$/.test(lower);
}
