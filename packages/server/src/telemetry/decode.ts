import { isIP } from 'node:net';
import type { ConnectionEvent, EventKind } from '@beacon/detector';
import type { DataPlaneStats } from './wire.js';

/** One rejected event: where it was in the batch and what was wrong. */
export interface RejectedEvent {
  /** Path of the bad field, e.g. `events[12].src_ip`. */
  path: string;
  message: string;
}

/** The result of {@link decodeTelemetry}: the good events, and every rejection. */
export interface DecodedTelemetry {
  batchId: string;
  nodeId: string;
  events: ConnectionEvent[];
  rejected: RejectedEvent[];
  /** Total rejected (the `rejected` list keeps only the first few). */
  rejectedCount: number;
  dataPlaneStats?: DataPlaneStats;
}

/** A batch envelope problem: the whole batch is refused (HTTP 400) with this path. */
export class TelemetryFormatError extends Error {
  override readonly name = 'TelemetryFormatError';
  readonly code = 'TELEMETRY_INVALID' as const;
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const KINDS = new Set<EventKind>(['flow_start', 'burst', 'flow_end']);
const MAX_REJECTIONS_LISTED = 20;

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Canonical text of an IP address (RFC 5952 for IPv6), or null when it is not one. */
export function canonicalIp(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6) return null;
  // The WHATWG URL serializer prints IPv6 in RFC 5952 form (lower case, longest zero run compressed).
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function splitNs(value: unknown): { tsSec: number; tsNsec: number } | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return 'must be a non-negative number of nanoseconds';
    const tsSec = Math.floor(value / 1e9);
    return { tsSec, tsNsec: Math.max(0, Math.min(999_999_999, Math.round(value - tsSec * 1e9))) };
  }
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    const padded = value.padStart(10, '0');
    return { tsSec: Number(padded.slice(0, -9)), tsNsec: Number(padded.slice(-9)) };
  }
  return 'must be nanoseconds since the epoch (number or decimal string)';
}

/**
 * Validates one wire event and converts it to a connection event; returns the event, or the
 * rejection naming the bad field (`<path>.src_ip`, ...). Never throws.
 * @param index where the event sits in its batch (the rejection path is `events[index].field`)
 * @param batchNode the batch's `node_id`, used when the event has none
 */
export function decodeTelemetryEvent(raw: unknown, index: number, batchNode: string): ConnectionEvent | RejectedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { path: `events[${index}]`, message: 'must be an object' };
  const e = raw as Record<string, unknown>;
  const ts = splitNs(e.timestamp_ns);
  if (typeof ts === 'string') return { path: `events[${index}].timestamp_ns`, message: ts };
  const srcIp = canonicalIp(e.src_ip);
  if (srcIp === null) return { path: `events[${index}].src_ip`, message: 'must be an IPv4 or IPv6 address' };
  const dstIp = canonicalIp(e.dst_ip);
  if (dstIp === null) return { path: `events[${index}].dst_ip`, message: 'must be an IPv4 or IPv6 address' };
  if (!isPort(e.src_port)) return { path: `events[${index}].src_port`, message: 'must be an integer 0-65535' };
  if (!isPort(e.dst_port)) return { path: `events[${index}].dst_port`, message: 'must be an integer 0-65535' };
  const protocol = e.protocol;
  if (typeof protocol !== 'number' || !Number.isInteger(protocol) || protocol < 0 || protocol > 255)
    return { path: `events[${index}].protocol`, message: 'must be an IANA protocol number 0-255' };
  const size = e.packet_size ?? 0;
  if (!isCount(size)) return { path: `events[${index}].packet_size`, message: 'must be a non-negative integer' };
  const packets = e.packets ?? 1;
  if (!isCount(packets)) return { path: `events[${index}].packets`, message: 'must be a non-negative integer' };
  const flags = e.tcp_flags ?? 0;
  if (!isCount(flags) || flags > 255) return { path: `events[${index}].tcp_flags`, message: 'must be an integer 0-255' };
  const kind = e.kind ?? 'flow_start';
  if (!KINDS.has(kind as EventKind)) return { path: `events[${index}].kind`, message: 'must be flow_start, burst or flow_end' };
  const dir = e.direction;
  if (dir !== undefined && dir !== 0 && dir !== 1) return { path: `events[${index}].direction`, message: 'must be 0 (ingress) or 1 (egress)' };
  const node = e.node_id ?? batchNode;
  if (typeof node !== 'string') return { path: `events[${index}].node_id`, message: 'must be a string' };
  const duration = e.duration_seconds;
  if (duration !== undefined && (typeof duration !== 'number' || !(duration >= 0)))
    return { path: `events[${index}].duration_seconds`, message: 'must be a non-negative number' };
  const event: ConnectionEvent = {
    tsSec: ts.tsSec,
    tsNsec: ts.tsNsec,
    srcIp,
    dstIp,
    srcPort: e.src_port,
    dstPort: e.dst_port,
    protocol,
    direction: dir === 0 ? 'ingress' : dir === 1 ? 'egress' : 'unknown',
    bytes: size,
    packets,
    tcpFlags: flags,
    kind: kind as EventKind,
    node,
  };
  if (duration !== undefined) event.durationSec = duration;
  return event;
}

/** The batch envelope: everything but the events, validated by {@link decodeEnvelope}. */
export interface TelemetryEnvelope {
  /** `batch_id`, or `''` when the sender gave none. */
  batchId: string;
  /** `node_id`, or `'unknown'` when the sender gave none. */
  nodeId: string;
  dataPlaneStats?: DataPlaneStats;
}

/**
 * Validates a batch envelope (`batch_id`, `node_id`, `data_plane_stats`; `events` is not looked
 * at). Other fields the original sends (`created_at`, counts) are accepted and ignored.
 * @throws {@link TelemetryFormatError} with the path of the bad field
 */
export function decodeEnvelope(body: unknown): TelemetryEnvelope {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TelemetryFormatError('(body)', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  const nodeId = b.node_id ?? 'unknown';
  if (typeof nodeId !== 'string') throw new TelemetryFormatError('node_id', 'must be a string');
  const batchId = b.batch_id ?? '';
  if (typeof batchId !== 'string') throw new TelemetryFormatError('batch_id', 'must be a string');
  const out: TelemetryEnvelope = { batchId, nodeId };
  if (b.data_plane_stats !== undefined && b.data_plane_stats !== null) {
    const s = b.data_plane_stats as Record<string, unknown>;
    if (typeof s !== 'object' || Array.isArray(s)) throw new TelemetryFormatError('data_plane_stats', 'must be an object');
    for (const key of ['events_dropped_ebpf', 'events_dropped_overflow'] as const)
      if (s[key] !== undefined && !isCount(s[key])) throw new TelemetryFormatError(`data_plane_stats.${key}`, 'must be a non-negative integer');
    out.dataPlaneStats = {
      events_dropped_ebpf: (s.events_dropped_ebpf as number | undefined) ?? 0,
      events_dropped_overflow: (s.events_dropped_overflow as number | undefined) ?? 0,
    };
  }
  return out;
}

/** True when a {@link decodeTelemetryEvent} result is a rejection rather than an event. */
export function isRejectedEvent(result: ConnectionEvent | RejectedEvent): result is RejectedEvent {
  return 'message' in result;
}

/**
 * Validates a parsed telemetry batch. A bad envelope throws {@link TelemetryFormatError} with the
 * field path; bad events inside a good batch are rejected one by one and counted, the rest kept.
 * @param from index of the first event to decode (for chunked processing)
 * @param to index after the last event to decode
 */
export function decodeTelemetry(body: unknown, from: number = 0, to: number = Number.POSITIVE_INFINITY): DecodedTelemetry {
  const envelope = decodeEnvelope(body);
  const list = (body as Record<string, unknown>).events;
  if (!Array.isArray(list)) throw new TelemetryFormatError('events', 'must be an array');
  const events: ConnectionEvent[] = [];
  const rejected: RejectedEvent[] = [];
  let rejectedCount = 0;
  const end = Math.min(to, list.length);
  for (let i = from; i < end; i++) {
    const result = decodeTelemetryEvent(list[i], i, envelope.nodeId);
    if (isRejectedEvent(result)) {
      rejectedCount++;
      if (rejected.length < MAX_REJECTIONS_LISTED) rejected.push(result);
    } else events.push(result);
  }
  const out: DecodedTelemetry = { batchId: envelope.batchId, nodeId: envelope.nodeId, events, rejected, rejectedCount };
  if (envelope.dataPlaneStats) out.dataPlaneStats = envelope.dataPlaneStats;
  return out;
}
