import { gzipSync } from 'node:zlib';
import type { TelemetryEvent } from '../telemetry/wire.js';

/** A wire event of a beacon from 10.0.0.5 to 203.0.113.9:443, `i` periods after t0 (test helper). */
export function wireEvent(i: number, overrides: Partial<TelemetryEvent> = {}, period = 60, t0 = 1_700_000_000): TelemetryEvent {
  return {
    timestamp_ns: String(BigInt(t0 + i * period) * 1_000_000_000n),
    src_ip: '10.0.0.5',
    dst_ip: '203.0.113.9',
    src_port: 40000 + (i % 20000),
    dst_port: 443,
    packet_size: 310,
    protocol: 6,
    tcp_flags: 2,
    direction: 1,
    ...overrides,
  };
}

/** A batch body (the original's envelope) around `events`. */
export function batchBody(events: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ batch_id: 'b-1', node_id: 'dp-test', created_at: '2023-11-14T22:13:20Z', event_count: events.length, ...extra, events });
}

/** A POST request init for a telemetry body, gzip'd when asked. */
export function post(body: string | Buffer, headers: Record<string, string> = {}, gzip = false): RequestInit {
  const data = gzip ? gzipSync(body) : body;
  return {
    method: 'POST',
    body: new Uint8Array(data instanceof Buffer ? data : Buffer.from(data)),
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...headers },
  };
}

/** Response bodies in tests are checked field by field with `expect`; a loose type keeps them readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The JSON body of a response, loosely typed (test helper). */
export function bodyOf(res: Response): Promise<Json> {
  return res.json() as Promise<Json>;
}
