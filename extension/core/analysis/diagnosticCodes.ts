// SPDX-License-Identifier: MIT
import type { Severity } from './finding.js';

/** CatalogEntry explains one finding code to a user: what happened, why it costs, what to change. */
export interface CatalogEntry {
  severity: Severity;
  title: string;
  explanation: string;
  advice: string;
  /** Anchor in docs/findings.md. */
  doc: string;
}

/**
 * DIAGNOSTIC_CODES is the single catalog of finding codes; the CLI, the webview, the flow explorer and
 * the Problems pane all read it. Codes are stable API: rename never, add freely.
 */
export const DIAGNOSTIC_CODES = {
  'nagle-delayed-ack': {
    severity: 'warning',
    title: 'Nagle stall behind a delayed ACK',
    explanation:
      'The sender had a small segment unacknowledged and held the next small write (Nagle\'s algorithm, RFC 9293 §3.7.4) until the peer acknowledged it; the peer delayed that ACK (about 40 ms on Linux, up to 200 ms on Windows) because it had nothing to send back. The held data left right after the ACK, so the whole delay was the ACK timer.',
    advice:
      'Write the message in one call (head and body together, e.g. writev or one buffer), or set TCP_NODELAY on the sending socket. Disabling delayed ACKs on the receiver (TCP_QUICKACK) hides the symptom but not the cause.',
    doc: 'nagle-delayed-ack',
  },
  'hol-blocking': {
    severity: 'warning',
    title: 'Head-of-line blocking in an HTTP/1.1 pipeline',
    explanation:
      'HTTP/1.1 answers pipelined requests strictly in order (RFC 9112 §9.3.2): a response cannot start before the responses to earlier requests on the connection have been sent in full, so a quick response waited behind a slow one.',
    advice:
      'Send independent requests on separate connections or over HTTP/2, where streams are answered independently; or put slow requests last.',
    doc: 'hol-blocking',
  },
  'non-idempotent-pipelined': {
    severity: 'warning',
    title: 'Non-idempotent request pipelined',
    explanation:
      'A request that is not idempotent (POST, PATCH, ...) was sent while earlier requests were still unanswered. If the connection drops, the client cannot tell whether it ran, so it must not retry it (RFC 9112 §9.3.2).',
    advice: 'Wait for the responses to earlier requests before sending a non-idempotent one, or use HTTP/2.',
    doc: 'non-idempotent-pipelined',
  },
  'connection-refused': {
    severity: 'error',
    title: 'Connection refused',
    explanation: 'The server answered the SYN with a RST: nothing listens on that port, or a firewall rejects it (RFC 9293 §3.10.7.1).',
    advice: 'Check that the service runs and listens on that address and port, and that the client uses the right one.',
    doc: 'connection-refused',
  },
  'syn-retransmission': {
    severity: 'warning',
    title: 'Handshake needed SYN retransmissions',
    explanation:
      'The client sent its SYN more than once before the handshake completed: the first SYN (or its SYN/ACK) was lost or not answered, and the client waited a retransmission timeout (1 s initially on Linux) each time.',
    advice: 'Look for packet loss or a full accept/SYN queue on the server (listen backlog, SYN cookies), or a firewall dropping SYNs.',
    doc: 'syn-retransmission',
  },
  retransmission: {
    severity: 'warning',
    title: 'Retransmissions cost the receiver time',
    explanation:
      'Segments were sent again because the first copy was lost (or thought lost). Until a retransmission arrives, the receiver cannot deliver the data after the hole to the application.',
    advice: 'Find where packets are lost (a congested link, a shaper, a bad NIC or cable); check interface drop counters along the path.',
    doc: 'retransmission',
  },
  'zero-window': {
    severity: 'warning',
    title: 'Receiver window closed',
    explanation: 'The receiver advertised a zero window: its application did not read fast enough, so the sender had to stop (RFC 9293 §3.8.6.1).',
    advice: 'Make the receiving application read faster, or give it a bigger socket receive buffer.',
    doc: 'zero-window',
  },
  'reset-mid-message': {
    severity: 'error',
    title: 'Connection reset in the middle of a message',
    explanation: 'A RST ended the connection while a request or response was still incomplete; the receiving application got an error instead of the rest of the message.',
    advice: 'See which side reset: a server that crashes or times out, a proxy or load balancer killing idle or long transfers, or a client that gave up.',
    doc: 'reset-mid-message',
  },
  'truncated-body': {
    severity: 'error',
    title: 'Body shorter than announced',
    explanation: 'The message ended (FIN) before its Content-Length or final chunk arrived; the receiver must treat it as incomplete (RFC 9112 §8).',
    advice: 'Look for a server or proxy that closes early (timeouts, crashes, buffer limits) or a wrong Content-Length.',
    doc: 'truncated-body',
  },
  'unanswered-request': {
    severity: 'warning',
    title: 'Request without a response',
    explanation: 'A request got no response before its connection ended.',
    advice: 'Check server-side timeouts and errors for that request; a client may have retried it on another connection.',
    doc: 'unanswered-request',
  },
  'excessive-parallel-connections': {
    severity: 'info',
    title: 'Many parallel connections to one server',
    explanation: 'One client held more connections to one server at the same time than browsers allow per host (6). Each costs a handshake, slow start and server memory.',
    advice: 'Reuse connections from a pool with a bound, or use HTTP/2 to multiplex requests over one connection.',
    doc: 'excessive-parallel-connections',
  },
  'connection-not-reused': {
    severity: 'warning',
    title: 'Connections not reused',
    explanation:
      'The client opened a new connection to the same server right after closing the previous one, request after request (Connection: close, HTTP/1.0 without keep-alive, or a pool that does not reuse). Each new connection costs a handshake round trip and starts TCP slow start again.',
    advice: 'Keep connections alive (HTTP/1.1 persistent connections, RFC 9112 §9.3) and reuse them from a pool; check for Connection: close sent by the client or the server.',
    doc: 'connection-not-reused',
  },
  'time-wait-churn': {
    severity: 'warning',
    title: 'Short-connection churn (TIME_WAIT)',
    explanation:
      'One client opened and actively closed many short connections to one server in a short time. The side that closes first keeps each connection in TIME_WAIT for 2×MSL (60 s on Linux, RFC 9293 §3.6), and with enough of them the ephemeral port range runs out.',
    advice: 'Reuse connections (keep-alive, a pool); if the server must close, let the server close first so TIME_WAIT stays on the server.',
    doc: 'time-wait-churn',
  },
  'reset-with-unread-data': {
    severity: 'error',
    title: 'Closed with unread data: RST instead of FIN',
    explanation:
      'A side closed its socket while data from the peer (here a request) was still unread in its receive buffer, so its kernel answered with RST instead of FIN (RFC 9293 §3.6, RFC 1122 §4.2.2.13). The peer sees "connection reset by peer" and may lose a response it had not read yet.',
    advice: 'Close gracefully: shut down the sending side (FIN), keep reading until the peer closes or a timeout, then close. With Connection: close, stop reading new requests only after answering the ones received.',
    doc: 'reset-with-unread-data',
  },
  'idle-close-race': {
    severity: 'warning',
    title: 'Request sent on a connection the server had closed',
    explanation:
      'The server closed an idle keep-alive connection (its idle timeout) and the client sent its next request on it at about the same time; the request was lost (RST or no answer) and had to be retried.',
    advice: 'Make the client\'s idle timeout shorter than the server\'s (or have it honour Keep-Alive: timeout), and retry idempotent requests on a new connection.',
    doc: 'idle-close-race',
  },
  'keep-alive-hang': {
    severity: 'error',
    title: 'Request hung until the connection was closed',
    explanation:
      'On a connection the client treated as persistent, a request got no response and nothing happened until the connection was closed by a timeout. A classic cause is HTTP/1.0 Keep-Alive through a proxy that does not understand it (the "dumb proxy" waits for the close to end the response), or a server that never answers.',
    advice: 'Find which hop holds the request: a proxy forwarding Connection/Keep-Alive blindly, or a stuck server. Use HTTP/1.1 persistent connections end to end and set request timeouts.',
    doc: 'keep-alive-hang',
  },
  'tcp-hol-blocking': {
    severity: 'warning',
    title: 'Data held back behind a lost segment',
    explanation:
      'Segments after a lost one had already arrived, but TCP delivers bytes in order (RFC 9293 §3.10.7.4), so the receiving application got none of them until the retransmission filled the hole. On HTTP/2 every stream on the connection waits, not only the one whose data was lost.',
    advice: 'Find where packets are lost (see the retransmission finding). Enabling SACK and a lower RTO shortens the stall; HTTP/3 (QUIC) removes cross-stream head-of-line blocking.',
    doc: 'tcp-hol-blocking',
  },
  'hop-by-hop-header-forwarded': {
    severity: 'warning',
    title: 'Hop-by-hop header forwarded',
    explanation:
      'Connection, the fields it names, Keep-Alive, Proxy-Connection, TE and Upgrade apply to one connection only; a proxy must remove them before forwarding (RFC 9110 §7.6.1). Forwarded, they make the next hop act on options meant for the first one (the "dumb proxy" keep-alive hang is one result). Proxy-Connection sent to an origin server is the same mistake.',
    advice: 'Fix the proxy to strip hop-by-hop fields (and the fields listed in Connection) when forwarding; clients should not send Proxy-Connection.',
    doc: 'hop-by-hop-header-forwarded',
  },
} as const satisfies Record<string, CatalogEntry>;

/** FindingCode is a code of the catalog. */
export type FindingCode = keyof typeof DIAGNOSTIC_CODES;
