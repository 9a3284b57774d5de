import { basename } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { decodeTelemetry, type RejectedEvent } from '@beacon/server';
import { readStructured } from './readStructured.js';

/** The events of one event file, in time order, and what was rejected. */
export interface EventFile {
  events: ConnectionEvent[];
  /** The first rejections, paths prefixed with the file (e.g. `f.yaml: events[12].src_ip`). */
  rejected: RejectedEvent[];
  rejectedCount: number;
}

const PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

/** Nanoseconds as a decimal string from ISO 8601 text, keeping sub-millisecond digits. */
function isoToNs(text: string): string | undefined {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(ms)) return undefined;
  return `${BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0')}`;
}

/**
 * The original replay inputs write times as `timestamp` (ISO text or epoch seconds) and the
 * protocol as a name; the telemetry decoder wants `timestamp_ns` and a number. Anything it
 * cannot convert is left as is, so the decoder's rejection names the field.
 */
function normalise(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const e = { ...(raw as Record<string, unknown>) };
  if (e.timestamp_ns === undefined) {
    const t = e.timestamp ?? e.timestamp_utc ?? e.ts;
    if (typeof t === 'number' && Number.isFinite(t) && t >= 0) e.timestamp_ns = Math.round(t * 1e9);
    else if (typeof t === 'string') e.timestamp_ns = /^\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1e9) : (isoToNs(t) ?? t);
  }
  if (typeof e.protocol === 'string' && e.protocol.toLowerCase() in PROTOCOLS) e.protocol = PROTOCOLS[e.protocol.toLowerCase()];
  if (e.packet_size === undefined && typeof e.bytes === 'number') e.packet_size = e.bytes;
  return e;
}

/**
 * Reads an event file of the original's replay tool: YAML or JSON holding telemetry-format
 * events as a top-level list, `{events: [...]}`, or a whole telemetry batch. Events are
 * validated by the control plane's own decoder, so errors read the same (`events[12].src_ip`);
 * bad events are counted and skipped, the rest kept.
 */
export async function readEventFile(file: string): Promise<EventFile> {
  const doc = await readStructured(file);
  const body = Array.isArray(doc) ? { events: doc } : doc;
  if (typeof body !== 'object' || body === null || !Array.isArray((body as Record<string, unknown>).events))
    throw new Error(`${file}: expected a list of events, {events: [...]} or a telemetry batch`);
  const b = body as Record<string, unknown>;
  const envelope = { node_id: `events:${basename(file)}`, ...b, events: (b.events as unknown[]).map(normalise) };
  let decoded;
  try {
    decoded = decodeTelemetry(envelope);
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const events = decoded.events.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  return { events, rejected: decoded.rejected.map((r) => ({ path: `${file}: ${r.path}`, message: r.message })), rejectedCount: decoded.rejectedCount };
}

/** Whether a file is an event file (by name: `.yaml`, `.yml`, `.json`) rather than a Zeek log or capture. */
export function isEventFile(file: string): boolean {
  return /\.(ya?ml|json)$/i.test(file);
}
