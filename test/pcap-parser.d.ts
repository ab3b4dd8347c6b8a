// SPDX-License-Identifier: MIT
// Types for the untyped pcap-parser dev dependency (test oracle only).
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';
  const pcapParser: { parse(input: string | Readable): EventEmitter };
  export default pcapParser;
}
