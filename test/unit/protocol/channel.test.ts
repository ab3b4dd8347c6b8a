// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertNever, MessageChannel, ProtocolError } from '../../../extension/protocol/channel.js';
import { isEnvelope, type Envelope, type FromWebview, type ToWebview } from '../../../extension/protocol/messages.js';

// Two channels joined back to back, as the host and the webview are. Delivery is asynchronous
// (a microtask), like postMessage, and every envelope is recorded for assertions.
type HostSide = MessageChannel<ToWebview, FromWebview>;
type WebviewSide = MessageChannel<FromWebview, ToWebview>;

interface Pair {
  host: HostSide;
  webview: WebviewSide;
  toWebview: Envelope<unknown>[];
  toHost: Envelope<unknown>[];
  dropped: string[];
}

function pair(options: {
  hostHandle?: (body: FromWebview) => ToWebview | undefined | Promise<ToWebview | undefined>;
  webviewHandle?: (body: ToWebview) => FromWebview | undefined;
  timeoutMs?: number;
  deliverToHost?: boolean;
}): Pair {
  const toWebview: Envelope<unknown>[] = [];
  const toHost: Envelope<unknown>[] = [];
  const dropped: string[] = [];
  const peer: { webview?: WebviewSide } = {};
  const host: HostSide = new MessageChannel<ToWebview, FromWebview>({
    post: (e) => {
      toWebview.push(e);
      queueMicrotask(() => void peer.webview?.handleMessage(structuredClone(e)));
    },
    handle: options.hostHandle ?? (() => undefined),
    onDropped: (reason) => dropped.push(`host: ${reason}`),
  });
  const webview = new MessageChannel<FromWebview, ToWebview>({
    post: (e) => {
      toHost.push(e);
      if (options.deliverToHost !== false) queueMicrotask(() => void host.handleMessage(structuredClone(e)));
    },
    handle: options.webviewHandle ?? (() => undefined),
    onDropped: (reason) => dropped.push(`webview: ${reason}`),
    ...(options.timeoutMs !== undefined ? { requestTimeoutMs: options.timeoutMs } : {}),
  });
  peer.webview = webview;
  return { host, webview, toWebview, toHost, dropped };
}

/** A host handler written the way the real one is: a switch ending in assertNever. */
function hostHandler(body: FromWebview): ToWebview | undefined {
  switch (body.type) {
    case 'ready':
      return { type: 'init', protocolVersion: 1, strings: {} as never, state: { status: 'running', doneBytes: 0, totalBytes: 10 }, fileChanged: false };
    case 'reanalyze':
      return { type: 'ack' };
    case 'getRows':
      return { type: 'rows', analysisId: 1, page: { table: 'findings', start: body.start, total: 0, rows: [] } };
    case 'locateRow':
      return { type: 'rowIndex', analysisId: 1, index: -1 };
    case 'getConnection':
      return { type: 'connection', analysisId: 1, detail: null };
    case 'getLadder':
      return { type: 'ladder', analysisId: 1, ladder: { connection: 0, packets: [], truncated: false, retransmissionFrames: [], zeroWindowFrames: [], evidence: [] } };
    case 'getBody':
      return { type: 'body', analysisId: 1, body: { totalBytes: 0, locatedBytes: 0, shownBytes: 0, kind: 'empty', content: '' } };
    case 'select':
    case 'action':
    case 'error':
      return undefined;
    default:
      return assertNever(body);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MessageChannel request/reply', () => {
  it('resolves a request with the reply of the expected type', async () => {
    const p = pair({ hostHandle: hostHandler });
    const init = await p.webview.request({ type: 'ready' }, 'init');
    expect(init.type).toBe('init');
    expect(init.state).toEqual({ status: 'running', doneBytes: 0, totalBytes: 10 });
    expect(p.toHost[0]).toMatchObject({ messageId: 1, request: true, body: { type: 'ready' } });
    expect(p.toWebview[0]).toMatchObject({ inReplyTo: 1, body: { type: 'init' } });
    expect(p.webview.pendingCount).toBe(0);
    expect(p.dropped).toEqual([]);
  });

  it('pairs concurrent requests with their own replies', async () => {
    const p = pair({
      hostHandle: async (body) => {
        if (body.type === 'ready') await new Promise((r) => setTimeout(r, 5)); // answered after 'reanalyze'
        return hostHandler(body);
      },
    });
    const [init, ack] = await Promise.all([p.webview.request({ type: 'ready' }, 'init'), p.webview.request({ type: 'reanalyze' }, 'ack')]);
    expect(init.type).toBe('init');
    expect(ack.type).toBe('ack');
  });

  it('delivers events to the handler without a reply', async () => {
    const seen: string[] = [];
    const p = pair({ webviewHandle: (b) => void seen.push(b.type) });
    p.host.sendEvent({ type: 'analysisProgress', doneBytes: 5, totalBytes: 10 });
    await vi.waitFor(() => expect(seen).toEqual(['analysisProgress']));
    expect(p.toHost).toEqual([]);
  });

  it('rejects with unexpectedReply when the reply has another type', async () => {
    const p = pair({ hostHandle: () => ({ type: 'ack' }) });
    await expect(p.webview.request({ type: 'ready' }, 'init')).rejects.toMatchObject({ name: 'ProtocolError', code: 'unexpectedReply' });
  });
});

describe('MessageChannel error replies', () => {
  it('turns a throwing handler into an error reply and a rejected request', async () => {
    const p = pair({
      hostHandle: () => {
        throw new Error('boom');
      },
    });
    const failure = p.webview.request({ type: 'ready' }, 'init');
    await expect(failure).rejects.toBeInstanceOf(ProtocolError);
    await expect(failure).rejects.toMatchObject({ code: 'handlerFailed', message: 'boom' });
    expect(p.toWebview[0]).toMatchObject({ inReplyTo: 1, body: { type: 'error', code: 'handlerFailed', message: 'boom' } });
  });

  it('keeps the code and analysis error of a thrown ProtocolError', async () => {
    const analysisError = { code: 'notACapture' as const, fileName: 'x.pcap', byteOffset: 0, reason: 'not a pcap or pcapng file' };
    const p = pair({
      hostHandle: () => {
        throw new ProtocolError('notACapture', 'x.pcap: offset 0: not a pcap or pcapng file', analysisError);
      },
    });
    await expect(p.webview.request({ type: 'ready' }, 'init')).rejects.toMatchObject({ code: 'notACapture', analysisError });
  });

  it('answers a request the handler leaves unanswered with noReply', async () => {
    const p = pair({ hostHandle: () => undefined });
    await expect(p.webview.request({ type: 'reanalyze' }, 'ack')).rejects.toMatchObject({ code: 'noReply' });
  });
});

describe('MessageChannel timeouts', () => {
  it('rejects a request that gets no reply in time, and ignores the late reply', async () => {
    vi.useFakeTimers();
    const p = pair({ deliverToHost: false, timeoutMs: 1_000 });
    const failure = p.webview.request({ type: 'ready' }, 'init');
    const assertion = expect(failure).rejects.toMatchObject({ code: 'timeout' });
    await vi.advanceTimersByTimeAsync(999);
    expect(p.webview.pendingCount).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
    expect(p.webview.pendingCount).toBe(0);

    await p.webview.handleMessage({ messageId: 7, inReplyTo: 1, body: { type: 'init' } });
    expect(p.dropped).toEqual(['webview: reply to unknown or expired request 1']);
  });

  it('honours a per-request timeout, and 0 waits forever', async () => {
    vi.useFakeTimers();
    const p = pair({ deliverToHost: false });
    const quick = p.webview.request({ type: 'ready' }, 'init', { timeoutMs: 50 });
    const assertion = expect(quick).rejects.toMatchObject({ code: 'timeout' });
    const forever = p.webview.request({ type: 'reanalyze' }, 'ack', { timeoutMs: 0 });
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    await assertion;
    expect(p.webview.pendingCount).toBe(1);
    p.webview.dispose();
    await expect(forever).rejects.toMatchObject({ code: 'disposed' });
  });

  it('rejects pending requests on dispose and refuses new ones', async () => {
    const p = pair({ deliverToHost: false });
    const pending = p.webview.request({ type: 'ready' }, 'init');
    p.webview.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'disposed' });
    await expect(p.webview.request({ type: 'ready' }, 'init')).rejects.toMatchObject({ code: 'disposed' });
  });

  it('rejects at once when posting fails (a disposed webview)', async () => {
    const channel = new MessageChannel<FromWebview, ToWebview>({
      post: () => Promise.reject(new Error('Webview is disposed')),
      handle: () => undefined,
    });
    await expect(channel.request({ type: 'ready' }, 'init')).rejects.toMatchObject({ code: 'disposed', message: expect.stringContaining('Webview is disposed') });
    expect(channel.pendingCount).toBe(0);
  });
});

describe('MessageChannel unknown and malformed messages', () => {
  it('answers a request of an unknown type with unknownMessage', async () => {
    const replies: Envelope<unknown>[] = [];
    const host = new MessageChannel<ToWebview, FromWebview>({ post: (e) => void replies.push(e), handle: hostHandler });
    await host.handleMessage({ messageId: 3, request: true, body: { type: 'selfDestruct' } });
    expect(replies).toEqual([{ messageId: 1, inReplyTo: 3, body: { type: 'error', code: 'unknownMessage', message: 'unknown message type "selfDestruct"' } }]);
  });

  it('drops an event of an unknown type without replying', async () => {
    const replies: Envelope<unknown>[] = [];
    const dropped: string[] = [];
    const host = new MessageChannel<ToWebview, FromWebview>({ post: (e) => void replies.push(e), handle: hostHandler, onDropped: (r) => dropped.push(r) });
    await host.handleMessage({ messageId: 3, body: { type: 'selfDestruct' } });
    expect(replies).toEqual([]);
    expect(dropped).toEqual(["handler failed on 'selfDestruct': unknown message type \"selfDestruct\""]);
  });

  it('answers a malformed request with badMessage and drops other junk', async () => {
    const replies: Envelope<unknown>[] = [];
    const dropped: string[] = [];
    const host = new MessageChannel<ToWebview, FromWebview>({ post: (e) => void replies.push(e), handle: hostHandler, onDropped: (r) => dropped.push(r) });
    await host.handleMessage({ messageId: 4, request: true, body: 'ready' });
    expect(replies[0]).toMatchObject({ inReplyTo: 4, body: { type: 'error', code: 'badMessage' } });
    for (const junk of [null, 42, 'ready', { type: 'ready' }, { messageId: 1.5, body: { type: 'ready' } }, { messageId: 1, body: {} }]) {
      await host.handleMessage(junk);
    }
    expect(replies).toHaveLength(1);
    expect(dropped).toHaveLength(6);
  });

  it('does not let an error body pose as a request or event', async () => {
    const replies: Envelope<unknown>[] = [];
    const handle = vi.fn(hostHandler);
    const host = new MessageChannel<ToWebview, FromWebview>({ post: (e) => void replies.push(e), handle });
    await host.handleMessage({ messageId: 5, request: true, body: { type: 'error', code: 'timeout', message: 'x' } });
    await host.handleMessage({ messageId: 6, body: { type: 'error', code: 'timeout', message: 'x' } });
    expect(handle).not.toHaveBeenCalled();
    expect(replies).toEqual([{ messageId: 1, inReplyTo: 5, body: { type: 'error', code: 'badMessage', message: "an 'error' message must be a reply" } }]);
  });

  it('isEnvelope accepts exactly the envelope shape', () => {
    expect(isEnvelope({ messageId: 1, body: { type: 'ready' } })).toBe(true);
    expect(isEnvelope({ messageId: 2, inReplyTo: 1, body: { type: 'ack' } })).toBe(true);
    expect(isEnvelope({ messageId: 1, request: true, body: { type: 'ready' } })).toBe(true);
    expect(isEnvelope({ messageId: 1, request: 'yes', body: { type: 'ready' } })).toBe(false);
    expect(isEnvelope({ messageId: '1', body: { type: 'ready' } })).toBe(false);
    expect(isEnvelope({ messageId: 1, inReplyTo: 'x', body: { type: 'ready' } })).toBe(false);
    expect(isEnvelope({ messageId: 1, body: { type: 7 } })).toBe(false);
  });
});
