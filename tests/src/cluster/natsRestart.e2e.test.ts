import { clusterSettings, createClusterShard, openEventPublisher, type ClusterShard } from '@beacon/cluster';
import { defaultConfig } from '@beacon/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_SKIP_REASON, startTestNats, type TestNats } from '../helpers/nats.js';
import { telemetryBodies, until } from './fixtures.js';

const post = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

// nats-server stopped and started again under a shard and a data plane.
describe.skipIf(NATS_SKIP_REASON !== null)(`nats-server restarted mid-stream${NATS_SKIP_REASON ? ` (skipped: ${NATS_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let nats: TestNats;
  let shard: ClusterShard;

  beforeAll(async () => {
    nats = await startTestNats();
    const config = defaultConfig();
    shard = await createClusterShard(config, clusterSettings(config, { nats: nats.url, shard: '1/1' })!);
    await shard.start();
  });
  afterAll(async () => {
    await shard?.close();
    await nats?.destroy();
  });

  it('answers 503 with Retry-After while JetStream is away, never 200 for an event it could not store, and catches up', async () => {
    const { bodies, events } = telemetryBodies(Math.floor(Date.now() / 1000), 5);
    const half = Math.floor(events.length / 2);
    const dataPlane = await openEventPublisher({ natsUrl: nats.url, attempts: 60 });
    let accepted = 0;
    const send = async (body: string): Promise<Response> => {
      const res = await shard.app.request('/api/v1/telemetry', post(body));
      if (res.status === 200) accepted += ((await res.clone().json()) as { events_accepted: number }).events_accepted;
      return res;
    };
    expect((await send(bodies[0]!)).status).toBe(200);

    await nats.stop();
    const refused = await send(bodies[1]!);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/stream/);
    // A data plane publishing straight to JetStream keeps its events and retries.
    const direct = dataPlane.publisher.publish(events.slice(0, half), { nodeId: 'dp-direct' });
    await new Promise((r) => setTimeout(r, 300));
    await nats.start();

    // The refused batch is sent again, as a data plane does after Retry-After.
    await until('HTTP ingest to accept again', async () => (await send(bodies[1]!)).status === 200);
    for (const body of bodies.slice(2)) expect((await send(body)).status).toBe(200);
    await direct;
    await dataPlane.close();
    const published = half;
    const status = async (): Promise<{ events_received: number; cluster: { members: { nats_connected: boolean }[] } }> => (await (await shard.app.request('/api/v1/status')).json()) as never;
    await until('the shard to consume everything', async () => (await status()).events_received >= accepted + published);
    await new Promise((r) => setTimeout(r, 300));
    const st = await status();
    expect(st.events_received).toBe(accepted + published);
    expect(st.cluster.members[0]!.nats_connected).toBe(true);
  });
});
