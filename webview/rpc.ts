// SPDX-License-Identifier: MIT
import { MessageChannel, type ChannelOptions } from '../extension/protocol/channel.js';
import type { FromWebview, ToWebview } from '../extension/protocol/messages.js';
import type { WebviewApi } from './vscodeApi.js';

/** HostChannel is the webview's end of the host<->webview protocol. */
export type HostChannel = MessageChannel<FromWebview, ToWebview>;

/** connectToHost wires a channel to VS Code's postMessage and the window's message events. */
export function connectToHost(api: WebviewApi<unknown>, handle: ChannelOptions<FromWebview, ToWebview>['handle']): HostChannel {
  const channel = new MessageChannel<FromWebview, ToWebview>({
    post: (envelope) => api.postMessage(envelope),
    handle,
    onDropped: (reason, raw) => console.warn(`pcap-http-inspector webview: dropped message: ${reason}`, raw),
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => void channel.handleMessage(event.data));
  return channel;
}
