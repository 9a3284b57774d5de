import type { ConnectionEvent } from '@beacon/detector';
import { canonicalIp, protocolNumber } from '@beacon/detector';
import { eveConnState } from '../eveConnState.js';
import { EveTimeParser, type EveTime } from './eveTime.js';
import { resetFields, type FlowFields } from './flowFields.js';

/** Protocol number of an EVE `proto` (`TCP`, `UDP`, `ICMP`, `IPv6-ICMP`, `SCTP`, or a number as text), -1 when it is none. */
export function eveProtocol(proto: unknown): number {
  if (typeof proto === 'string') return protocolNumber(proto) ?? -1;
  return typeof proto === 'number' && Number.isInteger(proto) && proto >= 0 && proto <= 255 ? proto : -1;
}

/** A JSON count: -2 absent, -1 not a non-negative integer. */
function count(v: unknown): number {
  if (v === undefined) return -2;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : -1;
}

/** `tcp_flags` hex text (one byte) as a number; -2 absent, -1 invalid. */
export function hexFlags(v: unknown): number {
  if (v === undefined) return -2;
  if (typeof v !== 'string' || v.length === 0 || v.length > 2) return -1;
  const n = Number.parseInt(v, 16);
  return Number.isNaN(n) || !/^[0-9a-fA-F]+$/.test(v) ? -1 : n;
}

function ip(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? (canonicalIp(v) ?? null) : null;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v === undefined ? undefined : '';
}

/** Fills `f` from a parsed EVE record (the slow path, for lines the byte scanner declines). */
export function fieldsFromRow(row: Record<string, unknown>, f: FlowFields): void {
  resetFields(f);
  f.startAt = 0;
  f.endAt = 0;
  f.protoText = typeof row.proto === 'string' ? row.proto : JSON.stringify(row.proto);
  f.protocol = eveProtocol(row.proto);
  f.srcIp = ip(row.src_ip);
  f.dstIp = ip(row.dest_ip);
  f.srcPort = count(row.src_port);
  f.dstPort = count(row.dest_port);
  const flow = row.flow as Record<string, unknown> | undefined;
  if (typeof flow === 'object' && flow !== null && !Array.isArray(flow)) {
    f.hasFlow = true;
    const start = str(flow.start);
    if (start !== undefined) {
      f.startBuf = Buffer.from(start, 'utf8');
      f.startEnd = f.startBuf.length;
    }
    const end = str(flow.end);
    if (end !== undefined) {
      f.endBuf = Buffer.from(end, 'utf8');
      f.endEnd = f.endBuf.length;
    }
    f.pktsToServer = count(flow.pkts_toserver);
    f.pktsToClient = count(flow.pkts_toclient);
    f.bytesToServer = count(flow.bytes_toserver);
    f.bytesToClient = count(flow.bytes_toclient);
  }
  const tcp = row.tcp as Record<string, unknown> | undefined;
  if (typeof tcp === 'object' && tcp !== null && !Array.isArray(tcp)) {
    f.hasTcp = true;
    f.tcpFlags = hexFlags(tcp.tcp_flags);
    f.flagsToServer = hexFlags(tcp.tcp_flags_ts);
    f.flagsToClient = hexFlags(tcp.tcp_flags_tc);
  }
}

/** Outcome of {@link EveFlowParser.build}: an event, a skip (protocol not TCP/UDP/ICMP), or an error naming the field. */
export type FlowResult = ConnectionEvent | 'skip' | string;

/**
 * Turns the fields of one EVE `flow` record into the whole-connection event a Zeek conn.log row
 * also becomes: a `flow_start` at `flow.start` with `durationSec` = `flow.end - flow.start`,
 * `bytes`/`packets` = `bytes_toserver`/`pkts_toserver`, the OR of the TCP flags, and
 * `connState` from the flags each way. Errors are strings naming the field path.
 */
export class EveFlowParser {
  private readonly time = new EveTimeParser();
  private readonly start: EveTime = { sec: 0, nsec: 0 };
  private readonly end: EveTime = { sec: 0, nsec: 0 };
  private readonly node: string;

  constructor(node: string) {
    this.node = node;
  }

  /**
   * `serverName` is asked for the flow's name only once the record is known to be good (so a
   * damaged record never takes a pending name); the name goes into the event literal itself,
   * which keeps every event one allocation of one shape.
   */
  build(f: FlowFields, serverName?: () => string | undefined): FlowResult {
    if (!f.hasFlow) return 'flow: missing or not an object';
    const protocol = f.protocol;
    if (protocol < 0) return `proto: unknown value ${f.protoText === undefined ? 'undefined' : JSON.stringify(f.protoText)}`;
    if (protocol !== 6 && protocol !== 17 && protocol !== 1 && protocol !== 58) return 'skip';
    const srcIp = f.srcIp;
    if (typeof srcIp !== 'string') return 'src_ip: not an IP address';
    const dstIp = f.dstIp;
    if (typeof dstIp !== 'string') return 'dest_ip: not an IP address';
    // ICMP records carry icmp_type/icmp_code instead of ports.
    const srcPort = f.srcPort === -2 ? 0 : f.srcPort;
    if (srcPort < 0 || srcPort > 65535) return 'src_port: not a port number';
    const dstPort = f.dstPort === -2 ? 0 : f.dstPort;
    if (dstPort < 0 || dstPort > 65535) return 'dest_port: not a port number';
    if (f.startBuf === undefined || !this.time.parseBytes(f.startBuf, f.startAt, f.startEnd, this.start)) return 'flow.start: not an EVE time (2024-03-01T12:00:05.123456+0000)';
    const hasEnd = f.endBuf !== undefined;
    if (f.endBuf !== undefined && !this.time.parseBytes(f.endBuf, f.endAt, f.endEnd, this.end)) return 'flow.end: not an EVE time';
    if (f.bytesToServer === -1) return 'flow.bytes_toserver: not a count';
    if (f.pktsToServer === -1) return 'flow.pkts_toserver: not a count';
    if (f.pktsToClient === -1) return 'flow.pkts_toclient: not a count';
    if (f.bytesToClient === -1) return 'flow.bytes_toclient: not a count';
    const bytes = Math.max(0, f.bytesToServer);
    const packets = Math.max(0, f.pktsToServer);
    let tcpFlags = 0;
    let ts = 0;
    let tc = 0;
    if (protocol === 6 && f.hasTcp) {
      if (f.tcpFlags === -1) return 'tcp.tcp_flags: not a hex byte';
      if (f.flagsToServer === -1) return 'tcp.tcp_flags_ts: not a hex byte';
      if (f.flagsToClient === -1) return 'tcp.tcp_flags_tc: not a hex byte';
      ts = Math.max(0, f.flagsToServer);
      tc = Math.max(0, f.flagsToClient);
      tcpFlags = Math.max(0, f.tcpFlags) | ts | tc;
    }
    const s = this.start;
    let durationSec = -1;
    if (hasEnd) {
      // Whole nanoseconds first, so 0.01 s stays 0.01 rather than 0.010000000000000009.
      durationSec = ((this.end.sec - s.sec) * 1e9 + (this.end.nsec - s.nsec)) / 1e9;
      if (durationSec < 0) return 'flow.end: before flow.start';
    }
    const connState = eveConnState(protocol, ts, tc, packets, Math.max(0, f.pktsToClient));
    const name = serverName?.();
    const tsSec = s.sec;
    const tsNsec = s.nsec;
    const node = this.node;
    const kind = 'flow_start';
    const direction = 'unknown';
    let e: ConnectionEvent;
    if (hasEnd) {
      e =
        name === undefined
          ? { tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags, kind, node, durationSec, connState }
          : { tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags, kind, node, durationSec, connState, serverName: name };
    } else {
      e =
        name === undefined
          ? { tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags, kind, node, connState }
          : { tsSec, tsNsec, srcIp, dstIp, srcPort, dstPort, protocol, direction, bytes, packets, tcpFlags, kind, node, connState, serverName: name };
    }
    return e;
  }
}
