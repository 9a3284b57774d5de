/**
 * The connection event: the one record every source (live probe, Zeek log, pcap, telemetry)
 * produces and the detector consumes. Plain objects on the hot path; {@link connectionEventSchema}
 * validates them at the boundaries.
 */

/** What happened on the flow. */
export type EventKind =
  /** The first packet of a flow (a new connection). */
  | 'flow_start'
  /** The first packet after an idle gap inside a flow: an activity burst on a long connection. */
  | 'burst'
  /** The flow ended (FIN/RST, or evicted after being idle). */
  | 'flow_end';

/** Direction of the first packet relative to the observing host. */
export type Direction = 'ingress' | 'egress' | 'unknown';

/** IANA protocol numbers used throughout Beacon. */
export const Protocol = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** One connection event. Addresses are canonical text (dotted IPv4, RFC 5952 IPv6). */
export interface ConnectionEvent {
  /** Wall-clock time, whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within `tsSec`, 0 to 999,999,999. Together they give nanosecond precision. */
  tsNsec: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  /** IANA protocol number: 6 TCP, 17 UDP, others by number. */
  protocol: number;
  direction: Direction;
  /** Payload bytes the event accounts for (for a flow start, the bytes known so far). */
  bytes: number;
  /** Packets the event accounts for. */
  packets: number;
  /** Bitwise OR of the TCP flags seen (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20). */
  tcpFlags: number;
  kind: EventKind;
  /** Identifier of the node (data plane, agent or file) the event came from. */
  node: string;
  /**
   * For `flow_end`: how long the flow was open, in seconds. On a `flow_start` it makes the event
   * a whole connection in one record (a Zeek conn.log row): the duration counts for long
   * connections at once and no flow is held open.
   */
  durationSec?: number;
  /**
   * Connection state of a whole-connection record in Zeek's `conn_state` vocabulary (`S0`, `REJ`,
   * `SF`, `RSTO`, `RSTR`, `S1`, `OTH`, ...), when the source knows it: failed attempts (`S0`,
   * `REJ`, `RSTOS0`) are what a reconnect loop leaves behind.
   */
  connState?: string;
  /**
   * A server name seen on this flow (TLS SNI, HTTP Host, or the DNS name its destination was
   * answered for), when the source knows it. The detector also keys pairs by it:
   * (src, server name, dst port, protocol), so a beacon rotating over several addresses of one
   * name is one pair.
   */
  serverName?: string;
}

/** An event's time as fractional seconds since the epoch (microsecond precision). */
export function eventTime(event: Pick<ConnectionEvent, 'tsSec' | 'tsNsec'>): number {
  return event.tsSec + event.tsNsec / 1e9;
}

/** Splits fractional epoch seconds into the event's `tsSec`/`tsNsec` pair. */
export function splitTime(seconds: number): { tsSec: number; tsNsec: number } {
  const tsSec = Math.floor(seconds);
  const tsNsec = Math.min(999_999_999, Math.max(0, Math.round((seconds - tsSec) * 1e9)));
  return { tsSec, tsNsec };
}

/** Short protocol name: TCP, UDP, ICMP, or the number as text. */
export function protocolName(protocol: number): string {
  switch (protocol) {
    case 6:
      return 'TCP';
    case 17:
      return 'UDP';
    case 1:
      return 'ICMP';
    case 58:
      return 'ICMPv6';
    default:
      return String(protocol);
  }
}

/**
 * The pair key the detector groups by: source, destination, destination port and protocol,
 * as `src->dst:port/PROTO` (IPv6 addresses in brackets).
 */
export function pairKey(srcIp: string, dstIp: string, dstPort: number, protocol: number): string {
  const dst = dstIp.includes(':') ? `[${dstIp}]` : dstIp;
  return `${srcIp}->${dst}:${dstPort}/${protocolName(protocol)}`;
}
