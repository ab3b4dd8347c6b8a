// SPDX-License-Identifier: MIT
//
// PacketDecoder: one capture record in, one plain DecodedPacket out, from the
// link layer down to TCP/UDP. Decoding is lenient (like etherparse's
// LaxSlicedPacket): each layer that decodes is kept, and `error` says where
// and why decoding stopped. The decoder is stateful only because of IP
// fragment reassembly and the per-capture counters.
//
// Call order: `decode(record)` for every record in file order, then `finish()`
// once; `counters` and `warnings` can be read at any time.
//
// Lifetime: `payload` views in a DecodedPacket point into `record.bytes` and
// are valid only until the next record is read, except for datagrams
// completed by reassembly, whose payload the decoder allocated.

import type { CaptureRecord } from '../capture/captureRecord.js';
import type { DecodeError } from './decoded.js';
import type { IpReassemblyOptions, ReassemblyResult } from './ipReassembly.js';
import { IpReassembler } from './ipReassembly.js';
import { IpProtocol } from './ipProtocol.js';
import type { IpLengthStatus } from './ipv4.js';
import { Ipv4View } from './ipv4.js';
import { Ipv6View, walkIpv6Extensions } from './ipv6.js';
import { decodeLink } from './link.js';
import type { LinkLayer } from './linkLayer.js';
import { NO_VLANS } from './linkLayer.js';
import type { TcpOptions } from './tcp.js';
import { TcpView } from './tcp.js';
import { UdpView } from './udp.js';

const NO_EXTENSION_HEADERS: readonly number[] = Object.freeze([]);

/** FragmentStatus says what happened to a fragment: held for reassembly, completed a datagram, or was not reassembled. */
export type FragmentStatus =
  /** Kept until the rest of its datagram arrives; nothing above IP is decoded for this packet. */
  | 'held'
  /** This fragment completed its datagram; the transport layer was decoded from the reassembled payload. */
  | 'reassembled'
  /** An IPv6 atomic fragment (offset 0, M = 0): a whole datagram, decoded as is (RFC 6946). */
  | 'atomic'
  /** An exact repeat of bytes already held; ignored. */
  | 'duplicate'
  /** Not kept: see `reason` (bad length, overlap under RFC 5722, snapped fragment...). */
  | 'dropped'
  /** Reassembly is turned off. */
  | 'notReassembled';

/** FragmentInfo describes the fragment header of a packet and what reassembly did with it. */
export interface FragmentInfo {
  /** IPv4 Identification (16-bit) or IPv6 Fragment header Identification (32-bit). */
  identification: number;
  offsetBytes: number;
  moreFragments: boolean;
  status: FragmentStatus;
  /** For `reassembled`: the frames of every fragment of the datagram, in arrival order; else just this frame. */
  frames: readonly number[];
  /** For `dropped`: why. */
  reason: string | undefined;
}

/** NetworkLayer is the decoded IPv4 or IPv6 header of a packet. */
export interface NetworkLayer {
  version: 4 | 6;
  /** Source address: dotted quad, or RFC 5952 text for IPv6. */
  src: string;
  dst: string;
  /** Upper-layer protocol: IPv4 Protocol, or the Next Header that ended the IPv6 extension-header walk. */
  protocol: number;
  /** IPv4 TTL or IPv6 Hop Limit. */
  ttl: number;
  /** Offset of the IP header from the start of the packet. */
  headerOffset: number;
  /** IP header bytes: IHL × 4 for IPv4, 40 plus the extension headers walked for IPv6. */
  headerLength: number;
  /** Datagram length from the header (IPv4 Total Length, IPv6 40 + Payload Length), or the captured length for TSO, or the wire length when the header claims more (`overlong`). */
  totalLength: number;
  lengthStatus: IpLengthStatus;
  /** IPv4 Identification; for IPv6 the Fragment header's, when there is one. */
  identification: number | undefined;
  /** IPv6 extension header types in order (empty for IPv4). */
  extensionHeaders: readonly number[];
  /** Present when the packet is a fragment (IPv4 MF or offset, or an IPv6 Fragment header). */
  fragment: FragmentInfo | undefined;
}

/** TcpSegment is a decoded TCP header with a view of its captured payload. */
export interface TcpSegment {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  /** Sequence number, unsigned 32-bit. */
  seq: number;
  /** Acknowledgment number, unsigned 32-bit. */
  ack: number;
  /** TcpFlag bit field. */
  flags: number;
  /** Window field before scaling. */
  window: number;
  urgentPointer: number;
  options: TcpOptions;
  headerLength: number;
  /** Payload length from the IP length fields; may exceed `payload.length` when the capture was snapped. */
  payloadLength: number;
  /** The captured payload bytes (see the lifetime note at the top of packet.ts). */
  payload: Uint8Array;
  /** Offset of the payload from the start of the packet; undefined when it comes from a reassembled datagram. */
  payloadOffset: number | undefined;
}

/** UdpDatagram is a decoded UDP header. */
export interface UdpDatagram {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  /** UDP Length field (header included). */
  length: number;
  payloadLength: number;
  payload: Uint8Array;
  payloadOffset: number | undefined;
}

/** OtherTransport is an upper-layer protocol that is not decoded (ICMP, ESP, GRE, 59 no next header...). */
export interface OtherTransport {
  kind: 'other';
  protocol: number;
}

/** TransportLayer is whatever follows IP. */
export type TransportLayer = TcpSegment | UdpDatagram | OtherTransport;

/** DecodedPacket is one record decoded as far as possible; layers that did not decode are undefined. */
export interface DecodedPacket {
  frame: number;
  tsSec: number;
  tsNanos: number;
  /** False when the record carries no time (pcapng Simple Packet Block). */
  hasTimestamp: boolean;
  capturedLength: number;
  originalLength: number;
  linkType: number;
  interfaceId: number;
  fileOffset: number;
  /** Link layer, or undefined when it failed to decode. */
  link: LinkLayer | undefined;
  /** VLAN ids, outermost first (same array as `link.vlanIds`). */
  vlanIds: readonly number[];
  network: NetworkLayer | undefined;
  transport: TransportLayer | undefined;
  /**
   * Where decoding stopped, if it did: everything above is valid. Offsets count from the start of the
   * packet; for a reassembled datagram they count as if the reassembled payload followed this packet's IP header.
   */
  error: DecodeError | undefined;
}

/** PacketCounters are per-capture totals a CLI can print. */
export interface PacketCounters {
  packets: number;
  ipv4: number;
  ipv6: number;
  /** Packets whose link layer announced something other than IP (ARP, LLC...). */
  otherNetwork: number;
  tcp: number;
  udp: number;
  /** Packets whose IP payload is another protocol. */
  otherTransport: number;
  /** Packets that are IP fragments (atomic IPv6 fragments included). */
  fragments: number;
  /** Datagrams completed by reassembly. */
  reassembled: number;
  /** Fragments not kept (see FragmentInfo.reason). */
  fragmentsDropped: number;
  /** Datagrams discarded incomplete (timeout, eviction, overlap, end of capture). */
  datagramsDiscarded: number;
  /** Packets whose decoding stopped with an error, by DecodeError.layer. */
  errors: Record<string, number>;
}

/** PacketDecoderOptions configures a PacketDecoder. */
export interface PacketDecoderOptions {
  /** Reassemble IP fragments (default true). */
  reassemble?: boolean;
  reassembly?: Omit<IpReassemblyOptions, 'onDiscard'>;
}

/** PacketDecoder is the stateful per-capture decoder from capture records to DecodedPackets. */
export class PacketDecoder {
  /** Per-capture totals, updated by every `decode` call. */
  readonly counters: PacketCounters = {
    packets: 0,
    ipv4: 0,
    ipv6: 0,
    otherNetwork: 0,
    tcp: 0,
    udp: 0,
    otherTransport: 0,
    fragments: 0,
    reassembled: 0,
    fragmentsDropped: 0,
    datagramsDiscarded: 0,
    errors: {},
  };
  private readonly reassembler: IpReassembler | undefined;
  /** Unsupported-feature messages ("link type 147 not decoded") with their packet counts, for once-per-capture warnings. */
  private readonly unsupported = new Map<string, number>();
  private readonly discardReasons = new Map<string, number>();
  /** Capture time of the latest record that had one, in seconds. */
  private timeSec = 0;

  constructor(options: PacketDecoderOptions = {}) {
    this.reassembler =
      options.reassemble === false
        ? undefined
        : new IpReassembler({
            ...options.reassembly,
            onDiscard: (d) => {
              this.counters.datagramsDiscarded++;
              const key = `IPv${d.version} ${d.reason}`;
              this.discardReasons.set(key, (this.discardReasons.get(key) ?? 0) + 1);
            },
          });
  }

  /**
   * Once-per-capture warnings, e.g. "link type 147 not decoded (12 packets)", in first-seen order;
   * computed on each read.
   */
  get warnings(): string[] {
    const warnings: string[] = [];
    for (const [message, count] of this.unsupported) warnings.push(`${message} (${count} ${count === 1 ? 'packet' : 'packets'})`);
    for (const [key, count] of this.discardReasons) {
      warnings.push(`${count} fragmented ${key.slice(0, 4)} ${count === 1 ? 'datagram' : 'datagrams'} discarded incomplete (${key.slice(5)})`);
    }
    return warnings;
  }

  /** finish ends the capture: datagrams still waiting for fragments are discarded and counted. */
  finish(): void {
    this.reassembler?.flush();
  }

  /** decode decodes one record; it never throws for bad packet bytes. */
  decode(record: CaptureRecord): DecodedPacket {
    const counters = this.counters;
    counters.packets++;
    const bytes = record.bytes;
    const packet: DecodedPacket = {
      frame: record.frame,
      tsSec: record.tsSec,
      tsNanos: record.tsNanos,
      hasTimestamp: record.hasTimestamp,
      capturedLength: record.capturedLength,
      originalLength: record.originalLength,
      linkType: record.linkType,
      interfaceId: record.interfaceId,
      fileOffset: record.fileOffset,
      link: undefined,
      vlanIds: NO_VLANS,
      network: undefined,
      transport: undefined,
      error: undefined,
    };
    // Records without a time (pcapng Simple Packet Blocks) reuse the last known time, so they neither expire nor rejuvenate fragments.
    if (record.hasTimestamp) this.timeSec = record.tsSec + record.tsNanos / 1e9;
    const reassembler = this.reassembler;
    if (reassembler !== undefined && reassembler.pendingCount > 0) reassembler.expire(this.timeSec);

    const link = decodeLink(record.linkType, bytes, record.originalLength);
    if (!link.ok) return this.stop(packet, link.error);
    packet.link = link.value;
    packet.vlanIds = link.value.vlanIds;
    const { network, networkOffset, networkEnd } = link.value;
    if (network === 'other') {
      counters.otherNetwork++;
      return packet;
    }
    const ipBytes = bytes.subarray(networkOffset, networkEnd);
    // Bytes the datagram can have had on the wire: what the link layer delimits plus what the snap length cut off.
    const wireLength = ipBytes.length + Math.max(0, record.originalLength - record.capturedLength);
    if (network === 'ipv4') return this.decodeIpv4(packet, record, ipBytes, networkOffset, wireLength);
    return this.decodeIpv6(packet, record, ipBytes, networkOffset, wireLength);
  }

  private decodeIpv4(packet: DecodedPacket, record: CaptureRecord, ipBytes: Uint8Array, offset: number, wireLength: number): DecodedPacket {
    const decoded = Ipv4View.tryFrom(ipBytes, offset, wireLength);
    if (!decoded.ok) return this.stop(packet, decoded.error);
    const ip = decoded.value;
    this.counters.ipv4++;
    const net: NetworkLayer = {
      version: 4,
      src: ip.src,
      dst: ip.dst,
      protocol: ip.protocol,
      ttl: ip.ttl,
      headerOffset: offset,
      headerLength: ip.headerLength,
      totalLength: ip.totalLength,
      lengthStatus: ip.lengthStatus,
      identification: ip.identification,
      extensionHeaders: NO_EXTENSION_HEADERS,
      fragment: undefined,
    };
    packet.network = net;
    const payloadOffset = offset + ip.headerLength;
    if (!ip.isFragment) return this.decodeTransport(packet, ip.protocol, ip.payload, ip.payloadLength, payloadOffset, true);

    // RFC 791 §3.2: reassemble by (src, dst, protocol, identification).
    this.counters.fragments++;
    const fragment: FragmentInfo = {
      identification: ip.identification,
      offsetBytes: ip.fragmentOffsetBytes,
      moreFragments: ip.moreFragments,
      status: 'held',
      frames: [record.frame],
      reason: undefined,
    };
    net.fragment = fragment;
    if (this.reassembler === undefined) return this.notReassembled(packet, fragment, ip.protocol, ip.payload, ip.payloadLength, payloadOffset);
    if (ip.lengthStatus === 'snapped' || ip.lengthStatus === 'overlong') return this.incompleteFragment(packet, fragment, ip.lengthStatus);
    const result = this.reassembler.add({
      version: 4,
      src: net.src,
      dst: net.dst,
      identification: fragment.identification,
      protocol: ip.protocol,
      offsetBytes: fragment.offsetBytes,
      moreFragments: fragment.moreFragments,
      payload: ip.payload,
      frame: record.frame,
      timeSec: this.timeSec,
    });
    return this.afterReassembly(packet, fragment, result, payloadOffset);
  }

  private decodeIpv6(packet: DecodedPacket, record: CaptureRecord, ipBytes: Uint8Array, offset: number, wireLength: number): DecodedPacket {
    const decoded = Ipv6View.tryFrom(ipBytes, offset, wireLength);
    if (!decoded.ok) return this.stop(packet, decoded.error);
    const ip = decoded.value;
    this.counters.ipv6++;
    const frag = ip.fragment;
    const net: NetworkLayer = {
      version: 6,
      src: ip.src,
      dst: ip.dst,
      protocol: ip.protocol,
      ttl: ip.hopLimit,
      headerOffset: offset,
      headerLength: ip.headerLength,
      totalLength: ip.totalLength,
      lengthStatus: ip.lengthStatus,
      identification: frag?.identification,
      extensionHeaders: ip.extensionHeaders,
      fragment: undefined,
    };
    packet.network = net;
    if (ip.extensionError !== undefined) return this.stop(packet, ip.extensionError);
    const payloadOffset = offset + ip.headerLength;
    if (frag === undefined) return this.decodeTransport(packet, ip.protocol, ip.payload, ip.payloadLength, payloadOffset, true);

    this.counters.fragments++;
    const fragment: FragmentInfo = {
      identification: frag.identification,
      offsetBytes: frag.offsetBytes,
      moreFragments: frag.moreFragments,
      status: frag.atomic ? 'atomic' : 'held',
      frames: [record.frame],
      reason: undefined,
    };
    net.fragment = fragment;
    // RFC 6946 §4: an atomic fragment is a whole datagram; the walk already continued past its header.
    if (frag.atomic) return this.decodeTransport(packet, ip.protocol, ip.payload, ip.payloadLength, payloadOffset, true);
    if (this.reassembler === undefined) return this.notReassembled(packet, fragment, ip.protocol, ip.payload, ip.payloadLength, payloadOffset);
    if (ip.lengthStatus === 'snapped' || ip.lengthStatus === 'overlong') return this.incompleteFragment(packet, fragment, ip.lengthStatus);
    // RFC 8200 §4.5: reassemble by (src, dst, identification); the fragment's data follows its header.
    const result = this.reassembler.add({
      version: 6,
      src: net.src,
      dst: net.dst,
      identification: frag.identification,
      protocol: frag.nextHeader,
      offsetBytes: frag.offsetBytes,
      moreFragments: frag.moreFragments,
      payload: ip.payload,
      frame: record.frame,
      timeSec: this.timeSec,
    });
    return this.afterReassembly(packet, fragment, result, payloadOffset);
  }

  private afterReassembly(packet: DecodedPacket, fragment: FragmentInfo, result: ReassemblyResult, payloadOffset: number): DecodedPacket {
    switch (result.status) {
      case 'held':
        return packet;
      case 'duplicate':
        fragment.status = 'duplicate';
        return packet;
      case 'dropped':
        fragment.status = 'dropped';
        fragment.reason = result.reason;
        this.counters.fragmentsDropped++;
        return packet;
      case 'complete': {
        this.counters.reassembled++;
        const datagram = result.datagram;
        fragment.status = 'reassembled';
        fragment.frames = datagram.frames;
        const net = packet.network!;
        let protocol = datagram.protocol;
        let payload = datagram.payload;
        if (datagram.version === 6) {
          // The fragmentable part may start with more extension headers (e.g. destination options).
          const walk = walkIpv6Extensions(payload, 0, protocol, payload.length, payload.length, payloadOffset, false);
          if (walk.headers.length > 0) net.extensionHeaders = net.extensionHeaders.concat(walk.headers);
          net.protocol = walk.protocol;
          if (walk.error !== undefined) return this.stop(packet, walk.error);
          net.headerLength += walk.offset;
          protocol = walk.protocol;
          payload = payload.subarray(walk.offset);
          payloadOffset += walk.offset;
        }
        net.protocol = protocol;
        return this.decodeTransport(packet, protocol, payload, payload.length, payloadOffset, false);
      }
    }
  }

  private notReassembled(
    packet: DecodedPacket,
    fragment: FragmentInfo,
    protocol: number,
    payload: Uint8Array,
    payloadLength: number,
    payloadOffset: number,
  ): DecodedPacket {
    fragment.status = 'notReassembled';
    // Only the first fragment starts with the transport header, and its lengths describe the whole datagram.
    if (fragment.offsetBytes === 0) return this.decodeTransport(packet, protocol, payload, payloadLength, payloadOffset, true, true);
    return packet;
  }

  private incompleteFragment(packet: DecodedPacket, fragment: FragmentInfo, status: IpLengthStatus): DecodedPacket {
    // Reassembling with missing bytes would invent data; the datagram will expire incomplete instead.
    fragment.status = 'dropped';
    fragment.reason =
      status === 'snapped' ? 'fragment was cut short by the capture snap length' : 'fragment length field exceeds the packet length on the wire';
    this.counters.fragmentsDropped++;
    return packet;
  }

  private decodeTransport(
    packet: DecodedPacket,
    protocol: number,
    payload: Uint8Array,
    payloadLength: number,
    payloadOffset: number,
    inPacket: boolean,
    firstFragmentOnly = false,
  ): DecodedPacket {
    if (protocol === IpProtocol.TCP) {
      // For a lone first fragment, payloadLength counts only the bytes of this fragment.
      const decoded = TcpView.tryFrom(payload, payloadOffset, payloadLength);
      if (!decoded.ok) return this.stop(packet, decoded.error);
      const tcp = decoded.value;
      this.counters.tcp++;
      packet.transport = {
        kind: 'tcp',
        srcPort: tcp.srcPort,
        dstPort: tcp.dstPort,
        seq: tcp.seq,
        ack: tcp.ack,
        flags: tcp.flags,
        window: tcp.window,
        urgentPointer: tcp.urgentPointer,
        options: tcp.parseOptions(),
        headerLength: tcp.headerLength,
        payloadLength: tcp.payloadLength,
        payload: tcp.payload,
        payloadOffset: inPacket ? payloadOffset + tcp.headerLength : undefined,
      };
      // Options cut by the snap length: the fixed header is kept, and the truncation is where decoding stopped.
      if (tcp.truncation !== undefined) return this.stop(packet, tcp.truncation);
      return packet;
    }
    if (protocol === IpProtocol.UDP) {
      // A lone first fragment holds only part of the datagram the UDP length describes.
      const decoded = UdpView.tryFrom(payload, payloadOffset, firstFragmentOnly ? 0xffff : payloadLength);
      if (!decoded.ok) return this.stop(packet, decoded.error);
      const udp = decoded.value;
      this.counters.udp++;
      packet.transport = {
        kind: 'udp',
        srcPort: udp.srcPort,
        dstPort: udp.dstPort,
        length: udp.length,
        payloadLength: udp.payloadLength,
        payload: udp.payload,
        payloadOffset: inPacket ? payloadOffset + 8 : undefined,
      };
      return packet;
    }
    this.counters.otherTransport++;
    packet.transport = { kind: 'other', protocol };
    return packet;
  }

  private stop(packet: DecodedPacket, error: DecodeError): DecodedPacket {
    packet.error = error;
    const errors = this.counters.errors;
    errors[error.layer] = (errors[error.layer] ?? 0) + 1;
    if (error.kind === 'unsupported') this.unsupported.set(error.message, (this.unsupported.get(error.message) ?? 0) + 1);
    return packet;
  }
}
