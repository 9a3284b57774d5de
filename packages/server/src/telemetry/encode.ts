import { randomUUID } from 'node:crypto';
import { protocolName, type ConnectionEvent } from '@beacon/detector';
import type { DataPlaneStats, TelemetryEvent } from './wire.js';

const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'FIN'],
  [0x02, 'SYN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
];

/** Converts a connection event to the original's wire event (with our optional fields). */
export function toTelemetryEvent(e: ConnectionEvent): TelemetryEvent {
  const ns = BigInt(e.tsSec) * 1_000_000_000n + BigInt(e.tsNsec);
  const proto = protocolName(e.protocol);
  const dst = e.dstIp.includes(':') ? `[${e.dstIp}]` : e.dstIp;
  const src = e.srcIp.includes(':') ? `[${e.srcIp}]` : e.srcIp;
  const out: TelemetryEvent = {
    timestamp_ns: Number(ns),
    timestamp_utc: new Date(e.tsSec * 1000 + Math.floor(e.tsNsec / 1e6)).toISOString(),
    src_ip: e.srcIp,
    dst_ip: e.dstIp,
    src_port: e.srcPort,
    dst_port: e.dstPort,
    packet_size: e.bytes,
    protocol: e.protocol,
    protocol_name: proto,
    tcp_flags: e.tcpFlags,
    tcp_flags_list: FLAG_NAMES.filter(([bit]) => (e.tcpFlags & bit) !== 0).map(([, name]) => name),
    direction: e.direction === 'ingress' ? 0 : 1,
    direction_name: e.direction === 'ingress' ? 'INGRESS' : 'EGRESS',
    node_id: e.node,
    connection_key: `${src}:${e.srcPort}->${dst}:${e.dstPort}/${proto}`,
    kind: e.kind,
    packets: e.packets,
  };
  // A float cannot carry every nanosecond of a current epoch; send the exact decimal then.
  if (!Number.isSafeInteger(out.timestamp_ns as number)) out.timestamp_ns = ns.toString();
  if (e.durationSec !== undefined) out.duration_seconds = e.durationSec;
  if (e.serverName !== undefined) out.server_name = e.serverName;
  return out;
}

/** Options of {@link encodeTelemetryBatches}. */
export interface EncodeOptions {
  nodeId: string;
  /** Drop counters to report with every batch (cumulative since the data plane started). */
  stats?: DataPlaneStats;
  /**
   * Largest JSON body in bytes; events are split over as many batches as needed.
   * @default 1048576
   */
  maxBytes?: number;
}

/**
 * Serialises events into one or more telemetry batch bodies (JSON text), none larger than
 * `maxBytes`, so a big export is never refused as a whole.
 * @throws RangeError when `maxBytes` cannot hold even one event
 */
export function encodeTelemetryBatches(events: readonly ConnectionEvent[], options: EncodeOptions): string[] {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const bodies: string[] = [];
  let parts: string[] = [];
  let size = 0;
  let tcp = 0;
  let udp = 0;
  let keys = new Set<string>();
  const envelopeReserve = 512;
  const flush = (): void => {
    if (parts.length === 0) return;
    const head = {
      batch_id: randomUUID(),
      node_id: options.nodeId,
      created_at: new Date().toISOString(),
      event_count: parts.length,
      tcp_count: tcp,
      udp_count: udp,
      unique_connections: keys.size,
      data_plane_stats: options.stats ?? { events_dropped_ebpf: 0, events_dropped_overflow: 0 },
    };
    const json = JSON.stringify(head);
    bodies.push(`${json.slice(0, -1)},"events":[${parts.join(',')}]}`);
    parts = [];
    size = 0;
    tcp = 0;
    udp = 0;
    keys = new Set();
  };
  for (const event of events) {
    const wire = toTelemetryEvent(event);
    const text = JSON.stringify(wire);
    if (text.length + envelopeReserve > maxBytes) throw new RangeError(`maxBytes ${maxBytes} cannot hold one event (${text.length} bytes)`);
    if (size + text.length + 1 + envelopeReserve > maxBytes) flush();
    parts.push(text);
    size += text.length + 1;
    if (event.protocol === 6) tcp++;
    else if (event.protocol === 17) udp++;
    keys.add(wire.connection_key ?? '');
  }
  flush();
  return bodies;
}
