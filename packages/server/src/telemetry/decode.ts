import { DIGIT_0, DIGIT_9 } from './jsonBytes.js';
import { canonicalIp as canonicalAddress, isServerNameText } from '@beacon/detector';
import type { ConnectionEvent } from '@beacon/detector';
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

const MAX_REJECTIONS_LISTED = 20;

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}
function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_COUNT;
}

/** Counts (bytes, packets, drop counters) above 2^53 - 1 lose integer precision: refused. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Longest flow a `duration_seconds` may describe: ten years (a bigger one can only be forged). */
export const MAX_DURATION_SECONDS = 315_360_000;
/** Longest `node_id` (in the envelope, an event or `X-Node-ID`), characters. */
export const MAX_NODE_ID_LENGTH = 256;
const NODE_ID_MESSAGE = `must be a string of at most ${MAX_NODE_ID_LENGTH} characters`;

/**
 * Canonical text of an IP address (RFC 5952 for IPv6, IPv4-mapped with its dotted tail, the
 * spelling every Beacon source uses), or null when it is not one. A zone id (`fe80::1%eth0`)
 * names an interface of the sender, not an address: refused.
 */
export function canonicalIp(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > 64) return null;
  return canonicalAddress(text) ?? null;
}

/** Nanoseconds beyond this (year 5138) are refused: the detector takes epoch seconds up to 1e11. */
const MAX_NS = 1e20;
const TS_NUMBER = 'must be a non-negative number of nanoseconds below 1e20';
const TS_TEXT = 'must be nanoseconds since the epoch (number or decimal string)';
const COUNT_MESSAGE = `must be a non-negative integer up to ${MAX_COUNT}`;
const SERVER_NAME_MESSAGE = `must be a server name of 1-255 letters, digits, '-', '.', '_', ':' or '*' (no spaces or control characters)`;
const DURATION_MESSAGE = `must be a number of seconds from 0 to ${MAX_DURATION_SECONDS}`;

/**
 * The fields of one wire event as JSON gives them (`undefined` when absent). One instance is
 * reused for every event of a batch, so decoding allocates only the event itself.
 */
export class WireFields {
  ts: unknown = undefined;
  srcIp: unknown = undefined;
  dstIp: unknown = undefined;
  srcPort: unknown = undefined;
  dstPort: unknown = undefined;
  protocol: unknown = undefined;
  size: unknown = undefined;
  packets: unknown = undefined;
  flags: unknown = undefined;
  kind: unknown = undefined;
  direction: unknown = undefined;
  node: unknown = undefined;
  duration: unknown = undefined;
  serverName: unknown = undefined;

  /** Forgets every field (before the next event). */
  reset(): void {
    this.ts = this.srcIp = this.dstIp = this.srcPort = this.dstPort = this.protocol = undefined;
    this.size = this.packets = this.flags = this.kind = this.direction = this.node = this.duration = this.serverName = undefined;
  }

  /** Takes the fields of a parsed JSON object. */
  from(e: Record<string, unknown>): this {
    this.ts = e.timestamp_ns;
    this.srcIp = e.src_ip;
    this.dstIp = e.dst_ip;
    this.srcPort = e.src_port;
    this.dstPort = e.dst_port;
    this.protocol = e.protocol;
    this.size = e.packet_size;
    this.packets = e.packets;
    this.flags = e.tcp_flags;
    this.kind = e.kind;
    this.direction = e.direction;
    this.node = e.node_id;
    this.duration = e.duration_seconds;
    this.serverName = e.server_name;
    return this;
  }
}

function reject(index: number, field: string, message: string): RejectedEvent {
  return { path: `events[${index}].${field}`, message };
}

/**
 * Validates one event's fields and builds the connection event directly (no intermediate
 * objects); returns the rejection naming the bad field otherwise. The checks cover everything
 * the detector's own per-event checks do, so the result may be ingested on its trusted path.
 */
export function eventFromFields(f: WireFields, index: number, batchNode: string): ConnectionEvent | RejectedEvent {
  const ts = f.ts;
  let tsSec: number;
  let tsNsec: number;
  if (typeof ts === 'number') {
    if (!(ts >= 0) || !(ts < MAX_NS)) return reject(index, 'timestamp_ns', TS_NUMBER);
    tsSec = Math.floor(ts / 1e9);
    tsNsec = Math.max(0, Math.min(999_999_999, Math.round(ts - tsSec * 1e9)));
  } else if (typeof ts === 'string' && ts.length > 0 && ts.length <= 20 && isDigits(ts)) {
    const cut = ts.length - 9;
    tsSec = cut > 0 ? Number(ts.slice(0, cut)) : 0;
    tsNsec = Number(cut > 0 ? ts.slice(cut) : ts);
  } else return reject(index, 'timestamp_ns', TS_TEXT);
  const srcIp = canonicalIp(f.srcIp);
  if (srcIp === null) return reject(index, 'src_ip', 'must be an IPv4 or IPv6 address');
  const dstIp = canonicalIp(f.dstIp);
  if (dstIp === null) return reject(index, 'dst_ip', 'must be an IPv4 or IPv6 address');
  const srcPort = f.srcPort;
  if (!isPort(srcPort)) return reject(index, 'src_port', 'must be an integer 0-65535');
  const dstPort = f.dstPort;
  if (!isPort(dstPort)) return reject(index, 'dst_port', 'must be an integer 0-65535');
  const protocol = f.protocol;
  if (typeof protocol !== 'number' || !Number.isInteger(protocol) || protocol < 0 || protocol > 255)
    return reject(index, 'protocol', 'must be an IANA protocol number 0-255');
  const size = f.size ?? 0;
  if (!isCount(size)) return reject(index, 'packet_size', COUNT_MESSAGE);
  const packets = f.packets ?? 1;
  if (!isCount(packets)) return reject(index, 'packets', COUNT_MESSAGE);
  const flags = f.flags ?? 0;
  if (!isCount(flags) || flags > 255) return reject(index, 'tcp_flags', 'must be an integer 0-255');
  const kind = f.kind ?? 'flow_start';
  if (kind !== 'flow_start' && kind !== 'burst' && kind !== 'flow_end') return reject(index, 'kind', 'must be flow_start, burst or flow_end');
  const dir = f.direction;
  if (dir !== undefined && dir !== 0 && dir !== 1) return reject(index, 'direction', 'must be 0 (ingress) or 1 (egress)');
  const node = f.node ?? batchNode;
  if (typeof node !== 'string' || node.length > MAX_NODE_ID_LENGTH) return reject(index, 'node_id', NODE_ID_MESSAGE);
  const duration = f.duration;
  if (duration !== undefined && (typeof duration !== 'number' || !(duration >= 0) || !(duration <= MAX_DURATION_SECONDS)))
    return reject(index, 'duration_seconds', DURATION_MESSAGE);
  const name = f.serverName;
  if (name !== undefined && name !== null && !isServerNameText(name)) return reject(index, 'server_name', SERVER_NAME_MESSAGE);
  const event: ConnectionEvent = {
    tsSec,
    tsNsec,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction: dir === 0 ? 'ingress' : dir === 1 ? 'egress' : 'unknown',
    bytes: size,
    packets,
    tcpFlags: flags,
    kind,
    node,
  };
  if (duration !== undefined) event.durationSec = duration as number;
  if (typeof name === 'string') event.serverName = name.toLowerCase();
  return event;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  return true;
}

const scratch = new WireFields();

/**
 * Validates one wire event and converts it to a connection event; returns the event, or the
 * rejection naming the bad field (`<path>.src_ip`, ...). Never throws.
 * @param index where the event sits in its batch (the rejection path is `events[index].field`)
 * @param batchNode the batch's `node_id`, used when the event has none
 */
export function decodeTelemetryEvent(raw: unknown, index: number, batchNode: string): ConnectionEvent | RejectedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { path: `events[${index}]`, message: 'must be an object' };
  return eventFromFields(scratch.from(raw as Record<string, unknown>), index, batchNode);
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
  if (typeof nodeId !== 'string' || nodeId.length > MAX_NODE_ID_LENGTH) throw new TelemetryFormatError('node_id', NODE_ID_MESSAGE);
  const batchId = b.batch_id ?? '';
  if (typeof batchId !== 'string' || batchId.length > MAX_NODE_ID_LENGTH) throw new TelemetryFormatError('batch_id', `must be a string of at most ${MAX_NODE_ID_LENGTH} characters`);
  const out: TelemetryEnvelope = { batchId, nodeId };
  if (b.data_plane_stats !== undefined && b.data_plane_stats !== null) {
    const s = b.data_plane_stats as Record<string, unknown>;
    if (typeof s !== 'object' || Array.isArray(s)) throw new TelemetryFormatError('data_plane_stats', 'must be an object');
    for (const key of ['events_dropped_ebpf', 'events_dropped_overflow'] as const)
      if (s[key] !== undefined && !isCount(s[key])) throw new TelemetryFormatError(`data_plane_stats.${key}`, COUNT_MESSAGE);
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
