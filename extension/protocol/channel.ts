// SPDX-License-Identifier: MIT
// One message channel class for host<->webview and host<->worker (hexeditor's MessageHandler, with
// errors sent back as replies and requests that time out). No vscode, DOM or Node imports: the
// caller supplies `post` and feeds incoming messages to `handleMessage`.
import type { AnalysisErrorDto } from './dto.js';
import { isEnvelope, type Envelope, type ErrorBody, type ErrorCode } from './messages.js';

/** ProtocolError is a failed request as the requester sees it: the code and message of the `error` reply. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly analysisError?: AnalysisErrorDto,
  ) {
    super(message);
  }
}

/**
 * assertNever ends every `switch` over a message union. The compiler proves it unreachable for
 * known types; at run time it throws a ProtocolError 'unknownMessage', which the channel turns
 * into an `error` reply (for a request) or reports as dropped (for an event).
 */
export function assertNever(value: never, what = 'message'): never {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : value;
  throw new ProtocolError('unknownMessage', `unknown ${what} type ${JSON.stringify(type)}`);
}

/** DEFAULT_REQUEST_TIMEOUT_MS bounds how long a request waits for its reply unless told otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** ChannelOptions wires a MessageChannel to its transport and its handler. */
export interface ChannelOptions<Out, In> {
  /** Sends one envelope to the other side. May throw or return a rejecting promise (a disposed webview does). */
  post(envelope: Envelope<Out | ErrorBody>): unknown;
  /**
   * Handles one incoming request or event (not replies: those settle `request`).
   * For a request, the returned body is sent as the reply; throwing sends an `error` reply.
   * End the `switch` over `body.type` with `assertNever`.
   */
  handle(body: In, meta: { isRequest: boolean }): Out | undefined | void | Promise<Out | undefined | void>;
  /** Told about every message that was dropped (malformed, unknown, late reply, failed event handler). */
  onDropped?(reason: string, raw: unknown): void;
  /** Default timeout for `request` in ms; 0 waits forever. */
  requestTimeoutMs?: number;
}

interface Pending {
  expect: string;
  requestType: string;
  resolve(body: unknown): void;
  reject(error: ProtocolError): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * MessageChannel sends typed events and requests over one transport and dispatches what arrives.
 *
 * Call order: construct; feed every incoming raw message to `handleMessage`; `sendEvent` and
 * `request` at any time; `dispose` once, which rejects every pending request with 'disposed'.
 * Guarantees: every `request` settles exactly once (reply, error reply, timeout or dispose), and
 * every incoming request is answered exactly once.
 */
export class MessageChannel<Out extends { type: string }, In extends { type: string }> {
  private nextMessageId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  constructor(private readonly options: ChannelOptions<Out, In>) {}

  /** sendEvent sends a message that expects no reply. */
  sendEvent(body: Out): void {
    if (this.disposed) return;
    this.post({ messageId: this.nextMessageId++, body }, (reason) => this.drop(`send failed: ${reason}`, body));
  }

  /**
   * request sends `body` and resolves with the reply, which must have type `expect`.
   * Rejects with a ProtocolError for an `error` reply, a reply of another type, a timeout or dispose.
   */
  request<T extends In['type']>(body: Out, expect: T, options?: { timeoutMs?: number }): Promise<Extract<In, { type: T }>> {
    if (this.disposed) return Promise.reject(new ProtocolError('disposed', `channel closed before '${body.type}' was sent`));
    const messageId = this.nextMessageId++;
    const timeoutMs = options?.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise<Extract<In, { type: T }>>((resolve, reject) => {
      const entry: Pending = { expect, requestType: body.type, resolve: resolve as (b: unknown) => void, reject };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(messageId);
          reject(new ProtocolError('timeout', `no reply to '${body.type}' within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(messageId, entry);
      this.post({ messageId, request: true, body }, (reason) => this.settle(messageId, undefined, new ProtocolError('disposed', `could not send '${body.type}': ${reason}`)));
    });
  }

  /**
   * handleMessage dispatches one raw incoming message. Resolves once any reply has been posted;
   * never rejects (failures become `error` replies or `onDropped` reports).
   */
  async handleMessage(raw: unknown): Promise<void> {
    if (this.disposed) return;
    if (!isEnvelope(raw)) {
      const id = requestIdOf(raw);
      if (id !== undefined) this.reply(id, errorBody('badMessage', 'malformed message: expected {messageId, body: {type}}'));
      else this.drop('malformed message', raw);
      return;
    }
    if (raw.inReplyTo !== undefined) {
      this.settleReply(raw.inReplyTo, raw);
      return;
    }
    const isRequest = raw.request === true;
    if (raw.body.type === 'error') {
      // An error body is only meaningful as a reply.
      if (isRequest) this.reply(raw.messageId, errorBody('badMessage', "an 'error' message must be a reply"));
      else this.drop('error message that is not a reply', raw);
      return;
    }
    let result: Out | undefined | void;
    try {
      result = await this.options.handle(raw.body as unknown as In, { isRequest });
    } catch (e) {
      if (isRequest) this.reply(raw.messageId, toErrorBody(e));
      else this.drop(`handler failed on '${raw.body.type}': ${describe(e)}`, raw);
      return;
    }
    if (!isRequest || this.disposed) return;
    if (result === undefined) {
      this.reply(raw.messageId, errorBody('noReply', `no reply to '${raw.body.type}'`));
    } else {
      this.reply(raw.messageId, result);
    }
  }

  /** pendingCount is the number of requests still waiting for a reply (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** dispose rejects every pending request with 'disposed' and ignores all later traffic. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const [id, p] of [...this.pending]) {
      this.settle(id, undefined, new ProtocolError('disposed', `channel closed while waiting for a reply to '${p.requestType}'`));
    }
  }

  private settleReply(inReplyTo: number, envelope: Envelope<{ type: string }>): void {
    const p = this.pending.get(inReplyTo);
    if (!p) {
      this.drop(`reply to unknown or expired request ${inReplyTo}`, envelope);
      return;
    }
    const body = envelope.body;
    if (body.type === 'error') {
      const e = body as Partial<ErrorBody>;
      const code = typeof e.code === 'string' ? (e.code as ErrorCode) : 'badMessage';
      const message = typeof e.message === 'string' ? e.message : `'${p.requestType}' failed`;
      this.settle(inReplyTo, undefined, new ProtocolError(code, message, e.analysisError));
    } else if (body.type !== p.expect) {
      this.settle(inReplyTo, undefined, new ProtocolError('unexpectedReply', `expected '${p.expect}' in reply to '${p.requestType}', got '${body.type}'`));
    } else {
      this.settle(inReplyTo, body);
    }
  }

  private settle(id: number, body: unknown, error?: ProtocolError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(body);
  }

  private reply(inReplyTo: number, body: Out | ErrorBody): void {
    this.post({ messageId: this.nextMessageId++, inReplyTo, body }, (reason) => this.drop(`reply failed: ${reason}`, body));
  }

  private post(envelope: Envelope<Out | ErrorBody>, onFailure: (reason: string) => void): void {
    try {
      const r = this.options.post(envelope);
      if (isThenable(r)) r.then(undefined, (e: unknown) => onFailure(describe(e)));
    } catch (e) {
      onFailure(describe(e));
    }
  }

  private drop(reason: string, raw: unknown): void {
    try {
      this.options.onDropped?.(reason, raw);
    } catch {
      // A failing logger must not break message dispatch.
    }
  }
}

function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { type: 'error', code, message };
}

/** toErrorBody turns anything a handler threw into an `error` reply. */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ProtocolError) {
    const body = errorBody(e.code, e.message);
    if (e.analysisError) body.analysisError = e.analysisError;
    return body;
  }
  return errorBody('handlerFailed', describe(e));
}

function requestIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  return r.request === true && typeof r.messageId === 'number' && Number.isInteger(r.messageId) && r.inReplyTo === undefined ? r.messageId : undefined;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
