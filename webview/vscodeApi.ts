// SPDX-License-Identifier: MIT

/** WebviewApi is the part of VS Code's `acquireVsCodeApi()` object the webview uses. */
export interface WebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): State;
}

declare function acquireVsCodeApi<State>(): WebviewApi<State>;

/** vscodeApi returns the webview API; VS Code allows `acquireVsCodeApi` to be called only once per page. */
export function vscodeApi<State>(): WebviewApi<State> {
  cached ??= acquireVsCodeApi<unknown>();
  return cached as WebviewApi<State>;
}

let cached: WebviewApi<unknown> | undefined;
