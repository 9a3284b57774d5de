import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ConnectionEvent } from '@beacon/detector';
import { HuntError } from './huntError.js';
import { readStructured } from './internal/readStructured.js';

/** One refused event of an event file: where it was and what was wrong. */
export interface RejectedEvent {
  /** The file and field path, e.g. `replay.yaml: events[12].src_ip`. */
  path: string;
  message: string;
}

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
  const doc = await readStructured(file, 'INVALID_EVENT_FILE');
  const body = Array.isArray(doc) ? { events: doc } : doc;
  if (typeof body !== 'object' || body === null || !Array.isArray((body as Record<string, unknown>).events))
    throw new HuntError('INVALID_EVENT_FILE', `${file}: expected a list of events, {events: [...]} or a telemetry batch`);
  const b = body as Record<string, unknown>;
  const envelope = { node_id: `events:${basename(file)}`, ...b, events: (b.events as unknown[]).map(normalise) };
  // The control plane's own decoder, loaded only when an event file is read.
  const { decodeTelemetry } = await import('@beacon/server');
  let decoded;
  try {
    decoded = decodeTelemetry(envelope);
  } catch (error) {
    throw new HuntError('INVALID_EVENT_FILE', `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const events = decoded.events.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  return { events, rejected: decoded.rejected.map((r) => ({ path: `${file}: ${r.path}`, message: r.message })), rejectedCount: decoded.rejectedCount };
}

/**
 * Whether a `.json` file is a JSON-lines log (Zeek, Suricata EVE, ...) rather than one JSON
 * document: its first line is a whole JSON object on its own, and not a replay batch (`events`).
 */
async function isJsonLines(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  let head: string;
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(65_536), 0, 65_536, 0);
    head = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
  } finally {
    await fh.close();
  }
  if (!head.startsWith('{')) return false;
  const nl = head.indexOf('\n');
  try {
    const first: unknown = JSON.parse(nl < 0 ? head : head.slice(0, nl));
    return typeof first === 'object' && first !== null && !('events' in first);
  } catch {
    return false;
  }
}

/**
 * What kind of input a file is: an event file of the original's replay tool (`.yaml`, `.yml`,
 * or a `.json` document), read by {@link readEventFile}; or anything else, which `openSource`
 * of `@beacon/sources` recognises by content (Zeek TSV and JSON lines, pcap, pcapng, gzip; new
 * readers add their formats there). The one place a hunt decides how to read a file.
 */
export async function inputKindOf(file: string): Promise<'events' | 'source'> {
  if (/\.ya?ml$/i.test(file)) return 'events';
  if (!/\.json$/i.test(file)) return 'source';
  return (await isJsonLines(file)) ? 'source' : 'events';
}
