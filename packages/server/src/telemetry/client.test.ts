import { createServer } from 'node:net';
import { defaultConfig } from '@beacon/config';
import type { ConnectionEvent } from '@beacon/detector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlPlane } from '../controlPlane.js';
import { TelemetryClient } from './client.js';
import { encodeTelemetryBatches } from './encode.js';

const event = (i: number): ConnectionEvent => ({
  tsSec: 1_700_000_000 + i * 60, tsNsec: 0, srcIp: '10.0.0.5', dstIp: '203.0.113.9', srcPort: 40_000 + i, dstPort: 443,
  protocol: 6, direction: 'egress', bytes: 300, packets: 3, tcpFlags: 0x02, kind: 'flow_start', node: 'dp-1',
});

describe('TelemetryClient against a real control plane on loopback', () => {
  let cp: ReturnType<typeof createControlPlane>;
  let url: string;
  beforeAll(async () => {
    const config = defaultConfig();
    config.control_plane.api_key = 'secret-token';
    config.control_plane.listen_port = 0;
    config.control_plane.listen_address = '127.0.0.1';
    config.control_plane.max_body_bytes = 64 * 1024;
    cp = createControlPlane(config, { sinks: [] });
    url = (await cp.listen()).url;
  });
  afterAll(() => cp.close());

  it('posts a gzip body with the token and reads the per-event counts', async () => {
    const client = new TelemetryClient({ baseUrl: `${url}/`, nodeId: 'dp-1', token: 'secret-token' });
    expect(client.url).toBe(`${url}/api/v1/telemetry`);
    const [body] = encodeTelemetryBatches(Array.from({ length: 40 }, (_, i) => event(i)), { nodeId: 'dp-1' });
    expect(body!.length).toBeGreaterThan(1024); // so it goes gzip-compressed
    const r = await client.post(body!);
    expect(r).toMatchObject({ kind: 'accepted', status: 200, received: 40, rejected: 0 });
    if (r.kind === 'accepted') expect(r.bytes).toBeLessThan(body!.length);
    expect(cp.detector.stats().storage.records_added).toBeGreaterThanOrEqual(40);
  });

  it('classifies a wrong token as failed (retry after fixing it), naming the token', async () => {
    const r = await new TelemetryClient({ baseUrl: url, nodeId: 'dp-1', token: 'wrong' }).post(encodeTelemetryBatches([event(0)], { nodeId: 'dp-1' })[0]!);
    expect(r).toMatchObject({ kind: 'failed', status: 401 });
    if (r.kind === 'failed') expect(r.detail).toContain('API token');
  });

  it('classifies malformed JSON as refused and an oversized body as too_large', async () => {
    const client = new TelemetryClient({ baseUrl: url, nodeId: 'dp-1', token: 'secret-token', gzipAbove: Number.POSITIVE_INFINITY });
    const refused = await client.post('{"events": [');
    expect(refused.kind).toBe('refused');
    expect(refused.kind === 'refused' && refused.status).toBe(400);
    const big = encodeTelemetryBatches(Array.from({ length: 600 }, (_, i) => event(i)), { nodeId: 'dp-1', maxBytes: 1 << 30 })[0]!;
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect((await client.post(big)).kind).toBe('too_large');
  });

  it('reports an unreachable control plane as failed without throwing', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await new TelemetryClient({ baseUrl: `http://127.0.0.1:${port}`, nodeId: 'dp-1', timeoutMs: 2000 }).post('{}');
    expect(r.kind).toBe('failed');
    if (r.kind === 'failed') expect(r.detail).toContain('unreachable');
  });
});
