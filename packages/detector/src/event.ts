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

/**
 * Which side of a pair is ours: `outbound` (our host calls out), `internal` (ours to ours:
 * lateral), `inbound` (an outside host calls in) or `external` (neither address is ours).
 */
export type PairDirection = 'outbound' | 'internal' | 'inbound' | 'external';

/**
 * What a scored pair is: `beacon` (a periodic caller), `reconnect` (a regular train of failed
 * connection attempts: an implant whose server is down or blocked) or `periodic` (matched a
 * benign baseline such as NTP).
 */
export type PairKind = 'beacon' | 'reconnect' | 'periodic';

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
   * connections at once and no flow is held open. Checked events must not carry NaN; on the
   * trusted path (`ingestBatch(..., { trusted: true })`) NaN counts as absent.
   */
  durationSec?: number;
  /**
   * Whether the source address belongs to the local network, when the source knows (Zeek's
   * `local_orig`). Absent: the detector decides from `internalNetworks`.
   */
  localOrig?: boolean;
  /** Whether the destination address is local, when the source knows (Zeek's `local_resp`). */
  localResp?: boolean;
  /**
   * The connection attempt failed: no handshake (Zeek S0, REJ, SH, ...), or reset before any
   * data (RSTO/RSTR without bytes). Absent: the detector judges TCP flow ends by their flags
   * (see `isFailedAttempt`).
   */
  failed?: boolean;
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

const PROTOCOL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['TCP', 6],
  ['UDP', 17],
  ['ICMP', 1],
  ['ICMPV6', 58],
  ['IPV6-ICMP', 58],
  ['SCTP', 132],
]);

/**
 * The protocol number of a name, the inverse of {@link protocolName}: `TCP`, `UDP`, `ICMP`,
 * `ICMPv6` (or `IPv6-ICMP`, as Suricata writes it) and `SCTP` in any case, or a number 0-255
 * as text. `undefined` for anything else.
 * @example
 * protocolNumber('tcp'); // 6
 * protocolNumber('47');  // 47
 * protocolNumber('gre'); // undefined
 */
export function protocolNumber(name: string): number | undefined {
  const known = PROTOCOL_NUMBERS.get(name) ?? (name.length <= 9 ? PROTOCOL_NUMBERS.get(name.toUpperCase()) : undefined);
  if (known !== undefined) return known;
  if (!/^\d{1,3}$/.test(name)) return undefined;
  const n = Number(name);
  return n <= 255 ? n : undefined;
}

/**
 * The pair key the detector groups by: source, destination, destination port and protocol,
 * as `src->dst:port/PROTO` (IPv6 addresses in brackets).
 */
export function pairKey(srcIp: string, dstIp: string, dstPort: number, protocol: number): string {
  const v6 = dstIp.includes(':');
  // joined rather than concatenated: V8 keeps a concatenation as a tree of parts (six objects
  // for a key that lives as long as its pair), a join as one flat string
  return [srcIp, v6 ? '->[' : '->', dstIp, v6 ? ']:' : ':', dstPort, '/', protocolName(protocol)].join('');
}

/** Zeek connection states in which the TCP handshake never completed. */
const NO_HANDSHAKE: ReadonlySet<string> = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);
const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/**
 * Whether an event records a failed connection attempt. An explicit `failed` wins, then a
 * `connState` (S0, REJ, RSTOS0, RSTRH, SH, SHR, OTH; RSTO/RSTR without payload). Otherwise a
 * TCP `flow_end` (or a whole-connection `flow_start` with `durationSec`, as from a Zeek row)
 * counts as failed when it carried no payload, no FIN, and either a RST (refused or reset
 * before data) or no ACK at all (the SYN went unanswered).
 * @example isFailedAttempt({ ...e, kind: 'flow_end', protocol: 6, tcpFlags: 0x02, bytes: 0 }) // true
 */
export function isFailedAttempt(e: Pick<ConnectionEvent, 'protocol' | 'kind' | 'tcpFlags' | 'bytes' | 'failed' | 'durationSec' | 'connState'>): boolean {
  if (e.failed !== undefined) return e.failed;
  if (e.protocol !== 6) return false;
  const st = e.connState;
  if (st !== undefined) return NO_HANDSHAKE.has(st) || ((st === 'RSTO' || st === 'RSTR') && e.bytes === 0);
  if (e.bytes !== 0) return false;
  // (NaN, as readers that reuse event objects write for an absent duration, is absent)
  if (e.kind !== 'flow_end' && !(e.kind === 'flow_start' && e.durationSec !== undefined && e.durationSec === e.durationSec)) return false;
  const f = e.tcpFlags;
  if ((f & SYN) === 0 || (f & FIN) !== 0) return false;
  return (f & RST) !== 0 || (f & ACK) === 0;
}
