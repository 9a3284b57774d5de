import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { ConnectionEvent } from '@beacon/detector';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBuffer } from './eventBuffer.js';
import { TelemetryExporter } from './exporter.js';

const ev = (n: number): ConnectionEvent => ({
  tsSec: 1_700_000_000 + n, tsNsec: 5, srcIp: '10.201.1.2', dstIp: '10.201.1.1', srcPort: 40000 + (n % 20000), dstPort: 443,
  protocol: 6, direction: 'ingress', bytes: 64, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 't',
});

interface Received {
  headers: IncomingHttpHeaders;
  rawBytes: number;
  jsonBytes: number;
  body: { event_count: number; events: unknown[]; data_plane_stats: unknown };
}

let server: Server | undefined;
afterEach(() => server?.close());

/** A loopback receiver answering each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      const raw = Buffer.concat(chunks);
      const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if (status === 200) received.push({ headers: req.headers, rawBytes: raw.length, jsonBytes: json.length, body: JSON.parse(json.toString()) as Received['body'] });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as { port: number }).port}`, received };
}

function exporterFor(url: string, buffer: EventBuffer, maxBatchBytes = 1024 * 1024): TelemetryExporter {
  return new TelemetryExporter(buffer, {
    baseUrl: url,
    token: 'tok',
    nodeId: 'dp-test',
    maxBatchBytes,
    timeoutMs: 2000,
    dataPlaneStats: () => ({ events_dropped_ebpf: 3, events_dropped_overflow: buffer.overflow }),
    backoff: { initialMs: 50, maxMs: 200 },
  });
}

describe('TelemetryExporter', () => {
  it('splits into gzip batches no larger than max_batch_bytes, with token and drop counters', async () => {
    const { url, received } = await receiver();
    const buffer = new EventBuffer(10_000);
    buffer.push(Array.from({ length: 1000 }, (_, i) => ev(i)));
    const exporter = exporterFor(url, buffer, 32 * 1024);
    expect(await exporter.flush()).toBe(true);
    expect(buffer.length).toBe(0);
    expect(received.length).toBeGreaterThan(5);
    expect(received.reduce((n, r) => n + r.body.events.length, 0)).toBe(1000);
    for (const r of received) {
      expect(r.jsonBytes).toBeLessThanOrEqual(32 * 1024);
      expect(r.body.event_count).toBe(r.body.events.length);
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(r.headers.authorization).toBe('Bearer tok');
      expect(r.headers['x-node-id']).toBe('dp-test');
      expect(r.body.data_plane_stats).toEqual({ events_dropped_ebpf: 3, events_dropped_overflow: 0 });
    }
    expect(exporter.stats).toMatchObject({ eventsSent: 1000, batchesSent: received.length, requestsFailed: 0 });
  });

  it('keeps events buffered through failures and backs off, then delivers', async () => {
    const { url, received } = await receiver([503, 503]);
    const buffer = new EventBuffer(100);
    buffer.push([ev(1), ev(2)]);
    const exporter = exporterFor(url, buffer);
    const before = Date.now();
    expect(await exporter.flush()).toBe(false);
    expect(exporter.retryAt).toBeGreaterThanOrEqual(before + 25);
    expect(exporter.lastError).toMatch(/503/);
    expect(buffer.length).toBe(2);
    expect(await exporter.flush()).toBe(false);
    expect(await exporter.flush()).toBe(true);
    expect(exporter.stats).toMatchObject({ eventsSent: 2, requestsFailed: 2 });
    expect(exporter.retryAt).toBe(0);
    expect(exporter.lastError).toBeUndefined();
    expect(received).toHaveLength(1);
  });

  it('retries an unreachable control plane without losing events', async () => {
    const buffer = new EventBuffer(100);
    buffer.push([ev(1)]);
    const exporter = exporterFor('http://127.0.0.1:9', buffer);
    expect(await exporter.flush()).toBe(false);
    expect(exporter.lastError).toMatch(/unreachable/);
    expect(buffer.length).toBe(1);
  });

  it('halves the batch limit when the server answers 413, and gives up malformed batches (400) counted', async () => {
    const { url, received } = await receiver([413, 400]);
    const buffer = new EventBuffer(10_000);
    buffer.push(Array.from({ length: 400 }, (_, i) => ev(i)));
    const exporter = exporterFor(url, buffer, 64 * 1024);
    expect(await exporter.flush()).toBe(true);
    expect(received.every((r) => r.jsonBytes <= 32 * 1024)).toBe(true);
    expect(exporter.stats.eventsRefused).toBeGreaterThan(0);
    expect(exporter.stats.eventsRefused + exporter.stats.eventsSent).toBe(400);
  });
});
